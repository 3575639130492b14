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
//! Where a message came from (a log line's direction, time and peer) is not part of the
//! decode; [`json_into_with`] writes it beside the decode's own keys.
//!
//! Key order is part of the output: keys are declared in sorted order, because that is
//! the order a `serde_json::Value` (a sorted map) prints, and the output has always been
//! that text. The test `json_into_matches_json` holds the two forms to the same bytes.

use std::collections::BTreeMap;
use std::io;

use serde::ser::Serializer;
use serde::Serialize;
use serde_json::Value as Json;

use super::value;
use crate::wire::catalog::{FieldType, Kind};
use crate::wire::features;
use crate::wire::fmt::dec;
use crate::wire::logline::Origin;
use crate::wire::tree::{Decoded, Field, TlvRecord, TlvStatus, Value};
use crate::wire::values::{
    bigsizes, chain_name, parse_addresses, parse_transaction, parse_witness, push_scid, trim_zeros,
    txid_hex, u32s,
};

/// The decoded message as JSON (schema in the README, "decode --json"). Invalid input still
/// gives an object, with `errors` non-empty.
///
/// This is [`json_into`]'s text read back as a tree, for callers that index into it: the
/// schema is written in one place.
pub fn json(d: &Decoded) -> Json {
    let mut text = Vec::with_capacity(4096);
    json_into(d, &mut text);
    // The writer only ever writes valid JSON, so this cannot fail.
    serde_json::from_slice(&text).unwrap_or(Json::Null)
}

/// Appends [`json`]'s text (compact, on one line) to `buf`, straight from the decoded tree:
/// `decode --file --json` reuses one buffer for every line.
pub fn json_into(d: &Decoded, buf: &mut Vec<u8>) {
    json_into_with(d, &Origin::default(), buf)
}

/// [`json_into`], with where the message came from (a log line's direction, time and
/// peer) as the keys `direction`, `time` and `peer`; each is left out when unknown.
pub fn json_into_with(d: &Decoded, origin: &Origin<'_>, buf: &mut Vec<u8>) {
    // Keys in sorted order (see the module doc).
    buf.extend_from_slice(b"{\"bolt\":");
    opt_num(buf, d.bolt);
    if let Some(direction) = origin.direction {
        buf.extend_from_slice(b",\"direction\":");
        string(buf, direction.as_str());
    }
    buf.extend_from_slice(b",\"errors\":");
    str_list(buf, &d.errors);
    buf.extend_from_slice(b",\"fields\":[");
    // One string for every field's `display`, instead of one allocation each.
    let mut display = String::with_capacity(128);
    for (i, f) in d.fields.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        field_into(d, f, &mut display, buf);
    }
    buf.extend_from_slice(b"],\"hex\":");
    push_hex_string(buf, &d.bytes);
    buf.extend_from_slice(b",\"ldk\":");
    match &d.ldk {
        None => buf.extend_from_slice(b"null"),
        Some(l) => {
            buf.extend_from_slice(b"{\"decoder\":");
            opt_str(buf, l.decoder);
            buf.extend_from_slice(b",\"error\":");
            opt_str(buf, l.error.as_deref());
            buf.extend_from_slice(b",\"note\":");
            opt_str(buf, l.note.as_deref());
            buf.extend_from_slice(b",\"ok\":");
            boolean(buf, l.ok);
            buf.push(b'}');
        }
    }
    buf.extend_from_slice(b",\"name\":");
    string(buf, &d.name);
    buf.extend_from_slice(b",\"notes\":");
    str_list(buf, &d.notes);
    buf.extend_from_slice(b",\"ok\":");
    boolean(buf, d.is_ok());
    if let Some(peer) = &origin.peer {
        buf.extend_from_slice(b",\"peer\":");
        string(buf, peer);
    }
    buf.extend_from_slice(b",\"size\":");
    push_u64(buf, d.size as u64);
    if let Some(time) = &origin.time {
        buf.extend_from_slice(b",\"time\":");
        string(buf, time);
    }
    buf.extend_from_slice(b",\"tlv_stream\":");
    opt_str(buf, d.tlv_stream);
    buf.extend_from_slice(b",\"tlvs\":[");
    for (i, r) in d.tlvs.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        record_into(d, r, &mut display, buf);
    }
    buf.extend_from_slice(b"],\"type\":");
    opt_num(buf, d.msg_type);
    buf.push(b'}');
}

