//! Lines typed into the wrong window: a shell command in a netcat session, a message
//! name or a session's output at the shell's prompt, and a paste the terminal cut at
//! its 4095-character line limit. Real binary, a real session on 127.0.0.1.

mod common;

use std::io::Write;

use common::{netcat, read_line, run, Shell};

/// What a session answers to a shell command.
const WRONG_WINDOW: &str = "this window takes hex; commands go in the lnshell window";

/// The shell's command words, as its `help` lists them (`quit | exit` gives both).
fn shell_commands() -> Vec<String> {
    let dir = common::TempDir::new("wrong-window-help");
    let dir = dir.path().to_str().expect("utf-8 path").to_string();
    let (code, out, err) = run(&["--data-dir", &dir, "--no-listen", "--exec", "help"], None);
    assert_eq!(code, 0, "{out}{err}");
    let mut words = Vec::new();
    for line in out
        .lines()
        .skip_while(|l| !l.starts_with("commands"))
        .skip(1)
    {
        let Some(first) = line.split_whitespace().next() else {
            continue;
        };
        if first.starts_with('<') {
            continue;
        }
        words.push(first.to_string());
        if line.trim_start().starts_with("quit | exit") {
            words.push("exit".to_string());
        }
    }
    assert!(words.len() > 20, "{out}");
    words
}

#[test]
fn netcat_points_shell_commands_to_the_shell() {
    let mut shell = Shell::start("wrong-window-nc");
    let addr = shell.addr();
    let (mut reader, mut writer) = netcat(&addr);
    let greeting = common::read_greeting(&mut reader);
    assert!(
        greeting.starts_with("lnshell: plaintext session"),
        "{greeting}"
    );
    let mut sent = 0;
    for word in shell_commands() {
        if word == "help" {
            continue;
        }
        writeln!(writer, "{word} 1").unwrap();
        sent += 1;
        let reply = read_line(&mut reader);
        assert!(reply.starts_with(WRONG_WINDOW), "{word}: {reply}");
        assert!(
            reply.contains(&format!("`{word}` is a shell command")),
            "{reply}"
        );
    }
    // A line copied with the shell's prompt is the same mistake.
    writeln!(writer, "lnshell> peers").unwrap();
    let reply = read_line(&mut reader);
    assert!(reply.starts_with(WRONG_WINDOW), "{reply}");
    // `help` stays the session's own word, and hex is still decoded.
    writeln!(writer, "help").unwrap();
    let reply = read_line(&mut reader);
    assert!(reply.starts_with("session words"), "{reply}");
    while !read_line(&mut reader).starts_with("  help") {}
    writeln!(writer, "0012000400020000").unwrap();
    assert_eq!(read_line(&mut reader), "ping (type 18, 8 bytes): ok\n");
    assert_eq!(read_line(&mut reader), "pong: 0013000400000000\n");
    let peers = shell.peers_until("every line counted", |l| {
        l.iter()
            .any(|p| p["kind"] == "netcat" && p["received"] == sent + 3)
    });
    assert_eq!(peers.len(), 1);
}

#[test]
fn a_line_cut_at_the_terminals_limit_says_what_to_do() {
    let mut shell = Shell::start("wrong-window-4095");
    let addr = shell.addr();
    let (mut reader, mut writer) = netcat(&addr);
    common::read_greeting(&mut reader);
    // What a terminal in canonical mode passes on of a longer paste: its first 4095
    // characters (here the start of a long ping).
    let mut cut = format!("0012{}", "0".repeat(4091));
    writeln!(writer, "{cut}").unwrap();
    let summary = read_line(&mut reader);
    assert!(
        summary.contains("odd number of hex digits (4095)"),
        "{summary}"
    );
    let hint = read_line(&mut reader);
    assert!(
        hint.contains("exactly 4095 characters, a terminal's line limit"),
        "{hint}"
    );
    assert!(
        hint.contains("| nc") && hint.contains("decode --file"),
        "{hint}"
    );
    // One character shorter is not the terminal's doing: no hint, the next line is
    // the next reply (this one is a ping with 2043 bytes of zeros after its fields).
    cut.truncate(4094);
    writeln!(writer, "{cut}\n0012000400020000").unwrap();
    let summary = read_line(&mut reader);
    assert!(summary.contains("error"), "{summary}");
    assert_eq!(read_line(&mut reader), "ping (type 18, 8 bytes): ok\n");
    shell.wait_for_text("pong: 0013000400000000");
}

#[test]
fn the_prompt_points_message_names_and_session_lines_to_example_and_decode() {
    let dir = common::TempDir::new("wrong-window-prompt");
    let dir = dir.path().to_str().expect("utf-8 path").to_string();
    let at_prompt = |line: &str| {
        let (code, out, err) = run(&["--data-dir", &dir, "--no-listen", "--exec", line], None);
        assert_ne!(code, 0, "{line}: {out}");
        err
    };
    let err = at_prompt("ping");
    assert!(
        err.contains("`ping` is a BOLT message, not a command"),
        "{err}"
    );
    assert!(
        err.contains("`example ping`") && err.contains("`nc`"),
        "{err}"
    );
    let err = at_prompt("pong: 0013000400000000");
    assert!(err.contains("a netcat session printed"), "{err}");
    assert!(err.contains("`decode 0013000400000000`"), "{err}");
    let err = at_prompt("<- node: accept_channel (type 33, 300 bytes): ok | 00214242");
    assert!(err.contains("`decode 00214242`"), "{err}");
    // A word that is neither still gets the usual answer.
    let err = at_prompt("pingg");
    assert!(err.contains("unknown command"), "{err}");
}
