//! Drawing a conversation: the sequence diagrams of the BOLTs and the tutorial,
//! from the messages that really went over the wire.
//!
//! A sequence diagram gives each node a vertical line, a *lane*, and each message
//! an arrow from the lane of the node that sent it to the lane of the node that
//! received it, one under the other in the order they went. Time runs down the page;
//! here the time since the first message drawn is written on the left:
//!
//! ```text
//!          this node 03a1b2c3…        02d4e5f6…
//!          │                                  │
//!   0.000s ├── open_channel 200000 sat ──────▶│
//!   0.004s │◀─ accept_channel minimum_depth 6 ┤
//! ```
//!
//! Each arrow is labelled with the message's name and the one or two values that
//! say what it does (`open_channel 200000 sat`, `funding_created 3941c8df…:0`,
//! `update_add_htlc 50000 msat`); errors and warnings are drawn with a double line
//! and a `!`. On a colour terminal each message group (setup, channel, commitment,
//! gossip) has its colour; anywhere else the picture is plain ASCII, so it survives a
//! pipe, a file, a mail. It always fits the width it is given: a label too long for
//! its arrow is shortened with `…`, never wrapped into the lanes.
//!
//! Everything here is a pure function of data: [`draw`] takes a [`Picture`] (lanes,
//! arrows with their bytes), the shell builds one from the node's record or from a
//! file saved by `trace save` ([`save_line`], [`read_saved`]); nothing here knows a
//! node.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::events::Direction;
use crate::wire::logline::{self, Line};
use crate::wire::{self, Decoded, Value};

/// One message to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrow {
    /// When it was seen, if known.
    pub at: Option<SystemTime>,
    /// The peer's lane (1 and up; lane 0 is this node).
    pub lane: usize,
    /// `Inbound`: from the peer to this node; `Outbound`: from this node.
    pub direction: Direction,
    /// Type || payload.
    pub bytes: Vec<u8>,
}

/// What to draw: lane names (this node first) and the arrows, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Picture {
    /// Lane 0 is this node, then one lane a peer.
    pub lanes: Vec<String>,
    /// The messages, oldest first.
    pub arrows: Vec<Arrow>,
    /// Sentences to print under the picture (what was dropped or left out).
    pub notes: Vec<String>,
}

/// How to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// Columns available.
    pub width: usize,
    /// ANSI colours and box-drawing characters (a colour terminal).
    pub color: bool,
}

/// The four families of messages, each with its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// BOLT 1: `init`, `error`, `warning`, `ping`, `pong`, peer storage.
    Setup,
    /// BOLT 2 channel establishment and close, interactive transactions, splicing.
    Channel,
    /// BOLT 2 normal operation: HTLCs, commitments, fees, reestablish.
    Commitment,
    /// BOLT 7.
    Gossip,
}

impl Group {
    /// The group of message type `t`.
    pub fn of(t: Option<u16>) -> Group {
        match t {
            Some(2) | Some(32..=127) => Group::Channel,
            Some(128..=255) => Group::Commitment,
            Some(256..=511) => Group::Gossip,
            _ => Group::Setup,
        }
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Group::Setup => "setup",
            Group::Channel => "channel",
            Group::Commitment => "commitment",
            Group::Gossip => "gossip",
        }
    }

    fn ansi(self) -> &'static str {
        match self {
            Group::Setup => "\x1b[36m",
            Group::Channel => "\x1b[32m",
            Group::Commitment => "\x1b[33m",
            Group::Gossip => "\x1b[35m",
        }
    }
}

const RED: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

fn uint(d: &Decoded, name: &str) -> Option<u64> {
    match d.field(name)?.value {
        Value::Uint(n) => Some(n),
        _ => None,
    }
}

fn short_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(9);
    for b in bytes.iter().take(4) {
        let _ = write!(s, "{b:02x}");
    }
    s.push('…');
    s
}

