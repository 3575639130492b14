//! Properties of the wire module, checked on generated inputs (proptest) and exhaustively on
//! every example: decoding never panics, whatever `example`/`encode` build decodes cleanly
//! (and LDK reads it), decode -> `assignments_from` -> encode gives back the same bytes, and
//! a truncated message is always an error that says where.
//!
//! Case counts are modest so the file runs in seconds in a debug build; the fuzz targets in
//! `fuzz/` (see fuzz/README.md) search much further.

mod common;

use bitcoin::Network;
use lnshell::wire::decode::Value;
use lnshell::wire::{self, catalog, encode, example, DecodeOptions, Decoded};
use proptest::prelude::*;
use proptest::sample::select;

use common::render::render_all;
use common::rng::NETWORKS;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

fn example_of(name: &str, network: Network) -> Vec<u8> {
    example::example(name, network).unwrap_or_else(|e| panic!("example {name}: {e}"))
}

fn all_types() -> Vec<u16> {
    catalog::MESSAGES.iter().map(|m| m.msg_type).collect()
}

// ---------------------------------------------------------------------------------------
// Decoding never panics.

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn decode_never_panics_on_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
        ldk_check in any::<bool>(),
    ) {
        let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check });
        render_all(&d);
        prop_assert_eq!(&d.bytes, &bytes);
        prop_assert_eq!(d.msg_type.is_some(), bytes.len() >= 2);
    }

    #[test]
    fn decode_hex_never_panics_on_strings(s in any::<String>()) {
        render_all(&wire::decode_hex(&s, DecodeOptions::default()));
    }

    #[test]
    fn decode_hex_never_panics_on_hexish_strings(
        s in "(0[xX])?[0-9a-fA-F :\t\r\nxX]{0,400}",
    ) {
        render_all(&wire::decode_hex(&s, DecodeOptions::default()));
    }
}

proptest! {
    #![proptest_config(config(500))]

    /// Random payloads behind the types the decoder knows reach much deeper than random types.
    #[test]
    fn decode_never_panics_on_known_types(
        msg_type in select(all_types()),
        payload in proptest::collection::vec(any::<u8>(), 0..1600),
    ) {
        let mut bytes = msg_type.to_be_bytes().to_vec();
        bytes.extend(&payload);
        let d = wire::decode_bytes(&bytes, DecodeOptions::default());
        render_all(&d);
        prop_assert_eq!(d.msg_type, Some(msg_type));
    }

    /// The same bytes as hex, in any of the accepted spellings, decode the same way.
    #[test]
    fn hex_spellings_agree(
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
        sep in select(vec!["", " ", ":", "\t", "\r\n"]),
        prefix in select(vec!["", "0x", "0X", "  "]),
        upper in any::<bool>(),
    ) {
        let digits: Vec<String> = bytes
            .iter()
            .map(|b| if upper { format!("{b:02X}") } else { format!("{b:02x}") })
            .collect();
        let text = format!("{prefix}{}", digits.join(sep));
        let from_hex = wire::decode_hex(&text, DecodeOptions { ldk_check: false });
        let from_bytes = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
        prop_assert_eq!(&from_hex.bytes, &from_bytes.bytes);
        prop_assert_eq!(&from_hex.errors, &from_bytes.errors);
    }
}

// ---------------------------------------------------------------------------------------
// Examples and encode output decode cleanly.

#[test]
fn every_example_on_every_network_decodes_and_ldk_accepts() {
    for network in NETWORKS {
        for name in catalog::message_names() {
            let bytes = example_of(name, network);
            let d = wire::decode_bytes(&bytes, DecodeOptions::default());
            assert_eq!(d.name, name);
            assert!(d.is_ok(), "{name} on {network:?}: {:?}", d.errors);
            let ldk = d.ldk.as_ref().expect("the LDK check ran");
            assert!(
                ldk.ok,
                "{name} on {network:?}: LDK rejects: {:?}",
                ldk.error
            );
            render_all(&d);
        }
    }
}

