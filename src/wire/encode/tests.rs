//! encode/example tests: every example decodes cleanly and LDK reads it; assignments work.

use super::*;
use crate::wire::{decode_bytes, render, DecodeOptions};

fn a(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn every_example_decodes_and_ldk_accepts() {
    for net in [
        Network::Bitcoin,
        Network::Testnet,
        Network::Testnet4,
        Network::Signet,
        Network::Regtest,
    ] {
        for name in catalog::message_names() {
            let bytes =
                crate::wire::example::example(name, net).unwrap_or_else(|e| panic!("{name}: {e}"));
            let d = decode_bytes(&bytes, DecodeOptions::default());
            assert_eq!(d.name, name);
            assert!(
                d.is_ok(),
                "{name} on {net:?}: {:?}\n{}",
                d.errors,
                render::text(&d, &Default::default())
            );
            assert!(d.notes.is_empty(), "{name}: notes {:?}", d.notes);
            let ldk = d.ldk.as_ref().expect("ldk check ran");
            assert!(ldk.ok, "{name}: LDK rejects: {:?}", ldk.error);
        }
    }
}

#[test]
fn no_name_clashes_between_fields_and_records() {
    for m in catalog::MESSAGES {
        let names = settable_names(m.name).unwrap();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "{}: {names:?}", m.name);
    }
}

