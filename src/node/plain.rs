//! Plaintext peers: netcat sessions that are real peers of the node's
//! `ChannelManager`, with no BOLT 8 between.
//!
//! A BOLT 8 peer's messages reach the `ChannelManager` through LDK's
//! `PeerManager`, which decrypts, decodes and calls a `handle_*` method; what the
//! manager wants to send comes out of `get_and_clear_pending_msg_events()`, for
//! every peer at once, and the `PeerManager` writes each to its socket. A netcat
//! session has no `PeerManager` connection, so this room does the `PeerManager`'s
//! two jobs for it, in plain text:
//!
//! * **in**: [`ChannelMsg::read`] turns a line's bytes into LDK's typed message,
//!   and [`ChannelMsg::deliver`] calls the same `handle_*` method a BOLT 8 peer's
//!   message would reach;
//! * **out**: [`PlainPeers::route`] stands in the tracer's
//!   `get_and_clear_pending_msg_events`, takes out every event addressed to a
//!   plaintext peer (the `PeerManager` does not know them, and would drop them),
//!   and hands each to its session.
//!
//! [`ChannelMsg`] is also how the session's own "your side" manager
//! ([`super::your_side`]) receives the node's messages and queues its own: the
//! same typed message, whichever way it goes.

use std::collections::HashMap;
use std::sync::Mutex;

use bitcoin::secp256k1::PublicKey;
use lightning::ln::msgs::{
    self, ChannelMessageHandler, DecodeError, ErrorAction, MessageSendEvent,
};
use lightning::util::ser::{LengthReadable, Writeable};
use tokio::sync::mpsc;

use crate::wire::catalog::types;

/// Declares [`ChannelMsg`] and its codec from one table: (wire type, variant,
/// LDK struct, how its handler takes it).
macro_rules! channel_messages {
    ($($ty:path => $variant:ident($msg:ty), $name:literal, $handle:ident $how:ident;)*) => {
        /// One channel message, typed as LDK reads and writes it.
        ///
        /// `update_add_htlc` carries its 1366-byte onion inline; a message is
        /// moved a few times on its way and never stored in bulk (an outbox holds
        /// at most 64), so it is not boxed.
        #[derive(Clone, Debug)]
        #[allow(missing_docs, clippy::large_enum_variant)]
        pub enum ChannelMsg {
            $($variant($msg),)*
            /// A `warning`: LDK's `ChannelManager` has no handler for it (its
            /// `PeerManager` only logs one).
            Warning(msgs::WarningMessage),
        }

        impl ChannelMsg {
            /// Reads `type || payload` with LDK's struct. `Ok(None)`: not a
            /// message a `ChannelManager` handles (a ping, gossip, `init`...).
            pub fn read(bytes: &[u8]) -> Result<Option<ChannelMsg>, DecodeError> {
                let (Some(t), Some(mut payload)) = (bytes.get(..2), bytes.get(2..)) else {
                    return Err(DecodeError::ShortRead);
                };
                let t = u16::from_be_bytes([t[0], t[1]]);
                Ok(Some(match t {
                    $($ty => ChannelMsg::$variant(<$msg>::read_from_fixed_length_buffer(&mut payload)?),)*
                    types::WARNING => ChannelMsg::Warning(
                        msgs::WarningMessage::read_from_fixed_length_buffer(&mut payload)?,
                    ),
                    _ => return Ok(None),
                }))
            }

            /// The message's BOLT name.
            pub fn name(&self) -> &'static str {
                match self {
                    $(ChannelMsg::$variant(_) => $name,)*
                    ChannelMsg::Warning(_) => "warning",
                }
            }

            /// Type || payload, as on the wire.
            pub fn bytes(&self) -> Vec<u8> {
                let (t, payload) = match self {
                    $(ChannelMsg::$variant(m) => ($ty, m.encode()),)*
                    ChannelMsg::Warning(m) => (types::WARNING, m.encode()),
                };
                let mut bytes = t.to_be_bytes().to_vec();
                bytes.extend(payload);
                bytes
            }

            /// Hands the message to `handler` as from `from`, as LDK's
            /// `PeerManager` would; false for a `warning`, which no
            /// `ChannelManager` method takes.
            pub fn deliver<H: ChannelMessageHandler + ?Sized>(self, handler: &H, from: PublicKey) -> bool {
                match self {
                    $(ChannelMsg::$variant(m) => channel_messages!(@call handler, $handle, $how, from, m),)*
                    ChannelMsg::Warning(_) => return false,
                }
                true
            }
        }
    };
    (@call $h:ident, $handle:ident, by_ref, $from:ident, $m:ident) => { $h.$handle($from, &$m) };
    (@call $h:ident, $handle:ident, by_value, $from:ident, $m:ident) => { $h.$handle($from, $m) };
}

