//! The pager: long lesson text shown through `$PAGER` (default `less -R -F -X`).
//!
//! It lives apart from the executor and the views because it is the one place
//! the shell hands the terminal to another program. While the pager runs it
//! holds the terminal lock, and whoever prints events takes that lock first, so
//! an event never lands in the middle of a page.

use std::io::Write;

/// Shows `text` through `$PAGER` (default `less -R -F -X`) when it is longer than
/// the terminal, holding `terminal` meanwhile. Returns false if it did not page
/// (the caller prints instead).
pub(super) fn page(text: &str, terminal: &std::sync::Mutex<()>) -> bool {
    let rows = std::env::var("LINES")
        .ok()
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(24);
    if text.lines().count() < rows {
        return false;
    }
    let pager = std::env::var("PAGER").unwrap_or_else(|_| "less -R -F -X".into());
    let mut words = pager.split_whitespace();
    let Some(program) = words.next() else {
        return false;
    };
    let child = std::process::Command::new(program)
        .args(words)
        .stdin(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return false;
    };
    // A poisoned lock only means a printer panicked; the terminal is still ours.
    let _terminal = terminal.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
    }
    child.wait().is_ok()
}