/// `display` is scratch space, reused from field to field.
fn field_into(d: &Decoded, f: &Field, display: &mut String, buf: &mut Vec<u8>) {
    display.clear();
    value::display_into(f, &d.bytes, true, display);
    buf.extend_from_slice(b"{\"display\":");
    string(buf, display);
    buf.extend_from_slice(b",\"hex\":");
    push_hex_string(buf, d.field_bytes(f));
    buf.extend_from_slice(b",\"length\":");
    push_u64(buf, f.length as u64);
    buf.extend_from_slice(b",\"meaning\":");
    string(buf, f.meaning);
    buf.extend_from_slice(b",\"name\":");
    string(buf, &f.name);
    buf.extend_from_slice(b",\"offset\":");
    push_u64(buf, f.offset as u64);
    buf.extend_from_slice(b",\"ok\":");
    boolean(buf, f.ok);
    buf.extend_from_slice(b",\"value\":");
    write_value(f, &d.bytes, buf);
    buf.push(b'}');
}

fn record_into(d: &Decoded, r: &TlvRecord, display: &mut String, buf: &mut Vec<u8>) {
    let raw = d
        .bytes
        .get(r.value_offset..r.value_offset + r.length)
        .unwrap_or(&[]);
    buf.extend_from_slice(b"{\"fields\":[");
    for (i, f) in r.fields.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        field_into(d, f, display, buf);
    }
    buf.extend_from_slice(b"],\"hex\":");
    push_hex_string(buf, raw);
    buf.extend_from_slice(b",\"length\":");
    push_u64(buf, r.length as u64);
    buf.extend_from_slice(b",\"meaning\":");
    string(buf, r.meaning);
    buf.extend_from_slice(b",\"name\":");
    opt_str(buf, r.name);
    buf.extend_from_slice(b",\"offset\":");
    push_u64(buf, r.offset as u64);
    buf.extend_from_slice(b",\"ok\":");
    boolean(buf, r.ok);
    buf.extend_from_slice(b",\"status\":");
    string(buf, status_name(r.status));
    buf.extend_from_slice(b",\"type\":");
    push_u64(buf, r.tlv_type);
    buf.extend_from_slice(b",\"value\":");
    match (r.fields.as_slice(), r.status) {
        ([only], _) => write_value(only, &d.bytes, buf),
        ([], TlvStatus::Known) => buf.extend_from_slice(b"true"),
        ([], _) => buf.extend_from_slice(b"null"),
        (many, _) => serialize(
            &RecordValue::Many {
                msg: &d.bytes,
                fields: many,
            },
            buf,
        ),
    }
    buf.push(b'}');
}

fn status_name(status: TlvStatus) -> &'static str {
    match status {
        TlvStatus::Known => "known",
        TlvStatus::UnknownOdd => "unknown_odd",
        TlvStatus::UnknownEven => "unknown_even",
    }
}

/// Whether `s` has a byte JSON must escape (`"`, `\\`, below 0x20). No early exit: this
/// form vectorises, and most text here (meanings, names, hex) has none.
fn needs_escape(s: &[u8]) -> bool {
    s.iter()
        .fold(false, |e, &b| e | (b < 0x20) | (b == b'"') | (b == b'\\'))
}

/// A JSON string, escaped exactly as serde_json escapes it (only `"`, `\\` and control
/// characters; other text, UTF-8 included, as is).
fn string(buf: &mut Vec<u8>, s: &str) {
    let escape = needs_escape(s.as_bytes());
    if escape {
        let _ = serde_json::to_writer(&mut *buf, s);
    } else {
        buf.reserve(s.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    }
}

fn opt_str(buf: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(buf, s),
        None => buf.extend_from_slice(b"null"),
    }
}

fn opt_num<N: Into<u64>>(buf: &mut Vec<u8>, n: Option<N>) {
    match n {
        Some(n) => push_u64(buf, n.into()),
        None => buf.extend_from_slice(b"null"),
    }
}

fn boolean(buf: &mut Vec<u8>, b: bool) {
    buf.extend_from_slice(if b { b"true" } else { b"false" });
}

fn str_list(buf: &mut Vec<u8>, list: &[String]) {
    buf.push(b'[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        string(buf, s);
    }
    buf.push(b']');
}

