//! The shell under test: a real `lnshell` process with piped stdin and stdout, whose
//! stdout is read on a thread that routes `info --json` answers to [`Shell::info`] and
//! counts the events the phases check (peers connected and refused, netcat lines
//! received). Every child is registered so the watchdog can kill it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use bitcoin::secp256k1::rand::{self, RngCore};
use bitcoin::secp256k1::PublicKey;
use serde_json::Value;

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
    pub counters: Arc<Counters>,
    pub stderr: Arc<Mutex<String>>,
    pub data_dir: PathBuf,
    /// From `info --json`.
    pub addr: SocketAddr,
    pub node_id: PublicKey,
    /// Spawn → first `info --json` answer.
    pub startup: Duration,
}

impl Shell {
    pub fn spawn(bin: &Path) -> Result<Shell, String> {
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
    pub fn cpu(&self) -> Duration {
        cpu_of(&format!("/proc/{}/stat", self.pid))
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
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

pub fn fresh_dir() -> Result<PathBuf, String> {
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
pub fn read_stdout(
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

pub fn note(counters: &Counters, text: &str) {
    let mut notable = counters.notable.lock().unwrap_or_else(|p| p.into_inner());
    if notable.len() < 3 {
        notable.push(text.trim_end().to_string());
    }
}

/// utime + stime of /proc/<pid>/stat (clock ticks of 10 ms, Linux's USER_HZ).
pub fn cpu_of(stat_path: &str) -> Duration {
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
