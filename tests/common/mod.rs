//! Test harness: the real `lnshell` binary, driven through piped stdin (script
//! mode), with its stdout collected line by line so tests can wait for output.
//! Every shell listens on 127.0.0.1 port 0 (a free port picked at run time) and is
//! killed when its handle drops, so no test leaves a process or a port behind.
//!
//! The one test kit: this harness (`Shell`, `run`, `run_command`, netcat clients),
//! `process` (the shell's command line, its pipes and stderr, `TempDir`, `/proc`),
//! `ldk_client` (the LDK test peer), `noise` (the BOLT 8 state machine with chosen
//! keys), `render` (`render_all`), `rng` (networks, a seeded generator) and `socks`
//! (a SOCKS5 proxy that stands in for Tor and records what it is asked). The files
//! other than this one depend on nothing here, so `examples/` and `fuzz/` include
//! them with `#[path]`.
#![allow(dead_code)]

pub mod ldk_client;
pub mod noise;
pub mod process;
pub mod render;
pub mod rng;
pub mod socks;

use process::proc_status_kb;
pub use process::{shell_command, spawn_shell, ShellProcess, TempDir};

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::str::FromStr;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bitcoin::secp256k1::PublicKey;

pub const BIN: &str = env!("CARGO_BIN_EXE_lnshell");

/// How long any single wait in a test may take before it fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// A running shell in script mode.
pub struct Shell {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    pub seen: Arc<Mutex<Vec<String>>>,
    pub stderr: Arc<Mutex<String>>,
    pub data_dir: TempDir,
}

impl Shell {
    /// Starts a shell listening on a free loopback port.
    pub fn start(name: &str) -> Shell {
        Shell::start_with(name, &["--listen", "127.0.0.1:0"])
    }

    pub fn start_with(name: &str, args: &[&str]) -> Shell {
        Shell::start_env(name, args, &[])
    }

    /// A shell with `args` and `env` added to its environment (only its own: setting
    /// the test process's environment would race with every other test's spawn).
    pub fn start_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> Shell {
        let data_dir = TempDir::new(name);
        let ShellProcess {
            child,
            stdin,
            stdout,
            stderr,
        } = spawn_shell(&mut shell_command(BIN, data_dir.path(), args, env))
            .expect("spawn lnshell");
        let (tx, rx) = mpsc::channel();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let seen2 = Arc::clone(&seen);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                seen2.lock().unwrap().push(line.clone());
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Shell {
            stdin: Some(stdin),
            child,
            lines: rx,
            seen,
            stderr,
            data_dir,
        }
    }

    /// The shell's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The shell's resident memory now, in kB (Linux), from /proc; 0 if unreadable.
    pub fn rss_kb(&self) -> u64 {
        proc_status_kb(self.pid(), "VmRSS:").unwrap_or(0)
    }

