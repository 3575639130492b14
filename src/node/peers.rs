//! One registry of every live connection, of both kinds.
//!
//! LDK's `PeerManager` knows only lightning peers that finished their handshake,
//! and knows nothing of netcat sessions. The learner wants one list, so each
//! connection registers here when it starts and is removed when its task ends, by
//! a guard's `Drop`, so even a task that panics leaves no ghost behind.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use bitcoin::secp256k1::PublicKey;
use tokio::sync::{watch, Notify};

use crate::events::{Direction, Endpoint};

/// What speaks on a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// BOLT 8 encrypted transport, handled by LDK's `PeerManager`.
    Lightning,
    /// A plaintext session: hex BOLT messages, one per line.
    Netcat,
}

impl Kind {
    /// `lightning` or `netcat`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Lightning => "lightning",
            Kind::Netcat => "netcat",
        }
    }
}

/// One live connection.
#[derive(Debug)]
pub struct Connection {
    /// Shown as `#id`.
    pub id: u64,
    /// Lightning or netcat.
    pub kind: Kind,
    /// Who opened it.
    pub direction: Direction,
    /// The socket's remote address (for a proxied connection, the proxy's).
    pub remote: SocketAddr,
    /// Where it goes: the address reached and the proxy it went through.
    pub endpoint: Endpoint,
    /// For an outbound lightning connection, the node id act one was encrypted to.
    pub expected: Option<PublicKey>,
    /// When it was accepted or opened.
    pub started: Instant,
    /// Lines (netcat) received so far.
    pub received: Arc<AtomicU64>,
    /// Wakes the task that owns the connection and asks it to close.
    pub close: Arc<Notify>,
    /// The peer's node id, once its BOLT 8 handshake and `init` are done.
    pub node_id: watch::Sender<Option<PublicKey>>,
}

/// The registry, shared by listeners, sessions and commands.
#[derive(Debug, Default)]
pub struct Registry {
    next_id: AtomicU64,
    conns: Mutex<BTreeMap<u64, Connection>>,
    /// Set by [`Registry::close_all`]: a session asked to close can then tell its
    /// client the shell is shutting down, not that one session was disconnected.
    shutting_down: AtomicBool,
}

/// Keeps a connection registered while alive; unregisters it when dropped.
#[derive(Debug)]
pub struct Registration {
    registry: Arc<Registry>,
    /// The connection's id.
    pub id: u64,
    /// Its received-counter.
    pub received: Arc<AtomicU64>,
    /// Its close request.
    pub close: Arc<Notify>,
    /// Becomes `Some` when the lightning peer has finished `init`.
    pub node_id: watch::Receiver<Option<PublicKey>>,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.id);
    }
}

impl Registry {
    /// A registry with ids starting at 1.
    pub fn new() -> Arc<Registry> {
        Arc::new(Registry {
            next_id: AtomicU64::new(1),
            conns: Mutex::new(BTreeMap::new()),
            shutting_down: AtomicBool::new(false),
        })
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<u64, Connection>> {
        // A panic while holding this lock cannot leave the map half-updated (every
        // critical section is a single insert/remove/clone), so poisoning is ignored.
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a new connection straight from or to `remote` and returns its guard.
    pub fn register(
        self: &Arc<Self>,
        kind: Kind,
        direction: Direction,
        remote: SocketAddr,
    ) -> Registration {
        self.insert(kind, direction, remote, Endpoint::direct(remote), None)
    }

    /// Registers an outbound lightning connection to `expected` at `endpoint`, whose
    /// socket is connected to `remote` (the proxy, for a proxied connection).
    pub fn register_outbound(
        self: &Arc<Self>,
        remote: SocketAddr,
        endpoint: Endpoint,
        expected: PublicKey,
    ) -> Registration {
        self.insert(
            Kind::Lightning,
            Direction::Outbound,
            remote,
            endpoint,
            Some(expected),
        )
    }

    fn insert(
        self: &Arc<Self>,
        kind: Kind,
        direction: Direction,
        remote: SocketAddr,
        endpoint: Endpoint,
        expected: Option<PublicKey>,
    ) -> Registration {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let received = Arc::new(AtomicU64::new(0));
        let close = Arc::new(Notify::new());
        let (node_id_tx, node_id_rx) = watch::channel(None);
        self.lock().insert(
            id,
            Connection {
                id,
                kind,
                direction,
                remote,
                endpoint,
                expected,
                started: Instant::now(),
                received: Arc::clone(&received),
                close: Arc::clone(&close),
                node_id: node_id_tx,
            },
        );
        Registration {
            registry: Arc::clone(self),
            id,
            received,
            close,
            node_id: node_id_rx,
        }
    }

    /// A snapshot of every live connection, by id.
    pub fn snapshot(&self) -> Vec<ConnectionView> {
        self.lock()
            .values()
            .map(|c| ConnectionView {
                id: c.id,
                kind: c.kind,
                direction: c.direction,
                remote: c.remote,
                endpoint: c.endpoint.clone(),
                connected_secs: c.started.elapsed().as_secs(),
                received: c.received.load(Ordering::Relaxed),
                node_id: *c.node_id.borrow(),
            })
            .collect()
    }

    /// Records that a lightning connection is peer `node_id` (its `init` has
    /// arrived); LDK says the peer's socket address was `remote`. Returns false if no
    /// such connection is registered.
    ///
    /// An outbound connection is found by the node id it expects, because every
    /// connection through one proxy has the same remote address, the proxy's; an
    /// inbound one by its remote address.
    pub fn mark_ready(&self, remote: SocketAddr, node_id: PublicKey) -> bool {
        let conns = self.lock();
        let waiting = |c: &&Connection| c.kind == Kind::Lightning && c.node_id.borrow().is_none();
        let found = conns
            .values()
            .filter(waiting)
            .find(|c| c.expected == Some(node_id))
            .or_else(|| {
                conns
                    .values()
                    .filter(waiting)
                    .find(|c| c.expected.is_none() && c.remote == remote)
            });
        match found {
            Some(c) => {
                c.node_id.send_replace(Some(node_id));
                true
            }
            None => false,
        }
    }

    /// Records that netcat session `id` is the plaintext peer `node_id`.
    pub fn set_node_id(&self, id: u64, node_id: PublicKey) {
        if let Some(c) = self.lock().get(&id) {
            c.node_id.send_replace(Some(node_id));
        }
    }

    /// Asks connection `id` to close. Returns its kind and remote address, or `None`
    /// if there is no such connection.
    pub fn request_close(&self, id: u64) -> Option<(Kind, SocketAddr)> {
        let conns = self.lock();
        let c = conns.get(&id)?;
        c.close.notify_one();
        Some((c.kind, c.remote))
    }

    /// Asks every connection to close: the node is shutting down.
    pub fn close_all(&self) {
        self.shutting_down.store(true, Ordering::Relaxed);
        for c in self.lock().values() {
            c.close.notify_one();
        }
    }

    /// Whether [`Registry::close_all`] was called.
    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::Relaxed)
    }