/// Numeric fields `encode` can set, with their width in bits (negative: signed).
/// A `record.field` name is a field of a TLV record.
const NUMBERS: &[(&str, &str, i8)] = &[
    ("open_channel", "funding_satoshis", 64),
    ("open_channel", "push_msat", 64),
    ("open_channel", "feerate_per_kw", 32),
    ("open_channel", "to_self_delay", 16),
    ("open_channel", "max_accepted_htlcs", 16),
    ("accept_channel", "minimum_depth", 32),
    ("ping", "num_pong_bytes", 16),
    ("channel_update", "fee_base_msat", 32),
    ("channel_update", "fee_proportional_millionths", 32),
    ("channel_update", "cltv_expiry_delta", 16),
    ("channel_update", "htlc_maximum_msat", 64),
    ("channel_update", "timestamp", 32),
    ("update_add_htlc", "amount_msat", 64),
    ("update_add_htlc", "cltv_expiry", 32),
    ("update_add_htlc", "id", 64),
    ("update_fee", "feerate_per_kw", 32),
    ("closing_signed", "fee_satoshis", 64),
    ("closing_signed", "fee_range.min_fee_satoshis", 64),
    ("closing_signed", "fee_range.max_fee_satoshis", 64),
    ("query_channel_range", "first_blocknum", 32),
    ("query_channel_range", "number_of_blocks", 32),
    ("query_channel_range", "query_option", 64),
    ("tx_init_rbf", "funding_output_contribution", -64),
    ("tx_add_output", "sats", 64),
    ("channel_reestablish", "next_commitment_number", 64),
    ("commitment_signed", "num_htlcs", 5),
    ("tx_signatures", "num_witnesses", 3),
];

/// One numeric assignment: message, field, the value as `encode` reads it, the value decoded.
fn number_case() -> impl Strategy<Value = (&'static str, &'static str, String, Value)> {
    (0..NUMBERS.len(), any::<u64>()).prop_map(|(i, raw)| {
        let (msg, field, bits) = NUMBERS[i];
        if bits < 0 {
            let v = raw as i64;
            (msg, field, v.to_string(), Value::Int(v))
        } else {
            let v = if bits == 64 {
                raw
            } else {
                raw & ((1u64 << bits) - 1)
            };
            // Alternate decimal and 0x hex, both accepted.
            let text = if raw & 1 == 0 {
                v.to_string()
            } else {
                format!("0x{v:x}")
            };
            (msg, field, text, Value::Uint(v))
        }
    })
}

/// The decoded value of `field` (`record.field` for a field of a TLV record).
fn decoded_value(d: &Decoded, field: &str) -> Option<Value> {
    match field.split_once('.') {
        None => d
            .field(field)
            .or_else(|| {
                // A single-field record is set by the record's name.
                let spec = catalog::by_type(d.msg_type?)?.tlv_stream?;
                let rec = spec.records.iter().find(|r| r.name == field)?;
                d.tlv(rec.tlv_type)?.fields.first()
            })
            .map(|f| f.value),
        Some((rec_name, name)) => {
            let spec = catalog::by_type(d.msg_type?)?.tlv_stream?;
            let rec = spec.records.iter().find(|r| r.name == rec_name)?;
            let f = d
                .tlv(rec.tlv_type)?
                .fields
                .iter()
                .find(|f| f.name == name)?;
            Some(f.value)
        }
    }
}

