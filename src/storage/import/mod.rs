//! Importing exported files: decode, find the delimiter and kind, map headers, parse every row,
//! then write the file in one transaction (all or nothing unless told to skip bad rows).

mod accounts;
pub mod cells;
pub mod indexes;
pub mod kind;
pub mod records;
pub mod rows;
pub mod table;
pub mod text;
mod tune;
pub mod write;

pub use kind::Kind;
pub use records::RowError;

use crate::domain::Date;
use crate::error::{Error, Result};
use crate::storage::Db;
use rusqlite::OptionalExtension;
use std::path::Path;

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The kind of file, when the header should not decide.
    pub kind: Option<Kind>,
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Commit the good rows of a file with bad ones, instead of nothing.
    pub skip_invalid: bool,
    /// The date for rows that need one and have none (a note without a date).
    pub today: Date,
    /// `--map COLUMN=FIELD` overrides of the header matching.
    pub maps: Vec<kind::ColumnMap>,
    /// `--date-order`: how to read dates like 3/4/2026 when a column does not settle it.
    pub date_order: Option<cells::DateOrder>,
}

impl ImportOptions {
    /// Plain options: detect everything, write for real.
    pub fn new(today: Date) -> ImportOptions {
        ImportOptions {
            kind: None,
            dry_run: false,
            skip_invalid: false,
            today,
            maps: Vec::new(),
            date_order: None,
        }
    }
}

/// What one file's import did.
#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub file: String,
    pub kind: Kind,
    /// Data rows read (blank lines are not rows).
    pub read: usize,
    pub added: usize,
    pub updated: usize,
    /// Rows that were already there as they are (a tag the account had).
    pub unchanged: usize,
    pub rejected: Vec<RowError>,
    /// Columns that feed no field and cannot be kept (accounts, usage snapshots and NPS answers
    /// keep theirs as extra fields; tickets are counted, subscriptions folded into accounts).
    pub ignored_columns: Vec<String>,
    /// The header, for the rejected-rows report.
    pub headers: Vec<String>,
    /// Whether the rows were written: false on a dry run or when bad rows stopped the file.
    pub committed: bool,
    /// What the reader should know: skipped footer lines, the name used as id, ignored
    /// derived columns, answers dated today.
    pub warnings: Vec<String>,
}

impl ImportSummary {
    /// One line a CSM reads after an import.
    pub fn line(&self, dry_run: bool) -> String {
        let rejected = self.rejected.len();
        let mut line = format!(
            "{}: {} file, {} rows read",
            self.file,
            self.kind.as_str(),
            self.read
        );
        if self.committed {
            line.push_str(&format!(
                ", {} added, {} updated, {rejected} rejected",
                self.added, self.updated
            ));
            if self.unchanged > 0 {
                line.push_str(&format!(", {} already there", self.unchanged));
            }
        } else if dry_run && (rejected == 0 || self.added + self.updated > 0) {
            line.push_str(&format!(
                ", would add {}, would update {}, {rejected} rejected",
                self.added, self.updated
            ));
        } else if rejected == 0 {
            line.push_str(
                ": nothing was written, because another file of this import has bad rows",
            );
        } else {
            line.push_str(&format!(", {rejected} rejected: nothing was written"));
        }
        if !self.ignored_columns.is_empty() {
            line.push_str(&format!(
                "; ignored columns: {}",
                self.ignored_columns.join(", ")
            ));
        }
        if dry_run {
            line.push_str(" (dry run: nothing was written)");
        }
        line
    }
}

/// A file read and mapped, not yet written: lets the CLI order files by kind before writing.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub label: String,
    pub table: table::Table,
    pub mapping: kind::Mapping,
    /// The day order of each date column.
    pub date_orders: std::collections::HashMap<usize, cells::DateOrder>,
}

impl Prepared {
    /// What the file holds.
    pub fn kind(&self) -> Kind {
        self.mapping.kind
    }
}

