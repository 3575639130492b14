//! A netcat session is a real peer of the node: a plain `TcpStream` on 127.0.0.1
//! carries a channel from `open_channel` to a claimed payment and a cooperative
//! close, message by message, with "your side" (a second LDK node in the shell)
//! building and signing; and LDK's real answers when the order is wrong.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

use common::{poll_json, Shell, WAIT};

/// A netcat client: what a learner's `nc` does, and the lines it has read.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    seen: Vec<String>,
    /// Where the lines answering the last `send` start, and which were matched:
    /// the node's answer and your side's notes may come in either order.
    from: usize,
    used: Vec<bool>,
    /// Your side's node id, from the greeting.
    side: String,
}

impl Client {
    fn connect(addr: &str) -> Client {
        Client::greeted(TcpStream::connect(addr).expect("connect"))
    }

    /// `n` clients, connected all at once: the shell greets a client that says
    /// nothing first only after its sniff timeout, so they wait in parallel.
    fn connect_many(addr: &str, n: usize) -> Vec<Client> {
        let streams: Vec<TcpStream> = (0..n)
            .map(|_| TcpStream::connect(addr).expect("connect"))
            .collect();
        streams.into_iter().map(Client::greeted).collect()
    }

    /// Reads the greeting of a connected client.
    fn greeted(stream: TcpStream) -> Client {
        stream.set_read_timeout(Some(WAIT)).expect("timeout");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let greeting = common::read_greeting(&mut reader);
        assert!(
            greeting.starts_with("lnshell: plaintext session"),
            "{greeting}"
        );
        let side = greeting
            .split_whitespace()
            .find(|w| w.len() == 66 && w.chars().all(|c| c.is_ascii_hexdigit()))
            .unwrap_or_else(|| panic!("no node id in the greeting: {greeting}"))
            .to_string();
        assert!(greeting.contains("Not BOLT 8"), "{greeting}");
        Client {
            reader,
            writer: stream,
            seen: Vec::new(),
            from: 0,
            used: Vec::new(),
            side,
        }
    }

    fn send(&mut self, line: &str) {
        writeln!(self.writer, "{line}").expect("write");
        self.from = self.seen.len();
    }

    /// The first line since the last `send` (not matched before) that contains
    /// `needle`, reading more as needed.
    fn until(&mut self, needle: &str) -> String {
        for i in self.from..self.seen.len() {
            if !self.used[i] && self.seen[i].contains(needle) {
                self.used[i] = true;
                return self.seen[i].clone();
            }
        }
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(n) if n > 0 => {
                    self.seen.push(line.clone());
                    let hit = line.contains(needle);
                    self.used.push(hit);
                    if hit {
                        return line;
                    }
                }
                _ => panic!(
                    "never read {needle:?}; the session said:\n{}",
                    self.seen.join("")
                ),
            }
        }
    }

    /// The hex at the end of a `-> node:`/`<- node:`/`outbox` line.
    fn hex_of(line: &str) -> String {
        line.trim()
            .rsplit(" | ")
            .next()
            .expect("a hex column")
            .to_string()
    }
}

/// The channels the shell lists, once `pred` holds for them.
fn channels_until(
    shell: &mut Shell,
    pred: impl Fn(&[serde_json::Value]) -> bool,
) -> Vec<serde_json::Value> {
    poll_json(shell, "channels --json", |v| {
        v.as_array().is_some_and(|l| pred(l))
    })
    .as_array()
    .cloned()
    .unwrap_or_default()
}

/// Opens a channel from `c`'s side and funds it; returns when the node has
/// signed the funding (the channel is pending).
fn open_and_fund(shell: &mut Shell, c: &mut Client) {
    c.send("open_channel");
    c.until("-> node: open_channel (type 32");
    c.until("<- node: accept_channel (type 33");
    c.until("your side: funding_created is ready in the outbox");
    let chans = channels_until(shell, |l| !l.is_empty());
    assert_eq!(chans[0]["state"], "negotiating", "{chans:?}");
    assert_eq!(chans[0]["counterparty"], c.side.as_str());
    assert_eq!(chans[0]["outbound"], false);
    c.send("funding_created");
    c.until("-> node: funding_created (type 34");
    c.until("<- node: funding_signed (type 35");
    c.until("in the shell, `mine 6`");
}

/// After `mine 6`: both sides send `channel_ready`; returns when usable.
fn make_ready(shell: &mut Shell, c: &mut Client) {
    c.until("<- node: channel_ready (type 36");
    c.until("your side: channel_ready is ready in the outbox");
    c.send("channel_ready");
    c.until("-> node: channel_ready");
    channels_until(shell, |l| l.iter().any(|ch| ch["state"] == "usable"));
}

