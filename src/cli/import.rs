//! `csdeck import FILE...`: bring exported files into the book.

use crate::clock;
use crate::domain::sanitize::caret_lines;
use crate::error::{Error, Result};
use crate::storage::Db;
use crate::storage::import::cells::DateOrder;
use crate::storage::import::kind::ColumnMap;
use crate::storage::import::{ImportOptions, ImportSummary, Kind, prepare_file, write_report};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// How the summary is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import; accounts files are applied first whatever the order given.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// What the files hold, when the header should not decide:
    /// accounts, subscriptions, usage, tickets, nps, tags, notes.
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
    /// Feed a column to a field, e.g. --map "Company=account_id" (or =extra, =ignore).
    #[arg(long = "map", value_name = "COLUMN=FIELD", value_parser = ColumnMap::parse)]
    pub maps: Vec<ColumnMap>,
    /// How to read dates like 3/4/2026 when a column does not settle it: mdy, dmy or ymd.
    #[arg(long, value_name = "ORDER", value_parser = parse_order)]
    pub date_order: Option<DateOrder>,
    /// text for people, json for scripts: {files: [{path, kind, read, added, updated, rejected, warnings}]}.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    Kind::parse(text).ok_or_else(|| {
        "expected accounts, subscriptions, usage, tickets, nps, tags or notes".to_owned()
    })
}

fn parse_order(text: &str) -> Result<DateOrder, String> {
    DateOrder::parse(text).ok_or_else(|| "expected mdy, dmy or ymd".to_owned())
}

/// How many bad rows an error message lists before pointing at --report.
const SHOWN_ERRORS: usize = 20;

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
    let options = ImportOptions {
        kind: args.kind,
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        today,
        maps: args.maps.clone(),
        date_order: args.date_order,
    };
    // Every file is read and mapped before the book is touched, then applied accounts first,
    // so usage, NPS, tags and notes find the accounts they name.
    let mut prepared = args
        .files
        .iter()
        .map(|file| prepare_file(file, &options))
        .collect::<Result<Vec<_>>>()?;
    for map in &args.maps {
        let norm = crate::storage::import::kind::normalize_header(&map.column);
        let found = prepared.iter().any(|p| {
            p.table
                .headers
                .iter()
                .any(|h| crate::storage::import::kind::normalize_header(h) == norm)
        });
        if !found {
            return Err(Error::usage(format!(
                "--map {}={}: no file of this import has a column {:?}: check its spelling",
                map.column, map.field, map.column
            )));
        }
    }
    prepared.sort_by_key(|p| p.kind());
    let summaries = import_into(db_path, prepared, &options)?;
    let mut failure: Option<Error> = None;
    for summary in &summaries {
        if !summary.rejected.is_empty() && !args.skip_invalid {
            failure.get_or_insert_with(|| Error::usage(rejection_message(summary, args)));
        }
    }
    match args.format {
        Format::Json => {
            let files: Vec<serde_json::Value> = summaries
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "path": s.file,
                        "kind": s.kind.as_str(),
                        "read": s.read,
                        "added": if s.committed || args.dry_run { s.added } else { 0 },
                        "updated": if s.committed || args.dry_run { s.updated } else { 0 },
                        "rejected": s.rejected.len(),
                        "committed": s.committed,
                        "warnings": s.warnings,
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&serde_json::json!({
                "dry_run": args.dry_run,
                "files": files,
            }))
            .map_err(|e| Error::runtime(format!("cannot write JSON: {e}")))?;
            text.push('\n');
            crate::cli::output::print(&text)?;
        }
        Format::Text => {
            for summary in &summaries {
                let line = summary.line(args.dry_run);
                crate::cli::output::print(&format!("{}\n", caret_lines(&line)))?;
                for warning in &summary.warnings {
                    eprintln!("{}: {}", summary.file, caret_lines(warning));
                }
            }
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

/// Imports prepared files into the book at `db_path` (the dashboard's `:import` too).
pub fn import_into(
    db_path: &Path,
    prepared: Vec<crate::storage::import::Prepared>,
    options: &ImportOptions,
) -> Result<Vec<ImportSummary>> {
    let existed = db_path.exists();
    if options.dry_run && !existed {
        // Nothing to check against and nothing to write: never create a book for a dry run.
        return Db::open_in_memory()?.import_all(prepared, options);
    }
    let mut db = Db::open(db_path)?;
    let mut bar = Progress::new();
    let summaries = db.import_all_reporting(prepared, options, &mut |file, done, total| {
        bar.show(file, done, total)
    })?;
    bar.finish();
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
    Ok(summaries)
}

/// A progress bar on stderr for imports that take more than a second; never drawn when stderr
/// is not a terminal (scripts, CI, pipes).
struct Progress {
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
    enabled: bool,
}

impl Progress {
    fn new() -> Progress {
        use std::io::IsTerminal;
        Progress {
            started: std::time::Instant::now(),
            bar: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    fn show(&mut self, file: &str, done: usize, total: usize) {
        if !self.enabled || self.started.elapsed() < std::time::Duration::from_secs(1) {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} {bar:40} {pos}/{len} rows ({eta} left)",
            ) {
                bar.set_style(style);
            }
            bar
        });
        bar.set_length(total as u64);
        bar.set_message(caret_lines(file).into_owned());
        bar.set_position(done as u64);
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn rejection_message(summary: &ImportSummary, args: &ImportArgs) -> String {
    let count = summary.rejected.len();
    let mut message = format!(
        "{}: {count} bad row{}, so nothing was imported:",
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
