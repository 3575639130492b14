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
//! Everything the node wants to say goes out as an [`Event`]; it never prints.
//!
//! ```no_run
//! # async fn demo() -> Result<(), lnshell::node::NodeError> {
//! use lnshell::node::{Node, NodeConfig};
//! let (events, _rx) = lnshell::events::channel();
//! let config = NodeConfig {
//!     data_dir: "/tmp/a".into(),
//!     network: bitcoin::Network::Regtest,
//!     limits: Default::default(),
//! };
//! let node = Node::start(config, events)?;
//! node.listen("127.0.0.1:9735").await?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

#[macro_use]
mod forward;
pub mod admission;
pub mod chain;
pub mod channels;
pub mod config;
pub mod error;
pub mod keys;
pub mod ldk;
pub mod listener;
pub mod logger;
pub mod netcat;
pub mod peers;
mod shared;
pub mod trace;

pub use config::{Limits, NodeConfig, DEFAULT_CONNECT_TIMEOUT};
pub use error::{ChannelError, ConnectError, DisconnectError, LdkApiError, ListenError, NodeError};
pub use shared::PeerManager;
pub(crate) use shared::Shared;
pub use trace::{feature_names, PeerWatcher};

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bitcoin::secp256k1::rand::{self, RngCore};
use bitcoin::secp256k1::PublicKey;
use bitcoin::Network;
use lightning::ln::msgs::SocketAddress;
use lightning::ln::peer_handler::{IgnoringMessageHandler, MessageHandler};
use lightning::sign::{KeysManager, NodeSigner, Recipient};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::events::{Direction, Event, EventSender};
use logger::FileLogger;
use peers::{Kind, Registry};

/// A live listener.
struct ListenerHandle {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

/// A running node. Create it inside a tokio runtime with [`Node::start`].
pub struct Node {
    node_id: PublicKey,
    network: Network,
    data_dir: PathBuf,
    logger: Arc<FileLogger>,
    shared: Arc<Shared>,
    ldk: Arc<ldk::Ldk>,
    tracer: Arc<trace::Tracer>,
    admission: Arc<admission::Admission>,
    waiters: Arc<channels::OpenWaiters>,
    next_user_channel_id: std::sync::atomic::AtomicU64,
    listeners: Mutex<Vec<ListenerHandle>>,
    background: Vec<JoinHandle<()>>,
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
    /// Loads or creates the node secret and starts the `PeerManager`, the
    /// `ChannelManager` and their background tasks. Listeners are started separately
    /// with [`Node::listen`].
    ///
    /// Must be called from within a tokio runtime.
    pub fn start(config: NodeConfig, events: EventSender) -> Result<Node, NodeError> {
        let (secret, _created) = keys::load_or_create(&config.data_dir)?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        // The fourth argument opts in to LDK 0.2's v2 remote key derivation; it only
        // matters once channels exist, and new nodes should take it.
        let keys_manager = Arc::new(KeysManager::new(
            &secret,
            now.as_secs(),
            now.subsec_nanos(),
            true,
        ));
        let node_id = keys_manager
            .get_node_id(Recipient::Node)
            .map_err(|()| keys::KeyError::NodeId)?;
        let logger = Arc::new(FileLogger::open(&config.data_dir));
        let ldk = Arc::new(ldk::build(
            Arc::clone(&keys_manager),
            config.network,
            Arc::clone(&logger),
            events.clone(),
        ));
        let tracer = Arc::new(trace::Tracer::new(events.clone()));
        let admission = Arc::new(admission::Admission::new(
            Arc::clone(&ldk.channel_manager),
            events.clone(),
        ));
        let (ready_tx, ready_rx) = tokio::sync::mpsc::unbounded_channel();
        let mut ephemeral = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut ephemeral);
        let handlers = MessageHandler {
            chan_handler: Arc::new(trace::TracingChannelHandler {
                inner: Arc::clone(&admission),
                tracer: Arc::clone(&tracer),
            }),
            route_handler: Arc::new(trace::GossipObserver {
                tracer: Arc::clone(&tracer),
            }),
            onion_message_handler: Arc::new(IgnoringMessageHandler {}),
            custom_message_handler: Arc::new(PeerWatcher::new(
                events.clone(),
                Arc::clone(&logger),
                ready_tx,
            )),
            send_only_message_handler: Arc::new(IgnoringMessageHandler {}),
        };
        let peer_manager = Arc::new(PeerManager::new(
            handlers,
            now.as_secs() as u32,
            &ephemeral,
            Arc::clone(&logger),
            keys_manager,
        ));
        let waiters: Arc<channels::OpenWaiters> = Arc::default();
        let timer = {
            let tick = config.limits.timer_tick;
            let pm = Arc::clone(&peer_manager);
            let cm = Arc::clone(&ldk.channel_manager);
            let logger = Arc::clone(&logger);
            tokio::spawn(async move {
                let mut interval = tokio::time::interval(tick);
                interval.tick().await;
                loop {
                    interval.tick().await;
                    pm.timer_tick_occurred();
                    cm.timer_tick_occurred();
                    pm.process_events();
                    logger.flush();
                }
            })
        };
        // Wake on LDK's own future rather than poll: each protocol step then follows
        // the previous one at once instead of up to a polling interval later.
        let event_loop = {
            let pm = Arc::clone(&peer_manager);
            let ldk = Arc::clone(&ldk);
            let events = events.clone();
            let waiters = Arc::clone(&waiters);
            tokio::spawn(async move {
                loop {
                    let wake = ldk.channel_manager.get_event_or_persistence_needed_future();
                    // The chain monitor has no future of its own here; a slow tick covers it.
                    let _ = tokio::time::timeout(Duration::from_secs(1), wake).await;
                    channels::process_events(&ldk, &events, &waiters);
                    pm.process_events();
                }
            })
        };
        let registry = Registry::new();
        let matcher = tokio::spawn(match_ready_peers(
            ready_rx,
            Arc::clone(&peer_manager),
            Arc::clone(&registry),
        ));
        Ok(Node {
            node_id,
            network: config.network,
            data_dir: config.data_dir,
            logger: Arc::clone(&logger),
            shared: Arc::new(Shared::new(
                peer_manager,
                logger,
                registry,
                events,
                config.limits.clone(),
                secret,
                config.network,
            )),
            ldk,
            tracer,
            admission,
            waiters,
            next_user_channel_id: std::sync::atomic::AtomicU64::new(1),
            listeners: Mutex::new(Vec::new()),
            background: vec![timer, event_loop, matcher],
        })
    }

