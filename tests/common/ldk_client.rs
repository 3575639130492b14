//! A lightning peer for tests, played by LDK's own `PeerManager` over real BOLT 8
//! sockets. Its custom handler can send any raw message (`type || payload`), which
//! is how tests make it misbehave or send a channel message without a
//! `ChannelManager` of its own, and says when its peer comes and goes; its logger
//! keeps what LDK logs, which is where a received `error` shows.
//!
//! Written once for the tests and the load tool (`examples/load` includes this file
//! with `#[path]`, and runs it over in-memory descriptors too: the `PeerManager` is
//! generic over its socket descriptor). It depends on nothing in lnshell.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bitcoin::secp256k1::PublicKey;
use lightning::ln::msgs::{DecodeError, Init, LightningError};
use lightning::ln::peer_handler::{
    CustomMessageHandler, ErroringMessageHandler, IgnoringMessageHandler, MessageHandler,
    PeerManager, SocketDescriptor as PeerDescriptor,
};
use lightning::ln::wire::{CustomMessageReader, Type};
use lightning::sign::{KeysManager, NodeSigner};
use lightning::types::features::{InitFeatures, NodeFeatures};
use lightning::util::logger::{Logger, Record};
use lightning::util::ser::{LengthLimitedRead, Writeable, Writer};
use lightning_net_tokio::SocketDescriptor;
use tokio::sync::Notify;

/// Any message, as raw bytes: LDK writes `type_id` and then `payload`.
#[derive(Debug)]
pub struct RawMessage {
    pub type_id: u16,
    pub payload: Vec<u8>,
}

impl RawMessage {
    /// A message from its wire bytes (`type || payload`).
    pub fn from_wire(bytes: &[u8]) -> RawMessage {
        RawMessage {
            type_id: u16::from_be_bytes([bytes[0], bytes[1]]),
            payload: bytes[2..].to_vec(),
        }
    }
}

impl Writeable for RawMessage {
    fn write<W: Writer>(&self, w: &mut W) -> Result<(), bitcoin::io::Error> {
        w.write_all(&self.payload)
    }
}

impl Type for RawMessage {
    fn type_id(&self) -> u16 {
        self.type_id
    }
}

/// The client's custom handler: chooses its init features, sends raw messages, and
/// notifies when its peer is connected (init exchanged) or gone.
pub struct Client {
    pub features: InitFeatures,
    pub outbox: Mutex<Vec<(PublicKey, RawMessage)>>,
    pub connected: Notify,
    pub disconnected: Notify,
}

impl Client {
    /// Queues `msg` for `to`; `pm.process_events()` sends it.
    pub fn send(&self, to: PublicKey, msg: RawMessage) {
        self.outbox.lock().unwrap().push((to, msg));
    }
}

impl CustomMessageReader for Client {
    type CustomMessage = RawMessage;
    fn read<R: LengthLimitedRead>(
        &self,
        _t: u16,
        _b: &mut R,
    ) -> Result<Option<RawMessage>, DecodeError> {
        Ok(None)
    }
}

impl CustomMessageHandler for Client {
    fn handle_custom_message(
        &self,
        _m: RawMessage,
        _from: PublicKey,
    ) -> Result<(), LightningError> {
        Ok(())
    }
    fn get_and_clear_pending_msg(&self) -> Vec<(PublicKey, RawMessage)> {
        std::mem::take(&mut *self.outbox.lock().unwrap())
    }
    fn peer_disconnected(&self, _id: PublicKey) {
        self.disconnected.notify_one();
    }
    fn peer_connected(&self, _id: PublicKey, _msg: &Init, _inbound: bool) -> Result<(), ()> {
        self.connected.notify_one();
        Ok(())
    }
    fn provided_node_features(&self) -> NodeFeatures {
        NodeFeatures::empty()
    }
    fn provided_init_features(&self, _id: PublicKey) -> InitFeatures {
        self.features.clone()
    }
}

/// Keeps the last LDK log lines of one client (or none: see [`LogRecorder::discarding`]).
#[derive(Default)]
pub struct LogRecorder {
    lines: Mutex<Vec<String>>,
    discard: bool,
}

impl LogRecorder {
    /// A logger that keeps nothing (no formatting, no lock): for the load tool.
    pub fn discarding() -> LogRecorder {
        LogRecorder {
            lines: Mutex::new(Vec::new()),
            discard: true,
        }
    }

