//! Printing a [`Decoded`]: a table for the terminal ([`text`]) and a JSON object ([`json`]).
//!
//! Kept apart from decoding (like ripgrep's printer and searcher): decoding records offsets
//! and typed values, and only here are they turned into words.

use std::borrow::Cow;

use super::catalog;
use super::fmt::bytes_word;
use super::hexin::{to_hex, to_hex_short};
use super::tree::{Decoded, Field, TlvRecord, TlvStatus};

mod json;
pub(crate) mod value;

pub use json::{json, json_into, json_into_with};

/// How to print.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// Print long raw hex and long lists whole instead of shortening them.
    pub full: bool,
}

/// Bytes of hex shown before shortening.
const SHORT_HEX_BYTES: usize = 8;

fn hex_cell(d: &Decoded, f: &Field, full: bool) -> String {
    let raw = d.field_bytes(f);
    if full {
        to_hex(raw)
    } else {
        to_hex_short(raw, SHORT_HEX_BYTES)
    }
}

fn status_mark(ok: bool) -> &'static str {
    if ok {
        " "
    } else {
        "!"
    }
}

/// A multi-line description for the terminal: header, one row per field (offset, length,
/// name, raw hex, value, meaning), the TLV records, LDK's verdict, errors and notes.
pub fn text(d: &Decoded, opts: &RenderOptions) -> String {
    let mut out = String::new();
    match (d.msg_type, d.bolt) {
        (Some(t), Some(b)) => out.push_str(&format!(
            "{} (type {t}, BOLT {b}, {})\n",
            d.name,
            bytes_word(d.size)
        )),
        (Some(t), None) => out.push_str(&format!(
            "{} type {t} ({} range, {})\n",
            d.name,
            catalog::type_group(t),
            bytes_word(d.size)
        )),
        (None, _) => out.push_str(&format!("{} ({})\n", d.name, bytes_word(d.size))),
    }
    if let Some(t) = d.msg_type {
        let mut rows: Vec<Row> = vec![[
            "0".into(),
            "2".into(),
            "type".into(),
            format!("{t:04x}").into(),
            format!("{t} = {}", d.name).into(),
            "message type (u16)".into(),
        ]];
        for f in &d.fields {
            rows.push(field_row(d, f, opts.full, ""));
        }
        table(
            &mut out,
            &["offset", "len", "field", "hex", "value", "meaning"],
            &rows,
        );
    }
    if let Some(stream) = d.tlv_stream {
        if !d.tlvs.is_empty() {
            out.push_str(&format!("\nTLV stream {stream}:\n"));
            let mut rows = Vec::new();
            for r in &d.tlvs {
                rows.push(record_row(d, r, opts.full));
                if r.fields.len() > 1 {
                    for f in &r.fields {
                        rows.push(field_row(d, f, opts.full, "  "));
                    }
                }
            }
            table(
                &mut out,
                &["offset", "len", "record", "hex", "value", "meaning"],
                &rows,
            );
        }
    }
    if let Some(l) = &d.ldk {
        out.push('\n');
        out.push_str(&ldk_line(l));
        out.push('\n');
    }
    if !d.errors.is_empty() {
        out.push_str("\nerrors:\n");
        for e in &d.errors {
            out.push_str(&format!("  - {e}\n"));
        }
    }
    if !d.notes.is_empty() {
        out.push_str("\nnotes:\n");
        for n in &d.notes {
            out.push_str(&format!("  - {n}\n"));
        }
    }
    out.push_str(&format!("\nresult: {}", d.summary()));
    out
}

fn ldk_line(l: &super::ldk::LdkCheck) -> String {
    let mut s = match (l.decoder, l.ok, &l.error) {
        (Some(dec), true, _) => format!("LDK: accepted by {dec}"),
        (Some(dec), false, Some(e)) => format!("LDK: rejected by {dec}: {e}"),
        (Some(dec), false, None) => format!("LDK: rejected by {dec}"),
        (None, _, _) => "LDK: no decoder for this type".to_string(),
    };
    if let Some(n) = &l.note {
        s.push_str(&format!(" ({n})"));
    }
    s
}

