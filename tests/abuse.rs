//! Strangers on the port: many connections, endless lines, random bytes, churn.
//! Everything goes to 127.0.0.1, is bounded in count and time, and stops by itself.
//! Afterwards the shell still answers, lists only live connections, and its memory
//! is back near where it started.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Shell, WAIT};

fn greeted(addr: &str) -> (BufReader<TcpStream>, TcpStream) {
    let mut c = connected(addr);
    read_greeting(&mut c.0);
    c
}

/// Connects without waiting for the greeting (a silent client is greeted only
/// after the shell's sniff timeout, so many clients should wait in parallel).
fn connected(addr: &str) -> (BufReader<TcpStream>, TcpStream) {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(WAIT)).unwrap();
    (BufReader::new(s.try_clone().unwrap()), s)
}

fn read_greeting(r: &mut BufReader<TcpStream>) {
    let greeting = common::read_greeting(r);
    assert!(greeting.starts_with("lnshell:"), "{greeting}");
}

/// Reads until EOF (the shell closed), returning what came.
fn read_to_close(r: &mut BufReader<TcpStream>) -> String {
    let mut rest = Vec::new();
    let _ = r.read_to_end(&mut rest);
    String::from_utf8_lossy(&rest).into_owned()
}

/// Sends junk and then waits until the shell closes; ignores a reset on write
/// (the shell may close while we are still sending).
fn send_until_closed(s: &mut TcpStream, r: &mut BufReader<TcpStream>, junk: &[u8]) -> String {
    let _ = s.write_all(junk);
    read_to_close(r)
}

#[test]
fn five_hundred_concurrent_sessions_then_churn_and_the_shell_is_fine() {
    let mut shell = Shell::start("abuse-many");
    let addr = shell.addr();
    // Let the shell settle, then take a baseline.
    shell.info();
    let baseline = shell.rss_kb();

    let mut clients: Vec<_> = (0..500).map(|_| connected(&addr)).collect();
    for (r, _) in clients.iter_mut() {
        read_greeting(r);
    }
    let info = shell.info();
    assert_eq!(info["peers"]["netcat"], 500, "{info}");
    for (r, s) in clients.iter_mut().take(50) {
        s.write_all(b"0012000400020000\n").unwrap();
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert!(line.starts_with("ping (type 18"), "{line}");
    }
    drop(clients);

    // 1000 connect/disconnect cycles: some close at once, some mid-greeting, some
    // after a line, some mid-handshake (a 0x00 and a few bytes of act one).
    for i in 0..1000u32 {
        let mut s = TcpStream::connect(&addr).expect("connect");
        match i % 4 {
            0 => {}
            1 => {
                let _ = s.write_all(b"0012000400020000\n");
            }
            2 => {
                let _ = s.write_all(&[0x00, 0x02, 0x03, 0x04]);
            }
            _ => {
                let _ = s.write_all(b"00120004");
            }
        }
    }
    let peers = shell.peers_until("no connections left", |l| l.is_empty());
    assert!(peers.is_empty());
    let info = shell.info();
    assert_eq!(info["peers"]["netcat"], 0, "{info}");
    assert_eq!(info["peers"]["lightning"], 0, "{info}");
    let after = shell.rss_kb();
    assert!(
        after < baseline + 40 * 1024,
        "RSS {after} kB after churn, baseline {baseline} kB"
    );
}

#[test]
fn ten_megabytes_without_a_line_break_is_refused_with_bounded_memory() {
    let mut shell = Shell::start("abuse-long");
    let addr = shell.addr();
    shell.info();
    let baseline = shell.rss_kb();
    let (mut r, mut s) = greeted(&addr);
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0usize;
    while sent < 10 * 1024 * 1024 {
        if s.write_all(&chunk).is_err() {
            break; // the shell closed on us: exactly what should happen
        }
        sent += chunk.len();
    }
    let reply = read_to_close(&mut r);
    assert!(reply.contains("error: line longer than"), "{reply}");
    shell.wait_for_text("netcat session closed: line over");
    let after = shell.rss_kb();
    assert!(
        after < baseline + 20 * 1024,
        "RSS {after} kB, baseline {baseline} kB"
    );
    assert_eq!(shell.info()["peers"]["netcat"], 0);
}

#[test]
fn random_bytes_get_errors_then_the_session_is_closed() {
    let mut shell = Shell::start("abuse-random");
    let addr = shell.addr();
    let (mut r, mut s) = greeted(&addr);
    // A simple deterministic generator: the test needs noise, not randomness.
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let noise: Vec<u8> = (0..4096)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if i % 97 == 0 {
                b'\n'
            } else {
                (x & 0xff) as u8 | 0x80
            }
        })
        .collect();
    let reply = send_until_closed(&mut s, &mut r, &noise);
    assert!(
        reply.contains("error: binary data, not hex text"),
        "{reply}"
    );
    assert!(reply.contains("Closing"), "{reply}");
    shell.wait_for_text("binary lines in a row");
    // A session that pastes hex after one bad line is fine.
    let (mut r, mut s) = greeted(&addr);
    s.write_all(b"\x01\x02\n0012000400020000\n").unwrap();
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    assert!(line.starts_with("error: binary data"), "{line}");
    line.clear();
    r.read_line(&mut line).unwrap();
    assert!(line.starts_with("ping (type 18"), "{line}");
}

#[test]
fn connection_limit_idle_timeout_and_line_limit_are_configurable() {
    let mut shell = Shell::start_with(
        "abuse-limits",
        &[
            "--listen",
            "127.0.0.1:0",
            "--max-connections",
            "3",
            "--idle-timeout",
            "2",
            "--max-line",
            "100",
        ],
    );
    let addr = shell.addr();
    let mut kept: Vec<_> = (0..3).map(|_| connected(&addr)).collect();
    // Let the three be accepted before the fourth knocks.
    let deadline = Instant::now() + WAIT;
    while shell.info()["peers"]["netcat"] != 3 {
        assert!(Instant::now() < deadline, "three sessions never registered");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut fourth = TcpStream::connect(&addr).unwrap();
    fourth.set_read_timeout(Some(WAIT)).unwrap();
    let mut refusal = String::new();
    let _ = fourth.read_to_string(&mut refusal);
    assert!(refusal.contains("too many connections (3"), "{refusal}");
    shell.wait_for_text("refused: too many connections");

    // Idle sessions are closed after --idle-timeout, with a line saying why.
    for (r, _s) in kept.iter_mut() {
        read_greeting(r);
        let rest = read_to_close(r);
        assert!(rest.contains("nothing received for 2 s"), "{rest}");
    }
    shell.wait_for_text("netcat session closed: idle for 2 s");

    // A line over --max-line ends the session.
    let (mut r, mut s) = greeted(&addr);
    let reply = send_until_closed(&mut s, &mut r, &[b'0'; 300]);
    assert!(reply.contains("line longer than 100 bytes"), "{reply}");
}

#[test]
fn listening_on_every_interface_warns() {
    let shell = Shell::start_with("abuse-exposed", &["--listen", "0.0.0.0:0"]);
    let err = shell.wait_for_stderr("anyone who can reach this machine can connect");
    assert!(err.contains("warning"), "{err}");
}
