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
            "tx_ack_rbf_tlvs: record type 3: length missing at offset 37",
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
    let text = render::text(
        &d,
        &RenderOptions {
            full: true,
            width: None,
        },
    );
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
            let _ = render::text(
                &d,
                &RenderOptions {
                    full: true,
                    width: None,
                },
            );
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
            let _ = render::text(
                &d,
                &RenderOptions {
                    full: true,
                    width: None,
                },
            );
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
    assert!(b.starts_with("open_channel (type 32, 327 bytes): "), "{b}");
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

/// `example open_channel` (regtest) as lnshell printed it before it obeyed BOLT 2: the TLV
/// stream holds `channel_type` only, no `upfront_shutdown_script`.
const OLD_OPEN_CHANNEL_EXAMPLE: &str = "002006226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910ff19fdfae847570f7f537e86704e16872ed5b8ffeb84d5934ffe18d035d8a6de500000000000186a0000000000000000000000000000002220000000005f5e10000000000000003e800000000000003e8000000fd009001e302bb8cc23b2c8f6b866e620b65bf4d2d82c687d6c174e1a4dccb76df85e60ae64b039f779fdefc2e76486d9f24f6569dac5a3948c07b3d5735cbf4992f50c5d0caa40383433ab0edb4bfb7f12cb271c3c18f3bcd604d081d998211f0ab457a347f747d024f2ebef42e1469db970086b4c9a6ba3b134f6fdbbde8ced64101c787e2bae049028b8b24664935ac752e03bad2371d53acfb8c64d392003fa6f83750129c6a36e0030ae3613992cab74da48256122e3ac87f6f1648b25e9949aa55fbf4097e781a500001021000";

fn sender_violations(d: &Decoded) -> Vec<&String> {
    d.notes
        .iter()
        .filter(|n| n.contains(sender_rules::SENDER_BROKE))
        .collect()
}

