//! The Lightning wire format (BOLT 1, 2, 4, 7): decoding, explaining and building messages.
//!
//! `wire` owns the byte layout of the peer protocol: a message is `type (u16, big-endian) ||
//! payload`, exactly as it sits inside a BOLT 8 frame. Everything here is a pure function of
//! its input: no I/O, no clocks, no global state, and no panics on any input.
//!
//! The rooms, from the ground up (every import points down this list):
//!
//! - [`catalog`] is the table of all 50 messages and their type numbers
//!   ([`catalog::types`]), [`features`] the BOLT 9 feature bits, `bigsize` and `tlv`
//!   the BOLT 1 building blocks; `hexin` reads pasted hex, [`logline`] finds the message
//!   (and its direction, time and peer) on a line of a node's log, `fmt` writes numbers,
//!   amounts and dates without allocating.
//! - [`address`] reads where a peer is (IP, DNS name, Tor v3 onion, BOLT 7's kinds) and
//!   checks an onion name's every rule before anything touches the network.
//! - `values` holds the compound values with both directions side by side (addresses,
//!   scids, chain hashes, txids, witnesses, transactions), so no value's codec is
//!   written twice.
//! - `tree` is what a decode produces: [`Decoded`], [`Field`], [`Value`], [`TlvRecord`].
//! - [`decode`] turns bytes (or hex) into a [`Decoded`] with a cursor (`decode::Reader`):
//!   every field with its offset, length and value, the TLV stream, and every rule the
//!   bytes break. `ldk` reads the same bytes with LDK's own message structs, as a
//!   cross-check.
//! - [`encode`] and [`example`] build valid messages from field assignments, and
//!   [`encode::assignments_from`] finds the assignments that rebuild a decoded message.
//! - [`render`] prints a [`Decoded`] as text for the terminal or as JSON. Decoding and
//!   encoding never import it: work never asks the printer.

pub mod address;
pub(crate) mod bigsize;
pub mod catalog;
mod catalog_data;
pub mod decode;
pub mod encode;
pub mod example;
pub mod features;
pub(crate) mod fmt;
pub(crate) mod hexin;
pub(crate) mod ldk;
pub mod logline;
pub mod render;
pub(crate) mod suggest;
pub(crate) mod tlv;
pub(crate) mod tree;
mod values;

pub use decode::{decode_bytes, decode_hex, DecodeOptions};
pub use tree::{Decoded, Field, TlvRecord, TlvStatus, Value};
