//! The node's `ChannelManager` behind a gate, and rebuilt in memory once it has
//! no channel left.
//!
//! **Why.** LDK 0.2.7's `ChannelManager` keeps a little state for every channel it
//! has closed: the channel's last monitor update id (`closed_channel_monitor_update_ids`)
//! and the emptied entry of its in-flight monitor updates, about 490 bytes a channel
//! (measured with heaptrack; README, "Reliability"). It lets them go only when it is
//! read back from its own serialization, so a node that restarts now and then never
//! notices. This node keeps its channels in memory and never restarts: a shell left
//! open all afternoon, with channels opening and closing, grew by that much for
//! every channel, and LDK kept a `PeerState` for every peer that ever had one.
//!
//! **What.** When the manager has no channel (so nothing a rebuild could disturb),
//! and some have closed since the last rebuild, the node does what a restart does,
//! without the disk: it writes the manager out, reads it back with LDK's
//! `ChannelManagerReadArgs` and every monitor the `ChainMonitor` still holds (as a
//! node reads them from disk at start-up), and puts the new manager in the old one's place. Read
//! back, LDK keeps the closed-channel state only for the monitors still held, and
//! those are let go 4032 blocks after their funds are claimed. What a restart
//! would lose is carried over by whoever holds the connections ([`rebuild_if_idle`]'s
//! `carry_over`, the node's `Admission`): the peers still connected are introduced
//! to the new manager again, and the messages the old one had queued are sent. The
//! keys, so the node id, the chain position, the payments it remembers and events
//! not yet handled are all in the serialization.
//!
//! **The gate.** Every use of the manager holds a read guard for its call
//! ([`Manager::get`]), and the rebuild takes the write side with `try_write`, which
//! never waits: when anything is using the manager, the rebuild waits for the next
//! chance. Because no writer ever waits, no reader ever queues behind one either,
//! so a thread that reads the gate twice cannot deadlock itself.

use std::collections::HashSet;
use std::io::Cursor;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, TryLockError};
use std::time::{Duration, Instant};

use bitcoin::block::Header;
use bitcoin::BlockHash;
use lightning::chain::transaction::TransactionData;
use lightning::chain::{BestBlock, Listen};
use lightning::ln::channelmanager::{ChannelManagerReadArgs, PaymentId};
use lightning::ln::msgs::MessageSendEvent;
use lightning::ln::msgs::{BaseMessageHandler, DecodeError};
use lightning::types::payment::PaymentHash;
use lightning::util::ser::{ReadableArgs, Writeable};

use super::regtest::Follower;

use super::ldk::{ChannelManager, Ldk};

/// At most one rebuild in this long: each replays the payments closed channels still
/// remember to their monitors, and ~490 bytes a closed channel can wait that long.
pub const REBUILD_INTERVAL: Duration = Duration::from_secs(30);

/// The node's `ChannelManager`, which a rebuild may replace (see the module doc).
pub struct Manager {
    current: RwLock<Arc<ChannelManager>>,
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
pub type ManagerGuard<'a> = RwLockReadGuard<'a, Arc<ChannelManager>>;

impl Manager {
    /// Holds `cm`.
    pub fn new(cm: ChannelManager) -> Manager {
        Manager {
            current: RwLock::new(Arc::new(cm)),
            closed: AtomicU64::new(0),
            rebuilds: AtomicU64::new(0),
            last: Mutex::new(None),
            claims: Mutex::new(Claims::default()),
        }
    }

