//! "Your side": the LDK node a netcat session plays, built and signed for you.
//!
//! LDK's tutorial ends by asking the learner to pretend to be another node and
//! open a channel message by message. Half of those messages cannot be typed: a
//! `funding_created` carries a signature over a commitment transaction, a
//! `revoke_and_ack` a per-commitment secret. So each netcat session gets a second
//! real LDK `ChannelManager` in the shell, [`YourSide`], with keys of its own.
//! Everything the node sends to the session is delivered to it (as LDK's
//! `PeerManager` would), and everything it wants to send is kept in an
//! **outbox** instead of sent: the learner carries each message across by hand,
//! in any order they like, and sees what the node's `ChannelManager` makes of it.
//!
//! This is LDK's own functional-test pattern (`functional_test_utils.rs`: two
//! managers in one process, messages passed by hand), run by a person.
//!
//! Some messages your side can start on request ([`YourSide::build`]):
//! `open_channel`, `update_add_htlc` (a keysend payment to the node) and
//! `shutdown`. The rest are answers, which appear in the outbox when the node's
//! message that calls for them arrives. What cannot be sent yet is explained
//! ([`Missing`]) with what must happen first.
//!
//! Your side follows the shell's chain ([`super::regtest`]) from the block it
//! was made at, and broadcasts its funding transaction there. It lives exactly
//! as long as its session: dropping it detaches it from the chain.
//!
//! Its *key* may outlive it: a session that ends with no channel left gives its
//! key back to [`super::identities::Identities`], and the next session takes it,
//! so the node meets a peer it knew rather than a stranger (see there why that
//! matters).

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Arc;

use bitcoin::secp256k1::PublicKey;
use bitcoin::Network;
use lightning::events::{ClosureReason, Event as LdkEvent, EventsProvider, ReplayEvent};
use lightning::ln::channel_state::ChannelDetails;
use lightning::ln::msgs::{self, BaseMessageHandler};
use lightning::ln::types::ChannelId;
use lightning::sign::{KeysManager, NodeSigner, Recipient};
use lightning::types::features::InitFeatures;
use lightning::util::config::UserConfig;

use super::chain::{ReportingBroadcaster, MIN_PEER_FEERATE_SAT_PER_KW};
use super::channels::made_up_funding_tx;
use super::ldk::{self, Ldk, Setting};
use super::logger::FileLogger;
use super::manager;
use super::plain::{outgoing, ChannelMsg};
use super::regtest::{Attached, Chain, Follower, Origin};
use crate::events::EventSender;

/// The most messages an outbox holds; past it the oldest is dropped (LDK makes
/// a few per step, so only a session that never sends reaches it).
pub const MAX_OUTBOX: usize = 64;

/// Your side's defaults for `open_channel`: values LDK accepts.
pub const DEFAULT_FUNDING_SATOSHIS: u64 = 100_000;

/// The messages your side can start itself (the rest are answers).
pub const BUILDABLE: [&str; 3] = ["open_channel", "update_add_htlc", "shutdown"];

/// Why your side cannot send what was asked, in the session's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// Not a message name at all.
    UnknownName(String),
    /// A message only the node sends in this exchange.
    NodesMessage(&'static str, &'static str),
    /// Nothing of this name in the outbox, and your side cannot make one now.
    NotYet(&'static str, String),
    /// A field `make`/the name does not take.
    BadField(String),
    /// LDK refused to build it.
    Ldk(String),
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::UnknownName(n) => write!(
                f,
                "`{n}` is not a message your side sends; type `help` for the session's words"
            ),
            Missing::NodesMessage(name, why) => write!(f, "{name} is the node's to send: {why}"),
            Missing::NotYet(name, why) => write!(f, "your side has no {name} to send: {why}"),
            Missing::BadField(why) => f.write_str(why),
            Missing::Ldk(why) => write!(f, "your side's LDK refused: {why}"),
        }
    }
}