    /// Our node id: what a peer needs, with an address, to `connect` to us.
    pub fn node_id(&self) -> PublicKey {
        self.node_id
    }

    /// The chain we are on.
    pub fn network(&self) -> Network {
        self.network
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

    /// Starts listening on `spec`: a port (`9736`, meaning 127.0.0.1:9736) or an
    /// address (`127.0.0.1:9736`, `[::1]:9736`, `localhost:9736`). Port 0 picks a free
    /// port. Returns the address actually bound.
    pub async fn listen(&self, spec: &str) -> Result<SocketAddr, NodeError> {
        let candidates = resolve_listen_spec(spec).await?;
        let mut last_err = None;
        for addr in candidates {
            if self.listening().contains(&addr) {
                return Err(ListenError::AlreadyListening { addr }.into());
            }
            match bind_listener(addr) {
                Ok(tcp) => {
                    let bound = tcp.local_addr().unwrap_or(addr);
                    let task =
                        tokio::spawn(listener::accept_loop(Arc::clone(&self.shared), tcp, bound));
                    self.lock_listeners()
                        .push(ListenerHandle { addr: bound, task });
                    return Ok(bound);
                }
                Err(e) => last_err = Some((addr, e)),
            }
        }
        Err(match last_err {
            Some((addr, e)) => ListenError::bind(addr, e).into(),
            None => ListenError::NoAddress {
                spec: spec.to_string(),
            }
            .into(),
        })
    }

    /// Stops the listener on `spec` (same forms as [`Node::listen`]). Connections
    /// it accepted stay up.
    pub async fn stop_listening(&self, spec: &str) -> Result<SocketAddr, NodeError> {
        let candidates = resolve_listen_spec(spec).await?;
        let mut listeners = self.lock_listeners();
        let pos = listeners.iter().position(|l| {
            candidates.contains(&l.addr)
                || (port_only(spec) && candidates.iter().any(|c| c.port() == l.addr.port()))
        });
        match pos {
            Some(i) => {
                let l = listeners.remove(i);
                l.task.abort();
                Ok(l.addr)
            }
            None => Err(ListenError::NotListening {
                spec: spec.to_string(),
                listening: listeners.iter().map(|l| l.addr).collect(),
            }
            .into()),
        }
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
                if let Some(id) = conn.node_id {
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

    /// How many lightning peers are held as guests (see [`admission`]).
    pub fn guest_count(&self) -> usize {
        self.admission.guest_count()
    }

    /// How many live connections of each kind: (lightning, netcat).
    pub fn counts(&self) -> (usize, usize) {
        let r = &self.shared.registry;
        (r.count(Kind::Lightning), r.count(Kind::Netcat))
    }

    /// Opens a BOLT 8 connection to `node_id` at `addr` (`host:port`) and waits
    /// until the handshake and the `init` exchange are done, or `timeout` passes.
    pub async fn connect(
        &self,
        node_id: PublicKey,
        addr: &str,
        timeout: Duration,
    ) -> Result<Connected, NodeError> {
        if node_id == self.node_id {
            return Err(ConnectError::OwnId.into());
        }
        if let Some(details) = self.shared.peer_manager.peer_by_node_id(&node_id) {
            return Err(ConnectError::AlreadyConnected {
                node_id,
                at: details.socket_address,
            }
            .into());
        }
        let deadline = tokio::time::Instant::now() + timeout;
        let remote = resolve_one(addr).await?;
        let stream =
            match tokio::time::timeout_at(deadline, tokio::net::TcpStream::connect(remote)).await {
                Err(_) => return Err(ConnectError::TcpTimeout { remote, timeout }.into()),
                Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                    return Err(ConnectError::Refused { remote }.into())
                }
                Ok(Err(e)) => return Err(ConnectError::Unreachable { remote, source: e }.into()),
                Ok(Ok(s)) => s,
            };
        let _ = stream.set_nodelay(true);
        let std_stream = stream.into_std().map_err(ConnectError::Socket)?;
        let reg = self
            .shared
            .registry
            .register(Kind::Lightning, Direction::Outbound, remote);
        let conn_id = reg.id;
        let _ = self.shared.events.send(Event::LightningConnecting {
            id: conn_id,
            direction: Direction::Outbound,
            remote,
        });
        let conn = lightning_net_tokio::setup_outbound(
            Arc::clone(&self.shared.peer_manager),
            node_id,
            std_stream,
        );
        let (done_tx, done_rx) = oneshot::channel();
        tokio::spawn(listener::drive_lightning(
            Arc::clone(&self.shared),
            reg,
            remote,
            conn,
            Some(done_tx),
        ));
        match tokio::time::timeout_at(deadline, done_rx).await {
            Ok(Ok((their_node_id, their_features))) => Ok(Connected {
                id: conn_id,
                node_id: their_node_id,
                features: feature_names(&their_features),
            }),
            Ok(Err(_closed)) => {
                // LDK's log usually says why; during the handshake its records may not
                // name the peer yet.
                let logger = &self.shared.logger;
                let why = logger
                    .disconnect_reason(Some(node_id), Duration::from_secs(2))
                    .or_else(|| logger.disconnect_reason(None, Duration::from_secs(2)));
                Err(match why {
                    Some(why) => ConnectError::HandshakeEnded { remote, why },
                    None => ConnectError::HandshakeClosed { remote, node_id },
                }
                .into())
            }
            Err(_) => {
                self.shared.peer_manager.disconnect_by_node_id(node_id);
                Err(ConnectError::HandshakeTimeout { remote, timeout }.into())
            }
        }
    }

    /// Disconnects connection `#id` (either kind).
    pub fn disconnect_id(&self, id: u64) -> Result<String, NodeError> {
        let row = self.peers().into_iter().find(|r| r.conn.id == id);
        match row {
            None => Err(DisconnectError::NoConnection { id }.into()),
            Some(row) if row.conn.kind == Kind::Lightning => match row.node_id {
                Some(node_id) => {
                    self.shared.peer_manager.disconnect_by_node_id(node_id);
                    Ok(format!("disconnected #{id} ({node_id})"))
                }
                None => {
                    self.shared.registry.request_close(id);
                    Ok(format!(
                        "#{id} is still in its BOLT 8 handshake; asked it to close"
                    ))
                }
            },
            Some(_) => {
                self.shared.registry.request_close(id);
                Ok(format!("closed netcat session #{id}"))
            }
        }
    }

    /// Disconnects the lightning peer with `node_id`.
    pub fn disconnect_node(&self, node_id: PublicKey) -> Result<String, NodeError> {
        if self.shared.peer_manager.peer_by_node_id(&node_id).is_none() {
            return Err(DisconnectError::NotConnected { node_id }.into());
        }
        self.shared.peer_manager.disconnect_by_node_id(node_id);
        Ok(format!("disconnected {node_id}"))
    }

    /// Turns the message trace on or off (for one peer, or all).
    pub fn set_trace(&self, on: bool, full: bool, only: Option<PublicKey>) {
        self.tracer.set(on, full, only);
    }

    /// (on, full, peer filter) of the trace.
    pub fn trace_state(&self) -> (bool, bool, Option<PublicKey>) {
        self.tracer.state()
    }

    /// The node id of connection `#id`, if it is a lightning peer past its handshake.
    pub fn node_id_of(&self, id: u64) -> Option<PublicKey> {
        self.peers()
            .into_iter()
            .find(|r| r.conn.id == id)
            .and_then(|r| r.node_id)
    }

    /// Opens a channel of `sats` to a connected peer and waits until it is pending
    /// (or refused, or [`channels::OPEN_TIMEOUT`] passes).
    pub async fn open_channel(
        &self,
        peer: PublicKey,
        sats: u64,
        push_msat: u64,
    ) -> Result<String, NodeError> {
        if self.shared.peer_manager.peer_by_node_id(&peer).is_none() {
            return Err(ChannelError::NotConnected { peer }.into());
        }
        // A guest is unknown to the ChannelManager until it is handed over; the
        // user asking for a channel is reason enough (LDK's limit is for strangers).
        self.admission.admit(&peer, false);
        let user_channel_id = u128::from(
            self.next_user_channel_id
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        );
        let (tx, rx) = oneshot::channel();
        self.waiters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(user_channel_id, tx);
        let created = self.ldk.channel_manager.create_channel(
            peer,
            sats,
            push_msat,
            user_channel_id,
            None,
            None,
        );
        let temp_id = match created {
            Ok(id) => id,
            Err(e) => {
                self.waiters
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&user_channel_id);
                return Err(ChannelError::OpenRefused(e.into()).into());
            }
        };
        self.shared.peer_manager.process_events();
        match tokio::time::timeout(channels::OPEN_TIMEOUT, rx).await {
            Ok(Ok(Ok(text))) => Ok(format!("open_channel {temp_id} sent; {text}")),
            Ok(Ok(Err(text))) => Err(ChannelError::OpenFailed(text).into()),
            Ok(Err(_)) => Err(ChannelError::Stopped.into()),
            Err(_) => {
                self.waiters
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&user_channel_id);
                Err(ChannelError::OpenTimeout {
                    temporary_channel_id: temp_id,
                    timeout: channels::OPEN_TIMEOUT,
                }
                .into())
            }
        }
    }

