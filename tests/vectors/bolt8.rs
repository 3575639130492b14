//! BOLT 8's own test vectors (`tests/data/bolt8.json`, 08-transport.md Appendix A)
//! against the real shell, over real TCP sockets on 127.0.0.1.
//!
//! LDK draws a node's ephemeral keys itself, and the shell's static key is derived by
//! LDK's `KeysManager` from the random `node_secret` seed in its data dir (it is not
//! the key itself, see `src/node/keys.rs`), so the shell can never be the vector's
//! responder (static key `0x21…`, ephemeral `0x22…`) nor produce the vector's bytes.
//! What can be checked, and is:
//!
//! * The test kit's own BOLT 8 (`tests/common/noise.rs`) reproduces every vector byte
//!   for byte: acts, failures, transport keys, the 1002 encrypted messages with key
//!   rotation. Everything below relies on it.
//! * The shell as responder to the spec's initiator (its static key `0x11…` and its
//!   ephemeral key `0x12…`, aimed at the shell's real node id): the shell answers act
//!   one with a 50-byte act two of version 0, a valid point and a MAC that verifies;
//!   takes act three, sends its `init`, and lists the peer under the vector's node id.
//! * Each failing responder vector, as the same corruption of a handshake aimed at the
//!   shell (the vector's bytes XORed onto ours; for "bad rs", the vector's invalid key
//!   encrypted with a valid MAC; for short reads, the same truncation): the shell sends
//!   no act two (act one cases) or no `init` (act three cases) and drops the connection.
//!   An act one whose version byte is not 0 is, by the shell's design, not BOLT 8 at
//!   all: it is answered as a netcat session, never with an act two.
//! * The shell as initiator, `connect`ing to the spec's responder (its static key and
//!   ephemeral key, played by the test kit): the shell's act one verifies under the
//!   vector's responder key, the handshake and `init` complete, and each failing
//!   initiator vector's act two makes the shell's `connect` fail.
//!
//! Every wait is bounded, and the shell's timer tick is shortened (200 ms) so LDK drops
//! a stalled handshake quickly.

use crate::common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use bitcoin::secp256k1::PublicKey;
use serde_json::Value as Json;

use common::noise::{
    public, secret, ActError, Initiator, Responder, Transport, ACT_ONE_LEN, ACT_THREE_LEN,
    ACT_TWO_LEN,
};
use common::{fast_shell, WAIT};

const VECTORS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/bolt8.json"
));

/// The features LDK's `ChannelManager` requires of a peer (bits 0, 8, 12, 14, 44,
/// required), so the shell keeps the vector's initiator as an ordinary peer.
const GOOD_FEATURE_BITS: [usize; 5] = [0, 8, 12, 14, 44];

fn vectors() -> Json {
    serde_json::from_str(VECTORS).expect("bolt8.json is JSON")
}

fn tests_of(side: &str) -> Vec<Json> {
    vectors()[side].as_array().expect("a list of tests").clone()
}

fn key<'a>(t: &'a Json, name: &str) -> &'a str {
    t["keys"][name].as_str().expect("a key")
}

fn act(t: &Json, n: u64) -> Vec<u8> {
    let acts = t["acts"].as_array().expect("acts");
    let a = acts
        .iter()
        .find(|a| a["act"] == n)
        .unwrap_or_else(|| panic!("act {n} in {}", t["name"]));
    hex::decode(a["hex"].as_str().expect("act hex")).expect("hex")
}

fn expected_error(t: &Json) -> (u64, ActError) {
    let name = t["expected_error"].as_str().expect("expected_error");
    let kind = ActError::from_vector(name).unwrap_or_else(|| panic!("error {name}"));
    (t["error_act"].as_u64().expect("error_act"), kind)
}

fn successful(side: &str) -> Json {
    tests_of(side)
        .into_iter()
        .find(|t| t["ok"] == true)
        .expect("a successful handshake")
}

