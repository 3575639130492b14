//! The BOLT 9 feature table and the BOLT 1 signed-integer encodings, from the spec's
//! own data (`tests/data/features.json`, `tests/data/signed_ints.json`, see
//! `tests/data/README.md`), checked against the shell's real code: its feature naming
//! (`wire::features`, and what `decode` shows for an `init`), and its one signed field
//! type, `s64` (`funding_contribution_satoshis` of `splice_init`), both ways.
//!
//! A table hand-copied into `src/wire/features.rs` drifts from the spec silently;
//! these tests are where the drift shows.

use crate::common;

use bitcoin::Network;
use lnshell::wire::decode::Value;
use lnshell::wire::{self, encode, features, DecodeOptions};
use serde_json::Value as Json;

const FEATURES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/features.json"
));
const SIGNED_INTS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/signed_ints.json"
));

fn json(text: &str) -> Json {
    serde_json::from_str(text).expect("a vector file is JSON")
}

/// `(even bit, name, assumed, context)` of every feature in the BOLT 9 table.
fn spec_features() -> Vec<(usize, String, bool, String)> {
    json(FEATURES)["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            (
                f["even_bit"].as_u64().expect("even_bit") as usize,
                f["name"].as_str().expect("name").to_string(),
                f["assumed"].as_bool().expect("assumed"),
                f["context"].as_str().expect("context").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_bolt9_feature_has_its_spec_name_both_bits() {
    let spec = spec_features();
    assert!(spec.len() >= 20, "the vector lists {} features", spec.len());
    for (bit, name, assumed, context) in &spec {
        for b in [*bit, bit + 1] {
            assert_eq!(features::name_of(b), Some(name.as_str()), "bit {b}");
            let level = if b == *bit { "required" } else { "optional" };
            assert_eq!(features::describe_bit(b), format!("{name} ({level})"));
        }
        let f = features::feature_of(*bit).expect("a named feature");
        assert_eq!(f.assumed, *assumed, "{name}: ASSUMED");
        assert_eq!(f.context, context, "{name}: context");
        assert_eq!(features::bit_by_name(name), Some(*bit), "{name}");
    }
    // And nothing more: every feature the shell names is in the table.
    for f in features::FEATURES {
        assert!(
            spec.iter()
                .any(|(bit, name, ..)| *bit == f.bit && name == f.name),
            "the shell names bit {} {:?}, the spec does not",
            f.bit,
            f.name
        );
    }
    // A bit the table leaves out has no name.
    let named: Vec<usize> = spec.iter().flat_map(|(b, ..)| [*b, b + 1]).collect();
    for b in (0..64).filter(|b| !named.contains(b)) {
        assert_eq!(features::name_of(b), None, "bit {b}");
    }
}

#[test]
fn removed_features_are_unknown_but_remembered() {
    let history = json(FEATURES);
    let removed: Vec<(Vec<usize>, String)> = history["historical"]["entries"]
        .as_array()
        .expect("historical entries")
        .iter()
        .filter(|e| e["status"] == "removed")
        .map(|e| {
            let bits = e["bits"]
                .as_array()
                .expect("bits")
                .iter()
                .map(|b| b.as_u64().expect("bit") as usize)
                .collect();
            (bits, e["name"].as_str().expect("name").to_string())
        })
        .collect();
    assert!(!removed.is_empty());
    for (bits, name) in removed {
        for bit in bits {
            assert_eq!(features::name_of(bit), None, "bit {bit} was removed");
            let text = features::describe_bit(bit);
            assert!(
                text.starts_with(&format!("unknown bit {bit} ")) && text.contains(&name),
                "bit {bit}: {text}"
            );
        }
    }
}

/// What `decode --json` shows for an `init` with every bit of the table set (required
/// bits in one message, optional bits in another).
#[test]
fn decode_names_every_feature_of_an_init_as_the_spec_does() {
    let spec = spec_features();
    for required in [true, false] {
        let bits: Vec<usize> = spec
            .iter()
            .map(|(b, ..)| if required { *b } else { b + 1 })
            .collect();
        let vector = features::from_bits(&bits);
        let mut init = vec![0x00, 0x10, 0x00, 0x00];
        init.extend((vector.len() as u16).to_be_bytes());
        init.extend(&vector);
        let (code, out, err) = common::run(
            &[
                "--no-listen",
                "--exec",
                &format!("decode --json {}", hex::encode(&init)),
            ],
            None,
        );
        assert_eq!(code, 0, "{err}");
        let line = out
            .lines()
            .find(|l| l.starts_with('{'))
            .unwrap_or_else(|| panic!("no JSON in {out}"));
        let decoded: Json = serde_json::from_str(line).expect("decode --json");
        let field = decoded["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["name"] == "features")
            .expect("a features field");
        let shown = field["value"].as_array().expect("features value");
        assert_eq!(shown.len(), spec.len(), "{field}");
        for ((bit, name, ..), shown) in spec.iter().zip(shown) {
            let b = if required { *bit } else { bit + 1 };
            assert_eq!(shown["bit"], b, "{shown}");
            assert_eq!(shown["name"], name.as_str(), "{shown}");
            assert_eq!(shown["required"], required, "{shown}");
        }
    }
}

/// `(value, minimal big-endian two's complement bytes)` of every BOLT 1 vector.
fn signed_ints() -> Vec<(i64, Vec<u8>)> {
    json(SIGNED_INTS)["vectors"]
        .as_array()
        .expect("vectors")
        .iter()
        .map(|v| {
            (
                v["value"].as_i64().expect("value fits an i64"),
                hex::decode(v["bytes"].as_str().expect("bytes")).expect("hex"),
            )
        })
        .collect()
}

/// The vector's minimal encoding, sign-extended to the 8 bytes of an `s64` field.
fn as_s64(minimal: &[u8]) -> [u8; 8] {
    let fill = if minimal[0] & 0x80 != 0 { 0xff } else { 0x00 };
    let mut out = [fill; 8];
    out[8 - minimal.len()..].copy_from_slice(minimal);
    out
}

/// The shortest of 1, 2, 4, 8 bytes that keeps the value (BOLT 1 Appendix D).
fn minimal(s64: &[u8; 8]) -> &[u8] {
    let v = i64::from_be_bytes(*s64);
    let len = [1usize, 2, 4, 8]
        .into_iter()
        .find(|n| {
            let bits = 8 * *n as u32;
            bits == 64 || (-(1i64 << (bits - 1))..(1i64 << (bits - 1))).contains(&v)
        })
        .unwrap_or(8);
    &s64[8 - len..]
}

/// The shell has one signed field type, `s64` (fixed 8 bytes; no s8/s16/s32 and no
/// minimal-length signed type appears in any message it knows). Every vector value goes
/// through `encode` and `decode` of `splice_init`'s `funding_contribution_satoshis`, and
/// the 8 bytes the shell writes, shortened as Appendix D says, are the vector's bytes.
#[test]
fn s64_fields_encode_and_decode_the_bolt1_signed_integers() {
    let vectors = signed_ints();
    assert!(vectors.len() >= 20, "{} vectors", vectors.len());
    const FIELD: &str = "funding_contribution_satoshis";
    for (value, bytes) in vectors {
        let built = encode::encode(
            "splice_init",
            &[(FIELD.to_string(), value.to_string())],
            Network::Regtest,
        )
        .unwrap_or_else(|e| panic!("encode {FIELD}={value}: {e}"));
        let d = wire::decode_bytes(&built, DecodeOptions { ldk_check: true });
        assert!(d.is_ok(), "{value}: {:?}", d.errors);
        let field = d
            .fields
            .iter()
            .find(|f| f.name == FIELD)
            .expect("the s64 field");
        assert_eq!(field.length, 8);
        let written: [u8; 8] = built[field.offset..field.offset + 8]
            .try_into()
            .expect("8 bytes");
        assert_eq!(written, as_s64(&bytes), "{value}: the s64 bytes");
        assert_eq!(
            minimal(&written),
            &bytes[..],
            "{value}: the minimal encoding"
        );
        assert!(
            matches!(field.value, Value::Int(v) if v == value),
            "{value}: decoded as {:?}",
            field.value
        );

        // And from the wire: the vector's bytes, sign-extended, in a message.
        let mut wire_bytes = built.clone();
        wire_bytes[field.offset..field.offset + 8].copy_from_slice(&as_s64(&bytes));
        let again = wire::decode_bytes(&wire_bytes, DecodeOptions::default());
        let f = again
            .fields
            .iter()
            .find(|f| f.name == FIELD)
            .expect("the s64 field");
        assert!(matches!(f.value, Value::Int(v) if v == value), "{value}");
    }
}
