//! The width-aware table: at any width every line fits, every value and meaning is
//! there, a meaning is never cut inside a word, and the wide layout is kept where it fits.

use super::*;
use crate::wire::{decode_bytes, DecodeOptions};

fn decoded(name: &str) -> Decoded {
    let bytes = crate::wire::encode::example(name, bitcoin::Network::Regtest)
        .unwrap_or_else(|e| panic!("example {name}: {e}"));
    decode_bytes(&bytes, DecodeOptions { ldk_check: true })
}

fn at(d: &Decoded, width: Option<usize>, full: bool) -> String {
    text(d, &RenderOptions { full, width })
}

/// Every (value, meaning) the tables show, as the rows hold them.
fn shown(d: &Decoded, full: bool) -> Vec<(String, &'static str)> {
    let mut all: Vec<(String, &'static str)> = d
        .fields
        .iter()
        .map(|f| (value::display(f, &d.bytes, full), f.meaning))
        .collect();
    for r in &d.tlvs {
        let row = record_row(d, r, full);
        all.push((row.cells[4].to_string(), r.meaning));
        if r.fields.len() > 1 {
            all.extend(
                r.fields
                    .iter()
                    .map(|f| (value::display(f, &d.bytes, full), f.meaning)),
            );
        }
    }
    all
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text as one line of words: wrapping only ever broke it at spaces.
fn joined(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn check(name: &str, d: &Decoded, width: usize, full: bool) {
    let out = at(d, Some(width), full);
    for line in out.lines() {
        assert!(
            display_width(line) <= width,
            "{name} at {width}{}: {} columns: {line:?}\n{out}",
            if full { " --full" } else { "" },
            display_width(line)
        );
    }
    let (flat, words) = (squeeze(&out), joined(&out));
    for (value, meaning) in shown(d, full) {
        assert!(
            flat.contains(&squeeze(&value)),
            "{name} at {width}: value {value:?} lost\n{out}"
        );
        assert!(
            words.contains(meaning),
            "{name} at {width}: meaning {meaning:?} lost or cut mid-word\n{out}"
        );
    }
    assert!(
        words.contains(&d.summary()),
        "{name} at {width}: no result line\n{out}"
    );
}

#[test]
fn every_example_fits_40_80_120_and_200_columns() {
    for name in catalog::message_names() {
        let d = decoded(name);
        for width in [40, 60, 80, 120, 200] {
            check(name, &d, width, false);
        }
        check(name, &d, 80, true);
        check(name, &d, 40, true);
    }
}

#[test]
fn a_message_with_errors_fits_too() {
    // A ping whose byteslen claims more than there is, then an unknown even TLV.
    let d = decode_bytes(
        &hex::decode("00120004000a00").unwrap(),
        DecodeOptions { ldk_check: true },
    );
    assert!(!d.errors.is_empty());
    for width in [40, 80] {
        let out = at(&d, Some(width), false);
        assert!(out.lines().all(|l| display_width(l) <= width), "{out}");
        for e in &d.errors {
            assert!(joined(&out).contains(&e.to_string()), "{e}\n{out}");
        }
    }
}

#[test]
fn the_wide_layout_is_kept_where_it_fits_and_without_a_width() {
    let d = decoded("open_channel");
    let stable = at(&d, None, false);
    assert_eq!(at(&d, Some(200), false), stable);
    assert_eq!(at(&d, Some(1000), false), stable);
    let row = stable
        .lines()
        .find(|l| l.contains("to_self_delay"))
        .unwrap();
    assert!(row.contains("144 blocks ≈ 1.0 days"), "{row}");
    assert!(row.contains("— blocks the other side must wait"), "{row}");
}

#[test]
fn at_80_columns_the_meaning_has_a_line_of_its_own() {
    let d = decoded("open_channel");
    let out = at(&d, Some(80), false);
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.contains("to_self_delay"))
        .unwrap();
    // The value whole on the field's line, the meaning under it.
    assert!(lines[i].contains("144 blocks ≈ 1.0 days"), "{out}");
    assert!(!lines[i].contains("must wait"), "{out}");
    assert!(
        lines[i + 1]
            .trim_start()
            .starts_with("— blocks the other side"),
        "{out}"
    );
    // Hex is shortened further: a 32-byte hash shows its ends, without `(32 bytes)`.
    let chain = lines.iter().find(|l| l.contains("chain_hash")).unwrap();
    assert!(chain.contains('…') && !chain.contains("bytes)"), "{chain}");
}

/// Every layout, exactly: a channel_reestablish with a two-field TLV record (regtest,
/// `next_funding.retransmit_flags=1`) wide and at 40, 72 and 90 columns (under the field;
/// columns with the value wrapped; columns with the meaning under), and the example
/// open_channel, whose records have one field each, wide. The files under
/// `tests/data/render/` were written from this output and read through by eye; a layout
/// change shows as their diff.
#[test]
fn layouts_are_exactly_as_recorded() {
    macro_rules! snapshot {
        ($file:literal) => {
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/data/render/",
                $file
            ))
        };
    }
    let asg = vec![("next_funding.retransmit_flags".to_string(), "1".to_string())];
    let bytes = crate::wire::encode::encode("channel_reestablish", &asg, bitcoin::Network::Regtest)
        .unwrap();
    let d = decode_bytes(&bytes, DecodeOptions { ldk_check: true });
    let cases = [
        (None, snapshot!("channel_reestablish.wide.txt")),
        (Some(40), snapshot!("channel_reestablish.40.txt")),
        (Some(72), snapshot!("channel_reestablish.72.txt")),
        (Some(90), snapshot!("channel_reestablish.90.txt")),
    ];
    for (width, want) in cases {
        assert_eq!(at(&d, width, false), want, "width {width:?}");
    }
    assert_eq!(
        at(&decoded("open_channel"), None, false),
        snapshot!("open_channel.wide.txt")
    );
}
