//! The lessons, checked against the real binary.
//!
//! * Every ` ```lnshell ` block runs through `lnshell --no-listen --exec …` (one
//!   process per block, one `--exec` per line); the commands must succeed and the
//!   output must contain each line of the ` ```expect ` block that follows.
//! * Every hex message in the lessons (`decode <hex>` and bare hex lines in
//!   `lnshell` and `lnshell-live` blocks, each line of ` ```hex ` blocks, and what
//!   `encode`/`example` print) goes through `decode --json`: its `errors` must be
//!   empty, or non-empty for blocks marked ` ```lnshell invalid `.
//! * Every exercise id is one the shell can detect, every lesson has one, and the
//!   Markdown is well formed (fences and `<details>` closed, questions answered,
//!   `expect` blocks attached to a command, links to other lessons valid).
//!
//! Blocks marked ` ```lnshell-live ` or ` ```text ` are not run: they need a live
//! peer, another terminal, or commands that do not exist yet. Nothing here uses the
//! network beyond 127.0.0.1 (`--no-listen`; `listen 0` binds loopback), and every
//! process is killed if it runs longer than [`TIMEOUT`].
//!
//! This file reads `lessons/` itself and does not use `lnshell::lessons`, so it
//! compiles whatever the library exports; it runs the binary through the shared
//! harness (`tests/common`: `run_command`, `TempDir`).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::BIN;

/// No single shell run may take longer than this.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The exercise ids the shell can detect (kept in step with `src/lessons/exercises.rs`).
const KNOWN_EXERCISES: &[&str] = &[
    "netcat_connected",
    "netcat_decoded",
    "netcat_open_channel_100k",
    "ping_answered",
    "peer_connected",
    "outbound_connected",
    "decoded",
    "encoded",
    "listen_started",
    "trace_seen",
    "channel_pending",
    "ipv6_connected",
    "onion_connected",
    "socks5_read",
    "netcat_channel_ready",
    "netcat_payment_claimed",
    "netcat_order_broken",
    "trace_replayed",
];

fn lessons_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons")
}

/// `(file name, text)` of every numbered lesson, in order.
fn lessons() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(lessons_dir())
        .expect("lessons/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n.as_bytes().first().is_some_and(u8::is_ascii_digit))
        .map(|n| {
            let text = std::fs::read_to_string(lessons_dir().join(&n)).expect("read lesson");
            (n, text)
        })
        .collect();
    out.sort();
    assert!(
        !out.is_empty(),
        "no lessons found in {}",
        lessons_dir().display()
    );
    out
}

/// A fenced block, with the `expect` block right after it, if any.
#[derive(Debug)]
struct Block {
    file: String,
    line: usize,
    info: String,
    lines: Vec<String>,
    expect: Vec<String>,
}

impl Block {
    fn kind(&self) -> &str {
        self.info.split_whitespace().next().unwrap_or("")
    }
    fn invalid(&self) -> bool {
        self.info.split_whitespace().any(|w| w == "invalid")
    }
    fn commands(&self) -> Vec<&str> {
        self.lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    }
    fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// Every fenced block of `text`; `expect` blocks are attached to the block before.
fn blocks(file: &str, text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let indent = line.len() - line.trim_start().len();
        let mut body = Vec::new();
        let mut closed = false;
        for (_, l) in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                closed = true;
                break;
            }
            let strip = (l.len() - l.trim_start().len()).min(indent);
            body.push(l[strip..].to_string());
        }
        assert!(closed, "{file}:{}: unclosed code fence", i + 1);
        let info = info.trim().to_string();
        if info == "expect" {
            let prev = out
                .last_mut()
                .filter(|b| b.kind() == "lnshell" && b.expect.is_empty());
            match prev {
                Some(b) => {
                    b.expect = body
                        .into_iter()
                        .map(|l| l.trim().to_string())
                        .filter(|l| !l.is_empty())
                        .collect();
                }
                None => panic!(
                    "{file}:{}: an `expect` block must follow an `lnshell` block (it would never be checked)",
                    i + 1
                ),
            }
            continue;
        }
        out.push(Block {
            file: file.to_string(),
            line: i + 1,
            info,
            lines: body,
            expect: Vec::new(),
        });
    }
    out
}

