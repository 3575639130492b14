//! lnshell: an interactive teaching shell for the Lightning Network peer protocol.
//!
//! A REPL whose LDK node listens in the background: the learner connects with
//! netcat or another node, pastes raw BOLT messages, and sees every byte explained.
//!
//! Modules, one concern each:
//! * [`cli`]: flags and start-up;
//! * [`node`]: LDK wiring: keys, `PeerManager`, listeners, the connection registry;
//! * [`node::netcat`]: plaintext (netcat) sessions, a connection handler of the node;
//! * [`wire`]: the BOLT wire format: decode, explain, encode (pure, no I/O);
//! * [`command`]: the shell's language: [`command::parse`] and the help table;
//! * [`shell`]: executing commands: [`shell::Shell::execute`] gathers data from the
//!   node, its views write every command's text and JSON; [`repl`]: the prompt,
//!   completion and history;
//! * [`events`]: the one channel background tasks report through;
//! * [`lessons`]: the lessons, rendered for the terminal, and exercise progress;
//! * [`nc`]: a tiny netcat for learners without one (`lnshell nc HOST PORT`);
//! * [`pipeline`]: the subcommands that start no node (`lnshell decode|encode|example`,
//!   completions and the manual page), for scripts and pipes;
//! * [`files`]: writing a file so a crash leaves the old one or the new one, whole;
//!   [`lock`]: one shell per data dir.

#![warn(missing_docs)]

pub mod cli;
pub mod command;
pub mod events;
pub mod files;
pub mod lessons;
pub mod lock;
pub mod nc;
pub mod node;
pub mod pipeline;
pub mod repl;
pub mod shell;
pub mod wire;
