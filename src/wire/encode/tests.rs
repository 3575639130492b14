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
    // 65535 HTLC signatures were all generated (seconds) before the size check refused
    // them; the check now comes first. (How fast is not asserted here: tests do not time.)
    for (msg, count) in [
        ("commitment_signed", "num_htlcs"),
        ("tx_signatures", "num_witnesses"),
    ] {
        let e = encode(msg, &a(&[(count, "65535")]), Network::Bitcoin).unwrap_err();
        assert!(e.contains("at most 65535"), "{e}");
    }
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

/// The examples' numbers, one message for each default in `defaults::default_number`:
/// lessons and the README quote examples, so a default changes only on purpose.
#[test]
fn example_numbers_are_the_documented_defaults() {
    let value = |msg: &str, asg: &[(&str, &str)], field: &str| {
        let d = decode_bytes(
            &encode(msg, &a(asg), Network::Regtest).unwrap(),
            DecodeOptions::default(),
        );
        d.fields
            .iter()
            .chain(d.tlvs.iter().flat_map(|r| r.fields.iter()))
            .find(|f| f.name == field)
            .map(|f| f.value)
            .unwrap_or_else(|| panic!("{msg}.{field}"))
    };
    let cases: &[(&str, &str, u64)] = &[
        ("open_channel", "funding_satoshis", 100_000),
        ("open_channel", "dust_limit_satoshis", 546),
        ("open_channel", "max_htlc_value_in_flight_msat", 100_000_000),
        ("open_channel", "channel_reserve_satoshis", 1_000),
        ("open_channel", "htlc_minimum_msat", 1_000),
        ("channel_update", "htlc_minimum_msat", 1_000),
        ("open_channel", "feerate_per_kw", 253),
        ("open_channel2", "funding_feerate_perkw", 253),
        ("open_channel2", "commitment_feerate_perkw", 253),
        ("tx_init_rbf", "feerate", 506),
        ("open_channel", "to_self_delay", 144),
        ("open_channel", "max_accepted_htlcs", 483),
        ("accept_channel", "minimum_depth", 3),
        ("closing_signed", "fee_satoshis", 1_000),
        ("closing_complete", "locktime", 800_000),
        ("tx_add_input", "sequence", 0xffff_fffd),
        ("tx_add_output", "sats", 99_000),
        ("stfu", "initiator", 1),
        ("reply_channel_range", "sync_complete", 1),
        ("reply_short_channel_ids_end", "full_information", 1),
        ("start_batch", "batch_size", 2),
        ("start_batch", "message_type", 132),
        ("update_add_htlc", "amount_msat", 10_000),
        ("update_add_htlc", "cltv_expiry", 800_144),
        ("update_fail_malformed_htlc", "failure_code", 0xc005),
        ("channel_reestablish", "next_commitment_number", 1),
        ("channel_update", "timestamp", 1_700_000_000),
        ("gossip_timestamp_filter", "first_timestamp", 1_700_000_000),
        ("channel_update", "message_flags", 1),
        ("channel_update", "cltv_expiry_delta", 40),
        ("channel_update", "htlc_maximum_msat", 99_000_000),
        ("channel_update", "fee_base_msat", 1_000),
        ("channel_update", "fee_proportional_millionths", 100),
        ("query_channel_range", "first_blocknum", 800_000),
        ("query_channel_range", "number_of_blocks", 2_016),
        ("gossip_timestamp_filter", "timestamp_range", 86_400),
        ("ping", "num_pong_bytes", 4),
        // The output's serial_id is even and not the input's 0 (BOLT 2: the initiator's
        // ids are even, and unique).
        ("tx_add_output", "serial_id", 2),
        ("tx_add_input", "serial_id", 0),
    ];
    for (msg, field, want) in cases {
        assert_eq!(
            value(msg, &[], field),
            crate::wire::decode::Value::Uint(*want),
            "{msg}.{field}"
        );
    }
    assert_eq!(
        value("splice_init", &[], "funding_contribution_satoshis"),
        crate::wire::decode::Value::Int(50_000)
    );
    // fee_range's other half, when one half is given.
    let fee_range = |given: &str, other: &str| value("closing_signed", &[(given, "1500")], other);
    assert_eq!(
        fee_range("fee_range.max_fee_satoshis", "min_fee_satoshis"),
        crate::wire::decode::Value::Uint(500)
    );
    assert_eq!(
        fee_range("fee_range.min_fee_satoshis", "max_fee_satoshis"),
        crate::wire::decode::Value::Uint(2_000)
    );
}

