//! Every transport the tutorial names, end to end on loopback: IPv6 both ways, and
//! Tor onion addresses through a SOCKS5 proxy. The proxy is the test kit's
//! (`common::socks`): it stands where Tor would, maps one `.onion` name to a second
//! shell's listener, and records what the shell asked it.

mod common;

use std::io::Write;

use common::socks::{Behaviour, SocksProxy};
use common::{netcat, read_line, run, Shell, TempDir, WAIT};

/// A published onion name (DuckDuckGo's): a real checksum, so the shell's checks pass.
const ONION: &str = "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion";

/// A valid key that is no shell's: the generator point.
const STRANGER: &str = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

/// Waits until the shell's stderr holds every one of `needles`.
fn stderr_says(shell: &Shell, needles: &[&str]) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let err = shell.stderr.lock().unwrap().clone();
        if needles.iter().all(|n| err.contains(n)) {
            return err;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "stderr never said all of {needles:?}:\n{err}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn onion_connect_goes_through_the_proxy_as_a_name_with_fresh_credentials() {
    let mut b = Shell::start("tor-b");
    let b_id = b.node_id();
    let b_addr = b.addr().parse().unwrap();
    let proxy = SocksProxy::start(Behaviour::Forward(vec![(ONION.to_string(), b_addr)]));
    let mut a = Shell::start_with("tor-a", &["--no-listen", "--proxy", &proxy.arg()]);
    let info = a.info();
    assert_eq!(info["proxy"]["address"], proxy.arg().as_str(), "{info}");
    assert_eq!(info["proxy"]["always"], false);

    // The usual BOLT 8 reasons still come after the proxy: a wrong node id.
    a.send(&format!("connect {STRANGER}@{ONION}:9735"));
    stderr_says(
        &a,
        &[
            "handshake failed",
            &format!("{ONION}:9735 via proxy {}", proxy.arg()),
        ],
    );

    a.send(&format!("connect {b_id}@{ONION}:9735"));
    let line = a.wait_for_text(&format!("connected to {b_id}"));
    assert!(
        line.contains(&format!("at {ONION}:9735 via proxy {}", proxy.arg())),
        "{line}"
    );
    let peers = a.peers_until("b, reached by its onion name", |l| {
        l.iter().any(|p| p["node_id"] == b_id.as_str())
    });
    let p = peers
        .iter()
        .find(|p| p["node_id"] == b_id.as_str())
        .unwrap();
    assert_eq!(p["address"], format!("{ONION}:9735"));
    assert_eq!(p["via"], format!("proxy {}", proxy.arg()));
    assert_eq!(p["direction"], "out");
    stderr_says(&a, &["exercise onion_connected"]);

    // Once more, to compare two connections' credentials.
    a.send(&format!("disconnect {b_id}"));
    a.peers_until("no peers", |l| l.is_empty());
    a.send(&format!("connect {b_id}@{ONION}:9735"));
    a.wait_for(&format!("connected to {b_id} again"), |l| {
        l.contains(&format!("connected to {b_id}")) && l.contains("(#3)")
    });

    let reqs = proxy.wait_for_requests(3);
    for r in &reqs {
        // A domain name (ATYP 3), never an IP address: nothing was resolved locally.
        assert_eq!(r.atyp, 3, "{r:?}");
        assert_eq!(r.host, ONION);
        assert_eq!(r.port, 9735);
        assert_eq!(
            r.greeting,
            [5, 2, 0, 2],
            "offers none and username/password"
        );
        assert_eq!((r.username.len(), r.password.len()), (32, 32), "{r:?}");
    }
    assert_ne!(
        reqs[1].username, reqs[2].username,
        "fresh credentials per connection"
    );
    assert_ne!(reqs[1].password, reqs[2].password);

    // `socks5` shows exactly the bytes the proxy received (the credentials aside:
    // they are new each time, and only their framing is the same).
    let shown = a.json(&format!("socks5 --json {ONION}:9735"), |v| {
        v.get("steps").is_some()
    });
    let hex_of = |i: usize| shown["steps"][i]["hex"].as_str().unwrap().to_string();
    assert_eq!(hex_of(0), hex::encode(&reqs[2].greeting));
    assert_eq!(hex_of(4), hex::encode(&reqs[2].request));
    assert_eq!(hex_of(2).len(), hex::encode(&reqs[2].auth).len());
    assert_eq!(hex_of(2)[..4], hex::encode(&reqs[2].auth)[..4]);
    assert_eq!(shown["proxy"], proxy.arg().as_str());

    // B saw an ordinary inbound peer, from the proxy's side of loopback.
    let a_id = a.node_id();
    b.peers_until("a, inbound", |l| {
        l.iter()
            .any(|p| p["node_id"] == a_id.as_str() && p["direction"] == "in" && p["via"].is_null())
    });
}

