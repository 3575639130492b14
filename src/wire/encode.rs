//! Building messages from `field=value` assignments (stage 3, in progress).

/// Builds `type || payload` for the message `name`.
pub fn encode(
    name: &str,
    assignments: &[(String, String)],
    network: bitcoin::Network,
) -> Result<Vec<u8>, String> {
    let _ = (assignments, network);
    Err(format!("encode {name}: not implemented yet"))
}
