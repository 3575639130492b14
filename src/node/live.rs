//! The live-channels marker: how a shell learns that the one before it died with
//! channels open.
//!
//! This node keeps its channels in memory only, by design (a teaching node: no
//! `ChannelMonitor` is persisted, nothing to recover or to corrupt). A shell that
//! quits closes nothing and loses them, and says so; a shell that is killed cannot say
//! anything. So while LDK lists at least one channel, the data dir holds
//! [`MARKER_FILE`] (written atomically, with the count); it is removed when the last
//! channel goes and on a clean exit. The next shell that finds it tells the learner
//! that those channels are gone and the node starts fresh (the same node id, no
//! channels), then removes it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The marker's name inside the data dir.
pub const MARKER_FILE: &str = "channels.live";

/// What the marker of a shell that did not exit cleanly said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LostChannels {
    /// How many channels it had, if the marker could be read.
    pub channels: Option<usize>,
}

/// The marker of this shell's data dir.
#[derive(Debug)]
pub struct LiveMarker {
    path: PathBuf,
    /// The count the file holds now (0: no file), and whether the shell is exiting
    /// (no more writes: the event loop may still be finishing one).
    written: Mutex<(usize, bool)>,
}

impl LiveMarker {
    /// Takes over the marker of `data_dir`: what a previous shell left there (if it
    /// died with channels), and a marker of our own, not yet written.
    pub fn take_over(data_dir: &Path) -> (LiveMarker, Option<LostChannels>) {
        let path = data_dir.join(MARKER_FILE);
        let lost = match std::fs::read_to_string(&path) {
            Ok(text) => Some(LostChannels {
                channels: text
                    .trim()
                    .strip_prefix("channels ")
                    .and_then(|n| n.parse().ok()),
            }),
            // Unreadable (not UTF-8, say) is still a marker.
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Some(LostChannels { channels: None })
            }
            Err(_) => None,
        };
        if lost.is_some() {
            let _ = std::fs::remove_file(&path);
            crate::files::sync_dir_of(&path);
        }
        let marker = LiveMarker {
            path,
            written: Mutex::new((0, false)),
        };
        (marker, lost)
    }

    /// Brings the file in line with `channels`, LDK's count now: written when it
    /// changes while above 0, removed at 0. Best effort: a read-only data dir has none.
    pub fn update(&self, channels: usize) {
        self.set(channels, false);
    }

    /// A clean exit: the channels end with this shell, which said so.
    pub fn clear(&self) {
        self.set(0, true);
    }

    fn set(&self, channels: usize, close: bool) {
        let mut state = self.written.lock().unwrap_or_else(|p| p.into_inner());
        let (written, closed) = &mut *state;
        if *closed {
            return;
        }
        *closed = close;
        if *written == channels {
            return;
        }
        if channels == 0 {
            let _ = std::fs::remove_file(&self.path);
            crate::files::sync_dir_of(&self.path);
        } else {
            let text = format!("channels {channels}\n");
            if crate::files::write_atomic(&self.path, text.as_bytes()).is_err() {
                return;
            }
        }
        *written = channels;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_while_channels_live_and_read_back_once() {
        let dir = crate::files::test_dir("live");
        let (m, lost) = LiveMarker::take_over(&dir);
        assert_eq!(lost, None);
        m.update(2);
        assert_eq!(
            std::fs::read_to_string(dir.join(MARKER_FILE)).unwrap(),
            "channels 2\n"
        );
        // Killed here: the next shell finds it, once.
        drop(m);
        let (m, lost) = LiveMarker::take_over(&dir);
        assert_eq!(lost, Some(LostChannels { channels: Some(2) }));
        assert!(!dir.join(MARKER_FILE).exists());
        m.update(1);
        m.clear();
        assert!(!dir.join(MARKER_FILE).exists());
        assert_eq!(LiveMarker::take_over(&dir).1, None);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
