//! Interpreting field bytes for people and for JSON: units, network names, flags, addresses,
//! scripts, timestamps. Only called when rendering (and by a few validations), so decoding
//! itself stays cheap.

use std::fmt;
use std::fmt::Write as _;

use bitcoin::constants::ChainHash;
use bitcoin::hashes::{sha256, Hash};
use bitcoin::secp256k1::PublicKey;
use serde_json::{json, Value as Json};

use super::catalog::{self, FieldType, Kind};
use super::features;
use super::hexin::{to_hex, to_hex_short};
use super::tree::{Field, Value};

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

/// `block x tx x output` of a short_channel_id.
pub(crate) fn scid_string(raw: &[u8]) -> String {
    let mut s = String::with_capacity(20);
    push_scid(&mut s, raw);
    s
}

/// The parts of a short_channel_id: (block, transaction, output).
fn scid_parts(raw: &[u8]) -> (u64, u64, u64) {
    let v = raw.iter().fold(0u64, |a, b| a << 8 | u64::from(*b));
    (v >> 40, (v >> 16) & 0xff_ffff, v & 0xffff)
}

/// Appends [`scid_string`]'s text.
fn push_scid(out: &mut String, raw: &[u8]) {
    let (block, tx, output) = scid_parts(raw);
    push_dec(out, block);
    out.push('x');
    push_dec(out, tx);
    out.push('x');
    push_dec(out, output);
}

// The `push_*` helpers below append a value's text without the formatting machinery
// or an allocation: `decode --file` renders millions of fields, and `format!` was a
// third of its time. Each has a test against the `format!` it replaces.

/// `v`'s decimal digits (ASCII), in `digits`.
fn dec(digits: &mut [u8; 20], mut v: u64) -> &[u8] {
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &digits[i..]
}

/// Appends `v` in decimal.
pub(crate) fn push_dec(out: &mut String, v: u64) {
    // ASCII digits are always UTF-8.
    out.push_str(std::str::from_utf8(dec(&mut [0u8; 20], v)).unwrap_or_default());
}

/// Appends `v` as two lower-case hex digits (more if it needs them), as `{v:02x}`.
fn push_hex2(out: &mut String, v: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    if v > 0xff {
        let _ = write!(out, "{v:02x}");
        return;
    }
    out.push(char::from(DIGITS[(v >> 4) as usize]));
    out.push(char::from(DIGITS[(v & 15) as usize]));
}

/// Days since 1970-01-01 to (year, month, day) (proleptic Gregorian; H. Hinnant's algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// UNIX seconds as `YYYY-MM-DD hh:mm:ss UTC`.
#[cfg(test)]
pub(crate) fn utc(secs: u64) -> String {
    let mut s = String::with_capacity(23);
    push_utc(&mut s, secs);
    s
}

/// Appends [`utc`]'s text to `out` (no format machinery: it is in every gossip message).
fn push_utc(out: &mut String, secs: u64) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    let two = |out: &mut String, n: u64| {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    if (0..=9999).contains(&y) {
        two(out, y as u64 / 100);
        two(out, y as u64 % 100);
    } else {
        let _ = write!(out, "{y:04}");
    }
    out.push('-');
    two(out, u64::from(m));
    out.push('-');
    two(out, u64::from(d));
    out.push(' ');
    two(out, rem / 3600);
    out.push(':');
    two(out, rem / 60 % 60);
    out.push(':');
    two(out, rem % 60);
    out.push_str(" UTC");
}

/// `v / 10000` as `f64`'s `Display` prints it, without floating point for the values a
/// message can carry: below 10^15, `v / 10000` has at most 15 significant digits, so the
/// shortest decimal that reads back as the same `f64` is that exact decimal.
fn push_ten_thousandths(out: &mut String, v: u64) {
    if v >= 1_000_000_000_000_000 {
        let _ = write!(out, "{}", v as f64 / 10_000.0);
        return;
    }
    push_dec(out, v / 10_000);
    let frac = v % 10_000;
    if frac != 0 {
        let digits = [frac / 1000, frac / 100 % 10, frac / 10 % 10, frac % 10];
        let keep = 4 - digits.iter().rev().take_while(|d| **d == 0).count();
        out.push('.');
        for d in &digits[..keep] {
            out.push(char::from(b'0' + *d as u8));
        }
    }
}

