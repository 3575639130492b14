//! The REPL and its two script forms, all on one parser and one executor.
//!
//! * Interactive (stdin is a terminal): a rustyline prompt with history in the
//!   data dir, tab completion, and background events printed through rustyline's
//!   external printer so they never tear the line being typed.
//! * `--exec CMD …`: run the commands in order, then leave.
//! * Piped stdin: one command per line until EOF, no prompt, no banner.
//!
//! `readline` blocks, so the prompt runs on the main thread, never on a tokio
//! worker; commands that wait on the network block on the runtime from here.
//!
//! This file is the modes, the loop and the history; tab completion is in
//! `complete`. Lines are parsed by [`crate::command`], run by [`crate::shell`]:
//! the REPL sits above both and neither knows it.

mod complete;

pub mod printer;

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::Editor;

use crate::command::{parse, wants_json};
use crate::events::EventReceiver;
use crate::shell::{Outcome, Shell, ShellError};
use complete::ShellHelper;
use printer::{spawn_plain_printer, spawn_prompt_printer};

/// The history file's name inside the data dir.
pub(crate) const HISTORY_FILE: &str = "history.txt";

/// How the shell takes its commands.
pub(crate) enum Mode {
    /// A prompt for a person.
    Interactive,
    /// These commands, then exit.
    Exec(Vec<String>),
    /// Lines from stdin until EOF.
    Stdin,
}

impl Mode {
    /// Interactive if stdin is a terminal and no `--exec` was given.
    pub fn detect(exec: Vec<String>) -> Mode {
        if !exec.is_empty() {
            Mode::Exec(exec)
        } else if std::io::stdin().is_terminal() {
            Mode::Interactive
        } else {
            Mode::Stdin
        }
    }
}

/// Runs the shell in `mode` until the user quits or input ends. Returns whether
/// every command succeeded.
pub(crate) fn run(shell: &mut Shell, mode: Mode, events: EventReceiver, banner: &str) -> bool {
    match mode {
        Mode::Interactive => {
            let terminal = Arc::new(std::sync::Mutex::new(()));
            shell.set_pager(Arc::clone(&terminal));
            interactive(shell, events, banner, terminal)
        }
        Mode::Exec(cmds) => {
            let printer = spawn_plain_printer(
                events,
                Arc::clone(shell.tracker()),
                Arc::clone(shell.brief_events()),
            );
            let ok = script(shell, cmds.into_iter());
            drop(printer);
            ok
        }
        Mode::Stdin => {
            let printer = spawn_plain_printer(
                events,
                Arc::clone(shell.tracker()),
                Arc::clone(shell.brief_events()),
            );
            let lines = std::io::stdin().lock().lines().map_while(Result::ok);
            let ok = script(shell, lines);
            drop(printer);
            ok
        }
    }
}

/// Runs each line as a command; output to stdout, errors to stderr (a `--json`
/// command's error to stdout, as JSON, where the script reads its output).
fn script(shell: &Shell, lines: impl Iterator<Item = String>) -> bool {
    let mut all_ok = true;
    for line in lines {
        match run_line(shell, &line, &mut std::io::stdout()) {
            Ok(Outcome::Continue) => {}
            // A closed stdout (`lnshell ... | head`) ends the run quietly.
            Ok(Outcome::Quit) | Ok(Outcome::OutputClosed) => break,
            Err(e) if wants_json(&line) => {
                all_ok = false;
                if !emit(&mut std::io::stdout(), &e.to_json()) {
                    break;
                }
            }
            Err(e) => {
                all_ok = false;
                let _ = emit(&mut std::io::stderr(), &format!("error: {e}"));
            }
        }
    }
    all_ok
}

/// Writes one block of output and a newline; false if the stream is closed.
fn emit(out: &mut impl Write, text: &str) -> bool {
    writeln!(out, "{text}").and_then(|()| out.flush()).is_ok()
}

/// Parses and runs one line; the error says what went wrong (a line that does not
/// parse is a usage error).
fn run_line(shell: &Shell, line: &str, out: &mut dyn Write) -> Result<Outcome, ShellError> {
    match parse(line) {
        Ok(Some(cmd)) => shell.execute(cmd, out),
        Ok(None) => Ok(Outcome::Continue),
        Err(e) => Err(e.into()),
    }
}

