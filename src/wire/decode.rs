//! Decoding a wire message: `type (u16, big-endian) || payload`, as inside a BOLT 8 frame.
//!
//! The decoder walks the message's field list from the [`catalog`], records
//! one [`Field`] per field (offset, length, typed value) and one [`TlvRecord`] per TLV
//! record, and collects every broken rule in [`Decoded::errors`]. It never panics, and it
//! keeps going as far as the bytes allow so a learner sees where things went wrong.
//! Human-readable values are built later, only when rendered ([`render`](super::render)).

use std::borrow::Cow;

use super::catalog::{self, FieldType, Kind, MessageSpec};
use super::fmt::bytes_word;
use super::ldk;
// The tree the decoder builds, re-exported where it was first defined (`wire::decode::Value`).
use super::hexin;
pub use super::tree::{Decoded, Field, TlvRecord, TlvStatus, Value};

/// Largest message a BOLT 8 frame can carry (its length is a u16).
pub(crate) const MAX_MESSAGE_SIZE: usize = 65535;

/// Messages whose LDK struct reads every top-level `point` field as a `PublicKey`: when
/// the LDK cross-check reads such a message, each point is already known to be on the
/// curve, and checking it again (a square root per point, about 6 µs) is skipped. This
/// halves the cost of an `open_channel` with the cross-check on.
const LDK_CHECKS_POINTS: [u16; 5] = [
    catalog::OPEN_CHANNEL,
    catalog::ACCEPT_CHANNEL,
    catalog::CHANNEL_READY,
    catalog::REVOKE_AND_ACK,
    catalog::CHANNEL_REESTABLISH,
];

/// What to do besides our own decoding.
#[derive(Clone, Copy, Debug)]
pub struct DecodeOptions {
    /// Also read the payload with LDK's own struct for the type (`ldk::check`).
    pub ldk_check: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions { ldk_check: true }
    }
}

/// Decodes hex text (`0x` optional, on the whole or on each byte; spaces, colons,
/// commas or line breaks allowed between bytes). Never panics: bad hex lands in `errors`.
pub fn decode_hex(input: &str, opts: DecodeOptions) -> Decoded {
    match hexin::parse_message(input) {
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
    let mut d = Decoded::empty(Some(msg_type), bytes.len());
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
    d.name = if msg_type >= catalog::CUSTOM_START {
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
    let mut reader = Reader::new(bytes, 2, end, "", &mut d.errors, &mut d.notes);
    reader.points_checked = points_checked;
    let Ok(pos) = reader.read_fields(fields, &mut d.fields) else {
        return;
    };
    message_checks(spec, bytes, d);
    d.tlv_stream = spec.tlv_stream.map(|s| s.name);
    if let Some(stream) = spec.tlv_stream {
        let before = d.errors.len();
        if pos < end {
            d.tlvs =
                tlv_stream::decode_stream(bytes, pos, end, stream, "", &mut d.errors, &mut d.notes);
        }
        // A stream cut short hides the records after the cut: judge only a whole one.
        if d.errors.len() == before {
            sender_rules::check(spec, d);
        }
        return;
    }
    if pos == end {
        return;
    }
    if spec.allows_excess_data() {
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
        d.tlvs = tlv_stream::decode_stream(
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
    if spec.msg_type == catalog::CHANNEL_ANNOUNCEMENT {
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

mod reader;
mod sender_rules;
mod tlv_stream;
mod validate;

pub(crate) use reader::Reader;

#[cfg(test)]
pub(crate) mod tests;
