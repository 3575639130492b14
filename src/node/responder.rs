//! "What would LDK answer?": an `open_channel` fed to a throwaway `ChannelManager`.
//!
//! A learner who writes an `open_channel` by hand wants to know what a real node
//! makes of it: `accept_channel`, or an `error` and why. Rather than re-state
//! BOLT 2's rules (and get them subtly different from LDK's), we ask LDK itself:
//! [`Responder`] keeps a second `ChannelManager`, built exactly like the node's own
//! ([`super::ldk::build`]) but with keys of its own, connects a pretend peer to
//! it, hands it the message and collects what it would send back. The experiment
//! never touches the node's real peers or channels, and the pretend peer is
//! disconnected again at once.
//!
//! LDK's refusals are terse developer text; [`explain_refusal`] maps the common
//! ones to the field a learner should look at.

use std::sync::Arc;

use bitcoin::hashes::{sha256, Hash};
use bitcoin::secp256k1::{PublicKey, Secp256k1, SecretKey};
use bitcoin::Network;
use lightning::events::{Event as LdkEvent, EventsProvider, ReplayEvent};
use lightning::ln::msgs::{
    self, BaseMessageHandler, ChannelMessageHandler, ErrorAction, MessageSendEvent,
};
use lightning::ln::types::ChannelId;

use super::ldk::{build, Ldk, Setting};
use super::logger::FileLogger;
use crate::events::EventSender;
use crate::wire::ldk::wire_bytes;

/// LDK's own reading of an `open_channel` given as on the wire (type || payload).
pub fn read_open_channel(message: &[u8]) -> Result<msgs::OpenChannel, msgs::DecodeError> {
    use lightning::util::ser::LengthReadable;
    let payload = message.get(2..).ok_or(msgs::DecodeError::ShortRead)?;
    msgs::OpenChannel::read_from_fixed_length_buffer(&mut &payload[..])
}

/// What LDK answered to an `open_channel`.
#[derive(Debug)]
pub enum Answer {
    /// It accepted: the reply message (type || payload).
    Accept(Vec<u8>),
    /// It refused: the `error` (or `warning`) it would send, and LDK's reason.
    Refuse {
        /// The `error` message bytes, when one is sent.
        message: Option<Vec<u8>>,
        /// LDK's words.
        reason: String,
    },
    /// It said nothing we recognise.
    Nothing,
    /// Not asked here: the message goes to the node's real `ChannelManager`
    /// (a netcat session that is a peer), whose answer arrives as messages.
    Forwarded,
}

/// Asks a throwaway `ChannelManager` what it would answer to an `open_channel`.
pub struct Responder {
    ldk: Ldk,
    network: Network,
}

impl Responder {
    /// A responder for `network`, with keys derived from (but not equal to) ours.
    pub fn new(
        node_secret: &[u8; 32],
        network: Network,
        logger: Arc<FileLogger>,
        events: EventSender,
    ) -> Responder {
        let mut seed_material = node_secret.to_vec();
        seed_material.extend_from_slice(b"lnshell respond");
        let seed = sha256::Hash::hash(&seed_material).to_byte_array();
        let keys = super::ldk::keys_manager(&seed);
        // The experiment's records (made-up peers, channels closed at once) go to a
        // file of their own, not into the node's log.
        let logger = Arc::new(logger.sibling(super::logger::RESPOND_LOG_FILE));
        Responder {
            ldk: build(keys, logger, Setting::detached(network, events)),
            network,
        }
    }