/// A duration in words: `≈ 1.0 days`, `≈ 6.7 hours`, `≈ 40 minutes`.
#[cfg(test)]
pub(crate) fn approx_duration(secs: u64) -> String {
    let mut s = String::with_capacity(16);
    push_approx_duration(&mut s, secs);
    s
}

/// Appends [`approx_duration`]'s text.
fn push_approx_duration(out: &mut String, secs: u64) {
    let s = secs as f64;
    if secs >= 86_400 {
        let _ = write!(out, "≈ {:.1} days", s / 86_400.0);
    } else if secs >= 2 * 3600 {
        let _ = write!(out, "≈ {:.1} hours", s / 3600.0);
    } else {
        out.push_str("≈ ");
        push_dec(out, secs / 60);
        out.push_str(" minutes");
    }
}

/// `200000 sat (0.002 BTC)`.
pub(crate) fn sat(v: u64) -> String {
    let mut s = String::with_capacity(32);
    push_sat(&mut s, v);
    s
}

/// Appends [`sat`]'s text.
fn push_sat(out: &mut String, v: u64) {
    push_dec(out, v);
    out.push_str(" sat (");
    push_btc(out, u128::from(v) * 1000);
    out.push_str(" BTC)");
}

/// `1500 msat (1.5 sat)`.
#[cfg(test)]
pub(crate) fn msat(v: u64) -> String {
    let mut s = String::with_capacity(32);
    push_msat(&mut s, v);
    s
}

/// Appends [`msat`]'s text.
fn push_msat(out: &mut String, v: u64) {
    push_dec(out, v);
    if v == u64::MAX {
        out.push_str(" msat (no limit)");
        return;
    }
    out.push_str(" msat (");
    push_dec(out, v / 1000);
    push_fraction(out, v % 1000, 3);
    out.push_str(" sat)");
}

/// Appends `.` and `frac` as a `width`-digit fraction without its trailing zeros
/// (nothing when `frac` is 0).
fn push_fraction(out: &mut String, frac: u64, width: usize) {
    if frac == 0 {
        return;
    }
    let mut digits = [0u8; 20];
    let text = std::str::from_utf8(dec(&mut digits, frac)).unwrap_or_default();
    out.push('.');
    for _ in text.len()..width {
        out.push('0');
    }
    out.push_str(text.trim_end_matches('0'));
}

/// Appends msat as a BTC decimal without float error.
fn push_btc(out: &mut String, msats: u128) {
    let whole = msats / 100_000_000_000;
    // Below 10^11 by construction.
    let frac = (msats % 100_000_000_000) as u64;
    match u64::try_from(whole) {
        Ok(w) => push_dec(out, w),
        Err(_) => {
            let _ = write!(out, "{whole}");
        }
    }
    push_fraction(out, frac, 11);
}

/// A feerate in sat per 1000 weight units, with its sat/vB equivalent.
#[cfg(test)]
pub(crate) fn feerate(v: u64) -> String {
    let mut s = String::with_capacity(32);
    push_feerate(&mut s, v);
    s
}

/// Appends [`feerate`]'s text.
fn push_feerate(out: &mut String, v: u64) {
    push_dec(out, v);
    out.push_str(" sat/kw ≈ ");
    // v sat/kw is 4v/1000 sat/vB: an exact decimal with 3 places whose last digit is
    // even, so rounding it to 2 places has no ties and integers give what `{:.2}`
    // gives for the float (below 2^50, where the float is exact enough).
    if v < 1 << 50 {
        let hundredths = (4 * v + 5) / 10;
        push_dec(out, hundredths / 100);
        out.push('.');
        let frac = hundredths % 100;
        out.push(char::from(b'0' + (frac / 10) as u8));
        out.push(char::from(b'0' + (frac % 10) as u8));
    } else {
        let _ = write!(out, "{:.2}", v as f64 * 4.0 / 1000.0);
    }
    out.push_str(" sat/vB");
}

