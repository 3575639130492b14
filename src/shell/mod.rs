//! Executing commands: [`Shell::execute`] turns a [`Command`] into text to print.
//!
//! It is called from the REPL thread (never a tokio worker), so it may block on the
//! runtime for the few commands that wait on the network (`connect`, `listen`).
//! It prints nothing itself: the caller decides where output goes.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::Arc;

use serde_json::json;
use tokio::runtime::Handle;

use crate::command::{
    Command, DecodeCommand, DecodeInput, ListenCommand, PeerRef, TraceCommand, COMMANDS,
};
use crate::lessons::Exercise;
use crate::node::responder::{explain_refusal, read_open_channel, Answer};
use crate::node::{
    ChannelOpening, ClosingChannel, Connected, Disconnected, ForceClosed, Node, PeerRow,
    DEFAULT_CONNECT_TIMEOUT,
};
use crate::wire;

/// What to do after a command.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Carry on.
    Continue,
    /// The user asked to leave.
    Quit,
    /// The output went away (a closed pipe): stop quietly.
    OutputClosed,
}

/// A command that failed; the text says what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ShellError(pub String);

impl From<crate::node::NodeError> for ShellError {
    fn from(e: crate::node::NodeError) -> Self {
        ShellError(e.to_string())
    }
}

/// The command executor: a node, the runtime it lives on, and lesson progress.
pub struct Shell {
    node: Arc<Node>,
    rt: Handle,
    tracker: Arc<crate::lessons::Tracker>,
    /// Page long output (a person at a terminal). Events wait for this lock
    /// while the pager has the terminal, so they do not print over its page.
    pager: Option<Arc<std::sync::Mutex<()>>>,
}

impl Shell {
    /// A shell over `node`, whose tasks run on `rt`.
    pub fn new(node: Arc<Node>, rt: Handle, tracker: Arc<crate::lessons::Tracker>) -> Shell {
        Shell {
            node,
            rt,
            tracker,
            pager: None,
        }
    }

    /// Page long output (lessons) through `$PAGER` or `less`, for a terminal.
    /// The pager holds `terminal` while it runs; whoever prints events takes it
    /// before printing.
    pub fn set_pager(&mut self, terminal: Arc<std::sync::Mutex<()>>) {
        self.pager = Some(terminal);
    }

    /// Lesson progress.
    pub fn tracker(&self) -> &Arc<crate::lessons::Tracker> {
        &self.tracker
    }

    /// The node.
    pub fn node(&self) -> &Arc<Node> {
        &self.node
    }

    /// Runs one command, writing what it prints to `out`.
    pub fn execute(&self, cmd: Command, out: &mut dyn Write) -> Result<Outcome, ShellError> {
        let exercise = match &cmd {
            Command::Decode(_) => Some(Exercise::Decoded),
            Command::Encode { .. } => Some(Exercise::Encoded),
            Command::Listen(ListenCommand::Start(_)) => Some(Exercise::ListenStarted),
            Command::Connect { .. } => Some(Exercise::OutboundConnected),
            _ => None,
        };
        let outcome = self.run(cmd, out)?;
        if let Some(praise) = exercise.and_then(|id| self.tracker.record(id)) {
            // At a prompt, praise follows the output; in scripts it goes to stderr
            // so that `$(lnshell --exec 'encode ...')` stays pure hex.
            if self.pager.is_some() {
                let _ = writeln!(out, "[lesson] {praise}");
            } else {
                let _ = writeln!(std::io::stderr(), "[lesson] {praise}");
            }
        }
        Ok(outcome)
    }

