//! The `wire` API as the rest of lnshell uses it: decode, summary, text/JSON rendering,
//! examples and encode for every message, feature names.

use bitcoin::Network;
use lnshell::wire::{self, catalog, encode, example, features, render, DecodeOptions};

#[test]
fn summary_lines() {
    let d = wire::decode_hex("0012000400020000", DecodeOptions::default());
    assert!(d.is_ok());
    assert_eq!(d.summary(), "ping (type 18, 8 bytes): ok");
    let d = wire::decode_hex("0x0020 0001 02", DecodeOptions { ldk_check: false });
    assert_eq!(
        d.summary(),
        "open_channel (type 32, 5 bytes): error: chain_hash truncated, 29 of 32 bytes missing at offset 2"
    );
    assert!(d.ldk.is_none());
}

#[test]
fn every_message_round_trips() {
    let names = catalog::message_names();
    assert_eq!(names.len(), 50);
    for name in names {
        let bytes = example::example(name, Network::Regtest).expect("example");
        let d = wire::decode_bytes(&bytes, DecodeOptions::default());
        assert!(d.is_ok(), "{name}: {:?}", d.errors);
        assert!(d.ldk.as_ref().is_some_and(|l| l.ok), "{name}: {:?}", d.ldk);
        let text = render::text(
            &d,
            &render::RenderOptions {
                full: false,
                width: None,
            },
        );
        assert!(text.starts_with(name), "{text}");
        let json = render::json(&d);
        assert_eq!(json["name"], name);
        assert_eq!(json["errors"].as_array().map(Vec::len), Some(0));
    }
}

#[test]
fn encode_with_assignments() {
    let assignments = vec![
        ("funding_satoshis".to_string(), "250000".to_string()),
        ("push_msat".to_string(), "1000".to_string()),
    ];
    let bytes = encode::encode("open_channel", &assignments, Network::Signet).expect("encode");
    let d = wire::decode_bytes(&bytes, DecodeOptions::default());
    let json = render::json(&d);
    assert_eq!(json["fields"][0]["value"], "signet");
    assert_eq!(json["fields"][2]["value"], 250_000);
    assert_eq!(json["fields"][3]["value"], 1000);
    let err = encode::encode(
        "open_channel",
        &[("nope".into(), "1".into())],
        Network::Signet,
    )
    .unwrap_err();
    assert!(err.contains("funding_satoshis"), "{err}");
}

