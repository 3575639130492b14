//! Writing files so that a crash at any moment leaves the old file or the new one,
//! never half of one, and no litter.
//!
//! Every file the shell writes whole (history, lesson progress, a saved trace, a
//! diagram's SVG or HTML page, the node secret, the live-channels marker) goes the same
//! way: into a temporary file in the same directory (so the rename cannot cross file
//! systems), `fsync`ed, renamed over the target (atomic on POSIX), and the directory
//! `fsync`ed so the rename itself survives a power cut. A process killed before the
//! rename leaves the old file and a temporary one; [`remove_stale_temps`] sweeps the
//! data dir at start (the data-dir lock is held then, so every temporary file in it
//! is a dead shell's), and each write sweeps the dead temporaries of its own target.
//! `tests/crash.rs` kills the shell at random moments while it writes and checks.
//!
//! A leaf module: it depends on nothing in lnshell, and every layer may use it.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// What marks a temporary file: `.<target name>.lnshell-tmp-<pid>-<n>`.
pub const TMP_TAG: &str = ".lnshell-tmp-";

/// A fresh temporary path next to `path`, named after it and this process.
pub fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = format!(".{name}{TMP_TAG}{}-{n}", std::process::id());
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(tmp),
        _ => PathBuf::from(tmp),
    }
}

/// Writes `bytes` to `path` atomically (see the module doc); an existing file is
/// replaced only once the new one is complete and on disk.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    remove_dead_temps_of(path);
    let tmp = temp_path(path);
    let result = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir_of(path);
    Ok(())
}

/// Makes a file written at `tmp` by someone else (rustyline, say) the file at `path`:
/// `fsync`, rename, `fsync` the directory. `tmp` is removed if that fails.
pub fn commit(tmp: &Path, path: &Path) -> io::Result<()> {
    let result = fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .and_then(|()| fs::rename(tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(tmp);
    }
    result?;
    sync_dir_of(path);
    Ok(())
}

/// `fsync`s the directory holding `path`, so a rename or a new link in it is on disk
/// too. Best effort: not every platform can open a directory.
pub fn sync_dir_of(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The pid in a temporary file's name, if the name is one of ours.
fn temp_pid(name: &str) -> Option<u32> {
    let (_, rest) = name.split_once(TMP_TAG)?;
    rest.split('-').next()?.parse().ok()
}

/// Whether process `pid` is alive; `None` where that cannot be told (no `/proc`).
fn alive(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    proc.is_dir().then(|| proc.join(pid.to_string()).exists())
}

/// Removes the temporaries of `path` that a process no longer alive left behind
/// (a save killed half way). Another live process's are left alone.
fn remove_dead_temps_of(path: &Path) {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let prefix = format!(".{name}{TMP_TAG}");
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if !file.starts_with(&prefix) {
            continue;
        }
        let pid = temp_pid(&file);
        if pid.is_some_and(|p| p != std::process::id() && alive(p) == Some(false)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Removes every temporary file in `dir` (the data dir, whose lock this shell holds:
/// each one is a dead shell's). Returns how many.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.')
            && temp_pid(&name).is_some()
            && entry.file_type().is_ok_and(|t| t.is_file())
            && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// A fresh, empty directory for one unit test: named by `tag`, the process and the
/// thread, so tests running in parallel never share one.
#[cfg(test)]
pub(crate) fn test_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "lnshell-{tag}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        test_dir(&format!("files-{name}"))
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_whole_and_leaves_no_temporary() {
        let dir = temp_dir("replace");
        let path = dir.join("progress.txt");
        write_atomic(&path, b"one\n").unwrap();
        write_atomic(&path, b"two\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two\n");
        assert_eq!(names(&dir), ["progress.txt"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_dead_writers_temporary_is_swept_a_live_ones_kept() {
        let dir = temp_dir("sweep");
        let path = dir.join("trace.jsonl");
        // pid 0 is never a process of ours; ours is alive.
        let dead = dir.join(format!(".trace.jsonl{TMP_TAG}0-0"));
        let live = dir.join(format!(".trace.jsonl{TMP_TAG}{}-99", std::process::id()));
        let other = dir.join(format!(".other{TMP_TAG}0-0"));
        for p in [&dead, &live, &other] {
            fs::write(p, b"half").unwrap();
        }
        write_atomic(&path, b"{}\n").unwrap();
        let left = names(&dir);
        assert!(!left.contains(&dead.file_name().unwrap().to_string_lossy().into_owned()));
        assert!(left.contains(&live.file_name().unwrap().to_string_lossy().into_owned()));
        assert!(left.contains(&other.file_name().unwrap().to_string_lossy().into_owned()));
        // At start, with the data dir locked, every temporary goes.
        assert_eq!(remove_stale_temps(&dir), 2);
        assert_eq!(names(&dir), ["trace.jsonl"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temp_names_carry_the_target_and_pid() {
        let t = temp_path(Path::new("/d/lnshell_history"));
        let name = t.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".lnshell_history.lnshell-tmp-"), "{name}");
        assert_eq!(temp_pid(&name), Some(std::process::id()));
        assert_eq!(t.parent(), Some(Path::new("/d")));
        assert_eq!(temp_pid("lnshell_history"), None);
    }
}
