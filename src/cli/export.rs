//! `csdeck export`: any segment as CSV (re-importable), JSON or a Markdown account brief.

use crate::cli::book::{self, Selection};
use crate::cli::output::print;
use crate::clock;
use crate::domain::AccountRow;
use crate::domain::brief;
use crate::domain::export::{self, ExportFormat};
use crate::domain::fields::{Field, sort_rows};
use crate::error::{Error, Result};
use crate::storage::Db;
use clap::{Args, ValueEnum};
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// The formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Md,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// csv (every field, re-imports to the same book), json, or md (an account brief).
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV for Excel: starts with a UTF-8 byte order mark so accents read right.
    #[arg(long)]
    pub excel: bool,
}

/// Exports the selection.
pub fn run(db_path: &Path, args: &ExportArgs) -> Result<()> {
    let today = clock::today()?;
    let (db, book) = book::open(db_path)?;
    let predicate = args.selection.predicate(&book)?;
    let mut rows: Vec<crate::domain::AccountRow> = book
        .matching(&predicate)
        .into_iter()
        .map(|i| book.rows()[i].clone())
        .collect();
    sort_rows(&mut rows, Field::Name, false);
    let refs: Vec<&crate::domain::AccountRow> = rows.iter().collect();
    let format = match args.format {
        Format::Csv => ExportFormat::Csv,
        Format::Json => ExportFormat::Json,
        Format::Md => ExportFormat::Markdown,
    };
    let title = match (&args.selection.segment, &args.selection.filter) {
        (Some(segment), _) => book
            .segment(segment)
            .map_or_else(|| segment.clone(), |s| s.name.clone()),
        (None, Some(filter)) => filter.clone(),
        (None, None) => "All accounts".to_owned(),
    };
    let mut text =
        export::render(&refs, format, &title, today, args.excel).map_err(Error::runtime)?;
    if format == ExportFormat::Markdown {
        text.push_str(&account_sections(&db, &refs, today)?);
    }
    match &args.output {
        None => print(&text),
        Some(path) => {
            write_file(path, &text)?;
            eprintln!(
                "exported {} to {}",
                crate::domain::plural::count(refs.len(), "account"),
                path.display()
            );
            Ok(())
        }
    }
}

/// The brief's section per account (health, NPS answers with comments, notes), for a selection
/// small enough to walk through in a meeting.
fn account_sections(db: &Db, rows: &[&AccountRow], today: Date) -> Result<String> {
    if rows.len() > brief::MOST_SECTIONS {
        return Ok(format!(
            "\n_A section per account (health, NPS comments, notes) is written for up to {} \
             accounts: narrow the selection with --where or --segment for a meeting brief._\n",
            brief::MOST_SECTIONS
        ));
    }
    let mut extras = Vec::with_capacity(rows.len());
    for row in rows {
        extras.push(brief::Extras {
            responses: db.nps_responses(row.key, today)?,
            notes: db.notes(row.key)?,
        });
    }
    let model = crate::config::health_model()?;
    Ok(brief::sections(rows, &extras, &model))
}

/// Writes a file whole or not at all, readable by its owner only.
pub fn write_file(path: &Path, text: &str) -> Result<()> {
    crate::files::write_private(path, text.as_bytes())
}
