//! csdeck's entry point: parse the command line, run the dashboard or a subcommand, and turn
//! errors into one sentence on stderr with exit code 2 (user error) or 1 (run-time failure).

use clap::Parser;
use csdeck::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Pretty panic reports; the dashboard adds terminal restoration on top of this hook.
    let _ = color_eyre::install();
    let result = match &cli.command {
        Some(command) => cli::run(&cli, command),
        None => cli::db_path(&cli).and_then(|path| csdeck::app::run(&path)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Messages quote file contents: never let them reach the terminal raw.
            eprintln!(
                "csdeck: {}",
                csdeck::domain::sanitize::caret_lines(&error.message)
            );
            ExitCode::from(error.exit_code() as u8)
        }
    }
}
