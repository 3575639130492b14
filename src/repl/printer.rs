//! The printer: background events turned into text and written out.
//!
//! [`crate::events`] holds what happened, as data; this module is the one place
//! that decides how it reads. Keeping the words here, apart from the code that
//! reacts to events, means a sentence can be reworded without breaking a lesson
//! that watches for a pending channel, and the node (which only sends data) never
//! imports display code such as [`crate::wire::render`].
//!
//! Two sinks, one text:
//! * at a prompt, a thread hands each event to rustyline's external printer, which
//!   redraws the line being typed below it, so typing is never torn; it waits
//!   while the pager holds the terminal;
//! * in script modes (`--exec`, piped stdin), events go to stdout, many at a time,
//!   so a flood of netcat lines costs one write per batch, not one per event.
//!
//! Each event is also shown to the lessons' [`Tracker`], and the praise for an
//! exercise it completes is printed with it (after it at a prompt; on stderr in
//! script modes, where stdout is for the commands' output).

use std::fmt;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use bitcoin::secp256k1::PublicKey;
use rustyline::ExternalPrinter;

use crate::events::{
    Direction, Event, EventReceiver, NetcatCloseReason, PanickedTask, PeerRefusal, TxOrigin,
};
use crate::lessons::Tracker;
use crate::node::{ClosedChannel, OpenFailure, PendingChannel};

/// An event as the shell prints it: one or more lines, with no final newline.
///
/// A few words are not written here: a netcat answer and a refusal are worded by
/// the node code that also says them to the client (`NetcatAnswer` and
/// `RefuseReason` implement `Display` there), so the shell repeats exactly what
/// the client read; and LDK's `ChannelPending`, `ChannelClosed` and a refused
/// funding transaction are worded by the node's [`PendingChannel`],
/// [`ClosedChannel`] and [`OpenFailure`], which also answer `openchannel`.
pub fn render(event: &Event) -> String {
    render_at(event, None, false)
}

/// [`render`] for a terminal of `width` columns (tables take their narrow layout
/// and long sentences wrap with a hanging indent; no width: the stable text), with
/// a netcat session's messages on one line each when `brief` (`events brief`).
pub fn render_at(event: &Event, width: Option<usize>, brief: bool) -> String {
    let text = Shown(event, width, brief).to_string();
    match width {
        Some(w) => crate::wire::render::fit(&text, w),
        None => text,
    }
}

/// [`render`], with a netcat session's messages on one line each when `brief`.
pub fn render_with(event: &Event, brief: bool) -> String {
    render_at(event, None, brief)
}

