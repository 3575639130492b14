//! The node: LDK's `PeerManager`, fed by our listeners through `lightning-net-tokio`.
//!
//! This is LDK's "Connect to Peers" tutorial, running. A [`Node`] holds
//!
//! * the node secret ([`keys`]) and LDK's `KeysManager` built from it, which gives
//!   the node id every peer must know to reach us over BOLT 8;
//! * one `PeerManager`, which runs the BOLT 8 handshake and the BOLT 1 `init`
//!   exchange for every lightning connection; lightning-net-tokio drives its socket
//!   I/O, we only hand it a `TcpStream`;
//! * one accept loop per listening address ([`listener`]), which tells a BOLT 8
//!   peer from a netcat user by the first byte, so one port serves both;
//! * one registry of live connections of both kinds ([`peers`]);
//! * a timer task calling `timer_tick_occurred` every 10 s, as LDK requires: that
//!   is what pings idle peers and drops handshakes that never finish.
//!
//! Everything the node wants to say goes out as an [`Event`](crate::events::Event);
//! it never prints.
//!
//! This file is the face: the [`Node`] and the data its methods return. Each
//! concern behind it has a room of its own, and every import points down, from
//! the rooms that act on a `Node` to the parts it is made of:
//!
//! | room | what it owns |
//! |---|---|
//! | `builder` | [`Node::start`]: keys, LDK's managers, handlers, timers, wired once |
//! | [`listener`] | accept loops, sniffing the first byte, `listen` / `listen stop` |
//! | `bolt8` | BOLT 8 both ways: inbound, [`Node::connect`] (straight, each address of a DNS name in turn, or through the proxy), readiness, `disconnect` |
//! | [`netcat`] | plaintext sessions: a bounded line reader, hex in, summaries out |
//! | `channel_ops` | `openchannel`, `closechannel`, `forceclose`, `channels` |
//! | `chain_ops` | `mine`, `chain`, `confirm`, `keysend` |
//! | [`regtest`] | the shell's in-memory chain: mempool, blocks, every manager following it |
//! | [`plain`], [`your_side`], [`identities`] | netcat sessions as peers: typed messages both ways, the LDK node that plays "your side", and the keys it plays with, reused across sessions |
//! | [`channels`] | LDK's channel events, the funding transaction, open waiters and what they are told ([`PendingChannel`]: its words too; [`ClosedChannel`] is in [`error`], as the payload of an open that failed) |
//! | [`responder`] | "what would LDK answer to this `open_channel`?" |
//! | [`ldk`] | every LDK generic named once (`ChannelManager`…) and its constructor |
//! | `shared` | what connection tasks share, and the [`PeerManager`] alias |
//! | [`trace`] | the handlers in `PeerManager`'s slots: tracer, gossip, [`PeerWatcher`] |
//! | [`record`] | every conversation, kept trace on or off, bounded: what `diagram` draws |
//! | [`admission`] | guests: peers past LDK's limit for peers without channels |
//! | [`config`], [`error`] | what the node starts with; why an operation failed |
//! | [`proxy`] | SOCKS5 to a proxy (Tor) for onion addresses: fresh credentials per connection, every reply code in words |
//! | [`peers`], [`keys`], [`logger`], [`chain`] | registry, node secret, LDK's log, a chain that is not there |
//! | [`contain`] | a panic stays in its task: caught at each task's boundary, reported once |
//! | [`live`] | the marker that tells the next shell this one died with channels (they live in memory only) |
//!
//! ```no_run
//! # async fn demo() -> Result<(), lnshell::node::NodeError> {
//! use lnshell::node::{Node, NodeConfig};
//! let (events, _rx) = lnshell::events::channel();
//! let config = NodeConfig {
//!     data_dir: "/tmp/a".into(),
//!     network: bitcoin::Network::Regtest,
//!     limits: Default::default(),
//!     proxy: None,
//! };
//! let node = Node::start(config, events)?;
//! node.listen("127.0.0.1:9735").await?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

