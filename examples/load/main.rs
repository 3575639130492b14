//! Load tool: drives a real `lnshell` on 127.0.0.1 and measures it.
//!
//! ```sh
//! cargo build --release && cargo run --release --example load -- --help
//! cargo run --release --example load                       # defaults: well under a minute
//! cargo run --release --example load -- --idle-netcat 1000 --idle-peers 1000
//! ```
//!
//! The tool starts the shell itself (`lnshell --data-dir <tmp> --listen 127.0.0.1:0`, with
//! piped stdin and stdout), learns its port and node id from `info --json`, and runs these
//! phases, each bounded in count and time:
//!
//! * `bound`: no shell; LDK's `PeerManager` as responder and as initiator, joined in memory
//!   (no sockets, no tokio, no logging), timing only the responder's calls: the CPU one
//!   inbound handshake with `init` needs at least, i.e. the single-core bound. Also the bare
//!   secp256k1 operations of a responder (2 key parses, 3 ECDH, 1 key generation).
//! * `startup`: spawn → first `info --json` answer (the listener is bound before the shell
//!   reads its first command), over several fresh shells; also how long `quit` takes.
//! * `netcat`: N concurrent plaintext sessions, each sending K hex lines (ping and/or
//!   channel_update), one at a time; every reply line is checked (a summary ending in
//!   `: ok`, and `pong: …` after a ping). Throughput and per-line latency.
//! * `handshakes`: BOLT 8 handshakes with the `init` exchange, made by LDK's own
//!   `PeerManager` on the client side (one fresh node key per handshake, so the shell's
//!   duplicate-connection rule never interferes): first one after another, then with C in
//!   flight. Latency is TCP connect → `peer_by_node_id` is `Some` (the client got the
//!   shell's `init`); the shell's own `[peer] … connected to us` events are counted too, so
//!   a handshake the shell refused after sending its `init` is not counted as a success.
//! * `idle`: in a fresh shell, hold I netcat sessions; in another, P lightning peers; in a
//!   third, both at once. RSS per idle connection = (RSS with them − RSS before) / count.
//!
//! Throughout, `info --json` is sent to the shell's stdin every `--info-interval-ms`, and
//! the time until its JSON line comes back is recorded per phase. The shell's RSS, peak RSS
//! (VmHWM) and CPU time come from /proc. Everything goes to 127.0.0.1 only, and the run
//! stops by itself after `--timeout` seconds at the latest.

use std::convert::Infallible;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use bitcoin::secp256k1::rand::{self, RngCore};
use bitcoin::secp256k1::PublicKey;
use clap::{Parser, ValueEnum};
use lightning::ln::msgs::{DecodeError, Init, LightningError};
use lightning::ln::peer_handler::{
    CustomMessageHandler, ErroringMessageHandler, IgnoringMessageHandler, MessageHandler,
};
use lightning::ln::wire::CustomMessageReader;
use lightning::sign::KeysManager;
use lightning::types::features::{InitFeatures, NodeFeatures};
use lightning::util::config::UserConfig;
use lightning::util::logger::{Logger, Record};
use lightning::util::ser::LengthLimitedRead;
use lightning_net_tokio::SocketDescriptor;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Notify;

/// A valid `ping` asking for a 4-byte `pong` (what `lnshell --exec 'example ping'` prints).
const PING: &str = "001200040000";
/// A valid regtest `channel_update` (what `lnshell --exec 'example channel_update'` prints).
const CHANNEL_UPDATE: &str = "01029dfd47df18d79ceb588de38595c8c51c83c5dc8e7d6c31e31602fd3008c2a73e5e1e61fa57f7be2fa2227ec56dacf4c245e2bcf4e95e1c2318429bf068acc30506226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f0c350000000100006553f1000100002800000000000003e8000003e8000000640000000005e69ec0";
/// Any single network step (connect, one reply line, one handshake) that takes longer fails.
const STEP_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait for one `info --json` answer before counting it lost.
const INFO_TIMEOUT: Duration = Duration::from_secs(5);

/// Load generator for lnshell: netcat sessions, BOLT 8 handshakes, idle connections,
/// start-up time, and `info` latency meanwhile. Talks to 127.0.0.1 only; stops by itself.
#[derive(Parser, Debug)]
#[command(name = "load", version)]
struct Opts {
    /// The lnshell binary [default: `lnshell` in the directory above this example's, i.e.
    /// target/release/lnshell for `cargo run --release --example load`]
    #[arg(long, value_name = "PATH")]
    bin: Option<PathBuf>,

