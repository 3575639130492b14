//! BOLT 8 both ways: the connections we accept and the ones we open, side by side.
//!
//! LDK's `PeerManager` runs the protocol (the three acts of the Noise handshake,
//! then `init`); lightning-net-tokio moves the bytes between it and a socket. What
//! is left for us is the plumbing around them, and it is the same in both
//! directions, as in lightning-net-tokio's own `setup_inbound`/`setup_outbound`:
//!
//! * inbound ([`serve_lightning`]): the listener has sniffed a `0x00` (act one's
//!   version byte) and hands over the stream;
//! * outbound ([`Node::connect`]): resolve, open TCP, hand the stream over with the
//!   node id we expect (act one is encrypted to it), and wait, bounded, for `init`;
//! * both: [`drive_lightning`] runs the connection to its end, and
//!   [`match_ready_peers`] pairs each peer whose `init` arrived (LDK names the
//!   peer, not the connection) with its connection in the registry.
//!
//! `disconnect`, of either kind of connection, is here too.
//!
//! The room is named after the spec, `bolt8`, and not `lightning`: a module of
//! that name would shadow the `lightning` crate inside `node`, and a reader of
//! `lightning::ln::…` there could not tell LDK from this file.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bitcoin::secp256k1::PublicKey;
use lightning::ln::msgs::SocketAddress;
use lightning::types::features::InitFeatures;
use tokio::net::TcpStream;
use tokio::sync::oneshot;

use super::contain::contained;
use super::error::{ConnectError, DisconnectError, NodeError, TcpAttempt, TcpFailure};
use super::peers::{Kind, Registration, Registry};
use super::shared::{PeerManager, Shared};
use super::trace::feature_names;
use super::{Connected, Disconnected, Node};
use crate::events::{Direction, Endpoint, Event, PanickedTask, RefuseReason};
use crate::wire::address::PeerAddress;

/// A stream to the peer, and how it was reached.
struct Opened {
    stream: TcpStream,
    /// The socket's remote address: the peer's, or the proxy's.
    socket_peer: SocketAddr,
    endpoint: Endpoint,
    /// The addresses of a DNS name that failed before this one worked.
    failed: Vec<TcpAttempt>,
}

