//! Phase `handshakes`: BOLT 8 handshakes with the `init` exchange, made by LDK's own
//! `PeerManager` on the client side (one fresh node key per handshake, so the shell's
//! duplicate-connection rule never interferes): first one after another, then with C in
//! flight. Latency is TCP connect → `peer_by_node_id` is `Some`; the shell's own
//! `[peer] … connected to us` events are counted too, so a handshake the shell refused
//! after sending its `init` is not counted as a success.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bitcoin::secp256k1::PublicKey;
use serde_json::json;

use crate::client::{close, for_each_client, handshake, make_clients, Client};
use crate::probe::Prober;
use crate::process::cpu_of;
use crate::shell::{count, Shell};
use crate::stats::{ms, per_sec, Stats};
use crate::{Opts, Report};

pub fn handshake_phases(
    shell: &Arc<Shell>,
    opts: &Opts,
    deadline: Instant,
    rt: &tokio::runtime::Runtime,
    report: &mut Report,
    prober: &Prober,
) -> Result<(), String> {
    let runs = [
        ("handshakes-sequential", opts.handshakes_sequential, 1usize),
        (
            "handshakes-concurrent",
            opts.handshakes,
            opts.handshake_concurrency.max(1),
        ),
    ];
    for (label, m, c) in runs {
        if m == 0 {
            continue;
        }
        println!("\n== {label}: {m} handshakes, {c} in flight ==");
        // Node keys are made before the clock starts: the shell's work is what we time.
        let (clients, keygen) = make_clients(m);
        prober.set(label);
        let connected0 = count(&shell.counters.peer_connected);
        let refused0 = count(&shell.counters.peer_refused);
        let early0 = count(&shell.counters.lightning_closed_early);
        let cpu0 = shell.cpu();
        let me0 = cpu_of("/proc/self/stat");
        let t0 = Instant::now();
        let (latencies, errors) = rt.block_on(handshake_run(
            clients,
            shell.node_id,
            shell.addr,
            c,
            opts.client_nagle,
            deadline,
        ));
        let wall = t0.elapsed();
        let cpu = shell.cpu().saturating_sub(cpu0);
        let me = cpu_of("/proc/self/stat").saturating_sub(me0);
        let done = latencies.len();
        let settle = Instant::now() + Duration::from_secs(3);
        while count(&shell.counters.peer_connected) - connected0 < done as u64
            && Instant::now() < settle
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        let accepted = count(&shell.counters.peer_connected) - connected0;
        let refused = count(&shell.counters.peer_refused) - refused0;
        let early = count(&shell.counters.lightning_closed_early) - early0;
        let s = Stats::of(&latencies);
        report.row(
            &format!("{label} done"),
            format!(
                "{done} of {m}; the shell reported {accepted} `connected to us`, {refused} refusals, \
                 {early} `closed before … init` events"
            ),
        );
        report.row(
            &format!("{label} rate"),
            format!(
                "{:.0} handshakes/s (connect+handshake+init+disconnect, {:.2} s)",
                per_sec(done, wall),
                wall.as_secs_f64()
            ),
        );
        report.row(
            &format!("{label} CPU"),
            format!(
                "shell {:.0} µs/handshake, client {:.0} µs/handshake (+{} to make {m} client keys)",
                cpu.as_secs_f64() * 1e6 / done.max(1) as f64,
                me.as_secs_f64() * 1e6 / done.max(1) as f64,
                ms(keygen)
            ),
        );
        report.row(&format!("{label} latency"), s.text());
        report.put(
            label,
            json!({"handshakes": m, "concurrency": c, "done": done, "shell_accepted": accepted,
                   "shell_refused": refused, "shell_closed_before_init_events": early,
                   "wall_s": wall.as_secs_f64(),
                   "per_s": per_sec(done, wall), "shell_cpu_s": cpu.as_secs_f64(),
                   "client_cpu_s": me.as_secs_f64(), "latency": s.json(),
                   "client_nagle": opts.client_nagle}),
        );
        if let Some(e) = errors.first() {
            report.fail(format!(
                "{} handshakes failed; the first: {e}",
                errors.len()
            ));
        }
        if accepted < done as u64 {
            report.fail(format!(
                "the shell reported only {accepted} of {done} peers as connected"
            ));
        }
    }
    Ok(())
}

/// Runs every client's handshake (then disconnect), `c` at a time.
pub async fn handshake_run(
    clients: Vec<Client>,
    server: PublicKey,
    addr: SocketAddr,
    c: usize,
    nagle: bool,
    deadline: Instant,
) -> (Vec<Duration>, Vec<String>) {
    for_each_client(clients, c, deadline, move |client| async move {
        let (conn, d) = handshake(client, server, addr, nagle).await?;
        close(&conn, server).await;
        Ok(d)
    })
    .await
}
