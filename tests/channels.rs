//! A real LDK ChannelManager in each shell: channels opened over real BOLT 8
//! connections on 127.0.0.1, traced message by message.

mod common;

use common::Shell;

#[test]
fn two_shells_open_a_channel_and_trace_it() {
    let mut a = Shell::start("chan-a");
    let mut b = Shell::start("chan-b");
    let a_id = a.node_id();
    let b_id = b.node_id();
    let b_addr = b.addr();
    a.send("trace on");
    b.send("trace on");
    a.wait_for_text("trace on for every lightning peer");
    b.wait_for_text("trace on for every lightning peer");

    a.send(&format!("connect {b_id}@{b_addr}"));
    a.wait_for_text(&format!("connected to {b_id}"));
    a.send(&format!("openchannel {b_id} 250000"));
    let done = a.wait_for_text("sent; ChannelPending");
    assert!(done.contains("funding outpoint"), "{done}");

    // Both sides list the channel as pending, with the same id and capacity.
    let a_chans = a.json("channels --json", |v| {
        v.as_array().is_some_and(|l| !l.is_empty())
    });
    let b_chans = common::poll_json(&mut b, "channels --json", |v| {
        v.as_array()
            .is_some_and(|l| l.iter().any(|c| c["state"] == "pending"))
    });
    let ca = &a_chans[0];
    let cb = &b_chans[0];
    assert_eq!(ca["state"], "pending");
    assert_eq!(cb["state"], "pending");
    assert_eq!(ca["channel_id"], cb["channel_id"]);
    assert_eq!(ca["capacity_sat"], 250000);
    assert_eq!(ca["outbound"], true);
    assert_eq!(cb["outbound"], false);
    assert_eq!(ca["counterparty"], b_id.as_str());
    assert_eq!(cb["counterparty"], a_id.as_str());
    assert_eq!(ca["funding_txo"], cb["funding_txo"]);

    // The trace shows the four steps, in order and in the right direction, on each side.
    let in_order = |shell: &Shell, steps: &[(&str, &str)]| {
        let seen = shell.seen.lock().unwrap().clone();
        let mut pos = 0;
        for (dir, name) in steps {
            let prefix = format!("[trace] {dir} ");
            let found = seen[pos..]
                .iter()
                .position(|l| l.starts_with(&prefix) && l.contains(name));
            match found {
                Some(i) => pos += i + 1,
                None => panic!("no `{dir} {name}` after line {pos}:\n{}", seen.join("\n")),
            }
        }
    };
    // Events are printed by their own thread: wait for the last one to show.
    a.wait_for_text("funding_signed (type 35");
    in_order(
        &a,
        &[
            ("->", "open_channel (type 32"),
            ("<-", "accept_channel (type 33"),
            ("->", "funding_created (type 34"),
            ("<-", "funding_signed (type 35"),
        ],
    );
    b.wait_for_text("funding_signed (type 35");
    in_order(
        &b,
        &[
            ("<-", "open_channel (type 32"),
            ("->", "accept_channel (type 33"),
            ("<-", "funding_created (type 34"),
            ("->", "funding_signed (type 35"),
        ],
    );
    // LDK's events are shown too.
    a.wait_for_text("[ldk] FundingGenerationReady");
    b.wait_for_text("[ldk] ChannelPending");

    // A cooperative close starts with shutdown, and ends the channel on both sides.
    let id = ca["channel_id"].as_str().unwrap().to_string();
    a.send(&format!("closechannel {}", &id[..12]));
    a.wait_for_text("cooperative close of");
    a.wait_for_line("shutdown sent", |l| {
        l.starts_with("[trace] -> ") && l.contains("shutdown (type 38")
    });
    b.wait_for_line("shutdown received", |l| {
        l.starts_with("[trace] <- ") && l.contains("shutdown (type 38")
    });
    b.wait_for_text("cooperatively closed by our peer");

    // A second channel, force-closed: LDK asks to broadcast its commitment.
    a.send(&format!("openchannel {b_id} 120000"));
    a.wait_for_line("second channel pending", |l| {
        l.contains("sent; ChannelPending") && !l.contains(&id)
    });
    let chans = a.json("channels --json", |v| v.is_array());
    let second = chans[0]["channel_id"].as_str().unwrap().to_string();
    a.send(&format!("forceclose {second}"));
    a.wait_for_text(&format!("force-closed {second}"));
    a.wait_for_line("the force-close reported", |l| {
        l.starts_with("[ldk] ChannelClosed") && l.contains(&second)
    });
}

