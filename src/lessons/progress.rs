//! Lesson progress: the finished exercises, the lessons opened, and what was done
//! before its lesson was opened, kept in `progress.txt` in the data dir.
//!
//! The file is one id per line, sorted, with a `#` comment at the top, so a
//! learner can read it, edit it, or delete it to start over (`lessons reset` does
//! that from the shell). Three kinds of line:
//!
//! * `decoded`: a finished exercise (its text form, [`Exercise::as_str`]). This is
//!   all a file held before lessons were opened, and such a file reads as it did.
//! * `opened_lesson_4`: the learner opened lesson 4 (`lesson 4`).
//! * `seen_decoded`: the learner did the exercise before opening its lesson (the
//!   README walkthrough does several). It is shown, not counted: an exercise
//!   counts when it is done with its lesson open (the catalogue's rule,
//!   [`super::Progress::record`]).
//!
//! All three are well-formed ids for an older lnshell, which keeps lines it does
//! not know, so the file can go back and forth between versions. Two rules shape
//! the code:
//!
//! * A damaged file never stops the shell: [`Progress::load`] starts afresh and
//!   [`Progress::warning`] says why; the next save replaces the file.
//! * Progress only grows: [`Progress::save`] merges what is already on disk (a
//!   shell of another version on the same data dir, before the data dir lock),
//!   and ids this lnshell does not know (a newer one wrote them) are kept rather
//!   than dropped. Only [`Progress::reset`] shrinks it, on the learner's word.
//!
//! Saving is atomic: a temporary file, then a rename, so a crash or a full disk
//! leaves the old file, never half a new one. What finishing an exercise *says*
//! (praise, "lesson 3 is complete") depends on the catalogue, so it lives there
//! ([`super::Progress::record`]); this file knows nothing of lessons but their
//! numbers.

use std::collections::BTreeSet;
use std::io::{self, Read};
use std::path::Path;

use super::exercises::Exercise;

/// The file (in the data dir) that holds the finished exercise ids.
pub const PROGRESS_FILE: &str = "progress.txt";

/// The largest progress file we read; anything bigger is not ours.
pub(super) const MAX_PROGRESS_BYTES: u64 = 64 * 1024;

/// The line that says a lesson was opened, before its number.
const OPENED_PREFIX: &str = "opened_lesson_";

/// The line that says an exercise was done before its lesson was opened, before
/// the exercise's id.
const SEEN_PREFIX: &str = "seen_";

/// The first line of the file.
const HEADER: &str =
    "# lnshell lesson progress: one finished exercise id per line (`lessons` shows them)\n";

/// The finished exercises, the opened lessons, and the exercises done before
/// their lesson was opened.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    done: BTreeSet<Exercise>,
    /// Done before their lesson was opened: shown as such, not counted.
    seen: BTreeSet<Exercise>,
    /// The lessons the learner opened, by number (a newer lnshell's too).
    opened: BTreeSet<u32>,
    /// Well-formed ids from the file that name nothing this lnshell knows (a
    /// newer one wrote them): never shown, but written back by every save.
    unknown: BTreeSet<String>,
    warning: Option<String>,
}

/// What [`Progress::reset`] forgot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Forgotten {
    /// Finished exercises.
    pub done: usize,
    /// Exercises done before their lesson was opened.
    pub seen: usize,
    /// Opened lessons.
    pub opened: usize,
}

impl Progress {
    /// No exercise done.
    pub fn new() -> Progress {
        Progress::default()
    }

    /// Reads `progress.txt` from `data_dir`. A missing file is a fresh start; a
    /// file that cannot be read or is not ours also starts afresh, and
    /// [`Progress::warning`] says why (it is overwritten at the next save).
    pub fn load(data_dir: &Path) -> Progress {
        let path = data_dir.join(PROGRESS_FILE);
        match read_progress(&path) {
            Ok(ids) => {
                let mut progress = Progress::new();
                for id in ids {
                    progress.read_line(id);
                }
                // Saves merge with the disk, so a file may say both "seen" and
                // "done" of one exercise: done wins.
                let done = progress.done.clone();
                progress.seen.retain(|e| !done.contains(e));
                progress
            }
            Err(None) => Progress::new(),
            Err(Some(why)) => Progress {
                warning: Some(format!(
                    "ignoring the lesson progress file {}: {why}; starting with no exercise done \
                     (the file is rewritten when you finish the next one)",
                    path.display()
                )),
                ..Progress::default()
            },
        }
    }

    /// Files one well-formed line of the file where it belongs.
    fn read_line(&mut self, id: String) {
        if let Some(n) = id.strip_prefix(OPENED_PREFIX) {
            if let Ok(n) = n.parse::<u32>() {
                self.opened.insert(n);
                return;
            }
        }
        if let Some(known) = id
            .strip_prefix(SEEN_PREFIX)
            .and_then(|e| e.parse::<Exercise>().ok())
        {
            self.seen.insert(known);
            return;
        }
        match id.parse::<Exercise>() {
            Ok(known) => {
                self.done.insert(known);
            }
            Err(_) => {
                self.unknown.insert(id);
            }
        }
    }

