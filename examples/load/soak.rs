//! Phase `soak` (not in the default list): one shell, for `--minutes N`, under every kind
//! of traffic at once, all on 127.0.0.1 and bounded in rate:
//!
//! * `--soak-netcat` netcat sessions, each pasting `--soak-lines` hex lines (ping and
//!   channel_update by turns, every reply checked as in the `netcat` phase), then leaving
//!   and coming back;
//! * `--soak-bolt8` BOLT 8 peers (LDK's `PeerManager` as the client, each with one node
//!   key for the run, a fresh `PeerManager` each time): connect (handshake and `init`),
//!   ping twice, leave, again. A ping counts
//!   as answered when the client's `PeerManager` keeps the peer through its next
//!   `timer_tick_occurred`: LDK drops a peer whose pong has not come by then;
//! * channel lives, `--soak-channels` at a time: netcat sessions that are peers open and
//!   fund a channel each (`open_channel`, `funding_created`), the tool types `mine 6` in
//!   the shell, then `channel_ready`, a payment to the node with its whole commitment
//!   dance, a cooperative close, and the sessions leave (the flow of the `peers` phase
//!   and `tests/netcat_peer.rs`); then `mine --soak-blocks` (200), which confirms the
//!   closings and lets LDK's archival delay pass (a closed channel's monitor is freed
//!   4032 blocks after its funds are claimed), and `--soak-pause` seconds;
//! * every 20 s `trace on`, 5 s later `diagram --last 40`, then `trace off`;
//! * `info --json` every `--info-interval-ms` (50 ms), timed.
//!
//! Every minute (and at the start) it samples the shell: RSS (and its anonymous part,
//! the heap: the rest is mostly the binary's code, paged in as it first runs) and open file descriptors
//! from /proc, threads, and from `info --json` the connections and what the shell holds
//! (`held`: channels, recorded messages, pending events, sessions' nodes, side keys
//! waiting, chain followers, mempool, transactions the chain remembers, tokio tasks); each sample is printed as it is
//! taken, the whole table at the end. Then: requests sent vs answered (of every kind),
//! channels opened vs closed, panics (the shell's stderr searched for "panicked"), the
//! growth of each sample from minute 2 (minute 1 when N < 3) to the end; the growth of
//! RSS, its heap, fds and threads after the warm-up (`--soak-warmup`, 10 minutes, in a
//! run of 30 or more), which is what is judged; and for a run of 10 minutes or more,
//! over its second half alone (a reading: an allocator still settling shows in the
//! first, a leak in all three); and `info` p50/p99. Targets: RSS, heap, fds and threads
//! grow < 10 % after the warm-up, 0 panics, every request answered, `info` p99 < 50 ms.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bitcoin::secp256k1::rand::{self, RngCore};
use bitcoin::secp256k1::PublicKey;
use serde_json::{json, Value};

use crate::client::{client_features, close, handshake};
use crate::netcat::{netcat_script, netcat_session};
use crate::peers::{channels_until, check, mine, run_all, PeerSession};
use crate::probe::Prober;
use crate::shell::{count, Shell};
use crate::stats::{mb, ms};
use crate::{LineKind, Opts, Report, STEP_TIMEOUT};

/// What the workers did, counted as they go.
#[derive(Default)]
struct Tally {
    nc_sessions: AtomicU64,
    nc_sent: AtomicU64,
    nc_answered: AtomicU64,
    bolt8_tried: AtomicU64,
    bolt8_done: AtomicU64,
    pings_sent: AtomicU64,
    pings_answered: AtomicU64,
    opened: AtomicU64,
    paid: AtomicU64,
    closed: AtomicU64,
    /// Sessions that started a channel life (each should end `closed`).
    lives: AtomicU64,
    mines_sent: AtomicU64,
    trace_on_sent: AtomicU64,
    trace_off_sent: AtomicU64,
    diagrams_sent: AtomicU64,
    errors: AtomicU64,
    first_errors: Mutex<Vec<String>>,
}

