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
pub mod wrap;

pub use json::{json, json_into, json_into_with};
pub use wrap::{display_width, fit, push_wrapped, push_wrapped_whole, wrap};

/// How to print.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// Print long raw hex and long lists whole instead of shortening them.
    pub full: bool,
    /// The columns to fit, for a terminal; `None` (pipes, `--exec`, files) keeps the
    /// stable wide layout whatever its length. With a width, the wide layout is kept
    /// when it fits; otherwise the meaning goes on a line of its own, values wrap in
    /// their column and hex is shortened further (see [`text`]).
    pub width: Option<usize>,
}

/// Bytes of hex shown before shortening.
const SHORT_HEX_BYTES: usize = 8;

fn hex_cell(raw: &[u8], full: bool) -> String {
    if full {
        to_hex(raw)
    } else {
        to_hex_short(raw, SHORT_HEX_BYTES)
    }
}

/// The hex of a cell shortened further for a narrow terminal: level 1 keeps up to 8
/// bytes whole, level 2 up to 4; longer values show their first and last bytes (the
/// length is in its own column, so the `(N bytes)` of the wide layout is left off).
fn hex_at(raw: &[u8], level: u8, full: bool) -> String {
    let (whole, head) = match level {
        0 => return hex_cell(raw, full),
        1 => (8, 4),
        _ => (4, 2),
    };
    if full || raw.len() <= whole {
        return to_hex(raw);
    }
    format!("{}…{}", to_hex(&raw[..head]), to_hex(&raw[raw.len() - 2..]))
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
///
/// With [`RenderOptions::width`] the text fits that many columns: each table keeps the
/// wide layout if it fits, else takes the narrow one ([`narrow_table`]), and sentences
/// wrap with a hanging indent. Without it the layout is the stable wide one.
pub fn text(d: &Decoded, opts: &RenderOptions) -> String {
    let mut out = String::new();
    let title = match (d.msg_type, d.bolt) {
        (Some(t), Some(b)) => format!("{} (type {t}, BOLT {b}, {})", d.name, bytes_word(d.size)),
        (Some(t), None) => format!(
            "{} type {t} ({} range, {})",
            d.name,
            catalog::type_group(t),
            bytes_word(d.size)
        ),
        (None, _) => format!("{} ({})", d.name, bytes_word(d.size)),
    };
    prose(&mut out, &title, opts.width, "", "  ");
    if let Some(t) = d.msg_type {
        let mut rows: Vec<Row> = vec![Row {
            cells: [
                "0".into(),
                "2".into(),
                "type".into(),
                format!("{t:04x}").into(),
                format!("{t} = {}", d.name).into(),
                "message type (u16)".into(),
            ],
            raw: d.bytes.get(..2).unwrap_or(&[]),
        }];
        for f in &d.fields {
            rows.push(field_row(d, f, opts.full, ""));
        }
        table(
            &mut out,
            &["offset", "len", "field", "hex", "value", "meaning"],
            &rows,
            opts,
        );
    }
    if let Some(stream) = d.tlv_stream {
        if !d.tlvs.is_empty() {
            out.push('\n');
            prose(
                &mut out,
                &format!("TLV stream {stream}:"),
                opts.width,
                "",
                "  ",
            );
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
                opts,
            );
        }
    }
    if let Some(l) = &d.ldk {
        out.push('\n');
        prose(&mut out, &ldk_line(l), opts.width, "", "  ");
    }
    if !d.errors.is_empty() {
        out.push_str("\nerrors:\n");
        for e in &d.errors {
            prose(&mut out, e, opts.width, "  - ", "    ");
        }
    }
    if !d.notes.is_empty() {
        out.push_str("\nnotes:\n");
        for n in &d.notes {
            prose(&mut out, n, opts.width, "  - ", "    ");
        }
    }
    out.push('\n');
    prose(
        &mut out,
        &format!("result: {}", d.summary()),
        opts.width,
        "",
        "  ",
    );
    out.pop();
    out
}

