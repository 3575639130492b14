//! Printing a [`Decoded`]: a table for the terminal ([`text`]) and a JSON object ([`json`]).
//!
//! Kept apart from decoding (like ripgrep's printer and searcher): decoding records offsets
//! and typed values, and only here are they turned into words.

use serde_json::{json, Map, Value as Json};
use std::borrow::Cow;

use super::catalog;
use super::fmt::bytes_word;
use super::hexin::{to_hex, to_hex_short};
use super::tree::{Decoded, Field, TlvRecord, TlvStatus};

pub(crate) mod value;

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
    let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
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

fn field_json(d: &Decoded, f: &Field) -> Json {
    json!({
        "name": f.name,
        "offset": f.offset,
        "length": f.length,
        "hex": to_hex(d.field_bytes(f)),
        "value": value::json_value(f, &d.bytes),
        "display": value::display(f, &d.bytes, true),
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
        ([only], _) => value::json_value(only, &d.bytes),
        ([], TlvStatus::Known) => Json::Bool(true),
        ([], _) => Json::Null,
        (many, _) => {
            let mut m = Map::new();
            for f in many {
                m.insert(f.name.to_string(), value::json_value(f, &d.bytes));
            }
            Json::Object(m)
        }
    };
    let status = status_name(r.status);
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

/// Appends [`json`]'s text to `buf`: the same bytes as `serde_json::to_vec(&json(d))`
/// (keys in the same sorted order), built straight into the buffer instead of through
/// a `serde_json::Value` tree. Several times faster than the tree; `decode --file
/// --json` reuses one buffer for every line.
pub fn json_into(d: &Decoded, buf: &mut Vec<u8>) {
    // Keys in sorted order: serde_json's `Map` is a `BTreeMap`, so that is what `json`
    // prints. The test `json_into_matches_json` holds the two together.
    buf.extend_from_slice(b"{\"bolt\":");
    opt_num(buf, d.bolt);
    buf.extend_from_slice(b",\"errors\":");
    str_list(buf, &d.errors);
    buf.extend_from_slice(b",\"fields\":[");
    // One string for every field's `display`, instead of one allocation each.
    let mut display = String::with_capacity(128);
    for (i, f) in d.fields.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        field_into(d, f, &mut display, buf);
    }
    buf.extend_from_slice(b"],\"ldk\":");
    match &d.ldk {
        None => buf.extend_from_slice(b"null"),
        Some(l) => {
            buf.extend_from_slice(b"{\"decoder\":");
            opt_str(buf, l.decoder);
            buf.extend_from_slice(b",\"error\":");
            opt_str(buf, l.error.as_deref());
            buf.extend_from_slice(b",\"note\":");
            opt_str(buf, l.note.as_deref());
            buf.extend_from_slice(b",\"ok\":");
            boolean(buf, l.ok);
            buf.push(b'}');
        }
    }
    buf.extend_from_slice(b",\"name\":");
    string(buf, &d.name);
    buf.extend_from_slice(b",\"notes\":");
    str_list(buf, &d.notes);
    buf.extend_from_slice(b",\"ok\":");
    boolean(buf, d.is_ok());
    buf.extend_from_slice(b",\"size\":");
    value::push_u64(buf, d.size as u64);
    buf.extend_from_slice(b",\"tlv_stream\":");
    opt_str(buf, d.tlv_stream);
    buf.extend_from_slice(b",\"tlvs\":[");
    for (i, r) in d.tlvs.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        record_into(d, r, &mut display, buf);
    }
    buf.extend_from_slice(b"],\"type\":");
    opt_num(buf, d.msg_type);
    buf.push(b'}');
}

/// `display` is scratch space, reused from field to field.
fn field_into(d: &Decoded, f: &Field, display: &mut String, buf: &mut Vec<u8>) {
    display.clear();
    value::display_into(f, &d.bytes, true, display);
    buf.extend_from_slice(b"{\"display\":");
    string(buf, display);
    buf.extend_from_slice(b",\"hex\":");
    value::push_hex_string(buf, d.field_bytes(f));
    buf.extend_from_slice(b",\"length\":");
    value::push_u64(buf, f.length as u64);
    buf.extend_from_slice(b",\"meaning\":");
    string(buf, f.meaning);
    buf.extend_from_slice(b",\"name\":");
    string(buf, &f.name);
    buf.extend_from_slice(b",\"offset\":");
    value::push_u64(buf, f.offset as u64);
    buf.extend_from_slice(b",\"ok\":");
    boolean(buf, f.ok);
    buf.extend_from_slice(b",\"value\":");
    value::write_json_value(f, &d.bytes, buf);
    buf.push(b'}');
}

fn record_into(d: &Decoded, r: &TlvRecord, display: &mut String, buf: &mut Vec<u8>) {
    let raw = d
        .bytes
        .get(r.value_offset..r.value_offset + r.length)
        .unwrap_or(&[]);
    buf.extend_from_slice(b"{\"fields\":[");
    for (i, f) in r.fields.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        field_into(d, f, display, buf);
    }
    buf.extend_from_slice(b"],\"hex\":");
    value::push_hex_string(buf, raw);
    buf.extend_from_slice(b",\"length\":");
    value::push_u64(buf, r.length as u64);
    buf.extend_from_slice(b",\"meaning\":");
    string(buf, r.meaning);
    buf.extend_from_slice(b",\"name\":");
    opt_str(buf, r.name);
    buf.extend_from_slice(b",\"offset\":");
    value::push_u64(buf, r.offset as u64);
    buf.extend_from_slice(b",\"ok\":");
    boolean(buf, r.ok);
    buf.extend_from_slice(b",\"status\":");
    string(buf, status_name(r.status));
    buf.extend_from_slice(b",\"type\":");
    value::push_u64(buf, r.tlv_type);
    buf.extend_from_slice(b",\"value\":");
    match (r.fields.as_slice(), r.status) {
        ([only], _) => value::write_json_value(only, &d.bytes, buf),
        ([], TlvStatus::Known) => buf.extend_from_slice(b"true"),
        ([], _) => buf.extend_from_slice(b"null"),
        (many, _) => {
            let mut m = Map::new();
            for f in many {
                m.insert(f.name.to_string(), value::json_value(f, &d.bytes));
            }
            let _ = serde_json::to_writer(&mut *buf, &m);
        }
    }
    buf.push(b'}');
}

