//! Building wire messages from `field=value` assignments: `encode open_channel
//! funding_satoshis=200000 channel_type=static_remotekey`.
//!
//! Every field the user leaves out gets a sensible default: amounts and delays a node would
//! really use, the network's `chain_hash`, deterministic keys derived from fixed secrets,
//! real (but meaningless) ECDSA signatures, and well-formed scripts, transactions and onions.
//! Length fields are always computed. The result decodes without errors and LDK reads it.
//!
//! Value syntax: numbers in decimal or `0x` hex (`true`/`false` for flags); bytes, points and
//! signatures as hex; `chain_hash` as a network name; `short_channel_id` as `800000x1x0`;
//! txids in display order (as explorers show them); feature vectors as hex, or as a comma list
//! of names and bit numbers (`static_remotekey,anchors` sets optional bits, `bits:12,22` exact
//! bits); text fields (`error`/`warning` data, `alias`) as text; `addresses` as
//! `1.2.3.4:9735,[::1]:9735,host.example:9735`. TLV records are set by name
//! (`channel_type=...`, `fee_range=100,2000` or `fee_range.min_fee_satoshis=100`), removed with
//! `name=none`, and unknown odd records added as `tlv.<type>=<hex>`.

use std::collections::BTreeMap;

use bitcoin::absolute::LockTime;
use bitcoin::constants::ChainHash;
use bitcoin::hashes::{hash160, sha256, Hash};
use bitcoin::secp256k1::{ecdsa::Signature, Message, PublicKey, Secp256k1, SecretKey, SignOnly};
use bitcoin::{
    transaction, Amount, Network, OutPoint, ScriptBuf, Sequence, Transaction, TxIn, TxOut, Txid,
    Witness,
};

use super::catalog::{
    self, Count, FieldSpec, FieldType, Kind, MessageSpec, TlvRecordSpec, TlvStreamSpec,
};
use super::tree::{Decoded, Field, TlvStatus, Value};
use super::values::{self, NetAddress};
use super::{bigsize, features, hexin};

/// Builds `type || payload` for the message `name` from `field=value` assignments.
pub fn encode(
    name: &str,
    assignments: &[(String, String)],
    network: Network,
) -> Result<Vec<u8>, String> {
    let spec = catalog::by_name(name).ok_or_else(|| {
        format!(
            "unknown message {name:?}; known messages: {}",
            catalog::message_names().join(", ")
        )
    })?;
    let mut asg: BTreeMap<&str, &str> = BTreeMap::new();
    for (k, v) in assignments {
        if asg.insert(k.as_str(), v.as_str()).is_some() {
            return Err(format!("{k} is assigned twice"));
        }
    }
    check_names(spec, &asg)?;
    let ctx = Ctx::new(network, spec);
    let mut out = spec.msg_type.to_be_bytes().to_vec();
    out.extend(build_fields(&ctx, &asg)?);
    if let Some(stream) = spec.tlv_stream {
        out.extend(build_tlvs(&ctx, stream, &asg)?);
    } else {
        out.extend(build_extension(&catalog::EXTENSION, &asg)?);
    }
    if out.len() > super::decode::MAX_MESSAGE_SIZE {
        return Err(format!(
            "the message would be {} bytes; the maximum is 65535",
            out.len()
        ));
    }
    Ok(out)
}

/// Names `encode` accepts for a message: fields, then TLV records (and `record.field`).
pub fn settable_names(name: &str) -> Result<Vec<String>, String> {
    let spec = catalog::by_name(name).ok_or_else(|| format!("unknown message {name:?}"))?;
    let mut names: Vec<String> = data_fields(spec)
        .iter()
        .enumerate()
        .filter(|(i, f)| !is_byte_length(spec, *i) && f.ty != FieldType::Witness)
        .map(|(_, f)| f.name.to_string())
        .collect();
    if let Some(stream) = spec.tlv_stream {
        for r in stream.records {
            names.push(r.name.to_string());
            if r.fields.len() > 1 {
                names.extend(r.fields.iter().map(|f| format!("{}.{}", r.name, f.name)));
            }
        }
    }
    Ok(names)
}

/// The message's fields without the trailing `tlvs` field.
fn data_fields(spec: &MessageSpec) -> &'static [FieldSpec] {
    match spec.fields.last() {
        Some(last) if last.ty == FieldType::Tlvs => &spec.fields[..spec.fields.len() - 1],
        _ => spec.fields,
    }
}

