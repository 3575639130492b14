//! The `field=value` syntax `encode` reads: numbers in decimal or `0x` hex (`true`/`false`
//! for flags), bytes as hex, `chain_hash` as a network name, scids as `800000x1x0`, txids
//! in display order, feature vectors as hex or names, text as text, addresses as
//! `host:port` lists.
//!
//! Each parser turns one value's text into its wire bytes, or says what is wrong with it,
//! naming the field (`label`) the way the user typed it. The value codecs themselves
//! (addresses, scids, chain hashes, txids) are in [`values`](crate::wire::values); this is
//! only the text a person types.

use bitcoin::secp256k1::{ecdsa::Signature, PublicKey};

use crate::wire::catalog::{Count, FieldSpec, FieldType, Kind};
use crate::wire::values::{self, NetAddress};
use crate::wire::{bigsize, features, hexin};

/// Bytes of one field and its element count (for its length field).
pub(super) struct Built {
    pub(super) bytes: Vec<u8>,
    pub(super) count: usize,
}

pub(super) fn built(bytes: Vec<u8>) -> Built {
    let count = bytes.len();
    Built { bytes, count }
}

pub(super) fn bits_len_error(label: &str, want: usize, got: usize) -> String {
    format!(
        "{label}: expected {want} bytes ({} hex digits), got {}",
        want * 2,
        crate::wire::fmt::bytes_word(got)
    )
}

pub(super) fn parse_hex(label: &str, v: &str) -> Result<Vec<u8>, String> {
    hexin::parse(v).or_else(|e| {
        if v.trim().is_empty() {
            Ok(Vec::new())
        } else {
            Err(format!("{label}: {e}"))
        }
    })
}

pub(super) fn parse_uint(label: &str, v: &str, max: u64) -> Result<u64, String> {
    let s = v.trim().replace('_', "");
    let n = match s.as_str() {
        "true" | "yes" | "on" => Ok(1),
        "false" | "no" | "off" => Ok(0),
        _ => match s.strip_prefix("0x") {
            Some(h) => u64::from_str_radix(h, 16),
            None => s.parse::<u64>(),
        }
        .map_err(|_| format!("{label}: {v:?} is not a number")),
    }?;
    if n > max {
        return Err(format!("{label}: {n} is too large (at most {max})"));
    }
    Ok(n)
}

pub(super) fn minimal_be(n: u64) -> Vec<u8> {
    let b = n.to_be_bytes();
    let skip = b.iter().take_while(|x| **x == 0).count();
    b[skip..].to_vec()
}

pub(super) fn exact(label: &str, bytes: Vec<u8>, want: usize) -> Result<Vec<u8>, String> {
    if bytes.len() == want {
        Ok(bytes)
    } else {
        Err(bits_len_error(label, want, bytes.len()))
    }
}

pub(super) fn parse_chain(label: &str, v: &str) -> Result<Vec<u8>, String> {
    match values::chain_by_name(v.trim()) {
        Some(hash) => Ok(hash.to_bytes().to_vec()),
        None => exact(label, parse_hex(label, v).map_err(|_| {
            format!("{label}: expected bitcoin, testnet, testnet4, signet, regtest or 64 hex digits, got {v:?}")
        })?, 32),
    }
}

pub(super) fn parse_scid(label: &str, v: &str) -> Result<Vec<u8>, String> {
    let parts: Vec<&str> = v.trim().split('x').collect();
    let n = if parts.len() == 3 {
        let block = parse_uint(label, parts[0], values::SCID_MAX_BLOCK)?;
        let tx = parse_uint(label, parts[1], values::SCID_MAX_TX)?;
        let output = parse_uint(label, parts[2], values::SCID_MAX_OUTPUT)?;
        values::scid_from_parts(block, tx, output)
    } else {
        parse_uint(label, v, u64::MAX)
            .map_err(|_| {
                format!("{label}: expected block x tx x output like 800000x1x0, got {v:?}")
            })?
            .to_be_bytes()
    };
    Ok(n.to_vec())
}

/// The highest feature bit a message can carry: the last bit of a 65535-byte vector.
pub(super) const MAX_FEATURE_BIT: u64 = 65535 * 8 - 1;

pub(super) fn parse_features(label: &str, v: &str) -> Result<Vec<u8>, String> {
    let v = v.trim();
    if let Some(list) = v.strip_prefix("bits:") {
        let bits = list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_uint(label, s, MAX_FEATURE_BIT).map(|b| b as usize))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(features::from_bits(&bits));
    }
    if v.is_empty() || v == "none" {
        return Ok(Vec::new());
    }
    if let Ok(bytes) = hexin::parse(v) {
        if !v.contains(',') && !v.chars().all(|c| c.is_ascii_digit()) || v.starts_with("0x") {
            return Ok(bytes);
        }
    }
    let mut bits = Vec::new();
    for item in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (name, required) = match item.strip_suffix('!') {
            Some(n) => (n, true),
            None => (item, false),
        };
        // A bit number is bounded like `bits:`: an unchecked one sized the vector (a typo
        // like `features=99999999999` aborted the shell allocating terabytes).
        let bit = match name.parse::<u64>() {
            Ok(_) => parse_uint(label, name, MAX_FEATURE_BIT)? as usize,
            Err(_) if !name.is_empty() && name.chars().all(|c| c.is_ascii_digit()) => {
                return Err(format!(
                    "{label}: feature bit {name} is too large (at most {MAX_FEATURE_BIT})"
                ))
            }
            Err(_) => {
                let even = features::bit_by_name(name).ok_or_else(|| {
                    let names: Vec<&str> = features::FEATURES.iter().map(|f| f.name).collect();
                    format!(
                        "{label}: unknown feature {name:?}; known: {}",
                        names.join(", ")
                    )
                })?;
                if required {
                    even
                } else {
                    even + 1
                }
            }
        };
        bits.push(bit);
    }
    Ok(features::from_bits(&bits))
}