#[macro_use]
mod forward;
pub mod admission;
mod bolt8;
mod builder;
pub mod chain;
mod chain_ops;
mod channel_ops;
pub mod channels;
pub mod config;
pub mod contain;
pub mod error;
pub mod identities;
pub mod keys;
pub mod ldk;
pub mod listener;
pub mod live;
pub mod logger;
pub mod manager;
pub mod netcat;
pub mod peers;
pub mod plain;
pub mod proxy;
pub mod rebuild;
pub mod record;
pub mod regtest;
pub mod responder;
mod shared;
pub mod trace;
pub mod your_side;

pub use channels::PendingChannel;
pub use config::{parse_network, Limits, NodeConfig, ProxyConfig, DEFAULT_CONNECT_TIMEOUT};
pub use error::ClosedChannel;
pub use error::{
    ChannelError, ConnectError, DisconnectError, LdkApiError, ListenError, NodeError, OpenFailure,
    ProxyError, SocksReply, TcpAttempt, TcpFailure,
};
pub use shared::PeerManager;
pub(crate) use shared::Shared;
pub use trace::{feature_names, PeerWatcher};

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bitcoin::secp256k1::PublicKey;
use bitcoin::Network;
use lightning::ln::msgs::OpenChannel;
use lightning::ln::types::ChannelId;
use tokio::task::JoinHandle;

use logger::FileLogger;
use peers::Kind;

/// A live listener (started in [`listener`]).
struct ListenerHandle {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

/// A running node. Create it inside a tokio runtime with [`Node::start`].
pub struct Node {
    node_id: PublicKey,
    network: Network,
    data_dir: PathBuf,
    proxy: Option<ProxyConfig>,
    logger: Arc<FileLogger>,
    shared: Arc<Shared>,
    ldk: Arc<ldk::Ldk>,
    tracer: Arc<trace::Tracer>,
    admission: Arc<admission::Admission>,
    waiters: Arc<channels::OpenWaiters>,
    next_user_channel_id: std::sync::atomic::AtomicU64,
    listeners: Mutex<Vec<ListenerHandle>>,
    background: Vec<JoinHandle<()>>,
    chain: Arc<regtest::Chain>,
    /// Keeps the node's managers following the chain.
    _attached: regtest::Attached,
    /// The live-channels marker (see [`live`]).
    live: Arc<live::LiveMarker>,
    /// What the previous shell on this data dir left when it died with channels.
    lost_channels: Option<live::LostChannels>,
}

/// What `connect` reports once the handshake and `init` are done.
#[derive(Clone, Debug)]
pub struct Connected {
    /// The connection's id (`#n`).
    pub id: u64,
    /// The peer.
    pub node_id: PublicKey,
    /// Their `init` features, by name.
    pub features: Vec<String>,
    /// Where the connection went: the address reached, and the proxy, if any.
    pub endpoint: crate::events::Endpoint,
    /// For a DNS name, the addresses it resolved to that TCP failed to reach
    /// before one worked, in the order they were tried.
    pub failed: Vec<TcpAttempt>,
}

/// What `disconnect` did (the shell's views put it in words).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Disconnected {
    /// Connection `#id`, a lightning peer past its handshake, disconnected.
    Peer {
        /// The connection's id.
        id: u64,
        /// The peer.
        node_id: PublicKey,
    },
    /// Connection `#id` is still in its BOLT 8 handshake; it was asked to close.
    Handshaking {
        /// The connection's id.
        id: u64,
    },
    /// Netcat session `#id` was asked to close.
    Netcat {
        /// The session's id.
        id: u64,
    },
    /// The lightning peer named by its node id, disconnected.
    Node {
        /// The peer.
        node_id: PublicKey,
    },
}

/// What `openchannel` reports once the channel is pending.
#[derive(Clone, Debug)]
pub struct ChannelOpening {
    /// The id our `open_channel` carried (the real id comes with funding).
    pub temporary_channel_id: ChannelId,
    /// LDK's `ChannelPending` event, as data (its `Display` is the printer's words).
    pub pending: channels::PendingChannel,
}

