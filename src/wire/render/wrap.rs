//! Fitting text into a number of terminal columns: word wrapping, and the display width
//! of a line that may carry ANSI colour codes.
//!
//! Width is counted in `char`s: everything the shell prints is ASCII or one-column
//! symbols (`…`, `≈`, `—`, `→`), so a char is a column. Callers pass the width; nothing
//! here asks the terminal.

/// Columns `s` takes on a terminal: its chars, not counting ANSI escape sequences
/// (`ESC [ … letter`), which take none.
pub fn display_width(s: &str) -> usize {
    let mut n = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC '[' parameters, ended by a letter.
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            n += 1;
        }
    }
    n
}

/// `text` in lines of at most `width` chars, broken at spaces (and at newlines in the
/// text). A word longer than `width` (a long hex string, a node id at 40 columns) is cut
/// where the line ends: nothing is lost, and no line is wider than asked. Empty text is
/// one empty line.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_lines(text, width, width, true)
}

/// `text` in lines, the first at most `first` chars, the others `rest`; with `cut`, a
/// word longer than its line is cut, else it gets a line of its own, whole (a node id
/// or a transaction's hex is for copying: better the terminal folds it than a newline
/// splits it).
fn wrap_lines(text: &str, first: usize, rest: usize, cut: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    // The room on the line being filled: the first line's, then the others'.
    let room = |lines: &Vec<String>| if lines.is_empty() { first } else { rest }.max(1);
    for para in text.split('\n') {
        let mut line = String::new();
        let mut len = 0;
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let mut word = word;
            let mut wlen = word.chars().count();
            if len > 0 && len + 1 + wlen <= room(&lines) {
                line.push(' ');
                line.push_str(word);
                len += 1 + wlen;
                continue;
            }
            if len > 0 {
                lines.push(std::mem::take(&mut line));
            }
            while cut && wlen > room(&lines) {
                let width = room(&lines);
                let at = word
                    .char_indices()
                    .nth(width)
                    .map_or(word.len(), |(i, _)| i);
                lines.push(word[..at].to_string());
                word = &word[at..];
                wlen -= width;
            }
            line.push_str(word);
            len = wlen;
        }
        lines.push(line);
    }
    lines
}

/// Appends `text` wrapped to `width`, the first line after `first`, the others after
/// `rest` (a hanging indent), each line ended by a newline. A word too long for any
/// line is cut (see [`push_wrapped_whole`] for text to copy from).
pub fn push_wrapped(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    push_lines(out, text, width, first, rest, true);
}

/// [`push_wrapped`], but a word too long for a line (a node id, a transaction's hex)
/// is left whole on a line of its own, for the terminal to fold: a copy of it is then
/// one word, not two lines.
pub fn push_wrapped_whole(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    push_lines(out, text, width, first, rest, false);
}

fn push_lines(out: &mut String, text: &str, width: usize, first: &str, rest: &str, cut: bool) {
    let (f, r) = (first.chars().count(), rest.chars().count());
    let lines = wrap_lines(text, width.saturating_sub(f), width.saturating_sub(r), cut);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(if i == 0 { first } else { rest });
        out.push_str(line);
        out.push('\n');
    }
}

/// `text` with each line wider than `width` wrapped, its continuation lines two
/// columns further in than the line itself; lines that fit are left as they are, and
/// so are words too long for any line (see [`push_wrapped_whole`]).
pub fn fit(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        if display_width(line) <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let body = line.trim_start();
        let lead = &line[..line.len() - body.len()];
        push_wrapped_whole(&mut out, body, width, lead, &format!("{lead}  "));
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_width_skips_colour_codes() {
        assert_eq!(display_width("\x1b[1;32mok\x1b[0m …"), 4);
        assert_eq!(display_width("144 blocks ≈ 1.0 days"), 21);
    }

    #[test]
    fn wraps_at_spaces_and_cuts_only_overlong_words() {
        assert_eq!(
            wrap("144 blocks ≈ 1.0 days", 12),
            ["144 blocks ≈", "1.0 days"]
        );
        assert_eq!(wrap("abcdefghij xy", 4), ["abcd", "efgh", "ij", "xy"]);
        assert_eq!(wrap("a\nb c", 10), ["a", "b c"]);
        assert_eq!(wrap("", 10), [""]);
        // A word exactly as long as the line is not cut (no empty line after it).
        assert_eq!(wrap("ab abcd", 4), ["ab", "abcd"]);
        for w in 1..30 {
            let text = "blocks the other side must wait for its funds after it force-closes";
            let lines = wrap(text, w);
            assert!(
                lines.iter().all(|l| l.chars().count() <= w),
                "{w}: {lines:?}"
            );
            assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
        }
    }

    #[test]
    fn hanging_indent() {
        let mut out = String::new();
        push_wrapped(&mut out, "one two three four", 12, "  - ", "    ");
        assert_eq!(out, "  - one two\n    three\n    four\n");
        // Each line gets the room its own prefix leaves.
        let mut out = String::new();
        push_wrapped(&mut out, "abcdefgh ij", 10, "", "    ");
        assert_eq!(out, "abcdefgh\n    ij\n");
    }

    #[test]
    fn words_to_copy_stay_whole() {
        let hex = "ab".repeat(40);
        let text = format!("[chain] hex: {hex} done");
        let fitted = fit(&text, 40);
        assert!(fitted.lines().any(|l| l.trim() == hex), "{fitted}");
        assert_eq!(fitted.lines().count(), 3, "{fitted}");
        assert_eq!(fit("short\nlines", 40), "short\nlines");
        let mut out = String::new();
        push_wrapped(&mut out, &hex, 40, "", "");
        assert!(out.lines().all(|l| l.chars().count() <= 40), "{out}");
    }
}