/// Printable ASCII of a peer's text (an `error`'s `data`), quoted.
fn quoted(raw: &[u8]) -> String {
    let text: String = raw
        .iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect();
    format!("\"{text}\"")
}

/// Whether the message is an `error` or a `warning`.
pub fn is_alarm(d: &Decoded) -> bool {
    matches!(
        d.msg_type,
        Some(wire::catalog::types::ERROR) | Some(wire::catalog::types::WARNING)
    )
}

/// The arrow's label: the name and the one or two values that say what it does.
pub fn label(d: &Decoded) -> String {
    use wire::catalog::types as t;
    let mut out = d.name.clone();
    let mut add = |part: String| {
        out.push(' ');
        out.push_str(&part);
    };
    match d.msg_type {
        Some(t::OPEN_CHANNEL) => {
            if let Some(n) = uint(d, "funding_satoshis") {
                add(format!("{n} sat"));
            }
            if let Some(n) = uint(d, "push_msat").filter(|&n| n > 0) {
                add(format!("push {n} msat"));
            }
        }
        Some(t::ACCEPT_CHANNEL) => {
            if let Some(n) = uint(d, "minimum_depth") {
                add(format!("minimum_depth {n}"));
            }
        }
        Some(t::FUNDING_CREATED) => {
            if let Some(f) = d.field("funding_txid") {
                // A txid is shown in reverse byte order, as block explorers do.
                let mut txid = d.field_bytes(f).to_vec();
                txid.reverse();
                let index = uint(d, "funding_output_index").unwrap_or(0);
                add(format!("{}:{index}", short_hex(&txid)));
            }
        }
        Some(t::FUNDING_SIGNED) | Some(t::CHANNEL_READY) | Some(t::SHUTDOWN) => {
            if let Some(f) = d.field("channel_id") {
                add(format!("channel {}", short_hex(d.field_bytes(f))));
            }
        }
        Some(t::CLOSING_SIGNED) => {
            if let Some(n) = uint(d, "fee_satoshis") {
                add(format!("fee {n} sat"));
            }
        }
        Some(t::UPDATE_ADD_HTLC) => {
            if let Some(n) = uint(d, "amount_msat") {
                add(format!("{n} msat"));
            }
            if let Some(n) = uint(d, "id") {
                add(format!("id {n}"));
            }
        }
        Some(t::UPDATE_FULFILL_HTLC) | Some(t::UPDATE_FAIL_HTLC) => {
            if let Some(n) = uint(d, "id") {
                add(format!("id {n}"));
            }
        }
        Some(t::COMMITMENT_SIGNED) => {
            if let Some(n) = uint(d, "num_htlcs") {
                add(format!("htlcs {n}"));
            }
        }
        Some(t::UPDATE_FEE) => {
            if let Some(n) = uint(d, "feerate_per_kw") {
                add(format!("{n} sat/kw"));
            }
        }
        Some(t::PING) => {
            if let Some(n) = uint(d, "num_pong_bytes") {
                add(format!("num_pong_bytes {n}"));
            }
        }
        Some(t::ERROR) | Some(t::WARNING) => {
            if let Some(f) = d.field("data") {
                add(quoted(d.field_bytes(f)));
            }
        }
        _ => {
            if let Some(f) = d.field("short_channel_id") {
                let text = wire::render::value::display(f, &d.bytes, false);
                if let Some(scid) = text.split_whitespace().next() {
                    add(scid.to_string());
                }
            }
        }
    }
    if !d.is_ok() {
        out.push_str(" [invalid]");
    }
    out
}

/// `0.004s`, `12.50s`, `3m07s`, `2h05m`: eight columns at most.
pub(crate) fn elapsed(d: Duration) -> String {
    let s = d.as_secs_f64();
    match d.as_secs() {
        0..=9 => format!("{s:.3}s"),
        10..=99 => format!("{s:.2}s"),
        100..=599 => format!("{s:.1}s"),
        600..=5999 => format!("{}m{:02}s", d.as_secs() / 60, d.as_secs() % 60),
        n => format!("{}h{:02}m", n / 3600, n / 60 % 60),
    }
}