    fn run(&self, cmd: Command, out: &mut dyn Write) -> Result<Outcome, ShellError> {
        let text = match cmd {
            Command::Decode(DecodeCommand {
                input: DecodeInput::File(path),
                json,
                full,
            }) => {
                let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
                return Ok(match self.decode_file(&path, json, full, &mut buffered)? {
                    true => Outcome::Continue,
                    false => Outcome::OutputClosed,
                });
            }
            Command::Help(topic) => help(topic.as_deref())?,
            Command::Info { json } => self.info(json),
            Command::Peers { json } => self.peers(json),
            Command::Listen(l) => self.listen(l)?,
            Command::Connect { node_id, addr } => {
                let row =
                    self.rt
                        .block_on(self.node.connect(node_id, &addr, DEFAULT_CONNECT_TIMEOUT))?;
                connected_text(&addr, &row)
            }
            Command::Disconnect(PeerRef::Id(id)) => {
                disconnected_text(&self.node.disconnect_id(id)?)
            }
            Command::Disconnect(PeerRef::NodeId(node_id)) => {
                disconnected_text(&self.node.disconnect_node(node_id)?)
            }
            Command::Decode(DecodeCommand {
                input: DecodeInput::Hex(hex),
                json,
                full,
            }) => self.decode(&hex, json, full),
            Command::Encode { name, assignments } => {
                let bytes = wire::encode::encode(&name, &assignments, self.node.network())
                    .map_err(ShellError)?;
                hex::encode(bytes)
            }
            Command::Example(None) => format!(
                "messages (`example <name>` prints one):\n{}",
                wrap_words(&wire::catalog::message_names(), 78)
            ),
            Command::Example(Some(name)) => {
                let bytes =
                    wire::example::example(&name, self.node.network()).map_err(ShellError)?;
                hex::encode(bytes)
            }
            Command::Log(n) => self.log(n)?,
            Command::Trace(t) => self.trace(t)?,
            Command::OpenChannel {
                peer,
                sats,
                push_msat,
            } => {
                let node_id = self.resolve_peer(&peer)?;
                let opening = self
                    .rt
                    .block_on(self.node.open_channel(node_id, sats, push_msat))?;
                channel_opening_text(&opening)
            }
            Command::Channels { json } => self.channels(json),
            Command::CloseChannel(id) => closing_channel_text(&self.node.close_channel(&id)?),
            Command::ForceClose(id) => force_closed_text(&self.node.force_close(&id)?),
            Command::Respond(hex) => self.respond(&hex)?,
            Command::Lessons => self.tracker.with(crate::lessons::list),
            Command::Lesson(args) => {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let text = self
                    .tracker
                    .with(|p| {
                        crate::lessons::lesson_command(
                            &args,
                            p,
                            crate::lessons::terminal_width(),
                            self.pager.is_some() && crate::lessons::use_color(),
                        )
                    })
                    .map_err(ShellError)?;
                if self
                    .pager
                    .as_ref()
                    .is_some_and(|terminal| page(&text, terminal))
                {
                    return Ok(Outcome::Continue);
                }
                text
            }
            Command::Quit => return Ok(Outcome::Quit),
        };
        if text.is_empty() {
            return Ok(Outcome::Continue);
        }
        Ok(match writeln!(out, "{text}").and_then(|()| out.flush()) {
            Ok(()) => Outcome::Continue,
            Err(_) => Outcome::OutputClosed,
        })
    }

    fn info(&self, json: bool) -> String {
        let node = &self.node;
        let listening: Vec<String> = node.listening().iter().map(|a| a.to_string()).collect();
        let (lightning, netcat) = node.counts();
        let guests = node.guest_count();
        if json {
            return json!({
                "node_id": node.node_id().to_string(),
                "network": node.network().to_string(),
                "listening": listening,
                "peers": {"lightning": lightning, "netcat": netcat, "guests": guests},
                "data_dir": node.data_dir().display().to_string(),
            })
            .to_string();
        }
        let guests = if guests == 0 {
            String::new()
        } else {
            format!(" ({guests} of the lightning peers are guests: see `help peers`)")
        };
        format!(
            "node id    {}\nnetwork    {}\nlistening  {}\npeers      {lightning} lightning, {netcat} netcat{guests}\ndata dir   {}",
            node.node_id(),
            node.network(),
            if listening.is_empty() {
                "nowhere (`listen 9735` to start)".to_string()
            } else {
                listening.join(", ")
            },
            node.data_dir().display()
        )
    }

