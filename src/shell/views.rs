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
use crate::node::proxy::{Sender, Step, ATYP_DOMAIN, ATYP_IPV4, ATYP_IPV6};
use crate::node::regtest::{ChainView, MinedBlock};
use crate::node::responder::{explain_refusal, Answer};
use crate::node::{
    ChannelOpening, ClosingChannel, Connected, Disconnected, ForceClosed, Gauges, PeerRow,
    ProxyConfig,
};
use crate::wire;
use crate::wire::address::PeerAddress;
use crate::wire::logline::{Direction, Origin};
use crate::wire::render::{display_width, fit};

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
                    match crate::command::closest_command(name) {
                        Some(w) => format!(
                            "no command {name:?}. Did you mean `help {w}`? (`help` lists them all)"
                        ),
                        None => format!("no command {name:?}; `help` lists them all"),
                    },
                )
            })?;
            Ok(format!("{}\n  {}\n\n{}", c.usage, c.summary, c.details))
        }
    }
}

/// [`help`] for a terminal of `width` columns: as it is where it fits; else each
/// summary wraps in its column, or, narrower still, goes under its usage line.
pub(super) fn help_at(topic: Option<&str>, width: Option<usize>) -> Result<String, ShellError> {
    let text = help(topic)?;
    let Some(width) = width.filter(|w| !fits(&text, *w)) else {
        return Ok(text);
    };
    if topic.is_some() {
        return Ok(fit(&reflow(&text), width));
    }
    /// Where `help`'s summaries start: two spaces, the usage column, a space.
    const USAGE: usize = 44;
    const AT: usize = 2 + USAGE + 1;
    let in_column = width >= AT + 30;
    let mut out = String::from("commands (`help <command>` for more):\n");
    let hex_row = ("<hex>", "a line of bare hex is decoded as a BOLT message");
    for (usage, summary) in COMMANDS
        .iter()
        .map(|c| (c.usage, c.summary))
        .chain([hex_row])
    {
        if !in_column {
            wire::render::push_wrapped(&mut out, usage, width, "  ", "    ");
            wire::render::push_wrapped(&mut out, summary, width, "      ", "      ");
            continue;
        }
        let mut lines = wire::render::wrap(summary, width - AT).into_iter();
        if usage.chars().count() <= USAGE {
            let _ = writeln!(
                out,
                "  {usage:<USAGE$} {}",
                lines.next().unwrap_or_default()
            );
        } else {
            let _ = writeln!(out, "  {usage}");
        }
        for l in lines {
            let _ = writeln!(out, "{:AT$}{l}", "");
        }
    }
    out.pop();
    Ok(out)
}

/// A command's help with its details' lines, hard-wrapped near 100 columns in the
/// source, joined back into sentences, so that a narrower terminal wraps them at its
/// own edge ("…Every block goes to every LDK ChannelManager…"), not at the source's
/// edge and again at its own. A line that ends a sentence (`.`, `:`, `?`) or is
/// blank keeps its break; the usage and summary lines above the first blank line
/// are left as they are.
fn reflow(text: &str) -> String {
    let (head, details) = match text.split_once("\n\n") {
        Some((h, d)) => (h, d),
        None => return text.to_string(),
    };
    let mut out = format!("{head}\n\n");
    let mut lines = details.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        let ends = line.is_empty() || line.ends_with(['.', ':', '?']);
        match lines.peek() {
            Some(next) if !ends && !next.is_empty() => out.push(' '),
            Some(_) => out.push('\n'),
            None => {}
        }
    }
    out
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
    /// The SOCKS5 proxy for outbound connections, if any.
    pub proxy: Option<ProxyConfig>,
    /// Where keys, logs and progress live.
    pub data_dir: std::path::PathBuf,
    /// What the node holds, counted (`info --json` only).
    pub gauges: Gauges,
    /// Tasks alive on the shell's tokio runtime.
    pub tasks: usize,
}

/// `info --json`.
pub(super) fn info_json(v: &InfoView) -> String {
    let g = &v.gauges;
    let listening: Vec<String> = v.listening.iter().map(|a| a.to_string()).collect();
    json!({
        "node_id": v.node_id.to_string(),
        "network": v.network.to_string(),
        "listening": listening,
        "peers": {"lightning": v.lightning, "netcat": v.netcat, "guests": v.guests},
        "proxy": v.proxy.map(|p| json!({"address": p.addr.to_string(), "always": p.always})),
        "data_dir": v.data_dir.display().to_string(),
        // Counts a long run watches (the load tool's soak): none may grow without bound.
        "held": {
            "channels": g.channels,
            "monitors": g.monitors,
            "recorded_messages": g.recorded_messages,
            "recorded_peers": g.recorded_peers,
            "events_pending": g.events_pending,
            "session_nodes": g.session_nodes,
            "side_keys": g.side_keys,
            "chain_followers": g.chain_followers,
            "manager_rebuilds": g.manager_rebuilds,
            "claims_remembered": g.claims_remembered,
            "mempool": g.mempool,
            "chain_txs": g.chain_txs,
            "height": g.height,
            "tasks": v.tasks,
        },
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
        "node id    {}\nnetwork    {}\nlistening  {}\nproxy      {}\npeers      {} lightning, {} netcat{guests}\ndata dir   {}",
        v.node_id,
        v.network,
        if listening.is_empty() {
            "nowhere (`listen 9735` to start; `listen 0`: any free port)".to_string()
        } else {
            listening.join(", ")
        },
        proxy_text(v.proxy),
        v.lightning,
        v.netcat,
        v.data_dir.display()
    )
}

/// The `proxy` line of `info`.
fn proxy_text(proxy: Option<ProxyConfig>) -> String {
    match proxy {
        None => "none (onion addresses need --proxy 127.0.0.1:9050, a Tor SOCKS port)".into(),
        Some(p) if p.always => format!(
            "{} (SOCKS5, for every outbound connection: --always-use-proxy)",
            p.addr
        ),
        Some(p) => format!(
            "{} (SOCKS5, for onion addresses; the rest go straight)",
            p.addr
        ),
    }
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
        "address": r.conn.endpoint.address.to_string(),
        "via": r.conn.endpoint.via(),
        "node_id": r.node_id.map(|n| n.to_string()),
        "features": r.features,
        "connected_secs": r.conn.connected_secs,
        "received": r.conn.received,
        "guest": r.guest,
    })
}