/// Bytes without trailing zeros (alias padding).
pub(crate) fn trim_zeros(raw: &[u8]) -> &[u8] {
    let end = raw.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    &raw[..end]
}

/// Printable UTF-8 text, if the bytes are that.
pub(crate) fn printable(raw: &[u8]) -> Option<&str> {
    let s = std::str::from_utf8(raw).ok()?;
    s.chars()
        .all(|c| !c.is_control() || c == '\n' || c == '\t')
        .then_some(s)
}

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

/// Parses a serialized transaction.
pub(crate) fn parse_transaction(raw: &[u8]) -> Result<bitcoin::Transaction, String> {
    bitcoin::consensus::deserialize(raw).map_err(|e| e.to_string())
}

/// What kind of output script this is.
pub(crate) fn script_kind(raw: &[u8]) -> String {
    let s = bitcoin::Script::from_bytes(raw);
    let kind = if raw.is_empty() {
        "empty"
    } else if s.is_p2wpkh() {
        "P2WPKH (segwit v0 key hash)"
    } else if s.is_p2wsh() {
        "P2WSH (segwit v0 script hash)"
    } else if s.is_p2tr() {
        "P2TR (taproot)"
    } else if s.is_p2pkh() {
        "P2PKH"
    } else if s.is_p2sh() {
        "P2SH"
    } else if s.is_op_return() {
        "OP_RETURN"
    } else if let Some(v) = s.witness_version() {
        return format!("segwit v{} program ({} bytes)", v.to_num(), raw.len());
    } else {
        "non-standard script"
    };
    format!("{kind}, {} bytes", raw.len())
}

#[cfg(test)]
fn flags_text(v: u64, names: &[&str]) -> String {
    let mut out = String::with_capacity(32);
    push_flags(&mut out, v, names);
    out
}

/// Appends [`flags_text`]'s text.
fn push_flags(out: &mut String, v: u64, names: &[&str]) {
    out.push_str("0x");
    push_hex2(out, v);
    out.push_str(": ");
    let mut first = true;
    for bit in 0..8 {
        if v & (1 << bit) != 0 {
            if !first {
                out.push_str(", ");
            }
            first = false;
            match names.get(bit) {
                Some(n) => out.push_str(n),
                None => {
                    let _ = write!(out, "unassigned bit {bit}");
                }
            }
        }
    }
    if first {
        out.push_str("no flags");
    }
}

fn failure_code_text(code: u64) -> String {
    let c = code as u16;
    let mut flags = Vec::new();
    for (bit, name) in [
        (0x8000, "BADONION"),
        (0x4000, "PERM"),
        (0x2000, "NODE"),
        (0x1000, "UPDATE"),
    ] {
        if c & bit != 0 {
            flags.push(name);
        }
    }
    let name = catalog::failure_code_name(c).unwrap_or("unknown failure");
    if flags.is_empty() {
        format!("0x{c:04x} {name}")
    } else {
        format!("0x{c:04x} {name} ({})", flags.join("|"))
    }
}

