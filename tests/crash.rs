//! Crash safety: the shell is killed with SIGKILL at 200 random moments (a seeded
//! generator picks them) while it writes its files: the node secret on a first start,
//! lesson progress, saved traces and diagrams, the live-channels marker, and, on a
//! pseudo-terminal, the history it saves as it quits. After each kill, before and after
//! the next start: every file parses or is cleanly absent, the node id never changes,
//! the next shell starts, and no temporary file outlives it. And a shell killed with a
//! channel open comes back as a fresh node (same id, no channels) that says so.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdin};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::rng::Rng;
use common::{shell_command, spawn_shell, ShellProcess, TempDir, BIN, WAIT};

/// Kills in all; every `FRESH_EVERY`-th starts on a fresh data dir (killed within
/// its first milliseconds: the node secret is being made), every `PTY_EVERY`-th runs
/// on a pseudo-terminal (killed as it saves its history).
const KILLS: usize = 200;
const FRESH_EVERY: usize = 5;
const PTY_EVERY: usize = 10;
const SEED: u64 = 0x5eed_c4a5_41e5_0017;

/// A ping, as the netcat session and `decode` take it.
const PING: &str = "0012000400020000";

/// A shell with piped stdio, its stdout lines on a channel.
struct Piped {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Piped {
    fn start(dir: &Path) -> Piped {
        let ShellProcess {
            child,
            stdin,
            stdout,
            stderr,
        } = spawn_shell(&mut shell_command(
            BIN,
            dir,
            &["--listen", "127.0.0.1:0"],
            &[],
        ))
        .expect("spawn lnshell");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Piped {
            child,
            stdin,
            lines,
            stderr,
        }
    }

    fn send(&mut self, line: &str) {
        // The shell may be dead already (killed): a broken pipe is expected then.
        let _ = writeln!(self.stdin, "{line}").and_then(|()| self.stdin.flush());
    }

    /// The next stdout line that satisfies `pred`; `None` if stdout ends first.
    fn until(&self, pred: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + WAIT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(l) if pred(&l) => return Some(l),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    }

    /// `info --json`, answered: (node id, listening address).
    fn info(&mut self) -> (String, String) {
        self.send("info --json");
        let line = self
            .until(|l| l.starts_with('{') && l.contains("\"node_id\""))
            .unwrap_or_else(|| {
                panic!(
                    "the shell never answered info; stderr: {}",
                    self.stderr.lock().unwrap()
                )
            });
        let v: serde_json::Value = serde_json::from_str(&line).expect("info is JSON");
        (
            v["node_id"].as_str().expect("node_id").to_string(),
            v["listening"][0].as_str().expect("listening").to_string(),
        )
    }

    fn kill(mut self) {
        let _ = self.child.kill(); // SIGKILL on Unix
        let _ = self.child.wait();
    }
}

/// What a data dir may hold once a shell has started on it: the files the shell
/// keeps, and those this test saves there.
const KNOWN: [&str; 8] = [
    "node_secret",
    "lnshell.lock",
    "lnshell.log",
    "history.txt",
    "progress.txt",
    "channels.live",
    "trace.jsonl",
    "picture.svg",
];

/// Files in `dir` that are none of those: temporaries (of any name) left behind.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read the data dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !KNOWN.contains(&n.as_str()))
        .collect()
}