/// [`peers_text_at`] in the stable layout.
#[cfg(test)]
pub(super) fn peers_text(rows: &[PeerRow], listening: Option<SocketAddr>) -> String {
    peers_text_at(rows, listening, None)
}

/// `peers`: the table, or, with no connections, how to get one. `listening` is
/// the first address we listen on, if any (it goes into the `nc` hint). With a
/// terminal's `width` the wide table is kept if it fits; else a node id goes on a
/// line of its own and the lines under a row wrap (a feature name is never split).
pub(super) fn peers_text_at(
    rows: &[PeerRow],
    listening: Option<SocketAddr>,
    width: Option<usize>,
) -> String {
    let wide = peers_wide(rows, listening);
    match width {
        Some(w) if !fits(&wide, w) => peers_narrow(rows, listening, w),
        _ => wide,
    }
}

/// `peers` for a terminal too narrow for [`peers_wide`].
fn peers_narrow(rows: &[PeerRow], listening: Option<SocketAddr>, width: usize) -> String {
    if rows.is_empty() {
        return fit(&peers_wide(rows, listening), width);
    }
    let columns = |id: &str, kind: &str, dir: &str, addr: &str, age: &str| {
        format!("{id:<5} {kind:<10} {dir:<4} {addr:<22} {age:<10}")
    };
    let head = columns("id", "kind", "dir", "address", "connected");
    let label = "node id / lines received";
    let mut out = match head.len() + 1 + label.len() <= width {
        true => format!("{head} {label}\n"),
        false => format!("{}\n", head.trim_end()),
    };
    for r in rows {
        let c = &r.conn;
        let line = columns(
            &format!("#{}", c.id),
            c.kind.as_str(),
            c.direction.as_str(),
            &c.endpoint.address.to_string(),
            &duration_text(c.connected_secs),
        );
        let who = match (c.kind, r.node_id) {
            (Kind::Netcat, _) => plural(c.received, "line", "lines"),
            (_, Some(id)) => id.to_string(),
            (_, None) => "(BOLT 8 handshake in progress)".into(),
        };
        // What does not fit the row goes under it; a node id is named there.
        let mut under: Vec<String> = Vec::new();
        let first = if display_width(&line) + 1 + who.chars().count() <= width {
            format!("{line} {who}")
        } else if c.kind != Kind::Netcat && r.node_id.is_some() {
            under.push(format!("node id {who}"));
            line
        } else {
            under.push(who);
            line
        };
        out.push_str(&fit(first.trim_end(), width));
        out.push('\n');
        if let Some(via) = c.endpoint.via() {
            under.push(format!("reached via {via} (SOCKS5)"));
        }
        if let (Kind::Netcat, Some(id)) = (c.kind, r.node_id) {
            under.push(format!(
                "a peer of the node as {id} (your side, in plaintext)"
            ));
        } else if r.node_id.is_some() {
            // Each feature's name and level stay together on one line.
            let names: Vec<String> = r
                .features
                .iter()
                .map(|f| f.replace(' ', "\u{a0}"))
                .collect();
            under.push(format!(
                "{} received; features: {}",
                plural(c.received, "message", "messages"),
                features_text(&names)
            ));
            if r.guest {
                under.push(guest_text());
            }
        }
        for u in under {
            wire::render::push_wrapped_whole(&mut out, &u, width, "      ", "        ");
        }
    }
    out.trim_end().replace('\u{a0}', " ")
}

/// Whether every line of `text` fits `width` columns.
fn fits(text: &str, width: usize) -> bool {
    text.lines().all(|l| display_width(l) <= width)
}

/// [`fit`], if there is a width to fit.
fn fit_to(text: String, width: Option<usize>) -> String {
    match width {
        Some(w) => fit(&text, w),
        None => text,
    }
}

fn guest_text() -> String {
    format!(
        "a guest: LDK's ChannelManager already keeps {} peers without channels, so lnshell holds this one itself",
        crate::node::admission::CHANNEL_MANAGER_PEER_LIMIT
    )
}