channel_messages! {
    types::OPEN_CHANNEL => OpenChannel(msgs::OpenChannel), "open_channel", handle_open_channel by_ref;
    types::ACCEPT_CHANNEL => AcceptChannel(msgs::AcceptChannel), "accept_channel", handle_accept_channel by_ref;
    types::FUNDING_CREATED => FundingCreated(msgs::FundingCreated), "funding_created", handle_funding_created by_ref;
    types::FUNDING_SIGNED => FundingSigned(msgs::FundingSigned), "funding_signed", handle_funding_signed by_ref;
    types::CHANNEL_READY => ChannelReady(msgs::ChannelReady), "channel_ready", handle_channel_ready by_ref;
    types::SHUTDOWN => Shutdown(msgs::Shutdown), "shutdown", handle_shutdown by_ref;
    types::CLOSING_SIGNED => ClosingSigned(msgs::ClosingSigned), "closing_signed", handle_closing_signed by_ref;
    types::OPEN_CHANNEL2 => OpenChannelV2(msgs::OpenChannelV2), "open_channel2", handle_open_channel_v2 by_ref;
    types::ACCEPT_CHANNEL2 => AcceptChannelV2(msgs::AcceptChannelV2), "accept_channel2", handle_accept_channel_v2 by_ref;
    types::TX_ADD_INPUT => TxAddInput(msgs::TxAddInput), "tx_add_input", handle_tx_add_input by_ref;
    types::TX_ADD_OUTPUT => TxAddOutput(msgs::TxAddOutput), "tx_add_output", handle_tx_add_output by_ref;
    types::TX_REMOVE_INPUT => TxRemoveInput(msgs::TxRemoveInput), "tx_remove_input", handle_tx_remove_input by_ref;
    types::TX_REMOVE_OUTPUT => TxRemoveOutput(msgs::TxRemoveOutput), "tx_remove_output", handle_tx_remove_output by_ref;
    types::TX_COMPLETE => TxComplete(msgs::TxComplete), "tx_complete", handle_tx_complete by_ref;
    types::TX_SIGNATURES => TxSignatures(msgs::TxSignatures), "tx_signatures", handle_tx_signatures by_ref;
    types::TX_INIT_RBF => TxInitRbf(msgs::TxInitRbf), "tx_init_rbf", handle_tx_init_rbf by_ref;
    types::TX_ACK_RBF => TxAckRbf(msgs::TxAckRbf), "tx_ack_rbf", handle_tx_ack_rbf by_ref;
    types::TX_ABORT => TxAbort(msgs::TxAbort), "tx_abort", handle_tx_abort by_ref;
    types::STFU => Stfu(msgs::Stfu), "stfu", handle_stfu by_ref;
    types::SPLICE_INIT => SpliceInit(msgs::SpliceInit), "splice_init", handle_splice_init by_ref;
    types::SPLICE_ACK => SpliceAck(msgs::SpliceAck), "splice_ack", handle_splice_ack by_ref;
    types::SPLICE_LOCKED => SpliceLocked(msgs::SpliceLocked), "splice_locked", handle_splice_locked by_ref;
    types::UPDATE_ADD_HTLC => UpdateAddHtlc(msgs::UpdateAddHTLC), "update_add_htlc", handle_update_add_htlc by_ref;
    types::UPDATE_FULFILL_HTLC => UpdateFulfillHtlc(msgs::UpdateFulfillHTLC), "update_fulfill_htlc", handle_update_fulfill_htlc by_value;
    types::UPDATE_FAIL_HTLC => UpdateFailHtlc(msgs::UpdateFailHTLC), "update_fail_htlc", handle_update_fail_htlc by_ref;
    types::UPDATE_FAIL_MALFORMED_HTLC => UpdateFailMalformedHtlc(msgs::UpdateFailMalformedHTLC), "update_fail_malformed_htlc", handle_update_fail_malformed_htlc by_ref;
    types::COMMITMENT_SIGNED => CommitmentSigned(msgs::CommitmentSigned), "commitment_signed", handle_commitment_signed by_ref;
    types::REVOKE_AND_ACK => RevokeAndAck(msgs::RevokeAndACK), "revoke_and_ack", handle_revoke_and_ack by_ref;
    types::UPDATE_FEE => UpdateFee(msgs::UpdateFee), "update_fee", handle_update_fee by_ref;
    types::CHANNEL_REESTABLISH => ChannelReestablish(msgs::ChannelReestablish), "channel_reestablish", handle_channel_reestablish by_ref;
    types::ANNOUNCEMENT_SIGNATURES => AnnouncementSignatures(msgs::AnnouncementSignatures), "announcement_signatures", handle_announcement_signatures by_ref;
    types::CHANNEL_UPDATE => ChannelUpdate(msgs::ChannelUpdate), "channel_update", handle_channel_update by_ref;
    types::ERROR => Error(msgs::ErrorMessage), "error", handle_error by_ref;
    types::PEER_STORAGE => PeerStorage(msgs::PeerStorage), "peer_storage", handle_peer_storage by_value;
    types::PEER_STORAGE_RETRIEVAL => PeerStorageRetrieval(msgs::PeerStorageRetrieval), "peer_storage_retrieval", handle_peer_storage_retrieval by_value;
}