fn all_blocks() -> Vec<Block> {
    lessons()
        .iter()
        .flat_map(|(name, text)| blocks(name, text))
        .collect()
}

fn is_hex(word: &str) -> bool {
    word.len() >= 4 && word.len().is_multiple_of(2) && word.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The hex message a command line carries, if any: `decode [flags] <hex>`,
/// `respond <hex>`, or a bare hex line.
fn hex_of_command(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [one] if is_hex(one) => Some(one.to_string()),
        ["decode" | "respond", .., last] if is_hex(last) => Some(last.to_string()),
        _ => None,
    }
}

/// What one shell run printed.
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs `lnshell --no-listen` with these commands, in a fresh data dir.
fn run(commands: &[&str]) -> Run {
    let dir = common::TempDir::new("lessons");
    let mut cmd = common::shell_command(BIN, dir.path(), &["--no-listen"], &[]);
    for c in commands {
        cmd.arg("--exec").arg(c);
    }
    let out = common::run_command(&mut cmd, None, TIMEOUT);
    let mut stderr = out.stderr;
    if out.status.is_none() {
        stderr.push_str(&format!("\n(killed after {}s)", TIMEOUT.as_secs()));
    }
    Run {
        ok: out.status.is_some_and(|s| s.success()),
        stdout: out.stdout,
        stderr,
    }
}

