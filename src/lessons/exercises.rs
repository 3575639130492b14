//! The exercises: the things the shell can see a learner do, named by one type.
//!
//! An exercise used to be a string id kept equal in three places: the lesson
//! files name it, `progress.txt` stores it, and the shell's detector returns it. A
//! typo in any one of them meant an exercise that could never be finished, and
//! nothing said so. Now [`Exercise`] is the one list; its text form
//! ([`Exercise::as_str`], [`FromStr`]) is exactly the old ids, so lesson files and
//! progress files written by earlier versions still read.
//!
//! * [`Exercise`]: every exercise, what finishing it means, and its text form.
//! * [`LessonExercise`] and [`exercises`]: an exercise as a lesson assigns it, in
//!   a comment `<!-- exercise: ping_answered | Ping your node by hand -->`.
//! * [`detect`]: which exercises a background event completes (the commands that
//!   complete one are named where they run, in the shell).
//! * [`Watch`]: the exercises one event cannot show alone. "A channel with a netcat
//!   session reached ready" needs to know that the channel is a netcat session's,
//!   which `ChannelReady` does not say; the messages the node sent that session
//!   earlier do. `Watch` remembers them (bounded) and reads each event against them.
//!
//! Nothing here does I/O: it is data and pure functions over events (and, for
//! `Watch`, over what it remembers of earlier ones).

use std::fmt;
use std::str::FromStr;

/// Something the shell can see the learner do. Lessons may only assign these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exercise {
    /// `netcat_connected`
    NetcatConnected,
    /// `netcat_decoded`
    NetcatDecoded,
    /// `netcat_open_channel_100k`
    NetcatOpenChannel100k,
    /// `ping_answered`
    PingAnswered,
    /// `peer_connected`
    PeerConnected,
    /// `outbound_connected`
    OutboundConnected,
    /// `decoded`
    Decoded,
    /// `encoded`
    Encoded,
    /// `listen_started`
    ListenStarted,
    /// `trace_seen`
    TraceSeen,
    /// `channel_pending`
    ChannelPending,
    /// `ipv6_connected`
    Ipv6Connected,
    /// `onion_connected`
    OnionConnected,
    /// `socks5_read`
    Socks5Read,
    /// `netcat_channel_ready`
    NetcatChannelReady,
    /// `netcat_payment_claimed`
    NetcatPaymentClaimed,
    /// `netcat_order_broken`
    NetcatOrderBroken,
    /// `trace_replayed`
    TraceReplayed,
}

impl Exercise {
    /// Every exercise, in the order the lessons meet them.
    pub const ALL: [Exercise; 18] = [
        Exercise::NetcatConnected,
        Exercise::NetcatDecoded,
        Exercise::NetcatOpenChannel100k,
        Exercise::PingAnswered,
        Exercise::PeerConnected,
        Exercise::OutboundConnected,
        Exercise::Decoded,
        Exercise::Encoded,
        Exercise::ListenStarted,
        Exercise::TraceSeen,
        Exercise::ChannelPending,
        Exercise::Ipv6Connected,
        Exercise::OnionConnected,
        Exercise::Socks5Read,
        Exercise::NetcatChannelReady,
        Exercise::NetcatPaymentClaimed,
        Exercise::NetcatOrderBroken,
        Exercise::TraceReplayed,
    ];