impl Tally {
    fn error(&self, what: &str, e: &str) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let mut first = self.first_errors.lock().unwrap_or_else(|p| p.into_inner());
        if first.len() < 5 {
            first.push(format!("{what}: {e}"));
        }
        println!("  soak: {what} failed: {e}");
    }
}

fn bump(c: &AtomicU64, n: u64) {
    c.fetch_add(n, Ordering::Relaxed);
}

/// One minute's reading of the shell.
#[derive(Clone, Debug)]
struct Sample {
    minute: u64,
    rss_kb: u64,
    /// RssAnon: the heap and stacks; the rest of RSS is files mapped in, mostly the
    /// binary's code, which grows as code paths first run and is bounded by its size.
    anon_kb: u64,
    fds: u64,
    threads: u64,
    lightning: u64,
    netcat: u64,
    tasks: u64,
    channels: u64,
    monitors: u64,
    recorded: u64,
    recorded_peers: u64,
    events_pending: u64,
    session_nodes: u64,
    side_keys: u64,
    followers: u64,
    rebuilds: u64,
    claims: u64,
    mempool: u64,
    chain_txs: u64,
    height: u64,
}

/// The columns of the table: name, value, and whether it is meant to stay flat (the
/// rest follow the load of the moment: connections, events waiting, the height).
const COLUMNS: [(&str, bool); 21] = [
    ("min", false),
    ("RSS MiB", true),
    ("anon MiB", true),
    ("fds", true),
    ("threads", true),
    ("ln", false),
    ("nc", false),
    ("tasks", false),
    ("chans", false),
    ("monitors", false),
    ("recorded", false),
    ("rec.peers", false),
    ("ev.queue", false),
    ("nodes", false),
    ("keys", false),
    ("followers", false),
    ("rebuilds", false),
    ("claims", false),
    ("mempool", false),
    ("chain.tx", false),
    ("height", false),
];

/// Each column's growth from `b` to `l`, in %, with whether it is meant to stay flat
/// (infinite from zero to more).
fn growth(b: &Sample, l: &Sample) -> Vec<(&'static str, bool, f64)> {
    let (bv, lv) = (b.values(), l.values());
    COLUMNS
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, (name, flat))| {
            let g = if bv[i] == 0.0 {
                if lv[i] == 0.0 {
                    0.0
                } else {
                    f64::INFINITY
                }
            } else {
                (lv[i] - bv[i]) / bv[i] * 100.0
            };
            (*name, *flat, g)
        })
        .collect()
}

impl Sample {
    fn take(shell: &Shell, minute: u64) -> Result<Sample, String> {
        let (rss_kb, _) = shell.memory()?;
        let anon_kb = crate::process::proc_status_kb(shell.pid, "RssAnon:").unwrap_or(0);
        let fds = std::fs::read_dir(format!("/proc/{}/fd", shell.pid))
            .map_err(|e| format!("reading /proc/{}/fd: {e}", shell.pid))?
            .count() as u64;
        let threads = crate::process::proc_status_kb(shell.pid, "Threads:").unwrap_or(0);
        let (_, v) = shell.info()?;
        let held = |k: &str| v["held"][k].as_u64().unwrap_or(0);
        Ok(Sample {
            minute,
            rss_kb,
            anon_kb,
            fds,
            threads,
            lightning: v["peers"]["lightning"].as_u64().unwrap_or(0),
            netcat: v["peers"]["netcat"].as_u64().unwrap_or(0),
            tasks: held("tasks"),
            channels: held("channels"),
            monitors: held("monitors"),
            recorded: held("recorded_messages"),
            recorded_peers: held("recorded_peers"),
            events_pending: held("events_pending"),
            session_nodes: held("session_nodes"),
            side_keys: held("side_keys"),
            followers: held("chain_followers"),
            rebuilds: held("manager_rebuilds"),
            claims: held("claims_remembered"),
            mempool: held("mempool"),
            chain_txs: held("chain_txs"),
            height: held("height"),
        })
    }

