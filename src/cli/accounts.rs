//! `csdeck accounts`: the book as a table, CSV or JSON, sorted and limited.

use crate::cli::output::{fit, print};
use crate::domain::AccountRow;
use crate::domain::fields::{Field, sort_rows};
use crate::domain::listing;
use crate::domain::money;
use crate::domain::sanitize::caret;
use crate::error::{Error, Result};
use clap::{Args, ValueEnum};
use std::path::Path;

/// Output formats of listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// Arguments of `accounts`.
#[derive(Debug, Args)]
pub struct AccountsArgs {
    #[command(flatten)]
    pub selection: crate::cli::book::Selection,
    /// Sort by a field, ascending, or descending with `:desc` (e.g. `arr:desc`).
    #[arg(long, value_name = "FIELD[:desc]", default_value = "name")]
    pub sort: String,
    /// Show at most N accounts.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// table for people, csv or json for scripts.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Reads `FIELD[:asc|:desc]`.
pub fn parse_sort(text: &str) -> Result<(Field, bool)> {
    let (name, direction) = text.split_once(':').unwrap_or((text, "asc"));
    let descending = match direction.to_ascii_lowercase().as_str() {
        "asc" => false,
        "desc" => true,
        other => {
            return Err(Error::usage(format!(
                "--sort {text}: unknown direction {other:?}: use FIELD:asc or FIELD:desc"
            )));
        }
    };
    let field = Field::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        Error::usage(format!(
            "--sort {text}: unknown field {name:?}: use one of {}",
            names.join(", ")
        ))
    })?;
    Ok((field, descending))
}

/// Lists the accounts.
pub fn run(db_path: &Path, args: &AccountsArgs) -> Result<()> {
    let (field, descending) = parse_sort(&args.sort)?;
    if let Some(limit) = args.limit
        && let Some(page) = sql_page(db_path, args, (field, descending), limit)?
    {
        let matched = Matched {
            count: page.count,
            arr: page.arr,
        };
        let text = match args.format {
            Format::Csv => csv_text(&page.rows)?,
            Format::Json => json_text(&page.rows)?,
            Format::Table => table_text(&page.rows, &matched),
        };
        return print(&text);
    }
    let (_, book) = crate::cli::book::open(db_path)?;
    let predicate = args.selection.predicate(&book)?;
    let mut rows: Vec<AccountRow> = book.into_matching(&predicate);
    sort_rows(&mut rows, field, descending);
    let matched = Matched {
        count: rows.len(),
        arr: total_arr(&rows),
    };
    if let Some(limit) = args.limit {
        rows.truncate(limit);
    }
    let text = match args.format {
        Format::Csv => csv_text(&rows)?,
        Format::Json => json_text(&rows)?,
        Format::Table => table_text(&rows, &matched),
    };
    print(&text)
}

/// The page straight from SQL when the selection and sort read only stored columns (a big
/// book is then not loaded whole); none when the whole book must be filtered instead, which
/// also reports any mistake in the expression.
fn sql_page(
    db_path: &Path,
    args: &AccountsArgs,
    sort: (Field, bool),
    limit: usize,
) -> Result<Option<crate::storage::query::Page>> {
    let today = crate::clock::today()?;
    let db = crate::storage::Db::open_existing(db_path)?;
    // Segments resolve by name; imported columns are not known without reading every
    // account, so an expression about one takes the whole-book path.
    let names = crate::domain::book::Book::new(Vec::new(), &db.saved_segments()?);
    let Ok(predicate) = args.selection.predicate(&names) else {
        return Ok(None);
    };
    db.page(
        &predicate,
        sort,
        limit,
        today,
        &crate::config::health_model()?,
    )
}

/// The rows as CSV with DESIGN.md's columns.
pub fn csv_text(rows: &[AccountRow]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: &dyn std::fmt::Display| Error::runtime(format!("cannot write CSV: {e}"));
    writer
        .write_record(listing::COLUMNS)
        .map_err(|e| fail(&e))?;
    for row in rows {
        let cells: Vec<String> = listing::cells(row).iter().map(|c| c.to_csv()).collect();
        writer.write_record(&cells).map_err(|e| fail(&e))?;
    }
    let bytes = writer.into_inner().map_err(|e| fail(&e))?;
    String::from_utf8(bytes).map_err(|e| fail(&e))
}

/// The rows as one JSON array.
pub fn json_text(rows: &[AccountRow]) -> Result<String> {
    let rows: Vec<&AccountRow> = rows.iter().collect();
    crate::domain::export::json(&rows).map_err(Error::runtime)
}

/// How many accounts matched before `--limit`, and their ARR: the total line speaks of them.
struct Matched {
    count: usize,
    arr: i64,
}

fn total_arr(rows: &[AccountRow]) -> i64 {
    rows.iter()
        .filter_map(|r| r.account.arr)
        .fold(0i64, i64::saturating_add)
}

/// An aligned table for people, with a total line.
fn table_text(rows: &[AccountRow], matched: &Matched) -> String {
    let widths = [10, 28, 8, 10, 12, 5, 9, 9, 6, 16];
    let header = [
        "ID", "NAME", "TIER", "ARR", "HEALTH", "NPS", "RENEWAL", "LOGIN", "UTIL", "OWNER",
    ];
    let mut out = String::new();
    let line = |cells: [String; 10]| {
        let mut line = String::new();
        for (cell, width) in cells.iter().zip(widths) {
            line.push_str(&fit(&caret(cell), width));
            line.push(' ');
        }
        line.trim_end().to_owned() + "\n"
    };
    out.push_str(&line(header.map(str::to_owned)));
    for row in rows {
        let a = &row.account;
        let dash = || "-".to_owned();
        out.push_str(&line([
            a.external_id.clone(),
            a.name.clone(),
            row.tier.map_or_else(dash, |t| t.as_str().into()),
            a.arr.map_or_else(dash, money::format_short),
            match (row.health, row.band) {
                (Some(h), Some(b)) => format!("{h} {}", b.as_str()),
                _ => dash(),
            },
            row.nps.map_or_else(dash, |n| n.nps.to_string()),
            row.days_to_renewal.map_or_else(dash, |d| format!("{d}d")),
            row.days_since_login
                .map_or_else(dash, |d| format!("{d}d ago")),
            row.utilization
                .map_or_else(dash, |u| format!("{:.0}%", u * 100.0)),
            a.owner.as_deref().map_or_else(dash, str::to_owned),
        ]));
    }
    let total = if rows.len() < matched.count {
        // Cut by --limit: say so, or the line reads as the whole selection.
        format!(
            "{} of {} shown (--limit), ARR {} of {}\n",
            rows.len(),
            crate::domain::plural::count(matched.count, "account"),
            money::format_short(total_arr(rows)),
            money::format_short(matched.arr)
        )
    } else {
        format!(
            "{}, ARR {}\n",
            crate::domain::plural::count(rows.len(), "account"),
            money::format_short(matched.arr)
        )
    };
    out.push_str(&total);
    out
}
