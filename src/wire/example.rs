//! Ready-to-paste example messages: one valid instance of each of the 50 wire messages.
//!
//! An example is [`encode`](super::encode::encode) with no assignments: realistic defaults,
//! the network's `chain_hash`, deterministic keys and signatures, and the TLV records a
//! real node would send (`channel_type` and an empty `upfront_shutdown_script` in channel
//! opens, as BOLT 2 wants of a sender with the stream; `networks` in `init`). Every
//! example decodes without errors and LDK 0.2.7 reads it. The defaults live with the
//! encoder (`encode/defaults.rs`); this path is kept for the shell, tests and benches.

pub use super::encode::example;