    /// Phases to run, comma-separated, in this order
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "bound,startup,netcat,handshakes,idle"
    )]
    phases: Vec<Phase>,

    /// Fresh shells to start (and quit) for the start-up figure
    #[arg(long, default_value_t = 5, value_name = "N")]
    startup_runs: usize,

    /// In-memory handshakes for the `bound` phase
    #[arg(long, default_value_t = 2000, value_name = "N")]
    bound_handshakes: usize,

    /// Concurrent netcat sessions
    #[arg(long, default_value_t = 100, value_name = "N")]
    netcat_sessions: usize,

    /// Hex lines each netcat session sends (one at a time, waiting for the replies)
    #[arg(long, default_value_t = 200, value_name = "K")]
    netcat_lines: usize,

    /// What the netcat sessions send
    #[arg(long, value_enum, default_value = "mixed")]
    line: LineKind,

    /// Handshakes made one after another
    #[arg(long, default_value_t = 200, value_name = "M")]
    handshakes_sequential: usize,

    /// Handshakes made with --handshake-concurrency in flight
    #[arg(long, default_value_t = 2000, value_name = "M")]
    handshakes: usize,

    /// Handshakes in flight at once in the concurrent run (the shell's LDK refuses inbound
    /// peers without channels beyond 250 connected at once)
    #[arg(long, default_value_t = 32, value_name = "C")]
    handshake_concurrency: usize,

    /// Idle netcat sessions to hold for the memory figure (0 skips)
    #[arg(long, default_value_t = 200, value_name = "N")]
    idle_netcat: usize,

    /// Idle lightning peers to hold for the memory figure (0 skips)
    #[arg(long, default_value_t = 200, value_name = "N")]
    idle_peers: usize,

    /// Idle netcat sessions being opened at once. The shell's listen backlog is 128 (mio's
    /// default): a burst above it overflows the accept queue, and those clients wait for
    /// the kernel's SYN-ACK retransmits (1 s, 3 s, 7 s, …)
    #[arg(long, default_value_t = 64, value_name = "N")]
    open_concurrency: usize,

    /// Seconds to hold idle connections before measuring RSS
    #[arg(long, default_value_t = 2, value_name = "S")]
    idle_hold: u64,

    /// Interval between `info --json` probes, in milliseconds
    #[arg(long, default_value_t = 50, value_name = "MS")]
    info_interval_ms: u64,

    /// Client side: leave Nagle's algorithm on for BOLT 8 connections (as
    /// `lightning_net_tokio::connect_outbound` does) instead of TCP_NODELAY
    #[arg(long)]
    client_nagle: bool,

    /// Hard limit for the whole run, in seconds: whatever is still running then is stopped
    #[arg(long, default_value_t = 120, value_name = "S")]
    timeout: u64,

    /// Also print every figure as one JSON object on the last line
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Phase {
    /// In-process, no shell: the CPU a BOLT 8 responder needs per handshake
    Bound,
    Startup,
    Netcat,
    Handshakes,
    Idle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LineKind {
    Ping,
    ChannelUpdate,
    /// Alternate ping and channel_update
    Mixed,
}

fn main() -> std::process::ExitCode {
    let opts = Opts::parse();
    match run(opts) {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("load: finished, but some checks failed (see above)");
            std::process::ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("load: error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------

/// Every figure, for the final report.
#[derive(Default)]
struct Report {
    rows: Vec<(String, String)>,
    json: serde_json::Map<String, Value>,
    ok: bool,
}

impl Report {
    fn row(&mut self, name: &str, text: String) {
        println!("  {name:<34} {text}");
        self.rows.push((name.to_string(), text));
    }
    fn put(&mut self, key: &str, value: Value) {
        self.json.insert(key.to_string(), value);
    }
    fn fail(&mut self, what: String) {
        println!("  FAILED: {what}");
        self.ok = false;
    }
}

fn run(opts: Opts) -> Result<bool, String> {
    let bin = match &opts.bin {
        Some(b) => b.clone(),
        None => default_bin()?,
    };
    if !bin.is_file() {
        return Err(format!(
            "{} is not there: build it first (`cargo build --release`) or pass --bin PATH",
            bin.display()
        ));
    }
    let deadline = Instant::now() + Duration::from_secs(opts.timeout);
    spawn_watchdog(Duration::from_secs(opts.timeout) + Duration::from_secs(15));
    check_fd_limit(&opts)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the tokio runtime: {e}"))?;
    let mut report = Report {
        ok: true,
        ..Report::default()
    };
    println!(
        "load: {} on {} CPU(s); hard limit {} s",
        bin.display(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        opts.timeout
    );
    for phase in opts.phases.clone() {
        if Instant::now() >= deadline {
            report.fail(format!("hard timeout: phase {phase:?} not started"));
            break;
        }
        let result = match phase {
            Phase::Startup => startup_phase(&bin, &opts, deadline, &mut report),
            Phase::Netcat => load_shell(&bin, &opts, deadline, &rt, &mut report, true),
            Phase::Handshakes => load_shell(&bin, &opts, deadline, &rt, &mut report, false),
            Phase::Idle => idle_phase(&bin, &opts, deadline, &rt, &mut report),
            Phase::Bound => bound_phase(&opts, deadline, &mut report),
        };
        if let Err(e) = result {
            report.fail(format!("phase {phase:?}: {e}"));
        }
    }
    rt.shutdown_timeout(Duration::from_secs(2));
    if opts.json {
        let mut all = report.json.clone();
        all.insert("ok".into(), Value::Bool(report.ok));
        println!("{}", Value::Object(all));
    }
    Ok(report.ok)
}

/// `target/<profile>/lnshell` when this runs as `target/<profile>/examples/load`.
fn default_bin() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    exe.parent()
        .and_then(Path::parent)
        .map(|dir| dir.join("lnshell"))
        .ok_or_else(|| "cannot guess the lnshell binary; pass --bin PATH".to_string())
}

/// Makes sure the whole process ends even if something hangs past the hard limit.
fn spawn_watchdog(after: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(after);
        eprintln!(
            "load: hard timeout ({} s) passed; stopping",
            after.as_secs()
        );
        kill_all_children();
        std::process::exit(3);
    });
}

/// Each idle connection costs one file descriptor here and one in the shell.
fn check_fd_limit(opts: &Opts) -> Result<(), String> {
    let needed = (opts.idle_netcat.max(opts.idle_peers)
        + opts.netcat_sessions
        + opts.handshake_concurrency) as u64
        + 64;
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let soft = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|s| s.parse::<u64>().ok());
    match soft {
        Some(n) if n < needed => Err(format!(
            "the open-file limit is {n}, and this run needs about {needed}: raise it (`ulimit -n {needed}`) or ask for fewer connections"
        )),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// The shell under test
// ---------------------------------------------------------------------------------------

static CHILDREN: Mutex<Vec<std::sync::Weak<Mutex<Child>>>> = Mutex::new(Vec::new());

fn kill_all_children() {
    let list = CHILDREN.lock().unwrap_or_else(|p| p.into_inner());
    for weak in list.iter() {
        if let Some(child) = weak.upgrade() {
            let mut c = child.lock().unwrap_or_else(|p| p.into_inner());
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// What the shell printed, by kind (its stdout carries command output and events).
#[derive(Default)]
struct Counters {
    lines: AtomicU64,
    bytes: AtomicU64,
    peer_connected: AtomicU64,
    peer_refused: AtomicU64,
    lightning_closed_early: AtomicU64,
    netcat_received: AtomicU64,
    notable: Mutex<Vec<String>>,
}

fn count(c: &AtomicU64) -> u64 {
    c.load(Ordering::Relaxed)
}

/// A running lnshell with piped stdin/stdout.
struct Shell {
    child: Arc<Mutex<Child>>,
    pid: u32,
    stdin: Mutex<Option<ChildStdin>>,
    info_rx: Mutex<mpsc::Receiver<(Instant, Value)>>,
    counters: Arc<Counters>,
    stderr: Arc<Mutex<String>>,
    data_dir: PathBuf,
    /// From `info --json`.
    addr: SocketAddr,
    node_id: PublicKey,
    /// Spawn → first `info --json` answer.
    startup: Duration,
}

impl Shell {
    fn spawn(bin: &Path) -> Result<Shell, String> {
        let data_dir = fresh_dir()?;
        let started = Instant::now();
        let mut child = Command::new(bin)
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["--listen", "127.0.0.1:0"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let pid = child.id();
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().ok_or("no stdout pipe")?;
        let stderr_pipe = child.stderr.take().ok_or("no stderr pipe")?;
        let counters = Arc::new(Counters::default());
        let (info_tx, info_rx) = mpsc::channel();
        {
            let counters = Arc::clone(&counters);
            std::thread::spawn(move || read_stdout(stdout, &counters, info_tx));
        }
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let stderr = Arc::clone(&stderr);
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = BufReader::new(stderr_pipe).read_to_string(&mut text);
                stderr
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push_str(&text);
            });
        }
        let child = Arc::new(Mutex::new(child));
        CHILDREN
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Arc::downgrade(&child));
        let mut shell = Shell {
            child,
            pid,
            stdin: Mutex::new(stdin),
            info_rx: Mutex::new(info_rx),
            counters,
            stderr,
            data_dir,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            node_id: PublicKey::from_slice(&[2; 33]).map_err(|e| e.to_string())?,
            startup: Duration::ZERO,
        };
        // The first answer also tells us the listener is up: `--listen` binds before the
        // shell reads its first command.
        let info = shell.info().map_err(|e| {
            format!(
                "{e}; its stderr: {}",
                shell.stderr.lock().unwrap_or_else(|p| p.into_inner())
            )
        })?;
        shell.startup = started.elapsed();
        let addr = info.1["listening"][0]
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("info --json names no listener: {}", info.1))?;
        let node_id = info.1["node_id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("info --json has no node id: {}", info.1))?;
        shell.addr = addr;
        shell.node_id = node_id;
        Ok(shell)
    }

    /// Sends `info --json` and waits for its line: (latency, the JSON).
    fn info(&self) -> Result<(Duration, Value), String> {
        let rx = self.info_rx.lock().unwrap_or_else(|p| p.into_inner());
        while rx.try_recv().is_ok() {} // a late answer to an earlier, timed-out probe
        let sent = Instant::now();
        {
            let mut stdin = self.stdin.lock().unwrap_or_else(|p| p.into_inner());
            let pipe = stdin.as_mut().ok_or("the shell's stdin is closed")?;
            pipe.write_all(b"info --json\n")
                .and_then(|()| pipe.flush())
                .map_err(|e| format!("writing to the shell's stdin: {e}"))?;
        }
        match rx.recv_timeout(INFO_TIMEOUT) {
            Ok((at, v)) => Ok((at.saturating_duration_since(sent), v)),
            Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
                "no answer to `info --json` within {} s",
                INFO_TIMEOUT.as_secs()
            )),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err("the shell's stdout closed (did it exit?)".into())
            }
        }
    }

    /// (lightning, netcat) connection counts from `info --json`.
    fn counts(&self) -> Result<(u64, u64), String> {
        let (_, v) = self.info()?;
        Ok((
            v["peers"]["lightning"].as_u64().unwrap_or(0),
            v["peers"]["netcat"].as_u64().unwrap_or(0),
        ))
    }

    /// How many lightning peers the shell holds as guests (beyond LDK's
    /// `ChannelManager` limit), from `info --json`.
    fn guests(&self) -> Result<u64, String> {
        let (_, v) = self.info()?;
        Ok(v["peers"]["guests"].as_u64().unwrap_or(0))
    }

    /// VmRSS and VmHWM, in kB.
    fn memory(&self) -> Result<(u64, u64), String> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .map_err(|e| format!("reading /proc/{}/status: {e}", self.pid))?;
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
                .ok_or_else(|| format!("no {name} in /proc/{}/status", self.pid))
        };
        Ok((field("VmRSS:")?, field("VmHWM:")?))
    }

    /// User + system CPU time so far.
    fn cpu(&self) -> Duration {
        cpu_of(&format!("/proc/{}/stat", self.pid))
    }

    /// Closes stdin (the shell quits at EOF) and waits; kills it if it takes too long.
    /// Returns how long it took to exit.
    fn quit(&self) -> Result<Duration, String> {
        let t0 = Instant::now();
        drop(self.stdin.lock().unwrap_or_else(|p| p.into_inner()).take());
        let limit = t0 + Duration::from_secs(5);
        loop {
            let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
            match child.try_wait() {
                Ok(Some(_)) => return Ok(t0.elapsed()),
                Ok(None) if Instant::now() < limit => {}
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err("the shell did not exit within 5 s of EOF; killed it".into());
                }
                Err(e) => return Err(format!("waiting for the shell: {e}")),
            }
            drop(child);
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        drop(self.stdin.lock().unwrap_or_else(|p| p.into_inner()).take());
        let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
        if let Ok(None) = child.try_wait() {
            let _ = child.kill();
        }
        let _ = child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

fn fresh_dir() -> Result<PathBuf, String> {
    let mut r = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut r);
    let dir = std::env::temp_dir().join(format!(
        "lnshell-load-{}-{}",
        std::process::id(),
        hex::encode(r)
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Reads the shell's stdout: routes `info --json` answers, counts events.
fn read_stdout(
    stdout: std::process::ChildStdout,
    counters: &Counters,
    info_tx: mpsc::Sender<(Instant, Value)>,
) {
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                counters.lines.fetch_add(1, Ordering::Relaxed);
                counters.bytes.fetch_add(n as u64, Ordering::Relaxed);
            }
        }
        let now = Instant::now();
        if line.first() == Some(&b'{') {
            if let Ok(v) = serde_json::from_slice::<Value>(&line) {
                if v.get("node_id").is_some() && v.get("peers").is_some() {
                    let _ = info_tx.send((now, v));
                    continue;
                }
            }
        }
        let text = String::from_utf8_lossy(&line);
        let bump = |c: &AtomicU64| {
            c.fetch_add(1, Ordering::Relaxed);
        };
        if text.starts_with("[peer] ") && text.contains("connected to us; handshake and init done")
        {
            bump(&counters.peer_connected);
        } else if text.contains("LDK's ChannelManager refused") {
            bump(&counters.peer_refused);
            note(counters, &text);
        } else if text.starts_with("[#") && text.contains("] received:") {
            bump(&counters.netcat_received);
        } else if text.starts_with("[#") && text.contains("] BOLT 8 connection with") {
            bump(&counters.lightning_closed_early);
            note(counters, &text);
        } else if text.starts_with("[listen]") {
            note(counters, &text);
        }
    }
}