/// `Display` for an [`Event`] (at a terminal's width, if known; with `events brief`
/// on or not), so each arm can `write!` its parts without building strings in between.
struct Shown<'a>(&'a Event, Option<usize>, bool);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Event::ListenerFailed { addr, error } => write!(
                f,
                "[listen] listener on {addr} stopped: accept keeps failing: {error}"
            ),
            Event::NetcatConnected { id, remote } => write!(
                f,
                "[#{id}] netcat client connected from {remote} (plaintext session; paste hex BOLT messages there)"
            ),
            // `events brief`: the summary the client read, and the answer, on one line.
            Event::NetcatLine {
                id,
                decoded,
                answer,
            } if self.2 => {
                write!(f, "[#{id}] received: {}", decoded.summary())?;
                match answer {
                    Some(a) => write!(f, "; answered: {a}"),
                    None => Ok(()),
                }
            }
            Event::NetcatLine {
                id,
                decoded,
                answer,
            } => {
                let table = crate::wire::render::text(decoded, &crate::wire::render::RenderOptions { full: false, width: self.1 });
                write!(f, "[#{id}] received:\n{table}")?;
                match answer {
                    Some(a) => write!(f, "\n[#{id}] answered: {a}"),
                    None => Ok(()),
                }
            }
            Event::NetcatNodeSent { id, message } => {
                let d = crate::wire::decode_bytes(message, crate::wire::DecodeOptions { ldk_check: false });
                write!(f, "[#{id}] the node sent to this session's peer: {}", d.summary())
            }
            Event::NetcatClosed { id, reason } => {
                write!(f, "[#{id}] netcat session closed: ")?;
                match reason {
                    NetcatCloseReason::ClientWentAway => f.write_str("the client went away"),
                    NetcatCloseReason::ClientWentAwayOrStoppedReading => {
                        f.write_str("the client went away or stopped reading")
                    }
                    NetcatCloseReason::ClientClosed => {
                        f.write_str("the client closed the connection")
                    }
                    NetcatCloseReason::DisconnectedByShell => {
                        f.write_str("disconnected from the shell")
                    }
                    NetcatCloseReason::DisconnectedByNode => {
                        f.write_str("the node's LDK disconnected its peer")
                    }
                    NetcatCloseReason::IdleTimeout(idle) => {
                        write!(f, "idle for {} s", idle.as_secs())
                    }
                    NetcatCloseReason::LineTooLong(limit) => write!(f, "line over {limit} bytes"),
                    NetcatCloseReason::BinaryLines(n) => write!(f, "{n} binary lines in a row"),
                    NetcatCloseReason::ReadError(e) => write!(f, "read error: {e}"),
                }
            }
            Event::LightningConnecting {
                id,
                direction,
                remote,
            } => match direction {
                Direction::Inbound => write!(
                    f,
                    "[#{id}] BOLT 8 handshake started by {remote} (its first byte was 0x00: act one)"
                ),
                Direction::Outbound => {
                    write!(f, "[#{id}] BOLT 8 handshake started with {remote}")
                }
            },
            Event::PeerConnected {
                node_id,
                direction,
                features,
                ..
            } => {
                let how = match direction {
                    Direction::Inbound => "connected to us",
                    Direction::Outbound => "accepted our connection",
                };
                write!(f, "[peer] {node_id} {how}; handshake and init done")?;
                if features.is_empty() {
                    write!(f, "\n       their init features: (none)")
                } else {
                    write!(f, "\n       their init features: {}", features.join(", "))
                }
            }
            Event::PeerDisconnected {
                node_id,
                reason: None,
            } => write!(f, "[peer] {node_id} disconnected"),
            Event::PeerDisconnected {
                node_id,
                reason: Some(reason),
            } => write!(f, "[peer] {node_id} disconnected: {reason}"),
            Event::LightningClosed { id, remote, reason } => {
                let reason = reason.as_deref().unwrap_or(
                    "closed before its init reached us (a wrong node id, a client that is not a \
                     lightning node, a handshake that never finished, or a peer that left at once)",
                );
                write!(f, "[#{id}] BOLT 8 connection with {remote} closed: {reason}")
            }
            Event::Message {
                direction,
                node_id,
                bytes,
                full,
                arrow,
            } => {
                if *arrow {
                    let style = crate::shell::diagram::Style {
                        width: self.1.unwrap_or_else(crate::lessons::terminal_width),
                        color: crate::lessons::use_color(),
                    };
                    let line = crate::shell::diagram::live_arrow(
                        *direction,
                        &short_id(node_id),
                        bytes,
                        style,
                    );
                    return write!(f, "{line}");
                }
                let d = crate::wire::decode_bytes(bytes, crate::wire::DecodeOptions { ldk_check: false });
                let arrow = match direction {
                    Direction::Inbound => "<-",
                    Direction::Outbound => "->",
                };
                let short = short_id(node_id);
                if *full {
                    let table = crate::wire::render::text(&d, &crate::wire::render::RenderOptions { full: false, width: self.1 });
                    write!(f, "[trace] {arrow} {short} {}\n{table}", d.summary())
                } else {
                    write!(f, "[trace] {arrow} {short} {}", crate::wire::render::brief(&d))
                }
            }
            Event::FundingBuilt {
                counterparty_node_id,
                txid,
                channel_value_satoshis,
            } => write!(
                f,
                "[ldk] FundingGenerationReady: {counterparty_node_id} accepted; built funding transaction {txid} \
                 ({channel_value_satoshis} sat to the 2-of-2 output; its input is made up, which the shell's chain does not check; it is broadcast after funding_signed)"
            ),
            // These three are also what a waiting `openchannel` is told, so their
            // words are the node's (see `node::channels`), written once.
            Event::FundingRefused { error, .. } => {
                let failure = OpenFailure::FundingRefused {
                    error: error.clone(),
                };
                write!(f, "[ldk] {failure}")
            }
            Event::ChannelPending {
                channel_id,
                counterparty_node_id,
                funding_txo,
                ..
            } => {
                let pending = PendingChannel {
                    channel_id: *channel_id,
                    counterparty_node_id: *counterparty_node_id,
                    funding_txo: *funding_txo,
                };
                write!(f, "[ldk] {pending}")
            }
            Event::ChannelReady {
                channel_id,
                counterparty_node_id,
            } => write!(
                f,
                "[ldk] ChannelReady: channel {channel_id} with {counterparty_node_id} is ready"
            ),
            Event::ChannelClosed {
                channel_id,
                counterparty_node_id,
                reason,
                funded,
                ..
            } => {
                let closed = ClosedChannel {
                    channel_id: *channel_id,
                    counterparty_node_id: *counterparty_node_id,
                    reason: reason.clone(),
                    funded: *funded,
                };
                write!(f, "[ldk] {closed}")
            }
            Event::OpenChannelRequest {
                temporary_channel_id,
                counterparty_node_id,
                funding_satoshis,
            } => write!(
                f,
                "[ldk] OpenChannelRequest: {counterparty_node_id} wants a {funding_satoshis} sat channel {temporary_channel_id}"
            ),
            Event::DiscardFunding { channel_id } => write!(
                f,
                "[ldk] DiscardFunding: the funding transaction of {channel_id} will never be used"
            ),
            Event::OtherLdkEvent(event) => write!(f, "[ldk] LDK event: {event:?}"),
            Event::WouldBroadcast {
                txid,
                inputs,
                outputs,
            } => write!(
                f,
                "[ldk] LDK asks to broadcast transaction {txid} ({inputs} inputs, {outputs} outputs); \
                 there is no chain here, so it goes nowhere"
            ),
            Event::Broadcast {
                txid,
                origin,
                tx_hex,
            } => {
                let who = match origin {
                    TxOrigin::Node => "the node".to_string(),
                    TxOrigin::Session(id) => format!("netcat session #{id}'s side"),
                    TxOrigin::Pasted => "`confirm`".to_string(),
                };
                write!(
                    f,
                    "[chain] {who} broadcast transaction {txid}: it waits in the shell's \
                     regtest mempool (`mine` confirms it; `chain` shows it)\n        hex: {tx_hex}"
                )
            }
            Event::MempoolFull { txid } => write!(
                f,
                "[chain] transaction {txid} dropped: the shell's mempool is full (`mine` empties it)"
            ),
            Event::PaymentReceived {
                counterparty_node_id,
                amount_msat,
                payment_hash,
            } => {
                let from = counterparty_node_id
                    .map(|n| format!(" from {n}"))
                    .unwrap_or_default();
                write!(
                    f,
                    "[ldk] PaymentClaimed: received {amount_msat} msat{from} (payment hash {payment_hash})"
                )
            }
            Event::PaymentSent {
                payment_hash,
                fee_paid_msat,
            } => write!(
                f,
                "[ldk] PaymentSent: payment {payment_hash} was claimed by its recipient (fees {} msat)",
                fee_paid_msat.unwrap_or(0)
            ),
            Event::PaymentFailed {
                payment_hash,
                reason,
            } => {
                let hash = payment_hash
                    .map(|h| format!(" {h}"))
                    .unwrap_or_default();
                write!(f, "[ldk] PaymentFailed: payment{hash} did not get through")?;
                if let Some(r) = reason {
                    write!(f, " ({r:?})")?;
                }
                Ok(())
            }
            Event::PeerRefused { node_id, reason } => {
                let why = match reason {
                    PeerRefusal::NoStaticRemoteKey => {
                        "its init lacks option_static_remotekey (bits 12/13), which LDK requires"
                    }
                    PeerRefusal::InLog => "see `log`",
                };
                write!(
                    f,
                    "[ldk] LDK's ChannelManager refused {node_id}: {why}; the connection is dropped"
                )
            }
            Event::GuestHeld {
                node_id,
                guests,
                peer_limit,
            } => write!(
                f,
                "[ldk] {node_id} is a guest ({guests} now): LDK's ChannelManager keeps at most \
                 {peer_limit} peers without channels, so lnshell holds this \
                 connection itself; the peer can ping and gossip, and may open a channel once \
                 there is room"
            ),
            Event::GuestAdmitted { node_id } => write!(
                f,
                "[ldk] {node_id} is no longer a guest: LDK's ChannelManager keeps it now"
            ),
            Event::GuestRefused {
                node_id,
                peer_limit,
            } => write!(
                f,
                "[ldk] guest {node_id} sent open_channel; refused with an error: LDK's ChannelManager \
                 still has {peer_limit} peers without channels"
            ),
            Event::GuestDropped { node_id, message } => write!(
                f,
                "[ldk] guest {node_id} sent {message}; dropped: LDK's ChannelManager keeps no state for a guest \
                 (it may open a channel with open_channel once there is room)"
            ),
            Event::TaskPanicked { task, message } => {
                let (who, after) = match task {
                    PanickedTask::Netcat(id) => (
                        format!("[#{id}] netcat session #{id}'s task"),
                        "the session is closed and its side forgotten",
                    ),
                    PanickedTask::Lightning(id) => (
                        format!("[#{id}] lightning connection #{id}'s task"),
                        "the connection is dropped",
                    ),
                    PanickedTask::Background(name) => {
                        (format!("[node] the node's {name} task"), "it is not running")
                    }
                };
                write!(
                    f,
                    "{who} panicked ({message}); {after}, and the shell goes on. \
                     This is a bug in lnshell: please report it"
                )
            }
            Event::Dropped(n) => write!(
                f,
                "[events] {n} events not shown: they came faster than the shell could print them"
            ),
            Event::Refused { remote, reason } => {
                write!(f, "[listen] connection from {remote} refused: {reason}")
            }
        }
    }
}

