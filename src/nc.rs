//! `lnshell nc HOST PORT`: a tiny netcat, for learners who have no `nc`.
//!
//! The lessons ask you to connect to your node with `nc -v 127.0.0.1 9735` and paste
//! hex lines. Where `nc` is missing (a fresh Windows or Fedora machine), this does
//! the same job: it connects, copies what you type (stdin) to the socket and what
//! the socket sends to stdout, and stops when the other side closes.
//!
//! When stdin ends (Ctrl-D, or the end of a pipe) it half-closes the connection,
//! like `nc -N`, and keeps printing until the other side closes too, so
//! `echo 0012000400020000 | lnshell nc 127.0.0.1 9735` prints the shell's answer.
//!
//! Plain `std` threads: one copies stdin to the socket, the calling thread copies
//! the socket to stdout. No tokio.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

/// How long to wait for TCP to connect before giving up.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connects to `addr` and relays stdin and stdout until the other side closes.
///
/// `addr` is `host:port` (`127.0.0.1:9735`, `[::1]:9735`, `localhost:9735`),
/// `host port` (as `nc` takes it), or a bare port (meaning `127.0.0.1`). Messages
/// about the connection go to stderr, so stdout carries only what the peer sent.
///
/// Returns success when the other side closed the connection, failure (with a
/// message saying what to do) when it could not connect or the connection broke.
pub(crate) fn run(addr: &str) -> ExitCode {
    let target = match parse_target(addr) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("lnshell nc: {e}");
            return ExitCode::from(2);
        }
    };
    let stream = match connect(&target) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("lnshell nc: {e}");
            return ExitCode::FAILURE;
        }
    };
    let peer = stream
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| target.clone());
    eprintln!("lnshell nc: connected to {peer} (Ctrl-D ends your side, Ctrl-C quits)");
    match relay(stream, io::stdin(), io::stdout()) {
        Ok(()) => {
            eprintln!("lnshell nc: {peer} closed the connection");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lnshell nc: connection to {peer} failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Turns what the user typed into `host:port`.
pub(crate) fn parse_target(addr: &str) -> Result<String, String> {
    let words: Vec<&str> = addr.split_whitespace().collect();
    let target = match words.as_slice() {
        [] => return Err(usage("no address given")),
        [port] if port.parse::<u16>().is_ok() => format!("127.0.0.1:{port}"),
        [one] => (*one).to_string(),
        [host, port] => {
            if port.parse::<u16>().is_err() {
                return Err(usage(&format!("{port:?} is not a port number (0-65535)")));
            }
            // An IPv6 literal needs brackets once a port is glued on.
            if host.contains(':') && !host.starts_with('[') {
                format!("[{host}]:{port}")
            } else {
                format!("{host}:{port}")
            }
        }
        _ => return Err(usage("too many words")),
    };
    if !target.contains(':') {
        return Err(usage(&format!("{target:?} has no port")));
    }
    Ok(target)
}

fn usage(what: &str) -> String {
    format!("{what}. Usage: lnshell nc HOST PORT (for example: lnshell nc 127.0.0.1 9735)")
}

/// Resolves `target` and connects to the first address that answers.
fn connect(target: &str) -> Result<TcpStream, String> {
    let addrs: Vec<SocketAddr> = target
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {target}: {e}"))?
        .collect();
    if addrs.is_empty() {
        return Err(format!("{target} resolves to no address"));
    }
    let mut last = String::new();
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, CONNECT_TIMEOUT) {
            Ok(s) => return Ok(s),
            Err(e) => last = connect_error_text(*addr, &e),
        }
    }
    Err(last)
}

fn connect_error_text(addr: SocketAddr, e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => format!(
            "connection refused by {addr}: nothing is listening there. Is lnshell running? \
             (start it with `cargo run --release`; its banner and `info` say where it listens)"
        ),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => format!(
            "no answer from {addr} after {}s (a firewall, or a host that is down)",
            CONNECT_TIMEOUT.as_secs()
        ),
        _ => format!("cannot connect to {addr}: {e}"),
    }
}

/// Copies `input` to `stream` (on a thread of its own) and `stream` to `output`
/// (on this thread) until the peer closes the connection.
///
/// When `input` ends, the write half of the connection is shut down so the peer
/// sees end-of-file; reading carries on until the peer closes. If the peer closes
/// first, this returns at once: the input thread may stay blocked on a read of
/// stdin, and goes away with the process.
pub(crate) fn relay<R, W>(stream: TcpStream, input: R, mut output: W) -> io::Result<()>
where
    R: Read + Send + 'static,
    W: Write,
{
    let mut to_peer = stream.try_clone()?;
    std::thread::spawn(move || {
        let mut input = input;
        let mut buf = [0u8; 8192];
        loop {
            match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if to_peer.write_all(&buf[..n]).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        let _ = to_peer.shutdown(Shutdown::Write);
    });
    let mut from_peer = stream;
    let mut buf = [0u8; 8192];
    loop {
        match from_peer.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                output.write_all(&buf[..n])?;
                output.flush()?;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // A reset after we have said everything is how some servers hang up.
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;

    #[test]
    fn targets() {
        assert_eq!(parse_target("127.0.0.1 9735").unwrap(), "127.0.0.1:9735");
        assert_eq!(parse_target("127.0.0.1:9735").unwrap(), "127.0.0.1:9735");
        assert_eq!(parse_target("9736").unwrap(), "127.0.0.1:9736");
        assert_eq!(parse_target("::1 9735").unwrap(), "[::1]:9735");
        assert_eq!(parse_target("[::1]:9735").unwrap(), "[::1]:9735");
        assert_eq!(parse_target("localhost 9735").unwrap(), "localhost:9735");
        assert!(parse_target("").is_err());
        assert!(parse_target("localhost").is_err());
        assert!(parse_target("localhost port").is_err());
        assert!(parse_target("a b c").is_err());
    }

    #[test]
    fn refused_says_what_to_do() {
        // Bind then drop a listener: its port is (almost certainly) closed now.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("bind");
        let err = connect(&format!("127.0.0.1:{port}")).expect_err("nothing listens");
        assert!(
            err.contains("refused") || err.contains("cannot connect"),
            "{err}"
        );
    }

    /// A line server like the shell's netcat session: greets, answers each line,
    /// closes at end-of-file.
    fn line_server() -> (SocketAddr, std::thread::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let handle = std::thread::spawn(move || {
            let (sock, _) = listener.accept().expect("accept");
            let mut w = sock.try_clone().expect("clone");
            w.write_all(b"hello\n").expect("greet");
            let mut got = Vec::new();
            for line in BufReader::new(sock).lines() {
                let line = line.expect("line");
                w.write_all(format!("got {line}\n").as_bytes())
                    .expect("answer");
                got.push(line);
            }
            got
        });
        (addr, handle)
    }

    #[test]
    fn relays_both_ways_until_the_peer_closes() {
        let (addr, server) = line_server();
        let stream = connect(&addr.to_string()).expect("connect");
        let input = io::Cursor::new(b"0012000400020000\nabc\n".to_vec());
        let mut output = Vec::new();
        relay(stream, input, &mut output).expect("relay");
        assert_eq!(
            String::from_utf8(output).expect("utf8"),
            "hello\ngot 0012000400020000\ngot abc\n"
        );
        assert_eq!(
            server.join().expect("server"),
            vec!["0012000400020000", "abc"]
        );
    }
}
