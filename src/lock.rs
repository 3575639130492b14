//! One data dir, one shell: a lock file in the data dir, held for the shell's life.
//!
//! A data dir holds one node secret, so two shells on it are the same node twice:
//! peers see one node id at two addresses, and history, LDK's log and lesson
//! progress are written by both. The shell takes an OS advisory lock
//! (`flock`, through [`std::fs::File::try_lock`]) on `lnshell.lock` before it starts
//! its node; the OS drops it when the process ends, however it ends, so a crashed or
//! killed shell leaves nothing stuck. The file also holds the pid of the shell that
//! has it, which is how the second one can say who is in the way.
//!
//! The tools that take no data dir (`lnshell decode`, `nc`, …) never lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::Path;

/// The lock file's name inside the data dir.
pub const LOCK_FILE: &str = "lnshell.lock";

/// A held lock on a data dir; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct DataDirLock {
    /// The locked file; `None` when the data dir is read-only and has no lock file to
    /// lock (nothing is written there then, so nothing needs guarding).
    _file: Option<File>,
}

impl DataDirLock {
    /// Takes the lock on `dir` (which must exist), or says which process holds it.
    pub fn acquire(dir: &Path) -> Result<DataDirLock, String> {
        let path = dir.join(LOCK_FILE);
        let opened = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path);
        let (mut file, writable) = match opened {
            Ok(f) => (f, true),
            // A read-only data dir: lock the file if it is there, else run unguarded.
            Err(_) => match File::open(&path) {
                Ok(f) => (f, false),
                Err(_) => return Ok(DataDirLock { _file: None }),
            },
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let who = match text.trim().parse::<u32>() {
                    Ok(pid) => format!("another lnshell (pid {pid})"),
                    Err(_) => "another lnshell".to_string(),
                };
                return Err(format!(
                    "the data dir {} is in use by {who}: a data dir is one node, and one node \
                     runs in one shell at a time. Quit that shell first, or start this one \
                     with a data dir of its own: --data-dir DIR",
                    dir.display()
                ));
            }
            Err(TryLockError::Error(e)) => {
                return Err(format!(
                    "cannot lock the data dir {} ({}): {e}. Pass --data-dir DIR",
                    dir.display(),
                    path.display()
                ))
            }
        }
        if writable {
            // Best effort: the pid only names the holder in the next shell's message.
            let _ = file.set_len(0);
            let _ = file.rewind();
            let _ = writeln!(file, "{}", std::process::id());
            let _ = file.flush();
        }
        Ok(DataDirLock { _file: Some(file) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_and_names_the_holder_then_free_after_drop() {
        let dir = crate::files::test_dir("lock-unit");
        let first = DataDirLock::acquire(&dir).unwrap();
        let err = DataDirLock::acquire(&dir).unwrap_err();
        assert!(
            err.contains(&format!("pid {}", std::process::id())) && err.contains("in use"),
            "{err}"
        );
        drop(first);
        assert!(DataDirLock::acquire(&dir).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