    /// Every channel LDK knows.
    pub fn channels(&self) -> Vec<lightning::ln::channel_state::ChannelDetails> {
        self.ldk.channel_manager.list_channels()
    }

    /// Finds a channel by id or a unique prefix of it.
    fn find_channel(
        &self,
        id: &str,
    ) -> Result<lightning::ln::channel_state::ChannelDetails, NodeError> {
        let id = id.trim().to_ascii_lowercase();
        let mut found: Vec<_> = self
            .channels()
            .into_iter()
            .filter(|c| c.channel_id.to_string().starts_with(&id))
            .collect();
        match found.len() {
            0 => Err(ChannelError::NoChannel { id }.into()),
            1 => Ok(found.remove(0)),
            n => Err(ChannelError::Ambiguous { id, matches: n }.into()),
        }
    }

    /// Starts a cooperative close (`shutdown`).
    pub fn close_channel(&self, id: &str) -> Result<String, NodeError> {
        let c = self.find_channel(id)?;
        self.ldk
            .channel_manager
            .close_channel(&c.channel_id, &c.counterparty.node_id)
            .map_err(|e| ChannelError::Ldk(e.into()))?;
        self.shared.peer_manager.process_events();
        Ok(format!(
            "cooperative close of {} started: shutdown sent to {}",
            c.channel_id, c.counterparty.node_id
        ))
    }

