//! LDK's log, written to a file in the data dir rather than over the prompt.
//!
//! LDK logs a great deal (every message, every timer tick at trace level); printed
//! to the terminal it would bury the prompt. The `log` command shows the file's tail.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bitcoin::secp256k1::PublicKey;
use lightning::util::logger::{Level, Logger, Record};

/// How many recent records are kept in memory to explain disconnects.
const RECENT: usize = 64;

/// LDK log lines that explain why a connection ended, and what they mean.
///
/// [`TICK`] in a meaning stands for the node's real timer tick (10 s unless
/// `LNSHELL_TIMER_TICK_MS` shortens it, as the tests do), [`TWO_TICKS`] for two of
/// them, so the words never promise a wait the node does not keep.
const DISCONNECT_REASONS: &[(&str, &str)] = &[
    ("hasn't completed handshake due to ping/handshake timeout", "the BOLT 8 handshake did not finish within two timer ticks ({two_ticks}): LDK marks an unfinished handshake at the first tick after the connection came and drops it at the next, so a stalled one lasts between {tick} and {two_ticks}"),
    ("due to ping/handshake timeout", "they did not answer LDK's ping: LDK pings on every timer tick ({tick}) and drops a peer that has not sent its pong by the next"),
    ("unknown even message", "they sent a message type that is even and unknown to LDK; BOLT 1: a node MUST close the connection on an unknown even type (\"it's OK to be odd\"). LDK resets it without sending an error"),
    ("invalid value while deserializing message", "they sent a message LDK could not decode (an invalid value); LDK resets the connection without sending an error"),
    ("shortness of message", "they sent a message too short for its type; LDK resets the connection without sending an error"),
    ("unknown required feature", "their message has an unknown even (required) feature or TLV; LDK must close the connection"),
    ("We require features unknown to our peer", "their init lacks features LDK requires (today bits 0, 8, 12, 14 or 44: see `decode` of their init)"),
    ("requires features unknown to us", "their init requires (even bit) features LDK does not know"),
    ("does not support any of our supported chains", "their init's networks TLV does not include our chain (`info` shows our network)"),
    ("does not support static remote key", "their init lacks option_static_remotekey, which LDK's ChannelManager requires"),
    ("Bad MAC", "the BOLT 8 handshake failed: their act one did not decrypt (Bad MAC), so they encrypted it to another node id than ours"),
    ("Unknown handshake version number", "what answered is not speaking BOLT 8: a BOLT 8 handshake message starts with version byte 0, and LDK got another byte (72 is 'H', as in an HTTP reply)"),
    ("disconnecting peer with:", "LDK closed the connection after an error handling their message"),
];

/// LDK's record that the three acts of BOLT 8 are done (an initiator writes it when
/// act two came back and decrypted: only the owner of the node id we encrypted act
/// one to could have written act two).
const HANDSHAKE_DONE: &str = "Finished noise handshake for connection with";

/// Why a peer closes right after a handshake that got through, before its `init`
/// reached us, when LDK's log has no word on it: `init`'s own rules.
const CLOSED_AFTER_HANDSHAKE: &str = "the BOLT 8 handshake got through (act two came back, so the node id is right), then the peer \
     closed before its init reached us: most likely it is on another network (no chain of its own in our init's \
     `networks`) or one of the two requires features the other lacks; the other node's log says which";

/// Where a meaning in [`DISCONNECT_REASONS`] says how long a timer tick is.
const TICK: &str = "{tick}";
/// Where a meaning says how long two timer ticks are: LDK's longest wait for a
/// handshake (it marks a stalled one at one tick, drops it at the next).
const TWO_TICKS: &str = "{two_ticks}";

/// A timer tick as the learner reads it: `10 s`, or `200 ms` when it is shorter
/// than a whole number of seconds.
fn tick_text(tick: Duration) -> String {
    if tick.subsec_millis() == 0 && tick.as_secs() > 0 {
        format!("{} s", tick.as_secs())
    } else {
        format!("{} ms", tick.as_millis())
    }
}

/// A meaning of [`DISCONNECT_REASONS`] with its tick placeholders filled in.
fn fill_ticks(meaning: &str, tick: Duration) -> String {
    meaning
        .replace(TWO_TICKS, &tick_text(tick * 2))
        .replace(TICK, &tick_text(tick))
}

/// The log file's name inside the data dir.
pub const LOG_FILE: &str = "lnshell.log";

