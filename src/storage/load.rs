//! Reading the book back: every account with its current usage, NPS and tags, derived for a day.

use crate::domain::fields::{Field, sort_rows};
use crate::domain::health::HealthModel;
use crate::domain::nps::{self, NpsResponse};
use crate::domain::{Account, AccountRow, Date, Lifecycle, Status, Usage};
use crate::error::{Error, Result};
use crate::storage::Db;
use crate::storage::ahead::Ahead;
use crate::storage::cells::{self, Words, date_at, text_at};
use rusqlite::{OptionalExtension, Row};

/// A book of at least this many accounts is read on two threads.
const BIG: i64 = 50_000;
/// Rows the second thread hands over at a time.
const CHUNK: usize = 4096;

/// Columns of [`read_account`] in the order it reads them.
const ACCOUNT_COLUMNS: &str = "a.id, a.external_id, a.name, a.industry, a.region, a.country, \
    a.employees, a.plan, a.arr, a.mrr, a.currency, a.seats, a.lifecycle, a.status, a.owner, \
    a.contract_start, a.renewal_date, a.extra";

/// Columns of [`read_usage`] in the current usage table.
const CURRENT_USAGE_COLUMNS: &str = "u.date, u.active_users, u.logins_30d, u.last_login, \
    u.feature_adoption, u.onboarding, u.open_tickets, u.csat, u.overdue_invoices";

/// The same columns of a snapshot in the usage history.
const USAGE_COLUMNS: &str = "u.date, u.active_users, u.logins_30d, u.last_login, \
    u.feature_adoption, u.onboarding, u.open_tickets, u.csat, u.overdue_invoices";

impl Db {
    /// Loads every account as a listed row, with figures derived as of `today`.
    pub fn load_rows(&self, today: Date, model: &HealthModel) -> Result<Vec<AccountRow>> {
        self.read_rows(None, today, model)
    }

    /// [`Db::load_rows`] in no particular order, for figures that do not depend on it: a
    /// million accounts skip the name sort (about 0.7 s).
    pub fn load_rows_unsorted(&self, today: Date, model: &HealthModel) -> Result<Vec<AccountRow>> {
        self.read_rows_split(None, today, model, (BIG, CHUNK), false)
    }

    /// Loads some accounts (by key) as listed rows, derived as `load_rows` derives them.
    pub fn load_rows_of(
        &self,
        keys: &[i64],
        today: Date,
        model: &HealthModel,
    ) -> Result<Vec<AccountRow>> {
        self.read_rows(Some(keys), today, model)
    }

    fn read_rows(
        &self,
        keys: Option<&[i64]>,
        today: Date,
        model: &HealthModel,
    ) -> Result<Vec<AccountRow>> {
        self.read_rows_split(keys, today, model, (BIG, CHUNK), true)
    }

    /// [`Db::read_rows`], reading a whole book of at least `big` accounts in two halves, the
    /// second handed over `chunk` rows at a time.
    fn read_rows_split(
        &self,
        keys: Option<&[i64]>,
        today: Date,
        model: &HealthModel,
        (big, chunk_rows): (i64, usize),
        by_name: bool,
    ) -> Result<Vec<AccountRow>> {
        let mut rows = match self.halfway(keys, big)? {
            // A big book on disk: the second half is read on a second core, with its own
            // connection. (A commit by another csdeck in between is caught as any other: the
            // dashboard sees the book changed and reads it again.)
            Some((split, count)) => std::thread::scope(|scope| {
                let path = self.path.clone();
                // The second half comes over in chunks, taken in between this half's rows:
                // no second vector of half the book is ever held beside the whole one.
                let (send, receive) = std::sync::mpsc::sync_channel::<Vec<AccountRow>>(4);
                let second = scope.spawn(move || {
                    let mut chunk = Vec::with_capacity(chunk_rows);
                    Db::open_existing(&path)?.read_range(
                        None,
                        (split, i64::MAX),
                        today,
                        model,
                        &mut |row| {
                            chunk.push(row);
                            if chunk.len() == chunk_rows {
                                let next = Vec::with_capacity(chunk_rows);
                                let full = std::mem::replace(&mut chunk, next);
                                // The receiver is gone only when the other half failed.
                                send.send(full).map_err(|_| {
                                    Error::runtime("reading the book stopped on its first thread")
                                })?;
                            }
                            Ok(())
                        },
                    )?;
                    // Sent (or dropped by a failed reader) before `send` goes, which ends the
                    // other side's wait.
                    let _ = send.send(chunk);
                    Ok::<_, Error>(())
                });
                let mut rows = Vec::with_capacity(count);
                // `split` is an account's key with others before it: never the lowest key.
                let first = self.read_range(
                    None,
                    (i64::MIN, split.saturating_sub(1)),
                    today,
                    model,
                    &mut |row| {
                        rows.push(row);
                        if rows.len() % chunk_rows == 0 {
                            rows.extend(receive.try_iter().flatten());
                        }
                        Ok(())
                    },
                );
                if first.is_ok() {
                    // Until the second thread is done and its sender gone.
                    rows.extend(receive.iter().flatten());
                } else {
                    // Its next send fails, so it stops instead of waiting for a reader.
                    drop(receive);
                }
                // Joined before either error is returned, so a failure on one side never
                // leaves the other thread to panic the scope.
                let rest = second
                    .join()
                    .map_err(|_| Error::runtime("reading the book failed on its second thread"));
                first?;
                rest??;
                Ok::<_, Error>(rows)
            })?,
            None => {
                let mut rows = Vec::new();
                self.read_range(keys, (i64::MIN, i64::MAX), today, model, &mut |row| {
                    rows.push(row);
                    Ok(())
                })?;
                rows
            }
        };
        // By name, as the list first shows them (sorted here, from keys made once per account,
        // rather than by SQL over the whole wide rows).
        if by_name {
            sort_rows(&mut rows, Field::Name, false);
        }
        Ok(rows)
    }

