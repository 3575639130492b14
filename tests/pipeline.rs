//! lnshell in a pipeline, through the real binary: `lnshell decode|encode|example`
//! with no node, the log formats `decode` reads (samples in `tests/data/logs/`), exit
//! statuses, JSON errors (subcommands and `--exec`), completions and the manual page.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;

use common::{run, run_command, TempDir, BIN, WAIT};
use serde_json::Value;

const PEER: &str = "035d2b1192dfba134e10e540875d366ebc8bc353d5aa766b80c090b39c3a5d885d";

fn sample(name: &str) -> String {
    let path = format!("{}/tests/data/logs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn sample_path(name: &str) -> String {
    format!("{}/tests/data/logs/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `lnshell decode --json` of `input`: its JSON lines, the exit status, stderr.
fn decode_json(input: &str) -> (Vec<Value>, i32, String) {
    let (code, out, err) = run(&["decode", "--json"], Some(input));
    let lines = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (lines, code, err)
}

fn field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Each message's `name`, `direction` and `time` (empty where absent).
fn name_direction_time(lines: &[Value]) -> Vec<(&str, &str, &str)> {
    lines
        .iter()
        .map(|v| {
            (
                field(v, "name").unwrap_or(""),
                field(v, "direction").unwrap_or(""),
                field(v, "time").unwrap_or(""),
            )
        })
        .collect()
}

#[test]
fn decode_a_pipe_with_no_node() {
    // No data dir anywhere it could be made: HOME is an empty directory.
    let home = TempDir::new("pipeline-home");
    let mut cmd = Command::new(BIN);
    cmd.args(["decode", "-"])
        .env("HOME", home.path())
        .env_remove("LNSHELL_DATA_DIR");
    let out = run_command(&mut cmd, Some("0012000400020000\n"), WAIT);
    assert_eq!(out.status.and_then(|s| s.code()), Some(0), "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("line 1: ping (type 18, BOLT 1, 8 bytes)\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("result: ping (type 18, 8 bytes): ok"));
    assert!(out
        .stdout
        .ends_with("1 message: 1 decoded cleanly, 0 with errors\n"));
    assert_eq!(
        std::fs::read_dir(home.path()).map(|d| d.count()).ok(),
        Some(0),
        "decode made no data dir"
    );
}

#[test]
fn decode_arguments_like_the_shell() {
    // The words are one message, and the text is the shell's `decode` text.
    let (code, out, _) = run(&["decode", "00", "12", "0004", "00020000"], None);
    assert_eq!(code, 0);
    let dir = TempDir::new("pipeline-same");
    let (_, shell, _) = run(
        &[
            "--no-listen",
            "--data-dir",
            &dir.path().display().to_string(),
            "--exec",
            "decode 00 12 0004 00020000",
        ],
        None,
    );
    assert_eq!(out, shell);
    let (code, out, _) = run(&["decode", "--json", "0012000400020000"], None);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(out.trim()).expect("one JSON object");
    assert_eq!(
        (v["name"].as_str(), v["ok"].as_bool()),
        (Some("ping"), Some(true))
    );
    assert_eq!(field(&v, "hex"), Some("0012000400020000"));
}

#[test]
fn exit_statuses() {
    // 1: a message with errors (in the arguments, or anywhere in the stream).
    let (code, out, _) = run(&["decode", "0012zz"], None);
    assert_eq!(code, 1);
    assert!(out.contains("non-hex character 'z'"), "{out}");
    let (code, _, _) = run(&["decode"], Some("0012000400020000\n0020\n"));
    assert_eq!(code, 1);
    // 0: nothing but clean messages, and lines with no message.
    let (code, out, _) = run(&["decode"], Some("hello\n0012000400020000\n"));
    assert_eq!(code, 0);
    assert!(out.ends_with("; 1 line with no message skipped\n"), "{out}");
    // 2: the command line is wrong.
    for args in [
        &["decode", "--bogus"][..],
        &["decode", "0012", "-"],
        &["encode"],
        &["encode", "ping", "num_pong_bytes"],
        &["completions", "tcsh"],
        &["manpage", "nope"],
    ] {
        let (code, _, err) = run(args, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(!err.is_empty(), "{args:?} says why on stderr");
    }
    // 1: what was given is wrong.
    let (code, out, err) = run(&["encode", "ping", "nope=1"], None);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.starts_with("lnshell encode: unknown field \"nope\""),
        "{err}"
    );
    let (code, _, err) = run(&["example", "no_such_message"], None);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn encode_and_example_need_no_node() {
    let (code, out, _) = run(&["encode", "ping", "num_pong_bytes=4"], None);
    assert_eq!((code, out.as_str()), (0, "001200040000\n"));
    let (code, list, _) = run(&["example"], None);
    assert_eq!(code, 0);
    assert!(list.contains("open_channel"), "{list}");
    // The chain: the subcommand's own --network, else lnshell's, else regtest.
    let (_, regtest, _) = run(&["example", "init"], None);
    let (_, signet, _) = run(&["example", "init", "--network", "signet"], None);
    let (_, signet2, _) = run(&["--network", "signet", "example", "init"], None);
    assert_ne!(regtest, signet);
    assert_eq!(signet, signet2);
    // What `example` prints decodes cleanly.
    let (lines, code, _) = decode_json(&signet);
    assert_eq!(code, 0);
    assert_eq!(lines[0]["name"], "init");
}

#[test]
fn output_begins_before_input_ends() {
    let mut child = Command::new(BIN)
        .arg("decode")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn lnshell decode");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |prefix: &str| loop {
        match rx.recv_timeout(WAIT) {
            Ok(line) if line.starts_with(prefix) => return,
            Ok(_) => {}
            Err(e) => panic!("no {prefix:?} while stdin is still open: {e}"),
        }
    };
    stdin.write_all(b"0012000400020000\n").expect("write");
    stdin.flush().expect("flush");
    wait_for("result: ping");
    stdin.write_all(b"0013000400000000\n").expect("write");
    stdin.flush().expect("flush");
    wait_for("result: pong");
    drop(stdin);
    wait_for("2 messages: 2 decoded cleanly");
    assert!(child.wait().expect("exit").success());
}

#[test]
fn core_lightning_io_log() {
    let (lines, code, err) = decode_json(&sample("cln-io.log"));
    assert_eq!(code, 1, "the truncated channel_ready is an error");
    let seen = name_direction_time(&lines);
    assert_eq!(
        seen,
        [
            ("init", "out", "2024-01-15T10:23:45.123Z"),
            ("init", "in", "2024-01-15T10:23:45.140Z"),
            ("gossip_timestamp_filter", "out", "2024-01-15T10:23:45.150Z"),
            ("ping", "in", "2024-01-15T10:23:55.001Z"),
            ("pong", "out", "2024-01-15T10:23:55.002Z"),
            ("channel_ready", "in", "2024-01-15T10:23:57.000Z"),
        ]
    );
    assert!(lines.iter().all(|v| field(v, "peer") == Some(PEER)));
    assert_eq!(lines[5]["ok"], false);
    // The summary, on stderr with --json: the INFO, DEBUG and JSON-RPC lines skipped.
    assert_eq!(
        err.trim(),
        "6 messages: 5 decoded cleanly, 1 with errors; 4 lines with no message skipped"
    );
    // Text keeps the direction, peer and time, on each message's first line.
    let (_, text, _) = run(&["decode"], Some(&sample("cln-io.log")));
    assert!(
        text.contains(&format!(
            "line 3 (out to {PEER}, 2024-01-15T10:23:45.123Z): init (type 16, BOLT 1, 46 bytes)\n"
        )),
        "{text}"
    );
    assert!(text.contains(&format!(
        "line 7 (in from {PEER}, 2024-01-15T10:23:55.001Z): ping"
    )));
    assert!(text.ends_with(
        "6 messages: 5 decoded cleanly, 1 with errors; 4 lines with no message skipped\n"
    ));
}

#[test]
fn core_lightning_getlog_document() {
    let (lines, code, err) = decode_json(&sample("cln-getlog.json"));
    assert_eq!(code, 0, "{err}");
    let seen = name_direction_time(&lines);
    // `time` is relative to `created_at` (2024-01-15 10:23:44 UTC): made absolute.
    assert_eq!(
        seen,
        [
            ("init", "out", "2024-01-15 10:23:45.123000000 UTC"),
            ("init", "in", "2024-01-15 10:23:45.140000000 UTC"),
            ("ping", "in", "2024-01-15 10:23:55.001000000 UTC"),
            ("pong", "out", "2024-01-15 10:23:55.002000000 UTC"),
        ]
    );
    assert!(lines.iter().all(|v| field(v, "peer") == Some(PEER)));
    assert_eq!(
        err.trim(),
        "4 messages: 4 decoded cleanly, 0 with errors; 4 log entries with no message skipped"
    );
    // One entry a line (`jq -c '.log[]'`): the relative time stays as it was.
    let (lines, code, err) = decode_json(&sample("cln-getlog-entries.jsonl"));
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 3);
    assert_eq!(field(&lines[0], "time"), Some("1.123000000"));
    assert_eq!(field(&lines[2], "direction"), Some("in"));
    assert!(err.contains("2 lines with no message skipped"), "{err}");
    // A JSON document that is not a log: a JSON error, status 1.
    let (lines, code, _) = decode_json("{\n \"log\": [1, 2]\n}\n");
    assert_eq!(code, 1);
    assert_eq!(lines.last().and_then(|v| field(v, "kind")), Some("input"));
}

#[test]
fn lnshell_json_lines_round_trip() {
    let (lines, code, _) = decode_json(&sample("lnshell.jsonl"));
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 3);
    assert_eq!(field(&lines[0], "direction"), Some("out"));
    assert_eq!(field(&lines[1], "time"), Some("2024-01-15T10:23:55.001Z"));
    assert_eq!(field(&lines[2], "name"), Some("pong"));
    assert!(lines[2].get("direction").is_none());
    // What `decode --json` writes, it reads back as the same messages, same origins.
    let (_, first, _) = run(&["decode", "--json"], Some(&sample("cln-io.log")));
    let (_, second, _) = run(&["decode", "--json"], Some(&first));
    assert_eq!(first, second);
}

#[test]
fn text_logs_with_prefixes() {
    let (lines, code, err) = decode_json(&sample("prefixed.log"));
    assert_eq!(code, 0, "{err}");
    let seen: Vec<(&str, Option<&str>, Option<&str>)> = lines
        .iter()
        .map(|v| {
            (
                field(v, "hex").unwrap_or(""),
                field(v, "direction"),
                field(v, "time"),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("001200040000", Some("in"), Some("2024-01-15 10:23:45,123")),
            (
                "0013000400000000",
                Some("out"),
                Some("2024-01-15 10:23:45,124")
            ),
            ("0012000400020000", Some("in"), Some("2024-01-15 10:23:46")),
            ("00130002abcd", Some("out"), Some("1705314227")),
            ("001200040000", None, None),
        ]
    );
    assert_eq!(field(&lines[0], "peer"), Some(PEER));
    assert!(err.contains("2 lines with no message skipped"), "{err}");
}

/// The shell's `decode --file` is the same loop as `lnshell decode`: same output for
/// every sample, text and JSON.
#[test]
fn decode_file_in_the_shell_reads_the_same_logs() {
    let dir = TempDir::new("pipeline-file");
    for name in [
        "cln-io.log",
        "cln-getlog.json",
        "cln-getlog-entries.jsonl",
        "lnshell.jsonl",
        "prefixed.log",
    ] {
        for json in ["", " --json"] {
            let (_, shell, _) = run(
                &[
                    "--no-listen",
                    "--data-dir",
                    &dir.path().display().to_string(),
                    "--exec",
                    &format!("decode --file {}{json}", sample_path(name)),
                ],
                None,
            );
            let args: &[&str] = if json.is_empty() {
                &["decode"]
            } else {
                &["decode", "--json"]
            };
            let (_, piped, _) = run(args, Some(&sample(name)));
            assert_eq!(shell, piped, "{name}{json}");
        }
    }
}

#[test]
fn json_errors_a_script_can_read() {
    let dir = TempDir::new("pipeline-errors");
    let d = dir.path().display().to_string();
    let missing = dir.path().join("missing.txt").display().to_string();
    for (cmd, kind) in [
        (format!("decode --file {missing} --json"), "io"),
        ("info --json extra".to_string(), "usage"),
        ("peers --json --bogus".to_string(), "usage"),
        ("decode --json".to_string(), "usage"),
        ("disconnect #9 --json".to_string(), "usage"),
    ] {
        let (code, out, err) = run(&["--no-listen", "--data-dir", &d, "--exec", &cmd], None);
        assert_eq!(code, 1, "{cmd}: non-zero in --exec");
        let v: Value = serde_json::from_str(out.trim())
            .unwrap_or_else(|e| panic!("{cmd}: not one JSON object ({e}): {out:?} {err:?}"));
        assert_eq!(field(&v, "kind"), Some(kind), "{cmd}: {v}");
        assert!(field(&v, "error").is_some_and(|e| !e.is_empty()), "{cmd}");
    }
    // Piped commands too, and text errors stay on stderr as before.
    let (code, out, err) = run(
        &["--no-listen", "--data-dir", &d],
        Some("channels --json nope\ninfo extra\n"),
    );
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(out.trim()).expect("one JSON object");
    assert_eq!(field(&v, "kind"), Some("usage"));
    assert!(err.contains("error: usage: info [--json]"), "{err}");
    // The subcommand: a bad command line with --json is a JSON error, status 2.
    let (code, out, _) = run(&["decode", "--json", "--bogus"], None);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(out.trim()).expect("one JSON object");
    assert_eq!(field(&v, "kind"), Some("usage"));
    assert!(
        field(&v, "error").is_some_and(|e| e.contains("--bogus")),
        "{v}"
    );
}

#[test]
fn completions_for_three_shells_and_a_manual() {
    for (shell, marker) in [
        ("bash", "_lnshell()"),
        ("zsh", "#compdef lnshell"),
        ("fish", "complete -c lnshell"),
    ] {
        let (code, out, err) = run(&["completions", shell], None);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}");
        for word in [
            "decode",
            "encode",
            "example",
            "completions",
            "manpage",
            "nc",
        ] {
            assert!(out.contains(word), "{shell} completes {word}");
        }
    }
    let (code, man, _) = run(&["manpage"], None);
    assert_eq!(code, 0);
    assert!(man.contains(".TH lnshell 1"), "{man}");
    for word in ["decode", "\\-\\-exec", "\\-\\-data\\-dir"] {
        assert!(man.contains(word), "the manual has {word}");
    }
    let (code, man, _) = run(&["manpage", "decode"], None);
    assert_eq!(code, 0);
    assert!(man.contains(".TH lnshell-decode 1"), "{man}");
    assert!(man.contains("Exit status"), "{man}");
}

#[test]
fn only_error_and_warning_give_a_zero_channel_id_a_meaning() {
    use lnshell::wire::catalog::MESSAGES;
    // The catalogue's meanings: only BOLT 1's error and warning give zeros a meaning.
    for m in MESSAGES {
        for f in m.fields {
            let says = f.meaning.contains("every channel") || f.meaning.contains("all zero");
            assert_eq!(
                says,
                matches!(m.name, "error" | "warning") && f.name == "channel_id",
                "{}.{}: {}",
                m.name,
                f.name,
                f.meaning
            );
        }
    }
    // The decoded value says so too: an all-zero id in funding_signed is just zeros.
    let zeros = "00".repeat(32);
    let (code, out, _) = run(&["decode", &format!("0011{zeros}0000")], None);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("all zero: refers to all channels"), "{out}");
    let (_, out, _) = run(
        &["decode", &format!("0023{zeros}{}", "00".repeat(64))],
        None,
    );
    let row = out
        .lines()
        .find(|l| l.contains("channel_id"))
        .unwrap_or_default();
    assert!(!row.contains("refers to all channels"), "{row}");
    assert!(!row.contains("(all zero: every channel)"), "{row}");
    assert!(row.contains("a meaning only in error and warning"), "{row}");
    // In a warning, zeros mean no particular channel (BOLT 1), not every channel.
    let (_, out, _) = run(&["decode", &format!("0001{zeros}0000")], None);
    assert!(
        out.contains("all zero: about no particular channel"),
        "{out}"
    );
    assert!(!out.contains("refers to all channels"), "{out}");
}

