//! Holding inbound peers beyond LDK's limit for peers without channels.
//!
//! LDK's `ChannelManager` keeps a `PeerState` for every connected peer, and it
//! refuses an inbound peer once [`CHANNEL_MANAGER_PEER_LIMIT`] peers without a
//! funded channel are connected (`MAX_NO_CHANNEL_PEERS`, a private constant in
//! LDK 0.2.7). The `PeerManager` then drops the connection. That rule protects the
//! `ChannelManager`'s memory from a flood of strangers, and it is a good rule for a
//! routing node, but a teaching shell is *meant* to be a place many peers connect
//! to, look around and leave.
//!
//! [`Admission`] stands between the `PeerManager` and the `ChannelManager` and
//! keeps LDK's rule while holding the connection: a peer the `ChannelManager`
//! refuses is kept here as a *guest*, with nothing but its `init`, and is never
//! handed to the `ChannelManager`. The `ChannelManager` still holds no more than
//! its limit of peers without channels. A guest can ping, gossip and be traced like
//! any peer. When a guest sends `open_channel`, it is offered to the
//! `ChannelManager` again (there may be room now); if there still is none, the
//! guest gets an `error` for that channel saying why, instead of silence. Its
//! other channel messages have no channel to act on, and are dropped with an event.
//!
//! Guests are bounded by the listener's connection limit (`--max-connections`),
//! since each is a live connection; each costs the `init` it sent.
//!
//! ```text
//! PeerManager ─► TracingChannelHandler ─► Admission ─► ChannelManager
//!                                             └─ guests: HashMap<node_id, init>
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bitcoin::constants::ChainHash;
use bitcoin::secp256k1::PublicKey;
use lightning::ln::msgs::{
    self, BaseMessageHandler, ChannelMessageHandler, ErrorAction, MessageSendEvent,
};
use lightning::ln::types::ChannelId;
use lightning::types::features::{InitFeatures, NodeFeatures};

use super::ldk::{ChannelManager, Manager};
use crate::events::{Event, EventSender, PeerRefusal};

/// How many inbound peers without a funded channel LDK 0.2.7's `ChannelManager`
/// keeps (its private `MAX_NO_CHANNEL_PEERS`); past it, peers become guests.
pub const CHANNEL_MANAGER_PEER_LIMIT: usize = 250;

/// Why a guest's `open_channel` is refused; sent to the peer in an `error`.
pub const GUEST_REFUSAL: &str = "this node already has as many peers without channels as \
     LDK's ChannelManager keeps (250); it holds your connection but opens no channel with \
     you until one of them leaves";

/// The `ChannelManager`, with inbound peers it refuses held as guests.
///
/// Every call takes the manager's gate first and its own locks after (a rebuild
/// holds the gate while it calls [`Admission::carry_over`], which takes them).
pub struct Admission {
    inner: Arc<Manager>,
    /// Guests: peers the `ChannelManager` refused for its limit, with their `init`
    /// (needed to offer them to it again).
    guests: Mutex<HashMap<PublicKey, msgs::Init>>,
    /// The peers the `ChannelManager` knows, with their `init` and whether they
    /// came in: a rebuilt manager is told of them again.
    known: Mutex<HashMap<PublicKey, (msgs::Init, bool)>>,
    /// Our own messages to guests, sent with the `ChannelManager`'s.
    outbox: Mutex<Vec<MessageSendEvent>>,
    events: EventSender,
}

impl Admission {
    /// Wraps `inner`; guests are announced on `events`.
    pub fn new(inner: Arc<Manager>, events: EventSender) -> Admission {
        Admission {
            inner,
            guests: Mutex::new(HashMap::new()),
            known: Mutex::new(HashMap::new()),
            outbox: Mutex::new(Vec::new()),
            events,
        }
    }

    /// Whether the `ChannelManager` has a channel with `node_id` (any state).
    pub fn has_channels_with(&self, node_id: &PublicKey) -> bool {
        !self
            .inner
            .get()
            .list_channels_with_counterparty(node_id)
            .is_empty()
    }