/// A table row: offset, length, name, hex, value, meaning.
type Row = [Cow<'static, str>; 6];

fn field_row(d: &Decoded, f: &Field, full: bool, indent: &str) -> Row {
    let mut name = String::with_capacity(indent.len() + 2 + f.name.len());
    name.push_str(indent);
    name.push_str(status_mark(f.ok));
    name.push_str(&f.name);
    [
        f.offset.to_string().into(),
        f.length.to_string().into(),
        name.into(),
        hex_cell(d, f, full).into(),
        value::display(f, &d.bytes, full).into(),
        f.meaning.into(),
    ]
}

fn record_row(d: &Decoded, r: &TlvRecord, full: bool) -> Row {
    let name = match (r.name, r.status) {
        (Some(n), _) => n.to_string(),
        (None, TlvStatus::UnknownEven) => "unknown (even: violation)".to_string(),
        (None, _) => "unknown (odd: ignored)".to_string(),
    };
    let raw = d
        .bytes
        .get(r.value_offset..r.value_offset + r.length)
        .unwrap_or(&[]);
    let hex = if full {
        to_hex(raw)
    } else {
        to_hex_short(raw, SHORT_HEX_BYTES)
    };
    let value = match r.fields.as_slice() {
        [only] => value::display(only, &d.bytes, full),
        [] if r.status == TlvStatus::Known => "present".to_string(),
        _ => String::new(),
    };
    [
        r.offset.to_string().into(),
        r.length.to_string().into(),
        format!("{}{} {name}", status_mark(r.ok), r.tlv_type).into(),
        hex.into(),
        value.into(),
        r.meaning.into(),
    ]
}

/// Left-aligned columns (offset and length right-aligned); the last column is not padded.
fn table(out: &mut String, header: &[&str; 6], rows: &[Row]) {
    // Long cells (feature lists, full hex) overflow instead of widening every row.
    const MAX_WIDTH: [usize; 6] = [6, 5, 40, 44, 44, 0];
    let mut widths = header.map(|h| h.chars().count());
    for r in rows {
        for (i, cell) in r.iter().enumerate() {
            let n = cell.chars().count();
            if n <= MAX_WIDTH[i] || i < 2 {
                widths[i] = widths[i].max(n);
            }
        }
    }
    // Spaces as one copy from a constant: `extend(repeat_n(' ', n))` pushes a char at a
    // time, and whether the compiler turns that into a copy varies from build to build.
    const SPACES: &str = "                                                                ";
    let pad = |out: &mut String, mut n: usize| {
        while n > 0 {
            let k = n.min(SPACES.len());
            out.push_str(&SPACES[..k]);
            n -= k;
        }
    };
    let mut line = |cells: [&str; 6]| {
        let start = out.len();
        for (i, cell) in cells.iter().enumerate() {
            let gap = widths[i].saturating_sub(cell.chars().count());
            match i {
                0 | 1 => {
                    pad(out, gap);
                    out.push_str(cell);
                }
                5 => {
                    if !cell.is_empty() {
                        out.push_str("— ");
                        out.push_str(cell);
                    }
                }
                _ => {
                    out.push_str(cell);
                    pad(out, gap);
                }
            }
            if i < 5 {
                out.push_str("  ");
            }
        }
        let kept = out[start..].trim_end().len();
        out.truncate(start + kept);
        out.push('\n');
    };
    line([header[0], header[1], header[2], header[3], header[4], ""]);
    for r in rows {
        line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]);
    }
}

/// Field names worth a place in a one-line trace, in the order they are shown.
const BRIEF_FIELDS: &[&str] = &[
    "funding_satoshis",
    "push_msat",
    "dust_limit_satoshis",
    "channel_reserve_satoshis",
    "to_self_delay",
    "minimum_depth",
    "channel_flags",
    "feerate_per_kw",
    "amount_msat",
    "cltv_expiry",
    "id",
    "htlc_id",
    "fee_satoshis",
    "num_pong_bytes",
    "byteslen",
    "short_channel_id",
    "timestamp",
    "alias",
    "next_commitment_number",
    "next_revocation_number",
    "first_blocknum",
    "number_of_blocks",
    "funding_output_index",
    "initiator",
    "data",
];

/// One line for a live trace: name, type, and the few fields that matter most
/// (`init` gets its feature names; `error`/`warning` their text).
pub fn brief(d: &Decoded) -> String {
    let mut out = format!(
        "{} (type {}, {})",
        d.name,
        d.msg_type
            .map(|t| t.to_string())
            .unwrap_or_else(|| "?".into()),
        bytes_word(d.size)
    );
    let mut parts: Vec<String> = Vec::new();
    if let Some(f) = d.field("channel_id") {
        let raw = d.field_bytes(f);
        if raw.len() == 32 {
            parts.push(format!("channel_id {}…", to_hex(&raw[..4])));
        }
    }
    if d.msg_type == Some(catalog::INIT) {
        if let Some(f) = d.field("features") {
            let names = super::features::describe(d.field_bytes(f));
            parts.push(format!("features: {}", names.join(", ")));
        }
    }
    for name in BRIEF_FIELDS {
        if let Some(f) = d.field(name) {
            parts.push(format!("{name}={}", value::display(f, &d.bytes, false)));
        }
        if parts.len() >= 5 {
            break;
        }
    }
    if !parts.is_empty() {
        out.push_str(": ");
        out.push_str(&parts.join(", "));
    }
    if let Some(e) = d.errors.first() {
        out.push_str(&format!(" [error: {e}]"));
    }
    out
}