/// Index of the field whose count field `i` is.
fn counted_by(fields: &[FieldSpec], i: usize) -> Option<usize> {
    let name = fields.get(i)?.name;
    fields.iter().position(|f| f.count == Count::Field(name))
}

/// A length field in bytes (computed, not settable). Element counts of generated arrays
/// (`num_htlcs`, `num_witnesses`) are settable.
fn is_byte_length(spec: &MessageSpec, i: usize) -> bool {
    let fields = data_fields(spec);
    match counted_by(fields, i) {
        Some(j) => !matches!(fields[j].ty, FieldType::Signature | FieldType::Witness),
        None => false,
    }
}

fn check_names(spec: &MessageSpec, asg: &BTreeMap<&str, &str>) -> Result<(), String> {
    let valid = settable_names(spec.name)?;
    for key in asg.keys() {
        if valid.iter().any(|v| v == key) {
            continue;
        }
        if let Some(t) = key.strip_prefix("tlv.") {
            if t.parse::<u64>().is_ok() {
                continue;
            }
        }
        let fields = data_fields(spec);
        if let Some(i) = fields.iter().position(|f| f.name == *key) {
            if is_byte_length(spec, i) {
                let data = counted_by(fields, i).map_or("the data", |j| fields[j].name);
                return Err(format!("{key} is computed from {data}; set {data} instead"));
            }
        }
        return Err(format!(
            "unknown field {key:?} for {}. Settable: {}. Length fields are computed; unknown odd TLV records can be added as tlv.<type>=<hex>",
            spec.name,
            valid.join(", ")
        ));
    }
    Ok(())
}

/// Key material and the network, for defaults.
struct Ctx {
    secp: Secp256k1<SignOnly>,
    network: Network,
    msg: &'static MessageSpec,
}

impl Ctx {
    fn new(network: Network, msg: &'static MessageSpec) -> Ctx {
        Ctx {
            secp: Secp256k1::signing_only(),
            network,
            msg,
        }
    }

    fn secret(&self, tag: &str) -> Result<SecretKey, String> {
        let h = sha256::Hash::hash(format!("lnshell example key: {tag}").as_bytes());
        SecretKey::from_slice(h.as_byte_array())
            .map_err(|e| format!("deriving a key for {tag}: {e}"))
    }

    fn pubkey(&self, tag: &str) -> Result<PublicKey, String> {
        Ok(PublicKey::from_secret_key(&self.secp, &self.secret(tag)?))
    }

    fn point(&self, tag: &str) -> Result<Vec<u8>, String> {
        Ok(self.pubkey(tag)?.serialize().to_vec())
    }

    fn sign(&self, tag: &str) -> Result<Signature, String> {
        let digest = sha256::Hash::hash(format!("lnshell example signature: {tag}").as_bytes());
        let msg = Message::from_digest(digest.to_byte_array());
        Ok(self.secp.sign_ecdsa(&msg, &self.secret(tag)?))
    }

    fn signature(&self, tag: &str) -> Result<Vec<u8>, String> {
        Ok(self.sign(tag)?.serialize_compact().to_vec())
    }

    fn chain_hash(&self) -> [u8; 32] {
        ChainHash::using_genesis_block_const(self.network).to_bytes()
    }

    /// P2WPKH script of a derived key.
    fn p2wpkh(&self, tag: &str) -> Result<Vec<u8>, String> {
        let key = self.pubkey(tag)?;
        let mut s = vec![0x00, 0x14];
        s.extend(hash160::Hash::hash(&key.serialize()).to_byte_array());
        Ok(s)
    }
}

/// Bytes of one field and its element count (for its length field).
struct Built {
    bytes: Vec<u8>,
    count: usize,
}

