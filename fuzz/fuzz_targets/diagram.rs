//! Fuzz target `diagram`: the conversation diagram drawn from random records at random
//! widths: `shell::diagram::draw` (plain and colour), `diagram::live_arrow` (`trace on`'s
//! arrows), `svg::svg` and `svg::html` (`diagram --svg`/`--html`).
//!
//! Input layout: byte 0: width (0 to 255; bit 0 of byte 1 adds 45, so 0 to 300); byte 1
//! bit 1: colour; byte 2: how many lanes (1 to 8); then a name for each lane (1 length
//! byte, up to 31 bytes, lossy UTF-8: names come from saved files, so anything); then
//! arrows: 1 byte (lane, modulo the lanes + 1, so lane 0 and out of range come too; bit 7
//! the direction), 1 byte time step in ms (0xff: no time), 1 byte length, that many bytes
//! of message (type and payload, any bytes: the decoder labels it).
//!
//! Checks besides "no panic": without colour, the picture has no control character and no
//! escape, the lanes are the second row, and every line fits the width (or the narrowest picture, 26 columns, when
//! the width is less): names and labels are cut, never wrapped; with colour, every
//! colour is reset on its line; `live_arrow` is one line and fits the same way (its
//! narrowest is 26 columns and the peer's name); the SVG is one `<svg>` element
//! with as many `<text>` as `</text>`.

#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use lnshell::events::Direction;
use lnshell::shell::diagram::{draw, live_arrow, Arrow, Picture, Style};
use lnshell::shell::svg;

/// `TIME + 1 + MIN_GAP + 1` in src/shell/diagram.rs: the narrowest picture drawn.
const NARROWEST: usize = 26;

fuzz_target!(|data: &[u8]| {
    let mut d = data;
    let mut byte = || -> Option<u8> {
        let (&b, rest) = d.split_first()?;
        d = rest;
        Some(b)
    };
    let w0 = usize::from(byte().unwrap_or(80));
    let flags = byte().unwrap_or(0);
    let width = w0 + if flags & 1 != 0 { 45 } else { 0 };
    let color = flags & 2 != 0;
    let lanes = usize::from(byte().unwrap_or(2) % 8) + 1;
    let mut picture = Picture::default();
    for _ in 0..lanes {
        let len = usize::from(byte().unwrap_or(0) % 32);
        let name: Vec<u8> = (0..len).filter_map(|_| byte()).collect();
        picture
            .lanes
            .push(String::from_utf8_lossy(&name).into_owned());
    }
    let mut ms = 1_764_601_321_000u64;
    while let (Some(l), Some(t), Some(len)) = (byte(), byte(), byte()) {
        let bytes: Vec<u8> = (0..len).filter_map(|_| byte()).collect();
        let at = (t != 0xff).then(|| {
            ms += u64::from(t) * 37;
            UNIX_EPOCH + Duration::from_millis(ms)
        });
        picture.arrows.push(Arrow {
            at,
            lane: usize::from(l & 0x7f) % (lanes + 1),
            direction: if l & 0x80 == 0 {
                Direction::Inbound
            } else {
                Direction::Outbound
            },
            bytes,
        });
        if picture.arrows.len() >= 64 {
            break;
        }
    }
    let style = Style { width, color };
    let text = draw(&picture, style);
    check_text(&text, style);
    // The second row is the lanes alone: a name cannot break the first row in two.
    let lanes_row = text.lines().nth(1).unwrap_or_default();
    assert!(
        lanes_row.chars().all(|c| matches!(c, ' ' | '|' | '│')) && !lanes_row.trim().is_empty(),
        "the lanes row is {lanes_row:?} in\n{text}"
    );
    for a in picture.arrows.iter().take(4) {
        let peer = &picture.lanes[a.lane.min(lanes - 1)];
        let line = live_arrow(a.direction, peer, &a.bytes, style);
        assert!(!line.contains('\n'), "{line:?}");
        // A live arrow's narrowest: `[trace] `, the narrowest gap, its two ends, a space
        // and the peer's name (at most 12 characters).
        let narrowest = 8 + 16 + 2 + peer.chars().count().min(12);
        check_text(
            &line,
            Style {
                width: style.width.max(narrowest),
                ..style
            },
        );
    }
    for page in [svg::svg(&picture), svg::html(&picture)] {
        let start = page.find("<svg").expect("an <svg> element");
        assert_eq!(page.matches("<svg").count(), 1);
        assert!(page.trim_end().ends_with("</svg>") || page.contains("</svg>"));
        assert!(start < page.find("</svg>").expect("closed"));
        assert_eq!(
            page.matches("<text").count(),
            page.matches("</text>").count()
        );
    }
});

fn check_text(text: &str, style: Style) {
    if style.color {
        // Every colour ends on its own line; no other control character.
        for line in text.lines() {
            if let Some(i) = line.rfind('\x1b') {
                assert!(line[i..].starts_with("\x1b[0m"), "{line:?}");
            }
            assert!(
                !line.chars().any(|c| c.is_control() && c != '\x1b'),
                "a control character in {line:?}"
            );
        }
        return;
    }
    let width = style.width.max(NARROWEST);
    for line in text.lines() {
        assert!(
            !line.chars().any(|c| c.is_control()),
            "a control character in {line:?}"
        );
        let n = line.chars().count();
        // Notes are wrapped at spaces, so a word longer than the width stays whole.
        let note_word = line.split(' ').count() == 1 && !line.contains('|');
        assert!(
            n <= width || note_word,
            "{n} > {width} columns: {line:?}\n{text}"
        );
    }
}
