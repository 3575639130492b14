//! The node over real sockets on 127.0.0.1, run on both tokio runtimes (the
//! multi-thread one the shell uses, and the current-thread one, where every task
//! shares one thread and a blocking call anywhere would stall the test), as
//! lightning-net-tokio tests itself. Each test starts its own nodes on port 0 with
//! their own data dirs, and every wait is bounded.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

use super::*;
use crate::events::Direction;

/// A fresh data dir, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Dir {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("lnshell-node-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Dir(path)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A started node (its events are kept so the queue never closes).
struct TestNode {
    node: Node,
    _events: crate::events::EventReceiver,
    _dir: Dir,
}

fn start(tag: &str) -> TestNode {
    let dir = Dir::new(tag);
    let (events, rx) = crate::events::channel();
    let config = NodeConfig {
        data_dir: dir.0.clone(),
        network: Network::Regtest,
        limits: Limits {
            timer_tick: Duration::from_millis(200),
            ..Limits::default()
        },
        proxy: None,
    };
    TestNode {
        node: Node::start(config, events).unwrap(),
        _events: rx,
        _dir: dir,
    }
}

/// Waits (without blocking the runtime) until `cond` holds; panics after 10 s.
async fn eventually(what: &str, cond: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !cond() {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Connects `a` to `b` at `addr` and checks the handshake named `b`.
async fn connect(a: &TestNode, b: &TestNode, addr: &str) -> Connected {
    let c = a
        .node
        .connect(
            b.node.node_id(),
            &addr.parse().expect("an address"),
            DEFAULT_CONNECT_TIMEOUT,
        )
        .await
        .unwrap();
    assert_eq!(c.node_id, b.node.node_id());
    c
}

/// Runs an async test body on both runtimes.
macro_rules! on_both_runtimes {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn multi_thread() {
                    super::$name().await
                }

                #[tokio::test(flavor = "current_thread")]
                async fn current_thread() {
                    super::$name().await
                }
            }
        )*
    };
}

on_both_runtimes!(
    connect_disconnect_and_reconnect,
    strangers_that_leave_at_once,
    netcat_and_lightning_share_a_port,
);

async fn connect_disconnect_and_reconnect() {
    let a = start("a");
    let b = start("b");
    let addr = b.node.listen("127.0.0.1:0").await.unwrap().to_string();
    let (a_id, b_id) = (a.node.node_id(), b.node.node_id());

    let c = connect(&a, &b, &addr).await;
    assert!(
        c.features.iter().any(|f| f.contains("static_remotekey")),
        "{:?}",
        c.features
    );
    eventually("b lists a, inbound", || {
        b.node.peers().iter().any(|r| {
            r.node_id == Some(a_id)
                && r.conn.kind == Kind::Lightning
                && r.conn.direction == Direction::Inbound
                && !r.guest
        })
    })
    .await;
    assert_eq!(a.node.counts(), (1, 0));

    let again = a
        .node
        .connect(b_id, &addr.parse().unwrap(), DEFAULT_CONNECT_TIMEOUT)
        .await;
    match again {
        Err(NodeError::Connect(why)) => {
            // The error is typed now; the learner reads its words.
            let why = why.to_string();
            assert!(why.contains("already connected"), "{why}")
        }
        other => panic!("a second connect: {other:?}"),
    }

    // Disconnect and reconnect at once: the new connection must not be mistaken
    // for the old one leaving (the race lightning-net-tokio guards against too).
    a.node.disconnect_node(b_id).unwrap();
    eventually("a forgets b", || a.node.counts() == (0, 0)).await;
    connect(&a, &b, &addr).await;
    eventually("b holds exactly the new connection", || {
        b.node.counts() == (1, 0) && b.node.peers().iter().all(|r| r.node_id == Some(a_id))
    })
    .await;

    a.node.shutdown().await;
    eventually("b sees a leave", || b.node.counts() == (0, 0)).await;
    b.node.shutdown().await;
}

async fn strangers_that_leave_at_once() {
    let b = start("strangers");
    let addr = b.node.listen("127.0.0.1:0").await.unwrap();
    // Connect and drop; connect, send BOLT 8's version byte and drop; connect, send
    // half a netcat line and drop. Plain blocking sockets: each ends before the
    // node's task for it has even read.
    for i in 0..60 {
        let mut s = TcpStream::connect(addr).unwrap();
        match i % 3 {
            0 => {}
            1 => s.write_all(&[0x00]).unwrap(),
            _ => s.write_all(b"0012").unwrap(),
        }
        drop(s);
        if i % 10 == 0 {
            tokio::task::yield_now().await;
        }
    }
    eventually("every stranger forgotten", || b.node.counts() == (0, 0)).await;

    // The listener is still fine.
    let a = start("after-strangers");
    connect(&a, &b, &addr.to_string()).await;
    a.node.shutdown().await;
    b.node.shutdown().await;
}

async fn netcat_and_lightning_share_a_port() {
    let a = start("share-a");
    let b = start("share-b");
    let addr = b.node.listen("127.0.0.1:0").await.unwrap();
    connect(&a, &b, &addr.to_string()).await;

    // The netcat client is blocking, so it runs on its own thread; the node's
    // tasks keep running on the test's runtime meanwhile.
    let client = std::thread::spawn(move || {
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut writer = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        let mut lines = Vec::new();
        let mut line = String::new();
        // The greeting, whole (it is wrapped), as one entry.
        let mut greeting = String::new();
        while !line.starts_with(super::netcat::GREETING_END) {
            line.clear();
            assert!(reader.read_line(&mut line).unwrap() > 0, "{greeting}");
            greeting.push_str(&line);
        }
        line.clear();
        lines.push(greeting);
        writer.write_all(b"0012000400020000\n").unwrap();
        for _ in 0..2 {
            reader.read_line(&mut line).unwrap();
            lines.push(std::mem::take(&mut line));
        }
        (lines, writer)
    });
    let joined = tokio::task::spawn_blocking(move || client.join())
        .await
        .unwrap();
    let (lines, writer) = joined.unwrap();
    assert!(lines[0].contains("lnshell"), "greeting: {}", lines[0]);
    assert_eq!(lines[1], "ping (type 18, 8 bytes): ok\n");
    assert_eq!(lines[2], "pong: 0013000400000000\n");
    eventually("one of each kind", || b.node.counts() == (1, 1)).await;

    drop(writer);
    eventually("the session ends", || b.node.counts() == (1, 0)).await;
    a.node.shutdown().await;
    b.node.shutdown().await;
}

/// A DNS name's addresses are tried in turn: a closed port first, then a listener.
/// The failure is reported, the stream reaches the second; with both closed, each
/// failure is.
#[tokio::test]
async fn each_address_is_tried_in_turn() {
    let closed = {
        let l = std::net::TcpListener::bind("[::1]:0").unwrap();
        l.local_addr().unwrap()
    };
    let open = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let open_addr = open.local_addr().unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let (_stream, reached, failed) = super::bolt8::connect_first(&[closed, open_addr], deadline)
        .await
        .unwrap();
    assert_eq!(reached, open_addr);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].remote, closed);
    assert!(matches!(failed[0].failure, super::TcpFailure::Refused));
    drop(open);
    let all = super::bolt8::connect_first(&[closed, open_addr], deadline)
        .await
        .err()
        .unwrap();
    let words: Vec<String> = all.iter().map(|a| a.to_string()).collect();
    assert_eq!(
        words,
        [
            format!("{closed}: connection refused (nothing is listening there)"),
            format!("{open_addr}: connection refused (nothing is listening there)"),
        ]
    );
}