fn build_fields(ctx: &Ctx, asg: &BTreeMap<&str, &str>) -> Result<Vec<u8>, String> {
    let spec = ctx.msg;
    let fields = data_fields(spec);
    let mut built: Vec<Option<Built>> = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        if counted_by(fields, i).is_some() {
            built.push(None);
            continue;
        }
        let count_override = match f.count {
            Count::Field(len_name) => match asg.get(len_name) {
                Some(v) => Some(generated_count(f, len_name, v)?),
                None => None,
            },
            _ => None,
        };
        let b = match asg.get(f.name) {
            Some(v) => parse_value(ctx, f, f.name, v)?,
            None => default_value(ctx, f, f.name, count_override)?,
        };
        built.push(Some(b));
    }
    node_id_order(ctx, fields, asg, &mut built)?;
    let mut out = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        match (&built[i], counted_by(fields, i)) {
            (Some(b), _) => out.extend(&b.bytes),
            (None, Some(j)) => {
                let count = built[j].as_ref().map_or(0, |b| b.count);
                let n = u16::try_from(count).map_err(|_| {
                    format!(
                        "{} is {count} long; its length field {} is a u16",
                        fields[j].name, f.name
                    )
                })?;
                out.extend(n.to_be_bytes());
            }
            (None, None) => {}
        }
    }
    Ok(out)
}

/// The number of generated HTLC signatures or witnesses asked for, refused before any is
/// generated when they cannot fit in a message (65535 signatures took seconds to make, only
/// to be refused as too long).
fn generated_count(f: &FieldSpec, count_name: &str, v: &str) -> Result<usize, String> {
    let n = parse_uint(count_name, v, 0xffff)? as usize;
    // Bytes each takes at least: a compact signature; a placeholder witness (u16 length,
    // item count, a DER signature of 68+ bytes with its sighash byte, a 33-byte key).
    let each = match f.ty {
        FieldType::Signature => 64,
        _ => 100,
    };
    if n * each > super::decode::MAX_MESSAGE_SIZE {
        return Err(format!(
            "{count_name}: {n} {} take at least {} bytes; a message has at most 65535",
            f.name,
            n * each
        ));
    }
    Ok(n)
}

/// channel_announcement: BOLT 7 wants node_id_1 < node_id_2; swap default keys if needed.
fn node_id_order(
    ctx: &Ctx,
    fields: &[FieldSpec],
    asg: &BTreeMap<&str, &str>,
    built: &mut [Option<Built>],
) -> Result<(), String> {
    if ctx.msg.msg_type != catalog::CHANNEL_ANNOUNCEMENT
        || asg.contains_key("node_id_1")
        || asg.contains_key("node_id_2")
    {
        return Ok(());
    }
    let pos = |n: &str| fields.iter().position(|f| f.name == n);
    if let (Some(a), Some(b)) = (pos("node_id_1"), pos("node_id_2")) {
        let lower = |i: usize| {
            built[i]
                .as_ref()
                .map(|x| x.bytes.clone())
                .unwrap_or_default()
        };
        if lower(a) > lower(b) {
            built.swap(a, b);
        }
    }
    Ok(())
}

fn build_tlvs(
    ctx: &Ctx,
    stream: &'static TlvStreamSpec,
    asg: &BTreeMap<&str, &str>,
) -> Result<Vec<u8>, String> {
    let mut records: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
    for rec in stream.records {
        if let Some(value) = build_record(ctx, rec, asg)? {
            records.insert(rec.tlv_type, value);
        }
    }
    add_extra_records(stream, asg, &mut records)?;
    Ok(serialize_records(&records))
}

fn build_extension(
    stream: &'static TlvStreamSpec,
    asg: &BTreeMap<&str, &str>,
) -> Result<Vec<u8>, String> {
    let mut records = BTreeMap::new();
    add_extra_records(stream, asg, &mut records)?;
    Ok(serialize_records(&records))
}

/// `tlv.<type>=<hex>` records: only types the stream does not define, and only odd ones.
fn add_extra_records(
    stream: &TlvStreamSpec,
    asg: &BTreeMap<&str, &str>,
    records: &mut BTreeMap<u64, Vec<u8>>,
) -> Result<(), String> {
    for (key, value) in asg {
        let Some(t) = key.strip_prefix("tlv.") else {
            continue;
        };
        let t: u64 = t
            .parse()
            .map_err(|_| format!("{key}: the TLV type must be a number"))?;
        if let Some(r) = stream.record(t) {
            return Err(format!(
                "{key}: type {t} is {} in {}; set it by that name",
                r.name, stream.name
            ));
        }
        if t.is_multiple_of(2) {
            return Err(format!(
                "{key}: an unknown even TLV type makes the message invalid (it's ok to be odd); use an odd type"
            ));
        }
        records.insert(t, parse_hex(key, value)?);
    }
    Ok(())
}

