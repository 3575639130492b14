//! Why a node operation failed, as data, with the words a learner reads.
//!
//! Each operation has its own error type, and each variant carries what went wrong
//! as typed values (the address we tried, the node id, the OS error), so a caller
//! can react to a case (`ConnectError::AlreadyConnected`) without matching on
//! text, and a test can check the case and not the wording. The wording still
//! matters, because a learner reads it: each message says what happened *and what
//! to do about it*, and it is written once, in the `#[error]` attribute next to
//! the case it describes.
//!
//! LDK's own errors (`APIError`) are turned into [`LdkApiError`] at the border, so
//! nothing above the node has to know LDK's error type.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use bitcoin::secp256k1::PublicKey;
use lightning::events::ClosureReason;
use lightning::ln::msgs::SocketAddress;
use lightning::ln::types::ChannelId;

use super::keys::KeyError;

/// Why a node operation failed. Every message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// The node secret could not be loaded or created, or LDK could not use it.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A listener could not be started or stopped.
    #[error(transparent)]
    Listen(#[from] ListenError),
    /// `connect` failed.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// `disconnect` found nothing to disconnect.
    #[error(transparent)]
    Disconnect(#[from] DisconnectError),
    /// A channel operation failed.
    #[error(transparent)]
    Channel(#[from] ChannelError),
}

/// Why `listen` or `listen stop` failed.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    /// The argument is neither a port nor an address, and does not resolve.
    #[error("cannot listen on {spec:?}: {source}. Give a port (9736) or an address with a port (127.0.0.1:9736)")]
    Resolve {
        /// What the user typed.
        spec: String,
        /// The resolver's error.
        source: std::io::Error,
    },
    /// The argument resolves, but to no address at all.
    #[error("{spec:?} resolves to no address")]
    NoAddress {
        /// What the user typed.
        spec: String,
    },
    /// This node already listens there.
    #[error("already listening on {addr}")]
    AlreadyListening {
        /// The address.
        addr: SocketAddr,
    },
    /// Someone else listens there.
    #[error(
        "cannot listen on {addr}: the port is already in use (another lnshell, or a lightning node?). \
         Try another port, e.g. `listen {}`",
        next_port(.addr)
    )]
    AddrInUse {
        /// The address.
        addr: SocketAddr,
    },
    /// The OS does not let us (a privileged port).
    #[error("cannot listen on {addr}: permission denied (ports below 1024 need root). Try `listen 9735`")]
    PermissionDenied {
        /// The address.
        addr: SocketAddr,
    },
    /// The IP address is not one of this machine's.
    #[error("cannot listen on {addr}: that address is not on this machine. Try 127.0.0.1")]
    AddrNotAvailable {
        /// The address.
        addr: SocketAddr,
    },
    /// Any other reason the OS refused to bind.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// `listen stop` named an address we do not listen on.
    #[error("not listening on {spec}; listening on: {}", addr_list(.listening))]
    NotListening {
        /// What the user typed.
        spec: String,
        /// Where we do listen.
        listening: Vec<SocketAddr>,
    },
}

impl ListenError {
    /// The error for a failed bind of `addr`, by what the OS said.
    pub fn bind(addr: SocketAddr, e: std::io::Error) -> ListenError {
        match e.kind() {
            std::io::ErrorKind::AddrInUse => ListenError::AddrInUse { addr },
            std::io::ErrorKind::PermissionDenied => ListenError::PermissionDenied { addr },
            std::io::ErrorKind::AddrNotAvailable => ListenError::AddrNotAvailable { addr },
            _ => ListenError::Bind { addr, source: e },
        }
    }
}

/// The port to suggest instead of a busy one: the next, and never a privileged one.
fn next_port(addr: &SocketAddr) -> u16 {
    addr.port().wrapping_add(1).max(1024)
}

fn addr_list(addrs: &[SocketAddr]) -> String {
    if addrs.is_empty() {
        "nothing".to_string()
    } else {
        let list: Vec<String> = addrs.iter().map(|a| a.to_string()).collect();
        list.join(", ")
    }
}

