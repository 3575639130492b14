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
use crate::events::EventSender;

/// The network graph the router would search (empty: this node keeps no gossip).
type Graph = NetworkGraph<Arc<FileLogger>>;
/// How the router would rank channels it has tried.
type Scorer = ProbabilisticScorer<Arc<Graph>, Arc<FileLogger>>;
/// The router `ChannelManager` asks for payment paths (no payments are made here).
type Router = DefaultRouter<
    Arc<Graph>,
    Arc<FileLogger>,
    Arc<KeysManager>,
    Arc<RwLock<Scorer>>,
    ProbabilisticScoringFeeParameters,
    Scorer,
>;
/// The router for onion messages (blinded paths), which `ChannelManager` also needs.
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
