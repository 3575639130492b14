//! The shell and its node, end to end: real binary, real sockets on 127.0.0.1.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{netcat, read_line, run, Shell, TempDir, WAIT};

#[test]
fn netcat_session_greets_decodes_and_reports() {
    let mut shell = Shell::start("netcat");
    let addr = shell.addr();
    let (mut reader, mut writer) = netcat(&addr);

    let greeting = common::read_greeting(&mut reader);
    assert!(greeting.contains("lnshell"), "greeting: {greeting}");
    assert!(
        greeting.contains("hex"),
        "greeting says what to type: {greeting}"
    );
    shell.wait_for_text("netcat client connected");

    writer.write_all(b"0012000400020000\n").unwrap();
    let reply = read_line(&mut reader);
    assert_eq!(reply, "ping (type 18, 8 bytes): ok\n");
    // Like a node, the session answers a ping with its pong (BOLT 1).
    assert_eq!(read_line(&mut reader), "pong: 0013000400000000\n");
    // The shell shows the full decode, field by field, with the session id.
    shell.wait_for_text("] received:");
    shell.wait_for_text("ping (type 18, BOLT 1, 8 bytes)");
    shell.wait_for_text("num_pong_bytes");
    shell.wait_for_text("answered: pong: 0013000400000000");

    // A blank line is ignored; the next reply belongs to the garbage line.
    writer.write_all(b"\nhello world\n").unwrap();
    let reply = read_line(&mut reader);
    assert!(
        reply.contains("error: non-hex character 'h' at position 0"),
        "garbage gets an error: {reply}"
    );

    // The session is still open and counted; a truncated message names the field.
    writer.write_all(b"00120004\n").unwrap();
    let reply = read_line(&mut reader);
    assert!(
        reply.starts_with("ping (type 18, 4 bytes): error"),
        "{reply}"
    );
    assert!(reply.contains("byteslen"), "{reply}");
    let peers = shell.peers_until("a netcat session with 3 lines", |l| {
        l.iter()
            .any(|p| p["kind"] == "netcat" && p["received"] == 3)
    });
    let p = &peers[0];
    assert_eq!(p["direction"], "in");
    // The session is a peer of the node: its node id is "your side"'s, as greeted.
    let side = p["node_id"]
        .as_str()
        .expect("a netcat session has a node id");
    assert_eq!(side.len(), 66);
    assert!(greeting.contains(side), "{greeting}");

    drop(writer);
    drop(reader);
    shell.wait_for_text("netcat session closed");
    shell.peers_until("no connections", |l| l.is_empty());
}

#[test]
fn silent_and_closing_clients_do_not_block_anything() {
    let mut shell = Shell::start("silent");
    let addr = shell.addr();
    // Connects and closes at once, as `nc -z` does.
    for _ in 0..5 {
        drop(TcpStream::connect(&addr).unwrap());
    }
    // Connects and says nothing: after the sniff timeout it is greeted as a person.
    let (mut reader, _silent) = netcat(&addr);
    let greeting = common::read_greeting(&mut reader);
    assert!(greeting.contains("lnshell"));
    // Meanwhile the shell answers.
    let info = shell.info();
    assert_eq!(info["peers"]["netcat"], 1, "{info}");
}

