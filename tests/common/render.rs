//! `render_all`: everything the shell does with a decode, in one call, for the tests and
//! fuzz targets that must show no input breaks any renderer (`tests/properties.rs`,
//! `fuzz/fuzz_targets/decode.rs`, which includes this file with `#[path]`). Written once
//! so a new renderer is exercised everywhere the day it is added.
#![allow(dead_code)]

use lnshell::wire::{render, Decoded};

/// Everything the shell does with a decode: summary, both text renderings, JSON (both
/// ways), trace line. Checks that the JSON's `ok` is the decode's, and that the JSON
/// `decode --file --json` writes directly is byte for byte serde_json's text.
pub fn render_all(d: &Decoded) {
    let _ = d.summary();
    let _ = d.is_ok();
    let _ = d.ldk_agrees();
    let _ = render::text(
        d,
        &render::RenderOptions {
            full: false,
            width: None,
        },
    );
    let _ = render::text(
        d,
        &render::RenderOptions {
            full: true,
            width: None,
        },
    );
    let _ = render::brief(d);
    let json = render::json(d);
    assert_eq!(json["ok"], d.is_ok());
    // `decode --file --json` writes the same JSON by hand, byte for byte.
    let mut direct = Vec::new();
    render::json_into(d, &mut direct);
    let tree = json.to_string();
    assert!(
        direct == tree.as_bytes(),
        "json_into differs from json:\n  {}\n  {tree}",
        String::from_utf8_lossy(&direct)
    );
}
