//! Phase `peers`: N netcat sessions at once, each a real peer of the node (its "your
//! side" is a second LDK node in the shell), each carrying a channel through its whole
//! life by the session protocol `tests/netcat_peer.rs` follows: `open_channel` →
//! `funding_created` → (`mine 6` typed into the shell) → `channel_ready` →
//! `update_add_htlc` and the commitment dance until the node's `update_fulfill_htlc` and
//! its last `revoke_and_ack` → `shutdown` → `closing_signed` twice.
//!
//! All N connect at once, and each later stage runs for all N at once, except the opens:
//! LDK 0.2.7's `ChannelManager` refuses an inbound `open_channel` once 50 peers have
//! only unfunded channels with it (`MAX_UNFUNDED_CHANNEL_PEERS`), and an inbound channel
//! whose funding has no confirmation yet still counts as unfunded. So the opens go in
//! waves of `--peers-inflight` (≤ 50, default 40): a wave opens and funds, then the tool
//! types `mine 1` (`--peers-wave-blocks`), which gives those fundings their first
//! confirmation and frees the slots for the next wave. `--peers-wave-blocks 0` shows
//! LDK's refusal instead.
//!
//! Checked: every session gets each message it waits for (and no `error`/`warning` from
//! the node); `channels --json` lists N usable channels after `mine 6`, and the shell
//! printed N `[ldk] ChannelReady`; N `[ldk] PaymentClaimed: received M msat` and each
//! channel's `inbound_msat` down by M; N cooperative `[ldk] ChannelClosed` and no
//! channel left; the shell counts no session after they leave. Measured: wall time and
//! shell CPU per stage, RSS before / with the sessions / with their channels / after they
//! left, peak RSS, CPU per full channel life, and `info` latency per stage.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;

use crate::probe::Prober;
use crate::shell::{count, Counters, Shell};
use crate::stats::{mb, ms, Stats};
use crate::{Opts, Report};

