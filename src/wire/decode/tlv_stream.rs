//! A message's TLV stream, decoded: the stream rules of BOLT 1 (types strictly increasing,
//! no duplicates, unknown even types rejected, lengths that match the record's fields) on
//! top of [`tlv::records`](crate::wire::tlv::records)' structure, and each known record's
//! fields read with a [`Reader`] over its value.

use super::Reader;
use crate::wire::catalog::TlvStreamSpec;
use crate::wire::tlv::records;
use crate::wire::tree::{TlvRecord, TlvStatus};

/// Decodes the stream `msg[start..end]` as `spec`: one [`TlvRecord`] per record, errors and
/// notes prefixed with `place` and the stream name. Offsets are positions in `msg`.
pub(crate) fn decode_stream(
    msg: &[u8],
    start: usize,
    end: usize,
    spec: &'static TlvStreamSpec,
    place: &str,
    errors: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> Vec<TlvRecord> {
    let stream = spec.name;
    let mut out: Vec<TlvRecord> = Vec::new();
    let mut last: Option<u64> = None;
    for item in records(&msg[start..end], start) {
        let raw = match item {
            Ok(raw) => raw,
            Err(e) => {
                errors.push(format!("{place}{stream}: {e}"));
                break;
            }
        };
        let mut ok = true;
        match last {
            Some(prev) if raw.tlv_type == prev => {
                errors.push(format!(
                    "{place}{stream}: duplicate record type {} at offset {} (BOLT 1: types MUST be strictly increasing)",
                    raw.tlv_type, raw.offset
                ));
                ok = false;
            }
            Some(prev) if raw.tlv_type < prev => {
                errors.push(format!(
                    "{place}{stream}: record type {} at offset {} comes after type {prev} (BOLT 1: types MUST be strictly increasing)",
                    raw.tlv_type, raw.offset
                ));
                ok = false;
            }
            _ => {}
        }
        last = Some(last.map_or(raw.tlv_type, |p| p.max(raw.tlv_type)));
        let value_end = raw.value_offset + raw.length;
        let mut record = TlvRecord {
            tlv_type: raw.tlv_type,
            name: None,
            offset: raw.offset,
            value_offset: raw.value_offset,
            length: raw.length,
            status: TlvStatus::UnknownOdd,
            fields: Vec::new(),
            meaning: "",
            ok,
        };
        match spec.record(raw.tlv_type) {
            Some(rs) => {
                record.status = TlvStatus::Known;
                record.name = Some(rs.name);
                record.meaning = rs.meaning;
                let prefix = format!("{place}{stream}.{}.", rs.name);
                let before = errors.len();
                let mut reader =
                    Reader::new(msg, raw.value_offset, value_end, &prefix, errors, notes);
                match reader.read_fields(rs.fields, &mut record.fields) {
                    Ok(pos) if pos < value_end => errors.push(format!(
                        "{place}{stream}: record {} (type {}) at offset {}: length {} is more than its fields take ({} bytes)",
                        rs.name,
                        raw.tlv_type,
                        raw.offset,
                        raw.length,
                        pos - raw.value_offset
                    )),
                    Ok(_) => {}
                    Err(()) => {
                        // Reword a truncation inside a record: the record length is too short.
                        if let Some(e) = errors.get_mut(before) {
                            *e = format!(
                                "{place}{stream}: record {} (type {}) at offset {}: length {} is less than its fields need: {e}",
                                rs.name, raw.tlv_type, raw.offset, raw.length
                            );
                        }
                    }
                }
                if errors.len() > before {
                    record.ok = false;
                }
            }
            None if raw.tlv_type % 2 == 0 => {
                record.status = TlvStatus::UnknownEven;
                record.ok = false;
                errors.push(format!(
                    "{place}{stream}: unknown even record type {} at offset {}: a reader MUST fail (it's ok to be odd, not even)",
                    raw.tlv_type, raw.offset
                ));
            }
            None => {}
        }
        out.push(record);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::catalog::{Count, FieldSpec, FieldType, Kind, TlvRecordSpec};

    /// A record is marked not ok exactly when it added an error.
    #[test]
    fn only_records_with_errors_are_not_ok() {
        // tx_ack_rbf: a valid funding_output_contribution, then one 7 bytes long.
        let mut good = vec![0, 73];
        good.extend([0u8; 32]);
        good.extend([0x00, 0x08, 0, 0, 0, 0, 0, 0, 0x3c, 0xb0]);
        let d = crate::wire::decode_bytes(&good, crate::wire::DecodeOptions::default());
        assert!(d.is_ok(), "{:?}", d.errors);
        assert!(d.tlvs[0].ok);
        let mut bad = vec![0, 73];
        bad.extend([0u8; 32]);
        bad.extend([0x00, 0x07, 0, 0, 0, 0, 0, 0, 1]);
        let d = crate::wire::decode_bytes(&bad, crate::wire::DecodeOptions::default());
        assert!(!d.is_ok());
        assert!(!d.tlvs[0].ok);
    }

    const fn f(name: &'static str, ty: FieldType) -> FieldSpec {
        FieldSpec {
            name,
            ty,
            count: Count::One,
            kind: Kind::Plain,
            meaning: "",
        }
    }

    /// The `n1` test namespace of BOLT 1 Appendix B.
    static N1: TlvStreamSpec = TlvStreamSpec {
        name: "n1",
        records: &[
            TlvRecordSpec {
                tlv_type: 1,
                name: "tlv1",
                fields: &[f("amount_msat", FieldType::Tu64)],
                meaning: "",
            },
            TlvRecordSpec {
                tlv_type: 2,
                name: "tlv2",
                fields: &[f("scid", FieldType::ShortChannelId)],
                meaning: "",
            },
            TlvRecordSpec {
                tlv_type: 3,
                name: "tlv3",
                fields: &[
                    f("node_id", FieldType::Point),
                    f("amount_msat_1", FieldType::U64),
                    f("amount_msat_2", FieldType::U64),
                ],
                meaning: "",
            },
            TlvRecordSpec {
                tlv_type: 254,
                name: "tlv4",
                fields: &[f("cltv_delta", FieldType::U16)],
                meaning: "",
            },
        ],
    };

    /// The `n2` test namespace.
    static N2: TlvStreamSpec = TlvStreamSpec {
        name: "n2",
        records: &[
            TlvRecordSpec {
                tlv_type: 0,
                name: "tlv1",
                fields: &[f("amount_msat", FieldType::Tu64)],
                meaning: "",
            },
            TlvRecordSpec {
                tlv_type: 11,
                name: "tlv2",
                fields: &[f("cltv_expiry", FieldType::Tu32)],
                meaning: "",
            },
        ],
    };

    const VECTORS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tlv.json"));

    fn run(
        stream_hex: &str,
        spec: &'static TlvStreamSpec,
    ) -> (Vec<TlvRecord>, Vec<String>, Vec<u8>) {
        let bytes = hex::decode(stream_hex).expect("vector hex");
        let (mut errors, mut notes) = (Vec::new(), Vec::new());
        let recs = decode_stream(&bytes, 0, bytes.len(), spec, "", &mut errors, &mut notes);
        (recs, errors, bytes)
    }

    fn entries<'a>(v: &'a serde_json::Value, path: &[&str]) -> &'a Vec<serde_json::Value> {
        let mut node = v;
        for p in path {
            node = &node[*p];
        }
        node["entries"].as_array().expect("entries")
    }

    #[test]
    fn bolt1_decoding_failures() {
        let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
        let mut n = 0;
        for group in ["any_namespace", "either_namespace_unknown_even"] {
            for e in entries(&v, &["decoding_failures", group]) {
                for spec in [&N1, &N2] {
                    let (_, errors, _) = run(e["stream"].as_str().unwrap(), spec);
                    assert!(
                        !errors.is_empty(),
                        "{group} {} in {}: {}",
                        e["stream"],
                        spec.name,
                        e["reason"]
                    );
                    n += 1;
                }
            }
        }
        for e in entries(&v, &["decoding_failures", "n1"]) {
            let (_, errors, _) = run(e["stream"].as_str().unwrap(), &N1);
            assert!(!errors.is_empty(), "n1 {}: {}", e["stream"], e["reason"]);
            n += 1;
        }
        assert_eq!(n, 2 * (9 + 4) + 20);
    }

    #[test]
    fn bolt1_decoding_successes() {
        let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
        for e in entries(&v, &["decoding_successes", "either_namespace_ignored"]) {
            for spec in [&N1, &N2] {
                let (recs, errors, _) = run(e["stream"].as_str().unwrap(), spec);
                assert!(errors.is_empty(), "{}: {errors:?}", e["stream"]);
                assert!(recs.iter().all(|r| r.status == TlvStatus::UnknownOdd));
            }
        }
        for e in entries(&v, &["decoding_successes", "n1"]) {
            let (recs, errors, bytes) = run(e["stream"].as_str().unwrap(), &N1);
            assert!(errors.is_empty(), "{}: {errors:?}", e["stream"]);
            assert_eq!(recs.len(), 1);
            let r = &recs[0];
            assert_eq!(r.name, e["record"].as_str());
            for (name, want) in e["decoded"].as_object().unwrap() {
                let field = r
                    .fields
                    .iter()
                    .find(|f| f.name == name.as_str())
                    .expect("field");
                let raw = &bytes[field.offset..field.offset + field.length];
                match want {
                    serde_json::Value::Number(n) => {
                        assert_eq!(
                            field.value,
                            crate::wire::decode::Value::Uint(n.as_u64().unwrap()),
                            "{name}"
                        )
                    }
                    serde_json::Value::String(s) if name == "scid" => {
                        assert_eq!(&crate::wire::values::scid_string(raw), s);
                        assert_eq!(
                            u64::from_be_bytes(raw.try_into().unwrap()),
                            e["scid_u64"].as_u64().unwrap()
                        );
                    }
                    serde_json::Value::String(s) => assert_eq!(&hex::encode(raw), s, "{name}"),
                    other => panic!("unexpected {other}"),
                }
            }
        }
    }

    #[test]
    fn bolt1_stream_failures() {
        let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
        for (ns, spec) in [("n1", &N1), ("n2", &N2)] {
            for e in entries(&v, &["stream_decoding_failures", ns]) {
                let (_, errors, _) = run(e["stream"].as_str().unwrap(), spec);
                assert!(!errors.is_empty(), "{ns} {}: {}", e["stream"], e["reason"]);
            }
        }
    }

    #[test]
    fn error_classes_are_named() {
        let text = |h: &str| run(h, &N1).1.join("; ");
        assert!(text("fd000100").contains("non-minimal BigSize"));
        assert!(text("0208000000000000022601012a").contains("strictly increasing"));
        assert!(text("1f001f012a").contains("duplicate record type 31"));
        assert!(text("0ffd2602").contains("runs past the end"));
        assert!(text("0000").contains("unknown even record type 0"));
        assert!(text("0f").contains("length missing"));
    }
}
