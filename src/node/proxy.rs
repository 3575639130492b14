//! Reaching a peer through a SOCKS5 proxy: how a node gets to a Tor onion service.
//!
//! An onion name such as `2gzy…wid.onion` has no IP address: it is an ed25519
//! public key, and only the Tor network can find the service that holds it. A node
//! that wants one asks its local Tor client, over SOCKS5 (RFC 1928), to open a
//! stream there, then speaks BOLT 8 over that stream as over any TCP connection.
//! lightning-net-tokio has no Tor support of its own, and needs none: we open the
//! TCP connection to the proxy, finish the SOCKS5 exchange here (with the
//! `tokio-socks` crate), and hand the very same socket to `setup_outbound`.
//!
//! The exchange, which [`exchange`] lays out byte by byte for the `socks5` command:
//!
//! 1. greeting: we offer two authentication methods, none and username/password;
//! 2. username/password (RFC 1929): fresh random ones for every connection. Tor
//!    gives each different username/password its own circuit (`IsolateSOCKSAuth`,
//!    on by default), so two peers we connect to cannot be linked by sharing one:
//!    *stream isolation*, as Core Lightning does it;
//! 3. CONNECT: the destination goes as a *domain name* (address type 3), so this
//!    machine never resolves it (an onion name could not be resolved anyway, and
//!    with `--always-use-proxy` a DNS name must not leak to the local resolver);
//! 4. the proxy's reply: 0x00 means the stream is open; any other code is a reason
//!    ([`SocksReply`]), and Tor adds onion-service codes of its own.
//!
//! tokio-socks names the RFC's eight reply codes but not Tor's, and drops the code
//! it does not know. So the socket is wrapped in a [`Recorder`] that keeps the
//! proxy's (few) answer bytes, and the reason is read from them: every code gets
//! its words, and a proxy that is not a proxy at all is recognised by its first byte.

use std::borrow::Cow;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bitcoin::secp256k1::rand::{self, RngCore};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_socks::tcp::Socks5Stream;
use tokio_socks::TargetAddr;

use super::error::{ProxyError, SocksReply};
use crate::wire::address::PeerAddress;

/// SOCKS protocol version 5.
pub const SOCKS_VERSION: u8 = 0x05;
/// Method 0x00: no authentication.
pub const METHOD_NONE: u8 = 0x00;
/// Method 0x02: username/password (RFC 1929).
pub const METHOD_PASSWORD: u8 = 0x02;
/// RFC 1929's sub-negotiation version.
pub const PASSWORD_VERSION: u8 = 0x01;
/// Command 0x01: CONNECT.
pub const CMD_CONNECT: u8 = 0x01;
/// Address type 0x01: IPv4.
pub const ATYP_IPV4: u8 = 0x01;
/// Address type 0x03: a domain name, resolved by the proxy.
pub const ATYP_DOMAIN: u8 = 0x03;
/// Address type 0x04: IPv6.
pub const ATYP_IPV6: u8 = 0x04;

/// A username and password for one connection, random, never used twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// 32 hex characters.
    pub username: String,
    /// 32 hex characters.
    pub password: String,
}

impl Credentials {
    /// Fresh random credentials: Tor isolates each pair on a circuit of its own.
    pub fn fresh() -> Credentials {
        let mut rng = rand::thread_rng();
        let mut word = || {
            let mut b = [0u8; 16];
            rng.fill_bytes(&mut b);
            hex::encode(b)
        };
        Credentials {
            username: word(),
            password: word(),
        }
    }
}

/// Who sends a step of the exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sender {
    /// lnshell, to the proxy.
    Client,
    /// The proxy, to lnshell (what a proxy that says yes answers).
    Proxy,
}

/// One message of the SOCKS5 exchange, field by field, as RFC 1928 and 1929 name
/// the fields (`VER`, `NMETHODS`, `ATYP`, `DST.ADDR`…).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Who sends it.
    pub from: Sender,
    /// Which message: `greeting`, `method selection`, `username/password`,
    /// `auth status`, `CONNECT request`, `reply`.
    pub name: &'static str,
    /// Its fields in order: the RFC's name and the bytes.
    pub fields: Vec<(&'static str, Vec<u8>)>,
}

