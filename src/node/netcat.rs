//! A plaintext (netcat) session: a real peer of the node, carried by hand.
//!
//! A person runs `nc -v 127.0.0.1 9735`, gets a greeting, and types one line at a
//! time. A line of hex is a BOLT message (`type || payload`): it is decoded by
//! [`crate::wire`], the client gets a one-line summary back, the shell shows the
//! full decode as an event, and, when it is a channel message LDK can read, it is
//! handed to the node's `ChannelManager` exactly as typed, as if a BOLT 8 peer had
//! sent it.
//!
//! For that, each session **is a peer**: it gets a node id of its own, "your
//! side", a second LDK node in the shell ([`super::your_side`]) that builds and
//! signs what the learner cannot type (signatures, per-commitment secrets). The
//! session connects your side to the node as a plaintext peer ([`super::plain`]):
//! everything the node sends it is written to the client as one line
//! (`<- node: summary | hex`) and delivered to your side, whose own answers wait
//! in its outbox until the learner sends them by name (`funding_created`,
//! `revoke_and_ack`, …). The order is the learner's to choose, and LDK's answer
//! to a wrong one is real.
//!
//! The reader is bounded: a line longer than [`MAX_LINE`] gets an error and ends
//! the session, so no client can make us buffer without limit; your side is
//! dropped with its session.

use std::fmt::{self, Write as _};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use lightning::ln::msgs::{BaseMessageHandler, MessageSendEvent};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use std::sync::Arc;

use super::peers::Registration;
use super::plain::{outgoing, ChannelMsg};
use super::responder::{explain_ldk_error, explain_refusal, read_open_channel, Answer};
use super::shared::Shared;
use super::your_side::{YourSide, BUILDABLE};
use crate::events::{Event, NetcatAnswer, NetcatCloseReason};
use crate::wire;
use crate::wire::catalog::types;

/// The longest line accepted (defined with the other limits, in [`super::config`]).
pub use super::config::MAX_LINE;

/// The start of every greeting (load tools and tests look for it).
pub const GREETING_START: &str = "lnshell: plaintext session";

/// The last line of every greeting: a client that reads the greeting whole reads
/// up to this line.
pub const GREETING_END: &str =
    "Not BOLT 8: a real lightning node would expect an encrypted handshake here.";

/// The columns a greeting is wrapped to: the netcat client's terminal is unknown
/// (nothing tells the shell its width), and 78 fits the narrowest in common use.
pub const GREETING_COLUMNS: usize = 78;

/// What the client sees on connecting: a few lines of at most [`GREETING_COLUMNS`],
/// the last one [`GREETING_END`].
pub fn greeting(id: u64, side: Option<&bitcoin::secp256k1::PublicKey>) -> String {
    let who = match side {
        Some(n) => format!(
            " #{id}: you are a peer of this node as {n} (\"your side\", an LDK node in the shell that builds and signs your messages)."
        ),
        None => format!(" #{id}."),
    };
    let mut out = String::new();
    wire::render::push_wrapped(
        &mut out,
        &format!(
            "{GREETING_START}{who} Paste a hex BOLT message per line \
(type || payload, e.g. 0012000400020000 for a ping), or type a message name such as open_channel \
to send your side's; `help` lists the words."
        ),
        GREETING_COLUMNS,
        "",
        "",
    );
    out.push_str(GREETING_END);
    out.push('\n');
    out
}

#[cfg(test)]
mod greeting_tests {
    use super::*;

    #[test]
    fn the_session_help_fits_78_columns() {
        for line in HELP.lines() {
            assert!(
                wire::render::display_width(line) <= GREETING_COLUMNS,
                "{} columns: {line:?}",
                line.chars().count()
            );
        }
    }

    #[test]
    fn the_greeting_fits_78_columns_and_ends_with_its_last_line() {
        let secp = bitcoin::secp256k1::Secp256k1::signing_only();
        let key = bitcoin::secp256k1::SecretKey::from_slice(&[7; 32]).expect("a valid key");
        let side = bitcoin::secp256k1::PublicKey::from_secret_key(&secp, &key);
        for (id, side) in [(1, Some(&side)), (u64::MAX, Some(&side)), (3, None)] {
            let text = greeting(id, side);
            for line in text.lines() {
                assert!(
                    wire::render::display_width(line) <= GREETING_COLUMNS,
                    "{} columns: {line:?}",
                    line.chars().count()
                );
            }
            assert!(text.starts_with(GREETING_START), "{text}");
            assert_eq!(text.lines().last(), Some(GREETING_END), "{text}");
            assert!(text.contains("0012000400020000 for a ping"), "{text}");
            if let Some(n) = side {
                // The node id whole on one line, to copy.
                assert!(text.lines().any(|l| l.contains(&n.to_string())), "{text}");
            }
        }
    }
}