/// The log of `respond`'s throwaway `ChannelManager`, beside [`LOG_FILE`]: its
/// records (made-up peers, channels closed "prior to funding" a moment after they
/// were asked for) are an experiment's, not the node's, so they go apart.
pub const RESPOND_LOG_FILE: &str = "respond.log";

/// A time since the UNIX epoch as ISO 8601 UTC with milliseconds,
/// `2026-12-01T16:03:59.123Z`: what a reader can place, unlike raw UNIX seconds.
fn utc_millis(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let (y, m, d) = crate::wire::fmt::civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        since_epoch.subsec_millis()
    )
}

/// How large a log file grows before it is set aside (renamed to `<name>.1`, which
/// replaces the one set aside before) and a new one started: so a shell left open
/// all afternoon, or soaked for an hour (3 MB of LDK's debug records a minute under
/// the load tool's soak), keeps at most twice this on disk, and `log` reads at most
/// that much to find its tail.
pub const MAX_LOG_BYTES: u64 = 8 << 20;

/// The log file and how much has been written to it.
struct Sink {
    file: BufWriter<File>,
    written: u64,
}

/// A [`Logger`] that appends LDK's records (debug level and above) to a file.
pub struct FileLogger {
    path: PathBuf,
    /// Buffered: LDK writes dozens of records per handshake. Flushed by `tail`,
    /// `flush` (the node's timer) and on drop.
    file: Mutex<Option<Sink>>,
    recent: Mutex<VecDeque<(Instant, Option<PublicKey>, String)>>,
    /// The node's timer tick (see [`DISCONNECT_REASONS`]).
    tick: Duration,
    /// [`MAX_LOG_BYTES`], but for tests.
    max_bytes: u64,
}

impl FileLogger {
    /// Opens (or creates) the log file in `data_dir`. If it cannot be opened the
    /// shell still runs; logging is then silently off (the `log` command says so).
    /// `timer_tick` is how often the node calls LDK's `timer_tick_occurred`,
    /// which the explanations of stalled handshakes and pings mention.
    pub fn open(data_dir: &Path, timer_tick: Duration) -> FileLogger {
        FileLogger::at(data_dir.join(LOG_FILE), timer_tick)
    }

    fn at(path: PathBuf, tick: Duration) -> FileLogger {
        let file = open_sink(&path);
        FileLogger {
            path,
            file: Mutex::new(file),
            recent: Mutex::new(VecDeque::with_capacity(RECENT)),
            tick,
            max_bytes: MAX_LOG_BYTES,
        }
    }

    /// A logger that writes no file and keeps only the last few records in
    /// memory: for the managers a netcat session runs ("your side"), whose words
    /// would only bury the node's own in its log.
    pub fn memory_only() -> FileLogger {
        FileLogger {
            path: PathBuf::new(),
            file: Mutex::new(None),
            recent: Mutex::new(VecDeque::with_capacity(RECENT)),
            tick: Duration::from_secs(10),
            max_bytes: MAX_LOG_BYTES,
        }
    }

    /// A logger for another LDK manager, writing to `name` beside this one's file
    /// (memory only, if this one is).
    pub fn sibling(&self, name: &str) -> FileLogger {
        if self.path.as_os_str().is_empty() {
            return FileLogger::memory_only();
        }
        FileLogger::at(self.path.with_file_name(name), self.tick)
    }

    /// Why LDK recently dropped a connection (with `peer`, or any peer when `None`),
    /// in words, from its log records of the last `within`.
    pub fn disconnect_reason(&self, peer: Option<PublicKey>, within: Duration) -> Option<String> {
        self.find_recent(within, |who, text| {
            // For a known peer, only its own records count.
            if peer.is_some() && who != peer {
                return None;
            }
            DISCONNECT_REASONS
                .iter()
                .find(|(pattern, _)| text.contains(pattern))
                .map(|(_, meaning)| {
                    let meaning = fill_ticks(meaning, self.tick);
                    format!("{meaning} (LDK: \"{text}\")")
                })
        })
    }

    /// Whether LDK finished the BOLT 8 handshake with `peer` within the last `within`
    /// (for an outbound connection: act two came back from the right node).
    pub fn handshake_done(&self, peer: PublicKey, within: Duration) -> bool {
        self.find_recent(within, |who, text| {
            (who == Some(peer) && text.starts_with(HANDSHAKE_DONE)).then_some(())
        })
        .is_some()
    }