    /// The account key that splits a big book in two halves, and how many accounts it has,
    /// when the whole book of a file is read; none for a small book, some keys, or a database
    /// in memory.
    fn halfway(&self, keys: Option<&[i64]>, big: i64) -> Result<Option<(i64, usize)>> {
        if keys.is_some() || self.path == std::path::Path::new(":memory:") {
            return Ok(None);
        }
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?;
        if count < big {
            return Ok(None);
        }
        let split: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM accounts ORDER BY id LIMIT 1 OFFSET ?1",
                [count / 2],
                |r| r.get(0),
            )
            .optional()?;
        Ok(split.map(|s| (s, usize::try_from(count).unwrap_or(0))))
    }

    /// Hands `emit` the accounts with keys in `range` (both ends included), and of `keys`
    /// when given, in key order.
    fn read_range(
        &self,
        keys: Option<&[i64]>,
        range: (i64, i64),
        today: Date,
        model: &HealthModel,
        emit: &mut dyn FnMut(AccountRow) -> Result<()>,
    ) -> Result<()> {
        // Some keys travel as one JSON array parameter.
        let wanted = keys.map(|k| serde_json::to_string(k).unwrap_or_else(|_| "[]".into()));
        let only = |column: &str| match wanted {
            Some(_) => format!("{column} IN (SELECT value FROM json_each(?2))"),
            None => "?2 IS NULL".to_owned(),
        };
        let day = today.to_string();
        let window_start = today
            .checked_sub(jiff::Span::new().days(nps::DEFAULT_WINDOW_DAYS))
            .unwrap_or(Date::MIN)
            .to_string();
        // Answers and tags stream in account order beside the accounts, so each account takes
        // its own as it goes by: no map of every account's answers is ever held. `+date`
        // keeps SQLite on the by-account index, which is already in that order.
        let mut answer_stmt = self.conn.prepare(&format!(
            "SELECT account_id, date, contact, score, NULL FROM nps_responses \
             WHERE +date > ?1 AND +date <= ?3 AND {} AND account_id >= ?4 AND account_id <= ?5 \
             ORDER BY account_id, date",
            only("account_id")
        ))?;
        let mut answers = Ahead::new(
            answer_stmt.query(rusqlite::params![
                window_start,
                wanted,
                day,
                range.0,
                range.1
            ])?,
            read_answer,
        )?;
        let mut tag_stmt = self.conn.prepare(&format!(
            "SELECT at.account_id, t.name FROM account_tags at JOIN tags t ON t.id = at.tag_id \
             WHERE {} AND at.account_id >= ?2 AND at.account_id <= ?3 ORDER BY at.account_id",
            only("at.account_id").replace("?2", "?1")
        ))?;
        let mut tags = Ahead::new(
            tag_stmt.query(rusqlite::params![wanted, range.0, range.1])?,
            |row| Ok(Some(row.get::<_, String>(1)?)),
        )?;
        // Each account's current usage streams beside it too: a join would look every
        // account's up in the table (about 2.5 s of a million accounts' read, against 0.1 s
        // for the scan in key order).
        let mut usage_stmt = self.conn.prepare(&format!(
            "SELECT u.account_id, {CURRENT_USAGE_COLUMNS} FROM usage_current u \
             WHERE {} AND u.account_id >= ?2 AND u.account_id <= ?3 ORDER BY u.account_id",
            only("u.account_id").replace("?2", "?1")
        ))?;
        let mut usages = Ahead::new(
            usage_stmt.query(rusqlite::params![wanted, range.0, range.1])?,
            |row| read_usage(row, 1),
        )?;
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a \
             WHERE {} AND a.id >= ?3 AND a.id <= ?4 ORDER BY a.id",
            only("a.id")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params![day, wanted, range.0, range.1])?;
        let mut words = Words::default();
        while let Some(row) = rows.next()? {
            let (key, account) = read_account(row, &mut words)?;
            // The latest snapshot may be dated after the day the book is read for (a pinned
            // CSDECK_TODAY): then the latest on or before it, from the history.
            let usage = match usages.take_one(key)? {
                Some(latest) if latest.date.is_some_and(|date| date > today) => {
                    self.usage_on(key, &day)?
                }
                latest => latest,
            };
            let responses = answers.take(key)?;
            let summary = nps::summarize(&responses, today, nps::DEFAULT_WINDOW_DAYS);
            let mut tags = tags.take(key)?;
            tags.sort_by(|a, b| nocase(a, b));
            emit(AccountRow::derive(
                key, account, usage, summary, tags, today, model,
            ))?;
        }
        Ok(())
    }

    /// An account's latest usage snapshot dated on or before `day`.
    fn usage_on(&self, key: i64, day: &str) -> Result<Option<Usage>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {USAGE_COLUMNS} FROM usage u WHERE u.account_id = ?1 AND u.date <= ?2 \
             ORDER BY u.date DESC LIMIT 1"
        ))?;
        let mut rows = stmt.query(rusqlite::params![key, day])?;
        match rows.next()? {
            Some(row) => Ok(read_usage(row, 0)?),
            None => Ok(None),
        }
    }
}

