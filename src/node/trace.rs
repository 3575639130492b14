//! Watching LDK's messages go by.
//!
//! LDK never hands the application raw bytes: `PeerManager` decrypts, decodes and
//! calls a handler method with a typed message. So we stand between the
//! `PeerManager` and the real handlers: [`TracingChannelHandler`] wraps the
//! `ChannelManager`, and [`GossipObserver`] takes the routing slot. Each call is
//! passed on unchanged, and the message is re-encoded (`Writeable`) and reported
//! when tracing is on. Outgoing messages are seen the same way, as the
//! `MessageSendEvent`s the `PeerManager` collects from the handler. The fourth
//! slot we fill, the custom message handler, holds [`PeerWatcher`], which reads no
//! messages at all: it is there to be told when a peer's `init` arrives and when a
//! peer leaves.
//!
//! Every message seen is also kept, trace on or off, in the node's
//! [`Record`](super::record::Record): what `diagram` and `trace save` read.
//!
//! What this cannot see: `ping`/`pong` (answered inside `PeerManager`), `warning`s
//! from the peer (logged by `PeerManager`), our own `init` (built by `PeerManager`
//! from the handlers' features), and gossip LDK forwards itself.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bitcoin::constants::ChainHash;
use bitcoin::secp256k1::PublicKey;
use lightning::ln::msgs::{
    self, BaseMessageHandler, ChannelMessageHandler, DecodeError, ErrorAction, Init,
    LightningError, MessageSendEvent, RoutingMessageHandler,
};
use lightning::ln::peer_handler::CustomMessageHandler;
use lightning::ln::types::ChannelId;
use lightning::ln::wire::{CustomMessageReader, Type};
use lightning::routing::gossip::NodeId;
use lightning::types::features::{InitFeatures, NodeFeatures};
use lightning::util::ser::LengthLimitedRead;

use super::admission::Admission;
use super::logger::FileLogger;
use super::plain::PlainPeers;
use super::record::Record;
use crate::events::{Direction, Event, EventSender};
use crate::wire::ldk::wire_bytes;

/// What `trace` shows, per-peer message counts for `peers`, and the record of
/// every conversation.
pub struct Tracer {
    events: EventSender,
    enabled: AtomicBool,
    full: AtomicBool,
    arrows: AtomicBool,
    only: Mutex<Option<PublicKey>>,
    received: Mutex<HashMap<PublicKey, u64>>,
    record: Record,
}

impl Tracer {
    /// A tracer, off, keeping a record within the default limits.
    pub fn new(events: EventSender) -> Tracer {
        Tracer {
            events,
            enabled: AtomicBool::new(false),
            full: AtomicBool::new(false),
            arrows: AtomicBool::new(false),
            only: Mutex::new(None),
            received: Mutex::new(HashMap::new()),
            record: Record::new(Default::default()),
        }
    }

    /// Every message seen, in and out (see [`super::record`]).
    pub fn conversations(&self) -> &Record {
        &self.record
    }

    /// Turns tracing on (for one peer, or all) or off; `full` shows whole field
    /// tables, `arrows` draws each message as an arrow.
    pub fn set(&self, on: bool, full: bool, arrows: bool, only: Option<PublicKey>) {
        *self.only.lock().unwrap_or_else(|p| p.into_inner()) = only;
        self.full.store(full, Ordering::Relaxed);
        self.arrows.store(arrows, Ordering::Relaxed);
        self.enabled.store(on, Ordering::Relaxed);
    }

    /// (on, full, peer filter).
    pub fn state(&self) -> (bool, bool, Option<PublicKey>) {
        (
            self.enabled.load(Ordering::Relaxed),
            self.full.load(Ordering::Relaxed),
            *self.only.lock().unwrap_or_else(|p| p.into_inner()),
        )
    }