/// The first 8 hex digits of a node id, enough to tell peers apart in a trace.
fn short_id(node_id: &PublicKey) -> String {
    let full = node_id.to_string();
    format!("{}…", &full[..8])
}

/// Whether a waiting command already says what `ev` says: `connect` shows the
/// peer's features, `openchannel` its channel pending or refused. The event still
/// counts for the lessons; printing it too would say the same thing twice.
fn answered(ev: &Event) -> bool {
    match ev {
        Event::PeerConnected { answered, .. }
        | Event::FundingRefused { answered, .. }
        | Event::ChannelPending { answered, .. }
        | Event::ChannelClosed { answered, .. } => *answered,
        _ => false,
    }
}

/// An event as printed (if a command does not print it), with any lesson exercise
/// it completes.
fn event_text(ev: &Event, tracker: &Tracker, width: Option<usize>, brief: bool) -> Option<String> {
    let praise = tracker.observe(ev);
    let mut text = match answered(ev) {
        true if praise.is_empty() => return None,
        true => String::new(),
        false => render_at(ev, width, brief),
    };
    for praise in praise {
        if !text.is_empty() {
            text.push('\n');
        }
        let praise = format!("[lesson] {praise}");
        match width {
            Some(w) => text.push_str(&crate::wire::render::fit(&praise, w)),
            None => text.push_str(&praise),
        }
    }
    Some(text)
}

