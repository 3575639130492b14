//! Events: the one road from background tasks to the screen.
//!
//! Listeners, netcat sessions and LDK callbacks run on tokio tasks while the user
//! types at the prompt. None of them prints: each sends a typed [`Event`] down one
//! channel, and a single printer (see [`crate::repl::printer`]) writes it out,
//! through rustyline's external printer when a prompt is on screen, so background
//! output never garbles what the user is typing.
//!
//! Events are data, not sentences. A variant says what happened and carries the
//! values (a channel id, LDK's own `ClosureReason`, the decoded message), so code
//! that reacts to an event (the lessons notice a pending channel) matches on a
//! variant instead of searching text, and the words can change in one place, the
//! printer, without breaking anyone. This module holds only the types and the
//! bounded channel; it knows nothing of how events look on screen. (Where the
//! node also tells a happening to someone else, it writes those words and the
//! printer reuses them: a netcat answer to its client, a pending or closed channel
//! to the waiting `openchannel`; see `node::channels`.)

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bitcoin::secp256k1::PublicKey;
use bitcoin::{OutPoint, Txid};
use lightning::events::{ClosureReason, Event as LdkEvent};
use lightning::ln::types::ChannelId;
use lightning::util::errors::APIError;
use tokio::sync::mpsc;

/// Who put a transaction in the shell's chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxOrigin {
    /// The shell's node broadcast it.
    Node,
    /// Netcat session `#id`'s side ("your side") broadcast it.
    Session(u64),
    /// The user pasted it (`confirm`).
    Pasted,
}

/// Which side opened a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// The remote side connected to one of our listeners.
    Inbound,
    /// We connected to the remote side (`connect`).
    Outbound,
}

impl Direction {
    /// The short form used in tables and JSON: `in` or `out`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "in",
            Direction::Outbound => "out",
        }
    }
}

/// Where a lightning connection goes: the address, and the SOCKS5 proxy it went
/// through, if any.
///
/// For an inbound connection the address is the socket's. For an outbound one it is
/// the address the learner gave `connect` (an onion name, a DNS name sent to the
/// proxy) or, without a proxy, the IP address TCP reached: with a proxy, the socket's
/// own remote address is only the proxy's, the same for every proxied connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Where the peer is.
    pub address: crate::wire::address::PeerAddress,
    /// The SOCKS5 proxy the connection went through (`--proxy`).
    pub proxy: Option<SocketAddr>,
}

impl Endpoint {
    /// A connection straight to (or from) `addr`, no proxy.
    pub fn direct(addr: SocketAddr) -> Endpoint {
        Endpoint {
            address: crate::wire::address::PeerAddress::Ip(addr),
            proxy: None,
        }
    }

    /// `proxy 127.0.0.1:9050` for a proxied connection (the `via` of `peers --json`).
    pub fn via(&self) -> Option<String> {
        self.proxy.map(|p| format!("proxy {p}"))
    }
}

/// `[::1]:9736`, or `<onion>.onion:9735 via proxy 127.0.0.1:9050`.
impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.address)?;
        match self.via() {
            Some(via) => write!(f, " via {via}"),
            None => Ok(()),
        }
    }
}

/// What a netcat session answered to a line, besides its one-line summary: what a
/// node would send back for that message, so the learner gets real messages to
/// decode. The words the client reads (and the shell repeats after `answered:`)
/// are written by the session, `node::netcat` (`impl Display`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetcatAnswer {
    /// BOLT 1: a `ping` is answered with a `pong` of `num_pong_bytes` zero bytes.
    Pong {
        /// The `pong` as on the wire: type || payload.
        message: Vec<u8>,
    },
    /// A `ping` with `num_pong_bytes` of 65532 or more, which BOLT 1 says to ignore.
    NoPong {
        /// What the `ping` asked for.
        num_pong_bytes: u64,
    },
    /// LDK's `ChannelManager` would accept this `open_channel`.
    LdkAccepts {
        /// Its `accept_channel`, as on the wire.
        accept_channel: Vec<u8>,
    },
    /// LDK's `ChannelManager` would refuse this `open_channel`.
    LdkRefuses {
        /// LDK's words (the `data` of its `error`): free text, as LDK writes it, so
        /// a `String`.
        reason: String,
        /// The `error` (or `warning`) it would send, as on the wire, if any.
        message: Option<Vec<u8>>,
    },
    /// LDK's `ChannelManager` would send nothing we recognise.
    LdkSilent,
}