#[test]
fn lnshell_blocks_run_and_show_what_they_expect() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for b in all_blocks().iter().filter(|b| b.kind() == "lnshell") {
        let commands = b.commands();
        assert!(!commands.is_empty(), "{}: empty lnshell block", b.at());
        let r = run(&commands);
        ran += 1;
        let both = format!("{}{}", r.stdout, r.stderr);
        if !r.ok {
            failures.push(format!(
                "{}: `{}` failed:\n{}",
                b.at(),
                commands.join("; "),
                both.trim()
            ));
            continue;
        }
        for e in &b.expect {
            if !both.contains(e.as_str()) {
                failures.push(format!(
                    "{}: `{}` printed no {e:?}:\n{}",
                    b.at(),
                    commands.join("; "),
                    both.trim()
                ));
            }
        }
    }
    assert!(ran >= 10, "only {ran} lnshell blocks found");
    assert!(
        failures.is_empty(),
        "{} of {ran} lnshell blocks failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// One hex message found in the lessons.
struct Sample {
    at: String,
    hex: String,
    invalid: bool,
}

fn hex_samples() -> Vec<Sample> {
    let mut samples = Vec::new();
    for b in all_blocks() {
        match b.kind() {
            "lnshell" | "lnshell-live" => {
                for c in b.commands() {
                    if let Some(hex) = hex_of_command(c) {
                        samples.push(Sample {
                            at: b.at(),
                            hex,
                            invalid: b.invalid(),
                        });
                    }
                    // What `encode` and `example` build must decode too.
                    let first = c.split_whitespace().next().unwrap_or("");
                    if b.kind() == "lnshell" && (first == "encode" || first == "example") {
                        let r = run(&[c]);
                        for line in r.stdout.lines().map(str::trim).filter(|l| is_hex(l)) {
                            samples.push(Sample {
                                at: format!("{} (output of `{c}`)", b.at()),
                                hex: line.to_string(),
                                invalid: false,
                            });
                        }
                    }
                }
            }
            "hex" => {
                for l in b.commands() {
                    assert!(is_hex(l), "{}: not a hex message: {l:?}", b.at());
                    samples.push(Sample {
                        at: b.at(),
                        hex: l.to_string(),
                        invalid: b.invalid(),
                    });
                }
            }
            _ => {}
        }
    }
    samples
}

#[test]
fn every_hex_message_decodes_as_the_lesson_says() {
    let samples = hex_samples();
    assert!(
        samples.len() >= 10,
        "only {} hex samples found",
        samples.len()
    );
    let mut failures = Vec::new();
    for s in &samples {
        let cmd = format!("decode --json {}", s.hex);
        let r = run(&[cmd.as_str()]);
        let json: serde_json::Value = match serde_json::from_str(r.stdout.trim()) {
            Ok(j) => j,
            Err(e) => {
                failures.push(format!(
                    "{}: `decode --json` did not print one JSON object ({e}):\n{}{}",
                    s.at, r.stdout, r.stderr
                ));
                continue;
            }
        };
        let errors = json.get("errors").and_then(|e| e.as_array()).cloned();
        let name = json.get("name").and_then(|n| n.as_str()).unwrap_or("");
        let short = if s.hex.len() > 40 {
            format!("{}…", &s.hex[..40])
        } else {
            s.hex.clone()
        };
        match errors {
            None => failures.push(format!("{}: {short}: no \"errors\" array in {json}", s.at)),
            Some(_) if name.is_empty() => {
                failures.push(format!("{}: {short}: no message \"name\" in {json}", s.at))
            }
            Some(errs) if s.invalid && errs.is_empty() => failures.push(format!(
                "{}: {short} is marked invalid but decodes cleanly as {name}",
                s.at
            )),
            Some(errs) if !s.invalid && !errs.is_empty() => failures.push(format!(
                "{}: {short} ({name}) has errors: {}",
                s.at,
                serde_json::Value::Array(errs)
            )),
            Some(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} hex messages are wrong:\n\n{}",
        failures.len(),
        samples.len(),
        failures.join("\n\n")
    );
}

/// `(file, id, description)` of every `<!-- exercise: id | description -->`.
fn exercises(file: &str, text: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        let after = &rest[start + 4..];
        let end = after
            .find("-->")
            .unwrap_or_else(|| panic!("{file}: unclosed <!-- comment"));
        if let Some(body) = after[..end].trim().strip_prefix("exercise:") {
            let (id, desc) = body.split_once('|').unwrap_or((body, ""));
            out.push((
                file.to_string(),
                id.trim().to_string(),
                desc.trim().to_string(),
            ));
        }
        rest = &after[end + 3..];
    }
    out
}

#[test]
fn exercise_ids_are_known_and_every_lesson_has_one() {
    let mut used = Vec::new();
    for (file, text) in lessons() {
        let ex = exercises(&file, &text);
        assert!(!ex.is_empty(), "{file} declares no exercise");
        for (file, id, desc) in ex {
            assert!(
                KNOWN_EXERCISES.contains(&id.as_str()),
                "{file}: unknown exercise id {id:?}; the shell detects only {KNOWN_EXERCISES:?}"
            );
            assert!(!desc.is_empty(), "{file}: exercise {id} has no description");
            used.push(id);
        }
    }
    for id in KNOWN_EXERCISES {
        assert!(used.iter().any(|u| u == id), "no lesson uses exercise {id}");
    }
}

#[test]
fn lessons_are_well_formed() {
    let names: Vec<String> = lessons().into_iter().map(|(n, _)| n).collect();
    for (i, (file, text)) in lessons().iter().enumerate() {
        // Numbered 01, 02, ... without gaps.
        assert!(
            file.starts_with(&format!("{:02}-", i + 1)),
            "{file}: lessons must be numbered 01-, 02-, ... without gaps"
        );
        assert!(
            text.lines().next().is_some_and(|l| l.starts_with("# ")),
            "{file}: the first line must be the `# ` title"
        );
        // Fences close (`blocks` panics otherwise), and expect blocks attach.
        let _ = blocks(file, text);
        // <details> balance, and every question has an answer right after it.
        let opens = text.matches("<details>").count();
        let closes = text.matches("</details>").count();
        assert_eq!(
            opens, closes,
            "{file}: <details> and </details> do not pair up"
        );
        let questions = text.matches("**Question:**").count();
        assert_eq!(
            questions, opens,
            "{file}: every **Question:** needs one <details> answer"
        );
        let mut rest = text.as_str();
        while let Some(q) = rest.find("**Question:**") {
            let after = &rest[q..];
            let next_q = after[13..].find("**Question:**").map(|n| n + 13);
            let d = after.find("<details>");
            assert!(
                d.is_some() && (next_q.is_none() || d < next_q),
                "{file}: a question without its <details> answer before the next question"
            );
            rest = &after[13..];
        }
        // Links to other lessons point at files that exist.
        for part in text.split("](").skip(1) {
            let target = part.split(')').next().unwrap_or("");
            if target.ends_with(".md") && !target.contains('/') {
                assert!(
                    names.iter().any(|n| n == target) || target == "README.md",
                    "{file}: link to missing {target}"
                );
            }
        }
    }
}

#[test]
fn the_test_parser_reads_blocks_and_hex() {
    let md = "x\n```lnshell\ndecode 0012000400020000\nhelp\n```\n```expect\nping\n```\n  ```hex\n  8001cafe\n  ```\n";
    let b = blocks("t.md", md);
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].commands(), vec!["decode 0012000400020000", "help"]);
    assert_eq!(b[0].expect, vec!["ping"]);
    assert_eq!(b[1].kind(), "hex");
    assert_eq!(b[1].commands(), vec!["8001cafe"]);
    assert_eq!(
        hex_of_command("decode --json 0012000400020000").as_deref(),
        Some("0012000400020000")
    );
    assert_eq!(
        hex_of_command("0012000400020000").as_deref(),
        Some("0012000400020000")
    );
    assert_eq!(hex_of_command("respond <hex>"), None);
    assert_eq!(hex_of_command("info"), None);
}