    /// The manager, for one use. Keep the guard no longer than the use: a rebuild
    /// waits for every guard to go.
    pub fn get(&self) -> ManagerGuard<'_> {
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
}

/// The chain reaches the manager through the gate, so a block is never given to a
/// manager that is being written out (the new one would miss it, and LDK panics on
/// a block out of chain order).
impl Listen for Manager {
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
/// block reaches it while a rebuild holds its monitors (see [`rebuild_if_idle`]).
pub fn gated(gate: &Arc<Manager>, inner: Follower) -> Follower {
    Arc::new(Gated {
        gate: Arc::clone(gate),
        inner,
    })
}

struct Gated {
    gate: Arc<Manager>,
    inner: Follower,
}

impl Listen for Gated {
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

/// What [`rebuild_if_idle`] did.
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

/// Rebuilds `ldk`'s manager in memory if it has no channel and some have closed
/// since the last rebuild (see the module doc). `carry_over` is given the new
/// manager and the messages the old one had queued, before the new one is used:
/// it introduces the connected peers to it again and sends the messages.
pub fn rebuild_if_idle(
    ldk: &Ldk,
    carry_over: impl FnOnce(&ChannelManager, Vec<MessageSendEvent>),
) -> Rebuild {
    let manager = &ldk.channel_manager;
    if manager.closed.load(Ordering::Relaxed) == 0 {
        return Rebuild::NotNeeded;
    }
    let mut last = manager.last.lock().unwrap_or_else(|p| p.into_inner());
    if last.is_some_and(|t| t.elapsed() < REBUILD_INTERVAL) {
        return Rebuild::TooSoon;
    }
    let mut slot = match manager.current.try_write() {
        Ok(slot) => slot,
        Err(TryLockError::WouldBlock) => return Rebuild::Busy,
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
    };
    let old = Arc::clone(&slot);
    if !old.list_channels().is_empty() {
        return Rebuild::HasChannels;
    }
    let closed = manager.closed.swap(0, Ordering::Relaxed);
    let bytes = old.encode();
    // LDK reads the manager back against every monitor the chain monitor holds (those
    // of closed channels not yet archived keep their state in the new manager), as it
    // holds them. Each `get_monitor` guard is a read of the chain monitor's whole table,
    // and a second read queues behind a writer that waits for the first: so nothing may
    // write that table while they are held. Under the gate's write side nothing can:
    // blocks reach the chain monitor through the gate ([`gated`]), the timer archives
    // under it, and only the manager adds monitors. (Copying each monitor instead, one
    // guard at a time, held some 70 copies at once and left the allocator ~8 MiB
    // higher for good; see the README's soak.)
    let held: Vec<_> = ldk
        .chain_monitor
        .list_monitors()
        .into_iter()
        .filter_map(|id| ldk.chain_monitor.get_monitor(id).ok())
        .collect();
    let monitors = held.iter().map(|m| &**m).collect();
    let args = ChannelManagerReadArgs::new(
        Arc::clone(&ldk.keys),
        Arc::clone(&ldk.keys),
        Arc::clone(&ldk.keys),
        Arc::clone(&ldk.fees),
        Arc::clone(&ldk.chain_monitor),
        Arc::clone(&ldk.broadcaster),
        Arc::clone(&ldk.router),
        Arc::clone(&ldk.message_router),
        Arc::clone(&ldk.logger),
        ldk.config.clone(),
        monitors,
    );
    let read =
        <(BlockHash, Arc<ChannelManager>)>::read(&mut Cursor::new(&bytes), args).map(|(_, cm)| cm);
    // The new manager's first call below updates monitors: the table's guards go first.
    drop(held);
    match read {
        Ok(new) => {
            // Read back, the manager queues monitor updates of its own (a payment
            // preimage replayed to each closed channel's monitor that has one). Any call
            // applies them first; this one does it under the gate, so the chain monitor
            // cannot archive such a monitor between the copy and the update (the timer
            // archives under the gate too). The update of an archived monitor is refused.
            let mut queued = old.get_and_clear_pending_msg_events();
            queued.extend(new.get_and_clear_pending_msg_events());
            carry_over(&new, queued);
            {
                let mut claims = manager.claims.lock().unwrap_or_else(|p| p.into_inner());
                claims.before = std::mem::take(&mut claims.since);
            }
            *slot = new;
            *last = Some(Instant::now());
            manager.rebuilds.fetch_add(1, Ordering::Relaxed);
            Rebuild::Done {
                closed,
                bytes: bytes.len(),
            }
        }
        Err(e) => Rebuild::Failed(e),
    }
}
