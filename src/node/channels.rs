//! Channels: LDK's real `ChannelManager`, in memory, with no blockchain behind it.
//!
//! The node answers an inbound `open_channel` the way any LDK node would
//! (`accept_channel`, or an `error` with LDK's reason), and can open channels
//! itself: `open_channel` → `accept_channel` → a funding transaction built here
//! (regtest; its input is made up, which is fine because nothing is broadcast)
//! → `funding_created` → `funding_signed` → channel pending.
//!
//! [`Responder`] answers "what would LDK say to this `open_channel`?" with a second,
//! throwaway `ChannelManager`, so a learner's experiments never touch the node's
//! real peers or channels.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bitcoin::absolute::LockTime;
use bitcoin::hashes::{sha256, Hash};
use bitcoin::secp256k1::{PublicKey, Secp256k1, SecretKey};
use bitcoin::transaction::Version;
use bitcoin::{
    Amount, Network, OutPoint, ScriptBuf, Sequence, Transaction, TxIn, TxOut, Txid, Witness,
};
use lightning::chain::BestBlock;
use lightning::events::{Event as LdkEvent, EventsProvider, ReplayEvent};
use lightning::ln::channelmanager::ChainParameters;
use lightning::ln::msgs::{
    self, BaseMessageHandler, ChannelMessageHandler, ErrorAction, MessageSendEvent,
};
use lightning::ln::types::ChannelId;
use lightning::onion_message::messenger::DefaultMessageRouter;
use lightning::routing::gossip::NetworkGraph;
use lightning::routing::router::DefaultRouter;
use lightning::routing::scoring::{
    ProbabilisticScorer, ProbabilisticScoringDecayParameters, ProbabilisticScoringFeeParameters,
};
use lightning::sign::{KeysManager, NodeSigner};
use lightning::util::config::UserConfig;
use tokio::sync::oneshot;

use super::chain::{ChainMonitor, ConstantFeeEstimator, MemoryPersister, ReportingBroadcaster};
use super::logger::FileLogger;
use super::trace::wire_bytes;
use crate::events::{Event, EventSender};

type Graph = NetworkGraph<Arc<FileLogger>>;
type Scorer = ProbabilisticScorer<Arc<Graph>, Arc<FileLogger>>;
type Router = DefaultRouter<
    Arc<Graph>,
    Arc<FileLogger>,
    Arc<KeysManager>,
    Arc<RwLock<Scorer>>,
    ProbabilisticScoringFeeParameters,
    Scorer,
>;
type MessageRouter = DefaultMessageRouter<Arc<Graph>, Arc<FileLogger>, Arc<KeysManager>>;

/// LDK's `ChannelManager`, with this node's in-memory chain pieces.
pub type ChannelManager = lightning::ln::channelmanager::ChannelManager<
    Arc<ChainMonitor>,
    Arc<ReportingBroadcaster>,
    Arc<KeysManager>,
    Arc<KeysManager>,
    Arc<KeysManager>,
    Arc<ConstantFeeEstimator>,
    Arc<Router>,
    Arc<MessageRouter>,
    Arc<FileLogger>,
>;

/// A `ChannelManager` and the `ChainMonitor` it reports to.
pub struct Ldk {
    /// The channel manager.
    pub channel_manager: Arc<ChannelManager>,
    /// Its chain monitor (monitors in memory).
    pub chain_monitor: Arc<ChainMonitor>,
}

/// Builds a `ChannelManager` for `network` with `UserConfig::default()`.
pub fn build(
    keys: Arc<KeysManager>,
    network: Network,
    logger: Arc<FileLogger>,
    events: EventSender,
) -> Ldk {
    let fees = Arc::new(ConstantFeeEstimator);
    let broadcaster = Arc::new(ReportingBroadcaster { events });
    let chain_monitor = Arc::new(ChainMonitor::new(
        None,
        Arc::clone(&broadcaster),
        Arc::clone(&logger),
        Arc::clone(&fees),
        Arc::new(MemoryPersister),
        Arc::clone(&keys),
        keys.get_peer_storage_key(),
    ));
    let graph = Arc::new(NetworkGraph::new(network, Arc::clone(&logger)));
    let scorer = Arc::new(RwLock::new(ProbabilisticScorer::new(
        ProbabilisticScoringDecayParameters::default(),
        Arc::clone(&graph),
        Arc::clone(&logger),
    )));
    let router = Arc::new(DefaultRouter::new(
        Arc::clone(&graph),
        Arc::clone(&logger),
        Arc::clone(&keys),
        scorer,
        ProbabilisticScoringFeeParameters::default(),
    ));
    let message_router = Arc::new(DefaultMessageRouter::new(graph, Arc::clone(&keys)));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as u32;
    let channel_manager = Arc::new(ChannelManager::new(
        fees,
        Arc::clone(&chain_monitor),
        broadcaster,
        router,
        message_router,
        logger,
        Arc::clone(&keys),
        Arc::clone(&keys),
        keys,
        UserConfig::default(),
        ChainParameters {
            network,
            best_block: BestBlock::from_network(network),
        },
        now,
    ));
    Ldk {
        channel_manager,
        chain_monitor,
    }
}

/// Who is waiting for an `openchannel` to finish, by `user_channel_id`.
pub(crate) type OpenWaiters = Mutex<HashMap<u128, oneshot::Sender<Result<String, String>>>>;

