//! Compound values of the wire format, both directions side by side: chain hashes and
//! network names, short_channel_ids, node addresses (BOLT 7 descriptors, `host:port` text,
//! Tor's base32), txids in display order, witnesses and transactions, alias padding.
//!
//! Each value's codec is written once, here, and every side uses it: the decoder validates
//! with the parsers ([`parse_addresses`], [`parse_witness`], [`parse_transaction`]), the
//! renderers print what they return, and the encoder builds bytes with the inverse
//! ([`NetAddress::from_text`], [`scid_from_parts`], [`witness_bytes`] ...). Keeping the two
//! directions next to each other is what lets a reader check that they agree, and lets the
//! encoder's `assignments_from` promise that decode → text → encode gives the same bytes.
//!
//! Nothing here knows about fields, messages or the terminal: values in, values out. Errors
//! are words about the value alone; the caller says which field it was.

use std::fmt;

use bitcoin::constants::ChainHash;
use bitcoin::hashes::Hash;
use bitcoin::{Transaction, Txid, Witness};

use super::bigsize;
use super::fmt::push_dec;
use super::hexin::to_hex;

// ---------------------------------------------------------------------------------------
// chain_hash: the genesis block hash that names a network.

/// Chain names and their genesis hashes.
pub(crate) const CHAINS: [(&str, ChainHash); 5] = [
    ("bitcoin", ChainHash::BITCOIN),
    ("testnet", ChainHash::TESTNET3),
    ("testnet4", ChainHash::TESTNET4),
    ("signet", ChainHash::SIGNET),
    ("regtest", ChainHash::REGTEST),
];

/// Network name of a chain hash.
pub(crate) fn chain_name(raw: &[u8]) -> Option<&'static str> {
    CHAINS
        .iter()
        .find(|(_, h)| h.as_bytes()[..] == *raw)
        .map(|(n, _)| *n)
}

/// The chain hash a network name stands for, as `encode` reads `chain_hash=...`: the names
/// of [`CHAINS`], plus `mainnet`/`main` for bitcoin and `testnet3` for testnet.
pub(crate) fn chain_by_name(name: &str) -> Option<ChainHash> {
    let name = match name {
        "mainnet" | "main" => "bitcoin",
        "testnet3" => "testnet",
        other => other,
    };
    CHAINS.iter().find(|(n, _)| *n == name).map(|(_, h)| *h)
}

// ---------------------------------------------------------------------------------------
// short_channel_id: 3-byte block height, 3-byte transaction index, 2-byte output index.

/// Largest block height a short_channel_id can carry (3 bytes).
pub(crate) const SCID_MAX_BLOCK: u64 = 0xff_ffff;
/// Largest transaction index in a block (3 bytes).
pub(crate) const SCID_MAX_TX: u64 = 0xff_ffff;
/// Largest output index (2 bytes).
pub(crate) const SCID_MAX_OUTPUT: u64 = 0xffff;

/// `block x tx x output` of a short_channel_id.
pub(crate) fn scid_string(raw: &[u8]) -> String {
    let mut s = String::with_capacity(20);
    push_scid(&mut s, raw);
    s
}

/// The parts of a short_channel_id: (block, transaction, output).
pub(crate) fn scid_parts(raw: &[u8]) -> (u64, u64, u64) {
    let v = raw.iter().fold(0u64, |a, b| a << 8 | u64::from(*b));
    (v >> 40, (v >> 16) & 0xff_ffff, v & 0xffff)
}

/// Appends [`scid_string`]'s text.
pub(crate) fn push_scid(out: &mut String, raw: &[u8]) {
    let (block, tx, output) = scid_parts(raw);
    push_dec(out, block);
    out.push('x');
    push_dec(out, tx);
    out.push('x');
    push_dec(out, output);
}

/// The 8 bytes of the short_channel_id `block x tx x output` (the inverse of
/// [`scid_parts`]; each part within its `SCID_MAX_*`).
pub(crate) fn scid_from_parts(block: u64, tx: u64, output: u64) -> [u8; 8] {
    (block << 40 | tx << 16 | output).to_be_bytes()
}

