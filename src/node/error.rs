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
use lightning::ln::types::ChannelId;

use crate::events::Endpoint;
use crate::wire::address::PeerAddress;

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
    /// The port is a number, but past 65535.
    #[error("cannot listen on {spec:?}: port {port} is out of range: a port is a number from 0 to 65535 (0 picks a free one)")]
    PortOutOfRange {
        /// What the user typed.
        spec: String,
        /// The port part of it.
        port: String,
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

/// Why `connect` failed, step by step: resolve, TCP (or the proxy), BOLT 8 and `init`.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The node id is our own.
    #[error("that is this node's own id; start a second shell (with its own --data-dir and --listen) and connect to its id")]
    OwnId,
    /// We already have a connection to that node.
    #[error("already connected to {node_id} (at {}); `disconnect` it first to reconnect", endpoint_text(.at))]
    AlreadyConnected {
        /// The peer.
        node_id: PublicKey,
        /// Where the connection goes, if the registry knows (boxed: it is large, and
        /// every node error would carry its size).
        at: Option<Box<Endpoint>>,
    },
    /// An onion address, and no proxy to reach it through.
    #[error(
        "{address} is a Tor onion service: it has no IP address, so only Tor can reach it. Start lnshell \
         with --proxy 127.0.0.1:9050 (or LNSHELL_PROXY=127.0.0.1:9050), the SOCKS5 port of a Tor running on \
         this machine: `apt-get install tor` starts one (its torrc says `SocksPort 9050`), or run `tor` in \
         another terminal. Without Tor, `socks5 {address}` shows what lnshell would send it"
    )]
    OnionNeedsProxy {
        /// The onion address.
        address: PeerAddress,
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
    /// A DNS name resolved, and TCP failed to every address it resolved to.
    #[error("{host} resolves to {}, and TCP failed to each: {}", count(.attempts.len(), "address", "addresses"), attempts_text(.attempts))]
    EveryAddressFailed {
        /// The name and port, as typed.
        host: String,
        /// Each address tried, in order, and why it failed.
        attempts: Vec<TcpAttempt>,
    },
    /// The SOCKS5 proxy did not give us a stream to the peer.
    #[error(transparent)]
    Proxy(#[from] ProxyError),
    /// The connected socket could not be handed to LDK.
    #[error("socket error: {0}")]
    Socket(#[source] std::io::Error),
    /// The connection ended during the handshake, and LDK's log says why.
    #[error("handshake failed: the connection to {remote} ended before the BOLT 8 handshake and init were done: {why}")]
    HandshakeEnded {
        /// Where it went.
        remote: Endpoint,
        /// LDK's words, from its log.
        why: String,
    },
    /// The peer closed the connection during the handshake, without a word.
    #[error(
        "handshake failed: {remote} closed the connection before the BOLT 8 handshake and init were done. \
         Most likely {node_id} is not the node id of the node at {} (BOLT 8 act one is encrypted to that key, \
         so the wrong node cannot answer it), or it rejected our init.",
        .remote.address
    )]
    HandshakeClosed {
        /// Where it went (boxed, as in `AlreadyConnected`).
        remote: Box<Endpoint>,
        /// The node id we expected there.
        node_id: PublicKey,
    },
    /// The handshake got through (act two came back: the node id is right), and the
    /// peer closed before its `init` reached us, without a word in LDK's log.
    #[error(
        "handshake failed after act two: {node_id} is the node at {} (its act two came back, and only the owner \
         of that key can write it), but it closed the connection before its init reached us. The likely \
         reasons are init's rules (BOLT 1): it is on another network (it found no chain of its own in our init's \
         `networks`, which lists {network}'s chain hash: its log says \"Peer does not support any of our supported \
         chains\" and its `info` shows its network), or one of the two requires features the other lacks (its \
         log: \"requires features unknown to us\" or \"We require features unknown to our peer\")",
        .remote.address
    )]
    ClosedAfterHandshake {
        /// Where it went (boxed, as in `AlreadyConnected`).
        remote: Box<Endpoint>,
        /// The node id we expected there, and found.
        node_id: PublicKey,
        /// Our network.
        network: bitcoin::Network,
    },
    /// TCP connected, but the handshake did not finish in time.
    #[error(
        "timed out after {}s: TCP to {remote} connected but the BOLT 8 handshake and init did not finish \
         (is that a lightning node? a netcat-only service never answers act one)",
        .timeout.as_secs()
    )]
    HandshakeTimeout {
        /// Where it went.
        remote: Endpoint,
        /// How long we waited, in all.
        timeout: Duration,
    },
}