/// What ended a netcat session.
#[derive(Clone, Debug)]
pub enum NetcatCloseReason {
    /// Writing to the client failed: it is gone.
    ClientWentAway,
    /// Writing an answer failed or timed out: the client is gone, or has stopped
    /// reading (it cannot make us buffer answers without limit either).
    ClientWentAwayOrStoppedReading,
    /// The client closed its side of the connection.
    ClientClosed,
    /// The shell's `disconnect` closed it.
    DisconnectedByShell,
    /// The node's LDK asked to disconnect the session's peer (after an `error`
    /// or `warning`), as it would close a BOLT 8 connection.
    DisconnectedByNode,
    /// Nothing arrived for this long (`--idle-timeout`).
    IdleTimeout(Duration),
    /// A line was longer than this many bytes (`--max-line`).
    LineTooLong(usize),
    /// This many lines of binary data in a row: not a person typing hex.
    BinaryLines(u32),
    /// Reading from the socket failed (shared, since an `io::Error` cannot be
    /// cloned).
    ReadError(Arc<io::Error>),
}

/// Why the listener turned a connection away before any protocol ran. Worded by
/// `node::listener` (`impl Display`), which also says it to the refused client.
#[derive(Clone, Debug)]
pub enum RefuseReason {
    /// The listener already serves this many connections (`--max-connections`).
    TooManyConnections(usize),
    /// The accepted socket could not be handed to lightning-net-tokio.
    SocketError(Arc<io::Error>),
}

/// Why LDK's `ChannelManager` refused a peer's connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeerRefusal {
    /// Its `init` lacks `option_static_remotekey` (bits 12/13), which LDK requires
    /// of every peer it might have a channel with.
    NoStaticRemoteKey,
    /// Some other reason, which only LDK's log (`log` in the shell) says: LDK's
    /// `peer_connected` answers with `Err(())` and no more.
    InLog,
}