    /// How many peers are held as guests now.
    pub fn guest_count(&self) -> usize {
        self.lock_guests().len()
    }

    /// Whether `node_id` is a guest (connected, unknown to the `ChannelManager`).
    pub fn is_guest(&self, node_id: &PublicKey) -> bool {
        self.lock_guests().contains_key(node_id)
    }

    /// Offers a guest to the `ChannelManager` again; true when the peer is (now)
    /// known to it, including when it was never a guest.
    ///
    /// `inbound: false` is for the shell's own `openchannel`: LDK's limit guards
    /// against strangers, and a channel the user asks for is not a stranger's doing.
    pub fn admit(&self, node_id: &PublicKey, inbound: bool) -> bool {
        let cm = self.inner.get();
        let mut guests = self.lock_guests();
        let Some(init) = guests.get(node_id) else {
            return true;
        };
        // Held under the guests lock so a concurrent disconnect cannot slip between
        // the ChannelManager accepting the peer and the peer leaving the guest list.
        if cm.peer_connected(*node_id, init, inbound).is_ok() {
            if let Some(init) = guests.remove(node_id) {
                self.lock_known().insert(*node_id, (init, inbound));
            }
            let _ = self.events.send(Event::GuestAdmitted { node_id: *node_id });
            true
        } else {
            false
        }
    }

    /// Before a message that would create channel state: admit a guest, or refuse
    /// the channel with an `error` (the opener would otherwise wait in silence).
    fn admit_or_refuse(&self, node_id: PublicKey, temporary_channel_id: ChannelId) -> bool {
        if self.admit(&node_id, true) {
            return true;
        }
        self.lock_outbox().push(MessageSendEvent::HandleError {
            node_id,
            action: ErrorAction::SendErrorMessage {
                msg: msgs::ErrorMessage {
                    channel_id: temporary_channel_id,
                    data: GUEST_REFUSAL.to_string(),
                },
            },
        });
        let _ = self.events.send(Event::GuestRefused {
            node_id,
            peer_limit: CHANNEL_MANAGER_PEER_LIMIT,
        });
        false
    }

    /// True (and an event says so) when `node_id` is a guest: its message, which
    /// `method` (`handle_<message>`) would handle, is not for the `ChannelManager`.
    fn dropped_from_guest(&self, node_id: PublicKey, method: &'static str) -> bool {
        if !self.is_guest(&node_id) {
            return false;
        }
        let message = method.strip_prefix("handle_").unwrap_or(method);
        let _ = self.events.send(Event::GuestDropped { node_id, message });
        true
    }

    fn lock_guests(&self) -> std::sync::MutexGuard<'_, HashMap<PublicKey, msgs::Init>> {
        self.guests.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lock_known(&self) -> std::sync::MutexGuard<'_, HashMap<PublicKey, (msgs::Init, bool)>> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// After a rebuild of the `ChannelManager` ([`super::rebuild`]), before it is
    /// used: tells `cm`, the new manager, of every peer the old one knew, and sends
    /// the messages the old one had queued (`queued`) as its own. A peer the new
    /// manager refuses (its limit of peers without channels) becomes a guest.
    pub fn carry_over(&self, cm: &ChannelManager, mut queued: Vec<MessageSendEvent>) {
        let mut guests = self.lock_guests();
        let mut known = self.lock_known();
        known.retain(|node_id, (init, inbound)| {
            if cm.peer_connected(*node_id, init, *inbound).is_ok() {
                return true;
            }
            guests.insert(*node_id, init.clone());
            false
        });
        drop((guests, known));
        self.lock_outbox().append(&mut queued);
    }

