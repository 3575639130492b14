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

/// The shell on a pseudo-terminal `columns` wide (set with `stty` before the shell
/// starts, so it reads the size with TIOCGWINSZ as on a real terminal).
fn pty_shell_sized(dir: &TempDir, columns: u16) -> PtySession {
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg(format!("stty cols {columns} rows 50 && exec \"$0\" \"$@\""))
        .arg(BIN)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--listen", "127.0.0.1:0"])
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    rexpect::session::spawn_command(cmd, Some(20_000)).expect("spawn in a pty")
}

/// What a command printed, from the text that starts it (`start`, after the echo of
/// the typed line) to the next prompt: its lines without `\r`.
fn block(p: &mut PtySession, cmd: &str, start: &str) -> Vec<String> {
    p.send_line(cmd).unwrap();
    p.exp_string(start)
        .unwrap_or_else(|e| panic!("`{cmd}` never printed {start:?}: {e}"));
    let rest = p
        .exp_string("lnshell> ")
        .expect("the prompt after the command");
    utf8(&format!("{start}{rest}"))
        .replace('\r', "")
        .lines()
        .map(str::to_string)
        .collect()
}

/// rexpect hands over each byte as a char: the text as the terminal shows it (UTF-8).
fn utf8(read: &str) -> String {
    let bytes: Vec<u8> = read
        .chars()
        .map(|c| u8::try_from(c).unwrap_or(b'?'))
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A line's width on the terminal (chars, colour codes not counted).
fn columns(line: &str) -> usize {
    lnshell::wire::render::display_width(line)
}

fn assert_fits(what: &str, lines: &[String], width: usize) {
    for l in lines {
        assert!(
            columns(l) <= width,
            "{what}: a line of {} columns at {width}: {l:?}\n{}",
            columns(l),
            lines.join("\n")
        );
    }
}

/// The text as one run of words: whatever was wrapped, only at spaces.
fn words(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every field meaning of `open_channel` in the catalogue (its rows).
fn open_channel_meanings() -> Vec<&'static str> {
    let spec = lnshell::wire::catalog::MESSAGES
        .iter()
        .find(|m| m.name == "open_channel")
        .expect("open_channel in the catalogue");
    // The TLV stream is a table of its own, not a row.
    spec.fields
        .iter()
        .filter(|f| f.ty != lnshell::wire::catalog::FieldType::Tlvs)
        .map(|f| f.meaning)
        .collect()
}

/// A pty shell `columns` wide with a lightning peer (`other`, a shell of its own), a
/// channel to it, and a netcat session: what `peers` and `channels` have to lay out.
/// Returns the shell, the peer's node id and the channel's id.
fn shell_with_a_peer_and_a_channel(
    dir: &TempDir,
    columns: u16,
    other: &mut common::Shell,
) -> (PtySession, String, String, std::net::TcpStream) {
    let other_id = other.node_id();
    let other_addr = other.addr();
    let mut p = pty_shell_sized(dir, columns);
    let (_, addr) = p.exp_regex(r"listening  127\.0\.0\.1:\d+").expect("banner");
    let addr = addr.trim_start_matches("listening  ").to_string();
    p.exp_string("lnshell> ").unwrap();
    p.send_line(&format!("connect {other_id}@{other_addr}"))
        .unwrap();
    p.exp_string("BOLT 8 handshake and init done")
        .expect("connected");
    p.exp_string("lnshell> ").unwrap();
    p.send_line(&format!("openchannel {other_id} 100000"))
        .unwrap();
    // `openchannel` waits for the channel to be pending and says so itself (the
    // event is not printed a second time).
    p.exp_string("ChannelPending: channel")
        .expect("the channel is pending");
    p.exp_string("lnshell> ").unwrap();
    let client = std::net::TcpStream::connect(&addr).unwrap();
    p.exp_string("netcat client connected")
        .expect("netcat event");
    let json = block(&mut p, "channels --json", "[{");
    let chans: serde_json::Value =
        serde_json::from_str(&json[0]).unwrap_or_else(|e| panic!("{e}: {json:?}"));
    let channel_id = chans[0]["channel_id"].as_str().expect("an id").to_string();
    (p, other_id, channel_id, client)
}

#[test]
fn at_80_columns_decode_peers_and_channels_fit_and_short_ids_work() {
    let mut other = common::Shell::start("pty-80-other");
    let dir = TempDir::new("pty-80");
    let (mut p, other_id, channel_id, client) =
        shell_with_a_peer_and_a_channel(&dir, 80, &mut other);
    let hex = common::run(&["example", "open_channel"], None).1;

    let decoded = block(
        &mut p,
        &format!("decode {}", hex.trim()),
        "open_channel (type 32",
    );
    assert_fits("decode", &decoded, 80);
    let text = words(&decoded);
    for meaning in open_channel_meanings() {
        assert!(
            text.contains(meaning),
            "meaning {meaning:?} missing or split mid-word:\n{}",
            decoded.join("\n")
        );
    }
    // The narrow layout: the value on the field's line, the meaning under it.
    let i = decoded
        .iter()
        .position(|l| l.contains("to_self_delay"))
        .expect("to_self_delay row");
    assert!(
        decoded[i].contains("144 blocks ≈ 1.0 days"),
        "{}",
        decoded[i]
    );
    assert!(
        decoded[i + 1]
            .trim_start()
            .starts_with("— blocks the other side"),
        "{}",
        decoded.join("\n")
    );
    assert!(
        text.contains("result: open_channel (type 32, ") && text.contains(" bytes): ok"),
        "{text}"
    );

    let peers = block(&mut p, "peers", "id    kind");
    assert_fits("peers", &peers, 80);
    // The lightning peer's node id whole on a line of its own, its features wrapped
    // with each name whole.
    assert!(
        peers
            .iter()
            .any(|l| l.trim() == format!("node id {other_id}")),
        "{}",
        peers.join("\n")
    );
    assert!(words(&peers).contains("var_onion_optin (required)"));
    assert!(peers.iter().any(|l| l.contains("netcat     in")));

    let chans = block(&mut p, "channels", &channel_id[..12]);
    assert_fits("channels", &chans, 80);
    let short = chans[0]
        .split_whitespace()
        .next()
        .expect("an id")
        .to_string();
    assert!(
        short.len() < channel_id.len() && channel_id.starts_with(&short),
        "{short} is not a prefix of {channel_id}"
    );
    assert!(chans.iter().any(|l| l.trim() == other_id), "{chans:?}");
    assert!(words(&chans).contains("`closechannel` and `forceclose` take"));

    // The shortened id is taken back.
    let closed = block(
        &mut p,
        &format!("closechannel {short}"),
        "cooperative close",
    );
    assert!(words(&closed).contains(&channel_id), "{closed:?}");
    assert_fits("closechannel", &closed, 80);

    let help = block(&mut p, "help", "commands (");
    assert_fits("help", &help, 80);
    assert!(
        words(&help).contains("make n blocks (default 1) on the shell's in-memory regtest chain")
    );

    drop(client);
    p.send_line("quit").unwrap();
    p.exp_eof().expect("quit");
}

#[test]
fn at_200_columns_the_wide_layout_is_kept() {
    let mut other = common::Shell::start("pty-200-other");
    let dir = TempDir::new("pty-200");
    let (mut p, other_id, channel_id, client) =
        shell_with_a_peer_and_a_channel(&dir, 200, &mut other);
    let hex = common::run(&["example", "open_channel"], None).1;

    // Exactly the stable layout a pipe gets.
    let decoded = block(
        &mut p,
        &format!("decode {}", hex.trim()),
        "open_channel (type 32",
    );
    let (_, plain, _) = common::run(&["decode", hex.trim()], None);
    let plain: Vec<&str> = plain.lines().collect();
    assert_eq!(
        &decoded[..plain.len()],
        &plain[..],
        "at 200 columns decode is not the wide layout"
    );
    assert!(decoded
        .iter()
        .any(|l| l.contains("144 blocks ≈ 1.0 days") && l.contains("— blocks the other side")));

    let peers = block(&mut p, "peers", "id    kind");
    assert_fits("peers", &peers, 200);
    assert!(
        peers
            .iter()
            .any(|l| l.contains("lightning  out") && l.ends_with(&other_id)),
        "{}",
        peers.join("\n")
    );

    let chans = block(&mut p, "channels", &channel_id);
    assert!(chans[0].starts_with(&channel_id), "{chans:?}");
    assert!(chans[0].ends_with(&other_id), "{chans:?}");

    drop(client);
    p.send_line("quit").unwrap();
    p.exp_eof().expect("quit");
}

#[test]
fn columns_stands_in_when_the_terminal_reports_no_size() {
    // rexpect's pty is never sized (0 columns), as some terminals leave it.
    let dir = TempDir::new("pty-columns");
    let mut p = pty_shell(&dir, &[("COLUMNS", "60"), ("NO_COLOR", "1")]);
    p.exp_string("lnshell> ").expect("prompt");
    let hex = common::run(&["example", "open_channel"], None).1;
    let decoded = block(
        &mut p,
        &format!("decode {}", hex.trim()),
        "open_channel (type 32",
    );
    assert_fits("decode at $COLUMNS=60", &decoded, 60);
    assert!(decoded.iter().any(|l| columns(l) > 50), "{decoded:?}");
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