#[test]
fn two_shells_connect_and_list_each_other() {
    let mut a = Shell::start("two-a");
    let mut b = Shell::start("two-b");
    let a_id = a.node_id();
    let b_id = b.node_id();
    assert_ne!(a_id, b_id);
    let b_addr = b.addr();

    a.send(&format!("connect {b_id}@{b_addr}"));
    a.wait_for_text(&format!("connected to {b_id}"));

    let a_peers = a.peers_until("b as an outbound lightning peer", |l| {
        l.iter().any(|p| p["node_id"] == b_id.as_str())
    });
    let p = a_peers
        .iter()
        .find(|p| p["node_id"] == b_id.as_str())
        .unwrap();
    assert_eq!(p["kind"], "lightning");
    assert_eq!(p["direction"], "out");
    assert_eq!(p["address"], b_addr.as_str());
    assert!(p["features"].is_array());

    let b_peers = b.peers_until("a as an inbound lightning peer", |l| {
        l.iter().any(|p| p["node_id"] == a_id.as_str())
    });
    let p = b_peers
        .iter()
        .find(|p| p["node_id"] == a_id.as_str())
        .unwrap();
    assert_eq!(p["kind"], "lightning");
    assert_eq!(p["direction"], "in");
    b.wait_for_text(&format!("[peer] {a_id} connected to us"));

    // Connecting twice is refused with a reason, and disconnect works by node id.
    a.send(&format!("connect {b_id}@{b_addr}"));
    let deadline = std::time::Instant::now() + WAIT;
    while !a.stderr.lock().unwrap().contains("already connected") {
        assert!(
            std::time::Instant::now() < deadline,
            "no 'already connected' error"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    a.send(&format!("disconnect {b_id}"));
    b.wait_for_text(&format!("[peer] {a_id} disconnected"));
    a.peers_until("no peers", |l| l.is_empty());
    b.peers_until("no peers", |l| l.is_empty());
}

#[test]
fn connect_reports_wrong_node_id_and_refused() {
    let mut a = Shell::start("wrong-a");
    let mut b = Shell::start("wrong-b");
    let b_addr = b.addr();
    // A valid key that is not B's: the generator point.
    let wrong = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    a.send(&format!("connect {wrong}@{b_addr}"));
    // Closed port: bind, learn the port, release it.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    a.send(&format!("connect {wrong}@{closed}"));
    a.send("connect 127.0.0.1:9735");
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let err = a.stderr.lock().unwrap().clone();
        if err.contains("handshake failed")
            && err.contains("refused")
            && err.contains("needs the node id")
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "errors so far:\n{err}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // B saw a BOLT 8 connection that never finished.
    let closed = b.wait_for_text("BOLT 8 connection with");
    assert!(
        closed.contains("Bad MAC") && closed.contains("another node id"),
        "{closed}"
    );
    assert_eq!(a.info()["peers"]["lightning"], 0);
}

#[test]
fn connect_to_something_that_is_not_bolt8_says_so() {
    // A web server where a node was expected: it answers act one with HTTP.
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = server.local_addr().unwrap();
    let web = std::thread::spawn(move || {
        let (mut s, _) = server.accept().unwrap();
        let _ = s.write_all(
            b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        // Until the shell hangs up.
        let _ = s.read(&mut [0u8; 512]);
    });
    let (code, _, err) = run(
        &[
            "--no-listen",
            "--exec",
            &format!(
                "connect 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798@{addr}"
            ),
        ],
        None,
    );
    assert_ne!(code, 0);
    assert!(
        err.contains("handshake failed") && err.contains("not speaking BOLT 8"),
        "{err}"
    );
    web.join().unwrap();
}

#[test]
fn node_id_survives_restart_and_corrupt_key_is_an_error() {
    let dir = TempDir::new("restart");
    let d = dir.path().to_str().unwrap();
    let first = run(
        &["--data-dir", d, "--no-listen", "--exec", "info --json"],
        None,
    );
    assert_eq!(first.0, 0, "{first:?}");
    let second = run(
        &["--data-dir", d, "--no-listen", "--exec", "info --json"],
        None,
    );
    let id = |out: &str| -> String {
        let v: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
        v["node_id"].as_str().unwrap().to_string()
    };
    assert_eq!(id(&first.1), id(&second.1));
    assert_eq!(id(&first.1).len(), 66);

    let key = dir.path().join("node_secret");
    std::fs::write(&key, b"not a key").unwrap();
    let (code, _out, err) = run(&["--data-dir", d, "--no-listen", "--exec", "info"], None);
    assert_eq!(code, 2);
    assert!(
        err.contains("node_secret") && err.contains("corrupt"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&key).unwrap(),
        b"not a key",
        "key left untouched"
    );
}

#[test]
fn busy_port_does_not_crash_the_shell() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_addr = busy.local_addr().unwrap().to_string();
    let dir = TempDir::new("busy");
    let (code, out, err) = run(
        &[
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--listen",
            &busy_addr,
            "--exec",
            "info --json",
            "--exec",
            &format!("listen {busy_addr}"),
            "--exec",
            "listen 127.0.0.1:0",
            "--exec",
            "listen",
        ],
        None,
    );
    assert!(err.contains("already in use"), "{err}");
    // The listen command failed, so the exit code says so; but every command ran.
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("\"listening\":[]"), "{out}");
    assert!(out.contains("listening on 127.0.0.1:"), "{out}");
    drop(busy);
}

#[test]
fn exec_and_piped_stdin_give_the_same_output() {
    let dir = TempDir::new("same");
    let d = dir.path().to_str().unwrap();
    let cmds = [
        "info --json",
        "help",
        "help connect",
        "peers --json",
        "peers",
        "listen",
        "decode 0012000400020000",
        "0012000400020000",
        "conect",
        "disconnect #7",
    ];
    let mut exec_args = vec!["--data-dir", d, "--no-listen"];
    for c in &cmds {
        exec_args.push("--exec");
        exec_args.push(c);
    }
    let exec = run(&exec_args, None);
    // Start both runs with no lesson progress, so both print the same praise.
    std::fs::remove_file(dir.path().join("progress.txt")).unwrap();
    let piped = run(
        &["--data-dir", d, "--no-listen"],
        Some(&(cmds.join("\n") + "\n")),
    );
    assert_eq!(exec.1, piped.1, "stdout differs");
    assert_eq!(exec.2, piped.2, "stderr differs");
    assert_eq!(exec.0, 1, "two commands failed");
    assert_eq!(exec.0, piped.0);
    assert!(exec.2.contains("Did you mean `connect`"), "{}", exec.2);
    assert!(exec.2.contains("no connection #7"), "{}", exec.2);
    assert!(
        exec.2.contains("[lesson]"),
        "praise goes to stderr: {}",
        exec.2
    );
    assert!(exec.1.contains("commands (`help <command>` for more)"));
    // No banner and no prompt in script modes.
    assert!(!exec.1.contains("lnshell>"));
}

#[test]
fn flags_help_and_version() {
    let (code, out, _) = run(&["--help"], None);
    assert_eq!(code, 0);
    for flag in [
        "--data-dir",
        "--listen",
        "--no-listen",
        "--network",
        "--exec",
    ] {
        assert!(out.contains(flag), "--help lacks {flag}");
    }
    let (code, out, _) = run(&["--version"], None);
    assert_eq!(code, 0);
    assert!(out.starts_with("lnshell "));
    let dir = TempDir::new("net");
    let (code, out, _) = run(
        &[
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--no-listen",
            "--network",
            "signet",
            "--exec",
            "info --json",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains("\"network\":\"signet\""), "{out}");
    let (code, _, err) = run(&["--network", "moon", "--exec", "info"], None);
    assert_ne!(code, 0);
    assert!(err.contains("regtest"), "{err}");
}

#[test]
fn data_dir_from_environment() {
    let dir = TempDir::new("env");
    let (code, out, _) = common::run_env(
        &["--no-listen", "--exec", "info --json"],
        None,
        &[("LNSHELL_DATA_DIR", dir.path().to_str().unwrap())],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("\"data_dir\":\"{}\"", dir.path().display())),
        "{out}"
    );
    assert!(dir.path().join("node_secret").exists());
}

#[test]
fn disconnect_a_netcat_session_by_id() {
    let mut shell = Shell::start("disc");
    let addr = shell.addr();
    let (mut reader, _w) = netcat(&addr);
    read_line(&mut reader);
    let peers = shell.peers_until("one session", |l| l.len() == 1);
    let id = peers[0]["id"].as_u64().unwrap();
    shell.send(&format!("disconnect #{id}"));
    shell.wait_for_text(&format!("closed netcat session #{id}"));
    // The client sees a closing line, then EOF.
    let mut rest = String::new();
    reader.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("closing"), "{rest}");
    shell.peers_until("no sessions", |l| l.is_empty());
}

