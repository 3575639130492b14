//! Lesson progress: the set of finished exercises, kept in `progress.txt` in the
//! data dir.
//!
//! The file is one exercise id per line (their text form, [`Exercise::as_str`]),
//! sorted, with a `#` comment at the top, so a learner can read it, edit it, or
//! delete it to start over. Two rules shape the code:
//!
//! * A damaged file never stops the shell: [`Progress::load`] starts afresh and
//!   [`Progress::warning`] says why; the next save replaces the file.
//! * Progress only grows: [`Progress::save`] merges what is already on disk (a
//!   second shell on the same data dir), and ids this lnshell does not know (a
//!   newer one wrote them) are kept rather than dropped.
//!
//! Saving is atomic: a temporary file, then a rename, so a crash or a full disk
//! leaves the old file, never half a new one. What finishing an exercise *says*
//! (praise, "lesson 3 is complete") depends on the catalogue, so it lives there
//! ([`super::Progress::record`]); this file knows nothing of lessons.

use std::collections::BTreeSet;
use std::io::{self, Read};
use std::path::Path;

use super::exercises::Exercise;

/// The file (in the data dir) that holds the finished exercise ids.
pub const PROGRESS_FILE: &str = "progress.txt";

/// The largest progress file we read; anything bigger is not ours.
pub(super) const MAX_PROGRESS_BYTES: u64 = 64 * 1024;

/// The finished exercises.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    done: BTreeSet<Exercise>,
    /// Well-formed ids from the file that name no [`Exercise`] this lnshell knows
    /// (a newer one finished them): never shown, but written back by every save.
    unknown: BTreeSet<String>,
    warning: Option<String>,
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
                    match id.parse::<Exercise>() {
                        Ok(known) => {
                            progress.done.insert(known);
                        }
                        Err(_) => {
                            progress.unknown.insert(id);
                        }
                    }
                }
                progress
            }
            Err(None) => Progress::new(),
            Err(Some(why)) => Progress {
                done: BTreeSet::new(),
                unknown: BTreeSet::new(),
                warning: Some(format!(
                    "ignoring the lesson progress file {}: {why}; starting with no exercise done \
                     (the file is rewritten when you finish the next one)",
                    path.display()
                )),
            },
        }
    }

    /// Why the file could not be used, if it could not.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// Writes `progress.txt` in `data_dir`, atomically (a temporary file, then a
    /// rename). Ids already in the file (another shell on the same data dir) are
    /// kept: progress only grows.
    pub fn save(&self, data_dir: &Path) -> io::Result<()> {
        let path = data_dir.join(PROGRESS_FILE);
        // By text, so the file stays sorted by id as it always was.
        let mut all: BTreeSet<String> = self.done.iter().map(|e| e.as_str().to_string()).collect();
        all.extend(self.unknown.iter().cloned());
        if let Ok(on_disk) = read_progress(&path) {
            all.extend(on_disk);
        }
        let mut text = String::from(
            "# lnshell lesson progress: one finished exercise id per line (`lessons` shows them)\n",
        );
        for id in &all {
            text.push_str(id);
            text.push('\n');
        }
        crate::files::write_atomic(&path, text.as_bytes())
    }

    /// Whether exercise `id` is done.
    pub fn is_done(&self, id: Exercise) -> bool {
        self.done.contains(&id)
    }

    /// Marks `id` done; true if it was not done before.
    pub fn mark(&mut self, id: Exercise) -> bool {
        self.done.insert(id)
    }

    /// The finished exercises this lnshell knows, in [`Exercise::ALL`]'s order.
    #[cfg(test)]
    pub fn done(&self) -> impl Iterator<Item = Exercise> + '_ {
        self.done.iter().copied()
    }
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
        let dir = std::env::temp_dir().join(format!(
            "lnshell-lessons-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
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
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
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
}