/// The session's words, for `help`; at most [`GREETING_COLUMNS`] wide, like the
/// greeting (the client's terminal width is unknown).
pub const HELP: &str = "\
session words (one per line):
  <hex>              send these exact bytes to the node (and decode them)
  open_channel [funding_satoshis=N push_msat=N to_self_delay=N
                feerate_per_kw=N]
                     your side opens a channel (private, with channel_type)
  funding_created    send your side's funding_created (built when
                     accept_channel arrives)
  channel_ready      send it (after `mine 6` in the shell)
  update_add_htlc amount_msat=N
                     your side pays the node N msat (keysend): queues the add
                     and its commitment_signed
  commitment_signed, revoke_and_ack, update_fulfill_htlc, shutdown,
  closing_signed     send your side's next one
  outbox             what your side has ready, in order, with hex
  make <name> [field=value ...]
                     build into the outbox without sending
  help               this list
";

/// How long a reply may wait for a client that does not read.
const WRITE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Serves one netcat client until it disconnects or the shell asks it to close.
pub(crate) async fn run(
    stream: TcpStream,
    remote: SocketAddr,
    reg: Registration,
    shared: Arc<Shared>,
) {
    let id = reg.id;
    let _ = shared.events.send(Event::NetcatConnected { id, remote });
    let (read_half, write_half) = stream.into_split();
    let peer = Peer::connect(id, &shared);
    if let Some(p) = &peer {
        shared.registry.set_node_id(id, p.side.node_id());
    }
    let mut session = Session {
        reader: BufReader::new(read_half),
        writer: write_half,
        shared: Arc::clone(&shared),
        id,
        peer,
    };
    let reason = session.serve(&reg).await;
    // The node forgets the peer (`Peer`'s drop, which also runs if the task panics).
    drop(session.peer.take());
    let _ = shared.events.send(Event::NetcatClosed { id, reason });
    drop(reg);
}

/// The session as a peer: your side, and the road from the node.
struct Peer {
    side: YourSide,
    from_node: mpsc::UnboundedReceiver<MessageSendEvent>,
    shared: Arc<Shared>,
}

impl Peer {
    /// Makes your side and introduces it to the node, as LDK's `PeerManager`
    /// does after `init`. `None` if the node will not have it (LDK's limits).
    fn connect(id: u64, shared: &Arc<Shared>) -> Option<Peer> {
        let plain = &shared.plain;
        let features = plain.handler.provided_init_features(plain.node_id);
        let side = YourSide::new(
            plain.identities.take(),
            id,
            plain.node_id,
            features,
            shared.network,
            &plain.chain,
            shared.events.clone(),
            Arc::clone(&plain.graph),
        )?;
        let from_node = plain.peers.add(side.node_id());
        if plain
            .handler
            .peer_connected(side.node_id(), &side.init(), true)
            .is_err()
        {
            plain.peers.remove(&side.node_id());
            return None;
        }
        Some(Peer {
            side,
            from_node,
            shared: Arc::clone(shared),
        })
    }
}

impl Drop for Peer {
    /// The node forgets the peer, as when a BOLT 8 connection drops: when the session
    /// ends, and when its task panicked (see `contain`), so no ghost peer stays.
    fn drop(&mut self) {
        let node_id = self.side.node_id();
        let shared = &self.shared;
        shared.plain.peers.remove(&node_id);
        let forget = || {
            shared.plain.handler.peer_disconnected(node_id);
            shared.peer_manager.process_events();
            // The node keeps a little state for every peer it had a channel with; the
            // next session takes this key, so that state is reused, not left behind
            // (see `Identities`). A key with a channel still open stays out: a new
            // side would not know that channel.
            if !shared.plain.handler.inner.has_channels_with(&node_id) {
                shared.plain.identities.give_back(self.side.seed());
            }
        };
        if std::thread::panicking() {
            // Unwinding from a panic in the session's task: if it left one of LDK's
            // locks poisoned, LDK panics again here, and a panic escaping a destructor
            // while unwinding aborts the whole shell. So try, and if LDK cannot, leave
            // it (the key is not given back).
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(forget));
        } else {
            forget();
        }
    }
}

struct Session {
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
    shared: Arc<Shared>,
    id: u64,
    peer: Option<Peer>,
}

/// What happened to a line the session acted on.
enum Step {
    /// Go on reading.
    Continue,
    /// End the session.
    End(NetcatCloseReason),
}

impl Session {
    /// Writes to the client; false if it is gone or has stopped reading.
    async fn say(&mut self, text: &str) -> bool {
        matches!(
            tokio::time::timeout(WRITE_TIMEOUT, self.writer.write_all(text.as_bytes())).await,
            Ok(Ok(()))
        )
    }

