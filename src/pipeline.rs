//! `lnshell decode|encode|example|completions|manpage`: lnshell in a developer's
//! pipeline, with no node.
//!
//! A developer with a hex message in a log wants `lnshell decode 0010…` or
//! `grep '\[IN\]' lightningd.log | lnshell decode`, the way they use `jq`; starting a
//! node for that (a data dir, a key, a listener, LDK's managers) would be slow and
//! leave things behind. So these subcommands start nothing: no data dir, no socket, no
//! async runtime. They run the very functions the shell runs for the same commands
//! (`shell::decode_hex`, `shell::stream`, `shell::encode`, `shell::example`), so the
//! two never disagree about a message.
//!
//! They follow the command-line tools their users already know (`jq`, ripgrep,
//! `lightning-cli`): results on stdout, diagnostics on stderr, and an exit status a
//! script can test: **0** every message decoded cleanly (or the command did its job),
//! **1** a message had errors or the input could not be used, **2** the command line
//! was wrong. With `--json`, a failure is a JSON object on stdout,
//! `{"error": "…", "kind": "…"}`, like every `--json` command of the shell.
//!
//! Completions and the manual page are generated from the same clap definitions as
//! `--help` (`clap_complete`, `clap_mangen`), so the three cannot drift apart.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Subcommand;

use crate::command::assignments;
use crate::node::parse_network;
use crate::shell::stream::{decode_stream, StreamOptions};
use crate::shell::{self, ErrorKind, ShellError};

/// Exit status: the command line was wrong.
const USAGE: u8 = 2;

/// The subcommands that start no node.
#[derive(Subcommand, Debug)]
pub enum Tool {
    /// Decode BOLT messages, with no node: from the arguments, or one a line from stdin
    #[command(long_about = DECODE_ABOUT, after_help = EXIT_STATUS)]
    Decode {
        /// Print JSON: one object a message, one a line (JSON Lines), with `direction`,
        /// `time` and `peer` when the log line says
        #[arg(long)]
        json: bool,
        /// Show long fields whole instead of shortened
        #[arg(long)]
        full: bool,
        /// The message in hex (several words are joined into one message, as in the
        /// shell); `-` or none, with stdin a pipe or a file: read stdin, one message a line
        #[arg(value_name = "HEX")]
        hex: Vec<String>,
    },
    /// Build a message's hex from field values (sensible defaults for the rest)
    #[command(after_help = EXIT_STATUS)]
    Encode {
        /// The message's name, as the BOLTs spell it (`open_channel`; `lnshell example`
        /// lists them)
        name: String,
        /// Field values, e.g. `funding_satoshis=200000`
        #[arg(value_name = "FIELD=VALUE")]
        assignments: Vec<String>,
        /// The chain whose hash goes into `chain_hash` [default: lnshell's --network, regtest]
        #[arg(long, value_parser = parse_network)]
        network: Option<bitcoin::Network>,
    },
    /// Print a ready-to-paste example of a message, or the list of message names
    #[command(after_help = EXIT_STATUS)]
    Example {
        /// The message's name (none: list every name)
        name: Option<String>,
        /// The chain whose hash goes into `chain_hash` [default: lnshell's --network, regtest]
        #[arg(long, value_parser = parse_network)]
        network: Option<bitcoin::Network>,
    },
    /// Print a completion script for a shell (bash, zsh, fish; also elvish, powershell)
    #[command(
        long_about = "Print a completion script for a shell, generated from lnshell's own \
                      command-line definition.\n\n\
                      bash:  lnshell completions bash > ~/.local/share/bash-completion/completions/lnshell\n\
                      zsh:   lnshell completions zsh > ~/.zfunc/_lnshell   (with fpath+=~/.zfunc before compinit)\n\
                      fish:  lnshell completions fish > ~/.config/fish/completions/lnshell.fish"
    )]
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from the same definitions as --help
    #[command(
        long_about = "Print the manual page in roff, generated from the same definitions as \
                      --help: `lnshell manpage | man -l -` shows it; `lnshell manpage > lnshell.1` \
                      installs it. `lnshell manpage decode` prints lnshell-decode(1)."
    )]
    Manpage {
        /// A subcommand's own page (`decode` gives lnshell-decode(1))
        subcommand: Option<String>,
    },
}

const DECODE_ABOUT: &str = "Decode BOLT messages, with no node started: from the arguments, or \
one a line from stdin.

A message is type (2 bytes, big-endian) || payload, as inside a BOLT 8 frame; case, 0x, spaces and \
colons do not matter. From stdin, each line may be bare hex, a node's log line (Core Lightning's \
`log-level=io`: `2024-01-15T10:23:45.123Z 02…-connectd: [IN] 0010…`; any line whose last word is \
hex, after a timestamp and a node id), or a JSON object (Core Lightning's `getlog` entries, \
`{\"type\": \"IO_IN\", \"data\": \"…\", \"node_id\": \"…\", \"time\": \"…\"}`, and lnshell's own \
`decode --json` lines, `{\"hex\": \"…\", …}`); the whole of `lightning-cli getlog io` is read too. \
The direction, time and peer are kept. Lines with no message are counted and skipped; the summary \
says how many (on stderr with --json). Output is written as each message is read.";

