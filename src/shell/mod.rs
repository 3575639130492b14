//! Executing commands: [`Shell::execute`] turns a [`Command`] into text to print.
//!
//! The shell is two rooms, a stream and a pager. This file is the executor: for each
//! command it asks the node, the wire code or the lessons for *data* (peer rows,
//! a decoded message, a typed outcome such as `Connected`). `views.rs` writes
//! that data as the text or JSON a learner reads, and never touches the node, so
//! every sentence can be tested with made-up data. `stream.rs` decodes a stream of
//! lines (`decode --file`, `lnshell decode -`); `pager.rs` hands long lesson pages to
//! `$PAGER`. The commands that need no node (`decode`, `encode`, `example`) are free
//! functions at the end, so `lnshell decode|encode|example` run them without starting
//! one. Read a command's method here to see what it asks, and its
//! view to see what it says.
//!
//! It is called from the REPL thread (never a tokio worker), so it may block on the
//! runtime for the few commands that wait on the network (`connect`, `listen`).
//! It prints nothing itself: the caller decides where output goes.

pub mod diagram;
mod pager;
pub mod stream;
pub mod svg;
mod views;

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::runtime::Handle;

use crate::command::{
    Command, DecodeCommand, DecodeInput, DiagramCommand, EventsCommand, ListenCommand, PeerRef,
    TraceCommand,
};
use crate::lessons::Exercise;
use crate::node::responder::read_open_channel;
use crate::node::{Node, DEFAULT_CONNECT_TIMEOUT};
use crate::wire;
use crate::wire::catalog::types::OPEN_CHANNEL;
use pager::page;
use stream::StreamOptions;
use views::InfoView;

/// The narrowest terminal output is laid out for: below it lines may be wider than
/// the terminal (a 31-letter field name needs some room).
pub const MIN_COLUMNS: usize = 30;

/// The width in a handle from [`Shell::width_handle`]: `None` when no terminal set one.
pub fn width_of(handle: &std::sync::atomic::AtomicUsize) -> Option<usize> {
    match handle.load(std::sync::atomic::Ordering::Relaxed) {
        0 => None,
        w => Some(w),
    }
}

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

/// What kind of failure a [`ShellError`] is: the `kind` of a `--json` error, for a
/// script to branch on without reading the sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line was wrong: an unknown command, a missing or bad argument.
    Usage,
    /// What was given is wrong: an unknown message or field, a value that does not
    /// parse, a message of the wrong type, a JSON document that is not a log.
    Input,
    /// A file or stream could not be read.
    Io,
    /// A `#n` that names no lightning peer.
    Peer,
    /// The node secret could not be loaded or used.
    Key,
    /// A listener could not be started or stopped.
    Listen,
    /// A connection could not be made.
    Connect,
    /// Nothing to disconnect.
    Disconnect,
    /// A channel operation failed.
    Channel,
    /// The shell's chain would not take a transaction (`confirm`).
    Chain,
}

impl ErrorKind {
    /// The word scripts see, in `snake_case`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Usage => "usage",
            ErrorKind::Input => "input",
            ErrorKind::Io => "io",
            ErrorKind::Peer => "peer",
            ErrorKind::Key => "key",
            ErrorKind::Listen => "listen",
            ErrorKind::Connect => "connect",
            ErrorKind::Disconnect => "disconnect",
            ErrorKind::Channel => "channel",
            ErrorKind::Chain => "chain",
        }
    }
}

/// A command that failed; the text says what to do, the kind what went wrong.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ShellError {
    /// What went wrong, for scripts.
    pub kind: ErrorKind,
    /// What went wrong and what to do, for people.
    pub message: String,
}

impl ShellError {
    /// An error of `kind` that says `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ShellError {
        ShellError {
            kind,
            message: message.into(),
        }
    }

    /// The error as one JSON object, `{"error": …, "kind": …}`: what a `--json`
    /// command prints when it fails.
    pub fn to_json(&self) -> String {
        views::error_json(self)
    }
}

impl From<crate::node::NodeError> for ShellError {
    fn from(e: crate::node::NodeError) -> Self {
        use crate::node::NodeError as N;
        let kind = match &e {
            N::Key(_) => ErrorKind::Key,
            N::Listen(_) => ErrorKind::Listen,
            N::Connect(_) => ErrorKind::Connect,
            N::Disconnect(_) => ErrorKind::Disconnect,
            N::Channel(_) => ErrorKind::Channel,
        };
        ShellError::new(kind, e.to_string())
    }
}