#[test]
fn openchannel_to_a_stranger_is_refused_with_a_reason() {
    let mut a = Shell::start("chan-stranger");
    a.send("openchannel 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 100000");
    let deadline = std::time::Instant::now() + common::WAIT;
    while !a.stderr.lock().unwrap().contains("not connected to") {
        assert!(
            std::time::Instant::now() < deadline,
            "{}",
            a.stderr.lock().unwrap()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Runs one shell command in script mode and returns stdout (and stderr).
fn exec(dir: &common::TempDir, network: &str, cmd: &str) -> (String, String) {
    let (_code, out, err) = common::run(
        &[
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--no-listen",
            "--network",
            network,
            "--exec",
            cmd,
        ],
        None,
    );
    (out.trim().to_string(), err)
}

#[test]
fn respond_shows_what_ldk_answers() {
    let dir = common::TempDir::new("respond");
    let (good, _) = exec(&dir, "regtest", "example open_channel");
    let (out, err) = exec(&dir, "regtest", &format!("respond {good}"));
    assert!(
        out.contains("LDK accepts: it answers with accept_channel"),
        "{out}{err}"
    );
    assert!(out.contains("accept_channel (type 33"), "{out}");

    let cases = [
        (
            "regtest",
            "encode open_channel to_self_delay=5000",
            "to_self_delay is larger than LDK accepts",
        ),
        (
            "regtest",
            "encode open_channel channel_flags=1",
            "only unannounced",
        ),
        (
            "regtest",
            "encode open_channel dust_limit_satoshis=10000",
            "dust_limit_satoshis is outside",
        ),
        ("testnet", "example open_channel", "another network"),
    ];
    for (network, build, why) in cases {
        let (bad, _) = exec(&dir, network, build);
        assert!(!bad.is_empty(), "{build} printed nothing");
        let (out, err) = exec(&dir, "regtest", &format!("respond {bad}"));
        assert!(out.contains("LDK refuses:"), "{build}: {out}{err}");
        assert!(out.contains(why), "{build}: expected {why:?} in\n{out}");
        assert!(
            out.contains("error (type 17"),
            "{build}: the error message is shown\n{out}"
        );
    }

    let (_, err) = exec(&dir, "regtest", "respond 0012000400020000");
    assert!(err.contains("respond takes an open_channel"), "{err}");
}

#[test]
fn netcat_open_channel_gets_ldks_answer() {
    use std::io::{BufRead, Write};
    let dir = common::TempDir::new("nc-open");
    let (good, _) = exec(&dir, "regtest", "example open_channel");
    let (bad, _) = exec(&dir, "regtest", "encode open_channel to_self_delay=5000");
    let mut shell = Shell::start("nc-open");
    let (mut reader, mut writer) = common::netcat(&shell.addr());
    common::read_greeting(&mut reader);

    // Reads the lines the session writes for one pasted line, up to the one
    // that contains `last`.
    let mut ask = |hex: &str, last: &str| -> Vec<String> {
        writeln!(writer, "{hex}").unwrap();
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(!line.is_empty(), "session ended: {lines:?}");
            let done = line.contains(last);
            lines.push(line);
            if done {
                return lines;
            }
        }
    };
    // The node's own ChannelManager answers, as to any peer.
    let lines = ask(&good, "<- node:");
    assert!(lines[0].starts_with("open_channel (type 32"), "{lines:?}");
    let answer = lines.last().unwrap();
    assert!(
        answer.starts_with("<- node: accept_channel (type 33"),
        "{answer}"
    );
    // The accept_channel it hands back is itself a valid message.
    let accept = answer.trim().rsplit(' ').next().unwrap().to_string();
    let (json, _) = exec(&dir, "regtest", &format!("decode --json {accept}"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["name"], "accept_channel");
    assert_eq!(v["errors"].as_array().map(|e| e.len()), Some(0), "{json}");
    // That channel was opened by a message made elsewhere: your side cannot go on.
    let lines = ask("outbox", "outbox");
    assert!(
        lines.concat().contains("cannot be carried further"),
        "{lines:?}"
    );

    // The same temporary_channel_id again, from the same peer, is refused for
    // that alone; a second session is a second peer.
    let lines = ask(&bad, "why:");
    assert!(lines.concat().contains("collision"), "{lines:?}");
    let (mut reader2, mut writer2) = common::netcat(&shell.addr());
    common::read_greeting(&mut reader2);
    writeln!(writer2, "{bad}").unwrap();
    let mut lines: Vec<String> = Vec::new();
    while !lines.concat().contains("why:") {
        lines.push(common::read_line(&mut reader2));
    }
    let text = lines.concat();
    assert!(text.contains("<- node: error (type 17"), "{text}");
    assert!(text.contains("to_self_delay"), "{text}");
    shell.wait_for_text("the node sent to this session's peer: error");
}
