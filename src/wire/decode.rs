//! Decoding a wire message: `type (u16, big-endian) || payload`, as inside a BOLT 8 frame.
//!
//! The decoder walks the message's field list from the [`catalog`](super::catalog), records
//! one [`Field`] per field (offset, length, typed value) and one [`TlvRecord`] per TLV
//! record, and collects every broken rule in [`Decoded::errors`]. It never panics, and it
//! keeps going as far as the bytes allow so a learner sees where things went wrong.
//! Human-readable values are built later, only when rendered ([`render`](super::render)).

use std::borrow::Cow;

use bitcoin::secp256k1::{ecdsa::Signature, PublicKey};

use super::catalog::{self, Count, FieldSpec, FieldType, Kind, MessageSpec};
use super::fmt::bytes_word;
use super::ldk;
// The tree the decoder builds, re-exported where it was first defined (`wire::decode::Value`).
pub use super::tree::{Decoded, Field, TlvRecord, TlvStatus, Value};
use super::{bigsize, hexin, tlv, values};

/// Largest message a BOLT 8 frame can carry (its length is a u16).
pub const MAX_MESSAGE_SIZE: usize = 65535;

/// Messages whose LDK struct reads every top-level `point` field as a `PublicKey`: when
/// the LDK cross-check reads such a message, each point is already known to be on the
/// curve, and checking it again (a square root per point, about 6 µs) is skipped. This
/// halves the cost of an `open_channel` with the cross-check on.
const LDK_CHECKS_POINTS: [u16; 5] = [32, 33, 36, 133, 136];

/// What to do besides our own decoding.
#[derive(Clone, Copy, Debug)]
pub struct DecodeOptions {
    /// Also read the payload with LDK's own struct for the type ([`ldk::check`]).
    pub ldk_check: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions { ldk_check: true }
    }
}

/// Decodes hex text (`0x` optional; spaces, colons or line breaks allowed between bytes).
/// Never panics: bad hex lands in `errors`.
pub fn decode_hex(input: &str, opts: DecodeOptions) -> Decoded {
    match hexin::parse(input) {
        Ok(bytes) => decode_vec(bytes, opts),
        Err(e) => Decoded::without_type(Vec::new(), e),
    }
}

/// Decodes `type || payload`.
pub fn decode_bytes(bytes: &[u8], opts: DecodeOptions) -> Decoded {
    decode_vec(bytes.to_vec(), opts)
}

fn decode_vec(bytes: Vec<u8>, opts: DecodeOptions) -> Decoded {
    match bytes.len() {
        0 => {
            return Decoded::without_type(
                bytes,
                "empty input: a message needs at least its 2-byte type".to_string(),
            )
        }
        1 => {
            return Decoded::without_type(
                bytes,
                "1 byte is too short: a message starts with a 2-byte type".to_string(),
            )
        }
        _ => {}
    }
    let msg_type = u16::from_be_bytes([bytes[0], bytes[1]]);
    let mut d = Decoded {
        msg_type: Some(msg_type),
        name: String::new(),
        bolt: None,
        size: bytes.len(),
        fields: Vec::new(),
        tlv_stream: None,
        tlvs: Vec::new(),
        ldk: None,
        errors: Vec::new(),
        notes: Vec::new(),
        bytes: Vec::new(),
    };
    if bytes.len() > MAX_MESSAGE_SIZE {
        d.errors.push(format!(
            "message is {} bytes, more than the 65535 a message can have (BOLT 1: the length is a u16)",
            bytes.len()
        ));
    }
    let check = opts.ldk_check.then(|| ldk::check(msg_type, &bytes[2..]));
    let points_checked =
        check.as_ref().is_some_and(|c| c.ok) && LDK_CHECKS_POINTS.contains(&msg_type);
    match catalog::by_type(msg_type) {
        Some(spec) => decode_known(&bytes, spec, &mut d, points_checked),
        None => decode_unknown(&bytes, msg_type, &mut d),
    }
    if let Some(mut check) = check {
        if check.ok && check.note.is_none() && !d.errors.is_empty() {
            check.note = ldk::explain_acceptance(msg_type, &d.errors).map(str::to_string);
        }
        d.ldk = Some(check);
    }
    d.bytes = bytes;
    d
}