/// What one `MessageSendEvent` asks to send to one peer.
#[derive(Debug, Default)]
pub struct Outgoing {
    /// The messages, in the order LDK's `PeerManager` would write them.
    pub messages: Vec<ChannelMsg>,
    /// LDK asks to disconnect the peer after them.
    pub disconnect: bool,
}

/// Who `ev` is for, if it is for one peer.
pub fn destination(ev: &MessageSendEvent) -> Option<PublicKey> {
    use MessageSendEvent as E;
    Some(match ev {
        E::SendAcceptChannel { node_id, .. }
        | E::SendAcceptChannelV2 { node_id, .. }
        | E::SendOpenChannel { node_id, .. }
        | E::SendOpenChannelV2 { node_id, .. }
        | E::SendFundingCreated { node_id, .. }
        | E::SendFundingSigned { node_id, .. }
        | E::SendStfu { node_id, .. }
        | E::SendSpliceInit { node_id, .. }
        | E::SendSpliceAck { node_id, .. }
        | E::SendSpliceLocked { node_id, .. }
        | E::SendTxAddInput { node_id, .. }
        | E::SendTxAddOutput { node_id, .. }
        | E::SendTxRemoveInput { node_id, .. }
        | E::SendTxRemoveOutput { node_id, .. }
        | E::SendTxComplete { node_id, .. }
        | E::SendTxSignatures { node_id, .. }
        | E::SendTxInitRbf { node_id, .. }
        | E::SendTxAckRbf { node_id, .. }
        | E::SendTxAbort { node_id, .. }
        | E::SendChannelReady { node_id, .. }
        | E::SendAnnouncementSignatures { node_id, .. }
        | E::UpdateHTLCs { node_id, .. }
        | E::SendRevokeAndACK { node_id, .. }
        | E::SendClosingSigned { node_id, .. }
        | E::SendClosingComplete { node_id, .. }
        | E::SendClosingSig { node_id, .. }
        | E::SendShutdown { node_id, .. }
        | E::SendChannelReestablish { node_id, .. }
        | E::SendChannelAnnouncement { node_id, .. }
        | E::SendChannelUpdate { node_id, .. }
        | E::HandleError { node_id, .. }
        | E::SendChannelRangeQuery { node_id, .. }
        | E::SendShortIdsQuery { node_id, .. }
        | E::SendReplyChannelRange { node_id, .. }
        | E::SendGossipTimestampFilter { node_id, .. }
        | E::SendPeerStorage { node_id, .. }
        | E::SendPeerStorageRetrieval { node_id, .. } => *node_id,
        _ => return None,
    })
}