    /// Messages received from `node` and seen by our handlers.
    pub fn received(&self, node: &PublicKey) -> u64 {
        self.received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(node)
            .copied()
            .unwrap_or(0)
    }

    /// Records one message in or out.
    pub fn record<M: Type>(&self, direction: Direction, node_id: PublicKey, msg: &M) {
        if direction == Direction::Inbound {
            *self
                .received
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(node_id)
                .or_insert(0) += 1;
        }
        let bytes = wire_bytes(msg);
        let traced = self.enabled.load(Ordering::Relaxed)
            && self
                .only
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_none_or(|only| only == node_id);
        if traced {
            self.record
                .push(node_id, direction, SystemTime::now(), bytes.clone());
            let _ = self.events.send(Event::Message {
                direction,
                node_id,
                bytes,
                full: self.full.load(Ordering::Relaxed),
                arrow: self.arrows.load(Ordering::Relaxed),
            });
        } else {
            self.record
                .push(node_id, direction, SystemTime::now(), bytes);
        }
    }

    fn forget(&self, node: &PublicKey) {
        self.received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(node);
    }

    /// Records the messages inside an outgoing `MessageSendEvent`.
    pub fn record_send_event(&self, ev: &MessageSendEvent) {
        use MessageSendEvent as E;
        let out = Direction::Outbound;
        match ev {
            E::SendAcceptChannel { node_id, msg } => self.record(out, *node_id, msg),
            E::SendAcceptChannelV2 { node_id, msg } => self.record(out, *node_id, msg),
            E::SendOpenChannel { node_id, msg } => self.record(out, *node_id, msg),
            E::SendOpenChannelV2 { node_id, msg } => self.record(out, *node_id, msg),
            E::SendFundingCreated { node_id, msg } => self.record(out, *node_id, msg),
            E::SendFundingSigned { node_id, msg } => self.record(out, *node_id, msg),
            E::SendStfu { node_id, msg } => self.record(out, *node_id, msg),
            E::SendSpliceInit { node_id, msg } => self.record(out, *node_id, msg),
            E::SendSpliceAck { node_id, msg } => self.record(out, *node_id, msg),
            E::SendSpliceLocked { node_id, msg } => self.record(out, *node_id, msg),
            E::SendTxAddInput { node_id, msg } => self.record(out, *node_id, msg),
            E::SendTxAddOutput { node_id, msg } => self.record(out, *node_id, msg),
            E::SendTxRemoveInput { node_id, msg } => self.record(out, *node_id, msg),
            E::SendTxRemoveOutput { node_id, msg } => self.record(out, *node_id, msg),
            E::SendTxComplete { node_id, msg } => self.record(out, *node_id, msg),
            E::SendTxSignatures { node_id, msg } => self.record(out, *node_id, msg),
            E::SendTxInitRbf { node_id, msg } => self.record(out, *node_id, msg),
            E::SendTxAckRbf { node_id, msg } => self.record(out, *node_id, msg),
            E::SendTxAbort { node_id, msg } => self.record(out, *node_id, msg),
            E::SendChannelReady { node_id, msg } => self.record(out, *node_id, msg),
            E::SendAnnouncementSignatures { node_id, msg } => self.record(out, *node_id, msg),
            E::UpdateHTLCs {
                node_id, updates, ..
            } => {
                for m in &updates.update_add_htlcs {
                    self.record(out, *node_id, m);
                }
                for m in &updates.update_fulfill_htlcs {
                    self.record(out, *node_id, m);
                }
                for m in &updates.update_fail_htlcs {
                    self.record(out, *node_id, m);
                }
                for m in &updates.update_fail_malformed_htlcs {
                    self.record(out, *node_id, m);
                }
                if let Some(m) = &updates.update_fee {
                    self.record(out, *node_id, m);
                }
                for m in &updates.commitment_signed {
                    self.record(out, *node_id, m);
                }
            }
            E::SendRevokeAndACK { node_id, msg } => self.record(out, *node_id, msg),
            E::SendClosingSigned { node_id, msg } => self.record(out, *node_id, msg),
            E::SendClosingComplete { node_id, msg } => self.record(out, *node_id, msg),
            E::SendClosingSig { node_id, msg } => self.record(out, *node_id, msg),
            E::SendShutdown { node_id, msg } => self.record(out, *node_id, msg),
            E::SendChannelReestablish { node_id, msg } => self.record(out, *node_id, msg),
            E::SendChannelAnnouncement {
                node_id,
                msg,
                update_msg,
            } => {
                self.record(out, *node_id, msg);
                self.record(out, *node_id, update_msg);
            }
            E::SendChannelUpdate { node_id, msg } => self.record(out, *node_id, msg),
            E::HandleError { node_id, action } => match action {
                ErrorAction::SendErrorMessage { msg }
                | ErrorAction::DisconnectPeer { msg: Some(msg) } => self.record(out, *node_id, msg),
                ErrorAction::SendWarningMessage { msg, .. }
                | ErrorAction::DisconnectPeerWithWarning { msg } => self.record(out, *node_id, msg),
                _ => {}
            },
            E::SendChannelRangeQuery { node_id, msg } => self.record(out, *node_id, msg),
            E::SendShortIdsQuery { node_id, msg } => self.record(out, *node_id, msg),
            E::SendReplyChannelRange { node_id, msg } => self.record(out, *node_id, msg),
            E::SendGossipTimestampFilter { node_id, msg } => self.record(out, *node_id, msg),
            E::SendPeerStorage { node_id, msg } => self.record(out, *node_id, msg),
            E::SendPeerStorageRetrieval { node_id, msg } => self.record(out, *node_id, msg),
            // Broadcasts go to every peer; PeerManager picks them. Not traced per peer.
            _ => {}
        }
    }
}