/// A field's `value`: numbers, and the two byte kinds in every gossip message, by hand;
/// the other kinds through their [`FieldValue`] view.
fn write_value(f: &Field, msg: &[u8], buf: &mut Vec<u8>) {
    let raw = field_bytes(msg, f);
    match f.value {
        Value::Truncated => buf.extend_from_slice(b"null"),
        Value::Uint(v) if f.kind == Kind::Bool && v <= 1 => boolean(buf, v == 1),
        Value::Uint(v) => push_u64(buf, v),
        Value::Int(v) => push_i64(buf, v),
        Value::Bytes if f.ty == FieldType::ChainHash && f.kind != Kind::Chains => {
            string(buf, chain_name(raw).unwrap_or("unknown"))
        }
        Value::Bytes if f.ty == FieldType::ShortChannelId => {
            let mut text = String::with_capacity(24);
            push_scid(&mut text, raw);
            string(buf, &text)
        }
        Value::Bytes => serialize(&FieldValue { f, msg }, buf),
    }
}

/// Writes one view with serde_json (bytes as hex, see [`BytesAsHex`]).
fn serialize<T: Serialize>(view: &T, buf: &mut Vec<u8>) {
    let mut out = serde_json::Serializer::with_formatter(buf, BytesAsHex);
    // Writing to a Vec cannot fail, and no view returns an error.
    let _ = view.serialize(&mut out);
}

/// `v` in decimal (what serde_json prints for an integer).
fn push_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(dec(&mut [0u8; 20], v));
}

/// `v` in decimal, with a `-` when negative.
fn push_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    push_u64(out, v.unsigned_abs());
}

/// `"` + lower-case hex of `raw` + `"`.
fn push_hex_string(out: &mut Vec<u8>, raw: &[u8]) {
    out.push(b'"');
    let start = out.len();
    out.resize(start + raw.len() * 2, 0);
    // The slice is exactly twice `raw`'s length, so this cannot fail.
    let _ = hex::encode_to_slice(raw, &mut out[start..]);
    out.push(b'"');
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

/// A record's `value`: its one field's value, `true` for a known flag record, `null` for
/// an unknown record, or an object of field values by name.
enum RecordValue<'a> {
    Many { msg: &'a [u8], fields: &'a [Field] },
}

