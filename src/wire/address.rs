//! Where a peer can be reached: an IP address, a DNS name, or a Tor onion service.
//!
//! BOLT 7 names the kinds of address a node may announce (descriptor types 1 ipv4,
//! 2 ipv6, 4 Tor v3, 5 DNS hostname; 3, Tor v2, is deprecated). `connect` takes the
//! same kinds as text, and this room reads that text into a [`PeerAddress`], checking
//! every rule it can before anything touches the network:
//!
//! * an IPv6 address goes in brackets, `[::1]:9735`, because its colons would
//!   otherwise run into the port's;
//! * a DNS name is only a name: it is resolved later, by this machine, or by the
//!   proxy when every connection goes through one (so nothing leaks);
//! * an onion name is checked whole ([`OnionV3`]): 56 base32 characters that
//!   spell a 32-byte ed25519 public key, a 2-byte checksum and a version byte.
//!
//! Why check the onion name here, when Tor would refuse a bad one anyway? Because
//! Tor's answer is one SOCKS5 error code after a wait, and ours names the rule that
//! was broken, at once: wrong length, a character outside base32, a Tor v2 name,
//! a version that is not 3, or a checksum that does not match (a typo).
//!
//! An onion name is never resolved: it has no IP address. It goes to the SOCKS5
//! proxy as a domain name, and Tor finds the service by its key.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

use sha3::{Digest, Sha3_256};

use super::values::{base32, base32_decode};

/// How many base32 characters a Tor v3 onion name has (35 bytes × 8 / 5).
pub const ONION_V3_LEN: usize = 56;

/// How many a Tor v2 name had (10 bytes): retired by Tor in 2021.
const ONION_V2_LEN: usize = 16;

/// The only onion service version Tor still serves.
const ONION_VERSION: u8 = 3;

/// A checked Tor v3 onion service name (rend-spec-v3 §6):
/// `base32(PUBKEY[32] || CHECKSUM[2] || VERSION[1])`, where
/// `CHECKSUM = SHA3-256(".onion checksum" || PUBKEY || VERSION)[..2]` and `VERSION = 3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OnionV3 {
    /// The service's ed25519 public key: the name *is* the key, so no one else can
    /// answer for it.
    pub pubkey: [u8; 32],
    /// Two bytes that catch typos.
    pub checksum: [u8; 2],
    /// Always 3.
    pub version: u8,
}

/// Why a name is not a Tor v3 onion name: each case is one rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OnionError {
    /// 16 characters: a Tor v2 name.
    #[error(
        "{name}.onion is a Tor v2 onion name (16 characters): Tor retired v2 onion services in 2021 \
         and BOLT 7 deprecated them (address type 3). Ask for the node's v3 name: 56 characters"
    )]
    V2 {
        /// The name, without `.onion`.
        name: String,
    },
    /// Not 56 characters.
    #[error(
        "a Tor v3 onion name is 56 base32 characters before .onion; {name:?} has {len} \
         (a character missing or added? write the name alone, without subdomains)"
    )]
    Length {
        /// The name, without `.onion`.
        name: String,
        /// Its length in characters.
        len: usize,
    },
    /// A character outside base32's alphabet.
    #[error(
        "{ch:?} (character {position} of the onion name) is not base32: an onion name uses only \
         the letters a-z and the digits 2-7 (no 0, 1, 8 or 9)"
    )]
    NotBase32 {
        /// The offending character.
        ch: char,
        /// Where it is, counting from 1.
        position: usize,
    },
    /// The version byte is not 3.
    #[error(
        "the onion name's last byte, its version, is {version}, not 3: every Tor v3 name ends in 'd'"
    )]
    Version {
        /// The version found.
        version: u8,
    },
    /// The checksum does not match the key.
    #[error(
        "the onion name's checksum does not match its key (bytes {found} where SHA3-256 of the key \
         gives {expected}): a character is mistyped"
    )]
    Checksum {
        /// What the name carries, in hex.
        found: String,
        /// What the key gives, in hex.
        expected: String,
    },
}

