//! Views: every command's text and JSON, written from data the executor gathered.
//!
//! The executor ([`super::Shell`]) asks the node, the wire code and the lessons;
//! these functions only write. A view takes plain data (a [`PeerRow`], an
//! [`InfoView`], LDK's [`ChannelDetails`], a decoded message) and returns a
//! `String`; it never holds or calls the node. That is why the split pays: the
//! words a learner reads live in one room, and any of them can be tested with
//! made-up data, without a node, a socket or a runtime (see the tests below).

use std::fmt::Write as _;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;

use bitcoin::secp256k1::PublicKey;
use bitcoin::Network;
use lightning::ln::channel_state::ChannelDetails;
use serde_json::json;

use super::ShellError;
use crate::command::COMMANDS;
use crate::node::peers::Kind;
use crate::node::responder::{explain_refusal, Answer};
use crate::node::{ChannelOpening, ClosingChannel, Connected, Disconnected, ForceClosed, PeerRow};
use crate::wire;
use crate::wire::logline::{Direction, Origin};

// ---- help, examples, encode ----

/// `help` and `help <command>`, from the one command table.
pub(super) fn help(topic: Option<&str>) -> Result<String, ShellError> {
    match topic {
        None => {
            let mut out = String::from("commands (`help <command>` for more):\n");
            for c in COMMANDS {
                let _ = writeln!(out, "  {:<44} {}", c.usage, c.summary);
            }
            let _ = write!(
                out,
                "  {:<44} a line of bare hex is decoded as a BOLT message",
                "<hex>"
            );
            Ok(out)
        }
        Some(name) => {
            let name = if name == "exit" { "quit" } else { name };
            let c = COMMANDS.iter().find(|c| c.name == name).ok_or_else(|| {
                ShellError::new(
                    super::ErrorKind::Usage,
                    format!("no command {name:?}; `help` lists them all"),
                )
            })?;
            Ok(format!("{}\n  {}\n\n{}", c.usage, c.summary, c.details))
        }
    }
}

/// `example` with no name: the catalogue's message names, wrapped.
pub(super) fn example_list_text(names: &[&str]) -> String {
    format!(
        "messages (`example <name>` prints one):\n{}",
        wrap_words(names, 78)
    )
}