fn endpoint_text(at: &Option<Box<Endpoint>>) -> String {
    at.as_ref()
        .map(|a| a.to_string())
        .unwrap_or_else(|| "an unknown address".into())
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn attempts_text(attempts: &[TcpAttempt]) -> String {
    let each: Vec<String> = attempts.iter().map(|a| a.to_string()).collect();
    each.join("; ")
}

/// One address a DNS name resolved to, tried and failed.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{remote}: {failure}")]
pub struct TcpAttempt {
    /// The address tried.
    pub remote: SocketAddr,
    /// Why TCP failed there.
    pub failure: TcpFailure,
}

/// Why one TCP connection attempt failed.
#[derive(Clone, Debug, thiserror::Error)]
pub enum TcpFailure {
    /// Nothing answered before the deadline.
    #[error("timed out (nothing answered)")]
    Timeout,
    /// Refused: nothing listens there.
    #[error("connection refused (nothing is listening there)")]
    Refused,
    /// Any other error (shared, since an `io::Error` cannot be cloned).
    #[error("{0}")]
    Other(std::sync::Arc<std::io::Error>),
}

/// Why the SOCKS5 proxy (`--proxy`) gave us no stream: each step of RFC 1928 that can
/// fail, and every reply code in words.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// Nothing listens at the proxy's address.
    #[error(
        "the proxy at {proxy} refused the connection: nothing listens there. Is Tor running? \
         (`apt-get install tor` starts it with `SocksPort 9050`; or run `tor` in another terminal)"
    )]
    Down {
        /// The proxy.
        proxy: SocketAddr,
    },
    /// The proxy did not take TCP in time.
    #[error("timed out after {}s opening TCP to the proxy at {proxy}", .timeout.as_secs())]
    Timeout {
        /// The proxy.
        proxy: SocketAddr,
        /// How long we waited.
        timeout: Duration,
    },
    /// TCP to the proxy failed for another reason.
    #[error("cannot reach the proxy at {proxy}: {source}")]
    Unreachable {
        /// The proxy.
        proxy: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// Something answered, but not in SOCKS5.
    #[error(
        "{proxy} is not a SOCKS5 proxy: its answer starts with byte {first:#04x}, where SOCKS5's starts \
         with 0x05 (is that Tor's SocksPort, 9050, and not its ControlPort, 9051, or a lightning node?)"
    )]
    NotSocks5 {
        /// The proxy.
        proxy: SocketAddr,
        /// The first byte of its answer.
        first: u8,
    },
    /// The proxy hung up mid-handshake.
    #[error("the proxy at {proxy} closed the connection without answering our SOCKS5 {step}")]
    Closed {
        /// The proxy.
        proxy: SocketAddr,
        /// What it did not answer: `greeting`, `username/password`, `CONNECT request`.
        step: &'static str,
    },
    /// The proxy takes neither of the methods we offer.
    #[error(
        "the proxy at {proxy} accepts neither of the authentication methods lnshell offers \
         (0x00 none, 0x02 username/password): it answered 0xff, no acceptable method"
    )]
    NoAcceptableAuth {
        /// The proxy.
        proxy: SocketAddr,
    },
    /// The proxy refused our username and password.
    #[error("the proxy at {proxy} refused our username/password (RFC 1929 status {status:#04x}, not 0x00)")]
    AuthRejected {
        /// The proxy.
        proxy: SocketAddr,
        /// Its status byte.
        status: u8,
    },
    /// The proxy answered the CONNECT request with an error code.
    #[error("the proxy at {proxy} could not open a stream to {target}: SOCKS5 reply {:#04x}, {reply}", .reply.code())]
    Reply {
        /// The proxy.
        proxy: SocketAddr,
        /// Where we asked it to go.
        target: PeerAddress,
        /// Its reply code.
        reply: SocksReply,
    },
    /// The SOCKS5 exchange did not finish in time.
    #[error(
        "timed out after {}s waiting for the proxy at {proxy} to reach {target} (Tor builds a circuit first, \
         and an onion service needs six hops: the first connection after Tor starts can take a minute)",
        .timeout.as_secs()
    )]
    HandshakeTimeout {
        /// The proxy.
        proxy: SocketAddr,
        /// Where we asked it to go.
        target: PeerAddress,
        /// How long we waited, in all.
        timeout: Duration,
    },
    /// Any other break of the SOCKS5 protocol, in the SOCKS5 client's words.
    #[error("the SOCKS5 exchange with {proxy} failed: {what}")]
    Protocol {
        /// The proxy.
        proxy: SocketAddr,
        /// The client library's words.
        what: String,
    },
}