/// The `ChannelManager` (behind [`Admission`]), with every message in and out
/// reported to a [`Tracer`].
///
/// It also stands where LDK's `PeerManager` collects outgoing messages, so it is
/// where messages for a netcat session's plaintext peer are taken out and handed
/// to that session ([`PlainPeers`]).
pub struct TracingChannelHandler {
    pub(crate) inner: Arc<Admission>,
    pub(crate) tracer: Arc<Tracer>,
    pub(crate) plain: Arc<PlainPeers>,
}

macro_rules! traced_by_ref {
    ($($method:ident: $msg:ty),* $(,)?) => {
        $(
            fn $method(&self, their_node_id: PublicKey, msg: &$msg) {
                self.tracer.record(Direction::Inbound, their_node_id, msg);
                self.inner.$method(their_node_id, msg)
            }
        )*
    };
}

macro_rules! traced_by_value {
    ($($method:ident: $msg:ty),* $(,)?) => {
        $(
            fn $method(&self, their_node_id: PublicKey, msg: $msg) {
                self.tracer.record(Direction::Inbound, their_node_id, &msg);
                self.inner.$method(their_node_id, msg)
            }
        )*
    };
}

impl BaseMessageHandler for TracingChannelHandler {
    fn get_and_clear_pending_msg_events(&self) -> Vec<MessageSendEvent> {
        let evs = self.inner.get_and_clear_pending_msg_events();
        for ev in &evs {
            self.tracer.record_send_event(ev);
        }
        self.plain.route(evs)
    }

    fn peer_disconnected(&self, their_node_id: PublicKey) {
        self.tracer.forget(&their_node_id);
        self.inner.peer_disconnected(their_node_id)
    }

    fn provided_node_features(&self) -> NodeFeatures {
        self.inner.provided_node_features()
    }

    fn provided_init_features(&self, their_node_id: PublicKey) -> InitFeatures {
        self.inner.provided_init_features(their_node_id)
    }