/// `encode` and `example <name>`: the message as one line of hex, so that
/// `$(lnshell --exec 'encode ...')` can be pasted anywhere.
pub(super) fn hex_text(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Words after a two-space indent, in lines no longer than `width`.
fn wrap_words(words: &[&str], width: usize) -> String {
    let mut out = String::new();
    let mut line = String::from(" ");
    for w in words {
        if line.len() + w.len() + 1 > width {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(w);
    }
    out.push_str(&line);
    out
}

// ---- info ----

/// What `info` shows, gathered from the node in one place.
pub(super) struct InfoView {
    /// Our node id.
    pub node_id: PublicKey,
    /// The chain we pretend to be on.
    pub network: Network,
    /// Where we listen, in the order the node reports.
    pub listening: Vec<SocketAddr>,
    /// Lightning connections (guests included).
    pub lightning: usize,
    /// Netcat sessions.
    pub netcat: usize,
    /// Lightning peers held as guests (see `help peers`).
    pub guests: usize,
    /// Where keys, logs and progress live.
    pub data_dir: std::path::PathBuf,
}

/// `info --json`.
pub(super) fn info_json(v: &InfoView) -> String {
    let listening: Vec<String> = v.listening.iter().map(|a| a.to_string()).collect();
    json!({
        "node_id": v.node_id.to_string(),
        "network": v.network.to_string(),
        "listening": listening,
        "peers": {"lightning": v.lightning, "netcat": v.netcat, "guests": v.guests},
        "data_dir": v.data_dir.display().to_string(),
    })
    .to_string()
}

/// `info`.
pub(super) fn info_text(v: &InfoView) -> String {
    let listening: Vec<String> = v.listening.iter().map(|a| a.to_string()).collect();
    let guests = if v.guests == 0 {
        String::new()
    } else {
        format!(
            " ({} of the lightning peers are guests: see `help peers`)",
            v.guests
        )
    };
    format!(
        "node id    {}\nnetwork    {}\nlistening  {}\npeers      {} lightning, {} netcat{guests}\ndata dir   {}",
        v.node_id,
        v.network,
        if listening.is_empty() {
            "nowhere (`listen 9735` to start)".to_string()
        } else {
            listening.join(", ")
        },
        v.lightning,
        v.netcat,
        v.data_dir.display()
    )
}

// ---- peers ----

/// `peers --json`: one object per connection.
pub(super) fn peers_json(rows: &[PeerRow]) -> String {
    let list: Vec<serde_json::Value> = rows.iter().map(peer_json).collect();
    serde_json::Value::Array(list).to_string()
}

fn peer_json(r: &PeerRow) -> serde_json::Value {
    json!({
        "id": r.conn.id,
        "kind": r.conn.kind.as_str(),
        "direction": r.conn.direction.as_str(),
        "address": r.conn.remote.to_string(),
        "node_id": r.node_id.map(|n| n.to_string()),
        "features": r.features,
        "connected_secs": r.conn.connected_secs,
        "received": r.conn.received,
        "guest": r.guest,
    })
}

/// `peers`: the table, or, with no connections, how to get one. `listening` is
/// the first address we listen on, if any (it goes into the `nc` hint).
pub(super) fn peers_text(rows: &[PeerRow], listening: Option<SocketAddr>) -> String {
    if rows.is_empty() {
        return match listening {
            Some(addr) => format!(
                "no connections. In another terminal: nc -v {} {} (or `connect` to another node)",
                dialable_ip(addr),
                addr.port()
            ),
            None => {
                "no connections, and not listening (`listen 9735`, or `connect` to another node)"
                    .into()
            }
        };
    }
    let mut out = format!(
        "{:<5} {:<10} {:<4} {:<22} {:<10} {}\n",
        "id", "kind", "dir", "address", "connected", "node id / lines received"
    );
    for r in rows {
        let c = &r.conn;
        let who = match (c.kind, r.node_id) {
            (Kind::Netcat, _) => format!("{} lines", c.received),
            (_, Some(id)) => id.to_string(),
            (_, None) => "(BOLT 8 handshake in progress)".into(),
        };
        let _ = writeln!(
            out,
            "{:<5} {:<10} {:<4} {:<22} {:<10} {}",
            format!("#{}", c.id),
            c.kind.as_str(),
            c.direction.as_str(),
            c.remote,
            duration_text(c.connected_secs),
            who
        );
        if r.node_id.is_some() {
            let _ = writeln!(
                out,
                "      {} messages received; features: {}",
                c.received,
                features_text(&r.features)
            );
            if r.guest {
                let _ = writeln!(
                    out,
                    "      a guest: LDK's ChannelManager already keeps {} peers without channels, so lnshell holds this one itself",
                    crate::node::admission::CHANNEL_MANAGER_PEER_LIMIT
                );
            }
        }
    }
    out.trim_end().to_string()
}

/// Feature names, or `(none)` when a peer's `init` set none we know.
fn features_text(features: &[String]) -> String {
    if features.is_empty() {
        "(none)".into()
    } else {
        features.join(", ")
    }
}

/// A connection's age, short: `42s`, `3m07s`, `2h05m`.
fn duration_text(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, (secs % 3600) / 60),
    }
}

/// The address to tell `nc` to dial: a wildcard listener is reached on loopback.
fn dialable_ip(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    }
}

// ---- listen ----

/// `listen` with no argument: where we listen.
pub(super) fn listen_show_text(addrs: &[SocketAddr]) -> String {
    if addrs.is_empty() {
        "not listening. `listen 9735` listens on 127.0.0.1:9735".into()
    } else {
        let list: Vec<String> = addrs.iter().map(|a| format!("  {a}")).collect();
        format!("listening on:\n{}", list.join("\n"))
    }
}

