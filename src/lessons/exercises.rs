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
//!
//! Nothing here does I/O: it is data and pure functions over events.

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
}

impl Exercise {
    /// Every exercise, in the order the lessons meet them.
    pub const ALL: [Exercise; 14] = [
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