    fn values(&self) -> [f64; 21] {
        [
            self.minute as f64,
            mb(self.rss_kb),
            mb(self.anon_kb),
            self.fds as f64,
            self.threads as f64,
            self.lightning as f64,
            self.netcat as f64,
            self.tasks as f64,
            self.channels as f64,
            self.monitors as f64,
            self.recorded as f64,
            self.recorded_peers as f64,
            self.events_pending as f64,
            self.session_nodes as f64,
            self.side_keys as f64,
            self.followers as f64,
            self.rebuilds as f64,
            self.claims as f64,
            self.mempool as f64,
            self.chain_txs as f64,
            self.height as f64,
        ]
    }

    fn row(&self) -> String {
        let v = self.values();
        let mut out = String::new();
        for (i, (name, _)) in COLUMNS.iter().enumerate() {
            let w = name.len().max(6);
            let cell = if i == 1 || i == 2 {
                format!("{:.1}", v[i])
            } else {
                format!("{:.0}", v[i])
            };
            out.push_str(&format!("{cell:>w$} "));
        }
        out
    }

    fn json(&self) -> Value {
        json!({"minute": self.minute, "rss_kb": self.rss_kb, "anon_kb": self.anon_kb, "fds": self.fds,
               "threads": self.threads, "lightning": self.lightning, "netcat": self.netcat,
               "tasks": self.tasks, "channels": self.channels, "monitors": self.monitors, "recorded_messages": self.recorded,
               "recorded_peers": self.recorded_peers, "events_pending": self.events_pending,
               "session_nodes": self.session_nodes, "side_keys": self.side_keys,
               "chain_followers": self.followers, "manager_rebuilds": self.rebuilds, "claims_remembered": self.claims,
               "mempool": self.mempool, "chain_txs": self.chain_txs, "height": self.height})
    }
}

fn header() -> String {
    let mut out = String::new();
    for (name, _) in COLUMNS {
        let w = name.len().max(6);
        out.push_str(&format!("{name:>w$} "));
    }
    out
}

/// Sleeps up to `d`, in short steps, returning early once `stop` is set.
fn nap(stop: &AtomicBool, d: Duration) {
    let until = Instant::now() + d;
    while !stop.load(Ordering::Relaxed) {
        let now = Instant::now();
        if now >= until {
            return;
        }
        std::thread::sleep((until - now).min(Duration::from_millis(100)));
    }
}

async fn async_nap(stop: &AtomicBool, d: Duration) {
    let until = tokio::time::Instant::now() + d;
    while !stop.load(Ordering::Relaxed) {
        let now = tokio::time::Instant::now();
        if now >= until {
            return;
        }
        tokio::time::sleep((until - now).min(Duration::from_millis(100))).await;
    }
}

/// A netcat session that pastes `lines` lines, leaves, and comes back, until `stop`.
async fn paster(
    addr: std::net::SocketAddr,
    lines: usize,
    offset: usize,
    stop: Arc<AtomicBool>,
    tally: Arc<Tally>,
) {
    let script = netcat_script(LineKind::Mixed);
    while !stop.load(Ordering::Relaxed) {
        bump(&tally.nc_sessions, 1);
        bump(&tally.nc_sent, lines as u64);
        match netcat_session(addr, &script, offset, lines).await {
            Ok(l) => bump(&tally.nc_answered, l.len() as u64),
            Err(e) => tally.error("netcat session", &e),
        }
        async_nap(&stop, Duration::from_millis(200)).await;
    }
}

