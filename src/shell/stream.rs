//! Decoding a stream of lines: the shell's `decode --file` and `lnshell decode -`
//! are this one loop.
//!
//! Input may be a file, a pipe from `tail -f`, or a gigabyte of log; so the loop holds
//! one line at a time (a line longer than [`MAX_LINE`] is skipped, not gathered),
//! reuses its buffers, and writes each message's decode as soon as it has it. Output
//! is buffered, and flushed whenever the input buffer is empty, that is, just before
//! reading could wait: a slow pipe sees each answer at once, a fast one is written in
//! large blocks.
//!
//! What a line holds is `wire::logline`'s to say (bare hex, a node's log line, a JSON
//! entry); when the first line opens a JSON document that goes on over more lines
//! (`lightning-cli getlog io`), the document is read entry by entry from the same
//! reader, and line reading resumes after it. Lines with no message are counted and
//! skipped; the summary (text output) says how many.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read, Write};

use super::views::{self, Place};
use super::{ErrorKind, ShellError};
use crate::wire::logline::{self, Line, Origin, Stopped};
use crate::wire::{self, render::RenderOptions, DecodeOptions};

/// The longest line read, in bytes: a BOLT message is at most 65535 bytes (131070
/// hex digits), and a log line or a JSON line around it is far shorter than this.
pub const MAX_LINE: usize = 4 << 20;

/// How to print.
#[derive(Clone, Copy, Debug, Default)]
pub struct StreamOptions {
    /// One JSON object a message (JSON Lines) instead of text.
    pub json: bool,
    /// Long fields whole (text).
    pub full: bool,
    /// The terminal's columns when a person reads the tables at the prompt (`None`:
    /// the stable wide layout of pipes and files).
    pub width: Option<usize>,
}

/// What a stream held.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Messages that decoded with no error.
    pub clean: usize,
    /// Messages with errors (and lines too long to read).
    pub with_errors: usize,
    /// Lines with no message in them.
    pub skipped_lines: usize,
    /// Entries of a JSON document with no message (`INFO`, `SKIPPED`).
    pub skipped_entries: usize,
}

impl Tally {
    /// Every message decoded cleanly (true for a stream with none).
    pub fn all_clean(&self) -> bool {
        self.with_errors == 0
    }

    /// The summary line text output ends with.
    pub fn summary(&self) -> String {
        views::decode_file_summary(
            self.clean,
            self.with_errors,
            self.skipped_lines,
            self.skipped_entries,
        )
    }
}

/// How a stream ended.
#[derive(Debug)]
pub struct Streamed {
    /// What it held.
    pub tally: Tally,
    /// False if the output closed (`| head`): the caller stops quietly.
    pub output_open: bool,
}

/// Decodes every message in `input` (`source` names it in errors: a path, `stdin`),
/// writing to `out` as it goes; in text, ends with the summary. An input that cannot
/// be read, or a JSON document that is not a log, is an error (what was written stays
/// written).
pub fn decode_stream<R: Read>(
    input: R,
    source: &str,
    opts: StreamOptions,
    out: &mut dyn Write,
) -> Result<Streamed, ShellError> {
    let mut state = State {
        out,
        opts,
        render: RenderOptions {
            full: opts.full,
            width: opts.width,
        },
        tally: Tally::default(),
        json_line: Vec::with_capacity(8192),
    };
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut line = Vec::with_capacity(4096);
    let mut line_no = 0usize;
    let mut seen_content = false;
    loop {
        let mut output_closed = false;
        let read = read_line(&mut reader, &mut line, MAX_LINE, &mut || {
            // The read may wait: let what is written so far out first.
            output_closed |= state.out.flush().is_err();
        });
        if output_closed {
            return Ok(state.closed());
        }
        let too_long = match read {
            Ok(None) => break,
            Ok(Some(too_long)) => too_long,
            Err(e) => {
                let _ = state.out.flush();
                return Err(ShellError::new(
                    ErrorKind::Io,
                    views::stream_read_error_text(source, line_no + 1, &e),
                ));
            }
        };
        line_no += 1;
        if too_long {
            state.tally.with_errors += 1;
            if state.too_long(line_no).is_err() {
                return Ok(state.closed());
            }
            continue;
        }
        // Logs are text; a stray byte that is not UTF-8 costs its line nothing else.
        let text = match std::str::from_utf8(&line) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(&line),
        };
        let found = logline::find(&text);
        let first = !seen_content;
        seen_content |= found != Line::Blank;
        let written = match found {
            Line::Blank => Ok(()),
            Line::NoMessage => {
                state.tally.skipped_lines += 1;
                Ok(())
            }
            Line::DocumentStart if first => {
                let start = io::Cursor::new(std::mem::take(&mut line));
                match state.document(start.chain(&mut reader)) {
                    Ok(true) => Ok(()),
                    Ok(false) => return Ok(state.closed()),
                    Err(e) => {
                        let _ = state.out.flush();
                        return Err(ShellError::new(
                            ErrorKind::Input,
                            views::not_a_log_document_text(source, line_no, &e),
                        ));
                    }
                }
            }
            // A `{` that opens no one-line object, later in a file: not a message.
            Line::DocumentStart => {
                state.tally.skipped_lines += 1;
                Ok(())
            }
            Line::Message { hex, origin } => state.message(Place::Line(line_no), &hex, &origin),
        };
        if written.is_err() {
            return Ok(state.closed());
        }
    }
    let tally = state.tally;
    let end = if opts.json {
        Ok(())
    } else {
        writeln!(state.out, "{}", tally.summary())
    };
    Ok(Streamed {
        tally,
        output_open: end.and_then(|()| state.out.flush()).is_ok(),
    })
}

