//! Fuzz target `decode`: arbitrary bytes as a BOLT message, the way they reach lnshell from
//! a lightning peer (trace), from a netcat client or from the prompt.
//!
//! Each input goes through `wire::decode_bytes` with and without the LDK cross-check, then
//! every renderer (`render_all` of `tests/common/render.rs`, shared with
//! `tests/properties.rs`: `render::text` short and full, `render::json`, the hand-written
//! JSON of `render::json_into`, `render::brief`, the summary line); when it is UTF-8 it also goes
//! through `wire::decode_hex` as text. Besides
//! "no panic", it checks a few cheap invariants that every renderer relies on, and the
//! decode -> encode round trip: when `encode::assignments_from` says the decoded message can
//! be expressed as `field=value` assignments, `encode` must rebuild exactly the same bytes.

#![no_main]

use bitcoin::Network;
use libfuzzer_sys::fuzz_target;
use lnshell::wire::{self, encode, DecodeOptions, Decoded};

#[path = "../../tests/common/render.rs"]
mod render_kit;
use render_kit::render_all;

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

/// Every renderer (the tests' `render_all`), plus the invariants they rely on.
fn exercise(d: &Decoded) {
    render_all(d);

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
