//! Finding the message on a line of a log.
//!
//! A developer's messages rarely sit alone on a line. A node's log puts a timestamp,
//! a peer id and a direction in front of the hex; a JSON log wraps it in an object.
//! This room reads one line and says what it holds ([`find`]): a message (its hex, and
//! where it came from: [`Origin`]), nothing to decode (a log line about something
//! else), or the start of a JSON document that spans lines. The hex itself is left to
//! the decoder, so a message with a typo still decodes, with its errors.
//!
//! The formats, each as its producer writes it:
//!
//! * **Bare hex**, with or without `0x`, spaces or colons: the whole line is the
//!   message, as it always was for `decode --file`.
//! * **Core Lightning's `log-level=io` lines** (`lightningd/log.c`, `log_to_files`):
//!   `2024-01-15T10:23:45.123Z 02…66 hex…-connectd: [IN] 0010…`, i.e. a timestamp, the
//!   peer's node id joined to the subsystem by `-`, then `[IN]` or `[OUT]` (after an
//!   optional comment) and the hex. The direction marker is what says "a message
//!   follows"; the peer and the time are read from the words before it. Lines of CLN's
//!   JSON-RPC and plugin I/O (`jsonrpc#…`, `plugin-…`) carry JSON, not peer messages,
//!   and are skipped.
//! * **Other text logs**: a line whose last hex word (even length, at least one byte
//!   pair beyond the type, a decimal digit in it, not a node id) is taken as the
//!   message; a leading timestamp and a node id before it are kept. Words of hex
//!   letters only (`added`, `facade`) are English, not messages.
//! * **JSON objects, one a line**: Core Lightning's `lightning-cli getlog io` entries
//!   (`{"type": "IO_IN", "time": "5.602811780", "node_id": "02…", "source":
//!   "connectd", "log": "", "data": "0010…"}`) and lnshell's own `decode --json`
//!   output (`{"direction": "in", "hex": "0010…", "peer": "02…", "time": "…", …}`): the
//!   message is `hex` (else `data`), the direction `direction` (else `IO_IN`/`IO_OUT`
//!   in `type`), the peer `peer` (else `node_id`), the time `time`.
//! * **A JSON document over many lines**, as `lightning-cli getlog io` prints it: the
//!   whole document is read as a stream ([`for_each_entry`]), entry by entry, so a big
//!   log is never held at once; its `created_at` turns each entry's relative `time`
//!   into a UTC time.
//!
//! Everything here is a pure function of its input (the document reader takes any
//! serde `Deserializer`; the caller decides where the bytes come from).

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::fmt::push_utc;

/// Which way a message went, as the log says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// The logging node received it.
    In,
    /// The logging node sent it.
    Out,
}

impl Direction {
    /// `in` or `out`, the form lnshell writes in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }

    /// The direction a word names: lnshell's `in`/`out`, CLN's `IO_IN`/`IO_OUT` and
    /// `[IN]`/`[OUT]`, and the long forms.
    fn from_word(word: &str) -> Option<Direction> {
        match word.trim_end_matches(':') {
            "in" | "IN" | "[IN]" | "IO_IN" | "inbound" | "received" | "recv" => Some(Direction::In),
            "out" | "OUT" | "[OUT]" | "IO_OUT" | "outbound" | "sent" | "send" => {
                Some(Direction::Out)
            }
            _ => None,
        }
    }
}

/// Where a message came from, as much as the line says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin<'a> {
    /// Received or sent.
    pub direction: Option<Direction>,
    /// The time, as the log wrote it (a UTC time for a `getlog` document).
    pub time: Option<Cow<'a, str>>,
    /// The other side's node id.
    pub peer: Option<Cow<'a, str>>,
}

impl Origin<'_> {
    /// True when the line said nothing about where the message came from.
    pub fn is_empty(&self) -> bool {
        self.direction.is_none() && self.time.is_none() && self.peer.is_none()
    }

    /// The same origin, owning its text.
    pub fn into_owned(self) -> Origin<'static> {
        Origin {
            direction: self.direction,
            time: self.time.map(|t| Cow::Owned(t.into_owned())),
            peer: self.peer.map(|p| Cow::Owned(p.into_owned())),
        }
    }
}