/// The vector's corruption of its own good act, applied to ours: a shorter act is cut
/// to the same length; otherwise every byte the vector changed is changed the same way.
fn corrupt_like(ours: &[u8], vector_good: &[u8], vector_bad: &[u8]) -> Vec<u8> {
    if vector_bad.len() < vector_good.len() {
        return ours[..vector_bad.len()].to_vec();
    }
    ours.iter()
        .zip(vector_good.iter().zip(vector_bad))
        .map(|(o, (g, b))| o ^ g ^ b)
        .collect()
}

#[test]
fn the_test_kits_bolt8_reproduces_every_vector() {
    let mut checked = 0;
    for t in tests_of("initiator_tests") {
        let rs = public(key(&t, "rs.pub"));
        let mut i = Initiator::new(secret(key(&t, "ls.priv")), secret(key(&t, "e.priv")), &rs);
        assert_eq!(i.node_id(), public(key(&t, "ls.pub")));
        assert_eq!(i.act_one(), act(&t, 1), "{}", t["name"]);
        let read = i.read_act_two(&act(&t, 2));
        if t["ok"] == true {
            read.expect("the vector's act two");
            let (three, transport) = i.act_three();
            assert_eq!(three, act(&t, 3), "{}", t["name"]);
            assert_eq!(hex::encode(transport.send.k), t["sk"].as_str().expect("sk"));
            assert_eq!(hex::encode(transport.recv.k), t["rk"].as_str().expect("rk"));
        } else {
            let (n, kind) = expected_error(&t);
            assert_eq!(n, 2, "{}", t["name"]);
            assert_eq!(read, Err(kind), "{}", t["name"]);
        }
        checked += 1;
    }
    let initiator_id = public(key(&successful("initiator_tests"), "ls.pub"));
    for t in tests_of("responder_tests") {
        let mut r = Responder::new(secret(key(&t, "ls.priv")), secret(key(&t, "e.priv")));
        let one = r.read_act_one(&act(&t, 1));
        let failure = (t["ok"] != true).then(|| expected_error(&t));
        if let Some((1, kind)) = failure {
            assert_eq!(one, Err(kind), "{}", t["name"]);
            checked += 1;
            continue;
        }
        one.expect("the vector's act one");
        assert_eq!(r.act_two(), act(&t, 2), "{}", t["name"]);
        let three = r.read_act_three(&act(&t, 3));
        match failure {
            None => {
                let (rs, transport) = three.expect("the vector's act three");
                assert_eq!(rs, initiator_id);
                assert_eq!(hex::encode(transport.send.k), t["sk"].as_str().expect("sk"));
                assert_eq!(hex::encode(transport.recv.k), t["rk"].as_str().expect("rk"));
            }
            Some((n, kind)) => {
                assert_eq!(n, 3, "{}", t["name"]);
                assert_eq!(three.err(), Some(kind), "{}", t["name"]);
            }
        }
        checked += 1;
    }
    assert!(checked >= 15, "{checked} handshake vectors");

    // The message test: "hello" 1002 times from the initiator, keys rotating.
    let m = &vectors()["message_encryption_test"];
    let t = successful("initiator_tests");
    let mut i = Initiator::new(
        secret(key(&t, "ls.priv")),
        secret(key(&t, "e.priv")),
        &public(key(&t, "rs.pub")),
    );
    i.act_one();
    i.read_act_two(&act(&t, 2)).expect("act two");
    let (_, mut transport) = i.act_three();
    let hello = hex::decode(m["plaintext"].as_str().expect("plaintext")).expect("hex");
    let outputs = m["outputs"].as_object().expect("outputs");
    assert!(outputs.len() >= 6);
    for n in 0..=1001usize {
        let sealed = transport.encrypt(&hello);
        if let Some(want) = outputs.get(&n.to_string()) {
            assert_eq!(
                hex::encode(&sealed),
                want.as_str().expect("hex"),
                "message {n}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Sockets

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, WAIT).expect("connect to the shell");
    s.set_read_timeout(Some(Duration::from_millis(100)))
        .expect("read timeout");
    s.set_nodelay(true).expect("nodelay");
    s
}

/// Reads exactly `n` bytes within [`WAIT`].
fn read_n(s: &mut TcpStream, n: usize, what: &str) -> Vec<u8> {
    let deadline = Instant::now() + WAIT;
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        match s.read(&mut buf[got..]) {
            Ok(0) => panic!("{what}: the connection closed after {got} of {n} bytes"),
            Ok(k) => got += k,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("{what}: {e}"),
        }
        assert!(Instant::now() < deadline, "{what}: {got} of {n} bytes");
    }
    buf
}

/// Whatever the peer sends until it closes the connection; panics if it has not
/// closed within [`WAIT`].
fn until_closed(s: &mut TcpStream, what: &str) -> Vec<u8> {
    let deadline = Instant::now() + WAIT;
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return all,
            Ok(k) => all.extend(&buf[..k]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return all,
            Err(e) => panic!("{what}: {e}"),
        }
        assert!(
            Instant::now() < deadline,
            "{what}: still open after {WAIT:?}; received {}",
            hex::encode(&all)
        );
    }
}

