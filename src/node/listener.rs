//! Accepting connections, and telling a lightning peer from a netcat user.
//!
//! One task per listening address runs `accept_loop`; each accepted connection
//! gets its own task, so a slow or silent client never holds up another (the point
//! of lesson 1). That task peeks at the first byte without consuming it:
//!
//! * `0x00` is the version byte of BOLT 8's act one, so the stream goes, untouched,
//!   to `lightning_net_tokio::setup_inbound` and LDK's `PeerManager`;
//! * anything else, or silence for [`SNIFF_TIMEOUT`], means a person with netcat:
//!   the stream becomes a plaintext [`netcat`](super::netcat) session.
//!
//! `listen` and `listen stop` ([`Node::listen`], [`Node::stop_listening`]) start
//! and abort those loops, and turn what the user typed into addresses to bind.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use std::sync::atomic::Ordering;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use super::bolt8::serve_lightning;
use super::contain::contained;
use super::error::{ListenError, NodeError};
use super::peers::Kind;
use super::shared::Shared;
use super::{ListenerHandle, Node};
use crate::events::{Direction, Event, PanickedTask, RefuseReason};

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
            let task = PanickedTask::Netcat(reg.id);
            let session = super::netcat::run(stream, remote, reg, Arc::clone(&shared));
            contained(&shared, task, None, session).await;
        }
    }
}

impl Node {
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
                    let task = tokio::spawn(accept_loop(Arc::clone(&self.shared), tcp, bound));
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

fn port_only(spec: &str) -> bool {
    spec.parse::<u16>().is_ok()
}

/// Turns a `listen` argument into addresses to try.
async fn resolve_listen_spec(spec: &str) -> Result<Vec<SocketAddr>, NodeError> {
    let spec = spec.trim();
    let port = spec.rsplit_once(':').map_or(spec, |(_, p)| p);
    if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_err()
    {
        return Err(ListenError::PortOutOfRange {
            spec: spec.to_string(),
            port: port.to_string(),
        }
        .into());
    }
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