/// One line a session waits for may take this long (a stage's whole load is queued in
/// front of it: 200 sessions' dances on two cores).
const PEER_STEP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the shell may take to show what a stage did (`channels --json`, its event
/// lines).
const SETTLE: Duration = Duration::from_secs(60);
/// LDK 0.2.7's `MAX_UNFUNDED_CHANNEL_PEERS`.
pub const LDK_MAX_UNFUNDED_CHANNEL_PEERS: usize = 50;
/// Lines a session keeps for its error message, and how much of each.
const KEEP: usize = 8;
const LINE_SHOWN: usize = 200;

/// Lines that mean a step went wrong, whatever the session was waiting for.
const FAILURE_MARKS: [&str; 7] = [
    "<- node: error",
    "<- node: warning",
    "your side's LDK refused",
    "your side has no ",
    "your side could not",
    "lnshell: closing",
    "would not take this session as a peer",
];

/// One netcat session, as `tests/netcat_peer.rs`'s `Client`: the lines read since the
/// last line it sent, each matched at most once (the node's lines and your side's notes
/// come in either order).
pub struct PeerSession {
    pub index: usize,
    rd: BufReader<OwnedReadHalf>,
    wr: OwnedWriteHalf,
    seen: Vec<(String, bool)>,
    last: VecDeque<String>,
    /// Your side's node id, from the greeting.
    pub side: String,
}

impl PeerSession {
    /// Connects and reads the greeting (an empty line first, so the shell decides
    /// "netcat" at once instead of after its 500 ms sniff; empty lines are skipped).
    pub async fn connect(addr: SocketAddr, index: usize) -> Result<PeerSession, String> {
        let stream = match tokio::time::timeout(PEER_STEP_TIMEOUT, TcpStream::connect(addr)).await {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => return Err(format!("session {index}: connect: {e}")),
            Err(_) => return Err(format!("session {index}: connect timed out")),
        };
        let _ = stream.set_nodelay(true);
        let (rd, wr) = stream.into_split();
        let mut s = PeerSession {
            index,
            rd: BufReader::new(rd),
            wr,
            seen: Vec::new(),
            last: VecDeque::new(),
            side: String::new(),
        };
        s.send("").await?;
        s.until("lnshell: plaintext session").await?;
        // The greeting is wrapped to fit a terminal: read it to its last line.
        s.until(lnshell::node::netcat::GREETING_END).await?;
        let greeting: String = s.seen.iter().map(|(l, _)| l.as_str()).collect();
        for (_, used) in s.seen.iter_mut() {
            *used = true;
        }
        if !greeting.contains("you are a peer of this node") {
            return Err(format!(
                "session {index}: not a peer: {}",
                greeting.trim_end()
            ));
        }
        s.side = greeting
            .split_whitespace()
            .find(|w| w.len() == 66 && w.chars().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| format!("session {index}: no node id in the greeting: {greeting}"))?
            .to_string();
        Ok(s)
    }

    /// Sends one line; what the session read before it no longer matches.
    pub async fn send(&mut self, line: &str) -> Result<(), String> {
        self.wr
            .write_all(format!("{line}\n").as_bytes())
            .await
            .map_err(|e| format!("session {}: writing `{line}`: {e}", self.index))?;
        self.seen.clear();
        self.remember(format!(">> {line}"));
        Ok(())
    }

    fn remember(&mut self, line: String) {
        if self.last.len() == KEEP {
            self.last.pop_front();
        }
        // The hex column makes an error message unreadable; the summary is enough.
        let mut short = match line.split_once(" | ") {
            Some((head, _)) => format!("{head} | …"),
            None => line.trim_end().to_string(),
        };
        if let Some((cut, _)) = short.char_indices().nth(LINE_SHOWN) {
            short.truncate(cut);
            short.push('…');
        }
        self.last.push_back(short);
    }

    /// The first line since the last `send`, not matched before, that contains
    /// `needle`, reading more as needed. A line with a [`FAILURE_MARKS`] mark fails.
    pub async fn until(&mut self, needle: &str) -> Result<String, String> {
        for (line, used) in self.seen.iter_mut() {
            if !*used && line.contains(needle) {
                *used = true;
                return Ok(line.clone());
            }
        }
        loop {
            let mut line = String::new();
            let read = tokio::time::timeout(PEER_STEP_TIMEOUT, self.rd.read_line(&mut line)).await;
            match read {
                Ok(Ok(n)) if n > 0 => {}
                Ok(Ok(_)) => return Err(self.failed(needle, "the shell closed the session")),
                Ok(Err(e)) => return Err(self.failed(needle, &format!("read: {e}"))),
                Err(_) => {
                    let why = format!("nothing for {} s", PEER_STEP_TIMEOUT.as_secs());
                    return Err(self.failed(needle, &why));
                }
            }
            self.remember(line.clone());
            if let Some(mark) = FAILURE_MARKS.iter().find(|m| line.contains(**m)) {
                // The node's error comes with its words and the rule on the next lines.
                for _ in 0..3 {
                    let mut more = String::new();
                    let next = Duration::from_millis(200);
                    match tokio::time::timeout(next, self.rd.read_line(&mut more)).await {
                        Ok(Ok(n)) if n > 0 => self.remember(more),
                        _ => break,
                    }
                }
                return Err(self.failed(needle, &format!("got `{mark}`")));
            }
            let hit = line.contains(needle);
            self.seen.push((line.clone(), hit));
            if hit {
                return Ok(line);
            }
        }
    }

    fn failed(&self, needle: &str, why: &str) -> String {
        let lines: Vec<&str> = self.last.iter().map(String::as_str).collect();
        format!(
            "session {} waited for {needle:?}: {why}; its last lines: [{}]",
            self.index,
            lines.join(" / ")
        )
    }

    /// `open_channel`, then `funding_created`: done when the node signed the funding.
    pub async fn open_and_fund(&mut self, funding_sat: u64) -> Result<(), String> {
        self.send(&format!("open_channel funding_satoshis={funding_sat}"))
            .await?;
        self.until("-> node: open_channel (type 32").await?;
        self.until("<- node: accept_channel (type 33").await?;
        self.until("your side: funding_created is ready in the outbox")
            .await?;
        self.send("funding_created").await?;
        self.until("-> node: funding_created (type 34").await?;
        self.until("<- node: funding_signed (type 35").await?;
        self.until("in the shell, `mine 6`").await?;
        Ok(())
    }

    /// After `mine 6`: the node's `channel_ready` in, your side's out.
    pub async fn make_ready(&mut self) -> Result<(), String> {
        self.until("<- node: channel_ready (type 36").await?;
        self.until("your side: channel_ready is ready in the outbox")
            .await?;
        self.send("channel_ready").await?;
        self.until("-> node: channel_ready").await?;
        Ok(())
    }

    /// Pays the node `msat`: the whole commitment dance, until the node's last
    /// `revoke_and_ack`.
    pub async fn pay(&mut self, msat: u64) -> Result<(), String> {
        self.send(&format!("update_add_htlc amount_msat={msat}"))
            .await?;
        self.until("-> node: update_add_htlc (type 128").await?;
        self.until("your side: commitment_signed is ready in the outbox")
            .await?;
        self.send("commitment_signed").await?;
        self.until("<- node: revoke_and_ack (type 133").await?;
        self.until("<- node: commitment_signed (type 132").await?;
        self.until("your side: revoke_and_ack is ready in the outbox")
            .await?;
        self.send("revoke_and_ack").await?;
        self.until("<- node: update_fulfill_htlc (type 130").await?;
        self.until("<- node: commitment_signed (type 132").await?;
        self.until("your side: the node claimed your payment")
            .await?;
        self.until("your side: commitment_signed is ready in the outbox")
            .await?;
        self.send("revoke_and_ack").await?;
        self.send("commitment_signed").await?;
        self.until("<- node: revoke_and_ack (type 133").await?;
        Ok(())
    }

    /// A cooperative close: `shutdown` both ways, then `closing_signed` twice.
    pub async fn close(&mut self) -> Result<(), String> {
        self.send("shutdown").await?;
        self.until("<- node: shutdown (type 38").await?;
        self.until("your side: closing_signed is ready in the outbox")
            .await?;
        self.send("closing_signed").await?;
        self.until("<- node: closing_signed (type 39").await?;
        self.until("your side: closing_signed is ready in the outbox")
            .await?;
        self.send("closing_signed").await?;
        self.until("-> node: closing_signed").await?;
        Ok(())
    }
}

/// What one stage of every session did.
pub struct StageRun {
    pub ok: Vec<PeerSession>,
    pub errors: Vec<String>,
    /// Each successful session's time for the stage.
    pub times: Vec<Duration>,
}

/// Runs `step` on every session at once; returns the sessions that made it.
pub fn run_all<F, Fut>(
    rt: &tokio::runtime::Runtime,
    sessions: Vec<PeerSession>,
    deadline: Instant,
    step: F,
) -> StageRun
where
    F: Fn(PeerSession) -> Fut,
    Fut: std::future::Future<Output = (PeerSession, Result<(), String>)> + Send + 'static,
{
    rt.block_on(async {
        let tasks: Vec<_> = sessions
            .into_iter()
            .map(|s| {
                let fut = step(s);
                tokio::spawn(async move {
                    let t0 = Instant::now();
                    let (s, r) = fut.await;
                    (s, r, t0.elapsed())
                })
            })
            .collect();
        let mut run = StageRun {
            ok: Vec::new(),
            errors: Vec::new(),
            times: Vec::new(),
        };
        for t in tasks {
            match tokio::time::timeout_at(deadline.into(), t).await {
                Ok(Ok((s, Ok(()), d))) => {
                    run.ok.push(s);
                    run.times.push(d);
                }
                Ok(Ok((_, Err(e), _))) => run.errors.push(e),
                Ok(Err(e)) => run.errors.push(format!("task failed: {e}")),
                Err(_) => run.errors.push("hard timeout (--timeout)".into()),
            }
        }
        run.ok.sort_by_key(|s| s.index);
        run
    })
}

/// Polls `done` every 20 ms until it holds, `limit` passes or the run's deadline does.
pub fn wait_until(limit: Duration, deadline: Instant, done: impl FnMut() -> bool) -> bool {
    wait_every(Duration::from_millis(20), limit, deadline, done)
}

fn wait_every(
    poll: Duration,
    limit: Duration,
    deadline: Instant,
    mut done: impl FnMut() -> bool,
) -> bool {
    let until = (Instant::now() + limit).min(deadline);
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= until {
            return false;
        }
        std::thread::sleep(poll);
    }
}

