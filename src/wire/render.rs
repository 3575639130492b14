//! Printing a [`Decoded`]: a table for the terminal ([`text`]) and a JSON object ([`json`]).
//!
//! Kept apart from decoding (like ripgrep's printer and searcher): decoding records offsets
//! and typed values, and only here are they turned into words.

use serde_json::{json, Map, Value as Json};

use super::catalog;
use super::decode::{Decoded, Field, TlvRecord, TlvStatus};
use super::hexin::{to_hex, to_hex_short};
use super::show;

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
            super::decode::bytes_word(d.size)
        )),
        (Some(t), None) => out.push_str(&format!(
            "{} type {t} ({} range, {})\n",
            d.name,
            catalog::type_group(t),
            super::decode::bytes_word(d.size)
        )),
        (None, _) => out.push_str(&format!(
            "{} ({})\n",
            d.name,
            super::decode::bytes_word(d.size)
        )),
    }
    if let Some(t) = d.msg_type {
        let mut rows: Vec<[String; 6]> = vec![[
            "0".into(),
            "2".into(),
            "type".into(),
            format!("{t:04x}"),
            format!("{t} = {}", d.name),
            "message type (u16)".into(),
        ]];
        for f in &d.fields {
            rows.push(field_row(d, f, opts.full, ""));
        }
        out.push_str(&table(
            &["offset", "len", "field", "hex", "value", "meaning"],
            &rows,
        ));
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
            out.push_str(&table(
                &["offset", "len", "record", "hex", "value", "meaning"],
                &rows,
            ));
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

fn field_row(d: &Decoded, f: &Field, full: bool, indent: &str) -> [String; 6] {
    [
        f.offset.to_string(),
        f.length.to_string(),
        format!("{indent}{}{}", status_mark(f.ok), f.name),
        hex_cell(d, f, full),
        show::display(f, &d.bytes, full),
        f.meaning.to_string(),
    ]
}

fn record_row(d: &Decoded, r: &TlvRecord, full: bool) -> [String; 6] {
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
        [only] => show::display(only, &d.bytes, full),
        [] if r.status == TlvStatus::Known => "present".to_string(),
        _ => String::new(),
    };
    [
        r.offset.to_string(),
        r.length.to_string(),
        format!("{}{} {name}", status_mark(r.ok), r.tlv_type),
        hex,
        value,
        r.meaning.to_string(),
    ]
}

/// Left-aligned columns (offset and length right-aligned); the last column is not padded.
fn table(header: &[&str; 6], rows: &[[String; 6]]) -> String {
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
    let mut out = String::new();
    let mut line = |cells: [&str; 6]| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            match i {
                0 | 1 => {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                }
                5 => {
                    if !cell.is_empty() {
                        s.push_str("— ");
                        s.push_str(cell);
                    }
                }
                _ => {
                    s.push_str(cell);
                    s.push_str(&" ".repeat(pad));
                }
            }
            if i < 5 {
                s.push_str("  ");
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line([header[0], header[1], header[2], header[3], header[4], ""]);
    for r in rows {
        line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]);
    }
    out
}

fn field_json(d: &Decoded, f: &Field) -> Json {
    json!({
        "name": f.name,
        "offset": f.offset,
        "length": f.length,
        "hex": to_hex(d.field_bytes(f)),
        "value": show::json_value(f, &d.bytes),
        "display": show::display(f, &d.bytes, true),
        "meaning": f.meaning,
        "ok": f.ok,
    })
}

fn record_json(d: &Decoded, r: &TlvRecord) -> Json {
    let raw = d
        .bytes
        .get(r.value_offset..r.value_offset + r.length)
        .unwrap_or(&[]);
    let value = match (r.fields.as_slice(), r.status) {
        ([only], _) => show::json_value(only, &d.bytes),
        ([], TlvStatus::Known) => Json::Bool(true),
        ([], _) => Json::Null,
        (many, _) => {
            let mut m = Map::new();
            for f in many {
                m.insert(f.name.to_string(), show::json_value(f, &d.bytes));
            }
            Json::Object(m)
        }
    };
    let status = match r.status {
        TlvStatus::Known => "known",
        TlvStatus::UnknownOdd => "unknown_odd",
        TlvStatus::UnknownEven => "unknown_even",
    };
    json!({
        "type": r.tlv_type,
        "name": r.name,
        "offset": r.offset,
        "length": r.length,
        "hex": to_hex(raw),
        "value": value,
        "status": status,
        "fields": r.fields.iter().map(|f| field_json(d, f)).collect::<Vec<_>>(),
        "meaning": r.meaning,
        "ok": r.ok,
    })
}

/// The decoded message as JSON (schema in the README, "decode --json"). Invalid input still gives an
/// object, with `errors` non-empty.
pub fn json(d: &Decoded) -> Json {
    let ldk = d
        .ldk
        .as_ref()
        .map(|l| json!({"ok": l.ok, "error": l.error, "decoder": l.decoder, "note": l.note}));
    json!({
        "type": d.msg_type,
        "name": d.name,
        "bolt": d.bolt,
        "size": d.size,
        "fields": d.fields.iter().map(|f| field_json(d, f)).collect::<Vec<_>>(),
        "tlv_stream": d.tlv_stream,
        "tlvs": d.tlvs.iter().map(|r| record_json(d, r)).collect::<Vec<_>>(),
        "ldk": ldk,
        "errors": d.errors,
        "notes": d.notes,
        "ok": d.is_ok(),
    })
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
        super::decode::bytes_word(d.size)
    );
    let mut parts: Vec<String> = Vec::new();
    if let Some(f) = d.field("channel_id") {
        let raw = d.field_bytes(f);
        if raw.len() == 32 {
            parts.push(format!("channel_id {}…", to_hex(&raw[..4])));
        }
    }
    if d.msg_type == Some(16) {
        if let Some(f) = d.field("features") {
            let names = super::features::describe(d.field_bytes(f));
            parts.push(format!("features: {}", names.join(", ")));
        }
    }
    for name in BRIEF_FIELDS {
        if let Some(f) = d.field(name) {
            parts.push(format!("{name}={}", show::display(f, &d.bytes, false)));
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