    /// Feeds `msg` to the throwaway manager as if a freshly connected peer sent it.
    pub fn answer(&self, msg: &msgs::OpenChannel) -> Answer {
        let cm = self.ldk.cm();
        let peer = virtual_peer(&msg.common_fields.temporary_channel_id);
        // The pretend peer offers what LDK offers, except upfront_shutdown_script:
        // a peer that signals it must put the TLV in every open_channel, and a
        // hand-made message rarely has it.
        let mut features = cm.init_features();
        features.clear_upfront_shutdown_script();
        let init = msgs::Init {
            features,
            networks: Some(vec![bitcoin::constants::ChainHash::using_genesis_block(
                self.network,
            )]),
            remote_network_address: None,
        };
        if cm.peer_connected(peer, &init, true).is_err() {
            return Answer::Refuse {
                message: None,
                reason:
                    "LDK would not even accept the connection (too many peers without channels)"
                        .into(),
            };
        }
        cm.handle_open_channel(peer, msg);
        let replies = cm.get_and_clear_pending_msg_events();
        cm.peer_disconnected(peer);
        let _ = cm.get_and_clear_pending_msg_events();
        // Drain whatever the experiment produced (OpenChannelRequest, ChannelClosed...).
        self.ldk
            .cm()
            .process_pending_events(&|_ev: LdkEvent| -> Result<(), ReplayEvent> { Ok(()) });
        for ev in replies {
            match ev {
                MessageSendEvent::SendAcceptChannel { msg, .. } => {
                    return Answer::Accept(wire_bytes(&msg))
                }
                MessageSendEvent::HandleError { action, .. } => {
                    return match action {
                        ErrorAction::SendErrorMessage { msg }
                        | ErrorAction::DisconnectPeer { msg: Some(msg) } => Answer::Refuse {
                            reason: msg.data.clone(),
                            message: Some(wire_bytes(&msg)),
                        },
                        ErrorAction::SendWarningMessage { msg, .. }
                        | ErrorAction::DisconnectPeerWithWarning { msg } => Answer::Refuse {
                            reason: msg.data.clone(),
                            message: Some(wire_bytes(&msg)),
                        },
                        other => Answer::Refuse {
                            message: None,
                            reason: format!("{other:?}"),
                        },
                    }
                }
                _ => continue,
            }
        }
        Answer::Nothing
    }
}

/// A node id for the pretend peer: derived from the message, so it is the same for
/// the same `open_channel` and different for different ones.
fn virtual_peer(temporary_channel_id: &ChannelId) -> PublicKey {
    let secp = Secp256k1::signing_only();
    let mut material = temporary_channel_id.0.to_vec();
    material.extend_from_slice(b"lnshell virtual peer");
    let mut digest = sha256::Hash::hash(&material).to_byte_array();
    loop {
        if let Ok(sk) = SecretKey::from_slice(&digest) {
            return PublicKey::from_secret_key(&secp, &sk);
        }
        digest = sha256::Hash::hash(&digest).to_byte_array();
    }
}

/// A learner's explanation of LDK's reason for refusing an `open_channel`, the
/// peer's (to `respond`, or as the `error` a peer answered `openchannel` with) or
/// its own (refusing to start `openchannel`).
pub fn explain_refusal(reason: &str) -> &'static str {
    let r = reason.to_ascii_lowercase();
    if r.contains("genesis block hash") {
        "the chain_hash names another network than this node's (`info` shows ours; `encode open_channel` uses it)"
    } else if r.contains("channel_type") || r.contains("channel type") {
        "the channel_type TLV is missing or names a type LDK does not support; LDK requires one it knows (option_static_remotekey at least)"
    } else if r.contains("announcement preference") {
        "channel_flags asks for an announced (public) channel; by default LDK accepts only unannounced ones (set channel_flags=0)"
    } else if r.contains("funding must be at most") {
        "funding_satoshis is over this node's limit, 16777215 sat (2^24 - 1): LDK's max_funding_satoshis, which by default is the most a channel may hold without option_support_large_channel (\"wumbo\", feature bits 18/19). lnshell keeps LDK's default, so it refuses a larger channel even from a peer that signals wumbo"
    } else if r.contains("funding_value must not exceed") {
        "the channel is over 16777215 sat (2^24 - 1), and the peer's init does not signal option_support_large_channel (\"wumbo\", feature bits 18/19): BOLT 2 lets the opener go past 2^24 only when both nodes signal it"
    } else if r.contains("channel value must be at least") || r.contains("is smaller than 1000") {
        "the channel is below 1000 sat: LDK asks each side to keep a channel reserve of at least 1000 sat (1% of the channel, but never less than 1000: its MIN_THEIR_CHAN_RESERVE_SATOSHIS), and a channel smaller than the reserve it must hold cannot exist. It refuses such a channel both ways: as `openchannel` and when a peer's open_channel asks for one"
    } else if r.contains("smaller than our dust limit")
        || r.contains("smaller than their dust limit")
    {
        "funding_satoshis is below a dust limit: the whole channel would be dust, an output too small to spend, so it could never pay anyone"
    } else if r.contains("less than the user specified limit") && r.contains("funding") {
        "funding_satoshis is below the minimum this node accepts"
    } else if r.contains("can't even pay fee")
        || r.contains("insufficient funding")
        || r.contains("suitable channel reserve")
    {
        "funding_satoshis is too small to pay the commitment fee and keep the reserves"
    } else if r.contains("dust limit") && r.contains("reserve") {
        "dust_limit_satoshis is above the channel reserve LDK asks the opener to keep"
    } else if r.contains("dust_limit_satoshis") {
        "dust_limit_satoshis is outside what LDK allows (354 to 546 sat today)"
    } else if r.contains("delayed by a needlessly long period") {
        "to_self_delay is larger than LDK accepts (it would lock our funds for too long after a force-close)"
    } else if r.contains("channel_reserve") {
        "channel_reserve_satoshis is impossible for this funding amount"
    } else if r.contains("push_msat") {
        "push_msat gives away more than the channel can hold after reserves"
    } else if r.contains("max_accepted_htlcs") {
        "max_accepted_htlcs is 0 or over the 483 BOLT 2 allows"
    } else if r.contains("htlc_minimum_msat") || r.contains("minimum htlc value") {
        "htlc_minimum_msat is larger than the channel itself"
    } else if r.contains("feerate") || r.contains("fee") {
        "feerate_per_kw is outside the range LDK accepts for the current fee estimate"
    } else if r.contains("features") {
        "the peer requires features LDK does not know"
    } else if r.contains("temporary_channel_id") || r.contains("already") {
        "a channel with this temporary_channel_id already exists with that peer"
    } else {
        "see LDK's words above; BOLT 2's open_channel requirements list every rule"
    }
}