/// An event as printed in script modes (if a command does not print it); its
/// praise goes to stderr.
fn event_text_plain(ev: &Event, tracker: &Tracker, brief: bool) -> Option<String> {
    for praise in tracker.observe(ev) {
        let _ = writeln!(std::io::stderr(), "[lesson] {praise}");
    }
    (!answered(ev)).then(|| render_with(ev, brief))
}

/// In script modes, events go straight to stdout (each one whole, under stdout's lock).
pub(super) fn spawn_plain_printer(
    mut events: EventReceiver,
    tracker: Arc<Tracker>,
    brief: Arc<AtomicBool>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        // Render what is waiting into one buffer, then write it in one go: under a
        // flood of events one write per event would be the bottleneck, and holding
        // stdout's lock while rendering would hold up command output (`info`).
        let mut buf = String::new();
        while let Some(first) = events.blocking_recv() {
            buf.clear();
            let mut next = Some(first);
            while let Some(ev) = next {
                let brief = brief.load(Ordering::Relaxed);
                if let Some(text) = event_text_plain(&ev, &tracker, brief) {
                    buf.push_str(&text);
                    buf.push('\n');
                }
                next = if buf.len() < 64 * 1024 {
                    events.try_recv()
                } else {
                    None
                };
            }
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(buf.as_bytes());
            let _ = out.flush();
        }
    })
}

