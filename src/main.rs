//! csdeck's entry point: parse the command line, run the dashboard or a subcommand, and turn
//! errors into one sentence on stderr with exit code 2 (user error) or 1 (run-time failure).

use clap::Parser;
use csdeck::cli::{self, Cli};
use std::process::ExitCode;

mod crash_log {
    //! In a release build a crash prints one short paragraph and writes the full report to a
    //! file, instead of a wall of backtrace on the CSM's screen.

    /// Installs the hook (release builds only; debug builds keep color-eyre's full report).
    pub fn install() {
        if cfg!(debug_assertions) {
            return;
        }
        std::panic::set_hook(Box::new(|info| {
            let backtrace = std::backtrace::Backtrace::force_capture();
            let report = format!(
                "csdeck {} crashed: {info}\n\n{backtrace}\n",
                env!("CARGO_PKG_VERSION")
            );
            let place = directories::ProjectDirs::from("", "", "csdeck")
                .map(|d| d.data_dir().to_path_buf())
                .unwrap_or_else(std::env::temp_dir);
            let stamp = jiff::Timestamp::now().as_second();
            let path = place.join(format!("crash-{stamp}.log"));
            let written = std::fs::create_dir_all(&place)
                .and_then(|()| std::fs::write(&path, &report))
                .is_ok();
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".to_owned());
            if written {
                eprintln!(
                    "csdeck crashed ({message}). Nothing half-done was saved to your book. \
                     The details are in {}: please send that file with a report.",
                    path.display()
                );
            } else {
                eprintln!("csdeck crashed ({message}).\n{report}");
            }
        }));
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Pretty panic reports; the dashboard adds terminal restoration on top of this hook.
    let _ = color_eyre::install();
    crash_log::install();
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