/// A BOLT 8 peer that connects, pings twice and leaves, again and again, as itself:
/// one node key for its whole run, as a real peer that comes back. (A stranger per
/// connection would fill the shell's record with one-message conversations until its
/// 20 000-message bound, half an hour at this rate: a warm-up, not a leak, but one that
/// hides the flat line this soak is there to show.)
async fn bolt8_peer(
    server: PublicKey,
    addr: std::net::SocketAddr,
    nagle: bool,
    stop: Arc<AtomicBool>,
    tally: Arc<Tally>,
) {
    let features = client_features();
    let mut seed = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut seed);
    while !stop.load(Ordering::Relaxed) {
        bump(&tally.bolt8_tried, 1);
        // A client that keeps LDK's log: its PeerManager logs each pong it receives.
        let client = logging_client(&features, seed);
        let conn = match handshake(client, server, addr, nagle).await {
            Ok((conn, _)) => conn,
            Err(e) => {
                tally.error("BOLT 8 handshake", &e);
                async_nap(&stop, Duration::from_millis(500)).await;
                continue;
            }
        };
        bump(&tally.bolt8_done, 1);
        let (pm, log) = (&conn.client.pm, &conn.client.log);
        // A timer tick sends a ping (LDK's PeerManager pings on each tick once the last
        // pong came); the pong shows in the client's log. Answered = that line, within
        // STEP_TIMEOUT.
        for k in 1..=2 {
            pm.timer_tick_occurred();
            pm.process_events();
            bump(&tally.pings_sent, 1);
            let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
            while log.count(PONG_LOGGED) < k && tokio::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            if log.count(PONG_LOGGED) >= k && pm.peer_by_node_id(&server).is_some() {
                bump(&tally.pings_answered, 1);
            } else {
                // Say which it was, with the client's last words: LDK logs why it drops
                // a peer only at trace level, which the shell keeps in memory alone.
                let why = format!(
                    "{} within {} s; the client's last log lines: {}",
                    if pm.peer_by_node_id(&server).is_some() {
                        "no pong, the peer still connected,"
                    } else {
                        "the peer dropped"
                    },
                    STEP_TIMEOUT.as_secs(),
                    log.tail(6).join(" | ")
                );
                tally.error("BOLT 8 ping", &why);
                break;
            }
        }
        close(&conn, server).await;
        async_nap(&stop, Duration::from_millis(200)).await;
    }
}

/// What LDK's `PeerManager` logs (at trace level) for each pong it receives.
const PONG_LOGGED: &str = "Received message Pong";

/// A client with the node key of `seed` (and a fresh handshake key), keeping its log.
fn logging_client(
    features: &lightning::types::features::InitFeatures,
    seed: [u8; 32],
) -> crate::client::Client {
    crate::client::client_with_seed(
        features,
        seed,
        Arc::new(crate::ldk_client::LogRecorder::default()),
    )
}

/// Rounds of channel lives, `n` at a time, until `stop`.
fn channel_lives(
    shell: &Shell,
    rt: &tokio::runtime::Runtime,
    opts: &Opts,
    n: usize,
    stop: &AtomicBool,
    tally: &Tally,
    hard: Instant,
) {
    let addr = shell.addr;
    let funding = opts.peers_funding_sat;
    let msat = opts.peers_pay_msat;
    let mut index = 0;
    while !stop.load(Ordering::Relaxed) {
        let mut round = || -> Result<(), String> {
            let connected = rt.block_on(async {
                let tasks: Vec<_> = (0..n)
                    .map(|i| tokio::spawn(PeerSession::connect(addr, index + i)))
                    .collect();
                let mut ok = Vec::new();
                for t in tasks {
                    match t.await {
                        Ok(Ok(s)) => ok.push(s),
                        Ok(Err(e)) => return Err(e),
                        Err(e) => return Err(format!("task failed: {e}")),
                    }
                }
                Ok(ok)
            })?;
            index += n;
            bump(&tally.lives, n as u64);
            let run = run_all(rt, connected, hard, move |mut s| async move {
                let r = s.open_and_fund(funding).await;
                (s, r)
            });
            bump(&tally.opened, run.ok.len() as u64);
            check(&run, "open")?;
            bump(&tally.mines_sent, 1);
            mine(shell, 6, hard)?;
            let run = run_all(rt, run.ok, hard, |mut s| async move {
                let r = s.make_ready().await;
                (s, r)
            });
            check(&run, "channel_ready")?;
            let run = run_all(rt, run.ok, hard, move |mut s| async move {
                let r = s.pay(msat).await;
                (s, r)
            });
            bump(&tally.paid, run.ok.len() as u64);
            check(&run, "pay")?;
            let run = run_all(rt, run.ok, hard, |mut s| async move {
                let r = s.close().await;
                (s, r)
            });
            bump(&tally.closed, run.ok.len() as u64);
            check(&run, "close")?;
            channels_until(shell, hard, <[Value]>::is_empty)?;
            drop(run);
            if opts.soak_blocks > 0 {
                bump(&tally.mines_sent, 1);
                mine(shell, opts.soak_blocks, hard)?;
            }
            Ok(())
        };
        if let Err(e) = round() {
            tally.error("channel life", &e);
            // What a failed round left open is closed by the sessions leaving; the
            // shell must still answer, and the next round starts clean.
            nap(stop, Duration::from_secs(5));
        }
        nap(stop, Duration::from_secs(opts.soak_pause));
    }
    // The last closings to a block, so the mempool the final sample sees is empty.
    bump(&tally.mines_sent, 1);
    if let Err(e) = mine(shell, 1, hard) {
        tally.error("the last mine", &e);
    }
}