/// Why `connect` failed, step by step: resolve, TCP, BOLT 8 and `init`.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The node id is our own.
    #[error("that is this node's own id; start a second shell (with its own --data-dir and --listen) and connect to its id")]
    OwnId,
    /// We already have a connection to that node.
    #[error("already connected to {node_id} (at {}); `disconnect` it first to reconnect", address_text(.at))]
    AlreadyConnected {
        /// The peer.
        node_id: PublicKey,
        /// Where LDK says it is connected, if it knows.
        at: Option<SocketAddress>,
    },
    /// The host name does not resolve.
    #[error("cannot resolve {addr:?}: {source}")]
    Resolve {
        /// What the user typed.
        addr: String,
        /// The resolver's error.
        source: std::io::Error,
    },
    /// The host name resolves to nothing.
    #[error("{addr:?} resolves to no address")]
    NoAddress {
        /// What the user typed.
        addr: String,
    },
    /// TCP did not connect in time.
    #[error("timed out after {}s opening TCP to {remote}: nothing answered (a firewall, or a host that is down)", .timeout.as_secs())]
    TcpTimeout {
        /// The address.
        remote: SocketAddr,
        /// How long we waited.
        timeout: Duration,
    },
    /// TCP was refused: nothing listens there.
    #[error("connection refused by {remote}: nothing is listening there (is the other shell running, with `listen`?)")]
    Refused {
        /// The address.
        remote: SocketAddr,
    },
    /// TCP failed for another reason.
    #[error("cannot reach {remote}: {source}")]
    Unreachable {
        /// The address.
        remote: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The connected socket could not be handed to LDK.
    #[error("socket error: {0}")]
    Socket(#[source] std::io::Error),
    /// The connection ended during the handshake, and LDK's log says why.
    #[error("handshake failed: the connection to {remote} ended before the BOLT 8 handshake and init were done: {why}")]
    HandshakeEnded {
        /// The address.
        remote: SocketAddr,
        /// LDK's words, from its log.
        why: String,
    },
    /// The peer closed the connection during the handshake, without a word.
    #[error(
        "handshake failed: {remote} closed the connection before the BOLT 8 handshake and init were done. \
         Most likely {node_id} is not the node id of the node at {remote} (BOLT 8 act one is encrypted to that key, \
         so the wrong node cannot answer it), or it rejected our init."
    )]
    HandshakeClosed {
        /// The address.
        remote: SocketAddr,
        /// The node id we expected there.
        node_id: PublicKey,
    },
    /// TCP connected, but the handshake did not finish in time.
    #[error(
        "timed out after {}s: TCP to {remote} connected but the BOLT 8 handshake and init did not finish \
         (is that a lightning node? a netcat-only service never answers act one)",
        .timeout.as_secs()
    )]
    HandshakeTimeout {
        /// The address.
        remote: SocketAddr,
        /// How long we waited, in all.
        timeout: Duration,
    },
}

fn address_text(at: &Option<SocketAddress>) -> String {
    at.as_ref()
        .map(|a| a.to_string())
        .unwrap_or_else(|| "an unknown address".into())
}

/// Why `disconnect` did nothing.
#[derive(Debug, thiserror::Error)]
pub enum DisconnectError {
    /// No live connection has that id.
    #[error("no connection #{id}; `peers` lists the live ones")]
    NoConnection {
        /// The id asked for.
        id: u64,
    },
    /// No lightning peer has that node id.
    #[error("not connected to {node_id}; `peers` lists the live connections")]
    NotConnected {
        /// The node id asked for.
        node_id: PublicKey,
    },
}

