//! Phase `idle`: in a fresh shell, hold I netcat sessions; in another, P lightning
//! peers; in a third, both at once. RSS per idle connection = (RSS with them − RSS
//! before) / count.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bitcoin::secp256k1::PublicKey;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::client::{close, for_each_client, handshake, make_clients, Client, Conn};
use crate::probe::Prober;
use crate::shell::{count, Shell};
use crate::stats::{mb, ms};
use crate::{Opts, Report, STEP_TIMEOUT};

/// Opens `n` idle netcat sessions, `open_concurrency` at a time.
pub fn open_idle_netcats(
    rt: &tokio::runtime::Runtime,
    addr: SocketAddr,
    n: usize,
    open_concurrency: usize,
    deadline: Instant,
) -> (Vec<IdleNetcat>, Vec<String>) {
    let gate = Arc::new(tokio::sync::Semaphore::new(open_concurrency.max(1)));
    rt.block_on(async {
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let gate = Arc::clone(&gate);
                tokio::spawn(async move {
                    let _permit = gate.acquire().await.map_err(|e| e.to_string())?;
                    open_idle_netcat(addr).await
                })
            })
            .collect();
        let mut held = Vec::new();
        let mut errors = Vec::new();
        for t in tasks {
            match tokio::time::timeout_at(deadline.into(), t).await {
                Ok(Ok(Ok(s))) => held.push(s),
                Ok(Ok(Err(e))) => errors.push(e),
                Ok(Err(e)) => errors.push(e.to_string()),
                Err(_) => errors.push("hard timeout".into()),
            }
        }
        (held, errors)
    })
}

/// Connects every client to the shell (handshake and init), `c` at a time, and keeps
/// the connections open.
pub fn open_idle_peers(
    rt: &tokio::runtime::Runtime,
    clients: Vec<Client>,
    server: PublicKey,
    addr: SocketAddr,
    c: usize,
    nagle: bool,
    deadline: Instant,
) -> (Vec<Conn>, Vec<String>) {
    rt.block_on(for_each_client(
        clients,
        c,
        deadline,
        move |client| async move {
            handshake(client, server, addr, nagle)
                .await
                .map(|(conn, _)| conn)
        },
    ))
}

/// Disconnects every held peer and waits for their tasks to end.
pub fn close_peers(rt: &tokio::runtime::Runtime, conns: Vec<Conn>, server: PublicKey) {
    rt.block_on(async {
        for conn in &conns {
            conn.client.pm.disconnect_by_node_id(server);
        }
        for conn in &conns {
            close(conn, server).await;
        }
    });
}

pub fn alive(conns: &[Conn], server: PublicKey) -> usize {
    conns
        .iter()
        .filter(|c| !c.task.is_finished() && c.client.pm.peer_by_node_id(&server).is_some())
        .count()
}

