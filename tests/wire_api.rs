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

/// The line of a message's text that holds `needle` (a field's or record's row).
fn row_of<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?} in\n{text}"))
}

/// A message field of a decoded message's JSON, by name.
fn json_field<'a>(json: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    json["fields"]
        .as_array()
        .and_then(|fields| fields.iter().find(|f| f["name"] == name))
        .unwrap_or_else(|| panic!("no field {name} in {json}"))
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
    let prevtx = json_field(&json, "prevtx");
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
    let text = encoded_text("tx_add_input", &[]);
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

/// `name` as `encode` makes it on regtest with `pairs` assigned (none: every default),
/// and its decode without LDK's check.
fn encoded(name: &str, pairs: &[(&str, &str)]) -> (Vec<u8>, wire::Decoded) {
    let assignments: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let bytes = encode::encode(name, &assignments, Network::Regtest).expect("encode");
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    (bytes, d)
}

/// The text of [`encoded`]'s message, which must decode cleanly.
fn encoded_text(name: &str, pairs: &[(&str, &str)]) -> String {
    let (bytes, _) = encoded(name, pairs);
    text_of(&hex::encode(bytes))
}

/// The text of `name`'s example on regtest.
fn example_text(name: &str) -> String {
    let bytes = example::example(name, Network::Regtest).expect("example");
    text_of(&hex::encode(bytes))
}

#[test]
fn an_onion_is_opened_in_its_text() {
    let text = example_text("update_add_htlc");
    assert!(text.contains("version 0, ephemeral key 0263"), "{text}");
    assert!(
        text.contains("(valid), 1300 bytes of hop data, hmac"),
        "{text}"
    );
}

#[test]
fn a_witness_is_counted_in_items_and_sizes() {
    // The example's one witness: a signature and a public key (P2WPKH).
    let text = example_text("tx_signatures");
    assert!(text.contains("2 items: 71 B, 33 B"), "{text}");
}

#[test]
fn an_errors_default_data_is_text_that_names_the_message() {
    let text = encoded_text("error", &[]);
    assert!(text.contains("\"lnshell example error\""), "{text}");
}

#[test]
fn a_summary_counts_the_errors_after_the_first() {
    let mut bytes = example::example("open_channel", Network::Regtest).expect("example");
    // funding_pubkey (offset 122) and revocation_basepoint (155): 02 then zeros, no points.
    for at in [122, 155] {
        bytes[at + 1..at + 33].fill(0);
    }
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert_eq!(d.errors.len(), 2, "{:?}", d.errors);
    let summary = d.summary();
    assert!(
        summary
            .starts_with("open_channel (type 32, 327 bytes): error: funding_pubkey at offset 122"),
        "{summary}"
    );
    assert!(summary.ends_with(" (+1 more)"), "{summary}");
}

#[test]
fn an_array_of_the_wrong_length_names_its_elements_type() {
    // init with a networks record of 31 bytes: not a whole chain_hash.
    let d = wire::decode_hex(
        &format!("00100000000001 1f {}", "00".repeat(31)),
        DecodeOptions { ldk_check: false },
    );
    assert_eq!(d.errors.len(), 1, "{:?}", d.errors);
    assert!(
        d.errors[0].ends_with(
            "init_tlvs.networks.chains at offset 8: 31 bytes is not a whole number of 32-byte chain_hash elements"
        ),
        "{}",
        d.errors[0]
    );
}

#[test]
fn a_channel_announcements_default_node_ids_are_in_bolt_7s_order() {
    for network in [
        Network::Bitcoin,
        Network::Testnet,
        Network::Signet,
        Network::Regtest,
    ] {
        let bytes = encode::encode("channel_announcement", &[], network).expect("encode");
        let d = wire::decode_bytes(&bytes, DecodeOptions::default());
        let id = |n: &str| {
            let f = d.field(n).expect("a node id");
            d.field_bytes(f).to_vec()
        };
        assert!(id("node_id_1") < id("node_id_2"), "{network:?}");
    }
}

#[test]
fn a_transaction_that_does_not_parse_is_an_error() {
    let mut bytes = example::example("tx_add_input", Network::Regtest).expect("example");
    // prevtx: 82 bytes at offset 44.
    bytes[44..126].fill(0xff);
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert_eq!(d.errors.len(), 1, "{:?}", d.errors);
    assert!(
        d.errors[0].starts_with("prevtx at offset 44: not a valid Bitcoin transaction"),
        "{}",
        d.errors[0]
    );
}

#[test]
fn a_malformed_htlcs_failure_code_needs_the_badonion_bit() {
    let with_code = |code: &str| {
        let assignments = [("failure_code".to_string(), code.to_string())];
        let bytes = encode::encode("update_fail_malformed_htlc", &assignments, Network::Regtest)
            .expect("encode");
        wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false })
    };
    assert!(with_code("0xc005").is_ok());
    let d = with_code("0x4001");
    assert_eq!(d.errors.len(), 1, "{:?}", d.errors);
    assert!(
        d.errors[0].contains("failure code 0x4001 lacks the BADONION bit 0x8000"),
        "{}",
        d.errors[0]
    );
}

