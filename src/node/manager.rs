//! The node's `ChannelManager` behind a gate, so that it can be replaced while the
//! node runs (by a rebuild in memory: [`super::rebuild`]), and what the swap needs
//! to keep: how many channels closed since, when it was done, and the payments
//! already announced, whose replays a read-back manager generates.
//!
//! **The gate.** Every use of the manager holds a read guard for its call
//! ([`Manager::get`]), and the rebuild takes the write side with `try_write`, which
//! never waits: when anything is using the manager, the rebuild waits for the next
//! chance. Because no writer ever waits, no reader ever queues behind one either,
//! so a thread that reads the gate twice cannot deadlock itself.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, TryLockError};
use std::time::{Duration, Instant};

use bitcoin::block::Header;
use lightning::chain::transaction::TransactionData;
use lightning::chain::{BestBlock, Listen};
use lightning::ln::channelmanager::PaymentId;
use lightning::ln::msgs::DecodeError;
use lightning::types::payment::PaymentHash;

use super::regtest::Follower;

/// At most one rebuild in this long: each replays the payments closed channels still
/// remember to their monitors, and ~490 bytes a closed channel can wait that long.
pub const REBUILD_INTERVAL: Duration = Duration::from_secs(30);

/// A manager (`T`: the node's `ChannelManager`, [`super::ldk::Manager`]), which a
/// rebuild may replace (see the module doc).
pub struct Manager<T> {
    current: RwLock<Arc<T>>,
    /// Channels closed since the last rebuild (or since the start).
    closed: AtomicU64,
    /// Rebuilds done.
    rebuilds: AtomicU64,
    /// When the last rebuild was done.
    last: Mutex<Option<Instant>>,
    /// The payments claimed, to know LDK's replays of them (see [`Manager::first_claim`]).
    claims: Mutex<Claims>,
}

/// A payment as LDK's `PaymentClaimed` names it: a replay names it the same way.
pub type Claim = (PaymentHash, Option<PaymentId>);

/// The `PaymentClaimed` events handled: `since` the last rebuild, and `before` it.
#[derive(Default)]
struct Claims {
    since: HashSet<Claim>,
    before: HashSet<Claim>,
}

/// The manager, held for one use: the gate stays shut to a rebuild while it lives.
pub type ManagerGuard<'a, T> = RwLockReadGuard<'a, Arc<T>>;

impl<T> Manager<T> {
    /// Holds `manager`.
    pub fn new(manager: T) -> Manager<T> {
        Manager {
            current: RwLock::new(Arc::new(manager)),
            closed: AtomicU64::new(0),
            rebuilds: AtomicU64::new(0),
            last: Mutex::new(None),
            claims: Mutex::new(Claims::default()),
        }
    }

    /// The manager, for one use. Keep the guard no longer than the use: a rebuild
    /// waits for every guard to go.
    pub fn get(&self) -> ManagerGuard<'_, T> {
        // A panic while a guard was held leaves the manager as LDK left it, and LDK
        // keeps its own state consistent under its own locks.
        self.current.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts a channel LDK has closed (a `ChannelClosed` event): the next time the
    /// manager has no channel, a rebuild lets its state go.
    pub fn channel_closed(&self) {
        self.closed.fetch_add(1, Ordering::Relaxed);
    }

    /// Whether a `PaymentClaimed` is news, rather than LDK's replay of one already
    /// handled. A manager read back generates `PaymentClaimed` again for every payment
    /// whose preimage a monitor still holds (channelmanager.rs: "we rely on the users'
    /// event handler being idempotent"), so each rebuild would announce some 70 old
    /// payments again, and count a lesson's exercise twice. Remembered: the claims
    /// handled since the last rebuild and before it. A replay comes in the first
    /// round of events after its rebuild, before the next rebuild can start (the event
    /// loop handles events before it tries one), and is kept for the next rebuild; a
    /// payment whose monitor was archived is not replayed, and is forgotten then.
    pub fn first_claim(&self, claim: Claim) -> bool {
        let mut claims = self.claims.lock().unwrap_or_else(|p| p.into_inner());
        // A replay moves from `before` to `since`: its monitor still holds it.
        let seen = claims.before.remove(&claim) | claims.since.contains(&claim);
        claims.since.insert(claim);
        !seen
    }

    /// How many claims are remembered to know replays by.
    pub fn claims_remembered(&self) -> usize {
        let claims = self.claims.lock().unwrap_or_else(|p| p.into_inner());
        claims.since.len() + claims.before.len()
    }