/// What the node's `error` means, for the order experiments: the BOLT 2 rule
/// LDK applied, in words. `None` for errors without a known rule.
fn explain_channel_error(data: &str) -> Option<&'static str> {
    let d = data.to_ascii_lowercase();
    Some(if d.contains("invalid commitment tx signature") {
        "the signature in commitment_signed covers a commitment transaction the node cannot rebuild. \
         Sent before its update_add_htlc, it signs a commitment that includes an HTLC the node has not \
         seen. BOLT 2 (commitment_signed, receiver): \"if signature is not valid for its local commitment \
         transaction ... MUST send a warning and close the connection, or send an error and fail the \
         channel\". Updates and signatures must arrive in the order they were made: that is why Lightning \
         needs an ordered, reliable transport"
    } else if d.contains("wrong number of htlc signatures") {
        "commitment_signed carries one signature per HTLC output, and the node counts a different number \
         of HTLCs than your side did: an update it never got (or got after the signature). BOLT 2: \"if \
         num_htlcs is not equal to the number of HTLC outputs in the local commitment transaction: MUST \
         send an error and fail the channel\""
    } else if d.contains("unexpected revoke_and_ack")
        || d.contains("didn't correspond to their current pubkey")
    {
        "a revoke_and_ack revokes one commitment, once. Sent again, it revokes nothing the node was \
         waiting for. BOLT 2 (revoke_and_ack, receiver): \"if the per_commitment_secret was not generated \
         by the protocol in BOLT #3: MUST send an error and fail the channel\" (LDK fails the channel \
         for any revoke_and_ack it did not ask for)"
    } else if d.contains("funding_created signature") || d.contains("funding_signed signature") {
        "the signature in funding_created does not verify against the node's first commitment \
         transaction (one flipped byte is enough). BOLT 2 (funding_created, receiver): \"if signature is \
         incorrect OR non-compliant with LOW-S-standard rule: MUST send a warning and close the \
         connection, or send an error and fail the channel\""
    } else if d.contains("timeout awaiting response") {
        "LDK waited too long for your side's answer (a revoke_and_ack, a commitment_signed, a \
         channel_reestablish): its ChannelManager disconnects a peer that leaves it waiting two of its \
         timer ticks (about 2 minutes in this shell). Answer sooner next time; the channel stays with the \
         node, but your side goes with this session"
    } else if d.contains("unknown channel")
        || d.contains("no such channel")
        || d.contains("not found for the passed counterparty")
    {
        "the message names a channel the node does not have with your side: BOLT 2 asks a node to \
         ignore or fail such messages"
    } else {
        return None;
    })
}

/// A learner's explanation of any `error` or `warning` LDK sends a peer: the
/// BOLT 2 rule behind a failed channel (the order experiments), else what a
/// refused `open_channel` got wrong. One table of LDK's words, in one room.
pub fn explain_ldk_error(data: &str) -> &'static str {
    explain_channel_error(data).unwrap_or_else(|| explain_refusal(data))
}