/// An answer from columns account_id, date, contact, score, comment; none without a date.
pub(crate) fn read_answer(row: &Row<'_>) -> rusqlite::Result<Option<NpsResponse>> {
    let Some(date) = date_at(row, 1)? else {
        return Ok(None);
    };
    let score: i64 = row.get(3)?;
    Ok(Some(NpsResponse {
        date,
        contact: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
        score: score.clamp(0, 10) as u8,
        comment: row.get(4)?,
    }))
}

/// SQLite's NOCASE collation: ASCII letters fold, every other byte compares as it is.
fn nocase(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

pub(crate) fn parse_date(text: Option<String>) -> Option<Date> {
    text.as_deref().and_then(cells::parse_date)
}

fn read_account(row: &Row<'_>, words: &mut Words) -> rusqlite::Result<(i64, Account)> {
    // Most accounts have no extra columns: "{}" needs no JSON parser.
    let extra = match text_at(row, 17)? {
        Some(json) if json != "{}" => match serde_json::from_str(json) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        },
        _ => serde_json::Map::new(),
    };
    Ok((
        row.get(0)?,
        Account {
            external_id: row.get(1)?,
            name: row.get(2)?,
            industry: words.at(row, 3)?,
            region: words.at(row, 4)?,
            country: words.at(row, 5)?,
            employees: row.get(6)?,
            plan: words.at(row, 7)?,
            arr: row.get(8)?,
            mrr: row.get(9)?,
            currency: words.at(row, 10)?,
            seats: row.get(11)?,
            lifecycle: text_at(row, 12)?.and_then(Lifecycle::parse),
            status: text_at(row, 13)?.and_then(Status::parse),
            owner: words.at(row, 14)?,
            contract_start: date_at(row, 15)?,
            renewal_date: date_at(row, 16)?,
            extra: extra.into(),
        },
    ))
}

/// Reads a usage snapshot from `first` on; none when the account has no snapshot.
pub(crate) fn read_usage(row: &Row<'_>, first: usize) -> rusqlite::Result<Option<Usage>> {
    let Some(date) = text_at(row, first)? else {
        return Ok(None);
    };
    Ok(Some(Usage {
        date: cells::parse_date(date),
        active_users: row.get(first + 1)?,
        logins_30d: row.get(first + 2)?,
        last_login: date_at(row, first + 3)?,
        feature_adoption: row.get(first + 4)?,
        onboarding: row.get(first + 5)?,
        open_tickets: row.get(first + 6)?,
        csat: row.get(first + 7)?,
        overdue_invoices: row.get(first + 8)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_book_read_in_two_halves_is_the_book_read_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let today = crate::demo::embedded::ANCHOR;
        let mut db = Db::open(&path).unwrap();
        crate::demo::embedded::load(&mut db, today).unwrap();
        let model = HealthModel::default();
        let whole = db
            .read_rows_split(None, today, &model, (i64::MAX, CHUNK), true)
            .unwrap();
        assert!(db.halfway(None, 1).unwrap().is_some());
        assert_eq!(whole.len(), 300);
        assert!(whole.iter().any(|r| r.nps.is_some()) && whole.iter().any(|r| !r.tags.is_empty()));
        // One chunk for the whole second half; many (more than the channel holds), handed over
        // while the first half is read; and one row at a time.
        for chunk in [CHUNK, 7, 1] {
            let halves = db
                .read_rows_split(None, today, &model, (1, chunk), true)
                .unwrap();
            assert_eq!(halves, whole, "chunks of {chunk}");
        }
        // Unsorted, the same accounts.
        let mut unsorted = db
            .read_rows_split(None, today, &model, (1, 7), false)
            .unwrap();
        unsorted.sort_by_key(|r| r.key);
        let mut by_key = whole.clone();
        by_key.sort_by_key(|r| r.key);
        assert_eq!(unsorted, by_key);
    }
}