/// One queued message, with its bytes (what `outbox` shows).
#[derive(Clone, Debug)]
pub struct Queued {
    /// The message.
    pub msg: ChannelMsg,
    /// Type || payload.
    pub bytes: Vec<u8>,
}

/// Your side's LDK node, once it is needed.
struct Built {
    ldk: Ldk,
    _attached: Attached,
}

/// Your side: a second LDK node, played by the learner through a session.
///
/// Its identity (keys, node id) exists from the greeting; the `ChannelManager`
/// itself is built on first use (a session word, or the node opening a channel
/// to it), so a session that only pastes hex costs what it always did.
pub struct YourSide {
    session: u64,
    node_id: PublicKey,
    peer: PublicKey,
    peer_features: InitFeatures,
    network: Network,
    seed: [u8; 32],
    keys: Arc<KeysManager>,
    chain: Arc<Chain>,
    events: EventSender,
    graph: Arc<ldk::Graph>,
    node: Option<Built>,
    outbox: VecDeque<Queued>,
    /// The last message of each name sent, for "send it again" hints.
    last_sent: HashMap<&'static str, Vec<u8>>,
    next_user_channel_id: u128,
    /// Each funded channel's temporary id, and the id it has now: the node's
    /// error about a refused `funding_created` still names the temporary one.
    renamed: HashMap<ChannelId, ChannelId>,
}