/// Something that happened in the background and that the user should see.
#[derive(Clone, Debug)]
pub enum Event {
    /// A listener gave up because accepting kept failing.
    ListenerFailed {
        /// The address it was bound to.
        addr: SocketAddr,
        /// The last of the `accept` errors it gave up after (shared, since an
        /// `io::Error` cannot be cloned).
        error: Arc<io::Error>,
    },
    /// A plaintext (netcat) client connected.
    NetcatConnected {
        /// Connection id (`#n` in `peers`).
        id: u64,
        /// The client's address.
        remote: SocketAddr,
    },
    /// A netcat client sent a line and we decoded it.
    NetcatLine {
        /// Connection id.
        id: u64,
        /// The decode.
        decoded: Box<crate::wire::Decoded>,
        /// What we sent back besides the summary (a pong, LDK's answer).
        answer: Option<NetcatAnswer>,
    },
    /// The node sent a message to netcat session `id`'s peer (its side).
    NetcatNodeSent {
        /// Connection id.
        id: u64,
        /// The message (type || payload).
        message: Vec<u8>,
    },
    /// A netcat client went away or was disconnected.
    NetcatClosed {
        /// Connection id.
        id: u64,
        /// What ended it.
        reason: NetcatCloseReason,
    },
    /// A BOLT 8 connection began (before the handshake is done).
    LightningConnecting {
        /// Connection id.
        id: u64,
        /// Which side opened it.
        direction: Direction,
        /// Where it goes (and through which proxy).
        remote: Endpoint,
    },
    /// A lightning peer finished the BOLT 8 handshake and the `init` exchange.
    PeerConnected {
        /// The peer's node id.
        node_id: PublicKey,
        /// Which side opened the connection.
        direction: Direction,
        /// The features of their `init`, by BOLT 9 name.
        features: Vec<String>,
        /// A waiting command reports this itself (`connect` is told it and prints
        /// it), so the printer does not say it a second time.
        answered: bool,
    },
    /// A lightning peer that had finished `init` disconnected.
    PeerDisconnected {
        /// The peer's node id.
        node_id: PublicKey,
        /// Why, when LDK's log says: LDK's callback gives no reason, so the node
        /// finds the record LDK logged and explains it in words (see
        /// `node::logger`). It is LDK's free text, quoted, so a `String`.
        reason: Option<String>,
    },
    /// A BOLT 8 connection closed before the handshake and `init` were done.
    LightningClosed {
        /// Connection id.
        id: u64,
        /// Where it went (and through which proxy).
        remote: Endpoint,
        /// Why, when LDK's log says (as for [`Event::PeerDisconnected`], LDK's
        /// free text, explained); `None` when it says nothing, and the printer
        /// lists the usual causes.
        reason: Option<String>,
    },
    /// A lightning message went in or out (shown when `trace` is on).
    Message {
        /// In: they sent it; out: we did.
        direction: Direction,
        /// The peer.
        node_id: PublicKey,
        /// The message as on the wire: type || payload.
        bytes: Vec<u8>,
        /// Show the whole field table, not one line.
        full: bool,
        /// Draw it as an arrow between this node's lane and the peer's
        /// (`trace diagram`), not a line of text.
        arrow: bool,
    },
    // What LDK did or decided, shown with the `[ldk]` prefix. The first seven are
    // LDK's own events (`lightning::events::Event`), as the node handled them; the
    // fields keep LDK's names and types, so a reader can look each one up in LDK's
    // documentation.
    /// `FundingGenerationReady`: the peer accepted our `open_channel`, and the node
    /// built the funding transaction LDK asked for (its input is made up; LDK
    /// broadcasts it to the shell's chain after `funding_signed`).
    FundingBuilt {
        /// The peer the channel is with.
        counterparty_node_id: PublicKey,
        /// The funding transaction's id.
        txid: Txid,
        /// What it pays to the channel's 2-of-2 output.
        channel_value_satoshis: u64,
    },
    /// LDK refused the funding transaction the node built for it.
    FundingRefused {
        /// LDK's error.
        error: APIError,
        /// A waiting command reports this itself (`openchannel` is told it and prints
        /// it), so the printer does not say it a second time.
        answered: bool,
    },
    /// `ChannelPending`: funding is signed on both sides; the channel would be
    /// ready after confirmations (`mine 6`).
    ChannelPending {
        /// The channel's id, now derived from the funding outpoint.
        channel_id: ChannelId,
        /// The peer the channel is with.
        counterparty_node_id: PublicKey,
        /// The funding transaction's output the channel lives in.
        funding_txo: OutPoint,
        /// A waiting command reports this itself (`openchannel` is told it and prints
        /// it), so the printer does not say it a second time.
        answered: bool,
    },
    /// `ChannelReady`: the channel can carry payments.
    ChannelReady {
        /// The channel.
        channel_id: ChannelId,
        /// The peer the channel is with.
        counterparty_node_id: PublicKey,
    },
    /// `ChannelClosed`: a channel (perhaps one never funded) is gone.
    ChannelClosed {
        /// The channel.
        channel_id: ChannelId,
        /// The peer it was with, when LDK knows.
        counterparty_node_id: Option<PublicKey>,
        /// LDK's reason, as LDK's own type.
        reason: ClosureReason,
        /// Whether it got as far as a funding transaction (LDK's
        /// `channel_funding_txo`): one that did not never opened.
        funded: bool,
        /// A waiting command reports this itself (`openchannel` is told it and prints
        /// it), so the printer does not say it a second time.
        answered: bool,
    },
    /// `OpenChannelRequest`: a peer asks for a channel (seen only when the node is
    /// configured to accept channels by hand).
    OpenChannelRequest {
        /// The channel's id until it is funded.
        temporary_channel_id: ChannelId,
        /// The peer asking.
        counterparty_node_id: PublicKey,
        /// The channel's size.
        funding_satoshis: u64,
    },
    /// `DiscardFunding`: a funding transaction will never be used.
    DiscardFunding {
        /// The channel it was for.
        channel_id: ChannelId,
    },
    /// Any other LDK event, shown as LDK's `Debug` prints it (boxed: LDK's event
    /// enum is large, and this variant is rare).
    OtherLdkEvent(Box<LdkEvent>),
    /// LDK asked to broadcast a transaction where there is no chain to take it
    /// (the throwaway `ChannelManager` behind `respond`): it goes nowhere.
    WouldBroadcast {
        /// The transaction's id.
        txid: Txid,
        /// How many inputs it spends.
        inputs: usize,
        /// How many outputs it creates.
        outputs: usize,
    },
    /// A transaction went into the shell's chain's mempool (`node::regtest`):
    /// broadcast by the node or a netcat session's side, or pasted with `confirm`.
    Broadcast {
        /// The transaction's id.
        txid: Txid,
        /// Who sent it.
        origin: TxOrigin,
        /// The whole transaction, as hex (what `confirm` takes in another shell).
        tx_hex: String,
    },
    /// The mempool was full, so a broadcast transaction was dropped.
    MempoolFull {
        /// The transaction.
        txid: Txid,
    },
    /// LDK's `PaymentClaimed`: the node claimed a payment sent to it.
    PaymentReceived {
        /// Who paid (the channel's counterparty).
        counterparty_node_id: Option<PublicKey>,
        /// How much, in millisatoshi.
        amount_msat: u64,
        /// The payment hash.
        payment_hash: lightning::types::payment::PaymentHash,
    },
    /// LDK's `PaymentSent`: a payment the node made (`keysend`) was claimed.
    PaymentSent {
        /// The payment hash.
        payment_hash: lightning::types::payment::PaymentHash,
        /// Fees paid on the way, if LDK knows them.
        fee_paid_msat: Option<u64>,
    },
    /// LDK's `PaymentFailed`: a payment the node made did not get through.
    PaymentFailed {
        /// The payment hash, when there was one.
        payment_hash: Option<lightning::types::payment::PaymentHash>,
        /// LDK's reason.
        reason: Option<lightning::events::PaymentFailureReason>,
    },
    // The admission of inbound peers (see `node::admission`), also shown as `[ldk]`.
    /// LDK's `ChannelManager` refused a peer, so the connection is dropped.
    PeerRefused {
        /// The peer.
        node_id: PublicKey,
        /// Why, as far as the node can tell.
        reason: PeerRefusal,
    },
    /// The `ChannelManager` is full of peers without channels, so the node holds
    /// this inbound peer itself, as a guest.
    GuestHeld {
        /// The peer.
        node_id: PublicKey,
        /// How many guests there are now, this one included.
        guests: usize,
        /// How many peers without channels the `ChannelManager` keeps.
        peer_limit: usize,
    },
    /// A guest was handed to the `ChannelManager` (there was room again).
    GuestAdmitted {
        /// The peer.
        node_id: PublicKey,
    },
    /// A guest's `open_channel` was refused with an `error`: still no room.
    GuestRefused {
        /// The peer.
        node_id: PublicKey,
        /// How many peers without channels the `ChannelManager` keeps.
        peer_limit: usize,
    },
    /// A guest sent a channel message other than `open_channel`; it was dropped,
    /// since the `ChannelManager` keeps no state for a guest.
    GuestDropped {
        /// The peer.
        node_id: PublicKey,
        /// The message's name, as its `handle_<message>` method spells it (e.g.
        /// `funding_created`).
        message: &'static str,
    },
    /// A task of the node panicked (a bug): it was caught at the task's boundary, so
    /// only that task ended (see `node::contain`). Reported once.
    TaskPanicked {
        /// What the task was.
        task: PanickedTask,
        /// The panic's message and where it happened, as Rust reports them.
        message: String,
    },
    /// Events were dropped because the printer could not keep up.
    Dropped(u64),
    /// A connection was refused or dropped by us before any protocol ran.
    Refused {
        /// The remote address.
        remote: SocketAddr,
        /// Why.
        reason: RefuseReason,
    },
}

