//! The BOLTs' own test vectors (`tests/data/`, with their source in its README)
//! against the shell's real code and the real binary.
//!
//! * [`bolt8`]: BOLT 8's handshake and transport vectors, over loopback TCP;
//! * [`bolt`]: the BOLT 9 feature table and the BOLT 1 signed integers.
//!
//! They are one test binary on purpose: every integration test binary links LDK,
//! and each link costs seconds of a `cargo test` on two cores.

#[path = "../common/mod.rs"]
mod common;

mod bolt;
mod bolt8;
