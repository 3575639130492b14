//! Phase `pipe`: lnshell in a pipeline, with no node.
//!
//! * Start-up: `lnshell decode 0012000400020000` spawn → exit, beside `lnshell --version`
//!   (the cost of starting the binary at all) and against the node's
//!   `lnshell --no-listen --data-dir <tmp> --exec 'info --json'` spawn → exit (key,
//!   LDK's managers, runtime, shutdown), over `--startup-runs` runs each.
//! * Streaming: `lnshell decode --json` fed `--pipe-mb` MiB of `channel_update` hex lines
//!   (generated as they are written, so the tool holds none of it), its output read and
//!   counted. Peak RSS (VmHWM, sampled from /proc until it exits), throughput, and when
//!   the first output byte came back against when the input ended.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::process::{proc_status_kb, TempDir};
use crate::stats::{ms, Stats};
use crate::{Opts, Report};

pub fn pipe_phase(
    bin: &Path,
    opts: &Opts,
    deadline: Instant,
    report: &mut Report,
) -> Result<(), String> {
    println!(
        "\n== pipe: start-up ({} runs each) and {} MiB through `lnshell decode --json` ==",
        opts.startup_runs, opts.pipe_mb
    );
    startup(bin, opts, deadline, report)?;
    streaming(bin, opts, deadline, report)
}

fn time_run(cmd: &mut Command) -> Result<Duration, String> {
    let started = Instant::now();
    let out = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("spawn: {e}"))?;
    let took = started.elapsed();
    if !out.success() {
        return Err(format!("{cmd:?} exited with {out}"));
    }
    Ok(took)
}

fn startup(bin: &Path, opts: &Opts, deadline: Instant, report: &mut Report) -> Result<(), String> {
    let dir = TempDir::create("load-pipe").map_err(|e| format!("temp dir: {e}"))?;
    let (mut version, mut decode, mut node) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..opts.startup_runs {
        if Instant::now() >= deadline {
            return Err("hard timeout".into());
        }
        version.push(time_run(Command::new(bin).arg("--version"))?);
        decode.push(time_run(
            Command::new(bin).args(["decode", "0012000400020000"]),
        )?);
        node.push(time_run(Command::new(bin).args([
            "--no-listen",
            "--data-dir",
            &dir.path().display().to_string(),
            "--exec",
            "info --json",
        ]))?);
    }
    let (v, d, n) = (Stats::of(&version), Stats::of(&decode), Stats::of(&node));
    report.row(
        "`lnshell --version`, spawn → exit",
        format!("median {} / max {} (n={})", ms(v.p50), ms(v.max), v.n),
    );
    report.row(
        "`lnshell decode HEX`, spawn → exit",
        format!("median {} / max {} (n={})", ms(d.p50), ms(d.max), d.n),
    );
    report.row(
        "node `--exec 'info --json'`, spawn → exit",
        format!("median {} / max {} (n={})", ms(n.p50), ms(n.max), n.n),
    );
    report.put("pipe_startup_version", v.json());
    report.put("pipe_startup_decode", d.json());
    report.put("pipe_startup_node_exec", n.json());
    Ok(())
}

fn streaming(
    bin: &Path,
    opts: &Opts,
    deadline: Instant,
    report: &mut Report,
) -> Result<(), String> {
    let example = Command::new(bin)
        .args(["example", "channel_update"])
        .output()
        .map_err(|e| format!("lnshell example: {e}"))?;
    let mut line = String::from_utf8_lossy(&example.stdout).trim().to_string();
    line.push('\n');
    let target = opts.pipe_mb * (1 << 20);
    let line_len = line.len() as u64;
    let lines = target / line_len;

    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["decode", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn lnshell decode: {e}"))?;
    let pid = child.id();
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;

    let input_done = Arc::new(AtomicU64::new(0));
    let writer = {
        let input_done = Arc::clone(&input_done);
        std::thread::spawn(move || {
            let block = line.repeat(256);
            let mut left = lines;
            while left > 0 {
                let n = left.min(256);
                let chunk = &block.as_bytes()[..n as usize * line.len()];
                if stdin.write_all(chunk).is_err() {
                    break;
                }
                left -= n;
            }
            drop(stdin);
            input_done.store(started.elapsed().as_micros() as u64 + 1, Ordering::SeqCst);
        })
    };
    let first_output = Arc::new(AtomicU64::new(0));
    let out_bytes = Arc::new(AtomicU64::new(0));
    let reader = {
        let (first_output, out_bytes) = (Arc::clone(&first_output), Arc::clone(&out_bytes));
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if out_bytes.fetch_add(n as u64, Ordering::SeqCst) == 0 {
                    first_output.store(started.elapsed().as_micros() as u64 + 1, Ordering::SeqCst);
                }
            }
        })
    };
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    // Peak RSS: VmHWM only grows, so the last reading before exit is the peak.
    let mut peak_kb = 0;
    let status = loop {
        if let Ok(kb) = proc_status_kb(pid, "VmHWM:") {
            peak_kb = peak_kb.max(kb);
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Err(format!("wait: {e}")),
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            return Err("hard timeout".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    let _ = writer.join();
    let _ = reader.join();
    let summary = errors.join().unwrap_or_default();
    if !status.success() {
        return Err(format!("lnshell decode exited with {status}: {summary}"));
    }
    let first = Duration::from_micros(first_output.load(Ordering::SeqCst).saturating_sub(1));
    let input_end = Duration::from_micros(input_done.load(Ordering::SeqCst).saturating_sub(1));
    let mib = |b: u64| b as f64 / (1 << 20) as f64;
    report.row(
        "decode --json of a pipe: input",
        format!(
            "{lines} channel_update lines, {:.0} MiB; {:.0} lines/s",
            mib(lines * line_len),
            lines as f64 / took.as_secs_f64()
        ),
    );
    report.row(
        "decode --json of a pipe: peak RSS",
        format!("{:.1} MiB", peak_kb as f64 / 1024.0),
    );
    report.row(
        "decode --json of a pipe: output",
        format!(
            "{:.0} MiB; first byte after {}, input ended after {} (all done after {})",
            mib(out_bytes.load(Ordering::SeqCst)),
            ms(first),
            ms(input_end),
            ms(took)
        ),
    );
    println!("  lnshell said: {}", summary.trim());
    report.put(
        "pipe_stream",
        json!({
            "lines": lines,
            "peak_rss_kb": peak_kb,
            "out_bytes": out_bytes.load(Ordering::SeqCst),
            "first_output_us": first.as_micros() as u64,
            "input_end_us": input_end.as_micros() as u64,
            "total_us": took.as_micros() as u64,
        }),
    );
    if first >= input_end {
        report.fail("decode printed nothing before its input ended".into());
    }
    Ok(())
}
