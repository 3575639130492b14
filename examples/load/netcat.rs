//! Phase `netcat`: N concurrent plaintext sessions, each sending K hex lines (ping
//! and/or channel_update) one at a time; every reply line is checked (a summary ending
//! in `: ok`, then `pong: …` after a ping, and `-> node: channel_update as typed` after a
//! channel_update: each session is a peer of the node, which gets the update too).
//! Throughput and per-line latency.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::shell::{count, Shell};
use crate::stats::{ms, per_sec, Stats};
use crate::{LineKind, Opts, Report, STEP_TIMEOUT};

/// A valid `ping` asking for a 4-byte `pong` (what `lnshell --exec 'example ping'` prints).
pub const PING: &str = "001200040000";
/// A valid regtest `channel_update` (what `lnshell --exec 'example channel_update'` prints).
pub const CHANNEL_UPDATE: &str = "01029dfd47df18d79ceb588de38595c8c51c83c5dc8e7d6c31e31602fd3008c2a73e5e1e61fa57f7be2fa2227ec56dacf4c245e2bcf4e95e1c2318429bf068acc30506226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f0c350000000100006553f1000100002800000000000003e8000003e8000000640000000005e69ec0";

pub struct Line {
    pub text: String,
    pub replies: usize,
    /// How the second reply line starts: a `ping`'s `pong`; a `channel_update`, which the
    /// session (a peer of the node) also hands to the node's `ChannelManager`, says so.
    pub second: &'static str,
}

pub fn netcat_script(kind: LineKind) -> Vec<Line> {
    let ping = Line {
        text: format!("{PING}\n"),
        replies: 2,
        second: "pong: ",
    };
    let update = Line {
        text: format!("{CHANNEL_UPDATE}\n"),
        replies: 2,
        second: "-> node: channel_update as typed",
    };
    match kind {
        LineKind::Ping => vec![ping],
        LineKind::ChannelUpdate => vec![update],
        LineKind::Mixed => vec![ping, update],
    }
}

pub fn netcat_phase(
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
pub async fn netcat_session(
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
            // The greeting is wrapped to fit a terminal: read it to its last line.
            while reply.trim_end() != lnshell::node::netcat::GREETING_END {
                read_reply(&mut rd, &mut reply, "greeting").await?;
            }
        }
        for j in 0..line.replies {
            read_reply(&mut rd, &mut reply, "reply").await?;
            let good = if j == 0 {
                reply.trim_end().ends_with(": ok")
            } else {
                reply.starts_with(line.second)
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

pub async fn read_reply(
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
