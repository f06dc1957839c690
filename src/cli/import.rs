//! `csdeck import FILE...`: bring exported files into the book.

use crate::clock;
use crate::domain::sanitize::caret_lines;
use crate::error::{Error, Result};
use crate::storage::Db;
use crate::storage::import::{ImportOptions, ImportSummary, Kind, prepare_file, write_report};
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import; accounts files are applied first whatever the order given.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// What the files hold, when the header should not decide: accounts, usage, nps, tags, notes.
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<Kind>,
    /// Check every row and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows of a file that has bad ones (default: a bad row stops the file).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Write every rejected row, with its reason, to this CSV file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    Kind::parse(text).ok_or_else(|| "expected accounts, usage, nps, tags or notes".to_owned())
}

/// How many bad rows an error message lists before pointing at --report.
const SHOWN_ERRORS: usize = 5;

/// Imports every file, each as one unit, and prints a summary line per file.
pub fn run(db_path: &Path, args: &ImportArgs) -> Result<()> {
    let today = clock::today()?;
    for file in &args.files {
        if !file.is_file() {
            return Err(Error::usage(format!(
                "{}: no such file: check the path",
                file.display()
            )));
        }
    }
    // Every file is read and mapped before the book is touched, then applied accounts first,
    // so usage, NPS, tags and notes find the accounts they name.
    let mut prepared = args
        .files
        .iter()
        .map(|file| prepare_file(file, args.kind))
        .collect::<Result<Vec<_>>>()?;
    prepared.sort_by_key(|p| p.kind());
    let options = ImportOptions {
        kind: args.kind,
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        today,
    };
    let existed = db_path.exists();
    let summaries = if args.dry_run && !existed {
        // Nothing to check against and nothing to write: never create a book for a dry run.
        Db::open_in_memory()?.import_all(prepared, &options)?
    } else {
        let mut db = Db::open(db_path)?;
        let summaries = db.import_all(prepared, &options)?;
        let committed_accounts = summaries
            .iter()
            .any(|s| s.committed && s.kind == Kind::Accounts && s.added + s.updated > 0);
        if committed_accounts {
            // The user's own accounts are in: the book is no longer just the demo.
            db.set_demo(false)?;
        }
        let wrote_anything = summaries.iter().any(|s| s.committed);
        drop(db);
        if !existed && !wrote_anything {
            // A first import that failed leaves no empty book behind (so the dashboard will
            // still offer the demo book there).
            crate::storage::remove_database(db_path);
        }
        summaries
    };
    let mut failure: Option<Error> = None;
    for summary in &summaries {
        let line = summary.line(args.dry_run);
        crate::cli::output::print(&format!("{}\n", caret_lines(&line)))?;
        if !summary.rejected.is_empty() && !args.skip_invalid {
            failure.get_or_insert_with(|| Error::usage(rejection_message(summary, args)));
        }
    }
    if let Some(path) = &args.report {
        write_report(path, &summaries)?;
    }
    match failure {
        Some(error) => Err(error),
        None => {
            if args.skip_invalid {
                for summary in &summaries {
                    for error in summary.rejected.iter().take(SHOWN_ERRORS) {
                        eprintln!("skipped {}", caret_lines(&error.describe(&summary.file)));
                    }
                }
            }
            Ok(())
        }
    }
}

fn rejection_message(summary: &ImportSummary, args: &ImportArgs) -> String {
    let count = summary.rejected.len();
    let mut message = format!(
        "{}: {count} bad row{}, so nothing from this file was imported:",
        summary.file,
        if count == 1 { "" } else { "s" }
    );
    for error in summary.rejected.iter().take(SHOWN_ERRORS) {
        message.push_str(&format!("\n  {}", error.describe(&summary.file)));
    }
    if count > SHOWN_ERRORS {
        message.push_str(&format!("\n  ... and {} more", count - SHOWN_ERRORS));
    }
    message.push_str("\nFix the rows and import again");
    if args.report.is_none() {
        message.push_str(", list them all with --report FILE,");
    }
    message.push_str(" or import the good rows with --skip-invalid.");
    message
}
