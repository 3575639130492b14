//! Fuzz target `netcat_line`: arbitrary bytes as what a netcat client sends, read and answered
//! by the plaintext session's own code (src/session.rs), without a node or a socket.
//!
//! Input layout: byte 0 picks the reader's buffer size (0: tokio's default 8 KiB, else 1 to
//! 255 bytes, so lines straddle buffer refills); byte 1 the line limit (0: `MAX_LINE`, else 8
//! to 2040 bytes, so "line too long" is reachable with small inputs); byte 2 what the stand-in
//! for LDK answers to a valid `open_channel`; the rest is the client's byte stream.
//!
//! Per line it runs `node::netcat::read_line_bounded` (polled on an in-memory reader, where it can
//! never wait), `netcat::is_binary`, and `netcat::reply_to_line`, then the shell's side: the
//! `NetcatLine` event as printed and the lesson exercises it completes. Repeated here, because
//! they are inline in `Session::serve`, are only the few lines of glue between those calls:
//! binary lines counted and skipped (the session closes after `max_garbage_lines` in a row),
//! lossy UTF-8, trim, blank lines skipped, and closing on a too-long line.
//! The LDK `ChannelManager` behind `respond` is not fuzzed here (it needs a node); a stand-in
//! closure returns one of the three kinds of `Answer`, so every reply shape is built.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lnshell::events::{Event, NetcatAnswer};
use lnshell::node::netcat::{is_binary, read_line_bounded, reply_to_line, LineRead, LineReply};
use lnshell::node::responder::Answer;
use lnshell::node::Limits;
use lnshell::wire::{self, decode::Value, Decoded};

fuzz_target!(|data: &[u8]| {
    let (header, stream) = data.split_at(data.len().min(3));
    let capacity = match header.first() {
        None | Some(0) => 8 * 1024,
        Some(&n) => usize::from(n),
    };
    let max_line = match header.get(1) {
        None | Some(0) => lnshell::node::netcat::MAX_LINE,
        Some(255) => usize::MAX,
        Some(&n) => usize::from(n) * 8,
    };
    let answer_kind = header.get(2).copied().unwrap_or(0);
    session(stream, capacity, max_line, answer_kind);
});

/// What the stand-in for LDK's `ChannelManager` answers.
fn stand_in(kind: u8) -> Answer {
    const REASONS: [&str; 4] = [
        "Peer's channel announcement preference is not compatible with ours",
        "dust_limit_satoshis (1) is less than the implementation limit (354)",
        "funding satoshis is less than the user specified limit",
        "",
    ];
    match kind % 4 {
        0 => Answer::Nothing,
        1 => Answer::Accept(vec![0x00, 0x21, 0xde, 0xad]),
        2 => Answer::Refuse {
            message: Some(vec![0x00, 0x11, 0x00]),
            reason: REASONS[usize::from(kind / 4) % REASONS.len()].to_string(),
        },
        _ => Answer::Refuse {
            message: None,
            reason: REASONS[usize::from(kind / 4) % REASONS.len()].to_string(),
        },
    }
}

fn session(stream: &[u8], capacity: usize, max_line: usize, answer_kind: u8) {
    let max_garbage_lines = Limits::default().max_garbage_lines;
    let mut reader = tokio::io::BufReader::with_capacity(capacity, stream);
    let mut line = Vec::new();
    let mut consumed = 0usize;
    let mut garbage_in_a_row = 0u32;
    loop {
        line.clear();
        match ready(read_line_bounded(&mut reader, &mut line, max_line)) {
            Ok(LineRead::Eof) => {
                assert_eq!(consumed, stream.len(), "EOF before the end of the stream");
                return;
            }
            Ok(LineRead::TooLong) => {
                let rest = &stream[consumed..];
                let end = rest
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(rest.len(), |i| i + 1);
                assert!(
                    end > max_line.saturating_add(2),
                    "a line of {end} bytes refused (limit {max_line})"
                );
                return; // the session says so and closes
            }
            Ok(LineRead::Line) => {}
            Err(e) => panic!("reading from memory failed: {e}"),
        }
        // The reader hands back exactly the next bytes of the stream, one line at a time.
        assert!(
            line.len() <= max_line.saturating_add(2),
            "line of {} bytes",
            line.len()
        );
        assert!(!line.is_empty());
        assert_eq!(&stream[consumed..consumed + line.len()], &line[..]);
        consumed += line.len();
        let newline = line.iter().position(|&b| b == b'\n');
        assert!(
            newline == Some(line.len() - 1) || (newline.is_none() && consumed == stream.len()),
            "a line must end at its only newline, or at the end of the stream"
        );

        // Session::serve, between the calls.
        if is_binary(&line) {
            garbage_in_a_row += 1;
            if garbage_in_a_row >= max_garbage_lines {
                return;
            }
            continue;
        }
        garbage_in_a_row = 0;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let LineReply {
            decoded,
            reply,
            answer,
        } = reply_to_line(text, |_| stand_in(answer_kind));

        let summary = decoded.summary();
        assert!(
            !summary.contains('\n'),
            "the summary is one line: {summary:?}"
        );
        let expected = match &answer {
            Some(a) => format!("{summary}\n{a}\n"),
            None => format!("{summary}\n"),
        };
        assert_eq!(reply, expected);
        if answer.is_some() {
            assert!(decoded.is_ok(), "an answer to an invalid message");
        }
        if decoded.msg_type == Some(18) {
            if let Some(a) = &answer {
                check_pong(&decoded, &a.to_string());
            }
        }
        shell_side(decoded, answer);
    }
}

/// A ping's answer is a valid pong with `num_pong_bytes` ignored bytes, or a refusal.
fn check_pong(ping: &Decoded, answer: &str) {
    let Some(Value::Uint(n)) = ping.field("num_pong_bytes").map(|f| f.value) else {
        panic!("answered a ping without num_pong_bytes: {answer}");
    };
    if let Some(hex) = answer.strip_prefix("pong: ") {
        let pong = wire::decode_hex(hex, wire::DecodeOptions { ldk_check: true });
        assert!(pong.is_ok(), "our pong is invalid: {:?}", pong.errors);
        assert_eq!(pong.msg_type, Some(19));
        assert!(
            matches!(pong.field("byteslen").map(|f| f.value), Some(Value::Uint(m)) if m == n),
            "pong length is not num_pong_bytes {n}"
        );
    } else {
        assert!(n >= 65532 && answer.starts_with("no pong"), "{answer}");
    }
}

/// The shell's side of a line: the event as printed and the exercises it completes.
fn shell_side(decoded: Decoded, answer: Option<NetcatAnswer>) {
    let event = Event::NetcatLine {
        id: 1,
        decoded: Box::new(decoded),
        answer,
    };
    let _ = lnshell::repl::printer::render(&event);
    let _ = lnshell::lessons::exercises_in(&event);
}

/// Polls a future that cannot wait (its reader is in memory) to completion.
fn ready<F: std::future::Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut f = std::pin::pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("an in-memory reader returned Pending"),
    }
}
