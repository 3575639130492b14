//! lnshell's binary: parse the flags, hand over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    lnshell::cli::run(lnshell::cli::Args::parse())
}
