//! Fuzz target `socks_reply`: arbitrary bytes as what a SOCKS5 proxy (Tor's SocksPort)
//! answers, read by the node's own client, `node::proxy::open` (tokio-socks plus
//! `proxy::reason`, which reads the proxy's words back from what it sent), over a real
//! TCP socket on 127.0.0.1.
//!
//! Input layout: byte 0 picks where the client asks to go (an IPv4 or IPv6 address, an
//! onion service, a DNS name); the rest is every byte the proxy sends, all at once, after
//! which it closes its side and reads what the client wrote until the client closes.
//! One runtime and one listener serve every input (started on first use).
//!
//! Checks besides "no panic": the exchange always ends (the proxy has closed, so a
//! `HandshakeTimeout` would be a hang); the error is the one the first bytes call for (not
//! version 5 -> `NotSocks5` with that byte; no bytes -> closed at the greeting; method
//! 0xff -> `NoAcceptableAuth`, one we did not offer -> `Protocol`; a username/password
//! reply of a version other than 0x01 -> `Protocol`, a status other than 0 ->
//! `AuthRejected` with it); a known reply code is reported as that reply; success only when the proxy
//! said version 5, a method we offered, and reply 0x00; every error has words.

#![no_main]

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use lnshell::node::proxy;
use lnshell::node::{ProxyError, SocksReply};
use lnshell::wire::address::{OnionV3, PeerAddress};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct Proxy {
    rt: tokio::runtime::Runtime,
    listener: TcpListener,
    addr: SocketAddr,
}

fn proxy() -> &'static Proxy {
    static P: OnceLock<Proxy> = OnceLock::new();
    P.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let listener = rt
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("a listener on 127.0.0.1");
        let addr = listener.local_addr().expect("its address");
        Proxy { rt, listener, addr }
    })
}

fn target(kind: u8) -> PeerAddress {
    match kind % 4 {
        0 => PeerAddress::Ip("127.0.0.1:9735".parse().expect("v4")),
        1 => PeerAddress::Ip("[::1]:9735".parse().expect("v6")),
        2 => PeerAddress::Onion {
            name: OnionV3::from_pubkey([7; 32]),
            port: 9735,
        },
        _ => PeerAddress::Host {
            name: "node.example".into(),
            port: 9735,
        },
    }
}

fuzz_target!(|data: &[u8]| {
    let (header, said) = data.split_at(data.len().min(1));
    let to = target(header.first().copied().unwrap_or(0));
    let p = proxy();
    let timeout = Duration::from_secs(20);
    let result = p.rt.block_on(async {
        let serve = async {
            let (mut s, _) = p.listener.accept().await.expect("accept on 127.0.0.1");
            let _ = s.write_all(said).await;
            let _ = s.shutdown().await;
            let mut sink = [0u8; 512];
            while matches!(s.read(&mut sink).await, Ok(n) if n > 0) {}
        };
        let client = async {
            let r = proxy::open(p.addr, &to, tokio::time::Instant::now() + timeout, timeout).await;
            // Past the exchange the stream is the peer's; closing it ends the proxy's read.
            r.map(drop)
        };
        let ((), r) = tokio::join!(serve, client);
        r
    });
    check(said, result);
});

fn check(said: &[u8], result: Result<(), ProxyError>) {
    let e = match result {
        Ok(()) => {
            assert_eq!(
                said.first(),
                Some(&5),
                "success without version 5: {said:02x?}"
            );
            assert!(matches!(said.get(1), Some(0x00 | 0x02)), "{said:02x?}");
            let reply_at = if said[1] == 0x02 { 4 } else { 2 };
            assert_eq!(
                said.get(reply_at + 1),
                Some(&0),
                "success without reply 0: {said:02x?}"
            );
            return;
        }
        Err(e) => e,
    };
    assert!(!e.to_string().is_empty());
    if let ProxyError::HandshakeTimeout { .. } | ProxyError::Timeout { .. } = e {
        panic!("the exchange hung although the proxy closed: {said:02x?}");
    }
    match said.first() {
        None => assert!(
            matches!(
                e,
                ProxyError::Closed {
                    step: "greeting",
                    ..
                }
            ),
            "{e:?}"
        ),
        Some(&first) if first != 5 => {
            assert!(
                matches!(e, ProxyError::NotSocks5 { first: f, .. } if f == first),
                "{e:?}"
            )
        }
        _ => {}
    }
    if said.len() >= 2 && said[0] == 5 {
        if !matches!(said[1], 0x00 | 0x02 | 0xff) {
            // A method we did not offer: the proxy broke the protocol, it did not close.
            assert!(
                matches!(e, ProxyError::Protocol { .. }),
                "{e:?} for {said:02x?}"
            );
        }
        if said[1] == 0xff {
            assert!(matches!(e, ProxyError::NoAcceptableAuth { .. }), "{e:?}");
        }
        if said[1] == 0x02 && said.get(2).is_some_and(|&v| v != 0x01) {
            // RFC 1929's reply has its own version, 0x01: another is a broken proxy.
            assert!(
                matches!(e, ProxyError::Protocol { .. }),
                "{e:?} for {said:02x?}"
            );
        } else if said[1] == 0x02 {
            if let Some(&status) = said.get(3).filter(|&&s| s != 0) {
                assert!(
                    matches!(e, ProxyError::AuthRejected { status: s, .. } if s == status),
                    "{e:?} for {said:02x?}"
                );
            }
        }
    }
    if let ProxyError::Reply { reply, .. } = &e {
        let code = reply.code();
        assert_eq!(SocksReply::from_code(code), Some(*reply));
        assert_ne!(code, 0);
    }
}
