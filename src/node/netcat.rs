//! A plaintext (netcat) session: hex BOLT messages in, one-line summaries out.
//!
//! A person runs `nc -v 127.0.0.1 9735`, gets a greeting, and pastes one message
//! per line as hex (`type || payload`). Each line is decoded by [`crate::wire`];
//! the client gets a one-line summary back and the shell shows the full decode as
//! an event. The reader is bounded: a line longer than [`MAX_LINE`] gets an error
//! and ends the session, so no client can make us buffer without limit.

use std::fmt::{self, Write as _};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use std::sync::Arc;

use super::peers::Registration;
use super::responder::{explain_refusal, read_open_channel, Answer};
use super::shared::Shared;
use crate::events::{Event, NetcatAnswer, NetcatCloseReason};
use crate::wire;
use crate::wire::catalog::types;

/// The longest line accepted (defined with the other limits, in [`super::config`]).
pub use super::config::MAX_LINE;

/// What the client sees on connecting.
pub const GREETING: &str = "lnshell: plaintext session. Paste a hex BOLT message per line \
(type || payload, e.g. 0012000400020000 for a ping); each line is decoded in the shell. \
This is not BOLT 8: a real lightning node would expect an encrypted handshake here.\n";

/// How long a reply may wait for a client that does not read.
const WRITE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Serves one netcat client until it disconnects or the shell asks it to close.
pub(crate) async fn run(
    stream: TcpStream,
    remote: SocketAddr,
    reg: Registration,
    shared: Arc<Shared>,
) {
    let id = reg.id;
    let _ = shared.events.send(Event::NetcatConnected { id, remote });
    let (read_half, write_half) = stream.into_split();
    let mut session = Session {
        reader: BufReader::new(read_half),
        writer: write_half,
        shared: Arc::clone(&shared),
        id,
    };
    let reason = session.serve(&reg).await;
    let _ = shared.events.send(Event::NetcatClosed { id, reason });
    drop(reg);
}

struct Session {
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
    shared: Arc<Shared>,
    id: u64,
}

impl Session {
    /// Writes to the client; false if it is gone or has stopped reading.
    async fn say(&mut self, text: &str) -> bool {
        matches!(
            tokio::time::timeout(WRITE_TIMEOUT, self.writer.write_all(text.as_bytes())).await,
            Ok(Ok(()))
        )
    }

    /// The session's life; returns why it ended.
    async fn serve(&mut self, reg: &Registration) -> NetcatCloseReason {
        let limits = self.shared.limits.clone();
        if !self.say(GREETING).await {
            return NetcatCloseReason::ClientWentAway;
        }
        let close = Arc::clone(&reg.close);
        let mut line = Vec::new();
        let mut garbage_in_a_row = 0u32;
        loop {
            line.clear();
            let read = tokio::select! {
                r = tokio::time::timeout(limits.netcat_idle, read_line_bounded(&mut self.reader, &mut line, limits.max_line)) => r,
                _ = close.notified() => {
                    self.say("lnshell: closing this session (disconnect from the shell)\n").await;
                    return NetcatCloseReason::DisconnectedByShell;
                }
            };
            let read = match read {
                Ok(r) => r,
                Err(_) => {
                    let secs = limits.netcat_idle.as_secs();
                    self.say(&format!(
                        "lnshell: closing: nothing received for {secs} s (--idle-timeout)\n"
                    ))
                    .await;
                    return NetcatCloseReason::IdleTimeout(limits.netcat_idle);
                }
            };
            match read {
                Ok(LineRead::Eof) => return NetcatCloseReason::ClientClosed,
                Ok(LineRead::TooLong) => {
                    let max = limits.max_line;
                    self.say(&format!(
                        "error: line longer than {max} bytes; a BOLT message is at most 65535 bytes \
                         (131070 hex digits). Closing.\n"
                    ))
                    .await;
                    return NetcatCloseReason::LineTooLong(max);
                }
                Err(e) => return NetcatCloseReason::ReadError(Arc::new(e)),
                Ok(LineRead::Line) => {}
            }
            if is_binary(&line) {
                garbage_in_a_row += 1;
                reg.received.fetch_add(1, Ordering::Relaxed);
                if garbage_in_a_row >= limits.max_garbage_lines {
                    self.say("error: binary data again; this session takes hex text. Closing.\n")
                        .await;
                    return NetcatCloseReason::BinaryLines(garbage_in_a_row);
                }
                if !self
                    .say("error: binary data, not hex text: paste a message as hex digits, e.g. 0012000400020000\n")
                    .await
                {
                    return NetcatCloseReason::ClientWentAway;
                }
                continue;
            }
            garbage_in_a_row = 0;
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            reg.received.fetch_add(1, Ordering::Relaxed);
            let reply = handle_line(self.id, text, &self.shared);
            if !self.say(&reply).await {
                return NetcatCloseReason::ClientWentAwayOrStoppedReading;
            }
        }
    }
}