fn decode_unknown(bytes: &[u8], msg_type: u16, d: &mut Decoded) {
    d.name = if msg_type >= 32768 {
        "custom"
    } else {
        "unknown"
    }
    .to_string();
    d.fields.push(Field {
        name: Cow::Borrowed("payload"),
        offset: 2,
        length: bytes.len() - 2,
        ty: FieldType::Byte,
        kind: Kind::Plain,
        value: Value::Bytes,
        meaning: "payload of a message type this decoder does not know",
        ok: true,
    });
    let group = catalog::type_group(msg_type);
    if msg_type % 2 == 1 {
        d.notes.push(format!(
            "unknown odd type {msg_type} ({group} range): a node ignores it (BOLT 1: it's ok to be odd)"
        ));
    } else {
        d.errors.push(format!(
            "unknown even type {msg_type} ({group} range): a node MUST close the connection (BOLT 1: it's ok to be odd, not even)"
        ));
    }
}

/// `points_checked`: LDK has read the message, so its top-level points are valid.
fn decode_known(bytes: &[u8], spec: &'static MessageSpec, d: &mut Decoded, points_checked: bool) {
    d.name = spec.name.to_string();
    d.bolt = Some(spec.bolt);
    let fields = match spec.fields.last() {
        Some(last) if last.ty == FieldType::Tlvs => &spec.fields[..spec.fields.len() - 1],
        _ => spec.fields,
    };
    let end = bytes.len();
    let Ok(pos) = read_fields(
        bytes,
        2,
        end,
        fields,
        "",
        &mut d.fields,
        &mut d.errors,
        &mut d.notes,
        points_checked,
    ) else {
        return;
    };
    message_checks(spec, bytes, d);
    d.tlv_stream = spec.tlv_stream.map(|s| s.name);
    if pos == end {
        return;
    }
    if let Some(stream) = spec.tlv_stream {
        d.tlvs = tlv::decode_stream(bytes, pos, end, stream, "", &mut d.errors, &mut d.notes);
    } else if spec.allows_excess_data() {
        d.fields.push(Field {
            name: Cow::Borrowed("excess_data"),
            offset: pos,
            length: end - pos,
            ty: FieldType::Byte,
            kind: Kind::Plain,
            value: Value::Bytes,
            meaning: "bytes after the last field: future fields, covered by the signature",
            ok: true,
        });
        d.notes.push(format!(
            "{} bytes after the last field: BOLT 7 signs them as future fields; readers keep them",
            end - pos
        ));
    } else {
        d.tlv_stream = Some(catalog::EXTENSION.name);
        let before = d.errors.len();
        d.tlvs = tlv::decode_stream(
            bytes,
            pos,
            end,
            &catalog::EXTENSION,
            "",
            &mut d.errors,
            &mut d.notes,
        );
        if d.errors.len() > before {
            let msg = format!(
                "trailing bytes at offset {pos} ({} after the last field) are not a valid TLV extension (BOLT 1): {}",
                bytes_word(end - pos),
                d.errors[before]
            );
            d.errors[before] = msg;
        }
    }
}

/// Rules that involve more than one field.
fn message_checks(spec: &MessageSpec, bytes: &[u8], d: &mut Decoded) {
    if spec.msg_type == 256 {
        let key = |name: &str| d.field(name).map(|f| d_bytes(bytes, f).to_vec());
        if let (Some(a), Some(b)) = (key("node_id_1"), key("node_id_2")) {
            if a >= b {
                d.notes.push(
                    "node_id_1 is not lower than node_id_2 (BOLT 7: the origin node MUST order them)".to_string(),
                );
            }
        }
    }
}

fn d_bytes<'a>(bytes: &'a [u8], f: &Field) -> &'a [u8] {
    bytes.get(f.offset..f.offset + f.length).unwrap_or(&[])
}