    /// The session's life; returns why it ended.
    async fn serve(&mut self, reg: &Registration) -> NetcatCloseReason {
        let limits = self.shared.limits.clone();
        let hello = greeting(
            self.id,
            self.peer.as_ref().map(|p| p.side.node_id()).as_ref(),
        );
        if !self.say(&hello).await {
            return NetcatCloseReason::ClientWentAway;
        }
        if self.peer.is_none() {
            self.say("lnshell: the node's ChannelManager would not take this session as a peer\n(too many peers); lines are decoded only\n").await;
        }
        let close = Arc::clone(&reg.close);
        let mut line = Vec::new();
        let mut garbage_in_a_row = 0u32;
        let mut idle = tokio::time::Instant::now() + limits.netcat_idle;
        loop {
            // What the node sent, and what your side did meanwhile (a block was
            // mined, a payment claimed), reach the client between lines.
            let wake = self.peer.as_ref().and_then(|p| p.side.wake());
            let from_node = async {
                match self.peer.as_mut() {
                    Some(p) => p.from_node.recv().await,
                    None => std::future::pending().await,
                }
            };
            let side_woke = async {
                match wake {
                    Some(w) => w.await,
                    None => std::future::pending().await,
                }
            };
            let read = tokio::select! {
                r = read_line_bounded(&mut self.reader, &mut line, limits.max_line) => r,
                ev = from_node => {
                    if let Some(ev) = ev {
                        if let Step::End(reason) = self.on_node_message(ev).await {
                            return reason;
                        }
                    }
                    continue;
                }
                _ = side_woke => {
                    if let Step::End(reason) = self.pump_side().await {
                        return reason;
                    }
                    continue;
                }
                _ = tokio::time::sleep_until(idle) => {
                    let secs = limits.netcat_idle.as_secs();
                    self.say(&format!(
                        "lnshell: closing: nothing received for {secs} s (--idle-timeout)\n"
                    ))
                    .await;
                    return NetcatCloseReason::IdleTimeout(limits.netcat_idle);
                }
                _ = close.notified() => {
                    self.say(if self.shared.registry.is_shutting_down() {
                        "lnshell: the shell is shutting down (quit); closing this session. Goodbye.\n"
                    } else {
                        "lnshell: closing this session (disconnect from the shell)\n"
                    })
                    .await;
                    return NetcatCloseReason::DisconnectedByShell;
                }
            };
            idle = tokio::time::Instant::now() + limits.netcat_idle;
            match read {
                Ok(LineRead::Eof) => return NetcatCloseReason::ClientClosed,
                Ok(LineRead::TooLong) => {
                    let max = limits.max_line;
                    self.say(&format!(
                        "error: line longer than {max} bytes; a BOLT message is at most 65535 bytes \
                         (131070 hex digits). Closing.\n"
                    ))
                    .await;
                    return NetcatCloseReason::LineTooLong(max);
                }
                Err(e) => return NetcatCloseReason::ReadError(Arc::new(e)),
                Ok(LineRead::Line) => super::contain::test_panic(super::contain::Site::Netcat),
            }
            if is_binary(&line) {
                line.clear();
                garbage_in_a_row += 1;
                reg.received.fetch_add(1, Ordering::Relaxed);
                if garbage_in_a_row >= limits.max_garbage_lines {
                    self.say("error: binary data again; this session takes hex text. Closing.\n")
                        .await;
                    return NetcatCloseReason::BinaryLines(garbage_in_a_row);
                }
                if !self
                    .say("error: binary data, not hex text: paste a message as hex digits, e.g. 0012000400020000\n")
                    .await
                {
                    return NetcatCloseReason::ClientWentAway;
                }
                continue;
            }
            garbage_in_a_row = 0;
            let at_tty_limit = line_length(&line) == TTY_LINE_LIMIT;
            let text = String::from_utf8_lossy(&line).trim().to_string();
            line.clear();
            if text.is_empty() {
                continue;
            }
            reg.received.fetch_add(1, Ordering::Relaxed);
            let step = match (session_word(&text), shell_command(&text)) {
                (Some(word), _) => self.word(word, &text).await,
                (None, Some(command)) => self.reply(&wrong_window(command)).await,
                (None, None) => self.hex_line(&text, at_tty_limit).await,
            };
            if let Step::End(reason) = step {
                return reason;
            }
        }
    }

