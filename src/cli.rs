//! Command-line flags, and turning them into a running shell.
//!
//! `main.rs` only parses [`Args`] and calls [`run`]; everything here is reachable
//! from tests through the library.

use std::io::Write as _;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

use crate::node::{parse_network, Limits, Node, NodeConfig, ProxyConfig};
use crate::repl::{self, Mode};
use crate::shell::Shell;
use std::time::Duration;

/// The default listening address: loopback, so a learner's node is not exposed.
pub(crate) const DEFAULT_LISTEN: &str = "127.0.0.1:9735";

/// lnshell: an interactive teaching shell for the Lightning Network peer protocol.
#[derive(Parser, Debug)]
#[command(name = "lnshell", version, about, long_about = None)]
pub struct Args {
    /// Where the node secret, history and LDK log live
    /// [default: $LNSHELL_DATA_DIR, else ~/.lnshell]
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Address to listen on (repeatable; a bare port means 127.0.0.1:PORT; port 0 picks a free one)
    #[arg(long, value_name = "ADDR")]
    pub listen: Vec<String>,

    /// Do not listen at start (use `listen` later)
    #[arg(long, conflicts_with = "listen")]
    pub no_listen: bool,

    /// Which chain the node says it is on
    #[arg(long, default_value = "regtest", value_parser = parse_network)]
    pub network: bitcoin::Network,

    /// Run this command, print its output, and exit (repeatable; runs in order;
    /// the exit status is non-zero if any failed)
    #[arg(long, value_name = "CMD")]
    pub exec: Vec<String>,

    /// Connections accepted at once (both kinds); the next is refused
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_connections)]
    pub max_connections: usize,

    /// Seconds a netcat session may stay silent before it is closed
    #[arg(long, value_name = "SECS", default_value_t = Limits::default().netcat_idle.as_secs())]
    pub idle_timeout: u64,

    /// The longest line a netcat session may send, in bytes (a BOLT message is at
    /// most 65535 bytes: 131070 hex digits, more with separators)
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_line)]
    pub max_line: usize,

    /// A SOCKS5 proxy for outbound connections, normally Tor's: 127.0.0.1:9050.
    /// Onion addresses (`connect <id>@<name>.onion:9735`) need it
    /// [default: $LNSHELL_PROXY, else none]
    #[arg(long, value_name = "HOST:PORT")]
    pub proxy: Option<String>,

    /// Send every outbound connection through --proxy, IPv4, IPv6 and DNS names
    /// too, so no peer sees this machine's address (names are resolved by the proxy)
    #[arg(long)]
    pub always_use_proxy: bool,

    /// A tool to run instead of the shell (`lnshell nc ...`, `lnshell decode ...`); none
    /// starts the shell.
    #[command(subcommand)]
    pub command: Option<Sub>,
}

/// Tools besides the shell.
#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    /// A tiny netcat, for learners without nc: lnshell nc 127.0.0.1 9735
    Nc {
        /// Host to connect to
        host: String,
        /// Port
        port: String,
    },
    /// The tools that start no node: decode, encode, example, completions, manpage.
    #[command(flatten)]
    Tool(crate::pipeline::Tool),
}

/// The data dir: the flag, else `$LNSHELL_DATA_DIR`, else `~/.lnshell`.
pub(crate) fn data_dir(flag: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(dir) = flag {
        return Ok(dir);
    }
    if let Some(dir) = std::env::var_os("LNSHELL_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".lnshell")),
        None => {
            Err("no data dir: $HOME is not set; pass --data-dir DIR or set LNSHELL_DATA_DIR".into())
        }
    }
}

/// The proxy: the flag, else `$LNSHELL_PROXY`, else none; resolved once, here.
pub(crate) fn proxy(flag: Option<String>, always: bool) -> Result<Option<ProxyConfig>, String> {
    let spec = flag.or_else(|| {
        std::env::var("LNSHELL_PROXY")
            .ok()
            .filter(|p| !p.is_empty())
    });
    let Some(spec) = spec else {
        if always {
            return Err(
                "--always-use-proxy needs a proxy to use: add --proxy 127.0.0.1:9050 (Tor's SOCKS port)"
                    .into(),
            );
        }
        return Ok(None);
    };
    let bad = |why: String| {
        format!("--proxy {spec:?}: {why}. Give the SOCKS5 proxy as HOST:PORT, e.g. --proxy 127.0.0.1:9050 (Tor)")
    };
    let addr = match spec.parse::<SocketAddr>() {
        Ok(a) => a,
        Err(_) => {
            if spec
                .rsplit_once(':')
                .is_none_or(|(_, p)| p.parse::<u16>().is_err())
            {
                return Err(bad("no port".into()));
            }
            spec.to_socket_addrs()
                .map_err(|e| bad(e.to_string()))?
                .next()
                .ok_or_else(|| bad("the name resolves to no address".into()))?
        }
    };
    Ok(Some(ProxyConfig { addr, always }))
}

fn create_data_dir(dir: &std::path::Path) -> Result<(), String> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| {
        format!(
            "cannot create the data dir {}: {e}. Pass --data-dir DIR",
            dir.display()
        )
    })
}