/// `listen PORT`: where we listen now, and how to try it.
pub(super) fn listening_text(addr: SocketAddr) -> String {
    let mut text = format!(
        "listening on {addr} (lightning peers and netcat sessions; try: nc -v {} {})",
        dialable_ip(addr),
        addr.port()
    );
    if addr.ip().is_unspecified() {
        text.push_str(
            "\nwarning: listening on every interface: anyone who can reach this machine can connect",
        );
    }
    text
}

/// `listen stop`.
pub(super) fn stopped_listening_text(addr: SocketAddr) -> String {
    format!("stopped listening on {addr} (its connections stay up)")
}

// ---- decode ----

/// `decode <hex>`: the decoded tree as text or as one JSON object.
pub(super) fn decoded_text(d: &wire::Decoded, json: bool, full: bool) -> String {
    if json {
        wire::render::json(d).to_string()
    } else {
        wire::render::text(d, &wire::render::RenderOptions { full })
    }
}

/// Where one message of a stream was: a line, or an entry of a JSON document.
#[derive(Clone, Copy, Debug)]
pub(super) enum Place {
    Line(usize),
    Entry(usize),
}

/// `decode --file`: one message, written straight to `out`. With `json`, the
/// line is built in `json_line`, a buffer the caller reuses for every line so
/// that a long file allocates once (the loop is benchmarked). Where the message
/// came from (a log's direction, time, peer) heads the text and is in the JSON.
#[inline]
pub(super) fn decoded_line_into(
    out: &mut dyn Write,
    place: Place,
    origin: &Origin<'_>,
    d: &wire::Decoded,
    json: bool,
    render: &wire::render::RenderOptions,
    json_line: &mut Vec<u8>,
) -> std::io::Result<()> {
    if json {
        json_line.clear();
        wire::render::json_into_with(d, origin, json_line);
        json_line.push(b'\n');
        return out.write_all(json_line);
    }
    let (word, n) = match place {
        Place::Line(n) => ("line", n),
        Place::Entry(n) => ("entry", n),
    };
    if origin.is_empty() {
        writeln!(out, "{word} {n}: {}\n", wire::render::text(d, render))
    } else {
        writeln!(
            out,
            "{word} {n} ({}): {}\n",
            origin_text(origin),
            wire::render::text(d, render)
        )
    }
}

/// `in from 02ab…, 2024-01-15T10:23:45.123Z`: what a log line said of a message.
fn origin_text(o: &Origin<'_>) -> String {
    let mut parts = Vec::with_capacity(2);
    match (o.direction, &o.peer) {
        (Some(Direction::In), Some(p)) => parts.push(format!("in from {p}")),
        (Some(Direction::Out), Some(p)) => parts.push(format!("out to {p}")),
        (Some(d), None) => parts.push(d.as_str().to_string()),
        (None, Some(p)) => parts.push(format!("peer {p}")),
        (None, None) => {}
    }
    if let Some(t) = &o.time {
        parts.push(t.to_string());
    }
    parts.join(", ")
}

/// `decode --file`, after the last text line: messages clean and with errors, lines
/// and JSON log entries skipped for want of a message.
pub(super) fn decode_file_summary(
    clean: usize,
    with_errors: usize,
    skipped_lines: usize,
    skipped_entries: usize,
) -> String {
    let mut text = format!(
        "{} messages: {clean} decoded cleanly, {with_errors} with errors",
        clean + with_errors
    );
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if skipped_lines > 0 {
        let _ = write!(
            text,
            "; {} with no message skipped",
            plural(skipped_lines, "line", "lines")
        );
    }
    if skipped_entries > 0 {
        let _ = write!(
            text,
            "; {} with no message skipped",
            plural(skipped_entries, "log entry", "log entries")
        );
    }
    text
}

/// `decode --file` could not open the file.
pub(super) fn cannot_read_text(path: &Path, e: &std::io::Error) -> String {
    format!("cannot read {}: {e}", path.display())
}

