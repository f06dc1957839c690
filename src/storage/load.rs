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
/// The ranges of keys a big book is counted in by [`Db::tally_rows`]: enough that the two
/// threads finish within a part of each other, few enough that preparing each part's queries
/// costs nothing.
const PARTS: usize = 16;

/// `(low, high)` cut into `parts` ranges of keys, in order, together covering every key (the
/// first from the lowest possible, the last to the highest).
fn parts((low, high): (i64, i64), parts: usize) -> Vec<(i64, i64)> {
    // In i128: the cuts of the widest span, and one before them, fit no i64.
    let width = (i128::from(high) - i128::from(low) + 1).max(1);
    let cut = |i: usize| i128::from(low) + width * i as i128 / parts as i128;
    let narrow = |at: i128| i64::try_from(at).unwrap_or(if at < 0 { i64::MIN } else { i64::MAX });
    (0..parts)
        .map(|i| {
            let from = if i == 0 { i128::from(i64::MIN) } else { cut(i) };
            let to = if i + 1 == parts {
                i128::from(i64::MAX)
            } else {
                cut(i + 1) - 1
            };
            (from, to)
        })
        .filter(|(from, to)| from <= to)
        .map(|(from, to)| (narrow(from), narrow(to)))
        .collect()
}

/// Rows the second thread hands over at a time.
const CHUNK: usize = 4096;

/// What needs an account column read.
#[derive(Debug, Clone, Copy)]
enum Part {
    /// Every account's figures are derived from it.
    Always,
    /// A filter on the field.
    Field(Field),
    /// A filter on a column an import kept.
    Extra,
    /// Only showing the account (no filter reads it).
    Shown,
}

/// Columns of [`read_account`] in the order it reads them, with what needs each and what a
/// column left out reads as.
const ACCOUNT_COLUMNS: [(&str, Part, &str); 18] = [
    ("a.id", Part::Always, ""),
    ("a.external_id", Part::Field(Field::Id), "''"),
    ("a.name", Part::Field(Field::Name), "''"),
    ("a.industry", Part::Field(Field::Industry), "NULL"),
    ("a.region", Part::Field(Field::Region), "NULL"),
    ("a.country", Part::Field(Field::Country), "NULL"),
    ("a.employees", Part::Field(Field::Employees), "NULL"),
    ("a.plan", Part::Field(Field::Plan), "NULL"),
    ("a.arr", Part::Always, ""),
    ("a.mrr", Part::Field(Field::Mrr), "NULL"),
    ("a.currency", Part::Shown, "NULL"),
    ("a.seats", Part::Always, ""),
    ("a.lifecycle", Part::Always, ""),
    ("a.status", Part::Always, ""),
    ("a.owner", Part::Field(Field::Owner), "NULL"),
    ("a.contract_start", Part::Always, ""),
    ("a.renewal_date", Part::Always, ""),
    ("a.extra", Part::Extra, "NULL"),
];

/// Which parts of each account a read fills in. Figures over a million accounts (`segments`)
/// need few of the text columns, and copying the rest was a good part of reading the book; a part
/// left out reads as empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The fields read; none means every one.
    fields: Option<Vec<Field>>,
    /// Whether the columns imports kept are read.
    extra: bool,
}

impl Reading {
    /// Every part of every account, as the dashboard and listings need them.
    pub fn everything() -> Reading {
        Reading {
            fields: None,
            extra: true,
        }
    }

    /// What the predicates read, besides what every account's figures are derived from.
    pub fn of(predicates: &[&crate::domain::filter::Predicate]) -> Reading {
        use crate::domain::filter::eval::Read;
        let mut reading = Reading {
            fields: Some(Vec::new()),
            extra: false,
        };
        for predicate in predicates {
            predicate.reads(&mut |read| match read {
                Read::Extra => reading.extra = true,
                Read::Field(field) => {
                    if let Some(fields) = reading.fields.as_mut()
                        && !fields.contains(&field)
                    {
                        fields.push(field);
                    }
                }
            });
        }
        reading
    }

    fn wants(&self, field: Field) -> bool {
        self.fields.as_ref().is_none_or(|f| f.contains(&field))
    }