/// A SOCKS5 reply code other than 0x00 (succeeded): RFC 1928's eight, and the
/// onion-service codes Tor adds when its SocksPort has the `ExtendedErrors` flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocksReply {
    /// 0x01
    GeneralFailure,
    /// 0x02
    NotAllowed,
    /// 0x03
    NetworkUnreachable,
    /// 0x04
    HostUnreachable,
    /// 0x05
    ConnectionRefused,
    /// 0x06
    TtlExpired,
    /// 0x07
    CommandNotSupported,
    /// 0x08
    AddressTypeNotSupported,
    /// 0xF0 (Tor)
    OnionNotFound,
    /// 0xF1 (Tor)
    OnionDescriptorInvalid,
    /// 0xF2 (Tor)
    OnionIntroFailed,
    /// 0xF3 (Tor)
    OnionRendezvousFailed,
    /// 0xF4 (Tor)
    OnionAuthMissing,
    /// 0xF5 (Tor)
    OnionAuthWrong,
    /// 0xF6 (Tor)
    OnionAddressInvalid,
    /// 0xF7 (Tor)
    OnionIntroTimedOut,
    /// A code neither RFC 1928 nor Tor defines.
    Unknown(u8),
}

impl SocksReply {
    /// The reply for a code; `None` for 0x00, which means success.
    pub fn from_code(code: u8) -> Option<SocksReply> {
        use SocksReply::*;
        Some(match code {
            0x00 => return None,
            0x01 => GeneralFailure,
            0x02 => NotAllowed,
            0x03 => NetworkUnreachable,
            0x04 => HostUnreachable,
            0x05 => ConnectionRefused,
            0x06 => TtlExpired,
            0x07 => CommandNotSupported,
            0x08 => AddressTypeNotSupported,
            0xf0 => OnionNotFound,
            0xf1 => OnionDescriptorInvalid,
            0xf2 => OnionIntroFailed,
            0xf3 => OnionRendezvousFailed,
            0xf4 => OnionAuthMissing,
            0xf5 => OnionAuthWrong,
            0xf6 => OnionAddressInvalid,
            0xf7 => OnionIntroTimedOut,
            other => Unknown(other),
        })
    }

    /// The code on the wire.
    pub fn code(self) -> u8 {
        use SocksReply::*;
        match self {
            GeneralFailure => 0x01,
            NotAllowed => 0x02,
            NetworkUnreachable => 0x03,
            HostUnreachable => 0x04,
            ConnectionRefused => 0x05,
            TtlExpired => 0x06,
            CommandNotSupported => 0x07,
            AddressTypeNotSupported => 0x08,
            OnionNotFound => 0xf0,
            OnionDescriptorInvalid => 0xf1,
            OnionIntroFailed => 0xf2,
            OnionRendezvousFailed => 0xf3,
            OnionAuthMissing => 0xf4,
            OnionAuthWrong => 0xf5,
            OnionAddressInvalid => 0xf6,
            OnionIntroTimedOut => 0xf7,
            Unknown(c) => c,
        }
    }
}

