//! Decoder benchmarks: hex -> `Decoded` for four common messages, with and without the LDK
//! cross-check, plus text and JSON rendering. Quick by design (`cargo bench --bench decode`).

use std::hint::black_box;
use std::time::Duration;

use bitcoin::Network;
use criterion::{criterion_group, criterion_main, Criterion};
use lnshell::wire::render::{self, RenderOptions};
use lnshell::wire::{decode_hex, example::example, DecodeOptions};

const MESSAGES: [&str; 4] = [
    "open_channel",
    "channel_update",
    "init",
    "node_announcement",
];

fn example_hex(name: &str) -> String {
    match example(name, Network::Bitcoin) {
        Ok(bytes) => hex::encode(bytes),
        Err(e) => panic!("example {name}: {e}"),
    }
}

fn decoding(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for name in MESSAGES {
        let hex = example_hex(name);
        for (label, ldk_check) in [("wire", false), ("wire+ldk", true)] {
            let opts = DecodeOptions { ldk_check };
            group.bench_function(format!("{name}/{label}"), |b| {
                b.iter(|| decode_hex(black_box(&hex), opts))
            });
        }
    }
    group.finish();
}

fn rendering(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    for name in ["open_channel", "channel_update"] {
        let decoded = decode_hex(&example_hex(name), DecodeOptions::default());
        group.bench_function(format!("{name}/text"), |b| {
            b.iter(|| render::text(black_box(&decoded), &RenderOptions::default()))
        });
        group.bench_function(format!("{name}/json"), |b| {
            b.iter(|| render::json(black_box(&decoded)))
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = decoding, rendering
}
criterion_main!(benches);
