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

use bitcoin::Network;

use super::bigsize;
use super::catalog::{
    self, Count, FieldSpec, FieldType, MessageSpec, TlvRecordSpec, TlvStreamSpec,
};
use defaults::{default_record, default_value, Ctx};
use syntax::{parse_hex, parse_uint, parse_value, Built};

mod defaults;
mod inverse;
mod syntax;

pub use defaults::example;
pub use inverse::assignments_from;

/// Builds `type || payload` for the message `name` from `field=value` assignments.
pub fn encode(
    name: &str,
    assignments: &[(String, String)],
    network: Network,
) -> Result<Vec<u8>, String> {
    let spec = catalog::by_name(name).ok_or_else(|| {
        let names = catalog::message_names();
        match crate::wire::suggest::closest(name, names.iter().copied()) {
            Some(close) => format!(
                "unknown message {name:?}. Did you mean `{close}`? (known messages: {})",
                names.join(", ")
            ),
            None => format!(
                "unknown message {name:?}; known messages: {}",
                names.join(", ")
            ),
        }
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
            Some(v) => parse_value(f, f.name, v)?,
            None => default_value(ctx, f, f.name, count_override)?,
        };
        built.push(Some(b));
    }
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
            Some(v) => parse_value(f, &label, v)?,
            None => default_value(ctx, f, &label, None)?,
        };
        value.extend(b.bytes);
    }
    Ok(Some(value))
}

#[cfg(test)]
mod tests;