/// `peers` in the stable layout: one line a connection, what is known of it under it.
fn peers_wide(rows: &[PeerRow], listening: Option<SocketAddr>) -> String {
    if rows.is_empty() {
        return match listening {
            Some(addr) => format!(
                "no connections. In another terminal: nc -v {} {} (or `connect` to another node)",
                dialable_ip(addr),
                addr.port()
            ),
            None => {
                "no connections, and not listening (`listen 9735` or `listen 0` for any free port, or `connect` to another node)"
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
            (Kind::Netcat, _) => plural(c.received, "line", "lines"),
            (_, Some(id)) => id.to_string(),
            (_, None) => "(BOLT 8 handshake in progress)".into(),
        };
        let _ = writeln!(
            out,
            "{:<5} {:<10} {:<4} {:<22} {:<10} {}",
            format!("#{}", c.id),
            c.kind.as_str(),
            c.direction.as_str(),
            c.endpoint.address.to_string(),
            duration_text(c.connected_secs),
            who
        );
        if let Some(via) = c.endpoint.via() {
            let _ = writeln!(out, "      reached via {via} (SOCKS5)");
        }
        if let (Kind::Netcat, Some(id)) = (c.kind, r.node_id) {
            let _ = writeln!(
                out,
                "      a peer of the node as {id} (your side, in plaintext)"
            );
        } else if r.node_id.is_some() {
            let _ = writeln!(
                out,
                "      {} received; features: {}",
                plural(c.received, "message", "messages"),
                features_text(&r.features)
            );
            if r.guest {
                let _ = writeln!(out, "      {}", guest_text());
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
        "not listening. `listen 9735` listens on 127.0.0.1:9735 (`listen 0`: any free port)".into()
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

/// `decode <hex>`: the decoded tree as text (fitted to a terminal's `width`, if
/// given) or as one JSON object.
pub(super) fn decoded_text(
    d: &wire::Decoded,
    json: bool,
    full: bool,
    width: Option<usize>,
) -> String {
    if json {
        wire::render::json(d).to_string()
    } else {
        wire::render::text(d, &wire::render::RenderOptions { full, width })
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

/// `n` and the noun, singular for one: "1 line", "2 lines".
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
        "{}: {clean} decoded cleanly, {with_errors} with errors",
        plural((clean + with_errors) as u64, "message", "messages")
    );
    if skipped_lines > 0 {
        let _ = write!(
            text,
            "; {} with no message skipped",
            plural(skipped_lines as u64, "line", "lines")
        );
    }
    if skipped_entries > 0 {
        let _ = write!(
            text,
            "; {} with no message skipped",
            plural(skipped_entries as u64, "log entry", "log entries")
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

/// `events [brief|full]`: how a netcat session's messages print now.
pub(super) fn events_text(brief: bool) -> String {
    if brief {
        "events brief: a netcat session's messages print one line each (`events full` for their field tables)".into()
    } else {
        "events full: a netcat session's messages print with their whole field table (`events brief` for one line each)".into()
    }
}

/// `#n` names no connection at all: say so, and list the ids there are.
pub(super) fn no_such_connection_text(n: u64, rows: &[PeerRow]) -> String {
    if rows.is_empty() {
        return format!(
            "no connection #{n}: there are no connections now (`connect`, or nc to a listener)"
        );
    }
    let ids: Vec<String> = rows
        .iter()
        .map(|r| format!("#{} ({})", r.conn.id, r.conn.kind.as_str()))
        .collect();
    format!(
        "no connection #{n}; the connections are {} (`peers` shows them)",
        ids.join(", ")
    )
}

/// `openchannel` to a netcat session: its peer is played from nc, not the shell.
pub(super) fn openchannel_to_netcat_text(n: u64) -> String {
    format!(
        "#{n} is a netcat session: its peer is \"your side\", which you play from nc, so the shell cannot \
         open a channel to it. Open one from the session instead: type `open_channel` in the nc window \
         (`help` there lists the session words), and the node answers with accept_channel"
    )
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

/// `trace diagram [peer]`.
pub(super) fn trace_diagram_text(only: Option<PublicKey>) -> String {
    let whom = only
        .map(|p| p.to_string())
        .unwrap_or_else(|| "every lightning peer".into());
    format!(
        "trace on (diagram) for {whom}: each message an arrow, this node's lane on the left, the peer's on the right. \
         Not visible: ping/pong, peer warnings, our init (`help trace`)"
    )
}

/// `trace off`.
pub(super) fn trace_off_text() -> String {
    "trace off".into()
}

// ---- diagram, trace save ----

/// Lane 0 of a diagram of the record.
pub(super) fn this_node_lane(node_id: &PublicKey) -> String {
    format!(
        "this node {}",
        super::diagram::short_name(&node_id.to_string())
    )
}

/// A peer's lane: `#2 02abcdef…` while connected, `02abcdef…` after.
pub(super) fn peer_lane(node_id: &PublicKey, conn: Option<u64>) -> String {
    let short = super::diagram::short_name(&node_id.to_string());
    match conn {
        Some(id) => format!("#{id} {short}"),
        None => short,
    }
}

/// Lane 0 of a diagram of a saved file.
pub(super) fn saver_lane() -> String {
    "the saving node".into()
}

/// Older messages of one peer went, to keep the record within its limits.
pub(super) fn record_dropped_text(
    peer: &PublicKey,
    dropped: u64,
    limits: &crate::node::record::Limits,
) -> String {
    format!(
        "{dropped} earlier message(s) with {} were dropped: the record keeps the last {} a peer and {} in all.",
        super::diagram::short_name(&peer.to_string()),
        limits.per_peer,
        limits.total
    )
}

/// `--last N` cut the picture.
pub(super) fn diagram_last_text(shown: usize, of: usize) -> String {
    format!("The last {shown} of {of} messages (--last).")
}

/// `diagram --svg/--html`: where the picture went.
pub(super) fn diagram_written_text(paths: &[std::path::PathBuf], arrows: usize) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    format!(
        "wrote {} ({arrows} message{}): open it in a browser; hover an arrow for its summary",
        names.join(" and "),
        if arrows == 1 { "" } else { "s" }
    )
}

/// What no record holds, under every diagram of one.
pub(super) fn record_unseen_text() -> String {
    "Not drawn, because lnshell cannot see them: a BOLT 8 peer's ping/pong and warnings \
     (inside LDK's PeerManager; a netcat session's are drawn), our own init, gossip LDK \
     relays by itself (`help trace`)."
        .into()
}

/// `diagram` with nothing to draw.
pub(super) fn nothing_to_draw_text(file: Option<&Path>, peers: usize) -> String {
    match (file, peers) {
        (Some(path), _) => format!(
            "{} holds no message with a direction to draw (`trace save` writes such a file)",
            path.display()
        ),
        (None, 0) => "the record holds no messages yet: `connect` to a peer (or `openchannel`), then `diagram`".into(),
        (None, _) => "the record holds no messages with that peer".into(),
    }
}

/// `trace save FILE`.
pub(super) fn trace_saved_text(path: &Path, messages: usize, peers: usize) -> String {
    format!(
        "saved {messages} message(s) with {peers} peer(s) to {} (JSON Lines: `decode --file {0}` decodes it, `diagram --file {0}` draws it)",
        path.display()
    )
}

/// `trace save` could not write its file.
pub(super) fn cannot_write_text(path: &Path, e: &std::io::Error) -> String {
    format!("cannot write {}: {e}", path.display())
}

/// A file too big for `diagram --file`.
pub(super) fn file_too_big_text(path: &Path, max: u64) -> String {
    format!(
        "{} is larger than {} MiB: `diagram --file` draws files `trace save` writes; cut it down first",
        path.display(),
        max >> 20
    )
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
                "inbound_msat": c.inbound_capacity_msat,
                "channel_ready": c.is_channel_ready,
                "usable": c.is_usable,
                "confirmations": c.confirmations,
                "confirmations_required": c.confirmations_required,
            })
        })
        .collect();
    serde_json::Value::Array(rows).to_string()
}

/// [`channels_text_at`] in the stable layout.
#[cfg(test)]
pub(super) fn channels_text(chans: &[ChannelDetails]) -> String {
    channels_text_at(chans, None)
}

/// `channels`: the stable layout, or, on a terminal too narrow for it, ids shortened
/// to a prefix that `closechannel` and `forceclose` take back and the counterparty
/// on a line of its own.
pub(super) fn channels_text_at(chans: &[ChannelDetails], width: Option<usize>) -> String {
    let wide = channels_wide(chans);
    let Some(width) = width.filter(|w| !fits(&wide, *w)) else {
        return wide;
    };
    if chans.is_empty() {
        return fit(&wide, width);
    }
    let ids: Vec<String> = chans.iter().map(|c| c.channel_id.to_string()).collect();
    let short = short_prefix_len(&ids);
    let mut out = String::new();
    for (c, id) in chans.iter().zip(&ids) {
        let first = format!(
            "{}  {}  {} sat  {}",
            &id[..short.min(id.len())],
            channel_state(c),
            c.channel_value_satoshis,
            if c.is_outbound { "to" } else { "from" },
        );
        out.push_str(&fit(&first, width));
        out.push('\n');
        for under in [
            c.counterparty.node_id.to_string(),
            format!("funding {}{}", funding_text(c), depth_text(c)),
            sendable_text(c),
        ] {
            wire::render::push_wrapped_whole(&mut out, &under, width, "    ", "      ");
        }
    }
    wire::render::push_wrapped(
        &mut out,
        &format!(
            "(ids shortened to their first {short} digits, which `closechannel` and `forceclose` take; `channels --json` has them whole)"
        ),
        width,
        "",
        " ",
    );
    out.trim_end().to_string()
}

/// Digits of a channel id shown on a narrow terminal: 12, or more until no two of
/// `ids` share their shortened form (so each names one channel).
fn short_prefix_len(ids: &[String]) -> usize {
    let longest = ids.iter().map(String::len).max().unwrap_or(0);
    (12..longest)
        .find(|&n| {
            let mut seen: Vec<&str> = ids.iter().map(|id| &id[..n.min(id.len())]).collect();
            seen.sort_unstable();
            seen.windows(2).all(|w| w[0] != w[1])
        })
        .unwrap_or(longest)
}

fn funding_text(c: &ChannelDetails) -> String {
    c.funding_txo
        .map(|o| o.to_string())
        .unwrap_or_else(|| "(not yet)".into())
}

fn depth_text(c: &ChannelDetails) -> String {
    match (c.confirmations, c.confirmations_required) {
        (Some(n), Some(req)) => format!(", {n}/{req} confirmations"),
        (None, Some(req)) if c.funding_txo.is_some() => {
            format!(", 0/{req} confirmations (`mine {req}`)")
        }
        _ => String::new(),
    }
}

fn sendable_text(c: &ChannelDetails) -> String {
    format!(
        "we can send {} msat, receive {} msat",
        c.outbound_capacity_msat, c.inbound_capacity_msat
    )
}

/// `channels` in the stable layout: whole ids, three lines a channel.
fn channels_wide(chans: &[ChannelDetails]) -> String {
    if chans.is_empty() {
        return "no channels. `openchannel <#n|node_id> <sats>` opens one to a connected peer"
            .into();
    }
    let mut out = String::new();
    for c in chans {
        let _ = writeln!(
            out,
            "{}  {}  {} sat  {} {}\n    funding {}{}\n    {}",
            c.channel_id,
            channel_state(c),
            c.channel_value_satoshis,
            if c.is_outbound { "to" } else { "from" },
            c.counterparty.node_id,
            funding_text(c),
            depth_text(c),
            sendable_text(c),
        );
    }
    out.trim_end().to_string()
}

// ---- the shell's chain ----

fn tx_origin_text(o: &crate::node::regtest::Origin) -> String {
    use crate::node::regtest::Origin;
    match o {
        Origin::Node => "the node".into(),
        Origin::Session(id) => format!("netcat session #{id}'s side"),
        Origin::Pasted => "confirm".into(),
    }
}

/// `mine`.
pub(super) fn mined_text(blocks: &[MinedBlock], view: &ChainView) -> String {
    let mut out = String::new();
    let confirmed: usize = blocks.iter().map(|b| b.confirmed.len()).sum();
    let _ = write!(
        out,
        "mined {} block{} on the shell's regtest chain: height {}",
        blocks.len(),
        if blocks.len() == 1 { "" } else { "s" },
        view.height
    );
    if confirmed == 0 {
        out.push_str(" (the mempool was empty)");
    }
    for b in blocks.iter().filter(|b| !b.confirmed.is_empty()) {
        for (txid, origin) in &b.confirmed {
            let _ = write!(
                out,
                "\n  block {} confirmed {txid} (from {})",
                b.height,
                tx_origin_text(origin)
            );
        }
    }
    out.push_str(
        "\nevery LDK manager in the shell has the blocks; `channels` shows what they made of them",
    );
    out
}

/// `chain`.
pub(super) fn chain_text(v: &ChainView) -> String {
    let mut out = format!(
        "the shell's in-memory chain ({} genesis; regtest rules, no proof of work, no script checks)\n\
         height {}  tip {}{}\nmempool: ",
        v.network,
        v.height,
        v.tip,
        // The start is block 1, not 0: say so where a learner first sees it.
        if v.height == crate::node::regtest::START_HEIGHT {
            " (block 1 is made empty at start: `help mine` says why)"
        } else {
            ""
        }
    );
    if v.mempool.is_empty() {
        out.push_str("empty");
    } else {
        let _ = write!(out, "{} waiting (`mine` confirms them)", v.mempool.len());
        for t in &v.mempool {
            let _ = write!(
                out,
                "\n  {}  {} in, {} out, {} sat, from {}",
                t.txid,
                t.inputs,
                t.outputs,
                t.value.to_sat(),
                tx_origin_text(&t.origin)
            );
        }
    }
    let with_txs: Vec<_> = v
        .recent
        .iter()
        .filter(|b| !b.confirmed.is_empty())
        .collect();
    if !with_txs.is_empty() {
        out.push_str("\nrecent blocks that confirmed something:");
        for b in with_txs.iter().rev().take(10) {
            for (txid, origin) in &b.confirmed {
                let _ = write!(
                    out,
                    "\n  block {}: {txid} (from {}), {} confirmation{}",
                    b.height,
                    tx_origin_text(origin),
                    v.height - b.height + 1,
                    if v.height == b.height { "" } else { "s" }
                );
            }
        }
    }
    out
}

/// `chain --json`.
pub(super) fn chain_json(v: &ChainView) -> String {
    json!({
        "network": v.network.to_string(),
        "height": v.height,
        "tip": v.tip.to_string(),
        "mempool": v.mempool.iter().map(|t| json!({
            "txid": t.txid.to_string(),
            "from": tx_origin_text(&t.origin),
            "inputs": t.inputs,
            "outputs": t.outputs,
            "value_sat": t.value.to_sat(),
        })).collect::<Vec<_>>(),
        "blocks": v.recent.iter().map(|b| json!({
            "height": b.height,
            "hash": b.hash.to_string(),
            "confirmed": b.confirmed.iter().map(|(t, o)| json!({"txid": t.to_string(), "from": tx_origin_text(o)})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "remembered": v.remembered,
    })
    .to_string()
}

/// `confirm`.
pub(super) fn confirmed_text(txid: &bitcoin::Txid) -> String {
    format!(
        "transaction {txid} is in the shell's mempool: `mine` confirms it (`mine 6` for a channel)"
    )
}

/// `keysend`.
pub(super) fn keysend_text(
    peer: bitcoin::secp256k1::PublicKey,
    amount_msat: u64,
    hash: &lightning::types::payment::PaymentHash,
) -> String {
    format!(
        "sending {amount_msat} msat to {peer} (keysend, payment hash {hash}): update_add_htlc and \
         commitment_signed are on their way; PaymentSent follows when the peer claims it"
    )
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
pub(super) fn answer_text(answer: &Answer, width: Option<usize>) -> String {
    let render = wire::render::RenderOptions { full: false, width };
    match answer {
        Answer::Accept(reply) => {
            let d = wire::decode_bytes(reply, wire::DecodeOptions { ldk_check: false });
            // The hex too, whole, so the answer can be pasted into nc or `decode`.
            format!(
                "LDK accepts: it answers with accept_channel\n{}\nhex: {}",
                wire::render::text(&d, &render),
                hex::encode(reply)
            )
        }
        Answer::Refuse { message, reason } => {
            let mut out = fit_to(
                format!(
                    "LDK refuses: {reason}\nin other words: {}",
                    explain_refusal(reason)
                ),
                width,
            );
            if let Some(m) = message {
                let d = wire::decode_bytes(m, wire::DecodeOptions { ldk_check: false });
                let _ = write!(
                    out,
                    "\nthe message it sends back:\n{}\nhex: {}",
                    wire::render::text(&d, &render),
                    hex::encode(m)
                );
            }
            out
        }
        Answer::Nothing | Answer::Forwarded => "LDK sent nothing back (see `log`)".into(),
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

/// `connect`: the handshake and `init` are done. `asked` is the address as typed:
/// a DNS name's line says which of its addresses was reached, after the ones that
/// failed.
pub(super) fn connected_text(asked: &PeerAddress, c: &Connected) -> String {
    let mut out = String::new();
    for a in &c.failed {
        let _ = writeln!(out, "tried {}: {}", a.remote, a.failure);
    }
    let named = if *asked != c.endpoint.address {
        format!(" ({asked})")
    } else {
        String::new()
    };
    let _ = write!(
        out,
        "connected to {} at {}{named} (#{}): BOLT 8 handshake and init done\ntheir init features: {}",
        c.node_id,
        c.endpoint,
        c.id,
        features_text(&c.features)
    );
    out
}

// ---- socks5 ----

/// `socks5 <address>`: the exchange with a SOCKS5 proxy, field by field.
pub(super) fn socks5_text(
    target: &PeerAddress,
    proxy: Option<ProxyConfig>,
    steps: &[Step],
) -> String {
    let mut out = match proxy {
        Some(p) => format!(
            "what lnshell sends the SOCKS5 proxy at {} to reach {target} (nothing is sent now):\n",
            p.addr
        ),
        None => format!(
            "what lnshell would send a SOCKS5 proxy to reach {target} (nothing is sent now; no --proxy is set, \
             start with --proxy 127.0.0.1:9050 to use Tor's):\n"
        ),
    };
    if !target.is_onion() && !proxy.is_some_and(|p| p.always) {
        let _ = writeln!(
            out,
            "(`connect` reaches {target} straight, without the proxy, unless lnshell runs with --always-use-proxy)"
        );
    }
    for step in steps {
        let bytes = step.bytes();
        let who = match step.from {
            Sender::Client => "lnshell -> proxy",
            Sender::Proxy => "proxy -> lnshell",
        };
        let _ = writeln!(
            out,
            "\n{who}  {} ({} bytes){}\n  {}",
            step.name,
            bytes.len(),
            if step.from == Sender::Proxy {
                ", from a proxy that agrees"
            } else {
                ""
            },
            hex::encode(&bytes)
        );
        let mut atyp = 0;
        for (name, value) in &step.fields {
            if *name == "ATYP" {
                atyp = value.first().copied().unwrap_or(0);
            }
            let shown = if value.len() > 8 {
                format!("{}…", hex::encode(&value[..8]))
            } else {
                hex::encode(value)
            };
            let _ = writeln!(
                out,
                "  {name:<9} {shown:<18} {}",
                socks5_meaning(step, name, value, atyp)
            );
        }
    }
    out.push_str(
        "\nthen BOLT 8 starts on the same stream: lnshell sends act one (50 bytes, first byte 0x00) \
         to the node behind the proxy, exactly as over plain TCP.",
    );
    out
}

/// What one field of the SOCKS5 exchange says, in words. `atyp` is the request's or
/// reply's address type, read before its address.
fn socks5_meaning(step: &Step, name: &str, value: &[u8], atyp: u8) -> String {
    let byte = value.first().copied().unwrap_or(0);
    let text = || String::from_utf8_lossy(value).into_owned();
    let port = || match value {
        [a, b] => u16::from_be_bytes([*a, *b]).to_string(),
        _ => "?".into(),
    };
    let address = || match (atyp, value.len()) {
        (ATYP_IPV4, 4) => {
            std::net::Ipv4Addr::new(value[0], value[1], value[2], value[3]).to_string()
        }
        (ATYP_IPV6, 16) => {
            let mut a = [0u8; 16];
            a.copy_from_slice(value);
            std::net::Ipv6Addr::from(a).to_string()
        }
        _ => format!("{:?}", text()),
    };
    match (step.name, name) {
        ("username/password" | "auth status", "VER") => {
            "username/password sub-negotiation, version 1 (RFC 1929)".into()
        }
        (_, "VER") => "SOCKS version 5".into(),
        (_, "NMETHODS") => format!("{byte} authentication methods follow"),
        (_, "METHODS") => "0x00 no authentication, 0x02 username/password".into(),
        (_, "METHOD") => "the proxy picks 0x02: username/password".into(),
        (_, "ULEN") => format!("the username is {byte} bytes"),
        (_, "UNAME") => format!(
            "{:?}: random, new for every connection, so Tor puts each on a circuit of its own (stream isolation)",
            text()
        ),
        (_, "PLEN") => format!("the password is {byte} bytes"),
        (_, "PASSWD") => format!("{:?}: random too", text()),
        (_, "STATUS") => "0x00: accepted".into(),
        (_, "CMD") => "CONNECT: open a TCP stream to the address that follows".into(),
        (_, "RSV") => "reserved, always 0x00".into(),
        ("reply", "ATYP") => "the bound address that follows is IPv4".into(),
        (_, "ATYP") => match byte {
            ATYP_DOMAIN => "a domain name: the proxy resolves it; this machine never does \
                            (an onion name has no IP address, and a DNS lookup would tell where we go)"
                .into(),
            ATYP_IPV6 => "an IPv6 address, 16 bytes".into(),
            _ => "an IPv4 address, 4 bytes".into(),
        },
        (_, "LEN") => format!("the name is {byte} bytes"),
        (_, "DST.ADDR") => address(),
        (_, "DST.PORT") => format!("port {}", port()),
        (_, "REP") => "0x00: succeeded; any other code is a reason, and `connect` says it in words".into(),
        (_, "BND.ADDR") => format!("{} (Tor does not say where its circuit ends)", address()),
        (_, "BND.PORT") => format!("port {}", port()),
        _ => String::new(),
    }
}

/// `socks5 --json`.
pub(super) fn socks5_json(
    target: &PeerAddress,
    proxy: Option<ProxyConfig>,
    steps: &[Step],
) -> String {
    let steps: Vec<serde_json::Value> = steps
        .iter()
        .map(|s| {
            let fields: Vec<serde_json::Value> = s
                .fields
                .iter()
                .map(|(name, bytes)| json!({"name": name, "hex": hex::encode(bytes)}))
                .collect();
            json!({
                "from": match s.from { Sender::Client => "lnshell", Sender::Proxy => "proxy" },
                "name": s.name,
                "hex": hex::encode(s.bytes()),
                "fields": fields,
            })
        })
        .collect();
    json!({
        "target": target.to_string(),
        "proxy": proxy.map(|p| p.addr.to_string()),
        "steps": steps,
    })
    .to_string()
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

    #[test]
    fn a_commands_help_at_80_columns_wraps_its_sentences_at_words_once() {
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        for name in ["mine", "trace", "connect"] {
            let wide = help(Some(name)).unwrap();
            let narrow = help_at(Some(name), Some(80)).unwrap();
            assert_eq!(words(&narrow), words(&wide), "{name}: words lost or moved");
            for l in narrow.lines() {
                assert!(l.chars().count() <= 80, "{name}: {l:?}");
            }
            // Where the source breaks a sentence (near 100 columns), the terminal's
            // wrap goes on with it: the next word does not start a line of its own.
            for (a, b) in wide.lines().zip(wide.lines().skip(1)) {
                if !a.is_empty() && !b.is_empty() && !a.ends_with(['.', ':', '?']) {
                    let first = b.split_whitespace().next().unwrap();
                    let broken = format!("{} ", a.split_whitespace().last().unwrap());
                    assert!(
                        !narrow
                            .lines()
                            .any(|l| l.trim_end().ends_with(broken.trim_end())
                                && narrow.contains(&format!("{}\n{first}", l))),
                        "{name}: the sentence still breaks before {first:?}:\n{narrow}"
                    );
                }
            }
        }
        // A sentence that ends a source line still ends its line.
        let mine = help_at(Some("mine"), Some(80)).unwrap();
        assert!(mine
            .lines()
            .any(|l| l.starts_with("The chain is the shell's own")));
        // Wide enough for every source line, nothing changes.
        assert_eq!(
            help_at(Some("mine"), Some(1000)).unwrap(),
            help(Some("mine")).unwrap()
        );
    }

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
                endpoint: crate::events::Endpoint::direct("127.0.0.1:50000".parse().unwrap()),
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
    fn one_line_and_one_message_are_singular() {
        let mut one = row(Kind::Netcat, None, &[]);
        one.conn.received = 1;
        let text = peers_text(&[one], None);
        assert!(text.lines().nth(1).unwrap().ends_with(" 1 line"), "{text}");
        let mut one = row(Kind::Lightning, Some(some_node_id()), &[]);
        one.conn.received = 1;
        let text = peers_text(&[one], None);
        assert!(text.contains(" 1 message received;"), "{text}");
        assert!(decode_file_summary(1, 0, 1, 1).starts_with(
            "1 message: 1 decoded cleanly, 0 with errors; 1 line with no message skipped; 1 log entry"
        ));
        assert!(decode_file_summary(2, 1, 0, 0).starts_with("3 messages:"));
    }

    #[test]
    fn no_peers_say_how_to_get_one() {
        assert_eq!(
            peers_text(&[], None),
            "no connections, and not listening (`listen 9735` or `listen 0` for any free port, or `connect` to another node)"
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
            proxy: None,
            data_dir: "DATADIR".into(),
            gauges: Gauges::default(),
            tasks: 3,
        };
        assert_eq!(
            info_text(&v),
            format!(
                "node id    {}\nnetwork    regtest\nlistening  nowhere (`listen 9735` to start; `listen 0`: any free port)\n\
                 proxy      none (onion addresses need --proxy 127.0.0.1:9050, a Tor SOCKS port)\n\
                 peers      0 lightning, 0 netcat\ndata dir   DATADIR",
                v.node_id
            )
        );
        assert_eq!(
            info_json(&v),
            format!(
                r#"{{"data_dir":"DATADIR","held":{{"chain_followers":0,"chain_txs":0,"channels":0,"claims_remembered":0,"events_pending":0,"height":0,"manager_rebuilds":0,"mempool":0,"monitors":0,"recorded_messages":0,"recorded_peers":0,"session_nodes":0,"side_keys":0,"tasks":3}},"listening":[],"network":"regtest","node_id":"{}","peers":{{"guests":0,"lightning":0,"netcat":0}},"proxy":null}}"#,
                v.node_id
            )
        );
    }

    #[test]
    fn a_proxied_peer_shows_its_onion_and_the_proxy() {
        let id = some_node_id();
        let mut r = row(Kind::Lightning, Some(id), &[]);
        r.conn.direction = Direction::Outbound;
        r.conn.endpoint = crate::events::Endpoint {
            address: "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion:9735"
                .parse()
                .unwrap(),
            proxy: Some("127.0.0.1:9050".parse().unwrap()),
        };
        let v: serde_json::Value = serde_json::from_str(&peers_json(&[r.clone()])).unwrap();
        assert_eq!(
            v[0]["address"],
            "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion:9735"
        );
        assert_eq!(v[0]["via"], "proxy 127.0.0.1:9050");
        let text = peers_text(&[r], None);
        assert!(
            text.contains(
                "out  duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion:9735 "
            ),
            "{text}"
        );
        assert!(
            text.contains("reached via proxy 127.0.0.1:9050 (SOCKS5)"),
            "{text}"
        );
        // A direct connection has no `via`, and IPv6 is in brackets.
        let mut v6 = row(Kind::Netcat, None, &[]);
        v6.conn.endpoint = crate::events::Endpoint::direct("[::1]:50000".parse().unwrap());
        let v: serde_json::Value = serde_json::from_str(&peers_json(&[v6.clone()])).unwrap();
        assert_eq!(v[0]["address"], "[::1]:50000");
        assert!(v[0]["via"].is_null());
        assert!(peers_text(&[v6], None).contains(" [::1]:50000 "));
    }

    #[test]
    fn info_names_the_proxy() {
        let proxy = |always| {
            Some(ProxyConfig {
                addr: "127.0.0.1:9050".parse().unwrap(),
                always,
            })
        };
        assert_eq!(
            proxy_text(proxy(false)),
            "127.0.0.1:9050 (SOCKS5, for onion addresses; the rest go straight)"
        );
        assert!(proxy_text(proxy(true)).contains("every outbound connection"));
        let v = InfoView {
            node_id: some_node_id(),
            network: Network::Regtest,
            listening: vec!["[::1]:9736".parse().unwrap()],
            lightning: 0,
            netcat: 0,
            guests: 0,
            proxy: proxy(true),
            data_dir: "D".into(),
            gauges: Gauges::default(),
            tasks: 0,
        };
        assert!(info_text(&v).contains("listening  [::1]:9736\n"));
        let j: serde_json::Value = serde_json::from_str(&info_json(&v)).unwrap();
        assert_eq!(
            j["proxy"],
            json!({"address": "127.0.0.1:9050", "always": true})
        );
    }

    #[test]
    fn connected_says_which_address_of_a_name_worked() {
        let c = Connected {
            id: 2,
            node_id: some_node_id(),
            features: vec![],
            endpoint: crate::events::Endpoint::direct("127.0.0.1:9736".parse().unwrap()),
            failed: vec![crate::node::TcpAttempt {
                remote: "[::1]:9736".parse().unwrap(),
                failure: crate::node::TcpFailure::Refused,
            }],
        };
        let asked: PeerAddress = "localhost:9736".parse().unwrap();
        assert_eq!(
            connected_text(&asked, &c),
            format!(
                "tried [::1]:9736: connection refused (nothing is listening there)\n\
                 connected to {} at 127.0.0.1:9736 (localhost:9736) (#2): BOLT 8 handshake and init done\n\
                 their init features: (none)",
                c.node_id
            )
        );
    }

    #[test]
    fn socks5_annotates_every_field() {
        let target: PeerAddress =
            "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion:9735"
                .parse()
                .unwrap();
        let creds = crate::node::proxy::Credentials {
            username: "u".repeat(32),
            password: "p".repeat(32),
        };
        let steps = crate::node::proxy::exchange(&target, &creds);
        let text = socks5_text(&target, None, &steps);
        assert!(text.contains("no --proxy is set"), "{text}");
        assert!(
            text.contains("  ATYP      03                 a domain name"),
            "{text}"
        );
        assert!(
            text.contains("  DST.PORT  2607               port 9735"),
            "{text}"
        );
        // Every field has words.
        for step in &steps {
            for (name, value) in &step.fields {
                assert!(!socks5_meaning(step, name, value, 3).is_empty(), "{name}");
            }
        }
        let j: serde_json::Value =
            serde_json::from_str(&socks5_json(&target, None, &steps)).unwrap();
        assert_eq!(j["steps"][0]["hex"], "05020002");
        assert_eq!(
            j["steps"][4]["fields"][3],
            json!({"name": "ATYP", "hex": "03"})
        );
        assert!(j["proxy"].is_null());
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
            "not listening. `listen 9735` listens on 127.0.0.1:9735 (`listen 0`: any free port)"
        );
        assert_eq!(
            trace_state_text(false, false, None),
            "trace is off (`trace on` to start)"
        );
    }
}
