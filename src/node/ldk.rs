//! Every LDK generic this node uses, named once, and the constructor that fits
//! them together.
//!
//! LDK is generic over everything it touches: the `ChannelManager` alone takes nine
//! type parameters (a chain monitor, a broadcaster, three key sources, a fee
//! estimator, a router, a message router and a logger), and the router has six of
//! its own. Spelled out at every use, those types would bury the code that uses
//! them. So, as ldk-node does in its `types.rs`, they are spelled once here, as
//! aliases over this node's concrete pieces ([`super::chain`]'s stand-ins for a
//! blockchain, [`FileLogger`], LDK's `KeysManager`), and the rest of the node only
//! says `ChannelManager`.
//!
//! [`build`] is the one place those pieces are wired: the node's real
//! `ChannelManager` and the [`Responder`](super::responder::Responder)'s throwaway one are
//! made the same way, so an experiment answers exactly as the node would.
//!
//! Two aliases live elsewhere, next to what they are made of: the `ChainMonitor`
//! in [`super::chain`], with the stand-ins it is generic over, and `PeerManager`
//! with [`Node`](super::Node), since its type arguments are this node's own
//! handlers (the tracer, the peer watcher).

use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use bitcoin::Network;
use lightning::chain::BestBlock;
use lightning::ln::channelmanager::ChainParameters;
use lightning::onion_message::messenger::DefaultMessageRouter;
use lightning::routing::gossip::NetworkGraph;
use lightning::routing::router::DefaultRouter;
use lightning::routing::scoring::{
    ProbabilisticScorer, ProbabilisticScoringDecayParameters, ProbabilisticScoringFeeParameters,
};
use lightning::sign::{KeysManager, NodeSigner};
use lightning::util::config::UserConfig;

use super::chain::{ChainMonitor, ConstantFeeEstimator, MemoryPersister, ReportingBroadcaster};
use super::logger::FileLogger;
use super::manager;
use crate::events::EventSender;

/// The network graph the router would search (empty: this node keeps no gossip).
pub type Graph = NetworkGraph<Arc<FileLogger>>;
/// How the router would rank channels it has tried.
pub type Scorer = ProbabilisticScorer<Arc<Graph>, Arc<FileLogger>>;
/// The router `ChannelManager` asks for payment paths (no payments are made here).
pub type Router = DefaultRouter<
    Arc<Graph>,
    Arc<FileLogger>,
    Arc<KeysManager>,
    Arc<RwLock<Scorer>>,
    ProbabilisticScoringFeeParameters,
    Scorer,
>;
/// The router for onion messages (blinded paths), which `ChannelManager` also needs.
pub type MessageRouter = DefaultMessageRouter<Arc<Graph>, Arc<FileLogger>, Arc<KeysManager>>;

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

/// The node's `ChannelManager` behind its gate (a rebuild may replace it).
pub type Manager = manager::Manager<ChannelManager>;

/// The node's `ChannelManager`, held for one use.
pub type ManagerGuard<'a> = manager::ManagerGuard<'a, ChannelManager>;

/// A `ChannelManager` and the `ChainMonitor` it reports to, with the pieces it was
/// made of (a rebuild reads it back with the same ones: see [`super::rebuild`]).
pub struct Ldk {
    /// The channel manager, behind the gate a rebuild closes.
    pub channel_manager: Arc<Manager>,
    /// Its chain monitor (monitors in memory).
    pub chain_monitor: Arc<ChainMonitor>,
    /// Its fee estimator.
    pub fees: Arc<ConstantFeeEstimator>,
    /// The (empty) network graph its router searches.
    pub graph: Arc<Graph>,
    /// Its keys (entropy, node signer and signer provider in one).
    pub keys: Arc<KeysManager>,
    /// Where its transactions go.
    pub broadcaster: Arc<ReportingBroadcaster>,
    /// Its payment router.
    pub router: Arc<Router>,
    /// Its onion message router.
    pub message_router: Arc<MessageRouter>,
    /// Its logger.
    pub logger: Arc<FileLogger>,
    /// Its configuration.
    pub config: UserConfig,
}

impl Ldk {
    /// The channel manager, for one use (see [`Manager::get`]).
    pub fn cm(&self) -> ManagerGuard<'_> {
        self.channel_manager.get()
    }
}

