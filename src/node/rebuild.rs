//! The node's `ChannelManager` rebuilt in memory once it has no channel left.
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
//! The swap itself, and the gate that makes it safe, are [`super::manager`]'s.

use std::io::Cursor;
use std::sync::Arc;

use bitcoin::BlockHash;
use lightning::ln::channelmanager::ChannelManagerReadArgs;
use lightning::ln::msgs::{BaseMessageHandler, MessageSendEvent};
use lightning::util::ser::{ReadableArgs, Writeable};

use super::ldk::{ChannelManager, Ldk};
use super::manager::Rebuild;

/// Rebuilds `ldk`'s manager in memory if it has no channel and some have closed
/// since the last rebuild (see the module doc). `carry_over` is given the new
/// manager and the messages the old one had queued, before the new one is used:
/// it introduces the connected peers to it again and sends the messages.
pub fn rebuild_if_idle(
    ldk: &Ldk,
    carry_over: impl FnOnce(&ChannelManager, Vec<MessageSendEvent>),
) -> Rebuild {
    ldk.channel_manager.rebuild_with(|old| {
        if !old.list_channels().is_empty() {
            return None;
        }
        Some(read_back(ldk, old).map(|(new, bytes)| {
            // Read back, the manager queues monitor updates of its own (a payment
            // preimage replayed to each closed channel's monitor that has one). Any call
            // applies them first; this one does it under the gate, so the chain monitor
            // cannot archive such a monitor between the read and the update (the timer
            // archives under the gate too). The update of an archived monitor is refused.
            let mut queued = old.get_and_clear_pending_msg_events();
            queued.extend(new.get_and_clear_pending_msg_events());
            carry_over(&new, queued);
            (new, bytes)
        }))
    })
}

/// `old` written out and read back, as a restart would: the new manager and the
/// serialization's size.
fn read_back(
    ldk: &Ldk,
    old: &ChannelManager,
) -> Result<(Arc<ChannelManager>, usize), lightning::ln::msgs::DecodeError> {
    let bytes = old.encode();
    // LDK reads the manager back against every monitor the chain monitor holds (those
    // of closed channels not yet archived keep their state in the new manager), as it
    // holds them. Each `get_monitor` guard is a read of the chain monitor's whole table,
    // and a second read queues behind a writer that waits for the first: so nothing may
    // write that table while they are held. Under the gate's write side nothing can:
    // blocks reach the chain monitor through the gate ([`super::manager::gated`]), the timer archives
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
    let read = <(BlockHash, Arc<ChannelManager>)>::read(&mut Cursor::new(&bytes), args);
    // The new manager's first call updates monitors: the table's guards go first.
    drop(held);
    read.map(|(_, new)| (new, bytes.len()))
}
