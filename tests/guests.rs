//! More inbound lightning peers than LDK's `ChannelManager` keeps: LDK 0.2.7 keeps
//! at most 250 connected peers without a funded channel and refuses more. The
//! shell holds those peers as guests instead of dropping them (`node::admission`);
//! a guest's `open_channel` is refused with an `error` while there is no room and
//! handed to LDK once there is. The peers are LDK `PeerManager`s over real BOLT 8
//! sockets on 127.0.0.1.

mod common;

use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

use bitcoin::secp256k1::PublicKey;
use bitcoin::Network;

use common::ldk_client::{connect, good_features, peer, Peer, RawMessage};
use common::{poll_json, Shell, WAIT};

/// LDK's limit (its private `MAX_NO_CHANNEL_PEERS`).
const LIMIT: usize = 250;

fn seed(i: usize) -> [u8; 32] {
    let mut s = [7u8; 32];
    s[..8].copy_from_slice(&(i as u64).to_be_bytes());
    s
}

fn open_channel() -> RawMessage {
    let bytes = lnshell::wire::example::example("open_channel", Network::Regtest).unwrap();
    RawMessage::from_wire(&bytes)
}

/// Waits until the client's LDK logged an `error` from the shell containing `text`.
fn client_got_error(p: &Peer, text: &str) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        if let Some(line) = p.log.find(text) {
            return line;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the client never got an error containing {text:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A shell and the LDK peers connected to it.
struct Crowd {
    shell: Shell,
    id: PublicKey,
    addr: SocketAddr,
    rt: tokio::runtime::Runtime,
    peers: Vec<Peer>,
}

/// A shell with `n` LDK peers connected to it one at a time (so the ones past
/// [`LIMIT`] are the guests), their seeds starting at `first_seed`.
fn crowd(name: &str, n: usize, first_seed: usize) -> Crowd {
    let mut shell = Shell::start(name);
    let id = PublicKey::from_str(&shell.node_id()).unwrap();
    let addr: SocketAddr = shell.addr().parse().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let peers: Vec<Peer> = (0..n)
        .map(|i| peer(good_features(), seed(first_seed + i)))
        .collect();
    rt.block_on(async {
        for (i, p) in peers.iter().enumerate() {
            assert!(
                connect(&p.pm, id, addr).await,
                "peer {i}: handshake and init"
            );
        }
    });
    Crowd {
        shell,
        id,
        addr,
        rt,
        peers,
    }
}

#[test]
fn peers_beyond_ldks_limit_are_held_as_guests() {
    let Crowd {
        mut shell,
        id,
        rt,
        peers,
        ..
    } = crowd("guests", LIMIT + 2, 0);
    let info = poll_json(&mut shell, "info --json", |v| {
        v["peers"]["lightning"] == LIMIT + 2 && v["peers"]["guests"] == 2
    });
    assert_eq!(info["peers"]["netcat"], 0, "{info}");
    let (a, b) = (&peers[LIMIT], &peers[LIMIT + 1]);
    let line = shell.wait_for_text(&format!("{} is a guest (1 now)", a.node_id));
    assert!(
        line.contains("keeps at most 250 peers without channels"),
        "{line}"
    );

    let rows = shell.peers_until("two guests", |l| l.len() == LIMIT + 2);
    let mut guests: Vec<String> = rows
        .iter()
        .filter(|r| r["guest"] == true)
        .map(|r| r["node_id"].as_str().unwrap().to_string())
        .collect();
    guests.sort();
    let mut expected = vec![a.node_id.to_string(), b.node_id.to_string()];
    expected.sort();
    assert_eq!(guests, expected);

    // Any other channel message from a guest has no channel to act on.
    let reestablish =
        lnshell::wire::example::example("channel_reestablish", Network::Regtest).unwrap();
    a.client.send(id, RawMessage::from_wire(&reestablish));
    a.pm.process_events();
    shell.wait_for_text(&format!(
        "guest {} sent channel_reestablish; dropped",
        a.node_id
    ));

    // A guest's open_channel while the ChannelManager is full: an error, not silence.
    a.client.send(id, open_channel());
    a.pm.process_events();
    shell.wait_for_text(&format!("guest {} sent open_channel; refused", a.node_id));
    let got = client_got_error(a, "this node already has as many peers without channels");
    assert!(got.contains(&id.to_string()), "{got}");
    // Held still: the error names the channel, so the connection stays.
    let info = shell.info();
    assert_eq!(info["peers"]["lightning"], LIMIT + 2, "{info}");

    // One ordinary peer leaves: now there is room, and the guest's next
    // open_channel hands it to LDK, whose answer (accept_channel) the client's
    // ErroringMessageHandler then refuses; either way LDK had it.
    peers[0].pm.disconnect_all_peers();
    poll_json(&mut shell, "info --json", |v| {
        v["peers"]["lightning"] == LIMIT + 1
    });
    a.client.send(id, open_channel());
    a.pm.process_events();
    shell.wait_for_text(&format!(
        "{} is no longer a guest: LDK's ChannelManager keeps it now",
        a.node_id
    ));
    poll_json(&mut shell, "info --json", |v| v["peers"]["guests"] == 1);

    // The user's own `openchannel` to a guest hands it over whatever the count.
    shell.send(&format!("openchannel {} 100000", b.node_id));
    shell.wait_for_text(&format!(
        "{} is no longer a guest: LDK's ChannelManager keeps it now",
        b.node_id
    ));
    let info = poll_json(&mut shell, "info --json", |v| v["peers"]["guests"] == 0);
    assert_eq!(info["peers"]["lightning"], LIMIT + 1, "{info}");
    drop(rt);
}

#[test]
fn a_guest_that_leaves_is_forgotten() {
    let Crowd {
        mut shell,
        id,
        addr,
        rt,
        peers,
    } = crowd("guests-leave", LIMIT + 1, 1000);
    poll_json(&mut shell, "info --json", |v| v["peers"]["guests"] == 1);
    let guest = &peers[LIMIT];
    guest.pm.disconnect_all_peers();
    poll_json(&mut shell, "info --json", |v| {
        v["peers"]["guests"] == 0 && v["peers"]["lightning"] == LIMIT
    });
    // It comes back: still no room, so a guest again (not a stale entry).
    rt.block_on(async { assert!(connect(&guest.pm, id, addr).await) });
    poll_json(&mut shell, "info --json", |v| {
        v["peers"]["guests"] == 1 && v["peers"]["lightning"] == LIMIT + 1
    });
    drop(rt);
}