const EXIT_STATUS: &str = "Exit status: 0 if every message decoded cleanly (or the command did \
its job), 1 if a message had errors or the input could not be used, 2 if the command line was \
wrong. With --json, a failure is printed on stdout as {\"error\": \"…\", \"kind\": \"…\"}.";

/// Runs `tool`; `network` (lnshell's `--network`) is the chain `encode` and `example`
/// write into `chain_hash` unless they are given their own;
/// `command` gives the whole command-line definition, for completions and the manual.
pub fn run(tool: Tool, network: bitcoin::Network, command: fn() -> clap::Command) -> ExitCode {
    match tool {
        Tool::Decode { json, full, hex } => decode(
            &hex,
            StreamOptions {
                json,
                full,
                width: None,
            },
        ),
        Tool::Encode {
            name,
            assignments: words,
            network: chain,
        } => {
            let result = assignments(&words)
                .map_err(ShellError::from)
                .and_then(|pairs| shell::encode(&name, &pairs, chain.unwrap_or(network)));
            print_result("encode", result)
        }
        Tool::Example {
            name,
            network: chain,
        } => print_result(
            "example",
            shell::example(name.as_deref(), chain.unwrap_or(network)),
        ),
        Tool::Completions { shell } => {
            let mut cmd = command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "lnshell", &mut out);
            write_out(&out)
        }
        Tool::Manpage { subcommand } => manpage(command(), subcommand.as_deref()),
    }
}

/// `lnshell decode`.
fn decode(hex: &[String], opts: StreamOptions) -> ExitCode {
    let from_stdin = match hex {
        [] => true,
        [dash] if dash == "-" => true,
        words if words.iter().any(|w| w == "-") => {
            return fail(
                "decode",
                opts.json,
                &ShellError::new(
                    ErrorKind::Usage,
                    "give either hex or `-` (read stdin), not both",
                ),
            )
        }
        _ => false,
    };
    if !from_stdin {
        let (text, ok) = shell::decode_hex(&hex.join(" "), opts.json, opts.full);
        return match (write_out(format!("{text}\n").as_bytes()), ok) {
            (code, true) => code,
            (_, false) => ExitCode::FAILURE,
        };
    }
    let stdin = io::stdin();
    if hex.is_empty() && stdin.is_terminal() {
        return fail(
            "decode",
            opts.json,
            &ShellError::new(
                ErrorKind::Usage,
                "no message: give one in hex (lnshell decode 0012000400020000), or pipe \
                 messages in, one a line (… | lnshell decode)",
            ),
        );
    }
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match decode_stream(stdin.lock(), "stdin", opts, &mut out) {
        Ok(streamed) => {
            if opts.json && streamed.output_open {
                let _ = writeln!(io::stderr(), "{}", streamed.tally.summary());
            }
            if streamed.tally.all_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            let _ = out.flush();
            drop(out);
            fail("decode", opts.json, &e)
        }
    }
}

/// `lnshell manpage [SUBCOMMAND]`.
fn manpage(command: clap::Command, subcommand: Option<&str>) -> ExitCode {
    let page = match subcommand {
        None => command,
        Some(name) => match command.find_subcommand(name) {
            Some(sub) => sub.clone().name(format!("lnshell-{name}")),
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                return fail(
                    "manpage",
                    false,
                    &ShellError::new(
                        ErrorKind::Usage,
                        format!("no subcommand {name:?}: one of {}", names.join(", ")),
                    ),
                );
            }
        },
    };
    let mut out = Vec::new();
    match clap_mangen::Man::new(page).render(&mut out) {
        Ok(()) => write_out(&out),
        Err(e) => fail(
            "manpage",
            false,
            &ShellError::new(ErrorKind::Io, format!("cannot write the manual page: {e}")),
        ),
    }
}

/// Prints a command's one result line, or its error.
fn print_result(tool: &str, result: Result<String, ShellError>) -> ExitCode {
    match result {
        Ok(text) => write_out(format!("{text}\n").as_bytes()),
        Err(e) => fail(tool, false, &e),
    }
}

/// Writes `bytes` to stdout; a closed stdout (`| head`) is no error of ours.
fn write_out(bytes: &[u8]) -> ExitCode {
    let mut out = io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
    ExitCode::SUCCESS
}

/// Reports `e`: as JSON on stdout with `--json`, else on stderr. The exit status is 2
/// for a usage error, 1 for any other.
fn fail(tool: &str, json: bool, e: &ShellError) -> ExitCode {
    if json {
        let _ = writeln!(io::stdout(), "{}", e.to_json());
    } else {
        let _ = writeln!(io::stderr(), "lnshell {tool}: {e}");
    }
    exit_code(e.kind)
}

fn exit_code(kind: ErrorKind) -> ExitCode {
    match kind {
        ErrorKind::Usage => ExitCode::from(USAGE),
        _ => ExitCode::FAILURE,
    }
}

/// A command line clap could not parse: its message and exit status 2, as clap prints
/// it, or, when the line asked for `--json`, the same as a JSON error on stdout (help and
/// `--version` print as usual).
pub fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    let wants_json = std::env::args_os().any(|a| a == "--json");
    if !wants_json || matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) {
        let _ = e.print();
        return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
    }
    let text = e.render().to_string();
    let first = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ");
    fail(
        "",
        true,
        &ShellError::new(ErrorKind::Usage, first.to_string()),
    )
}
