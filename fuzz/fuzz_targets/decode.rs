//! Fuzz target `decode`: arbitrary bytes as a BOLT message, the way they reach lnshell from
//! a lightning peer (trace), from a netcat client or from the prompt.
//!
//! Each input goes through `wire::decode_bytes` with and without the LDK cross-check, then
//! every renderer (`render::text` short and full, `render::json`, the hand-written JSON of
//! `render::json_into`, `render::brief`, the summary line); when it is UTF-8 it also goes
//! through `wire::decode_hex` as text. Besides
//! "no panic", it checks a few cheap invariants that every renderer relies on, and the
//! decode -> encode round trip: when `encode::assignments_from` says the decoded message can
//! be expressed as `field=value` assignments, `encode` must rebuild exactly the same bytes.

#![no_main]

use bitcoin::Network;
use libfuzzer_sys::fuzz_target;
use lnshell::wire::{self, encode, render, DecodeOptions, Decoded};

fuzz_target!(|data: &[u8]| {
    let with_ldk = wire::decode_bytes(data, DecodeOptions { ldk_check: true });
    let without = wire::decode_bytes(data, DecodeOptions { ldk_check: false });
    exercise(&with_ldk);
    exercise(&without);

    // The LDK cross-check adds a verdict; it never changes our own decode.
    assert_eq!(with_ldk.name, without.name);
    assert_eq!(with_ldk.errors, without.errors);
    assert_eq!(with_ldk.fields.len(), without.fields.len());
    assert!(without.ldk.is_none());
    assert_eq!(with_ldk.ldk.is_some(), with_ldk.msg_type.is_some());
    assert_eq!(with_ldk.bytes, data);

    round_trip(&without);

    if let Ok(text) = std::str::from_utf8(data) {
        exercise(&wire::decode_hex(text, DecodeOptions { ldk_check: true }));
    }
});

/// Every renderer, plus the invariants they rely on.
fn exercise(d: &Decoded) {
    let _ = d.summary();
    let _ = d.is_ok();
    let _ = d.ldk_agrees();
    let _ = render::text(d, &render::RenderOptions { full: false });
    let _ = render::text(d, &render::RenderOptions { full: true });
    let _ = render::brief(d);
    let json = render::json(d);
    assert_eq!(json["ok"], d.is_ok());
    // `decode --file --json` writes JSON by hand; it must be byte for byte serde_json's text.
    let mut direct = Vec::new();
    render::json_into(d, &mut direct);
    let tree = json.to_string();
    assert!(
        direct == tree.as_bytes(),
        "json_into differs from json:\n  {}\n  {tree}",
        String::from_utf8_lossy(&direct)
    );

    assert_eq!(d.size, d.bytes.len());
    assert_eq!(d.msg_type.is_some(), d.bytes.len() >= 2);
    if d.msg_type.is_none() {
        assert!(!d.is_ok(), "no type but no error");
    }
    for f in &d.fields {
        assert!(
            f.offset + f.length <= d.bytes.len(),
            "field {} out of range",
            f.name
        );
    }
    for r in &d.tlvs {
        assert!(
            r.value_offset + r.length <= d.bytes.len(),
            "record {} out of range",
            r.tlv_type
        );
        for f in &r.fields {
            assert!(
                f.offset + f.length <= r.value_offset + r.length,
                "record field {} out of its record",
                f.name
            );
        }
    }
}

/// `assignments_from` promises that `encode` rebuilds the bytes, on any network.
fn round_trip(d: &Decoded) {
    let Ok(assignments) = encode::assignments_from(d) else {
        return;
    };
    for network in [Network::Bitcoin, Network::Regtest] {
        match encode::encode(&d.name, &assignments, network) {
            Ok(bytes) => assert!(
                bytes == d.bytes,
                "round trip of {} changed the bytes\n  in:  {}\n  out: {}\n  assignments: {assignments:?}",
                d.name,
                hex::encode(&d.bytes),
                hex::encode(&bytes)
            ),
            Err(e) => panic!(
                "encode refused the assignments of a decoded {}: {e}\n  in: {}\n  assignments: {assignments:?}",
                d.name,
                hex::encode(&d.bytes)
            ),
        }
    }
}