    fn peers(&self, json: bool) -> String {
        let rows = self.node.peers();
        if json {
            let list: Vec<serde_json::Value> = rows.iter().map(peer_json).collect();
            return serde_json::Value::Array(list).to_string();
        }
        if rows.is_empty() {
            return match self.node.listening().first() {
                Some(addr) => format!(
                    "no connections. In another terminal: nc -v {} {} (or `connect` to another node)",
                    if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() },
                    addr.port()
                ),
                None => "no connections, and not listening (`listen 9735`, or `connect` to another node)".into(),
            };
        }
        let mut out = format!(
            "{:<5} {:<10} {:<4} {:<22} {:<10} {}\n",
            "id", "kind", "dir", "address", "connected", "node id / lines received"
        );
        for r in &rows {
            let c = &r.conn;
            let who = match (c.kind, r.node_id) {
                (crate::node::peers::Kind::Netcat, _) => format!("{} lines", c.received),
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

    fn listen(&self, cmd: ListenCommand) -> Result<String, ShellError> {
        match cmd {
            ListenCommand::Show => {
                let addrs = self.node.listening();
                Ok(if addrs.is_empty() {
                    "not listening. `listen 9735` listens on 127.0.0.1:9735".into()
                } else {
                    let list: Vec<String> = addrs.iter().map(|a| format!("  {a}")).collect();
                    format!("listening on:\n{}", list.join("\n"))
                })
            }
            ListenCommand::Start(spec) => {
                let addr = self.rt.block_on(self.node.listen(&spec))?;
                Ok(listening_text(addr))
            }
            ListenCommand::Stop(spec) => {
                let addr = self.rt.block_on(self.node.stop_listening(&spec))?;
                Ok(stopped_listening_text(addr))
            }
        }
    }

    fn decode(&self, hex: &str, json: bool, full: bool) -> String {
        let d = wire::decode_hex(hex, wire::DecodeOptions { ldk_check: true });
        if json {
            wire::render::json(&d).to_string()
        } else {
            wire::render::text(&d, &wire::render::RenderOptions { full })
        }
    }

    /// Decodes a file of hex messages, one per line, streaming the output. Returns
    /// false if the output closed.
    fn decode_file(
        &self,
        path: &std::path::Path,
        json: bool,
        full: bool,
        out: &mut dyn Write,
    ) -> Result<bool, ShellError> {
        use std::io::BufRead;
        let file = std::fs::File::open(path)
            .map_err(|e| ShellError(format!("cannot read {}: {e}", path.display())))?;
        let opts = wire::DecodeOptions { ldk_check: true };
        let render = wire::render::RenderOptions { full };
        let (mut ok, mut bad) = (0usize, 0usize);
        let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
        let mut line = String::new();
        let mut line_no = 0usize;
        let mut json_line = Vec::with_capacity(8192);
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    return Err(ShellError(format!(
                        "{} line {}: {e}",
                        path.display(),
                        line_no + 1
                    )))
                }
            }
            line_no += 1;
            let text = line.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let d = wire::decode_hex(text, opts);
            if d.is_ok() {
                ok += 1;
            } else {
                bad += 1;
            }
            let written = if json {
                json_line.clear();
                wire::render::json_into(&d, &mut json_line);
                json_line.push(b'\n');
                out.write_all(&json_line)
            } else {
                writeln!(out, "line {line_no}: {}\n", wire::render::text(&d, &render))
            };
            if written.is_err() {
                return Ok(false);
            }
        }
        let summary = if json {
            Ok(())
        } else {
            writeln!(
                out,
                "{} messages: {ok} decoded cleanly, {bad} with errors",
                ok + bad
            )
        };
        Ok(summary.and_then(|()| out.flush()).is_ok())
    }

    fn resolve_peer(&self, peer: &PeerRef) -> Result<bitcoin::secp256k1::PublicKey, ShellError> {
        match peer {
            PeerRef::NodeId(id) => Ok(*id),
            PeerRef::Id(n) => self.node.node_id_of(*n).ok_or_else(|| {
                ShellError(format!(
                    "#{n} is not a lightning peer past its handshake; `peers` lists them"
                ))
            }),
        }
    }

    fn trace(&self, cmd: TraceCommand) -> Result<String, ShellError> {
        match cmd {
            TraceCommand::Show => {
                let (on, full, only) = self.node.trace_state();
                Ok(match (on, only) {
                    (false, _) => "trace is off (`trace on` to start)".into(),
                    (true, None) => format!(
                        "trace is on{} for every peer",
                        if full { " (full)" } else { "" }
                    ),
                    (true, Some(p)) => {
                        format!("trace is on{} for {p}", if full { " (full)" } else { "" })
                    }
                })
            }
            TraceCommand::Off => {
                self.node.set_trace(false, false, None);
                Ok("trace off".into())
            }
            TraceCommand::On { full, peer } => {
                let only = peer.map(|p| self.resolve_peer(&p)).transpose()?;
                self.node.set_trace(true, full, only);
                let whom = only
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "every lightning peer".into());
                Ok(format!(
                    "trace on{} for {whom}: `<-` received, `->` sent. Not visible: ping/pong, peer warnings, our init (`help trace`)",
                    if full { " (full)" } else { "" }
                ))
            }
        }
    }

    fn channels(&self, json: bool) -> String {
        let chans = self.node.channels();
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
        if json {
            return serde_json::Value::Array(rows).to_string();
        }
        if chans.is_empty() {
            return "no channels. `openchannel <#n|node_id> <sats>` opens one to a connected peer"
                .into();
        }
        let mut out = String::new();
        for c in &chans {
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

    fn respond(&self, hex: &str) -> Result<String, ShellError> {
        let d = wire::decode_hex(hex, wire::DecodeOptions { ldk_check: false });
        if d.msg_type != Some(32) {
            return Err(ShellError(format!(
                "respond takes an open_channel (type 32); this is {}. `example open_channel` prints one",
                d.summary()
            )));
        }
        let msg = read_open_channel(&d.bytes).map_err(|e| {
                ShellError(format!(
                    "LDK cannot even read this open_channel ({e:?}); a real LDK node would drop the connection without an error. `decode` shows what is wrong"
                ))
            })?;
        let render = wire::render::RenderOptions { full: false };
        Ok(match self.node.respond(&msg) {
            Answer::Accept(reply) => {
                let d = wire::decode_bytes(&reply, wire::DecodeOptions { ldk_check: false });
                format!(
                    "LDK accepts: it answers with accept_channel\n{}",
                    wire::render::text(&d, &render)
                )
            }
            Answer::Refuse { message, reason } => {
                let mut out = format!(
                    "LDK refuses: {reason}\nin other words: {}",
                    explain_refusal(&reason)
                );
                if let Some(m) = message {
                    let d = wire::decode_bytes(&m, wire::DecodeOptions { ldk_check: false });
                    let _ = write!(
                        out,
                        "\nthe message it sends back:\n{}",
                        wire::render::text(&d, &render)
                    );
                }
                out
            }
            Answer::Nothing => "LDK sent nothing back (see `log`)".into(),
        })
    }

    fn log(&self, n: usize) -> Result<String, ShellError> {
        let logger = self.node.logger();
        let lines = logger.tail(n).map_err(|e| {
            ShellError(format!(
                "cannot read the log {}: {e}",
                logger.path().display()
            ))
        })?;
        Ok(if lines.is_empty() {
            format!("{} is empty so far", logger.path().display())
        } else {
            lines.join("\n")
        })
    }
}

fn help(topic: Option<&str>) -> Result<String, ShellError> {
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
            let c = COMMANDS
                .iter()
                .find(|c| c.name == name)
                .ok_or_else(|| ShellError(format!("no command {name:?}; `help` lists them all")))?;
            Ok(format!("{}\n  {}\n\n{}", c.usage, c.summary, c.details))
        }
    }
}

