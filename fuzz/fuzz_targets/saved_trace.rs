//! Fuzz target `saved_trace`: the saved-trace reader, that is, the JSON Lines files
//! `trace save` writes and `decode --file` / `diagram --file` read back
//! (`shell::stream::decode_stream` and `shell::diagram::read_saved`, with
//! `diagram::save_line` writing).
//!
//! Input layout: byte 0 bit 0 picks the shape. Bit 0 clear: the rest is a file as it is
//! (any bytes), streamed by `decode_stream` in text and in JSON (bits 1 and 2: `--full`,
//! then JSON) and drawn from by `read_saved` (lossy UTF-8). Bit 0 set: the rest is a list
//! of records (peer, direction, time, message bytes: see `records`), written with
//! `save_line` one a line, as `trace save` does, then read back.
//!
//! Checks besides "no panic": `decode_stream` into memory never stops early, and in JSON
//! every line it writes is one JSON object; `read_saved` gives one lane a peer (lane 0
//! the saver) and every arrow a lane of its own picture. A saved file reads back the same:
//! every record an arrow, in order, with its bytes, direction, time to the nanosecond and
//! peer lane; `decode_stream` counts every record as a message (clean or with errors), none
//! skipped.

#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use lnshell::events::Direction;
use lnshell::shell::diagram::{read_saved, save_line, short_name, Picture};
use lnshell::shell::stream::{decode_stream, StreamOptions};

fuzz_target!(|data: &[u8]| {
    let (header, rest) = data.split_at(data.len().min(1));
    let mode = header.first().copied().unwrap_or(0);
    if mode & 1 == 0 {
        let opts = StreamOptions {
            full: mode & 2 != 0,
            json: mode & 4 != 0,
            // Sometimes a terminal's width, as at the prompt.
            width: (mode & 8 != 0).then_some(20 + usize::from(mode >> 4) * 12),
        };
        stream(rest, opts);
        let text = String::from_utf8_lossy(rest);
        check_picture(&read_saved(&text, "saver"));
    } else {
        round_trip(rest);
    }
});

/// Streams `file`; returns the tally's (messages, skipped lines) when it reads.
fn stream(file: &[u8], opts: StreamOptions) -> Option<(usize, usize)> {
    let mut out = Vec::new();
    let r = decode_stream(file, "fuzz", opts, &mut out);
    let text = String::from_utf8(out).expect("the output is UTF-8");
    if opts.json {
        for line in text.lines() {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"));
            assert!(v.is_object(), "{line:?}");
        }
    }
    match r {
        Ok(s) => {
            assert!(s.output_open, "memory never closes");
            let t = s.tally;
            if !opts.json {
                assert!(
                    text.trim_end().ends_with(t.summary().trim_end()),
                    "{text:?}"
                );
            }
            Some((t.clean + t.with_errors, t.skipped_lines + t.skipped_entries))
        }
        Err(e) => {
            assert!(!e.message.is_empty());
            None
        }
    }
}

fn check_picture(p: &Picture) {
    assert!(!p.lanes.is_empty());
    assert_eq!(p.lanes[0], "saver");
    for a in &p.arrows {
        assert!(
            a.lane >= 1 && a.lane < p.lanes.len(),
            "lane {} of {}",
            a.lane,
            p.lanes.len()
        );
    }
}

struct Record {
    peer: String,
    direction: Direction,
    at: SystemTime,
    bytes: Vec<u8>,
}

/// Records: each is 1 byte (bits 0-1 the peer of four, bit 2 the direction), 4 bytes of
/// seconds and 4 of nanoseconds (modulo 10^9), 1 byte of length (2 to 257 bytes), and that
/// many bytes of message (fewer at the end of the input).
fn records(mut data: &[u8]) -> Vec<Record> {
    const PEERS: [&str; 4] = [
        "02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "03bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
        "alice",
    ];
    let mut out = Vec::new();
    while data.len() >= 10 {
        let (h, rest) = data.split_at(10);
        let secs = u32::from_be_bytes([h[1], h[2], h[3], h[4]]);
        let nanos = u32::from_be_bytes([h[5], h[6], h[7], h[8]]) % 1_000_000_000;
        let len = (usize::from(h[9]) + 2).min(rest.len());
        if len < 2 {
            break;
        }
        out.push(Record {
            peer: PEERS[usize::from(h[0] & 3)].to_string(),
            direction: if h[0] & 4 == 0 {
                Direction::Inbound
            } else {
                Direction::Outbound
            },
            at: UNIX_EPOCH + Duration::new(u64::from(secs), nanos),
            bytes: rest[..len].to_vec(),
        });
        data = &rest[len..];
    }
    out
}

fn round_trip(data: &[u8]) {
    let recs = records(data);
    let mut file = String::new();
    for r in &recs {
        let line = save_line(&r.peer, r.direction, r.at, &r.bytes);
        assert!(!line.contains('\n'), "{line:?}");
        file.push_str(&line);
        file.push('\n');
    }
    let p = read_saved(&file, "saver");
    check_picture(&p);
    assert!(p.notes.is_empty(), "{:?}", p.notes);
    assert_eq!(p.arrows.len(), recs.len());
    let mut peers: Vec<&str> = Vec::new();
    for (a, r) in p.arrows.iter().zip(&recs) {
        assert_eq!(a.bytes, r.bytes);
        assert_eq!(a.direction, r.direction);
        assert_eq!(
            a.at,
            Some(r.at),
            "time of {:?}",
            save_line(&r.peer, r.direction, r.at, &r.bytes)
        );
        let lane = match peers.iter().position(|p| *p == r.peer) {
            Some(i) => i + 1,
            None => {
                peers.push(&r.peer);
                peers.len()
            }
        };
        assert_eq!(a.lane, lane);
        assert_eq!(p.lanes[lane], short_name(&r.peer));
    }
    for json in [false, true] {
        let counted = stream(
            file.as_bytes(),
            StreamOptions {
                json,
                full: false,
                width: None,
            },
        );
        assert_eq!(counted, Some((recs.len(), 0)), "{file}");
    }
}