    /// Its id, as lesson files and `progress.txt` spell it. These strings are a
    /// file format: changing one would forget every learner's progress on it.
    pub fn as_str(self) -> &'static str {
        match self {
            Exercise::NetcatConnected => "netcat_connected",
            Exercise::NetcatDecoded => "netcat_decoded",
            Exercise::NetcatOpenChannel100k => "netcat_open_channel_100k",
            Exercise::PingAnswered => "ping_answered",
            Exercise::PeerConnected => "peer_connected",
            Exercise::OutboundConnected => "outbound_connected",
            Exercise::Decoded => "decoded",
            Exercise::Encoded => "encoded",
            Exercise::ListenStarted => "listen_started",
            Exercise::TraceSeen => "trace_seen",
            Exercise::ChannelPending => "channel_pending",
            Exercise::Ipv6Connected => "ipv6_connected",
            Exercise::OnionConnected => "onion_connected",
            Exercise::Socks5Read => "socks5_read",
            Exercise::NetcatChannelReady => "netcat_channel_ready",
            Exercise::NetcatPaymentClaimed => "netcat_payment_claimed",
            Exercise::NetcatOrderBroken => "netcat_order_broken",
            Exercise::TraceReplayed => "trace_replayed",
        }
    }

    /// What finishing it means, in words that follow "Well done: ".
    pub fn what(self) -> &'static str {
        match self {
            Exercise::NetcatConnected => "you opened a plaintext (netcat) session to your own node",
            Exercise::NetcatDecoded => "your node decoded a message you pasted into netcat",
            Exercise::NetcatOpenChannel100k => {
                "you sent your node an open_channel of 100,000 sat or more by hand"
            }
            Exercise::PingAnswered => "you pinged your node by hand and it answered with a pong",
            Exercise::PeerConnected => {
                "a lightning peer finished the BOLT 8 handshake and init with your node"
            }
            Exercise::OutboundConnected => {
                "you connected to another node by its node id, over BOLT 8"
            }
            Exercise::Decoded => "you read a message byte by byte with decode",
            Exercise::Encoded => "you built a message from its fields with encode",
            Exercise::ListenStarted => "you started a listener of your own",
            Exercise::TraceSeen => "you watched live lightning messages in the trace",
            Exercise::ChannelPending => "you took a channel with LDK all the way to pending",
            Exercise::Ipv6Connected => "you connected to another node over IPv6",
            Exercise::OnionConnected => {
                "you connected to a Tor onion service through a SOCKS5 proxy"
            }
            Exercise::Socks5Read => "you read, byte by byte, what a node sends a SOCKS5 proxy",
            Exercise::NetcatChannelReady => {
                "you carried a channel from netcat to channel_ready, one message at a time"
            }
            Exercise::NetcatPaymentClaimed => {
                "you paid your node from netcat, and it claimed the payment"
            }
            Exercise::TraceReplayed => {
                "you saved a conversation with trace save and drew it with diagram --file"
            }
            Exercise::NetcatOrderBroken => {
                "you sent a channel message out of order and read LDK's error"
            }
        }
    }
}

impl fmt::Display for Exercise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An id that names no exercise this shell knows (perhaps a newer lnshell's).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an exercise id this lnshell knows")]
pub struct UnknownExercise(pub String);

impl FromStr for Exercise {
    type Err = UnknownExercise;

    /// The inverse of [`Exercise::as_str`]: exact, no case folding, so that the
    /// text in a file is the id and nothing else.
    fn from_str(s: &str) -> Result<Exercise, UnknownExercise> {
        Exercise::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| UnknownExercise(s.to_string()))
    }
}

/// One exercise as a lesson assigns it: which one, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonExercise {
    /// The exercise.
    pub id: Exercise,
    /// What to do, in a few words.
    pub description: String,
}

/// The exercises a lesson declares with `<!-- exercise: id | description -->`.
///
/// A comment naming an id this shell cannot detect is not an exercise (it could
/// never be finished); `every_exercise_comment_names_a_known_exercise` keeps the
/// lesson files free of them.
pub fn exercises(markdown: &str) -> Vec<LessonExercise> {
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find("<!--") {
        let after = &rest[start + 4..];
        let Some(end) = after.find("-->") else { break };
        if let Some(ex) = parse_exercise_comment(&after[..end]) {
            out.push(ex);
        }
        rest = &after[end + 3..];
    }
    out
}

/// The inside of one `<!-- ... -->`, if it assigns a known exercise.
pub(super) fn parse_exercise_comment(body: &str) -> Option<LessonExercise> {
    let (id, description) = split_exercise_comment(body)?;
    Some(LessonExercise {
        id: id.parse().ok()?,
        description,
    })
}

/// `exercise: id | description` → the id as written and the description on one
/// line; `None` for any other comment.
fn split_exercise_comment(body: &str) -> Option<(&str, String)> {
    let body = body.trim().strip_prefix("exercise:")?;
    let (id, description) = body.split_once('|').unwrap_or((body, ""));
    Some((
        id.trim(),
        description.split_whitespace().collect::<Vec<_>>().join(" "),
    ))
}

/// A short word of praise naming what was done.
pub fn praise(id: Exercise) -> String {
    format!("✓ Well done: {} (exercise {id}).", id.what())
}

