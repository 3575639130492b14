//! BOLT 8 peers that misbehave, played by LDK's own `PeerManager` (or raw bytes):
//! each failure ends that connection, shows as an event with the reason, and
//! leaves the shell answering. The shell's timer tick is shortened to 200 ms
//! (`LNSHELL_TIMER_TICK_MS`) so timeouts show within a second or two.

mod common;

use std::net::TcpStream;

use lightning::types::features::InitFeatures;

use common::ldk_client::{connect, good_features, peer_with_seed, RawMessage};
use common::{fast_shell, Shell, WAIT};

fn shell_is_fine(shell: &mut Shell) {
    shell.peers_until("no connections", |l| l.is_empty());
    let info = shell.info();
    assert_eq!(info["peers"]["lightning"], 0, "{info}");
}

#[test]
fn unknown_even_message_ends_the_connection_with_its_reason() {
    let (mut shell, id, addr) = fast_shell("b8-even");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let p = peer_with_seed(good_features(), 7);
    assert!(
        rt.block_on(connect(&p.pm, id, addr)),
        "handshake with the shell"
    );
    // A message of type 32768: even, and known to nobody.
    p.client.send(
        id,
        RawMessage {
            type_id: 32768,
            payload: Vec::new(),
        },
    );
    p.pm.process_events();
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
    let p = peer_with_seed(InitFeatures::from_le_bytes(le), 8);
    // The client may briefly see the shell's init; the shell then drops it.
    let _ = rt.block_on(connect(&p.pm, id, addr));
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
        l.contains("BOLT 8 connection with") && l.contains("did not finish within two timer ticks")
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
    let p = peer_with_seed(good_features(), 9);
    assert!(rt.block_on(connect(&p.pm, id, addr)));
    let line = shell.wait_for_text("disconnected: they did not answer LDK's ping");
    assert!(line.contains("[peer]"), "{line}");
    shell_is_fine(&mut shell);
    drop(rt);
    let _ = WAIT;
}