#[test]
fn assignments_change_fields() {
    let bytes = encode(
        "open_channel",
        &a(&[
            ("funding_satoshis", "200000"),
            ("channel_flags", "1"),
            ("chain_hash", "regtest"),
            ("channel_type", "static_remotekey!,anchors!"),
            ("upfront_shutdown_script", ""),
        ]),
        Network::Bitcoin,
    )
    .unwrap();
    let d = decode_bytes(&bytes, DecodeOptions::default());
    assert!(d.is_ok(), "{:?}", d.errors);
    assert!(d.ldk.as_ref().unwrap().ok);
    let j = render::json(&d);
    assert_eq!(j["fields"][2]["value"], 200_000);
    assert_eq!(j["fields"][0]["value"], "regtest");
    assert_eq!(d.tlvs.len(), 2);
    assert_eq!(d.tlvs[0].length, 0);
    let names: Vec<_> = j["tlvs"][1]["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["option_static_remotekey", "option_anchors"]);
}

#[test]
fn counts_text_and_lists() {
    let bytes = encode(
        "commitment_signed",
        &a(&[("num_htlcs", "3")]),
        Network::Bitcoin,
    )
    .unwrap();
    let d = decode_bytes(&bytes, DecodeOptions::default());
    assert!(d.is_ok() && d.ldk.as_ref().unwrap().ok, "{:?}", d.errors);
    assert!(d.field("htlc_signature[2]").is_some());

    let bytes = encode(
        "error",
        &a(&[("data", "something broke")]),
        Network::Bitcoin,
    )
    .unwrap();
    let d = decode_bytes(&bytes, DecodeOptions::default());
    assert_eq!(render::json(&d)["fields"][2]["value"], "something broke");

    let bytes = encode(
        "node_announcement",
        &a(&[
            ("alias", "IRATEMONK"),
            (
                "addresses",
                "10.0.0.1:9735,[::1]:19735,node.example.com:9735",
            ),
            ("rgb_color", "#ff0000"),
        ]),
        Network::Bitcoin,
    )
    .unwrap();
    let d = decode_bytes(&bytes, DecodeOptions::default());
    assert!(d.is_ok() && d.ldk.as_ref().unwrap().ok, "{:?}", d.errors);
    let j = render::json(&d);
    let addrs = &j["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "addresses")
        .unwrap()["value"];
    assert_eq!(addrs.as_array().unwrap().len(), 3);

    let bytes = encode(
        "query_short_channel_ids",
        &a(&[("encoded_short_ids", "700000x1x0,700001x5x1")]),
        Network::Bitcoin,
    )
    .unwrap();
    let d = decode_bytes(&bytes, DecodeOptions::default());
    assert!(d.is_ok() && d.ldk.as_ref().unwrap().ok);

    let bytes = encode(
        "closing_signed",
        &a(&[("fee_range", "100,2000")]),
        Network::Bitcoin,
    )
    .unwrap();
    let d = decode_bytes(&bytes, DecodeOptions::default());
    assert!(d.is_ok() && d.ldk.as_ref().unwrap().ok, "{:?}", d.errors);
    assert_eq!(
        render::json(&d)["tlvs"][0]["value"]["max_fee_satoshis"],
        2000
    );

    let bytes = encode(
        "init",
        &a(&[("networks", "none"), ("tlv.201", "2a")]),
        Network::Bitcoin,
    )
    .unwrap();
    let d = decode_bytes(&bytes, DecodeOptions::default());
    assert!(d.is_ok());
    assert_eq!(d.tlvs.len(), 1);
    assert_eq!(d.tlvs[0].tlv_type, 201);
}

#[test]
fn clear_errors() {
    let err =
        |name: &str, pairs: &[(&str, &str)]| encode(name, &a(pairs), Network::Bitcoin).unwrap_err();
    assert!(err("open_chanel", &[]).contains("unknown message"));
    let e = err("open_channel", &[("fundingsats", "1")]);
    assert!(
        e.contains("unknown field \"fundingsats\"")
            && e.contains("funding_satoshis")
            && e.contains("channel_type"),
        "{e}"
    );
    assert!(err("ping", &[("byteslen", "3")]).contains("computed from ignored"));
    assert!(err("open_channel", &[("funding_satoshis", "lots")]).contains("not a number"));
    assert!(err("open_channel", &[("to_self_delay", "70000")]).contains("too large"));
    assert!(err("open_channel", &[("funding_pubkey", "02abcd")]).contains("expected 33 bytes"));
    let mut bad = String::from("03");
    bad.push_str(&"ff".repeat(32));
    assert!(
        err("open_channel", &[("funding_pubkey", &bad)]).contains("not a valid secp256k1 point")
    );
    assert!(err("init", &[("tlv.4", "00")]).contains("unknown even TLV type"));
    assert!(err("init", &[("tlv.1", "00")]).contains("networks"));
    assert!(err("channel_update", &[("short_channel_id", "1x2")]).contains("800000x1x0"));
}

#[test]
fn huge_feature_bits_are_refused_not_allocated() {
    // Found by tests/properties.rs (encode_never_panics_on_prompt_values): a bit number was
    // used unchecked to size the feature vector, so this aborted the process (out of memory).
    let err = |v: &str| {
        encode("init", &a(&[("features", v)]), Network::Bitcoin)
            .expect_err(v)
            .to_string()
    };
    for v in [
        "11660455615776267259",
        "99999999999999999999999",
        "12,4294967296",
        "bits:524280",
    ] {
        assert!(err(v).contains("too large"), "{v}: {}", err(v));
    }
    // The highest bit still fits: a 65535-byte vector (the message is then too long).
    assert!(err("524279").contains("65535"), "{}", err("524279"));
    let d = decode_bytes(
        &encode("init", &a(&[("features", "12,101")]), Network::Bitcoin).unwrap(),
        DecodeOptions::default(),
    );
    assert!(d.is_ok(), "{:?}", d.errors);
}

#[test]
fn too_many_generated_signatures_are_refused_at_once() {
    // 65535 HTLC signatures were all generated (seconds) before the size check refused them.
    let started = std::time::Instant::now();
    for (msg, count) in [
        ("commitment_signed", "num_htlcs"),
        ("tx_signatures", "num_witnesses"),
    ] {
        let e = encode(msg, &a(&[(count, "65535")]), Network::Bitcoin).unwrap_err();
        assert!(e.contains("at most 65535"), "{e}");
    }
    assert!(started.elapsed() < std::time::Duration::from_millis(500));
    // The largest count that fits still works.
    let bytes = encode(
        "commitment_signed",
        &a(&[("num_htlcs", "1000")]),
        Network::Bitcoin,
    )
    .unwrap();
    assert!(decode_bytes(&bytes, DecodeOptions::default()).is_ok());
    let bytes = encode(
        "tx_signatures",
        &a(&[("num_witnesses", "500")]),
        Network::Bitcoin,
    )
    .unwrap();
    assert!(decode_bytes(&bytes, DecodeOptions::default()).is_ok());
}

/// The words every sender-violation note carries (`decode::sender_rules`).
const SENDER_BROKE: &str = "the sender broke BOLT 2";

#[test]
fn no_example_or_default_encode_breaks_a_sender_rule() {
    for name in catalog::message_names() {
        let d = decode_bytes(
            &crate::wire::example::example(name, Network::Regtest).unwrap(),
            DecodeOptions::default(),
        );
        assert!(
            !d.notes.iter().any(|n| n.contains(SENDER_BROKE)),
            "{name}: {:?}",
            d.notes
        );
    }
    // Any assignment keeps the records BOLT 2 wants with the stream.
    for (name, pairs) in [
        ("open_channel", &[("funding_satoshis", "200000")][..]),
        ("open_channel", &[("channel_type", "anchors")][..]),
        ("accept_channel", &[("minimum_depth", "6")][..]),
        ("open_channel2", &[("require_confirmed_inputs", "true")][..]),
        ("accept_channel2", &[("funding_satoshis", "0")][..]),
    ] {
        let bytes = encode(name, &a(pairs), Network::Regtest).unwrap();
        let d = decode_bytes(&bytes, DecodeOptions::default());
        assert!(
            d.is_ok() && d.notes.is_empty(),
            "{name} {pairs:?}: {:?} {:?}",
            d.errors,
            d.notes
        );
        let upfront = d.tlv(0).expect("upfront_shutdown_script");
        assert_eq!(upfront.name, Some("upfront_shutdown_script"));
        assert_eq!(upfront.length, 0, "{name}: empty, committing to no script");
    }
}

#[test]
fn upfront_shutdown_script_takes_the_users_script_or_none() {
    let script = "0014751e76e8199196d454941c45d1b3a323f1433bd6";
    let bytes = encode(
        "open_channel",
        &a(&[("upfront_shutdown_script", script)]),
        Network::Regtest,
    )
    .unwrap();
    let d = decode_bytes(&bytes, DecodeOptions::default());
    assert!(
        d.is_ok() && d.notes.is_empty(),
        "{:?} {:?}",
        d.errors,
        d.notes
    );
    let r = d.tlv(0).unwrap();
    assert_eq!(hex::encode(d.field_bytes(&r.fields[0])), script);
    // `none` leaves it out (the only way to rebuild a message that lacked it), and decode
    // says whose rule that breaks.
    let bytes = encode(
        "open_channel",
        &a(&[("upfront_shutdown_script", "none")]),
        Network::Regtest,
    )
    .unwrap();
    let d = decode_bytes(&bytes, DecodeOptions::default());
    assert!(d.tlv(0).is_none());
    assert!(
        d.notes.iter().any(|n| n.contains(SENDER_BROKE)),
        "{:?}",
        d.notes
    );
    let back = assignments_from(&d).unwrap();
    assert!(back.contains(&("upfront_shutdown_script".to_string(), "none".to_string())));
    assert_eq!(
        encode("open_channel", &back, Network::Regtest).unwrap(),
        bytes
    );
}