// ---------------------------------------------------------------------------------------
// Node addresses: BOLT 7 descriptors (`type || address || port`), and `host:port` text.

/// A node address descriptor (BOLT 7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NetAddress {
    Ipv4([u8; 4], u16),
    Ipv6([u8; 16], u16),
    /// Deprecated Tor v2 (10-byte onion, port).
    TorV2(Vec<u8>, u16),
    /// Tor v3: 32-byte ed25519 key, 2-byte checksum, version, port.
    TorV3(Vec<u8>, u16),
    Dns(Vec<u8>, u16),
    /// An unknown type: readers stop here.
    Unknown(u8),
}

impl NetAddress {
    pub(crate) fn unknown_type(&self) -> Option<u8> {
        match self {
            NetAddress::Unknown(t) => Some(*t),
            _ => None,
        }
    }
}

impl fmt::Display for NetAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetAddress::Ipv4(a, p) => write!(f, "{}:{p}", std::net::Ipv4Addr::from(*a)),
            NetAddress::Ipv6(a, p) => write!(f, "[{}]:{p}", std::net::Ipv6Addr::from(*a)),
            NetAddress::TorV2(a, p) => write!(f, "{}.onion:{p} (Tor v2, deprecated)", base32(a)),
            NetAddress::TorV3(a, p) => write!(f, "{}.onion:{p}", base32(a)),
            NetAddress::Dns(h, p) => write!(f, "{}:{p}", String::from_utf8_lossy(h)),
            NetAddress::Unknown(t) => write!(f, "unknown address type {t} (rest ignored)"),
        }
    }
}

/// Why a `host:port` text is not an address `encode` can write.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AddressTextError {
    #[error("{0:?} needs a port, like 127.0.0.1:9735")]
    NoPort(String),
    #[error("bad port in {0:?}")]
    BadPort(String),
    #[error("bad IPv6 address in {0:?}")]
    BadIpv6(String),
    #[error("{0:?} is not a Tor v3 address (56 base32 characters + .onion)")]
    NotTorV3(String),
    #[error("{0:?} is not a valid DNS hostname")]
    BadHostname(String),
}

impl NetAddress {
    /// Reads `host:port` as its `Display` writes it: `1.2.3.4:9735`, `[::1]:9735`,
    /// `<56 base32 characters>.onion:9735` (Tor v3) or a DNS name. Tor v2 and unknown types
    /// have no text form to read back (their `Display` says so).
    pub(crate) fn from_text(item: &str) -> Result<NetAddress, AddressTextError> {
        let item = item.trim();
        let (host, port) = item
            .rsplit_once(':')
            .ok_or_else(|| AddressTextError::NoPort(item.to_string()))?;
        let port: u16 = port
            .parse()
            .map_err(|_| AddressTextError::BadPort(item.to_string()))?;
        if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
            return Ok(NetAddress::Ipv4(ip.octets(), port));
        }
        if let Some(ip) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            let ip: std::net::Ipv6Addr = ip
                .parse()
                .map_err(|_| AddressTextError::BadIpv6(item.to_string()))?;
            return Ok(NetAddress::Ipv6(ip.octets(), port));
        }
        if let Some(onion) = host.strip_suffix(".onion") {
            let raw = base32_decode(onion)
                .filter(|r| r.len() == 35)
                .ok_or_else(|| AddressTextError::NotTorV3(host.to_string()))?;
            return Ok(NetAddress::TorV3(raw, port));
        }
        if host.is_empty()
            || host.len() > 255
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
        {
            return Err(AddressTextError::BadHostname(host.to_string()));
        }
        Ok(NetAddress::Dns(host.as_bytes().to_vec(), port))
    }

    /// Appends the descriptor (`type || address || port`) that [`parse_addresses`] reads.
    /// An `Unknown` type has no body to write: only its type byte.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        let port = match self {
            NetAddress::Ipv4(a, p) => {
                out.push(1);
                out.extend(a);
                p
            }
            NetAddress::Ipv6(a, p) => {
                out.push(2);
                out.extend(a);
                p
            }
            NetAddress::TorV2(a, p) => {
                out.push(3);
                out.extend(a);
                p
            }
            NetAddress::TorV3(a, p) => {
                out.push(4);
                out.extend(a);
                p
            }
            NetAddress::Dns(h, p) => {
                out.push(5);
                // A hostname from `from_text` is at most 255 bytes.
                out.push(h.len() as u8);
                out.extend(h);
                p
            }
            NetAddress::Unknown(t) => {
                out.push(*t);
                return;
            }
        };
        out.extend(port.to_be_bytes());
    }
}