/// An `init` with [`GOOD_FEATURE_BITS`] and no TLVs.
fn our_init() -> Vec<u8> {
    let features = lnshell::wire::features::from_bits(&GOOD_FEATURE_BITS);
    let mut init = vec![0x00, 0x10, 0x00, 0x00];
    init.extend((features.len() as u16).to_be_bytes());
    init.extend(features);
    init
}

/// The next transport message from `s`.
fn read_message(s: &mut TcpStream, t: &mut Transport, what: &str) -> Vec<u8> {
    let header = read_n(s, 18, what);
    let len = t
        .decrypt_length(&header)
        .unwrap_or_else(|| panic!("{what}: the length's MAC does not verify"));
    let body = read_n(s, len + 16, what);
    t.decrypt_body(&body)
        .unwrap_or_else(|| panic!("{what}: the body's MAC does not verify"))
}

/// The spec's initiator (static `0x11…`, ephemeral `0x12…`) aimed at the shell.
fn spec_initiator(shell_id: &PublicKey) -> Initiator {
    let t = successful("initiator_tests");
    Initiator::new(
        secret(key(&t, "ls.priv")),
        secret(key(&t, "e.priv")),
        shell_id,
    )
}

/// Act one to the shell, and its act two, checked: 50 bytes, version 0, a valid
/// point, a MAC that verifies.
fn first_two_acts(s: &mut TcpStream, i: &mut Initiator) {
    s.write_all(&i.act_one()).expect("send act one");
    let two = read_n(s, ACT_TWO_LEN, "act two");
    assert_eq!(two[0], 0, "act two's version: {}", hex::encode(&two));
    assert!(
        PublicKey::from_slice(&two[1..34]).is_ok(),
        "act two's ephemeral key is no point: {}",
        hex::encode(&two)
    );
    i.read_act_two(&two)
        .unwrap_or_else(|e| panic!("the shell's act two does not verify: {e:?}"));
}

#[test]
fn the_shell_completes_a_handshake_with_the_spec_initiator() {
    let (mut shell, id, addr) = fast_shell("b8v-initiator");
    let mut s = connect(addr);
    let mut i = spec_initiator(&id);
    let ours = i.node_id();
    assert_eq!(ours, public(key(&successful("initiator_tests"), "ls.pub")));
    first_two_acts(&mut s, &mut i);
    let (three, mut t) = i.act_three();
    assert_eq!(three.len(), ACT_THREE_LEN);
    s.write_all(&three).expect("send act three");
    let init = read_message(&mut s, &mut t, "the shell's init");
    assert_eq!(&init[..2], &[0x00, 0x10], "{}", hex::encode(&init));
    s.write_all(&t.encrypt(&our_init())).expect("send init");
    let want = ours.to_string();
    let peers = shell.peers_until("the spec initiator's node id", |l| {
        l.iter()
            .any(|p| p["node_id"] == want.as_str() && p["direction"] == "in")
    });
    assert!(peers.iter().all(|p| p["kind"] == "lightning"), "{peers:?}");
}