    /// A line of hex: decoded and answered as always, then (a channel message)
    /// handed to the node as typed. `at_tty_limit`: the line is as long as a terminal
    /// lets a line be, so a broken one was most likely cut there.
    async fn hex_line(&mut self, text: &str, at_tty_limit: bool) -> Step {
        let shared = Arc::clone(&self.shared);
        let has_peer = self.peer.is_some();
        let LineReply {
            decoded,
            mut reply,
            answer,
        } = reply_to_line(text, |msg| {
            if has_peer {
                Answer::Forwarded
            } else {
                shared.respond(msg)
            }
        });
        if at_tty_limit && !decoded.is_ok() {
            reply.push_str(TTY_LIMIT_HINT);
        }
        let bytes = decoded.bytes.clone();
        let ok_type = decoded.msg_type;
        let _ = self.shared.events.send(Event::NetcatLine {
            id: self.id,
            decoded: Box::new(decoded),
            answer,
        });
        if let (Some(peer), Some(types::PING)) = (self.peer.as_ref(), ok_type) {
            // Pings never reach the ChannelManager (a PeerManager answers them),
            // so the session records them, and its pong, for `diagram` itself.
            self.record_ping(peer.side.node_id(), &bytes);
        }
        if self.peer.is_some() && ok_type.is_some() {
            match ChannelMsg::read(&bytes) {
                Ok(Some(msg)) => {
                    let _ = writeln!(
                        reply,
                        "-> node: {} as typed (the node's ChannelManager reads it as from your side)",
                        msg.name()
                    );
                    if !self.say(&reply).await {
                        return Step::End(NetcatCloseReason::ClientWentAwayOrStoppedReading);
                    }
                    return self.send_to_node(msg).await;
                }
                Ok(None) => {}
                Err(e) => {
                    let _ = writeln!(
                        reply,
                        "LDK cannot read this message ({e:?}): from a BOLT 8 peer, LDK would close the connection without an error; here the session stays and nothing reaches the node"
                    );
                }
            }
        }
        if self.say(&reply).await {
            Step::Continue
        } else {
            Step::End(NetcatCloseReason::ClientWentAwayOrStoppedReading)
        }
    }