#[test]
fn a_netcat_peer_opens_pays_and_closes_a_channel_with_the_node() {
    let mut shell = Shell::start("ncpeer-life");
    let addr = shell.addr();
    let mut c = Client::connect(&addr);
    // The session is a peer: `peers --json` shows your side's node id.
    let side = c.side.clone();
    shell.peers_until("the session's node id", |l| {
        l.iter()
            .any(|p| p["kind"] == "netcat" && p["node_id"] == side.as_str())
    });
    // Today's netcat behaviour stays: a ping gets its summary and pong.
    c.send("0012000400020000");
    c.until("ping (type 18, 8 bytes): ok");
    c.until("pong: 0013000400000000");

    open_and_fund(&mut shell, &mut c);
    let chans = channels_until(&mut shell, |l| l.iter().any(|ch| ch["state"] == "pending"));
    assert_eq!(chans[0]["capacity_sat"], 100000);
    assert_eq!(chans[0]["confirmations"], 0);
    // Your side broadcast its funding transaction to the shell's mempool.
    let chain = shell.json("chain --json", |v| v.get("mempool").is_some());
    assert_eq!(
        chain["mempool"].as_array().map(|m| m.len()),
        Some(1),
        "{chain}"
    );
    assert_eq!(chain["mempool"][0]["from"], "netcat session #1's side");
    assert_eq!(
        chain["mempool"][0]["txid"].as_str().map(|t| t.len()),
        Some(64)
    );

    // Five blocks are not enough for LDK's minimum_depth of 6.
    shell.send("mine 5");
    // The chain starts at height 1 (block 1 is made empty at start).
    shell.wait_for_text("height 6");
    let chans = channels_until(&mut shell, |l| l[0]["confirmations"] == 5);
    assert_eq!(chans[0]["state"], "pending", "{chans:?}");
    assert_eq!(chans[0]["confirmations_required"], 6);
    shell.send("mine");
    shell.wait_for_text("height 7");
    make_ready(&mut shell, &mut c);
    shell.wait_for_text("[ldk] ChannelReady");
    let before = channels_until(&mut shell, |l| l[0]["state"] == "usable")[0]["inbound_msat"]
        .as_u64()
        .expect("inbound_msat");

    // Pay the node: the commitment dance, carried by hand.
    c.send("update_add_htlc amount_msat=10000");
    c.until("-> node: update_add_htlc (type 128");
    c.until("your side: commitment_signed is ready in the outbox");
    c.send("commitment_signed");
    c.until("<- node: revoke_and_ack (type 133");
    c.until("<- node: commitment_signed (type 132");
    c.until("your side: revoke_and_ack is ready in the outbox");
    c.send("revoke_and_ack");
    c.until("<- node: update_fulfill_htlc (type 130");
    c.until("<- node: commitment_signed (type 132");
    c.until("your side: the node claimed your payment");
    shell.wait_for_text(&format!(
        "PaymentClaimed: received 10000 msat from {}",
        c.side
    ));
    c.until("your side: commitment_signed is ready in the outbox");
    c.send("revoke_and_ack");
    c.send("commitment_signed");
    c.until("<- node: revoke_and_ack (type 133");
    let after = channels_until(&mut shell, |l| {
        l[0]["inbound_msat"].as_u64().is_some_and(|n| n < before)
    });
    assert_eq!(
        after[0]["inbound_msat"].as_u64(),
        Some(before - 10000),
        "{after:?}"
    );

    // A cooperative close: shutdown both ways, then closing_signed.
    c.send("shutdown");
    c.until("<- node: shutdown (type 38");
    c.until("your side: closing_signed is ready in the outbox");
    c.send("closing_signed");
    c.until("<- node: closing_signed (type 39");
    c.until("your side: closing_signed is ready in the outbox");
    c.send("closing_signed");
    shell.wait_for_text("[ldk] ChannelClosed");
    channels_until(&mut shell, |l| l.is_empty());
    let chain = shell.json("chain --json", |v| v.get("mempool").is_some());
    assert_eq!(
        chain["mempool"].as_array().map(|m| m.len()),
        Some(1),
        "{chain}"
    );

    // No channel left: the manager is rebuilt in memory, and LDK's read-back
    // replays PaymentClaimed for the payment the closed channel's monitor remembers.
    // The shell says it once. The next channel's ChannelPending comes after the
    // replay in LDK's queue, so once it is printed the replay has been handled.
    poll_json(&mut shell, "info --json", |v| {
        v["held"]["manager_rebuilds"] == 1
    });
    open_and_fund(&mut shell, &mut c);
    shell.wait_for_text("ChannelPending: channel");
    assert_eq!(
        shell.seen_count("PaymentClaimed: received"),
        1,
        "a payment is announced once"
    );
    let held = shell.json("info --json", |v| v.get("held").is_some())["held"].clone();
    assert_eq!(held["claims_remembered"], 1, "{held}");

    // Closing the session disconnects the peer.
    drop(c);
    shell.wait_for_text("netcat session closed");
    shell.peers_until("no connections", |l| l.is_empty());
}