fn u32s(raw: &[u8]) -> Vec<u64> {
    raw.chunks_exact(4)
        .map(|c| u64::from(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
        .collect()
}

fn list_preview<T: fmt::Display>(items: &[T], full: bool) -> String {
    const MAX: usize = 6;
    let shown: Vec<String> = items
        .iter()
        .take(if full { usize::MAX } else { MAX })
        .map(|i| i.to_string())
        .collect();
    if items.len() > shown.len() {
        format!("{}, … ({} in all)", shown.join(", "), items.len())
    } else {
        shown.join(", ")
    }
}

fn txid_display(raw: &[u8]) -> String {
    let mut r = raw.to_vec();
    r.reverse();
    to_hex(&r)
}

/// Human-readable value of a field (`full`: do not shorten long lists).
pub(crate) fn display(f: &Field, msg: &[u8], full: bool) -> String {
    let mut s = String::new();
    display_into(f, msg, full, &mut s);
    s
}

/// Appends [`display`]'s text to `out`.
pub(crate) fn display_into(f: &Field, msg: &[u8], full: bool, out: &mut String) {
    let raw = msg.get(f.offset..f.offset + f.length).unwrap_or(&[]);
    match f.value {
        Value::Truncated => out.push_str("(truncated)"),
        Value::Uint(v) => uint_display(f, v, out),
        Value::Int(v) => {
            if v < 0 {
                out.push('-');
            }
            push_dec(out, v.unsigned_abs());
            if f.kind == Kind::Satoshis {
                out.push_str(" sat");
            }
        }
        Value::Bytes => bytes_display(f, raw, full, out),
    }
}

fn uint_display(f: &Field, v: u64, out: &mut String) {
    let then = |out: &mut String, before: &str, after: &str| {
        out.push_str(before);
        push_dec(out, v);
        out.push_str(after);
    };
    match f.kind {
        Kind::Satoshis => push_sat(out, v),
        Kind::Millisatoshis => push_msat(out, v),
        Kind::FeeratePerKw => push_feerate(out, v),
        Kind::DelayBlocks | Kind::BlockDelta => {
            then(out, "", " blocks ");
            push_approx_duration(out, v * 600);
        }
        Kind::BlockHeight => then(out, "block ", ""),
        Kind::BlockCount => then(out, "", " blocks"),
        Kind::Confirmations => then(out, "", " confirmations"),
        Kind::Locktime => match v {
            0 => out.push_str("0 (no lock time)"),
            1..=499_999_999 => then(out, "block height ", ""),
            _ => {
                then(out, "", " = ");
                push_utc(out, v);
            }
        },
        Kind::Timestamp => {
            then(out, "", " = ");
            push_utc(out, v);
        }
        Kind::Seconds => {
            then(out, "", " s ");
            push_approx_duration(out, v);
        }
        Kind::Millionths => {
            then(out, "", " ppm = ");
            push_ten_thousandths(out, v);
            out.push('%');
        }
        Kind::ByteCount => then(out, "", " bytes"),
        Kind::OpenChannelFlags => push_flags(out, v, &["announce_channel"]),
        Kind::UpdateChannelFlags => {
            out.push_str("0x");
            push_hex2(out, v);
            out.push_str(if v & 1 == 0 {
                ": direction 0 (sent by node_id_1), "
            } else {
                ": direction 1 (sent by node_id_2), "
            });
            out.push_str(if v & 2 == 0 { "enabled" } else { "disabled" });
            if v & !3 != 0 {
                out.push_str(", unassigned bits set");
            }
        }
        Kind::MessageFlags => push_flags(out, v, &["must_be_one", "dont_forward"]),
        Kind::Bool => match v {
            0 => out.push_str("0 (false)"),
            1 => out.push_str("1 (true)"),
            _ => then(out, "", " (invalid: must be 0 or 1)"),
        },
        Kind::EncodingType => match v {
            0 => out.push_str("0 (uncompressed)"),
            1 => out.push_str("1 (zlib: no longer allowed)"),
            _ => then(out, "", " (unknown)"),
        },
        Kind::FailureCode => out.push_str(&failure_code_text(v)),
        Kind::MessageType => match catalog::by_type(v as u16) {
            Some(m) => {
                then(out, "", " (");
                out.push_str(m.name);
                out.push(')');
            }
            None => push_dec(out, v),
        },
        Kind::RetransmitFlags => push_flags(out, v, &["retransmit"]),
        Kind::QueryOptionFlags => push_flags(out, v, &["want timestamps", "want checksums"]),
        Kind::Sequence => {
            let note = match v {
                0xffff_ffff => "final",
                0xffff_fffe => "no RBF",
                _ => "signals RBF",
            };
            let _ = write!(out, "0x{v:08x} ({note})");
        }
        Kind::SerialId => then(
            out,
            "",
            if v.is_multiple_of(2) {
                " (even: added by the initiator)"
            } else {
                " (odd: added by the accepter)"
            },
        ),
        _ => push_dec(out, v),
    }
}

fn bytes_display(f: &Field, raw: &[u8], full: bool, out: &mut String) {
    // The common fixed-size kinds append directly; the rest build their text.
    match f.ty {
        FieldType::ChainHash if raw.len() == 32 => {
            out.push_str(chain_name(raw).unwrap_or("unknown chain"))
        }
        FieldType::Point if f.ok => out.push_str("valid point"),
        FieldType::Point => out.push_str("NOT a valid curve point"),
        FieldType::Signature if f.ok => out.push_str("compact signature (not verified here)"),
        FieldType::Signature => out.push_str("NOT a valid compact signature"),
        FieldType::ShortChannelId => {
            let (block, tx, output) = scid_parts(raw);
            push_scid(out, raw);
            out.push_str(" (block ");
            push_dec(out, block);
            out.push_str(", transaction ");
            push_dec(out, tx);
            out.push_str(", output ");
            push_dec(out, output);
            out.push(')');
        }
        FieldType::ChannelId => out.push_str(channel_id_text(raw)),
        FieldType::Sha256 if f.kind != Kind::Txid => {}
        _ => out.push_str(&bytes_text(f, raw, full)),
    }
}

fn bytes_text(f: &Field, raw: &[u8], full: bool) -> String {
    match f.ty {
        FieldType::ChainHash => {
            let names: Vec<&str> = raw
                .chunks_exact(32)
                .map(|c| chain_name(c).unwrap_or("unknown chain"))
                .collect();
            list_preview(&names, full)
        }
        FieldType::Sha256 if f.kind == Kind::Txid => format!("txid {}", txid_display(raw)),
        FieldType::Witness => match parse_witness(raw) {
            Ok(items) => {
                let sizes: Vec<String> = items.iter().map(|r| format!("{} B", r.len())).collect();
                format!("{} items: {}", items.len(), sizes.join(", "))
            }
            Err(e) => format!("invalid witness: {e}"),
        },
        FieldType::ChannelUpdateChecksums => {
            let pairs: Vec<String> = u32s(raw)
                .chunks(2)
                .map(|p| format!("{:08x}/{:08x}", p[0], p.get(1).unwrap_or(&0)))
                .collect();
            list_preview(&pairs, full)
        }
        FieldType::Sha256Trunc4 => format!("{} truncated HMACs", raw.len() / 4),
        FieldType::U32 => list_preview(&u32s(raw), full),
        _ => byte_kind_display(f, raw, full),
    }
}

fn channel_id_text(raw: &[u8]) -> &'static str {
    if raw.iter().all(|b| *b == 0) {
        "all zero: refers to all channels"
    } else {
        ""
    }
}

fn byte_kind_display(f: &Field, raw: &[u8], full: bool) -> String {
    match f.kind {
        Kind::InitFeatures
        | Kind::NodeFeatures
        | Kind::ChannelFeatures
        | Kind::ChannelTypeFeatures => {
            let words = features::describe(raw);
            if words.is_empty() {
                "none".to_string()
            } else {
                words.join(", ")
            }
        }
        Kind::Alias => format!("{:?}", String::from_utf8_lossy(trim_zeros(raw))),
        Kind::Rgb if raw.len() == 3 => format!("#{}", to_hex(raw)),
        Kind::Addresses | Kind::Address => {
            let (addrs, problem) = parse_addresses(raw);
            let mut s = if addrs.is_empty() {
                "none".to_string()
            } else {
                list_preview(&addrs, full)
            };
            if let Some(p) = problem {
                s.push_str(&format!(" (then: {p})"));
            }
            s
        }
        Kind::Text => match printable(raw) {
            Some(t) => format!("{t:?}"),
            None if raw.is_empty() => "(empty)".to_string(),
            None => format!("(not printable text, {} bytes)", raw.len()),
        },
        Kind::Script => script_kind(raw),
        Kind::Preimage => format!(
            "its SHA256 (the payment_hash) is {}",
            to_hex(sha256::Hash::hash(raw).as_byte_array())
        ),
        Kind::Secret => format!("{}-byte secret", raw.len()),
        Kind::ChannelIdBytes => channel_id_text(raw).to_string(),
        Kind::Onion if raw.len() >= 66 => {
            let key_ok = PublicKey::from_slice(&raw[1..34]).is_ok();
            format!(
                "version {}, ephemeral key {} ({}), {} bytes of hop data, hmac {}",
                raw[0],
                to_hex_short(&raw[1..34], 6),
                if key_ok { "valid" } else { "NOT a valid point" },
                raw.len() - 66,
                to_hex_short(&raw[raw.len() - 32..], 6)
            )
        }
        Kind::Transaction if raw.is_empty() => "none (shared input)".to_string(),
        Kind::Transaction => match parse_transaction(raw) {
            Ok(tx) => {
                let out: u64 = tx.output.iter().map(|o| o.value.to_sat()).sum();
                format!(
                    "txid {}, {} input(s), {} output(s) paying {}",
                    tx.compute_txid(),
                    tx.input.len(),
                    tx.output.len(),
                    sat(out)
                )
            }
            Err(e) => format!("invalid transaction: {e}"),
        },
        Kind::EncodedShortIds => match raw.split_first() {
            Some((0, rest)) => {
                let ids: Vec<String> = rest.chunks_exact(8).map(scid_string).collect();
                format!(
                    "uncompressed, {} short_channel_id(s): {}",
                    ids.len(),
                    list_preview(&ids, full)
                )
            }
            Some((t, rest)) => format!("encoding {t}, {} bytes", rest.len()),
            None => "(empty)".to_string(),
        },
        Kind::EncodedTimestamps => {
            let pairs: Vec<String> = u32s(raw)
                .chunks(2)
                .map(|p| format!("{}/{}", p[0], p.get(1).unwrap_or(&0)))
                .collect();
            list_preview(&pairs, full)
        }
        Kind::EncodedQueryFlags => {
            let flags = bigsizes(raw);
            list_preview(&flags, full)
        }
        Kind::Ignored => format!("{} bytes, ignored", raw.len()),
        Kind::HoldTimes => list_preview(&u32s(raw), full),
        _ => format!("{} bytes", raw.len()),
    }
}

fn bigsizes(raw: &[u8]) -> Vec<u64> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Ok((v, n)) = super::bigsize::read(&raw[pos..]) {
        out.push(v);
        pos += n;
    }
    out
}