    /// Which of [`ACCOUNT_COLUMNS`] are read.
    fn account_mask(&self) -> [bool; ACCOUNT_COLUMNS.len()] {
        ACCOUNT_COLUMNS.map(|(_, part, _)| match part {
            Part::Always => true,
            Part::Field(field) => self.wants(field),
            Part::Extra => self.extra,
            Part::Shown => self.fields.is_none(),
        })
    }

    /// The account columns to select, in [`read_account`]'s order.
    fn account_columns(&self) -> String {
        ACCOUNT_COLUMNS
            .iter()
            .zip(self.account_mask())
            .map(|(&(column, _, empty), read)| if read { column } else { empty })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The account columns a read selects (the rest stand in as empty values), for tests.
#[cfg(test)]
pub(crate) fn account_columns_read(reading: &Reading) -> Vec<&'static str> {
    ACCOUNT_COLUMNS
        .iter()
        .zip(reading.account_mask())
        .filter_map(|(&(column, _, _), read)| read.then_some(column))
        .collect()
}

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

    /// Hands every account, as much of each as `reading` says, to `step` with a tally of its
    /// own part of the book, and keeps no row: figures over a million accounts (`segments`)
    /// then hold none of them. A big book is cut into [`PARTS`] equal ranges of keys, which
    /// two threads take one at a time until none is left, so a core slowed down (by another
    /// program, or by a range denser in answers) leaves the other at most a part to wait
    /// for. (Keys are cut by value: a book whose keys cluster in one range, after many
    /// deletions, puts most accounts in few parts.) The tallies come back in key order, one
    /// per part.
    pub fn tally_rows<T: Send>(
        &self,
        (today, model): (Date, &HealthModel),
        reading: &Reading,
        start: impl Fn() -> T + Sync,
        step: impl Fn(&mut T, AccountRow) + Sync,
    ) -> Result<Vec<T>> {
        self.tally_rows_split(BIG, (today, model), reading, start, step)
    }

