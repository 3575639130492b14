//! The one JSON writer: a [`Decoded`] as the JSON object the README documents under
//! "decode --json".
//!
//! The schema is written once, as `Serialize` views that borrow from the decoded tree (the
//! way ripgrep's `jsont.rs` borrows from its matches): [`Message`] for the whole, then a
//! field, a TLV record, and a field's `value`. Nothing is copied into a JSON tree first;
//! serde_json walks the views and writes straight into the caller's buffer
//! ([`json_into`]), which `decode --file --json` reuses for every line. [`json`] gives
//! the same views as a `serde_json::Value` for callers that want to index into it.
//!
//! Key order is part of the output: keys are declared in sorted order, because that is
//! the order a `serde_json::Value` (a sorted map) prints, and the output has always been
//! that text. The test `json_into_matches_json` holds the two forms to the same bytes.

use std::collections::BTreeMap;
use std::io;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::Value as Json;

use super::value;
use crate::wire::catalog::{FieldType, Kind};
use crate::wire::features;
use crate::wire::ldk::LdkCheck;
use crate::wire::tree::{Decoded, Field, TlvRecord, TlvStatus, Value};
use crate::wire::values::{
    bigsizes, chain_name, parse_addresses, parse_transaction, parse_witness, push_scid, trim_zeros,
    txid_hex, u32s,
};

/// The decoded message as JSON (schema in the README, "decode --json"). Invalid input still
/// gives an object, with `errors` non-empty.
///
/// This is [`json_into`]'s text read back as a tree, for callers that index into it (a
/// `serde_json::Value` cannot hold the hex strings [`BytesAsHex`] writes for bytes).
pub fn json(d: &Decoded) -> Json {
    let mut text = Vec::with_capacity(4096);
    json_into(d, &mut text);
    // The writer only ever writes valid JSON, so this cannot fail.
    serde_json::from_slice(&text).unwrap_or(Json::Null)
}

/// Appends [`json`]'s text (compact, on one line) to `buf`, written straight from the
/// decoded tree: `decode --file --json` reuses one buffer for every line.
pub fn json_into(d: &Decoded, buf: &mut Vec<u8>) {
    let mut out = serde_json::Serializer::with_formatter(buf, BytesAsHex);
    // Writing to a Vec cannot fail, and no view returns an error.
    let _ = Message::new(d).serialize(&mut out);
}

/// serde_json's compact output, with one choice of ours: bytes (`serialize_bytes`) are
/// written as a string of lower-case hex, the schema's form for raw bytes, instead of an
/// array of numbers. The hex goes straight into the buffer: no `String` is built for it,
/// and serde_json need not scan it for characters to escape (hex has none).
struct BytesAsHex;

impl serde_json::ser::Formatter for BytesAsHex {
    fn write_byte_array<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        value: &[u8],
    ) -> io::Result<()> {
        writer.write_all(b"\"")?;
        let mut text = [0u8; 128];
        for chunk in value.chunks(64) {
            let out = &mut text[..chunk.len() * 2];
            // `out` is exactly twice the chunk's length, so this cannot fail.
            hex::encode_to_slice(chunk, out).map_err(io::Error::other)?;
            writer.write_all(out)?;
        }
        writer.write_all(b"\"")
    }
}

/// The whole message. Keys in sorted order (see the module doc).
#[derive(Serialize)]
struct Message<'a> {
    bolt: Option<u8>,
    errors: &'a [String],
    fields: Fields<'a>,
    ldk: Option<Ldk<'a>>,
    name: &'a str,
    notes: &'a [String],
    ok: bool,
    size: usize,
    tlv_stream: Option<&'a str>,
    tlvs: Records<'a>,
    #[serde(rename = "type")]
    msg_type: Option<u16>,
}