impl Step {
    /// The message as sent: every field's bytes, in order.
    pub fn bytes(&self) -> Vec<u8> {
        self.fields.iter().flat_map(|(_, b)| b.clone()).collect()
    }
}

/// What `connect` exchanges with the proxy to reach `target` with `creds`: the
/// three messages it sends (byte for byte what goes out), each followed by the
/// answer a proxy that agrees gives.
pub fn exchange(target: &PeerAddress, creds: &Credentials) -> Vec<Step> {
    let client = |name, fields| Step {
        from: Sender::Client,
        name,
        fields,
    };
    let proxy = |name, fields| Step {
        from: Sender::Proxy,
        name,
        fields,
    };
    let (user, pass) = (creds.username.as_bytes(), creds.password.as_bytes());
    let (atyp, addr) = match target {
        PeerAddress::Ip(SocketAddr::V4(a)) => {
            (ATYP_IPV4, vec![("DST.ADDR", a.ip().octets().to_vec())])
        }
        PeerAddress::Ip(SocketAddr::V6(a)) => {
            (ATYP_IPV6, vec![("DST.ADDR", a.ip().octets().to_vec())])
        }
        PeerAddress::Onion { .. } | PeerAddress::Host { .. } => {
            let host = domain(target).into_bytes();
            (
                ATYP_DOMAIN,
                vec![("LEN", vec![host.len() as u8]), ("DST.ADDR", host)],
            )
        }
    };
    let mut request = vec![
        ("VER", vec![SOCKS_VERSION]),
        ("CMD", vec![CMD_CONNECT]),
        ("RSV", vec![0x00]),
        ("ATYP", vec![atyp]),
    ];
    request.extend(addr);
    request.push(("DST.PORT", target.port().to_be_bytes().to_vec()));
    vec![
        client(
            "greeting",
            vec![
                ("VER", vec![SOCKS_VERSION]),
                ("NMETHODS", vec![2]),
                ("METHODS", vec![METHOD_NONE, METHOD_PASSWORD]),
            ],
        ),
        proxy(
            "method selection",
            vec![
                ("VER", vec![SOCKS_VERSION]),
                ("METHOD", vec![METHOD_PASSWORD]),
            ],
        ),
        client(
            "username/password",
            vec![
                ("VER", vec![PASSWORD_VERSION]),
                ("ULEN", vec![user.len() as u8]),
                ("UNAME", user.to_vec()),
                ("PLEN", vec![pass.len() as u8]),
                ("PASSWD", pass.to_vec()),
            ],
        ),
        proxy(
            "auth status",
            vec![("VER", vec![PASSWORD_VERSION]), ("STATUS", vec![0x00])],
        ),
        client("CONNECT request", request),
        proxy(
            "reply",
            vec![
                ("VER", vec![SOCKS_VERSION]),
                ("REP", vec![0x00]),
                ("RSV", vec![0x00]),
                ("ATYP", vec![ATYP_IPV4]),
                ("BND.ADDR", vec![0, 0, 0, 0]),
                ("BND.PORT", vec![0, 0]),
            ],
        ),
    ]
}

/// The name a domain-type request carries: an onion name in lower case, or a DNS
/// name as typed; an IP address as text (only for messages).
fn domain(target: &PeerAddress) -> String {
    match target {
        PeerAddress::Onion { name, .. } => name.host(),
        PeerAddress::Host { name, .. } => name.clone(),
        PeerAddress::Ip(a) => a.ip().to_string(),
    }
}