#[test]
fn every_proxy_failure_says_why() {
    let codes: Vec<u8> = (1..=8).chain([0xf0, 0xf2, 0xf6, 0x42]).collect();
    let proxy = SocksProxy::start(Behaviour::Reply(codes.clone()));
    let dir = TempDir::new("tor-codes");
    let d = dir.path().to_str().unwrap();
    let proxy_arg = proxy.arg();
    let connect = format!("connect {STRANGER}@{ONION}:9735");
    let mut args = vec![
        "--data-dir",
        d,
        "--no-listen",
        "--proxy",
        proxy_arg.as_str(),
    ];
    for _ in &codes {
        args.extend(["--exec", connect.as_str()]);
    }
    let (code, _, err) = run(&args, None);
    assert_eq!(code, 1, "{err}");
    let words = [
        "SOCKS5 reply 0x01, general SOCKS server failure",
        "SOCKS5 reply 0x02, connection not allowed by ruleset",
        "SOCKS5 reply 0x03, network unreachable",
        "SOCKS5 reply 0x04, host unreachable",
        "SOCKS5 reply 0x05, connection refused (the host answered",
        "SOCKS5 reply 0x06, TTL expired",
        "SOCKS5 reply 0x07, command not supported",
        "SOCKS5 reply 0x08, address type not supported",
        "SOCKS5 reply 0xf0, onion service descriptor can not be found",
        "SOCKS5 reply 0xf2, onion service introduction failed",
        "SOCKS5 reply 0xf6, onion service address is invalid",
        "SOCKS5 reply 0x42, a reply code neither RFC 1928 nor Tor defines",
    ];
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), words.len(), "{err}");
    for (line, w) in lines.iter().zip(words) {
        assert!(line.contains(w), "expected {w:?} in {line:?}");
        assert!(
            line.contains(&format!("could not open a stream to {ONION}:9735")),
            "{line}"
        );
    }
    assert_eq!(proxy.requests().len(), codes.len());

    // A proxy that is down; something that is not a SOCKS5 proxy (a shell's
    // listener, which greets in text); no proxy at all; names that break a rule.
    let down = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let (_, _, err) = run(
        &[
            "--data-dir",
            d,
            "--no-listen",
            "--proxy",
            &down,
            "--exec",
            &connect,
        ],
        None,
    );
    assert!(
        err.contains("nothing listens there. Is Tor running?"),
        "{err}"
    );

    let mut not_a_proxy = Shell::start("tor-not-a-proxy");
    let listener = not_a_proxy.addr();
    let (_, _, err) = run(
        &[
            "--data-dir",
            d,
            "--no-listen",
            "--proxy",
            &listener,
            "--exec",
            &connect,
        ],
        None,
    );
    assert!(
        err.contains(&format!("{listener} is not a SOCKS5 proxy")),
        "{err}"
    );

    let v2 = format!("connect {STRANGER}@expyuzz4wqqyqhjn.onion:9735");
    let short = format!("connect {STRANGER}@{}:9735", &ONION[1..]);
    let digit = format!("connect {STRANGER}@{}:9735", ONION.replacen('d', "1", 1));
    let typo = format!("connect {STRANGER}@{}:9735", ONION.replacen('d', "e", 1));
    let (_, _, err) = run(
        &[
            "--data-dir",
            d,
            "--no-listen",
            "--exec",
            &connect,
            "--exec",
            &v2,
            "--exec",
            &short,
            "--exec",
            &digit,
            "--exec",
            &typo,
        ],
        None,
    );
    for needle in [
        "is a Tor onion service: it has no IP address, so only Tor can reach it. Start lnshell with --proxy 127.0.0.1:9050",
        "apt-get install tor",
        "is a Tor v2 onion name (16 characters)",
        "56 base32 characters before .onion",
        "'1' (character 1 of the onion name) is not base32",
        "checksum does not match its key",
    ] {
        assert!(err.contains(needle), "no {needle:?} in:\n{err}");
    }
    // Bad flags stop the shell before it starts.
    let (code, _, err) = run(
        &["--data-dir", d, "--always-use-proxy", "--exec", "info"],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("--always-use-proxy needs a proxy"), "{err}");
    let (code, _, err) = run(
        &["--data-dir", d, "--proxy", "nowhere", "--exec", "info"],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("--proxy \"nowhere\": no port"), "{err}");
    drop(not_a_proxy);
}

