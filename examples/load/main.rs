//! Load tool: drives a real `lnshell` on 127.0.0.1 and measures it.
//!
//! ```sh
//! cargo build --release && cargo run --release --example load -- --help
//! cargo run --release --example load                       # defaults: well under a minute
//! cargo run --release --example load -- --idle-netcat 1000 --idle-peers 1000
//! cargo run --release --example load -- --phases peers --peers 200 --timeout 600
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
//!   `: ok`, then `pong: …` after a ping, and `-> node: channel_update as typed` after a
//!   channel_update, which the session, a peer of the node, hands to it). Throughput and
//!   per-line latency.
//! * `handshakes`: BOLT 8 handshakes with the `init` exchange, made by LDK's own
//!   `PeerManager` on the client side (one fresh node key per handshake, so the shell's
//!   duplicate-connection rule never interferes): first one after another, then with C in
//!   flight. Latency is TCP connect → `peer_by_node_id` is `Some` (the client got the
//!   shell's `init`); the shell's own `[peer] … connected to us` events are counted too, so
//!   a handshake the shell refused after sending its `init` is not counted as a success.
//! * `idle`: in a fresh shell, hold I netcat sessions; in another, P lightning peers; in a
//!   third, both at once. RSS per idle connection = (RSS with them − RSS before) / count.
//! * `pipe`: no node. `lnshell decode HEX` start-up against the node's (`--exec`), and
//!   `--pipe-mb` MiB of hex lines streamed through `lnshell decode --json`: peak RSS, and
//!   whether output began before the input ended.
//! * `peers` (not in the default list): in a fresh shell, N netcat sessions at once, each
//!   a real peer (its "your side" a second LDK node in the shell), each carrying a channel
//!   through its whole life: open and fund (in waves below LDK's limit on peers with
//!   unfunded channels, a block mined between waves), `mine 6`, `channel_ready`, a payment
//!   to the node with the whole commitment dance, a cooperative close. Every step of every
//!   session is checked, and the shell's `channels --json` and events after each stage.
//!   Wall time and shell CPU per stage, CPU per channel life, RSS per session's node.
//!
//! * `soak` (not in the default list): `--minutes N` of all of it at once in one shell
//!   (netcat sessions pasting, BOLT 8 peers connecting, pinging and leaving, channel lives
//!   with `mine`, `trace on` and `diagram`), sampled every minute: RSS, fds, threads,
//!   connections, and what `info --json` says the shell holds; then every request sent vs
//!   answered, channels opened vs closed, panics, and each sample's growth.
//!
//! Throughout, `info --json` is sent to the shell's stdin every `--info-interval-ms`, and
//! the time until its JSON line comes back is recorded per phase. The shell's RSS, peak RSS
//! (VmHWM) and CPU time come from /proc. Everything goes to 127.0.0.1 only, and the run
//! stops by itself after `--timeout` seconds at the latest.

mod bound;
mod client;
mod handshakes;
mod idle;
#[path = "../../tests/common/ldk_client.rs"]
mod ldk_client;
mod netcat;
mod peers;
mod pipe;
mod probe;
#[path = "../../tests/common/process.rs"]
mod process;
mod shell;
mod soak;
mod startup;
mod stats;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use serde_json::{json, Value};

use probe::Prober;
use shell::{kill_all_children, Shell};
use stats::ms;

/// Any single network step (connect, one reply line, one handshake) that takes longer fails.
const STEP_TIMEOUT: Duration = Duration::from_secs(10);