/// The loop's output side.
struct State<'o> {
    out: &'o mut dyn Write,
    opts: StreamOptions,
    render: RenderOptions,
    tally: Tally,
    /// One JSON line, reused for every message.
    json_line: Vec<u8>,
}

impl State<'_> {
    fn message(&mut self, place: Place, hex: &str, origin: &Origin<'_>) -> io::Result<()> {
        let d = wire::decode_hex(hex, DecodeOptions { ldk_check: true });
        if d.is_ok() {
            self.tally.clean += 1;
        } else {
            self.tally.with_errors += 1;
        }
        views::decoded_line_into(
            self.out,
            place,
            origin,
            &d,
            self.opts.json,
            &self.render,
            &mut self.json_line,
        )
    }

    fn too_long(&mut self, line_no: usize) -> io::Result<()> {
        let e = ShellError::new(
            ErrorKind::Input,
            views::line_too_long_text(line_no, MAX_LINE),
        );
        if self.opts.json {
            writeln!(self.out, "{}", views::error_json(&e))
        } else {
            writeln!(self.out, "{e}\n")
        }
    }

    /// A JSON document, entry by entry; `Ok(false)` if the output closed.
    fn document(&mut self, input: impl Read) -> Result<bool, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_reader(input);
        logline::for_each_entry(&mut de, |n, line| match line {
            Line::Message { hex, origin } => self
                .message(Place::Entry(n), &hex, &origin)
                .map_err(|_| Stopped),
            _ => {
                self.tally.skipped_entries += 1;
                Ok(())
            }
        })
    }

    fn closed(self) -> Streamed {
        Streamed {
            tally: self.tally,
            output_open: false,
        }
    }
}

/// Reads one line (without its `\n`) into `line`, at most `max` bytes of it: `None` at
/// the end of input, `Some(true)` if the line was longer (the rest is read and dropped,
/// so memory stays bounded whatever the input). `before_wait` is called whenever
/// nothing is buffered, just before a read that may wait for input.
fn read_line<R: Read>(
    reader: &mut BufReader<R>,
    line: &mut Vec<u8>,
    max: usize,
    before_wait: &mut dyn FnMut(),
) -> io::Result<Option<bool>> {
    line.clear();
    let mut any = false;
    let mut too_long = false;
    loop {
        if reader.buffer().is_empty() {
            before_wait();
        }
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(any.then_some(too_long));
        }
        any = true;
        let (chunk, used, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..i], i + 1, true),
            None => (buf, buf.len(), false),
        };
        if !too_long {
            if line.len() + chunk.len() > max {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        reader.consume(used);
        if done {
            return Ok(Some(too_long));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str, json: bool) -> (String, Tally) {
        let mut out = Vec::new();
        let s = decode_stream(
            input.as_bytes(),
            "test",
            StreamOptions {
                json,
                full: false,
                width: None,
            },
            &mut out,
        )
        .unwrap();
        assert!(s.output_open);
        (String::from_utf8(out).unwrap(), s.tally)
    }

    #[test]
    fn counts_and_skips() {
        let (text, tally) = run(
            "# comment\n\n0012000400020000\nhello there\n[OUT] 001\n",
            false,
        );
        assert_eq!(
            tally,
            Tally {
                clean: 1,
                with_errors: 1,
                skipped_lines: 1,
                skipped_entries: 0
            }
        );
        assert!(text.starts_with("line 3: ping (type 18"), "{text}");
        assert!(text.contains("line 5 (out): invalid input"), "{text}");
        assert!(
            text.ends_with(
                "2 messages: 1 decoded cleanly, 1 with errors; 1 line with no message skipped\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_document_then_more_lines() {
        let input = "{\n \"log\": [\n  {\"type\": \"SKIPPED\", \"num_skipped\": 2},\n  {\"type\": \"IO_IN\", \"time\": \"1.5\", \"data\": \"0012000400020000\"}\n ]\n}\n0012000400020000\n";
        let (text, tally) = run(input, true);
        assert_eq!((tally.clean, tally.skipped_entries), (2, 1));
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["direction"], "in");
        assert_eq!(lines[0]["time"], "1.5");
        assert!(lines[1].get("direction").is_none());
    }

    #[test]
    fn long_lines_are_bounded() {
        let mut reader = BufReader::with_capacity(8, "0123456789abcdef\nxy\nlast".as_bytes());
        let mut line = Vec::new();
        let mut waits = 0;
        let mut wait = || waits += 1;
        assert_eq!(
            read_line(&mut reader, &mut line, 10, &mut wait).unwrap(),
            Some(true)
        );
        assert!(line.is_empty());
        assert_eq!(
            read_line(&mut reader, &mut line, 10, &mut wait).unwrap(),
            Some(false)
        );
        assert_eq!(line, b"xy");
        assert_eq!(
            read_line(&mut reader, &mut line, 10, &mut wait).unwrap(),
            Some(false)
        );
        assert_eq!(line, b"last");
        assert_eq!(
            read_line(&mut reader, &mut line, 10, &mut wait).unwrap(),
            None
        );
        // Every refill of the 8-byte buffer came after a wait warning.
        assert_eq!(waits, 5);
    }

    #[test]
    fn a_broken_document_is_an_error() {
        let mut out = Vec::new();
        let e = decode_stream(
            "{\n \"log\": [1, 2\n".as_bytes(),
            "x.json",
            StreamOptions::default(),
            &mut out,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Input);
        assert!(e.to_string().starts_with("x.json line 1:"), "{e}");
    }
}