impl YourSide {
    /// Your side with the keys of `seed` (from [`super::identities::Identities::take`]), for a peer
    /// of `peer` (the shell's node, whose `init` features are `peer_features`);
    /// its LDK node is built when first needed, at the shell chain's tip then,
    /// with the node's empty `graph`. Its channel keys are new even for a seed
    /// used before: LDK's `KeysManager` derives them from the time it starts too.
    // Each argument is one thing the session already holds.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        seed: [u8; 32],
        session: u64,
        peer: PublicKey,
        peer_features: InitFeatures,
        network: Network,
        chain: &Arc<Chain>,
        events: EventSender,
        graph: Arc<ldk::Graph>,
    ) -> Option<YourSide> {
        let keys = ldk::keys_manager(&seed);
        let node_id = keys.get_node_id(Recipient::Node).ok()?;
        Some(YourSide {
            session,
            node_id,
            peer,
            peer_features,
            network,
            seed,
            keys,
            chain: Arc::clone(chain),
            events,
            graph,
            node: None,
            outbox: VecDeque::new(),
            last_sent: HashMap::new(),
            next_user_channel_id: 1,
            renamed: HashMap::new(),
        })
    }

    /// Your side's LDK node, built now if it is not yet; `None` if LDK will not
    /// take the node as its peer.
    fn ldk(&mut self) -> Option<&Ldk> {
        if self.node.is_none() {
            let mut config = UserConfig::default();
            // The session tells the node it does not do upfront shutdown scripts
            // (so a hand-made open_channel without that TLV is still fine); your
            // side keeps to what it said.
            config
                .channel_handshake_config
                .commit_upfront_shutdown_pubkey = false;
            let (session, network) = (self.session, self.network);
            let keys = Arc::clone(&self.keys);
            let events = self.events.clone();
            let graph = Arc::clone(&self.graph);
            let chain = Arc::clone(&self.chain);
            let (ldk, attached) = self.chain.attach(|best_block| {
                let ldk = ldk::build(
                    keys,
                    // Your side's log is kept in memory only: the node's log stays the node's.
                    Arc::new(FileLogger::memory_only()),
                    Setting {
                        network,
                        best_block,
                        broadcaster: Arc::new(ReportingBroadcaster {
                            events,
                            chain: Some(chain),
                            origin: Origin::Session(session),
                        }),
                        config,
                        graph: Some(graph),
                    },
                );
                let followers: Vec<Follower> = vec![
                    manager::gated(
                        &ldk.channel_manager,
                        Arc::clone(&ldk.chain_monitor) as Follower,
                    ),
                    Arc::clone(&ldk.channel_manager) as Follower,
                ];
                (ldk, followers)
            });
            let init = msgs::Init {
                features: self.peer_features.clone(),
                networks: Some(vec![bitcoin::constants::ChainHash::using_genesis_block(
                    self.network,
                )]),
                remote_network_address: None,
            };
            ldk.cm().peer_connected(self.peer, &init, false).ok()?;
            self.node = Some(Built {
                ldk,
                _attached: attached,
            });
        }
        self.node.as_ref().map(|b| &b.ldk)
    }

    /// The seed of your side's keys (to give back to [`super::identities::Identities`]).
    pub fn seed(&self) -> [u8; 32] {
        self.seed
    }

    /// Your side's node id (the session's identity as the node sees it).
    pub fn node_id(&self) -> PublicKey {
        self.node_id
    }

    /// The `init` your side sends the node: LDK's features, less
    /// `option_upfront_shutdown_script` (see [`YourSide::new`]).
    pub fn init(&self) -> msgs::Init {
        // Your side runs the node's own LDK with the node's own configuration, so
        // it offers the node's features.
        let mut features = self.peer_features.clone();
        features.clear_upfront_shutdown_script();
        msgs::Init {
            features,
            networks: Some(vec![bitcoin::constants::ChainHash::using_genesis_block(
                self.network,
            )]),
            remote_network_address: None,
        }
    }

    /// Your side's channels with the node.
    pub fn channels(&self) -> Vec<ChannelDetails> {
        self.node
            .as_ref()
            .map(|b| b.ldk.cm().list_channels())
            .unwrap_or_default()
    }

    fn knows(&self, channel: &ChannelId) -> bool {
        channel.0 == [0; 32]
            || self.renamed.contains_key(channel)
            || self.channels().iter().any(|c| c.channel_id == *channel)
    }

    /// Delivers a message the node sent to your side, then collects what your
    /// side makes of it. Returns lines for the client (what your side did).
    pub fn receive(&mut self, msg: ChannelMsg) -> Vec<String> {
        super::contain::test_panic(super::contain::Site::Side);
        let mut notes = Vec::new();
        if let Some(channel) = channel_of(&msg) {
            if !self.knows(&channel) && matches!(msg, ChannelMsg::Error(_) | ChannelMsg::Warning(_))
            {
                // The node's error about a channel your side never had (a pasted
                // message's): the client has read it; your side has nothing to fail.
                return notes;
            }
            if !self.knows(&channel) && !matches!(msg, ChannelMsg::OpenChannel(_)) {
                notes.push(format!(
                    "your side: {} is for channel {channel}, which your side did not open: a \
                     channel started by a pasted message cannot be carried further, because \
                     its keys (funding_pubkey, basepoints) are not your side's. Type \
                     `open_channel` to let your side open one it can sign for.",
                    msg.name()
                ));
                return notes;
            }
        }
        let msg = self.renamed_back(msg);
        let peer = self.peer;
        let Some(ldk) = self.ldk() else {
            notes.push("your side: LDK would not take the node as a peer".into());
            return notes;
        };
        if !msg.clone().deliver(&**ldk.cm(), peer) {
            notes.push(format!(
                "your side: LDK's ChannelManager has no handler for {}; a node only logs it",
                msg.name()
            ));
        }
        notes.extend(self.pump());
        notes
    }

    /// Runs your side's LDK: its events (funding, payments, closes), HTLCs
    /// waiting to be processed, and the messages it wants to send, which go to
    /// the outbox. Returns lines for the client.
    pub fn pump(&mut self) -> Vec<String> {
        let Some(built) = self.node.as_ref() else {
            return Vec::new();
        };
        let cm = built.ldk.cm();
        let monitor = Arc::clone(&built.ldk.chain_monitor);
        let renamed = std::cell::RefCell::new(Vec::new());
        let notes = std::cell::RefCell::new(Vec::new());
        let failed = std::cell::RefCell::new(Vec::new());
        let handler = |ev: LdkEvent| -> Result<(), ReplayEvent> {
            if let LdkEvent::ChannelClosed {
                channel_id, reason, ..
            } = &ev
            {
                // A failed channel's queued messages can never be used; a
                // cooperative close still has its last closing_signed to send.
                if !matches!(
                    reason,
                    ClosureReason::CounterpartyInitiatedCooperativeClosure
                        | ClosureReason::LocallyInitiatedCooperativeClosure
                        | ClosureReason::LegacyCooperativeClosure
                ) {
                    failed.borrow_mut().push(*channel_id);
                }
            }
            if let LdkEvent::FundingGenerationReady {
                temporary_channel_id,
                ..
            } = &ev
            {
                renamed.borrow_mut().push(*temporary_channel_id);
            }
            if let Some(n) = self.on_event(&cm, ev) {
                notes.borrow_mut().push(n);
            }
            Ok(())
        };
        for _ in 0..2 {
            cm.process_pending_events(&handler);
            monitor.process_pending_events(&handler);
            if cm.needs_pending_htlc_processing() {
                cm.process_pending_htlc_forwards();
            }
        }
        let _ = cm.get_and_clear_needs_persistence();
        let mut notes = notes.into_inner();
        // After funding, a channel is known by an id from its funding outpoint.
        for temp in renamed.into_inner() {
            if let Some(now) = cm
                .list_channels()
                .iter()
                .find(|c| {
                    c.funding_txo.is_some() && !self.renamed.values().any(|v| *v == c.channel_id)
                })
                .map(|c| c.channel_id)
            {
                self.renamed.insert(temp, now);
            }
        }
        let failed = failed.into_inner();
        if !failed.is_empty() {
            let before = self.outbox.len();
            let renamed = &self.renamed;
            self.outbox.retain(|q| {
                matches!(q.msg, ChannelMsg::Error(_))
                    || !channel_of(&q.msg).is_some_and(|c| {
                        failed.contains(&c) || renamed.get(&c).is_some_and(|r| failed.contains(r))
                    })
            });
            let dropped = before - self.outbox.len();
            if dropped > 0 {
                notes.push(format!(
                    "your side dropped {dropped} queued message{} for the failed channel",
                    if dropped == 1 { "" } else { "s" }
                ));
            }
        }
        for ev in cm.get_and_clear_pending_msg_events() {
            let out = outgoing(ev);
            for msg in out.messages {
                let bytes = msg.bytes();
                notes.push(format!(
                    "your side: {} is ready in the outbox (type `{}` to send it)",
                    msg.name(),
                    msg.name()
                ));
                if self.outbox.len() == MAX_OUTBOX {
                    self.outbox.pop_front();
                }
                self.outbox.push_back(Queued { msg, bytes });
            }
        }
        notes
    }

    fn on_event(&self, cm: &ldk::ChannelManager, ev: LdkEvent) -> Option<String> {
        match ev {
            LdkEvent::FundingGenerationReady {
                temporary_channel_id,
                counterparty_node_id,
                channel_value_satoshis,
                output_script,
                ..
            } => {
                let tx =
                    made_up_funding_tx(&temporary_channel_id, channel_value_satoshis, output_script);
                let txid = tx.compute_txid();
                Some(
                    match cm.funding_transaction_generated(
                        temporary_channel_id,
                        counterparty_node_id,
                        tx,
                    ) {
                        Ok(()) => format!(
                            "your side built the funding transaction {txid} ({channel_value_satoshis} \
                             sat to the 2-of-2 script; its input is made up, as the shell's chain \
                             checks no inputs) and signed the node's first commitment"
                        ),
                        Err(e) => format!("your side could not fund the channel: {e:?}"),
                    },
                )
            }
            LdkEvent::ChannelPending { channel_id, .. } => Some(format!(
                "your side: channel {channel_id} is pending; the funding transaction is in the \
                 shell's mempool. In the shell, `mine 6` confirms it"
            )),
            LdkEvent::ChannelReady { channel_id, .. } => Some(format!(
                "your side: channel {channel_id} is ready on both sides: `update_add_htlc amount_msat=10000` pays the node"
            )),
            LdkEvent::PaymentSent {
                payment_hash,
                amount_msat,
                ..
            } => Some(format!(
                "your side: the node claimed your payment {payment_hash} ({} msat): its \
                 update_fulfill_htlc carried the preimage",
                amount_msat.unwrap_or(0)
            )),
            LdkEvent::PaymentFailed { reason, .. } => Some(format!(
                "your side: the payment failed ({})",
                reason.map(|r| format!("{r:?}")).unwrap_or_else(|| "no reason".into())
            )),
            LdkEvent::ChannelClosed {
                channel_id, reason, ..
            } => Some(format!("your side: channel {channel_id} closed: {reason}")),
            LdkEvent::PaymentClaimable {
                purpose,
                payment_hash,
                ..
            } => {
                match purpose.preimage() {
                    Some(p) => cm.claim_funds(p),
                    None => cm.fail_htlc_backwards(&payment_hash),
                }
                None
            }
            LdkEvent::PaymentClaimed { amount_msat, .. } => Some(format!(
                "your side received {amount_msat} msat from the node"
            )),
            _ => None,
        }
    }

    /// What is in the outbox, in order.
    pub fn outbox(&self) -> impl Iterator<Item = &Queued> {
        self.outbox.iter()
    }

    /// Takes the first queued message called `name`, for sending.
    pub fn take(&mut self, name: &str) -> Option<Queued> {
        let i = self.outbox.iter().position(|q| q.msg.name() == name)?;
        let q = self.outbox.remove(i)?;
        self.last_sent.insert(q.msg.name(), q.bytes.clone());
        Some(q)
    }

    /// Builds `name` into the outbox where your side can start one; otherwise
    /// explains what must happen first.
    /// Returns what your side said while building (what is now in the outbox).
    pub fn build(
        &mut self,
        name: &str,
        fields: &[(String, String)],
    ) -> Result<Vec<String>, Missing> {
        match name {
            "open_channel" => self.open_channel(fields),
            "update_add_htlc" => self.pay(fields),
            "shutdown" => self.shutdown(fields),
            _ => Err(self.why_not(name)),
        }
    }

    /// Why there is no `name` to send.
    pub fn why_not(&self, name: &str) -> Missing {
        let again = |n: &str| match self.last_sent.get(n) {
            Some(bytes) => format!(
                " (to send the last one again, paste its hex: {})",
                hex::encode(bytes)
            ),
            None => String::new(),
        };
        let have_channel = !self.channels().is_empty();
        let ready = self.channels().iter().any(|c| c.is_channel_ready);
        match name {
            "accept_channel" | "funding_signed" => Missing::NodesMessage(
                if name == "accept_channel" {
                    "accept_channel"
                } else {
                    "funding_signed"
                },
                "your side is the opener (the funder); the node answers your open_channel and funding_created",
            ),
            "funding_created" => Missing::NotYet(
                "funding_created",
                if have_channel {
                    format!("it is built when the node's accept_channel arrives, and sent once{}", again(name))
                } else {
                    "your side has no accepted channel yet: send `open_channel` and wait for `accept_channel`".into()
                },
            ),
            "channel_ready" => Missing::NotYet(
                "channel_ready",
                if have_channel {
                    format!("it comes once the funding transaction is deep enough: in the shell, `mine 6`{}", again(name))
                } else {
                    "there is no channel yet: `open_channel` first".into()
                },
            ),
            "commitment_signed" => Missing::NotYet(
                "commitment_signed",
                format!(
                    "your side signs a new commitment after an update (`update_add_htlc amount_msat=N`) or to answer the node's revoke_and_ack{}",
                    again(name)
                ),
            ),
            "revoke_and_ack" => Missing::NotYet(
                "revoke_and_ack",
                format!(
                    "your side revokes its old commitment only after it receives the node's commitment_signed{}",
                    again(name)
                ),
            ),
            "update_fulfill_htlc" | "update_fail_htlc" => Missing::NotYet(
                if name == "update_fulfill_htlc" {
                    "update_fulfill_htlc"
                } else {
                    "update_fail_htlc"
                },
                "your side settles an HTLC only when the node adds one to it; here your side pays, and the node fulfils".into(),
            ),
            "closing_signed" => Missing::NotYet(
                "closing_signed",
                "it follows `shutdown` from both sides, once no HTLC is pending".into(),
            ),
            "update_add_htlc" | "open_channel" | "shutdown" => Missing::NotYet(
                "message",
                format!("`{name}` builds one")
            ),
            _ if ready || have_channel => Missing::UnknownName(name.to_string()),
            _ => Missing::UnknownName(name.to_string()),
        }
    }

    fn open_channel(&mut self, fields: &[(String, String)]) -> Result<Vec<String>, Missing> {
        let mut funding = DEFAULT_FUNDING_SATOSHIS;
        let mut feerate = None;
        let mut push_msat = 0u64;
        let mut config = UserConfig::default();
        config
            .channel_handshake_config
            .commit_upfront_shutdown_pubkey = false;
        for (k, v) in fields {
            let n = number(k, v)?;
            match k.as_str() {
                "funding_satoshis" => funding = n,
                "push_msat" => push_msat = n,
                "to_self_delay" => {
                    config.channel_handshake_config.our_to_self_delay =
                        u16::try_from(n).map_err(|_| {
                            Missing::BadField(format!(
                                "to_self_delay is 2 bytes: {n} is over 65535"
                            ))
                        })?
                }
                "feerate_per_kw" => {
                    let rate = u32::try_from(n).map_err(|_| {
                        Missing::BadField(format!("feerate_per_kw is 4 bytes: {n} is too large"))
                    })?;
                    if rate < MIN_PEER_FEERATE_SAT_PER_KW {
                        return Err(Missing::BadField(format!(
                            "feerate_per_kw {rate} is below the relay floor of {MIN_PEER_FEERATE_SAT_PER_KW} sat/kw; your side will not build it (paste altered hex to try the node)"
                        )));
                    }
                    feerate = Some(rate)
                }
                other => {
                    return Err(unsettable(
                        "open_channel",
                        other,
                        "funding_satoshis, push_msat, to_self_delay, feerate_per_kw",
                    ))
                }
            }
        }
        let id = self.next_user_channel_id;
        self.next_user_channel_id += 1;
        let peer = self.peer;
        let ldk = self
            .ldk()
            .ok_or_else(|| Missing::Ldk("LDK would not take the node as a peer".into()))?;
        if let Some(rate) = feerate {
            ldk.fees.set(rate);
        }
        ldk.cm()
            .create_channel(peer, funding, push_msat, id, None, Some(config))
            .map_err(|e| Missing::Ldk(format!("{e:?}")))?;
        Ok(self.pump())
    }

    fn pay(&mut self, fields: &[(String, String)]) -> Result<Vec<String>, Missing> {
        let mut amount = None;
        for (k, v) in fields {
            match k.as_str() {
                "amount_msat" => amount = Some(number(k, v)?),
                other => return Err(unsettable("update_add_htlc", other, "amount_msat")),
            }
        }
        let amount = amount.ok_or_else(|| {
            Missing::BadField("say how much: `update_add_htlc amount_msat=10000`".into())
        })?;
        if !self.channels().iter().any(|c| c.is_usable) {
            return Err(Missing::NotYet(
                "update_add_htlc",
                "your side has no usable channel: open one, `mine 6` in the shell, and send channel_ready".into(),
            ));
        }
        let Some(built) = self.node.as_ref() else {
            return Err(Missing::NotYet(
                "update_add_htlc",
                "your side has no channel yet".into(),
            ));
        };
        ldk::send_keysend(&built.ldk.cm(), self.peer, amount)
            .map_err(|e| {
                Missing::Ldk(format!(
                    "{e:?} (a payment must fit the channel: `channels` in the shell shows what your side can send)"
                ))
            })?;
        Ok(self.pump())
    }

    fn shutdown(&mut self, fields: &[(String, String)]) -> Result<Vec<String>, Missing> {
        if let Some((k, _)) = fields.first() {
            return Err(unsettable("shutdown", k, "nothing"));
        }
        let Some(channel) = self
            .channels()
            .into_iter()
            .find(|c| c.is_channel_ready || c.is_usable)
        else {
            return Err(Missing::NotYet(
                "shutdown",
                "your side has no ready channel to close".into(),
            ));
        };
        let Some(built) = self.node.as_ref() else {
            return Err(Missing::NotYet(
                "shutdown",
                "your side has no channel".into(),
            ));
        };
        built
            .ldk
            .cm()
            .close_channel(&channel.channel_id, &self.peer)
            .map_err(|e| Missing::Ldk(format!("{e:?}")))?;
        Ok(self.pump())
    }

    /// Resolves when your side's LDK has something to do (LDK's own waker).
    pub fn wake(&self) -> Option<lightning::util::wakers::Future> {
        self.node
            .as_ref()
            .map(|b| b.ldk.cm().get_event_or_persistence_needed_future())
    }

    /// A message naming a funded channel by its temporary id, renamed to the
    /// id your side knows it by now.
    fn renamed_back(&self, msg: ChannelMsg) -> ChannelMsg {
        match msg {
            ChannelMsg::Error(mut e) => {
                if let Some(now) = self.renamed.get(&e.channel_id) {
                    e.channel_id = *now;
                }
                ChannelMsg::Error(e)
            }
            other => other,
        }
    }

    /// Puts a message taken by mistake back at the front of the outbox.
    pub fn requeue_front(&mut self, q: Queued) {
        self.outbox.push_front(q);
    }

    /// The session this side belongs to.
    pub fn session(&self) -> u64 {
        self.session
    }
}