/// Reads a file from disk and maps its header.
pub fn prepare_file(path: &Path, options: &ImportOptions) -> Result<Prepared> {
    let label = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| Error::usage(format!("cannot read {label}: {e}")))?;
    if bytes.contains(&0) && !bytes.starts_with(b"\xFF\xFE") && !bytes.starts_with(b"\xFE\xFF") {
        return Err(Error::usage(format!(
            "{label} is not a text file (CSV or JSON): it holds binary data; export it as CSV"
        )));
    }
    prepare_text(&label, &text::decode_owned(bytes), options)
}

/// Reads a file's text, maps its header and settles the order of its date columns.
pub fn prepare_text(label: &str, content: &str, options: &ImportOptions) -> Result<Prepared> {
    let table = table::read_table(label, content)?;
    let mapping = kind::detect(&table.headers, options.kind, &options.maps, label)?;
    let date_orders = records::date_orders(&mapping, &table.rows, options.date_order, label)
        .map_err(Error::usage)?;
    Ok(Prepared {
        label: label.to_owned(),
        table,
        mapping,
        date_orders,
    })
}

impl Db {
    /// Imports one file from disk.
    pub fn import_file(&mut self, path: &Path, options: &ImportOptions) -> Result<ImportSummary> {
        let prepared = prepare_file(path, options)?;
        self.import_one(prepared, options)
    }

    /// Imports a file's text.
    pub fn import_text(
        &mut self,
        label: &str,
        content: &str,
        options: &ImportOptions,
    ) -> Result<ImportSummary> {
        let prepared = prepare_text(label, content, options)?;
        self.import_one(prepared, options)
    }

    fn import_one(&mut self, prepared: Prepared, options: &ImportOptions) -> Result<ImportSummary> {
        let mut summaries = self.import_all(vec![prepared], options)?;
        summaries
            .pop()
            .ok_or_else(|| Error::runtime("the import produced no summary"))
    }

    /// Imports files in the order given (callers put accounts first) as one transaction: a bad
    /// row in any file and nothing changes, unless `skip_invalid` (then the good rows of every
    /// file go in). A dry run checks every file against the ones before it and writes nothing.
    pub fn import_all(
        &mut self,
        files: Vec<Prepared>,
        options: &ImportOptions,
    ) -> Result<Vec<ImportSummary>> {
        self.import_all_reporting(files, options, &mut |_, _, _| {})
    }

    /// [`Db::import_all`], telling `progress` (file, rows written, rows in the file) as it goes.
    pub fn import_all_reporting(
        &mut self,
        files: Vec<Prepared>,
        options: &ImportOptions,
        progress: &mut dyn FnMut(&str, usize, usize),
    ) -> Result<Vec<ImportSummary>> {
        let big =
            files.iter().map(|f| f.table.rows.len()).sum::<usize>() >= indexes::WORTHWHILE_ROWS;
        if big {
            tune::for_import(&self.conn)?;
        }
        let result = self.import_tuned(files, options, progress);
        if big {
            // Only speed hangs on it: a failure here must not hide what the import did.
            let _ = tune::after_import(&self.conn);
        }
        result
    }