/// A cooperative close has started: `shutdown` is on its way.
#[derive(Clone, Debug)]
pub struct ClosingChannel {
    /// The channel.
    pub channel_id: ChannelId,
    /// Who `shutdown` was sent to.
    pub counterparty: PublicKey,
}

/// A channel was force-closed (our latest commitment would be broadcast).
#[derive(Clone, Debug)]
pub struct ForceClosed {
    /// The channel.
    pub channel_id: ChannelId,
}

/// What the node holds now, counted: `info --json` reports it, so a long run (the
/// load tool's soak) can watch that nothing grows without bound.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gauges {
    /// Channels LDK's `ChannelManager` lists.
    pub channels: usize,
    /// Channel monitors LDK's `ChainMonitor` holds: a closed channel's stays until
    /// its funds are claimed and 4032 more blocks are mined (LDK's archival delay).
    pub monitors: usize,
    /// Messages the record keeps (see [`record`]), and the peers they are with.
    pub recorded_messages: usize,
    /// Peers the record keeps a conversation with.
    pub recorded_peers: usize,
    /// Events waiting for the printer.
    pub events_pending: usize,
    /// Netcat sessions that are peers of the node ("your side" nodes alive).
    pub session_nodes: usize,
    /// Keys of ended sessions' sides waiting for the next session (see
    /// [`identities::Identities`]).
    pub side_keys: usize,
    /// Chain monitors and channel managers following the shell's chain.
    pub chain_followers: usize,
    /// Times the `ChannelManager` was rebuilt in memory to let closed channels'
    /// state go (see [`rebuild`]).
    pub manager_rebuilds: u64,
    /// Payments claimed that are remembered, to tell LDK's replays of them after a
    /// rebuild from news (see [`manager::Manager::first_claim`]).
    pub claims_remembered: usize,
    /// Transactions in the shell's mempool.
    pub mempool: usize,
    /// Confirmed transactions the chain still remembers (at most a day of blocks':
    /// see [`regtest::REMEMBER_DEPTH`]).
    pub chain_txs: usize,
    /// The chain's height.
    pub height: u32,
}

/// One row of `peers`: a connection, with what LDK knows of it.
#[derive(Clone, Debug)]
pub struct PeerRow {
    /// The registry's view.
    pub conn: peers::ConnectionView,
    /// The node id, once the BOLT 8 handshake is done (lightning only).
    pub node_id: Option<PublicKey>,
    /// The features of their `init`, by name (lightning only).
    pub features: Vec<String>,
    /// Held as a guest: LDK's `ChannelManager` keeps no state for this peer
    /// (see [`admission`]).
    pub guest: bool,
}

impl Node {
    /// Our node id: what a peer needs, with an address, to `connect` to us.
    pub fn node_id(&self) -> PublicKey {
        self.node_id
    }

    /// The chain we are on.
    pub fn network(&self) -> Network {
        self.network
    }

    /// The SOCKS5 proxy for outbound connections (`--proxy`), if any.
    pub fn proxy(&self) -> Option<ProxyConfig> {
        self.proxy
    }

    /// The data dir.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// LDK's log.
    pub fn logger(&self) -> &FileLogger {
        &self.logger
    }

    /// The addresses we listen on, in the order they were started.
    pub fn listening(&self) -> Vec<SocketAddr> {
        self.lock_listeners().iter().map(|l| l.addr).collect()
    }

    fn lock_listeners(&self) -> std::sync::MutexGuard<'_, Vec<ListenerHandle>> {
        self.listeners.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every live connection, with node ids and `init` features for lightning
    /// peers that finished their handshake.
    pub fn peers(&self) -> Vec<PeerRow> {
        let pm = &self.shared.peer_manager;
        self.shared
            .registry
            .snapshot()
            .into_iter()
            .map(|mut conn| {
                let details = conn.node_id.and_then(|id| pm.peer_by_node_id(&id));
                // A netcat session counts its lines; a lightning peer, its messages.
                if let (Some(id), Kind::Lightning) = (conn.node_id, conn.kind) {
                    conn.received = self.tracer.received(&id);
                }
                PeerRow {
                    guest: conn.node_id.is_some_and(|id| self.admission.is_guest(&id)),
                    node_id: conn.node_id,
                    features: details
                        .map(|d| feature_names(&d.init_features))
                        .unwrap_or_default(),
                    conn,
                }
            })
            .collect()
    }