/// Opens a stream to `target` through the SOCKS5 proxy at `proxy`, with fresh
/// credentials, by `deadline`. The stream is the TCP socket to the proxy, past the
/// SOCKS5 exchange: from here on its bytes are the peer's.
// `pub` (hidden) only for the fuzz target `socks_reply` (fuzz/), which plays the proxy.
#[doc(hidden)]
pub async fn open(
    proxy: SocketAddr,
    target: &PeerAddress,
    deadline: Instant,
    timeout: Duration,
) -> Result<TcpStream, ProxyError> {
    let tcp = match tokio::time::timeout_at(deadline, TcpStream::connect(proxy)).await {
        Err(_) => return Err(ProxyError::Timeout { proxy, timeout }),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            return Err(ProxyError::Down { proxy })
        }
        Ok(Err(source)) => return Err(ProxyError::Unreachable { proxy, source }),
        Ok(Ok(s)) => s,
    };
    let _ = tcp.set_nodelay(true);
    let heard = Arc::new(Mutex::new(Vec::new()));
    let socket = Recorder {
        inner: tcp,
        heard: Arc::clone(&heard),
    };
    let to = match target {
        PeerAddress::Ip(a) => TargetAddr::Ip(*a),
        PeerAddress::Onion { .. } | PeerAddress::Host { .. } => {
            TargetAddr::Domain(Cow::Owned(domain(target)), target.port())
        }
    };
    let creds = Credentials::fresh();
    let handshake = Socks5Stream::connect_with_password_and_socket(
        socket,
        to,
        &creds.username,
        &creds.password,
    );
    match tokio::time::timeout_at(deadline, handshake).await {
        Ok(Ok(stream)) => Ok(stream.into_inner().inner),
        Ok(Err(e)) => {
            let heard = heard.lock().unwrap_or_else(|p| p.into_inner()).clone();
            Err(reason(proxy, target, &heard, e))
        }
        Err(_) => Err(ProxyError::HandshakeTimeout {
            proxy,
            target: target.clone(),
            timeout,
        }),
    }
}

/// Why the exchange failed, from what the proxy said (`heard`, every byte it sent)
/// rather than from tokio-socks' error alone, which has no words for Tor's codes.
fn reason(
    proxy: SocketAddr,
    target: &PeerAddress,
    heard: &[u8],
    e: tokio_socks::Error,
) -> ProxyError {
    let closed = |step| ProxyError::Closed { proxy, step };
    // Method selection: VER METHOD.
    let Some(&first) = heard.first() else {
        return closed("greeting");
    };
    if first != SOCKS_VERSION {
        return ProxyError::NotSocks5 { proxy, first };
    }
    let reply_at = match heard.get(1) {
        None => return closed("greeting"),
        Some(0xff) => return ProxyError::NoAcceptableAuth { proxy },
        Some(&METHOD_PASSWORD) => match (heard.get(2), heard.get(3)) {
            // Auth status: VER STATUS, with RFC 1929's own version, 0x01.
            (Some(&ver), _) if ver != 0x01 => {
                return ProxyError::Protocol {
                    proxy,
                    what: format!(
                        "its username/password reply has version {ver:#04x}, \
                         where RFC 1929 says 0x01"
                    ),
                }
            }
            (_, None) => return closed("username/password"),
            (_, Some(0x00)) => 4,
            (_, Some(&status)) => return ProxyError::AuthRejected { proxy, status },
        },
        Some(&METHOD_NONE) => 2,
        // A method we did not offer: the proxy broke the protocol (it did not close,
        // which reading on for a reply would have said).
        Some(&method) => {
            return ProxyError::Protocol {
                proxy,
                what: format!(
                    "it chose authentication method {method:#04x}, which we did not offer \
                     (we offer 0x00, none, and 0x02, username/password)"
                ),
            }
        }
    };
    // Reply: VER REP RSV ATYP …
    match heard.get(reply_at..reply_at + 2) {
        None | Some([_]) => closed("CONNECT request"),
        Some([ver, _]) if *ver != SOCKS_VERSION => ProxyError::NotSocks5 { proxy, first: *ver },
        Some([_, code]) => match SocksReply::from_code(*code) {
            Some(reply) => ProxyError::Reply {
                proxy,
                target: target.clone(),
                reply,
            },
            None => ProxyError::Protocol {
                proxy,
                what: e.to_string(),
            },
        },
        Some(_) => ProxyError::Protocol {
            proxy,
            what: e.to_string(),
        },
    }
}

/// A socket that keeps a copy of what it reads (at most [`Recorder::KEEP`] bytes:
/// the proxy's answers are a few bytes each). Writes pass straight through.
pub(crate) struct Recorder {
    inner: TcpStream,
    heard: Arc<Mutex<Vec<u8>>>,
}

