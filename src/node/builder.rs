//! Building a node: keys, LDK's managers, the handlers between them, and the
//! background tasks, wired together once.
//!
//! [`Node::start`] is the whole wiring diagram, apart from the running node (as
//! ldk-node keeps its `builder.rs` apart from its `Node`): read it top to bottom to
//! see what a node is made of.
//!
//! ```text
//!  node secret ─► KeysManager ─► node id
//!                      │
//!                      ├─► ChannelManager (+ ChainMonitor)          ldk.rs
//!                      │     behind a gate, rebuilt when idle       manager.rs, rebuild.rs
//!                      │        ▲
//!                      │   Admission (guests)                       admission.rs
//!                      │        ▲
//!  PeerManager ◄───────┴── TracingChannelHandler, GossipObserver,   trace.rs
//!       │                  PeerWatcher ──► ready node ids ──► matcher (bolt8.rs)
//!       └─ timer task (timer_tick_occurred), event loop (LDK events, channels.rs)
//! ```
//!
//! Listeners are not started here: a node can run without one, and `listen` adds
//! them later ([`super::listener`]).

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bitcoin::secp256k1::rand::{self, RngCore};
use lightning::ln::peer_handler::{IgnoringMessageHandler, MessageHandler};
use lightning::sign::{NodeSigner, Recipient};
use lightning::util::logger::Logger;

use lightning::util::config::UserConfig;

use super::bolt8::match_ready_peers;
use super::chain::ReportingBroadcaster;
use super::config::NodeConfig;
use super::contain::{self, contained_background};
use super::error::NodeError;
use super::keys::{self, KeyError};
use super::live::LiveMarker;
use super::logger::FileLogger;
use super::manager::{self, Rebuild};
use super::peers::Registry;
use super::plain::PlainPeers;
use super::rebuild;
use super::regtest::{Chain, Follower, Origin};
use super::shared::{PeerManager, Plain, Shared};
use super::trace::{GossipObserver, PeerWatcher, Tracer, TracingChannelHandler};
use super::{admission, channels, ldk, Node};
use crate::events::EventSender;

/// The `ChannelManager` ticks once every this many `PeerManager` ticks (60 s by
/// default): LDK disconnects a peer that has not answered within two of its
/// ticks, and a learner carrying messages from netcat needs a minute or two.
pub const CHANNEL_MANAGER_TICK_EVERY: u32 = 6;