    /// Waits for a stderr text.
    pub fn wait_for_stderr(&self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let err = self.stderr.lock().unwrap().clone();
            if err.contains(needle) {
                return err;
            }
            if Instant::now() > deadline {
                panic!("stderr never said {needle:?}:\n{err}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, cmd: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{cmd}").expect("write to shell");
        stdin.flush().expect("flush");
    }

    /// Waits for a stdout line matching `pred`; panics with everything seen so far
    /// if none comes within [`WAIT`].
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if pred(&line) => return line,
                Ok(_) => continue,
                Err(_) => {
                    // Copy before panicking: a panic holding the locks would poison them.
                    let seen = self.seen.lock().map(|s| s.join("\n")).unwrap_or_default();
                    let err = self.stderr.lock().map(|s| s.clone()).unwrap_or_default();
                    panic!("timed out waiting for {what}; stdout so far:\n{seen}\nstderr:\n{err}")
                }
            }
        }
    }

    /// Waits for a line matching `pred`, counting lines already seen.
    pub fn wait_for_line(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let found = self.seen.lock().unwrap().iter().find(|l| pred(l)).cloned();
        match found {
            Some(line) => line,
            None => self.wait_for(what, pred),
        }
    }

    /// Waits for a line containing `needle`, counting lines already seen: events
    /// may arrive while a test is busy waiting for something else.
    pub fn wait_for_text(&mut self, needle: &str) -> String {
        if let Some(line) = self
            .seen
            .lock()
            .unwrap()
            .iter()
            .find(|l| l.contains(needle))
        {
            return line.clone();
        }
        let n = needle.to_string();
        self.wait_for(needle, move |l| l.contains(&n))
    }

    /// How many stdout lines seen so far contain `needle`.
    pub fn seen_count(&self, needle: &str) -> usize {
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.iter().filter(|l| l.contains(needle)).count()
    }

    /// Sends a `--json` command and returns the first JSON line that satisfies `pred`.
    pub fn json(
        &mut self,
        cmd: &str,
        pred: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        self.send(cmd);
        let line = self.wait_for(cmd, |l| {
            serde_json::from_str::<serde_json::Value>(l)
                .map(|v| pred(&v))
                .unwrap_or(false)
        });
        serde_json::from_str(&line).expect("json")
    }

    pub fn info(&mut self) -> serde_json::Value {
        self.json("info --json", |v| v.get("node_id").is_some())
    }

    pub fn node_id(&mut self) -> String {
        self.info()["node_id"]
            .as_str()
            .expect("node_id")
            .to_string()
    }

    /// The first listening address.
    pub fn addr(&mut self) -> String {
        self.info()["listening"][0]
            .as_str()
            .expect("listening")
            .to_string()
    }

    /// Polls `peers --json` until `pred` holds for the list.
    pub fn peers_until(
        &mut self,
        what: &str,
        pred: impl Fn(&[serde_json::Value]) -> bool,
    ) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + WAIT;
        loop {
            let v = self.json("peers --json", |v| v.is_array());
            let list = v.as_array().cloned().unwrap_or_default();
            if pred(&list) {
                return list;
            }
            if Instant::now() > deadline {
                panic!("peers never showed {what}: last {list:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Closes stdin and waits for a graceful exit.
    pub fn finish(mut self) -> std::process::ExitStatus {
        self.stdin.take();
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if Instant::now() > deadline {
                panic!("shell did not exit after EOF");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A shell listening on a free loopback port whose LDK timer ticks every 200 ms
/// (`LNSHELL_TIMER_TICK_MS`), so handshake and ping timeouts show within a second or
/// two; with its node id and address.
pub fn fast_shell(name: &str) -> (Shell, PublicKey, SocketAddr) {
    let mut shell = Shell::start_env(
        name,
        &["--listen", "127.0.0.1:0"],
        &[("LNSHELL_TIMER_TICK_MS", "200")],
    );
    let id = PublicKey::from_str(&shell.node_id()).expect("node id");
    let addr = shell.addr().parse().expect("address");
    (shell, id, addr)
}

/// Runs the binary to completion with `args` (and optional stdin), returning
/// (exit code, stdout, stderr). Bounded by [`WAIT`].
pub fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    run_env(args, stdin, &[])
}

pub fn run_env(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(args).envs(env.iter().copied());
    let out = run_command(&mut cmd, Some(stdin.unwrap_or("")), WAIT);
    let Some(status) = out.status else {
        panic!("lnshell {args:?} did not exit");
    };
    (status.code().unwrap_or(-1), out.stdout, out.stderr)
}

/// What a run of a process left: its exit status (`None`: killed after the timeout),
/// and everything it wrote.
pub struct Output {
    pub status: Option<std::process::ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` to completion, or kills it after `timeout`. `stdin`: `None` gives it no
/// stdin at all, `Some(text)` a pipe holding `text`, then closed. Both output pipes are
/// drained on threads, so a chatty child never blocks on a full pipe.
pub fn run_command(cmd: &mut Command, stdin: Option<&str>, timeout: Duration) -> Output {
    let mut child = cmd
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lnshell");
    if let Some(text) = stdin {
        let mut input = child.stdin.take().expect("stdin");
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    let read_all = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let out = read_all(Box::new(child.stdout.take().expect("stdout")));
    let err = read_all(Box::new(child.stderr.take().expect("stderr")));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// Polls a JSON command until `pred` holds (for state that changes in the background).
pub fn poll_json(
    shell: &mut Shell,
    cmd: &str,
    pred: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let v = shell.json(cmd, |_| true);
        if pred(&v) {
            return v;
        }
        if Instant::now() > deadline {
            panic!("{cmd} never satisfied the test: last {v}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A plaintext (netcat) client of the shell at `addr`: a line reader and a writer.
/// Nothing is read yet: the greeting is the first line.
pub fn netcat(addr: &str) -> (BufReader<TcpStream>, TcpStream) {
    let stream = TcpStream::connect(addr).expect("connect to shell");
    stream.set_read_timeout(Some(WAIT)).expect("read timeout");
    let reader = BufReader::new(stream.try_clone().expect("clone stream"));
    (reader, stream)
}

/// A netcat session's greeting, whole: it is wrapped to fit a terminal, and its last
/// line is [`GREETING_END`](lnshell::node::netcat::GREETING_END).
pub fn read_greeting(r: &mut BufReader<TcpStream>) -> String {
    let mut greeting = String::new();
    loop {
        let line = read_line(r);
        assert!(
            !line.is_empty(),
            "the session closed in its greeting: {greeting}"
        );
        greeting.push_str(&line);
        if line.trim_end() == lnshell::node::netcat::GREETING_END {
            return greeting;
        }
    }
}

/// The next line the shell sends a netcat client (with its `\n`).
pub fn read_line(r: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    r.read_line(&mut line).expect("read a line from the shell");
    line
}