/// Reading a stream of messages failed part-way (a read error).
pub(super) fn stream_read_error_text(source: &str, line: usize, e: &std::io::Error) -> String {
    format!("{source} line {line}: {e}")
}

/// A JSON document in a stream is not a log lnshell reads.
pub(super) fn not_a_log_document_text(source: &str, line: usize, e: &serde_json::Error) -> String {
    format!(
        "{source} line {line}: the JSON document that starts here is not a log lnshell reads \
         (`lightning-cli getlog io`'s answer, or an array of its entries): {e}"
    )
}

/// A line longer than any log line around a message (`max` bytes).
pub(super) fn line_too_long_text(line: usize, max: usize) -> String {
    format!(
        "line {line} is longer than {} MiB and was not read (a BOLT message is at most 65535 bytes, \
         131070 hex digits)",
        max >> 20
    )
}

// ---- errors a script can read ----

/// A failed command as one JSON object, for `--json`: `{"error": "...", "kind": "..."}`.
pub(super) fn error_json(e: &ShellError) -> String {
    json!({"error": e.to_string(), "kind": e.kind.as_str()}).to_string()
}

// ---- peers by `#n`, trace ----

/// `#n` names no lightning peer that finished its handshake.
pub(super) fn not_a_lightning_peer_text(n: u64) -> String {
    format!("#{n} is not a lightning peer past its handshake; `peers` lists them")
}

/// `trace` with no argument.
pub(super) fn trace_state_text(on: bool, full: bool, only: Option<PublicKey>) -> String {
    match (on, only) {
        (false, _) => "trace is off (`trace on` to start)".into(),
        (true, None) => format!(
            "trace is on{} for every peer",
            if full { " (full)" } else { "" }
        ),
        (true, Some(p)) => {
            format!("trace is on{} for {p}", if full { " (full)" } else { "" })
        }
    }
}

/// `trace on [full] [peer]`.
pub(super) fn trace_on_text(full: bool, only: Option<PublicKey>) -> String {
    let whom = only
        .map(|p| p.to_string())
        .unwrap_or_else(|| "every lightning peer".into());
    format!(
        "trace on{} for {whom}: `<-` received, `->` sent. Not visible: ping/pong, peer warnings, our init (`help trace`)",
        if full { " (full)" } else { "" }
    )
}

/// `trace off`.
pub(super) fn trace_off_text() -> String {
    "trace off".into()
}

// ---- channels ----

/// A channel's state in one word, from LDK's flags (latest first).
fn channel_state(c: &ChannelDetails) -> &'static str {
    use lightning::ln::channel_state::ChannelShutdownState as S;
    if matches!(c.channel_shutdown_state, Some(s) if s != S::NotShuttingDown) {
        "closing"
    } else if c.is_usable {
        "usable"
    } else if c.is_channel_ready {
        "ready"
    } else if c.funding_txo.is_some() {
        "pending"
    } else {
        "negotiating"
    }
}

/// `channels --json`.
pub(super) fn channels_json(chans: &[ChannelDetails]) -> String {
    let rows: Vec<serde_json::Value> = chans
        .iter()
        .map(|c| {
            json!({
                "channel_id": c.channel_id.to_string(),
                "state": channel_state(c),
                "capacity_sat": c.channel_value_satoshis,
                "counterparty": c.counterparty.node_id.to_string(),
                "funding_txo": c.funding_txo.map(|o| o.to_string()),
                "outbound": c.is_outbound,
                "balance_msat": c.outbound_capacity_msat,
            })
        })
        .collect();
    serde_json::Value::Array(rows).to_string()
}

/// `channels`.
pub(super) fn channels_text(chans: &[ChannelDetails]) -> String {
    if chans.is_empty() {
        return "no channels. `openchannel <#n|node_id> <sats>` opens one to a connected peer"
            .into();
    }
    let mut out = String::new();
    for c in chans {
        let _ = writeln!(
            out,
            "{}  {}  {} sat  {} {}\n    funding {}",
            c.channel_id,
            channel_state(c),
            c.channel_value_satoshis,
            if c.is_outbound { "to" } else { "from" },
            c.counterparty.node_id,
            c.funding_txo
                .map(|o| o.to_string())
                .unwrap_or_else(|| "(not yet)".into())
        );
    }
    out.trim_end().to_string()
}