/// The examples tell one story: update_add_htlc's payment_hash is the SHA256 of
/// update_fulfill_htlc's payment_preimage, and no other 32-byte hash is that one.
#[test]
fn the_example_preimage_pays_the_example_hash() {
    use bitcoin::hashes::{sha256, Hash};
    let decoded = |m: &str| {
        decode_bytes(
            &crate::wire::example::example(m, Network::Regtest).unwrap(),
            DecodeOptions::default(),
        )
    };
    let bytes_of = |d: &crate::wire::Decoded, name: &str| {
        d.field_bytes(d.field(name).unwrap_or_else(|| panic!("{name}")))
            .to_vec()
    };
    let fulfill = decoded("update_fulfill_htlc");
    let preimage = bytes_of(&fulfill, "payment_preimage");
    assert_eq!(preimage, [0x42; 32]);
    let hash = sha256::Hash::hash(&preimage).to_byte_array().to_vec();
    assert_eq!(bytes_of(&decoded("update_add_htlc"), "payment_hash"), hash);
    for m in catalog::message_names() {
        let d = decoded(m);
        for f in &d.fields {
            if f.ty == catalog::FieldType::Sha256 && f.name != "payment_hash" {
                assert_ne!(d.field_bytes(f), &hash[..], "{m}.{}", f.name);
            }
        }
    }
}

/// Fixed-size arrays left to their default are zeros of the whole size: attribution_data's
/// 20 hold times (u32) and 210 truncated HMACs (4 bytes each). A failure's `reason` is
/// 256 bytes, the size BOLT 4 pads a failure message to.
#[test]
fn default_arrays_have_their_full_size() {
    let hmacs = "ab".repeat(840);
    let bytes = encode(
        "update_fail_htlc",
        &a(&[("attribution_data.truncated_hmacs", &hmacs)]),
        Network::Regtest,
    )
    .unwrap();
    let d = decode_bytes(&bytes, DecodeOptions::default());
    assert!(d.is_ok(), "{:?}", d.errors);
    let r = d
        .tlvs
        .iter()
        .find(|r| r.name == Some("attribution_data"))
        .unwrap();
    let sizes: Vec<(&str, usize)> = r.fields.iter().map(|f| (&*f.name, f.length)).collect();
    assert_eq!(sizes, [("htlc_hold_times", 80), ("truncated_hmacs", 840)]);
    assert!(d.field_bytes(&r.fields[0]).iter().all(|b| *b == 0));
    let example = crate::wire::example::example("update_fail_htlc", Network::Regtest).unwrap();
    let d = decode_bytes(&example, DecodeOptions::default());
    assert_eq!(d.field("reason").map(|f| f.length), Some(256));
}

/// Truncated integers drop their leading zero bytes; zero is no bytes at all.
#[test]
fn minimal_big_endian() {
    assert_eq!(syntax::minimal_be(0), Vec::<u8>::new());
    assert_eq!(syntax::minimal_be(1), [1]);
    assert_eq!(syntax::minimal_be(0x0100), [1, 0]);
    assert_eq!(syntax::minimal_be(u64::MAX), [0xff; 8]);
}

/// Values as typed: feature hex without `0x`, a list of chains, a 32-byte alias (not 33), a
/// length-prefixed field of at most 65535 bytes, and an array of signatures refused.
#[test]
fn value_syntax_edges() {
    let enc = |msg: &str, pairs: &[(&str, &str)]| encode(msg, &a(pairs), Network::Regtest);
    let d = decode_bytes(
        &enc("init", &[("features", "0a")]).unwrap(),
        DecodeOptions::default(),
    );
    let f = d.field("features").unwrap();
    assert_eq!(d.field_bytes(f), [0x0a]);

    let d = decode_bytes(
        &enc("init", &[("networks", "bitcoin,regtest")]).unwrap(),
        DecodeOptions::default(),
    );
    let chains = &d
        .tlvs
        .iter()
        .find(|r| r.name == Some("networks"))
        .unwrap()
        .fields[0];
    assert_eq!(chains.length, 64);
    let raw = d.field_bytes(chains);
    assert_eq!(
        &raw[..32],
        bitcoin::constants::ChainHash::BITCOIN.as_bytes()
    );
    assert_eq!(
        &raw[32..],
        bitcoin::constants::ChainHash::REGTEST.as_bytes()
    );

    assert!(enc("node_announcement", &[("alias", &"a".repeat(32))]).is_ok());
    let e = enc("node_announcement", &[("alias", &"a".repeat(33))]).unwrap_err();
    assert!(e.contains("at most 32 bytes, got 33"), "{e}");

    let e = enc("ping", &[("ignored", &"00".repeat(65536))]).unwrap_err();
    assert!(e.contains("65536 bytes do not fit a u16 length"), "{e}");

    let sig = format!("{}01{}01", "00".repeat(31), "00".repeat(31));
    let e = enc("commitment_signed", &[("htlc_signature", &sig)]).unwrap_err();
    assert!(
        e.contains("set the number of signatures (num_htlcs) instead"),
        "{e}"
    );
}