#[test]
fn order_matters_commitment_signed_first_fails_the_channel() {
    let mut shell = Shell::start("ncpeer-order");
    let addr = shell.addr();
    let mut c = Client::connect(&addr);
    open_and_fund(&mut shell, &mut c);
    shell.send("mine 6");
    make_ready(&mut shell, &mut c);

    c.send("make update_add_htlc amount_msat=20000");
    c.until("made: update_add_htlc");
    c.until("made: commitment_signed");
    // The signature before the update it covers.
    c.send("commitment_signed");
    let err = c.until("<- node: error (type 17");
    assert!(err.contains("0011"), "{err}");
    let why = c.until("why:");
    assert!(why.contains("BOLT 2"), "{why}");
    assert!(why.contains("has not seen"), "{why}");
    shell.wait_for_text("[ldk] ChannelClosed");
    channels_until(&mut shell, |l| l.is_empty());
    // The session stays up, and the stale update is gone from the outbox.
    c.send("outbox");
    let line = c.until("outbox");
    assert!(!line.contains("update_add_htlc"), "{line}");
}

#[test]
fn order_matters_a_flipped_funding_signature_and_a_second_revoke() {
    let mut shell = Shell::start("ncpeer-flip");
    let addr = shell.addr();

    // A funding_created with one signature byte flipped is refused.
    let mut c = Client::connect(&addr);
    c.send("open_channel");
    c.until("your side: funding_created is ready in the outbox");
    c.send("outbox");
    let line = c.until("funding_created (type 34");
    let mut bytes = hex::decode(Client::hex_of(&line)).expect("hex");
    // type(2) temporary_channel_id(32) funding_txid(32) output_index(2), then the signature.
    bytes[2 + 32 + 32 + 2 + 10] ^= 0x01;
    c.send(&hex::encode(&bytes));
    c.until("funding_created (type 34, 132 bytes)");
    c.until("-> node: funding_created as typed");
    c.until("<- node: error (type 17");
    let why = c.until("why:");
    assert!(why.contains("funding_created"), "{why}");
    assert!(why.contains("BOLT 2"), "{why}");
    // Your side hears of it too: its channel fails, and its good copy goes.
    c.until("your side dropped 1 queued message for the failed channel");
    channels_until(&mut shell, |l| l.is_empty());

    // A revoke_and_ack sent twice fails the channel.
    let mut c = Client::connect(&addr);
    open_and_fund(&mut shell, &mut c);
    shell.send("mine 6");
    make_ready(&mut shell, &mut c);
    c.send("update_add_htlc amount_msat=10000");
    c.until("your side: commitment_signed is ready in the outbox");
    c.send("commitment_signed");
    c.until("your side: revoke_and_ack is ready in the outbox");
    c.send("revoke_and_ack");
    let sent = c.until("-> node: revoke_and_ack");
    c.until("<- node: update_fulfill_htlc");
    c.send(&Client::hex_of(&sent));
    c.until("-> node: revoke_and_ack as typed");
    c.until("<- node: error (type 17");
    let why = c.until("why:");
    assert!(why.contains("revoke_and_ack"), "{why}");
    shell.wait_for_text("[ldk] ChannelClosed");
}

