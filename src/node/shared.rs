//! What every connection task shares, and the `PeerManager` at its heart.
//!
//! Each accepted connection runs on its own task (so a silent client never holds
//! up another), and each task needs the same few things: LDK's `PeerManager` to
//! hand a BOLT 8 stream to, the registry to count itself in, the event channel to
//! report through, the limits it must keep, and, for a netcat session, a way to ask
//! what LDK would answer. [`Shared`] is exactly that, behind one `Arc`: the
//! listener, the BOLT 8 driver and the netcat session read it, and none of them
//! sees the rest of the [`Node`](super::Node).
//!
//! The [`PeerManager`] alias is spelled here, next to the one struct that holds it,
//! and re-exported as `node::PeerManager`. (It is not in `ldk.rs` with the other
//! LDK aliases because its type arguments are this node's own handlers, from
//! [`super::trace`]; and not in `mod.rs`, so that the rooms below the face never
//! need to import the face.)

use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};

use bitcoin::Network;
use lightning::ln::peer_handler::IgnoringMessageHandler;
use lightning::sign::KeysManager;
use lightning_net_tokio::SocketDescriptor;

use bitcoin::secp256k1::PublicKey;

use super::config::Limits;
use super::logger::FileLogger;
use super::peers::Registry;
use super::plain::PlainPeers;
use super::regtest::Chain;
use super::responder::{Answer, Responder};
use super::trace::{GossipObserver, PeerWatcher, TracingChannelHandler};
use crate::events::EventSender;

/// LDK's `PeerManager`, with the handlers this node uses.
///
/// Channel messages go to LDK's real `ChannelManager` (through the tracer, which
/// reports them); gossip is reported and ignored; onion messages and the send-only
/// handler are ignored. The custom message handler slot holds [`PeerWatcher`],
/// which sees every `init` and every disconnect.
pub type PeerManager = lightning::ln::peer_handler::PeerManager<
    SocketDescriptor,
    Arc<TracingChannelHandler>,
    Arc<GossipObserver>,
    Arc<IgnoringMessageHandler>,
    Arc<FileLogger>,
    Arc<PeerWatcher>,
    Arc<KeysManager>,
    Arc<IgnoringMessageHandler>,
>;

/// What tasks share: everything a connection task needs, nothing it doesn't.
pub(crate) struct Shared {
    pub(crate) peer_manager: Arc<PeerManager>,
    pub(crate) logger: Arc<FileLogger>,
    pub(crate) registry: Arc<Registry>,
    pub(crate) events: EventSender,
    pub(crate) limits: Limits,
    /// Inbound connections alive now, sniffing included.
    pub(crate) inbound: AtomicUsize,
    secret: [u8; 32],
    pub(crate) network: Network,
    /// Built on first use: most sessions never ask.
    responder: Mutex<Option<Responder>>,
    /// What a netcat session needs to be a plaintext peer.
    pub(crate) plain: Plain,
}

/// What a netcat session needs to be a peer of the node (see [`super::plain`]):
/// the handler a BOLT 8 peer's messages reach, the road back, and the chain its
/// own side follows.
pub(crate) struct Plain {
    /// The tracer in front of the `ChannelManager`: what `PeerManager` calls.
    pub(crate) handler: Arc<TracingChannelHandler>,
    /// Sessions that are peers, and their roads.
    pub(crate) peers: Arc<PlainPeers>,
    /// The shell's chain.
    pub(crate) chain: Arc<Chain>,
    /// The node's own id.
    pub(crate) node_id: PublicKey,
    /// The node's empty network graph, shared by every session's side.
    pub(crate) graph: Arc<super::ldk::Graph>,
    /// Keys of sides whose sessions ended with no channel, for the next ones.
    pub(crate) identities: super::identities::Identities,
}

impl Shared {
    /// What the builder hands every connection task; the responder is built later.
    // Each argument is one distinct thing the builder made; a struct to carry
    // them here would only repeat this list.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        peer_manager: Arc<PeerManager>,
        logger: Arc<FileLogger>,
        registry: Arc<Registry>,
        events: EventSender,
        limits: Limits,
        secret: [u8; 32],
        network: Network,
        plain: Plain,
    ) -> Shared {
        Shared {
            peer_manager,
            logger,
            registry,
            events,
            limits,
            inbound: AtomicUsize::new(0),
            secret,
            network,
            responder: Mutex::new(None),
            plain,
        }
    }

    /// What LDK would answer to `msg`, from a throwaway `ChannelManager`.
    pub(crate) fn respond(&self, msg: &lightning::ln::msgs::OpenChannel) -> Answer {
        let mut guard = self.responder.lock().unwrap_or_else(|p| p.into_inner());
        let responder = guard.get_or_insert_with(|| {
            Responder::new(
                &self.secret,
                self.network,
                Arc::clone(&self.logger),
                self.events.clone(),
            )
        });
        responder.answer(msg)
    }
}