/// At a prompt, events go through rustyline's external printer, one at a time,
/// each after the pager (which holds `terminal` while it shows a page) is done,
/// fitted to the terminal's width as the prompt last read it (`width`).
pub(super) fn spawn_prompt_printer(
    mut printer: impl ExternalPrinter + Send + 'static,
    mut events: EventReceiver,
    tracker: Arc<Tracker>,
    terminal: Arc<Mutex<()>>,
    width: Arc<std::sync::atomic::AtomicUsize>,
    brief: Arc<AtomicBool>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        while let Some(ev) = events.blocking_recv() {
            let cols = crate::shell::width_of(&width);
            let brief = brief.load(Ordering::Relaxed);
            let Some(text) = event_text(&ev, &tracker, cols, brief) else {
                continue;
            };
            let text = format!("{text}\n");
            let _terminal = terminal.lock().unwrap_or_else(|p| p.into_inner());
            if printer.print(text).is_err() {
                break;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use bitcoin::hashes::Hash;
    use bitcoin::secp256k1::{Secp256k1, SecretKey};
    use bitcoin::{OutPoint, Txid};
    use lightning::events::ClosureReason;
    use lightning::ln::types::ChannelId;

    use crate::events::{Endpoint, RefuseReason};

    fn node() -> PublicKey {
        let sk = SecretKey::from_slice(&[1; 32]).expect("a valid constant key");
        PublicKey::from_secret_key(&Secp256k1::signing_only(), &sk)
    }

    /// The words each event had when it was still a sentence (`Event::Ldk(String)`
    /// and `String` reasons): typing the events must not change what is printed.
    #[test]
    fn typed_events_read_as_the_sentences_they_replace() {
        let n = node();
        let channel_id = ChannelId::from_bytes([2; 32]);
        let txid = Txid::from_byte_array([3; 32]);
        let cases = [
            (
                Event::FundingBuilt {
                    counterparty_node_id: n,
                    txid,
                    channel_value_satoshis: 100_000,
                },
                format!(
                    "[ldk] FundingGenerationReady: {n} accepted; built funding transaction {txid} \
                     (100000 sat to the 2-of-2 output; its input is made up, which the shell's chain does not check; it is broadcast after funding_signed)"
                ),
            ),
            (
                Event::ChannelPending {
                    channel_id,
                    counterparty_node_id: n,
                    funding_txo: OutPoint { txid, vout: 0 },
                    answered: false,
                },
                format!(
                    "[ldk] ChannelPending: channel {channel_id} with {n} is pending; funding outpoint {txid}:0 \
                     (it is ready after confirmations: `mine 6` on the shell's chain)"
                ),
            ),
            (
                Event::ChannelReady {
                    channel_id,
                    counterparty_node_id: n,
                },
                format!("[ldk] ChannelReady: channel {channel_id} with {n} is ready"),
            ),
            (
                Event::ChannelClosed {
                    channel_id,
                    counterparty_node_id: Some(n),
                    reason: ClosureReason::DisconnectedPeer,
                    funded: true,
                    answered: false,
                },
                format!(
                    "[ldk] ChannelClosed: channel {channel_id} with {n}: {}",
                    ClosureReason::DisconnectedPeer
                ),
            ),
            (
                Event::ChannelClosed {
                    channel_id,
                    counterparty_node_id: None,
                    reason: ClosureReason::DisconnectedPeer,
                    funded: true,
                    answered: false,
                },
                format!(
                    "[ldk] ChannelClosed: channel {channel_id}: {}",
                    ClosureReason::DisconnectedPeer
                ),
            ),
            (
                Event::OpenChannelRequest {
                    temporary_channel_id: channel_id,
                    counterparty_node_id: n,
                    funding_satoshis: 5,
                },
                format!("[ldk] OpenChannelRequest: {n} wants a 5 sat channel {channel_id}"),
            ),
            (
                Event::DiscardFunding { channel_id },
                format!(
                    "[ldk] DiscardFunding: the funding transaction of {channel_id} will never be used"
                ),
            ),
            (
                Event::WouldBroadcast {
                    txid,
                    inputs: 1,
                    outputs: 2,
                },
                format!(
                    "[ldk] LDK asks to broadcast transaction {txid} (1 inputs, 2 outputs); there is no chain here, so it goes nowhere"
                ),
            ),
            (
                Event::GuestAdmitted { node_id: n },
                format!("[ldk] {n} is no longer a guest: LDK's ChannelManager keeps it now"),
            ),
            (
                Event::GuestRefused {
                    node_id: n,
                    peer_limit: 250,
                },
                format!(
                    "[ldk] guest {n} sent open_channel; refused with an error: LDK's ChannelManager \
                     still has 250 peers without channels"
                ),
            ),
            (
                Event::GuestDropped {
                    node_id: n,
                    message: "funding_created",
                },
                format!(
                    "[ldk] guest {n} sent funding_created; dropped: LDK's ChannelManager keeps no state for a guest \
                     (it may open a channel with open_channel once there is room)"
                ),
            ),
            (
                Event::GuestHeld {
                    node_id: n,
                    guests: 3,
                    peer_limit: 250,
                },
                format!(
                    "[ldk] {n} is a guest (3 now): LDK's ChannelManager keeps at most \
                     250 peers without channels, so lnshell holds this \
                     connection itself; the peer can ping and gossip, and may open a channel once \
                     there is room"
                ),
            ),
            (
                Event::PeerRefused {
                    node_id: n,
                    reason: PeerRefusal::NoStaticRemoteKey,
                },
                format!(
                    "[ldk] LDK's ChannelManager refused {n}: its init lacks option_static_remotekey \
                     (bits 12/13), which LDK requires; the connection is dropped"
                ),
            ),
            (
                Event::PeerRefused {
                    node_id: n,
                    reason: PeerRefusal::InLog,
                },
                format!("[ldk] LDK's ChannelManager refused {n}: see `log`; the connection is dropped"),
            ),
            (
                Event::NetcatClosed {
                    id: 4,
                    reason: NetcatCloseReason::IdleTimeout(Duration::from_secs(2)),
                },
                "[#4] netcat session closed: idle for 2 s".to_string(),
            ),
            (
                Event::NetcatClosed {
                    id: 4,
                    reason: NetcatCloseReason::LineTooLong(16),
                },
                "[#4] netcat session closed: line over 16 bytes".to_string(),
            ),
            (
                Event::NetcatClosed {
                    id: 4,
                    reason: NetcatCloseReason::BinaryLines(3),
                },
                "[#4] netcat session closed: 3 binary lines in a row".to_string(),
            ),
            (
                Event::LightningClosed {
                    id: 5,
                    remote: Endpoint::direct("127.0.0.1:9735".parse().expect("a valid address")),
                    reason: None,
                },
                "[#5] BOLT 8 connection with 127.0.0.1:9735 closed: closed before its init reached us \
                 (a wrong node id, a client that is not a lightning node, a handshake that never \
                 finished, or a peer that left at once)"
                    .to_string(),
            ),
            (
                Event::LightningConnecting {
                    id: 6,
                    direction: Direction::Outbound,
                    remote: Endpoint {
                        address: "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion:9735"
                            .parse()
                            .expect("a valid onion address"),
                        proxy: Some("127.0.0.1:9050".parse().expect("a valid address")),
                    },
                },
                "[#6] BOLT 8 handshake started with \
                 duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion:9735 via proxy 127.0.0.1:9050"
                    .to_string(),
            ),
            (
                Event::Refused {
                    remote: "127.0.0.1:9735".parse().expect("a valid address"),
                    reason: RefuseReason::TooManyConnections(8),
                },
                "[listen] connection from 127.0.0.1:9735 refused: too many connections \
                 (8, the --max-connections limit)"
                    .to_string(),
            ),
        ];
        for (event, expected) in cases {
            assert_eq!(render(&event), expected);
        }
    }
}
