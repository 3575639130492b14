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
