//! Fuzz target `netcat_peer`: random message sequences from a netcat peer to a real node,
//! and the shell's state after them.
//!
//! One node (LDK's real `ChannelManager` and `PeerManager`, regtest, its own temporary
//! data dir) and a `Shell` over it are started on first use and serve every input; netcat
//! sessions reach it over real TCP on 127.0.0.1. Each input is a fresh session A, driven by
//! a list of operations (see `op`): catalogue examples pasted as hex (valid), the same
//! mutated, the session's words (`open_channel funding_satoshis=…`, `make …`, `outbox`,
//! message names, `update_add_htlc amount_msat=…`, `shutdown`), replays of hex the node or
//! your side sent earlier (out of order, or altered), raw lines, binary lines, and the
//! shell's `mine`, `channels` and `peers` in between. Session B, opened once, is idle
//! meanwhile.
//!
//! After every operation A pastes a `ping` and waits for its `pong`: each line is answered
//! (a session that closes, e.g. after binary lines, is reopened). After each input: the
//! shell's `channels` and `peers` (text and `--json`) run without error and their JSON
//! parses; `peers` still lists B; B still answers a ping, and its outbox is still empty
//! (A did nothing to it). A's channels are then force-closed through the node, as `close
//! --force` does, so the node's state stays bounded over a long run.
//!
//! Everything is bounded: at most 24 operations an input, every read waits at most 20 s
//! (a session that does not answer in that time is a hang and fails the run).

#![no_main]

use std::cell::RefCell;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use bitcoin::Network;
use libfuzzer_sys::fuzz_target;
use lnshell::command;
use lnshell::node::{Limits, Node, NodeConfig};
use lnshell::shell::Shell;
use lnshell::wire::{catalog, example};

const WAIT: Duration = Duration::from_secs(20);
const MAX_OPS: usize = 24;

struct World {
    rt: tokio::runtime::Runtime,
    node: Arc<Node>,
    shell: Shell,
    addr: SocketAddr,
    b: Session,
    examples: Vec<Vec<u8>>,
    _dir: Dir,
}

