//! Fuzz target `encode`: arbitrary `field=value` assignments, as typed at the prompt
//! (`encode <message> field=value ...`).
//!
//! Input layout: byte 0 picks the message (index into `catalog::message_names()`, modulo 50),
//! byte 1 the network; the rest, as lossy UTF-8, is one `name=value` per line (a line without
//! `=` is a name with an empty value). Seeds are every example's own assignments
//! (`encode::assignments_from`), so mutations start from names `encode` knows.
//!
//! Checks besides "no panic" (and no abort: an allocation sized by a typed number is one):
//! what `encode` builds is at most 65535 bytes and decodes as the message asked for; when it
//! decodes cleanly and `assignments_from` accepts it, `encode` rebuilds the same bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lnshell::wire::{self, catalog, encode, DecodeOptions};

#[path = "../../tests/common/rng.rs"]
mod rng;
use rng::NETWORKS;

fuzz_target!(|data: &[u8]| {
    let (header, rest) = data.split_at(data.len().min(2));
    let names = catalog::message_names();
    let name = names[usize::from(header.first().copied().unwrap_or(0)) % names.len()];
    let network = NETWORKS[usize::from(header.get(1).copied().unwrap_or(0)) % NETWORKS.len()];
    let text = String::from_utf8_lossy(rest);
    let assignments: Vec<(String, String)> = text
        .lines()
        .map(|line| match line.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (line.to_string(), String::new()),
        })
        .collect();

    let Ok(bytes) = encode::encode(name, &assignments, network) else {
        return;
    };
    assert!(bytes.len() <= 65535, "{name}: {} bytes", bytes.len());
    let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
    assert_eq!(d.name, name);
    if !d.is_ok() {
        return;
    }
    if let Ok(again) = encode::assignments_from(&d) {
        let other = NETWORKS[(NETWORKS.iter().position(|n| *n == network).unwrap_or(0) + 1) % 5];
        match encode::encode(name, &again, other) {
            Ok(rebuilt) => assert!(
                rebuilt == bytes,
                "{name}: round trip changed the bytes\n  {}\n  {}\n  {again:?}",
                hex::encode(&bytes),
                hex::encode(&rebuilt)
            ),
            Err(e) => {
                panic!("{name}: encode refused its own decode's assignments: {e}\n  {again:?}")
            }
        }
    }
});