    fn peer_connected(
        &self,
        their_node_id: PublicKey,
        msg: &msgs::Init,
        inbound: bool,
    ) -> Result<(), ()> {
        self.tracer.record(Direction::Inbound, their_node_id, msg);
        // A refusal is explained by `Admission`, which knows why.
        self.inner.peer_connected(their_node_id, msg, inbound)
    }
}

impl ChannelMessageHandler for TracingChannelHandler {
    traced_by_ref!(
        handle_open_channel: msgs::OpenChannel,
        handle_open_channel_v2: msgs::OpenChannelV2,
    );

    forward_channel_messages!(traced_by_ref, traced_by_value);

    fn handle_commitment_signed_batch(
        &self,
        their_node_id: PublicKey,
        channel_id: ChannelId,
        batch: Vec<msgs::CommitmentSigned>,
    ) {
        for m in &batch {
            self.tracer.record(Direction::Inbound, their_node_id, m);
        }
        self.inner
            .handle_commitment_signed_batch(their_node_id, channel_id, batch)
    }

    fn get_chain_hashes(&self) -> Option<Vec<ChainHash>> {
        self.inner.get_chain_hashes()
    }

    fn message_received(&self) {
        self.inner.message_received()
    }
}

/// The routing slot: gossip is reported, then ignored (this node keeps no graph).
pub struct GossipObserver {
    pub(crate) tracer: Arc<Tracer>,
}

impl BaseMessageHandler for GossipObserver {
    fn get_and_clear_pending_msg_events(&self) -> Vec<MessageSendEvent> {
        Vec::new()
    }
    fn peer_disconnected(&self, _their_node_id: PublicKey) {}
    fn provided_node_features(&self) -> NodeFeatures {
        NodeFeatures::empty()
    }
    fn provided_init_features(&self, _their_node_id: PublicKey) -> InitFeatures {
        InitFeatures::empty()
    }
    fn peer_connected(&self, _id: PublicKey, _init: &msgs::Init, _inbound: bool) -> Result<(), ()> {
        Ok(())
    }
}

impl RoutingMessageHandler for GossipObserver {
    fn handle_node_announcement(
        &self,
        their_node_id: Option<PublicKey>,
        msg: &msgs::NodeAnnouncement,
    ) -> Result<bool, LightningError> {
        if let Some(id) = their_node_id {
            self.tracer.record(Direction::Inbound, id, msg);
        }
        Ok(false)
    }
    fn handle_channel_announcement(
        &self,
        their_node_id: Option<PublicKey>,
        msg: &msgs::ChannelAnnouncement,
    ) -> Result<bool, LightningError> {
        if let Some(id) = their_node_id {
            self.tracer.record(Direction::Inbound, id, msg);
        }
        Ok(false)
    }
    fn handle_channel_update(
        &self,
        their_node_id: Option<PublicKey>,
        msg: &msgs::ChannelUpdate,
    ) -> Result<bool, LightningError> {
        if let Some(id) = their_node_id {
            self.tracer.record(Direction::Inbound, id, msg);
        }
        Ok(false)
    }
    fn get_next_channel_announcement(
        &self,
        _starting_point: u64,
    ) -> Option<(
        msgs::ChannelAnnouncement,
        Option<msgs::ChannelUpdate>,
        Option<msgs::ChannelUpdate>,
    )> {
        None
    }
    fn get_next_node_announcement(
        &self,
        _starting_point: Option<&NodeId>,
    ) -> Option<msgs::NodeAnnouncement> {
        None
    }
    fn handle_reply_channel_range(
        &self,
        their_node_id: PublicKey,
        msg: msgs::ReplyChannelRange,
    ) -> Result<(), LightningError> {
        self.tracer.record(Direction::Inbound, their_node_id, &msg);
        Ok(())
    }
    fn handle_reply_short_channel_ids_end(
        &self,
        their_node_id: PublicKey,
        msg: msgs::ReplyShortChannelIdsEnd,
    ) -> Result<(), LightningError> {
        self.tracer.record(Direction::Inbound, their_node_id, &msg);
        Ok(())
    }
    fn handle_query_channel_range(
        &self,
        their_node_id: PublicKey,
        msg: msgs::QueryChannelRange,
    ) -> Result<(), LightningError> {
        self.tracer.record(Direction::Inbound, their_node_id, &msg);
        Ok(())
    }
    fn handle_query_short_channel_ids(
        &self,
        their_node_id: PublicKey,
        msg: msgs::QueryShortChannelIds,
    ) -> Result<(), LightningError> {
        self.tracer.record(Direction::Inbound, their_node_id, &msg);
        Ok(())
    }
    fn processing_queue_high(&self) -> bool {
        false
    }
}

