//! Phase `startup`: spawn → first `info --json` answer over several fresh shells (the
//! listener is bound before the shell reads its first command), and how long `quit`
//! takes.

use std::path::Path;
use std::time::Instant;

use crate::shell::Shell;
use crate::stats::{ms, Stats};
use crate::{Opts, Report};

pub fn startup_phase(
    bin: &Path,
    opts: &Opts,
    deadline: Instant,
    report: &mut Report,
) -> Result<(), String> {
    println!("\n== start-up: {} fresh shells ==", opts.startup_runs);
    let mut ready = Vec::new();
    let mut quit = Vec::new();
    for _ in 0..opts.startup_runs {
        if Instant::now() >= deadline {
            return Err("hard timeout".into());
        }
        let shell = Shell::spawn(bin)?;
        ready.push(shell.startup);
        quit.push(shell.quit()?);
    }
    let s = Stats::of(&ready);
    report.row(
        "start → ready (first info answer)",
        format!("median {} / max {} (n={})", ms(s.p50), ms(s.max), s.n),
    );
    report.put("startup", s.json());
    let q = Stats::of(&quit);
    report.row(
        "quit (stdin EOF → exit), idle",
        format!("median {} / max {}", ms(q.p50), ms(q.max)),
    );
    report.put("quit_idle", q.json());
    Ok(())
}