impl Node {
    /// Opens a BOLT 8 connection to `node_id` at `addr` and waits until the
    /// handshake and the `init` exchange are done, or `timeout` passes.
    ///
    /// An onion address goes through the proxy (`--proxy`), and with
    /// `--always-use-proxy` every address does; otherwise a DNS name is resolved
    /// here and each of its addresses tried in turn.
    pub async fn connect(
        &self,
        node_id: PublicKey,
        addr: &PeerAddress,
        timeout: Duration,
    ) -> Result<Connected, NodeError> {
        if node_id == self.node_id {
            return Err(ConnectError::OwnId.into());
        }
        if self.shared.peer_manager.peer_by_node_id(&node_id).is_some() {
            let at = self
                .shared
                .registry
                .snapshot()
                .into_iter()
                .find(|c| c.node_id == Some(node_id))
                .map(|c| Box::new(c.endpoint));
            return Err(ConnectError::AlreadyConnected { node_id, at }.into());
        }
        let started = tokio::time::Instant::now();
        let deadline = started + timeout;
        let opened = self.open_stream(addr, deadline, timeout).await?;
        let remote = opened.endpoint.clone();
        let std_stream = opened.stream.into_std().map_err(ConnectError::Socket)?;
        let reg =
            self.shared
                .registry
                .register_outbound(opened.socket_peer, remote.clone(), node_id);
        let conn_id = reg.id;
        let _ = self.shared.events.send(Event::LightningConnecting {
            id: conn_id,
            direction: Direction::Outbound,
            remote: remote.clone(),
        });
        let conn = lightning_net_tokio::setup_outbound(
            Arc::clone(&self.shared.peer_manager),
            node_id,
            std_stream,
        );
        let (done_tx, done_rx) = oneshot::channel();
        let shared = Arc::clone(&self.shared);
        let (task, node) = (PanickedTask::Lightning(reg.id), reg.node_id.clone());
        let drive = drive_lightning(
            Arc::clone(&shared),
            reg,
            remote.clone(),
            conn,
            Some(Outbound {
                node_id,
                started,
                ready: done_tx,
            }),
        );
        tokio::spawn(async move { contained(&shared, task, Some(node), drive).await });
        match tokio::time::timeout_at(deadline, done_rx).await {
            Ok(Ok((their_node_id, their_features))) => Ok(Connected {
                id: conn_id,
                node_id: their_node_id,
                features: feature_names(&their_features),
                endpoint: remote,
                failed: opened.failed,
            }),
            Ok(Err(_closed)) => {
                // LDK's log usually says why; during the handshake its records may not
                // name the peer yet.
                let logger = &self.shared.logger;
                let why = logger
                    .disconnect_reason(Some(node_id), Duration::from_secs(2))
                    .or_else(|| logger.disconnect_reason(None, Duration::from_secs(2)));
                // Without a word from LDK, act two tells a wrong node id (it never
                // came back) from a peer that knew itself and then left (init's rules).
                let handshake_done = logger.handshake_done(node_id, started.elapsed());
                Err(match why {
                    Some(why) => ConnectError::HandshakeEnded { remote, why },
                    None if handshake_done => ConnectError::ClosedAfterHandshake {
                        remote: Box::new(remote),
                        node_id,
                        network: self.network(),
                    },
                    None => ConnectError::HandshakeClosed {
                        remote: Box::new(remote),
                        node_id,
                    },
                }
                .into())
            }
            Err(_) => {
                self.shared.peer_manager.disconnect_by_node_id(node_id);
                Err(ConnectError::HandshakeTimeout { remote, timeout }.into())
            }
        }
    }

    /// A TCP stream that carries bytes to the peer at `addr`: straight, or through
    /// the proxy (past its SOCKS5 exchange).
    async fn open_stream(
        &self,
        addr: &PeerAddress,
        deadline: tokio::time::Instant,
        timeout: Duration,
    ) -> Result<Opened, ConnectError> {
        match (self.proxy, addr) {
            (Some(proxy), _) if proxy.always || addr.is_onion() => {
                let stream = super::proxy::open(proxy.addr, addr, deadline, timeout).await?;
                Ok(Opened {
                    stream,
                    socket_peer: proxy.addr,
                    endpoint: Endpoint {
                        address: addr.clone(),
                        proxy: Some(proxy.addr),
                    },
                    failed: Vec::new(),
                })
            }
            // Never resolved here: an onion name has no IP address, and asking the
            // local resolver for it would tell it where we are going.
            (_, PeerAddress::Onion { .. }) => Err(ConnectError::OnionNeedsProxy {
                address: addr.clone(),
            }),
            (_, PeerAddress::Ip(remote)) => {
                let stream = tcp_connect(*remote, deadline).await.map_err(|f| match f {
                    TcpFailure::Timeout => ConnectError::TcpTimeout {
                        remote: *remote,
                        timeout,
                    },
                    TcpFailure::Refused => ConnectError::Refused { remote: *remote },
                    TcpFailure::Other(e) => ConnectError::Unreachable {
                        remote: *remote,
                        source: Arc::try_unwrap(e)
                            .unwrap_or_else(|e| std::io::Error::new(e.kind(), e.to_string())),
                    },
                })?;
                Ok(Opened {
                    stream,
                    socket_peer: *remote,
                    endpoint: Endpoint::direct(*remote),
                    failed: Vec::new(),
                })
            }
            (_, PeerAddress::Host { .. }) => {
                let host = addr.to_string();
                let addrs = resolve_all(&host).await?;
                let (stream, remote, failed) = connect_first(&addrs, deadline)
                    .await
                    .map_err(|attempts| ConnectError::EveryAddressFailed { host, attempts })?;
                Ok(Opened {
                    stream,
                    socket_peer: remote,
                    endpoint: Endpoint::direct(remote),
                    failed,
                })
            }
        }
    }