struct Dir(std::path::PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

thread_local! {
    static WORLD: RefCell<Option<World>> = const { RefCell::new(None) };
}

fn world() -> World {
    if cfg!(fuzzing) {
        // Under `cfg(fuzzing)` LDK swaps ChaCha20 for a stub, so every "random" 32 bytes
        // its signers draw are zeros; with its default `grind_signatures` a signature
        // whose R is high is then retried with the same nonce forever (the first
        // force-close's holder commitment spun there for minutes, and the runs before
        // this never left their first corpus pass). Temporary channel ids and keys are
        // all alike too: not the LDK a learner runs.
        eprintln!(
            "netcat_peer needs the real LDK: build and run it with --no-cfg-fuzzing \
             (RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none --no-cfg-fuzzing netcat_peer)"
        );
        std::process::exit(2);
    }
    let dir = std::env::temp_dir().join(format!("lnshell-fuzz-peer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a data dir");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let (events, mut rx) = lnshell::events::channel();
    // The shell's printer, on its own thread, as the REPL's: every event is rendered.
    std::thread::spawn(move || {
        while let Some(ev) = rx.blocking_recv() {
            let _ = lnshell::repl::printer::render(&ev);
        }
    });
    let node = {
        let _guard = rt.enter();
        Node::start(
            NodeConfig {
                data_dir: dir.clone(),
                network: Network::Regtest,
                limits: Limits {
                    timer_tick: Duration::from_millis(200),
                    ..Limits::default()
                },
                proxy: None,
            },
            events,
        )
        .expect("a node")
    };
    let node = Arc::new(node);
    let addr = rt.block_on(node.listen("127.0.0.1:0")).expect("listening");
    let tracker = Arc::new(lnshell::lessons::Tracker::load(&dir));
    let shell = Shell::new(Arc::clone(&node), rt.handle().clone(), tracker);
    let examples = catalog::message_names()
        .into_iter()
        .map(|n| example::example(n, Network::Regtest).expect("every example builds"))
        .collect();
    let mut b = Session::open(addr);
    assert!(b.ping(0).is_some(), "session B answers");
    World {
        rt,
        node,
        shell,
        addr,
        b,
        examples,
        _dir: Dir(dir),
    }
}

/// A netcat client.
struct Session {
    out: TcpStream,
    lines: BufReader<TcpStream>,
    node_id: String,
    /// Hex the node sent, or your side made, for replays.
    seen: Vec<String>,
    open: bool,
}

impl Session {
    fn open(addr: SocketAddr) -> Session {
        let out = TcpStream::connect(addr).expect("connect to the node on 127.0.0.1");
        out.set_read_timeout(Some(WAIT)).expect("a timeout");
        // A line and its ping go at once, not a delayed ACK apart.
        out.set_nodelay(true).expect("no Nagle");
        let mut s = Session {
            lines: BufReader::new(out.try_clone().expect("a second handle")),
            out,
            node_id: String::new(),
            seen: Vec::new(),
            open: true,
        };
        // Typed ahead, as a script piping into nc does: the listener tells a netcat
        // client from a BOLT 8 one by its first byte, and greets a client that says
        // nothing only after `SNIFF_TIMEOUT` (500 ms), which was most of an input's time.
        let n = s.send_ping(0);
        let mut greeting = Vec::new();
        loop {
            let mut line = String::new();
            match s.lines.read_line(&mut line) {
                Ok(0) => panic!("the node closed during its greeting: {greeting:?}"),
                Ok(_) => {}
                Err(e) => panic!("no greeting ({e}) after {greeting:?}"),
            }
            let line = line.trim_end().to_string();
            let end = line == lnshell::node::netcat::GREETING_END;
            greeting.push(line);
            if end || greeting.len() > 16 {
                break;
            }
        }
        assert!(
            greeting[0].starts_with(lnshell::node::netcat::GREETING_START),
            "{greeting:?}"
        );
        // The greeting is wrapped to 78 columns, so the node id (after "as") is
        // usually on the second line.
        let words = greeting.join(" ");
        let mut words = words.split_whitespace();
        if words.any(|w| w == "as") {
            s.node_id = words.next().unwrap_or_default().to_string();
            assert!(
                s.node_id.len() == 66 && s.node_id.bytes().all(|b| b.is_ascii_hexdigit()),
                "no node id in the greeting: {greeting:?}"
            );
        }
        assert!(
            s.pong(n).is_some(),
            "the first line, typed ahead of the greeting, is answered"
        );
        s
    }

    /// Sends `line`; false if the session has closed.
    fn send(&mut self, line: &str) -> bool {
        self.open = self.open && self.out.write_all(format!("{line}\n").as_bytes()).is_ok();
        self.open
    }

    /// Pings with `n` pong bytes and reads until the pong; every line before it is
    /// what the session said meanwhile. `None` if the session closed.
    fn ping(&mut self, n: u16) -> Option<Vec<String>> {
        self.ping_after("", n)
    }

    /// Sends `line` (unless empty) and a ping in one write, then reads as `ping`.
    fn ping_after(&mut self, line: &str, n: u16) -> Option<Vec<String>> {
        let n = 64 + n % 64;
        let ping = format!("00120{n:03x}0000");
        let both = if line.is_empty() {
            ping
        } else {
            format!("{line}\n{ping}")
        };
        if !self.send(&both) {
            return None;
        }
        self.pong(n)
    }

    /// Sends a ping alone (as `ping_after`), returning the pong size to wait for.
    fn send_ping(&mut self, n: u16) -> u16 {
        let n = 64 + n % 64;
        self.send(&format!("00120{n:03x}0000"));
        n
    }

    /// Reads until the pong of `n` bytes; every line before it is what the session
    /// said meanwhile. `None` if the session closed.
    fn pong(&mut self, n: u16) -> Option<Vec<String>> {
        let pong = format!("pong: 00130{n:03x}{}", "00".repeat(usize::from(n)));
        let mut said = Vec::new();
        loop {
            let mut line = String::new();
            match self.lines.read_line(&mut line) {
                Ok(0) => {
                    self.open = false;
                    return None;
                }
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    panic!("no answer in {WAIT:?} to a ping after {said:#?}")
                }
                Err(_) => {
                    self.open = false;
                    return None;
                }
            }
            let line = line.trim_end().to_string();
            if line == pong {
                return Some(said);
            }
            for prefix in ["<- node: ", "made: ", "-> node: "] {
                if let Some(rest) = line.strip_prefix(prefix) {
                    if let Some((_, hex)) = rest.rsplit_once(" | ") {
                        if self.seen.len() < 64 {
                            self.seen.push(hex.to_string());
                        }
                    }
                }
            }
            if said.len() < 256 {
                said.push(line);
            }
        }
    }
}

/// Reads input bytes, zeros once it runs out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    fn u32(&mut self) -> u32 {
        u32::from_be_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn take(&mut self, n: usize) -> &[u8] {
        let (a, b) = self.0.split_at(n.min(self.0.len()));
        self.0 = b;
        a
    }
}