#[test]
fn bytes_written_as_code_writes_them_decode_and_positions_count_from_0() {
    for input in [
        "0x00 0x12 0x00 0x04 0x00 0x02 0x00 0x00",
        "0x00,0x12,0x00,0x04,0x00,0x02,0x00,0x00",
    ] {
        let (code, out, err) = run(&["decode", input], None);
        assert_eq!(code, 0, "{input}: {err}");
        assert!(out.contains("result: ping (type 18, 8 bytes): ok"), "{out}");
    }
    let (code, out, _) = run(&["decode", "00g1"], None);
    assert_ne!(code, 0);
    assert!(out.contains("'g' at position 2"), "{out}");
    // A line pasted from a lesson with its prompt runs as the command.
    let dir = TempDir::new("prompt-paste");
    let (code, out, err) = run(
        &[
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--no-listen",
            "--exec",
            "lnshell> decode 0012000400020000",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("result: ping (type 18, 8 bytes): ok"), "{out}");
}

#[test]
fn a_misspelt_message_name_gets_a_suggestion() {
    for tool in ["encode", "example"] {
        let (code, _out, err) = run(&[tool, "pingg"], None);
        assert_ne!(code, 0, "{tool}");
        assert!(err.contains("Did you mean `ping`?"), "{tool}: {err}");
    }
}