    /// What the node holds now, counted (see [`Gauges`]).
    pub fn gauges(&self) -> Gauges {
        let (recorded_messages, recorded_peers) = self.tracer.conversations().size();
        let chain = self.chain.view();
        Gauges {
            channels: self.ldk.cm().list_channels().len(),
            monitors: self.ldk.chain_monitor.list_monitors().len(),
            recorded_messages,
            recorded_peers,
            events_pending: self.shared.events.pending(),
            session_nodes: self.shared.plain.peers.len(),
            side_keys: self.shared.plain.identities.free(),
            chain_followers: self.chain.followers(),
            manager_rebuilds: self.ldk.channel_manager.rebuilds(),
            claims_remembered: self.ldk.channel_manager.claims_remembered(),
            mempool: chain.mempool.len(),
            chain_txs: chain.remembered,
            height: chain.height,
        }
    }

    /// Whether the previous shell on this data dir died (killed, crashed) with
    /// channels open: they lived in memory only, so they are gone (see [`live`]).
    pub fn lost_channels(&self) -> Option<live::LostChannels> {
        self.lost_channels
    }

    /// How many lightning peers are held as guests (see [`admission`]).
    pub fn guest_count(&self) -> usize {
        self.admission.guest_count()
    }

    /// How many live connections of each kind: (lightning, netcat).
    pub fn counts(&self) -> (usize, usize) {
        let r = &self.shared.registry;
        (r.count(Kind::Lightning), r.count(Kind::Netcat))
    }

    /// Turns the message trace on or off (for one peer, or all); `full`: whole
    /// field tables; `arrows`: each message drawn as an arrow.
    pub fn set_trace(&self, on: bool, full: bool, arrows: bool, only: Option<PublicKey>) {
        self.tracer.set(on, full, arrows, only);
    }

    /// (on, full, peer filter) of the trace.
    pub fn trace_state(&self) -> (bool, bool, Option<PublicKey>) {
        self.tracer.state()
    }

    /// What the record holds of `peer`: the messages both ways, oldest first
    /// (see [`record`] for what is kept and what cannot be seen).
    pub fn conversation(&self, peer: &PublicKey) -> record::Conversation {
        self.tracer.conversations().conversation(peer)
    }

    /// Every conversation the record holds, the one that started first first.
    pub fn conversations(&self) -> Vec<record::Conversation> {
        self.tracer.conversations().conversations()
    }

    /// How much the record keeps.
    pub fn record_limits(&self) -> record::Limits {
        self.tracer.conversations().limits()
    }

    /// The node id of connection `#id`, if it is a lightning peer past its handshake.
    pub fn node_id_of(&self, id: u64) -> Option<PublicKey> {
        self.peers()
            .into_iter()
            .find(|r| r.conn.id == id)
            .and_then(|r| r.node_id)
    }

    /// What LDK would answer to `msg`, from a throwaway `ChannelManager`.
    pub fn respond(&self, msg: &OpenChannel) -> responder::Answer {
        self.shared.respond(msg)
    }

    /// Stops listeners, disconnects every peer and session, and waits (briefly)
    /// for their tasks to finish.
    pub async fn shutdown(&self) {
        for l in self.lock_listeners().drain(..) {
            l.task.abort();
        }
        self.shared.peer_manager.disconnect_all_peers();
        self.shared.registry.close_all();
        let deadline = tokio::time::Instant::now() + Duration::from_millis(500);
        while self
            .shared
            .registry
            .snapshot()
            .iter()
            .any(|c| c.kind == Kind::Netcat)
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        for task in &self.background {
            task.abort();
        }
        // A clean exit: the next shell has nothing to warn about.
        self.live.clear();
        self.logger.flush();
    }
}

#[cfg(test)]
mod tests;
