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
    let more = new_targets(&root);
    println!("wrote {more} seeds for netcat_words, socks_reply, logline, saved_trace, diagram and netcat_peer");
}

/// Seeds for the targets of issue 17: each one's input layout is in its file's doc.
fn new_targets(root: &Path) -> usize {
    let mut n = 0;
    let mut put = |target: &str, name: &str, data: &[u8]| {
        let dir = root.join(target);
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        write(&dir, name, data);
        n += 1;
    };
    // netcat_words: the session's words, as its help shows them, and every message name.
    for (i, line) in [
        "help",
        "outbox",
        "open_channel funding_satoshis=200000 push_msat=1000",
        "open_channel funding_satoshis=100000 to_self_delay=144 feerate_per_kw=253",
        "make update_add_htlc amount_msat=10000",
        "make shutdown",
        "make",
        "make nothing",
        "funding_created",
        "update_add_htlc amount",
    ]
    .iter()
    .enumerate()
    {
        put("netcat_words", &format!("seed-{i}.txt"), line.as_bytes());
    }
    for name in catalog::message_names() {
        put("netcat_words", &format!("seed-{name}.txt"), name.as_bytes());
    }
    // socks_reply: target kind, then the proxy's bytes (RFC 1928 and 1929, Tor's codes).
    let ok4 = [5u8, 0, 5, 0, 0, 1, 127, 0, 0, 1, 0x26, 0x07];
    let seeds: [(&str, Vec<u8>); 8] = [
        ("ok-none", [&[0u8][..], &ok4].concat()),
        ("ok-password", [&[2u8, 5, 2, 1, 0][..], &ok4[2..]].concat()),
        (
            "onion-not-found",
            vec![2, 5, 2, 1, 0, 5, 0xf0, 0, 1, 0, 0, 0, 0, 0, 0],
        ),
        (
            "refused",
            vec![
                1, 5, 0, 5, 5, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            ],
        ),
        ("no-auth", vec![3, 5, 0xff]),
        ("auth-rejected", vec![0, 5, 2, 1, 1]),
        (
            "http",
            b"\x00HTTP/1.0 501 Tor is not an HTTP Proxy\r\n".to_vec(),
        ),
        (
            "domain",
            vec![3, 5, 0, 5, 0, 0, 3, 4, b'a', b'b', b'c', b'd', 0, 80],
        ),
    ];
    for (name, data) in seeds {
        put("socks_reply", &format!("seed-{name}.bin"), &data);
    }
    // logline and saved_trace: the formats logline.rs reads, and lines `trace save` writes.
    let ping = hex::encode(example::example("ping", Network::Regtest).expect("ping"));
    let open = hex::encode(example::example("open_channel", Network::Regtest).expect("open"));
    let node = "02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let logs = [
        format!("{ping}\n0x{open}\n# comment\n\n"),
        format!("2024-01-15T10:23:45.123Z {node}-connectd: [IN] {ping}\n2024-01-15T10:23:45.200Z {node}-connectd: [OUT] {open}\n"),
        format!("2024-01-15 10:23:45 peer {node} sent message {ping}\nINFO nothing to see 0012\n"),
        format!("{{\"type\": \"IO_IN\", \"time\": \"5.602811780\", \"node_id\": \"{node}\", \"source\": \"connectd\", \"log\": \"\", \"data\": \"{ping}\"}}\n"),
        format!("{{\n \"created_at\": \"1705314225.000000000\",\n \"log\": [\n  {{\"type\": \"IO_OUT\", \"time\": \"1.5\", \"node_id\": \"{node}\", \"data\": \"{open}\"}},\n  {{\"type\": \"INFO\", \"time\": \"2\", \"log\": \"hi\"}}\n ]\n}}\n"),
        format!("[{{\"type\": \"IO_IN\", \"data\": \"{ping}\"}}]"),
    ];
    let at = std::time::UNIX_EPOCH + std::time::Duration::new(1_764_601_321, 123_456_789);
    let saved = format!(
        "{}\n{}\n",
        lnshell::shell::diagram::save_line(
            node,
            lnshell::events::Direction::Outbound,
            at,
            &hex::decode(&open).expect("hex")
        ),
        lnshell::shell::diagram::save_line(
            node,
            lnshell::events::Direction::Inbound,
            at,
            &hex::decode(&ping).expect("hex")
        ),
    );
    for (i, log) in logs.iter().chain([&saved]).enumerate() {
        put(
            "logline",
            &format!("seed-{i}.txt"),
            [&[0u8][..], log.as_bytes()].concat().as_slice(),
        );
        put(
            "saved_trace",
            &format!("seed-{i}.txt"),
            [&[0u8][..], log.as_bytes()].concat().as_slice(),
        );
        put(
            "saved_trace",
            &format!("seed-{i}-json.txt"),
            [&[4u8][..], log.as_bytes()].concat().as_slice(),
        );
    }
    // saved_trace records: peer/direction, seconds, nanoseconds, length - 2, message.
    let mut recs = vec![1u8];
    for (i, name) in ["open_channel", "accept_channel", "funding_created", "ping"]
        .iter()
        .enumerate()
    {
        let msg = example::example(name, Network::Regtest).expect("example");
        let take = msg.len().min(257);
        recs.push(if i % 2 == 0 { 4 } else { 1 });
        recs.extend(1_764_601_321u32.to_be_bytes());
        recs.extend((i as u32 * 1_000_000).to_be_bytes());
        recs.push((take - 2) as u8);
        recs.extend(&msg[..take]);
    }
    put("saved_trace", "seed-records.bin", &recs);
    // diagram: width, flags, lanes, names, then arrows (lane|direction, ms step, length, bytes).
    for (i, (width, flags)) in [(80u8, 0u8), (40, 2), (255, 1), (0, 0), (120, 3)]
        .iter()
        .enumerate()
    {
        let mut d = vec![*width, *flags, 2, 5];
        d.extend(b"saver");
        d.push(9);
        d.extend(b"02aaaaaa\xe2");
        for name in [
            "open_channel",
            "accept_channel",
            "error",
            "ping",
            "update_add_htlc",
        ] {
            let msg = example::example(name, Network::Regtest).expect("example");
            let take = msg.len().min(255);
            d.extend([
                1 | if name.len() % 2 == 0 { 0x80 } else { 0 },
                20,
                take as u8,
            ]);
            d.extend(&msg[..take]);
        }
        put("diagram", &format!("seed-{i}.bin"), &d);
    }
    // netcat_peer: operations (see `op` there): open a channel, paste examples, words.
    let peer_seeds: [&[u8]; 5] = [
        &[2, 1, 0, 0, 0x0d, 0x40, 4, 15, 14, 8, 5, 13],
        &[0, 5, 1, 5, 3, 3, 1, 9, 4, 10, 0],
        &[3, 0, 4, 10, 0, 11, 0, 3, 7, 13],
        &[2, 0, 15, 8, 5, 14, 6, 0, 0, 0x27, 0x10, 7, 13],
        &[12, 12, 12, 12, 12, 9, 5, b'h', b'e', b'l', b'l', b'o', 4],
    ];
    for (i, s) in peer_seeds.iter().enumerate() {
        put("netcat_peer", &format!("seed-{i}.bin"), s);
    }
    n
}

/// `00:12:00:04`.
fn spaced_hex(bytes: &[u8], sep: char) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(&sep.to_string())
}