/// Polls `channels --json` until `done` holds for the list; returns the last list.
pub fn channels_until(
    shell: &Shell,
    deadline: Instant,
    done: impl Fn(&[Value]) -> bool,
) -> Result<Vec<Value>, String> {
    let mut last = Vec::new();
    let mut err = None;
    let ok = wait_until(SETTLE, deadline, || match shell.channels() {
        Ok(list) => {
            let hit = done(&list);
            last = list;
            hit
        }
        Err(e) => {
            err = Some(e);
            false
        }
    });
    match (ok, err) {
        (true, _) => Ok(last),
        (false, Some(e)) if last.is_empty() => Err(e),
        _ => Err(format!(
            "after {} s `channels --json` shows {} channels, in states {:?}",
            SETTLE.as_secs(),
            last.len(),
            states(&last)
        )),
    }
}

/// How many channels are in each state.
fn states(list: &[Value]) -> Vec<(String, usize)> {
    let mut by: HashMap<String, usize> = HashMap::new();
    for c in list {
        let s = c["state"].as_str().unwrap_or("?").to_string();
        *by.entry(s).or_default() += 1;
    }
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort();
    v
}

/// Types `mine n` and waits for its answer; returns how long the shell took to answer.
pub fn mine(shell: &Shell, n: u32, deadline: Instant) -> Result<Duration, String> {
    let before = count(&shell.counters.mined);
    let t0 = Instant::now();
    shell.send(&format!("mine {n}"))?;
    let poll = Duration::from_micros(500);
    if wait_every(poll, SETTLE, deadline, || {
        count(&shell.counters.mined) > before
    }) {
        Ok(t0.elapsed())
    } else {
        Err(format!(
            "no answer to `mine {n}` within {} s",
            SETTLE.as_secs()
        ))
    }
}

