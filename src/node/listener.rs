//! Accepting connections, and telling a lightning peer from a netcat user.
//!
//! One task per listening address runs [`accept_loop`]; each accepted connection
//! gets its own task, so a slow or silent client never holds up another (the point
//! of lesson 1). That task peeks at the first byte without consuming it:
//!
//! * `0x00` is the version byte of BOLT 8's act one, so the stream goes, untouched,
//!   to `lightning_net_tokio::setup_inbound` and LDK's `PeerManager`;
//! * anything else, or silence for [`SNIFF_TIMEOUT`], means a person with netcat:
//!   the stream becomes a plaintext [`crate::session`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bitcoin::secp256k1::PublicKey;
use lightning::types::features::InitFeatures;
use std::sync::atomic::Ordering;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use super::peers::{Kind, Registration};
use super::Shared;
use crate::events::{Direction, Event, RefuseReason};

/// How long a new client may stay silent before we decide it is a person.
///
/// A BOLT 8 initiator sends act one as soon as TCP is up, so its first byte arrives
/// within one round trip; a person at netcat sends nothing until they paste a line,
/// and must be greeted first.
pub const SNIFF_TIMEOUT: Duration = Duration::from_millis(500);

/// Accepts connections on `tcp` until the task is aborted.
pub(crate) async fn accept_loop(shared: Arc<Shared>, tcp: TcpListener, addr: SocketAddr) {
    let mut consecutive_errors = 0u32;
    loop {
        match tcp.accept().await {
            Ok((stream, remote)) => {
                consecutive_errors = 0;
                let Some(permit) = InboundPermit::take(&shared) else {
                    refuse(&shared, stream, remote).await;
                    continue;
                };
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    serve(shared, stream, remote).await;
                    drop(permit);
                });
            }
            Err(e) => {
                // Running out of file descriptors is the usual cause; back off rather
                // than spin, and give up only if it never recovers.
                consecutive_errors += 1;
                if consecutive_errors > 100 {
                    let _ = shared.events.send(Event::ListenerFailed {
                        addr,
                        error: Arc::new(e),
                    });
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// One inbound connection counted against `max_connections`; released on drop,
/// even if the connection's task panics.
struct InboundPermit(Arc<Shared>);

impl InboundPermit {
    fn take(shared: &Arc<Shared>) -> Option<InboundPermit> {
        let before = shared.inbound.fetch_add(1, Ordering::AcqRel);
        if before >= shared.limits.max_connections {
            shared.inbound.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(InboundPermit(Arc::clone(shared)))
    }
}

impl Drop for InboundPermit {
    fn drop(&mut self) {
        self.0.inbound.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Turns a connection away with one line saying why (a BOLT 8 initiator will just
/// see its handshake fail).
async fn refuse(shared: &Shared, mut stream: TcpStream, remote: SocketAddr) {
    let reason = RefuseReason::TooManyConnections(shared.limits.max_connections);
    let line = format!("lnshell: {reason}; try again later\n");
    // Never wait on a stranger: one try, then close.
    let _ = tokio::time::timeout(
        Duration::from_millis(100),
        stream.write_all(line.as_bytes()),
    )
    .await;
    let _ = shared.events.send(Event::Refused { remote, reason });
}

/// The words for a refusal: the refused client reads them, and the shell's
/// printer repeats them, so they are written once, here.
impl std::fmt::Display for RefuseReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefuseReason::TooManyConnections(max) => {
                write!(
                    f,
                    "too many connections ({max}, the --max-connections limit)"
                )
            }
            RefuseReason::SocketError(e) => write!(f, "socket error: {e}"),
        }
    }
}

/// Serves one accepted connection: sniff, then hand it to LDK or to a session.
async fn serve(shared: Arc<Shared>, stream: TcpStream, remote: SocketAddr) {
    let _ = stream.set_nodelay(true);
    let mut first = [0u8; 1];
    match tokio::time::timeout(SNIFF_TIMEOUT, stream.peek(&mut first)).await {
        // Connected and closed without a byte (`nc -z`, a port scanner): nothing to do.
        Ok(Ok(0)) | Ok(Err(_)) => {}
        Ok(Ok(_)) if first[0] == 0x00 => serve_lightning(shared, stream, remote).await,
        Ok(Ok(_)) | Err(_) => {
            let reg = shared
                .registry
                .register(Kind::Netcat, Direction::Inbound, remote);
            crate::session::run(stream, remote, reg, shared).await;
        }
    }
}

async fn serve_lightning(shared: Arc<Shared>, stream: TcpStream, remote: SocketAddr) {
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
        remote,
    });
    let conn = lightning_net_tokio::setup_inbound(Arc::clone(&shared.peer_manager), std_stream);
    drive_lightning(shared, reg, remote, conn, None).await;
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
    remote: SocketAddr,
    conn: impl std::future::Future<Output = ()>,
    mut on_ready: Option<oneshot::Sender<(PublicKey, InitFeatures)>>,
) {
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
        let reason = shared
            .logger
            .disconnect_reason(None, Duration::from_secs(2));
        let _ = shared.events.send(Event::LightningClosed {
            id: reg.id,
            remote,
            reason,
        });
    }
    drop(reg);
}