/// Handles one LDK event: reports it, and funds channels we open.
pub(crate) fn handle_event(
    cm: &ChannelManager,
    events: &EventSender,
    waiters: &OpenWaiters,
    event: LdkEvent,
) {
    match event {
        LdkEvent::FundingGenerationReady {
            temporary_channel_id,
            counterparty_node_id,
            channel_value_satoshis,
            output_script,
            user_channel_id,
            ..
        } => {
            let tx =
                made_up_funding_tx(&temporary_channel_id, channel_value_satoshis, output_script);
            let _ = events.send(Event::FundingBuilt {
                counterparty_node_id,
                txid: tx.compute_txid(),
                channel_value_satoshis,
            });
            if let Err(e) =
                cm.funding_transaction_generated(temporary_channel_id, counterparty_node_id, tx)
            {
                let text = format!("LDK refused the funding transaction: {e:?}");
                let _ = events.send(Event::FundingRefused { error: e });
                finish(waiters, user_channel_id, Err(text));
            }
        }
        LdkEvent::ChannelPending {
            channel_id,
            user_channel_id,
            counterparty_node_id,
            funding_txo,
            ..
        } => {
            // The words for a waiting `openchannel`; the event carries the data.
            let text = format!(
                "ChannelPending: channel {channel_id} with {counterparty_node_id} is pending; funding outpoint {funding_txo} \
                 (it would be ready after confirmations; there is no chain here)"
            );
            let _ = events.send(Event::ChannelPending {
                channel_id,
                counterparty_node_id,
                funding_txo,
            });
            finish(waiters, user_channel_id, Ok(text));
        }
        LdkEvent::ChannelReady {
            channel_id,
            counterparty_node_id,
            ..
        } => {
            let _ = events.send(Event::ChannelReady {
                channel_id,
                counterparty_node_id,
            });
        }
        LdkEvent::ChannelClosed {
            channel_id,
            user_channel_id,
            reason,
            counterparty_node_id,
            ..
        } => {
            let who = counterparty_node_id
                .map(|n| format!(" with {n}"))
                .unwrap_or_default();
            let text = format!("ChannelClosed: channel {channel_id}{who}: {reason}");
            let _ = events.send(Event::ChannelClosed {
                channel_id,
                counterparty_node_id,
                reason,
            });
            finish(waiters, user_channel_id, Err(text));
        }
        LdkEvent::OpenChannelRequest {
            temporary_channel_id,
            counterparty_node_id,
            funding_satoshis,
            ..
        } => {
            let _ = events.send(Event::OpenChannelRequest {
                temporary_channel_id,
                counterparty_node_id,
                funding_satoshis,
            });
        }
        LdkEvent::DiscardFunding { channel_id, .. } => {
            let _ = events.send(Event::DiscardFunding { channel_id });
        }
        other => {
            let _ = events.send(Event::OtherLdkEvent(Box::new(other)));
        }
    }
}

fn finish(waiters: &OpenWaiters, user_channel_id: u128, result: Result<String, String>) {
    if let Some(tx) = waiters
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&user_channel_id)
    {
        let _ = tx.send(result);
    }
}

/// A funding transaction whose one input spends an output that does not exist.
///
/// LDK checks that funding inputs carry witnesses (segwit spends, so the txid
/// cannot be malleated), so the input gets a placeholder witness.
pub fn made_up_funding_tx(
    seed: &ChannelId,
    value_sat: u64,
    output_script: ScriptBuf,
) -> Transaction {
    let prev = Txid::from_byte_array(sha256::Hash::hash(&seed.0).to_byte_array());
    Transaction {
        version: Version::TWO,
        lock_time: LockTime::ZERO,
        input: vec![TxIn {
            previous_output: OutPoint {
                txid: prev,
                vout: 0,
            },
            script_sig: ScriptBuf::new(),
            sequence: Sequence::ENABLE_RBF_NO_LOCKTIME,
            witness: Witness::from_slice(&[vec![0x30; 72], vec![0x02; 33]]),
        }],
        output: vec![TxOut {
            value: Amount::from_sat(value_sat),
            script_pubkey: output_script,
        }],
    }
}

/// Processes LDK's pending events once (both the channel manager's and the chain
/// monitor's).
pub(crate) fn process_events(ldk: &Ldk, events: &EventSender, waiters: &OpenWaiters) {
    let cm = &ldk.channel_manager;
    let handler = |ev: LdkEvent| -> Result<(), ReplayEvent> {
        handle_event(cm, events, waiters, ev);
        Ok(())
    };
    cm.process_pending_events(&handler);
    ldk.chain_monitor.process_pending_events(&handler);
    // Nothing is persisted, but the flag must be cleared or the future keeps firing.
    let _ = cm.get_and_clear_needs_persistence();
}

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
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let keys = Arc::new(KeysManager::new(
            &seed,
            now.as_secs(),
            now.subsec_nanos(),
            true,
        ));
        Responder {
            ldk: build(keys, network, logger, events),
            network,
        }
    }

    /// Feeds `msg` to the throwaway manager as if a freshly connected peer sent it.
    pub fn answer(&self, msg: &msgs::OpenChannel) -> Answer {
        let cm = &self.ldk.channel_manager;
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
            .channel_manager
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

/// A learner's explanation of LDK's reason for refusing an `open_channel`.
pub fn explain_refusal(reason: &str) -> &'static str {
    let r = reason.to_ascii_lowercase();
    if r.contains("genesis block hash") {
        "the chain_hash names another network than this node's (`info` shows ours; `encode open_channel` uses it)"
    } else if r.contains("channel_type") || r.contains("channel type") {
        "the channel_type TLV is missing or names a type LDK does not support; LDK requires one it knows (option_static_remotekey at least)"
    } else if r.contains("announcement preference") {
        "channel_flags asks for an announced (public) channel; by default LDK accepts only unannounced ones (set channel_flags=0)"
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

/// How long `openchannel` waits for the channel to become pending.
pub const OPEN_TIMEOUT: Duration = Duration::from_secs(10);
