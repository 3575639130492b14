//! Phase `bound`: no shell. LDK's `PeerManager` as responder and as initiator, joined
//! in memory (no sockets, no tokio, no logging), timing only the responder's calls: the
//! CPU one inbound handshake with `init` needs at least, i.e. the single-core bound.
//! Also the bare secp256k1 operations of a responder (2 key parses, 3 ECDH, 1 key
//! generation).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bitcoin::secp256k1::rand::{self, RngCore};
use bitcoin::secp256k1::PublicKey;
use lightning::types::features::InitFeatures;
use serde_json::json;

use crate::client::client_features;
use crate::ldk_client::{peer_with_keys, ClientPeerManager, LogRecorder};
use crate::stats::Stats;
use crate::{Opts, Report};

/// One end of an in-memory connection: what its PeerManager sends lands in `sent`.
#[derive(Clone)]
pub struct MemDescriptor {
    pub id: u64,
    pub sent: Arc<Mutex<Vec<u8>>>,
}

impl PartialEq for MemDescriptor {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for MemDescriptor {}

impl std::hash::Hash for MemDescriptor {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state)
    }
}

impl lightning::ln::peer_handler::SocketDescriptor for MemDescriptor {
    fn send_data(&mut self, data: &[u8], _continue_read: bool) -> usize {
        self.sent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(data);
        data.len()
    }
    fn disconnect_socket(&mut self) {}
}

pub type MemPeerManager = ClientPeerManager<MemDescriptor>;

pub fn mem_peer_manager(features: &InitFeatures) -> (Arc<MemPeerManager>, PublicKey) {
    let mut seed = [0u8; 32];
    let mut ephemeral = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut seed);
    rand::thread_rng().fill_bytes(&mut ephemeral);
    let peer = peer_with_keys::<MemDescriptor>(
        features.clone(),
        seed,
        ephemeral,
        (1_700_000_000, 0),
        Arc::new(LogRecorder::discarding()),
    );
    (peer.pm, peer.node_id)
}

pub fn take(buf: &Mutex<Vec<u8>>) -> Vec<u8> {
    std::mem::take(&mut *buf.lock().unwrap_or_else(|p| p.into_inner()))
}

/// One handshake with init between `client` and `server` in memory; returns the time
/// spent in the server's calls.
pub fn mem_handshake(
    client: &MemPeerManager,
    server: &MemPeerManager,
    server_id: PublicKey,
    client_id: PublicKey,
    id: u64,
) -> Result<Duration, String> {
    let mut cd = MemDescriptor {
        id,
        sent: Arc::default(),
    };
    let mut sd = MemDescriptor {
        id,
        sent: Arc::default(),
    };
    let act_one = client
        .new_outbound_connection(server_id, cd.clone(), None)
        .map_err(|e| format!("new_outbound_connection: {e:?}"))?;
    let mut server_time = Duration::ZERO;
    let t = Instant::now();
    server
        .new_inbound_connection(sd.clone(), None)
        .map_err(|e| format!("new_inbound_connection: {e:?}"))?;
    server
        .read_event(&mut sd, &act_one)
        .map_err(|e| format!("server read: {e:?}"))?;
    server.process_events();
    server_time += t.elapsed();
    for _ in 0..8 {
        let to_client = take(&sd.sent);
        if !to_client.is_empty() {
            client
                .read_event(&mut cd, &to_client)
                .map_err(|e| format!("client read: {e:?}"))?;
            client.process_events();
        }
        let to_server = take(&cd.sent);
        if !to_server.is_empty() {
            let t = Instant::now();
            server
                .read_event(&mut sd, &to_server)
                .map_err(|e| format!("server read: {e:?}"))?;
            server.process_events();
            server_time += t.elapsed();
        }
        if server.peer_by_node_id(&client_id).is_some()
            && client.peer_by_node_id(&server_id).is_some()
        {
            let t = Instant::now();
            server.socket_disconnected(&sd);
            server_time += t.elapsed();
            client.socket_disconnected(&cd);
            return Ok(server_time);
        }
    }
    Err("the in-memory handshake did not finish".into())
}

pub fn bound_phase(opts: &Opts, deadline: Instant, report: &mut Report) -> Result<(), String> {
    use bitcoin::secp256k1::ecdh::SharedSecret;
    use bitcoin::secp256k1::{Secp256k1, SecretKey};
    let n = opts.bound_handshakes.max(1);
    println!("\n== bound: {n} in-memory handshakes with init (no shell) ==");
    let features = client_features();
    let (server, server_id) = mem_peer_manager(&features);
    let (client, client_id) = mem_peer_manager(&features);
    let mut server_times = Vec::with_capacity(n);
    let t0 = Instant::now();
    for i in 0..n {
        if Instant::now() >= deadline {
            return Err("hard timeout".into());
        }
        server_times.push(mem_handshake(
            &client, &server, server_id, client_id, i as u64,
        )?);
    }
    let both = t0.elapsed();
    let total: Duration = server_times.iter().sum();
    let per = total / n as u32;
    let s = Stats::of(&server_times);
    // The bare curve work of a responder: parse their ephemeral key (act one) and their
    // static key (act three), three ECDHs, one ephemeral key of our own.
    let secp = Secp256k1::new();
    let mut r = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut r);
    let our = SecretKey::from_slice(&r).map_err(|e| e.to_string())?;
    let their = PublicKey::from_secret_key(&secp, &our).serialize();
    // Batches, and the fastest one counts: this machine is shared, preemption only adds.
    let mut batches = Vec::new();
    for _ in 0..10 {
        let rounds = 200u32;
        let t = Instant::now();
        for _ in 0..rounds {
            let re =
                PublicKey::from_slice(std::hint::black_box(&their)).map_err(|e| e.to_string())?;
            let rs =
                PublicKey::from_slice(std::hint::black_box(&their)).map_err(|e| e.to_string())?;
            let e = PublicKey::from_secret_key(&secp, std::hint::black_box(&our));
            let a = SharedSecret::new(&re, &our);
            let b = SharedSecret::new(&re, &our);
            let c = SharedSecret::new(&rs, &our);
            std::hint::black_box((e, a, b, c));
        }
        batches.push(t.elapsed() / rounds);
    }
    let secp_per = batches.iter().min().copied().unwrap_or_default();
    report.row(
        "responder CPU per handshake+init",
        format!(
            "p50 {:.0} µs (mean {:.0}, p99 {:.0}) → single-core bound {:.0}/s; both sides {:.0} µs mean",
            s.p50.as_secs_f64() * 1e6,
            per.as_secs_f64() * 1e6,
            s.p99.as_secs_f64() * 1e6,
            1.0 / s.p50.as_secs_f64(),
            both.as_secs_f64() * 1e6 / n as f64
        ),
    );
    report.row(
        "responder secp256k1 alone",
        format!(
            "{:.0} µs, fastest of 10 batches (2 key parses + 3 ECDH + 1 key generation) → {:.0}/s",
            secp_per.as_secs_f64() * 1e6,
            1.0 / secp_per.as_secs_f64()
        ),
    );
    report.put(
        "bound",
        json!({"handshakes": n, "responder_p50_us": s.p50.as_secs_f64() * 1e6,
               "responder_mean_us": per.as_secs_f64() * 1e6,
               "responder_per_s": 1.0 / s.p50.as_secs_f64(),
               "both_sides_us": both.as_secs_f64() * 1e6 / n as f64,
               "secp_us": secp_per.as_secs_f64() * 1e6}),
    );
    Ok(())
}
