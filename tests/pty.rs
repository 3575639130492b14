//! The interactive REPL, driven through a real pseudo-terminal.

mod common;

use common::{shell_command, TempDir, BIN};
use rexpect::session::PtySession;

/// The shell on a pseudo-terminal (so it runs its interactive REPL), listening on a
/// free loopback port, with `env` added; every expectation waits at most 20 s.
fn pty_shell(dir: &TempDir, env: &[(&str, &str)]) -> PtySession {
    let cmd = shell_command(BIN, dir.path(), &["--listen", "127.0.0.1:0"], env);
    rexpect::session::spawn_command(cmd, Some(20_000)).expect("spawn in a pty")
}

#[test]
fn interactive_prompt_completion_and_history() {
    let dir = TempDir::new("pty");
    let mut p = pty_shell(&dir, &[]);
    p.exp_string("node id").expect("banner");
    p.exp_string("lnshell> ").expect("prompt");

    // Tab completes a command word.
    p.send("pee\t").unwrap();
    p.send_line("").unwrap();
    p.exp_string("no connections")
        .expect("peers ran after completion");
    p.exp_string("lnshell> ").unwrap();

    // Ctrl-C clears the line; the prompt stays.
    p.send("garbage-that-must-not-run").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("lnshell> ").unwrap();
    // Ctrl-C on an empty prompt says how to leave.
    p.send_control('c').unwrap();
    p.exp_string("Ctrl-D or `quit` leaves the shell")
        .expect("a hint on an empty Ctrl-C");
    p.exp_string("lnshell> ").unwrap();
    p.send_line("info").unwrap();
    p.exp_string("network    regtest").expect("info");

    // An unknown command suggests the closest one.
    p.send_line("lisen").unwrap();
    p.exp_string("Did you mean `listen`").unwrap();

    // Ctrl-D quits gracefully and history is saved.
    p.send_control('d').unwrap();
    p.exp_eof().expect("exit on Ctrl-D");
    let history = std::fs::read_to_string(dir.path().join("history.txt")).expect("history saved");
    assert!(history.contains("info"), "{history}");
    assert!(!history.contains("garbage-that-must-not-run"), "{history}");
}

#[test]
fn quitting_a_fresh_data_dir_at_once_warns_of_nothing() {
    let dir = TempDir::new("pty-fresh");
    let mut p = pty_shell(&dir, &[]);
    p.exp_string("lnshell> ").expect("prompt");
    p.send_control('d').unwrap();
    let rest = p.exp_eof().expect("exit on Ctrl-D");
    assert!(!rest.contains("could not save history"), "{rest}");
    assert!(!rest.contains("warning"), "{rest}");
}

#[test]
fn background_events_do_not_garble_the_line_being_typed() {
    let dir = TempDir::new("pty-events");
    let mut p = pty_shell(&dir, &[]);
    let (_, addr) = p.exp_regex(r"listening  127\.0\.0\.1:\d+").expect("banner");
    let addr = addr.trim_start_matches("listening  ").to_string();
    p.exp_string("lnshell> ").unwrap();
    // Half a command typed...
    p.send("pe").unwrap();
    p.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    // ...when a netcat client connects: the event prints above the prompt.
    let client = std::net::TcpStream::connect(&addr).unwrap();
    p.exp_string("netcat client connected")
        .expect("event shown while typing");
    // The half-typed line survived: finishing it runs `peers`.
    p.send_line("ers").unwrap();
    p.exp_string("netcat     in")
        .expect("peers ran with the line intact");
    drop(client);
    p.send_line("quit").unwrap();
    p.exp_eof().expect("quit");
}

#[test]
fn events_wait_while_a_lesson_is_paged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("pty-pager");
    // A pager that keeps the terminal until the test lets it go.
    let release = dir.path().join("release");
    let pager = dir.path().join("pager.sh");
    std::fs::write(
        &pager,
        format!(
            "#!/bin/sh\ncat > /dev/null\necho PAGER-SHOWN\nwhile [ ! -e '{}' ]; do sleep 0.05; done\necho PAGER-CLOSED\n",
            release.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&pager, std::fs::Permissions::from_mode(0o755)).unwrap();
    let pager_path = pager.to_str().expect("the temp dir's path is UTF-8");
    let mut p = pty_shell(&dir, &[("PAGER", pager_path), ("LINES", "10")]);
    let (_, addr) = p.exp_regex(r"listening  127\.0\.0\.1:\d+").expect("banner");
    let addr = addr.trim_start_matches("listening  ").to_string();
    p.exp_string("lnshell> ").unwrap();

    p.send_line("lesson 1").unwrap();
    p.exp_string("PAGER-SHOWN").expect("the lesson is paged");
    // A netcat client connects while the page is up: its event must wait.
    let client = std::net::TcpStream::connect(&addr).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    std::fs::write(&release, "").unwrap();
    let before = p.exp_string("PAGER-CLOSED").expect("the pager ends");
    assert!(
        !before.contains("netcat client connected"),
        "an event printed over the page: {before}"
    );
    p.exp_string("netcat client connected")
        .expect("the event shows once the page is closed");
    drop(client);
    p.send_line("quit").unwrap();
    p.exp_eof().expect("quit");
}

#[test]
fn lines_typed_ahead_in_one_write_all_run() {
    let dir = TempDir::new("pty-typeahead");
    let mut p = pty_shell(&dir, &[]);
    p.exp_string("lnshell> ").expect("prompt");
    // Three lines in one write, as a terminal without bracketed paste delivers a
    // paste (or as a fast typist gets ahead of a slow command): rustyline reads
    // them into its buffer at once, and none of them may be lost.
    p.send("info\rpeers\rhelp quit\r").unwrap();
    p.flush().unwrap();
    p.exp_string("network    regtest")
        .expect("the first line ran");
    p.exp_string("no connections").expect("the second line ran");
    p.exp_string("Peers are disconnected, listeners stopped")
        .expect("the third line ran");
    p.send_line("quit").unwrap();
    p.exp_eof().expect("quit");
}

#[test]
fn a_busy_port_at_start_gets_a_banner_that_does_not_offer_it_again() {
    let dir = TempDir::new("pty-busy");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let cmd = shell_command(BIN, dir.path(), &["--listen", &addr], &[]);
    let mut p = rexpect::session::spawn_command(cmd, Some(20_000)).expect("spawn in a pty");
    let banner = p.exp_string("lnshell> ").expect("prompt");
    assert!(banner.contains("the port is already in use"), "{banner}");
    assert!(banner.contains("`listen 0` picks a free port"), "{banner}");
    let port = addr.rsplit(':').next().unwrap();
    assert!(
        !banner.contains(&format!("`listen {port}` starts")),
        "{banner}"
    );
    p.send_line("quit").unwrap();
    p.exp_eof().expect("quit");
    drop(busy);
}