#[test]
fn a_channel_open_without_upfront_shutdown_script_is_the_senders_violation() {
    let d = dec(OLD_OPEN_CHANNEL_EXAMPLE);
    // Every field reads and LDK takes it (as "no script"): a note, not an error.
    assert!(d.is_ok(), "{:?}", d.errors);
    assert!(d.ldk.as_ref().unwrap().ok);
    let v = sender_violations(&d);
    assert_eq!(v.len(), 1, "{:?}", d.notes);
    for words in [
        "open_channel_tlvs has no upfront_shutdown_script",
        "MUST include upfront_shutdown_script",
        "0000",
    ] {
        assert!(v[0].contains(words), "{words}: {}", v[0]);
    }
    let text = render::text(&d, &RenderOptions::default());
    assert!(text.contains(v[0].as_str()), "{text}");
    let j = render::json(&d);
    assert!(
        j["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str() == Some(v[0].as_str())),
        "{j}"
    );
    // The same message with an empty record (`0000` before `channel_type`) is clean.
    let fixed = format!(
        "{}0000{}",
        &OLD_OPEN_CHANNEL_EXAMPLE[..OLD_OPEN_CHANNEL_EXAMPLE.len() - 8],
        &OLD_OPEN_CHANNEL_EXAMPLE[OLD_OPEN_CHANNEL_EXAMPLE.len() - 8..]
    );
    let d = dec(&fixed);
    assert!(
        d.is_ok() && d.notes.is_empty(),
        "{:?} {:?}",
        d.errors,
        d.notes
    );
    assert_eq!(d.tlv(0).map(|r| r.length), Some(0));
}

#[test]
fn the_rule_binds_accept_channel_and_the_v2_opens_and_says_why() {
    let net = bitcoin::Network::Regtest;
    for (name, stream, why) in [
        (
            "accept_channel",
            "accept_channel_tlvs",
            "open_channel counterparts",
        ),
        (
            "open_channel2",
            "opening_tlvs",
            "requirements are open_channel's",
        ),
        (
            "accept_channel2",
            "accept_tlvs",
            "requirements are open_channel's",
        ),
    ] {
        let asg = [("upfront_shutdown_script".to_string(), "none".to_string())];
        let bytes = crate::wire::encode::encode(name, &asg, net).unwrap();
        let d = dec_bytes(&bytes);
        assert!(d.is_ok(), "{name}: {:?}", d.errors);
        let v = sender_violations(&d);
        assert_eq!(v.len(), 1, "{name}: {:?}", d.notes);
        assert!(
            v[0].starts_with(&format!("{stream} has no upfront_shutdown_script")),
            "{}",
            v[0]
        );
        assert!(v[0].contains(why), "{name}: {}", v[0]);
    }
}

#[test]
fn a_missing_channel_type_names_the_receivers_duty() {
    let net = bitcoin::Network::Regtest;
    let none = |k: &str| (k.to_string(), "none".to_string());
    // No stream at all: open_channel's sender rule does not bind, its receiver rule does.
    let bytes = crate::wire::encode::encode(
        "open_channel",
        &[none("channel_type"), none("upfront_shutdown_script")],
        net,
    )
    .unwrap();
    let d = dec_bytes(&bytes);
    assert!(d.is_ok() && d.tlvs.is_empty(), "{:?}", d.errors);
    assert!(sender_violations(&d).is_empty(), "{:?}", d.notes);
    assert_eq!(d.notes.len(), 1, "{:?}", d.notes);
    assert!(
        d.notes[0].contains("without channel_type MUST fail the channel"),
        "{:?}",
        d.notes
    );
    // accept_channel: the sender MUST set it whatever else it sends.
    let bytes =
        crate::wire::encode::encode("accept_channel", &[none("channel_type")], net).unwrap();
    let d = dec_bytes(&bytes);
    let v = sender_violations(&d);
    assert_eq!(v.len(), 1, "{:?}", d.notes);
    assert!(
        v[0].contains("accept_channel_tlvs has no channel_type"),
        "{}",
        v[0]
    );
    assert!(v[0].contains("MUST fail the channel"), "{}", v[0]);
    let bytes = crate::wire::encode::encode("open_channel2", &[none("channel_type")], net).unwrap();
    let d = dec_bytes(&bytes);
    assert!(
        sender_violations(&d)[0].contains("MUST fail the negotiation"),
        "{:?}",
        d.notes
    );
}

#[test]
fn closing_signatures_are_counted() {
    let net = bitcoin::Network::Regtest;
    let enc = |name: &str, pairs: &[(&str, &str)]| {
        let asg: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        dec_bytes(&crate::wire::encode::encode(name, &asg, net).unwrap())
    };
    let sig = hex::encode(sig());
    let one = |d: &Decoded| {
        let v = sender_violations(d);
        assert!(d.is_ok(), "{:?}", d.errors);
        assert_eq!(v.len(), 1, "{:?}", d.notes);
        v[0].clone()
    };
    // The example closing_sig carries one signature (closer_and_closee_outputs).
    let d = enc("closing_sig", &[]);
    assert!(sender_violations(&d).is_empty(), "{:?}", d.notes);
    assert!(one(&enc(
        "closing_sig",
        &[("closer_and_closee_outputs", "none")]
    ))
    .contains("holds 0 signatures"));
    assert!(
        one(&enc("closing_sig", &[("closee_output_only", &sig)])).contains("holds 2 signatures")
    );
    assert!(one(&enc(
        "closing_complete",
        &[("closer_and_closee_outputs", "none")]
    ))
    .contains("no signature"));
    let both = one(&enc(
        "closing_complete",
        &[("closer_output_only", &sig), ("closee_output_only", &sig)],
    ));
    assert!(both.contains("MUST NOT set closer_output_only"), "{both}");
    // closer_output_only with closer_and_closee_outputs is what a closer with the higher
    // balance MUST send.
    let d = enc("closing_complete", &[("closer_output_only", &sig)]);
    assert!(sender_violations(&d).is_empty(), "{:?}", d.notes);
}

/// BOLT 7's one rule across two fields: a channel_announcement's `node_id_1` sorts below
/// its `node_id_2`. Swapped or equal ids get the note; the example's ordered ids do not.
#[test]
fn channel_announcement_node_ids_must_be_in_order() {
    const NOTE: &str =
        "node_id_1 is not lower than node_id_2 (BOLT 7: the origin node MUST order them)";
    let base =
        crate::wire::encode::example("channel_announcement", bitcoin::Network::Bitcoin).unwrap();
    let d = dec_bytes(&base);
    let at = |name: &str| {
        let f = d.field(name).unwrap();
        assert_eq!(f.length, 33, "{name}");
        f.offset..f.offset + 33
    };
    let (one, two) = (at("node_id_1"), at("node_id_2"));
    assert!(base[one.clone()] < base[two.clone()]);
    assert!(!d.notes.iter().any(|n| n == NOTE), "{:?}", d.notes);

    let mut swapped = base.clone();
    swapped[one.clone()].copy_from_slice(&base[two.clone()]);
    swapped[two.clone()].copy_from_slice(&base[one.clone()]);
    let mut equal = base.clone();
    equal[two].copy_from_slice(&base[one]);
    for m in [swapped, equal] {
        let d = dec_bytes(&m);
        assert_eq!(
            d.notes.iter().filter(|n| *n == NOTE).count(),
            1,
            "{:?}",
            d.notes
        );
    }
}

/// `init`'s `remote_addr` (TLV 3) holds one address descriptor: one known address is
/// quiet; two, or an unknown type, get the note that LDK rejects it.
#[test]
fn init_remote_addr_is_one_known_address() {
    const NOTE: &str = "data: not one known address descriptor (LDK rejects this)";
    let init = |addr: &[u8]| msg(16, &[&[0, 0], &[0, 0], &[3, addr.len() as u8], addr]);
    let v4 = [1, 127, 0, 0, 1, 0x26, 0x07];
    let d = dec_bytes(&init(&v4));
    assert!(d.is_ok(), "{:?}", d.errors);
    assert!(d.notes.is_empty(), "{:?}", d.notes);
    let two = [v4, v4].concat();
    let unknown = [9u8, 1, 2];
    for addr in [&two[..], &unknown[..]] {
        let d = dec_bytes(&init(addr));
        assert!(
            d.notes.iter().any(|n| n.ends_with(NOTE)),
            "{addr:?}: {:?}",
            d.notes
        );
    }
}

/// Input too short for a type is "invalid input" with its size and its bytes; empty input
/// says only what it is.
#[test]
fn summaries_of_input_without_a_type() {
    let one = dec_bytes(&[0x00]);
    assert_eq!((one.msg_type, one.name.as_str()), (None, "invalid input"));
    assert_eq!(one.bytes, [0x00]);
    assert!(
        one.summary().starts_with("invalid input (1 byte): error: "),
        "{}",
        one.summary()
    );
    let none = dec_bytes(&[]);
    assert!(
        none.summary().starts_with("invalid input: error: "),
        "{}",
        none.summary()
    );
}

/// LDK has no decoder for an unknown odd type and ignores it: `ldk_agrees` holds even when
/// the decoder finds an error (here: more than 65535 bytes).
#[test]
fn no_ldk_decoder_means_no_disagreement() {
    let mut long = vec![0xff, 0xfd];
    long.resize(70_000, 0);
    let d = dec_bytes(&long);
    assert!(!d.is_ok());
    let ldk = d.ldk.as_ref().unwrap();
    assert!(ldk.ok && ldk.decoder.is_none(), "{ldk:?}");
    assert!(d.ldk_agrees());
    assert!(!d.summary().contains("LDK"), "{}", d.summary());
}