/// `trace on`, `diagram --last 40` a little later, `trace off`; every 20 s.
fn tracer(shell: &Shell, stop: &AtomicBool, tally: &Tally) {
    nap(stop, Duration::from_secs(7));
    while !stop.load(Ordering::Relaxed) {
        let send = |line: &str, c: &AtomicU64| match shell.send(line) {
            Ok(()) => bump(c, 1),
            Err(e) => tally.error(line, &e),
        };
        send("trace on", &tally.trace_on_sent);
        std::thread::sleep(Duration::from_secs(5));
        send("diagram --last 40", &tally.diagrams_sent);
        std::thread::sleep(Duration::from_secs(1));
        send("trace off", &tally.trace_off_sent);
        nap(stop, Duration::from_secs(14));
    }
}

pub fn soak_phase(
    bin: &Path,
    opts: &Opts,
    deadline: Instant,
    rt: &tokio::runtime::Runtime,
    report: &mut Report,
) -> Result<(), String> {
    let minutes = opts.minutes.max(1);
    println!(
        "\n== soak: {minutes} min; {} netcat sessions pasting {} lines each, {} BOLT 8 peers \
         connecting and pinging, {} channel lives at a time, trace and diagram every 20 s, \
         info every {} ms (fresh shell) ==",
        opts.soak_netcat,
        opts.soak_lines,
        opts.soak_bolt8,
        opts.soak_channels,
        opts.info_interval_ms
    );
    let shell = Arc::new(Shell::spawn(bin)?);
    let prober = Prober::start(
        &shell,
        Duration::from_millis(opts.info_interval_ms),
        deadline,
    );
    prober.set("soak");
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Tally::default());
    let start = Instant::now();
    let mut samples = vec![Sample::take(&shell, 0)?];
    println!("  {}", header());
    println!("  {}", samples[0].row());

    let mut tasks = Vec::new();
    for i in 0..opts.soak_netcat {
        tasks.push(rt.spawn(paster(
            shell.addr,
            opts.soak_lines,
            i,
            Arc::clone(&stop),
            Arc::clone(&tally),
        )));
    }
    for _ in 0..opts.soak_bolt8 {
        tasks.push(rt.spawn(bolt8_peer(
            shell.node_id,
            shell.addr,
            opts.client_nagle,
            Arc::clone(&stop),
            Arc::clone(&tally),
        )));
    }
    let sample_error = std::thread::scope(|scope| {
        let lives = (opts.soak_channels > 0).then(|| {
            scope.spawn(|| {
                channel_lives(
                    &shell,
                    rt,
                    opts,
                    opts.soak_channels,
                    &stop,
                    &tally,
                    deadline,
                )
            })
        });
        let trace = scope.spawn(|| tracer(&shell, &stop, &tally));
        // A sample that fails (the shell did not answer `info` within 5 s) is said and
        // counted, and the soak goes on: one stall must not end an hour's run.
        let mut err = None;
        for minute in 1..=minutes {
            let at = start + Duration::from_secs(60 * minute);
            while Instant::now() < at && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(200));
            }
            match Sample::take(&shell, minute) {
                Ok(s) => {
                    println!("  {}", s.row());
                    samples.push(s);
                }
                Err(e) => {
                    println!("  minute {minute}: no sample: {e}");
                    err.get_or_insert_with(|| format!("minute {minute}: {e}"));
                    // A shell that died will not answer again: say how, keep what it
                    // left, and end the soak now rather than print an empty hour.
                    if let Some(death) = shell.post_mortem() {
                        println!("  {death}");
                        err = Some(format!("minute {minute}: {death}"));
                        break;
                    }
                }
            }
        }
        stop.store(true, Ordering::Relaxed);
        if let Some(h) = lives {
            let _ = h.join();
        }
        let _ = trace.join();
        err
    });
    rt.block_on(async {
        for t in tasks {
            let _ = tokio::time::timeout(Duration::from_secs(30), t).await;
        }
    });
    // Let the printer catch up, then count what the shell answered.
    std::thread::sleep(Duration::from_secs(2));
    let wall = start.elapsed();
    let during = prober.combined("soak", &[]);
    let probes_lost = prober.lost.load(Ordering::Relaxed) as u64;
    let c = &shell.counters;
    let t = &*tally;
    let (rss_end, hwm) = shell.memory()?;

    println!("\n  the table, one sample a minute (ln/nc: connections at that moment):");
    println!("  {}", header());
    for s in &samples {
        println!("  {}", s.row());
    }
    // Growth from minute 2 (1 for a short run) to the last sample.
    let base_minute = if minutes >= 3 { 2 } else { 1 };
    let base = samples.iter().find(|s| s.minute == base_minute);
    let last = samples.last();
    let mut growth_text = Vec::new();
    let mut growth_json = serde_json::Map::new();
    if let (Some(b), Some(l)) = (base, last) {
        for (name, _, g) in growth(b, l) {
            growth_text.push(format!("{name} {g:+.1} %"));
            growth_json.insert(
                name.to_string(),
                json!(if g.is_finite() { Some(g) } else { None }),
            );
        }
    }
    report.row(
        &format!("soak growth, minute {base_minute} → end"),
        growth_text.join(", "),
    );
    // Flat or not is judged after the warm-up (`--soak-warmup`), when the run is long
    // enough to leave most of it after; else from the minute above.
    let judged_minute = if opts.soak_warmup > base_minute && minutes >= 3 * opts.soak_warmup {
        opts.soak_warmup
    } else {
        base_minute
    };
    let judged = samples.iter().find(|s| s.minute == judged_minute);
    let mut flat_ok = true;
    let mut judged_json = serde_json::Map::new();
    if let (Some(j), Some(l)) = (judged, last) {
        let mut text = Vec::new();
        for (name, _, g) in growth(j, l).into_iter().filter(|(_, flat, _)| *flat) {
            if g >= 10.0 {
                flat_ok = false;
            }
            text.push(format!("{name} {g:+.1} %"));
            judged_json.insert(
                name.to_string(),
                json!(if g.is_finite() { Some(g) } else { None }),
            );
        }
        if judged_minute != base_minute {
            report.row(
                &format!("soak growth, minute {judged_minute} (warm-up over) → end"),
                format!("{} (judged: < 10 %)", text.join(", ")),
            );
        }
    } else {
        // No sample at that minute (the shell stopped answering): nothing is flat.
        flat_ok = false;
    }
    // The second half alone, for what is meant to stay flat: an allocator that is still
    // settling at minute 2 (glibc's arenas take minutes under this churn) shows in the
    // first line and not here; a leak shows in both. Not a target, a reading.
    let half = samples.iter().find(|s| s.minute == minutes / 2);
    if let (true, Some(h), Some(l)) = (minutes >= 10, half, last) {
        let text: Vec<String> = growth(h, l)
            .into_iter()
            .filter(|(_, flat, _)| *flat)
            .map(|(name, _, g)| format!("{name} {g:+.1} %"))
            .collect();
        report.row(
            &format!("soak growth, minute {} → end", minutes / 2),
            text.join(", "),
        );
    }
    let stderr = shell
        .stderr
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let panics = stderr.matches("panicked").count();
    let pairs: [(&str, u64, u64); 10] = [
        ("netcat lines", count(&t.nc_sent), count(&t.nc_answered)),
        (
            "BOLT 8 handshakes",
            count(&t.bolt8_tried),
            count(&t.bolt8_done),
        ),
        (
            "BOLT 8 pings",
            count(&t.pings_sent),
            count(&t.pings_answered),
        ),
        (
            "info --json",
            during.n as u64 + probes_lost,
            during.n as u64,
        ),
        ("mine", count(&t.mines_sent), count(&c.mined)),
        ("trace on", count(&t.trace_on_sent), count(&c.trace_on)),
        ("diagram", count(&t.diagrams_sent), count(&c.diagrams)),
        ("trace off", count(&t.trace_off_sent), count(&c.trace_off)),
        ("channel opens", count(&t.lives), count(&t.opened)),
        ("payments", count(&t.opened), count(&t.paid)),
    ];
    let mut all_answered = true;
    let mut answered_text = Vec::new();
    for (name, sent, got) in pairs {
        if sent != got {
            all_answered = false;
        }
        answered_text.push(format!("{name} {got}/{sent}"));
    }
    report.row("soak requests answered/sent", answered_text.join(", "));
    report.row(
        "soak netcat sessions",
        format!(
            "{} sessions; shell's `received` events {}",
            count(&t.nc_sessions),
            count(&c.netcat_received)
        ),
    );
    report.row(
        "soak channels opened / closed",
        format!(
            "{} / {} (the shell printed {} ChannelReady, {} PaymentClaimed, {} ChannelClosed, {} cooperative)",
            count(&t.opened),
            count(&t.closed),
            count(&c.channel_ready),
            count(&c.payment_claimed),
            count(&c.channel_closed),
            count(&c.closed_cooperatively)
        ),
    );
    let p99_ok = during.p99 < Duration::from_millis(50);
    report.row(
        "soak info latency",
        format!(
            "{} (n={}; target p99 < 50 ms: {})",
            during.text(),
            during.n,
            if p99_ok { "met" } else { "MISSED" }
        ),
    );
    report.row(
        "soak RSS end / peak",
        format!(
            "{:.1} / {:.1} MiB over {:.1} min",
            mb(rss_end),
            mb(hwm),
            wall.as_secs_f64() / 60.0
        ),
    );
    report.row(
        "soak panics, errors, events not shown",
        format!(
            "{panics} panics in the shell's stderr; {} failed steps; {} `events not shown` notes",
            count(&t.errors),
            count(&c.events_not_shown)
        ),
    );
    report.put(
        "soak",
        json!({"minutes": minutes, "wall_s": wall.as_secs_f64(),
               "samples": samples.iter().map(Sample::json).collect::<Vec<_>>(),
               "growth_pct_from_minute": base_minute, "growth_pct": growth_json,
               "judged_from_minute": judged_minute, "judged_growth_pct": judged_json,
               "answered": pairs.iter().map(|(n, s, g)| json!({"what": n, "sent": s, "answered": g})).collect::<Vec<_>>(),
               "opened": count(&t.opened), "closed": count(&t.closed),
               "panics": panics, "errors": count(&t.errors),
               "events_not_shown": count(&c.events_not_shown),
               "info": during.json(), "rss_end_kb": rss_end, "peak_kb": hwm}),
    );
    prober.finish(report, "soak_");
    match shell.quit() {
        Ok(d) => report.row("quit", ms(d)),
        Err(e) => report.fail(e),
    }
    if let Some(e) = sample_error {
        report.fail(format!("soak: sampling stopped: {e}"));
    }
    if panics > 0 {
        let first = stderr
            .lines()
            .find(|l| l.contains("panicked"))
            .unwrap_or("");
        report.fail(format!("soak: {panics} panics; the first: {first}"));
    }
    if !flat_ok {
        report.fail(format!(
            "soak: RSS, its anonymous part, fds or threads grew by 10 % or more from minute {judged_minute}"
        ));
    }
    if !all_answered || count(&t.opened) != count(&t.closed) {
        report.fail("soak: not every request was answered, or not every channel closed".into());
    }
    if count(&t.errors) > 0 {
        let first = t
            .first_errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        report.fail(format!(
            "soak: {} failed steps; the first: {}",
            count(&t.errors),
            first.join(" / ")
        ));
    }
    if !p99_ok {
        report.fail(format!("soak: info p99 {} ≥ 50 ms", ms(during.p99)));
    }
    Ok(())
}