impl Node {
    /// Loads or creates the node secret and starts the `PeerManager`, the
    /// `ChannelManager` and their background tasks. Listeners are started separately
    /// with [`Node::listen`].
    ///
    /// Must be called from within a tokio runtime.
    pub fn start(config: NodeConfig, events: EventSender) -> Result<Node, NodeError> {
        contain::init();
        let (secret, _created) = keys::load_or_create(&config.data_dir)?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let keys_manager = ldk::keys_manager(&secret);
        let node_id = keys_manager
            .get_node_id(Recipient::Node)
            .map_err(|()| KeyError::NodeId)?;
        let logger = Arc::new(FileLogger::open(&config.data_dir, config.limits.timer_tick));
        let (live, lost_channels) = LiveMarker::take_over(&config.data_dir);
        let live = Arc::new(live);
        // The shell's chain, and the node's managers following it from genesis.
        let chain = Chain::new(config.network);
        let (ldk, attached) = chain.attach(|best_block| {
            let ldk = Arc::new(ldk::build(
                Arc::clone(&keys_manager),
                Arc::clone(&logger),
                ldk::Setting {
                    network: config.network,
                    best_block,
                    broadcaster: Arc::new(ReportingBroadcaster {
                        events: events.clone(),
                        chain: Some(Arc::clone(&chain)),
                        origin: Origin::Node,
                    }),
                    config: UserConfig::default(),
                    graph: None,
                },
            ));
            let followers: Vec<Follower> = vec![
                manager::gated(
                    &ldk.channel_manager,
                    Arc::clone(&ldk.chain_monitor) as Follower,
                ),
                Arc::clone(&ldk.channel_manager) as Follower,
            ];
            (ldk, followers)
        });
        let tracer = Arc::new(Tracer::new(events.clone()));
        let admission = Arc::new(admission::Admission::new(
            Arc::clone(&ldk.channel_manager),
            events.clone(),
        ));
        let plain = Arc::new(PlainPeers::default());
        let chan_handler = Arc::new(TracingChannelHandler {
            inner: Arc::clone(&admission),
            tracer: Arc::clone(&tracer),
            plain: Arc::clone(&plain),
        });
        let (ready_tx, ready_rx) = tokio::sync::mpsc::unbounded_channel();
        let mut ephemeral = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut ephemeral);
        let handlers = MessageHandler {
            chan_handler: Arc::clone(&chan_handler),
            route_handler: Arc::new(GossipObserver {
                tracer: Arc::clone(&tracer),
            }),
            onion_message_handler: Arc::new(IgnoringMessageHandler {}),
            custom_message_handler: Arc::new(PeerWatcher::new(
                events.clone(),
                Arc::clone(&logger),
                ready_tx,
            )),
            send_only_message_handler: Arc::new(IgnoringMessageHandler {}),
        };
        let peer_manager = Arc::new(PeerManager::new(
            handlers,
            now.as_secs() as u32,
            &ephemeral,
            Arc::clone(&logger),
            keys_manager,
        ));
        let waiters: Arc<channels::OpenWaiters> = Arc::default();
        let timer = {
            let tick = config.limits.timer_tick;
            let pm = Arc::clone(&peer_manager);
            let cm = Arc::clone(&ldk.channel_manager);
            let monitors = Arc::clone(&ldk.chain_monitor);
            let logger = Arc::clone(&logger);
            tokio::spawn(contained_background(events.clone(), "timer", async move {
                let mut interval = tokio::time::interval(tick);
                interval.tick().await;
                let mut ticks = 0u32;
                loop {
                    interval.tick().await;
                    pm.timer_tick_occurred();
                    // The ChannelManager's tick is slower: it disconnects a peer that
                    // leaves it waiting two ticks for an answer, and a netcat peer is
                    // a person carrying each message by hand.
                    ticks = ticks.wrapping_add(1);
                    if ticks.is_multiple_of(CHANNEL_MANAGER_TICK_EVERY) {
                        cm.get().timer_tick_occurred();
                    }
                    // As LDK asks, regularly: a closed channel's monitor is let go once
                    // its funds are claimed and ARCHIVAL_DELAY_BLOCKS (4032) more blocks
                    // are mined. Without this call it stayed in memory for good.
                    // Under the manager's gate: never while a rebuild reads monitors back
                    // and replays its updates to them (see `rebuild`).
                    {
                        let _gate = cm.get();
                        monitors.archive_fully_resolved_channel_monitors();
                    }
                    pm.process_events();
                    logger.flush();
                }
            }))
        };
        // Wake on LDK's own future rather than poll: each protocol step then follows
        // the previous one at once instead of up to a polling interval later.
        let event_loop = {
            let pm = Arc::clone(&peer_manager);
            let ldk = Arc::clone(&ldk);
            let events = events.clone();
            let waiters = Arc::clone(&waiters);
            let live = Arc::clone(&live);
            let admission = Arc::clone(&admission);
            let report = events.clone();
            tokio::spawn(contained_background(report, "event loop", async move {
                loop {
                    let wake = ldk.cm().get_event_or_persistence_needed_future();
                    // The chain monitor has no future of its own here; a slow tick covers it.
                    let _ = tokio::time::timeout(Duration::from_secs(1), wake).await;
                    channels::process_events(&ldk, &events, &waiters);
                    pm.process_events();
                    // Channels live in memory only: the marker tells the next shell
                    // if this one dies with some (see `live`).
                    live.update(ldk.cm().list_channels().len());
                    // LDK keeps a little state for each closed channel until it is
                    // read back; once no channel is left, read it back (`rebuild`).
                    let carry_over = |cm: &_, queued| admission.carry_over(cm, queued);
                    match rebuild::rebuild_if_idle(&ldk, carry_over) {
                        Rebuild::Done { closed, bytes } => {
                            lightning::log_info!(
                                ldk.logger,
                                "lnshell: ChannelManager rebuilt in memory from its {bytes}-byte \
                                 serialization, letting go of {closed} closed channels' state"
                            );
                            pm.process_events();
                        }
                        Rebuild::Failed(e) => lightning::log_error!(
                            ldk.logger,
                            "lnshell: ChannelManager not rebuilt: LDK could not read it back ({e:?})"
                        ),
                        Rebuild::NotNeeded
                        | Rebuild::TooSoon
                        | Rebuild::HasChannels
                        | Rebuild::Busy => {}
                    }
                }
            }))
        };
        let registry = Registry::new();
        let matcher = tokio::spawn(contained_background(
            events.clone(),
            "peer matcher",
            match_ready_peers(ready_rx, Arc::clone(&peer_manager), Arc::clone(&registry)),
        ));
        Ok(Node {
            node_id,
            network: config.network,
            proxy: config.proxy,
            data_dir: config.data_dir,
            logger: Arc::clone(&logger),
            shared: Arc::new(Shared::new(
                peer_manager,
                logger,
                registry,
                events,
                config.limits.clone(),
                secret,
                config.network,
                Plain {
                    handler: chan_handler,
                    peers: plain,
                    chain: Arc::clone(&chain),
                    node_id,
                    graph: Arc::clone(&ldk.graph),
                    identities: Default::default(),
                },
            )),
            chain,
            _attached: attached,
            ldk,
            tracer,
            admission,
            waiters,
            next_user_channel_id: AtomicU64::new(1),
            listeners: Mutex::new(Vec::new()),
            background: vec![timer, event_loop, matcher],
            live,
            lost_channels,
        })
    }
}