/// Watches peers come and go from inside LDK's `PeerManager`.
///
/// It sits in the custom-message slot because that is the smallest handler trait
/// whose `peer_connected` LDK calls once a peer's `init` has arrived; it reads no
/// custom messages (unknown odd types are ignored by LDK, unknown even types close
/// the connection, as BOLT 1 says).
pub struct PeerWatcher {
    events: EventSender,
    logger: Arc<FileLogger>,
    /// Node ids whose `init` just arrived, for the matcher task that pairs them
    /// with their connections (it cannot be done here: `PeerManager` holds the
    /// peer's lock while it calls us).
    ready: tokio::sync::mpsc::UnboundedSender<PublicKey>,
}

impl PeerWatcher {
    /// A watcher reporting on `events`; each node id whose `init` arrives is sent
    /// on `ready`.
    pub(crate) fn new(
        events: EventSender,
        logger: Arc<FileLogger>,
        ready: tokio::sync::mpsc::UnboundedSender<PublicKey>,
    ) -> PeerWatcher {
        PeerWatcher {
            events,
            logger,
            ready,
        }
    }
}

impl CustomMessageReader for PeerWatcher {
    type CustomMessage = Infallible;
    fn read<R: LengthLimitedRead>(
        &self,
        _message_type: u16,
        _buffer: &mut R,
    ) -> Result<Option<Infallible>, DecodeError> {
        Ok(None)
    }
}

impl CustomMessageHandler for PeerWatcher {
    fn handle_custom_message(
        &self,
        msg: Infallible,
        _sender_node_id: PublicKey,
    ) -> Result<(), LightningError> {
        match msg {}
    }
    fn get_and_clear_pending_msg(&self) -> Vec<(PublicKey, Infallible)> {
        Vec::new()
    }
    fn peer_disconnected(&self, their_node_id: PublicKey) {
        let _ = self.events.send(Event::PeerDisconnected {
            node_id: their_node_id,
            reason: self
                .logger
                .disconnect_reason(Some(their_node_id), Duration::from_secs(2)),
        });
    }
    fn peer_connected(
        &self,
        their_node_id: PublicKey,
        msg: &Init,
        inbound: bool,
    ) -> Result<(), ()> {
        let direction = if inbound {
            Direction::Inbound
        } else {
            Direction::Outbound
        };
        let _ = self.events.send(Event::PeerConnected {
            node_id: their_node_id,
            direction,
            features: feature_names(&msg.features),
            // Only `connect` opens connections, and it shows their features.
            answered: !inbound,
        });
        let _ = self.ready.send(their_node_id);
        Ok(())
    }
    fn provided_node_features(&self) -> NodeFeatures {
        NodeFeatures::empty()
    }
    fn provided_init_features(&self, _their_node_id: PublicKey) -> InitFeatures {
        InitFeatures::empty()
    }
}

/// The BOLT 9 names of an `init`'s features.
pub fn feature_names(features: &InitFeatures) -> Vec<String> {
    // LDK keeps feature bytes little-endian; the wire (and our decoder) is big-endian.
    let mut be = features.le_flags().to_vec();
    be.reverse();
    crate::wire::features::describe(&be)
}