    /// Why the file could not be used, if it could not.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// Every line this progress writes, by text (so the file stays sorted by id
    /// as it always was).
    fn lines(&self) -> BTreeSet<String> {
        let mut all: BTreeSet<String> = self.done.iter().map(|e| e.as_str().to_string()).collect();
        all.extend(
            self.seen
                .iter()
                .filter(|e| !self.done.contains(e))
                .map(|e| format!("{SEEN_PREFIX}{e}")),
        );
        all.extend(self.opened.iter().map(|n| format!("{OPENED_PREFIX}{n}")));
        all.extend(self.unknown.iter().cloned());
        all
    }

    /// Writes `progress.txt` in `data_dir`, atomically (a temporary file, then a
    /// rename). Ids already in the file (another shell on the same data dir) are
    /// kept: progress only grows.
    pub fn save(&self, data_dir: &Path) -> io::Result<()> {
        let path = data_dir.join(PROGRESS_FILE);
        let mut all = self.lines();
        if let Ok(on_disk) = read_progress(&path) {
            all.extend(on_disk);
        }
        write_progress(data_dir, &all)
    }

    /// Forgets everything, on disk too (the file is rewritten with no id in it,
    /// not merged), and says how much was forgotten. Ids a newer lnshell wrote go
    /// too: the learner asked to start over. If the file cannot be written, the
    /// progress is forgotten for this session only and the error says why.
    pub fn reset(&mut self, data_dir: &Path) -> io::Result<Forgotten> {
        let forgotten = Forgotten {
            done: self.done.len(),
            seen: self.seen.len(),
            opened: self.opened.len(),
        };
        *self = Progress::new();
        write_progress(data_dir, &BTreeSet::new())?;
        Ok(forgotten)
    }

    /// Whether exercise `id` is done (and counts).
    pub fn is_done(&self, id: Exercise) -> bool {
        self.done.contains(&id)
    }

    /// Whether exercise `id` was done before its lesson was opened, and not since.
    pub fn was_seen(&self, id: Exercise) -> bool {
        self.seen.contains(&id) && !self.done.contains(&id)
    }

    /// Marks `id` done; true if it was not done before.
    pub fn mark(&mut self, id: Exercise) -> bool {
        self.seen.remove(&id);
        self.done.insert(id)
    }

    /// Marks `id` as done before its lesson was opened; true if it was neither
    /// done nor so marked before.
    pub fn mark_seen(&mut self, id: Exercise) -> bool {
        !self.done.contains(&id) && self.seen.insert(id)
    }

    /// Whether lesson `n` was opened.
    pub fn is_opened(&self, n: u32) -> bool {
        self.opened.contains(&n)
    }

    /// Marks lesson `n` opened; true if it was not before.
    pub fn open(&mut self, n: u32) -> bool {
        self.opened.insert(n)
    }

    /// The finished exercises this lnshell knows, in [`Exercise::ALL`]'s order.
    pub fn done(&self) -> impl Iterator<Item = Exercise> + '_ {
        self.done.iter().copied()
    }
}

/// Writes these lines, under the header, atomically.
fn write_progress(data_dir: &Path, lines: &BTreeSet<String>) -> io::Result<()> {
    let path = data_dir.join(PROGRESS_FILE);
    let mut text = String::from(HEADER);
    for id in lines {
        text.push_str(id);
        text.push('\n');
    }
    // Whole or not at all: a temporary file, fsync, rename (see `files`).
    crate::files::write_atomic(&path, text.as_bytes())
}