#[test]
fn channel_update_checksums_are_shown_in_pairs() {
    // reply_channel_range: one short_channel_id (1x1x0), and a checksums_tlv for it.
    let text = text_of(&format!(
        "0108{REGTEST}00000000 00000010 01 0009 00 0000010000010000 03 08 aabbccdd11223344"
    ));
    assert!(text.contains("aabbccdd/11223344"), "{text}");
}

#[test]
fn an_unknown_records_value_is_left_blank() {
    // init with an unknown odd record 5 of one byte: no fields, so nothing is "present".
    let text = text_of("0010 0000 0000 050100");
    let row = row_of(&text, "5 unknown (odd: ignored)");
    assert_eq!(row.trim_end(), row, "{row:?}");
    assert!(row.ends_with("  00"), "{row:?}");
}

#[test]
fn confirmations_and_message_flags_are_said_in_words() {
    let text = example_text("accept_channel");
    assert!(text.contains("3 confirmations"), "{text}");
    let text = example_text("channel_update");
    assert!(text.contains("0x01: must_be_one"), "{text}");
}

#[test]
fn a_channel_update_without_must_be_one_is_noted() {
    let bytes = encode::encode(
        "channel_update",
        &[("message_flags".to_string(), "0".to_string())],
        Network::Regtest,
    )
    .expect("encode");
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert!(d.is_ok(), "{:?}", d.errors);
    assert_eq!(d.notes.len(), 1, "{:?}", d.notes);
    assert!(
        d.notes[0].starts_with("message_flags: must_be_one is 0 (senders MUST set it"),
        "{}",
        d.notes[0]
    );
}

#[test]
fn an_onion_with_a_bad_ephemeral_key_is_noted() {
    let mut bytes = example::example("update_add_htlc", Network::Regtest).expect("example");
    // The onion starts at offset 86: its version byte, then the key, 02 and zeros.
    bytes[88..120].fill(0);
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert!(
        d.notes.iter().any(|n| {
            n.contains(
            "the onion's ephemeral key is not a valid point (the HTLC fails with invalid_onion_key)"
        )
        }),
        "{:?}",
        d.notes
    );
}

#[test]
fn query_flags_are_a_list_of_numbers_in_json() {
    // query_short_channel_ids for 1x1x0, with query_flags 1 and 2 (uncompressed).
    let d = wire::decode_hex(
        &format!("0105{REGTEST} 0009 00 0000010000010000 01 03 00 0102"),
        DecodeOptions { ldk_check: false },
    );
    assert!(d.is_ok(), "{:?}", d.errors);
    let json = render::json(&d);
    assert_eq!(json["tlvs"][0]["name"], "query_flags");
    assert_eq!(
        json["tlvs"][0]["fields"][1]["value"],
        serde_json::json!([1, 2])
    );
    // The record's value holds both fields by name: the encoding type a number.
    assert_eq!(
        json["tlvs"][0]["value"],
        serde_json::json!({"encoding_type": 0, "encoded_query_flags": [1, 2]})
    );
}

#[test]
fn a_zero_signed_amount_has_no_sign_in_json() {
    // tx_ack_rbf with funding_output_contribution (s64) 0.
    let d = wire::decode_hex(
        &format!("0049{} 00 08 0000000000000000", "00".repeat(32)),
        DecodeOptions { ldk_check: false },
    );
    assert!(d.is_ok(), "{:?}", d.errors);
    let mut buf = Vec::new();
    render::json_into(&d, &mut buf);
    let line = String::from_utf8(buf).expect("utf-8");
    let field = line
        .split("\"name\":\"satoshis\"")
        .nth(1)
        .expect("the field");
    let value = field.split("\"value\":").nth(1).expect("its value");
    assert!(value.starts_with("0}"), "{line}");
}

#[test]
fn a_node_announcements_default_alias_is_lnshell() {
    let text = encoded_text("node_announcement", &[]);
    let row = row_of(&text, " alias ");
    assert!(
        row.contains("6c6e7368656c…0000 (32 bytes)  \"lnshell\""),
        "{row}"
    );
}

/// A reply_channel_range on regtest for one short_channel_id (1x1x0), `sync_complete`
/// and the TLV records as given.
fn reply_channel_range(sync_complete: u8, tlvs: &str) -> wire::Decoded {
    let d = wire::decode_hex(
        &format!(
            "0108{REGTEST}00000000 00000010 {sync_complete:02x} 0009 00 0000010000010000 {tlvs}"
        ),
        DecodeOptions { ldk_check: false },
    );
    assert!(d.is_ok(), "{:?}", d.errors);
    d
}