    /// How many live connections of `kind`.
    pub fn count(&self, kind: Kind) -> usize {
        self.lock().values().filter(|c| c.kind == kind).count()
    }
}

/// A copy of a connection's state at one instant.
#[derive(Clone, Debug)]
pub struct ConnectionView {
    /// Shown as `#id`.
    pub id: u64,
    /// Lightning or netcat.
    pub kind: Kind,
    /// Who opened it.
    pub direction: Direction,
    /// The socket's remote address (for a proxied connection, the proxy's).
    pub remote: SocketAddr,
    /// Where it goes, and through which proxy: what `peers` shows.
    pub endpoint: Endpoint,
    /// Seconds since it started.
    pub connected_secs: u64,
    /// Lines received (netcat).
    pub received: u64,
    /// The peer's node id (lightning, once `init` is done).
    pub node_id: Option<PublicKey>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_drop_unregisters() {
        let reg = Registry::new();
        let addr: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let a = reg.register(Kind::Netcat, Direction::Inbound, addr);
        let b = reg.register(Kind::Lightning, Direction::Outbound, addr);
        assert_eq!((a.id, b.id), (1, 2));
        assert_eq!(reg.count(Kind::Netcat), 1);
        drop(a);
        let ids: Vec<u64> = reg.snapshot().iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![2]);
        assert!(reg.request_close(1).is_none());
        assert_eq!(reg.request_close(2).map(|(k, _)| k), Some(Kind::Lightning));
    }

    /// Two connections through one proxy share the socket's remote address; each is
    /// found by the node id it expects, and an inbound one by its address.
    #[test]
    fn proxied_connections_are_told_apart_by_node_id() {
        let secp = bitcoin::secp256k1::Secp256k1::signing_only();
        let key = |b: u8| {
            let sk = bitcoin::secp256k1::SecretKey::from_slice(&[b; 32]).unwrap();
            PublicKey::from_secret_key(&secp, &sk)
        };
        let reg = Registry::new();
        let proxy: SocketAddr = "127.0.0.1:9050".parse().unwrap();
        let via = |port: u16| Endpoint {
            address: crate::wire::address::PeerAddress::Host {
                name: "example.com".into(),
                port,
            },
            proxy: Some(proxy),
        };
        let a = reg.register_outbound(proxy, via(1), key(1));
        let b = reg.register_outbound(proxy, via(2), key(2));
        let inbound = reg.register(Kind::Lightning, Direction::Inbound, proxy);
        assert!(reg.mark_ready(proxy, key(2)));
        assert_eq!(*b.node_id.borrow(), Some(key(2)));
        assert_eq!(*a.node_id.borrow(), None);
        assert!(reg.mark_ready(proxy, key(3)), "the inbound one, by address");
        assert_eq!(*inbound.node_id.borrow(), Some(key(3)));
        assert!(!reg.mark_ready(proxy, key(4)), "nothing left to match");
        let shown: Vec<String> = reg
            .snapshot()
            .iter()
            .map(|c| c.endpoint.to_string())
            .collect();
        assert_eq!(shown[0], "example.com:1 via proxy 127.0.0.1:9050");
    }
}
