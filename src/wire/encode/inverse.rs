//! The way back: [`assignments_from`] turns a decoded message into the `field=value`
//! assignments with which `encode` rebuilds exactly its bytes.
//!
//! It is the proof that the encoder's syntax can say everything the decoder reads (the
//! property tests and the `encode` fuzz target check decode → assignments → encode gives the
//! same bytes), and it writes each value with the same codecs the decoder and the renderers
//! use ([`values`](crate::wire::values)).

use bitcoin::Network;

use super::defaults::{default_record, default_value, Ctx};
use super::syntax::parse_address;
use super::{data_fields, is_byte_length};
use crate::wire::catalog::{self, Count, FieldSpec, FieldType, Kind};
use crate::wire::hexin;
use crate::wire::tree::{Decoded, Field, TlvStatus, Value};
use crate::wire::values::{self, NetAddress};

/// The `field=value` assignments with which [`encode`](super::encode) rebuilds the decoded message exactly.
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
pub(super) fn check_placeholders(
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
pub(super) fn value_text(
    f: &FieldSpec,
    label: &str,
    field: &Field,
    raw: &[u8],
) -> Result<String, String> {
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
pub(super) fn addresses_text(f: &FieldSpec, label: &str, raw: &[u8]) -> Result<String, String> {
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
