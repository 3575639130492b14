//! The shell notices a learner's exercises, praises them, and remembers them.

mod common;

use std::io::Write;

use common::Shell;

#[test]
fn netcat_exercises_are_noticed_and_saved() {
    let mut shell = Shell::start("exercises");
    let (mut reader, mut writer) = common::netcat(&shell.addr());
    common::read_line(&mut reader);
    writeln!(writer, "0012000400020000").unwrap();
    common::read_line(&mut reader);
    let line = common::read_line(&mut reader);
    assert!(line.starts_with("pong:"), "{line}");

    // Praise goes to stderr in script mode.
    let deadline = std::time::Instant::now() + common::WAIT;
    loop {
        let err = shell.stderr.lock().unwrap().clone();
        if err.contains("exercise ping_answered") && err.contains("exercise netcat_connected") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no praise in:\n{err}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let progress = std::fs::read_to_string(shell.data_dir.path().join("progress.txt")).unwrap();
    for id in ["netcat_connected", "netcat_decoded", "ping_answered"] {
        assert!(progress.contains(id), "{id} not saved: {progress}");
    }
    // `lessons` shows lesson 4 (netcat_decoded) as done.
    shell.send("lessons");
    let row = shell.wait_for_text("Your first peer");
    assert!(row.contains("1/1"), "{row}");

    // Progress survives a restart.
    let (_, out, _) = common::run(
        &[
            "--data-dir",
            shell.data_dir.path().to_str().unwrap(),
            "--no-listen",
            "--exec",
            "lessons",
        ],
        None,
    );
    let row = out
        .lines()
        .find(|l| l.contains("Your first peer"))
        .unwrap_or_default();
    assert!(row.contains("1/1"), "{out}");
}

#[test]
fn lesson_command_shows_lessons_and_answers() {
    let dir = common::TempDir::new("lesson-cmd");
    let d = dir.path().to_str().unwrap();
    let (code, out, err) = common::run(
        &[
            "--data-dir",
            d,
            "--no-listen",
            "--exec",
            "lesson 4",
            "--exec",
            "lesson 4 answers",
            "--exec",
            "lesson next",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Your first peer"), "{out}");
    assert!(
        out.contains("Asynchronous I/O"),
        "lesson next starts at 1: {out}"
    );
    let (code, _, err) = common::run(
        &["--data-dir", d, "--no-listen", "--exec", "lesson 99"],
        None,
    );
    assert_eq!(code, 1);
    assert!(err.contains("no lesson 99"), "{err}");
}

#[test]
fn built_in_nc_talks_to_the_shell() {
    let mut shell = Shell::start("builtin-nc");
    let addr = shell.addr();
    let (host, port) = addr.rsplit_once(':').unwrap();
    let (code, out, _err) = common::run(&["nc", host, port], Some("0012000400020000\n"));
    assert_eq!(code, 0);
    assert!(out.contains("lnshell: plaintext session"), "{out}");
    assert!(out.contains("ping (type 18, 8 bytes): ok"), "{out}");
    assert!(out.contains("pong: 0013000400000000"), "{out}");
    shell.wait_for_text("netcat client connected");
}
