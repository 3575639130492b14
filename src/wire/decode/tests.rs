//! Decoder tests: known messages, the BOLT 1 message-extension vectors, and every class of
//! bad input (each must give a clear error, never a panic).

use super::*;
use crate::wire::render::{self, RenderOptions};

fn dec(hex: &str) -> Decoded {
    decode_hex(hex, DecodeOptions::default())
}

fn dec_bytes(bytes: &[u8]) -> Decoded {
    decode_bytes(bytes, DecodeOptions::default())
}

/// `type || parts...`.
fn msg(msg_type: u16, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = msg_type.to_be_bytes().to_vec();
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

/// The secp256k1 generator G, a valid point.
const G: &str = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

fn g() -> Vec<u8> {
    hex::decode(G).unwrap()
}

/// A compact signature with r = s = 1 (a valid encoding).
fn sig() -> Vec<u8> {
    let mut s = vec![0u8; 64];
    s[31] = 1;
    s[63] = 1;
    s
}

fn errors_text(d: &Decoded) -> String {
    d.errors.join(" | ")
}

/// A hand-built open_channel with a channel_type TLV.
fn open_channel(funding_pubkey: &[u8]) -> Vec<u8> {
    let chain = bitcoin::constants::ChainHash::BITCOIN;
    let p = g();
    msg(
        32,
        &[
            chain.as_bytes(),
            &[7u8; 32],
            &200_000u64.to_be_bytes(),
            &0u64.to_be_bytes(),
            &546u64.to_be_bytes(),
            &100_000_000u64.to_be_bytes(),
            &2_000u64.to_be_bytes(),
            &1u64.to_be_bytes(),
            &253u32.to_be_bytes(),
            &144u16.to_be_bytes(),
            &483u16.to_be_bytes(),
            funding_pubkey,
            &p,
            &p,
            &p,
            &p,
            &p,
            &[0u8],
            &[0x01, 0x02, 0x10, 0x00],
        ],
    )
}

#[test]
fn ping() {
    let d = dec("0012000400020000");
    assert!(d.is_ok(), "{:?}", d.errors);
    assert_eq!(d.summary(), "ping (type 18, 8 bytes): ok");
    assert_eq!(d.fields.len(), 3);
    assert_eq!(d.fields[0].value, Value::Uint(4));
    assert_eq!(d.bolt, Some(1));
    assert!(d.ldk.as_ref().is_some_and(|l| l.ok));
}

#[test]
fn init_with_features() {
    let d = dec("00100000000580082a6aa2");
    assert!(d.is_ok(), "{:?}", d.errors);
    let f = d.field("features").unwrap();
    assert_eq!((f.offset, f.length), (6, 5));
    let text = render::text(&d, &RenderOptions::default());
    assert!(text.contains("payment_secret (required)"), "{text}");
    assert!(text.contains("option_onion_messages (optional)"), "{text}");
}

#[test]
fn bolt1_message_extension_vectors() {
    let v: serde_json::Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/tlv.json"
    )))
    .unwrap();
    let ext = &v["message_extension_init"];
    for case in ext["valid"].as_array().unwrap() {
        let d = dec(case["hex"].as_str().unwrap());
        assert!(d.is_ok(), "{}: {:?}", case["explanation"], d.errors);
        assert!(d.ldk_agrees(), "{}", case["hex"]);
    }
    for case in ext["invalid"].as_array().unwrap() {
        let d = dec(case["hex"].as_str().unwrap());
        assert!(!d.is_ok(), "{} should fail", case["explanation"]);
        assert!(d.ldk_agrees(), "{}: LDK {:?}", case["hex"], d.ldk);
    }
}