// ---- respond ----

/// `respond` was given something other than an `open_channel`; `summary` is
/// the decoder's one-line name for it.
pub(super) fn not_open_channel_text(summary: &str) -> String {
    format!(
        "respond takes an open_channel (type 32); this is {summary}. `example open_channel` prints one"
    )
}

/// `respond`: LDK's own reader rejects the message (`e` is its error, debug-printed).
pub(super) fn unreadable_open_channel_text(e: &dyn std::fmt::Debug) -> String {
    format!(
        "LDK cannot even read this open_channel ({e:?}); a real LDK node would drop the connection without an error. `decode` shows what is wrong"
    )
}

/// `respond`: what LDK would answer, with any reply decoded for the learner.
pub(super) fn answer_text(answer: &Answer) -> String {
    let render = wire::render::RenderOptions { full: false };
    match answer {
        Answer::Accept(reply) => {
            let d = wire::decode_bytes(reply, wire::DecodeOptions { ldk_check: false });
            format!(
                "LDK accepts: it answers with accept_channel\n{}",
                wire::render::text(&d, &render)
            )
        }
        Answer::Refuse { message, reason } => {
            let mut out = format!(
                "LDK refuses: {reason}\nin other words: {}",
                explain_refusal(reason)
            );
            if let Some(m) = message {
                let d = wire::decode_bytes(m, wire::DecodeOptions { ldk_check: false });
                let _ = write!(
                    out,
                    "\nthe message it sends back:\n{}",
                    wire::render::text(&d, &render)
                );
            }
            out
        }
        Answer::Nothing => "LDK sent nothing back (see `log`)".into(),
    }
}

// ---- log ----

/// `log [n]`: the last lines of LDK's log file.
pub(super) fn log_text(path: &Path, lines: &[String]) -> String {
    if lines.is_empty() {
        format!("{} is empty so far", path.display())
    } else {
        lines.join("\n")
    }
}

/// `log`: the file could not be read.
pub(super) fn cannot_read_log_text(path: &Path, e: &std::io::Error) -> String {
    format!("cannot read the log {}: {e}", path.display())
}

// ---- views: the sentences for node outcomes ----
//
// The node returns data (who, which channel, which address); these say it in
// words for the learner.

/// `connect`: the handshake and `init` are done.
pub(super) fn connected_text(addr: &str, c: &Connected) -> String {
    format!(
        "connected to {} at {addr} (#{}): BOLT 8 handshake and init done\ntheir init features: {}",
        c.node_id,
        c.id,
        features_text(&c.features)
    )
}

/// `disconnect`, by connection id or node id.
pub(super) fn disconnected_text(d: &Disconnected) -> String {
    match d {
        Disconnected::Peer { id, node_id } => format!("disconnected #{id} ({node_id})"),
        Disconnected::Handshaking { id } => {
            format!("#{id} is still in its BOLT 8 handshake; asked it to close")
        }
        Disconnected::Netcat { id } => format!("closed netcat session #{id}"),
        Disconnected::Node { node_id } => format!("disconnected {node_id}"),
    }
}

/// `openchannel`: our `open_channel` went out and the channel is pending.
pub(super) fn channel_opening_text(o: &ChannelOpening) -> String {
    format!(
        "open_channel {} sent; {}",
        o.temporary_channel_id, o.pending
    )
}

/// `closechannel`.
pub(super) fn closing_channel_text(c: &ClosingChannel) -> String {
    format!(
        "cooperative close of {} started: shutdown sent to {}",
        c.channel_id, c.counterparty
    )
}

/// `forceclose`.
pub(super) fn force_closed_text(f: &ForceClosed) -> String {
    format!("force-closed {}", f.channel_id)
}