    /// Force-closes a channel (our latest commitment would be broadcast).
    pub fn force_close(&self, id: &str) -> Result<String, NodeError> {
        let c = self.find_channel(id)?;
        self.ldk
            .channel_manager
            .force_close_broadcasting_latest_txn(
                &c.channel_id,
                &c.counterparty.node_id,
                "force-closed from lnshell".into(),
            )
            .map_err(|e| ChannelError::Ldk(e.into()))?;
        self.shared.peer_manager.process_events();
        Ok(format!("force-closed {}", c.channel_id))
    }

    /// What LDK would answer to `msg`, from a throwaway `ChannelManager`.
    pub fn respond(&self, msg: &lightning::ln::msgs::OpenChannel) -> channels::Answer {
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
        self.logger.flush();
    }
}

/// Pairs each peer that finished `init` with its connection in the registry.
///
/// `PeerManager` names the peer (node id) but not the connection; the peer's
/// details carry the socket address, which does name the connection.
async fn match_ready_peers(
    mut ready: tokio::sync::mpsc::UnboundedReceiver<PublicKey>,
    pm: Arc<PeerManager>,
    registry: Arc<Registry>,
) {
    while let Some(node_id) = ready.recv().await {
        // One task per peer: a peer that left at once must not hold up the others.
        let pm = Arc::clone(&pm);
        let registry = Arc::clone(&registry);
        tokio::spawn(async move {
            // LDK records the peer's features right after our handler returns; if we
            // got here first, yield a few times and look again.
            for _ in 0..8 {
                let addr = pm
                    .peer_by_node_id(&node_id)
                    .and_then(|d| d.socket_address)
                    .and_then(|a| ip_socket_addr(&a));
                if let Some(addr) = addr {
                    if registry.mark_ready(addr, node_id) {
                        return;
                    }
                }
                tokio::task::yield_now().await;
            }
        });
    }
}

