//! The first page of the list, read without the rest of the book: what a big book's dashboard
//! shows while every account is still being read.

use crate::domain::book::Book;
use crate::domain::fields::{Field, name_order};
use crate::domain::health::HealthModel;
use crate::domain::{AccountRow, Date};
use crate::error::Result;
use crate::storage::Db;

impl Db {
    /// The first `limit` accounts in the list's name order, derived as the whole book is: a
    /// million accounts give their first page in milliseconds.
    pub fn first_by_name(&self, limit: usize, today: Date, model: &HealthModel) -> Result<Book> {
        let keys = self.first_keys_by_name(limit)?;
        let mut rows: Vec<AccountRow> = self.load_rows_of(&keys, today, model)?;
        // `load_rows_of` sorts by name; ties at the edge were all read, so the first `limit`
        // are the list's.
        rows.truncate(limit);
        Ok(Book::new_in_order(
            rows,
            &self.saved_segments()?,
            (Field::Name, false),
        ))
    }

    /// Keys of the accounts that can be among the first `limit` by name: all of them, and a
    /// few more where names tie at the edge.
    fn first_keys_by_name(&self, limit: usize) -> Result<Vec<i64>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        // The name index is in byte order, the list in folded order: names are gathered a
        // folded first byte at a time (a letter in both cases) until `limit` are in. A name
        // that starts outside ASCII folds to a first byte past ASCII, so after every ASCII
        // name, except the two letters that fold into it: those are always read.
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name FROM accounts WHERE name >= ?1 AND name < ?2")?;
        let mut candidates: Vec<(String, i64)> = Vec::new();
        let mut read = |from: &str, to: &str, into: &mut Vec<(String, i64)>| -> Result<()> {
            let mut rows = stmt.query([from, to])?;
            while let Some(row) = rows.next()? {
                into.push((row.get(1)?, row.get(0)?));
            }
            Ok(())
        };
        let past_ascii = "\u{80}".to_owned();
        // From one byte up to the next (after DEL: past ASCII).
        let span = |b: u8| {
            let next = if b < 0x7f {
                char::from(b + 1).to_string()
            } else {
                past_ascii.clone()
            };
            (char::from(b).to_string(), next)
        };
        for first in (0u8..0x80).filter(|b| !b.is_ascii_uppercase()) {
            if candidates.len() >= limit {
                break;
            }
            let (from, to) = span(first);
            // The empty name sorts first of all.
            let from = if first == 0 { String::new() } else { from };
            read(&from, &to, &mut candidates)?;
            if first.is_ascii_lowercase() {
                let (from, to) = span(first.to_ascii_uppercase());
                read(&from, &to, &mut candidates)?;
            }
        }
        for letter in FOLD_INTO_ASCII {
            let next = char::from_u32(u32::from(letter) + 1).unwrap_or(char::MAX);
            read(&letter.to_string(), &next.to_string(), &mut candidates)?;
        }
        if candidates.len() < limit {
            let mut rest = self
                .conn
                .prepare_cached("SELECT id, name FROM accounts WHERE name >= ?1")?;
            let mut rows = rest.query([&past_ascii])?;
            while let Some(row) = rows.next()? {
                let name: String = row.get(1)?;
                // Read already.
                if !name.starts_with(FOLD_INTO_ASCII) {
                    candidates.push((name, row.get(0)?));
                }
            }
        }
        if candidates.len() <= limit {
            return Ok(candidates.into_iter().map(|(_, key)| key).collect());
        }
        // The first `limit` by name, without sorting every name gathered.
        candidates.select_nth_unstable_by(limit - 1, |a, b| name_order(&a.0, &b.0));
        let edge = candidates[limit - 1].0.clone();
        // Ties with the edge may lie on either side of it: all of them come.
        Ok(candidates
            .into_iter()
            .filter(|(name, _)| name_order(name, &edge).is_le())
            .map(|(_, key)| key)
            .collect())
    }
}

/// The letters past ASCII whose lowercase starts inside it (İ to i̇, the Kelvin sign to k).
const FOLD_INTO_ASCII: [char; 2] = ['\u{130}', '\u{212a}'];

#[cfg(test)]
mod tests {
    use super::*;

    /// Names whose byte order and folded order disagree: cases, accents, signs that fold to
    /// ASCII letters (KELVIN SIGN to k, İ to i), punctuation between the cases, the empty name.
    const PIECES: [&str; 22] = [
        "", "a", "A", "b", "B", "k", "K", "\u{212a}", "z", "Z", "_", "[", "`", "~", "1", " ", "é",
        "É", "İ", "i", "ß", "\u{7f}",
    ];

    #[test]
    fn only_two_letters_past_ascii_fold_into_it() {
        let folding: Vec<char> = ('\u{80}'..=char::MAX)
            .filter(|c| c.to_lowercase().next().is_some_and(|l| l.is_ascii()))
            .collect();
        assert_eq!(folding, FOLD_INTO_ASCII);
    }

    #[test]
    fn the_first_page_is_the_start_of_the_whole_list() {
        let db = Db::open_in_memory().unwrap();
        let mut seed: u64 = 7;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let mut names: Vec<String> = PIECES.iter().map(|p| p.to_string()).collect();
        for _ in 0..600 {
            let len = next() % 4;
            names.push((0..len).map(|_| PIECES[next() % PIECES.len()]).collect());
        }
        // Ties that fold the same, some at the edge of a page.
        names.extend(["Apple", "apple", "APPLE", "Apple"].map(String::from));
        for (at, name) in names.iter().enumerate() {
            db.conn
                .execute(
                    "INSERT INTO accounts (external_id, name, created_at, updated_at) \
                     VALUES (?1, ?2, '2026-01-01', '2026-01-01')",
                    rusqlite::params![format!("E-{}", next() % 100_000 + at * 100_000), name],
                )
                .unwrap();
        }
        let (today, model) = (crate::demo::embedded::ANCHOR, HealthModel::default());
        let whole: Vec<i64> = db
            .load_book(today, &model)
            .unwrap()
            .rows()
            .iter()
            .map(|r| r.key)
            .collect();
        assert_eq!(whole.len(), names.len());
        for limit in [
            0,
            1,
            2,
            3,
            5,
            20,
            37,
            100,
            300,
            whole.len(),
            whole.len() + 5,
        ] {
            let first: Vec<i64> = db
                .first_by_name(limit, today, &model)
                .unwrap()
                .rows()
                .iter()
                .map(|r| r.key)
                .collect();
            assert_eq!(first, whole[..limit.min(whole.len())], "the first {limit}");
        }
    }
}