    /// How many rebuilds have been done.
    pub fn rebuilds(&self) -> u64 {
        self.rebuilds.load(Ordering::Relaxed)
    }

    /// Replaces the manager with what `build` makes of it, if some channel has closed
    /// since the last rebuild, the last was [`REBUILD_INTERVAL`] ago or more, and
    /// nothing is using the manager (the gate is taken with `try_write`, never waited
    /// for). `build` runs with the gate shut; it returns `None` when the manager has a
    /// channel (nothing is replaced), else the new manager and the size of what it was
    /// read from. After a swap, the claims handled so far are those a replay can name.
    pub fn rebuild_with(
        &self,
        build: impl FnOnce(&Arc<T>) -> Option<Result<(Arc<T>, usize), DecodeError>>,
    ) -> Rebuild {
        if self.closed.load(Ordering::Relaxed) == 0 {
            return Rebuild::NotNeeded;
        }
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if last.is_some_and(|t| t.elapsed() < REBUILD_INTERVAL) {
            return Rebuild::TooSoon;
        }
        let mut slot = match self.current.try_write() {
            Ok(slot) => slot,
            Err(TryLockError::WouldBlock) => return Rebuild::Busy,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
        };
        let Some(built) = build(&slot) else {
            return Rebuild::HasChannels;
        };
        let closed = self.closed.swap(0, Ordering::Relaxed);
        let (new, bytes) = match built {
            Ok(built) => built,
            Err(e) => return Rebuild::Failed(e),
        };
        {
            let mut claims = self.claims.lock().unwrap_or_else(|p| p.into_inner());
            claims.before = std::mem::take(&mut claims.since);
        }
        *slot = new;
        *last = Some(Instant::now());
        self.rebuilds.fetch_add(1, Ordering::Relaxed);
        Rebuild::Done { closed, bytes }
    }
}

/// The chain reaches the manager through the gate, so a block is never given to a
/// manager that is being written out (the new one would miss it, and LDK panics on
/// a block out of chain order).
impl<T: Listen> Listen for Manager<T> {
    fn filtered_block_connected(&self, header: &Header, txdata: &TransactionData, height: u32) {
        self.get().filtered_block_connected(header, txdata, height)
    }

    fn block_connected(&self, block: &bitcoin::Block, height: u32) {
        self.get().block_connected(block, height)
    }

    fn blocks_disconnected(&self, fork_point_block: BestBlock) {
        self.get().blocks_disconnected(fork_point_block)
    }
}

/// `inner` (the chain monitor) following the chain through the manager's gate: no
/// block reaches it while a rebuild holds its monitors (see [`super::rebuild`]).
pub fn gated<T: Send + Sync + 'static>(gate: &Arc<Manager<T>>, inner: Follower) -> Follower {
    Arc::new(Gated {
        gate: Arc::clone(gate),
        inner,
    })
}

struct Gated<T> {
    gate: Arc<Manager<T>>,
    inner: Follower,
}

impl<T> Listen for Gated<T> {
    fn filtered_block_connected(&self, header: &Header, txdata: &TransactionData, height: u32) {
        let _gate = self.gate.get();
        self.inner.filtered_block_connected(header, txdata, height)
    }

    fn block_connected(&self, block: &bitcoin::Block, height: u32) {
        let _gate = self.gate.get();
        self.inner.block_connected(block, height)
    }

    fn blocks_disconnected(&self, fork_point_block: BestBlock) {
        let _gate = self.gate.get();
        self.inner.blocks_disconnected(fork_point_block)
    }
}

/// What [`Manager::rebuild_with`] did.
#[derive(Debug)]
pub enum Rebuild {
    /// No channel has closed since the last rebuild: nothing to let go.
    NotNeeded,
    /// The last rebuild was less than [`REBUILD_INTERVAL`] ago.
    TooSoon,
    /// The manager has a channel (any state, funded or not): a rebuild would
    /// disturb it, so it waits until there is none.
    HasChannels,
    /// Something was using the manager; the next chance will do.
    Busy,
    /// Rebuilt: the new manager is in place.
    Done {
        /// Channels closed since the last rebuild, whose state is let go.
        closed: u64,
        /// The serialization's size, in bytes.
        bytes: usize,
    },
    /// LDK would not read its own serialization back; the old manager stays, and
    /// the next close tries again.
    Failed(DecodeError),
}
