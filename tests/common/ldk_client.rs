//! A lightning peer for tests, played by LDK's own `PeerManager` over real BOLT 8
//! sockets. Its custom handler can send any raw message (`type || payload`), which
//! is how tests make it misbehave or send a channel message without a
//! `ChannelManager` of its own; its logger keeps what LDK logs, which is where a
//! received `error` shows.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bitcoin::secp256k1::PublicKey;
use lightning::ln::msgs::{DecodeError, Init, LightningError};
use lightning::ln::peer_handler::{
    CustomMessageHandler, ErroringMessageHandler, IgnoringMessageHandler, MessageHandler,
    PeerManager,
};
use lightning::ln::wire::{CustomMessageReader, Type};
use lightning::sign::{KeysManager, NodeSigner};
use lightning::types::features::{InitFeatures, NodeFeatures};
use lightning::util::logger::{Logger, Record};
use lightning::util::ser::{LengthLimitedRead, Writeable, Writer};
use lightning_net_tokio::SocketDescriptor;

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

/// The client's custom handler: chooses its init features and sends raw messages.
pub struct Client {
    pub features: InitFeatures,
    pub outbox: Mutex<Vec<(PublicKey, RawMessage)>>,
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
    fn peer_disconnected(&self, _id: PublicKey) {}
    fn peer_connected(&self, _id: PublicKey, _msg: &Init, _inbound: bool) -> Result<(), ()> {
        Ok(())
    }
    fn provided_node_features(&self) -> NodeFeatures {
        NodeFeatures::empty()
    }
    fn provided_init_features(&self, _id: PublicKey) -> InitFeatures {
        self.features.clone()
    }
}

/// Keeps the last LDK log lines of one client.
#[derive(Default)]
pub struct LogRecorder {
    lines: Mutex<Vec<String>>,
}

impl LogRecorder {
    /// The first kept line containing `needle`.
    pub fn find(&self, needle: &str) -> Option<String> {
        let lines = self.lines.lock().unwrap();
        lines.iter().find(|l| l.contains(needle)).cloned()
    }
}

impl Logger for LogRecorder {
    fn log(&self, record: Record) {
        let mut lines = self.lines.lock().unwrap();
        if lines.len() >= 1000 {
            lines.remove(0);
        }
        lines.push(record.args.to_string());
    }
}

pub type ClientPeerManager = PeerManager<
    SocketDescriptor,
    Arc<ErroringMessageHandler>,
    Arc<IgnoringMessageHandler>,
    Arc<IgnoringMessageHandler>,
    Arc<LogRecorder>,
    Arc<Client>,
    Arc<KeysManager>,
    Arc<IgnoringMessageHandler>,
>;

/// A test peer: its `PeerManager`, its custom handler and its log.
pub struct Peer {
    pub pm: Arc<ClientPeerManager>,
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
    let keys = Arc::new(KeysManager::new(&seed, 1, 1, true));
    let node_id = keys.get_node_id(lightning::sign::Recipient::Node).unwrap();
    let client = Arc::new(Client {
        features,
        outbox: Mutex::new(Vec::new()),
    });
    let log = Arc::new(LogRecorder::default());
    let pm = Arc::new(PeerManager::new(
        MessageHandler {
            chan_handler: Arc::new(ErroringMessageHandler::new()),
            route_handler: Arc::new(IgnoringMessageHandler {}),
            onion_message_handler: Arc::new(IgnoringMessageHandler {}),
            custom_message_handler: Arc::clone(&client),
            send_only_message_handler: Arc::new(IgnoringMessageHandler {}),
        },
        1,
        &seed,
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
