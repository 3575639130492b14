//! TLV streams (BOLT 1): `bigsize type || bigsize length || value`, repeated.
//!
//! [`records`] checks the structure (minimal BigSize, lengths inside the stream);
//! [`decode_stream`] adds the stream rules (strictly increasing types, no duplicates,
//! unknown even types rejected) and decodes known records' fields.

use std::fmt;

use super::bigsize::{self, BigSizeError};
use super::catalog::TlvStreamSpec;
use super::decode::Reader;
use super::tree::{TlvRecord, TlvStatus};

/// One record as laid out in the stream (offsets relative to the slice given to [`records`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawRecord {
    pub tlv_type: u64,
    /// Offset of the type.
    pub offset: usize,
    pub length: usize,
    /// Offset of the value.
    pub value_offset: usize,
}

/// A structural error in a TLV stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlvError {
    /// The type is not a valid BigSize.
    BadType { offset: usize, error: BigSizeError },
    /// The length is missing or not a valid BigSize.
    BadLength {
        offset: usize,
        tlv_type: u64,
        error: BigSizeError,
    },
    /// The value runs past the end of the stream.
    ValuePastEnd {
        offset: usize,
        tlv_type: u64,
        length: u64,
        available: usize,
    },
}

impl fmt::Display for TlvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlvError::BadType { offset, error } => write!(f, "record type at offset {offset}: {error}"),
            TlvError::BadLength { offset, tlv_type, error: BigSizeError::Empty } => write!(
                f,
                "record type {tlv_type} at offset {offset}: length missing"
            ),
            TlvError::BadLength { offset, tlv_type, error } => {
                write!(f, "record type {tlv_type}, length at offset {offset}: {error}")
            }
            TlvError::ValuePastEnd { offset, tlv_type, length, available } => write!(
                f,
                "record type {tlv_type} at offset {offset}: length {length} runs past the end of the stream ({available} bytes left)"
            ),
        }
    }
}

impl std::error::Error for TlvError {}

/// Iterator over the records of a stream; yields one error and stops at the first structural fault.
pub struct Records<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
    failed: bool,
}

/// Walks the records of `bytes`. Offsets in items and errors are `base + position in bytes`.
pub fn records(bytes: &[u8], base: usize) -> Records<'_> {
    Records {
        bytes,
        pos: 0,
        base,
        failed: false,
    }
}

impl Iterator for Records<'_> {
    type Item = Result<RawRecord, TlvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.bytes[start..];
        let item = (|| {
            let (tlv_type, tn) = bigsize::read(rest).map_err(|error| TlvError::BadType {
                offset: self.base + start,
                error,
            })?;
            let (length, ln) = bigsize::read(&rest[tn..]).map_err(|error| TlvError::BadLength {
                offset: self.base + start + tn,
                tlv_type,
                error,
            })?;
            let available = rest.len() - tn - ln;
            if length > available as u64 {
                return Err(TlvError::ValuePastEnd {
                    offset: self.base + start,
                    tlv_type,
                    length,
                    available,
                });
            }
            Ok(RawRecord {
                tlv_type,
                offset: self.base + start,
                length: length as usize,
                value_offset: self.base + start + tn + ln,
            })
        })();
        match &item {
            Ok(r) => self.pos = r.value_offset - self.base + r.length,
            Err(_) => self.failed = true,
        }
        Some(item)
    }
}

/// Decodes the stream `msg[start..end]` as `spec`: one [`TlvRecord`] per record, errors and
/// notes prefixed with `place` and the stream name. Offsets are positions in `msg`.
pub fn decode_stream(
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

    #[test]
    fn raw_records() {
        let recs: Vec<_> = records(&[0x01, 0x00, 0x03, 0x01, 0x2a], 10).collect();
        assert_eq!(
            recs,
            vec![
                Ok(RawRecord {
                    tlv_type: 1,
                    offset: 10,
                    length: 0,
                    value_offset: 12
                }),
                Ok(RawRecord {
                    tlv_type: 3,
                    offset: 12,
                    length: 1,
                    value_offset: 14
                }),
            ]
        );
    }
}