    fn import_tuned(
        &mut self,
        files: Vec<Prepared>,
        options: &ImportOptions,
        progress: &mut dyn FnMut(&str, usize, usize),
    ) -> Result<Vec<ImportSummary>> {
        let now = jiff::Timestamp::now().to_string();
        let mut tx = self.conn.transaction()?;
        // The user's own accounts replace the demo book rather than mix with it.
        let replaces_demo = !options.dry_run
            && files.iter().any(|f| f.kind() == Kind::Accounts)
            && tx
                .query_row("SELECT 1 FROM meta WHERE key = 'demo_book'", [], |_| Ok(()))
                .optional()?
                .is_some();
        if replaces_demo {
            tx.execute_batch(
                "DELETE FROM accounts; DELETE FROM tags; DELETE FROM meta WHERE key = 'demo_book';",
            )?;
        }
        let mut summaries = Vec::with_capacity(files.len());
        for prepared in files {
            let mut summary = summarize(&prepared);
            let savepoint = tx.savepoint()?;
            let (label, total) = (summary.file.clone(), summary.read);
            let mut report = |done: usize| progress(&label, done, total);
            let source = std::path::Path::new(&label)
                .file_name()
                .map_or_else(|| label.clone(), |n| n.to_string_lossy().into_owned());
            let stamp = write::Stamp {
                now: &now,
                today: options.today,
                source: &source,
            };
            let (counts, late) = write_file(
                &savepoint,
                &prepared,
                options.today,
                stamp,
                &mut summary.rejected,
                &mut report,
            )?;
            summary.rejected.extend(late);
            summary.rejected.sort_by_key(|e| e.line);
            summary.added = counts.added;
            summary.updated = counts.updated;
            summary.unchanged = counts.unchanged;
            if summary.rejected.is_empty() || options.skip_invalid {
                savepoint.commit()?;
            } else {
                // This file's rows go at once, so later files are checked without them.
                drop(savepoint);
            }
            summaries.push(summary);
        }
        // One run is one transaction: a bad row anywhere (unless skipped) and nothing changes.
        let clean = options.skip_invalid || summaries.iter().all(|s| s.rejected.is_empty());
        if options.dry_run || !clean {
            tx.rollback()?;
        } else {
            tx.commit()?;
            for summary in &mut summaries {
                summary.committed = true;
            }
            // Said only once it is true: a refused import leaves the demo book in place.
            if replaces_demo
                && let Some(first) = summaries.iter_mut().find(|s| s.kind == Kind::Accounts)
            {
                first.warnings.insert(
                    0,
                    "the demo book was cleared: this book now holds only your data".into(),
                );
            }
        }
        Ok(summaries)
    }
}

/// What a file's import says before its rows are written: what it is, how many rows it has,
/// and the warnings its reading gave.
fn summarize(prepared: &Prepared) -> ImportSummary {
    let Prepared {
        label,
        table,
        mapping,
        ..
    } = prepared;
    let mut warnings = table.warnings.clone();
    warnings.extend(mapping.warnings.iter().cloned());
    let derived: Vec<&str> = mapping.derived().collect();
    if !derived.is_empty() {
        warnings.push(format!(
            "columns csdeck computes itself were not imported: {}",
            derived.join(", ")
        ));
    }
    ImportSummary {
        file: label.clone(),
        kind: mapping.kind,
        read: table.rows.len(),
        added: 0,
        updated: 0,
        unchanged: 0,
        rejected: Vec::new(),
        // Accounts, usage and NPS keep their other columns; the rest cannot.
        ignored_columns: if matches!(mapping.kind, Kind::Accounts | Kind::Usage | Kind::Nps) {
            Vec::new()
        } else {
            mapping.unmapped().map(str::to_owned).collect()
        },
        headers: table.headers.clone(),
        committed: false,
        warnings,
    }
}

/// Parses a file's rows and writes each good one as it goes, so no parsed copy of the file is
/// ever held. Rows that do not parse, and rows that repeat a key of an earlier row (so one row
/// never silently overwrites another), go to `rejected` and are not written; rows the book
/// refuses (an unknown account) come back with the counts.
fn write_file(
    tx: &rusqlite::Connection,
    prepared: &Prepared,
    today: Date,
    stamp: write::Stamp<'_>,
    rejected: &mut Vec<RowError>,
    progress: &mut dyn FnMut(usize),
) -> Result<(write::Counts, Vec<RowError>)> {
    let Prepared {
        table,
        mapping,
        date_orders,
        ..
    } = prepared;
    let context = records::Context {
        mapping,
        date_orders,
        today,
        decimal_comma: table.delimiter == b';',
    };
    let mut writer = write::Writer::start(tx, mapping, stamp, table.rows.len(), progress)?;
    // Rows of these kinds each have a key: room for them all from the start, instead of a
    // million keys hashed again as the map grows.
    let keyed = matches!(mapping.kind, Kind::Accounts | Kind::Usage | Kind::Nps);
    let mut seen: std::collections::HashMap<String, u64> =
        std::collections::HashMap::with_capacity(if keyed { table.rows.len() } else { 0 });
    for cells in table.rows.iter() {
        let row = match records::parse_row(&context, cells) {
            Ok(row) => row,
            Err(error) => {
                rejected.push(error);
                continue;
            }
        };
        if let Some(key) = row.record.key()
            && let Some(first) = seen.insert(key, row.line)
        {
            rejected.push(RowError {
                line: row.line,
                column: String::new(),
                value: String::new(),
                reason: format!(
                    "{} already appears on line {first}: keep one of the two rows",
                    row.record.key_in_words()
                ),
                cells: cells.to_vec(),
            });
            continue;
        }
        writer.row(row, cells)?;
    }
    writer.finish()
}