#[test]
fn unusable_data_dir_is_a_clear_error() {
    // A data dir that cannot be created (under /proc, or through a file).
    let file = TempDir::new("dd-file");
    let not_a_dir = file.path().join("plain-file");
    std::fs::write(&not_a_dir, b"x").unwrap();
    let inside_file = not_a_dir.join("data");
    for dir in [
        inside_file.to_str().unwrap(),
        "/proc/lnshell-cannot-be-here",
    ] {
        let (code, _out, err) = run(&["--data-dir", dir, "--no-listen", "--exec", "info"], None);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("cannot create the data dir") && err.contains(dir),
            "{err}"
        );
    }
}

#[test]
fn one_data_dir_runs_one_shell_and_a_killed_shell_leaves_no_stuck_lock() {
    let dir = TempDir::new("lock");
    let d = dir.path().to_str().unwrap();
    let mut first = common::spawn_shell(&mut common::shell_command(
        common::BIN,
        dir.path(),
        &["--no-listen"],
        &[],
    ))
    .expect("spawn the first shell");
    let pid = first.child.id();
    // The first shell holds the lock once its pid is in the lock file.
    let lock = dir.path().join("lnshell.lock");
    let deadline = std::time::Instant::now() + WAIT;
    while std::fs::read_to_string(&lock).unwrap_or_default().trim() != pid.to_string() {
        assert!(std::time::Instant::now() < deadline, "no lock taken");
        std::thread::sleep(Duration::from_millis(20));
    }

    let (code, out, err) = run(&["--data-dir", d, "--no-listen", "--exec", "info"], None);
    assert_eq!(code, 2, "the second shell is refused: {out}{err}");
    assert!(
        err.contains("in use by another lnshell") && err.contains(&format!("(pid {pid})")),
        "the message names the other process: {err}"
    );
    assert!(err.contains("--data-dir"), "and says what to do: {err}");
    assert!(out.is_empty(), "no node started: {out}");

    // The tools that take no data dir do not lock: decode works beside a shell.
    let (code, out, err) = run(&["--data-dir", d, "decode", "0012000400020000"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ping"), "{out}");

    // SIGKILL: no cleanup runs, and still the lock is gone with the process.
    first.child.kill().expect("kill the first shell");
    first.child.wait().expect("reap it");
    let (code, out, err) = run(
        &["--data-dir", d, "--no-listen", "--exec", "info --json"],
        None,
    );
    assert_eq!(code, 0, "a new shell starts after a crash: {err}");
    assert!(out.contains("node_id"), "{out}");
}

#[test]
fn mistakes_get_named_and_typos_get_suggestions() {
    let dir = TempDir::new("rough");
    let id = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    let connect = format!("connect {id}@127.0.0.1:70000");
    let (code, _out, err) = run(
        &[
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--no-listen",
            "--exec",
            "listen 70000",
            "--exec",
            "listen 127.0.0.1:99999",
            "--exec",
            &connect,
            "--exec",
            "help conect",
            "--exec",
            "lessons 3",
        ],
        None,
    );
    assert_ne!(code, 0);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 5, "one error per command: {err}");
    assert!(
        lines[0].contains("port 70000 is out of range") && lines[0].contains("0 to 65535"),
        "{err}"
    );
    assert!(lines[1].contains("port 99999 is out of range"), "{err}");
    assert!(
        lines[2].contains("port 70000 is out of range") && lines[2].contains("1 to 65535"),
        "{err}"
    );
    assert!(lines[3].contains("Did you mean `help connect`?"), "{err}");
    assert!(lines[4].contains("Did you mean `lesson 3`?"), "{err}");
}