/// query_short_channel_ids' query_flags: encoding type 0 is the only one BOLT 7 knows.
#[test]
fn query_flags_encoding_type() {
    let d = |t: &str| {
        decode_bytes(
            &encode(
                "query_short_channel_ids",
                &a(&[("query_flags", &format!("{t},0101"))]),
                Network::Regtest,
            )
            .unwrap(),
            DecodeOptions::default(),
        )
    };
    assert!(d("0").is_ok(), "{:?}", d("0").errors);
    // Type 1 is zlib, which BOLT 7 withdrew: said as for a list of short_channel_ids.
    let e = d("1").errors.join(" | ");
    assert!(
        e.contains("encoding type 1 (zlib) MUST NOT be used any more (BOLT 7)"),
        "{e}"
    );
    let e = d("2").errors.join(" | ");
    assert!(
        e.contains("unknown encoding type 2 (BOLT 7 knows only 0)"),
        "{e}"
    );
}

#[test]
fn only_your_last_per_commitment_secret_defaults_to_zeros() {
    // BOLT 2 lets channel_reestablish say "no secret received yet" with zeros; a
    // revoke_and_ack's per_commitment_secret is a real secret, and zero is none.
    let raw = |msg: &str, name: &str| {
        let bytes = encode(msg, &[], Network::Bitcoin).unwrap();
        let d = decode_bytes(&bytes, DecodeOptions::default());
        let f = d.field(name).unwrap_or_else(|| panic!("{msg}.{name}"));
        d.field_bytes(f).to_vec()
    };
    assert_eq!(
        raw("channel_reestablish", "your_last_per_commitment_secret"),
        vec![0u8; 32]
    );
    let secret = raw("revoke_and_ack", "per_commitment_secret");
    assert_eq!(secret.len(), 32);
    assert_ne!(secret, vec![0u8; 32]);
}

#[test]
fn a_count_whose_signatures_cannot_fit_is_refused_before_any_is_made() {
    // 1100 signatures take 70 400 bytes: over a message's 65535 by their size, though
    // 1100 + 64 is far under it (the check multiplies).
    let e = encode(
        "commitment_signed",
        &a(&[("num_htlcs", "1100")]),
        Network::Bitcoin,
    )
    .unwrap_err();
    assert!(e.contains("take at least 70400 bytes"), "{e}");
    let e = encode(
        "tx_signatures",
        &a(&[("num_witnesses", "700")]),
        Network::Bitcoin,
    )
    .unwrap_err();
    assert!(e.contains("take at least 70000 bytes"), "{e}");
}

#[test]
fn init_defaults_put_the_features_in_features_and_none_in_globalfeatures() {
    // BOLT 1: globalfeatures is kept for old readers; a new node sends its bits in
    // features (LDK's own init leaves globalfeatures all but empty).
    let bytes = encode("init", &[], Network::Bitcoin).unwrap();
    let d = decode_bytes(&bytes, DecodeOptions::default());
    let len = |name: &str| d.field(name).map(|f| f.length);
    assert_eq!(len("globalfeatures"), Some(0));
    assert!(
        len("features").is_some_and(|n| n >= 6),
        "{:?}",
        len("features")
    );
}

#[test]
fn a_feature_by_name_is_its_odd_bit_unless_marked_required() {
    // var_onion_optin is bits 8/9: optional is the odd one, `!` asks for the even one.
    let features = |v: &str| {
        let bytes = encode("init", &a(&[("features", v)]), Network::Bitcoin).unwrap();
        let d = decode_bytes(&bytes, DecodeOptions::default());
        let f = d.field("features").expect("features");
        d.field_bytes(f).to_vec()
    };
    assert_eq!(features("var_onion_optin"), vec![0x02, 0x00]);
    assert_eq!(features("var_onion_optin!"), vec![0x01, 0x00]);
}

/// A field whose length is a u16 takes 65535 bytes, not 65536. (The whole message's own
/// size check is apart: `error` with 65535 bytes of data is over it.)
#[test]
fn a_u16_length_field_takes_at_most_65535_bytes() {
    let spec = catalog::by_name("error").expect("error");
    let data = spec.fields.iter().find(|f| f.name == "data").expect("data");
    let most = parse_value(data, "data", &"a".repeat(0xffff)).expect("65535 bytes");
    assert_eq!(most.bytes.len(), 0xffff);
    let e = parse_value(data, "data", &"a".repeat(0x10000)).err();
    assert_eq!(
        e.as_deref(),
        Some("data: 65536 bytes do not fit a u16 length")
    );
}