    /// The first of the records kept from the last `within`, newest first, for
    /// which `f` (given the record's peer and text) has an answer.
    fn find_recent<T>(
        &self,
        within: Duration,
        mut f: impl FnMut(Option<PublicKey>, &str) -> Option<T>,
    ) -> Option<T> {
        let recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        recent
            .iter()
            .rev()
            .take_while(|(at, _, _)| now.duration_since(*at) <= within)
            .find_map(|(_, who, text)| f(*who, text))
    }

    /// Why a connection to `peer` ended before `init` when LDK's log has no word on
    /// it but the handshake got through (see [`Self::handshake_done`]).
    pub fn closed_after_handshake(&self, peer: PublicKey, within: Duration) -> Option<String> {
        self.handshake_done(peer, within)
            .then(|| CLOSED_AFTER_HANDSHAKE.to_string())
    }

    /// Where the log lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes buffered records to the file.
    pub fn flush(&self) {
        if let Ok(mut guard) = self.file.lock() {
            if let Some(sink) = guard.as_mut() {
                let _ = sink.file.flush();
            }
        }
    }

    /// The file a full log is set aside as (`lnshell.log.1`).
    pub fn set_aside_path(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".1");
        PathBuf::from(name)
    }

    /// The last `n` lines of the log (reaching into the file set aside when the
    /// current one is shorter).
    pub fn tail(&self, n: usize) -> io::Result<Vec<String>> {
        self.flush();
        let current = File::open(&self.path)?;
        let mut lines = std::collections::VecDeque::with_capacity(n + 1);
        let older = File::open(self.set_aside_path()).ok();
        for file in older.into_iter().chain(std::iter::once(current)) {
            for line in BufReader::new(file).lines() {
                lines.push_back(line?);
                if lines.len() > n {
                    lines.pop_front();
                }
            }
        }
        Ok(lines.into())
    }

    /// Sets the full file aside and starts a new one (see [`MAX_LOG_BYTES`]). If the
    /// rename fails the log goes on in the same file: a log is worth less than the
    /// shell.
    fn rotate(&self, slot: &mut Option<Sink>) {
        if let Some(sink) = slot.as_mut() {
            let _ = sink.file.flush();
        }
        if std::fs::rename(&self.path, self.set_aside_path()).is_ok() {
            *slot = open_sink(&self.path);
        } else if let Some(sink) = slot.as_mut() {
            sink.written = 0;
        }
    }
}

/// Opens (or creates) a log file to append to. A shell killed mid-write may have
/// left half a record as the last line: it is ended, so the next record starts a
/// line of its own.
fn open_sink(path: &Path) -> Option<Sink> {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .ok()?;
    if !ends_with_newline(path) {
        let _ = f.write_all(b"\n");
    }
    let written = f.metadata().map(|m| m.len()).unwrap_or(0);
    Some(Sink {
        file: BufWriter::with_capacity(64 * 1024, f),
        written,
    })
}

/// The prefix every trace record we keep starts with.
const KEPT_TRACE_PREFIX: &str = "Disconnecting peer";

/// Whether formatted `args` start with `prefix`, formatting no more than that.
fn starts_with(args: &std::fmt::Arguments<'_>, prefix: &str) -> bool {
    struct Prefix<'a> {
        want: &'a [u8],
        seen: usize,
    }
    impl std::fmt::Write for Prefix<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            let rest = &self.want[self.seen..];
            let n = rest.len().min(s.len());
            if s.as_bytes()[..n] != rest[..n] {
                return Err(std::fmt::Error);
            }
            self.seen += n;
            if self.seen == self.want.len() {
                // Enough: stop formatting the rest of the record.
                return Err(std::fmt::Error);
            }
            Ok(())
        }
    }
    let mut p = Prefix {
        want: prefix.as_bytes(),
        seen: 0,
    };
    let _ = std::fmt::write(&mut p, *args);
    p.seen == p.want.len()
}