/// A line with control bytes or bytes outside ASCII: not something typed.
pub fn is_binary(line: &[u8]) -> bool {
    line.iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b >= 0x7f)
}

/// Decodes one line: returns the reply for the client, reports the full decode.
fn handle_line(id: u64, text: &str, shared: &Shared) -> String {
    let LineReply {
        decoded,
        reply,
        answer,
    } = reply_to_line(text, |msg| shared.respond(msg));
    let _ = shared.events.send(Event::NetcatLine {
        id,
        decoded: Box::new(decoded),
        answer,
    });
    reply
}

/// What a session makes of one line of hex.
#[derive(Debug)]
pub struct LineReply {
    /// The decode.
    pub decoded: wire::Decoded,
    /// What the client gets back: the summary line, then the answer if any.
    pub reply: String,
    /// The answer a node would give (a `pong`, LDK's answer to `open_channel`).
    pub answer: Option<NetcatAnswer>,
}

/// Decodes `text` and builds the client's reply, with no I/O: `ldk` is asked for
/// its answer to a valid `open_channel`.
///
/// Like a node, the session answers a valid `ping` with its `pong`, and an
/// `open_channel` with what LDK would answer, so the learner gets real messages
/// back to decode.
pub fn reply_to_line(
    text: &str,
    ldk: impl Fn(&lightning::ln::msgs::OpenChannel) -> Answer,
) -> LineReply {
    let decoded = wire::decode_hex(text, wire::DecodeOptions { ldk_check: true });
    let mut reply = format!("{}\n", decoded.summary());
    let answer = if decoded.is_ok() {
        match decoded.msg_type {
            Some(types::PING) => pong_for(&decoded),
            Some(types::OPEN_CHANNEL) => ldk_answer(&decoded, ldk),
            _ => None,
        }
    } else {
        None
    };
    if let Some(a) = &answer {
        // Writing to a `String` cannot fail.
        let _ = writeln!(reply, "{a}");
    }
    LineReply {
        decoded,
        reply,
        answer,
    }
}

/// BOLT 1's bound on `num_pong_bytes`: a `ping` asking for this many or more gets no
/// `pong` (such pings only pad traffic).
const MAX_PONG_BYTES: u64 = 65532;

/// BOLT 1: a node answers a `ping` with a `pong` of `num_pong_bytes` zero bytes,
/// unless `num_pong_bytes` is 65532 or more (then it must not answer).
fn pong_for(ping: &wire::Decoded) -> Option<NetcatAnswer> {
    let n = match ping.field("num_pong_bytes").map(|f| f.value) {
        Some(wire::decode::Value::Uint(n)) => n,
        _ => return None,
    };
    if n >= MAX_PONG_BYTES {
        return Some(NetcatAnswer::NoPong { num_pong_bytes: n });
    }
    let mut pong = types::PONG.to_be_bytes().to_vec();
    pong.extend_from_slice(&(n as u16).to_be_bytes());
    pong.resize(4 + n as usize, 0);
    Some(NetcatAnswer::Pong { message: pong })
}

/// What LDK's `ChannelManager` would answer to this `open_channel`.
fn ldk_answer(
    decoded: &wire::Decoded,
    ldk: impl Fn(&lightning::ln::msgs::OpenChannel) -> Answer,
) -> Option<NetcatAnswer> {
    let msg = read_open_channel(&decoded.bytes).ok()?;
    Some(match ldk(&msg) {
        Answer::Accept(accept_channel) => NetcatAnswer::LdkAccepts { accept_channel },
        Answer::Refuse { message, reason } => NetcatAnswer::LdkRefuses { reason, message },
        Answer::Nothing => NetcatAnswer::LdkSilent,
    })
}