/// The exercises a background event completes.
pub fn detect(event: &crate::events::Event) -> Vec<Exercise> {
    use crate::events::Event;
    match event {
        Event::NetcatConnected { .. } => vec![Exercise::NetcatConnected],
        Event::NetcatLine {
            decoded, answer, ..
        } => {
            let mut ids = Vec::new();
            if decoded.is_ok() {
                ids.push(Exercise::NetcatDecoded);
                let funding = decoded.field("funding_satoshis").map(|f| f.value);
                if decoded.msg_type == Some(crate::wire::catalog::types::OPEN_CHANNEL)
                    && matches!(funding, Some(crate::wire::decode::Value::Uint(v)) if v >= 100_000)
                {
                    ids.push(Exercise::NetcatOpenChannel100k);
                }
            }
            if matches!(answer, Some(crate::events::NetcatAnswer::Pong { .. })) {
                ids.push(Exercise::PingAnswered);
            }
            ids
        }
        Event::PeerConnected { .. } => vec![Exercise::PeerConnected],
        Event::Message { .. } => vec![Exercise::TraceSeen],
        Event::ChannelPending { .. } => vec![Exercise::ChannelPending],
        _ => Vec::new(),
    }
}

/// The most channel ids and node ids a [`Watch`] remembers; past it the oldest
/// is forgotten. A learner has a few channels; a load test has hundreds, and must
/// not grow the shell without bound.
pub const MAX_WATCHED: usize = 1024;

/// What the lessons remember of earlier events, to notice what one event cannot
/// show alone: whether a channel, or a payer, is a netcat session's.
///
/// * A channel is a netcat session's when the node sent that session a message
///   naming it: `accept_channel` (its temporary id), `funding_signed` or
///   `channel_ready` (its real id). A BOLT 8 peer's channel never appears in a
///   [`Event::NetcatNodeSent`](crate::events::Event::NetcatNodeSent).
/// * `ChannelReady` for such a channel is [`Exercise::NetcatChannelReady`], and
///   its counterparty (the session's side) is remembered as a netcat payer.
/// * `PaymentReceived` from such a payer is [`Exercise::NetcatPaymentClaimed`].
/// * An `error` the node sent a netcat session about such a channel is
///   [`Exercise::NetcatOrderBroken`]: the channel had got past `open_channel`, so
///   the error is about what came after (a message out of order, a bad
///   signature), not about the terms of a new channel (lesson 10's refusals).
#[derive(Debug, Default)]
pub struct Watch {
    channels: std::collections::VecDeque<[u8; 32]>,
    payers: std::collections::VecDeque<bitcoin::secp256k1::PublicKey>,
}

impl Watch {
    /// A watch that remembers nothing yet.
    pub fn new() -> Watch {
        Watch::default()
    }

    /// The exercises `event` completes: those of [`detect`], and those it
    /// completes given the events seen before.
    pub fn observe(&mut self, event: &crate::events::Event) -> Vec<Exercise> {
        use crate::events::Event;
        use crate::wire::catalog::types;
        let mut ids = detect(event);
        match event {
            Event::NetcatNodeSent { message, .. } => {
                let (Some(kind), Some(channel)) = (message_type(message), channel_id_of(message))
                else {
                    return ids;
                };
                match kind {
                    types::ACCEPT_CHANNEL | types::FUNDING_SIGNED | types::CHANNEL_READY => {
                        remember(&mut self.channels, channel);
                    }
                    types::ERROR if self.channels.contains(&channel) => {
                        ids.push(Exercise::NetcatOrderBroken);
                    }
                    _ => {}
                }
            }
            Event::ChannelReady {
                channel_id,
                counterparty_node_id,
            } if self.channels.contains(&channel_id.0) => {
                ids.push(Exercise::NetcatChannelReady);
                remember(&mut self.payers, *counterparty_node_id);
            }
            Event::PaymentReceived {
                counterparty_node_id: Some(payer),
                ..
            } if self.payers.contains(payer) => ids.push(Exercise::NetcatPaymentClaimed),
            _ => {}
        }
        ids
    }
}

/// Adds `item` to a bounded list of remembered things (once).
fn remember<T: PartialEq>(list: &mut std::collections::VecDeque<T>, item: T) {
    if list.contains(&item) {
        return;
    }
    if list.len() == MAX_WATCHED {
        list.pop_front();
    }
    list.push_back(item);
}