/// What one line holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// Blank, or a `#` comment: not counted at all.
    Blank,
    /// A message: its hex, for the decoder as it is, and where it came from.
    Message {
        /// The hex (the decoder reads `0x`, spaces and colons too).
        hex: Cow<'a, str>,
        /// Direction, time and peer, when the line says.
        origin: Origin<'a>,
    },
    /// Text with no message in it (a log line about something else): counted, skipped.
    NoMessage,
    /// The first line of a JSON document that goes on over the next lines (read it
    /// with [`for_each_entry`]).
    DocumentStart,
}

/// What `line` holds (see the module doc for the formats).
pub fn find(line: &str) -> Line<'_> {
    let t = line.trim();
    if t.is_empty() || t.starts_with('#') {
        return Line::Blank;
    }
    if t.starts_with('{') {
        return json_line(t);
    }
    if is_plain_hex(t) {
        return Line::Message {
            hex: Cow::Borrowed(t),
            origin: Origin::default(),
        };
    }
    text_line(t)
}

/// The whole line is hex, as `decode` has always read it: hex digits, an optional
/// `0x`, spaces, colons and tabs, and at least one byte.
fn is_plain_hex(t: &str) -> bool {
    let body = strip_0x(t);
    // The common line, tested in one pass the compiler vectorises.
    if body.len() >= 2 && body.bytes().all(|b| b.is_ascii_hexdigit()) {
        return true;
    }
    let mut digits = 0usize;
    for c in body.bytes() {
        match c {
            b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' => digits += 1,
            b' ' | b':' | b'\t' => {}
            _ => return false,
        }
    }
    digits >= 2
}

fn strip_0x(s: &str) -> &str {
    s.strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s)
}

/// A word and where it starts in the line.
fn words(t: &str) -> impl Iterator<Item = (usize, &str)> {
    t.split_ascii_whitespace()
        .map(move |w| (w.as_ptr() as usize - t.as_ptr() as usize, w))
}

/// A text log line: a direction marker and what follows it, else the last hex word.
fn text_line(t: &str) -> Line<'_> {
    let all: Vec<(usize, &str)> = words(t).collect();
    // CLN: `…-connectd: [IN] 0010…`, or `…: comment[OUT] 0010…` (the comment is glued
    // to the marker). CLN's crash-log dump writes `connectdIO_IN: `.
    let marker = all.iter().position(|(_, w)| {
        w.ends_with("[IN]")
            || w.ends_with("[OUT]")
            || w.trim_end_matches(':').ends_with("IO_IN")
            || w.trim_end_matches(':').ends_with("IO_OUT")
    });
    if let Some(m) = marker {
        let (at, w) = all[m];
        let before = &all[..m];
        if is_rpc_io(before, w) {
            return Line::NoMessage;
        }
        let direction = if w.ends_with("[IN]") || w.trim_end_matches(':').ends_with("IO_IN") {
            Direction::In
        } else {
            Direction::Out
        };
        let rest = t[at + w.len()..].trim();
        return Line::Message {
            hex: Cow::Borrowed(rest),
            origin: Origin {
                direction: Some(direction),
                time: time_of(t, before),
                peer: peer_of(before),
            },
        };
    }
    // A word marked `0x` anywhere, else the last word: a log puts the message last.
    let marked = all
        .iter()
        .rposition(|(_, w)| has_0x(w) && is_message_word(w));
    let last = all
        .len()
        .checked_sub(1)
        .filter(|&i| is_message_word(all[i].1));
    let Some(m) = marked.or(last) else {
        return Line::NoMessage;
    };
    let before = &all[..m];
    let direction = before
        .iter()
        .rev()
        .find_map(|(_, w)| Direction::from_word(w.trim_matches(|c| c == '[' || c == ']')));
    Line::Message {
        hex: Cow::Borrowed(all[m].1.trim_end_matches([',', ';', '.'])),
        origin: Origin {
            direction,
            time: time_of(t, before),
            peer: peer_of(before),
        },
    }
}

/// CLN logs its JSON-RPC and plugin traffic at the io level too: JSON, not messages.
fn is_rpc_io(before: &[(usize, &str)], marker: &str) -> bool {
    let source = |w: &str| w.contains("jsonrpc#") || w.contains("plugin-");
    source(marker) || before.last().is_some_and(|(_, w)| source(w))
}

fn has_0x(w: &str) -> bool {
    w.starts_with("0x") || w.starts_with("0X")
}