fn note(counters: &Counters, text: &str) {
    let mut notable = counters.notable.lock().unwrap_or_else(|p| p.into_inner());
    if notable.len() < 3 {
        notable.push(text.trim_end().to_string());
    }
}

/// utime + stime of /proc/<pid>/stat (clock ticks of 10 ms, Linux's USER_HZ).
fn cpu_of(stat_path: &str) -> Duration {
    let stat = std::fs::read_to_string(stat_path).unwrap_or_default();
    // The command name (field 2) may contain spaces; count fields after its ')'.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // After ')': state is index 0, so utime (field 14) is index 11 and stime index 12.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

// ---------------------------------------------------------------------------------------
// `info` prober
// ---------------------------------------------------------------------------------------

/// Latencies by label, in the order the labels were first used.
type Samples = Vec<(String, Vec<Duration>)>;

/// Sends `info --json` every interval and records the latency under the current label.
struct Prober {
    stop: Arc<AtomicBool>,
    label: Arc<Mutex<String>>,
    samples: Arc<Mutex<Samples>>,
    lost: Arc<AtomicUsize>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Prober {
    fn start(shell: &Arc<Shell>, interval: Duration, deadline: Instant) -> Prober {
        let stop = Arc::new(AtomicBool::new(false));
        let label = Arc::new(Mutex::new("idle".to_string()));
        let samples: Arc<Mutex<Samples>> = Arc::default();
        let lost = Arc::new(AtomicUsize::new(0));
        let thread = {
            let (stop, label, samples, lost) = (
                Arc::clone(&stop),
                Arc::clone(&label),
                Arc::clone(&samples),
                Arc::clone(&lost),
            );
            let shell = Arc::clone(shell);
            std::thread::spawn(move || {
                let mut next = Instant::now();
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    let tag = label.lock().unwrap_or_else(|p| p.into_inner()).clone();
                    match shell.info() {
                        Ok((d, _)) => {
                            let mut all = samples.lock().unwrap_or_else(|p| p.into_inner());
                            match all.iter_mut().find(|(l, _)| *l == tag) {
                                Some((_, list)) => list.push(d),
                                None => all.push((tag, vec![d])),
                            }
                        }
                        Err(_) => {
                            lost.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    next += interval;
                    let now = Instant::now();
                    if next > now {
                        std::thread::sleep(next - now);
                    } else {
                        next = now;
                    }
                }
            })
        };
        Prober {
            stop,
            label,
            samples,
            lost,
            thread: Some(thread),
        }
    }

    fn set(&self, label: &str) {
        *self.label.lock().unwrap_or_else(|p| p.into_inner()) = label.to_string();
    }

    fn finish(mut self, report: &mut Report, prefix: &str) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let samples = self.samples.lock().unwrap_or_else(|p| p.into_inner());
        for (label, list) in samples.iter() {
            let s = Stats::of(list);
            report.row(
                &format!("info latency during {label}"),
                format!("{} (n={})", s.text(), s.n),
            );
            report.put(&format!("{prefix}info_{label}"), s.json());
        }
        let lost = self.lost.load(Ordering::Relaxed);
        if lost > 0 {
            report.fail(format!(
                "{lost} `info --json` probes got no answer within {} s",
                INFO_TIMEOUT.as_secs()
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------

struct Stats {
    n: usize,
    p50: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
}

impl Stats {
    fn of(samples: &[Duration]) -> Stats {
        let mut v = samples.to_vec();
        v.sort_unstable();
        let pick = |q: f64| {
            if v.is_empty() {
                Duration::ZERO
            } else {
                let i = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
                v[i]
            }
        };
        Stats {
            n: v.len(),
            p50: pick(0.50),
            p90: pick(0.90),
            p99: pick(0.99),
            max: v.last().copied().unwrap_or_default(),
        }
    }
    fn text(&self) -> String {
        format!(
            "p50 {} / p90 {} / p99 {} / max {}",
            ms(self.p50),
            ms(self.p90),
            ms(self.p99),
            ms(self.max)
        )
    }
    fn json(&self) -> Value {
        let us = |d: Duration| d.as_micros() as u64;
        json!({"n": self.n, "p50_us": us(self.p50), "p90_us": us(self.p90), "p99_us": us(self.p99), "max_us": us(self.max)})
    }
}

fn ms(d: Duration) -> String {
    let us = d.as_micros();
    if us < 10_000 {
        format!("{:.2} ms", us as f64 / 1000.0)
    } else {
        format!("{:.1} ms", us as f64 / 1000.0)
    }
}

fn per_sec(n: usize, d: Duration) -> f64 {
    if d.is_zero() {
        0.0
    } else {
        n as f64 / d.as_secs_f64()
    }
}

// ---------------------------------------------------------------------------------------
// Phase: start-up
// ---------------------------------------------------------------------------------------

fn startup_phase(
    bin: &Path,
    opts: &Opts,
    deadline: Instant,
    report: &mut Report,
) -> Result<(), String> {
    println!("\n== start-up: {} fresh shells ==", opts.startup_runs);
    let mut ready = Vec::new();
    let mut quit = Vec::new();
    for _ in 0..opts.startup_runs {
        if Instant::now() >= deadline {
            return Err("hard timeout".into());
        }
        let shell = Shell::spawn(bin)?;
        ready.push(shell.startup);
        quit.push(shell.quit()?);
    }
    let s = Stats::of(&ready);
    report.row(
        "start → ready (first info answer)",
        format!("median {} / max {} (n={})", ms(s.p50), ms(s.max), s.n),
    );
    report.put("startup", s.json());
    let q = Stats::of(&quit);
    report.row(
        "quit (stdin EOF → exit), idle",
        format!("median {} / max {}", ms(q.p50), ms(q.max)),
    );
    report.put("quit_idle", q.json());
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Phases: netcat load and handshakes (one shell, info probed throughout)
// ---------------------------------------------------------------------------------------

fn load_shell(
    bin: &Path,
    opts: &Opts,
    deadline: Instant,
    rt: &tokio::runtime::Runtime,
    report: &mut Report,
    netcat: bool,
) -> Result<(), String> {
    let shell = Arc::new(Shell::spawn(bin)?);
    let (rss0, _) = shell.memory()?;
    let prober = Prober::start(
        &shell,
        Duration::from_millis(opts.info_interval_ms),
        deadline,
    );
    std::thread::sleep(Duration::from_millis(300));
    let result = if netcat {
        prober.set("netcat");
        netcat_phase(&shell, opts, deadline, rt, report)
    } else {
        handshake_phases(&shell, opts, deadline, rt, report, &prober)
    };
    prober.set("after");
    std::thread::sleep(Duration::from_millis(300));
    let prefix = if netcat { "netcat_" } else { "handshakes_" };
    prober.finish(report, prefix);
    let (rss, hwm) = shell.memory()?;
    report.row(
        "shell RSS: start / now / peak",
        format!(
            "{:.1} / {:.1} / {:.1} MiB",
            rss0 as f64 / 1024.0,
            rss as f64 / 1024.0,
            hwm as f64 / 1024.0
        ),
    );
    report.put(
        &format!("{prefix}rss_kb"),
        json!({"start": rss0, "end": rss, "peak": hwm}),
    );
    match shell.quit() {
        Ok(d) => report.row("quit after the load", ms(d)),
        Err(e) => report.fail(e),
    }
    result
}

struct Line {
    text: String,
    replies: usize,
}

fn netcat_script(kind: LineKind) -> Vec<Line> {
    let ping = Line {
        text: format!("{PING}\n"),
        replies: 2,
    };
    let update = Line {
        text: format!("{CHANNEL_UPDATE}\n"),
        replies: 1,
    };
    match kind {
        LineKind::Ping => vec![ping],
        LineKind::ChannelUpdate => vec![update],
        LineKind::Mixed => vec![ping, update],
    }
}

fn netcat_phase(
    shell: &Arc<Shell>,
    opts: &Opts,
    deadline: Instant,
    rt: &tokio::runtime::Runtime,
    report: &mut Report,
) -> Result<(), String> {
    let (n, k) = (opts.netcat_sessions, opts.netcat_lines);
    println!(
        "\n== netcat: {n} concurrent sessions × {k} lines ({:?}) ==",
        opts.line
    );
    let script = Arc::new(netcat_script(opts.line));
    let addr = shell.addr;
    let cpu0 = shell.cpu();
    let events0 = count(&shell.counters.netcat_received);
    let t0 = Instant::now();
    let results: Vec<Result<Vec<Duration>, String>> = rt.block_on(async {
        let start = Arc::new(tokio::sync::Barrier::new(n));
        let tasks: Vec<_> = (0..n)
            .map(|i| {
                let script = Arc::clone(&script);
                let start = Arc::clone(&start);
                tokio::spawn(async move {
                    start.wait().await;
                    netcat_session(addr, &script, i, k).await
                })
            })
            .collect();
        let mut out = Vec::with_capacity(n);
        for t in tasks {
            let r = match tokio::time::timeout_at(deadline.into(), t).await {
                Ok(Ok(r)) => r,
                Ok(Err(e)) => Err(format!("task failed: {e}")),
                Err(_) => Err("hard timeout".to_string()),
            };
            out.push(r);
        }
        out
    });
    let wall = t0.elapsed();
    let cpu = shell.cpu().saturating_sub(cpu0);
    let mut latencies = Vec::with_capacity(n * k);
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(l) => latencies.extend(l),
            Err(e) => errors.push(e),
        }
    }
    let answered = latencies.len();
    // The shell's events for these lines trail the replies: its printer may lag behind.
    let backlog0 = count(&shell.counters.netcat_received) - events0;
    let drain_start = Instant::now();
    let settle = drain_start + Duration::from_secs(10);
    while count(&shell.counters.netcat_received) - events0 < answered as u64
        && Instant::now() < settle
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let events = count(&shell.counters.netcat_received) - events0;
    let drained = drain_start.elapsed();
    let s = Stats::of(&latencies);
    report.row(
        "netcat lines answered",
        format!("{answered} of {} ({} sessions failed)", n * k, errors.len()),
    );
    report.row(
        "netcat throughput",
        format!(
            "{:.0} lines/s ({} in {:.2} s; shell CPU {:.2} s = {:.1} µs/line)",
            per_sec(answered, wall),
            answered,
            wall.as_secs_f64(),
            cpu.as_secs_f64(),
            cpu.as_secs_f64() * 1e6 / answered.max(1) as f64
        ),
    );
    report.row("netcat line latency", s.text());
    report.row(
        "netcat events printed by the shell",
        format!(
            "{events} `received` events, {:.1} MB of stdout in all; {} still queued when the \
             last reply came, printed {} later",
            count(&shell.counters.bytes) as f64 / 1e6,
            (answered as u64).saturating_sub(backlog0),
            ms(drained)
        ),
    );
    report.put(
        "netcat",
        json!({"sessions": n, "lines_per_session": k, "kind": format!("{:?}", opts.line),
               "answered": answered, "expected": n * k, "failed_sessions": errors.len(),
               "wall_s": wall.as_secs_f64(), "lines_per_s": per_sec(answered, wall),
               "shell_cpu_s": cpu.as_secs_f64(), "latency": s.json(),
               "events_queued_at_end": (answered as u64).saturating_sub(backlog0),
               "events_drain_s": drained.as_secs_f64()}),
    );
    if let Some(e) = errors.first() {
        report.fail(format!(
            "{} netcat sessions failed; the first: {e}",
            errors.len()
        ));
    }
    if answered != n * k {
        report.fail(format!("{} lines were not answered", n * k - answered));
    }
    Ok(())
}

/// One netcat session: sends `k` lines one at a time, checking every reply line.
/// Returns each line's latency (write → its last reply line).
async fn netcat_session(
    addr: SocketAddr,
    script: &[Line],
    offset: usize,
    k: usize,
) -> Result<Vec<Duration>, String> {
    let stream = match tokio::time::timeout(STEP_TIMEOUT, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(format!("connect: {e}")),
        Err(_) => return Err("connect timed out".into()),
    };
    let _ = stream.set_nodelay(true);
    let (rd, mut wr) = stream.into_split();
    let mut rd = tokio::io::BufReader::new(rd);
    let mut reply = String::new();
    let mut latencies = Vec::with_capacity(k);
    for i in 0..k {
        let line = &script[(offset + i) % script.len()];
        let t0 = Instant::now();
        // The first line goes out at once, as a paste would: a silent client is only
        // greeted after the shell's 500 ms sniff timeout.
        wr.write_all(line.text.as_bytes())
            .await
            .map_err(|e| format!("line {i}: write: {e}"))?;
        if i == 0 {
            read_reply(&mut rd, &mut reply, "greeting").await?;
            if !reply.starts_with("lnshell: plaintext session") {
                return Err(format!("unexpected greeting: {}", reply.trim_end()));
            }
        }
        for j in 0..line.replies {
            read_reply(&mut rd, &mut reply, "reply").await?;
            let good = if j == 0 {
                reply.trim_end().ends_with(": ok")
            } else {
                reply.starts_with("pong: ")
            };
            if !good {
                return Err(format!("line {i}: unexpected reply {:?}", reply.trim_end()));
            }
        }
        latencies.push(t0.elapsed());
    }
    let _ = wr.shutdown().await;
    Ok(latencies)
}

async fn read_reply(
    rd: &mut tokio::io::BufReader<tokio::net::tcp::OwnedReadHalf>,
    buf: &mut String,
    what: &str,
) -> Result<(), String> {
    buf.clear();
    match tokio::time::timeout(STEP_TIMEOUT, rd.read_line(buf)).await {
        Ok(Ok(0)) => Err(format!("the shell closed the session before the {what}")),
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(format!("reading the {what}: {e}")),
        Err(_) => Err(format!("no {what} within {} s", STEP_TIMEOUT.as_secs())),
    }
}

// ---------------------------------------------------------------------------------------
// The lightning client: LDK's PeerManager, one node key per connection
// ---------------------------------------------------------------------------------------

struct NoLogger;

impl Logger for NoLogger {
    fn log(&self, _record: Record) {}
}

/// Sees the client's peer come and go; provides the init features a ChannelManager needs.
struct Watcher {
    connected: Notify,
    disconnected: Notify,
    features: InitFeatures,
}

impl CustomMessageReader for Watcher {
    type CustomMessage = Infallible;
    fn read<R: LengthLimitedRead>(
        &self,
        _message_type: u16,
        _buffer: &mut R,
    ) -> Result<Option<Infallible>, DecodeError> {
        Ok(None)
    }
}

impl CustomMessageHandler for Watcher {
    fn handle_custom_message(
        &self,
        msg: Infallible,
        _sender_node_id: PublicKey,
    ) -> Result<(), LightningError> {
        match msg {}
    }
    fn get_and_clear_pending_msg(&self) -> Vec<(PublicKey, Infallible)> {
        Vec::new()
    }
    fn peer_disconnected(&self, _their_node_id: PublicKey) {
        self.disconnected.notify_one();
    }
    fn peer_connected(
        &self,
        _their_node_id: PublicKey,
        _msg: &Init,
        _inbound: bool,
    ) -> Result<(), ()> {
        self.connected.notify_one();
        Ok(())
    }
    fn provided_node_features(&self) -> NodeFeatures {
        NodeFeatures::empty()
    }
    fn provided_init_features(&self, _their_node_id: PublicKey) -> InitFeatures {
        // What LDK's own ChannelManager sends: the shell's ChannelManager requires
        // data_loss_protect, var_onion_optin, static_remotekey, payment_secret and
        // channel_type (bits 0, 8, 12, 14, 44) and drops peers whose init lacks them.
        self.features.clone()
    }
}

type ClientPeerManager = lightning::ln::peer_handler::PeerManager<
    SocketDescriptor,
    Arc<ErroringMessageHandler>,
    Arc<IgnoringMessageHandler>,
    Arc<IgnoringMessageHandler>,
    Arc<NoLogger>,
    Arc<Watcher>,
    Arc<KeysManager>,
    Arc<IgnoringMessageHandler>,
>;

/// One client node: its own key, its own PeerManager.
struct Client {
    pm: Arc<ClientPeerManager>,
    watcher: Arc<Watcher>,
}

impl Client {
    fn new(features: &InitFeatures) -> Client {
        let mut seed = [0u8; 32];
        let mut ephemeral = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut seed);
        rand::thread_rng().fill_bytes(&mut ephemeral);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let keys = Arc::new(KeysManager::new(
            &seed,
            now.as_secs(),
            now.subsec_nanos(),
            true,
        ));
        let watcher = Arc::new(Watcher {
            connected: Notify::new(),
            disconnected: Notify::new(),
            features: features.clone(),
        });
        let handlers = MessageHandler {
            chan_handler: Arc::new(ErroringMessageHandler::new()),
            route_handler: Arc::new(IgnoringMessageHandler {}),
            onion_message_handler: Arc::new(IgnoringMessageHandler {}),
            custom_message_handler: Arc::clone(&watcher),
            send_only_message_handler: Arc::new(IgnoringMessageHandler {}),
        };
        let pm = Arc::new(ClientPeerManager::new(
            handlers,
            now.as_secs() as u32,
            &ephemeral,
            Arc::new(NoLogger),
            keys,
        ));
        Client { pm, watcher }
    }
}

fn client_features() -> InitFeatures {
    lightning::ln::channelmanager::provided_init_features(&UserConfig::default())
}

/// A live client connection: the task that drives it ends when it closes.
struct Conn {
    client: Client,
    task: tokio::task::JoinHandle<()>,
}

/// Connects, runs the handshake and the init exchange; returns the connection and the
/// time from TCP connect to `peer_by_node_id` being `Some`.
async fn handshake(
    client: Client,
    server: PublicKey,
    addr: SocketAddr,
    nagle: bool,
) -> Result<(Conn, Duration), String> {
    let t0 = Instant::now();
    let stream = match tokio::time::timeout(STEP_TIMEOUT, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(format!("connect: {e}")),
        Err(_) => return Err("connect timed out".into()),
    };
    if !nagle {
        let _ = stream.set_nodelay(true);
    }
    let std_stream = stream
        .into_std()
        .map_err(|e| format!("socket error: {e}"))?;
    let conn = lightning_net_tokio::setup_outbound(Arc::clone(&client.pm), server, std_stream);
    let mut task = tokio::spawn(conn);
    // Done when the client has the shell's init; failed if the connection closes first
    // (the shell refused us) or nothing happens for STEP_TIMEOUT.
    let outcome = tokio::time::timeout(STEP_TIMEOUT, async {
        tokio::select! {
            _ = client.watcher.connected.notified() => true,
            _ = &mut task => false,
        }
    })
    .await;
    let elapsed = t0.elapsed();
    let conn = Conn { client, task };
    match outcome {
        Ok(true) => {}
        Ok(false) => {
            return Err("the shell closed the connection before its init arrived".into());
        }
        Err(_) => {
            close(&conn, server).await;
            return Err(format!(
                "handshake and init not done within {} s",
                STEP_TIMEOUT.as_secs()
            ));
        }
    }
    if conn.client.pm.peer_by_node_id(&server).is_none() {
        close(&conn, server).await;
        return Err("init received, but the peer is already gone".into());
    }
    Ok((conn, elapsed))
}

/// Disconnects and waits for the connection's task to end.
async fn close(conn: &Conn, server: PublicKey) {
    conn.client.pm.disconnect_by_node_id(server);
    let wait = async {
        while !conn.task.is_finished() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    };
    if tokio::time::timeout(STEP_TIMEOUT, wait).await.is_err() {
        conn.task.abort();
    }
}

fn make_clients(n: usize) -> (Vec<Client>, Duration) {
    let t0 = Instant::now();
    let features = client_features();
    let clients = (0..n).map(|_| Client::new(&features)).collect();
    (clients, t0.elapsed())
}

fn handshake_phases(
    shell: &Arc<Shell>,
    opts: &Opts,
    deadline: Instant,
    rt: &tokio::runtime::Runtime,
    report: &mut Report,
    prober: &Prober,
) -> Result<(), String> {
    let runs = [
        ("handshakes-sequential", opts.handshakes_sequential, 1usize),
        (
            "handshakes-concurrent",
            opts.handshakes,
            opts.handshake_concurrency.max(1),
        ),
    ];
    for (label, m, c) in runs {
        if m == 0 {
            continue;
        }
        println!("\n== {label}: {m} handshakes, {c} in flight ==");
        // Node keys are made before the clock starts: the shell's work is what we time.
        let (clients, keygen) = make_clients(m);
        prober.set(label);
        let connected0 = count(&shell.counters.peer_connected);
        let refused0 = count(&shell.counters.peer_refused);
        let early0 = count(&shell.counters.lightning_closed_early);
        let cpu0 = shell.cpu();
        let me0 = cpu_of("/proc/self/stat");
        let t0 = Instant::now();
        let (latencies, errors) = rt.block_on(handshake_run(
            clients,
            shell.node_id,
            shell.addr,
            c,
            opts.client_nagle,
            deadline,
        ));
        let wall = t0.elapsed();
        let cpu = shell.cpu().saturating_sub(cpu0);
        let me = cpu_of("/proc/self/stat").saturating_sub(me0);
        let done = latencies.len();
        let settle = Instant::now() + Duration::from_secs(3);
        while count(&shell.counters.peer_connected) - connected0 < done as u64
            && Instant::now() < settle
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        let accepted = count(&shell.counters.peer_connected) - connected0;
        let refused = count(&shell.counters.peer_refused) - refused0;
        let early = count(&shell.counters.lightning_closed_early) - early0;
        let s = Stats::of(&latencies);
        report.row(
            &format!("{label} done"),
            format!(
                "{done} of {m}; the shell reported {accepted} `connected to us`, {refused} refusals, \
                 {early} `closed before … init` events"
            ),
        );
        report.row(
            &format!("{label} rate"),
            format!(
                "{:.0} handshakes/s (connect+handshake+init+disconnect, {:.2} s)",
                per_sec(done, wall),
                wall.as_secs_f64()
            ),
        );
        report.row(
            &format!("{label} CPU"),
            format!(
                "shell {:.0} µs/handshake, client {:.0} µs/handshake (+{} to make {m} client keys)",
                cpu.as_secs_f64() * 1e6 / done.max(1) as f64,
                me.as_secs_f64() * 1e6 / done.max(1) as f64,
                ms(keygen)
            ),
        );
        report.row(&format!("{label} latency"), s.text());
        report.put(
            label,
            json!({"handshakes": m, "concurrency": c, "done": done, "shell_accepted": accepted,
                   "shell_refused": refused, "shell_closed_before_init_events": early,
                   "wall_s": wall.as_secs_f64(),
                   "per_s": per_sec(done, wall), "shell_cpu_s": cpu.as_secs_f64(),
                   "client_cpu_s": me.as_secs_f64(), "latency": s.json(),
                   "client_nagle": opts.client_nagle}),
        );
        if let Some(e) = errors.first() {
            report.fail(format!(
                "{} handshakes failed; the first: {e}",
                errors.len()
            ));
        }
        if accepted < done as u64 {
            report.fail(format!(
                "the shell reported only {accepted} of {done} peers as connected"
            ));
        }
    }
    Ok(())
}

/// Runs every client's handshake (then disconnect), `c` at a time.
async fn handshake_run(
    clients: Vec<Client>,
    server: PublicKey,
    addr: SocketAddr,
    c: usize,
    nagle: bool,
    deadline: Instant,
) -> (Vec<Duration>, Vec<String>) {
    for_each_client(clients, c, deadline, move |client| async move {
        let (conn, d) = handshake(client, server, addr, nagle).await?;
        close(&conn, server).await;
        Ok(d)
    })
    .await
}

/// Runs `each` on every client, `c` at a time (at least one), until `deadline`;
/// returns what succeeded and every error.
async fn for_each_client<T, F, Fut>(
    clients: Vec<Client>,
    c: usize,
    deadline: Instant,
    each: F,
) -> (Vec<T>, Vec<String>)
where
    T: Send + 'static,
    F: Fn(Client) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<T, String>> + Send,
{
    let queue = Arc::new(Mutex::new(clients));
    let workers: Vec<_> = (0..c.max(1))
        .map(|_| {
            let queue = Arc::clone(&queue);
            let each = each.clone();
            tokio::spawn(async move {
                let mut done = Vec::new();
                let mut errs = Vec::new();
                loop {
                    let next = queue.lock().unwrap_or_else(|p| p.into_inner()).pop();
                    let Some(client) = next else { break };
                    if Instant::now() >= deadline {
                        errs.push("hard timeout".to_string());
                        break;
                    }
                    match each(client).await {
                        Ok(t) => done.push(t),
                        Err(e) => errs.push(e),
                    }
                }
                (done, errs)
            })
        })
        .collect();
    let mut done = Vec::new();
    let mut errs = Vec::new();
    for w in workers {
        match tokio::time::timeout_at(deadline.into(), w).await {
            Ok(Ok((d, e))) => {
                done.extend(d);
                errs.extend(e);
            }
            Ok(Err(e)) => errs.push(format!("worker failed: {e}")),
            Err(_) => errs.push("hard timeout".into()),
        }
    }
    (done, errs)
}

// ---------------------------------------------------------------------------------------
// Phase: idle connections and memory
// ---------------------------------------------------------------------------------------

/// Opens `n` idle netcat sessions, `open_concurrency` at a time.
fn open_idle_netcats(
    rt: &tokio::runtime::Runtime,
    addr: SocketAddr,
    n: usize,
    open_concurrency: usize,
    deadline: Instant,
) -> (Vec<IdleNetcat>, Vec<String>) {
    let gate = Arc::new(tokio::sync::Semaphore::new(open_concurrency.max(1)));
    rt.block_on(async {
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let gate = Arc::clone(&gate);
                tokio::spawn(async move {
                    let _permit = gate.acquire().await.map_err(|e| e.to_string())?;
                    open_idle_netcat(addr).await
                })
            })
            .collect();
        let mut held = Vec::new();
        let mut errors = Vec::new();
        for t in tasks {
            match tokio::time::timeout_at(deadline.into(), t).await {
                Ok(Ok(Ok(s))) => held.push(s),
                Ok(Ok(Err(e))) => errors.push(e),
                Ok(Err(e)) => errors.push(e.to_string()),
                Err(_) => errors.push("hard timeout".into()),
            }
        }
        (held, errors)
    })
}

/// Connects every client to the shell (handshake and init), `c` at a time, and keeps
/// the connections open.
fn open_idle_peers(
    rt: &tokio::runtime::Runtime,
    clients: Vec<Client>,
    server: PublicKey,
    addr: SocketAddr,
    c: usize,
    nagle: bool,
    deadline: Instant,
) -> (Vec<Conn>, Vec<String>) {
    rt.block_on(for_each_client(
        clients,
        c,
        deadline,
        move |client| async move {
            handshake(client, server, addr, nagle)
                .await
                .map(|(conn, _)| conn)
        },
    ))
}

/// Disconnects every held peer and waits for their tasks to end.
fn close_peers(rt: &tokio::runtime::Runtime, conns: Vec<Conn>, server: PublicKey) {
    rt.block_on(async {
        for conn in &conns {
            conn.client.pm.disconnect_by_node_id(server);
        }
        for conn in &conns {
            close(conn, server).await;
        }
    });
}

fn alive(conns: &[Conn], server: PublicKey) -> usize {
    conns
        .iter()
        .filter(|c| !c.task.is_finished() && c.client.pm.peer_by_node_id(&server).is_some())
        .count()
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

/// Holds idle connections in fresh shells: netcat sessions in one, lightning peers in
/// another (so each RSS difference is one kind's), then both kinds at once in a third.
fn idle_phase(
    bin: &Path,
    opts: &Opts,
    deadline: Instant,
    rt: &tokio::runtime::Runtime,
    report: &mut Report,
) -> Result<(), String> {
    let kinds = [
        ("netcat", opts.idle_netcat, 0),
        ("lightning", 0, opts.idle_peers),
        ("both", opts.idle_netcat, opts.idle_peers),
    ];
    for (label, n_nc, n_ln) in kinds {
        if n_nc == 0 && n_ln == 0 || (label == "both" && (n_nc == 0 || n_ln == 0)) {
            continue;
        }
        if Instant::now() >= deadline {
            return Err("hard timeout".into());
        }
        idle_hold(bin, opts, deadline, rt, report, label, n_nc, n_ln)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn idle_hold(
    bin: &Path,
    opts: &Opts,
    deadline: Instant,
    rt: &tokio::runtime::Runtime,
    report: &mut Report,
    label: &str,
    n_nc: usize,
    n_ln: usize,
) -> Result<(), String> {
    let hold = Duration::from_secs(opts.idle_hold);
    println!("\n== idle-{label}: {n_nc} netcat sessions and {n_ln} lightning peers held (fresh shell) ==");
    let (clients, _) = make_clients(n_ln);
    let shell = Arc::new(Shell::spawn(bin)?);
    std::thread::sleep(Duration::from_millis(300));
    let (rss0, _) = shell.memory()?;
    let prober = Prober::start(
        &shell,
        Duration::from_millis(opts.info_interval_ms),
        deadline,
    );
    prober.set(&format!("idle-{label}"));
    let (server, addr) = (shell.node_id, shell.addr);
    let t0 = Instant::now();
    let (netcats, nc_errors) = open_idle_netcats(rt, addr, n_nc, opts.open_concurrency, deadline);
    let nc_opened = t0.elapsed();
    let t1 = Instant::now();
    let (conns, ln_errors) = open_idle_peers(
        rt,
        clients,
        server,
        addr,
        opts.handshake_concurrency,
        opts.client_nagle,
        deadline,
    );
    let ln_opened = t1.elapsed();
    std::thread::sleep(hold);
    let ln_alive = alive(&conns, server);
    let (ln_counted, nc_counted) = shell.counts()?;
    let guests = shell.guests()?;
    let (rss, hwm) = shell.memory()?;
    let held = netcats.len() + ln_alive;
    let per = (rss.saturating_sub(rss0)) as f64 * 1024.0 / held.max(1) as f64;
    let refused = count(&shell.counters.peer_refused);
    let accepted = count(&shell.counters.peer_connected);
    if n_nc > 0 {
        report.row(
            "idle netcat sessions held",
            format!(
                "{} of {n_nc} (shell counts {nc_counted}; opened and greeted in {})",
                netcats.len(),
                ms(nc_opened)
            ),
        );
    }
    if n_ln > 0 {
        report.row(
            "idle lightning peers held",
            format!(
                "{ln_alive} of {n_ln} still connected after {} s (shell counts {ln_counted}, {guests} of \
                 them guests beyond LDK's ChannelManager limit; it reported {accepted} `connected to us`, \
                 {refused} refusals; {} handshakes failed; opened in {})",
                hold.as_secs(),
                ln_errors.len(),
                ms(ln_opened)
            ),
        );
    }
    report.row(
        "RSS: before / with them / peak",
        format!(
            "{:.1} / {:.1} / {:.1} MiB → {:.1} KiB per held connection",
            mb(rss0),
            mb(rss),
            mb(hwm),
            per / 1024.0
        ),
    );
    report.put(
        &format!("idle_{label}"),
        json!({"netcat_wanted": n_nc, "netcat_held": netcats.len(), "lightning_wanted": n_ln,
               "lightning_alive": ln_alive, "shell_counts": {"netcat": nc_counted, "lightning": ln_counted},
               "shell_accepted": accepted, "shell_refused": refused,
               "failed_handshakes": ln_errors.len(), "rss_before_kb": rss0, "rss_kb": rss,
               "peak_kb": hwm, "bytes_per_conn": per}),
    );
    if let Some(e) = nc_errors.first() {
        report.fail(format!(
            "{} idle netcat sessions failed; the first: {e}",
            nc_errors.len()
        ));
    }
    if ln_alive < n_ln {
        let why = shell
            .counters
            .notable
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .first()
            .cloned()
            .unwrap_or_default();
        report.fail(format!(
            "only {ln_alive} of {n_ln} lightning peers stayed connected; first refusal seen: {why}; first client error: {}",
            ln_errors.first().map_or("none", String::as_str)
        ));
    }
    prober.set("after");
    let t0 = Instant::now();
    drop(netcats);
    close_peers(rt, conns, server);
    wait_counts(
        &shell,
        |(ln, nc)| ln == 0 && nc == 0,
        Duration::from_secs(5),
    );
    report.row("all closed, shell counts 0 after", ms(t0.elapsed()));
    prober.finish(report, &format!("idle_{label}_"));
    match shell.quit() {
        Ok(d) => report.row("quit", ms(d)),
        Err(e) => report.fail(e),
    }
    Ok(())
}

type IdleNetcat = tokio::io::BufReader<tokio::net::TcpStream>;

/// An idle netcat session: connected, one empty line sent (so the shell decides
/// "netcat" at once instead of after its 500 ms sniff timeout; empty lines are skipped),
/// greeted, then silent.
async fn open_idle_netcat(addr: SocketAddr) -> Result<IdleNetcat, String> {
    let stream = match tokio::time::timeout(STEP_TIMEOUT, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(format!("connect: {e}")),
        Err(_) => return Err("connect timed out".into()),
    };
    let mut rd = tokio::io::BufReader::new(stream);
    rd.get_mut()
        .write_all(b"\n")
        .await
        .map_err(|e| format!("write: {e}"))?;
    let mut greeting = String::new();
    match tokio::time::timeout(STEP_TIMEOUT, rd.read_line(&mut greeting)).await {
        Ok(Ok(n)) if n > 0 && greeting.starts_with("lnshell: plaintext session") => Ok(rd),
        Ok(Ok(_)) => Err(format!("unexpected greeting {:?}", greeting.trim_end())),
        Ok(Err(e)) => Err(format!("reading the greeting: {e}")),
        Err(_) => Err("no greeting".into()),
    }
}

fn wait_counts(shell: &Shell, done: impl Fn((u64, u64)) -> bool, limit: Duration) {
    let until = Instant::now() + limit;
    while Instant::now() < until {
        match shell.counts() {
            Ok(c) if done(c) => return,
            Ok(_) => {}
            Err(_) => return,
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ---------------------------------------------------------------------------------------
// Phase: the single-core bound of an inbound handshake, in memory
// ---------------------------------------------------------------------------------------

/// One end of an in-memory connection: what its PeerManager sends lands in `sent`.
#[derive(Clone)]
struct MemDescriptor {
    id: u64,
    sent: Arc<Mutex<Vec<u8>>>,
}

impl PartialEq for MemDescriptor {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for MemDescriptor {}

impl std::hash::Hash for MemDescriptor {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state)
    }
}

impl lightning::ln::peer_handler::SocketDescriptor for MemDescriptor {
    fn send_data(&mut self, data: &[u8], _continue_read: bool) -> usize {
        self.sent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(data);
        data.len()
    }
    fn disconnect_socket(&mut self) {}
}

type MemPeerManager = lightning::ln::peer_handler::PeerManager<
    MemDescriptor,
    Arc<ErroringMessageHandler>,
    Arc<IgnoringMessageHandler>,
    Arc<IgnoringMessageHandler>,
    Arc<NoLogger>,
    Arc<Watcher>,
    Arc<KeysManager>,
    Arc<IgnoringMessageHandler>,
>;

fn mem_peer_manager(features: &InitFeatures) -> (Arc<MemPeerManager>, PublicKey) {
    let mut seed = [0u8; 32];
    let mut ephemeral = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut seed);
    rand::thread_rng().fill_bytes(&mut ephemeral);
    let keys = Arc::new(KeysManager::new(&seed, 1_700_000_000, 0, true));
    let node_id =
        lightning::sign::NodeSigner::get_node_id(&*keys, lightning::sign::Recipient::Node)
            .unwrap_or_else(|()| unreachable!("a KeysManager always has a node id"));
    let handlers = MessageHandler {
        chan_handler: Arc::new(ErroringMessageHandler::new()),
        route_handler: Arc::new(IgnoringMessageHandler {}),
        onion_message_handler: Arc::new(IgnoringMessageHandler {}),
        custom_message_handler: Arc::new(Watcher {
            connected: Notify::new(),
            disconnected: Notify::new(),
            features: features.clone(),
        }),
        send_only_message_handler: Arc::new(IgnoringMessageHandler {}),
    };
    let pm = Arc::new(MemPeerManager::new(
        handlers,
        1_700_000_000,
        &ephemeral,
        Arc::new(NoLogger),
        keys,
    ));
    (pm, node_id)
}

fn take(buf: &Mutex<Vec<u8>>) -> Vec<u8> {
    std::mem::take(&mut *buf.lock().unwrap_or_else(|p| p.into_inner()))
}

/// One handshake with init between `client` and `server` in memory; returns the time
/// spent in the server's calls.
fn mem_handshake(
    client: &MemPeerManager,
    server: &MemPeerManager,
    server_id: PublicKey,
    client_id: PublicKey,
    id: u64,
) -> Result<Duration, String> {
    let mut cd = MemDescriptor {
        id,
        sent: Arc::default(),
    };
    let mut sd = MemDescriptor {
        id,
        sent: Arc::default(),
    };
    let act_one = client
        .new_outbound_connection(server_id, cd.clone(), None)
        .map_err(|e| format!("new_outbound_connection: {e:?}"))?;
    let mut server_time = Duration::ZERO;
    let t = Instant::now();
    server
        .new_inbound_connection(sd.clone(), None)
        .map_err(|e| format!("new_inbound_connection: {e:?}"))?;
    server
        .read_event(&mut sd, &act_one)
        .map_err(|e| format!("server read: {e:?}"))?;
    server.process_events();
    server_time += t.elapsed();
    for _ in 0..8 {
        let to_client = take(&sd.sent);
        if !to_client.is_empty() {
            client
                .read_event(&mut cd, &to_client)
                .map_err(|e| format!("client read: {e:?}"))?;
            client.process_events();
        }
        let to_server = take(&cd.sent);
        if !to_server.is_empty() {
            let t = Instant::now();
            server
                .read_event(&mut sd, &to_server)
                .map_err(|e| format!("server read: {e:?}"))?;
            server.process_events();
            server_time += t.elapsed();
        }
        if server.peer_by_node_id(&client_id).is_some()
            && client.peer_by_node_id(&server_id).is_some()
        {
            let t = Instant::now();
            server.socket_disconnected(&sd);
            server_time += t.elapsed();
            client.socket_disconnected(&cd);
            return Ok(server_time);
        }
    }
    Err("the in-memory handshake did not finish".into())
}

fn bound_phase(opts: &Opts, deadline: Instant, report: &mut Report) -> Result<(), String> {
    use bitcoin::secp256k1::ecdh::SharedSecret;
    use bitcoin::secp256k1::{Secp256k1, SecretKey};
    let n = opts.bound_handshakes.max(1);
    println!("\n== bound: {n} in-memory handshakes with init (no shell) ==");
    let features = client_features();
    let (server, server_id) = mem_peer_manager(&features);
    let (client, client_id) = mem_peer_manager(&features);
    let mut server_times = Vec::with_capacity(n);
    let t0 = Instant::now();
    for i in 0..n {
        if Instant::now() >= deadline {
            return Err("hard timeout".into());
        }
        server_times.push(mem_handshake(
            &client, &server, server_id, client_id, i as u64,
        )?);
    }
    let both = t0.elapsed();
    let total: Duration = server_times.iter().sum();
    let per = total / n as u32;
    let s = Stats::of(&server_times);
    // The bare curve work of a responder: parse their ephemeral key (act one) and their
    // static key (act three), three ECDHs, one ephemeral key of our own.
    let secp = Secp256k1::new();
    let mut r = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut r);
    let our = SecretKey::from_slice(&r).map_err(|e| e.to_string())?;
    let their = PublicKey::from_secret_key(&secp, &our).serialize();
    // Batches, and the fastest one counts: this machine is shared, preemption only adds.
    let mut batches = Vec::new();
    for _ in 0..10 {
        let rounds = 200u32;
        let t = Instant::now();
        for _ in 0..rounds {
            let re =
                PublicKey::from_slice(std::hint::black_box(&their)).map_err(|e| e.to_string())?;
            let rs =
                PublicKey::from_slice(std::hint::black_box(&their)).map_err(|e| e.to_string())?;
            let e = PublicKey::from_secret_key(&secp, std::hint::black_box(&our));
            let a = SharedSecret::new(&re, &our);
            let b = SharedSecret::new(&re, &our);
            let c = SharedSecret::new(&rs, &our);
            std::hint::black_box((e, a, b, c));
        }
        batches.push(t.elapsed() / rounds);
    }
    let secp_per = batches.iter().min().copied().unwrap_or_default();
    report.row(
        "responder CPU per handshake+init",
        format!(
            "p50 {:.0} µs (mean {:.0}, p99 {:.0}) → single-core bound {:.0}/s; both sides {:.0} µs mean",
            s.p50.as_secs_f64() * 1e6,
            per.as_secs_f64() * 1e6,
            s.p99.as_secs_f64() * 1e6,
            1.0 / s.p50.as_secs_f64(),
            both.as_secs_f64() * 1e6 / n as f64
        ),
    );
    report.row(
        "responder secp256k1 alone",
        format!(
            "{:.0} µs, fastest of 10 batches (2 key parses + 3 ECDH + 1 key generation) → {:.0}/s",
            secp_per.as_secs_f64() * 1e6,
            1.0 / secp_per.as_secs_f64()
        ),
    );
    report.put(
        "bound",
        json!({"handshakes": n, "responder_p50_us": s.p50.as_secs_f64() * 1e6,
               "responder_mean_us": per.as_secs_f64() * 1e6,
               "responder_per_s": 1.0 / s.p50.as_secs_f64(),
               "both_sides_us": both.as_secs_f64() * 1e6 / n as f64,
               "secp_us": secp_per.as_secs_f64() * 1e6}),
    );
    Ok(())
}