#[test]
fn bad_input_stays_safe_and_sessions_stay_apart() {
    let mut shell = Shell::start("ncpeer-bad");
    let addr = shell.addr();
    let mut a = Client::connect(&addr);
    let mut b = Client::connect(&addr);
    assert_ne!(a.side, b.side, "each session is its own peer");

    // Words your side cannot send yet say what must happen first.
    a.send("funding_created");
    a.until("your side has no accepted channel yet: send `open_channel`");
    a.send("accept_channel");
    a.until("accept_channel is the node's to send");
    a.send("revoke_and_ack");
    a.until("only after it receives the node's commitment_signed");
    a.send("update_add_htlc amount_msat=1000");
    a.until("no usable channel");
    a.send("update_add_htlc amount_msat=lots");
    a.until("amount_msat takes a whole number");
    a.send("open_channel chain_hash=00");
    a.until("you can set: funding_satoshis");
    a.send("make");
    a.until("make what?");
    a.send("open_channel funding_satoshis=999999999999");
    a.until("<- node: error (type 17");
    a.until("funding must be at most 16777215");
    a.until("option_support_large_channel");
    // A message for a channel the node does not know.
    a.send(&format!(
        "0024{}0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        "ab".repeat(32)
    ));
    a.until("-> node: channel_ready as typed");
    a.until("<- node:");
    // An unknown even type, and garbage.
    a.send("fffe0000");
    a.until("unknown");
    a.send("hello world");
    a.until("non-hex character");
    // A flood of words.
    for _ in 0..200 {
        a.send("open_channel open_channel open_channel");
    }
    a.send("help");
    a.until("outbox");

    // The other session is untouched and can still open a channel.
    open_and_fund(&mut shell, &mut b);
    let chans = channels_until(&mut shell, |l| l.iter().any(|c| c["state"] == "pending"));
    assert!(chans
        .iter()
        .any(|c| c["counterparty"] == b.side.as_str() && c["state"] == "pending"));
    shell.info();
}

#[test]
fn an_idle_peer_session_is_still_closed() {
    let mut shell = Shell::start_with(
        "ncpeer-idle",
        &["--listen", "127.0.0.1:0", "--idle-timeout", "1"],
    );
    let addr = shell.addr();
    let mut c = Client::connect(&addr);
    c.send("open_channel");
    c.until("<- node: accept_channel");
    c.until("--idle-timeout");
    shell.wait_for_text("idle for 1 s");
    // The node forgot the peer, and LDK closed the unfunded channel with it.
    channels_until(&mut shell, |l| l.is_empty());
}

#[test]
fn fifty_sessions_open_at_once_and_all_reach_ready() {
    let mut shell = Shell::start("ncpeer-fifty");
    let addr = shell.addr();
    let mut clients = Client::connect_many(&addr, 50);
    for c in clients.iter_mut() {
        c.send("open_channel funding_satoshis=20000");
    }
    for c in clients.iter_mut() {
        c.until("your side: funding_created is ready in the outbox");
        c.send("funding_created");
    }
    for c in clients.iter_mut() {
        c.until("<- node: funding_signed");
    }
    channels_until(&mut shell, |l| {
        l.len() == 50 && l.iter().all(|c| c["state"] == "pending")
    });
    shell.send("mine 6");
    for c in clients.iter_mut() {
        c.until("your side: channel_ready is ready in the outbox");
        c.send("channel_ready");
    }
    let chans = channels_until(&mut shell, |l| {
        l.len() == 50 && l.iter().all(|c| c["state"] == "usable")
    });
    assert_eq!(chans.len(), 50);
}

#[test]
fn two_shells_confirm_one_funding_and_keysend() {
    let mut a = Shell::start("chain-a");
    let mut b = Shell::start("chain-b");
    let b_id = b.node_id();
    let b_addr = b.addr();
    a.send(&format!("connect {b_id}@{b_addr}"));
    a.wait_for_text(&format!("connected to {b_id}"));
    a.send(&format!("openchannel {b_id} 200000"));
    a.wait_for_text("sent; ChannelPending");
    // The funder's shell broadcast the funding to its own chain, with the hex.
    a.wait_for_text("[chain] the node broadcast transaction");
    let hex_line = a.wait_for_text("        hex: ");
    let tx = hex_line.trim().trim_start_matches("hex: ").to_string();
    // The fundee's shell gets the same transaction, then both mine.
    b.send(&format!("confirm {tx}"));
    b.wait_for_text("is in the shell's mempool");
    b.send("confirm 00");
    b.wait_for_stderr("not a transaction");
    a.send("mine 6");
    b.send("mine 6");
    for s in [&mut a, &mut b] {
        channels_until(s, |l| l.len() == 1 && l[0]["state"] == "usable");
    }
    a.send("trace on");
    a.wait_for_text("trace on");
    a.send(&format!("keysend {b_id} 5000"));
    a.wait_for_text("sending 5000 msat");
    b.wait_for_text("PaymentClaimed: received 5000 msat");
    a.wait_for_text("[ldk] PaymentSent");
    // The trace shows the commitment dance.
    for step in ["update_add_htlc", "revoke_and_ack", "update_fulfill_htlc"] {
        a.wait_for_text(step);
    }
    a.send(&format!("keysend {b_id} 999999999999"));
    a.wait_for_stderr("LDK refused to send the payment");
}

/// `info --json`'s count of side keys waiting for a session.
fn side_keys(shell: &mut Shell) -> u64 {
    shell.json("info --json", |v| v.get("held").is_some())["held"]["side_keys"]
        .as_u64()
        .expect("held.side_keys")
}

