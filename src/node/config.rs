//! What the node is started with, and what a stranger on the port may take.
//!
//! A node listening on a port is open to anyone who can reach it, so every
//! resource a client can make it spend has a bound: connections, idle time, line
//! length, garbage. The bounds live here together, each with its default and the
//! flag that changes it (see `cli.rs`), so a reader can see at once what lnshell
//! promises to put up with. Nothing here does anything: the listener, the netcat
//! session and the timers read these numbers.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use bitcoin::Network;

/// The longest line accepted. A BOLT message is at most 65535 bytes, so 131070 hex
/// digits; this leaves room for a separator between every byte (`aa:bb:…`).
pub const MAX_LINE: usize = 3 * 65535 + 16;

/// How long `connect` waits, by default, for the TCP connection, the BOLT 8
/// handshake and the `init` exchange together.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// LDK asks for `timer_tick_occurred` about every ten seconds.
const TIMER_TICK: Duration = Duration::from_secs(10);

/// The chain a `--network` flag names: `regtest`, `testnet`, `signet`, `bitcoin`
/// (or `mainnet`).
pub fn parse_network(s: &str) -> Result<Network, String> {
    match s {
        "regtest" => Ok(Network::Regtest),
        "testnet" => Ok(Network::Testnet),
        "signet" => Ok(Network::Signet),
        "bitcoin" | "mainnet" => Ok(Network::Bitcoin),
        _ => Err(format!(
            "unknown network {s:?}: use regtest, testnet, signet or bitcoin"
        )),
    }
}

/// What the node needs to start.
#[derive(Clone, Debug)]
pub struct NodeConfig {
    /// Where the node secret and the LDK log live (must exist).
    pub data_dir: PathBuf,
    /// Which chain we claim to be on.
    pub network: Network,
    /// How much any client may take.
    pub limits: Limits,
    /// The SOCKS5 proxy for outbound connections (`--proxy`), if any.
    pub proxy: Option<ProxyConfig>,
}

/// A SOCKS5 proxy for outbound connections: normally Tor's, `127.0.0.1:9050`.
///
/// Onion addresses always go through it (there is no other way to reach them); with
/// `always` every outbound connection does, IPv4, IPv6 and DNS names too, so no
/// peer ever sees this machine's own address (`--always-use-proxy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProxyConfig {
    /// Where the proxy listens.
    pub addr: SocketAddr,
    /// Send every outbound connection through it, not only onion addresses.
    pub always: bool,
}

/// What a stranger on the port may take: each has a default and a flag.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Connections accepted at once (both kinds); the next is refused.
    pub max_connections: usize,
    /// A netcat session that sends nothing for this long is closed.
    pub netcat_idle: Duration,
    /// The longest netcat line, in bytes.
    pub max_line: usize,
    /// Binary (non-text) lines in a row before a netcat session is closed.
    pub max_garbage_lines: u32,
    /// How often `timer_tick_occurred` runs (LDK asks for about 10 s).
    pub timer_tick: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 4096,
            netcat_idle: Duration::from_secs(3600),
            max_line: MAX_LINE,
            max_garbage_lines: 3,
            timer_tick: TIMER_TICK,
        }
    }
}