fn status_name(status: TlvStatus) -> &'static str {
    match status {
        TlvStatus::Known => "known",
        TlvStatus::UnknownOdd => "unknown_odd",
        TlvStatus::UnknownEven => "unknown_even",
    }
}

/// Whether `s` has a byte JSON must escape (`"`, `\\`, below 0x20). No early exit: this
/// form vectorises, and most text here (meanings, names, hex) has none.
fn needs_escape(s: &[u8]) -> bool {
    s.iter()
        .fold(false, |e, &b| e | (b < 0x20) | (b == b'"') | (b == b'\\'))
}

/// A JSON string, escaped exactly as serde_json escapes it (only `"`, `\\` and control
/// characters; other text, UTF-8 included, as is).
fn string(buf: &mut Vec<u8>, s: &str) {
    let escape = needs_escape(s.as_bytes());
    if escape {
        let _ = serde_json::to_writer(&mut *buf, s);
    } else {
        buf.reserve(s.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    }
}

fn opt_str(buf: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(buf, s),
        None => buf.extend_from_slice(b"null"),
    }
}

fn opt_num<N: Into<u64>>(buf: &mut Vec<u8>, n: Option<N>) {
    match n {
        Some(n) => value::push_u64(buf, n.into()),
        None => buf.extend_from_slice(b"null"),
    }
}

fn boolean(buf: &mut Vec<u8>, b: bool) {
    buf.extend_from_slice(if b { b"true" } else { b"false" });
}

fn str_list(buf: &mut Vec<u8>, list: &[String]) {
    buf.push(b'[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        string(buf, s);
    }
    buf.push(b']');
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
    if d.msg_type == Some(16) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{catalog, decode_bytes, decode_hex, example, DecodeOptions};

    fn same(d: &Decoded) {
        let tree = serde_json::to_vec(&json(d)).unwrap();
        let mut fast = Vec::new();
        json_into(d, &mut fast);
        assert_eq!(
            String::from_utf8_lossy(&fast),
            String::from_utf8_lossy(&tree),
            "json_into differs from json for {}",
            hex::encode(&d.bytes)
        );
    }

    fn both(bytes: &[u8]) {
        for ldk_check in [false, true] {
            same(&decode_bytes(bytes, DecodeOptions { ldk_check }));
        }
    }

    use crate::wire::decode::tests::Rng;

    #[test]
    fn escape_scan_is_exact() {
        for b in 0..=255u8 {
            for pos in 0..17 {
                let mut v = vec![b'a'; 17];
                v[pos] = b;
                let want = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(needs_escape(&v), want, "byte {b:#x} at {pos}");
            }
        }
        assert!(!needs_escape("é✓ ~\u{7f}".as_bytes()));
        // Mixed strings of bytes near the boundaries, any length, against the rule.
        let near = [
            0x00, 0x1f, 0x20, 0x21, b'"', 0x23, 0x5b, b'\\', 0x5d, 0x7f, 0x80, 0xa0, 0xdc, 0xff,
        ];
        let mut rng = Rng(0x5eed);
        for _ in 0..50_000 {
            let v: Vec<u8> = (0..rng.below(40))
                .map(|_| match rng.below(8) {
                    0 => near[rng.below(near.len())],
                    _ => near[2 + rng.below(2)],
                })
                .collect();
            let want = v.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
            assert_eq!(needs_escape(&v), want, "{v:?}");
        }
    }

    #[test]
    fn json_into_matches_json() {
        let mut rng = Rng(0x5eed_1234_abcd_0001);
        for network in [bitcoin::Network::Bitcoin, bitcoin::Network::Regtest] {
            for name in catalog::message_names() {
                let base = example::example(name, network).unwrap();
                both(&base);
                for n in 0..base.len().min(80) {
                    both(&base[..n]);
                }
                for _ in 0..60 {
                    let mut m = base.clone();
                    rng.mutate(&mut m, 40, &[0x00, 0x22, 0x5c, 0x0a, 0xff, 0xfd]);
                    both(&m);
                }
            }
        }
        for m in catalog::MESSAGES {
            for _ in 0..20 {
                let len = rng.below(300);
                let mut bytes = m.msg_type.to_be_bytes().to_vec();
                bytes.extend((0..len).map(|_| rng.next() as u8));
                both(&bytes);
            }
        }
        // Text that needs escaping, in an error and in an alias; unknown types; bad hex.
        let mut error = vec![0x00, 0x11];
        error.extend([0u8; 32]);
        let text = "a \"quoted\" \\ back\nslash\t\u{1}é✓";
        error.extend((text.len() as u16).to_be_bytes());
        error.extend(text.as_bytes());
        both(&error);
        both(&[0x80, 0x01, 1, 2, 3]);
        both(&[0x80, 0x00]);
        for input in ["", "0", "zz", "0x0012 0004 0000", "00 1"] {
            same(&decode_hex(input, DecodeOptions::default()));
        }
    }
}