/// One stage's figures.
struct Stage {
    name: &'static str,
    wall: Duration,
    cpu: Duration,
    per_session: Option<Stats>,
}

/// Everything the phase measured, filled in as it goes.
#[derive(Default)]
struct Figures {
    stages: Vec<Stage>,
    rss_connected: Option<u64>,
    rss_open: Option<u64>,
    rss_ready: Option<u64>,
    rss_closed: Option<u64>,
    rss_gone: Option<u64>,
    /// Shell CPU from before the first connect to the last close.
    cpu_life: Option<Duration>,
    mine_answer: Vec<(u32, Duration)>,
    waves: usize,
    /// First connect → the shell counts no session.
    wall_life: Option<Duration>,
}

impl Figures {
    fn stage(&mut self, name: &'static str, t0: Instant, cpu0: Duration, shell: &Shell) {
        self.stages.push(Stage {
            name,
            wall: t0.elapsed(),
            cpu: shell.cpu().saturating_sub(cpu0),
            per_session: None,
        });
    }
    fn times(&mut self, times: &[Duration]) {
        if let Some(s) = self.stages.last_mut() {
            s.per_session = Some(Stats::of(times));
        }
    }
}

/// Fails the stage if any session missed a step.
pub fn check(run: &StageRun, stage: &str) -> Result<(), String> {
    match run.errors.first() {
        None => Ok(()),
        Some(first) => Err(format!(
            "{stage}: {} sessions missed a step; the first: {first}",
            run.errors.len()
        )),
    }
}