/// The accept queue: mio's default (128) overflows when a thousand clients knock at
/// once, and each overflow costs the client a SYN retry (a second or more).
const LISTEN_BACKLOG: u32 = 4096;

/// Binds a listening socket with a deep accept queue.
fn bind_listener(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    // As std's TcpListener does on Unix: a restarted shell can bind its port again
    // at once, while a port another process listens on still fails.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// An IP socket address from LDK's form (onion and DNS addresses have none).
fn ip_socket_addr(a: &SocketAddress) -> Option<SocketAddr> {
    match a {
        SocketAddress::TcpIpV4 { addr, port } => Some(SocketAddr::from((*addr, *port))),
        SocketAddress::TcpIpV6 { addr, port } => Some(SocketAddr::from((*addr, *port))),
        _ => None,
    }
}

fn port_only(spec: &str) -> bool {
    spec.parse::<u16>().is_ok()
}

/// Turns a `listen` argument into addresses to try.
async fn resolve_listen_spec(spec: &str) -> Result<Vec<SocketAddr>, NodeError> {
    let spec = spec.trim();
    if let Ok(port) = spec.parse::<u16>() {
        return Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))]);
    }
    if let Ok(addr) = spec.parse::<SocketAddr>() {
        return Ok(vec![addr]);
    }
    match tokio::net::lookup_host(spec).await {
        Ok(addrs) => Ok(addrs.collect()),
        Err(e) => Err(ListenError::Resolve {
            spec: spec.to_string(),
            source: e,
        }
        .into()),
    }
}

/// Resolves a `host:port` to connect to.
async fn resolve_one(addr: &str) -> Result<SocketAddr, NodeError> {
    if let Ok(a) = addr.parse::<SocketAddr>() {
        return Ok(a);
    }
    let mut addrs = tokio::net::lookup_host(addr)
        .await
        .map_err(|e| ConnectError::Resolve {
            addr: addr.to_string(),
            source: e,
        })?;
    addrs.next().ok_or_else(|| {
        ConnectError::NoAddress {
            addr: addr.to_string(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests;