#[test]
fn a_reply_channel_ranges_values_in_text_and_json() {
    let d = reply_channel_range(0, "01 09 00 5f5e1000 5f5e1001");
    let text = text_of_decoded(&d);
    assert!(text.contains("0 (false)"), "{text}");
    assert!(text.contains("1600000000/1600000001"), "{text}");
    assert!(text.contains(" 0 (uncompressed) "), "{text}");
    assert!(
        text.contains("uncompressed, 1 short_channel_id(s): 1x1x0"),
        "{text}"
    );
    let json = render::json(&d);
    assert_eq!(json["tlvs"][0]["name"], "timestamps_tlv");
    assert_eq!(
        json["tlvs"][0]["fields"][1]["value"],
        serde_json::json!([1_600_000_000u32, 1_600_000_001u32])
    );
    // The record's own hex is its value's bytes.
    assert_eq!(json["tlvs"][0]["hex"], "005f5e10005f5e1001");
    let text = text_of_decoded(&reply_channel_range(1, ""));
    assert!(text.contains("1 (true)"), "{text}");
    assert!(text.contains("16 blocks"), "{text}");
}

#[test]
fn yes_and_no_are_numbers_in_an_assignment() {
    for (word, value) in [
        ("true", 1),
        ("yes", 1),
        ("on", 1),
        ("false", 0),
        ("no", 0),
        ("off", 0),
    ] {
        let (_, d) = encoded("reply_channel_range", &[("sync_complete", word)]);
        let f = d.field("sync_complete").expect("sync_complete");
        assert_eq!(f.value, wire::Value::Uint(value), "{word}");
    }
}

#[test]
fn an_unknown_required_feature_is_noted() {
    // init with features of 13 bytes: bit 100 alone (even, so required; unassigned).
    let d = wire::decode_hex(
        &format!("0010 0000 000d 10{}", "00".repeat(12)),
        DecodeOptions { ldk_check: false },
    );
    assert!(d.is_ok(), "{:?}", d.errors);
    assert_eq!(
        d.notes,
        ["features: unknown required (even) feature bit(s) [100]: a peer that does not know them must not proceed"]
    );
}

#[test]
fn a_transaction_inputs_sequence_says_what_it_signals() {
    let text = example_text("tx_add_input");
    assert!(text.contains("0xfffffffd (signals RBF)"), "{text}");
}

#[test]
fn init_networks_are_a_list_in_json_even_of_one() {
    const BITCOIN: &str = "6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000";
    for (chains, want) in [
        (REGTEST.to_string(), serde_json::json!(["regtest"])),
        (
            format!("{REGTEST}{BITCOIN}"),
            serde_json::json!(["regtest", "bitcoin"]),
        ),
    ] {
        let d = wire::decode_hex(
            &format!("0010 0000 0000 01 {:02x} {chains}", chains.len() / 2),
            DecodeOptions { ldk_check: false },
        );
        assert!(d.is_ok(), "{:?}", d.errors);
        let json = render::json(&d);
        assert_eq!(json["tlvs"][0]["fields"][0]["value"], want);
    }
    // A lone chain_hash field stays one name.
    let json = render::json(&wire::decode_hex(
        &format!("0107{REGTEST}000aae6000000010"),
        DecodeOptions { ldk_check: false },
    ));
    assert_eq!(json["fields"][0]["value"], "regtest");
}

#[test]
fn a_message_may_have_65535_bytes_and_no_more() {
    // ping: type, num_pong_bytes, byteslen, then byteslen bytes: 6 + 65529 = 65535.
    let mut bytes = vec![0x00, 0x12, 0x00, 0x00, 0xff, 0xf9];
    bytes.resize(0xffff, 0);
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert!(d.is_ok(), "{:?}", d.errors);
    bytes.push(0);
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert!(
        d.errors.iter().any(
            |e| e.starts_with("message is 65536 bytes, more than the 65535 a message can have")
        ),
        "{:?}",
        d.errors
    );
}

#[test]
fn bytes_after_a_gossip_messages_last_field_are_counted() {
    let mut bytes = example::example("channel_update", Network::Regtest).expect("example");
    let n = bytes.len();
    bytes.extend([0xab, 0xcd, 0xef]);
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert!(d.is_ok(), "{:?}", d.errors);
    let excess = d.fields.last().expect("fields");
    assert_eq!(
        (excess.name.as_ref(), excess.offset, excess.length),
        ("excess_data", n, 3)
    );
    assert_eq!(
        d.notes,
        ["3 bytes after the last field: BOLT 7 signs them as future fields; readers keep them"]
    );
}