/// One sentence and a newline: as it is without a width, wrapped with a hanging
/// indent with one.
fn prose(out: &mut String, text: &str, width: Option<usize>, first: &str, rest: &str) {
    match width {
        Some(w) => push_wrapped(out, text, w, first, rest),
        None => {
            out.push_str(first);
            out.push_str(text);
            out.push('\n');
        }
    }
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

/// A table row: offset, length, name, hex, value, meaning, and the bytes behind the
/// hex (to shorten them further on a narrow terminal).
struct Row<'a> {
    cells: [Cow<'static, str>; 6],
    raw: &'a [u8],
}

fn field_row<'a>(d: &'a Decoded, f: &Field, full: bool, indent: &str) -> Row<'a> {
    let mut name = String::with_capacity(indent.len() + 2 + f.name.len());
    name.push_str(indent);
    name.push_str(status_mark(f.ok));
    name.push_str(&f.name);
    let raw = d.field_bytes(f);
    Row {
        cells: [
            f.offset.to_string().into(),
            f.length.to_string().into(),
            name.into(),
            hex_cell(raw, full).into(),
            value::display(f, &d.bytes, full).into(),
            f.meaning.into(),
        ],
        raw,
    }
}

fn record_row<'a>(d: &'a Decoded, r: &TlvRecord, full: bool) -> Row<'a> {
    let name = match (r.name, r.status) {
        (Some(n), _) => n.to_string(),
        (None, TlvStatus::UnknownEven) => "unknown (even: violation)".to_string(),
        (None, _) => "unknown (odd: ignored)".to_string(),
    };
    let raw = d
        .bytes
        .get(r.value_offset..r.value_offset + r.length)
        .unwrap_or(&[]);
    let value = match r.fields.as_slice() {
        [only] => value::display(only, &d.bytes, full),
        [] if r.status == TlvStatus::Known => "present".to_string(),
        _ => String::new(),
    };
    Row {
        cells: [
            r.offset.to_string().into(),
            r.length.to_string().into(),
            format!("{}{} {name}", status_mark(r.ok), r.tlv_type).into(),
            hex_cell(raw, full).into(),
            value.into(),
            r.meaning.into(),
        ],
        raw,
    }
}

/// The wide layout when there is no width to fit or it fits; else the narrow one.
fn table(out: &mut String, header: &[&str; 6], rows: &[Row], opts: &RenderOptions) {
    let Some(width) = opts.width else {
        return wide_table(out, header, rows);
    };
    let start = out.len();
    wide_table(out, header, rows);
    if out[start..].lines().all(|l| l.chars().count() <= width) {
        return;
    }
    out.truncate(start);
    narrow_table(out, header, rows, width, opts.full);
}

/// Spaces as one copy from a constant: `extend(repeat_n(' ', n))` pushes a char at a
/// time, and whether the compiler turns that into a copy varies from build to build.
fn pad(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// Left-aligned columns (offset and length right-aligned); the last column is not padded.
fn wide_table(out: &mut String, header: &[&str; 6], rows: &[Row]) {
    // Long cells (feature lists, full hex) overflow instead of widening every row.
    const MAX_WIDTH: [usize; 6] = [6, 5, 40, 44, 44, 0];
    let mut widths = header.map(|h| h.chars().count());
    for r in rows {
        for (i, cell) in r.cells.iter().enumerate() {
            let n = cell.chars().count();
            if n <= MAX_WIDTH[i] || i < 2 {
                widths[i] = widths[i].max(n);
            }
        }
    }
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
        let c = &r.cells;
        line([&c[0], &c[1], &c[2], &c[3], &c[4], &c[5]]);
    }
}

/// The narrowest a value column may get before values move to lines of their own.
const MIN_VALUE_COLUMNS: usize = 16;

/// Where the narrow layout puts hex and value.
enum Narrow {
    /// In columns, hex shortened to `level` in `hex` columns, values wrapped in `value`.
    Columns { level: u8, hex: usize, value: usize },
    /// Under the field, as `hex = value`, wrapped: a very narrow terminal (or `--full`,
    /// whose hex fits no column).
    Below,
}