/// Every file the shell writes whole parses, or is absent. Returns what it checked.
fn check_files(dir: &Path, at: &str) -> usize {
    let mut checked = 0;
    let read = |name: &str| std::fs::read(dir.join(name)).ok();
    if let Some(key) = read("node_secret") {
        assert_eq!(key.len(), 32, "{at}: node_secret holds {} bytes", key.len());
        checked += 1;
    }
    if let Some(p) = read("progress.txt") {
        let text = String::from_utf8(p).expect("progress is UTF-8");
        assert!(
            text.ends_with('\n'),
            "{at}: progress.txt cut short: {text:?}"
        );
        for line in text.lines() {
            assert!(
                line.starts_with('#')
                    || (!line.is_empty()
                        && line
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')),
                "{at}: progress.txt has {line:?}"
            );
        }
        checked += 1;
    }
    if let Some(t) = read("trace.jsonl") {
        let text = String::from_utf8(t).expect("trace is UTF-8");
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{at}: trace cut short"
        );
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{at}: a trace line does not parse ({e}): {line}"));
            assert!(
                v["hex"].is_string() && v["direction"].is_string(),
                "{at}: {line}"
            );
        }
        checked += 1;
    }
    if let Some(svg) = read("picture.svg") {
        let text = String::from_utf8(svg).expect("svg is UTF-8");
        roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{at}: picture.svg is not XML: {e}"));
        checked += 1;
    }
    if let Some(h) = read("history.txt") {
        let text = String::from_utf8(h).expect("history is UTF-8");
        assert!(
            text.starts_with("#V2\n") && text.ends_with('\n'),
            "{at}: history.txt is not whole: {text:?}"
        );
        checked += 1;
    }
    if let Some(m) = read("channels.live") {
        let text = String::from_utf8(m).expect("marker is UTF-8");
        assert!(
            text.starts_with("channels "),
            "{at}: channels.live: {text:?}"
        );
        checked += 1;
    }
    checked
}

/// One data dir's life: its node id, once known.
struct Dir {
    dir: TempDir,
    node_id: Option<String>,
}

impl Dir {
    fn fresh(n: usize) -> Dir {
        Dir {
            dir: TempDir::new(&format!("crash-{n}")),
            node_id: None,
        }
    }

    fn same_node(&mut self, id: String, at: &str) {
        match &self.node_id {
            Some(known) => assert_eq!(known, &id, "{at}: the node id changed"),
            None => self.node_id = Some(id),
        }
    }
}

/// Started, answered, then made to write its files, and killed `delay` into that.
fn kill_while_writing(d: &mut Dir, delay: Duration, at: &str) {
    let path = &d.dir.path().to_path_buf();
    let mut shell = Piped::start(path);
    let (id, addr) = shell.info();
    d.same_node(id, at);
    // The start swept what the last kill left.
    assert_eq!(
        temporaries(path),
        Vec::<String>::new(),
        "{at}: temporaries survived a start"
    );
    check_files(path, at);
    // A netcat session pings, so the record has a conversation to save.
    let mut nc = TcpStream::connect(&addr).expect("connect");
    nc.set_read_timeout(Some(WAIT)).expect("timeout");
    writeln!(nc, "{PING}").expect("write");
    let mut rd = BufReader::new(nc.try_clone().expect("clone"));
    for _ in 0..3 {
        let mut line = String::new();
        rd.read_line(&mut line).expect("a reply");
    }
    let trace = path.join("trace.jsonl");
    let svg = path.join("picture.svg");
    let killed_at = Instant::now() + delay;
    shell.send("listen 127.0.0.1:0");
    for _ in 0..20 {
        shell.send(&format!("decode {PING}"));
        shell.send("encode ping num_pong_bytes=4");
        shell.send(&format!("trace save {}", trace.display()));
        shell.send(&format!("diagram --svg {}", svg.display()));
        shell.send(&format!("diagram --file {}", trace.display()));
    }
    if let Some(left) = killed_at.checked_duration_since(Instant::now()) {
        std::thread::sleep(left);
    }
    shell.kill();
    drop(nc);
    check_files(path, at);
}

/// A first start on a fresh data dir, killed `delay` after the spawn.
fn kill_first_start(d: &mut Dir, delay: Duration, at: &str) {
    let mut shell = Piped::start(d.dir.path());
    shell.send("info --json");
    std::thread::sleep(delay);
    // If it answered before it died, that id is the node's for good.
    let answered = shell
        .lines
        .try_iter()
        .find(|l| l.starts_with('{') && l.contains("\"node_id\""));
    shell.kill();
    if let Some(line) = answered {
        let v: serde_json::Value = serde_json::from_str(&line).expect("info is JSON");
        d.same_node(v["node_id"].as_str().expect("node_id").to_string(), at);
    }
    check_files(d.dir.path(), at);
}