/// Holds idle connections in fresh shells: netcat sessions in one, lightning peers in
/// another (so each RSS difference is one kind's), then both kinds at once in a third.
pub fn idle_phase(
    bin: &Path,
    opts: &Opts,
    deadline: Instant,
    rt: &tokio::runtime::Runtime,
    report: &mut Report,
) -> Result<(), String> {
    let kinds = [
        ("netcat", opts.idle_netcat, 0),
        ("lightning", 0, opts.idle_peers),
        ("both", opts.idle_netcat, opts.idle_peers),
    ];
    for (label, n_nc, n_ln) in kinds {
        if n_nc == 0 && n_ln == 0 || (label == "both" && (n_nc == 0 || n_ln == 0)) {
            continue;
        }
        if Instant::now() >= deadline {
            return Err("hard timeout".into());
        }
        idle_hold(bin, opts, deadline, rt, report, label, n_nc, n_ln)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn idle_hold(
    bin: &Path,
    opts: &Opts,
    deadline: Instant,
    rt: &tokio::runtime::Runtime,
    report: &mut Report,
    label: &str,
    n_nc: usize,
    n_ln: usize,
) -> Result<(), String> {
    let hold = Duration::from_secs(opts.idle_hold);
    println!("\n== idle-{label}: {n_nc} netcat sessions and {n_ln} lightning peers held (fresh shell) ==");
    let (clients, _) = make_clients(n_ln);
    let shell = Arc::new(Shell::spawn(bin)?);
    std::thread::sleep(Duration::from_millis(300));
    let (rss0, _) = shell.memory()?;
    let prober = Prober::start(
        &shell,
        Duration::from_millis(opts.info_interval_ms),
        deadline,
    );
    prober.set(&format!("idle-{label}"));
    let (server, addr) = (shell.node_id, shell.addr);
    let t0 = Instant::now();
    let (netcats, nc_errors) = open_idle_netcats(rt, addr, n_nc, opts.open_concurrency, deadline);
    let nc_opened = t0.elapsed();
    let t1 = Instant::now();
    let (conns, ln_errors) = open_idle_peers(
        rt,
        clients,
        server,
        addr,
        opts.handshake_concurrency,
        opts.client_nagle,
        deadline,
    );
    let ln_opened = t1.elapsed();
    std::thread::sleep(hold);
    let ln_alive = alive(&conns, server);
    let (ln_counted, nc_counted) = shell.counts()?;
    let guests = shell.guests()?;
    let (rss, hwm) = shell.memory()?;
    let held = netcats.len() + ln_alive;
    let per = (rss.saturating_sub(rss0)) as f64 * 1024.0 / held.max(1) as f64;
    let refused = count(&shell.counters.peer_refused);
    let accepted = count(&shell.counters.peer_connected);
    if n_nc > 0 {
        report.row(
            "idle netcat sessions held",
            format!(
                "{} of {n_nc} (shell counts {nc_counted}; opened and greeted in {})",
                netcats.len(),
                ms(nc_opened)
            ),
        );
    }
    if n_ln > 0 {
        report.row(
            "idle lightning peers held",
            format!(
                "{ln_alive} of {n_ln} still connected after {} s (shell counts {ln_counted}, {guests} of \
                 them guests beyond LDK's ChannelManager limit; it reported {accepted} `connected to us`, \
                 {refused} refusals; {} handshakes failed; opened in {})",
                hold.as_secs(),
                ln_errors.len(),
                ms(ln_opened)
            ),
        );
    }
    report.row(
        "RSS: before / with them / peak",
        format!(
            "{:.1} / {:.1} / {:.1} MiB → {:.1} KiB per held connection",
            mb(rss0),
            mb(rss),
            mb(hwm),
            per / 1024.0
        ),
    );
    report.put(
        &format!("idle_{label}"),
        json!({"netcat_wanted": n_nc, "netcat_held": netcats.len(), "lightning_wanted": n_ln,
               "lightning_alive": ln_alive, "shell_counts": {"netcat": nc_counted, "lightning": ln_counted},
               "shell_accepted": accepted, "shell_refused": refused,
               "failed_handshakes": ln_errors.len(), "rss_before_kb": rss0, "rss_kb": rss,
               "peak_kb": hwm, "bytes_per_conn": per}),
    );
    if let Some(e) = nc_errors.first() {
        report.fail(format!(
            "{} idle netcat sessions failed; the first: {e}",
            nc_errors.len()
        ));
    }
    if ln_alive < n_ln {
        let why = shell
            .counters
            .notable
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .first()
            .cloned()
            .unwrap_or_default();
        report.fail(format!(
            "only {ln_alive} of {n_ln} lightning peers stayed connected; first refusal seen: {why}; first client error: {}",
            ln_errors.first().map_or("none", String::as_str)
        ));
    }
    prober.set("after");
    let t0 = Instant::now();
    drop(netcats);
    close_peers(rt, conns, server);
    wait_counts(
        &shell,
        |(ln, nc)| ln == 0 && nc == 0,
        Duration::from_secs(5),
    );
    report.row("all closed, shell counts 0 after", ms(t0.elapsed()));
    prober.finish(report, &format!("idle_{label}_"));
    match shell.quit() {
        Ok(d) => report.row("quit", ms(d)),
        Err(e) => report.fail(e),
    }
    Ok(())
}

pub type IdleNetcat = tokio::io::BufReader<tokio::net::TcpStream>;

/// An idle netcat session: connected, one empty line sent (so the shell decides
/// "netcat" at once instead of after its 500 ms sniff timeout; empty lines are skipped),
/// greeted, then silent.
pub async fn open_idle_netcat(addr: SocketAddr) -> Result<IdleNetcat, String> {
    let stream = match tokio::time::timeout(STEP_TIMEOUT, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(format!("connect: {e}")),
        Err(_) => return Err("connect timed out".into()),
    };
    let mut rd = tokio::io::BufReader::new(stream);
    rd.get_mut()
        .write_all(b"\n")
        .await
        .map_err(|e| format!("write: {e}"))?;
    let mut greeting = String::new();
    match tokio::time::timeout(STEP_TIMEOUT, rd.read_line(&mut greeting)).await {
        Ok(Ok(n)) if n > 0 && greeting.starts_with("lnshell: plaintext session") => {
            // The greeting is wrapped to fit a terminal: read it to its last line.
            while greeting.trim_end() != lnshell::node::netcat::GREETING_END {
                greeting.clear();
                match tokio::time::timeout(STEP_TIMEOUT, rd.read_line(&mut greeting)).await {
                    Ok(Ok(n)) if n > 0 => {}
                    _ => return Err("the greeting stopped before its last line".into()),
                }
            }
            Ok(rd)
        }
        Ok(Ok(_)) => Err(format!("unexpected greeting {:?}", greeting.trim_end())),
        Ok(Err(e)) => Err(format!("reading the greeting: {e}")),
        Err(_) => Err("no greeting".into()),
    }
}

pub fn wait_counts(shell: &Shell, done: impl Fn((u64, u64)) -> bool, limit: Duration) {
    let until = Instant::now() + limit;
    while Instant::now() < until {
        match shell.counts() {
            Ok(c) if done(c) => return,
            Ok(_) => {}
            Err(_) => return,
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