/// The line of one operation, or a shell command run directly (`None`).
fn op(w: &World, a: &Session, input: &mut Bytes) -> Option<String> {
    let examples = &w.examples;
    let kind = input.u8();
    let line = match kind % 16 {
        0 | 1 => {
            let ex = &examples[usize::from(input.u8()) % examples.len()];
            let mut bytes = ex.clone();
            if kind % 16 == 1 && !bytes.is_empty() {
                for _ in 0..(input.u8() % 4 + 1) {
                    let at = usize::from(input.u8()) * 7 % bytes.len();
                    bytes[at] ^= input.u8() | 1;
                }
            }
            hex::encode(bytes)
        }
        2 => {
            let fields = [
                "funding_satoshis",
                "push_msat",
                "to_self_delay",
                "feerate_per_kw",
                "channel_reserve_satoshis",
            ];
            let mut line = "open_channel".to_string();
            for _ in 0..input.u8() % 3 {
                let f = fields[usize::from(input.u8()) % fields.len()];
                line.push_str(&format!(" {f}={}", input.u32()));
            }
            line
        }
        3 => {
            let what = [
                "open_channel",
                "update_add_htlc amount_msat=5000",
                "shutdown",
                "funding_created",
                "ping",
            ];
            format!("make {}", what[usize::from(input.u8()) % what.len()])
        }
        4 => "outbox".into(),
        5 => {
            let names = catalog::message_names();
            names[usize::from(input.u8()) % names.len()].to_string()
        }
        6 => format!("update_add_htlc amount_msat={}", input.u32()),
        7 => "shutdown".into(),
        8 => {
            run(w, &format!("mine {}", input.u8() % 6 + 1));
            return None;
        }
        9 => {
            let n = usize::from(input.u8() % 64);
            String::from_utf8_lossy(input.take(n)).replace(['\n', '\r'], " ")
        }
        10 => match a.seen.get(usize::from(input.u8()) % a.seen.len().max(1)) {
            Some(h) => h.clone(),
            None => "help".into(),
        },
        11 => match a.seen.get(usize::from(input.u8()) % a.seen.len().max(1)) {
            Some(h) if h.len() >= 8 => {
                let mut b = hex::decode(h).unwrap_or_default();
                let at = (usize::from(input.u8()) % b.len().max(1)).min(b.len().saturating_sub(1));
                if let Some(x) = b.get_mut(at) {
                    *x ^= input.u8() | 1;
                }
                hex::encode(b)
            }
            _ => "outbox".into(),
        },
        12 => "\u{1}\u{2}binary".into(),
        13 => {
            run(w, "channels");
            run(w, "peers");
            return None;
        }
        14 => "channel_ready".into(),
        _ => "funding_created".into(),
    };
    Some(line)
}

/// Runs a shell command; it must not fail (these commands have nothing to refuse).
fn run(w: &World, line: &str) -> String {
    let cmd = command::parse(line)
        .unwrap_or_else(|e| panic!("{line}: {e:?}"))
        .unwrap_or_else(|| panic!("{line}: no command"));
    let mut out = Vec::new();
    w.shell
        .execute(cmd, &mut out)
        .unwrap_or_else(|e| panic!("`{line}` failed: {}", e.message));
    String::from_utf8(out).expect("the shell writes UTF-8")
}

fuzz_target!(|data: &[u8]| {
    WORLD.with(|cell| {
        let mut slot = cell.borrow_mut();
        let w = slot.get_or_insert_with(world);
        one_input(w, data);
    });
});

fn one_input(w: &mut World, data: &[u8]) {
    let mut input = Bytes(data);
    let mut a = Session::open(w.addr);
    let mut ids = vec![a.node_id.clone()];
    for i in 0..MAX_OPS {
        if input.0.is_empty() {
            break;
        }
        let Some(line) = op(w, &a, &mut input) else {
            continue;
        };
        if a.ping_after(&line, i as u16).is_none() {
            // Closed (binary lines, a node that disconnects): a new session goes on.
            a = Session::open(w.addr);
            ids.push(a.node_id.clone());
        }
    }
    drop(a);

    // The shell's view of it.
    for cmd in ["channels", "peers", "channels --json", "peers --json"] {
        let out = run(w, cmd);
        if cmd.ends_with("--json") {
            let _: serde_json::Value = serde_json::from_str(&out)
                .unwrap_or_else(|e| panic!("`{cmd}` is not JSON ({e}): {out}"));
        }
    }
    let peers = run(w, "peers --json");
    assert!(
        peers.contains(&w.b.node_id),
        "B is gone from peers: {peers}"
    );
    // Session B is untouched.
    // (Each ping's own decode, one line, comes before its pong.)
    let said =
        w.b.ping(1)
            .expect("session B was closed by another session's input");
    assert_eq!(said.len(), 1, "B heard something: {said:?}");
    w.b.send("outbox");
    let said = w.b.ping(2).expect("session B answers");
    assert_eq!(said.len(), 2, "{said:?}");
    assert_eq!(
        said[0],
        "outbox: empty (your side has nothing ready to send)"
    );
    // A's channels go, so the node stays small over a long run.
    for c in w.node.channels() {
        if ids.contains(&c.counterparty.node_id.to_string()) {
            let _ = w.node.force_close(&c.channel_id.to_string());
        }
    }
    let _ = &w.rt;
}