impl OnionV3 {
    /// The name's two checksum bytes for `pubkey`.
    pub fn checksum_of(pubkey: &[u8; 32]) -> [u8; 2] {
        let mut h = Sha3_256::new();
        h.update(b".onion checksum");
        h.update(pubkey);
        h.update([ONION_VERSION]);
        let digest = h.finalize();
        [digest[0], digest[1]]
    }

    /// The onion name of the service with this key.
    pub fn from_pubkey(pubkey: [u8; 32]) -> OnionV3 {
        OnionV3 {
            pubkey,
            checksum: OnionV3::checksum_of(&pubkey),
            version: ONION_VERSION,
        }
    }

    /// Reads a name (without `.onion`; either case) and checks every rule.
    pub fn parse(name: &str) -> Result<OnionV3, OnionError> {
        let len = name.chars().count();
        if len == ONION_V2_LEN && base32_decode(name).is_some() {
            return Err(OnionError::V2 {
                name: name.to_string(),
            });
        }
        if len != ONION_V3_LEN {
            return Err(OnionError::Length {
                name: name.to_string(),
                len,
            });
        }
        if let Some((i, ch)) = name
            .chars()
            .enumerate()
            .find(|(_, c)| !matches!(c.to_ascii_lowercase(), 'a'..='z' | '2'..='7'))
        {
            return Err(OnionError::NotBase32 {
                ch,
                position: i + 1,
            });
        }
        // 56 characters of the alphabet are exactly 35 bytes.
        let raw = base32_decode(name).unwrap_or_default();
        let (Some(key), Some(sum), Some(&version)) = (raw.get(..32), raw.get(32..34), raw.get(34))
        else {
            return Err(OnionError::Length {
                name: name.to_string(),
                len,
            });
        };
        let mut pubkey = [0u8; 32];
        pubkey.copy_from_slice(key);
        if version != ONION_VERSION {
            return Err(OnionError::Version { version });
        }
        let checksum = [sum[0], sum[1]];
        let expected = OnionV3::checksum_of(&pubkey);
        if checksum != expected {
            return Err(OnionError::Checksum {
                found: hex::encode(checksum),
                expected: hex::encode(expected),
            });
        }
        Ok(OnionV3 {
            pubkey,
            checksum,
            version,
        })
    }

    /// The 35 bytes the name spells, as BOLT 7's type 4 descriptor carries them.
    pub fn bytes(&self) -> [u8; 35] {
        let mut out = [0u8; 35];
        out[..32].copy_from_slice(&self.pubkey);
        out[32..34].copy_from_slice(&self.checksum);
        out[34] = self.version;
        out
    }

    /// The host name: 56 lower-case base32 characters and `.onion`.
    pub fn host(&self) -> String {
        format!("{}.onion", base32(&self.bytes()))
    }
}

/// An address `connect` can reach, as the learner wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PeerAddress {
    /// An IPv4 or IPv6 address and a port (BOLT 7 types 1 and 2).
    Ip(SocketAddr),
    /// A Tor v3 onion service and a port (type 4).
    Onion {
        /// The checked name.
        name: OnionV3,
        /// The service's port.
        port: u16,
    },
    /// A DNS name and a port (type 5), not resolved yet.
    Host {
        /// The name, as typed.
        name: String,
        /// The port.
        port: u16,
    },
}

/// Why a `host:port` is not an address `connect` can reach.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// No `:port` at the end.
    #[error("{0:?} has no port: write host:port, e.g. 127.0.0.1:9735 or [::1]:9735")]
    NoPort(String),
    /// The port is not a number from 0 to 65535.
    #[error("{0:?} is not a port (a number from 1 to 65535)")]
    BadPort(String),
    /// The port is a number, but past 65535.
    #[error("port {0} is out of range: a port is a number from 1 to 65535")]
    PortOutOfRange(String),
    /// An IPv6 address without brackets.
    #[error("{0:?} looks like an IPv6 address without brackets: write [{1}]:{2}, so the address's colons stay apart from the port's")]
    Ipv6NeedsBrackets(String, String, String),
    /// Brackets around something that is not IPv6.
    #[error("{0:?} is not an IPv6 address (inside brackets, e.g. [::1])")]
    BadIpv6(String),
    /// A `.onion` name that breaks a rule.
    #[error("{0}")]
    Onion(#[from] OnionError),
    /// A name with characters no DNS name has.
    #[error("{0:?} is not a host name: letters, digits, '-' and '.', at most 253 characters")]
    BadHostname(String),
}