/// On a pseudo-terminal (history is saved there), killed `delay` after `quit`.
fn kill_while_quitting(d: &mut Dir, delay: Duration, at: &str) {
    let cmd = shell_command(BIN, d.dir.path(), &["--no-listen"], &[]);
    let mut p = rexpect::session::spawn_command(cmd, Some(20_000)).expect("spawn in a pty");
    let (_, line) = p.exp_regex("node id    [0-9a-f]{66}").expect("banner");
    d.same_node(line.trim_start_matches("node id    ").to_string(), at);
    p.exp_string("lnshell> ").expect("prompt");
    p.send_line(&format!("decode {PING}")).expect("type");
    p.exp_string("lnshell> ").expect("prompt");
    p.send_line("info").expect("type");
    p.exp_string("lnshell> ").expect("prompt");
    p.send_line("quit").expect("type");
    std::thread::sleep(delay);
    let _ = p.process.signal(rexpect::process::signal::Signal::SIGKILL);
    let _ = p.process.wait();
    check_files(d.dir.path(), at);
}

#[test]
fn two_hundred_kills_while_writing_lose_nothing() {
    let started = Instant::now();
    let mut rng = Rng(SEED);
    let mut d = Dir::fresh(0);
    let mut checked = 0;
    for i in 0..KILLS {
        let at = format!("kill {i} (seed {SEED:#x})");
        if i % FRESH_EVERY == 0 {
            d = Dir::fresh(i);
            kill_first_start(&mut d, Duration::from_micros(rng.below(15_000) as u64), &at);
        } else if i % PTY_EVERY == 1 {
            kill_while_quitting(&mut d, Duration::from_micros(rng.below(20_000) as u64), &at);
        } else {
            kill_while_writing(&mut d, Duration::from_micros(rng.below(40_000) as u64), &at);
        }
        checked += check_files(d.dir.path(), &at);
    }
    // The last dir once more: it starts, sweeps, and is the same node.
    let mut shell = Piped::start(d.dir.path());
    let (id, _) = shell.info();
    d.same_node(id, "the last start");
    assert_eq!(temporaries(d.dir.path()), Vec::<String>::new());
    shell.kill();
    assert!(checked > KILLS, "only {checked} files were there to check");
    eprintln!(
        "{KILLS} kills, {checked} files checked, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn killed_with_a_live_channel_restarts_fresh_and_says_so() {
    let d = TempDir::new("crash-channel");
    let mut shell = Piped::start(d.path());
    let (id, addr) = shell.info();
    // A netcat peer opens a channel and funds it: pending, in memory only.
    let nc = TcpStream::connect(&addr).expect("connect");
    nc.set_read_timeout(Some(WAIT)).expect("timeout");
    let mut wr = nc.try_clone().expect("clone");
    let mut rd = BufReader::new(nc);
    let mut until = |needle: &str| loop {
        let mut line = String::new();
        assert!(
            rd.read_line(&mut line).expect("read") > 0,
            "closed before {needle:?}"
        );
        if line.contains(needle) {
            break;
        }
    };
    writeln!(wr, "open_channel").unwrap();
    until("your side: funding_created is ready in the outbox");
    writeln!(wr, "funding_created").unwrap();
    until("<- node: funding_signed (type 35");
    let marker = d.path().join("channels.live");
    let deadline = Instant::now() + WAIT;
    while !marker.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "channels 1\n");
    shell.kill();

    let mut again = Piped::start(d.path());
    let (id_again, _) = again.info();
    assert_eq!(id_again, id, "the node id changed");
    // stderr is collected on a thread of its own: wait for the note, bounded.
    let deadline = Instant::now() + WAIT;
    while !again.stderr.lock().unwrap().contains("did not quit") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let note = again.stderr.lock().unwrap().replace('\n', " ");
    assert!(
        note.contains("did not quit (it was killed or crashed) while it had a channel")
            && note.contains("keeps channels in memory only, by design")
            && note.contains("same node id and no channels"),
        "{note}"
    );
    again.send("channels --json");
    assert_eq!(again.until(|l| l.starts_with('[')).as_deref(), Some("[]"));
    assert!(!marker.exists(), "the note is given once");
    // A clean quit: the next start has nothing to say.
    drop(again.stdin);
    let _ = again.child.wait();
    let mut third = Piped::start(d.path());
    third.info();
    assert!(!third.stderr.lock().unwrap().contains("note:"));
    third.kill();
}