/// A word that can be a whole message in an unmarked line: hex of even length, at
/// least 4 bytes (a type and a payload), with a decimal digit in it (so `facade` stays a
/// word). Without `0x`, not 32 bytes (a txid, a channel id, a hash) and not a node id.
fn is_message_word(w: &str) -> bool {
    let w = w.trim_end_matches([',', ';', '.']);
    let body = strip_0x(w);
    let plain = body.len() == w.len();
    body.len() >= 8
        && body.len().is_multiple_of(2)
        && body.bytes().all(|b| b.is_ascii_hexdigit())
        && body.bytes().any(|b| b.is_ascii_digit())
        && !(plain && (body.len() == 64 || is_node_id(body)))
}

/// 66 hex digits starting with 02 or 03: a compressed public key.
fn is_node_id(s: &str) -> bool {
    s.len() == 66
        && (s.starts_with("02") || s.starts_with("03"))
        && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The node id in the words before the message: a whole word, or the front of CLN's
/// `02…-connectd:` word.
fn peer_of<'a>(before: &[(usize, &'a str)]) -> Option<Cow<'a, str>> {
    before.iter().find_map(|(_, w)| {
        let w = w.trim_start_matches('[');
        let head = w.get(..66)?;
        let next = w[66..].chars().next();
        (is_node_id(head) && matches!(next, None | Some('-' | ':' | ',' | ']' | '@')))
            .then_some(Cow::Borrowed(head))
    })
}

/// The timestamp among the first two words before the message: one word
/// (`2024-01-15T10:23:45.123Z`, `1700000000`, CLN's crash log `+5.602811780`), or a
/// date and a time (`2024-01-15 10:23:45,123`), brackets removed.
fn time_of<'a>(t: &'a str, before: &[(usize, &'a str)]) -> Option<Cow<'a, str>> {
    let (i, (at, w)) = before
        .iter()
        .take(2)
        .enumerate()
        .find(|(_, (_, w))| is_time(w))?;
    let mut end = at + w.len();
    if let Some((next_at, next)) = before.get(i + 1) {
        if is_date(w) && is_clock(next) {
            end = next_at + next.len();
        }
    }
    let text = t[*at..end].trim_matches(|c| c == '[' || c == ']');
    Some(Cow::Borrowed(text))
}

fn bare(w: &str) -> &str {
    w.trim_matches(|c| c == '[' || c == ']')
}

/// `2024-01-15`.
fn is_date(w: &str) -> bool {
    let w = bare(w);
    w.len() == 10 && w.as_bytes()[4] == b'-' && w.as_bytes()[7] == b'-'
}

/// `10:23:45`, `10:23:45.123`, `10:23:45,123Z`.
fn is_clock(w: &str) -> bool {
    let w = bare(w);
    w.len() >= 8
        && w.as_bytes()[2] == b':'
        && w.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b',' | b'Z' | b'+' | b'-'))
}

/// A timestamp word: digits with `-:.,TZ+`, a date or a clock in it, or UNIX seconds
/// (10 digits) or milliseconds (13), or relative seconds with a fraction.
fn is_time(w: &str) -> bool {
    let w = bare(w);
    let w = w.strip_prefix('+').unwrap_or(w);
    if !w.starts_with(|c: char| c.is_ascii_digit())
        || !w.bytes().all(|b| {
            b.is_ascii_digit() || matches!(b, b'-' | b':' | b'.' | b',' | b'T' | b'Z' | b'+')
        })
    {
        return false;
    }
    if w.contains(['-', ':']) {
        return true;
    }
    let int = w.split('.').next().unwrap_or("");
    matches!(int.len(), 10 | 13) || w.contains('.')
}

// ---- JSON ----

/// One JSON log entry: CLN's `getlog` entry or lnshell's own JSON line. Unknown keys
/// (lnshell's `fields`, CLN's `log`) are skipped without being kept.
#[derive(Deserialize, Default)]
struct Entry<'a> {
    #[serde(borrow, default)]
    hex: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    data: Option<Cow<'a, str>>,
    /// CLN: `IO_IN`, `IO_OUT`, `INFO`…; lnshell: the message type, a number.
    #[serde(default, rename = "type")]
    kind: Option<serde_json::Value>,
    #[serde(borrow, default)]
    direction: Option<Cow<'a, str>>,
    #[serde(default)]
    time: Option<serde_json::Value>,
    #[serde(borrow, default)]
    peer: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    node_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    source: Option<Cow<'a, str>>,
}