impl FromStr for PeerAddress {
    type Err = AddressError;

    /// `127.0.0.1:9735`, `[::1]:9735`, `<56 base32>.onion:9735`, `localhost:9735`.
    fn from_str(text: &str) -> Result<PeerAddress, AddressError> {
        let (host, port) = text
            .rsplit_once(':')
            .ok_or_else(|| AddressError::NoPort(text.to_string()))?;
        if host.contains(':') && !host.starts_with('[') {
            return Err(AddressError::Ipv6NeedsBrackets(
                text.to_string(),
                host.to_string(),
                port.to_string(),
            ));
        }
        let port: u16 = match port.parse() {
            Ok(p) if p != 0 => p,
            _ if port.is_empty() => return Err(AddressError::NoPort(text.to_string())),
            _ if port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_err() => {
                return Err(AddressError::PortOutOfRange(port.to_string()))
            }
            _ => return Err(AddressError::BadPort(port.to_string())),
        };
        if let Some(inner) = host.strip_prefix('[') {
            let ip: std::net::Ipv6Addr = inner
                .strip_suffix(']')
                .and_then(|i| i.parse().ok())
                .ok_or_else(|| AddressError::BadIpv6(host.to_string()))?;
            return Ok(PeerAddress::Ip(SocketAddr::from((ip, port))));
        }
        if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
            return Ok(PeerAddress::Ip(SocketAddr::from((ip, port))));
        }
        let lower = host.to_ascii_lowercase();
        if let Some(name) = lower.strip_suffix(".onion") {
            return Ok(PeerAddress::Onion {
                name: OnionV3::parse(name)?,
                port,
            });
        }
        let valid = !host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
        if !valid {
            return Err(AddressError::BadHostname(host.to_string()));
        }
        Ok(PeerAddress::Host {
            name: host.to_string(),
            port,
        })
    }
}

impl PeerAddress {
    /// The port.
    pub fn port(&self) -> u16 {
        match self {
            PeerAddress::Ip(a) => a.port(),
            PeerAddress::Onion { port, .. } | PeerAddress::Host { port, .. } => *port,
        }
    }

    /// True for an onion service: it can only be reached through a proxy.
    pub fn is_onion(&self) -> bool {
        matches!(self, PeerAddress::Onion { .. })
    }

    /// True for an IPv6 address.
    pub fn is_ipv6(&self) -> bool {
        matches!(self, PeerAddress::Ip(SocketAddr::V6(_)))
    }
}