/// Reads `specs` from `bytes[pos..end]`, appending a [`Field`] per field to `out`.
///
/// `place` prefixes error texts (e.g. `"tlvs.fee_range."`). `points_checked` says the
/// `point` fields are known to be valid (LDK read them), so their curve check is skipped.
/// Returns the position after the last field, or `Err(())` when the bytes ran out (the
/// error is already recorded).
#[allow(clippy::too_many_arguments, clippy::result_unit_err)]
pub(crate) fn read_fields(
    bytes: &[u8],
    mut pos: usize,
    end: usize,
    specs: &'static [FieldSpec],
    place: &str,
    out: &mut Vec<Field>,
    errors: &mut Vec<String>,
    notes: &mut Vec<String>,
    points_checked: bool,
) -> Result<usize, ()> {
    let list_start = out.len();
    for spec in specs {
        let count = match spec.count {
            Count::One => 1,
            Count::Fixed(n) => n,
            Count::Field(len_name) => {
                match out[list_start..].iter().rev().find(|f| f.name == len_name) {
                    Some(Field {
                        value: Value::Uint(n),
                        ..
                    }) => *n as usize,
                    _ => 0,
                }
            }
            Count::Rest => usize::MAX,
        };
        match spec.ty {
            FieldType::Witness => {
                for i in 0..count {
                    pos = read_witness(bytes, pos, end, spec, i, place, out, errors)?;
                }
            }
            FieldType::Point | FieldType::Signature if spec.count != Count::One => {
                let size = spec.ty.fixed_size().unwrap_or(1);
                let n = if count == usize::MAX {
                    (end - pos) / size
                } else {
                    count
                };
                for i in 0..n {
                    let name = Cow::Owned(format!("{}[{i}]", spec.name));
                    pos = read_one(
                        bytes,
                        pos,
                        end,
                        spec,
                        name,
                        size,
                        place,
                        out,
                        errors,
                        notes,
                        points_checked,
                    )?;
                }
            }
            _ => {
                let size = field_size(bytes, pos, end, spec, count, place, errors)?;
                pos = read_one(
                    bytes,
                    pos,
                    end,
                    spec,
                    Cow::Borrowed(spec.name),
                    size,
                    place,
                    out,
                    errors,
                    notes,
                    points_checked,
                )?;
            }
        }
    }
    Ok(pos)
}

/// Byte length of a (non-array-of-rows) field starting at `pos`.
fn field_size(
    bytes: &[u8],
    pos: usize,
    end: usize,
    spec: &FieldSpec,
    count: usize,
    place: &str,
    errors: &mut Vec<String>,
) -> Result<usize, ()> {
    let left = end - pos;
    match (spec.ty, spec.ty.fixed_size()) {
        (FieldType::Tu32, _) | (FieldType::Tu64, _) => Ok(left),
        (FieldType::BigSize, _) => match bigsize::read(&bytes[pos..end]) {
            Ok((_, n)) => Ok(n),
            Err(e) => {
                errors.push(format!("{place}{} at offset {pos}: {e}", spec.name));
                Err(())
            }
        },
        (_, Some(size)) if count == usize::MAX => {
            if !left.is_multiple_of(size) {
                errors.push(format!(
                    "{place}{} at offset {pos}: {left} bytes is not a whole number of {}-byte {} elements",
                    spec.name,
                    size,
                    spec.ty.spec_name()
                ));
                return Err(());
            }
            Ok(left)
        }
        (_, Some(size)) => Ok(size.saturating_mul(count)),
        (_, None) => Ok(left),
    }
}

/// Reads one row of `size` bytes at `pos`, validating it.
#[allow(clippy::too_many_arguments)]
fn read_one(
    bytes: &[u8],
    pos: usize,
    end: usize,
    spec: &FieldSpec,
    name: Cow<'static, str>,
    size: usize,
    place: &str,
    out: &mut Vec<Field>,
    errors: &mut Vec<String>,
    notes: &mut Vec<String>,
    points_checked: bool,
) -> Result<usize, ()> {
    let left = end - pos;
    if size > left {
        errors.push(truncation_error(place, &name, spec, size, left, pos));
        out.push(Field {
            name,
            offset: pos,
            length: left,
            ty: spec.ty,
            kind: spec.kind,
            value: Value::Truncated,
            meaning: spec.meaning,
            ok: false,
        });
        return Err(());
    }
    let raw = &bytes[pos..pos + size];
    let value = match spec.ty {
        FieldType::Byte | FieldType::U16 | FieldType::U32 | FieldType::U64
            if spec.count == Count::One =>
        {
            Value::Uint(be_uint(raw))
        }
        FieldType::S64 => Value::Int(be_uint(raw) as i64),
        FieldType::Tu32 | FieldType::Tu64 => {
            let max = if spec.ty == FieldType::Tu32 { 4 } else { 8 };
            if size > max {
                errors.push(format!(
                    "{place}{name} at offset {pos}: {size} bytes is longer than a {} ({max} bytes at most)",
                    spec.ty.spec_name()
                ));
                push_bytes(out, name, pos, size, spec, false);
                return Err(());
            }
            if raw.first() == Some(&0) {
                errors.push(format!(
                    "{place}{name} at offset {pos}: {} is not minimal (leading zero byte; BOLT 1: MUST be minimal)",
                    spec.ty.spec_name()
                ));
                push_bytes(out, name, pos, size, spec, false);
                return Ok(pos + size);
            }
            Value::Uint(be_uint(raw))
        }
        FieldType::BigSize => match bigsize::read(raw) {
            Ok((v, _)) => Value::Uint(v),
            Err(_) => Value::Bytes,
        },
        _ => Value::Bytes,
    };
    let ok = validate(raw, spec, &name, pos, place, errors, notes, points_checked);
    out.push(Field {
        name,
        offset: pos,
        length: size,
        ty: spec.ty,
        kind: spec.kind,
        value,
        meaning: spec.meaning,
        ok,
    });
    Ok(pos + size)
}