fn serialize_records(records: &BTreeMap<u64, Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    for (t, v) in records {
        bigsize::write(*t, &mut out);
        bigsize::write(v.len() as u64, &mut out);
        out.extend(v);
    }
    out
}

fn is_off(v: &str) -> bool {
    matches!(v, "none" | "false" | "off" | "no")
}

/// The value of one TLV record, or `None` to leave it out.
fn build_record(
    ctx: &Ctx,
    rec: &TlvRecordSpec,
    asg: &BTreeMap<&str, &str>,
) -> Result<Option<Vec<u8>>, String> {
    let whole = asg.get(rec.name).copied();
    let parts: Vec<(&FieldSpec, Option<&str>)> = rec
        .fields
        .iter()
        .map(|f| {
            (
                f,
                asg.get(format!("{}.{}", rec.name, f.name).as_str())
                    .copied(),
            )
        })
        .collect();
    let any_part = parts.iter().any(|(_, v)| v.is_some());
    let include = match whole {
        Some(v) if is_off(v) => false,
        Some(_) => true,
        None => any_part || default_record(ctx.msg.name, rec.name),
    };
    if !include {
        return Ok(None);
    }
    if rec.fields.is_empty() {
        return match whole {
            None | Some("true" | "on" | "yes" | "1" | "") => Ok(Some(Vec::new())),
            Some(v) => Err(format!(
                "{}: a flag record; use true or none, not {v:?}",
                rec.name
            )),
        };
    }
    let whole_parts: Option<Vec<&str>> = match whole {
        Some(v) if rec.fields.len() > 1 => {
            let p: Vec<&str> = v.split(',').collect();
            if p.len() != rec.fields.len() {
                let names: Vec<&str> = rec.fields.iter().map(|f| f.name).collect();
                return Err(format!(
                    "{}: give {} comma-separated values ({})",
                    rec.name,
                    names.len(),
                    names.join(", ")
                ));
            }
            Some(p)
        }
        _ => None,
    };
    let mut value = Vec::new();
    for (i, (f, part)) in parts.iter().enumerate() {
        let label = format!("{}.{}", rec.name, f.name);
        let given = match (&whole_parts, whole) {
            (Some(p), _) => Some(p[i]),
            (None, Some(v)) => Some(v),
            (None, None) => *part,
        };
        let b = match given {
            Some(v) => parse_value(ctx, f, &label, v)?,
            None => default_value(ctx, f, &label, None)?,
        };
        value.extend(b.bytes);
    }
    Ok(Some(value))
}

/// TLV records examples carry unless told otherwise.
fn default_record(msg: &str, record: &str) -> bool {
    matches!(
        (msg, record),
        ("init", "networks")
            | (
                "open_channel" | "accept_channel" | "open_channel2" | "accept_channel2",
                "channel_type"
            )
            | (
                "closing_complete" | "closing_sig",
                "closer_and_closee_outputs"
            )
            | ("start_batch", "message_type")
    )
}

fn bits_len_error(label: &str, want: usize, got: usize) -> String {
    format!(
        "{label}: expected {want} bytes ({} hex digits), got {got} bytes",
        want * 2
    )
}

fn parse_hex(label: &str, v: &str) -> Result<Vec<u8>, String> {
    hexin::parse(v).or_else(|e| {
        if v.trim().is_empty() {
            Ok(Vec::new())
        } else {
            Err(format!("{label}: {e}"))
        }
    })
}