/// Load generator for lnshell: netcat sessions, BOLT 8 handshakes, idle connections,
/// netcat peers carrying whole channel lives, start-up time, and `info` latency
/// meanwhile. Talks to 127.0.0.1 only; stops by itself.
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
        default_value = "bound,startup,netcat,handshakes,idle,pipe"
    )]
    phases: Vec<Phase>,

    /// Fresh shells to start (and quit) for the start-up figure (also the runs of each
    /// start-up in the `pipe` phase)
    #[arg(long, default_value_t = 5, value_name = "N")]
    startup_runs: usize,

    /// MiB of hex lines streamed through `lnshell decode --json` in the `pipe` phase
    #[arg(long, default_value_t = 16, value_name = "MIB")]
    pipe_mb: u64,

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

    /// `peers`: netcat sessions, each carrying one channel through its whole life
    #[arg(long, default_value_t = 200, value_name = "N")]
    peers: usize,

    /// `peers`: sessions opening at once, each wave followed by `mine --peers-wave-blocks`.
    /// LDK 0.2.7 refuses inbound channels from new peers once 50 peers have only unfunded
    /// channels with it (`MAX_UNFUNDED_CHANNEL_PEERS`), and a funding with no confirmation
    /// yet still counts as unfunded: keep this at 50 or below
    #[arg(long, default_value_t = 40, value_name = "C")]
    peers_inflight: usize,

    /// `peers`: blocks mined after each wave of opens (the fundings' first confirmation
    /// frees LDK's slots); 0 shows LDK's refusal once more than 50 wait
    #[arg(long, default_value_t = 1, value_name = "B")]
    peers_wave_blocks: u32,

    /// `peers`: what each session pays the node, in msat
    #[arg(long, default_value_t = 10_000, value_name = "MSAT")]
    peers_pay_msat: u64,

    /// `peers`: times to run the whole phase in the same shell (RSS after each round shows
    /// whether what the channel lives leave behind grows)
    #[arg(long, default_value_t = 1, value_name = "R")]
    peers_rounds: usize,

    /// `peers`: each channel's funding, in sat
    #[arg(long, default_value_t = 100_000, value_name = "SAT")]
    peers_funding_sat: u64,

    /// `soak`: how long, in minutes (the run's --timeout grows to fit)
    #[arg(long, default_value_t = 2, value_name = "N")]
    minutes: u64,

    /// `soak`: netcat sessions pasting lines at once (each leaves and comes back)
    #[arg(long, default_value_t = 4, value_name = "N")]
    soak_netcat: usize,

    /// `soak`: lines each netcat session pastes before it leaves
    #[arg(long, default_value_t = 20, value_name = "K")]
    soak_lines: usize,

    /// `soak`: BOLT 8 peers connecting, pinging and leaving at once
    #[arg(long, default_value_t = 2, value_name = "N")]
    soak_bolt8: usize,

    /// `soak`: channel lives at a time (open, `mine 6`, pay, close; then the next)
    #[arg(long, default_value_t = 3, value_name = "N")]
    soak_channels: usize,

    /// `soak`: blocks mined after each round of channel lives. LDK lets a closed
    /// channel's monitor go only 4032 blocks after its funds are claimed
    /// (ARCHIVAL_DELAY_BLOCKS); 0 mines only the rounds' `mine 6`, and monitors pile up.
    /// `mine` runs on the shell's command thread, so `info` waits behind it: more blocks
    /// a round, a slower `info` now and then
    #[arg(long, default_value_t = 200, value_name = "B")]
    soak_blocks: u32,

    /// `soak`: seconds between rounds of channel lives
    #[arg(long, default_value_t = 2, value_name = "S")]
    soak_pause: u64,

    /// `soak`: minutes of warm-up. Whether RSS, its heap, fds and threads stay flat
    /// (growth < 10 %) is judged from this minute to the end, in a run at least three
    /// times as long; a shorter run is judged from minute 2 (1 under 3 minutes). The
    /// growth from minute 2 is printed either way. Under the soak's load the node settles
    /// in about 9 minutes: LDK's table of channel monitors reaches its size, and the
    /// allocator its arenas (README, "Reliability")
    #[arg(long, default_value_t = 10, value_name = "MIN")]
    soak_warmup: u64,

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
    /// No node: `lnshell decode` start-up against the node's, and a large stream's RSS
    Pipe,
    /// N netcat sessions, each a peer: open, fund, `mine 6`, pay the node, close
    Peers,
    /// `--minutes N` of everything at once, sampled every minute (see `soak.rs`)
    Soak,
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
    // A soak runs for its minutes, then winds down: the hard limit makes room for it.
    let timeout = if opts.phases.contains(&Phase::Soak) {
        opts.timeout.max(opts.minutes * 60 + 180)
    } else {
        opts.timeout
    };
    let deadline = Instant::now() + Duration::from_secs(timeout);
    spawn_watchdog(Duration::from_secs(timeout) + Duration::from_secs(15));
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
        timeout
    );
    for phase in opts.phases.clone() {
        if Instant::now() >= deadline {
            report.fail(format!("hard timeout: phase {phase:?} not started"));
            break;
        }
        let result = match phase {
            Phase::Startup => startup::startup_phase(&bin, &opts, deadline, &mut report),
            Phase::Netcat => load_shell(&bin, &opts, deadline, &rt, &mut report, true),
            Phase::Handshakes => load_shell(&bin, &opts, deadline, &rt, &mut report, false),
            Phase::Idle => idle::idle_phase(&bin, &opts, deadline, &rt, &mut report),
            Phase::Bound => bound::bound_phase(&opts, deadline, &mut report),
            Phase::Pipe => pipe::pipe_phase(&bin, &opts, deadline, &mut report),
            Phase::Peers => peers::peers_phase(&bin, &opts, deadline, &rt, &mut report),
            Phase::Soak => soak::soak_phase(&bin, &opts, deadline, &rt, &mut report),
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
        + opts.handshake_concurrency
        + if opts.phases.contains(&Phase::Peers) {
            opts.peers
        } else {
            0
        }) as u64
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
// One shell, `info` probed throughout: the netcat load or the handshakes
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
        netcat::netcat_phase(&shell, opts, deadline, rt, report)
    } else {
        handshakes::handshake_phases(&shell, opts, deadline, rt, report, &prober)
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