/// Machine-friendly value of a field: numbers in their wire unit, strings for names and
/// text, arrays for lists.
pub(crate) fn json_value(f: &Field, msg: &[u8]) -> Json {
    let raw = msg.get(f.offset..f.offset + f.length).unwrap_or(&[]);
    match f.value {
        Value::Truncated => Json::Null,
        Value::Uint(v) if f.kind == Kind::Bool && v <= 1 => Json::Bool(v == 1),
        Value::Uint(v) => json!(v),
        Value::Int(v) => json!(v),
        Value::Bytes => bytes_json(f, raw),
    }
}

/// Writes [`json_value`] as JSON text to `out` (the bytes `serde_json::to_writer` gives for
/// it), without building a `Json` for the common cases (numbers, plain hex).
pub(crate) fn write_json_value(f: &Field, msg: &[u8], out: &mut Vec<u8>) {
    let raw = msg.get(f.offset..f.offset + f.length).unwrap_or(&[]);
    match f.value {
        Value::Truncated => out.extend_from_slice(b"null"),
        Value::Uint(v) if f.kind == Kind::Bool && v <= 1 => {
            out.extend_from_slice(if v == 1 { b"true" } else { b"false" })
        }
        Value::Uint(v) => push_u64(out, v),
        Value::Int(v) => push_i64(out, v),
        // The two special kinds in every gossip message, without a `Json` value.
        Value::Bytes if f.ty == FieldType::ChainHash && f.length == 32 => {
            out.push(b'"');
            out.extend_from_slice(chain_name(raw).unwrap_or("unknown").as_bytes());
            out.push(b'"');
        }
        Value::Bytes if f.ty == FieldType::ShortChannelId => {
            let mut text = String::with_capacity(24);
            text.push('"');
            push_scid(&mut text, raw);
            text.push('"');
            out.extend_from_slice(text.as_bytes());
        }
        Value::Bytes => match bytes_json_special(f, raw) {
            Some(v) => {
                // Writing to a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *out, &v);
            }
            None => push_hex_string(out, raw),
        },
    }
}