impl<'a> Message<'a> {
    fn new(d: &'a Decoded) -> Message<'a> {
        Message {
            bolt: d.bolt,
            errors: &d.errors,
            fields: Fields {
                msg: &d.bytes,
                fields: &d.fields,
            },
            ldk: d.ldk.as_ref().map(Ldk::new),
            name: &d.name,
            notes: &d.notes,
            ok: d.is_ok(),
            size: d.size,
            tlv_stream: d.tlv_stream,
            tlvs: Records(d),
            msg_type: d.msg_type,
        }
    }
}

/// LDK's verdict.
#[derive(Serialize)]
struct Ldk<'a> {
    decoder: Option<&'a str>,
    error: Option<&'a str>,
    note: Option<&'a str>,
    ok: bool,
}

impl<'a> Ldk<'a> {
    fn new(l: &'a LdkCheck) -> Ldk<'a> {
        Ldk {
            decoder: l.decoder,
            error: l.error.as_deref(),
            note: l.note.as_deref(),
            ok: l.ok,
        }
    }
}

/// A list of fields (the message's, or a record's), each as a [`FieldJson`].
struct Fields<'a> {
    /// The whole message: fields locate their bytes in it.
    msg: &'a [u8],
    fields: &'a [Field],
}

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.fields.len()))?;
        // One string for every field's `display` text in the list, instead of one each.
        let mut display = String::with_capacity(128);
        for f in self.fields {
            display.clear();
            value::display_into(f, self.msg, true, &mut display);
            seq.serialize_element(&FieldJson {
                display: &display,
                hex: Hex(field_bytes(self.msg, f)),
                length: f.length,
                meaning: f.meaning,
                name: &f.name,
                offset: f.offset,
                ok: f.ok,
                value: FieldValue { f, msg: self.msg },
            })?;
        }
        seq.end()
    }
}

/// One field.
#[derive(Serialize)]
struct FieldJson<'a> {
    display: &'a str,
    hex: Hex<'a>,
    length: usize,
    meaning: &'a str,
    name: &'a str,
    offset: usize,
    ok: bool,
    value: FieldValue<'a>,
}

/// The message's TLV records.
struct Records<'a>(&'a Decoded);

impl Serialize for Records<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        serializer.collect_seq(d.tlvs.iter().map(|r| RecordJson::new(&d.bytes, r)))
    }
}

/// One TLV record.
#[derive(Serialize)]
struct RecordJson<'a> {
    fields: Fields<'a>,
    hex: Hex<'a>,
    length: usize,
    meaning: &'a str,
    name: Option<&'a str>,
    offset: usize,
    ok: bool,
    status: &'static str,
    #[serde(rename = "type")]
    tlv_type: u64,
    value: RecordValue<'a>,
}

impl<'a> RecordJson<'a> {
    fn new(msg: &'a [u8], r: &'a TlvRecord) -> RecordJson<'a> {
        let value = match (r.fields.as_slice(), r.status) {
            ([only], _) => RecordValue::One(FieldValue { f: only, msg }),
            ([], TlvStatus::Known) => RecordValue::Present,
            ([], _) => RecordValue::Unknown,
            (many, _) => RecordValue::Many { msg, fields: many },
        };
        RecordJson {
            fields: Fields {
                msg,
                fields: &r.fields,
            },
            hex: Hex(msg
                .get(r.value_offset..r.value_offset + r.length)
                .unwrap_or(&[])),
            length: r.length,
            meaning: r.meaning,
            name: r.name,
            offset: r.offset,
            ok: r.ok,
            status: status_name(r.status),
            tlv_type: r.tlv_type,
            value,
        }
    }
}

/// A record's `value`: its one field's value, `true` for a known flag record, `null` for
/// an unknown record, or an object of field values by name.
enum RecordValue<'a> {
    One(FieldValue<'a>),
    Present,
    Unknown,
    Many { msg: &'a [u8], fields: &'a [Field] },
}

impl Serialize for RecordValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RecordValue::One(v) => v.serialize(serializer),
            RecordValue::Present => serializer.serialize_bool(true),
            RecordValue::Unknown => serializer.serialize_unit(),
            RecordValue::Many { msg, fields } => {
                // An object: sorted by name, and the last field of a name wins.
                let by_name: BTreeMap<&str, FieldValue<'_>> = fields
                    .iter()
                    .map(|f| (f.name.as_ref(), FieldValue { f, msg }))
                    .collect();
                serializer.collect_map(by_name)
            }
        }
    }
}

