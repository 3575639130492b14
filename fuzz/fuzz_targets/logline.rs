//! Fuzz target `logline`: arbitrary text as a log `decode --file` reads, through the
//! log-line extractor (`wire::logline`): `find` on every line, and `for_each_entry` on the
//! whole text as a JSON document (the `lightning-cli getlog io` shape), stopped after a
//! number of entries the input picks.
//!
//! Input layout: byte 0: after how many entries the document callback stops (0: never);
//! the rest, as lossy UTF-8, is the log.
//!
//! Checks besides "no panic": a blank or `#` line is `Blank` and only those are; a line
//! that is all hex (optional `0x`, spaces, colons, tabs) is a `Message` whose hex is the
//! whole trimmed line; a message's hex is non-empty and (from a text line) a substring of
//! the line; `into_owned` keeps every part; the decoder takes every hex found; entries
//! are numbered 1, 2, 3, ... and the reader says it was stopped exactly when it was.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lnshell::wire::logline::{self, Line, Stopped};
use lnshell::wire::{self, DecodeOptions};

fuzz_target!(|data: &[u8]| {
    let (header, rest) = data.split_at(data.len().min(1));
    let stop_after = usize::from(header.first().copied().unwrap_or(0));
    let text = String::from_utf8_lossy(rest);
    for line in text.lines() {
        check_line(line);
    }
    let mut seen = 0usize;
    let mut stopped = false;
    let r = logline::for_each_entry(&mut serde_json::Deserializer::from_str(&text), |n, l| {
        seen += 1;
        assert_eq!(n, seen, "entries are numbered in order");
        assert!(!stopped, "called again after it said stop");
        assert!(!matches!(l, Line::Blank | Line::DocumentStart), "{l:?}");
        if let Line::Message { hex, .. } = &l {
            assert!(!hex.is_empty());
            let _ = wire::decode_hex(hex, DecodeOptions { ldk_check: false });
        }
        if stop_after != 0 && seen == stop_after {
            stopped = true;
            return Err(Stopped);
        }
        Ok(())
    });
    if let Ok(finished) = r {
        assert_eq!(finished, !stopped, "Ok(false) exactly when stopped");
    }
});

fn check_line(line: &str) {
    let t = line.trim();
    let found = logline::find(line);
    let blank = t.is_empty() || t.starts_with('#');
    assert_eq!(matches!(found, Line::Blank), blank, "{line:?}: {found:?}");
    let body = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    let digits = body.bytes().filter(u8::is_ascii_hexdigit).count();
    let all_hex = !blank
        && digits >= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b' ' | b':' | b'\t'));
    if all_hex {
        assert!(
            matches!(&found, Line::Message { hex, origin } if hex == t && origin.is_empty()),
            "{line:?}: {found:?}"
        );
    }
    if let Line::Message { hex, origin } = &found {
        assert!(!hex.is_empty(), "{line:?}");
        if !t.starts_with('{') {
            assert!(t.contains(hex.as_ref()), "{hex:?} is not on {line:?}");
        }
        let owned = found.clone();
        let Line::Message {
            hex: h2,
            origin: o2,
        } = owned
        else {
            unreachable!()
        };
        assert_eq!(o2.into_owned(), origin.clone().into_owned());
        assert_eq!(h2, *hex);
        let _ = wire::decode_hex(hex, DecodeOptions { ldk_check: false });
    }
    if t.starts_with('{') {
        assert!(
            !matches!(found, Line::NoMessage) || !all_hex,
            "a JSON line is never hex"
        );
    }
}
