//! Interpreting field bytes for people and for JSON: units, network names, flags, addresses,
//! scripts, timestamps. Only called when rendering (and by a few validations), so decoding
//! itself stays cheap.

use std::fmt;
use std::fmt::Write as _;

use bitcoin::hashes::{sha256, Hash};
use bitcoin::secp256k1::PublicKey;

use crate::wire::catalog::{self, FieldType, Kind};
use crate::wire::features;
use crate::wire::fmt::{
    push_approx_duration, push_dec, push_feerate, push_hex2, push_msat, push_sat,
    push_ten_thousandths, push_utc, sat,
};
use crate::wire::hexin::{to_hex, to_hex_short};
use crate::wire::tree::{Field, Value};
use crate::wire::values::{
    bigsizes, chain_name, parse_addresses, parse_transaction, parse_witness, push_scid, scid_parts,
    scid_string, trim_zeros, txid_hex, u32s,
};

/// Printable UTF-8 text, if the bytes are that.
pub(crate) fn printable(raw: &[u8]) -> Option<&str> {
    let s = std::str::from_utf8(raw).ok()?;
    s.chars()
        .all(|c| !c.is_control() || c == '\n' || c == '\t')
        .then_some(s)
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
        Value::Bytes => bytes_display(f, raw, msg, full, out),
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

fn bytes_display(f: &Field, raw: &[u8], msg: &[u8], full: bool, out: &mut String) {
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
        FieldType::ChannelId => out.push_str(channel_id_text(raw, msg)),
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
        FieldType::Sha256 if f.kind == Kind::Txid => format!("txid {}", txid_hex(raw)),
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

/// The note on a channel id. BOLT 1 gives zeros a meaning only in `error` (type 17: every
/// channel) and `warning` (type 1: no particular channel); anywhere else they are just zeros.
fn channel_id_text(raw: &[u8], msg: &[u8]) -> &'static str {
    if raw.is_empty() || raw.iter().any(|b| *b != 0) {
        return "";
    }
    match msg.get(..2) {
        Some([0, 17]) => "all zero: refers to all channels",
        Some([0, 1]) => "all zero: about no particular channel",
        _ => "all zero (a meaning only in error and warning)",
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
        // A temporary id is never "every channel"; only error says that.
        Kind::ChannelIdBytes => channel_id_text(raw, &[]).to_string(),
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
        _ => format!("{} bytes", raw.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_text_matches_the_formatting_machinery() {
        assert_eq!(flags_text(0, &["a"]), "0x00: no flags");
        assert_eq!(flags_text(5, &["a", "b"]), "0x05: a, unassigned bit 2");
    }

    /// Text with newlines and tabs is printable; any other control character is not.
    #[test]
    fn printable_allows_newline_and_tab_only() {
        assert_eq!(
            printable(b"two\nlines\tand a tab"),
            Some("two\nlines\tand a tab")
        );
        assert_eq!(printable(b"plain"), Some("plain"));
        for bad in [&b"bell\x07"[..], b"nul\x00", b"cr\r", b"\xff"] {
            assert_eq!(printable(bad), None, "{bad:?}");
        }
    }

    /// Up to six items are listed whole; beyond that the first six and the count, unless
    /// `full`.
    #[test]
    fn long_lists_are_cut_after_six_unless_full() {
        assert_eq!(list_preview::<u32>(&[], false), "");
        assert_eq!(list_preview(&[1, 2, 3], false), "1, 2, 3");
        assert_eq!(list_preview(&[1, 2, 3, 4, 5, 6], false), "1, 2, 3, 4, 5, 6");
        assert_eq!(
            list_preview(&[1, 2, 3, 4, 5, 6, 7, 8], false),
            "1, 2, 3, 4, 5, 6, … (8 in all)"
        );
        assert_eq!(
            list_preview(&[1, 2, 3, 4, 5, 6, 7, 8], true),
            "1, 2, 3, 4, 5, 6, 7, 8"
        );
    }

    /// A channel_update's channel_flags: the direction bit, the disable bit, and a remark
    /// only when a bit above those two is set.
    #[test]
    fn channel_flags_name_each_bit() {
        let base =
            crate::wire::encode::example("channel_update", bitcoin::Network::Regtest).unwrap();
        let shown = |flags: u8| {
            let d = crate::wire::decode_bytes(&base, crate::wire::DecodeOptions::default());
            let f = d.field("channel_flags").unwrap();
            let mut m = base.clone();
            m[f.offset] = flags;
            let d = crate::wire::decode_bytes(&m, crate::wire::DecodeOptions::default());
            display(d.field("channel_flags").unwrap(), &m, false)
        };
        assert_eq!(shown(0), "0x00: direction 0 (sent by node_id_1), enabled");
        assert_eq!(shown(3), "0x03: direction 1 (sent by node_id_2), disabled");
        assert_eq!(
            shown(4),
            "0x04: direction 0 (sent by node_id_1), enabled, unassigned bits set"
        );
    }

    /// A signed amount keeps its sign: tx_ack_rbf's funding_output_contribution of -50 000.
    #[test]
    fn negative_amounts_keep_their_sign() {
        let mut m = vec![0, 73];
        m.extend([0u8; 32]);
        m.extend([0x00, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3c, 0xb0]);
        let d = crate::wire::decode_bytes(&m, crate::wire::DecodeOptions::default());
        let f = &d.tlvs[0].fields[0];
        assert_eq!(f.value, Value::Int(-50_000));
        assert_eq!(display(f, &m, false), "-50000 sat");
        // Zero has no sign.
        let n = m.len();
        m[n - 8..].fill(0);
        let d = crate::wire::decode_bytes(&m, crate::wire::DecodeOptions::default());
        let f = &d.tlvs[0].fields[0];
        assert_eq!(f.value, Value::Int(0));
        assert_eq!(display(f, &m, false), "0 sat");
    }
}
