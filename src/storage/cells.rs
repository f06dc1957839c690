//! Reading a stored cell in place: a million accounts carry several dates and words each, and
//! copying every one into a new String only to parse it was a good part of reading a book.

use crate::domain::Date;
use rusqlite::Row;
use rusqlite::types::ValueRef;

/// The text in column `at`, borrowed from the row; none for NULL, a number or invalid UTF-8.
pub(crate) fn text_at<'r>(row: &'r Row<'_>, at: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(match row.get_ref(at)? {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes).ok(),
        _ => None,
    })
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