#[test]
fn the_shell_drops_each_failing_act_one_of_the_vectors() {
    let (mut shell, id, addr) = fast_shell("b8v-act-one");
    let good = successful("responder_tests");
    let mut cases = 0;
    for t in tests_of("responder_tests") {
        if t["ok"] == true || expected_error(&t).0 != 1 {
            continue;
        }
        let (_, kind) = expected_error(&t);
        let name = t["name"].as_str().expect("name");
        let bytes = corrupt_like(&spec_initiator(&id).act_one(), &act(&good, 1), &act(&t, 1));
        let mut s = connect(addr);
        s.write_all(&bytes).expect("send act one");
        let answer = until_closed_or_netcat(&mut s, kind, name);
        assert!(
            !(answer.len() >= ACT_TWO_LEN && answer[0] == 0),
            "{name}: the shell answered an act two: {}",
            hex::encode(&answer)
        );
        cases += 1;
    }
    assert_eq!(cases, 4, "short read, bad version, bad key, bad MAC");
    // And the shell still takes a good handshake.
    let mut s = connect(addr);
    first_two_acts(&mut s, &mut spec_initiator(&id));
    drop(s);
    shell.peers_until("no connections", |l| l.is_empty());
}

/// A bad version byte is not BOLT 8 to the shell: a first byte other than 0x00 makes
/// the connection a netcat session, which greets. Every other failure ends the
/// connection with nothing sent.
fn until_closed_or_netcat(s: &mut TcpStream, kind: ActError, name: &str) -> Vec<u8> {
    if kind == ActError::BadVersion {
        let greeting = read_n(s, 8, name);
        assert_eq!(&greeting, b"lnshell:", "{name}");
        return greeting;
    }
    let answer = until_closed(s, name);
    assert!(answer.is_empty(), "{name}: {}", hex::encode(&answer));
    answer
}

#[test]
fn the_shell_drops_each_failing_act_three_of_the_vectors() {
    let (mut shell, id, addr) = fast_shell("b8v-act-three");
    let good = successful("responder_tests");
    let good_three = act(&good, 3);
    let mut cases = 0;
    for t in tests_of("responder_tests") {
        if t["ok"] == true || expected_error(&t).0 != 3 {
            continue;
        }
        let (_, kind) = expected_error(&t);
        let name = t["name"].as_str().expect("name");
        let bad_three = act(&t, 3);
        let mut s = connect(addr);
        let mut i = spec_initiator(&id);
        first_two_acts(&mut s, &mut i);
        let bytes = if kind == ActError::BadPubkey {
            // The vector encrypts a key that is no point, with a valid MAC: XORing its
            // ciphertext onto ours would only break our MAC, so encrypt the same
            // invalid key ourselves (ChaCha20 is a stream cipher: the plaintexts differ
            // as the ciphertexts do).
            let claim: Vec<u8> = i
                .node_id()
                .serialize()
                .iter()
                .zip(good_three[1..34].iter().zip(&bad_three[1..34]))
                .map(|(k, (g, b))| k ^ g ^ b)
                .collect();
            assert!(PublicKey::from_slice(&claim).is_err(), "{name}");
            i.act_three_claiming(&claim).0
        } else {
            corrupt_like(&i.act_three().0, &good_three, &bad_three)
        };
        s.write_all(&bytes).expect("send act three");
        let answer = until_closed(&mut s, name);
        assert!(
            answer.is_empty(),
            "{name}: the shell sent {} bytes (an init?)",
            answer.len()
        );
        cases += 1;
    }
    assert_eq!(
        cases, 5,
        "bad version, short read, bad MAC (c), bad rs, bad MAC (t)"
    );
    shell.peers_until("no connections", |l| l.is_empty());
}