#[test]
fn feature_words() {
    assert_eq!(
        features::describe(&[0x01, 0x01, 0x01]),
        [
            "option_data_loss_protect (required)",
            "var_onion_optin (required)",
            "basic_mpp (required)"
        ]
    );
    assert_eq!(
        features::describe(&[0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ["unknown bit 101 (optional)"]
    );
}

/// The text of one message given as hex, which must decode cleanly.
fn text_of(hex: &str) -> String {
    let d = wire::decode_hex(hex, DecodeOptions { ldk_check: false });
    assert!(d.is_ok(), "{hex}: {:?}", d.errors);
    text_of_decoded(&d)
}

/// The text of one message, errors and all.
fn text_of_decoded(d: &wire::Decoded) -> String {
    render::text(
        d,
        &render::RenderOptions {
            full: false,
            width: None,
        },
    )
}

/// Regtest's genesis hash, as a chain_hash goes on the wire.
const REGTEST: &str = "06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f";

#[test]
fn notes_name_the_chains_of_init_networks() {
    // init, no features, a networks TLV (type 1) holding regtest and an unknown chain.
    let unknown = "11".repeat(32);
    let text = text_of(&format!("0010000000000140{REGTEST}{unknown}"));
    assert!(text.contains("regtest, unknown chain"), "{text}");
}

#[test]
fn notes_say_what_an_all_zero_channel_id_means_by_message() {
    let zeros = "00".repeat(32);
    let error = text_of(&format!("0011{zeros}0000"));
    assert!(
        error.contains("all zero: refers to all channels"),
        "{error}"
    );
    let warning = text_of(&format!("0001{zeros}0000"));
    assert!(
        warning.contains("all zero: about no particular channel"),
        "{warning}"
    );
    let elsewhere = text_of(&format!("0026{zeros}0000"));
    assert!(
        elsewhere.contains("all zero (a meaning only in error and warning)"),
        "{elsewhere}"
    );
    let some = text_of(&format!("0011{}0000", "01".repeat(32)));
    assert!(!some.contains("refers to all channels"), "{some}");
}

#[test]
fn notes_name_the_query_option_flags() {
    // query_channel_range on regtest from block 0, 16 blocks, query_option 3.
    let text = text_of(&format!(
        "0107{REGTEST}{}{}{}",
        "00000000", "00000010", "010103"
    ));
    // The value, not the field's meaning ("bit 0: want timestamps, ..."), names them.
    assert!(
        text.contains("0x03: want timestamps, want checksums"),
        "{text}"
    );
}

#[test]
fn an_invalid_point_is_said_to_be_one() {
    let mut bytes = example::example("open_channel", Network::Regtest).expect("example");
    // funding_pubkey: after type, chain_hash, temporary_channel_id, six u64s, a u32 and
    // two u16s.
    let at = 2 + 32 + 32 + 6 * 8 + 4 + 2 + 2;
    let valid = text_of(&hex::encode(&bytes));
    assert!(valid.contains("valid point"), "{valid}");
    assert!(!valid.contains("NOT a valid curve point"), "{valid}");
    bytes[at..at + 33].fill(0);
    let text = text_of_decoded(&wire::decode_bytes(
        &bytes,
        DecodeOptions { ldk_check: false },
    ));
    assert!(text.contains("NOT a valid curve point"), "{text}");
}

#[test]
fn a_transaction_field_is_summed_up_in_json() {
    let bytes = encode::encode("tx_add_input", &[], Network::Regtest).expect("encode");
    let d = wire::decode_bytes(&bytes, DecodeOptions::default());
    let json = render::json(&d);
    let prevtx = json["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["name"] == "prevtx"))
        .expect("prevtx");
    assert!(prevtx["value"]["txid"].is_string(), "{prevtx}");
    assert!(prevtx["value"]["inputs"].as_u64() >= Some(1), "{prevtx}");
}

#[test]
fn a_failure_code_is_named_with_its_flags() {
    // update_fail_malformed_htlc (type 135): channel_id, id, sha256_of_onion, 0xc005.
    let text = text_of(&format!(
        "0087{}{}{}c005",
        "11".repeat(32),
        "00".repeat(8),
        "22".repeat(32)
    ));
    assert!(text.contains("0xc005 "), "{text}");
    assert!(text.contains("(BADONION|PERM)"), "{text}");
}

#[test]
fn a_transaction_field_is_summed_up_in_text() {
    let bytes = encode::encode("tx_add_input", &[], Network::Regtest).expect("encode");
    let text = text_of(&hex::encode(bytes));
    assert!(text.contains("input(s)"), "{text}");
    assert!(text.contains("output(s) paying"), "{text}");
}

#[test]
fn a_block_height_is_said_to_be_one() {
    // query_channel_range on regtest from block 700000 (0x000aae60), 16 blocks.
    let text = text_of(&format!("0107{REGTEST}000aae6000000010"));
    assert!(text.contains("block 700000"), "{text}");
}

#[test]
fn an_invalid_signature_is_said_to_be_one() {
    let mut bytes = example::example("funding_created", Network::Regtest).expect("example");
    let valid = text_of(&hex::encode(&bytes));
    assert!(
        valid.contains("compact signature (not verified here)"),
        "{valid}"
    );
    // The signature is the last 64 bytes; r and s of all ones exceed the curve order.
    let n = bytes.len();
    bytes[n - 64..].fill(0xff);
    let text = text_of_decoded(&wire::decode_bytes(
        &bytes,
        DecodeOptions { ldk_check: false },
    ));
    assert!(text.contains("NOT a valid compact signature"), "{text}");
}