    /// A session word: `help`, `outbox`, `make`, or a message name to send.
    async fn word(&mut self, word: Word, text: &str) -> Step {
        let Some(peer) = self.peer.as_mut() else {
            return self
                .reply("this session is not a peer of the node (see above): only hex lines work here\n")
                .await;
        };
        let (name, fields) = match parse_fields(text, word) {
            Ok(v) => v,
            Err(e) => return self.reply(&format!("error: {e}\n")).await,
        };
        match word {
            Word::Help => self.reply(HELP).await,
            Word::Outbox => {
                let mut out = String::new();
                let queued: Vec<_> = peer.side.outbox().collect();
                if queued.is_empty() {
                    out.push_str("outbox: empty (your side has nothing ready to send)\n");
                }
                for (i, q) in queued.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "outbox {}: {} | {}",
                        i + 1,
                        summary(&q.bytes),
                        hex::encode(&q.bytes)
                    );
                }
                self.reply(&out).await
            }
            Word::Make => {
                let before = peer.side.outbox().count();
                let mut out = String::new();
                match peer.side.build(name, &fields) {
                    Ok(_notes) => {
                        let added: Vec<_> = peer.side.outbox().skip(before).collect();
                        for q in &added {
                            let _ = writeln!(
                                out,
                                "made: {} | {}",
                                summary(&q.bytes),
                                hex::encode(&q.bytes)
                            );
                        }
                        if added.is_empty() {
                            out.push_str("your side made nothing new (see `outbox`)\n");
                        }
                    }
                    Err(e) => {
                        let _ = writeln!(out, "{e}");
                    }
                }
                self.reply(&out).await
            }
            Word::Send => {
                let mut notes = Vec::new();
                let queued = match peer.side.take(name) {
                    Some(q) if fields.is_empty() => Some(q),
                    Some(q) => {
                        // Fields given for a queued answer: it is already signed.
                        peer.side.requeue_front(q);
                        return self.reply(&format!("error: your side's {name} is already built and signed; fields cannot change it (send `{name}` alone, or paste altered hex)\n")).await;
                    }
                    None if BUILDABLE.contains(&name) => match peer.side.build(name, &fields) {
                        Ok(said) => {
                            // What else your side queued with it (a commitment_signed
                            // after an update_add_htlc), not the one going now.
                            let going = format!("your side: {name} is ready");
                            notes = said
                                .into_iter()
                                .filter(|n| !n.starts_with(&going))
                                .collect();
                            peer.side.take(name)
                        }
                        Err(e) => return self.reply(&format!("{e}\n")).await,
                    },
                    None => None,
                };
                match queued {
                    Some(q) => {
                        let mut echo = format!(
                            "-> node: {} | {}\n",
                            summary(&q.bytes),
                            hex::encode(&q.bytes)
                        );
                        for n in notes {
                            let _ = writeln!(echo, "{n}");
                        }
                        if !self.say(&echo).await {
                            return Step::End(NetcatCloseReason::ClientWentAwayOrStoppedReading);
                        }
                        self.send_to_node(q.msg).await
                    }
                    None => {
                        let why = peer.side.why_not(name);
                        self.reply(&format!("{why}\n")).await
                    }
                }
            }
        }
    }

    /// Records a pasted `ping` (and the `pong` the session answers) as a
    /// `PeerManager` would have seen them.
    fn record_ping(&self, from: bitcoin::secp256k1::PublicKey, bytes: &[u8]) {
        use lightning::util::ser::LengthReadable;
        let tracer = &self.shared.plain.handler.tracer;
        let Some(mut payload) = bytes.get(2..) else {
            return;
        };
        let Ok(ping) = lightning::ln::msgs::Ping::read_from_fixed_length_buffer(&mut payload)
        else {
            return;
        };
        tracer.record(crate::events::Direction::Inbound, from, &ping);
        if ping.ponglen < 65532 {
            let pong = lightning::ln::msgs::Pong {
                byteslen: ping.ponglen,
            };
            tracer.record(crate::events::Direction::Outbound, from, &pong);
        }
    }

    async fn reply(&mut self, text: &str) -> Step {
        if self.say(text).await {
            Step::Continue
        } else {
            Step::End(NetcatCloseReason::ClientWentAwayOrStoppedReading)
        }
    }

    /// Hands `msg` to the node's handler as from your side, then writes what the
    /// node sends back.
    async fn send_to_node(&mut self, msg: ChannelMsg) -> Step {
        let Some(peer) = self.peer.as_ref() else {
            return Step::Continue;
        };
        let from = peer.side.node_id();
        let name = msg.name();
        if let ChannelMsg::Warning(w) = &msg {
            // No ChannelManager method takes a warning: record it here.
            self.shared
                .plain
                .handler
                .tracer
                .record(crate::events::Direction::Inbound, from, w);
        }
        if !msg.deliver(&*self.shared.plain.handler, from)
            && !self
                .say(&format!("the node's ChannelManager has no handler for {name}: LDK's PeerManager only logs a warning\n"))
                .await
        {
            return Step::End(NetcatCloseReason::ClientWentAwayOrStoppedReading);
        }
        // What LDK's PeerManager does after each read: collect what to send.
        self.shared.peer_manager.process_events();
        self.drain_from_node().await
    }

    /// Everything the node has sent so far, in order.
    async fn drain_from_node(&mut self) -> Step {
        loop {
            let ev = match self.peer.as_mut().map(|p| p.from_node.try_recv()) {
                Some(Ok(ev)) => ev,
                _ => return Step::Continue,
            };
            if let Step::End(r) = self.on_node_message(ev).await {
                return Step::End(r);
            }
        }
    }

    /// One thing the node sent: written to the client, delivered to your side.
    async fn on_node_message(&mut self, ev: MessageSendEvent) -> Step {
        let out = outgoing(ev);
        let mut text = String::new();
        let mut notes = Vec::new();
        for msg in out.messages {
            let bytes = msg.bytes();
            let _ = writeln!(
                text,
                "<- node: {} | {}",
                summary(&bytes),
                hex::encode(&bytes)
            );
            let _ = self.shared.events.send(Event::NetcatNodeSent {
                id: self.id,
                message: bytes.clone(),
            });
            let waits = matches!(msg, ChannelMsg::FundingSigned(_));
            let words = match &msg {
                ChannelMsg::Error(e) => Some(("error", e.data.clone())),
                ChannelMsg::Warning(w) => Some(("warning", w.data.clone())),
                _ => None,
            };
            if let Some((kind, data)) = &words {
                notes.push(format!("the node's {kind} says: \"{data}\""));
            }
            let why = words.map(|(_, data)| explain_ldk_error(&data));
            if let Some(p) = self.peer.as_mut() {
                notes.extend(p.side.receive(msg));
            }
            if let Some(why) = why {
                notes.push(format!("why: {why}"));
            }
            if waits {
                notes.push("the node now waits for the funding transaction to confirm (its minimum_depth): in the shell, `mine 6`".to_string());
            }
        }
        for n in notes {
            let _ = writeln!(text, "{n}");
        }
        if out.disconnect {
            text.push_str("lnshell: the node's LDK disconnects you after that (a BOLT 8 peer's connection would close); closing this session\n");
        }
        if !self.say(&text).await {
            return Step::End(NetcatCloseReason::ClientWentAwayOrStoppedReading);
        }
        if out.disconnect {
            return Step::End(NetcatCloseReason::DisconnectedByNode);
        }
        Step::Continue
    }

    /// Your side woke up (a block, its own events): say what it did.
    async fn pump_side(&mut self) -> Step {
        let notes = match self.peer.as_mut() {
            Some(p) => p.side.pump(),
            None => return Step::Continue,
        };
        if notes.is_empty() {
            return Step::Continue;
        }
        let mut text = String::new();
        for n in notes {
            let _ = writeln!(text, "{n}");
        }
        self.reply(&text).await
    }
}

/// What a line that is not hex asks of the session.
// `pub` (hidden) only for the fuzz target `netcat_words` (fuzz/).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    /// The session's words.
    Help,
    /// What your side has ready.
    Outbox,
    /// Build without sending.
    Make,
    /// A message name: send your side's next one.
    Send,
}

/// The session word a line starts with, if it is one (a message name, or
/// `help`/`outbox`/`make`); hex lines and other text go to the decoder.
#[doc(hidden)]
pub fn session_word(text: &str) -> Option<Word> {
    let first = text.split_whitespace().next()?;
    match first {
        "help" => Some(Word::Help),
        "outbox" => Some(Word::Outbox),
        "make" => Some(Word::Make),
        _ if wire::catalog::by_name(first).is_some() => Some(Word::Send),
        _ => None,
    }
}