/// Shows `text` through `$PAGER` (default `less -R -F -X`) when it is longer than
/// the terminal, holding `terminal` meanwhile. Returns false if it did not page
/// (the caller prints instead).
fn page(text: &str, terminal: &std::sync::Mutex<()>) -> bool {
    let rows = std::env::var("LINES")
        .ok()
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(24);
    if text.lines().count() < rows {
        return false;
    }
    let pager = std::env::var("PAGER").unwrap_or_else(|_| "less -R -F -X".into());
    let mut words = pager.split_whitespace();
    let Some(program) = words.next() else {
        return false;
    };
    let child = std::process::Command::new(program)
        .args(words)
        .stdin(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return false;
    };
    // A poisoned lock only means a printer panicked; the terminal is still ours.
    let _terminal = terminal.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
    }
    child.wait().is_ok()
}

fn channel_state(c: &lightning::ln::channel_state::ChannelDetails) -> &'static str {
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

fn features_text(features: &[String]) -> String {
    if features.is_empty() {
        "(none)".into()
    } else {
        features.join(", ")
    }
}

fn duration_text(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, (secs % 3600) / 60),
    }
}

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

// ---- views: the sentences for node outcomes ----
//
// The node returns data (who, which channel, which address); these say it in
// words for the learner. They are small free functions so that they can move
// together into `shell/views.rs`.

/// `connect`: the handshake and `init` are done.
fn connected_text(addr: &str, c: &Connected) -> String {
    format!(
        "connected to {} at {addr} (#{}): BOLT 8 handshake and init done\ntheir init features: {}",
        c.node_id,
        c.id,
        features_text(&c.features)
    )
}

/// `disconnect`, by connection id or node id.
fn disconnected_text(d: &Disconnected) -> String {
    match d {
        Disconnected::Peer { id, node_id } => format!("disconnected #{id} ({node_id})"),
        Disconnected::Handshaking { id } => {
            format!("#{id} is still in its BOLT 8 handshake; asked it to close")
        }
        Disconnected::Netcat { id } => format!("closed netcat session #{id}"),
        Disconnected::Node { node_id } => format!("disconnected {node_id}"),
    }
}

/// `listen PORT`: where we listen now, and how to try it.
fn listening_text(addr: std::net::SocketAddr) -> String {
    let mut text = format!(
        "listening on {addr} (lightning peers and netcat sessions; try: nc -v {} {})",
        if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        },
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
fn stopped_listening_text(addr: std::net::SocketAddr) -> String {
    format!("stopped listening on {addr} (its connections stay up)")
}

/// `openchannel`: our `open_channel` went out and the channel is pending.
fn channel_opening_text(o: &ChannelOpening) -> String {
    format!(
        "open_channel {} sent; {}",
        o.temporary_channel_id, o.pending
    )
}

/// `closechannel`.
fn closing_channel_text(c: &ClosingChannel) -> String {
    format!(
        "cooperative close of {} started: shutdown sent to {}",
        c.channel_id, c.counterparty
    )
}

/// `forceclose`.
fn force_closed_text(f: &ForceClosed) -> String {
    format!("force-closed {}", f.channel_id)
}