impl Drop for YourSide {
    fn drop(&mut self) {
        if let Some(b) = &self.node {
            b.ldk.cm().peer_disconnected(self.peer);
        }
    }
}

fn number(k: &str, v: &str) -> Result<u64, Missing> {
    v.parse::<u64>()
        .map_err(|_| Missing::BadField(format!("{k} takes a whole number, not `{v}`")))
}

fn unsettable(name: &str, field: &str, settable: &str) -> Missing {
    Missing::BadField(format!(
        "your side builds {name} with LDK, which sets `{field}` itself from its keys and state; \
         you can set: {settable}. To send other bytes, copy a message from `outbox`, change it \
         and paste the hex"
    ))
}

/// The channel a message is about, when it names one.
pub fn channel_of(msg: &ChannelMsg) -> Option<ChannelId> {
    use ChannelMsg as M;
    Some(match msg {
        M::OpenChannel(m) => m.common_fields.temporary_channel_id,
        M::AcceptChannel(m) => m.common_fields.temporary_channel_id,
        M::FundingCreated(m) => m.temporary_channel_id,
        M::FundingSigned(m) => m.channel_id,
        M::ChannelReady(m) => m.channel_id,
        M::Shutdown(m) => m.channel_id,
        M::ClosingSigned(m) => m.channel_id,
        M::UpdateAddHtlc(m) => m.channel_id,
        M::UpdateFulfillHtlc(m) => m.channel_id,
        M::UpdateFailHtlc(m) => m.channel_id,
        M::UpdateFailMalformedHtlc(m) => m.channel_id,
        M::CommitmentSigned(m) => m.channel_id,
        M::RevokeAndAck(m) => m.channel_id,
        M::UpdateFee(m) => m.channel_id,
        M::ChannelReestablish(m) => m.channel_id,
        M::AnnouncementSignatures(m) => m.channel_id,
        M::Error(m) => m.channel_id,
        M::Warning(m) => m.channel_id,
        _ => return None,
    })
}