fn push_bytes(
    out: &mut Vec<Field>,
    name: Cow<'static, str>,
    pos: usize,
    size: usize,
    spec: &FieldSpec,
    ok: bool,
) {
    out.push(Field {
        name,
        offset: pos,
        length: size,
        ty: spec.ty,
        kind: spec.kind,
        value: Value::Bytes,
        meaning: spec.meaning,
        ok,
    });
}

fn truncation_error(
    place: &str,
    name: &str,
    spec: &FieldSpec,
    size: usize,
    left: usize,
    pos: usize,
) -> String {
    match spec.count {
        Count::Field(len_name) => format!(
            "{place}{name} at offset {pos}: {len_name} says {size} bytes but only {left} remain (a length field runs past the end)"
        ),
        _ => format!(
            "{place}{name} truncated, {} of {size} bytes missing at offset {pos}",
            size - left
        ),
    }
}

/// One `witness` subtype element: `u16 len || len bytes`, as two rows.
#[allow(clippy::too_many_arguments)]
fn read_witness(
    bytes: &[u8],
    pos: usize,
    end: usize,
    spec: &FieldSpec,
    index: usize,
    place: &str,
    out: &mut Vec<Field>,
    errors: &mut Vec<String>,
) -> Result<usize, ()> {
    static LEN: FieldSpec = FieldSpec {
        name: "len",
        ty: FieldType::U16,
        count: Count::One,
        kind: Kind::Length,
        meaning: "length of witness_data",
    };
    static DATA: FieldSpec = FieldSpec {
        name: "witness_data",
        ty: FieldType::Witness,
        count: Count::Field("len"),
        kind: Kind::Plain,
        meaning: "the witness: item count, then each item with its length (Bitcoin encoding)",
    };
    let mut ignored = Vec::new();
    let len_name = Cow::Owned(format!("{}[{index}].len", spec.name));
    let pos = read_one(
        bytes,
        pos,
        end,
        &LEN,
        len_name,
        2,
        place,
        out,
        errors,
        &mut ignored,
        false,
    )?;
    let len = match out.last() {
        Some(Field {
            value: Value::Uint(n),
            ..
        }) => *n as usize,
        _ => 0,
    };
    let data_name = Cow::Owned(format!("{}[{index}].witness_data", spec.name));
    read_one(
        bytes,
        pos,
        end,
        &DATA,
        data_name,
        len,
        place,
        out,
        errors,
        &mut ignored,
        false,
    )
}

fn be_uint(raw: &[u8]) -> u64 {
    raw.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b))
}