#[cfg(test)]
mod tests {
    //! Views with made-up data: no node, no socket, no runtime. The expected
    //! strings are today's output, so a change to a sentence shows up here.

    use super::*;
    use crate::events::Direction;
    use crate::node::peers::ConnectionView;

    /// A fixed, valid public key (the secret key 0x01…01).
    fn some_node_id() -> PublicKey {
        let secp = bitcoin::secp256k1::Secp256k1::signing_only();
        let sk = bitcoin::secp256k1::SecretKey::from_slice(&[1; 32]).unwrap();
        PublicKey::from_secret_key(&secp, &sk)
    }

    fn row(kind: Kind, node_id: Option<PublicKey>, features: &[&str]) -> PeerRow {
        PeerRow {
            conn: ConnectionView {
                id: 3,
                kind,
                direction: Direction::Inbound,
                remote: "127.0.0.1:50000".parse().unwrap(),
                connected_secs: 75,
                received: 2,
                node_id,
            },
            node_id,
            features: features.iter().map(|f| f.to_string()).collect(),
            guest: false,
        }
    }

    #[test]
    fn durations_are_short() {
        assert_eq!(duration_text(0), "0s");
        assert_eq!(duration_text(59), "59s");
        assert_eq!(duration_text(61), "1m01s");
        assert_eq!(duration_text(3599), "59m59s");
        assert_eq!(duration_text(3600 + 5 * 60 + 9), "1h05m");
    }

    #[test]
    fn a_peer_with_no_features_says_none() {
        let id = some_node_id();
        let text = peers_text(&[row(Kind::Lightning, Some(id), &[])], None);
        assert_eq!(
            text,
            format!(
                "id    kind       dir  address                connected  node id / lines received\n\
                 #3    lightning  in   127.0.0.1:50000        1m15s      {id}\n      \
                 2 messages received; features: (none)"
            )
        );
    }

    #[test]
    fn a_netcat_session_counts_lines() {
        let text = peers_text(&[row(Kind::Netcat, None, &[])], None);
        assert_eq!(
            text.lines().nth(1),
            Some("#3    netcat     in   127.0.0.1:50000        1m15s      2 lines")
        );
    }

    #[test]
    fn no_peers_say_how_to_get_one() {
        assert_eq!(
            peers_text(&[], None),
            "no connections, and not listening (`listen 9735`, or `connect` to another node)"
        );
        assert_eq!(
            peers_text(&[], Some("0.0.0.0:9735".parse().unwrap())),
            "no connections. In another terminal: nc -v 127.0.0.1 9735 (or `connect` to another node)"
        );
    }

    #[test]
    fn info_of_a_fresh_node() {
        let v = InfoView {
            node_id: some_node_id(),
            network: Network::Regtest,
            listening: vec![],
            lightning: 0,
            netcat: 0,
            guests: 0,
            data_dir: "DATADIR".into(),
        };
        assert_eq!(
            info_text(&v),
            format!(
                "node id    {}\nnetwork    regtest\nlistening  nowhere (`listen 9735` to start)\npeers      0 lightning, 0 netcat\ndata dir   DATADIR",
                v.node_id
            )
        );
        assert_eq!(
            info_json(&v),
            format!(
                r#"{{"data_dir":"DATADIR","listening":[],"network":"regtest","node_id":"{}","peers":{{"guests":0,"lightning":0,"netcat":0}}}}"#,
                v.node_id
            )
        );
    }

    #[test]
    fn empty_lists() {
        assert_eq!(
            channels_text(&[]),
            "no channels. `openchannel <#n|node_id> <sats>` opens one to a connected peer"
        );
        assert_eq!(channels_json(&[]), "[]");
        assert_eq!(peers_json(&[]), "[]");
        assert_eq!(
            listen_show_text(&[]),
            "not listening. `listen 9735` listens on 127.0.0.1:9735"
        );
        assert_eq!(
            trace_state_text(false, false, None),
            "trace is off (`trace on` to start)"
        );
    }
}
