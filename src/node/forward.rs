//! The list of channel messages that the wrappers around the `ChannelManager`
//! ([`trace::TracingChannelHandler`](super::trace::TracingChannelHandler) and
//! [`admission::Admission`](super::admission::Admission)) hand on: one list, so a
//! message LDK adds is added to both at once.

/// Calls `$by_ref!` with every `ChannelMessageHandler` method that takes its
/// message by reference, then `$by_value!` with those that take it by value, as
/// `method: Type` pairs. The two `open_channel`s are not listed: each wrapper has
/// its own reason to look at them first.
macro_rules! forward_channel_messages {
    ($by_ref:ident, $by_value:ident) => {
        $by_ref!(
            handle_accept_channel: msgs::AcceptChannel,
            handle_accept_channel_v2: msgs::AcceptChannelV2,
            handle_funding_created: msgs::FundingCreated,
            handle_funding_signed: msgs::FundingSigned,
            handle_channel_ready: msgs::ChannelReady,
            handle_shutdown: msgs::Shutdown,
            handle_closing_signed: msgs::ClosingSigned,
            handle_stfu: msgs::Stfu,
            handle_splice_init: msgs::SpliceInit,
            handle_splice_ack: msgs::SpliceAck,
            handle_splice_locked: msgs::SpliceLocked,
            handle_tx_add_input: msgs::TxAddInput,
            handle_tx_add_output: msgs::TxAddOutput,
            handle_tx_remove_input: msgs::TxRemoveInput,
            handle_tx_remove_output: msgs::TxRemoveOutput,
            handle_tx_complete: msgs::TxComplete,
            handle_tx_signatures: msgs::TxSignatures,
            handle_tx_init_rbf: msgs::TxInitRbf,
            handle_tx_ack_rbf: msgs::TxAckRbf,
            handle_tx_abort: msgs::TxAbort,
            handle_update_add_htlc: msgs::UpdateAddHTLC,
            handle_update_fail_htlc: msgs::UpdateFailHTLC,
            handle_update_fail_malformed_htlc: msgs::UpdateFailMalformedHTLC,
            handle_commitment_signed: msgs::CommitmentSigned,
            handle_revoke_and_ack: msgs::RevokeAndACK,
            handle_update_fee: msgs::UpdateFee,
            handle_announcement_signatures: msgs::AnnouncementSignatures,
            handle_channel_reestablish: msgs::ChannelReestablish,
            handle_channel_update: msgs::ChannelUpdate,
            handle_error: msgs::ErrorMessage,
        );
        $by_value!(
            handle_peer_storage: msgs::PeerStorage,
            handle_peer_storage_retrieval: msgs::PeerStorageRetrieval,
            handle_update_fulfill_htlc: msgs::UpdateFulfillHTLC,
        );
    };
}