    /// How many kept lines contain `needle`.
    pub fn count(&self, needle: &str) -> usize {
        let lines = self.lines.lock().unwrap();
        lines.iter().filter(|l| l.contains(needle)).count()
    }

    /// The first kept line containing `needle`.
    pub fn find(&self, needle: &str) -> Option<String> {
        let lines = self.lines.lock().unwrap();
        lines.iter().find(|l| l.contains(needle)).cloned()
    }

    /// The last `n` kept lines, oldest first (what a failure report shows).
    pub fn tail(&self, n: usize) -> Vec<String> {
        let lines = self.lines.lock().unwrap();
        lines[lines.len().saturating_sub(n)..].to_vec()
    }
}

impl Logger for LogRecorder {
    fn log(&self, record: Record) {
        if self.discard {
            return;
        }
        let mut lines = self.lines.lock().unwrap();
        if lines.len() >= 1000 {
            lines.remove(0);
        }
        lines.push(record.args.to_string());
    }
}

/// The client's `PeerManager`, over real sockets unless told otherwise.
pub type ClientPeerManager<D = SocketDescriptor> = PeerManager<
    D,
    Arc<ErroringMessageHandler>,
    Arc<IgnoringMessageHandler>,
    Arc<IgnoringMessageHandler>,
    Arc<LogRecorder>,
    Arc<Client>,
    Arc<KeysManager>,
    Arc<IgnoringMessageHandler>,
>;

/// A test peer: its `PeerManager`, its custom handler and its log.
pub struct Peer<D: PeerDescriptor = SocketDescriptor> {
    pub pm: Arc<ClientPeerManager<D>>,
    pub client: Arc<Client>,
    pub log: Arc<LogRecorder>,
    pub node_id: PublicKey,
}

/// The features LDK's ChannelManager requires of a peer.
pub fn good_features() -> InitFeatures {
    let mut f = InitFeatures::empty();
    f.set_data_loss_protect_required();
    f.set_variable_length_onion_required();
    f.set_static_remote_key_required();
    f.set_payment_secret_required();
    f.set_channel_type_required();
    f
}

/// A peer whose keys come from `seed` (distinct seeds, distinct node ids).
pub fn peer(features: InitFeatures, seed: [u8; 32]) -> Peer {
    peer_with_keys(
        features,
        seed,
        seed,
        (1, 1),
        Arc::new(LogRecorder::default()),
    )
}

/// A peer from its key seed, the seed of its ephemeral keys, and the time LDK's
/// `KeysManager` and `PeerManager` start from (`(seconds, nanoseconds)`), logging to
/// `log`; over any socket descriptor.
pub fn peer_with_keys<D: PeerDescriptor>(
    features: InitFeatures,
    seed: [u8; 32],
    ephemeral: [u8; 32],
    (secs, nanos): (u64, u32),
    log: Arc<LogRecorder>,
) -> Peer<D> {
    let keys = Arc::new(KeysManager::new(&seed, secs, nanos, true));
    let node_id = keys
        .get_node_id(lightning::sign::Recipient::Node)
        .expect("a KeysManager always has a node id");
    let client = Arc::new(Client {
        features,
        outbox: Mutex::new(Vec::new()),
        connected: Notify::new(),
        disconnected: Notify::new(),
    });
    let pm = Arc::new(PeerManager::new(
        MessageHandler {
            chan_handler: Arc::new(ErroringMessageHandler::new()),
            route_handler: Arc::new(IgnoringMessageHandler {}),
            onion_message_handler: Arc::new(IgnoringMessageHandler {}),
            custom_message_handler: Arc::clone(&client),
            send_only_message_handler: Arc::new(IgnoringMessageHandler {}),
        },
        secs as u32,
        &ephemeral,
        Arc::clone(&log),
        keys,
    ));
    Peer {
        pm,
        client,
        log,
        node_id,
    }
}

/// A peer with seed `[n; 32]`.
pub fn peer_with_seed(features: InitFeatures, n: u8) -> Peer {
    peer(features, [n; 32])
}

/// Connects `pm` to the shell over real BOLT 8; waits until init is done (or not).
pub async fn connect(pm: &Arc<ClientPeerManager>, id: PublicKey, addr: SocketAddr) -> bool {
    if lightning_net_tokio::connect_outbound(Arc::clone(pm), id, addr)
        .await
        .is_none()
    {
        return false;
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if pm.peer_by_node_id(&id).is_some() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    false
}