/// Writes every rejected row, with its reason, to a CSV file a CSM can fix and re-import.
pub fn write_report(path: &Path, summaries: &[ImportSummary]) -> Result<()> {
    let fail = |e: &dyn std::fmt::Display| {
        Error::runtime(format!("cannot write the report {}: {e}", path.display()))
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    let widest = summaries.iter().map(|s| s.headers.len()).max().unwrap_or(0);
    let mut header = vec![
        "file".to_owned(),
        "line".into(),
        "column".into(),
        "value".into(),
        "reason".into(),
    ];
    header.extend((1..=widest).map(|i| format!("cell_{i}")));
    writer.write_record(&header).map_err(|e| fail(&e))?;
    for summary in summaries {
        for error in &summary.rejected {
            let mut record = vec![
                summary.file.clone(),
                error.line.to_string(),
                error.column.clone(),
                error.value.clone(),
                error.reason.clone(),
            ];
            record.extend(error.cells.iter().cloned());
            record.resize(header.len(), String::new());
            writer.write_record(&record).map_err(|e| fail(&e))?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| fail(&e))?;
    crate::files::write_private(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A full disk mid-import: SQLite's size cap stands in for the disk (same SQLITE_FULL path).
    #[test]
    fn a_full_disk_rolls_the_import_back_and_says_so() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("book.db");
        let options = ImportOptions::new(jiff::civil::date(2026, 11, 24));
        let mut db = Db::open(&path).expect("open");
        db.import_text("first.csv", "account_id,name\nA-1,Acme\n", &options)
            .expect("first import");
        let pages: i64 = db
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .expect("page count");
        db.conn
            .pragma_update(None, "max_page_count", pages + 2)
            .expect("cap");
        let mut big = "account_id,name,notes_blob\n".to_owned();
        for i in 0..2_000 {
            big.push_str(&format!("B-{i},Company {i},{}\n", "x".repeat(200)));
        }
        let err = db
            .import_text("big.csv", &big, &options)
            .expect_err("the cap must stop the import");
        assert!(err.to_string().contains("disk is full"), "{err}");
        assert!(err.to_string().contains("nothing was written"), "{err}");
        assert_eq!(db.account_count().expect("count"), 1);
        let check: String = db
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity");
        assert_eq!(check, "ok");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Whatever bytes a file holds, importing it is a summary or an error, never a panic.
        #[test]
        fn arbitrary_files_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let today = jiff::civil::date(2026, 11, 24);
            let options = ImportOptions::new(today);
            let text = text::decode(&bytes);
            if let Ok(prepared) = prepare_text("fuzz.csv", &text, &options)
                && let Ok(mut db) = Db::open_in_memory()
            {
                let _ = db.import_all(vec![prepared], &options);
            }
        }

        /// CSV-shaped input with known headers and hostile cells: never a panic either.
        #[test]
        fn csv_shaped_files_never_panic(
            cells in proptest::collection::vec("[-0-9a-zA-Z/.,$%€ :\"\n]{0,12}", 0..40)
        ) {
            let today = jiff::civil::date(2026, 11, 24);
            let options = ImportOptions::new(today);
            let mut text = "account_id,name,arr,seats,renewal_date,employees\n".to_owned();
            for chunk in cells.chunks(6) {
                text.push_str(&chunk.join(","));
                text.push('\n');
            }
            if let Ok(prepared) = prepare_text("fuzz.csv", &text, &options)
                && let Ok(mut db) = Db::open_in_memory()
            {
                let _ = db.import_all(vec![prepared], &options);
            }
        }
    }
}