/// Why a channel operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    /// `openchannel` to a peer we have no connection to.
    #[error("not connected to {peer}: `connect` to it first (`peers` lists connections)")]
    NotConnected {
        /// The peer.
        peer: PublicKey,
    },
    /// LDK would not even start the open.
    #[error("LDK refused to open the channel: {0}")]
    OpenRefused(LdkApiError),
    /// The open started, and LDK reported it failed (its event, as data; boxed,
    /// because LDK's `ClosureReason` is large and every node error would carry it).
    #[error(transparent)]
    OpenFailed(Box<OpenFailure>),
    /// The node shut down while we waited.
    #[error("the node stopped while the channel was opening")]
    Stopped,
    /// The open started, but the peer did not get it to pending in time.
    #[error(
        "open_channel {temporary_channel_id} sent, but the channel is not pending after {}s: \
         the peer has not answered (`trace on` shows the messages; `channels` its state)",
        .timeout.as_secs()
    )]
    OpenTimeout {
        /// The channel's id until funding.
        temporary_channel_id: ChannelId,
        /// How long we waited.
        timeout: Duration,
    },
    /// `keysend` to a peer with no usable channel.
    #[error(
        "no usable channel with {peer}: a channel is usable once its funding is confirmed \
         (`mine 6`) and both sides sent channel_ready (`channels` shows its state)"
    )]
    NoUsableChannel {
        /// The peer.
        peer: PublicKey,
    },
    /// LDK would not send the payment.
    #[error("LDK refused to send the payment: {reason} (the amount must fit what the channel can send: `channels`)")]
    PaymentRefused {
        /// LDK's reason.
        reason: String,
    },
    /// No channel id starts with what the user gave.
    #[error("no channel {id}; `channels` lists them")]
    NoChannel {
        /// The id (or prefix) asked for, lowercased.
        id: String,
    },
    /// Several channel ids start with what the user gave.
    #[error("{id} matches {matches} channels; give more of the id")]
    Ambiguous {
        /// The id prefix asked for, lowercased.
        id: String,
        /// How many channels it matches.
        matches: usize,
    },
    /// LDK refused a close.
    #[error("{0}")]
    Ldk(LdkApiError),
}

/// Why an open we started ended before the channel was pending: what LDK's event
/// loop told the waiting `openchannel`. The words are LDK's events' own, as the
/// printer shows them (without its `[ldk] ` prefix), so the answer to
/// `openchannel` and the event line read alike.
#[derive(Debug, thiserror::Error)]
pub enum OpenFailure {
    /// LDK closed the channel (the peer sent an `error`, or went away).
    #[error("{0}")]
    Closed(ClosedChannel),
    /// LDK refused the funding transaction the node built for it. LDK's error is
    /// kept whole (`Debug`, as LDK prints it), since the printer shows this same
    /// happening from [`Event::FundingRefused`](crate::events::Event).
    #[error("LDK refused the funding transaction: {error:?}")]
    FundingRefused {
        /// LDK's error.
        error: lightning::util::errors::APIError,
    },
}

/// LDK's `APIError`, in our terms: each case carries LDK's words.
#[derive(Debug, thiserror::Error)]
pub enum LdkApiError {
    /// We called LDK wrongly (LDK's `APIMisuseError`).
    #[error("{0}")]
    Misuse(String),
    /// The feerate is above what LDK accepts.
    #[error("{0}")]
    FeeRateTooHigh(String),
    /// A route LDK cannot use.
    #[error("{0}")]
    InvalidRoute(String),
    /// The channel cannot do that now (closing, not connected, unknown).
    #[error("{0}")]
    ChannelUnavailable(String),
    /// Anything else, as LDK prints it.
    #[error("{0}")]
    Other(String),
}

impl From<lightning::util::errors::APIError> for LdkApiError {
    fn from(e: lightning::util::errors::APIError) -> LdkApiError {
        use lightning::util::errors::APIError as E;
        match e {
            E::APIMisuseError { err } => LdkApiError::Misuse(err),
            E::FeeRateTooHigh { err, .. } => LdkApiError::FeeRateTooHigh(err),
            E::InvalidRoute { err } => LdkApiError::InvalidRoute(err),
            E::ChannelUnavailable { err } => LdkApiError::ChannelUnavailable(err),
            other => LdkApiError::Other(format!("{other:?}")),
        }
    }
}

/// LDK's `ChannelClosed`: a channel (perhaps one never funded) is gone, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedChannel {
    /// The channel.
    pub channel_id: ChannelId,
    /// The peer it was with, when LDK knows.
    pub counterparty_node_id: Option<PublicKey>,
    /// LDK's reason, which words itself (`Display`).
    pub reason: ClosureReason,
}

/// The one wording of LDK's `ChannelClosed` (the printer adds `[ldk] `).
impl fmt::Display for ClosedChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChannelClosed: channel {}", self.channel_id)?;
        if let Some(n) = &self.counterparty_node_id {
            write!(f, " with {n}")?;
        }
        write!(f, ": {}", self.reason)
    }
}