/// Whether files can be created in `dir` (a read-only or full disk says no).
fn writable(dir: &std::path::Path) -> bool {
    // Named as a temporary file, so one left by a kill here is swept at the next start.
    let probe = crate::files::temp_path(&dir.join("write-test"));
    let ok = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

/// Runs the shell with `args`; the process's exit code.
pub fn run(mut args: Args) -> ExitCode {
    match args.command.take() {
        Some(Sub::Nc { host, port }) => return crate::nc::run(&format!("{host} {port}")),
        Some(Sub::Tool(tool)) => {
            return crate::pipeline::run(
                tool,
                args.network,
                <Args as clap::CommandFactory>::command,
            )
        }
        None => {}
    }
    match run_inner(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_inner(args: Args) -> Result<bool, String> {
    let data_dir = data_dir(args.data_dir)?;
    let proxy = proxy(args.proxy, args.always_use_proxy)?;
    create_data_dir(&data_dir)?;
    if !writable(&data_dir) {
        let _ = writeln!(
            std::io::stderr(),
            "warning: the data dir {} is not writable (read-only, or full): running without saving history, \
             LDK's log or lesson progress",
            data_dir.display()
        );
    }
    // Held until this function returns, after the node has shut down.
    let _lock = crate::lock::DataDirLock::acquire(&data_dir)?;
    // With the lock held, every temporary file in the data dir is a dead shell's
    // (killed half way through a save): see `files`.
    crate::files::remove_stale_temps(&data_dir);
    let mode = Mode::detect(args.exec);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("lnshell-node")
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let (events, events_rx) = crate::events::channel();
    let node = {
        let _guard = rt.enter();
        Node::start(
            NodeConfig {
                data_dir: data_dir.clone(),
                network: args.network,
                limits: Limits {
                    max_connections: args.max_connections,
                    netcat_idle: Duration::from_secs(args.idle_timeout),
                    max_line: args.max_line,
                    timer_tick: std::env::var("LNSHELL_TIMER_TICK_MS")
                        .ok()
                        .and_then(|v| v.parse().ok())
                        .map(Duration::from_millis)
                        .unwrap_or(Limits::default().timer_tick),
                    ..Limits::default()
                },
                proxy,
            },
            events,
        )
        .map_err(|e| e.to_string())?
    };
    let node = Arc::new(node);
    let listen = if args.no_listen {
        Vec::new()
    } else if args.listen.is_empty() {
        vec![DEFAULT_LISTEN.to_string()]
    } else {
        args.listen
    };
    let mut listen_notes = Vec::new();
    for spec in &listen {
        match rt.block_on(node.listen(spec)) {
            Ok(addr) if addr.ip().is_unspecified() => listen_notes.push(format!(
                "warning: listening on {addr}: anyone who can reach this machine can connect"
            )),
            Ok(_) => {}
            // A busy port must not stop the shell: say so, and carry on without it.
            Err(e) => listen_notes.push(format!("warning: {e}")),
        }
    }
    if let Some(lost) = node.lost_channels() {
        let had = match lost.channels {
            Some(1) => "a channel".to_string(),
            Some(n) => format!("{n} channels"),
            None => "channels".to_string(),
        };
        listen_notes.insert(
            0,
            format!(
                "note: the last shell on this data dir did not quit (it was killed or crashed) \
                 while it had {had}. This node keeps channels in memory only, by design, so \
                 they are gone: it starts fresh, with the same node id and no channels."
            ),
        );
    }
    for note in &listen_notes {
        let _ = writeln!(std::io::stderr(), "{note}");
    }
    let tracker = Arc::new(crate::lessons::Tracker::load(&data_dir));
    if let Some(w) = tracker.with(|p| p.warning().map(str::to_string)) {
        let _ = writeln!(std::io::stderr(), "warning: {w}");
    }
    let banner = banner(&node);
    let mut shell = Shell::new(Arc::clone(&node), rt.handle().clone(), tracker);
    let ok = repl::run(&mut shell, mode, events_rx, &banner);
    rt.block_on(node.shutdown());
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    Ok(ok)
}

fn banner(node: &Node) -> String {
    let listening = node.listening();
    let (where_, hint) = match listening.first() {
        Some(addr) => {
            let host = if addr.ip().is_unspecified() {
                "127.0.0.1".to_string()
            } else {
                addr.ip().to_string()
            };
            (
                listening
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                format!(
                    "In another terminal: nc -v {host} {}  and paste 0012000400020000 (a ping); then `peers` here.",
                    addr.port()
                ),
            )
        }
        None => (
            "nowhere".to_string(),
            // No port named: the one asked for may be the one in use (the
            // warning above says so), and port 0 is free whatever else runs.
            "Not listening: `listen <port>` starts a listener (`listen 0` picks a free port)."
                .to_string(),
        ),
    };
    let proxy = match node.proxy() {
        Some(p) if p.always => format!(
            "proxy      {} (SOCKS5, every outbound connection)\n",
            p.addr
        ),
        Some(p) => format!("proxy      {} (SOCKS5, for onion addresses)\n", p.addr),
        None => String::new(),
    };
    format!(
        "lnshell {}: the Lightning peer protocol, up close\n\
         node id    {}\n\
         network    {}\n\
         listening  {where_}\n\
         {proxy}{hint}\n\
         `help` lists commands; `lessons` lists the lessons, `lesson next` opens the next one.",
        env!("CARGO_PKG_VERSION"),
        node.node_id(),
        node.network(),
    )
}