fn assign(field: &str, value: &str) -> Vec<(String, String)> {
    vec![(field.to_string(), value.to_string())]
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn encoded_numbers_decode_to_their_value(
        (msg, field, text, want) in number_case(),
        network in select(NETWORKS.to_vec()),
    ) {
        let bytes = encode::encode(msg, &assign(field, &text), network)
            .map_err(|e| TestCaseError::fail(format!("{msg} {field}={text}: {e}")))?;
        let d = wire::decode_bytes(&bytes, DecodeOptions::default());
        prop_assert!(d.is_ok(), "{} {}={}: {:?}", msg, field, text, d.errors);
        prop_assert!(d.ldk.as_ref().is_some_and(|l| l.ok), "{} {}={}: LDK: {:?}", msg, field, text, d.ldk);
        prop_assert_eq!(decoded_value(&d, field), Some(want), "{} {}={}", msg, field, text);
    }
}

/// Any value typed at the prompt for any settable name (`encode <message> name=value`).
/// `num_htlcs` / `num_witnesses` are left to `encoded_numbers_decode_to_their_value`: 65535
/// generated signatures are slow, not wrong.
fn prompt_assignment() -> impl Strategy<Value = (&'static str, String, String)> {
    let names: Vec<(&'static str, String)> = catalog::message_names()
        .into_iter()
        .flat_map(|m| {
            let mut settable = encode::settable_names(m).expect("a known message");
            settable.push("tlv.7".to_string());
            settable.into_iter().map(move |n| (m, n))
        })
        .filter(|(_, n)| n != "num_htlcs" && n != "num_witnesses")
        .collect();
    let value = prop_oneof![
        any::<String>(),
        "[0-9a-fA-FxX:,. \\[\\]!#_-]{0,80}",
        "(bits:)?[0-9,]{0,24}",
        "[0-9]{1,7}x[0-9]{1,9}x[0-9]{1,6}",
        "[a-z2-7]{56}\\.onion:[0-9]{1,5}",
        any::<u64>().prop_map(|n| n.to_string()),
        (0u64..70_000).prop_map(|n| n.to_string()),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(hex::encode),
        proptest::collection::vec(any::<u8>(), 32).prop_map(hex::encode),
        select(vec![
            "",
            "none",
            "true",
            "false",
            "0x",
            "bitcoin",
            "regtest",
            "static_remotekey!,anchors",
            "[::1]:9735",
            "-1"
        ])
        .prop_map(str::to_string),
    ];
    (select(names), value).prop_map(|((m, n), v)| (m, n, v))
}

proptest! {
    #![proptest_config(config(1000))]

    /// `encode` from the prompt never panics; what it builds has the right type, fits a
    /// message, and when it decodes cleanly it round-trips.
    #[test]
    fn encode_never_panics_on_prompt_values((msg, name, value) in prompt_assignment()) {
        let Ok(bytes) = encode::encode(msg, &assign(&name, &value), Network::Bitcoin) else {
            return Ok(());
        };
        prop_assert!(bytes.len() <= 65535);
        let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
        render_all(&d);
        prop_assert_eq!(d.name.as_str(), msg);
        if d.is_ok() {
            if let Ok(again) = re_encode(&d, Network::Regtest) {
                prop_assert!(again == bytes, "{} {}={:?}: round trip changed the bytes", msg, name, value);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// decode -> assignments -> encode gives back the same bytes.
//
// `encode::assignments_from` writes every field and record as `field=value`. Two kinds of
// field cannot be given a value: `htlc_signature` (commitment_signed) and `witnesses`
// (tx_signatures). `encode` generates them as placeholders from `num_htlcs` /
// `num_witnesses`, so `assignments_from` writes the count and refuses any other bytes there;
// the round trip covers those two messages only with placeholder values (as in examples).
// It also refuses gossip `excess_data` and addresses `encode` cannot write (Tor v2, unknown
// types); examples have none of those, so every example round-trips.

/// Re-encodes a decoded message from its own assignments, on `network`.
fn re_encode(d: &Decoded, network: Network) -> Result<Vec<u8>, String> {
    let assignments = encode::assignments_from(d)?;
    encode::encode(&d.name, &assignments, network).map_err(|e| format!("{e}; {assignments:?}"))
}

#[test]
fn every_example_round_trips_through_assignments() {
    for network in NETWORKS {
        for name in catalog::message_names() {
            let bytes = example_of(name, network);
            let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
            // The assignments name every field, so the network given to encode does not matter.
            for other in [network, Network::Regtest] {
                let again =
                    re_encode(&d, other).unwrap_or_else(|e| panic!("{name} on {network:?}: {e}"));
                assert!(
                    again == bytes,
                    "{name} on {network:?}: round trip changed the bytes\n  {}\n  {}",
                    hex::encode(&bytes),
                    hex::encode(&again)
                );
            }
        }
    }
}

#[test]
fn round_trip_with_non_default_values() {
    // Records left out, unknown odd records, lists, text and addresses of every kind.
    let hold_times = ["7"; 20].join(",");
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("init", &[("networks", "none"), ("tlv.201", "2a"), ("remote_addr", "[::1]:9735")]),
        ("init", &[("networks", "bitcoin,regtest"), ("features", "bits:1,13,99")]),
        ("open_channel", &[("channel_type", "none"), ("upfront_shutdown_script", "")]),
        ("closing_signed", &[("fee_range", "100,2000")]),
        ("commitment_signed", &[("num_htlcs", "3")]),
        ("tx_signatures", &[("num_witnesses", "2")]),
        ("tx_init_rbf", &[("funding_output_contribution", "-5000"), ("require_confirmed_inputs", "true")]),
        ("error", &[("data", "something broke")]),
        ("warning", &[("data", "0xff00fe")]),
        (
            "node_announcement",
            &[
                ("alias", "IRATEMONK"),
                ("addresses", "10.0.0.1:9735,[::1]:19735,node.example.com:9735,vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd.onion:9735"),
            ],
        ),
        ("query_short_channel_ids", &[("encoded_short_ids", "700000x1x0,700001x5x1"), ("query_flags", "0,0x0101")]),
        ("reply_channel_range", &[("timestamps_tlv", "0,0x0000000100000002"), ("checksums_tlv", "0x0000000300000004")]),
        ("update_fulfill_htlc", &[("attribution_data.htlc_hold_times", hold_times.as_str())]),
    ];
    for (name, pairs) in cases {
        let assignments: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let bytes = encode::encode(name, &assignments, Network::Signet)
            .unwrap_or_else(|e| panic!("{name} {pairs:?}: {e}"));
        let d = wire::decode_bytes(&bytes, DecodeOptions::default());
        assert!(d.is_ok(), "{name} {pairs:?}: {:?}", d.errors);
        let again = re_encode(&d, Network::Bitcoin).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            again == bytes,
            "{name} {pairs:?}: round trip changed the bytes"
        );
    }
}

#[test]
fn assignments_refuse_what_encode_cannot_rebuild() {
    // Errors.
    let d = wire::decode_hex("0012000400", DecodeOptions::default());
    assert!(encode::assignments_from(&d).unwrap_err().contains("errors"));
    // Real HTLC signatures are not encode's placeholders.
    let mut bytes = encode::encode(
        "commitment_signed",
        &assign("num_htlcs", "1"),
        Network::Bitcoin,
    )
    .expect("commitment_signed");
    let d = wire::decode_bytes(&bytes, DecodeOptions::default());
    let sig = d
        .field("htlc_signature[0]")
        .expect("one HTLC signature")
        .offset;
    let other = encode::encode("funding_signed", &[], Network::Bitcoin).expect("funding_signed");
    let other_sig = wire::decode_bytes(&other, DecodeOptions::default())
        .field("signature")
        .map(|f| f.offset)
        .expect("signature");
    bytes[sig..sig + 64].copy_from_slice(&other[other_sig..other_sig + 64]);
    let d = wire::decode_bytes(&bytes, DecodeOptions::default());
    assert!(d.is_ok(), "{:?}", d.errors);
    let e = encode::assignments_from(&d).unwrap_err();
    assert!(e.contains("htlc_signature"), "{e}");
    // Gossip excess data.
    let mut bytes = example_of("channel_update", Network::Bitcoin);
    bytes.extend([1, 2, 3]);
    let d = wire::decode_bytes(&bytes, DecodeOptions::default());
    assert!(d.is_ok());
    assert!(encode::assignments_from(&d)
        .unwrap_err()
        .contains("excess_data"));
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn random_numbers_round_trip(
        (msg, field, text, _want) in number_case(),
        network in select(NETWORKS.to_vec()),
    ) {
        let bytes = encode::encode(msg, &assign(field, &text), network)
            .map_err(|e| TestCaseError::fail(format!("{msg} {field}={text}: {e}")))?;
        let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
        let again = re_encode(&d, Network::Regtest).map_err(TestCaseError::fail)?;
        prop_assert!(again == bytes, "{} {}={}: round trip changed the bytes", msg, field, text);
    }

    /// Overwrite a few bytes of an example: whenever the result still decodes cleanly and
    /// `assignments_from` accepts it, encode must rebuild it exactly.
    #[test]
    fn mutated_examples_round_trip_when_valid(
        name in select(catalog::message_names()),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = example_of(name, Network::Bitcoin);
        for (at, value) in &edits {
            // Keep the type: mutate the payload.
            let i = 2 + at.index(bytes.len() - 2);
            bytes[i] = *value;
        }
        let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
        render_all(&d);
        if d.is_ok() {
            if let Ok(assignments) = encode::assignments_from(&d) {
                let again = encode::encode(&d.name, &assignments, Network::Regtest)
                    .map_err(|e| TestCaseError::fail(format!("{name}: {e}; {assignments:?}")))?;
                prop_assert!(again == bytes, "{}: round trip changed {}", name, hex::encode(&bytes));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Truncation is always an error that says where.

/// Every prefix of every example: never a panic; cut inside the fixed fields, an error that
/// names a field (or the missing type); cut in the TLV stream, either an error or a cut
/// exactly between two records (TLV records are optional).
#[test]
fn truncated_examples_are_errors_naming_a_field() {
    for name in catalog::message_names() {
        let bytes = example_of(name, Network::Regtest);
        let full = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
        let spec = catalog::by_name(name).expect("in the catalog");
        let fixed_end = full
            .fields
            .iter()
            .map(|f| f.offset + f.length)
            .max()
            .unwrap_or(2);
        let boundaries: Vec<usize> = full
            .tlvs
            .iter()
            .map(|r| r.value_offset + r.length)
            .collect();
        let field_names: Vec<&str> = spec.fields.iter().map(|f| f.name).collect();
        for cut in 0..bytes.len() {
            let d = wire::decode_bytes(
                &bytes[..cut],
                DecodeOptions {
                    ldk_check: cut % 7 == 0,
                },
            );
            render_all(&d);
            if cut < 2 {
                assert!(!d.is_ok() && d.msg_type.is_none(), "{name} cut at {cut}");
                assert!(
                    d.errors[0].contains("2-byte type"),
                    "{name} cut at {cut}: {}",
                    d.errors[0]
                );
            } else if cut < fixed_end {
                let first = d.errors.first().unwrap_or_else(|| {
                    panic!("{name} cut at {cut} (fields end at {fixed_end}): no error")
                });
                assert!(
                    field_names.iter().any(|f| first.contains(f)),
                    "{name} cut at {cut}: the first error names no field: {first}"
                );
            } else if d.is_ok() {
                assert!(
                    cut == fixed_end || boundaries.contains(&cut),
                    "{name} cut at {cut}: valid, but not between two TLV records"
                );
            } else {
                let stream = full.tlv_stream.unwrap_or("extension");
                assert!(
                    d.errors.iter().any(|e| e.contains(stream)),
                    "{name} cut at {cut}: the error does not name {stream}: {:?}",
                    d.errors
                );
            }
        }
    }
}