impl From<crate::command::ParseError> for ShellError {
    fn from(e: crate::command::ParseError) -> Self {
        ShellError::new(ErrorKind::Usage, e.0)
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
    /// The terminal's columns, set by the prompt before each command (0: no terminal,
    /// so the stable wide layout). Shared with the event printer, whose tables fit it too.
    width: Arc<std::sync::atomic::AtomicUsize>,
    /// `events brief`: the printer shows a netcat session's messages one line
    /// each. The shell sets it, the printer (above) reads it.
    brief_events: Arc<AtomicBool>,
}

impl Shell {
    /// A shell over `node`, whose tasks run on `rt`.
    pub fn new(node: Arc<Node>, rt: Handle, tracker: Arc<crate::lessons::Tracker>) -> Shell {
        Shell {
            node,
            rt,
            tracker,
            pager: None,
            width: Arc::default(),
            brief_events: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The columns to fit output to, as the prompt last read them from its terminal;
    /// `None` keeps the stable layout (pipes, `--exec`). Views and renderers get it as
    /// a parameter: nothing below the shell asks the terminal.
    pub fn set_width(&self, columns: Option<usize>) {
        let w = columns.map_or(0, |c| c.max(MIN_COLUMNS));
        self.width.store(w, std::sync::atomic::Ordering::Relaxed);
    }

    /// The width last set, shared (the event printer reads it for each event).
    pub fn width_handle(&self) -> Arc<std::sync::atomic::AtomicUsize> {
        Arc::clone(&self.width)
    }

    fn width(&self) -> Option<usize> {
        width_of(&self.width)
    }

    /// Whether `events brief` is on, for the printer.
    pub fn brief_events(&self) -> &Arc<AtomicBool> {
        &self.brief_events
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
        // What a command completes just by succeeding; `connect` adds what depends
        // on how it went (over IPv6, to an onion service).
        let mut done: Vec<Exercise> = match &cmd {
            Command::Decode(_) => vec![Exercise::Decoded],
            Command::Encode { .. } => vec![Exercise::Encoded],
            Command::Listen(ListenCommand::Start(_)) => vec![Exercise::ListenStarted],
            Command::Connect { .. } => vec![Exercise::OutboundConnected],
            Command::Socks5 { .. } => vec![Exercise::Socks5Read],
            _ => Vec::new(),
        };
        let outcome = self.run(cmd, out, &mut done)?;
        for praise in done.into_iter().filter_map(|id| self.tracker.record(id)) {
            // At a prompt, praise follows the output; in scripts it goes to stderr
            // so that `$(lnshell --exec 'encode ...')` stays pure hex.
            if self.pager.is_some() {
                let praise = format!("[lesson] {praise}");
                let praise = match self.width() {
                    Some(w) => wire::render::fit(&praise, w),
                    None => praise,
                };
                let _ = writeln!(out, "{praise}");
            } else {
                let _ = writeln!(std::io::stderr(), "[lesson] {praise}");
            }
        }
        Ok(outcome)
    }

    fn run(
        &self,
        cmd: Command,
        out: &mut dyn Write,
        done: &mut Vec<Exercise>,
    ) -> Result<Outcome, ShellError> {
        let text = match cmd {
            Command::Decode(DecodeCommand {
                input: DecodeInput::File(path),
                json,
                full,
            }) => {
                let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
                let streamed = decode_file(
                    &path,
                    StreamOptions {
                        json,
                        full,
                        width: self.width().filter(|_| !json),
                    },
                    &mut buffered,
                )?;
                return Ok(match streamed.output_open {
                    true => Outcome::Continue,
                    false => Outcome::OutputClosed,
                });
            }
            Command::Help(topic) => views::help_at(topic.as_deref(), self.width())?,
            Command::Info { json } => self.info(json),
            Command::Peers { json } => self.peers(json),
            Command::Listen(l) => self.listen(l)?,
            Command::Connect { node_id, addr } => {
                let row =
                    self.rt
                        .block_on(self.node.connect(node_id, &addr, DEFAULT_CONNECT_TIMEOUT))?;
                if row.endpoint.address.is_ipv6() {
                    done.push(Exercise::Ipv6Connected);
                }
                if row.endpoint.address.is_onion() {
                    done.push(Exercise::OnionConnected);
                }
                views::connected_text(&addr, &row)
            }
            Command::Socks5 { target, json } => {
                let proxy = self.node.proxy();
                let steps = crate::node::proxy::exchange(
                    &target,
                    &crate::node::proxy::Credentials::fresh(),
                );
                if json {
                    views::socks5_json(&target, proxy, &steps)
                } else {
                    views::socks5_text(&target, proxy, &steps)
                }
            }
            Command::Disconnect(PeerRef::Id(id)) => {
                views::disconnected_text(&self.node.disconnect_id(id)?)
            }
            Command::Disconnect(PeerRef::NodeId(node_id)) => {
                views::disconnected_text(&self.node.disconnect_node(node_id)?)
            }
            Command::Decode(DecodeCommand {
                input: DecodeInput::Hex(hex),
                json,
                full,
            }) => decode_hex_at(&hex, json, full, self.width()).0,
            Command::Encode { name, assignments } => {
                encode(&name, &assignments, self.node.network())?
            }
            Command::Example(name) => example(name.as_deref(), self.node.network())?,
            Command::Log(n) => self.log(n)?,
            Command::Trace(t) => self.trace(t)?,
            Command::Diagram(d) => {
                let replay = d.file.is_some();
                let (text, drawn) = self.diagram(d)?;
                if replay && drawn {
                    done.push(Exercise::TraceReplayed);
                }
                text
            }
            Command::OpenChannel {
                peer,
                sats,
                push_msat,
            } => {
                let node_id = self.resolve_channel_peer(&peer)?;
                let opening = self
                    .rt
                    .block_on(self.node.open_channel(node_id, sats, push_msat))?;
                views::channel_opening_text(&opening)
            }
            Command::Channels { json } => self.channels(json),
            Command::CloseChannel(id) => {
                views::closing_channel_text(&self.node.close_channel(&id)?)
            }
            Command::ForceClose(id) => views::force_closed_text(&self.node.force_close(&id)?),
            Command::Respond(hex) => self.respond(&hex)?,
            Command::Mine(n) => views::mined_text(&self.node.mine(n), &self.node.chain()),
            Command::Chain { json } => {
                let view = self.node.chain();
                if json {
                    views::chain_json(&view)
                } else {
                    views::chain_text(&view)
                }
            }
            Command::Confirm(hex) => {
                let txid = self.node.confirm(&hex).map_err(|e| {
                    let kind = match e {
                        crate::node::regtest::SubmitError::NotATransaction(_) => ErrorKind::Input,
                        _ => ErrorKind::Chain,
                    };
                    ShellError::new(kind, e.to_string())
                })?;
                views::confirmed_text(&txid)
            }
            Command::Keysend { peer, amount_msat } => {
                let node_id = self.resolve_peer(&peer)?;
                let hash = self.node.keysend(node_id, amount_msat)?;
                views::keysend_text(node_id, amount_msat, &hash)
            }
            Command::Lessons => self.tracker.with(crate::lessons::list),
            Command::LessonsReset => self
                .tracker
                .reset()
                .map_err(|e| ShellError::new(ErrorKind::Io, e))?,
            Command::Lesson(args) => {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let text = self
                    .tracker
                    .lesson(
                        &args,
                        // Prose stays readable on a wide terminal: at most 120.
                        self.width()
                            .map_or_else(crate::lessons::terminal_width, |w| w.min(120)),
                        self.pager.is_some() && crate::lessons::use_color(),
                    )
                    .map_err(|e| ShellError::new(ErrorKind::Usage, e))?;
                if self
                    .pager
                    .as_ref()
                    .is_some_and(|terminal| page(&text, terminal))
                {
                    return Ok(Outcome::Continue);
                }
                text
            }
            Command::Events(cmd) => {
                match cmd {
                    EventsCommand::Show => {}
                    EventsCommand::Brief => self.brief_events.store(true, Ordering::Relaxed),
                    EventsCommand::Full => self.brief_events.store(false, Ordering::Relaxed),
                }
                views::events_text(self.brief_events.load(Ordering::Relaxed))
            }
            Command::Quit => return Ok(Outcome::Quit),
        };
        if text.is_empty() {
            return Ok(Outcome::Continue);
        }
        // At a terminal, sentences wider than it wrap with a hanging indent (words
        // stay whole: a node id or hex to copy is never split). JSON is left as it is.
        let text = match self.width() {
            Some(w) if serde_json::from_str::<serde::de::IgnoredAny>(&text).is_err() => {
                wire::render::fit(&text, w)
            }
            _ => text,
        };
        Ok(match writeln!(out, "{text}").and_then(|()| out.flush()) {
            Ok(()) => Outcome::Continue,
            Err(_) => Outcome::OutputClosed,
        })
    }

    fn info(&self, json: bool) -> String {
        let node = &self.node;
        let (lightning, netcat) = node.counts();
        let view = InfoView {
            node_id: node.node_id(),
            network: node.network(),
            listening: node.listening(),
            lightning,
            netcat,
            guests: node.guest_count(),
            proxy: node.proxy(),
            data_dir: node.data_dir().to_path_buf(),
            gauges: node.gauges(),
            tasks: self.rt.metrics().num_alive_tasks(),
        };
        if json {
            views::info_json(&view)
        } else {
            views::info_text(&view)
        }
    }

    fn peers(&self, json: bool) -> String {
        let rows = self.node.peers();
        if json {
            return views::peers_json(&rows);
        }
        // Where we listen only matters for the hint shown with no connections.
        let listening = if rows.is_empty() {
            self.node.listening().first().copied()
        } else {
            None
        };
        views::peers_text_at(&rows, listening, self.width())
    }

    fn listen(&self, cmd: ListenCommand) -> Result<String, ShellError> {
        match cmd {
            ListenCommand::Show => Ok(views::listen_show_text(&self.node.listening())),
            ListenCommand::Start(spec) => {
                let addr = self.rt.block_on(self.node.listen(&spec))?;
                Ok(views::listening_text(addr))
            }
            ListenCommand::Stop(spec) => {
                let addr = self.rt.block_on(self.node.stop_listening(&spec))?;
                Ok(views::stopped_listening_text(addr))
            }
        }
    }

    fn resolve_peer(&self, peer: &PeerRef) -> Result<bitcoin::secp256k1::PublicKey, ShellError> {
        match peer {
            PeerRef::NodeId(id) => Ok(*id),
            PeerRef::Id(n) => {
                let rows = self.node.peers();
                match rows.iter().find(|r| r.conn.id == *n) {
                    Some(row) => row.node_id.ok_or_else(|| {
                        ShellError::new(ErrorKind::Peer, views::not_a_lightning_peer_text(*n))
                    }),
                    // A missing id is told apart from a peer still in its handshake,
                    // with the ids there are.
                    None => Err(ShellError::new(
                        ErrorKind::Peer,
                        views::no_such_connection_text(*n, &rows),
                    )),
                }
            }
        }
    }

    /// The peer for `openchannel`: a lightning peer. A netcat session's peer ("your
    /// side") is played from nc, so the channel is opened there, with its words.
    fn resolve_channel_peer(
        &self,
        peer: &PeerRef,
    ) -> Result<bitcoin::secp256k1::PublicKey, ShellError> {
        let netcat = self.node.peers().into_iter().find(|r| {
            r.conn.kind == crate::node::peers::Kind::Netcat
                && match peer {
                    PeerRef::Id(n) => r.conn.id == *n,
                    PeerRef::NodeId(id) => r.node_id == Some(*id),
                }
        });
        match netcat {
            Some(row) => Err(ShellError::new(
                ErrorKind::Peer,
                views::openchannel_to_netcat_text(row.conn.id),
            )),
            None => self.resolve_peer(peer),
        }
    }

    fn trace(&self, cmd: TraceCommand) -> Result<String, ShellError> {
        match cmd {
            TraceCommand::Show => {
                let (on, full, only) = self.node.trace_state();
                Ok(views::trace_state_text(on, full, only))
            }
            TraceCommand::Off => {
                self.node.set_trace(false, false, false, None);
                Ok(views::trace_off_text())
            }
            TraceCommand::On { full, peer } => {
                let only = peer.map(|p| self.resolve_peer(&p)).transpose()?;
                self.node.set_trace(true, full, false, only);
                Ok(views::trace_on_text(full, only))
            }
            TraceCommand::Diagram { peer } => {
                let only = peer.map(|p| self.resolve_peer(&p)).transpose()?;
                self.node.set_trace(true, false, true, only);
                Ok(views::trace_diagram_text(only))
            }
            TraceCommand::Save { path, peer } => self.trace_save(&path, peer),
        }
    }

    /// The record's conversations with `peers` (all, if none is named).
    fn conversations(
        &self,
        peers: &[PeerRef],
    ) -> Result<Vec<crate::node::record::Conversation>, ShellError> {
        if peers.is_empty() {
            return Ok(self.node.conversations());
        }
        let mut all = Vec::new();
        for p in peers {
            let id = self.resolve_peer(p)?;
            if !all
                .iter()
                .any(|c: &crate::node::record::Conversation| c.peer == id)
            {
                all.push(self.node.conversation(&id));
            }
        }
        Ok(all)
    }

    fn trace_save(
        &self,
        path: &std::path::Path,
        peer: Option<PeerRef>,
    ) -> Result<String, ShellError> {
        let convs = self.conversations(peer.as_slice())?;
        let mut lines: Vec<(u64, String)> = Vec::new();
        for c in &convs {
            let peer = c.peer.to_string();
            for m in &c.messages {
                lines.push((
                    m.seq,
                    diagram::save_line(&peer, m.direction, m.at, &m.bytes),
                ));
            }
        }
        lines.sort_by_key(|(seq, _)| *seq);
        let mut text = String::with_capacity(lines.iter().map(|(_, l)| l.len() + 1).sum());
        for (_, line) in &lines {
            text.push_str(line);
            text.push('\n');
        }
        // Whole or not at all: a shell killed while saving leaves the old file.
        crate::files::write_atomic(path, text.as_bytes())
            .map_err(|e| ShellError::new(ErrorKind::Io, views::cannot_write_text(path, &e)))?;
        let peers = convs.iter().filter(|c| !c.messages.is_empty()).count();
        Ok(views::trace_saved_text(path, lines.len(), peers))
    }

    /// The picture (or why there is none), and whether an arrow was drawn.
    fn diagram(&self, cmd: DiagramCommand) -> Result<(String, bool), ShellError> {
        /// A saved record is at most some tens of MiB; a bigger file is not one.
        const MAX_FILE: u64 = 256 << 20;
        let mut picture = match &cmd.file {
            Some(path) => {
                let io = |e: std::io::Error| {
                    ShellError::new(ErrorKind::Io, views::cannot_read_text(path, &e))
                };
                if std::fs::metadata(path).map_err(io)?.len() > MAX_FILE {
                    return Err(ShellError::new(
                        ErrorKind::Input,
                        views::file_too_big_text(path, MAX_FILE),
                    ));
                }
                let bytes = std::fs::read(path).map_err(io)?;
                diagram::read_saved(&String::from_utf8_lossy(&bytes), &views::saver_lane())
            }
            None => self.recorded_picture(&cmd.peers)?,
        };
        if picture.arrows.is_empty() {
            return Ok((
                views::nothing_to_draw_text(cmd.file.as_deref(), cmd.peers.len()),
                false,
            ));
        }
        if let Some(n) = cmd.last {
            let of = picture.arrows.len();
            if n < of {
                picture.arrows.drain(..of - n);
                picture.notes.insert(0, views::diagram_last_text(n, of));
            }
        }
        let mut wrote = Vec::new();
        for (path, page) in [
            (
                cmd.svg.as_ref(),
                cmd.svg.as_ref().map(|_| svg::svg(&picture)),
            ),
            (
                cmd.html.as_ref(),
                cmd.html.as_ref().map(|_| svg::html(&picture)),
            ),
        ] {
            if let (Some(path), Some(page)) = (path, page) {
                crate::files::write_atomic(path, page.as_bytes()).map_err(|e| {
                    ShellError::new(ErrorKind::Io, views::cannot_write_text(path, &e))
                })?;
                wrote.push(path.clone());
            }
        }
        if !wrote.is_empty() {
            return Ok((
                views::diagram_written_text(&wrote, picture.arrows.len()),
                true,
            ));
        }
        let style = diagram::Style {
            width: self.width().unwrap_or_else(crate::lessons::terminal_width),
            color: crate::lessons::use_color(),
        };
        Ok((diagram::draw(&picture, style), true))
    }

    /// The record (of `peers`, or every peer) as a picture: this node's lane, then
    /// one a peer, every message in the order the node saw it.
    fn recorded_picture(&self, peers: &[PeerRef]) -> Result<diagram::Picture, ShellError> {
        let convs = self.conversations(peers)?;
        let live: Vec<(bitcoin::secp256k1::PublicKey, u64)> = self
            .node
            .peers()
            .into_iter()
            .filter_map(|r| r.node_id.map(|id| (id, r.conn.id)))
            .collect();
        let limits = self.node.record_limits();
        let mut picture = diagram::Picture {
            lanes: vec![views::this_node_lane(&self.node.node_id())],
            ..Default::default()
        };
        let mut arrows: Vec<(u64, diagram::Arrow)> = Vec::new();
        for c in convs.into_iter().filter(|c| !c.messages.is_empty()) {
            let conn = live.iter().find(|(id, _)| *id == c.peer).map(|(_, n)| *n);
            picture.lanes.push(views::peer_lane(&c.peer, conn));
            let lane = picture.lanes.len() - 1;
            if c.dropped > 0 {
                picture
                    .notes
                    .push(views::record_dropped_text(&c.peer, c.dropped, &limits));
            }
            arrows.extend(c.messages.into_iter().map(|m| {
                (
                    m.seq,
                    diagram::Arrow {
                        at: Some(m.at),
                        lane,
                        direction: m.direction,
                        bytes: m.bytes,
                    },
                )
            }));
        }
        arrows.sort_by_key(|(seq, _)| *seq);
        picture.arrows = arrows.into_iter().map(|(_, a)| a).collect();
        picture.notes.push(views::record_unseen_text());
        Ok(picture)
    }

    fn channels(&self, json: bool) -> String {
        let chans = self.node.channels();
        if json {
            views::channels_json(&chans)
        } else {
            views::channels_text_at(&chans, self.width())
        }
    }

    fn respond(&self, hex: &str) -> Result<String, ShellError> {
        let d = wire::decode_hex(hex, wire::DecodeOptions { ldk_check: false });
        if d.msg_type != Some(OPEN_CHANNEL) {
            return Err(ShellError::new(
                ErrorKind::Input,
                views::not_open_channel_text(&d.summary()),
            ));
        }
        let msg = read_open_channel(&d.bytes).map_err(|e| {
            ShellError::new(ErrorKind::Input, views::unreadable_open_channel_text(&e))
        })?;
        Ok(views::answer_text(&self.node.respond(&msg), self.width()))
    }

    fn log(&self, n: usize) -> Result<String, ShellError> {
        let logger = self.node.logger();
        let lines = logger.tail(n).map_err(|e| {
            ShellError::new(
                ErrorKind::Io,
                views::cannot_read_log_text(logger.path(), &e),
            )
        })?;
        Ok(views::log_text(logger.path(), &lines))
    }
}

// ---- the commands that need no node ----
//
// `decode`, `encode` and `example` read no node state but the chain (for `chain_hash`).
// The shell runs them with its node's network; `lnshell decode|encode|example` runs
// them with none started. One implementation, so the two cannot drift apart.

/// `decode <hex>`: the text (or JSON) to print, and whether the message is clean.
pub fn decode_hex(hex: &str, json: bool, full: bool) -> (String, bool) {
    decode_hex_at(hex, json, full, None)
}

/// [`decode_hex`] fitted to `width` columns (a terminal's), if given.
fn decode_hex_at(hex: &str, json: bool, full: bool, width: Option<usize>) -> (String, bool) {
    let d = wire::decode_hex(hex, wire::DecodeOptions { ldk_check: true });
    (views::decoded_text(&d, json, full, width), d.is_ok())
}

/// `decode --file PATH`: every message in the file, streamed to `out`.
pub fn decode_file(
    path: &std::path::Path,
    opts: StreamOptions,
    out: &mut dyn Write,
) -> Result<stream::Streamed, ShellError> {
    let file = std::fs::File::open(path)
        .map_err(|e| ShellError::new(ErrorKind::Io, views::cannot_read_text(path, &e)))?;
    stream::decode_stream(file, &path.display().to_string(), opts, out)
}

/// `encode <message> [field=value ...]`: the message's hex.
pub fn encode(
    name: &str,
    assignments: &[(String, String)],
    network: bitcoin::Network,
) -> Result<String, ShellError> {
    let bytes = wire::encode::encode(name, assignments, network)
        .map_err(|e| ShellError::new(ErrorKind::Input, e))?;
    Ok(views::hex_text(&bytes))
}

/// `example [message]`: one message's hex, or the list of names.
pub fn example(name: Option<&str>, network: bitcoin::Network) -> Result<String, ShellError> {
    match name {
        None => Ok(views::example_list_text(&wire::catalog::message_names())),
        Some(name) => {
            let bytes = wire::example::example(name, network)
                .map_err(|e| ShellError::new(ErrorKind::Input, e))?;
            Ok(views::hex_text(&bytes))
        }
    }
}