/// As `connect` takes it back: IPv6 in brackets, onion names in lower case.
impl fmt::Display for PeerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerAddress::Ip(a) => write!(f, "{a}"),
            PeerAddress::Onion { name, port } => write!(f, "{}:{port}", name.host()),
            PeerAddress::Host { name, port } => write!(f, "{name}:{port}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_ipv6_address_is_ipv6() {
        for (text, v6) in [
            ("127.0.0.1:9735", false),
            ("[::1]:9735", true),
            ("node.example:1", false),
        ] {
            let a: PeerAddress = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(a.is_ipv6(), v6, "{text}");
        }
    }

    #[test]
    fn an_empty_port_is_no_port() {
        assert!(matches!(
            "127.0.0.1:".parse::<PeerAddress>(),
            Err(AddressError::NoPort(t)) if t == "127.0.0.1:"
        ));
    }

    /// Each kind of address gives back the port it was written with.
    #[test]
    fn every_kind_keeps_its_port() {
        for (text, port) in [
            ("127.0.0.1:9735", 9735),
            ("[::1]:19735", 19735),
            (&format!("{}.onion:1234", REAL[0]) as &str, 1234),
            ("node.example:80", 80),
            ("my_node.example:81", 81),
            ("a-b.example:82", 82),
        ] {
            let a: PeerAddress = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(a.port(), port, "{text}");
        }
    }

    /// Published onion names (the Tor Project's and DuckDuckGo's): real checksums, so
    /// they check ours against Tor's.
    const REAL: [&str; 2] = [
        "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid",
        "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad",
    ];

    #[test]
    fn real_onion_names_check_out_and_round_trip() {
        for name in REAL {
            let onion = OnionV3::parse(name).unwrap();
            assert_eq!(onion.version, 3);
            assert_eq!(onion.host(), format!("{name}.onion"));
            assert_eq!(OnionV3::from_pubkey(onion.pubkey), onion);
            // Either case reads.
            assert_eq!(OnionV3::parse(&name.to_ascii_uppercase()), Ok(onion));
        }
    }

    #[test]
    fn each_broken_rule_is_named() {
        let good = REAL[1];
        assert!(matches!(
            OnionV3::parse("expyuzz4wqqyqhjn"),
            Err(OnionError::V2 { .. })
        ));
        assert_eq!(
            OnionV3::parse(&good[1..]),
            Err(OnionError::Length {
                name: good[1..].to_string(),
                len: 55
            })
        );
        let mut bad = good.to_string();
        bad.replace_range(9..10, "1");
        assert_eq!(
            OnionV3::parse(&bad),
            Err(OnionError::NotBase32 {
                ch: '1',
                position: 10
            })
        );
        // One letter changed in the key: the checksum catches it.
        let mut typo = good.to_string();
        typo.replace_range(0..1, "e");
        assert!(matches!(
            OnionV3::parse(&typo),
            Err(OnionError::Checksum { .. })
        ));
        // A key and checksum with version 4 ends in another letter.
        let mut raw = OnionV3::parse(good).unwrap().bytes();
        raw[34] = 4;
        assert_eq!(
            OnionV3::parse(&base32(&raw)),
            Err(OnionError::Version { version: 4 })
        );
        let words = OnionError::Version { version: 4 }.to_string();
        assert!(words.contains("not 3"), "{words}");
    }

    #[test]
    fn addresses_read_and_print_back() {
        for text in [
            "127.0.0.1:9735",
            "[::1]:9736",
            "localhost:9736",
            "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion:9735",
        ] {
            let a: PeerAddress = text.parse().unwrap();
            assert_eq!(a.to_string(), text);
        }
        let v6: PeerAddress = "[::1]:9736".parse().unwrap();
        assert!(v6.is_ipv6() && !v6.is_onion());
        let upper: PeerAddress = "DUCKDUCKGOGG42XJOC72X3SJASOWOARFBGCMVFIMAFTT6TWAGSWZCZAD.ONION:1"
            .parse()
            .unwrap();
        assert!(upper.is_onion());
        assert_eq!(
            "::1:9736".parse::<PeerAddress>(),
            Err(AddressError::Ipv6NeedsBrackets(
                "::1:9736".into(),
                "::1".into(),
                "9736".into()
            ))
        );
        assert!(matches!(
            "nowhere".parse::<PeerAddress>(),
            Err(AddressError::NoPort(_))
        ));
        assert!(matches!(
            "host:99999".parse::<PeerAddress>(),
            Err(AddressError::PortOutOfRange(_))
        ));
        assert!(matches!(
            "host:0".parse::<PeerAddress>(),
            Err(AddressError::BadPort(_))
        ));
        assert!(matches!(
            "host:http".parse::<PeerAddress>(),
            Err(AddressError::BadPort(_))
        ));
        assert!(matches!(
            "[nope]:1".parse::<PeerAddress>(),
            Err(AddressError::BadIpv6(_))
        ));
        assert!(matches!(
            "a b:1".parse::<PeerAddress>(),
            Err(AddressError::BadHostname(_))
        ));
        assert!(matches!(
            "abc.onion:9735".parse::<PeerAddress>(),
            Err(AddressError::Onion(OnionError::Length { len: 3, .. }))
        ));
    }
}