impl Drop for FileLogger {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Whether the file at `path` is empty or ends with a newline.
fn ends_with_newline(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = File::open(path) else {
        return true;
    };
    let mut last = [0u8; 1];
    match f.seek(SeekFrom::End(-1)) {
        Ok(_) => f.read_exact(&mut last).is_err() || last[0] == b'\n',
        // An empty file cannot seek before its start.
        Err(_) => true,
    }
}

impl Logger for FileLogger {
    fn log(&self, record: Record) {
        // Trace records are too many for the file, but PeerManager says why it drops
        // a peer only at trace level: keep those in memory, for `disconnect_reason`.
        // Checking the prefix formats a few bytes, not every message's record.
        let keep_in_file = record.level >= Level::Debug;
        if !keep_in_file
            && (record.module_path != "lightning::ln::peer_handler"
                || !starts_with(&record.args, KEPT_TRACE_PREFIX))
        {
            return;
        }
        let text = record.args.to_string();
        {
            let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
            if recent.len() == RECENT {
                recent.pop_front();
            }
            recent.push_back((Instant::now(), record.peer_id, text.clone()));
        }
        if !keep_in_file {
            return;
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        // One write per record: a line never interleaves with another thread's.
        let line = format!(
            "{} {:<5} [{}:{}] {}\n",
            utc_millis(now),
            record.level,
            record.module_path,
            record.line,
            text
        );
        let Ok(mut guard) = self.file.lock() else {
            return;
        };
        let full = match guard.as_mut() {
            Some(sink) => {
                let _ = sink.file.write_all(line.as_bytes());
                sink.written += line.len() as u64;
                sink.written >= self.max_bytes
            }
            None => false,
        };
        if full {
            self.rotate(&mut guard);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn debug(logger: &FileLogger, text: &str) {
        logger.log(Record::new(
            Level::Debug,
            None,
            None,
            format_args!("{text}"),
            "lnshell::test",
            file!(),
            line!(),
            None,
        ));
    }

    #[test]
    fn a_full_log_is_set_aside_and_tail_reads_across_both() {
        let dir = crate::files::test_dir("logrot");
        let mut logger = FileLogger::open(&dir, Duration::from_secs(10));
        logger.max_bytes = 1000;
        for i in 0..100 {
            debug(&logger, &format!("record {i:03}"));
        }
        logger.flush();
        let set_aside = dir.join(format!("{LOG_FILE}.1"));
        assert_eq!(logger.set_aside_path(), set_aside);
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        // Each file stays within the limit and one line of it; two files, no more.
        assert!(
            size(&dir.join(LOG_FILE)) < 1000 + 100,
            "{}",
            size(&dir.join(LOG_FILE))
        );
        assert!(size(&set_aside) >= 1000 && size(&set_aside) < 1100);
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
        assert_eq!(names.len(), 2, "{names:?}");
        // The tail is the last records, in order, whichever file they are in.
        let tail = logger.tail(15).unwrap();
        assert_eq!(tail.len(), 15);
        for (line, i) in tail.iter().zip(85..100) {
            assert!(line.ends_with(&format!("record {i:03}")), "{line}");
        }
        // A new shell on the same dir counts what the file already holds.
        drop(logger);
        let again = FileLogger::open(&dir, Duration::from_secs(10));
        let held = again.file.lock().unwrap().as_ref().map(|s| s.written);
        assert_eq!(held, Some(size(&dir.join(LOG_FILE))));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn prefix_check_formats_only_what_it_needs() {
        let n = 7;
        assert!(starts_with(
            &format_args!("Disconnecting peer {n} due to x"),
            KEPT_TRACE_PREFIX
        ));
        assert!(!starts_with(
            &format_args!("Received message {n}"),
            KEPT_TRACE_PREFIX
        ));
        assert!(!starts_with(&format_args!("Discon"), KEPT_TRACE_PREFIX));
    }

    /// Log times are UTC a reader can place, not UNIX seconds.
    #[test]
    fn log_times_are_utc() {
        assert_eq!(
            utc_millis(Duration::from_millis(0)),
            "1970-01-01T00:00:00.000Z"
        );
        assert_eq!(
            utc_millis(Duration::from_millis(1_796_141_881_858)),
            "2026-12-01T16:18:01.858Z"
        );
    }

    /// The default tick reads as it always did; a shortened one says its length.
    #[test]
    fn the_tick_in_an_explanation_is_the_real_one() {
        assert_eq!(tick_text(Duration::from_secs(10)), "10 s");
        assert_eq!(tick_text(Duration::from_millis(200)), "200 ms");
        assert_eq!(tick_text(Duration::from_millis(1500)), "1500 ms");
        // LDK drops a stalled handshake at the second tick after it came: the words
        // say the longest wait, and the shortest.
        let stalled = fill_ticks(DISCONNECT_REASONS[0].1, Duration::from_secs(10));
        assert!(
            stalled
                .starts_with("the BOLT 8 handshake did not finish within two timer ticks (20 s)"),
            "{stalled}"
        );
        assert!(stalled.contains("between 10 s and 20 s"), "{stalled}");
        let fast = fill_ticks(DISCONNECT_REASONS[0].1, Duration::from_millis(200));
        assert!(fast.contains("(400 ms)"), "{fast}");
    }
}