/// `text` cut to `max` characters, `…` last if it was cut.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

/// A label cut to `max` characters at a word: `accept_channel…` rather than
/// `accept_channel minim…`, and the message's name whole, if nothing else fits.
fn fit_label(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let words: Vec<usize> = text.match_indices(' ').map(|(i, _)| i).collect();
    let cut = words
        .iter()
        .rev()
        .map(|&i| &text[..i])
        .find(|head| head.chars().count() < max && *head != "!");
    match cut {
        Some(head) => format!("{head}…"),
        None => {
            let name = text.split(' ').find(|w| *w != "!").unwrap_or(text);
            if name.chars().count() <= max {
                name.to_string()
            } else {
                fit(text, max)
            }
        }
    }
}

/// Where the lanes start: after the time column.
const TIME: usize = 8;
/// The narrowest gap between two lanes worth drawing.
const MIN_GAP: usize = 16;

/// A name from a saved file may hold anything: a control character (a newline, an
/// escape) would break the row or drive the terminal, so it shows as `�`.
fn printable(c: char) -> char {
    if c.is_control() {
        '\u{fffd}'
    } else {
        c
    }
}

/// One row of cells, each with the colour it is drawn in.
struct Row {
    cells: Vec<(char, Option<&'static str>)>,
}

impl Row {
    fn new(width: usize) -> Row {
        Row {
            cells: vec![(' ', None); width],
        }
    }

    fn put(&mut self, x: usize, c: char, color: Option<&'static str>) {
        let c = printable(c);
        if let Some(cell) = self.cells.get_mut(x) {
            *cell = (c, color);
        }
    }

    fn text(&mut self, x: usize, s: &str, color: Option<&'static str>) {
        for (i, c) in s.chars().enumerate() {
            self.put(x + i, c, color);
        }
    }