pub(super) fn parse_address(label: &str, item: &str) -> Result<Vec<u8>, String> {
    let addr = NetAddress::from_text(item).map_err(|e| format!("{label}: {e}"))?;
    let mut out = Vec::new();
    addr.write(&mut out);
    Ok(out)
}

/// Text, or hex when prefixed with `0x`.
pub(super) fn parse_text(label: &str, v: &str) -> Result<Vec<u8>, String> {
    match v.strip_prefix("0x") {
        Some(h) => parse_hex(label, h),
        None => Ok(v.as_bytes().to_vec()),
    }
}

/// Parses a user value for field `f` (`label` names it in errors).
pub(super) fn parse_value(f: &FieldSpec, label: &str, v: &str) -> Result<Built, String> {
    let one = f.count == Count::One;
    let bytes = match f.ty {
        FieldType::Byte if one => vec![parse_uint(label, v, 0xff)? as u8],
        FieldType::U16 if one => (parse_uint(label, v, 0xffff)? as u16)
            .to_be_bytes()
            .to_vec(),
        FieldType::U32 if one => (parse_uint(label, v, 0xffff_ffff)? as u32)
            .to_be_bytes()
            .to_vec(),
        FieldType::U64 => parse_uint(label, v, u64::MAX)?.to_be_bytes().to_vec(),
        FieldType::S64 => v
            .trim()
            .replace('_', "")
            .parse::<i64>()
            .map_err(|_| format!("{label}: {v:?} is not a signed number"))?
            .to_be_bytes()
            .to_vec(),
        FieldType::Tu32 => minimal_be(parse_uint(label, v, 0xffff_ffff)?),
        FieldType::Tu64 => minimal_be(parse_uint(label, v, u64::MAX)?),
        FieldType::BigSize => bigsize::encode(parse_uint(label, v, u64::MAX)?),
        FieldType::ChainHash if one => parse_chain(label, v)?,
        FieldType::ChainHash => {
            let mut out = Vec::new();
            for item in v.split(',').filter(|s| !s.trim().is_empty()) {
                out.extend(parse_chain(label, item)?);
            }
            out
        }
        FieldType::Point => {
            let b = exact(label, parse_hex(label, v)?, 33)?;
            PublicKey::from_slice(&b)
                .map_err(|_| format!("{label}: not a valid secp256k1 point"))?;
            b
        }
        FieldType::Signature if one => {
            let b = exact(label, parse_hex(label, v)?, 64)?;
            Signature::from_compact(&b)
                .map_err(|_| format!("{label}: not a valid compact signature"))?;
            b
        }
        FieldType::Signature => {
            return Err(format!(
                "{label}: set the number of signatures (num_htlcs) instead; they are generated"
            ))
        }
        FieldType::Witness => {
            return Err(format!(
                "{label}: set num_witnesses instead; witnesses are generated"
            ))
        }
        FieldType::ShortChannelId => parse_scid(label, v)?,
        FieldType::Sha256 if f.kind == Kind::Txid => values::txid_from_text(v)
            .ok_or_else(|| format!("{label}: expected a txid (64 hex digits, display order)"))?
            .to_vec(),
        FieldType::ChannelId | FieldType::Sha256 => exact(label, parse_hex(label, v)?, 32)?,
        FieldType::U32 => {
            let nums = v
                .split(',')
                .map(|s| parse_uint(label, s, 0xffff_ffff).map(|n| (n as u32).to_be_bytes()))
                .collect::<Result<Vec<_>, _>>()?;
            nums.concat()
        }
        FieldType::Tlvs => return Err(format!("{label}: set TLV records by name")),
        _ => match f.kind {
            Kind::InitFeatures
            | Kind::NodeFeatures
            | Kind::ChannelFeatures
            | Kind::ChannelTypeFeatures => parse_features(label, v)?,
            Kind::Text => parse_text(label, v)?,
            Kind::Alias => {
                let mut b = parse_text(label, v)?;
                if b.len() > 32 {
                    return Err(format!("{label}: at most 32 bytes, got {}", b.len()));
                }
                b.resize(32, 0);
                b
            }
            Kind::Rgb => parse_hex(label, v.trim_start_matches('#'))?,
            Kind::Addresses => {
                let mut out = Vec::new();
                for item in v.split(',').filter(|s| !s.trim().is_empty()) {
                    out.extend(parse_address(label, item)?);
                }
                out
            }
            Kind::Address => parse_address(label, v)?,
            Kind::EncodedShortIds if !v.starts_with("0x") => {
                let mut out = vec![0u8];
                for item in v.split(',').filter(|s| !s.trim().is_empty()) {
                    out.extend(parse_scid(label, item)?);
                }
                out
            }
            _ => parse_hex(label, v)?,
        },
    };
    let bytes = match (f.count, f.ty.fixed_size()) {
        (Count::Fixed(n), Some(size)) => exact(label, bytes, n * size)?,
        _ => bytes,
    };
    if matches!(f.count, Count::Field(_)) && bytes.len() > 0xffff {
        return Err(format!(
            "{label}: {} bytes do not fit a u16 length",
            bytes.len()
        ));
    }
    if f.kind == Kind::Transaction && !bytes.is_empty() {
        values::parse_transaction(&bytes)
            .map_err(|e| format!("{label}: not a valid transaction: {e}"))?;
    }
    Ok(built(bytes))
}
