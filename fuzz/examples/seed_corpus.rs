//! Writes the seed corpora into fuzz/corpus/<target>/ from `wire::example` (all 50 messages).
//!
//! `cargo run --example seed_corpus` in fuzz/ (or `cargo run --manifest-path fuzz/Cargo.toml
//! --example seed_corpus` from the repository root). Seeds are rewritten on every run and never
//! committed (fuzz/.gitignore); libFuzzer adds what it finds next to them.

use std::fs;
use std::path::{Path, PathBuf};

use bitcoin::Network;
use lnshell::wire::{self, catalog, encode, example, DecodeOptions};

fn write(dir: &Path, name: &str, data: &[u8]) {
    fs::write(dir.join(name), data).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()));
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let decode = root.join("decode");
    let netcat = root.join("netcat_line");
    let encode_dir = root.join("encode");
    for dir in [&decode, &netcat, &encode_dir] {
        fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    let (mut decode_seeds, mut netcat_seeds, mut encode_seeds) = (0, 0, 0);
    for (index, name) in catalog::message_names().into_iter().enumerate() {
        for (net, tag) in [(Network::Bitcoin, "bitcoin"), (Network::Regtest, "regtest")] {
            let bytes = example::example(name, net).unwrap_or_else(|e| panic!("{name}: {e}"));
            let hex = hex::encode(&bytes);
            // decode: the raw message, and the same message as hex text (decode_hex path).
            write(&decode, &format!("seed-{name}-{tag}.bin"), &bytes);
            decode_seeds += 1;
            if net == Network::Regtest {
                write(&decode, &format!("seed-{name}-hex.txt"), hex.as_bytes());
                let colons = format!("0x{}", spaced_hex(&bytes, ':'));
                write(
                    &decode,
                    &format!("seed-{name}-colons.txt"),
                    colons.as_bytes(),
                );
                decode_seeds += 2;

                // encode: message index, network index, then the example's own assignments.
                let d = wire::decode_bytes(&bytes, DecodeOptions { ldk_check: false });
                let assignments = encode::assignments_from(&d)
                    .unwrap_or_else(|e| panic!("{name}: assignments_from: {e}"));
                let mut seed = vec![index as u8, 4];
                for (k, v) in assignments {
                    seed.extend(format!("{k}={v}\n").as_bytes());
                }
                write(&encode_dir, &format!("seed-{name}.txt"), &seed);
                write(
                    &encode_dir,
                    &format!("seed-{name}-defaults.txt"),
                    &[index as u8, 0],
                );
                encode_seeds += 2;
            }
            // netcat_line: header (buffer size, line limit, LDK stand-in), then the line as sent.
            let mut line = vec![0u8, 0, 0];
            line.extend(hex.as_bytes());
            line.extend(b"\r\n");
            write(&netcat, &format!("seed-{name}-{tag}.txt"), &line);
            netcat_seeds += 1;
        }
    }
    // A few whole sessions: several lines, blank lines, a small buffer, a small line limit.
    let ping = hex::encode(example::example("ping", Network::Regtest).expect("ping"));
    let init = hex::encode(example::example("init", Network::Regtest).expect("init"));
    let sessions: [(&str, Vec<u8>); 4] = [
        (
            "session-mixed",
            [
                &[0u8, 0, 0][..],
                format!("{ping}\n\n  {init}  \n0x00 12 00 04 00 02 00 00\nzz\n0012\n").as_bytes(),
            ]
            .concat(),
        ),
        (
            "session-small-buffer",
            [&[3u8, 0, 1][..], format!("{ping}\n{init}\n").as_bytes()].concat(),
        ),
        (
            "session-too-long",
            [&[0u8, 2, 2][..], format!("{ping}\n{init}\n").as_bytes()].concat(),
        ),
        (
            "session-binary",
            [
                &[0u8, 0, 0][..],
                b"\x00\x10\xff\n\x01\x02\n",
                ping.as_bytes(),
                b"\n",
            ]
            .concat(),
        ),
    ];
    for (name, data) in sessions {
        write(&netcat, &format!("seed-{name}.txt"), &data);
        netcat_seeds += 1;
    }
    println!(
        "wrote {decode_seeds} decode, {netcat_seeds} netcat_line and {encode_seeds} encode seeds under {}",
        root.display()
    );
}

/// `00:12:00:04`.
fn spaced_hex(bytes: &[u8], sep: char) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(&sep.to_string())
}
