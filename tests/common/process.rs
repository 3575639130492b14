//! Starting the real `lnshell` as a child process, written once for every harness that
//! drives it: the test kit's `Shell` and `run_command` callers (`tests/common/mod.rs`,
//! `tests/lessons.rs`, `tests/pty.rs`) and the load tool's `Shell`
//! (`examples/load/shell.rs`, which includes this file with `#[path]`). What differs
//! between them is only what they do with the shell's stdout (wait for a line, or route
//! `info` answers and count events), so that stays with each; the command line, the
//! pipes, the stderr collector, the data dir and the `/proc` readings are here.
//!
//! It depends on `std` alone, nothing in lnshell or the rest of the kit, so any target
//! can include it. Nothing here panics: the load tool reports failures as values, and
//! the tests' helpers turn them into `expect`s with a reason.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A fresh, empty data dir under the system temp dir, removed on drop: every shell gets
/// its own, so no run sees another's keys, history or progress.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// `lnshell-test-<name>-<pid>-<n>`: the pid and a counter keep parallel tests and
    /// parallel runs apart; a stale dir of that name (a killed run) is emptied first.
    pub fn create(name: &str) -> std::io::Result<TempDir> {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("lnshell-test-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }

    /// [`TempDir::create`] for tests, where a temp dir that cannot be made is a failure.
    pub fn new(name: &str) -> TempDir {
        TempDir::create(name).expect("create temp dir")
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `bin --data-dir <data_dir> <args…>` with `env` added: the one way every harness
/// names the shell's state, so a test never touches the user's own `~/.lnshell`.
/// Stdio is left to the caller (a pipe, a pty, nothing).
pub fn shell_command(
    bin: impl AsRef<OsStr>,
    data_dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Command {
    let mut cmd = Command::new(bin);
    cmd.arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .envs(env.iter().copied());
    cmd
}

/// A shell started with all three pipes: the caller writes commands to `stdin` (the
/// shell quits at its EOF) and reads `stdout` on a thread of its own; stderr is already
/// being collected.
pub struct ShellProcess {
    pub child: Child,
    pub stdin: ChildStdin,
    pub stdout: ChildStdout,
    /// Everything the shell wrote to stderr so far, line by line as it comes, so a
    /// harness can wait for a warning while the shell still runs, or show what it said
    /// when it died.
    pub stderr: Arc<Mutex<String>>,
}

/// Starts `cmd` (usually from [`shell_command`]) with piped stdin, stdout and stderr,
/// and a thread draining stderr into [`ShellProcess::stderr`]: a chatty shell must never
/// block on a full stderr pipe nobody reads.
pub fn spawn_shell(cmd: &mut Command) -> std::io::Result<ShellProcess> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let (Some(stdin), Some(stdout), Some(stderr_pipe)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        // Unreachable with all three piped, but a harness must not leave a child behind.
        let _ = child.kill();
        let _ = child.wait();
        return Err(std::io::Error::other("a piped stdio stream is missing"));
    };
    let stderr = Arc::new(Mutex::new(String::new()));
    let collected = Arc::clone(&stderr);
    std::thread::spawn(move || collect_lines(stderr_pipe, &collected));
    Ok(ShellProcess {
        child,
        stdin,
        stdout,
        stderr,
    })
}

/// Appends each line of `pipe` to `into` until EOF. Lossy: a stray non-UTF-8 byte on
/// stderr must not stop the collecting (and leave the pipe to fill up).
fn collect_lines(pipe: impl Read, into: &Mutex<String>) {
    let mut reader = BufReader::new(pipe);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let mut buf = into.lock().unwrap_or_else(|p| p.into_inner());
        buf.push_str(text.trim_end_matches(['\n', '\r']));
        buf.push('\n');
    }
}

/// A `kB` field of `/proc/<pid>/status` (Linux), e.g. `VmRSS:` (resident memory now)
/// or `VmHWM:` (its peak).
pub fn proc_status_kb(pid: u32, field: &str) -> Result<u64, String> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).map_err(|e| format!("reading {path}: {e}"))?;
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse::<u64>().ok())
        .ok_or_else(|| format!("no {field} in {path}"))
}

/// utime + stime of a `/proc/<pid>/stat` file (clock ticks of 10 ms, Linux's USER_HZ);
/// zero where it cannot be read.
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