/// The RFC's (or Tor's) name for the code, then what it usually means.
impl fmt::Display for SocksReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SocksReply::*;
        f.write_str(match self {
            GeneralFailure => "general SOCKS server failure (Tor says this when it could not reach the \
                               destination: the onion service or node is offline, or the name is wrong)",
            NotAllowed => "connection not allowed by ruleset (the proxy's policy forbids this destination)",
            NetworkUnreachable => "network unreachable (the proxy has no route to that network)",
            HostUnreachable => "host unreachable (the proxy could not reach the host or onion service: it may be offline)",
            ConnectionRefused => "connection refused (the host answered, but nothing listens on that port)",
            TtlExpired => "TTL expired (the destination did not answer in time: Tor gives this when a circuit times out)",
            CommandNotSupported => "command not supported (the proxy does not do CONNECT)",
            AddressTypeNotSupported => "address type not supported (the proxy does not take this kind of address; \
                                        a domain name needs a proxy that resolves names itself, as Tor does)",
            OnionNotFound => "onion service descriptor can not be found (Tor: the service is not published: \
                              it is offline, or the name is wrong)",
            OnionDescriptorInvalid => "onion service descriptor is invalid (Tor could not read what the service published)",
            OnionIntroFailed => "onion service introduction failed (Tor reached none of the service's introduction points)",
            OnionRendezvousFailed => "onion service rendezvous failed (the service did not meet Tor at the rendezvous point)",
            OnionAuthMissing => "onion service missing client authorization (this service admits only authorized clients)",
            OnionAuthWrong => "onion service wrong client authorization (Tor's client key for this service is not accepted)",
            OnionAddressInvalid => "onion service address is invalid (Tor could not read the onion name)",
            OnionIntroTimedOut => "onion service introduction timed out (the service did not answer Tor in time)",
            Unknown(_) => "a reply code neither RFC 1928 nor Tor defines",
        })
    }
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
    /// LDK would not even start the open (its words, then what they mean, in the
    /// words `respond` uses for the same rule).
    #[error(
        "LDK refused to open the channel: {ldk}\nin other words: {}",
        super::responder::explain_refusal(&.0.to_string()),
        ldk = .0
    )]
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
    /// Whether it got as far as a funding transaction (LDK's `channel_funding_txo`):
    /// one that did not never opened, whatever LDK's reason calls it.
    pub funded: bool,
}

/// The one wording of LDK's `ChannelClosed` (the printer adds `[ldk] `).
impl fmt::Display for ClosedChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChannelClosed: channel {}", self.channel_id)?;
        if let Some(n) = &self.counterparty_node_id {
            write!(f, " with {n}")?;
        }
        match &self.reason {
            // LDK words every `error` from the peer as a force-close, even one that
            // answers open_channel, when there is nothing on chain to close.
            ClosureReason::CounterpartyForceClosed { peer_msg } if !self.funded => write!(
                f,
                ": the channel never opened: the peer answered with an error before there was a \
                 funding transaction, so nothing was force-closed (LDK words any error from the peer as \
                 \"counterparty force-closed\").\nthe peer's words: {peer_msg}\nin other words: {}",
                super::responder::explain_ldk_error(&peer_msg.0)
            ),
            ClosureReason::DisconnectedPeer if !self.funded => write!(
                f,
                ": the channel never opened: the peer went away before there was a funding \
                 transaction, and LDK forgets a channel that was only being negotiated (LDK: \"{}\")",
                self.reason
            ),
            reason => write!(f, ": {reason}"),
        }
    }
}