/// The `--data-dir` and `--listen` of every second shell the lessons and the
/// README start: one data dir runs one shell, and a port takes one listener, so
/// no two lessons (nor a lesson and the README's walkthrough) may share either.
/// Lessons 9 and 10 reuse lesson 8's shells by saying so, not by starting them.
#[test]
fn second_shells_do_not_collide() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let mut texts = lessons();
    texts.push(("README.md".to_string(), readme));
    let mut dirs: Vec<(String, String)> = Vec::new();
    let mut ports: Vec<(String, String)> = Vec::new();
    for (file, text) in &texts {
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            for pair in words.windows(2) {
                let value = pair[1].trim_matches(|c| c == '\'' || c == '`');
                match pair[0] {
                    "--data-dir" if value.starts_with("/tmp/") => {
                        dirs.push((file.clone(), value.to_string()))
                    }
                    "--listen" => {
                        let port = value.rsplit(':').next().unwrap_or(value).to_string();
                        ports.push((file.clone(), port));
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(dirs.len() >= 5, "second shells found: {dirs:?}");
    for (what, list) in [("data dir", &dirs), ("port", &ports)] {
        for (i, (file, value)) in list.iter().enumerate() {
            for (other, v) in &list[i + 1..] {
                assert!(
                    v != value || other == file,
                    "{file} and {other} both start a second shell with {what} {value}"
                );
            }
        }
    }
}

/// Words that were wrong once: `#1` is lesson 1's netcat session, not B; a node
/// id may start `03` as well as `02`.
#[test]
fn lessons_name_peers_by_what_peers_shows() {
    for (file, text) in lessons() {
        for bad in ["openchannel #1", "keysend #1", "`#1` is B", "`02…` string"] {
            assert!(!text.contains(bad), "{file} says {bad:?}");
        }
    }
}