    fn lock_outbox(&self) -> std::sync::MutexGuard<'_, Vec<MessageSendEvent>> {
        self.outbox.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl BaseMessageHandler for Admission {
    fn get_and_clear_pending_msg_events(&self) -> Vec<MessageSendEvent> {
        let mut evs = self.inner.get().get_and_clear_pending_msg_events();
        evs.append(&mut self.lock_outbox());
        evs
    }

    fn peer_disconnected(&self, their_node_id: PublicKey) {
        // A guest was never given to the ChannelManager, so it must not hear of it
        // leaving either.
        let cm = self.inner.get();
        if self.lock_guests().remove(&their_node_id).is_none() {
            self.lock_known().remove(&their_node_id);
            cm.peer_disconnected(their_node_id)
        }
    }

    fn provided_node_features(&self) -> NodeFeatures {
        self.inner.get().provided_node_features()
    }

    fn provided_init_features(&self, their_node_id: PublicKey) -> InitFeatures {
        self.inner.get().provided_init_features(their_node_id)
    }

    fn peer_connected(
        &self,
        their_node_id: PublicKey,
        msg: &msgs::Init,
        inbound: bool,
    ) -> Result<(), ()> {
        let cm = self.inner.get();
        let mut guests = self.lock_guests();
        if cm.peer_connected(their_node_id, msg, inbound).is_ok() {
            self.lock_known()
                .insert(their_node_id, (msg.clone(), inbound));
            return Ok(());
        }
        // The ChannelManager refuses for two reasons only: no option_static_remotekey
        // (a peer we cannot have channels with at all: let it go), or its limit,
        // which applies to inbound peers only.
        if !inbound || !msg.features.supports_static_remote_key() {
            drop(guests);
            let reason = if msg.features.supports_static_remote_key() {
                PeerRefusal::InLog
            } else {
                PeerRefusal::NoStaticRemoteKey
            };
            let _ = self.events.send(Event::PeerRefused {
                node_id: their_node_id,
                reason,
            });
            return Err(());
        }
        guests.insert(their_node_id, msg.clone());
        let count = guests.len();
        drop(guests);
        let _ = self.events.send(Event::GuestHeld {
            node_id: their_node_id,
            guests: count,
            peer_limit: CHANNEL_MANAGER_PEER_LIMIT,
        });
        Ok(())
    }
}

/// Passed to the `ChannelManager` unchanged, except from a guest: the
/// `ChannelManager` holds no connected peer for it (at most the state of an
/// unfunded channel from an earlier connection), so a guest's channel message has
/// nothing to act on, and is dropped with an event.
macro_rules! passed_by_ref {
    ($($method:ident: $msg:ty),* $(,)?) => {
        $(
            fn $method(&self, their_node_id: PublicKey, msg: &$msg) {
                if !self.dropped_from_guest(their_node_id, stringify!($method)) {
                    self.inner.get().$method(their_node_id, msg)
                }
            }
        )*
    };
}

macro_rules! passed_by_value {
    ($($method:ident: $msg:ty),* $(,)?) => {
        $(
            fn $method(&self, their_node_id: PublicKey, msg: $msg) {
                if !self.dropped_from_guest(their_node_id, stringify!($method)) {
                    self.inner.get().$method(their_node_id, msg)
                }
            }
        )*
    };
}

impl ChannelMessageHandler for Admission {
    fn handle_open_channel(&self, their_node_id: PublicKey, msg: &msgs::OpenChannel) {
        if self.admit_or_refuse(their_node_id, msg.common_fields.temporary_channel_id) {
            self.inner.get().handle_open_channel(their_node_id, msg)
        }
    }

    fn handle_open_channel_v2(&self, their_node_id: PublicKey, msg: &msgs::OpenChannelV2) {
        if self.admit_or_refuse(their_node_id, msg.common_fields.temporary_channel_id) {
            self.inner.get().handle_open_channel_v2(their_node_id, msg)
        }
    }

    forward_channel_messages!(passed_by_ref, passed_by_value);

    fn handle_commitment_signed_batch(
        &self,
        their_node_id: PublicKey,
        channel_id: ChannelId,
        batch: Vec<msgs::CommitmentSigned>,
    ) {
        if !self.dropped_from_guest(their_node_id, "handle_commitment_signed_batch") {
            self.inner
                .get()
                .handle_commitment_signed_batch(their_node_id, channel_id, batch)
        }
    }

    fn get_chain_hashes(&self) -> Option<Vec<ChainHash>> {
        self.inner.get().get_chain_hashes()
    }

    fn message_received(&self) {
        self.inner.get().message_received()
    }
}