/// Parses a list of address descriptors. The problem, if any, says where it broke.
pub(crate) fn parse_addresses(raw: &[u8]) -> (Vec<NetAddress>, Option<String>) {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < raw.len() {
        let t = raw[pos];
        let body = &raw[pos + 1..];
        let port = |at: usize| {
            body.get(at..at + 2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
        };
        let (addr, len) = match t {
            1 => (
                port(4).map(|p| NetAddress::Ipv4([body[0], body[1], body[2], body[3]], p)),
                6,
            ),
            2 => (
                port(16).map(|p| {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(&body[..16]);
                    NetAddress::Ipv6(a, p)
                }),
                18,
            ),
            3 => (
                port(10).map(|p| NetAddress::TorV2(body[..10].to_vec(), p)),
                12,
            ),
            4 => (
                port(35).map(|p| NetAddress::TorV3(body[..35].to_vec(), p)),
                37,
            ),
            5 => match body.first() {
                Some(n) => {
                    let n = usize::from(*n);
                    (
                        port(1 + n).map(|p| NetAddress::Dns(body[1..1 + n].to_vec(), p)),
                        1 + n + 2,
                    )
                }
                None => (None, 1),
            },
            other => {
                out.push(NetAddress::Unknown(other));
                return (out, None);
            }
        };
        match addr {
            Some(a) => {
                if let NetAddress::Dns(h, _) = &a {
                    if !h.is_ascii() {
                        return (out, Some(format!(
                            "DNS hostname at byte {pos} of addresses is not ASCII (BOLT 7: MUST be, use Punycode)"
                        )));
                    }
                }
                out.push(a);
            }
            None => {
                return (
                    out,
                    Some(format!(
                        "address type {t} at byte {pos} of addresses needs {len} more bytes than are left (addrlen too short for the descriptors)"
                    )),
                )
            }
        }
        pos += 1 + len;
    }
    (out, None)
}

/// RFC 4648 base32, lower case, no padding (Tor onion addresses).
pub(crate) fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(data.len() * 8 / 5 + 1);
    let (mut buf, mut bits) = (0u32, 0u32);
    for b in data {
        buf = buf << 8 | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Reads [`base32`] text back (either case); `None` on a character outside the alphabet.
pub(crate) fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.chars() {
        let v = match c.to_ascii_lowercase() {
            c @ 'a'..='z' => c as u32 - 'a' as u32,
            c @ '2'..='7' => c as u32 - '2' as u32 + 26,
            _ => return None,
        };
        buf = buf << 5 | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// txid: sent in the hash's byte order, shown (and typed) reversed, as explorers show it.

/// A txid's display order: the wire bytes reversed, in hex.
pub(crate) fn txid_hex(raw: &[u8]) -> String {
    let mut r = raw.to_vec();
    r.reverse();
    to_hex(&r)
}

/// The wire bytes of a txid typed in display order (64 hex digits), as bitcoin reads it.
pub(crate) fn txid_from_text(text: &str) -> Option<[u8; 32]> {
    text.trim().parse::<Txid>().ok().map(|t| t.to_byte_array())
}

// ---------------------------------------------------------------------------------------
// Witnesses and transactions (Bitcoin's consensus encoding, inside a few messages).

/// Spans of the items of a consensus-encoded witness (count, then length-prefixed items).
pub(crate) fn parse_witness(raw: &[u8]) -> Result<Vec<std::ops::Range<usize>>, String> {
    fn varint(raw: &[u8], pos: usize) -> Result<(u64, usize), String> {
        let first = *raw
            .get(pos)
            .ok_or_else(|| format!("ends at byte {pos} where a length was expected"))?;
        let n = match first {
            0xfd => 2,
            0xfe => 4,
            0xff => 8,
            b => return Ok((u64::from(b), 1)),
        };
        let bytes = raw
            .get(pos + 1..pos + 1 + n)
            .ok_or_else(|| format!("length at byte {pos} is truncated"))?;
        Ok((
            bytes.iter().rev().fold(0u64, |a, b| a << 8 | u64::from(*b)),
            1 + n,
        ))
    }
    let (count, mut pos) = varint(raw, 0)?;
    let mut items = Vec::new();
    for i in 0..count {
        let (len, n) = varint(raw, pos)?;
        pos += n;
        let end = pos
            .checked_add(len as usize)
            .filter(|e| *e <= raw.len())
            .ok_or_else(|| {
                format!(
                    "item {i} says {len} bytes but only {} are left",
                    raw.len() - pos
                )
            })?;
        items.push(pos..end);
        pos = end;
    }
    if pos != raw.len() {
        return Err(format!(
            "{} bytes left over after {count} items",
            raw.len() - pos
        ));
    }
    Ok(items)
}

/// The consensus encoding of a witness with these items (the inverse of [`parse_witness`]).
pub(crate) fn witness_bytes(items: &[Vec<u8>]) -> Vec<u8> {
    bitcoin::consensus::serialize(&Witness::from_slice(items))
}

/// Parses a serialized transaction.
pub(crate) fn parse_transaction(raw: &[u8]) -> Result<bitcoin::Transaction, String> {
    bitcoin::consensus::deserialize(raw).map_err(|e| e.to_string())
}

/// The consensus encoding of a transaction (the inverse of [`parse_transaction`]).
pub(crate) fn transaction_bytes(tx: &Transaction) -> Vec<u8> {
    bitcoin::consensus::serialize(tx)
}

// ---------------------------------------------------------------------------------------
// Padding and lists.

/// Bytes without trailing zeros: an alias is 32 bytes, padded with zeros.
pub(crate) fn trim_zeros(raw: &[u8]) -> &[u8] {
    let end = raw.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    &raw[..end]
}

/// The big-endian u32s of `raw` (a list of block heights, timestamps, hold times ...).
pub(crate) fn u32s(raw: &[u8]) -> Vec<u64> {
    raw.chunks_exact(4)
        .map(|c| u64::from(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
        .collect()
}

/// The BigSize numbers of `raw`, up to the first that does not read (query flags).
pub(crate) fn bigsizes(raw: &[u8]) -> Vec<u64> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Ok((v, n)) = bigsize::read(&raw[pos..]) {
        out.push(v);
        pos += n;
    }
    out
}

/// A big-endian unsigned number of up to 8 bytes (BOLT 1's `u16`…`u64`, and the
/// truncated `tu16`…`tu64`, whose leading zero bytes are left out). The reader
/// and the validator both read numbers this way, so it lives with the values.
pub(crate) fn be_uint(raw: &[u8]) -> u64 {
    raw.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::fmt::tests::test_values;

    #[test]
    fn chains_and_scids() {
        assert_eq!(chain_name(ChainHash::BITCOIN.as_bytes()), Some("bitcoin"));
        assert_eq!(chain_name(ChainHash::REGTEST.as_bytes()), Some("regtest"));
        assert_eq!(
            scid_string(&[0x0c, 0x35, 0x00, 0x00, 0x04, 0xd2, 0x00, 0x01]),
            "800000x1234x1"
        );
    }

    #[test]
    fn addresses() {
        let mut raw = vec![1, 127, 0, 0, 1, 0x26, 0x07];
        raw.extend([5, 11]);
        raw.extend(b"example.com");
        raw.extend([0x26, 0x07]);
        let (a, p) = parse_addresses(&raw);
        assert_eq!(p, None);
        assert_eq!(
            a.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
            ["127.0.0.1:9735", "example.com:9735"]
        );
        let (_, p) = parse_addresses(&[1, 127, 0]);
        assert!(p.unwrap().contains("needs 6 more bytes"));
        assert_eq!(base32(b"foobar"), "mzxw6ytboi");
    }

    #[test]
    fn witness_items() {
        assert_eq!(
            parse_witness(&[2, 1, 0xaa, 2, 0xbb, 0xcc]).unwrap(),
            vec![2..3, 4..6]
        );
        assert!(parse_witness(&[2, 1, 0xaa]).is_err());
        assert!(parse_witness(&[0, 0]).is_err());
    }

    #[test]
    fn scid_text_matches_the_formatting_machinery() {
        for v in test_values() {
            let raw = v.to_be_bytes();
            assert_eq!(
                scid_string(&raw),
                format!("{}x{}x{}", v >> 40, (v >> 16) & 0xff_ffff, v & 0xffff)
            );
        }
    }

    /// A DNS hostname takes letters, digits, `.`, `-` and `_`, 1 to 255 of them.
    #[test]
    fn hostnames_take_letters_digits_dots_dashes_underscores() {
        for host in ["a", "my_node.example-1.com", "_x", "-.-", &"h".repeat(255)] {
            assert_eq!(
                NetAddress::from_text(&format!("{host}:9735")),
                Ok(NetAddress::Dns(host.as_bytes().to_vec(), 9735)),
                "{host}"
            );
        }
        for host in ["", "sp ace", "a/b", "caf\u{e9}", &"h".repeat(256)] {
            assert_eq!(
                NetAddress::from_text(&format!("{host}:9735")),
                Err(AddressTextError::BadHostname(host.to_string())),
                "{host}"
            );
        }
    }

    /// Witness counts and item lengths of 253 and more take the 3-byte CompactSize form.
    #[test]
    fn long_witness_items_and_counts_parse() {
        let one = witness_bytes(&[vec![7; 300]]);
        assert_eq!(&one[..4], &[1, 0xfd, 0x2c, 0x01]);
        let items = parse_witness(&one).unwrap();
        assert_eq!((items.len(), items[0].clone()), (1, 4..304));
        let many = witness_bytes(&vec![vec![1u8]; 253]);
        assert_eq!(&many[..3], &[0xfd, 253, 0]);
        let items = parse_witness(&many).unwrap();
        assert_eq!(items.len(), 253);
        assert_eq!((items[0].clone(), items[252].clone()), (4..5, 508..509));
        assert_eq!(
            parse_witness(&one[..3]),
            Err("length at byte 1 is truncated".to_string())
        );
    }

    #[test]
    fn both_directions_agree() {
        // Every address text the encoder writes reads back as the same descriptor.
        for text in ["127.0.0.1:9735", "[::1]:9735", "example.com:9735"] {
            let addr = NetAddress::from_text(text).unwrap();
            assert_eq!(addr.to_string(), text);
            let mut raw = Vec::new();
            addr.write(&mut raw);
            assert_eq!(parse_addresses(&raw), (vec![addr], None));
        }
        let onion = [7u8; 35];
        let text = format!("{}.onion:9735", base32(&onion));
        assert_eq!(
            NetAddress::from_text(&text),
            Ok(NetAddress::TorV3(onion.to_vec(), 9735))
        );
        assert_eq!(
            NetAddress::from_text("nope").unwrap_err().to_string(),
            "\"nope\" needs a port, like 127.0.0.1:9735"
        );
        assert_eq!(base32_decode("mzxw6ytboi"), Some(b"foobar".to_vec()));
        let (block, tx, output) = scid_parts(&scid_from_parts(800_000, 1234, 1));
        assert_eq!((block, tx, output), (800_000, 1234, 1));
        for name in ["bitcoin", "mainnet", "main", "testnet3", "regtest"] {
            let hash = chain_by_name(name).unwrap();
            assert!(chain_name(hash.as_bytes()).is_some(), "{name}");
        }
        let items = vec![vec![0xaa], vec![0xbb, 0xcc]];
        assert_eq!(witness_bytes(&items), [2, 1, 0xaa, 2, 0xbb, 0xcc]);
        let txid = "00000000000000000000000000000000000000000000000000000000000000ff";
        assert_eq!(txid_hex(&txid_from_text(txid).unwrap()), txid);
    }
}