/// The ids in the file; `Err(None)` if there is no file, `Err(Some(why))` if it is
/// unusable.
fn read_progress(path: &Path) -> Result<BTreeSet<String>, Option<String>> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(None),
        Err(e) => return Err(Some(format!("cannot read it ({e})"))),
    };
    let mut bytes = Vec::new();
    file.take(MAX_PROGRESS_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Some(format!("cannot read it ({e})")))?;
    if bytes.len() as u64 > MAX_PROGRESS_BYTES {
        return Err(Some(format!(
            "it is larger than {MAX_PROGRESS_BYTES} bytes"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| Some("it is not text".to_string()))?;
    let mut done = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !is_id(line) {
            return Err(Some(format!(
                "line {} is not an exercise id: {:?}",
                i + 1,
                line.chars().take(40).collect::<String>()
            )));
        }
        done.insert(line.to_string());
    }
    Ok(done)
}

/// An exercise id: lowercase letters, digits and `_`, at most 64 of them. Ids a
/// newer lnshell knows are kept even if this one does not.
fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A fresh directory of its own for one test (also used by the catalogue's).
    pub(in crate::lessons) fn temp_dir(name: &str) -> PathBuf {
        crate::files::test_dir(&format!("lessons-{name}"))
    }

    #[test]
    fn progress_round_trip() {
        let dir = temp_dir("roundtrip");
        let mut p = Progress::load(&dir);
        assert!(p.warning().is_none());
        assert!(!p.is_done(Exercise::Decoded));
        assert!(p.mark(Exercise::Decoded));
        assert!(!p.mark(Exercise::Decoded));
        p.save(&dir).expect("save");
        let q = Progress::load(&dir);
        assert!(q.is_done(Exercise::Decoded));
        assert!(q.warning().is_none());
        // Another shell on the same data dir: saves merge.
        let mut other = Progress::new();
        other.mark(Exercise::Encoded);
        other.save(&dir).expect("save");
        let r = Progress::load(&dir);
        assert!(r.is_done(Exercise::Decoded) && r.is_done(Exercise::Encoded));
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary files left");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A file written before exercises were typed (the same ids, one a line,
    /// the comment on top) reads as it always did.
    #[test]
    fn old_progress_file_loads() {
        let dir = temp_dir("old-format");
        std::fs::write(
            dir.join(PROGRESS_FILE),
            "# lnshell lesson progress: one finished exercise id per line (`lessons` shows them)\n\
             decoded\nnetcat_open_channel_100k\n\n  ping_answered  \n",
        )
        .expect("write");
        let p = Progress::load(&dir);
        assert!(p.warning().is_none());
        assert_eq!(
            p.done().collect::<Vec<_>>(),
            vec![
                Exercise::NetcatOpenChannel100k,
                Exercise::PingAnswered,
                Exercise::Decoded
            ]
        );
        assert!(!p.is_done(Exercise::Encoded));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An id this lnshell does not know (a newer one wrote it) is no error, is not
    /// counted, and survives the next save, in its sorted place.
    #[test]
    fn unknown_id_is_kept() {
        let dir = temp_dir("unknown-id");
        let path = dir.join(PROGRESS_FILE);
        std::fs::write(&path, "decoded\nsplice_seen\n").expect("write");
        let mut p = Progress::load(&dir);
        assert!(p.warning().is_none(), "{:?}", p.warning());
        assert_eq!(p.done().collect::<Vec<_>>(), vec![Exercise::Decoded]);
        // Even after the file is gone, this shell's save writes it back.
        std::fs::remove_file(&path).expect("rm");
        p.mark(Exercise::Encoded);
        p.save(&dir).expect("save");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(
            text,
            "# lnshell lesson progress: one finished exercise id per line (`lessons` shows them)\n\
             decoded\nencoded\nsplice_seen\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Opened lessons and exercises done before their lesson survive a save and a
    /// load, in lines an older lnshell keeps as ids it does not know; a file that
    /// says both "seen" and "done" of one exercise reads as done.
    #[test]
    fn opened_and_seen_round_trip() {
        let dir = temp_dir("opened-seen");
        let mut p = Progress::new();
        assert!(p.open(4));
        assert!(!p.open(4));
        assert!(p.mark_seen(Exercise::Decoded));
        assert!(!p.mark_seen(Exercise::Decoded));
        p.mark(Exercise::NetcatDecoded);
        assert!(!p.mark_seen(Exercise::NetcatDecoded), "done is not seen");
        p.save(&dir).expect("save");
        let text = std::fs::read_to_string(dir.join(PROGRESS_FILE)).expect("read");
        assert_eq!(
            text,
            format!("{HEADER}netcat_decoded\nopened_lesson_4\nseen_decoded\n")
        );
        for line in text.lines().skip(1) {
            assert!(is_id(line), "{line} reads as an id in an older lnshell");
        }
        let mut q = Progress::load(&dir);
        assert!(q.warning().is_none());
        assert!(q.is_opened(4) && !q.is_opened(2));
        assert!(q.was_seen(Exercise::Decoded) && !q.is_done(Exercise::Decoded));
        assert!(q.is_done(Exercise::NetcatDecoded));
        // Done after all: the seen line goes at the next save.
        q.mark(Exercise::Decoded);
        assert!(!q.was_seen(Exercise::Decoded));
        std::fs::write(dir.join(PROGRESS_FILE), "seen_decoded\ndecoded\n").expect("write");
        let r = Progress::load(&dir);
        assert!(r.is_done(Exercise::Decoded) && !r.was_seen(Exercise::Decoded));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// `reset` forgets everything, on disk too (no merge brings it back), and
    /// counts what it forgot.
    #[test]
    fn reset_forgets_on_disk() {
        let dir = temp_dir("reset");
        let mut p = Progress::new();
        p.open(1);
        p.open(2);
        p.mark(Exercise::NetcatConnected);
        p.mark_seen(Exercise::Decoded);
        p.save(&dir).expect("save");
        std::fs::write(
            dir.join(PROGRESS_FILE),
            "netcat_connected\nopened_lesson_1\nopened_lesson_2\nseen_decoded\nsplice_seen\n",
        )
        .expect("write");
        let mut p = Progress::load(&dir);
        let forgotten = p.reset(&dir).expect("reset");
        assert_eq!(
            forgotten,
            Forgotten {
                done: 1,
                seen: 1,
                opened: 2
            }
        );
        assert_eq!(
            std::fs::read_to_string(dir.join(PROGRESS_FILE)).expect("read"),
            HEADER
        );
        p.save(&dir).expect("save");
        let q = Progress::load(&dir);
        assert!(!q.is_done(Exercise::NetcatConnected) && !q.is_opened(1));
        assert!(!q.was_seen(Exercise::Decoded));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