/// Where a new `ChannelManager` stands: which chain, from which block, and where
/// what it broadcasts goes.
pub struct Setting {
    /// The network (its genesis block starts the chain).
    pub network: Network,
    /// The block the manager starts at: the shell chain's tip when it is built.
    pub best_block: BestBlock,
    /// Where its transactions go.
    pub broadcaster: Arc<ReportingBroadcaster>,
    /// Its configuration.
    pub config: UserConfig,
    /// The network graph to share, if one exists already. LDK's graph reserves
    /// about 150 MB of address space up front; the shell's managers keep no
    /// gossip, so one empty graph serves them all.
    pub graph: Option<Arc<Graph>>,
}

impl Setting {
    /// A manager at `network`'s genesis whose broadcasts are only reported.
    pub fn detached(network: Network, events: EventSender) -> Setting {
        Setting {
            network,
            best_block: BestBlock::from_network(network),
            broadcaster: Arc::new(ReportingBroadcaster {
                events,
                chain: None,
                origin: super::regtest::Origin::Node,
            }),
            config: UserConfig::default(),
            graph: None,
        }
    }
}

/// Builds a `ChannelManager` (and its `ChainMonitor`) as `setting` says.
pub fn build(keys: Arc<KeysManager>, logger: Arc<FileLogger>, setting: Setting) -> Ldk {
    let Setting {
        network,
        best_block,
        broadcaster,
        config,
        graph,
    } = setting;
    let fees = Arc::new(ConstantFeeEstimator::default());
    let chain_monitor = Arc::new(ChainMonitor::new(
        None,
        Arc::clone(&broadcaster),
        Arc::clone(&logger),
        Arc::clone(&fees),
        Arc::new(MemoryPersister),
        Arc::clone(&keys),
        keys.get_peer_storage_key(),
    ));
    let graph = graph.unwrap_or_else(|| Arc::new(NetworkGraph::new(network, Arc::clone(&logger))));
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
    let message_router = Arc::new(DefaultMessageRouter::new(
        Arc::clone(&graph),
        Arc::clone(&keys),
    ));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as u32;
    let channel_manager = Arc::new(Manager::new(ChannelManager::new(
        Arc::clone(&fees),
        Arc::clone(&chain_monitor),
        Arc::clone(&broadcaster),
        Arc::clone(&router),
        Arc::clone(&message_router),
        Arc::clone(&logger),
        Arc::clone(&keys),
        Arc::clone(&keys),
        Arc::clone(&keys),
        config.clone(),
        ChainParameters {
            network,
            best_block,
        },
        now,
    )));
    Ldk {
        channel_manager,
        chain_monitor,
        fees,
        graph,
        keys,
        broadcaster,
        router,
        message_router,
        logger,
        config,
    }
}

/// LDK's `KeysManager` for `seed`, started now: its start time seeds the
/// ephemeral randomness, and v2 remote key derivation is on (new in LDK 0.2,
/// and what new nodes should take).
pub fn keys_manager(seed: &[u8; 32]) -> Arc<KeysManager> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Arc::new(KeysManager::new(
        seed,
        now.as_secs(),
        now.subsec_nanos(),
        true,
    ))
}

/// The CLTV delta a keysend asks of its last hop (LDK's minimum is 18).
pub const KEYSEND_FINAL_CLTV_EXPIRY_DELTA: u32 = 40;

/// Sends `amount_msat` to `peer` as a keysend (a spontaneous payment with a
/// random preimage), routed over our channels (the graph is empty, so only a
/// direct channel will do), with no retries.
pub fn send_keysend(
    cm: &ChannelManager,
    peer: bitcoin::secp256k1::PublicKey,
    amount_msat: u64,
) -> Result<
    lightning::types::payment::PaymentHash,
    lightning::ln::channelmanager::RetryableSendFailure,
> {
    use bitcoin::secp256k1::rand::{self, RngCore};
    use lightning::ln::channelmanager::{PaymentId, RecipientOnionFields, Retry};
    use lightning::routing::router::{PaymentParameters, RouteParameters};
    use lightning::types::payment::PaymentPreimage;
    let mut preimage = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut preimage);
    let mut payment_id = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut payment_id);
    let params = RouteParameters::from_payment_params_and_value(
        PaymentParameters::for_keysend(peer, KEYSEND_FINAL_CLTV_EXPIRY_DELTA, false),
        amount_msat,
    );
    cm.send_spontaneous_payment(
        Some(PaymentPreimage(preimage)),
        RecipientOnionFields::spontaneous_empty(),
        PaymentId(payment_id),
        params,
        Retry::Attempts(0),
    )
}