/// The table for a terminal too narrow for [`wide_table`]: offset, length and name stay
/// in columns; the meaning goes on its own line under the field (`— meaning`, wrapped);
/// hex is shortened as far as needed (see [`hex_at`]) and values wrap inside their
/// column. Where not even that fits, hex and value go under the field too. No line is
/// wider than `width`, and no value is dropped.
fn narrow_table(out: &mut String, header: &[&str; 6], rows: &[Row], width: usize, full: bool) {
    let col = |i: usize| {
        rows.iter()
            .map(|r| r.cells[i].chars().count())
            .chain([header[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (col(0), col(1), col(2));
    let indent = w0 + 2 + w1 + 2;
    let value_natural = rows
        .iter()
        .flat_map(|r| r.cells[4].split('\n'))
        .map(|v| v.chars().count())
        .chain([header[4].chars().count()])
        .max()
        .unwrap_or(0);
    let mut layout = Narrow::Below;
    if !full {
        for level in 0..=2u8 {
            let hex = rows
                .iter()
                .map(|r| hex_at(r.raw, level, false).chars().count())
                .chain([header[3].chars().count()])
                .max()
                .unwrap_or(0);
            let room = width.saturating_sub(indent + w2 + 2 + hex + 2);
            if room >= value_natural {
                layout = Narrow::Columns {
                    level,
                    hex,
                    value: value_natural,
                };
                break;
            }
            if level == 2 && room >= MIN_VALUE_COLUMNS {
                layout = Narrow::Columns {
                    level,
                    hex,
                    value: room,
                };
            }
        }
    }
    // Under the field: two columns in from the name, the meaning after its dash.
    let under = indent + 2;
    let head = |out: &mut String, r: &[&str; 3]| {
        pad(out, w0.saturating_sub(r[0].chars().count()));
        out.push_str(r[0]);
        out.push_str("  ");
        pad(out, w1.saturating_sub(r[1].chars().count()));
        out.push_str(r[1]);
        out.push_str("  ");
    };
    let end_line = |out: &mut String, start: usize| {
        let kept = out[start..].trim_end().len();
        out.truncate(start + kept);
        out.push('\n');
    };
    let start = out.len();
    head(out, &[header[0], header[1], ""]);
    out.push_str(header[2]);
    if let Narrow::Columns { hex, .. } = layout {
        pad(out, w2 - header[2].chars().count() + 2);
        out.push_str(header[3]);
        pad(out, hex - header[3].chars().count() + 2);
        out.push_str(header[4]);
    }
    end_line(out, start);
    for r in rows {
        let c = &r.cells;
        let start = out.len();
        head(out, &[&c[0], &c[1], ""]);
        match layout {
            Narrow::Columns { level, hex, value } => {
                let hex_text = hex_at(r.raw, level, false);
                out.push_str(&c[2]);
                pad(out, w2 - c[2].chars().count() + 2);
                out.push_str(&hex_text);
                pad(out, hex - hex_text.chars().count() + 2);
                let at = indent + w2 + 2 + hex + 2;
                for (i, line) in wrap(&c[4], value).iter().enumerate() {
                    if i > 0 {
                        end_line(out, start);
                        pad(out, at);
                    }
                    out.push_str(line);
                }
                end_line(out, start);
            }
            Narrow::Below => {
                // The name keeps its leading indent (a record's fields); a name longer
                // than the room is cut, never let past the edge.
                let name = c[2].trim_start();
                let lead = c[2].len() - name.len();
                let room = width.saturating_sub(indent + lead).max(1);
                for (i, line) in wrap(name, room).iter().enumerate() {
                    if i > 0 {
                        end_line(out, out.len());
                        pad(out, indent);
                    }
                    pad(out, lead);
                    out.push_str(line);
                }
                end_line(out, start);
                let hex_text = hex_at(r.raw, 2, full);
                let shown = if c[4].is_empty() {
                    hex_text
                } else {
                    format!("{hex_text} = {}", c[4])
                };
                let lead: String = " ".repeat(under);
                push_wrapped(out, &shown, width, &lead, &lead);
            }
        }
        if !c[5].is_empty() {
            let first = format!("{}— ", " ".repeat(under));
            let rest = " ".repeat(under + 2);
            push_wrapped(out, &c[5], width, &first, &rest);
        }
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

#[cfg(test)]
mod tests;