fn parse_uint(label: &str, v: &str, max: u64) -> Result<u64, String> {
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

fn minimal_be(n: u64) -> Vec<u8> {
    let b = n.to_be_bytes();
    let skip = b.iter().take_while(|x| **x == 0).count();
    b[skip..].to_vec()
}

fn exact(label: &str, bytes: Vec<u8>, want: usize) -> Result<Vec<u8>, String> {
    if bytes.len() == want {
        Ok(bytes)
    } else {
        Err(bits_len_error(label, want, bytes.len()))
    }
}

fn parse_chain(label: &str, v: &str) -> Result<Vec<u8>, String> {
    match values::chain_by_name(v.trim()) {
        Some(hash) => Ok(hash.to_bytes().to_vec()),
        None => exact(label, parse_hex(label, v).map_err(|_| {
            format!("{label}: expected bitcoin, testnet, testnet4, signet, regtest or 64 hex digits, got {v:?}")
        })?, 32),
    }
}

fn parse_scid(label: &str, v: &str) -> Result<Vec<u8>, String> {
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
const MAX_FEATURE_BIT: u64 = 65535 * 8 - 1;

fn parse_features(label: &str, v: &str) -> Result<Vec<u8>, String> {
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

fn parse_address(label: &str, item: &str) -> Result<Vec<u8>, String> {
    let addr = NetAddress::from_text(item).map_err(|e| format!("{label}: {e}"))?;
    let mut out = Vec::new();
    addr.write(&mut out);
    Ok(out)
}

/// Text, or hex when prefixed with `0x`.
fn parse_text(label: &str, v: &str) -> Result<Vec<u8>, String> {
    match v.strip_prefix("0x") {
        Some(h) => parse_hex(label, h),
        None => Ok(v.as_bytes().to_vec()),
    }
}

fn built(bytes: Vec<u8>) -> Built {
    let count = bytes.len();
    Built { bytes, count }
}

/// Parses a user value for field `f` (`label` names it in errors).
fn parse_value(ctx: &Ctx, f: &FieldSpec, label: &str, v: &str) -> Result<Built, String> {
    let _ = ctx;
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

/// Default numbers, by field name.
fn default_number(msg: &str, name: &str) -> u64 {
    match name {
        "funding_satoshis" => 100_000,
        "dust_limit_satoshis" => 546,
        "max_htlc_value_in_flight_msat" => 100_000_000,
        "channel_reserve_satoshis" => 1_000,
        "htlc_minimum_msat" => 1_000,
        "feerate_per_kw" | "funding_feerate_perkw" | "commitment_feerate_perkw" => 253,
        "feerate" => 506,
        "to_self_delay" => 144,
        "max_accepted_htlcs" => 483,
        "minimum_depth" => 3,
        "fee_satoshis" => 1_000,
        "min_fee_satoshis" => 500,
        "max_fee_satoshis" => 2_000,
        "locktime" => 800_000,
        "sequence" => 0xffff_fffd,
        "sats" => 99_000,
        "initiator" | "sync_complete" | "full_information" => 1,
        "batch_size" => 2,
        "message_type" => 132,
        "amount_msat" => 10_000,
        "cltv_expiry" => 800_144,
        "failure_code" => 0xc005,
        "next_commitment_number" => 1,
        "timestamp" | "first_timestamp" => 1_700_000_000,
        "message_flags" => 1,
        "cltv_expiry_delta" => 40,
        "htlc_maximum_msat" => 99_000_000,
        "fee_base_msat" => 1_000,
        "fee_proportional_millionths" => 100,
        "first_blocknum" => 800_000,
        "number_of_blocks" => 2_016,
        "timestamp_range" => 86_400,
        "num_pong_bytes" => 4,
        "funding_contribution_satoshis" | "satoshis" => 50_000,
        "query_option_flags" => 3,
        "serial_id" if msg == "tx_add_output" => 2,
        _ => 0,
    }
}

/// The bytes a placeholder `witness` carries: a DER signature with SIGHASH_ALL and a key.
fn default_witness(ctx: &Ctx, tag: &str) -> Result<Vec<u8>, String> {
    let mut sig = ctx.sign(tag)?.serialize_der().to_vec();
    sig.push(0x01);
    let key = ctx.point(tag)?;
    let data = values::witness_bytes(&[sig, key]);
    let mut out = (data.len() as u16).to_be_bytes().to_vec();
    out.extend(data);
    Ok(out)
}

fn default_transaction(ctx: &Ctx) -> Result<Vec<u8>, String> {
    let prev = sha256::Hash::hash(b"lnshell example previous transaction");
    let tx = Transaction {
        version: transaction::Version::TWO,
        lock_time: LockTime::ZERO,
        input: vec![TxIn {
            previous_output: OutPoint {
                txid: Txid::from_byte_array(prev.to_byte_array()),
                vout: 0,
            },
            script_sig: ScriptBuf::new(),
            sequence: Sequence::ENABLE_RBF_NO_LOCKTIME,
            witness: Witness::new(),
        }],
        output: vec![TxOut {
            value: Amount::from_sat(100_000),
            script_pubkey: ScriptBuf::from_bytes(ctx.p2wpkh("prevtx output")?),
        }],
    };
    Ok(values::transaction_bytes(&tx))
}

fn default_onion(ctx: &Ctx, tag: &str, hop_data: usize) -> Result<Vec<u8>, String> {
    let mut out = vec![0u8];
    out.extend(ctx.point(tag)?);
    out.resize(1 + 33 + hop_data, 0);
    out.extend(sha256::Hash::hash(tag.as_bytes()).to_byte_array());
    Ok(out)
}

fn hash_of(tag: &str) -> Vec<u8> {
    sha256::Hash::hash(format!("lnshell example: {tag}").as_bytes())
        .to_byte_array()
        .to_vec()
}

/// The example preimage, and its hash as the default `payment_hash`.
const PREIMAGE: [u8; 32] = [0x42; 32];

/// Default value of field `f` (`tag` tells keys apart).
fn default_value(
    ctx: &Ctx,
    f: &FieldSpec,
    tag: &str,
    count: Option<usize>,
) -> Result<Built, String> {
    let msg = ctx.msg.name;
    let b = match f.ty {
        FieldType::Point => {
            let key_tag = match (msg, f.name) {
                (_, "node_id" | "node_id_1") => "node",
                (_, "node_id_2") => "peer",
                _ => tag,
            };
            ctx.point(key_tag)?
        }
        FieldType::Signature if f.count == Count::One => ctx.signature(tag)?,
        FieldType::Signature => {
            let n = count.unwrap_or(0);
            let mut out = Vec::new();
            for i in 0..n {
                out.extend(ctx.signature(&format!("{tag}[{i}]"))?);
            }
            return Ok(Built {
                bytes: out,
                count: n,
            });
        }
        FieldType::Witness => {
            let n = count.unwrap_or(1);
            let mut out = Vec::new();
            for i in 0..n {
                out.extend(default_witness(ctx, &format!("{tag}[{i}]"))?);
            }
            return Ok(Built {
                bytes: out,
                count: n,
            });
        }
        FieldType::ChainHash => ctx.chain_hash().to_vec(),
        FieldType::ShortChannelId => parse_scid(tag, "800000x1x0")?,
        FieldType::ChannelId => hash_of("channel_id"),
        FieldType::Sha256 if f.name == "payment_hash" => {
            sha256::Hash::hash(&PREIMAGE).to_byte_array().to_vec()
        }
        FieldType::Sha256 => hash_of(tag),
        FieldType::Byte | FieldType::U16 | FieldType::U32 | FieldType::U64
            if f.count == Count::One =>
        {
            let n = default_number(msg, f.name);
            let size = f.ty.fixed_size().unwrap_or(8);
            n.to_be_bytes()[8 - size..].to_vec()
        }
        FieldType::S64 => (default_number(msg, f.name) as i64).to_be_bytes().to_vec(),
        FieldType::Tu32 | FieldType::Tu64 => minimal_be(default_number(msg, f.name)),
        FieldType::BigSize => bigsize::encode(default_number(msg, f.name)),
        FieldType::Tlvs => Vec::new(),
        _ => default_bytes(ctx, f, tag)?,
    };
    Ok(built(b))
}

/// Defaults of byte-array fields.
fn default_bytes(ctx: &Ctx, f: &FieldSpec, tag: &str) -> Result<Vec<u8>, String> {
    let msg = ctx.msg.name;
    let fixed = match (f.count, f.ty.fixed_size()) {
        (Count::Fixed(n), Some(size)) => Some(n * size),
        _ => None,
    };
    let b = match f.kind {
        Kind::InitFeatures | Kind::NodeFeatures if f.name == "features" => {
            features::from_bits(&[0, 8, 12, 14, 17, 44])
        }
        Kind::ChannelTypeFeatures => features::from_bits(&[12]),
        Kind::Text => format!("lnshell example {msg}").into_bytes(),
        Kind::Alias => {
            let mut a = b"lnshell".to_vec();
            a.resize(32, 0);
            a
        }
        Kind::Rgb => vec![0x33, 0x99, 0xff],
        Kind::Addresses => parse_address(tag, "127.0.0.1:9735")?,
        Kind::Address => parse_address(tag, "127.0.0.1:9735")?,
        Kind::Script => ctx.p2wpkh(tag)?,
        Kind::Preimage => PREIMAGE.to_vec(),
        Kind::Secret if f.name == "your_last_per_commitment_secret" => vec![0u8; 32],
        Kind::Secret | Kind::ChannelIdBytes => hash_of(tag),
        Kind::Onion => default_onion(ctx, tag, 1300)?,
        Kind::Transaction => default_transaction(ctx)?,
        Kind::EncodedShortIds => {
            let mut out = vec![0u8];
            out.extend(parse_scid(tag, "800000x1x0")?);
            out.extend(parse_scid(tag, "800001x2x1")?);
            out
        }
        Kind::Ignored if msg == "pong" => {
            vec![0u8; default_number("ping", "num_pong_bytes") as usize]
        }
        _ if f.name == "blob" => hash_of(tag),
        _ if f.name == "reason" => vec![0u8; 256],
        _ => Vec::new(),
    };
    match fixed {
        Some(n) if b.len() != n => {
            let mut b = b;
            b.resize(n, 0);
            Ok(b)
        }
        _ => Ok(b),
    }
}

/// The `field=value` assignments with which [`encode`] rebuilds the decoded message exactly.
///
/// Every field and TLV record is written out the way `encode` reads it: numbers in decimal,
/// byte strings as hex (`0x`-prefixed for text, aliases, feature vectors and encoded short ids),
/// txids in display order, short channel ids as `800000x1x0`, addresses as `host:port`;
/// records an example carries by default but `d` lacks as `name=none`, flag records as
/// `name=true`, unknown odd records as `tlv.<type>=<hex>`.
///
/// `Ok(a)` promises `encode(&d.name, &a, network) == d.bytes` for every network. It is an error
/// when that cannot hold: a message with errors or of a type the catalog lacks, gossip
/// `excess_data`, addresses `encode` cannot write (Tor v2, unknown types, a DNS name it would
/// read as something else), and HTLC signatures or witnesses other than the placeholders
/// `encode` generates from `num_htlcs` / `num_witnesses` (their values cannot be assigned).
pub fn assignments_from(d: &Decoded) -> Result<Vec<(String, String)>, String> {
    if let Some(e) = d.errors.first() {
        return Err(format!("the message has errors: {e}"));
    }
    let spec = d
        .msg_type
        .and_then(catalog::by_type)
        .ok_or_else(|| format!("{}: not a message encode knows", d.name))?;
    if d.fields.iter().any(|f| f.name == "excess_data") {
        return Err("excess_data after the last field cannot be assigned".to_string());
    }
    // Only placeholders depend on the context, and they do not depend on the network.
    let ctx = Ctx::new(Network::Regtest, spec);
    let fields = data_fields(spec);
    let mut out = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if is_byte_length(spec, i) {
            continue;
        }
        if let (FieldType::Signature | FieldType::Witness, Count::Field(count_name)) =
            (f.ty, f.count)
        {
            check_placeholders(&ctx, d, f, count_name)?;
            continue;
        }
        let field = d
            .field(f.name)
            .ok_or_else(|| format!("{}: missing from the decode", f.name))?;
        out.push((
            f.name.to_string(),
            value_text(f, f.name, field, d.field_bytes(field))?,
        ));
    }
    if let Some(stream) = spec.tlv_stream {
        for rec in stream.records {
            let Some(r) = d.tlv(rec.tlv_type) else {
                if default_record(spec.name, rec.name) {
                    out.push((rec.name.to_string(), "none".to_string()));
                }
                continue;
            };
            if r.fields.len() != rec.fields.len() {
                return Err(format!("{}: fields missing from the decode", rec.name));
            }
            match rec.fields {
                [] => out.push((rec.name.to_string(), "true".to_string())),
                [only] => out.push((
                    rec.name.to_string(),
                    value_text(only, rec.name, &r.fields[0], d.field_bytes(&r.fields[0]))?,
                )),
                many => {
                    for (f, field) in many.iter().zip(&r.fields) {
                        let label = format!("{}.{}", rec.name, f.name);
                        let value = value_text(f, &label, field, d.field_bytes(field))?;
                        out.push((label, value));
                    }
                }
            }
        }
    }
    for r in d.tlvs.iter().filter(|r| r.status != TlvStatus::Known) {
        let raw = d
            .bytes
            .get(r.value_offset..r.value_offset + r.length)
            .ok_or_else(|| format!("tlv.{}: value out of range", r.tlv_type))?;
        out.push((format!("tlv.{}", r.tlv_type), hexin::to_hex(raw)));
    }
    Ok(out)
}

/// `encode` generates HTLC signatures and witnesses from their count: fine only when `d`
/// holds exactly those placeholders.
fn check_placeholders(
    ctx: &Ctx,
    d: &Decoded,
    f: &FieldSpec,
    count_name: &str,
) -> Result<(), String> {
    let count = match d.field(count_name).map(|c| c.value) {
        Some(Value::Uint(n)) => n as usize,
        _ => return Err(format!("{count_name}: missing from the decode")),
    };
    let prefix = format!("{}[", f.name);
    let span = d
        .fields
        .iter()
        .filter(|x| x.name.starts_with(&prefix))
        .fold(None, |acc: Option<(usize, usize)>, x| {
            let (s, e) = (x.offset, x.offset + x.length);
            Some(acc.map_or((s, e), |(a, b)| (a.min(s), b.max(e))))
        });
    let raw = match span {
        Some((s, e)) => d.bytes.get(s..e).unwrap_or(&[]),
        None => &[],
    };
    if default_value(ctx, f, f.name, Some(count))?.bytes != raw {
        return Err(format!(
            "{}: encode generates these from {count_name} and cannot be given their values; these are not its placeholders",
            f.name
        ));
    }
    Ok(())
}

/// A decoded field's value as `encode` reads it back (`label` names it in errors).
fn value_text(f: &FieldSpec, label: &str, field: &Field, raw: &[u8]) -> Result<String, String> {
    let one = f.count == Count::One;
    let number = || match field.value {
        Value::Uint(n) => Ok(n.to_string()),
        Value::Int(n) => Ok(n.to_string()),
        _ => Err(format!("{label}: not a number")),
    };
    let hex0x = || format!("0x{}", hexin::to_hex(raw));
    Ok(match f.ty {
        FieldType::Byte | FieldType::U16 | FieldType::U32 | FieldType::U64 if one => number()?,
        FieldType::S64 | FieldType::Tu32 | FieldType::Tu64 | FieldType::BigSize => number()?,
        FieldType::ChainHash if !one => raw
            .chunks(32)
            .map(hexin::to_hex)
            .collect::<Vec<_>>()
            .join(","),
        FieldType::Point | FieldType::Signature if !one => {
            return Err(format!(
                "{label}: an array of {} cannot be assigned",
                f.ty.spec_name()
            ))
        }
        FieldType::Sha256 if f.kind == Kind::Txid => values::txid_hex(raw),
        FieldType::ShortChannelId => values::scid_string(raw),
        FieldType::U32 => raw
            .chunks(4)
            .map(|c| {
                c.iter()
                    .fold(0u32, |a, b| a << 8 | u32::from(*b))
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(","),
        _ => match f.kind {
            Kind::InitFeatures
            | Kind::NodeFeatures
            | Kind::ChannelFeatures
            | Kind::ChannelTypeFeatures
                if raw.is_empty() =>
            {
                String::new()
            }
            Kind::InitFeatures
            | Kind::NodeFeatures
            | Kind::ChannelFeatures
            | Kind::ChannelTypeFeatures
            | Kind::Text
            | Kind::Alias
            | Kind::EncodedShortIds => hex0x(),
            Kind::Addresses | Kind::Address => addresses_text(f, label, raw)?,
            _ => hexin::to_hex(raw),
        },
    })
}

/// Addresses as `host:port` items, when `encode` turns them back into exactly `raw`.
fn addresses_text(f: &FieldSpec, label: &str, raw: &[u8]) -> Result<String, String> {
    let (addrs, problem) = values::parse_addresses(raw);
    if let Some(p) = problem {
        return Err(format!("{label}: {p}"));
    }
    let mut items = Vec::new();
    for a in &addrs {
        match a {
            NetAddress::TorV2(..) | NetAddress::Unknown(_) => {
                return Err(format!("{label}: {a} cannot be assigned"))
            }
            _ => items.push(a.to_string()),
        }
    }
    if f.kind == Kind::Address && items.len() != 1 {
        return Err(format!("{label}: not exactly one address"));
    }
    let mut back = Vec::new();
    for item in &items {
        back.extend(parse_address(label, item)?);
    }
    if back != raw {
        return Err(format!(
            "{label}: {} would be encoded differently",
            items.join(",")
        ));
    }
    Ok(items.join(","))
}

#[cfg(test)]
mod tests;
