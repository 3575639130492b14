//! A panic stays in its task: with the test-only hook `LNSHELL_TEST_PANIC` (see
//! `node::contain`), one connection's task panics: a netcat session, a lightning
//! peer, a session's own node ("your side"). The shell keeps running, the registry
//! forgets that connection (`peers` no longer lists it), the connections around it
//! carry on, and the panic is one event on stdout, not a backtrace on stderr.

mod common;

use std::io::Write;
use std::str::FromStr;
use std::time::{Duration, Instant};

use bitcoin::secp256k1::PublicKey;

use common::ldk_client::{connect, good_features, peer_with_seed};
use common::{netcat, read_greeting, read_line, Shell, WAIT};

fn shell_with_panic(name: &str, site: &str) -> (Shell, String) {
    let mut shell = Shell::start_env(
        name,
        &["--listen", "127.0.0.1:0"],
        &[
            ("LNSHELL_TEST_PANIC", site),
            ("LNSHELL_TIMER_TICK_MS", "200"),
        ],
    );
    let addr = shell.addr();
    (shell, addr)
}

/// How many stdout lines so far contain `needle`.
fn count_lines(shell: &Shell, needle: &str) -> usize {
    shell
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains(needle))
        .count()
}

/// The id (`#n`) a greeting names.
fn session_id(greeting: &str) -> u64 {
    let after = greeting.split('#').nth(1).expect("an id in the greeting");
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().expect("a number")
}

/// What a contained panic leaves: one event, nothing on stderr, the shell answering.
fn reported_once(shell: &mut Shell, what: &str) {
    let line = shell.wait_for_line(what, |l| l.contains(what) && l.contains("'s task panicked"));
    assert!(line.contains("LNSHELL_TEST_PANIC"), "{line}");
    assert!(line.contains("the shell goes on"), "{line}");
    // Whatever else happens later, the panic is said once.
    shell.info();
    assert_eq!(count_lines(shell, "panicked"), 1, "{:?}", shell.seen);
    let stderr = shell.stderr.lock().unwrap().clone();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "the default hook printed too: {stderr}"
    );
}

#[test]
fn a_netcat_sessions_panic_ends_only_that_session() {
    let (mut shell, addr) = shell_with_panic("panic-netcat", "netcat");
    // A session that was there before, quiet until after the panic.
    let (mut before_rd, mut before_wr) = netcat(&addr);
    let before = read_greeting(&mut before_rd); // greeted after the sniff timeout
    let before_id = session_id(&before);
    // The victim: its first line makes its task panic.
    let (mut rd, mut wr) = netcat(&addr);
    writeln!(wr, "0012000400020000").unwrap();
    let greeting = read_greeting(&mut rd);
    let victim = session_id(&greeting);
    reported_once(&mut shell, &format!("netcat session #{victim}'s task"));
    // Its socket is closed: the client reads the end.
    let mut rest = String::new();
    assert_eq!(
        std::io::Read::read_to_string(&mut rd, &mut rest).unwrap_or(0),
        0
    );
    // The registry forgot it; the one before is still there.
    let list = shell.peers_until("the victim gone", |l| {
        l.iter().all(|p| p["id"] != victim) && l.iter().any(|p| p["id"] == before_id)
    });
    assert_eq!(list.len(), 1, "{list:?}");
    // The one before answers, and so does a new one (the hook fires once).
    writeln!(before_wr, "0012000400020000").unwrap();
    assert!(read_line(&mut before_rd).contains("ping (type 18, 8 bytes): ok"));
    assert!(read_line(&mut before_rd).starts_with("pong: "));
    let (mut new_rd, mut new_wr) = netcat(&addr);
    writeln!(new_wr, "0012000400020000").unwrap();
    read_greeting(&mut new_rd);
    assert!(read_line(&mut new_rd).contains(": ok"));
    assert_eq!(count_lines(&shell, "panicked"), 1);
    drop((before_wr, new_wr));
    assert!(shell.finish().success());
}

#[test]
fn your_sides_panic_ends_its_session_and_the_node_forgets_its_channel() {
    let (mut shell, addr) = shell_with_panic("panic-side", "side");
    let (mut other_rd, mut other_wr) = netcat(&addr);
    writeln!(other_wr).unwrap();
    let other = read_greeting(&mut other_rd);
    let other_id = session_id(&other);
    // The victim's side opens a channel; the node's accept_channel reaches the side,
    // whose code panics.
    let (mut rd, mut wr) = netcat(&addr);
    writeln!(wr).unwrap();
    let victim = session_id(&read_greeting(&mut rd));
    writeln!(wr, "open_channel").unwrap();
    reported_once(&mut shell, &format!("netcat session #{victim}'s task"));
    shell.peers_until("the victim gone", |l| {
        l.iter().all(|p| p["id"] != victim) && l.iter().any(|p| p["id"] == other_id)
    });
    // The node was told its peer left: LDK dropped the channel being negotiated.
    common::poll_json(&mut shell, "channels --json", |v| {
        v.as_array().is_some_and(|l| l.is_empty())
    });
    // The other session's side opens a channel and gets its answer.
    writeln!(other_wr, "open_channel").unwrap();
    let deadline = Instant::now() + WAIT;
    let mut got = Vec::new();
    while Instant::now() < deadline {
        let line = read_line(&mut other_rd);
        got.push(line.clone());
        if line.contains("your side: funding_created is ready in the outbox") {
            break;
        }
    }
    assert!(
        got.iter()
            .any(|l| l.contains("<- node: accept_channel (type 33")),
        "{got:?}"
    );
    assert!(got
        .last()
        .is_some_and(|l| l.contains("funding_created is ready")));
    assert_eq!(count_lines(&shell, "panicked"), 1);
    drop(other_wr);
    assert!(shell.finish().success());
}

#[test]
fn a_lightning_peers_panic_drops_only_that_peer() {
    let (mut shell, addr) = shell_with_panic("panic-peer", "peer");
    let id = PublicKey::from_str(&shell.node_id()).unwrap();
    let addr: std::net::SocketAddr = addr.parse().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    // A netcat session, there all along.
    let (mut nc_rd, mut nc_wr) = netcat(&addr.to_string());
    writeln!(nc_wr).unwrap();
    let nc_id = session_id(&read_greeting(&mut nc_rd));
    // The victim: its connection's task panics once init is done.
    let victim = peer_with_seed(good_features(), 21);
    let _ = rt.block_on(connect(&victim.pm, id, addr));
    reported_once(&mut shell, "] lightning connection #");
    // LDK was told: the client sees the connection end.
    let deadline = Instant::now() + WAIT;
    while victim.pm.peer_by_node_id(&id).is_some() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(victim.pm.peer_by_node_id(&id).is_none(), "still connected");
    let victim_id = victim.node_id.to_string();
    shell.peers_until("only the netcat session", |l| {
        l.len() == 1 && l[0]["id"] == nc_id && l.iter().all(|p| p["node_id"] != victim_id.as_str())
    });
    // Another peer connects and stays; the session still answers.
    let next = peer_with_seed(good_features(), 22);
    assert!(rt.block_on(connect(&next.pm, id, addr)), "second handshake");
    let next_id = next.node_id.to_string();
    shell.peers_until("the second peer", |l| {
        l.iter().any(|p| p["node_id"] == next_id.as_str())
    });
    writeln!(nc_wr, "0012000400020000").unwrap();
    assert!(read_line(&mut nc_rd).contains(": ok"));
    assert_eq!(count_lines(&shell, "panicked"), 1);
    drop(nc_wr);
    drop(next);
    assert!(shell.finish().success());
}