/// The task a caught panic ended (see [`Event::TaskPanicked`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanickedTask {
    /// Netcat session `#id` (its "your side" node included).
    Netcat(u64),
    /// Lightning connection `#id`; LDK is told to drop the peer.
    Lightning(u64),
    /// One of the node's background tasks (LDK's timer, its event loop, …).
    Background(&'static str),
}

/// How many events may wait for the printer before new ones are dropped. Each
/// waiting event holds memory (a decoded message, say); a printer that cannot keep
/// up must not let a flood of netcat lines grow the shell without bound.
pub const MAX_PENDING_EVENTS: usize = 10_000;

/// The sending half given to every background task. Cheap to clone.
#[derive(Clone, Debug)]
pub struct EventSender {
    tx: mpsc::UnboundedSender<Event>,
    counts: Arc<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    pending: AtomicUsize,
    dropped: AtomicU64,
}

/// Returned when an event was not queued (the printer is gone, or too far behind).
#[derive(Debug)]
pub struct NotSent;

impl EventSender {
    /// How many events wait for the printer now (at most [`MAX_PENDING_EVENTS`]).
    pub fn pending(&self) -> usize {
        self.counts.pending.load(Ordering::Relaxed)
    }

    /// Queues `event` for the printer, unless [`MAX_PENDING_EVENTS`] are waiting
    /// already (then it is counted as dropped, and the printer says how many).
    pub fn send(&self, event: Event) -> Result<(), NotSent> {
        if self.counts.pending.fetch_add(1, Ordering::AcqRel) >= MAX_PENDING_EVENTS {
            self.counts.pending.fetch_sub(1, Ordering::AcqRel);
            self.counts.dropped.fetch_add(1, Ordering::Relaxed);
            return Err(NotSent);
        }
        self.tx.send(event).map_err(|_| {
            self.counts.pending.fetch_sub(1, Ordering::AcqRel);
            NotSent
        })
    }
}