#[test]
fn a_serial_id_says_which_side_added_it() {
    let text = example_text("tx_add_input");
    assert!(text.contains("0 (even: added by the initiator)"), "{text}");
    let text = encoded_text("tx_add_input", &[("serial_id", "7")]);
    assert!(text.contains("7 (odd: added by the accepter)"), "{text}");
}

#[test]
fn short_channel_ids_are_assigned_as_a_list() {
    // A trailing comma is no empty id.
    let text = encoded_text(
        "query_short_channel_ids",
        &[("encoded_short_ids", "1x1x0,2x1x0,")],
    );
    assert!(
        text.contains("uncompressed, 2 short_channel_id(s): 1x1x0, 2x1x0"),
        "{text}"
    );
}

#[test]
fn an_unknown_messages_payload_is_all_after_the_type() {
    let d = wire::decode_hex("8001 010203", DecodeOptions { ldk_check: false });
    assert_eq!(d.name, "custom");
    let payload = d.field("payload").expect("payload");
    assert_eq!((payload.offset, payload.length), (2, 3));
}

#[test]
fn text_with_control_characters_is_itself_in_json() {
    // error data "a", newline, "b", tab, "c": printable text.
    let mut bytes = vec![0x00, 0x11];
    bytes.extend([0u8; 32]);
    bytes.extend([0x00, 0x05]);
    bytes.extend(b"a\nb\tc");
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert!(d.is_ok(), "{:?}", d.errors);
    let json = render::json(&d);
    assert_eq!(json["fields"][2]["name"], "data");
    // The value is the text; the display shows its escapes, as the table does.
    assert_eq!(json["fields"][2]["value"], "a\nb\tc");
    assert_eq!(json["fields"][2]["display"], r#""a\nb\tc""#);
}

#[test]
fn a_default_pong_answers_the_default_ping() {
    let field = |name: &str, field: &str| {
        let bytes = encode::encode(name, &[], Network::Regtest).expect("encode");
        let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
        let f = d.field(field).expect("the field");
        f.value
    };
    // A ping asks for 4 bytes and pads with none; its pong carries the 4.
    assert_eq!(field("ping", "num_pong_bytes"), wire::Value::Uint(4));
    assert_eq!(field("ping", "byteslen"), wire::Value::Uint(0));
    assert_eq!(field("pong", "byteslen"), wire::Value::Uint(4));
}

#[test]
fn a_brief_line_names_features_for_init_only() {
    let brief = |name: &str| {
        let bytes = example::example(name, Network::Regtest).expect("example");
        render::brief(&wire::decode_bytes(
            &bytes,
            DecodeOptions { ldk_check: false },
        ))
    };
    assert!(brief("init").contains("features: "), "{}", brief("init"));
    let node = brief("node_announcement");
    assert!(!node.contains("features: "), "{node}");
}

#[test]
fn an_empty_prevtx_is_a_shared_input() {
    // tx_add_input with prevtx_len 0 (splicing's shared input).
    let mut bytes = example::example("tx_add_input", Network::Regtest).expect("example");
    bytes.splice(42..126, [0, 0]);
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert!(d.is_ok(), "{:?}", d.errors);
    let text = text_of_decoded(&d);
    assert!(text.contains("none (shared input)"), "{text}");
    let json = render::json(&d);
    let prevtx = json_field(&json, "prevtx");
    assert_eq!(prevtx["value"], "");
}

#[test]
fn an_alias_is_its_text_in_json() {
    let bytes = example::example("node_announcement", Network::Regtest).expect("example");
    let json = render::json(&wire::decode_bytes(
        &bytes,
        DecodeOptions { ldk_check: false },
    ));
    let alias = json_field(&json, "alias");
    assert_eq!(alias["value"], "lnshell");
}

#[test]
fn attribution_data_shows_hold_times_and_hmacs() {
    // update_fail_htlc with an empty reason and attribution_data (TLV 1, 920 bytes).
    let hex = format!(
        "0083{}{}0000 01fd0398 {}{}",
        "00".repeat(32),
        "00".repeat(8),
        "00000001".repeat(20),
        "ab".repeat(840)
    );
    let d = wire::decode_hex(&hex, DecodeOptions { ldk_check: false });
    assert!(d.is_ok(), "{:?}", d.errors);
    let text = text_of_decoded(&d);
    assert!(text.contains("210 truncated HMACs"), "{text}");
    let json = render::json(&d);
    assert_eq!(json["tlvs"][0]["fields"][0]["name"], "htlc_hold_times");
    assert_eq!(
        json["tlvs"][0]["fields"][0]["value"],
        serde_json::json!(vec![1; 20])
    );
}

#[test]
fn a_query_option_record_asked_for_by_name_wants_timestamps() {
    let (_, d) = encoded("query_channel_range", &[("query_option", "yes")]);
    assert_eq!(d.tlvs.len(), 1);
    assert_eq!(d.tlvs[0].fields[0].value, wire::Value::Uint(1));
}

#[test]
fn a_pings_padding_is_said_to_be_ignored() {
    let text = text_of("0012 0004 0002 0000");
    assert!(text.contains("2 bytes, ignored"), "{text}");
}

#[test]
fn signatures_counted_by_a_field_stop_at_the_count() {
    // One HTLC signature, then an unknown odd record of 70 bytes: more than another
    // signature's 64, which must still be read as the record it is.
    let assignments = [
        ("num_htlcs".to_string(), "1".to_string()),
        ("tlv.101".to_string(), "cd".repeat(70)),
    ];
    let bytes =
        encode::encode("commitment_signed", &assignments, Network::Regtest).expect("encode");
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert!(d.is_ok(), "{:?}", d.errors);
    let signatures = d
        .fields
        .iter()
        .filter(|f| f.name.starts_with("htlc_signature"))
        .count();
    assert_eq!(signatures, 1);
    assert_eq!(d.tlvs.len(), 1);
    assert_eq!((d.tlvs[0].tlv_type, d.tlvs[0].length), (101, 70));
}

#[test]
fn a_known_record_without_fields_is_present() {
    // tx_init_rbf with require_confirmed_inputs (TLV 2, empty).
    let text = text_of(&format!("0048{}00000000 000003e8 0200", "00".repeat(32)));
    let row = row_of(&text, "2 require_confirmed_inputs");
    assert!(row.contains("present"), "{row}");
}

#[test]
fn a_node_announcements_default_colour_is_3399ff() {
    let text = encoded_text("node_announcement", &[]);
    assert!(text.contains(" #3399ff "), "{text}");
}

#[test]
fn ldks_note_on_an_unknown_type_stays_beside_the_decoders_errors() {
    // An unknown odd type, one byte over the largest message: an error of ours, and
    // LDK's note that it would ignore the type; the note is not replaced.
    let mut bytes = vec![0x80, 0x01];
    bytes.resize(0x10000, 0);
    let d = wire::decode_bytes(&bytes, DecodeOptions::default());
    assert!(!d.is_ok());
    let note = d
        .ldk
        .as_ref()
        .and_then(|l| l.note.clone())
        .unwrap_or_default();
    assert!(
        note.starts_with("LDK has no decoder for type 32769; it is odd"),
        "{note:?}"
    );
}

#[test]
fn a_lone_u32_takes_one_number_not_a_list() {
    let assignments = [("feerate_per_kw".to_string(), "253,254".to_string())];
    let e = encode::encode("open_channel", &assignments, Network::Regtest).unwrap_err();
    assert!(e.contains("is not a number"), "{e}");
}

#[test]
fn a_lone_chain_hash_takes_one_chain_not_a_list() {
    for v in ["regtest,regtest", "regtest,", ""] {
        let assignments = [("chain_hash".to_string(), v.to_string())];
        let e = encode::encode("open_channel", &assignments, Network::Regtest).unwrap_err();
        assert!(e.starts_with("chain_hash: expected "), "{v:?}: {e}");
    }
}

#[test]
fn a_channel_open_without_channel_type_is_told_by_its_stream() {
    // open_channel whose stream has upfront_shutdown_script (0000) and no channel_type:
    // the sender broke the rule (it is not "no TLV stream").
    let (bytes, d) = encoded("open_channel", &[]);
    let t1 = d.tlv(1).expect("channel_type by default").offset;
    let d = wire::decode_bytes(&bytes[..t1], DecodeOptions { ldk_check: false });
    assert_eq!(d.tlvs.len(), 1);
    let notes = d.notes.join("\n");
    assert!(
        notes.contains("open_channel_tlvs has no channel_type (type 1): "),
        "{notes}"
    );
    // accept_channel with no stream at all: its sender broke the rule too.
    let bytes = encode::encode(
        "accept_channel",
        &[
            ("upfront_shutdown_script".to_string(), "none".to_string()),
            ("channel_type".to_string(), "none".to_string()),
        ],
        Network::Regtest,
    )
    .expect("encode");
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert!(d.tlvs.is_empty());
    let notes = d.notes.join("\n");
    assert!(
        notes.contains("accept_channel_tlvs has no channel_type (type 1): "),
        "{notes}"
    );
}

#[test]
fn the_default_node_announces_itself_with_the_key_of_its_channels() {
    let field = |msg: &str, name: &str| {
        let (_, d) = encoded(msg, &[]);
        let f = d.field(name).expect("the field");
        hex::encode(d.field_bytes(f))
    };
    let node_id = field("node_announcement", "node_id");
    assert_eq!(node_id.len(), 66);
    assert_eq!(node_id, field("channel_announcement", "node_id_1"));
}

#[test]
fn an_opens_default_upfront_shutdown_script_is_empty() {
    let (_, d) = encoded("open_channel", &[]);
    let t0 = d.tlv(0).expect("upfront_shutdown_script by default");
    assert_eq!(t0.length, 0, "empty: no script (`0000`)");
}

#[test]
fn hold_times_of_256_and_more_are_assigned_back_as_they_were() {
    let times: Vec<String> = (0..20).map(|i| (256 * i + 1).to_string()).collect();
    let assignments = [(
        "attribution_data.htlc_hold_times".to_string(),
        times.join(","),
    )];
    let bytes =
        encode::encode("update_fulfill_htlc", &assignments, Network::Regtest).expect("encode");
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    let back = encode::assignments_from(&d).expect("assignments");
    let (_, v) = back
        .iter()
        .find(|(k, _)| k == "attribution_data.htlc_hold_times")
        .unwrap_or_else(|| panic!("no hold times in {back:?}"));
    assert_eq!(*v, times.join(","));
}

#[test]
fn a_tor_v2_address_cannot_be_assigned_back() {
    // node_announcement with one address: type 3 (Tor v2), 10 bytes and a port.
    let (mut bytes, d) = encoded("node_announcement", &[]);
    let addrlen = d.field("addrlen").expect("addrlen");
    let (at, end) = (
        addrlen.offset,
        addrlen.offset + 2 + d.field("addresses").expect("addresses").length,
    );
    let mut tor = vec![0, 13, 3];
    tor.extend([0xab; 10]);
    tor.extend(9735u16.to_be_bytes());
    bytes.splice(at..end, tor);
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert!(d.field("addresses").is_some());
    let e = encode::assignments_from(&d).unwrap_err();
    assert!(e.contains("(Tor v2, deprecated) cannot be assigned"), "{e}");
}

#[test]
fn a_channel_id_takes_32_bytes() {
    for v in ["abcd", &"00".repeat(33)] {
        let assignments = [("channel_id".to_string(), v.to_string())];
        let e = encode::encode("error", &assignments, Network::Regtest).unwrap_err();
        assert!(e.starts_with("channel_id: expected 32 bytes"), "{e}");
    }
}

#[test]
fn inits_remote_address_is_its_text_in_json() {
    // init with remote_addr (TLV 3): IPv4 127.0.0.1, port 9735.
    let d = wire::decode_hex(
        "0010 0000 0000 03 07 01 7f000001 2607",
        DecodeOptions { ldk_check: false },
    );
    assert!(d.is_ok(), "{:?}", d.errors);
    let json = render::json(&d);
    assert_eq!(json["tlvs"][0]["fields"][0]["value"], "127.0.0.1:9735");
}

#[test]
fn a_payment_hash_is_shown_as_it_is_not_as_a_txid() {
    let text = encoded_text(
        "update_add_htlc",
        &[("payment_hash", &"0123456789abcdef".repeat(4))],
    );
    let row = row_of(&text, "payment_hash");
    assert!(
        row.contains("0123456789ab…cdef (32 bytes)") && !row.contains("txid"),
        "{row}"
    );
}

#[test]
fn a_preimage_says_its_payment_hash() {
    let text = example_text("update_fulfill_htlc");
    assert!(text.contains("its SHA256 (the payment_hash) is "), "{text}");
}

#[test]
fn an_onions_hmac_is_its_last_32_bytes_in_json() {
    let bytes = example::example("update_add_htlc", Network::Regtest).expect("example");
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    let onion = d.field("onion_routing_packet").expect("onion");
    let raw = &bytes[onion.offset..onion.offset + onion.length];
    let json = render::json(&d);
    let v = &json_field(&json, "onion_routing_packet")["value"];
    assert_eq!(v["hmac"], hex::encode(&raw[raw.len() - 32..]), "{v}");
    assert_eq!(v["public_key"], hex::encode(&raw[1..34]), "{v}");
    assert_eq!(v["hop_data_length"], 1300);
}

#[test]
fn witnesses_are_a_list_of_hex_items_in_json() {
    let bytes = example::example("tx_signatures", Network::Regtest).expect("example");
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    let json = render::json(&d);
    let v = &json_field(&json, "witnesses[0].witness_data")["value"];
    let items = v.as_array().unwrap_or_else(|| panic!("not a list: {v}"));
    // A signature (71 bytes) and a public key (33).
    let lengths: Vec<usize> = items
        .iter()
        .map(|i| i.as_str().map_or(0, |s| s.len() / 2))
        .collect();
    assert_eq!(lengths, [71, 33], "{v}");
}

#[test]
fn start_batchs_message_type_is_named() {
    let text = example_text("start_batch");
    let row = row_of(&text, "message_type");
    assert!(row.contains("(commitment_signed"), "{row}");
}

#[test]
fn a_peer_storage_blob_is_not_empty_by_default() {
    let (_, d) = encoded("peer_storage", &[]);
    assert_eq!(d.field("blob").expect("blob").length, 32);
}

#[test]
fn a_message_without_a_stream_takes_odd_records_after_its_fields() {
    let assignments = [("tlv.5".to_string(), "abcd".to_string())];
    let bytes = encode::encode("ping", &assignments, Network::Regtest).expect("encode");
    assert!(
        hex::encode(&bytes).ends_with("0502abcd"),
        "{}",
        hex::encode(&bytes)
    );
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert_eq!(d.tlvs.len(), 1);
    assert_eq!(d.tlvs[0].tlv_type, 5);
}

#[test]
fn a_lock_time_is_said_to_be_none_a_height_or_a_time() {
    for (locktime, said) in [
        ("0", "0 (no lock time)"),
        ("800000", "block height 800000"),
        ("1700000000", "1700000000 = 2023-11-14"),
    ] {
        let text = encoded_text("closing_complete", &[("locktime", locktime)]);
        assert!(row_of(&text, "locktime").contains(said), "{text}");
    }
}

#[test]
fn zlib_encoded_timestamps_are_said_to_be_no_longer_allowed() {
    let d = wire::decode_hex(
        &format!(
            "0108{REGTEST}00000000 00000010 00 0009 00 0000010000010000 01 09 01 5f5e1000 5f5e1001"
        ),
        DecodeOptions { ldk_check: false },
    );
    let text = text_of_decoded(&d);
    assert!(text.contains(" 1 (zlib: no longer allowed) "), "{text}");
}

#[test]
fn an_open_without_upfront_shutdown_script_is_open_channels_own_rule() {
    let (bytes, d) = encoded("open_channel", &[]);
    let (t0, t1) = (
        d.tlv(0).expect("type 0").offset,
        d.tlv(1).expect("type 1").offset,
    );
    let mut cut = bytes.clone();
    cut.drain(t0..t1);
    let d = wire::decode_bytes(&cut, DecodeOptions { ldk_check: false });
    let notes = d.notes.join("\n");
    assert!(
        notes.contains("(open_channel: a sender that includes open_channel_tlvs MUST include"),
        "{notes}"
    );
}

#[test]
fn a_default_onion_message_packet_has_1300_bytes_of_hops() {
    let (_, d) = encoded("onion_message", &[]);
    assert_eq!(d.field("onion_message_packet").expect("onion").length, 1366);
}

#[test]
fn encode_makes_a_message_of_65535_bytes_and_no_more() {
    for (ignored, ok) in [(65529, true), (65530, false)] {
        let assignments = [("ignored".to_string(), "00".repeat(ignored))];
        match encode::encode("ping", &assignments, Network::Regtest) {
            Ok(bytes) => assert!(ok && bytes.len() == 65535, "{}", bytes.len()),
            Err(e) => assert!(!ok && e.contains("the maximum is 65535"), "{e}"),
        }
    }
}

#[test]
fn text_that_is_not_printable_says_how_long_it_is() {
    let text = text_of(&format!("0011 {} 0002 ff00", "00".repeat(32)));
    assert!(
        row_of(&text, "data").contains("(not printable text, 2 bytes)"),
        "{text}"
    );
}

#[test]
fn channel_update_checksums_are_numbers_in_json() {
    let d = reply_channel_range(0, "03 08 00000001 00000100");
    let json = render::json(&d);
    assert_eq!(
        json["tlvs"][0]["fields"][0]["value"],
        serde_json::json!([1, 256])
    );
}

#[test]
fn the_default_node_announcement_has_the_default_address() {
    let (_, d) = encoded("node_announcement", &[]);
    let json = render::json(&d);
    assert_eq!(
        json_field(&json, "addresses")["value"],
        serde_json::json!(["127.0.0.1:9735"])
    );
}

#[test]
fn a_one_field_records_field_is_not_listed_apart() {
    let e = encode::encode("init", &[("nope".into(), "1".into())], Network::Regtest).unwrap_err();
    assert!(
        e.contains("Settable: globalfeatures, features, networks, remote_addr. "),
        "{e}"
    );
}

#[test]
fn features_in_hex_are_bytes_and_a_number_is_a_bit() {
    let features = |v: &str| {
        let (_, d) = encoded("init", &[("features", v)]);
        hex::encode(d.field_bytes(d.field("features").expect("features")))
    };
    assert_eq!(features("2a"), "2a");
    assert_eq!(features("0x2a"), "2a");
    assert_eq!(features("9"), "0200");
    assert_eq!(features("none"), "");
    assert_eq!(features(""), "");
}

#[test]
fn a_records_status_is_named_in_json() {
    // A known record (networks), an unknown odd one (type 5).
    let d = wire::decode_hex(
        &format!("0010 0000 0000 01 20 {REGTEST} 05 01 00"),
        DecodeOptions { ldk_check: false },
    );
    let json = render::json(&d);
    assert_eq!(json["tlvs"][0]["status"], "known");
    assert_eq!(json["tlvs"][1]["status"], "unknown_odd");
    let d = wire::decode_hex(
        "0010 0000 0000 04 01 00",
        DecodeOptions { ldk_check: false },
    );
    assert_eq!(render::json(&d)["tlvs"][0]["status"], "unknown_even");
}

#[test]
fn a_final_sequence_and_one_without_rbf_are_said() {
    for (sequence, said) in [
        ("4294967295", "0xffffffff (final)"),
        ("4294967294", "0xfffffffe (no RBF)"),
    ] {
        let text = encoded_text("tx_add_input", &[("sequence", sequence)]);
        assert!(text.contains(said), "{text}");
    }
}

#[test]
fn an_alias_that_is_not_utf8_is_noted() {
    let (mut bytes, d) = encoded("node_announcement", &[]);
    let at = d.field("alias").expect("alias").offset;
    bytes[at] = 0xff;
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    let notes = d.notes.join("\n");
    assert!(
        notes.contains("alias: alias is not valid UTF-8 (BOLT 7: MUST be)"),
        "{notes}"
    );
}

#[test]
fn an_onion_of_66_bytes_is_not_too_short() {
    let (bytes, d) = encoded("onion_message", &[]);
    let onion = d.field("onion_message_packet").expect("onion");
    let len = d.field("len").expect("len");
    let packet = &bytes[onion.offset..onion.offset + onion.length];
    let mut short = bytes[..len.offset].to_vec();
    short.extend(66u16.to_be_bytes());
    short.extend(&packet[..34]);
    short.extend(&packet[packet.len() - 32..]);
    let d = wire::decode_bytes(&short, DecodeOptions { ldk_check: false });
    assert_eq!(d.field("onion_message_packet").expect("onion").length, 66);
    let notes = d.notes.join("\n");
    assert!(!notes.contains("too short for an onion"), "{notes}");
}

#[test]
fn a_timestamp_range_is_said_in_seconds_and_days() {
    let text = example_text("gossip_timestamp_filter");
    assert!(
        row_of(&text, "timestamp_range").contains("86400 s ≈ 1.0 days"),
        "{text}"
    );
}

#[test]
fn a_hash_has_no_display_but_its_hex_and_query_flags_are_listed() {
    let assignments = [("payment_hash".to_string(), "0123456789abcdef".repeat(4))];
    let bytes = encode::encode("update_add_htlc", &assignments, Network::Regtest).expect("encode");
    let json = render::json(&wire::decode_bytes(
        &bytes,
        DecodeOptions { ldk_check: false },
    ));
    assert_eq!(json_field(&json, "payment_hash")["display"], "");
    let text = text_of(&format!(
        "0105{REGTEST} 0009 00 0000010000010000 01 03 00 0102"
    ));
    assert!(
        row_of(&text, "encoded_query_flags").contains(" 1, 2 "),
        "{text}"
    );
}

#[test]
fn a_default_shutdown_pays_to_a_p2wpkh_script() {
    let (_, d) = encoded("shutdown", &[]);
    let script = d.field_bytes(d.field("scriptpubkey").expect("scriptpubkey"));
    assert_eq!((script.len(), &script[..2]), (22, &[0x00, 0x14][..]));
}

#[test]
fn hold_times_are_listed_in_text() {
    // update_fail_htlc with an empty reason and attribution_data: hold times 1 to 20.
    let times: String = (1..=20u32).map(|t| format!("{t:08x}")).collect();
    let hex = format!(
        "0083{}{}0000 01fd0398 {times}{}",
        "00".repeat(32),
        "00".repeat(8),
        "ab".repeat(840)
    );
    let text = text_of(&hex);
    let row = row_of(&text, "htlc_hold_times");
    assert!(row.contains("1, 2, 3, 4, 5, 6"), "{row}");
}

#[test]
fn assigned_fixed_arrays_and_transactions_are_checked() {
    let one = |msg: &str, k: &str, v: &str| {
        encode::encode(msg, &[(k.to_string(), v.to_string())], Network::Regtest)
    };
    let e = one("node_announcement", "rgb_color", "ff").unwrap_err();
    assert!(e.starts_with("rgb_color: expected 3 bytes"), "{e}");
    let e = one("tx_add_input", "prevtx", "0102").unwrap_err();
    assert!(e.starts_with("prevtx: not a valid transaction"), "{e}");
}

#[test]
fn a_length_error_counts_one_byte_as_one() {
    let e = encode::encode(
        "node_announcement",
        &[("rgb_color".into(), "ff".into())],
        Network::Regtest,
    )
    .unwrap_err();
    assert_eq!(e, "rgb_color: expected 3 bytes (6 hex digits), got 1 byte");
}
