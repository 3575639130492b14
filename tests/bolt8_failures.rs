//! BOLT 8 peers that misbehave, played by LDK's own `PeerManager` (or raw bytes):
//! each failure ends that connection, shows as an event with the reason, and
//! leaves the shell answering. The shell's timer tick is shortened to 200 ms
//! (`LNSHELL_TIMER_TICK_MS`) so timeouts show within a second or two.

mod common;

use std::net::TcpStream;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bitcoin::secp256k1::PublicKey;
use lightning::ln::msgs::{DecodeError, Init, LightningError};
use lightning::ln::peer_handler::{
    CustomMessageHandler, ErroringMessageHandler, IgnoringMessageHandler, MessageHandler,
    PeerManager,
};
use lightning::ln::wire::{CustomMessageReader, Type};
use lightning::sign::KeysManager;
use lightning::types::features::{InitFeatures, NodeFeatures};
use lightning::util::logger::{Logger, Record};
use lightning::util::ser::{LengthLimitedRead, Writeable, Writer};
use lightning_net_tokio::SocketDescriptor;

use common::{Shell, WAIT};

/// A message of type 32768: even, and known to nobody.
#[derive(Debug)]
struct UnknownEven;

impl Writeable for UnknownEven {
    fn write<W: Writer>(&self, _w: &mut W) -> Result<(), bitcoin::io::Error> {
        Ok(())
    }
}

impl Type for UnknownEven {
    fn type_id(&self) -> u16 {
        32768
    }
}

/// The test client's custom handler: chooses its init features, and can queue the
/// unknown even message.
struct Client {
    features: InitFeatures,
    outbox: Mutex<Vec<(PublicKey, UnknownEven)>>,
}

impl CustomMessageReader for Client {
    type CustomMessage = UnknownEven;
    fn read<R: LengthLimitedRead>(
        &self,
        _t: u16,
        _b: &mut R,
    ) -> Result<Option<UnknownEven>, DecodeError> {
        Ok(None)
    }
}

impl CustomMessageHandler for Client {
    fn handle_custom_message(
        &self,
        _m: UnknownEven,
        _from: PublicKey,
    ) -> Result<(), LightningError> {
        Ok(())
    }
    fn get_and_clear_pending_msg(&self) -> Vec<(PublicKey, UnknownEven)> {
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

struct Quiet;
impl Logger for Quiet {
    fn log(&self, _record: Record) {}
}

type ClientPeerManager = PeerManager<
    SocketDescriptor,
    Arc<ErroringMessageHandler>,
    Arc<IgnoringMessageHandler>,
    Arc<IgnoringMessageHandler>,
    Arc<Quiet>,
    Arc<Client>,
    Arc<KeysManager>,
    Arc<IgnoringMessageHandler>,
>;

/// The features LDK's ChannelManager requires of a peer.
fn good_features() -> InitFeatures {
    let mut f = InitFeatures::empty();
    f.set_data_loss_protect_required();
    f.set_variable_length_onion_required();
    f.set_static_remote_key_required();
    f.set_payment_secret_required();
    f.set_channel_type_required();
    f
}

fn client(features: InitFeatures, seed: u8) -> (Arc<ClientPeerManager>, Arc<Client>) {
    let keys = Arc::new(KeysManager::new(&[seed; 32], 1, 1, true));
    let custom = Arc::new(Client {
        features,
        outbox: Mutex::new(Vec::new()),
    });
    let pm = Arc::new(PeerManager::new(
        MessageHandler {
            chan_handler: Arc::new(ErroringMessageHandler::new()),
            route_handler: Arc::new(IgnoringMessageHandler {}),
            onion_message_handler: Arc::new(IgnoringMessageHandler {}),
            custom_message_handler: Arc::clone(&custom),
            send_only_message_handler: Arc::new(IgnoringMessageHandler {}),
        },
        1,
        &[seed; 32],
        Arc::new(Quiet),
        keys,
    ));
    (pm, custom)
}

fn fast_shell(name: &str) -> (Shell, PublicKey, std::net::SocketAddr) {
    std::env::set_var("LNSHELL_TIMER_TICK_MS", "200");
    let mut shell = Shell::start(name);
    let id = PublicKey::from_str(&shell.node_id()).unwrap();
    let addr = shell.addr().parse().unwrap();
    (shell, id, addr)
}

/// Connects `pm` to the shell over real BOLT 8; waits until init is done (or not).
async fn connect(pm: &Arc<ClientPeerManager>, id: PublicKey, addr: std::net::SocketAddr) -> bool {
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

fn shell_is_fine(shell: &mut Shell) {
    shell.peers_until("no connections", |l| l.is_empty());
    let info = shell.info();
    assert_eq!(info["peers"]["lightning"], 0, "{info}");
}

#[test]
fn unknown_even_message_ends_the_connection_with_its_reason() {
    let (mut shell, id, addr) = fast_shell("b8-even");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (pm, custom) = client(good_features(), 7);
    assert!(
        rt.block_on(connect(&pm, id, addr)),
        "handshake with the shell"
    );
    custom.outbox.lock().unwrap().push((id, UnknownEven));
    pm.process_events();
    let line = shell.wait_for_text("disconnected: they sent a message type that is even");
    assert!(line.contains("32768"), "{line}");
    shell_is_fine(&mut shell);
}

#[test]
fn init_requiring_unknown_features_is_explained() {
    let (mut shell, id, addr) = fast_shell("b8-features");
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Bit 100 set: even, so "required", and no implementation knows it.
    let mut le = vec![0u8; 13];
    le[12] = 1 << 4;
    let (pm, _) = client(InitFeatures::from_le_bytes(le), 8);
    // The client may briefly see the shell's init; the shell then drops it.
    let _ = rt.block_on(connect(&pm, id, addr));
    let line = shell.wait_for_text("their init requires (even bit) features LDK does not know");
    assert!(line.contains("BOLT 8 connection with"), "{line}");
    shell_is_fine(&mut shell);
}

#[test]
fn bad_act_one_and_stalled_handshake_are_dropped() {
    let (mut shell, _, addr) = fast_shell("b8-act-one");
    // Version byte 0x00, then 49 bytes that are not a valid act one.
    let mut bad = TcpStream::connect(addr).unwrap();
    let mut act_one = vec![0u8; 50];
    act_one[1] = 0x05; // not a point prefix
    std::io::Write::write_all(&mut bad, &act_one).unwrap();
    shell.wait_for_text("BOLT 8 connection with");

    // A client that sends the version byte and then nothing.
    let mut stalled = TcpStream::connect(addr).unwrap();
    std::io::Write::write_all(&mut stalled, &[0x00]).unwrap();
    let line = shell.wait_for("a stalled handshake dropped", |l| {
        l.contains("BOLT 8 connection with") && l.contains("did not finish within one timer tick")
    });
    assert!(line.contains("closed"), "{line}");
    shell_is_fine(&mut shell);
}

#[test]
fn a_peer_that_never_answers_pings_is_dropped() {
    let (mut shell, id, addr) = fast_shell("b8-ping");
    // The client's runtime is driven only to connect; afterwards nothing reads its
    // socket, so the shell's pings go unanswered (the socket stays open).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (pm, _) = client(good_features(), 9);
    assert!(rt.block_on(connect(&pm, id, addr)));
    let line = shell.wait_for_text("disconnected: they did not answer LDK's ping");
    assert!(line.contains("[peer]"), "{line}");
    shell_is_fine(&mut shell);
    drop(rt);
    let _ = WAIT;
}
