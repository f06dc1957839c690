//! Reading a stored cell in place: a million accounts carry several dates and words each, and
//! copying every one into a new String only to parse it was a good part of reading a book.

use crate::domain::Date;
use crate::domain::account::Shared;
use rusqlite::Row;
use rusqlite::types::ValueRef;
use std::collections::HashSet;

/// The text in column `at`, borrowed from the row; none for NULL, a number or invalid UTF-8.
pub(crate) fn text_at<'r>(row: &'r Row<'_>, at: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(match row.get_ref(at)? {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes).ok(),
        _ => None,
    })
}

/// Words already read, so that every account with the same region (plan, owner...) shares one
/// copy of it.
#[derive(Default)]
pub(crate) struct Words(HashSet<Shared>);

/// Distinct words kept for sharing at most: a column of nearly unique values (an owner per
/// account) is not worth a table of a million entries.
const MOST_WORDS: usize = 100_000;

impl Words {
    /// The value in column `at` as a shared word. A value that is not valid text (written by
    /// some other program) still shows: as its digits, or with U+FFFD for bytes that are no
    /// UTF-8.
    pub(crate) fn at(&mut self, row: &Row<'_>, at: usize) -> rusqlite::Result<Option<Shared>> {
        let owned;
        let text: &str = match row.get_ref(at)? {
            ValueRef::Null => return Ok(None),
            ValueRef::Text(bytes) | ValueRef::Blob(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    owned = String::from_utf8_lossy(bytes).into_owned();
                    &owned
                }
            },
            ValueRef::Integer(n) => {
                owned = n.to_string();
                &owned
            }
            ValueRef::Real(x) => {
                owned = x.to_string();
                &owned
            }
        };
        if let Some(word) = self.0.get(text) {
            return Ok(Some(word.clone()));
        }
        let word = Shared::from(text);
        if self.0.len() < MOST_WORDS {
            self.0.insert(word.clone());
        }
        Ok(Some(word))
    }
}

/// The date in column `at`, as [`parse_date`] reads it.
pub(crate) fn date_at(row: &Row<'_>, at: usize) -> rusqlite::Result<Option<Date>> {
    Ok(text_at(row, at)?.and_then(parse_date))
}

/// A stored date: `YYYY-MM-DD` read digit by digit (what csdeck writes), anything else as jiff
/// parses it; none when it is no date.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i32> {
        b.get(range)?.iter().try_fold(0i32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i32::from(c - b'0'))
        })
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
    {
        let (y, m, d) = (
            i16::try_from(y).ok()?,
            i8::try_from(m).ok()?,
            i8::try_from(d).ok()?,
        );
        return Date::new(y, m, d).ok();
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_read_twice_is_one_copy() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut words = Words::default();
        let mut read = |sql: &str| {
            conn.query_row(sql, [], |row| Ok((words.at(row, 0)?, words.at(row, 1)?)))
                .unwrap()
        };
        let (a, b) = read("SELECT 'EMEA', 'EMEA'");
        let (c, none) = read("SELECT 'EMEA', NULL");
        let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
        assert_eq!(&*a, "EMEA");
        assert!(std::ptr::eq(a.as_ptr(), b.as_ptr()) && std::ptr::eq(a.as_ptr(), c.as_ptr()));
        assert_eq!(none, None);
        let (other, number) = read("SELECT 'emea', 1");
        assert_eq!(other.as_deref(), Some("emea"));
        assert_eq!(number.as_deref(), Some("1"));
        // Bytes that are no UTF-8 still show, marked.
        let (bad, _) = read("SELECT CAST(X'414243FF' AS TEXT), NULL");
        assert_eq!(bad.as_deref(), Some("ABC\u{FFFD}"));
    }

    #[test]
    fn a_stored_date_reads_as_jiff_reads_it() {
        for text in [
            "2026-12-03",
            "2024-02-29",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "0000-01-01",
            "9999-12-31",
            "2026-1a-01",
            "2026/12/03",
            "20261203",
            "2026-12-3",
            " 2026-12-03",
            "",
            "tomorrow",
        ] {
            assert_eq!(parse_date(text), text.parse::<Date>().ok(), "{text:?}");
        }
    }
}