/// The prompt. `terminal` is held by the pager while it shows a page; the event
/// printer takes it before each event, so events wait until the page is closed.
fn interactive(
    shell: &Shell,
    events: EventReceiver,
    banner: &str,
    terminal: Arc<std::sync::Mutex<()>>,
) -> bool {
    let mut editor: Editor<ShellHelper, DefaultHistory> = match Editor::new() {
        Ok(e) => e,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: cannot open the terminal for line editing: {e}; reading commands line by line instead");
            let printer = spawn_plain_printer(
                events,
                Arc::clone(shell.tracker()),
                Arc::clone(shell.brief_events()),
            );
            let lines = std::io::stdin().lock().lines().map_while(Result::ok);
            let ok = script(shell, lines);
            drop(printer);
            return ok;
        }
    };
    editor.set_helper(Some(ShellHelper {
        node: Arc::clone(shell.node()),
    }));
    let empty_interrupt = Arc::new(std::sync::atomic::AtomicBool::new(false));
    editor.bind_sequence(
        rustyline::KeyEvent::ctrl('C'),
        rustyline::EventHandler::Conditional(Box::new(NoteEmptyInterrupt(Arc::clone(
            &empty_interrupt,
        )))),
    );
    let history = shell.node().data_dir().join(HISTORY_FILE);
    let _ = editor.load_history(&history);
    let width = terminal_width(&mut editor);
    shell.set_width(width);
    let _ = match width {
        Some(w) => emit(&mut std::io::stdout(), &crate::wire::render::fit(banner, w)),
        None => emit(&mut std::io::stdout(), banner),
    };

    match editor.create_external_printer() {
        Ok(printer) => {
            spawn_prompt_printer(
                printer,
                events,
                Arc::clone(shell.tracker()),
                terminal,
                shell.width_handle(),
                Arc::clone(shell.brief_events()),
            );
        }
        Err(_) => {
            spawn_plain_printer(
                events,
                Arc::clone(shell.tracker()),
                Arc::clone(shell.brief_events()),
            );
        }
    }

    loop {
        match editor.readline("lnshell> ") {
            Ok(input) => {
                // Read at each command, so a resized window takes effect.
                shell.set_width(terminal_width(&mut editor));
                // A paste of several lines arrives as one input (bracketed paste):
                // each line is a command of its own.
                let mut quit = false;
                for line in input.lines() {
                    if !line.trim().is_empty() {
                        let _ = editor.add_history_entry(line);
                    }
                    match run_line(shell, line, &mut std::io::stdout()) {
                        Ok(Outcome::Continue) => {}
                        Ok(Outcome::Quit) | Ok(Outcome::OutputClosed) => quit = true,
                        Err(e) if wants_json(line) => {
                            quit = !emit(&mut std::io::stdout(), &e.to_json())
                        }
                        Err(e) => {
                            let text = format!("error: {e}");
                            let text = match crate::shell::width_of(&shell.width_handle()) {
                                Some(w) => crate::wire::render::fit(&text, w),
                                None => text,
                            };
                            quit = !emit(&mut std::io::stdout(), &text)
                        }
                    }
                    if quit {
                        break;
                    }
                }
                if quit {
                    break;
                }
            }
            // Ctrl-C clears the line, as in any shell; on an empty line the learner
            // may want out, so say how.
            Err(ReadlineError::Interrupted) => {
                if empty_interrupt.swap(false, std::sync::atomic::Ordering::Relaxed) {
                    let _ = emit(&mut std::io::stdout(), CTRL_C_HINT);
                }
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "error: reading the terminal failed: {e}");
                break;
            }
        }
    }
    if let Err(e) = save_history(&mut editor, &history) {
        let _ = writeln!(
            std::io::stderr(),
            "warning: could not save history to {}: {e}",
            history.display()
        );
    }
    true
}

/// The terminal's columns: rustyline's TIOCGWINSZ on stdout; `$COLUMNS` when the
/// terminal reports none (a pty whose size was never set reads as 0, which rustyline
/// turns into its default 80, so `$COLUMNS` overrides exactly that 80); `None` when
/// stdout is no terminal, for the stable layout.
fn terminal_width(editor: &mut Editor<ShellHelper, DefaultHistory>) -> Option<usize> {
    let (cols, _) = editor.dimensions()?;
    let env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    match (cols, env) {
        (80, Some(c)) => Some(c),
        (c, _) => Some(usize::from(c)),
    }
}

/// What Ctrl-C on an empty prompt says: it clears a line, it does not leave.
const CTRL_C_HINT: &str = "(Ctrl-C clears the line; Ctrl-D or `quit` leaves the shell)";

/// Ctrl-C's key handler: notes whether the line was empty, then lets rustyline do
/// its usual interrupt.
struct NoteEmptyInterrupt(Arc<std::sync::atomic::AtomicBool>);

impl rustyline::ConditionalEventHandler for NoteEmptyInterrupt {
    fn handle(
        &self,
        _evt: &rustyline::Event,
        _n: rustyline::RepeatCount,
        _positive: bool,
        ctx: &rustyline::EventContext,
    ) -> Option<rustyline::Cmd> {
        self.0.store(
            ctx.line().trim().is_empty(),
            std::sync::atomic::Ordering::Relaxed,
        );
        None
    }
}

/// Saves history atomically: a temporary file, then a rename, so a crash or a full
/// disk never leaves half a history behind.
fn save_history(
    editor: &mut Editor<ShellHelper, DefaultHistory>,
    path: &std::path::Path,
) -> rustyline::Result<()> {
    let tmp = crate::files::temp_path(path);
    // rustyline writes nothing when no line was added (a fresh data dir, or a session
    // with nothing typed): then the history on disk is already right. What it wrote is
    // fsynced before the rename (`files::commit`), so a crash leaves one history whole.
    let result = editor.save_history(&tmp).and_then(|()| match tmp.exists() {
        true => crate::files::commit(&tmp, path).map_err(Into::into),
        false => Ok(()),
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