/// `v` in decimal (what serde_json prints for an integer).
pub(crate) fn push_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(dec(&mut [0u8; 20], v));
}

/// `v` in decimal, with a `-` when negative.
pub(crate) fn push_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    push_u64(out, v.unsigned_abs());
}

/// `"` + lower-case hex of `raw` + `"`.
pub(crate) fn push_hex_string(out: &mut Vec<u8>, raw: &[u8]) {
    out.push(b'"');
    let start = out.len();
    out.resize(start + raw.len() * 2, 0);
    // The slice is exactly twice `raw`'s length, so this cannot fail.
    let _ = hex::encode_to_slice(raw, &mut out[start..]);
    out.push(b'"');
}

fn bytes_json(f: &Field, raw: &[u8]) -> Json {
    bytes_json_special(f, raw).unwrap_or_else(|| json!(to_hex(raw)))
}

/// The JSON value of a bytes field, or `None` when it is just its hex.
fn bytes_json_special(f: &Field, raw: &[u8]) -> Option<Json> {
    Some(match f.ty {
        FieldType::ChainHash if f.length == 32 => json!(chain_name(raw).unwrap_or("unknown")),
        FieldType::ChainHash => raw
            .chunks_exact(32)
            .map(|c| json!(chain_name(c).unwrap_or("unknown")))
            .collect(),
        FieldType::ShortChannelId => json!(scid_string(raw)),
        FieldType::Sha256 if f.kind == Kind::Txid => json!(txid_display(raw)),
        FieldType::Witness => match parse_witness(raw) {
            Ok(items) => items.into_iter().map(|r| json!(to_hex(&raw[r]))).collect(),
            Err(_) => Json::Null,
        },
        FieldType::ChannelUpdateChecksums | FieldType::U32 => {
            u32s(raw).into_iter().map(|v| json!(v)).collect()
        }
        _ => match f.kind {
            Kind::InitFeatures
            | Kind::NodeFeatures
            | Kind::ChannelFeatures
            | Kind::ChannelTypeFeatures => features::set_bits(raw)
                .into_iter()
                .map(|b| json!({"bit": b, "name": features::name_of(b), "required": b % 2 == 0}))
                .collect(),
            Kind::Alias => json!(String::from_utf8_lossy(trim_zeros(raw))),
            Kind::Addresses => parse_addresses(raw)
                .0
                .iter()
                .map(|a| json!(a.to_string()))
                .collect(),
            Kind::Address => match parse_addresses(raw).0.first() {
                Some(a) => json!(a.to_string()),
                None => Json::Null,
            },
            Kind::Text => match std::str::from_utf8(raw) {
                Ok(s) => json!(s),
                Err(_) => json!(to_hex(raw)),
            },
            Kind::EncodedShortIds => match raw.split_first() {
                Some((t, rest)) => json!({
                    "encoding_type": t,
                    "short_channel_ids": if *t == 0 { rest.chunks_exact(8).map(scid_string).collect::<Vec<_>>() } else { Vec::new() },
                }),
                None => Json::Null,
            },
            Kind::EncodedTimestamps => u32s(raw).into_iter().map(|v| json!(v)).collect(),
            Kind::EncodedQueryFlags => bigsizes(raw).into_iter().map(|v| json!(v)).collect(),
            Kind::Transaction if !raw.is_empty() => match parse_transaction(raw) {
                Ok(tx) => json!({
                    "txid": tx.compute_txid().to_string(),
                    "inputs": tx.input.len(),
                    "outputs": tx.output.len(),
                }),
                Err(_) => Json::Null,
            },
            Kind::Onion if raw.len() >= 66 => json!({
                "version": raw[0],
                "public_key": to_hex(&raw[1..34]),
                "hop_data_length": raw.len() - 66,
                "hmac": to_hex(&raw[raw.len() - 32..]),
            }),
            Kind::HoldTimes => u32s(raw).into_iter().map(|v| json!(v)).collect(),
            _ => return None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc(4_294_967_295), "2106-02-07 06:28:15 UTC");
    }

    #[test]
    fn fast_formatters_match_the_formatting_machinery() {
        for v in test_values() {
            let mut fast = String::new();
            push_ten_thousandths(&mut fast, v);
            assert_eq!(fast, format!("{}", v as f64 / 10_000.0), "{v}");
            let (days, rem) = ((v / 86_400) as i64, v % 86_400);
            let (y, m, d) = civil_from_days(days);
            let slow = format!(
                "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
                rem / 3600,
                rem / 60 % 60,
                rem % 60
            );
            assert_eq!(utc(v), slow, "{v}");
        }
        // The `format!`s the push_* helpers replaced.
        let btc = |msats: u128| {
            let (whole, frac) = (msats / 100_000_000_000, msats % 100_000_000_000);
            if frac == 0 {
                whole.to_string()
            } else {
                format!("{whole}.{}", format!("{frac:011}").trim_end_matches('0'))
            }
        };
        for v in test_values() {
            assert_eq!(
                feerate(v),
                format!("{v} sat/kw ≈ {:.2} sat/vB", v as f64 * 4.0 / 1000.0),
                "{v}"
            );
            assert_eq!(
                sat(v),
                format!("{v} sat ({} BTC)", btc(u128::from(v) * 1000))
            );
            let (sats, frac) = (v / 1000, v % 1000);
            let old_msat = if v == u64::MAX {
                format!("{v} msat (no limit)")
            } else if frac == 0 {
                format!("{v} msat ({sats} sat)")
            } else {
                format!(
                    "{v} msat ({sats}.{} sat)",
                    format!("{frac:03}").trim_end_matches('0')
                )
            };
            assert_eq!(msat(v), old_msat);
            let mut dec = String::new();
            push_dec(&mut dec, v);
            assert_eq!(dec, v.to_string());
            let mut hex = String::new();
            push_hex2(&mut hex, v);
            assert_eq!(hex, format!("{v:02x}"));
            let raw = v.to_be_bytes();
            assert_eq!(
                scid_string(&raw),
                format!("{}x{}x{}", v >> 40, (v >> 16) & 0xff_ffff, v & 0xffff)
            );
        }
        assert_eq!(flags_text(0, &["a"]), "0x00: no flags");
        assert_eq!(flags_text(5, &["a", "b"]), "0x05: a, unassigned bit 2");
    }

    /// Small, round, random and extreme values, for the fast formatters.
    fn test_values() -> Vec<u64> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut values: Vec<u64> = (0..20_000u64).collect();
        for _ in 0..50_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(x % 10_000_000_000);
            values.push(x >> (x % 64));
            values.push((x % 1000) * 10u64.pow((x % 16) as u32));
        }
        values.extend([
            u64::from(u32::MAX),
            999_999_999_999_999,
            1_000_000_000_000_000,
            (1 << 50) - 1,
            1 << 50,
            u64::MAX - 1,
            u64::MAX,
        ]);
        values
    }

    #[test]
    fn amounts() {
        assert_eq!(sat(200_000), "200000 sat (0.002 BTC)");
        assert_eq!(sat(100_000_000), "100000000 sat (1 BTC)");
        assert_eq!(msat(1500), "1500 msat (1.5 sat)");
        assert_eq!(approx_duration(144 * 600), "≈ 1.0 days");
        assert_eq!(approx_duration(4 * 3600), "≈ 4.0 hours");
        assert_eq!(approx_duration(600), "≈ 10 minutes");
        assert_eq!(msat(1000), "1000 msat (1 sat)");
        assert_eq!(feerate(253), "253 sat/kw ≈ 1.01 sat/vB");
    }

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
}