/// The longest line a terminal in canonical mode passes on (Linux's line buffer is
/// 4096 bytes, the newline included): a longer paste into `nc` reaches the session
/// cut to exactly this many characters.
pub const TTY_LINE_LIMIT: usize = 4095;

/// What to do when a broken line is exactly [`TTY_LINE_LIMIT`] long.
const TTY_LIMIT_HINT: &str = "\
this line is exactly 4095 characters, a terminal's line limit: the terminal dropped the rest of \
what you pasted. Send a long message without the terminal, from a file or a pipe: \
`echo <hex> | nc <host> <port>`, or decode it in the shell with `decode --file FILE`\n";

/// A line's length without its line ending.
fn line_length(line: &[u8]) -> usize {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line).len()
}

/// The shell's command words (and `exit`), which mean nothing in a session but are
/// easily typed into the wrong window. `help` is left out: it is a session word too.
/// The test `netcat_points_shell_commands_to_the_shell` checks this list against the
/// shell's `help`.
pub const SHELL_COMMANDS: &[&str] = &[
    "info",
    "listen",
    "peers",
    "connect",
    "socks5",
    "disconnect",
    "decode",
    "encode",
    "example",
    "diagram",
    "trace",
    "openchannel",
    "channels",
    "closechannel",
    "forceclose",
    "mine",
    "chain",
    "confirm",
    "keysend",
    "respond",
    "log",
    "lessons",
    "lesson",
    "events",
    "quit",
    "exit",
];

/// The shell command a line starts with (after a pasted `lnshell>` prompt), if any.
fn shell_command(text: &str) -> Option<&'static str> {
    let text = text.strip_prefix("lnshell>").unwrap_or(text);
    let first = text.split_whitespace().next()?;
    SHELL_COMMANDS.iter().copied().find(|c| *c == first)
}

/// The answer to a shell command typed into a session.
fn wrong_window(command: &str) -> String {
    let leave = if matches!(command, "quit" | "exit") {
        " (to end this session, press Ctrl-C in nc)"
    } else {
        ""
    };
    format!(
        "this window takes hex; commands go in the lnshell window: `{command}` is a shell command{leave}. \
         Here, paste a message in hex or type a session word (`help` lists them)\n"
    )
}

/// `field=value` pairs, as typed.
#[doc(hidden)]
pub type Fields = Vec<(String, String)>;

/// The message name and `field=value` pairs of a session line.
#[doc(hidden)]
pub fn parse_fields(text: &str, word: Word) -> Result<(&'static str, Fields), String> {
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or_default();
    let name_word = match word {
        Word::Make => words.next().ok_or_else(|| {
            "make what? e.g. `make update_add_htlc amount_msat=10000`".to_string()
        })?,
        Word::Send => first,
        _ => return Ok(("", Vec::new())),
    };
    let name = wire::catalog::by_name(name_word)
        .map(|m| m.name)
        .ok_or_else(|| format!("`{name_word}` is not a BOLT message name"))?;
    let mut fields = Vec::new();
    for w in words {
        let (k, v) = w
            .split_once('=')
            .ok_or_else(|| format!("`{w}` is not field=value"))?;
        fields.push((k.to_string(), v.to_string()));
    }
    Ok((name, fields))
}

/// A message's one-line summary, from the decoder.
fn summary(bytes: &[u8]) -> String {
    wire::decode_bytes(bytes, wire::DecodeOptions { ldk_check: false }).summary()
}

/// A line with control bytes or bytes outside ASCII: not something typed.
pub fn is_binary(line: &[u8]) -> bool {
    line.iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b >= 0x7f)
}

/// What a session makes of one line of hex.
#[derive(Debug)]
pub struct LineReply {
    /// The decode.
    pub decoded: wire::Decoded,
    /// What the client gets back: the summary line, then the answer if any.
    pub reply: String,
    /// The answer a node would give (a `pong`, LDK's answer to `open_channel`).
    pub answer: Option<NetcatAnswer>,
}

/// Decodes `text` and builds the client's reply, with no I/O: `ldk` is asked for
/// its answer to a valid `open_channel`.
///
/// Like a node, the session answers a valid `ping` with its `pong`, and an
/// `open_channel` with what LDK would answer, so the learner gets real messages
/// back to decode.
pub fn reply_to_line(
    text: &str,
    ldk: impl Fn(&lightning::ln::msgs::OpenChannel) -> Answer,
) -> LineReply {
    let decoded = wire::decode_hex(text, wire::DecodeOptions { ldk_check: true });
    let mut reply = format!("{}\n", decoded.summary());
    let answer = if decoded.is_ok() {
        match decoded.msg_type {
            Some(types::PING) => pong_for(&decoded),
            Some(types::OPEN_CHANNEL) => ldk_answer(&decoded, ldk),
            _ => None,
        }
    } else {
        None
    };
    if let Some(a) = &answer {
        // Writing to a `String` cannot fail.
        let _ = writeln!(reply, "{a}");
    }
    LineReply {
        decoded,
        reply,
        answer,
    }
}