    /// [`Db::tally_rows`], in parts from `big` accounts on.
    fn tally_rows_split<T: Send>(
        &self,
        big: i64,
        (today, model): (Date, &HealthModel),
        reading: &Reading,
        start: impl Fn() -> T + Sync,
        step: impl Fn(&mut T, AccountRow) + Sync,
    ) -> Result<Vec<T>> {
        let tally = |db: &Db, range: (i64, i64)| {
            let mut tally = start();
            db.read_range((None, reading), range, today, model, &mut |row| {
                step(&mut tally, row);
                Ok(())
            })?;
            Ok::<_, Error>(tally)
        };
        let ranges = match self.key_span(big)? {
            Some(span) => parts(span, PARTS),
            None => return Ok(vec![tally(self, (i64::MIN, i64::MAX))?]),
        };
        let next = std::sync::atomic::AtomicUsize::new(0);
        // Takes parts until none is left (or the other thread failed), each with its index.
        let take = |db: &Db| {
            let mut done = Vec::new();
            loop {
                let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&range) = ranges.get(at) else {
                    return Ok(done);
                };
                match tally(db, range) {
                    Ok(part) => done.push((at, part)),
                    Err(e) => {
                        next.store(ranges.len(), std::sync::atomic::Ordering::Relaxed);
                        return Err(e);
                    }
                }
            }
        };
        let path = self.path.clone();
        let take = &take;
        let (next, count) = (&next, ranges.len());
        let (first, rest) = std::thread::scope(|scope| {
            let second = scope.spawn(move || {
                let db = Db::open_existing(&path).inspect_err(|_| {
                    // The first thread takes no more parts either.
                    next.store(count, std::sync::atomic::Ordering::Relaxed);
                })?;
                take(&db)
            });
            let first = take(self);
            // Joined before either error is returned, as in `read_rows_split`.
            let rest = second
                .join()
                .map_err(|_| Error::runtime("reading the book failed on its second thread"));
            (first, rest)
        });
        let mut done = first?;
        done.extend(rest??);
        done.sort_by_key(|(at, _)| *at);
        Ok(done.into_iter().map(|(_, part)| part).collect())
    }

    /// The lowest and highest account key of a book of at least `big` accounts on disk.
    fn key_span(&self, big: i64) -> Result<Option<(i64, i64)>> {
        if self.path == std::path::Path::new(":memory:") {
            return Ok(None);
        }
        // Each its own subquery: min and max together in one would read every key.
        let (count, low, high): (i64, Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT (SELECT count(*) FROM accounts), (SELECT min(id) FROM accounts), \
             (SELECT max(id) FROM accounts)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        Ok(match (low, high) {
            (Some(low), Some(high)) if count >= big => Some((low, high)),
            _ => None,
        })
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
    /// second handed over `chunk` rows at a time; sorted by name or not.
    fn read_rows_split(
        &self,
        keys: Option<&[i64]>,
        today: Date,
        model: &HealthModel,
        (big, chunk_rows): (i64, usize),
        by_name: bool,
    ) -> Result<Vec<AccountRow>> {
        let reading = &Reading::everything();
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
                        (None, reading),
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
                    (None, reading),
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
                let whole = (i64::MIN, i64::MAX);
                self.read_range((keys, reading), whole, today, model, &mut |row| {
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
    /// when given, in key order, as much of each as `reading` says.
    fn read_range(
        &self,
        (keys, reading): (Option<&[i64]>, &Reading),
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
        // its own as it goes by: no map of every account's answers is ever held.
        let mut answer_stmt = self.conn.prepare(&answers_sql(&only("account_id")))?;
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
             WHERE {} AND at.account_id >= ?2 AND at.account_id <= ?3 AND {} \
             ORDER BY at.account_id",
            only("at.account_id").replace("?2", "?1"),
            if reading.wants(Field::Tags) { 1 } else { 0 }
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
            "SELECT {} FROM accounts a \
             WHERE {} AND a.id >= ?3 AND a.id <= ?4 ORDER BY a.id",
            reading.account_columns(),
            only("a.id")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params![day, wanted, range.0, range.1])?;
        let mut words = Words::default();
        let mask = reading.account_mask();
        let window = nps::Window::last_days(today, nps::DEFAULT_WINDOW_DAYS);
        let mut responses = Vec::new();
        while let Some(row) = rows.next()? {
            let (key, account) = read_account(row, &mut words, &mask)?;
            // The latest snapshot may be dated after the day the book is read for (a pinned
            // CSDECK_TODAY): then the latest on or before it, from the history.
            let usage = match usages.take_one(key)? {
                Some(latest) if latest.date.is_some_and(|date| date > today) => {
                    self.usage_on(key, &day)?
                }
                latest => latest,
            };
            answers.take_into(key, &mut responses)?;
            let summary = nps::summarize_in(&responses, window);
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

/// The answers of accounts in a range of keys (?4 to ?5, and `only`) dated in a window (?1
/// to ?3), in account order and a day's answers in the order they came: `+date` keeps SQLite on
/// the by-account index, which is already in that order and holds every column read.
fn answers_sql(only: &str) -> String {
    format!(
        "SELECT account_id, date, contact, score, NULL FROM nps_responses \
         WHERE +date > ?1 AND +date <= ?3 AND {only} AND account_id >= ?4 AND account_id <= ?5 \
         ORDER BY account_id, date, id"
    )
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

/// An account from [`ACCOUNT_COLUMNS`]; a column `read` leaves out is not asked of SQLite at
/// all (a million accounts' lean read asks about 11 million fewer times).
fn read_account(
    row: &Row<'_>,
    words: &mut Words,
    read: &[bool; ACCOUNT_COLUMNS.len()],
) -> rusqlite::Result<(i64, Account)> {
    let number =
        |i: usize| -> rusqlite::Result<Option<i64>> { if read[i] { row.get(i) } else { Ok(None) } };
    let text = |i: usize| -> rusqlite::Result<String> {
        if read[i] {
            row.get(i)
        } else {
            Ok(String::new())
        }
    };
    let mut word = |i: usize| {
        if read[i] { words.at(row, i) } else { Ok(None) }
    };
    // Most accounts have no extra columns: "{}" needs no JSON parser.
    let extra = match if read[17] { text_at(row, 17)? } else { None } {
        Some(json) if json != "{}" => match serde_json::from_str(json) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        },
        _ => serde_json::Map::new(),
    };
    Ok((
        row.get(0)?,
        Account {
            external_id: text(1)?,
            name: text(2)?,
            industry: word(3)?,
            region: word(4)?,
            country: word(5)?,
            employees: number(6)?,
            plan: word(7)?,
            arr: row.get(8)?,
            mrr: number(9)?,
            currency: word(10)?,
            seats: row.get(11)?,
            lifecycle: text_at(row, 12)?.and_then(Lifecycle::parse),
            status: text_at(row, 13)?.and_then(Status::parse),
            owner: word(14)?,
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
        // Only what a filter on the region reads, in halves and at once alike.
        let region = crate::domain::filter::Predicate::Text {
            target: crate::domain::filter::eval::Target::Field(Field::Region),
            op: crate::domain::filter::ast::CmpOp::Eq,
            values: vec!["emea".into()],
        };
        let reading = Reading::of(&[&region]);
        let lean = |big| {
            let parts = db
                .tally_rows_split(big, (today, &model), &reading, Vec::new, |rows, row| {
                    rows.push(row)
                })
                .unwrap();
            (parts.len(), parts.concat())
        };
        let ((many, halves), (one, at_once)) = (lean(1), lean(i64::MAX));
        assert_eq!((many, one), (PARTS, 1));
        // Each part in key order, the parts in order, whichever thread counted them.
        assert_eq!(halves, at_once);
        for (row, full) in halves.iter().zip(&by_key) {
            assert_eq!(row.key, full.key);
            assert_eq!(row.account.region, full.account.region);
            assert_eq!(
                (row.health, row.nps, row.tier),
                (full.health, full.nps, full.tier)
            );
            assert!(row.account.name.is_empty() && row.tags.is_empty());
        }
    }

    #[test]
    fn parts_cover_every_key_once_in_order() {
        for (span, wanted) in [
            ((1, 300), 16),
            ((1, 1_000_000), 16),
            ((5, 5), 2),
            ((7, 12), 7),
            ((i64::MIN, i64::MAX), 16),
            ((i64::MIN, i64::MIN + 2), 3),
            ((i64::MAX - 1, i64::MAX), 3),
        ] {
            let cut = parts(span, 16);
            assert_eq!(cut.len(), wanted, "{span:?}");
            assert_eq!(cut.first().map(|r| r.0), Some(i64::MIN));
            assert_eq!(cut.last().map(|r| r.1), Some(i64::MAX));
            for pair in cut.windows(2) {
                assert!(pair[0].0 <= pair[0].1, "{span:?}: {pair:?}");
                assert_eq!(
                    pair[0].1.checked_add(1),
                    Some(pair[1].0),
                    "{span:?}: {pair:?}"
                );
            }
        }
        // Even cuts of a dense book.
        let cut = parts((1, 1_600), 16);
        assert!(
            cut[1..15].iter().all(|(from, to)| to - from + 1 == 100),
            "{cut:?}"
        );
    }

    #[test]
    fn a_days_answers_are_read_in_the_order_they_came() {
        let db = Db::open_in_memory().unwrap();
        db.conn
            .execute_batch(
                "INSERT INTO accounts (id, external_id, name, created_at, updated_at) \
                 VALUES (1, 'A1', 'Acme', '', '');
                 INSERT INTO nps_responses (account_id, date, contact, score) VALUES
                     (1, '2026-11-20', 'zoe', 3), (1, '2026-11-20', 'adam', 9),
                     (1, '2026-11-19', 'max', 7), (1, '2026-11-20', 'kim', 5);",
            )
            .unwrap();
        let mut stmt = db.conn.prepare(&answers_sql("?2 IS NULL")).unwrap();
        let read: Vec<(String, String)> = stmt
            .query_map(
                rusqlite::params!["2025-12-01", None::<&str>, "2026-12-01", 0, 10],
                |r| Ok((r.get(1)?, r.get(2)?)),
            )
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let contacts: Vec<&str> = read.iter().map(|(_, c)| c.as_str()).collect();
        assert_eq!(contacts, ["max", "zoe", "adam", "kim"]);
    }

    #[test]
    fn answers_are_read_from_the_by_account_index_alone() {
        let db = Db::open_in_memory().unwrap();
        for only in [
            "?2 IS NULL",
            "account_id IN (SELECT value FROM json_each(?2))",
        ] {
            let plan: Vec<String> = db
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {}", answers_sql(only)))
                .unwrap()
                .query_map([None::<&str>; 5], |r| r.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let plan = plan.join("; ");
            assert!(
                plan.contains("COVERING INDEX nps_by_account") && !plan.contains("TEMP B-TREE"),
                "{only}: {plan}"
            );
        }
    }
}