    /// Disconnects connection `#id` (either kind).
    pub fn disconnect_id(&self, id: u64) -> Result<Disconnected, NodeError> {
        let row = self.peers().into_iter().find(|r| r.conn.id == id);
        match row {
            None => Err(DisconnectError::NoConnection { id }.into()),
            Some(row) if row.conn.kind == Kind::Lightning => match row.node_id {
                Some(node_id) => {
                    self.shared.peer_manager.disconnect_by_node_id(node_id);
                    Ok(Disconnected::Peer { id, node_id })
                }
                None => {
                    self.shared.registry.request_close(id);
                    Ok(Disconnected::Handshaking { id })
                }
            },
            Some(_) => {
                self.shared.registry.request_close(id);
                Ok(Disconnected::Netcat { id })
            }
        }
    }

    /// Disconnects the lightning peer with `node_id`.
    pub fn disconnect_node(&self, node_id: PublicKey) -> Result<Disconnected, NodeError> {
        if self.shared.peer_manager.peer_by_node_id(&node_id).is_none() {
            return Err(DisconnectError::NotConnected { node_id }.into());
        }
        self.shared.peer_manager.disconnect_by_node_id(node_id);
        Ok(Disconnected::Node { node_id })
    }
}

/// Hands an accepted stream whose first byte was `0x00` to LDK's `PeerManager`.
pub(crate) async fn serve_lightning(shared: Arc<Shared>, stream: TcpStream, remote: SocketAddr) {
    let std_stream = match stream.into_std() {
        Ok(s) => s,
        Err(e) => {
            let _ = shared.events.send(Event::Refused {
                remote,
                reason: RefuseReason::SocketError(Arc::new(e)),
            });
            return;
        }
    };
    let reg = shared
        .registry
        .register(Kind::Lightning, Direction::Inbound, remote);
    let _ = shared.events.send(Event::LightningConnecting {
        id: reg.id,
        direction: Direction::Inbound,
        remote: Endpoint::direct(remote),
    });
    let conn = lightning_net_tokio::setup_inbound(Arc::clone(&shared.peer_manager), std_stream);
    let (task, node) = (PanickedTask::Lightning(reg.id), reg.node_id.clone());
    let drive = drive_lightning(
        Arc::clone(&shared),
        reg,
        Endpoint::direct(remote),
        conn,
        None,
    );
    contained(&shared, task, Some(node), drive).await;
}

/// What an outbound connection's driver knows of the `connect` that opened it.
pub(crate) struct Outbound {
    /// The node id `connect` expects there.
    node_id: PublicKey,
    /// When `connect` began (LDK may finish the handshake before the driver runs).
    started: tokio::time::Instant,
    /// Told the peer's node id and features once `init` is done.
    ready: oneshot::Sender<(PublicKey, InitFeatures)>,
}

