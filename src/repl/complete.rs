//! Tab completion for the prompt: rustyline's [`Helper`], kept apart from the
//! loop that uses it.
//!
//! rustyline asks one value for completion, hints, highlighting and validation;
//! lnshell only completes, so three of the four traits are left at their
//! defaults. What completes is drawn from the same places the commands are: the
//! command words from [`command_words`] (the parser's own table, so a new
//! command completes without being listed twice), message names from the wire
//! catalogue, and peer ids from the node's registry at the moment Tab is
//! pressed.

use std::borrow::Cow;
use std::sync::Arc;

use rustyline::completion::Completer;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use crate::command::command_words;
use crate::node::Node;
use crate::wire;

/// Tab completion: command words, then message names or peer ids as fits.
pub(super) struct ShellHelper {
    /// Where the peers to complete come from.
    pub(super) node: Arc<Node>,
}

impl ShellHelper {
    fn candidates(&self, before: &[&str]) -> Vec<String> {
        match before {
            [] => command_words().iter().map(|s| s.to_string()).collect(),
            ["help"] => command_words().iter().map(|s| s.to_string()).collect(),
            ["example"] | ["encode"] => wire::catalog::message_names()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ["disconnect"] => {
                let mut v = Vec::new();
                for p in self.node.peers() {
                    v.push(format!("#{}", p.conn.id));
                    if let Some(id) = p.node_id {
                        v.push(id.to_string());
                    }
                }
                v
            }
            ["connect"] => self
                .node
                .peers()
                .into_iter()
                .filter_map(|p| p.node_id.map(|id| format!("{id}@{}", p.conn.remote)))
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Completer for ShellHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let upto = &line[..pos];
        let start = upto.rfind(char::is_whitespace).map(|i| i + 1).unwrap_or(0);
        let word = &upto[start..];
        let before: Vec<&str> = upto[..start].split_whitespace().collect();
        let mut matches: Vec<String> = self
            .candidates(&before)
            .into_iter()
            .filter(|c| c.starts_with(word))
            .collect();
        matches.sort();
        matches.dedup();
        Ok((start, matches))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        Cow::Borrowed(prompt)
    }
}

impl Validator for ShellHelper {}

impl Helper for ShellHelper {}