fn status_name(status: TlvStatus) -> &'static str {
    match status {
        TlvStatus::Known => "known",
        TlvStatus::UnknownOdd => "unknown_odd",
        TlvStatus::UnknownEven => "unknown_even",
    }
}

/// Raw bytes of a field in the message (empty if out of range).
fn field_bytes<'a>(msg: &'a [u8], f: &Field) -> &'a [u8] {
    msg.get(f.offset..f.offset + f.length).unwrap_or(&[])
}

/// The machine-friendly value of a field: numbers in their wire unit, strings for names
/// and text, arrays for lists, hex for other bytes.
#[derive(Clone, Copy)]
struct FieldValue<'a> {
    f: &'a Field,
    msg: &'a [u8],
}

impl Serialize for FieldValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let f = self.f;
        match f.value {
            Value::Truncated => serializer.serialize_unit(),
            Value::Uint(v) if f.kind == Kind::Bool && v <= 1 => serializer.serialize_bool(v == 1),
            Value::Uint(v) => serializer.serialize_u64(v),
            Value::Int(v) => serializer.serialize_i64(v),
            Value::Bytes => bytes_value(f, field_bytes(self.msg, f), serializer),
        }
    }
}

/// The value of a bytes field, by its type, then its kind.
fn bytes_value<S: Serializer>(f: &Field, raw: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    let chain = |c: &[u8]| chain_name(c).unwrap_or("unknown");
    match f.ty {
        FieldType::ChainHash if f.length == 32 => serializer.serialize_str(chain(raw)),
        FieldType::ChainHash => serializer.collect_seq(raw.chunks_exact(32).map(chain)),
        FieldType::ShortChannelId => {
            let mut text = String::with_capacity(24);
            push_scid(&mut text, raw);
            serializer.serialize_str(&text)
        }
        FieldType::Sha256 if f.kind == Kind::Txid => serializer.serialize_str(&txid_hex(raw)),
        FieldType::Witness => match parse_witness(raw) {
            Ok(items) => serializer.collect_seq(items.into_iter().map(|r| Hex(&raw[r]))),
            Err(_) => serializer.serialize_unit(),
        },
        FieldType::ChannelUpdateChecksums | FieldType::U32 => serializer.collect_seq(u32s(raw)),
        _ => match f.kind {
            Kind::InitFeatures
            | Kind::NodeFeatures
            | Kind::ChannelFeatures
            | Kind::ChannelTypeFeatures => {
                serializer.collect_seq(features::set_bits(raw).into_iter().map(FeatureBit::new))
            }
            Kind::Alias => serializer.serialize_str(&String::from_utf8_lossy(trim_zeros(raw))),
            Kind::Addresses => {
                serializer.collect_seq(parse_addresses(raw).0.iter().map(|a| a.to_string()))
            }
            Kind::Address => match parse_addresses(raw).0.first() {
                Some(a) => serializer.collect_str(a),
                None => serializer.serialize_unit(),
            },
            Kind::Text => match std::str::from_utf8(raw) {
                Ok(s) => serializer.serialize_str(s),
                Err(_) => Hex(raw).serialize(serializer),
            },
            Kind::EncodedShortIds => match raw.split_first() {
                Some((t, rest)) => ShortIds {
                    encoding_type: *t,
                    short_channel_ids: if *t == 0 { rest } else { &[] },
                }
                .serialize(serializer),
                None => serializer.serialize_unit(),
            },
            Kind::EncodedTimestamps | Kind::HoldTimes => serializer.collect_seq(u32s(raw)),
            Kind::EncodedQueryFlags => serializer.collect_seq(bigsizes(raw)),
            Kind::Transaction if !raw.is_empty() => match parse_transaction(raw) {
                Ok(tx) => TransactionJson {
                    inputs: tx.input.len(),
                    outputs: tx.output.len(),
                    txid: tx.compute_txid().to_string(),
                }
                .serialize(serializer),
                Err(_) => serializer.serialize_unit(),
            },
            Kind::Onion if raw.len() >= 66 => Onion {
                hmac: Hex(&raw[raw.len() - 32..]),
                hop_data_length: raw.len() - 66,
                public_key: Hex(&raw[1..34]),
                version: raw[0],
            }
            .serialize(serializer),
            _ => Hex(raw).serialize(serializer),
        },
    }
}