/// Runs a BOLT 8 connection to its end.
///
/// lightning-net-tokio does the I/O on tasks of its own; `conn` only completes when
/// the connection is gone. Meanwhile we wait for the node's matcher to tell us the
/// peer finished `init` (LDK's callback names the peer, not the connection, so the
/// matcher pairs them by address), to tell `connect` it is done; and we honour
/// `disconnect`.
pub(crate) async fn drive_lightning(
    shared: Arc<Shared>,
    reg: Registration,
    remote: Endpoint,
    conn: impl std::future::Future<Output = ()>,
    outbound: Option<Outbound>,
) {
    let expected = outbound.as_ref().map(|o| (o.node_id, o.started));
    let mut on_ready = outbound.map(|o| o.ready);
    tokio::pin!(conn);
    let close = Arc::clone(&reg.close);
    let mut ready = reg.node_id.clone();
    let mut node_id = None;
    let mut watching = true;
    loop {
        tokio::select! {
            _ = &mut conn => break,
            _ = close.notified() => {
                if let Some(id) = node_id {
                    shared.peer_manager.disconnect_by_node_id(id);
                }
            }
            changed = ready.changed(), if node_id.is_none() && watching => {
                if changed.is_err() {
                    watching = false;
                    continue;
                }
                let Some(id) = *ready.borrow_and_update() else { continue };
                node_id = Some(id);
                super::contain::test_panic(super::contain::Site::Peer);
                if let Some(tx) = on_ready.take() {
                    if let Some(details) = shared.peer_manager.peer_by_node_id(&id) {
                        let _ = tx.send((id, details.init_features));
                    }
                }
            }
        }
    }
    // The matcher may have marked the peer ready just as the connection ended.
    if node_id.is_none() {
        node_id = *ready.borrow();
    }
    if node_id.is_none() {
        let logger = &shared.logger;
        let reason = logger
            .disconnect_reason(None, Duration::from_secs(2))
            .or_else(|| {
                expected
                    .and_then(|(id, started)| logger.closed_after_handshake(id, started.elapsed()))
            });
        let _ = shared.events.send(Event::LightningClosed {
            id: reg.id,
            remote,
            reason,
        });
    }
    drop(reg);
}

/// Pairs each peer that finished `init` with its connection in the registry.
///
/// `PeerManager` names the peer (node id) but not the connection; the peer's
/// details carry the socket address, which does name the connection.
pub(crate) async fn match_ready_peers(
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

/// An IP socket address from LDK's form (onion and DNS addresses have none).
fn ip_socket_addr(a: &SocketAddress) -> Option<SocketAddr> {
    match a {
        SocketAddress::TcpIpV4 { addr, port } => Some(SocketAddr::from((*addr, *port))),
        SocketAddress::TcpIpV6 { addr, port } => Some(SocketAddr::from((*addr, *port))),
        _ => None,
    }
}

/// Resolves a `host:port` to every address it names, in the resolver's order.
async fn resolve_all(addr: &str) -> Result<Vec<SocketAddr>, ConnectError> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host(addr)
        .await
        .map_err(|e| ConnectError::Resolve {
            addr: addr.to_string(),
            source: e,
        })?
        .collect();
    if addrs.is_empty() {
        return Err(ConnectError::NoAddress {
            addr: addr.to_string(),
        });
    }
    Ok(addrs)
}

/// Opens TCP to `remote` by `deadline`.
async fn tcp_connect(
    remote: SocketAddr,
    deadline: tokio::time::Instant,
) -> Result<TcpStream, TcpFailure> {
    match tokio::time::timeout_at(deadline, TcpStream::connect(remote)).await {
        Err(_) => Err(TcpFailure::Timeout),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => Err(TcpFailure::Refused),
        Ok(Err(e)) => Err(TcpFailure::Other(Arc::new(e))),
        Ok(Ok(s)) => {
            let _ = s.set_nodelay(true);
            Ok(s)
        }
    }
}

/// Tries each address in turn until TCP connects: the stream, the address it
/// reached, and the ones that failed before it; or, if none connected, why each
/// failed. Stops at the deadline (the address it was trying then timed out).
pub(crate) async fn connect_first(
    addrs: &[SocketAddr],
    deadline: tokio::time::Instant,
) -> Result<(TcpStream, SocketAddr, Vec<TcpAttempt>), Vec<TcpAttempt>> {
    let mut failed = Vec::new();
    for &remote in addrs {
        match tcp_connect(remote, deadline).await {
            Ok(stream) => return Ok((stream, remote, failed)),
            Err(failure) => {
                let timed_out = matches!(failure, TcpFailure::Timeout);
                failed.push(TcpAttempt { remote, failure });
                if timed_out {
                    break;
                }
            }
        }
    }
    Err(failed)
}