/// Plays the spec's responder (static `0x21…`, ephemeral `0x22…`) on a loopback
/// listener for one connection from the shell; `two` turns our act two into what is
/// sent. Returns the initiator's node id if the handshake and `init` completed.
fn spec_responder(
    listener: TcpListener,
    two: impl FnOnce(Vec<u8>) -> Vec<u8> + Send + 'static,
) -> std::thread::JoinHandle<Option<PublicKey>> {
    std::thread::spawn(move || {
        let t = successful("responder_tests");
        listener.set_nonblocking(true).expect("nonblocking");
        let deadline = Instant::now() + WAIT;
        let mut s = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    assert!(Instant::now() < deadline, "the shell never connected");
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => panic!("accept: {e}"),
            }
        };
        s.set_nonblocking(false).expect("blocking");
        s.set_read_timeout(Some(Duration::from_millis(100)))
            .expect("read timeout");
        let mut r = Responder::new(secret(key(&t, "ls.priv")), secret(key(&t, "e.priv")));
        let one = read_n(&mut s, ACT_ONE_LEN, "the shell's act one");
        r.read_act_one(&one)
            .unwrap_or_else(|e| panic!("the shell's act one: {e:?}"));
        let ours = r.act_two();
        // The ephemeral key is the vector's, whoever the initiator is.
        assert_eq!(ours[..34], act(&t, 2)[..34]);
        let sent = two(ours.clone());
        s.write_all(&sent).expect("send act two");
        if sent != ours {
            let rest = until_closed(&mut s, "after a bad act two");
            assert!(rest.is_empty(), "the shell sent {}", hex::encode(&rest));
            return None;
        }
        let three = read_n(&mut s, ACT_THREE_LEN, "the shell's act three");
        let (initiator, mut transport) = r
            .read_act_three(&three)
            .unwrap_or_else(|e| panic!("the shell's act three: {e:?}"));
        s.write_all(&transport.encrypt(&our_init()))
            .expect("send init");
        let init = read_message(&mut s, &mut transport, "the shell's init");
        assert_eq!(&init[..2], &[0x00, 0x10], "{}", hex::encode(&init));
        // Hold the connection until the shell has seen our init.
        std::thread::sleep(Duration::from_millis(300));
        Some(initiator)
    })
}

#[test]
fn the_shell_as_initiator_meets_the_spec_responder() {
    let (mut shell, id, _) = fast_shell("b8v-responder");
    let responder_id = key(&successful("responder_tests"), "ls.pub").to_string();

    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    let peer = spec_responder(listener, |two| two);
    shell.send(&format!("connect {responder_id}@{addr}"));
    let initiator = peer.join().expect("the responder thread");
    assert_eq!(initiator, Some(id), "the shell's node id in its act three");

    // Each failing initiator vector's act two, as the same corruption of ours.
    let good_two = act(&successful("initiator_tests"), 2);
    let mut cases = 0;
    for t in tests_of("initiator_tests") {
        if t["ok"] == true {
            continue;
        }
        let name = t["name"].as_str().expect("name").to_string();
        // `connect` refuses a node it is still connected to: wait until the last
        // connection to the responder is gone (under load the shell can take a while to
        // see the close; without this the test failed once, the shell never dialling).
        shell.peers_until("the last connection gone", |l| l.is_empty());
        let bad_two = act(&t, 2);
        let good_two = good_two.clone();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        let peer = spec_responder(listener, move |ours| {
            corrupt_like(&ours, &good_two, &bad_two)
        });
        shell.send(&format!("connect {responder_id}@{addr}"));
        assert_eq!(peer.join().expect("the responder thread"), None, "{name}");
        let err = shell.wait_for_stderr(&addr.to_string());
        assert!(err.contains("handshake failed"), "{name}: {err}");
        cases += 1;
    }
    assert_eq!(cases, 4, "short read, bad version, bad key, bad MAC");
}