/// One set feature bit.
#[derive(Serialize)]
struct FeatureBit {
    bit: usize,
    name: Option<&'static str>,
    required: bool,
}

impl FeatureBit {
    fn new(bit: usize) -> FeatureBit {
        FeatureBit {
            bit,
            name: features::name_of(bit),
            required: bit.is_multiple_of(2),
        }
    }
}

/// `encoded_short_ids`: the encoding, and the ids when uncompressed.
#[derive(Serialize)]
struct ShortIds<'a> {
    encoding_type: u8,
    #[serde(serialize_with = "scid_list")]
    short_channel_ids: &'a [u8],
}

/// 8-byte chunks as `block x tx x output` strings.
fn scid_list<S: Serializer>(raw: &&[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(raw.chunks_exact(8).map(crate::wire::values::scid_string))
}

/// A transaction, in brief.
#[derive(Serialize)]
struct TransactionJson {
    inputs: usize,
    outputs: usize,
    txid: String,
}

/// An onion packet's parts.
#[derive(Serialize)]
struct Onion<'a> {
    hmac: Hex<'a>,
    hop_data_length: usize,
    public_key: Hex<'a>,
    version: u8,
}

/// Bytes, written as a lower-case hex string by [`BytesAsHex`].
#[derive(Clone, Copy)]
struct Hex<'a>(&'a [u8]);

impl Serialize for Hex<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{catalog, decode_bytes, decode_hex, example, DecodeOptions};

    /// The view written straight into a buffer gives the bytes of the same view as a
    /// `serde_json::Value` tree (a sorted map): the key order is the one the output has
    /// always had.
    fn same(d: &Decoded) {
        let tree = serde_json::to_vec(&json(d)).unwrap();
        let mut fast = Vec::new();
        json_into(d, &mut fast);
        assert_eq!(
            String::from_utf8_lossy(&fast),
            String::from_utf8_lossy(&tree),
            "json_into differs from json for {}",
            hex::encode(&d.bytes)
        );
    }

    fn both(bytes: &[u8]) {
        for ldk_check in [false, true] {
            same(&decode_bytes(bytes, DecodeOptions { ldk_check }));
        }
    }

    use crate::wire::decode::tests::Rng;

    #[test]
    fn json_into_matches_json() {
        let mut rng = Rng(0x5eed_1234_abcd_0001);
        for network in [bitcoin::Network::Bitcoin, bitcoin::Network::Regtest] {
            for name in catalog::message_names() {
                let base = example::example(name, network).unwrap();
                both(&base);
                for n in 0..base.len().min(80) {
                    both(&base[..n]);
                }
                for _ in 0..60 {
                    let mut m = base.clone();
                    rng.mutate(&mut m, 40, &[0x00, 0x22, 0x5c, 0x0a, 0xff, 0xfd]);
                    both(&m);
                }
            }
        }
        for m in catalog::MESSAGES {
            for _ in 0..20 {
                let len = rng.below(300);
                let mut bytes = m.msg_type.to_be_bytes().to_vec();
                bytes.extend((0..len).map(|_| rng.next() as u8));
                both(&bytes);
            }
        }
        // Text that needs escaping, in an error and in an alias; unknown types; bad hex.
        let mut error = vec![0x00, 0x11];
        error.extend([0u8; 32]);
        let text = "a \"quoted\" \\ back\nslash\t\u{1}é✓";
        error.extend((text.len() as u16).to_be_bytes());
        error.extend(text.as_bytes());
        both(&error);
        both(&[0x80, 0x01, 1, 2, 3]);
        both(&[0x80, 0x00]);
        for input in ["", "0", "zz", "0x0012 0004 0000", "00 1"] {
            same(&decode_hex(input, DecodeOptions::default()));
        }
    }
}
