//! lnshell's binary: parse the flags, hand over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    match lnshell::cli::Args::try_parse() {
        Ok(args) => lnshell::cli::run(args),
        Err(e) => lnshell::pipeline::usage_error(e),
    }
}
