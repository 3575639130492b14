//! Decoder benchmarks: hex -> `Decoded` for four common messages, with and without the LDK
//! cross-check, plus text and JSON rendering. Quick by design (`cargo bench --bench decode`).
//!
//! The `ldk_bare` group is the yardstick: LDK 0.2.7's own `read_from_fixed_length_buffer`
//! on the same payload (bytes already out of hex), which is what the cross-check adds.

use std::hint::black_box;
use std::time::Duration;

use bitcoin::Network;
use criterion::{criterion_group, criterion_main, Criterion};
use lightning::ln::msgs::{ChannelUpdate, Init, NodeAnnouncement, OpenChannel};
use lightning::util::ser::LengthReadable;
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

/// LDK's bare read of the payload (type stripped), and hex -> bytes alone, per message.
fn ldk_bare(c: &mut Criterion) {
    fn bench_read<T: LengthReadable>(
        group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
        name: &str,
    ) {
        let bytes = match hex::decode(example_hex(name)) {
            Ok(b) => b,
            Err(e) => panic!("example {name}: {e}"),
        };
        let payload = bytes[2..].to_vec();
        assert!(
            T::read_from_fixed_length_buffer(&mut &payload[..]).is_ok(),
            "LDK must read the {name} example"
        );
        group.bench_function(format!("{name}/read"), |b| {
            b.iter(|| T::read_from_fixed_length_buffer(&mut black_box(&payload[..])).is_ok())
        });
    }
    let mut group = c.benchmark_group("ldk_bare");
    bench_read::<OpenChannel>(&mut group, "open_channel");
    bench_read::<ChannelUpdate>(&mut group, "channel_update");
    bench_read::<Init>(&mut group, "init");
    bench_read::<NodeAnnouncement>(&mut group, "node_announcement");
    for name in MESSAGES {
        let hex = example_hex(name);
        group.bench_function(format!("{name}/hex_only"), |b| {
            b.iter(|| hex::decode(black_box(&hex)).map(|v| v.len()))
        });
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
        // The same table fitted to an 80-column terminal (the narrow layout).
        let at_80 = RenderOptions {
            width: Some(80),
            ..RenderOptions::default()
        };
        group.bench_function(format!("{name}/text_80"), |b| {
            b.iter(|| render::text(black_box(&decoded), &at_80))
        });
        group.bench_function(format!("{name}/json"), |b| {
            b.iter(|| render::json(black_box(&decoded)))
        });
        group.bench_function(format!("{name}/json_tree_to_vec"), |b| {
            b.iter(|| serde_json::to_vec(&render::json(black_box(&decoded))).map(|v| v.len()))
        });
        let mut buf = Vec::with_capacity(8192);
        group.bench_function(format!("{name}/json_into"), |b| {
            b.iter(|| {
                buf.clear();
                render::json_into(black_box(&decoded), &mut buf);
                buf.len()
            })
        });
    }
    group.finish();
}

/// One line of `decode --file F --json`, minus the file and stdout: hex in, LDK
/// cross-check on, JSON text out (the tree as `decode --file` printed it before, and
/// `json_into` into one reused buffer, as it prints it now).
fn file_line(c: &mut Criterion) {
    let mut group = c.benchmark_group("file_line");
    for name in ["open_channel", "channel_update"] {
        let hex = example_hex(name);
        let opts = DecodeOptions { ldk_check: true };
        let mut buf = Vec::with_capacity(8192);
        group.bench_function(format!("{name}/tree"), |b| {
            b.iter(|| {
                buf.clear();
                let d = decode_hex(black_box(&hex), opts);
                serde_json::to_writer(&mut buf, &render::json(&d)).map(|()| buf.len())
            })
        });
        group.bench_function(format!("{name}/json_into"), |b| {
            b.iter(|| {
                buf.clear();
                let d = decode_hex(black_box(&hex), opts);
                render::json_into(&d, &mut buf);
                buf.len()
            })
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
    targets = decoding, ldk_bare, rendering, file_line
}
criterion_main!(benches);