/// Force-closes every channel the node lists, and waits until it lists none.
fn force_close_all(shell: &mut Shell) {
    for ch in channels_until(shell, |_| true) {
        let id = ch["channel_id"].as_str().expect("a channel id").to_string();
        shell.send(&format!("forceclose {id}"));
    }
    channels_until(shell, |l| l.is_empty());
}

#[test]
fn a_side_key_comes_back_only_when_its_peer_has_no_channel() {
    let mut shell = Shell::start("ncpeer-keys");
    let addr = shell.addr();
    let mut a = Client::connect(&addr);
    open_and_fund(&mut shell, &mut a);
    let b = Client::connect(&addr);
    assert_ne!(a.side, b.side, "two live sessions never share a key");
    assert_eq!(side_keys(&mut shell), 0);

    // b leaves with no channel: the next session is b's key again, so the node
    // meets a peer it knew.
    let b_side = b.side.clone();
    drop(b);
    poll_json(&mut shell, "info --json", |v| v["held"]["side_keys"] == 1);
    let c = Client::connect(&addr);
    assert_eq!(
        c.side, b_side,
        "the key of a session with no channel is reused"
    );
    assert_eq!(side_keys(&mut shell), 0);

    // a leaves with its channel pending: its key stays out (a new side would not
    // know that channel), and the next session gets a fresh one.
    let a_side = a.side.clone();
    drop(a);
    shell.peers_until("a's session gone", |l| {
        !l.iter().any(|p| p["node_id"] == a_side.as_str())
    });
    assert_eq!(side_keys(&mut shell), 0);
    let mut d = Client::connect(&addr);
    assert_ne!(d.side, a_side);
    assert_ne!(d.side, c.side);
    force_close_all(&mut shell);

    // A key whose channel closed comes back, and the node opens a new channel
    // with the side that takes it.
    open_and_fund(&mut shell, &mut d);
    force_close_all(&mut shell);
    let d_side = d.side.clone();
    drop(d);
    poll_json(&mut shell, "info --json", |v| v["held"]["side_keys"] == 1);
    let mut e = Client::connect(&addr);
    assert_eq!(e.side, d_side);
    open_and_fund(&mut shell, &mut e);
    drop(c);
}

/// `info --json`'s count of `ChannelManager` rebuilds.
fn rebuilds(shell: &mut Shell) -> u64 {
    shell.json("info --json", |v| v.get("held").is_some())["held"]["manager_rebuilds"]
        .as_u64()
        .expect("held.manager_rebuilds")
}

#[test]
fn the_manager_is_rebuilt_once_no_channel_is_left_and_the_node_goes_on() {
    let mut shell = Shell::start("ncpeer-rebuild");
    let addr = shell.addr();
    let info = shell.json("info --json", |v| v.get("held").is_some());
    let mut a = Client::connect(&addr);
    let mut b = Client::connect(&addr);
    open_and_fund(&mut shell, &mut a);
    assert_eq!(rebuilds(&mut shell), 0, "never while a channel is open");
    force_close_all(&mut shell);
    // No channel left and one closed: LDK's ChannelManager is written out and
    // read back, and what it kept for the closed channel goes with the old one.
    poll_json(&mut shell, "info --json", |v| {
        v["held"]["manager_rebuilds"] == 1
    });
    let after = shell.json("info --json", |v| v.get("held").is_some());
    assert_eq!(after["node_id"], info["node_id"], "the same node");
    assert_eq!(
        after["held"]["monitors"], 1,
        "the closed channel's monitor stays"
    );
    // Both sessions are still peers, and the new manager knows them: b, which
    // connected before the rebuild and never since, opens a channel with it, and
    // a, whose channel closed, opens another.
    let sides = [a.side.clone(), b.side.clone()];
    shell.peers_until("both sessions still peers", |l| {
        sides
            .iter()
            .all(|s| l.iter().any(|p| p["node_id"] == s.as_str()))
    });
    b.send("0012000400020000");
    b.until("pong: 0013000400000000");
    open_and_fund(&mut shell, &mut b);
    let mut chans = channels_until(&mut shell, |l| l.len() == 1);
    assert_eq!(chans[0]["counterparty"], b.side.as_str());
    a.send("open_channel");
    a.until("<- node: accept_channel (type 33");
    chans = channels_until(&mut shell, |l| l.len() == 2);
    assert!(
        chans.iter().any(|c| c["counterparty"] == a.side.as_str()),
        "{chans:?}"
    );
    assert_eq!(rebuilds(&mut shell), 1, "not again while channels are open");
}
