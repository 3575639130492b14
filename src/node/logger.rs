//! LDK's log, written to a file in the data dir rather than over the prompt.
//!
//! LDK logs a great deal (every message, every timer tick at trace level); printed
//! to the terminal it would bury the prompt. The `log` command shows the file's tail.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use lightning::util::logger::{Level, Logger, Record};

/// The log file's name inside the data dir.
pub const LOG_FILE: &str = "lnshell.log";

/// A [`Logger`] that appends LDK's records (debug level and above) to a file.
pub struct FileLogger {
    path: PathBuf,
    file: Mutex<Option<File>>,
}

impl FileLogger {
    /// Opens (or creates) the log file in `data_dir`. If it cannot be opened the
    /// shell still runs; logging is then silently off (the `log` command says so).
    pub fn open(data_dir: &Path) -> FileLogger {
        let path = data_dir.join(LOG_FILE);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .ok();
        FileLogger {
            path,
            file: Mutex::new(file),
        }
    }

    /// Where the log lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The last `n` lines of the log.
    pub fn tail(&self, n: usize) -> io::Result<Vec<String>> {
        let file = File::open(&self.path)?;
        let mut lines = std::collections::VecDeque::with_capacity(n + 1);
        for line in BufReader::new(file).lines() {
            lines.push_back(line?);
            if lines.len() > n {
                lines.pop_front();
            }
        }
        Ok(lines.into())
    }
}

impl Logger for FileLogger {
    fn log(&self, record: Record) {
        if record.level < Level::Debug {
            return;
        }
        let Ok(mut guard) = self.file.lock() else {
            return;
        };
        if let Some(file) = guard.as_mut() {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            let _ = writeln!(
                file,
                "{}.{:03} {:<5} [{}:{}] {}",
                now.as_secs(),
                now.subsec_millis(),
                record.level,
                record.module_path,
                record.line,
                record.args
            );
        }
    }
}