/// A message's type (its first two bytes).
fn message_type(message: &[u8]) -> Option<u16> {
    Some(u16::from_be_bytes([*message.first()?, *message.get(1)?]))
}

/// The 32 bytes after the type: the `channel_id` (or `temporary_channel_id`) of
/// every channel message the watch reads (`accept_channel`, `funding_signed`,
/// `channel_ready`, `error`).
fn channel_id_of(message: &[u8]) -> Option<[u8; 32]> {
    message.get(2..34)?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_comments() {
        let md = "x\n<!-- exercise: ping_answered | Ping your\n node -->\n<!-- other -->\n<!--exercise:decoded-->";
        assert_eq!(
            exercises(md),
            vec![
                LessonExercise {
                    id: Exercise::PingAnswered,
                    description: "Ping your node".into()
                },
                LessonExercise {
                    id: Exercise::Decoded,
                    description: String::new()
                }
            ]
        );
    }

    fn node_id(byte: u8) -> bitcoin::secp256k1::PublicKey {
        let secp = bitcoin::secp256k1::Secp256k1::signing_only();
        let key = bitcoin::secp256k1::SecretKey::from_slice(&[byte; 32]).expect("a valid key");
        bitcoin::secp256k1::PublicKey::from_secret_key(&secp, &key)
    }

    /// A message the node sent to netcat session #1: `msg_type`, a channel id,
    /// and a few payload bytes (the watch reads no further).
    fn node_sent(msg_type: u16, channel: [u8; 32]) -> crate::events::Event {
        let mut message = msg_type.to_be_bytes().to_vec();
        message.extend_from_slice(&channel);
        message.extend_from_slice(&[0, 0]);
        crate::events::Event::NetcatNodeSent { id: 1, message }
    }

    fn ready(channel: [u8; 32], peer: bitcoin::secp256k1::PublicKey) -> crate::events::Event {
        crate::events::Event::ChannelReady {
            channel_id: lightning::ln::types::ChannelId(channel),
            counterparty_node_id: peer,
        }
    }

    fn paid(peer: Option<bitcoin::secp256k1::PublicKey>) -> crate::events::Event {
        crate::events::Event::PaymentReceived {
            counterparty_node_id: peer,
            amount_msat: 10_000,
            payment_hash: lightning::types::payment::PaymentHash([7; 32]),
        }
    }

    /// Lesson 11's path: the node accepts and signs a netcat session's channel,
    /// the channel becomes ready, the session's side pays, then breaks the order.
    #[test]
    fn a_netcat_channel_is_noticed_from_ready_to_paid_to_broken() {
        use crate::wire::catalog::types;
        let (temporary, channel, side) = ([1; 32], [2; 32], node_id(3));
        let mut watch = Watch::new();
        assert_eq!(
            watch.observe(&node_sent(types::ACCEPT_CHANNEL, temporary)),
            vec![]
        );
        assert_eq!(
            watch.observe(&node_sent(types::FUNDING_SIGNED, channel)),
            vec![]
        );
        // Paid before ready: not yet a netcat payer.
        assert_eq!(watch.observe(&paid(Some(side))), vec![]);
        assert_eq!(
            watch.observe(&ready(channel, side)),
            vec![Exercise::NetcatChannelReady]
        );
        assert_eq!(
            watch.observe(&paid(Some(side))),
            vec![Exercise::NetcatPaymentClaimed]
        );
        assert_eq!(
            watch.observe(&node_sent(types::ERROR, channel)),
            vec![Exercise::NetcatOrderBroken]
        );
        // A flipped funding_created is refused under the temporary id.
        assert_eq!(
            watch.observe(&node_sent(types::ERROR, temporary)),
            vec![Exercise::NetcatOrderBroken]
        );
        // What `detect` finds alone is still found.
        assert_eq!(
            watch.observe(&crate::events::Event::NetcatConnected {
                id: 2,
                remote: "127.0.0.1:1".parse().expect("an address"),
            }),
            vec![Exercise::NetcatConnected]
        );
    }

    /// Channels and payments that are not a netcat session's complete nothing:
    /// two shells over BOLT 8, a refused open_channel, a payer LDK does not name.
    #[test]
    fn other_channels_and_errors_are_not_netcat_exercises() {
        use crate::wire::catalog::types;
        let mut watch = Watch::new();
        let peer = node_id(4);
        assert_eq!(watch.observe(&ready([5; 32], peer)), vec![]);
        assert_eq!(watch.observe(&paid(Some(peer))), vec![]);
        assert_eq!(watch.observe(&paid(None)), vec![]);
        // The node refused an open_channel: an error, but no accept_channel before it.
        assert_eq!(watch.observe(&node_sent(types::ERROR, [6; 32])), vec![]);
        // Too short to name a channel (or to have a type): nothing, and no panic.
        for message in [vec![], vec![0x00], vec![0x00, 0x11, 0xab]] {
            let ev = crate::events::Event::NetcatNodeSent { id: 1, message };
            assert_eq!(watch.observe(&ev), vec![]);
        }
        // Other messages naming a channel do not make it the session's.
        assert_eq!(watch.observe(&node_sent(types::SHUTDOWN, [8; 32])), vec![]);
        assert_eq!(watch.observe(&ready([8; 32], peer)), vec![]);
        // Channel_ready sent to a session marks its channel too.
        assert_eq!(
            watch.observe(&node_sent(types::CHANNEL_READY, [9; 32])),
            vec![]
        );
        assert_eq!(
            watch.observe(&ready([9; 32], peer)),
            vec![Exercise::NetcatChannelReady]
        );
    }

    /// The watch forgets the oldest channels past [`MAX_WATCHED`]: a flood of
    /// sessions cannot grow the shell without bound.
    #[test]
    fn the_watch_is_bounded() {
        use crate::wire::catalog::types;
        let mut watch = Watch::new();
        let id = |i: usize| {
            let mut c = [0u8; 32];
            c[..8].copy_from_slice(&(i as u64).to_be_bytes());
            c
        };
        for i in 0..MAX_WATCHED + 10 {
            watch.observe(&node_sent(types::FUNDING_SIGNED, id(i)));
            // The same channel again is not remembered twice.
            watch.observe(&node_sent(types::CHANNEL_READY, id(i)));
        }
        assert_eq!(watch.channels.len(), MAX_WATCHED);
        assert_eq!(watch.observe(&ready(id(0), node_id(1))), vec![]);
        assert_eq!(
            watch.observe(&ready(id(MAX_WATCHED + 9), node_id(1))),
            vec![Exercise::NetcatChannelReady]
        );
    }

    #[test]
    fn praise_names_every_exercise() {
        for id in Exercise::ALL {
            let p = praise(id);
            assert!(p.contains(id.what()) && p.contains(id.as_str()), "{p}");
        }
    }

    /// The text form is the id that files hold: it reads back to the same
    /// exercise, every id is distinct, and nothing else parses.
    #[test]
    fn text_form_round_trips() {
        for id in Exercise::ALL {
            assert_eq!(id.as_str().parse::<Exercise>(), Ok(id));
            assert_eq!(id.to_string(), id.as_str());
        }
        let mut ids: Vec<&str> = Exercise::ALL.iter().map(|e| e.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Exercise::ALL.len(), "ids are distinct");
        for bad in ["", "Decoded", " decoded", "something_new"] {
            assert_eq!(
                bad.parse::<Exercise>(),
                Err(UnknownExercise(bad.to_string()))
            );
        }
    }

    /// A lesson comment with a mistyped id would silently assign nothing (see
    /// [`exercises`]): read every lesson file as it is on disk and insist that each
    /// `exercise:` comment names an [`Exercise`].
    #[test]
    fn every_exercise_comment_names_a_known_exercise() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).expect("lessons/ exists") {
            let path = entry.expect("dir entry").path();
            if path.extension().is_none_or(|e| e != "md")
                || path.file_name().is_some_and(|n| n == "README.md")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read lesson");
            let mut rest = text.as_str();
            while let Some(start) = rest.find("<!--") {
                let after = &rest[start + 4..];
                let Some(end) = after.find("-->") else { break };
                if let Some((id, _)) = split_exercise_comment(&after[..end]) {
                    seen += 1;
                    assert!(
                        id.parse::<Exercise>().is_ok(),
                        "{}: unknown exercise id {id:?}",
                        path.display()
                    );
                }
                rest = &after[end + 3..];
            }
        }
        assert!(seen >= Exercise::ALL.len(), "every exercise is assigned");
    }
}