    fn finish(self, out: &mut String, color: bool) {
        let mut current: Option<&'static str> = None;
        let mut line = String::new();
        for (c, col) in self.cells {
            let col = if color { col } else { None };
            if col != current {
                if current.is_some() {
                    line.push_str(RESET);
                }
                if let Some(code) = col {
                    line.push_str(code);
                }
                current = col;
            }
            line.push(c);
        }
        if current.is_some() {
            line.push_str(RESET);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// The characters of one style.
struct Pen {
    lane: char,
    line: char,
    alarm: char,
    cross: char,
    right: char,
    left: char,
    start: char,
    end: char,
}

const UNICODE: Pen = Pen {
    lane: '│',
    line: '─',
    alarm: '═',
    cross: '┼',
    right: '▶',
    left: '◀',
    start: '├',
    end: '┤',
};

const ASCII: Pen = Pen {
    lane: '|',
    line: '-',
    alarm: '=',
    cross: '+',
    right: '>',
    left: '<',
    start: '|',
    end: '|',
};

/// Draws `picture` within `style.width` columns (see the module doc).
pub fn draw(picture: &Picture, style: Style) -> String {
    let width = style.width.max(TIME + 1 + MIN_GAP + 1);
    let pen = if style.color { &UNICODE } else { &ASCII };
    let mut out = String::new();
    let mut notes = picture.notes.clone();
    // As many lanes as fit; the arrows of the others are left out, and said to be.
    let room = (width - TIME - 2) / MIN_GAP + 1;
    let lanes = picture.lanes.len().min(room).max(1);
    if lanes < picture.lanes.len() {
        notes.push(format!(
            "{} more peer(s) do not fit in {width} columns: name fewer peers, e.g. `diagram #n`.",
            picture.lanes.len() - lanes
        ));
    }
    let first = TIME + 1;
    let span = width - 1 - first;
    let pos: Vec<usize> = (0..lanes)
        .map(|i| {
            if lanes == 1 {
                first
            } else {
                first + i * span / (lanes - 1)
            }
        })
        .collect();

    // The names, over their lanes: each left-aligned at its lane but the last, which
    // ends at its lane; the last gap is shared between the two names in it.
    let mut head = Row::new(width);
    let names: Vec<&String> = picture.lanes.iter().take(lanes).collect();
    for (i, name) in names.iter().enumerate() {
        let gap = |j: usize| pos[j + 1] - pos[j] - 1;
        let len = |j: usize| names[j].chars().count();
        let last_room =
            |g: usize, before: usize| len(lanes - 1).min((g / 2).max(g.saturating_sub(before + 1)));
        let (room, x) = if lanes == 1 {
            (width - first, pos[0])
        } else if i + 1 < lanes {
            let g = gap(i);
            let room = if i + 2 == lanes {
                g.saturating_sub(last_room(g, len(i)) + 1)
            } else {
                g.saturating_sub(1)
            };
            (room, pos[i])
        } else {
            let g = gap(i - 1);
            let room = last_room(g, len(i - 1));
            (room, pos[i] + 1 - room.min(len(i)))
        };
        head.text(x, &fit(name, room), None);
    }
    head.finish(&mut out, style.color);
    let mut lines = Row::new(width);
    for &x in &pos {
        lines.put(x, pen.lane, None);
    }
    lines.finish(&mut out, style.color);

    let start = picture.arrows.iter().filter_map(|a| a.at).min();
    let mut left_out = 0usize;
    for arrow in &picture.arrows {
        if arrow.lane == 0 || arrow.lane >= lanes {
            left_out += 1;
            continue;
        }
        let mut row = Row::new(width);
        if let (Some(at), Some(start)) = (arrow.at, start) {
            let t = elapsed(at.duration_since(start).unwrap_or_default());
            row.text(TIME.saturating_sub(t.chars().count()), &t, None);
        }
        paint_arrow(
            &mut row,
            &pos,
            arrow.lane,
            arrow.direction,
            &arrow.bytes,
            pen,
        );
        row.finish(&mut out, style.color);
    }
    if left_out > 0 {
        notes.push(format!(
            "{left_out} message(s) of peers not drawn are left out."
        ));
    }
    if style.color {
        let mut legend = String::from("colours:");
        for g in [
            Group::Setup,
            Group::Channel,
            Group::Commitment,
            Group::Gossip,
        ] {
            let _ = write!(legend, " {}{}{RESET}", g.ansi(), g.name());
        }
        let _ = write!(legend, " {RED}error/warning{RESET}");
        out.push_str(&legend);
        out.push('\n');
    }
    for note in notes {
        out.push_str(&wrap(&note, width));
    }
    out.trim_end().to_string()
}

/// Draws the lanes at `pos` and one arrow between lane 0 and `lane` on `row`.
fn paint_arrow(
    row: &mut Row,
    pos: &[usize],
    lane: usize,
    direction: Direction,
    bytes: &[u8],
    pen: &Pen,
) {
    let d = wire::decode_bytes(bytes, wire::DecodeOptions { ldk_check: false });
    let alarm = is_alarm(&d);
    let color = Some(if alarm {
        RED
    } else {
        Group::of(d.msg_type).ansi()
    });
    for &x in pos {
        row.put(x, pen.lane, None);
    }
    let (a, b) = (pos[0], pos[lane]);
    let line = if alarm { pen.alarm } else { pen.line };
    for x in a + 1..b {
        let c = if pos.contains(&x) { pen.cross } else { line };
        row.put(x, c, color);
    }
    match direction {
        Direction::Outbound => {
            row.put(a, pen.start, color);
            row.put(b - 1, pen.right, color);
        }
        Direction::Inbound => {
            row.put(a + 1, pen.left, color);
            row.put(b, pen.end, color);
        }
    }
    // The label sits in the first gap: `|-- label ->|`, `|<- label --|`, so the
    // head and a dash stay on each side of it.
    let text = if alarm {
        format!("! {}", label(&d))
    } else {
        label(&d)
    };
    let room = pos[1].saturating_sub(a + 7);
    let text = fit_label(&text, room);
    if !text.is_empty() {
        row.text(a + 3, &format!(" {text} "), color);
    }
}

/// One arrow of `trace diagram`, drawn as the message goes by: this node's lane
/// after `[trace]`, the peer's at the right, named after it.
///
/// ```text
/// [trace] |-- open_channel 200000 sat ---->| 02d4e5f6…
/// ```
pub fn live_arrow(direction: Direction, peer: &str, bytes: &[u8], style: Style) -> String {
    let pen = if style.color { &UNICODE } else { &ASCII };
    let prefix = "[trace] ";
    let peer: String = fit(peer, 12).chars().map(printable).collect();
    let a = prefix.len();
    let b = style
        .width
        .saturating_sub(peer.chars().count() + 2)
        .max(a + MIN_GAP);
    let mut row = Row::new(b + 1);
    row.text(0, prefix, None);
    paint_arrow(&mut row, &[a, b], 1, direction, bytes, pen);
    let mut out = String::new();
    row.finish(&mut out, style.color);
    let mut line = out.trim_end().to_string();
    line.push(' ');
    line.push_str(&peer);
    line
}

/// `text` wrapped at spaces to `width` columns, one `\n` after each line.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

// ---- the saved form ----

/// One line of `trace save`: the keys `decode --file` reads (`direction`, `hex`,
/// `peer`, `time`), and `type` and `name` for people and other tools. Keys sorted,
/// as every JSON lnshell writes.
#[derive(Serialize)]
struct SavedLine<'a> {
    direction: &'static str,
    hex: String,
    name: &'a str,
    peer: String,
    time: String,
    #[serde(rename = "type")]
    msg_type: Option<u16>,
}

/// `2026-12-01 15:02:01.123456789 UTC`.
fn utc_text(at: SystemTime) -> String {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let mut text = String::with_capacity(34);
    wire::fmt::push_utc(&mut text, since.as_secs());
    text.truncate(text.len().saturating_sub(" UTC".len()));
    let _ = write!(text, ".{:09} UTC", since.subsec_nanos());
    text
}

/// One JSON line of `trace save`, for one message with `peer`.
pub fn save_line(peer: &str, direction: Direction, at: SystemTime, bytes: &[u8]) -> String {
    let d = wire::decode_bytes(bytes, wire::DecodeOptions { ldk_check: false });
    let line = SavedLine {
        direction: direction.as_str(),
        hex: hex::encode(bytes),
        name: &d.name,
        peer: peer.to_string(),
        time: utc_text(at),
        msg_type: d.msg_type,
    };
    // A struct of strings and numbers always serializes.
    serde_json::to_string(&line).unwrap_or_default()
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A log's time as a point in time: `2026-12-01 15:02:01.123 UTC` (what `trace
/// save` writes), `2026-12-01T15:02:01.123Z`, or seconds (`1764601321.5`, or a
/// relative `5.602811780`: only differences are drawn).
pub fn parse_time(text: &str) -> Option<SystemTime> {
    let t = text.trim().trim_end_matches(" UTC").trim_end_matches('Z');
    if let Ok(secs) = t.trim_start_matches('+').parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| UNIX_EPOCH + Duration::from_secs_f64(secs));
    }
    let (date, clock) = t.split_once([' ', 'T'])?;
    let mut ymd = date.split('-');
    let y: i64 = ymd.next()?.parse().ok()?;
    let m: u32 = ymd.next()?.parse().ok()?;
    let d: u32 = ymd.next()?.parse().ok()?;
    let (hms, frac) = clock.split_once(['.', ',']).unwrap_or((clock, ""));
    let mut parts = hms.split(':');
    let h: u64 = parts.next()?.parse().ok()?;
    let min: u64 = parts.next()?.parse().ok()?;
    let s: u64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || h > 23 || min > 59 || s > 60 {
        return None;
    }
    let days = u64::try_from(days_from_civil(y, m, d)).ok()?;
    let digits: String = frac
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .take(9)
        .collect();
    let nanos = if digits.is_empty() {
        0
    } else {
        digits.parse::<u32>().ok()? * 10u32.pow(9 - digits.len() as u32)
    };
    Some(UNIX_EPOCH + Duration::new(days * 86_400 + h * 3600 + min * 60 + s, nanos))
}

/// A picture of a saved file's lines (`trace save`, or any log `decode --file`
/// reads whose lines say the direction): one lane for the node that wrote it, one a
/// peer named in it. Lines with no message, or no direction, are counted in a note.
pub fn read_saved(text: &str, saver: &str) -> Picture {
    let mut picture = Picture {
        lanes: vec![saver.to_string()],
        ..Picture::default()
    };
    let mut peers: Vec<String> = Vec::new();
    let mut undirected = 0usize;
    let mut unreadable = 0usize;
    for line in text.lines() {
        let Line::Message { hex, origin } = logline::find(line) else {
            if !matches!(logline::find(line), Line::Blank) {
                unreadable += 1;
            }
            continue;
        };
        let Some(direction) = origin.direction else {
            undirected += 1;
            continue;
        };
        let Ok(bytes) = wire::hexin::parse(&hex) else {
            unreadable += 1;
            continue;
        };
        let peer = origin.peer.as_deref().unwrap_or("peer").to_string();
        let lane = match peers.iter().position(|p| *p == peer) {
            Some(i) => i + 1,
            None => {
                peers.push(peer.clone());
                picture.lanes.push(short_name(&peer));
                peers.len()
            }
        };
        picture.arrows.push(Arrow {
            at: origin.time.as_deref().and_then(parse_time),
            lane,
            direction: match direction {
                logline::Direction::In => Direction::Inbound,
                logline::Direction::Out => Direction::Outbound,
            },
            bytes,
        });
    }
    if undirected > 0 {
        picture.notes.push(format!(
            "{undirected} message(s) whose line does not say which way it went are not drawn."
        ));
    }
    if unreadable > 0 {
        picture.notes.push(format!(
            "{unreadable} line(s) with no message on them are skipped."
        ));
    }
    picture
}

/// A node id as a lane name: its first 8 hex digits and `…`.
pub fn short_name(node_id: &str) -> String {
    if node_id.len() > 9 && node_id.is_ascii() {
        format!("{}…", &node_id[..8])
    } else {
        node_id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(name: &str, fields: &[(&str, &str)]) -> Vec<u8> {
        let assignments: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        wire::encode::encode(name, &assignments, bitcoin::Network::Regtest)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn open() -> Picture {
        let t0 = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let ms = |n| Some(t0 + Duration::from_millis(n));
        let arrow = |at, direction, bytes| Arrow {
            at,
            lane: 1,
            direction,
            bytes,
        };
        Picture {
            lanes: vec!["this node 03aaaaaa…".into(), "02bbbbbb…".into()],
            arrows: vec![
                arrow(
                    ms(0),
                    Direction::Outbound,
                    msg("open_channel", &[("funding_satoshis", "200000")]),
                ),
                arrow(
                    ms(4),
                    Direction::Inbound,
                    msg("accept_channel", &[("minimum_depth", "6")]),
                ),
                arrow(ms(7), Direction::Outbound, msg("funding_created", &[])),
                arrow(ms(12), Direction::Inbound, msg("funding_signed", &[])),
                arrow(
                    ms(15_500),
                    Direction::Inbound,
                    msg("error", &[("data", "no thanks")]),
                ),
            ],
            notes: vec!["3 earlier messages with 02bbbbbb… were dropped.".into()],
        }
    }

    #[test]
    fn arrows_point_the_way_each_message_went() {
        let text = draw(
            &open(),
            Style {
                width: 80,
                color: false,
            },
        );
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("         this node 03aaaaaa…"),
            "{text}"
        );
        assert!(lines[0].ends_with("02bbbbbb…"), "{text}");
        let find = |name: &str| {
            *lines
                .iter()
                .find(|l| l.contains(name))
                .unwrap_or_else(|| panic!("no {name} in\n{text}"))
        };
        let open = find("open_channel 200000 sat");
        assert!(open.starts_with("  0.000s |--"), "{open}");
        assert!(open.ends_with("->|"), "{open}");
        let accept = find("accept_channel minimum_depth 6");
        assert!(accept.starts_with("  0.004s |<-"), "{accept}");
        assert!(accept.ends_with("-|"), "{accept}");
        assert!(find("funding_created").ends_with(">|"));
        assert!(find("funding_signed channel").contains("|<-"));
        let error = find("! error \"no thanks\"");
        assert!(error.starts_with("  15.50s |<="), "{error}");
        assert!(text.ends_with("were dropped."), "{text}");
        // Every line fits, and the lanes are straight.
        for l in &lines {
            assert!(l.chars().count() <= 80, "{l}");
        }
        let order: Vec<usize> = [
            "open_channel",
            "accept_channel",
            "funding_created",
            "funding_signed",
        ]
        .iter()
        .map(|n| {
            lines
                .iter()
                .position(|l| l.contains(n))
                .unwrap_or(usize::MAX)
        })
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn forty_columns_shorten_labels_and_never_wrap() {
        let text = draw(
            &open(),
            Style {
                width: 40,
                color: false,
            },
        );
        for l in text.lines() {
            assert!(l.chars().count() <= 40, "{l:?} in\n{text}");
        }
        let accept = text
            .lines()
            .find(|l| l.contains("accept_chan"))
            .unwrap_or_default();
        assert!(accept.contains('…'), "{text}");
        // Still one line per message, the lanes at both ends.
        assert_eq!(
            text.lines().filter(|l| l.ends_with('|')).count(),
            6,
            "{text}"
        );
    }

    #[test]
    fn a_colour_terminal_gets_colour_by_group() {
        let text = draw(
            &open(),
            Style {
                width: 80,
                color: true,
            },
        );
        assert!(text.contains("\x1b[32m├"), "{text}");
        assert!(text.contains(RED), "{text}");
        assert!(text.contains('▶') && text.contains('◀'));
        assert!(text.contains("colours: "));
    }

    #[test]
    fn three_lanes_cross_the_middle_one() {
        let mut p = open();
        p.lanes.push("02cccccc…".into());
        p.arrows[2].lane = 2;
        let text = draw(
            &p,
            Style {
                width: 60,
                color: false,
            },
        );
        let created = text
            .lines()
            .find(|l| l.contains("funding_c"))
            .unwrap_or_default();
        assert!(created.ends_with(">|"), "{text}");
        assert_eq!(created.matches('+').count(), 1, "{text}");
        // At 40 columns only two lanes fit: the third peer's message is left out, and said so.
        let narrow = draw(
            &p,
            Style {
                width: 40,
                color: false,
            },
        );
        assert!(narrow.contains("1 more peer(s) do not fit"), "{narrow}");
        assert!(
            narrow.contains("1 message(s) of peers not drawn"),
            "{narrow}"
        );
    }

    #[test]
    fn a_saved_line_reads_back_the_same() {
        let at = UNIX_EPOCH + Duration::new(1_764_601_321, 123_456_789);
        let bytes = msg("open_channel", &[("funding_satoshis", "200000")]);
        let peer = "02bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
        let line = save_line(peer, Direction::Outbound, at, &bytes);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        assert_eq!(v["name"], "open_channel");
        assert_eq!(v["type"], 32);
        assert_eq!(v["direction"], "out");
        assert_eq!(v["time"], "2025-12-01 15:02:01.123456789 UTC");
        let text = format!(
            "{line}\n{}\n",
            save_line(
                peer,
                Direction::Inbound,
                at + Duration::from_millis(5),
                &msg("accept_channel", &[])
            )
        );
        let p = read_saved(&text, "saved");
        assert_eq!(p.lanes, ["saved", "02bbbbbb…"]);
        assert_eq!(p.arrows.len(), 2);
        assert_eq!(p.arrows[0].bytes, bytes);
        assert_eq!(p.arrows[0].at, Some(at));
        assert_eq!(p.arrows[1].direction, Direction::Inbound);
        assert!(p.notes.is_empty());
    }

    #[test]
    fn control_characters_in_names_are_not_drawn() {
        // Found by the fuzz target `diagram`: a lane named `\0` from a saved file
        // reached the terminal as it was (a newline broke the row, an escape drove it).
        let mut p = open();
        p.lanes[1] = "\u{1b}[2J\nx\0".into();
        for color in [false, true] {
            let text = draw(&p, Style { width: 80, color });
            assert!(!text.contains("\u{1b}[2J"), "{text:?}");
            assert!(!text.contains('\0'), "{text:?}");
            let lanes_row = text.lines().nth(1).unwrap_or_default();
            assert!(lanes_row.trim().starts_with(['|', '│']), "{text}");
        }
        let live = live_arrow(
            Direction::Inbound,
            "a\nb\u{7}",
            &p.arrows[0].bytes,
            Style {
                width: 80,
                color: false,
            },
        );
        assert!(!live.contains(['\n', '\u{7}']), "{live:?}");
    }

    #[test]
    fn labels_are_cut_at_words() {
        assert_eq!(
            fit_label("accept_channel minimum_depth 6", 20),
            "accept_channel…"
        );
        assert_eq!(
            fit_label("funding_signed channel 0c1a…", 14),
            "funding_signed"
        );
        assert_eq!(fit_label("! error \"no\"", 6), "error");
        assert_eq!(fit_label("update_add_htlc 5 msat", 6), "updat…");
        assert_eq!(fit_label("ping", 6), "ping");
    }

    #[test]
    fn a_live_arrow_fits_and_points_the_way() {
        let bytes = msg("update_add_htlc", &[("amount_msat", "50000")]);
        let style = Style {
            width: 40,
            color: false,
        };
        let out = live_arrow(Direction::Outbound, "02bbbbbb…", &bytes, style);
        assert!(out.starts_with("[trace] |-- update_add_"), "{out}");
        assert!(out.ends_with("->| 02bbbbbb…"), "{out}");
        assert_eq!(out.chars().count(), 40, "{out}");
        let back = live_arrow(
            Direction::Inbound,
            "02bbbbbb…",
            &bytes,
            Style { width: 80, ..style },
        );
        assert!(
            back.contains("|<- update_add_htlc 50000 msat id 0 --"),
            "{back}"
        );
    }

    #[test]
    fn times_parse_in_the_forms_logs_write() {
        let at = UNIX_EPOCH + Duration::new(1_700_000_000, 500_000_000);
        assert_eq!(parse_time("2023-11-14 22:13:20.5 UTC"), Some(at));
        assert_eq!(parse_time("2023-11-14T22:13:20.500Z"), Some(at));
        assert_eq!(parse_time("1700000000.5"), Some(at));
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time("2023-13-14 22:13:20"), None);
        assert_eq!(elapsed(Duration::from_secs(3725)), "62m05s");
        assert_eq!(elapsed(Duration::from_secs(7200)), "2h00m");
    }
}