/// BOLT 1's bound on `num_pong_bytes`: a `ping` asking for this many or more gets no
/// `pong` (such pings only pad traffic).
const MAX_PONG_BYTES: u64 = 65532;

/// BOLT 1: a node answers a `ping` with a `pong` of `num_pong_bytes` zero bytes,
/// unless `num_pong_bytes` is 65532 or more (then it must not answer).
fn pong_for(ping: &wire::Decoded) -> Option<NetcatAnswer> {
    let n = match ping.field("num_pong_bytes").map(|f| f.value) {
        Some(wire::decode::Value::Uint(n)) => n,
        _ => return None,
    };
    if n >= MAX_PONG_BYTES {
        return Some(NetcatAnswer::NoPong { num_pong_bytes: n });
    }
    let mut pong = types::PONG.to_be_bytes().to_vec();
    pong.extend_from_slice(&(n as u16).to_be_bytes());
    pong.resize(4 + n as usize, 0);
    Some(NetcatAnswer::Pong { message: pong })
}

/// What LDK's `ChannelManager` would answer to this `open_channel`.
fn ldk_answer(
    decoded: &wire::Decoded,
    ldk: impl Fn(&lightning::ln::msgs::OpenChannel) -> Answer,
) -> Option<NetcatAnswer> {
    let msg = read_open_channel(&decoded.bytes).ok()?;
    Some(match ldk(&msg) {
        Answer::Accept(accept_channel) => NetcatAnswer::LdkAccepts { accept_channel },
        Answer::Refuse { message, reason } => NetcatAnswer::LdkRefuses { reason, message },
        Answer::Nothing => NetcatAnswer::LdkSilent,
        Answer::Forwarded => return None,
    })
}

/// The answer as the client reads it; the shell's printer repeats these words
/// after `answered:`, so they are written once, here, by the session that says
/// them.
impl fmt::Display for NetcatAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetcatAnswer::Pong { message } => write!(f, "pong: {}", hex::encode(message)),
            NetcatAnswer::NoPong { num_pong_bytes } => write!(
                f,
                "no pong: num_pong_bytes is {num_pong_bytes}, and BOLT 1 says to ignore a ping asking for 65532 or more"
            ),
            NetcatAnswer::LdkAccepts { accept_channel } => write!(
                f,
                "LDK would answer with accept_channel: {}",
                hex::encode(accept_channel)
            ),
            NetcatAnswer::LdkRefuses { reason, message } => {
                let why = explain_refusal(reason);
                match message {
                    Some(m) => write!(f, "LDK would refuse ({why}) with error: {}", hex::encode(m)),
                    None => write!(f, "LDK would refuse: {reason} ({why})"),
                }
            }
            NetcatAnswer::LdkSilent => f.write_str("LDK would not answer (see `log` in the shell)"),
        }
    }
}

/// What [`read_line_bounded`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum LineRead {
    /// A line (with its `\n`, unless the input ended first).
    Line,
    /// The input ended.
    Eof,
    /// The line passed the limit; what was read so far is discarded.
    TooLong,
}

