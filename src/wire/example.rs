//! Ready-to-paste example messages: one valid instance of each of the 50 wire messages.
//!
//! An example is [`encode`](super::encode::encode) with no assignments: realistic defaults,
//! the network's `chain_hash`, deterministic keys and signatures, and the TLV records a
//! real node would send (`channel_type` in channel opens, `networks` in `init`). Every
//! example decodes without errors and LDK 0.2.7 reads it.

use bitcoin::Network;

/// A valid example of the message `name` (`type || payload`) for `network`.
pub fn example(name: &str, network: Network) -> Result<Vec<u8>, String> {
    super::encode::encode(name, &[], network)
}
