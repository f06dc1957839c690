//! The committed demo book (sample-data/), compiled in so the first run works from any folder.
//! Its dates are moved forward by the days since it was generated, so renewals stay upcoming.

use crate::domain::Date;
use crate::error::{Error, Result};
use crate::storage::Db;
use crate::storage::import::{ImportOptions, ImportSummary, prepare_text};
use jiff::ToSpan;

/// The day sample-data/ was generated for (see sample-data/README.md).
pub const ANCHOR: Date = jiff::civil::date(2026, 11, 24);
/// The seed sample-data/ was generated with.
pub const SEED: u64 = 42;
/// How many accounts sample-data/ holds.
pub const ACCOUNTS: usize = 300;

/// The five files, in import order.
pub const FILES: [(&str, &str); 5] = [
    (
        "accounts.csv",
        include_str!("../../sample-data/accounts.csv"),
    ),
    ("usage.csv", include_str!("../../sample-data/usage.csv")),
    ("nps.csv", include_str!("../../sample-data/nps.csv")),
    ("tags.csv", include_str!("../../sample-data/tags.csv")),
    ("notes.csv", include_str!("../../sample-data/notes.csv")),
];

/// Columns holding dates in the canonical files.
const DATE_COLUMNS: [&str; 4] = ["contract_start", "renewal_date", "date", "last_login"];

/// Loads the demo book into a database, as of `today`, all files or none.
pub fn load(db: &mut Db, today: Date) -> Result<Vec<ImportSummary>> {
    let shift = crate::domain::row::days_between(ANCHOR, today);
    let options = ImportOptions::new(today);
    let mut files = Vec::with_capacity(FILES.len());
    for (name, text) in FILES {
        let shifted = shift_dates(text, shift)?;
        files.push(prepare_text(&format!("demo/{name}"), &shifted, &options)?);
    }
    let summaries = db.import_all(files, &options)?;
    if let Some(bad) = summaries.iter().find(|s| !s.committed) {
        return Err(Error::runtime(format!(
            "the built-in demo book did not load ({}); please report this",
            bad.rejected
                .first()
                .map_or_else(String::new, |e| e.describe(&bad.file))
        )));
    }
    db.set_demo(true)?;
    Ok(summaries)
}

/// Moves every date in the known date columns by `days`.
pub fn shift_dates(text: &str, days: i64) -> Result<String> {
    if days == 0 {
        return Ok(text.to_owned());
    }
    let fail = |e: csv::Error| Error::runtime(format!("demo data: {e}"));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut date_columns: Vec<usize> = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(fail)?;
        if index == 0 {
            date_columns = record
                .iter()
                .enumerate()
                .filter(|(_, h)| DATE_COLUMNS.contains(h))
                .map(|(i, _)| i)
                .collect();
            writer.write_record(&record).map_err(fail)?;
            continue;
        }
        let cells: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, cell)| match cell.parse::<Date>() {
                Ok(date) if date_columns.contains(&i) => date
                    .checked_add(days.days())
                    .map_or_else(|_| cell.to_owned(), |d| d.to_string()),
                _ => cell.to_owned(),
            })
            .collect();
        writer.write_record(&cells).map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::runtime(format!("demo data: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::runtime(format!("demo data: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifting_moves_only_date_columns() {
        let text = "account_id,date,score\nA-1,2026-01-01,9\n";
        let shifted = shift_dates(text, 31).unwrap();
        assert_eq!(shifted, "account_id,date,score\nA-1,2026-02-01,9\n");
    }
}
