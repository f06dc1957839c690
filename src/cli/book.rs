//! Opening the book for a command and turning `--where` / `--segment` into the rows they select.

use crate::clock;
use crate::domain::book::Book;
use crate::domain::filter::Predicate;
use crate::error::{Error, Result};
use crate::storage::Db;
use clap::Args;
use std::path::Path;

/// `--where EXPR | --segment NAME`, shared by every command that takes a selection.
#[derive(Debug, Args, Default, Clone)]
pub struct Selection {
    /// Only accounts matching this filter expression (e.g. 'renewal <= 30d and band = critical').
    #[arg(long = "where", value_name = "EXPR", conflicts_with = "segment")]
    pub filter: Option<String>,
    /// Only accounts in this segment (built-in or saved; `csdeck segments` lists them).
    #[arg(long, value_name = "NAME")]
    pub segment: Option<String>,
}

/// Opens an existing book and loads it as of today.
pub fn open(db_path: &Path) -> Result<(Db, Book)> {
    let today = clock::today()?;
    let db = Db::open_existing(db_path)?;
    let book = db.load_book(today, &crate::config::health_model()?)?;
    Ok((db, book))
}

/// Lets a command's book go without freeing it: a process about to exit hands its memory back
/// at once, while freeing a million accounts one string at a time takes about a second.
pub fn leave<T>(book: T) {
    std::mem::forget(book);
}

impl Selection {
    /// The predicate this selection stands for (everything when neither flag is given).
    pub fn predicate(&self, book: &Book) -> Result<Predicate> {
        if let Some(expression) = &self.filter {
            return book
                .compile(expression)
                .map_err(|e| Error::usage(format!("--where {}: {e}", short(expression))));
        }
        if let Some(name) = &self.segment {
            let segment = book
                .segment(name)
                .ok_or_else(|| unknown_segment(book, name))?;
            return book.compile(&segment.expression).map_err(|e| {
                Error::usage(format!(
                    "segment '{}' ({}) is broken: {e}: fix it with `csdeck segment save`",
                    segment.name, segment.expression
                ))
            });
        }
        Ok(Predicate::All)
    }

    /// The indices of the selected rows, in row order.
    pub fn rows(&self, book: &Book) -> Result<Vec<usize>> {
        let predicate = self.predicate(book)?;
        Ok(book.matching(&predicate))
    }
}

/// An expression quoted in a message, cut to a readable length.
fn short(expression: &str) -> String {
    const MAX: usize = 60;
    if expression.chars().count() <= MAX {
        format!("{expression:?}")
    } else {
        let head: String = expression.chars().take(MAX).collect();
        format!("{head:?}…")
    }
}

/// The error for a segment name that is not in the catalog, with the closest name.
pub fn unknown_segment(book: &Book, name: &str) -> Error {
    let names = book.segments.iter().map(|s| s.name.as_str());
    let hint = crate::domain::filter::values::closest(name, names)
        .map_or_else(String::new, |c| format!("did you mean '{c}'? "));
    Error::usage(format!(
        "no segment is named '{name}': {hint}`csdeck segments` lists them all"
    ))
}
