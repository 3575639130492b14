//! Ready-to-paste example messages (stage 3, in progress).

/// A valid example of the message `name` for `network`.
pub fn example(name: &str, network: bitcoin::Network) -> Result<Vec<u8>, String> {
    super::encode::encode(name, &[], network)
}
