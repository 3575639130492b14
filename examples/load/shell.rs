//! The shell under test: a real `lnshell` process with piped stdin and stdout, whose
//! stdout is read on a thread that routes `info --json` answers to [`Shell::info`] and
//! counts the events the phases check (peers connected and refused, netcat lines
//! received). Every child is registered so the watchdog can kill it.
//!
//! Starting it is the test kit's (`tests/common/process.rs`, included by `main.rs`):
//! the same command line, pipes, stderr collector, data dir and `/proc` readings as the
//! tests' `Shell`, so the load tool measures the shell the tests check. What is the
//! load tool's own is only what it does with stdout, and the `info` timing.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ChildStdin};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use bitcoin::secp256k1::PublicKey;
use serde_json::Value;

use crate::process::{cpu_of, proc_status_kb, shell_command, spawn_shell, ShellProcess, TempDir};

/// How long to wait for one `info --json` answer before counting it lost.
pub const INFO_TIMEOUT: Duration = Duration::from_secs(5);

pub static CHILDREN: Mutex<Vec<std::sync::Weak<Mutex<Child>>>> = Mutex::new(Vec::new());

pub fn kill_all_children() {
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
pub struct Counters {
    pub lines: AtomicU64,
    pub bytes: AtomicU64,
    pub peer_connected: AtomicU64,
    pub peer_refused: AtomicU64,
    pub lightning_closed_early: AtomicU64,
    pub netcat_received: AtomicU64,
    /// `[ldk] ChannelReady`, `[ldk] PaymentClaimed: received N msat` (and the sum of the
    /// N), `[ldk] ChannelClosed` (and how many of them cooperative), for the `peers` phase.
    pub channel_ready: AtomicU64,
    pub payment_claimed: AtomicU64,
    pub claimed_msat: AtomicU64,
    pub channel_closed: AtomicU64,
    pub closed_cooperatively: AtomicU64,
    /// `mine` answers, and the height the last one reached.
    pub mined: AtomicU64,
    pub height: AtomicU64,
    /// `[events] N events not shown`: the printer dropped some (its queue was full).
    pub events_not_shown: AtomicU64,
    /// Answers to `trace on`, `trace off` and `diagram` (drawn, or nothing to draw),
    /// for the `soak` phase's "every request answered".
    pub trace_on: AtomicU64,
    pub trace_off: AtomicU64,
    pub diagrams: AtomicU64,
    pub notable: Mutex<Vec<String>>,
}

pub fn count(c: &AtomicU64) -> u64 {
    c.load(Ordering::Relaxed)
}

/// A running lnshell with piped stdin/stdout.
pub struct Shell {
    pub child: Arc<Mutex<Child>>,
    pub pid: u32,
    pub stdin: Mutex<Option<ChildStdin>>,
    pub info_rx: Mutex<mpsc::Receiver<(Instant, Value)>>,
    /// `channels --json` answers (the only JSON arrays the load tool asks for).
    pub channels_rx: Mutex<mpsc::Receiver<Value>>,
    pub counters: Arc<Counters>,
    pub stderr: Arc<Mutex<String>>,
    /// Removed when the shell is dropped (fields drop after `Drop::drop` has stopped the
    /// child, so the shell never sees its dir vanish); read by [`Shell::post_mortem`].
    data_dir: TempDir,
    /// From `info --json`.
    pub addr: SocketAddr,
    pub node_id: PublicKey,
    /// Spawn → first `info --json` answer.
    pub startup: Duration,
}

impl Shell {
    pub fn spawn(bin: &Path) -> Result<Shell, String> {
        let data_dir =
            TempDir::create("load").map_err(|e| format!("cannot create a data dir: {e}"))?;
        let started = Instant::now();
        let mut cmd = shell_command(bin, data_dir.path(), &["--listen", "127.0.0.1:0"], &[]);
        let ShellProcess {
            child,
            stdin,
            stdout,
            stderr,
        } = spawn_shell(&mut cmd).map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let pid = child.id();
        let counters = Arc::new(Counters::default());
        let (info_tx, info_rx) = mpsc::channel();
        let (channels_tx, channels_rx) = mpsc::channel();
        {
            let counters = Arc::clone(&counters);
            std::thread::spawn(move || read_stdout(stdout, &counters, info_tx, channels_tx));
        }
        let child = Arc::new(Mutex::new(child));
        CHILDREN
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Arc::downgrade(&child));
        let mut shell = Shell {
            child,
            pid,
            stdin: Mutex::new(Some(stdin)),
            info_rx: Mutex::new(info_rx),
            channels_rx: Mutex::new(channels_rx),
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
    pub fn info(&self) -> Result<(Duration, Value), String> {
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

    /// Types one command line into the shell's stdin (no answer is awaited).
    pub fn send(&self, line: &str) -> Result<(), String> {
        let mut stdin = self.stdin.lock().unwrap_or_else(|p| p.into_inner());
        let pipe = stdin.as_mut().ok_or("the shell's stdin is closed")?;
        pipe.write_all(format!("{line}\n").as_bytes())
            .and_then(|()| pipe.flush())
            .map_err(|e| format!("writing `{line}` to the shell's stdin: {e}"))
    }

    /// Sends `channels --json` and waits for its array.
    pub fn channels(&self) -> Result<Vec<Value>, String> {
        let rx = self.channels_rx.lock().unwrap_or_else(|p| p.into_inner());
        while rx.try_recv().is_ok() {} // a late answer to an earlier, timed-out request
        self.send("channels --json")?;
        match rx.recv_timeout(INFO_TIMEOUT) {
            Ok(Value::Array(list)) => Ok(list),
            Ok(other) => Err(format!("`channels --json` gave no array: {other}")),
            Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
                "no answer to `channels --json` within {} s",
                INFO_TIMEOUT.as_secs()
            )),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err("the shell's stdout closed (did it exit?)".into())
            }
        }
    }

    /// (lightning, netcat) connection counts from `info --json`.
    pub fn counts(&self) -> Result<(u64, u64), String> {
        let (_, v) = self.info()?;
        Ok((
            v["peers"]["lightning"].as_u64().unwrap_or(0),
            v["peers"]["netcat"].as_u64().unwrap_or(0),
        ))
    }

    /// How many lightning peers the shell holds as guests (beyond LDK's
    /// `ChannelManager` limit), from `info --json`.
    pub fn guests(&self) -> Result<u64, String> {
        let (_, v) = self.info()?;
        Ok(v["peers"]["guests"].as_u64().unwrap_or(0))
    }

    /// VmRSS and VmHWM, in kB.
    pub fn memory(&self) -> Result<(u64, u64), String> {
        Ok((
            proc_status_kb(self.pid, "VmRSS:")?,
            proc_status_kb(self.pid, "VmHWM:")?,
        ))
    }

    /// User + system CPU time so far.
    pub fn cpu(&self) -> Duration {
        cpu_of(&format!("/proc/{}/stat", self.pid))
    }

    /// If the shell has exited, says how (exit code or signal) and keeps what it left:
    /// its stderr and its data dir's LDK logs are copied to `<tmp>/lnshell-load-<pid>/`
    /// before the data dir is removed, so a death in an hour's soak says why. `None`
    /// while it runs.
    pub fn post_mortem(&self) -> Option<String> {
        let status = {
            let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
            match child.try_wait() {
                Ok(Some(status)) => status,
                Ok(None) | Err(_) => return None,
            }
        };
        let how = {
            use std::os::unix::process::ExitStatusExt;
            match (status.code(), status.signal()) {
                (Some(code), _) => format!("exit code {code}"),
                (None, Some(sig)) => format!("signal {sig}"),
                (None, None) => status.to_string(),
            }
        };
        let stderr = self
            .stderr
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let kept = std::env::temp_dir().join(format!("lnshell-load-{}", self.pid));
        let mut saved = Vec::new();
        if std::fs::create_dir_all(&kept).is_ok() {
            if std::fs::write(kept.join("stderr.txt"), &stderr).is_ok() {
                saved.push("stderr.txt".to_string());
            }
            for name in ["lnshell.log", "respond.log"] {
                if std::fs::copy(self.data_dir.path().join(name), kept.join(name)).is_ok() {
                    saved.push(name.to_string());
                }
            }
        }
        let tail: Vec<&str> = stderr.lines().rev().take(12).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        Some(format!(
            "the shell exited ({how}); kept in {}: {}; its stderr ends:\n    {}",
            kept.display(),
            if saved.is_empty() {
                "nothing (cannot write there)".to_string()
            } else {
                saved.join(", ")
            },
            if tail.is_empty() {
                "(empty)".to_string()
            } else {
                tail.join("\n    ")
            }
        ))
    }

    /// Closes stdin (the shell quits at EOF) and waits; kills it if it takes too long.
    /// Returns how long it took to exit.
    pub fn quit(&self) -> Result<Duration, String> {
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
    }
}