/// The receiving half, owned by the printer.
#[derive(Debug)]
pub struct EventReceiver {
    rx: mpsc::UnboundedReceiver<Event>,
    counts: Arc<Counts>,
}

impl EventReceiver {
    /// The next event (or a note of how many were dropped), blocking; `None` when
    /// every sender is gone. Not for async code.
    pub fn blocking_recv(&mut self) -> Option<Event> {
        let dropped = self.counts.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            return Some(Event::Dropped(dropped));
        }
        let ev = self.rx.blocking_recv()?;
        self.counts.pending.fetch_sub(1, Ordering::AcqRel);
        Some(ev)
    }

    /// The next event if one is waiting now.
    pub fn try_recv(&mut self) -> Option<Event> {
        let dropped = self.counts.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            return Some(Event::Dropped(dropped));
        }
        let ev = self.rx.try_recv().ok()?;
        self.counts.pending.fetch_sub(1, Ordering::AcqRel);
        Some(ev)
    }
}

/// A new event channel.
pub fn channel() -> (EventSender, EventReceiver) {
    let (tx, rx) = mpsc::unbounded_channel();
    let counts = Arc::new(Counts::default());
    (
        EventSender {
            tx,
            counts: Arc::clone(&counts),
        },
        EventReceiver { rx, counts },
    )
}