/// Reads up to and including `\n` into `line`, refusing to grow past `max_line`.
pub async fn read_line_bounded<R: AsyncBufReadExt + Unpin>(
    reader: &mut R,
    line: &mut Vec<u8>,
    max_line: usize,
) -> std::io::Result<LineRead> {
    loop {
        let buf = reader.fill_buf().await?;
        if buf.is_empty() {
            return Ok(if line.is_empty() {
                LineRead::Eof
            } else {
                LineRead::Line
            });
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if line.len() + take > max_line.saturating_add(2) {
            return Ok(LineRead::TooLong);
        }
        line.extend_from_slice(&buf[..take]);
        reader.consume(take);
        if done {
            return Ok(LineRead::Line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The client reads these words, and the shell repeats them after `answered:`.
    #[test]
    fn answers_read_as_before() {
        let cases = [
            (
                NetcatAnswer::Pong {
                    message: vec![0x00, 0x13, 0x00, 0x02, 0x00, 0x00],
                },
                "pong: 001300020000".to_string(),
            ),
            (
                NetcatAnswer::NoPong {
                    num_pong_bytes: 65532,
                },
                "no pong: num_pong_bytes is 65532, and BOLT 1 says to ignore a ping asking for 65532 or more"
                    .to_string(),
            ),
            (
                NetcatAnswer::LdkAccepts {
                    accept_channel: vec![0x00, 0x21],
                },
                "LDK would answer with accept_channel: 0021".to_string(),
            ),
            (
                NetcatAnswer::LdkRefuses {
                    reason: "no".into(),
                    message: Some(vec![0x00, 0x11]),
                },
                format!("LDK would refuse ({}) with error: 0011", explain_refusal("no")),
            ),
            (
                NetcatAnswer::LdkRefuses {
                    reason: "no".into(),
                    message: None,
                },
                format!("LDK would refuse: no ({})", explain_refusal("no")),
            ),
            (
                NetcatAnswer::LdkSilent,
                "LDK would not answer (see `log` in the shell)".to_string(),
            ),
        ];
        for (answer, expected) in cases {
            assert_eq!(answer.to_string(), expected);
        }
    }

    #[test]
    fn shell_commands_and_the_terminal_limit_are_recognised() {
        assert_eq!(shell_command("peers"), Some("peers"));
        assert_eq!(shell_command("decode 0012000400020000"), Some("decode"));
        assert_eq!(
            shell_command("lnshell> connect 02ab@1.2.3.4:9735"),
            Some("connect")
        );
        // Hex, session words and other words are not shell commands.
        assert_eq!(shell_command("0012000400020000"), None);
        assert_eq!(shell_command("help"), None);
        assert_eq!(shell_command("outbox"), None);
        assert_eq!(shell_command("peersx"), None);
        assert!(wrong_window("quit").contains("Ctrl-C"));
        assert!(!wrong_window("peers").contains("Ctrl-C"));
        let line = |n: usize, end: &str| format!("{}{end}", "0".repeat(n)).into_bytes();
        for end in ["", "\n", "\r\n"] {
            assert_eq!(
                line_length(&line(TTY_LINE_LIMIT, end)),
                TTY_LINE_LIMIT,
                "{end:?}"
            );
        }
        assert_eq!(line_length(&line(4094, "\n")), 4094);
    }

    #[tokio::test]
    async fn bounded_reader_splits_lines_and_refuses_long_ones() {
        let data = b"aa\nbb\n".to_vec();
        let mut r = BufReader::new(&data[..]);
        let mut line = Vec::new();
        assert!(matches!(
            read_line_bounded(&mut r, &mut line, MAX_LINE).await,
            Ok(LineRead::Line)
        ));
        assert_eq!(line, b"aa\n");
        line.clear();
        assert!(matches!(
            read_line_bounded(&mut r, &mut line, MAX_LINE).await,
            Ok(LineRead::Line)
        ));
        assert_eq!(line, b"bb\n");
        line.clear();
        assert!(matches!(
            read_line_bounded(&mut r, &mut line, MAX_LINE).await,
            Ok(LineRead::Eof)
        ));

        // The largest limit must not overflow (`--max-line` takes any usize).
        let mut r = BufReader::new(&b"aa\n"[..]);
        let mut line = Vec::new();
        assert!(matches!(
            read_line_bounded(&mut r, &mut line, usize::MAX).await,
            Ok(LineRead::Line)
        ));

        let long = vec![b'a'; MAX_LINE + 10];
        let mut r = BufReader::new(&long[..]);
        let mut line = Vec::new();
        assert!(matches!(
            read_line_bounded(&mut r, &mut line, MAX_LINE).await,
            Ok(LineRead::TooLong)
        ));
    }

    /// A session line's first word picks what it asks for; the rest are `field=value`s.
    #[test]
    fn session_words_and_fields() {
        assert_eq!(session_word("help"), Some(Word::Help));
        assert_eq!(session_word("  outbox  "), Some(Word::Outbox));
        assert_eq!(session_word("make ping"), Some(Word::Make));
        assert_eq!(
            session_word("open_channel funding_satoshis=1"),
            Some(Word::Send)
        );
        assert_eq!(session_word("0012000400020000"), None);
        assert_eq!(session_word("hello there"), None);
        assert_eq!(session_word("   "), None);

        let fields = |pairs: &[(&str, &str)]| -> Fields {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            parse_fields(
                "open_channel funding_satoshis=250000 push_msat=0",
                Word::Send
            ),
            Ok((
                "open_channel",
                fields(&[("funding_satoshis", "250000"), ("push_msat", "0")])
            ))
        );
        assert_eq!(
            parse_fields("make update_add_htlc amount_msat=10000", Word::Make),
            Ok(("update_add_htlc", fields(&[("amount_msat", "10000")])))
        );
        assert_eq!(
            parse_fields("make ping", Word::Make),
            Ok(("ping", Vec::new()))
        );
        assert_eq!(parse_fields("help me", Word::Help), Ok(("", Vec::new())));
        assert_eq!(parse_fields("outbox", Word::Outbox), Ok(("", Vec::new())));
        assert_eq!(
            parse_fields("make", Word::Make),
            Err("make what? e.g. `make update_add_htlc amount_msat=10000`".to_string())
        );
        assert_eq!(
            parse_fields("make pong_please", Word::Make),
            Err("`pong_please` is not a BOLT message name".to_string())
        );
        assert_eq!(
            parse_fields("ping num_pong_bytes 4", Word::Send),
            Err("`num_pong_bytes` is not field=value".to_string())
        );
        // Only the first `=` splits: the value may hold more.
        assert_eq!(
            parse_fields("ping ignored=a=b", Word::Send),
            Ok(("ping", fields(&[("ignored", "a=b")])))
        );
    }
}