/// Checks one field's content; records problems. Returns false on a rule violation.
#[allow(clippy::too_many_arguments)]
fn validate(
    raw: &[u8],
    spec: &FieldSpec,
    name: &str,
    pos: usize,
    place: &str,
    errors: &mut Vec<String>,
    notes: &mut Vec<String>,
    points_checked: bool,
) -> bool {
    let mut fail = |msg: String| {
        errors.push(format!("{place}{name} at offset {pos}: {msg}"));
        false
    };
    match spec.ty {
        FieldType::Point if !points_checked && PublicKey::from_slice(raw).is_err() => {
            return fail("not a valid secp256k1 point (BOLT 1: a point is a 33-byte compressed public key on the curve)".to_string());
        }
        FieldType::Signature if Signature::from_compact(raw).is_err() => {
            return fail(
                "not a valid compact signature (r and s must each be below the curve order)"
                    .to_string(),
            );
        }
        FieldType::Witness => {
            if let Err(e) = values::parse_witness(raw) {
                return fail(format!("witness_data is not a valid Bitcoin witness: {e}"));
            }
            return true;
        }
        _ => {}
    }
    match spec.kind {
        Kind::Bool if raw.first().is_some_and(|b| *b > 1) => {
            fail(format!("must be 0 or 1, got {}", raw[0]))
        }
        Kind::Addresses => match values::parse_addresses(raw) {
            (_, Some(problem)) => fail(problem),
            (addrs, None) => {
                if let Some(t) = addrs.iter().find_map(|a| a.unknown_type()) {
                    notes.push(format!(
                        "{place}{name}: unknown address type {t}; readers ignore it and what follows"
                    ));
                }
                true
            }
        },
        Kind::Address => {
            match values::parse_addresses(raw) {
                (addrs, None) if addrs.len() == 1 && addrs[0].unknown_type().is_none() => {}
                _ => notes.push(format!(
                    "{place}{name}: not one known address descriptor (LDK rejects this)"
                )),
            }
            true
        }
        Kind::Transaction if !raw.is_empty() => match values::parse_transaction(raw) {
            Ok(_) => true,
            Err(e) => fail(format!("not a valid Bitcoin transaction: {e}")),
        },
        Kind::EncodedShortIds => match raw.split_first() {
            None => fail("empty: the first byte must be the encoding type".to_string()),
            Some((0, rest)) if rest.len() % 8 != 0 => fail(format!(
                "{} bytes after the encoding type is not a whole number of short_channel_ids (8 bytes each)",
                rest.len()
            )),
            Some((0, _)) => true,
            Some((1, _)) => fail("encoding type 1 (zlib) MUST NOT be used any more (BOLT 7)".to_string()),
            Some((t, _)) => fail(format!("unknown encoding type {t} (BOLT 7 knows only 0)")),
        },
        Kind::EncodingType if raw.first().is_some_and(|b| *b != 0) => {
            fail(format!("unknown encoding type {} (BOLT 7 knows only 0)", raw[0]))
        }
        Kind::FailureCode if be_uint(raw) & 0x8000 == 0 => fail(format!(
            "failure code 0x{:04x} lacks the BADONION bit 0x8000 (BOLT 2: the receiver MUST fail the channel)",
            be_uint(raw)
        )),
        Kind::InitFeatures | Kind::NodeFeatures | Kind::ChannelFeatures | Kind::ChannelTypeFeatures => {
            let unknown = super::features::unknown_required(raw);
            if !unknown.is_empty() {
                notes.push(format!(
                    "{place}{name}: unknown required (even) feature bit(s) {unknown:?}: a peer that does not know them must not proceed"
                ));
            }
            for both in super::features::both_bits_set(raw) {
                notes.push(format!(
                    "{place}{name}: both bits of {both} are set (BOLT 9: MUST NOT; read as required)"
                ));
            }
            true
        }
        Kind::MessageFlags => {
            if raw.first().is_some_and(|b| b & 1 == 0) {
                notes.push(format!(
                    "{place}{name}: must_be_one is 0 (senders MUST set it; BOLT 7 receivers ignore it, LDK rejects the message)"
                ));
            }
            true
        }
        Kind::Alias if std::str::from_utf8(values::trim_zeros(raw)).is_err() => {
            notes.push(format!("{place}{name}: alias is not valid UTF-8 (BOLT 7: MUST be)"));
            true
        }
        Kind::Text if !raw.is_empty() && std::str::from_utf8(raw).is_err() => {
            notes.push(format!(
                "{place}{name}: not UTF-8 text (allowed by the BOLTs; LDK rejects the message)"
            ));
            true
        }
        Kind::Onion if raw.len() < 66 => {
            notes.push(format!(
                "{place}{name}: {} bytes is too short for an onion (version, 33-byte key and 32-byte HMAC take 66; LDK rejects this)",
                raw.len()
            ));
            true
        }
        Kind::Onion if PublicKey::from_slice(&raw[1..34]).is_err() => {
            notes.push(if spec.name == "onion_routing_packet" {
                format!("{place}{name}: the onion's ephemeral key is not a valid point (the HTLC fails with invalid_onion_key)")
            } else {
                format!("{place}{name}: the onion's ephemeral key is not a valid point (the message gets dropped; LDK rejects it)")
            });
            true
        }
        _ => true,
    }
}

#[cfg(test)]
pub(crate) mod tests;
