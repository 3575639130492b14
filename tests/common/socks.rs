//! A small SOCKS5 proxy (RFC 1928, with RFC 1929 username/password) for the tests: it
//! stands where Tor's SocksPort would, on 127.0.0.1, and records every request it gets.
//!
//! It either forwards (a name in its table, such as one `.onion` name, goes to a
//! shell's listener; an IP address goes to itself, if it is loopback), or answers
//! every request with the reply codes it was given, one per request in turn. It only
//! ever connects to loopback addresses. Each connection runs on threads of its own,
//! handshake reads time out, and dropping the proxy stops its accept loop, so nothing
//! outlives the test. Plain `std`, no tokio, and nothing from lnshell: it checks the
//! shell's SOCKS5 client from the outside.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long one handshake read may wait.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long [`SocksProxy::wait_for_requests`] waits (the kit's `WAIT`; this file
/// depends on nothing else in the kit).
const WAIT: Duration = Duration::from_secs(20);

/// What the proxy does with a request.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// Connect and relay: a domain name by this table, an IP address (loopback only) as
    /// itself; anything else gets 0x04, host unreachable.
    Forward(Vec<(String, SocketAddr)>),
    /// Answer the n-th request with the n-th code (the last one repeats).
    Reply(Vec<u8>),
}

/// One SOCKS5 request, as the proxy received it.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The greeting, whole: VER NMETHODS METHODS.
    pub greeting: Vec<u8>,
    /// The username/password sub-negotiation, whole (empty if the client sent none).
    pub auth: Vec<u8>,
    pub username: String,
    pub password: String,
    /// The CONNECT request, whole.
    pub request: Vec<u8>,
    /// Its address type: 1 IPv4, 3 domain name, 4 IPv6.
    pub atyp: u8,
    /// The domain name, or the IP address as text.
    pub host: String,
    pub port: u16,
}

/// A running proxy on 127.0.0.1.
pub struct SocksProxy {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
}

impl SocksProxy {
    pub fn start(behaviour: Behaviour) -> SocksProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the test proxy");
        let addr = listener.local_addr().expect("proxy address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (reqs, stopping) = (Arc::clone(&requests), Arc::clone(&stop));
        std::thread::spawn(move || {
            let served = Arc::new(AtomicUsize::new(0));
            for conn in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let n = served.fetch_add(1, Ordering::SeqCst);
                let (reqs, behaviour) = (Arc::clone(&reqs), behaviour.clone());
                std::thread::spawn(move || serve(conn, n, &behaviour, &reqs));
            }
        });
        SocksProxy {
            addr,
            requests,
            stop,
        }
    }

    /// `127.0.0.1:PORT`, for `--proxy`.
    pub fn arg(&self) -> String {
        self.addr.to_string()
    }

    /// The requests so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// Waits (bounded) until at least `n` requests arrived, and returns them.
    pub fn wait_for_requests(&self, n: usize) -> Vec<Request> {
        let deadline = Instant::now() + WAIT;
        loop {
            let r = self.requests();
            if r.len() >= n {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "the proxy got {} requests, not {n}: {r:?}",
                r.len()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for SocksProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(mut c: TcpStream, n: usize, behaviour: &Behaviour, requests: &Mutex<Vec<Request>>) {
    let _ = c.set_read_timeout(Some(READ_TIMEOUT));
    let Some(req) = handshake(&mut c) else {
        return;
    };
    requests.lock().unwrap().push(req.clone());
    match behaviour {
        Behaviour::Reply(codes) => {
            let code = codes.get(n).or(codes.last()).copied().unwrap_or(1);
            let _ = c.write_all(&reply(code));
        }
        Behaviour::Forward(names) => {
            let target = match req.atyp {
                3 => names
                    .iter()
                    .find(|(name, _)| *name == req.host)
                    .map(|(_, a)| *a),
                _ => req
                    .host
                    .parse::<IpAddr>()
                    .ok()
                    .filter(IpAddr::is_loopback)
                    .map(|ip| SocketAddr::new(ip, req.port)),
            };
            let Some(target) = target else {
                let _ = c.write_all(&reply(0x04));
                return;
            };
            match TcpStream::connect(target) {
                Ok(upstream) => {
                    if c.write_all(&reply(0x00)).is_ok() {
                        let _ = c.set_read_timeout(None);
                        relay(c, upstream);
                    }
                }
                Err(_) => {
                    let _ = c.write_all(&reply(0x05));
                }
            }
        }
    }
}

/// Reads greeting, username/password and CONNECT, answering the first two.
fn handshake(c: &mut TcpStream) -> Option<Request> {
    let mut req = Request::default();
    let head = read_n(c, 2)?;
    if head[0] != 5 {
        return None;
    }
    let methods = read_n(c, usize::from(head[1]))?;
    req.greeting = [head, methods.clone()].concat();
    if methods.contains(&2) {
        c.write_all(&[5, 2]).ok()?;
        let ver_ulen = read_n(c, 2)?;
        let user = read_n(c, usize::from(ver_ulen[1]))?;
        let plen = read_n(c, 1)?;
        let pass = read_n(c, usize::from(plen[0]))?;
        req.username = String::from_utf8_lossy(&user).into_owned();
        req.password = String::from_utf8_lossy(&pass).into_owned();
        req.auth = [ver_ulen, user, plen, pass].concat();
        c.write_all(&[1, 0]).ok()?;
    } else {
        c.write_all(&[5, 0]).ok()?;
    }
    let fixed = read_n(c, 4)?;
    req.atyp = fixed[3];
    let addr = match req.atyp {
        1 => {
            let a = read_n(c, 4)?;
            req.host = Ipv4Addr::new(a[0], a[1], a[2], a[3]).to_string();
            a
        }
        4 => {
            let a = read_n(c, 16)?;
            let mut b = [0u8; 16];
            b.copy_from_slice(&a);
            req.host = Ipv6Addr::from(b).to_string();
            a
        }
        3 => {
            let len = read_n(c, 1)?;
            let name = read_n(c, usize::from(len[0]))?;
            req.host = String::from_utf8_lossy(&name).into_owned();
            [len, name].concat()
        }
        _ => return None,
    };
    let port = read_n(c, 2)?;
    req.port = u16::from_be_bytes([port[0], port[1]]);
    req.request = [fixed, addr, port].concat();
    Some(req)
}

/// A reply with `code` and a bound address of 0.0.0.0:0, as Tor sends.
fn reply(code: u8) -> [u8; 10] {
    [5, code, 0, 1, 0, 0, 0, 0, 0, 0]
}

fn read_n(c: &mut TcpStream, n: usize) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; n];
    c.read_exact(&mut buf).ok()?;
    Some(buf)
}

/// Copies both ways until either side closes.
fn relay(client: TcpStream, upstream: TcpStream) {
    let (Ok(mut client_r), Ok(mut upstream_r)) = (client.try_clone(), upstream.try_clone()) else {
        return;
    };
    let (mut client_w, mut upstream_w) = (client, upstream);
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut client_r, &mut upstream_w);
        let _ = upstream_w.shutdown(Shutdown::Write);
    });
    let _ = std::io::copy(&mut upstream_r, &mut client_w);
    let _ = client_w.shutdown(Shutdown::Both);
    let _ = up.join();
}