/// The answer as the client reads it; the shell's printer repeats these words
/// after `answered:`, so they are written once, here, by the session that says
/// them.
impl fmt::Display for NetcatAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetcatAnswer::Pong { message } => write!(f, "pong: {}", hex::encode(message)),
            NetcatAnswer::NoPong { num_pong_bytes } => write!(
                f,
                "no pong: num_pong_bytes is {num_pong_bytes}, and BOLT 1 says to ignore a ping asking for 65532 or more"
            ),
            NetcatAnswer::LdkAccepts { accept_channel } => write!(
                f,
                "LDK would answer with accept_channel: {}",
                hex::encode(accept_channel)
            ),
            NetcatAnswer::LdkRefuses { reason, message } => {
                let why = explain_refusal(reason);
                match message {
                    Some(m) => write!(f, "LDK would refuse ({why}) with error: {}", hex::encode(m)),
                    None => write!(f, "LDK would refuse: {reason} ({why})"),
                }
            }
            NetcatAnswer::LdkSilent => f.write_str("LDK would not answer (see `log` in the shell)"),
        }
    }
}

/// What [`read_line_bounded`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum LineRead {
    /// A line (with its `\n`, unless the input ended first).
    Line,
    /// The input ended.
    Eof,
    /// The line passed the limit; what was read so far is discarded.
    TooLong,
}

/// Reads up to and including `\n` into `line`, refusing to grow past `max_line`.
pub async fn read_line_bounded<R: AsyncBufReadExt + Unpin>(
    reader: &mut R,
    line: &mut Vec<u8>,
    max_line: usize,
) -> std::io::Result<LineRead> {
    loop {
        let buf = reader.fill_buf().await?;
        if buf.is_empty() {
            return Ok(if line.is_empty() {
                LineRead::Eof
            } else {
                LineRead::Line
            });
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if line.len() + take > max_line.saturating_add(2) {
            return Ok(LineRead::TooLong);
        }
        line.extend_from_slice(&buf[..take]);
        reader.consume(take);
        if done {
            return Ok(LineRead::Line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The client reads these words, and the shell repeats them after `answered:`.
    #[test]
    fn answers_read_as_before() {
        let cases = [
            (
                NetcatAnswer::Pong {
                    message: vec![0x00, 0x13, 0x00, 0x02, 0x00, 0x00],
                },
                "pong: 001300020000".to_string(),
            ),
            (
                NetcatAnswer::NoPong {
                    num_pong_bytes: 65532,
                },
                "no pong: num_pong_bytes is 65532, and BOLT 1 says to ignore a ping asking for 65532 or more"
                    .to_string(),
            ),
            (
                NetcatAnswer::LdkAccepts {
                    accept_channel: vec![0x00, 0x21],
                },
                "LDK would answer with accept_channel: 0021".to_string(),
            ),
            (
                NetcatAnswer::LdkRefuses {
                    reason: "no".into(),
                    message: Some(vec![0x00, 0x11]),
                },
                format!("LDK would refuse ({}) with error: 0011", explain_refusal("no")),
            ),
            (
                NetcatAnswer::LdkRefuses {
                    reason: "no".into(),
                    message: None,
                },
                format!("LDK would refuse: no ({})", explain_refusal("no")),
            ),
            (
                NetcatAnswer::LdkSilent,
                "LDK would not answer (see `log` in the shell)".to_string(),
            ),
        ];
        for (answer, expected) in cases {
            assert_eq!(answer.to_string(), expected);
        }
    }

    #[tokio::test]
    async fn bounded_reader_splits_lines_and_refuses_long_ones() {
        let data = b"aa\nbb\n".to_vec();
        let mut r = BufReader::new(&data[..]);
        let mut line = Vec::new();
        assert!(matches!(
            read_line_bounded(&mut r, &mut line, MAX_LINE).await,
            Ok(LineRead::Line)
        ));
        assert_eq!(line, b"aa\n");
        line.clear();
        assert!(matches!(
            read_line_bounded(&mut r, &mut line, MAX_LINE).await,
            Ok(LineRead::Line)
        ));
        assert_eq!(line, b"bb\n");
        line.clear();
        assert!(matches!(
            read_line_bounded(&mut r, &mut line, MAX_LINE).await,
            Ok(LineRead::Eof)
        ));

        // The largest limit must not overflow (`--max-line` takes any usize).
        let mut r = BufReader::new(&b"aa\n"[..]);
        let mut line = Vec::new();
        assert!(matches!(
            read_line_bounded(&mut r, &mut line, usize::MAX).await,
            Ok(LineRead::Line)
        ));

        let long = vec![b'a'; MAX_LINE + 10];
        let mut r = BufReader::new(&long[..]);
        let mut line = Vec::new();
        assert!(matches!(
            read_line_bounded(&mut r, &mut line, MAX_LINE).await,
            Ok(LineRead::TooLong)
        ));
    }
}