impl Serialize for RecordValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
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
        FieldType::ChainHash if f.kind != Kind::Chains => serializer.serialize_str(chain(raw)),
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

    /// The hand-written writer's output is valid JSON with its keys in sorted order (it
    /// reads back into a `serde_json::Value`, a sorted map, and writes out the same), and
    /// every value it writes by hand (numbers, booleans, chain names, short channel ids)
    /// is what the field's serde view ([`FieldValue`]) writes.
    fn same(d: &Decoded) {
        let mut fast = Vec::new();
        json_into(d, &mut fast);
        let tree: Json = serde_json::from_slice(&fast).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&fast),
            String::from_utf8_lossy(&serde_json::to_vec(&tree).unwrap()),
            "json_into is not sorted JSON for {}",
            hex::encode(&d.bytes)
        );
        let fields = d.fields.iter().chain(d.tlvs.iter().flat_map(|r| &r.fields));
        for f in fields {
            let (mut by_hand, mut view) = (Vec::new(), Vec::new());
            write_value(f, &d.bytes, &mut by_hand);
            serialize(&FieldValue { f, msg: &d.bytes }, &mut view);
            assert_eq!(
                String::from_utf8_lossy(&by_hand),
                String::from_utf8_lossy(&view),
                "{}'s value by hand differs from its view in {}",
                f.name,
                hex::encode(&d.bytes)
            );
        }
    }

    fn both(bytes: &[u8]) {
        for ldk_check in [false, true] {
            same(&decode_bytes(bytes, DecodeOptions { ldk_check }));
        }
    }

    use crate::wire::decode::tests::Rng;

    /// Values that JSON writes its own way, exactly, in both writers: booleans, a negative
    /// amount, a txid in display order next to a plain hash, uncompressed short channel ids.
    #[test]
    fn values_have_their_json_form() {
        let net = bitcoin::Network::Regtest;
        let enc = |name: &str, pairs: &[(&str, &str)]| {
            let asg: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            decode_bytes(
                &crate::wire::encode::encode(name, &asg, net).unwrap(),
                DecodeOptions::default(),
            )
        };
        // Both writers, as trees.
        let views = |d: &Decoded| {
            let mut fast = Vec::new();
            json_into(d, &mut fast);
            [json(d), serde_json::from_slice(&fast).unwrap()]
        };
        for (initiator, want) in [("1", true), ("0", false)] {
            for j in views(&enc("stfu", &[("initiator", initiator)])) {
                assert_eq!(j["fields"][1]["name"], "initiator");
                assert_eq!(j["fields"][1]["value"], want);
            }
        }
        let mut rbf = vec![0, 73];
        rbf.extend([0u8; 32]);
        rbf.extend([0x00, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3c, 0xb0]);
        for j in views(&decode_bytes(&rbf, DecodeOptions::default())) {
            assert_eq!(j["tlvs"][0]["fields"][0]["value"], -50_000);
        }
        let d = enc(
            "channel_reestablish",
            &[("next_funding.retransmit_flags", "1")],
        );
        let txid = &d.tlvs[0].fields[0];
        let mut display_order = d.field_bytes(txid).to_vec();
        display_order.reverse();
        for j in views(&d) {
            let f = &j["tlvs"][0]["fields"][0];
            assert_eq!(f["name"], "next_funding_txid");
            assert_eq!(f["value"], hex::encode(&display_order));
            assert_eq!(f["hex"], hex::encode(d.field_bytes(txid)));
        }
        let d = enc("update_add_htlc", &[]);
        let hash = hex::encode(d.field_bytes(d.field("payment_hash").unwrap()));
        for j in views(&d) {
            let f = &j["fields"][3];
            assert_eq!(f["name"], "payment_hash");
            assert_eq!(f["value"], hash);
        }
        let hmacs = "00".repeat(840);
        let d = enc(
            "update_fail_htlc",
            &[("attribution_data.truncated_hmacs", &hmacs)],
        );
        for j in views(&d) {
            let f = &j["tlvs"][0]["fields"][0];
            assert_eq!(f["name"], "htlc_hold_times");
            assert_eq!(f["value"], serde_json::json!(vec![0; 20]));
        }
        for j in views(&enc("query_short_channel_ids", &[])) {
            let ids = &j["fields"][2]["value"];
            assert_eq!(ids["encoding_type"], 0);
            assert_eq!(
                ids["short_channel_ids"],
                serde_json::json!(["800000x1x0", "800001x2x1"])
            );
        }
    }

    #[test]
    fn escape_scan_is_exact() {
        for b in 0..=255u8 {
            for pos in 0..17 {
                let mut v = vec![b'a'; 17];
                v[pos] = b;
                let want = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(needs_escape(&v), want, "byte {b:#x} at {pos}");
            }
        }
        assert!(!needs_escape("é✓ ~\u{7f}".as_bytes()));
        // Mixed strings of bytes near the boundaries, any length, against the rule.
        let near = [
            0x00, 0x1f, 0x20, 0x21, b'"', 0x23, 0x5b, b'\\', 0x5d, 0x7f, 0x80, 0xa0, 0xdc, 0xff,
        ];
        let mut rng = Rng(0x5eed);
        for _ in 0..50_000 {
            let v: Vec<u8> = (0..rng.below(40))
                .map(|_| match rng.below(8) {
                    0 => near[rng.below(near.len())],
                    _ => near[2 + rng.below(2)],
                })
                .collect();
            let want = v.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
            assert_eq!(needs_escape(&v), want, "{v:?}");
        }
    }

    /// Any one of `"`, `\\` or a control character needs escaping, however many there are
    /// (two control characters as much as one).
    #[test]
    fn escapes_are_found_whatever_their_number() {
        for s in ["a\nb", "a\nb\tc", "\u{1}\u{2}\u{3}", "\"", "x\\y", "\n\"\\"] {
            assert!(needs_escape(s.as_bytes()), "{s:?}");
        }
        for s in ["", "plain", "é✓ ~"] {
            assert!(!needs_escape(s.as_bytes()), "{s:?}");
        }
    }

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

    /// A log line's direction, time and peer go in their sorted places, escaped like any
    /// string, and the message's own bytes are `hex`.
    #[test]
    fn origin_keys_are_sorted_and_escaped() {
        use crate::wire::logline::Direction;
        let d = decode_hex("0012000400020000", DecodeOptions::default());
        let origin = Origin {
            direction: Some(Direction::Out),
            time: Some("2024-01-15 \"noon\"".into()),
            peer: Some("02ab".into()),
        };
        let mut text = Vec::new();
        json_into_with(&d, &origin, &mut text);
        let tree: Json = serde_json::from_slice(&text).unwrap();
        assert_eq!(
            serde_json::to_vec(&tree).unwrap(),
            text,
            "keys not in sorted order"
        );
        assert_eq!(tree["direction"], "out");
        assert_eq!(tree["time"], "2024-01-15 \"noon\"");
        assert_eq!(tree["peer"], "02ab");
        assert_eq!(tree["hex"], "0012000400020000");
        assert!(json(&d).get("direction").is_none());
    }
}