/// The channel messages inside `ev`, in wire order. Gossip (which this node
/// never sends to a plaintext peer) and `closing_complete`/`closing_sig` (LDK
/// 0.2.7 builds them only with `simple_close`, off here) are left out.
pub fn outgoing(ev: MessageSendEvent) -> Outgoing {
    use ChannelMsg as M;
    use MessageSendEvent as E;
    let one = |m: ChannelMsg| Outgoing {
        messages: vec![m],
        disconnect: false,
    };
    match ev {
        E::SendAcceptChannel { msg, .. } => one(M::AcceptChannel(msg)),
        E::SendAcceptChannelV2 { msg, .. } => one(M::AcceptChannelV2(msg)),
        E::SendOpenChannel { msg, .. } => one(M::OpenChannel(msg)),
        E::SendOpenChannelV2 { msg, .. } => one(M::OpenChannelV2(msg)),
        E::SendFundingCreated { msg, .. } => one(M::FundingCreated(msg)),
        E::SendFundingSigned { msg, .. } => one(M::FundingSigned(msg)),
        E::SendStfu { msg, .. } => one(M::Stfu(msg)),
        E::SendSpliceInit { msg, .. } => one(M::SpliceInit(msg)),
        E::SendSpliceAck { msg, .. } => one(M::SpliceAck(msg)),
        E::SendSpliceLocked { msg, .. } => one(M::SpliceLocked(msg)),
        E::SendTxAddInput { msg, .. } => one(M::TxAddInput(msg)),
        E::SendTxAddOutput { msg, .. } => one(M::TxAddOutput(msg)),
        E::SendTxRemoveInput { msg, .. } => one(M::TxRemoveInput(msg)),
        E::SendTxRemoveOutput { msg, .. } => one(M::TxRemoveOutput(msg)),
        E::SendTxComplete { msg, .. } => one(M::TxComplete(msg)),
        E::SendTxSignatures { msg, .. } => one(M::TxSignatures(msg)),
        E::SendTxInitRbf { msg, .. } => one(M::TxInitRbf(msg)),
        E::SendTxAckRbf { msg, .. } => one(M::TxAckRbf(msg)),
        E::SendTxAbort { msg, .. } => one(M::TxAbort(msg)),
        E::SendChannelReady { msg, .. } => one(M::ChannelReady(msg)),
        E::SendAnnouncementSignatures { msg, .. } => one(M::AnnouncementSignatures(msg)),
        E::UpdateHTLCs { updates, .. } => {
            let mut messages = Vec::new();
            messages.extend(updates.update_add_htlcs.into_iter().map(M::UpdateAddHtlc));
            messages.extend(
                updates
                    .update_fulfill_htlcs
                    .into_iter()
                    .map(M::UpdateFulfillHtlc),
            );
            messages.extend(updates.update_fail_htlcs.into_iter().map(M::UpdateFailHtlc));
            messages.extend(
                updates
                    .update_fail_malformed_htlcs
                    .into_iter()
                    .map(M::UpdateFailMalformedHtlc),
            );
            messages.extend(updates.update_fee.map(M::UpdateFee));
            messages.extend(
                updates
                    .commitment_signed
                    .into_iter()
                    .map(M::CommitmentSigned),
            );
            Outgoing {
                messages,
                disconnect: false,
            }
        }
        E::SendRevokeAndACK { msg, .. } => one(M::RevokeAndAck(msg)),
        E::SendClosingSigned { msg, .. } => one(M::ClosingSigned(msg)),
        E::SendShutdown { msg, .. } => one(M::Shutdown(msg)),
        E::SendChannelReestablish { msg, .. } => one(M::ChannelReestablish(msg)),
        E::SendChannelUpdate { msg, .. } => one(M::ChannelUpdate(msg)),
        E::SendPeerStorage { msg, .. } => one(M::PeerStorage(msg)),
        E::SendPeerStorageRetrieval { msg, .. } => one(M::PeerStorageRetrieval(msg)),
        E::HandleError { action, .. } => match action {
            ErrorAction::SendErrorMessage { msg } => one(M::Error(msg)),
            ErrorAction::DisconnectPeer { msg } => Outgoing {
                messages: msg.into_iter().map(M::Error).collect(),
                disconnect: true,
            },
            ErrorAction::SendWarningMessage { msg, .. } => one(M::Warning(msg)),
            ErrorAction::DisconnectPeerWithWarning { msg } => Outgoing {
                messages: vec![M::Warning(msg)],
                disconnect: true,
            },
            _ => Outgoing::default(),
        },
        _ => Outgoing::default(),
    }
}