#[test]
fn always_use_proxy_sends_ip_and_names_through_it() {
    let mut b = Shell::start("always-b");
    let b_id = b.node_id();
    let b_addr: std::net::SocketAddr = b.addr().parse().unwrap();
    let proxy = SocksProxy::start(Behaviour::Forward(vec![("localhost".into(), b_addr)]));
    let mut a = Shell::start_env(
        "always-a",
        &["--no-listen", "--always-use-proxy"],
        &[("LNSHELL_PROXY", &proxy.arg())],
    );
    assert_eq!(a.info()["proxy"]["always"], true);

    a.send(&format!("connect {b_id}@{b_addr}"));
    a.wait_for_text(&format!("connected to {b_id}"));
    let reqs = proxy.wait_for_requests(1);
    assert_eq!(
        reqs[0].atyp, 1,
        "an IPv4 address goes as one: {:?}",
        reqs[0]
    );
    assert_eq!(
        (reqs[0].host.as_str(), reqs[0].port),
        ("127.0.0.1", b_addr.port())
    );
    let peers = a.peers_until("b via the proxy", |l| {
        l.iter().any(|p| p["node_id"] == b_id.as_str())
    });
    assert_eq!(peers[0]["address"], b_addr.to_string());
    assert_eq!(peers[0]["via"], format!("proxy {}", proxy.arg()));

    // A DNS name goes to the proxy unresolved.
    a.send(&format!("disconnect {b_id}"));
    a.peers_until("no peers", |l| l.is_empty());
    a.send(&format!("connect {b_id}@localhost:{}", b_addr.port()));
    a.wait_for(&format!("connected to {b_id} at localhost"), |l| {
        l.contains(&format!(
            "connected to {b_id} at localhost:{}",
            b_addr.port()
        ))
    });
    let reqs = proxy.wait_for_requests(2);
    assert_eq!((reqs[1].atyp, reqs[1].host.as_str()), (3, "localhost"));
}

#[test]
fn ipv6_both_ways_and_dns_names() {
    let mut b = Shell::start_with("v6-b", &["--listen", "[::1]:0"]);
    let b_id = b.node_id();
    let b_addr = b.addr();
    assert!(b_addr.starts_with("[::1]:"), "{b_addr}");
    b.send("info");
    b.wait_for_text("listening  [::1]:");

    // A netcat session over IPv6.
    let (mut reader, mut writer) = netcat(&b_addr);
    assert!(common::read_greeting(&mut reader).contains("lnshell"));
    writer.write_all(b"0012000400020000\n").unwrap();
    assert_eq!(read_line(&mut reader), "ping (type 18, 8 bytes): ok\n");
    assert_eq!(read_line(&mut reader), "pong: 0013000400000000\n");
    b.peers_until("a netcat session from [::1]", |l| {
        l.iter().any(|p| {
            p["kind"] == "netcat" && p["address"].as_str().unwrap_or("").starts_with("[::1]:")
        })
    });
    b.send("peers");
    b.wait_for_text("netcat     in   [::1]:");
    drop((reader, writer));
    b.peers_until("the session gone", |l| l.is_empty());
    // The built-in netcat, too.
    let (_, port) = b_addr.rsplit_once(':').unwrap();
    let (code, out, err) = run(&["nc", "::1", port], Some("0012000400020000\n"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("pong: 0013000400000000"), "{out}");

    // A lightning connection out over IPv6.
    let mut a = Shell::start("v6-a");
    // `listen` takes an IPv6 address too, in brackets.
    a.send("listen [::1]:0");
    let line = a.wait_for_text("listening on [::1]:");
    assert!(line.contains("try: nc -v ::1 "), "{line}");
    a.send(&format!("connect {b_id}@{b_addr}"));
    a.wait_for_text(&format!("connected to {b_id} at {b_addr} "));
    let peers = a.peers_until("b at its IPv6 address", |l| {
        l.iter().any(|p| p["node_id"] == b_id.as_str())
    });
    assert_eq!(peers[0]["address"], b_addr.as_str());
    assert!(peers[0]["via"].is_null());
    let a_id = a.node_id();
    b.peers_until("a, inbound from [::1]", |l| {
        l.iter().any(|p| {
            p["node_id"] == a_id.as_str()
                && p["address"].as_str().unwrap_or("").starts_with("[::1]:")
        })
    });
    stderr_says(&a, &["exercise ipv6_connected"]);

    // A DNS name resolves; to a closed port each address tried is named with its failure.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    a.send(&format!("connect {STRANGER}@localhost:{closed}"));
    stderr_says(
        &a,
        &[
            &format!("localhost:{closed} resolves to"),
            &format!(":{closed}: connection refused (nothing is listening there)"),
        ],
    );
}