impl<'a> Entry<'a> {
    /// What the entry holds; `created_at` (from a `getlog` document) makes its relative
    /// `time` absolute.
    fn into_line(self, created_at: Option<(u64, u32)>) -> Line<'a> {
        let Some(hex) = self.hex.or(self.data) else {
            return Line::NoMessage;
        };
        if self.node_id.is_none()
            && self
                .source
                .as_deref()
                .is_some_and(|s| s.starts_with("jsonrpc") || s.starts_with("plugin"))
        {
            return Line::NoMessage;
        }
        let direction = self
            .direction
            .as_deref()
            .and_then(Direction::from_word)
            .or_else(|| {
                self.kind
                    .as_ref()
                    .and_then(|k| k.as_str())
                    .and_then(Direction::from_word)
            });
        let time = match self.time {
            Some(serde_json::Value::String(s)) => Some(match created_at.zip(seconds(&s)) {
                Some((start, rel)) => Cow::Owned(utc_time(start, rel)),
                None => Cow::Owned(s),
            }),
            Some(serde_json::Value::Number(n)) => Some(Cow::Owned(n.to_string())),
            _ => None,
        };
        Line::Message {
            hex,
            origin: Origin {
                direction,
                time,
                peer: self.peer.or(self.node_id),
            },
        }
    }
}

/// A line that starts with `{`: one whole object, or the start of a longer document.
fn json_line(t: &str) -> Line<'_> {
    match serde_json::from_str::<Entry<'_>>(t) {
        Ok(entry) => entry.into_line(None),
        Err(e) if e.is_eof() => Line::DocumentStart,
        Err(_) => Line::NoMessage,
    }
}

/// `"1738000000.123456789"` as seconds and nanoseconds.
fn seconds(s: &str) -> Option<(u64, u32)> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos = if frac.is_empty() {
        0
    } else {
        frac.parse::<u32>().ok()? * 10u32.pow(9 - frac.len() as u32)
    };
    Some((int.parse().ok()?, nanos))
}

/// `start + rel` as `2025-01-27 17:46:45.726268569 UTC`.
fn utc_time(start: (u64, u32), rel: (u64, u32)) -> String {
    let nanos = start.1 as u64 + rel.1 as u64;
    let secs = start
        .0
        .saturating_add(rel.0)
        .saturating_add(nanos / 1_000_000_000);
    let mut text = String::with_capacity(34);
    push_utc(&mut text, secs);
    text.truncate(text.len() - " UTC".len());
    let _ = write!(text, ".{:09} UTC", nanos % 1_000_000_000);
    text
}