/// The plaintext peers the node knows, each with the road to its session.
#[derive(Default)]
pub struct PlainPeers {
    sessions: Mutex<HashMap<PublicKey, mpsc::UnboundedSender<MessageSendEvent>>>,
}

impl PlainPeers {
    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<PublicKey, mpsc::UnboundedSender<MessageSendEvent>>>
    {
        // Each critical section is one insert, remove or lookup.
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes `node_id` a plaintext peer; what the node sends it arrives on the
    /// returned receiver.
    pub fn add(&self, node_id: PublicKey) -> mpsc::UnboundedReceiver<MessageSendEvent> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.lock().insert(node_id, tx);
        rx
    }

    /// Forgets `node_id`.
    pub fn remove(&self, node_id: &PublicKey) {
        self.lock().remove(node_id);
    }

    /// How many sessions are plaintext peers now.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no session is a plaintext peer.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Whether `node_id` is a plaintext peer.
    pub fn contains(&self, node_id: &PublicKey) -> bool {
        self.lock().contains_key(node_id)
    }

    /// Hands every event addressed to a plaintext peer to its session, and
    /// returns the rest (for the `PeerManager`). Unbounded, because LDK makes at
    /// most a few messages for each one a peer sends, and the session reads them
    /// at once.
    pub fn route(&self, events: Vec<MessageSendEvent>) -> Vec<MessageSendEvent> {
        let sessions = self.lock();
        if sessions.is_empty() {
            return events;
        }
        events
            .into_iter()
            .filter_map(|ev| match destination(&ev).and_then(|n| sessions.get(&n)) {
                Some(tx) => {
                    // A session that just ended drops its events, as a closed
                    // socket would.
                    let _ = tx.send(ev);
                    None
                }
                None => Some(ev),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_reads_back_to_its_own_bytes() {
        let ping = hex::decode("0012000400020000").unwrap();
        assert!(ChannelMsg::read(&ping).unwrap().is_none());
        let error = hex::decode(
            "00110000000000000000000000000000000000000000000000000000000000000000000568656c6c6f",
        )
        .unwrap();
        let msg = ChannelMsg::read(&error).unwrap().unwrap();
        assert_eq!(msg.name(), "error");
        assert_eq!(msg.bytes(), error);
        assert!(ChannelMsg::read(&error[..5]).is_err());
        assert!(ChannelMsg::read(&[0]).is_err());
    }
}