pub fn peers_phase(
    bin: &Path,
    opts: &Opts,
    deadline: Instant,
    rt: &tokio::runtime::Runtime,
    report: &mut Report,
) -> Result<(), String> {
    let n = opts.peers;
    let c = opts.peers_inflight.max(1);
    println!(
        "\n== peers: {n} netcat sessions at once, each a peer: open ({c} in flight, `mine {}` \
         between waves), `mine 6`, channel_ready, pay {} msat, close (fresh shell) ==",
        opts.peers_wave_blocks, opts.peers_pay_msat
    );
    if c > LDK_MAX_UNFUNDED_CHANNEL_PEERS && opts.peers_wave_blocks > 0 {
        println!(
            "  note: --peers-inflight {c} is over LDK's MAX_UNFUNDED_CHANNEL_PEERS ({LDK_MAX_UNFUNDED_CHANNEL_PEERS}): expect refusals"
        );
    }
    let shell = Arc::new(Shell::spawn(bin)?);
    std::thread::sleep(Duration::from_millis(300));
    let (rss0, _) = shell.memory()?;
    let prober = Prober::start(
        &shell,
        Duration::from_millis(opts.info_interval_ms),
        deadline,
    );
    let mut fig = Figures::default();
    let mut result = run_stages(&shell, opts, deadline, rt, &prober, &mut fig);
    // More rounds in the same shell: does what N channel lives leave behind grow?
    let mut rounds = Vec::new();
    for round in 2..=opts.peers_rounds {
        if result.is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
        let rss_before = shell.memory()?.0;
        let mut more = Figures::default();
        result = run_stages(&shell, opts, deadline, rt, &prober, &mut more)
            .map_err(|e| format!("round {round}: {e}"));
        std::thread::sleep(Duration::from_millis(500));
        rounds.push((round, rss_before, more, shell.memory()?));
    }
    prober.set("peers-after");
    std::thread::sleep(Duration::from_millis(300));
    let during = prober.combined("peers-", &["peers-after"]);
    let (rss_end, hwm) = shell.memory()?;
    let counters: &Counters = &shell.counters;

    for s in &fig.stages {
        let each = s
            .per_session
            .as_ref()
            .map(|st| format!("; per session {}", st.text()))
            .unwrap_or_default();
        report.row(
            &format!("peers stage: {}", s.name),
            format!(
                "{} wall, shell CPU {:.2} s{each}",
                ms(s.wall),
                s.cpu.as_secs_f64()
            ),
        );
    }
    if !fig.mine_answer.is_empty() {
        let text: Vec<String> = fig
            .mine_answer
            .iter()
            .map(|(b, d)| format!("mine {b}: {}", ms(*d)))
            .collect();
        report.row(
            "peers `mine` answered after",
            format!(
                "{} ({} wave{} of opens)",
                text.join(", "),
                fig.waves,
                if fig.waves == 1 { "" } else { "s" }
            ),
        );
    }
    report.row(
        "peers seen in the shell's output",
        format!(
            "{} ChannelReady, {} PaymentClaimed ({} msat in all), {} ChannelClosed ({} cooperative); {} `events not shown`",
            count(&counters.channel_ready),
            count(&counters.payment_claimed),
            count(&counters.claimed_msat),
            count(&counters.channel_closed),
            count(&counters.closed_cooperatively),
            count(&counters.events_not_shown),
        ),
    );
    let kib = |kb: Option<u64>| kb.map_or("-".to_string(), |k| format!("{:.1}", mb(k)));
    report.row(
        "peers RSS: before / sessions / opened",
        format!(
            "{:.1} / {} / {} MiB; with channels ready {} MiB, closed {} MiB, sessions gone {} MiB",
            mb(rss0),
            kib(fig.rss_connected),
            kib(fig.rss_open),
            kib(fig.rss_ready),
            kib(fig.rss_closed),
            kib(fig.rss_gone)
        ),
    );
    let per_node = fig
        .rss_open
        .map(|r| r.saturating_sub(rss0) as f64 / n.max(1) as f64);
    let per_session = fig
        .rss_connected
        .map(|r| r.saturating_sub(rss0) as f64 / n.max(1) as f64);
    report.row(
        "peers memory per session's node",
        format!(
            "{} KiB with its channel open (of which {} KiB for the session and its node alone)",
            per_node.map_or("-".into(), |k| format!("{k:.0}")),
            per_session.map_or("-".into(), |k| format!("{k:.0}")),
        ),
    );
    for (round, before, more, (after, peak)) in &rounds {
        report.row(
            &format!("peers round {round}, same shell"),
            format!(
                "{} wall, shell CPU {} per channel life; RSS {:.1} → {:.1} MiB, peak {:.1} MiB",
                more.wall_life.map_or("-".into(), ms),
                more.cpu_life.map_or("-".into(), |d| format!(
                    "{:.1} ms",
                    d.as_secs_f64() * 1e3 / n.max(1) as f64
                )),
                mb(*before),
                mb(*after),
                mb(*peak)
            ),
        );
    }
    let rounds_json: Vec<Value> = rounds
        .iter()
        .map(|(round, before, more, (after, peak))| {
            json!({"round": round, "rss_before_kb": before, "rss_after_kb": after, "peak_kb": peak,
                   "wall_s": more.wall_life.map(|d| d.as_secs_f64()),
                   "shell_cpu_s": more.cpu_life.map(|d| d.as_secs_f64())})
        })
        .collect();
    let peak_ok = hwm < 300 * 1024;
    report.row(
        "peers peak RSS (VmHWM)",
        format!(
            "{:.1} MiB (target < 300 MB: {})",
            mb(hwm),
            if peak_ok { "met" } else { "MISSED" }
        ),
    );
    if let Some(cpu) = fig.cpu_life {
        report.row(
            "peers shell CPU, connect → closed",
            format!(
                "{:.2} s for {n} channel lives → {:.1} ms per full channel life",
                cpu.as_secs_f64(),
                cpu.as_secs_f64() * 1e3 / n.max(1) as f64
            ),
        );
    }
    report.row(
        "peers info latency, all stages",
        format!(
            "{} (n={}; target p99 < 50 ms: {})",
            during.text(),
            during.n,
            if during.p99 < Duration::from_millis(50) {
                "met"
            } else {
                "MISSED"
            }
        ),
    );
    let stage_json: Vec<Value> = fig
        .stages
        .iter()
        .map(|s| {
            json!({"stage": s.name, "wall_s": s.wall.as_secs_f64(), "shell_cpu_s": s.cpu.as_secs_f64(),
                   "per_session": s.per_session.as_ref().map(Stats::json)})
        })
        .collect();
    report.put(
        "peers",
        json!({"sessions": n, "inflight": c, "wave_blocks": opts.peers_wave_blocks,
               "pay_msat": opts.peers_pay_msat, "funding_sat": opts.peers_funding_sat,
               "stages": stage_json,
               "mine_answer_s": fig.mine_answer.iter().map(|(b, d)| json!([b, d.as_secs_f64()])).collect::<Vec<_>>(),
               "ready": count(&counters.channel_ready), "claimed": count(&counters.payment_claimed),
               "claimed_msat": count(&counters.claimed_msat), "closed": count(&counters.channel_closed),
               "closed_cooperatively": count(&counters.closed_cooperatively),
               "events_not_shown": count(&counters.events_not_shown),
               "rss_kb": {"before": rss0, "sessions": fig.rss_connected, "opened": fig.rss_open,
                          "ready": fig.rss_ready, "closed": fig.rss_closed, "gone": fig.rss_gone,
                          "end": rss_end, "peak": hwm},
               "kib_per_session_node": per_node, "kib_per_session_alone": per_session,
               "shell_cpu_life_s": fig.cpu_life.map(|d| d.as_secs_f64()),
               "ms_cpu_per_channel_life": fig.cpu_life.map(|d| d.as_secs_f64() * 1e3 / n.max(1) as f64),
               "info_during": during.json(), "wall_life_s": fig.wall_life.map(|d| d.as_secs_f64()),
               "more_rounds": rounds_json}),
    );
    prober.finish(report, "peers_");
    match shell.quit() {
        Ok(d) => report.row("quit", ms(d)),
        Err(e) => report.fail(e),
    }
    if let Err(e) = &result {
        let notable = counters
            .notable
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if !notable.is_empty() {
            println!("  the shell said: {}", notable.join(" / "));
        }
        report.fail(format!("peers: {e}"));
    }
    Ok(())
}