/// Why [`for_each_entry`] stopped early: the callback said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// Reads a JSON document from `de` entry by entry: a `getlog` answer (`{"created_at":
/// …, "log": [entry, …]}`), the same inside a JSON-RPC reply's `result`, or a bare array
/// of entries. Calls `each` with every entry's number (from 1) and what it holds; an
/// entry with no message (`INFO`, `SKIPPED`) is [`Line::NoMessage`]. Entries are read
/// one at a time: memory does not grow with the document.
///
/// `Ok(false)` if `each` stopped it (returned `Err(Stopped)`); `Err` if the document is
/// not JSON, or not one of these shapes.
pub fn for_each_entry<'de, D, F>(de: D, each: F) -> Result<bool, D::Error>
where
    D: Deserializer<'de>,
    F: FnMut(usize, Line<'static>) -> Result<(), Stopped>,
{
    let mut walk = Walk {
        each,
        count: 0,
        created_at: None,
        stopped: false,
    };
    match (&mut walk).deserialize(de) {
        Ok(()) => Ok(true),
        Err(_) if walk.stopped => Ok(false),
        Err(e) => Err(e),
    }
}

struct Walk<F> {
    each: F,
    count: usize,
    created_at: Option<(u64, u32)>,
    stopped: bool,
}

impl<F: FnMut(usize, Line<'static>) -> Result<(), Stopped>> Walk<F> {
    fn entry<E: de::Error>(&mut self, entry: Entry<'_>) -> Result<(), E> {
        self.count += 1;
        let line = match entry.into_line(self.created_at) {
            Line::Message { hex, origin } => Line::Message {
                hex: Cow::Owned(hex.into_owned()),
                origin: origin.into_owned(),
            },
            _ => Line::NoMessage,
        };
        (self.each)(self.count, line).map_err(|Stopped| {
            self.stopped = true;
            E::custom("stopped")
        })
    }
}

impl<'de, F: FnMut(usize, Line<'static>) -> Result<(), Stopped>> DeserializeSeed<'de>
    for &mut Walk<F>
{
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de, F: FnMut(usize, Line<'static>) -> Result<(), Stopped>> Visitor<'de> for &mut Walk<F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a getlog answer ({\"log\": [...]}) or an array of log entries")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "created_at" => {
                    let at: serde_json::Value = map.next_value()?;
                    self.created_at = at.as_str().and_then(seconds);
                }
                "log" | "result" => map.next_value_seed(&mut *self)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Entry<'_>>()? {
            self.entry(entry)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEER: &str = "035d2b1192dfba134e10e540875d366ebc8bc353d5aa766b80c090b39c3a5d885d";

    fn message(line: &str) -> (String, Origin<'static>) {
        match find(line) {
            Line::Message { hex, origin } => (hex.into_owned(), origin.into_owned()),
            other => panic!("no message in {line:?}: {other:?}"),
        }
    }

    /// Only 66 hex digits starting with 02 or 03 are a node id; brackets around a
    /// timestamp are not part of it; a date joins the clock after it, nothing else does.
    #[test]
    fn peers_and_times_are_exact() {
        let not_a_key = format!("04{}", &PEER[2..]);
        let (_, o) = message(&format!("{not_a_key}-connectd: [IN] 0012000400020000"));
        assert_eq!(o.peer, None);
        let (_, o) = message(&format!("{PEER}-connectd: [IN] 0012000400020000"));
        assert_eq!(o.peer.as_deref(), Some(PEER));

        let (_, o) = message("[2024-01-15 10:23:45] [IN] 0012000400020000");
        assert_eq!(o.time.as_deref(), Some("2024-01-15 10:23:45"));
        let (_, o) = message("[1700000000] [IN] 0012000400020000");
        assert_eq!(o.time.as_deref(), Some("1700000000"));
        let (_, o) = message("1700000000 10:23:45 [OUT] 0012000400020000");
        assert_eq!(o.time.as_deref(), Some("1700000000"));
        // Starts with digits but has letters: not a time.
        let (_, o) = message("1700000000xyz [OUT] 0012000400020000");
        assert_eq!(o.time, None);
    }

    #[test]
    fn bare_hex_is_the_whole_line() {
        assert_eq!(message("0012000400020000").0, "0012000400020000");
        // A byte is two digits: less is no message, with or without `0x`.
        assert_eq!(message("ff").0, "ff");
        for short in ["f", "0x", "0xf"] {
            assert_eq!(find(short), Line::NoMessage, "{short}");
        }
        assert_eq!(message("  0x00 12:00 04 ").0, "0x00 12:00 04");
        assert!(message("0012").1.is_empty());
        assert_eq!(find(""), Line::Blank);
        assert_eq!(find("  # a comment 0012"), Line::Blank);
    }

    #[test]
    fn core_lightning_io_lines() {
        let (hex, o) = message(&format!(
            "2024-01-15T10:23:45.123Z {PEER}-connectd: [IN] 0012000400020000"
        ));
        assert_eq!(hex, "0012000400020000");
        assert_eq!(o.direction, Some(Direction::In));
        assert_eq!(o.time.as_deref(), Some("2024-01-15T10:23:45.123Z"));
        assert_eq!(o.peer.as_deref(), Some(PEER));
        // No node id, a comment glued to the marker, no timestamp.
        let (hex, o) = message("gossipd: peer_out[OUT] 00130002abcd");
        assert_eq!(hex, "00130002abcd");
        assert_eq!(o.direction, Some(Direction::Out));
        assert_eq!((o.time, o.peer), (None, None));
        // A bad message after a marker is still a message (the decoder says what is wrong).
        assert_eq!(message("connectd: [IN] 001").0, "001");
        // After `[OUT]` too; and all of the rest is the message, spaces and all.
        let (hex, o) = message("connectd: [OUT] 001");
        assert_eq!((hex.as_str(), o.direction), ("001", Some(Direction::Out)));
        assert_eq!(
            message("connectd: [OUT] 0012 0004 0002").0,
            "0012 0004 0002"
        );
        // CLN's crash-log dump, both ways.
        for (line, direction) in [
            ("connectdIO_IN: 0012 0004 0002", Direction::In),
            ("connectdIO_OUT: 0012 0004 0002", Direction::Out),
        ] {
            let (hex, o) = message(line);
            assert_eq!(
                (hex.as_str(), o.direction),
                ("0012 0004 0002", Some(direction))
            );
        }
        // JSON-RPC traffic is not a peer message.
        assert_eq!(
            find("2024-01-15T10:23:45.123Z jsonrpc#69: [IN] 7b226a736f6e727063"),
            Line::NoMessage
        );
        // Other levels carry no message.
        assert_eq!(
            find(&format!(
                "2024-01-15T10:23:45.123Z DEBUG   {PEER}-channeld-chan#1: billboard: added"
            )),
            Line::NoMessage
        );
    }

    #[test]
    fn other_text_logs() {
        let (hex, o) = message(&format!(
            "2024-01-15 10:23:45,123 recv {PEER} 0x0012000400020000"
        ));
        assert_eq!(hex, "0x0012000400020000");
        assert_eq!(o.time.as_deref(), Some("2024-01-15 10:23:45,123"));
        assert_eq!(o.peer.as_deref(), Some(PEER));
        assert_eq!(o.direction, Some(Direction::In));
        let (hex, o) = message("1700000000 [OUT] 0012000400020000");
        assert_eq!(hex, "0012000400020000");
        assert_eq!(o.time.as_deref(), Some("1700000000"));
        assert_eq!(o.direction, Some(Direction::Out));
        // English hex-letter words and node ids alone are no message.
        assert_eq!(find("we added a facade to the cafe"), Line::NoMessage);
        assert_eq!(find(&format!("connected to {PEER}")), Line::NoMessage);
        assert_eq!(find("INFO lightningd: Server started"), Line::NoMessage);
        // Numbers, txids and mid-line hex are not messages; `0x` marks one anywhere.
        assert_eq!(find("sending 1000 msat"), Line::NoMessage);
        assert_eq!(
            find(&format!("funding tx {} depth 1", "ab12".repeat(16))),
            Line::NoMessage
        );
        assert_eq!(
            find(&format!("txid {}", "ab12".repeat(16))),
            Line::NoMessage
        );
        assert_eq!(find("got 00120004 from them"), Line::NoMessage);
        assert_eq!(message("got 0x00120004 from them").0, "0x00120004");
    }

    #[test]
    fn json_lines() {
        let (hex, o) = message(&format!(
            r#"{{"type": "IO_OUT", "time": "5.602811780", "node_id": "{PEER}", "source": "connectd", "log": "", "data": "0012000400020000"}}"#
        ));
        assert_eq!(hex, "0012000400020000");
        assert_eq!(o.direction, Some(Direction::Out));
        assert_eq!(o.time.as_deref(), Some("5.602811780"));
        assert_eq!(o.peer.as_deref(), Some(PEER));
        let (hex, o) = message(&format!(
            r#"{{"bolt":1,"direction":"in","hex":"0012000400020000","peer":"{PEER}","time":"t","type":18}}"#
        ));
        assert_eq!(hex, "0012000400020000");
        assert_eq!(o.direction, Some(Direction::In));
        assert_eq!(o.time.as_deref(), Some("t"));
        assert_eq!(
            find(r#"{"type": "INFO", "time": "1.0", "source": "lightningd", "log": "hi"}"#),
            Line::NoMessage
        );
        assert_eq!(
            find(r#"{"type":"IO_IN","source":"jsonrpc#3","data":"7b7d"}"#),
            Line::NoMessage
        );
        // A time given as a JSON number is kept, as its text.
        let (_, o) = message(r#"{"direction":"in","hex":"0012000400020000","time":12.5}"#);
        assert_eq!(o.time.as_deref(), Some("12.5"));
        assert_eq!(find("{"), Line::DocumentStart);
        assert_eq!(find(r#"{"created_at": "1.0","#), Line::DocumentStart);
        assert_eq!(find("{not json}"), Line::NoMessage);
    }

    #[test]
    fn getlog_documents_stream_entries() {
        let doc = format!(
            r#"{{"created_at": "1700000000.500000000", "bytes_used": 1, "bytes_max": 2,
               "log": [
                 {{"type": "SKIPPED", "num_skipped": 3}},
                 {{"type": "IO_IN", "time": "1.600000000", "node_id": "{PEER}",
                   "source": "connectd", "log": "", "data": "0012000400020000"}},
                 {{"type": "INFO", "time": "2.0", "source": "lightningd", "log": "x"}}
               ]}}"#
        );
        let mut seen = Vec::new();
        let done = for_each_entry(&mut serde_json::Deserializer::from_str(&doc), |n, l| {
            seen.push((n, l));
            Ok(())
        })
        .unwrap();
        assert!(done);
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[0], (1, Line::NoMessage));
        let Line::Message { hex, origin } = &seen[1].1 else {
            panic!("{seen:?}")
        };
        assert_eq!(hex, "0012000400020000");
        assert_eq!(
            origin.time.as_deref(),
            Some("2023-11-14 22:13:22.100000000 UTC")
        );
        // Inside a JSON-RPC reply; stopping early.
        let rpc = format!(r#"{{"jsonrpc": "2.0", "id": 1, "result": {doc}}}"#);
        let mut n = 0;
        let done = for_each_entry(&mut serde_json::Deserializer::from_str(&rpc), |_, _| {
            n += 1;
            Err(Stopped)
        })
        .unwrap();
        assert!(!done);
        assert_eq!(n, 1);
        assert!(
            for_each_entry(&mut serde_json::Deserializer::from_str("[1"), |_, _| Ok(())).is_err()
        );
        // A document of the wrong shape says which shapes it takes.
        let e = for_each_entry(&mut serde_json::Deserializer::from_str("5"), |_, _| Ok(()))
            .unwrap_err();
        assert!(e.to_string().contains("expected a getlog answer"), "{e}");
    }

    #[test]
    fn relative_times() {
        assert_eq!(seconds("5.602811780"), Some((5, 602_811_780)));
        assert_eq!(seconds("5.6"), Some((5, 600_000_000)));
        assert_eq!(seconds("12"), Some((12, 0)));
        assert_eq!(seconds("x"), None);
        // Nanoseconds have nine digits at most; a tenth is no time (and no overflow).
        assert_eq!(seconds("5.123456789"), Some((5, 123_456_789)));
        assert_eq!(seconds("5.1234567890"), None);
        assert_eq!(seconds("5.12x"), None);
        assert_eq!(
            utc_time((0, 900_000_000), (1, 200_000_000)),
            "1970-01-01 00:00:02.100000000 UTC"
        );
    }

    #[test]
    fn a_long_word_is_no_clock_without_its_colons() {
        // Eight letters or more are not a time of day: only `hh:mm:ss…` is.
        let (_, o) = message("received 0012000400020000");
        assert_eq!(o.time, None);
        assert!(message("0012000400020000").1.is_empty());
        let (_, o) = message(&format!("{PEER}-connectd: [IN] 0012000400020000"));
        assert!(!o.is_empty());
        assert!(is_clock("10:23:45"));
        assert!(!is_clock("received"));
        assert!(!is_clock("10-23-45"));
    }

    /// Any one of direction, time or peer is something said.
    #[test]
    fn an_origin_with_any_part_is_not_empty() {
        for (direction, time, peer) in [
            (Some(Direction::In), None, None),
            (None, Some(Cow::Borrowed("10:23:45")), None),
            (None, None, Some(Cow::Borrowed(PEER))),
        ] {
            let o = Origin {
                direction,
                time,
                peer,
            };
            assert!(!o.is_empty(), "{o:?}");
        }
        assert!(Origin::default().is_empty());
    }

    /// A date is `yyyy-mm-dd`: a word with a dash in only one of those places is none, and
    /// does not join the clock after it; a direction word may be in brackets.
    #[test]
    fn dates_and_bracketed_directions() {
        // Times both, so the first is the time; neither is a date, so it stands alone.
        let (_, o) = message("2024.01-15 10:23:45 [IN] 0012000400020000");
        assert_eq!(o.time.as_deref(), Some("2024.01-15"));
        let (_, o) = message("2024-01.15 10:23:45 [IN] 0012000400020000");
        assert_eq!(o.time.as_deref(), Some("2024-01.15"));
        let (_, o) = message("2024-01-15 10:23:45 [IN] 0012000400020000");
        assert_eq!(o.time.as_deref(), Some("2024-01-15 10:23:45"));
        let (_, o) = message("[sent] 0012000400020000");
        assert_eq!(o.direction, Some(Direction::Out));
        let (_, o) = message("[recv] 0012000400020000");
        assert_eq!(o.direction, Some(Direction::In));
    }
}