impl Recorder {
    /// Enough for every answer of the exchange (2 + 2 + a reply of at most 262).
    const KEEP: usize = 512;
}

impl AsyncRead for Recorder {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = poll {
            let mut heard = self.heard.lock().unwrap_or_else(|p| p.into_inner());
            let room = Recorder::KEEP.saturating_sub(heard.len());
            let new = &buf.filled()[before..];
            heard.extend_from_slice(&new[..new.len().min(room)]);
        }
        poll
    }
}

impl AsyncWrite for Recorder {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONION: &str = "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion:9735";

    #[test]
    fn an_onion_goes_as_a_domain_name() {
        let target: PeerAddress = ONION.parse().unwrap();
        let creds = Credentials::fresh();
        let steps = exchange(&target, &creds);
        let sent: Vec<&Step> = steps.iter().filter(|s| s.from == Sender::Client).collect();
        assert_eq!(sent[0].bytes(), [0x05, 0x02, 0x00, 0x02]);
        let auth = sent[1].bytes();
        assert_eq!(auth[..2], [0x01, 32]);
        assert_eq!(&auth[2..34], creds.username.as_bytes());
        let connect = sent[2].bytes();
        assert_eq!(connect[..5], [0x05, 0x01, 0x00, 0x03, 62]);
        assert_eq!(&connect[5..67], &ONION.as_bytes()[..62]);
        assert_eq!(connect[67..], [0x26, 0x07]);
    }

    #[test]
    fn ip_addresses_go_as_themselves_and_credentials_are_fresh() {
        let v6: PeerAddress = "[::1]:9736".parse().unwrap();
        let creds = Credentials::fresh();
        let connect = exchange(&v6, &creds)[4].bytes();
        assert_eq!(connect[..4], [0x05, 0x01, 0x00, 0x04]);
        assert_eq!(connect.len(), 4 + 16 + 2);
        assert_ne!(Credentials::fresh(), Credentials::fresh());
        assert_eq!(creds.username.len(), 32);
    }

    #[test]
    fn the_reason_is_read_from_what_the_proxy_said() {
        let proxy: SocketAddr = "127.0.0.1:9050".parse().unwrap();
        let target: PeerAddress = ONION.parse().unwrap();
        let why = |heard: &[u8]| {
            reason(proxy, &target, heard, tokio_socks::Error::UnknownAuthMethod).to_string()
        };
        assert!(why(&[]).contains("without answering our SOCKS5 greeting"));
        assert!(why(b"lnshell").contains("not a SOCKS5 proxy"));
        assert!(why(&[5, 0xff]).contains("accepts neither"));
        assert!(why(&[5, 2, 1, 1]).contains("refused our username/password"));
        assert!(why(&[5, 2, 1, 0]).contains("without answering our SOCKS5 CONNECT request"));
        assert!(why(&[5, 2, 1, 0, 5, 4, 0, 1]).contains("SOCKS5 reply 0x04, host unreachable"));
        assert!(why(&[5, 0, 5, 0xf6, 0, 1]).contains("onion service address is invalid"));
        assert!(why(&[5, 0, 5, 0x42, 0, 1]).contains("neither RFC 1928 nor Tor"));
        // Found by the fuzz target `socks_reply`: a method we did not offer was
        // reported as the proxy closing during the CONNECT request.
        // A username/password reply of another version was reported as the proxy
        // closing during the CONNECT request.
        let ver = why(&[5, 2, 5, 0, 5, 0, 0, 1]);
        assert!(
            ver.contains("username/password reply has version 0x05"),
            "{ver}"
        );
        assert!(!ver.contains("without answering"), "{ver}");
        let chose = why(&[5, 0x01]);
        assert!(chose.contains("authentication method 0x01"), "{chose}");
        assert!(!chose.contains("without answering"), "{chose}");
        for code in 1..=8u8 {
            let reply = SocksReply::from_code(code).unwrap();
            assert_eq!(reply.code(), code);
        }
        for code in 0xf0..=0xf7u8 {
            assert!(!matches!(
                SocksReply::from_code(code),
                Some(SocksReply::Unknown(_))
            ));
        }
    }
}