fn run_stages(
    shell: &Arc<Shell>,
    opts: &Opts,
    deadline: Instant,
    rt: &tokio::runtime::Runtime,
    prober: &Prober,
    fig: &mut Figures,
) -> Result<(), String> {
    let n = opts.peers;
    let addr = shell.addr;
    let counters = &shell.counters;
    let cpu_start = shell.cpu();
    let t_start = Instant::now();
    // The shell's counts are for its whole life; this round's are what it adds.
    let since = |c: &std::sync::atomic::AtomicU64| {
        let base = count(c);
        move |now: &std::sync::atomic::AtomicU64| count(now) - base
    };
    let ready = since(&counters.channel_ready);
    let claimed_n = since(&counters.payment_claimed);
    let claimed_msat = since(&counters.claimed_msat);
    let closed_n = since(&counters.channel_closed);
    let coop_n = since(&counters.closed_cooperatively);

    // 1. Connect: all at once.
    prober.set("peers-connect");
    let (t0, cpu0) = (Instant::now(), shell.cpu());
    let run = rt.block_on(async {
        let tasks: Vec<_> = (0..n)
            .map(|i| tokio::spawn(PeerSession::connect(addr, i)))
            .collect();
        let mut run = StageRun {
            ok: Vec::new(),
            errors: Vec::new(),
            times: Vec::new(),
        };
        for t in tasks {
            match tokio::time::timeout_at(deadline.into(), t).await {
                Ok(Ok(Ok(s))) => run.ok.push(s),
                Ok(Ok(Err(e))) => run.errors.push(e),
                Ok(Err(e)) => run.errors.push(format!("task failed: {e}")),
                Err(_) => run.errors.push("hard timeout (--timeout)".into()),
            }
        }
        run
    });
    fig.stage("connect, greeted as a peer", t0, cpu0, shell);
    check(&run, "connect")?;
    let mut sessions = run.ok;
    let held = wait_until(SETTLE, deadline, || {
        shell.counts().is_ok_and(|(_, nc)| nc == n as u64)
    });
    if !held {
        return Err(format!(
            "the shell does not count {n} netcat sessions: {:?}",
            shell.counts()
        ));
    }
    fig.rss_connected = Some(shell.memory()?.0);

    // 2. Open and fund, in waves below LDK's limit on peers with unfunded channels.
    prober.set("peers-open");
    let (t0, cpu0) = (Instant::now(), shell.cpu());
    let c = opts.peers_inflight.max(1);
    let mut opened = Vec::with_capacity(n);
    let funding = opts.peers_funding_sat;
    while !sessions.is_empty() {
        let wave: Vec<PeerSession> = sessions.drain(..c.min(sessions.len())).collect();
        fig.waves += 1;
        let run = run_all(rt, wave, deadline, move |mut s| async move {
            let r = s.open_and_fund(funding).await;
            (s, r)
        });
        check(&run, &format!("open, wave {}", fig.waves))?;
        opened.extend(run.ok);
        if !sessions.is_empty() && opts.peers_wave_blocks > 0 {
            let d = mine(shell, opts.peers_wave_blocks, deadline)?;
            fig.mine_answer.push((opts.peers_wave_blocks, d));
        }
    }
    let mut sessions = opened;
    channels_until(shell, deadline, |l| {
        l.len() == n && l.iter().all(|c| c["state"] == "pending")
    })?;
    fig.stage("open + fund (waves)", t0, cpu0, shell);
    fig.rss_open = Some(shell.memory()?.0);

    // 3. `mine 6`, then channel_ready both ways.
    prober.set("peers-mine");
    let (t0, cpu0) = (Instant::now(), shell.cpu());
    let d = mine(shell, 6, deadline)?;
    fig.mine_answer.push((6, d));
    let run = run_all(rt, sessions, deadline, |mut s| async move {
        let r = s.make_ready().await;
        (s, r)
    });
    let times = run.times.clone();
    check(&run, "channel_ready")?;
    sessions = run.ok;
    let printed = wait_until(SETTLE, deadline, || {
        ready(&counters.channel_ready) >= n as u64
    });
    let list = channels_until(shell, deadline, |l| {
        l.len() == n && l.iter().all(|c| c["state"] == "usable")
    })?;
    fig.stage("`mine 6` → all usable", t0, cpu0, shell);
    fig.times(&times);
    if !printed {
        return Err(format!(
            "all {n} channels are usable, but the shell printed {} `[ldk] ChannelReady`",
            ready(&counters.channel_ready)
        ));
    }
    fig.rss_ready = Some(shell.memory()?.0);
    let inbound: HashMap<String, u64> = list
        .iter()
        .filter_map(|c| {
            Some((
                c["counterparty"].as_str()?.to_string(),
                c["inbound_msat"].as_u64()?,
            ))
        })
        .collect();

    // 4. Pay: every session at once.
    prober.set("peers-pay");
    let (t0, cpu0) = (Instant::now(), shell.cpu());
    let msat = opts.peers_pay_msat;
    let run = run_all(rt, sessions, deadline, move |mut s| async move {
        let r = s.pay(msat).await;
        (s, r)
    });
    let times = run.times.clone();
    check(&run, "pay")?;
    sessions = run.ok;
    let claimed = wait_until(SETTLE, deadline, || {
        claimed_n(&counters.payment_claimed) >= n as u64
    });
    let list = channels_until(shell, deadline, |l| {
        l.len() == n
            && l.iter().all(|c| {
                let who = c["counterparty"].as_str().unwrap_or_default();
                match (inbound.get(who), c["inbound_msat"].as_u64()) {
                    (Some(before), Some(now)) => now + msat == *before,
                    _ => false,
                }
            })
    });
    fig.stage("pay (update_add_htlc … revoke_and_ack)", t0, cpu0, shell);
    fig.times(&times);
    if !claimed || claimed_msat(&counters.claimed_msat) != n as u64 * msat {
        return Err(format!(
            "the shell printed {} `PaymentClaimed` for {} msat in all; expected {n} for {} msat",
            claimed_n(&counters.payment_claimed),
            claimed_msat(&counters.claimed_msat),
            n as u64 * msat
        ));
    }
    list.map_err(|e| format!("each channel's inbound_msat down by {msat}: {e}"))?;

    // 5. Close cooperatively: every session at once.
    prober.set("peers-close");
    let (t0, cpu0) = (Instant::now(), shell.cpu());
    let run = run_all(rt, sessions, deadline, |mut s| async move {
        let r = s.close().await;
        (s, r)
    });
    let times = run.times.clone();
    check(&run, "close")?;
    let sessions = run.ok;
    let closed = wait_until(SETTLE, deadline, || {
        closed_n(&counters.channel_closed) >= n as u64
    });
    channels_until(shell, deadline, <[Value]>::is_empty)?;
    fig.stage("close (shutdown, closing_signed ×2)", t0, cpu0, shell);
    fig.times(&times);
    fig.cpu_life = Some(shell.cpu().saturating_sub(cpu_start));
    fig.rss_closed = Some(shell.memory()?.0);
    let coop = coop_n(&counters.closed_cooperatively);
    if !closed || coop != n as u64 {
        return Err(format!(
            "no channel is left, but the shell printed {} `[ldk] ChannelClosed`, {coop} of them cooperative",
            closed_n(&counters.channel_closed)
        ));
    }

    // 6. The sessions leave; their nodes go with them.
    prober.set("peers-leave");
    let (t0, cpu0) = (Instant::now(), shell.cpu());
    drop(sessions);
    let gone = wait_until(SETTLE, deadline, || {
        shell.counts().is_ok_and(|(_, nc)| nc == 0)
    });
    fig.stage("sessions leave", t0, cpu0, shell);
    fig.wall_life = Some(t_start.elapsed());
    fig.rss_gone = Some(shell.memory()?.0);
    if !gone {
        return Err(format!(
            "the sessions left, but the shell still counts {:?}",
            shell.counts()
        ));
    }
    Ok(())
}
