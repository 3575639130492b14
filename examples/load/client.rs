//! The lightning client of the handshake and idle phases: the test kit's LDK peer
//! (`tests/common/ldk_client.rs`: LDK's `PeerManager`), one node key per connection,
//! over real sockets; and the work-queue runner both phases use.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bitcoin::secp256k1::rand::{self, RngCore};
use bitcoin::secp256k1::PublicKey;
use lightning::types::features::InitFeatures;
use lightning::util::config::UserConfig;
use tokio::net::TcpStream;

use crate::ldk_client::{peer_with_keys, LogRecorder, Peer};
use crate::STEP_TIMEOUT;

/// One client node: its own key, its own `PeerManager`, no log. Its custom handler
/// sends what LDK's own `ChannelManager` sends: the shell's `ChannelManager` requires
/// data_loss_protect, var_onion_optin, static_remotekey, payment_secret and
/// channel_type (bits 0, 8, 12, 14, 44) and drops peers whose init lacks them.
pub type Client = Peer;

/// A fresh client with random keys.
pub fn new_client(features: &InitFeatures) -> Client {
    fresh_client(features, Arc::new(LogRecorder::discarding()))
}

/// A fresh client with random keys, logging to `log`.
pub fn fresh_client(features: &InitFeatures, log: Arc<LogRecorder>) -> Client {
    let mut seed = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut seed);
    client_with_seed(features, seed, log)
}

/// A client whose node key comes from `seed` (the same node each time), with a fresh
/// handshake (ephemeral) key, logging to `log`.
pub fn client_with_seed(features: &InitFeatures, seed: [u8; 32], log: Arc<LogRecorder>) -> Client {
    let mut ephemeral = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut ephemeral);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    peer_with_keys(
        features.clone(),
        seed,
        ephemeral,
        (now.as_secs(), now.subsec_nanos()),
        log,
    )
}

/// What LDK's own `ChannelManager` sends in its `init`.
pub fn client_features() -> InitFeatures {
    lightning::ln::channelmanager::provided_init_features(&UserConfig::default())
}

/// A live client connection: the task that drives it ends when it closes.
pub struct Conn {
    pub client: Client,
    pub task: tokio::task::JoinHandle<()>,
}

/// Connects, runs the handshake and the init exchange; returns the connection and the
/// time from TCP connect to `peer_by_node_id` being `Some`.
pub async fn handshake(
    client: Client,
    server: PublicKey,
    addr: SocketAddr,
    nagle: bool,
) -> Result<(Conn, Duration), String> {
    let t0 = Instant::now();
    let stream = match tokio::time::timeout(STEP_TIMEOUT, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(format!("connect: {e}")),
        Err(_) => return Err("connect timed out".into()),
    };
    if !nagle {
        let _ = stream.set_nodelay(true);
    }
    let std_stream = stream
        .into_std()
        .map_err(|e| format!("socket error: {e}"))?;
    let conn = lightning_net_tokio::setup_outbound(Arc::clone(&client.pm), server, std_stream);
    let mut task = tokio::spawn(conn);
    // Done when the client has the shell's init; failed if the connection closes first
    // (the shell refused us) or nothing happens for STEP_TIMEOUT.
    let outcome = tokio::time::timeout(STEP_TIMEOUT, async {
        tokio::select! {
            _ = client.client.connected.notified() => true,
            _ = &mut task => false,
        }
    })
    .await;
    let elapsed = t0.elapsed();
    let conn = Conn { client, task };
    match outcome {
        Ok(true) => {}
        Ok(false) => {
            return Err("the shell closed the connection before its init arrived".into());
        }
        Err(_) => {
            close(&conn, server).await;
            return Err(format!(
                "handshake and init not done within {} s",
                STEP_TIMEOUT.as_secs()
            ));
        }
    }
    if conn.client.pm.peer_by_node_id(&server).is_none() {
        close(&conn, server).await;
        return Err("init received, but the peer is already gone".into());
    }
    Ok((conn, elapsed))
}

/// Disconnects and waits for the connection's task to end.
pub async fn close(conn: &Conn, server: PublicKey) {
    conn.client.pm.disconnect_by_node_id(server);
    let wait = async {
        while !conn.task.is_finished() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    };
    if tokio::time::timeout(STEP_TIMEOUT, wait).await.is_err() {
        conn.task.abort();
    }
}

pub fn make_clients(n: usize) -> (Vec<Client>, Duration) {
    let t0 = Instant::now();
    let features = client_features();
    let clients = (0..n).map(|_| new_client(&features)).collect();
    (clients, t0.elapsed())
}

/// Runs `each` on every client, `c` at a time (at least one), until `deadline`;
/// returns what succeeded and every error.
pub async fn for_each_client<T, F, Fut>(
    clients: Vec<Client>,
    c: usize,
    deadline: Instant,
    each: F,
) -> (Vec<T>, Vec<String>)
where
    T: Send + 'static,
    F: Fn(Client) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<T, String>> + Send,
{
    let queue = Arc::new(Mutex::new(clients));
    let workers: Vec<_> = (0..c.max(1))
        .map(|_| {
            let queue = Arc::clone(&queue);
            let each = each.clone();
            tokio::spawn(async move {
                let mut done = Vec::new();
                let mut errs = Vec::new();
                loop {
                    let next = queue.lock().unwrap_or_else(|p| p.into_inner()).pop();
                    let Some(client) = next else { break };
                    if Instant::now() >= deadline {
                        errs.push("hard timeout".to_string());
                        break;
                    }
                    match each(client).await {
                        Ok(t) => done.push(t),
                        Err(e) => errs.push(e),
                    }
                }
                (done, errs)
            })
        })
        .collect();
    let mut done = Vec::new();
    let mut errs = Vec::new();
    for w in workers {
        match tokio::time::timeout_at(deadline.into(), w).await {
            Ok(Ok((d, e))) => {
                done.extend(d);
                errs.extend(e);
            }
            Ok(Err(e)) => errs.push(format!("worker failed: {e}")),
            Err(_) => errs.push("hard timeout".into()),
        }
    }
    (done, errs)
}