#[test]
fn open_channel_values() {
    let d = dec_bytes(&open_channel(&g()));
    assert!(d.is_ok(), "{:?}", d.errors);
    assert!(d.ldk_agrees(), "{:?}", d.ldk);
    assert_eq!(
        d.field("funding_satoshis").unwrap().value,
        Value::Uint(200_000)
    );
    assert_eq!(d.tlv_stream, Some("open_channel_tlvs"));
    assert_eq!(d.tlvs[0].name, Some("channel_type"));
    let text = render::text(&d, &RenderOptions::default());
    for want in [
        "200000 sat (0.002 BTC)",
        "253 sat/kw ≈ 1.01 sat/vB",
        "144 blocks ≈ 1.0 days",
        "bitcoin",
        "option_static_remotekey (required)",
        "0x00: no flags",
        "— amount the sender puts into the channel",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
}

#[test]
fn invalid_point_is_an_error() {
    let mut bad = vec![0x03];
    bad.extend([0xff; 32]);
    let d = dec_bytes(&open_channel(&bad));
    assert!(
        errors_text(&d).contains("funding_pubkey at offset 122: not a valid secp256k1 point"),
        "{:?}",
        d.errors
    );
    assert!(!d.field("funding_pubkey").unwrap().ok);
    assert!(!d.ldk.as_ref().unwrap().ok);
}

#[test]
fn truncated_field_names_field_and_missing_bytes() {
    let full = open_channel(&g());
    // Cut 3 bytes into funding_satoshis (offset 66, 8 bytes): 5 of 8 present.
    let d = dec_bytes(&full[..71]);
    assert_eq!(
        d.summary(),
        "open_channel (type 32, 71 bytes): error: funding_satoshis truncated, 3 of 8 bytes missing at offset 66"
    );
    assert_eq!(d.fields.last().unwrap().value, Value::Truncated);
    assert!(d.ldk_agrees());
}

#[test]
fn length_field_past_the_end() {
    // error: channel_id, len = 500, 3 bytes of data.
    let d = dec_bytes(&msg(17, &[&[0u8; 32], &500u16.to_be_bytes(), b"abc"]));
    assert!(
        errors_text(&d).contains("data at offset 36: len says 500 bytes but only 3 remain"),
        "{:?}",
        d.errors
    );
    assert!(d.ldk_agrees());
}

#[test]
fn trailing_bytes_not_a_tlv_extension() {
    // stfu (channel_id, initiator) followed by one stray byte.
    let d = dec_bytes(&msg(2, &[&[0u8; 32], &[1], &[0x05]]));
    assert!(errors_text(&d).contains("trailing bytes at offset 35 (1 byte after the last field) are not a valid TLV extension"), "{:?}", d.errors);
    assert!(d.ldk_agrees(), "{:?}", d.ldk);
    // A valid odd extension record is fine.
    let d = dec_bytes(&msg(2, &[&[0u8; 32], &[1], &[0x05, 0x01, 0xaa]]));
    assert!(d.is_ok(), "{:?}", d.errors);
    assert_eq!(d.tlv_stream, Some("extension"));
}

#[test]
fn gossip_excess_data_is_kept() {
    // announcement_signatures is not one of the three: junk after it is a broken extension.
    let mut m = msg(259, &[&[0u8; 32], &[0u8; 8], &sig(), &sig()]);
    m.extend([1, 2, 3]);
    let d = dec_bytes(&m);
    assert!(
        errors_text(&d).contains("not a valid TLV extension"),
        "{:?}",
        d.errors
    );
    assert!(d.field("excess_data").is_none());
    assert!(d.ldk_agrees(), "{:?}", d.ldk);
    let mut cu = msg(
        258,
        &[
            &sig(),
            bitcoin::constants::ChainHash::REGTEST.as_bytes(),
            &[0x0c, 0x35, 0x00, 0x00, 0x04, 0xd2, 0x00, 0x01],
            &1_700_000_000u32.to_be_bytes(),
            &[1, 2],
            &40u16.to_be_bytes(),
            &1000u64.to_be_bytes(),
            &1000u32.to_be_bytes(),
            &100u32.to_be_bytes(),
            &5_000_000_000u64.to_be_bytes(),
        ],
    );
    let d = dec_bytes(&cu);
    assert!(d.is_ok(), "{:?}", d.errors);
    let text = render::text(&d, &RenderOptions::default());
    for want in [
        "regtest",
        "800000x1234x1",
        "2023-11-14 22:13:20 UTC",
        "disabled",
        "must_be_one",
        "100 ppm",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    cu.extend([9, 9]);
    let d = dec_bytes(&cu);
    assert!(d.is_ok(), "{:?}", d.errors);
    assert!(d.field("excess_data").is_some());
    assert!(d.ldk_agrees());
}

#[test]
fn too_long_message() {
    let mut m = msg(19, &[&65533u16.to_be_bytes()]);
    m.resize(2 + 2 + 65533, 0);
    assert_eq!(m.len(), 65537);
    let d = dec_bytes(&m);
    assert!(
        errors_text(&d).contains("more than the 65535"),
        "{:?}",
        d.errors
    );
}

#[test]
fn tlv_errors_in_messages() {
    let base = msg(73, &[&[0u8; 32]]); // tx_ack_rbf: channel_id, tx_ack_rbf_tlvs
    let with = |tail: &[u8]| {
        let mut m = base.clone();
        m.extend_from_slice(tail);
        dec_bytes(&m)
    };
    let cases: [(&[u8], &str); 6] = [
        (&[0xfd, 0x00, 0x01, 0x00], "non-minimal BigSize"),
        (&[0x03, 0x00, 0x01, 0x00], "comes after type 3"),
        (&[0x03, 0x00, 0x03, 0x00], "duplicate record type 3"),
        (&[0x01, 0x05, 0xaa], "length 5 runs past the end"),
        (&[0x04, 0x00], "unknown even record type 4"),
        (
            &[0x00, 0x07, 0, 0, 0, 0, 0, 0, 1],
            "length 7 is less than its fields need",
        ),
    ];
    for (tail, want) in cases {
        let d = with(tail);
        assert!(
            errors_text(&d).contains(want),
            "{tail:02x?}: want {want:?}, got {:?}",
            d.errors
        );
        assert!(
            errors_text(&d).contains("tx_ack_rbf_tlvs"),
            "{:?}",
            d.errors
        );
    }
    let d = with(&[0x00, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3c, 0xb0]);
    assert!(d.is_ok(), "{:?}", d.errors);
    assert_eq!(d.tlvs[0].fields[0].value, Value::Int(-50_000));
}

/// A TLV stream's errors give offsets in the whole message (the stream of a `tx_ack_rbf`
/// starts at 34), for the stream's second record too, not in the stream alone.
#[test]
fn tlv_errors_point_into_the_message() {
    let base = msg(73, &[&[0u8; 32]]);
    let cases: [(&[u8], &str); 5] = [
        (
            &[0x01, 0x00, 0xfd, 0x00, 0x01, 0x00],
            "tx_ack_rbf_tlvs: record type at offset 36: non-minimal BigSize: 1 encoded in 3 bytes but fits in 1 (BOLT 1: MUST be minimal)",
        ),
        (
            &[0x01, 0x00, 0x03],
            "tx_ack_rbf_tlvs: record type 3 at offset 37: length missing",
        ),
        (
            &[0x01, 0x00, 0x03, 0x05, 0xaa],
            "tx_ack_rbf_tlvs: record type 3 at offset 36: length 5 runs past the end of the stream (1 bytes left)",
        ),
        (
            &[0x01, 0x00, 0x03, 0x00, 0x03, 0x00],
            "tx_ack_rbf_tlvs: duplicate record type 3 at offset 38 (BOLT 1: types MUST be strictly increasing)",
        ),
        (
            &[0x01, 0x01, 0xaa, 0x04, 0x00],
            "tx_ack_rbf_tlvs: unknown even record type 4 at offset 37: a reader MUST fail (it's ok to be odd, not even)",
        ),
    ];
    for (tail, want) in cases {
        let mut m = base.clone();
        m.extend_from_slice(tail);
        let d = dec_bytes(&m);
        assert!(
            d.errors.iter().any(|e| e == want),
            "{tail:02x?}: want {want:?}, got {:?}",
            d.errors
        );
    }
    let mut m = base.clone();
    m.extend_from_slice(&[0x01, 0x01, 0xaa, 0x03, 0x00]);
    let d = dec_bytes(&m);
    assert!(d.is_ok(), "{:?}", d.errors);
    let at: Vec<_> = d
        .tlvs
        .iter()
        .map(|r| (r.offset, r.value_offset, r.length))
        .collect();
    assert_eq!(at, vec![(34, 36, 1), (37, 39, 0)]);
}

#[test]
fn bad_hex_and_short_input() {
    for (input, want) in [
        ("001", "odd number of hex digits (3)"),
        ("00x2", "non-hex character 'x' at position 2"),
        ("", "empty input"),
        ("00", "1 byte is too short"),
    ] {
        let d = dec(input);
        assert!(!d.is_ok());
        assert!(d.msg_type.is_none());
        assert!(errors_text(&d).contains(want), "{input:?}: {:?}", d.errors);
        let j = render::json(&d);
        assert!(!j["errors"].as_array().unwrap().is_empty());
        assert!(j["type"].is_null());
    }
    assert_eq!(
        dec("0x00 12:00 04\n00 02 00 00").summary(),
        "ping (type 18, 8 bytes): ok"
    );
}

#[test]
fn unknown_types() {
    let odd = dec("00630102");
    assert!(odd.is_ok());
    assert!(odd.notes[0].contains("a node ignores it"));
    let even = dec("0064");
    assert!(errors_text(&even).contains("MUST close the connection"));
    let custom = dec("8001beef");
    assert_eq!(custom.name, "custom");
    assert_eq!(custom.fields[0].length, 2);
    assert!(odd.ldk_agrees() && even.ldk_agrees() && custom.ldk_agrees());
}

#[test]
fn node_announcement_addresses_and_alias() {
    let mut alias = [0u8; 32];
    alias[..5].copy_from_slice(b"IRATE");
    let mut addrs = vec![1, 127, 0, 0, 1, 0x26, 0x07];
    addrs.extend([2]);
    addrs.extend([0u8; 15]);
    addrs.extend([1, 0x26, 0x07]);
    addrs.extend([4]);
    addrs.extend([0x11; 35]);
    addrs.extend([0x26, 0x07]);
    addrs.extend([5, 7]);
    addrs.extend(b"a.b.com");
    addrs.extend([0x26, 0x07]);
    let m = msg(
        257,
        &[
            &sig(),
            &2u16.to_be_bytes(),
            &[0x02, 0x00],
            &1_700_000_000u32.to_be_bytes(),
            &g(),
            &[0xff, 0x88, 0x00],
            &alias,
            &(addrs.len() as u16).to_be_bytes(),
            &addrs,
        ],
    );
    let d = dec_bytes(&m);
    assert!(d.is_ok(), "{:?}", d.errors);
    assert!(d.ldk_agrees(), "{:?}", d.ldk);
    let text = render::text(&d, &RenderOptions { full: true });
    for want in [
        "\"IRATE\"",
        "#ff8800",
        "127.0.0.1:9735",
        "[::1]:9735",
        ".onion:9735",
        "a.b.com:9735",
        "var_onion_optin (optional)",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    // addrlen one byte short: the last descriptor does not fit.
    let mut short = m.clone();
    let at = 2 + 64 + 2 + 2 + 4 + 33 + 3 + 32;
    short[at..at + 2].copy_from_slice(&((addrs.len() - 1) as u16).to_be_bytes());
    short.pop();
    let d = dec_bytes(&short);
    assert!(
        errors_text(&d).contains("addrlen too short"),
        "{:?}",
        d.errors
    );
    assert!(d.ldk_agrees(), "{:?}", d.ldk);
}

#[test]
fn json_shape() {
    let d = dec_bytes(&open_channel(&g()));
    let j = render::json(&d);
    assert_eq!(j["type"], 32);
    assert_eq!(j["name"], "open_channel");
    assert_eq!(j["bolt"], 2);
    assert_eq!(j["size"], d.size);
    let f = &j["fields"][2];
    assert_eq!(f["name"], "funding_satoshis");
    assert_eq!(f["offset"], 66);
    assert_eq!(f["length"], 8);
    assert_eq!(f["hex"], "0000000000030d40");
    assert_eq!(f["value"], 200_000);
    assert_eq!(j["fields"][0]["value"], "bitcoin");
    assert_eq!(j["tlvs"][0]["type"], 1);
    assert_eq!(j["tlvs"][0]["name"], "channel_type");
    assert_eq!(j["tlvs"][0]["value"][0]["name"], "option_static_remotekey");
    assert_eq!(j["ldk"]["ok"], true);
    assert!(j["ldk"]["error"].is_null());
    assert_eq!(j["errors"].as_array().unwrap().len(), 0);
}

#[test]
fn never_panics_on_prefixes_and_garbage() {
    let full = open_channel(&g());
    for n in 0..full.len() {
        let d = dec_bytes(&full[..n]);
        let _ = render::text(&d, &RenderOptions::default());
        let _ = render::json(&d);
        let _ = d.summary();
    }
    // Every type with a few junk payloads.
    for m in crate::wire::catalog::MESSAGES {
        for payload in [&[][..], &[0xff; 3][..], &[0x00; 40][..], &[0xfd; 300][..]] {
            let d = dec_bytes(&msg(m.msg_type, &[payload]));
            let _ = render::text(&d, &RenderOptions { full: true });
            let _ = render::json(&d);
        }
    }
}

/// The test RNG, written once in the test kit (`tests/common/rng.rs`) and shared with
/// the integration tests, the fuzz targets and the examples.
#[path = "../../../tests/common/rng.rs"]
mod rng;
pub(crate) use rng::Rng;

#[test]
fn mutated_examples_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for name in crate::wire::catalog::message_names() {
        let base = crate::wire::example::example(name, bitcoin::Network::Bitcoin).unwrap();
        for _ in 0..40 {
            let mut m = base.clone();
            rng.mutate(&mut m, 4, &[0xff]);
            let d = dec_bytes(&m);
            let _ = render::text(&d, &RenderOptions::default());
            let _ = render::json(&d);
            let _ = d.summary();
        }
    }
}

#[test]
fn random_payloads_never_panic() {
    let mut rng = Rng(42);
    for m in crate::wire::catalog::MESSAGES {
        for _ in 0..20 {
            let len = rng.below(400);
            let payload: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let d = dec_bytes(&msg(m.msg_type, &[&payload]));
            let _ = render::text(&d, &RenderOptions { full: true });
            let _ = render::json(&d);
        }
    }
}

#[test]
fn broken_messages_rejected_by_both() {
    let mut bad_point = vec![0x03];
    bad_point.extend([0xff; 32]);
    let full = open_channel(&g());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated open_channel", full[..100].to_vec()),
        ("invalid funding_pubkey", open_channel(&bad_point)),
        (
            "init with unknown even TLV",
            hex::decode("001000000000ca012a").unwrap(),
        ),
        (
            "init with duplicate TLV",
            hex::decode("001000000000c90101c90102").unwrap(),
        ),
        (
            "ping whose byteslen runs past the end",
            hex::decode("00120004000a0000").unwrap(),
        ),
        ("stfu with initiator = 2", msg(2, &[&[0u8; 32], &[2]])),
        ("open_channel with a broken TLV", {
            let mut m = full.clone();
            m.extend([0x03, 0x05]);
            m
        }),
        (
            "query_short_channel_ids with half a short_channel_id",
            msg(261, &[&[0u8; 32], &5u16.to_be_bytes(), &[0, 1, 2, 3, 4]]),
        ),
        (
            "query_short_channel_ids with zlib encoding",
            msg(
                261,
                &[
                    &[0u8; 32],
                    &9u16.to_be_bytes(),
                    &[1, 0, 0, 0, 0, 0, 0, 0, 1],
                ],
            ),
        ),
        (
            "tx_signatures with a witness length that lies",
            msg(
                71,
                &[
                    &[0u8; 32],
                    &[0u8; 32],
                    &1u16.to_be_bytes(),
                    &3u16.to_be_bytes(),
                    &[1, 5, 0],
                ],
            ),
        ),
        (
            "announcement_signatures with an invalid signature",
            msg(259, &[&[0u8; 32], &[0u8; 8], &[0xff; 64], &sig()]),
        ),
    ];
    for (what, bytes) in cases {
        let d = dec_bytes(&bytes);
        assert!(!d.is_ok(), "{what}: we accept it");
        let ldk = d.ldk.as_ref().unwrap();
        assert!(!ldk.ok, "{what}: LDK accepts it; ours: {:?}", d.errors);
    }
}

#[test]
fn disagreements_are_explained() {
    let d = dec("001200040000ff");
    assert!(!d.is_ok());
    let ldk = d.ldk.as_ref().unwrap();
    assert!(ldk.ok);
    assert!(ldk
        .note
        .as_deref()
        .unwrap_or("")
        .contains("never looks at the bytes that follow"));
    assert!(d.summary().ends_with("; LDK accepts it"), "{}", d.summary());
    // Non-UTF-8 error text: fine for the BOLTs, LDK rejects it; the note says so.
    let d = dec_bytes(&msg(17, &[&[0u8; 32], &2u16.to_be_bytes(), &[0xff, 0xfe]]));
    assert!(d.is_ok());
    assert!(!d.ldk.as_ref().unwrap().ok);
    assert!(d.notes[0].contains("LDK rejects"));
}

#[test]
fn brief_lines() {
    assert_eq!(
        render::brief(&dec("0012000400020000")),
        "ping (type 18, 8 bytes): num_pong_bytes=4 bytes, byteslen=2"
    );
    let ex = crate::wire::example::example("open_channel", bitcoin::Network::Bitcoin).unwrap();
    let b = render::brief(&dec_bytes(&ex));
    assert!(b.starts_with("open_channel (type 32, 325 bytes): "), "{b}");
    assert!(b.contains("funding_satoshis=100000 sat"), "{b}");
    assert!(render::brief(&dec("0064")).contains("[error: unknown even type 100"));
}

#[test]
fn points_read_by_ldk_are_not_checked_twice_but_decode_the_same() {
    // With the cross-check on, a message LDK reads skips our own curve check of its
    // points (LDK_CHECKS_POINTS); fields, flags, errors and notes must not change.
    let mut rng = Rng(0xc0ff_ee00_1234_5678);
    for msg_type in LDK_CHECKS_POINTS {
        let name = crate::wire::catalog::by_type(msg_type).unwrap().name;
        let base = crate::wire::example::example(name, bitcoin::Network::Bitcoin).unwrap();
        let mut cases = vec![base.clone()];
        for _ in 0..200 {
            let mut m = base.clone();
            let i = 2 + rng.below(m.len() - 2);
            m[i] ^= 1 << rng.below(8);
            cases.push(m);
        }
        let mut skipped = 0;
        for m in cases {
            let with = decode_bytes(&m, DecodeOptions { ldk_check: true });
            let without = decode_bytes(&m, DecodeOptions { ldk_check: false });
            if with.ldk.as_ref().is_some_and(|l| l.ok) {
                skipped += 1;
            }
            assert_eq!(with.errors, without.errors, "{name} {}", hex::encode(&m));
            assert_eq!(with.notes, without.notes, "{name}");
            let flags = |d: &Decoded| {
                d.fields
                    .iter()
                    .map(|f| (f.name.clone(), f.ok))
                    .collect::<Vec<_>>()
            };
            assert_eq!(flags(&with), flags(&without), "{name}");
        }
        assert!(skipped > 0, "{name}: LDK never read a case");
    }
}