/// Reads the shell's stdout: routes `info --json` and `channels --json` answers, counts
/// events.
pub fn read_stdout(
    stdout: std::process::ChildStdout,
    counters: &Counters,
    info_tx: mpsc::Sender<(Instant, Value)>,
    channels_tx: mpsc::Sender<Value>,
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
        // `[]` or `[{…}, …]`; event lines start `[ldk]`, `[peer]`, `[#3]`, … instead.
        if line.starts_with(b"[]") || line.starts_with(b"[{") {
            if let Ok(v) = serde_json::from_slice::<Value>(&line) {
                let _ = channels_tx.send(v);
                continue;
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
        } else if text.starts_with("[ldk] ChannelReady:") {
            bump(&counters.channel_ready);
        } else if let Some(rest) = text.strip_prefix("[ldk] PaymentClaimed: received ") {
            bump(&counters.payment_claimed);
            let msat = rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
            counters.claimed_msat.fetch_add(msat, Ordering::Relaxed);
        } else if text.starts_with("[ldk] ChannelClosed:") {
            bump(&counters.channel_closed);
            if text.contains("cooperatively closed") {
                bump(&counters.closed_cooperatively);
            } else {
                note(counters, &text);
            }
        } else if text.starts_with("mined ") {
            if let Some(h) = text
                .rsplit("height ")
                .next()
                .and_then(|h| h.split_whitespace().next())
                .and_then(|h| h.parse::<u64>().ok())
            {
                counters.height.store(h, Ordering::Relaxed);
            }
            bump(&counters.mined);
        } else if text.starts_with("trace on for ") {
            bump(&counters.trace_on);
        } else if text.trim_end() == "trace off" {
            bump(&counters.trace_off);
        } else if text.starts_with("Not drawn, because lnshell cannot see them")
            || text.starts_with("the record holds no messages")
        {
            bump(&counters.diagrams);
        } else if text.starts_with("[events] ") && text.contains("events not shown") {
            bump(&counters.events_not_shown);
            note(counters, &text);
        }
    }
}

pub fn note(counters: &Counters, text: &str) {
    let mut notable = counters.notable.lock().unwrap_or_else(|p| p.into_inner());
    if notable.len() < 3 {
        notable.push(text.trim_end().to_string());
    }
}
