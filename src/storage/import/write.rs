//! Writing parsed records inside the caller's transaction: upserts keyed on the external id,
//! so a re-import updates in place and keeps tags, notes and history. Rows come one at a time,
//! as the file is read; what needs the whole file (subscriptions, tickets) is gathered per
//! account and written at the end.

use super::accounts::{ACCOUNT_FIELDS, AccountSql};
use super::kind::{Kind, Mapping, Target};
use super::records::{ParsedRow, Record, RowError, Subscription};
use super::rows::Row;
use crate::domain::Date;
use crate::domain::timeline::EventKind;
use crate::error::Result;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// An answer without a key: account, date (none when the file has no dates), contact, score,
/// comment.
type AnswerIdentity = (i64, Option<String>, String, u8, String);

/// What the rows did to the book.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Usage columns a file may carry besides account and date.
const USAGE_FIELDS: &[(Target, &str)] = &[
    (Target::ActiveUsers, "active_users"),
    (Target::Logins30d, "logins_30d"),
    (Target::LastLogin, "last_login"),
    (Target::FeatureAdoption, "feature_adoption"),
    (Target::Onboarding, "onboarding"),
    (Target::OpenTickets, "open_tickets"),
    (Target::Csat, "csat"),
    (Target::OverdueInvoices, "overdue_invoices"),
];

pub(super) fn text<S: AsRef<str>>(v: &Option<S>) -> Value {
    v.as_ref()
        .map_or(Value::Null, |t| Value::Text(t.as_ref().to_owned()))
}

pub(super) fn int(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::Integer)
}

fn real(v: Option<f64>) -> Value {
    v.map_or(Value::Null, Value::Real)
}

pub(super) fn date(v: Option<Date>) -> Value {
    v.map_or(Value::Null, |d| Value::Text(d.to_string()))
}

/// When and from where rows are written: the import's time, its day, and the file's name
/// (for the accounts' timelines).
#[derive(Debug, Clone, Copy)]
pub struct Stamp<'a> {
    pub now: &'a str,
    pub today: Date,
    pub source: &'a str,
}

/// Writes one file's rows inside the caller's transaction or savepoint, as they come: `start`,
/// a `row` per parsed row, then `finish`. Rows that fail here (an unknown account) come back
/// from `finish` as row errors.
pub struct Writer<'t, 'm> {
    book: Book<'t, 'm>,
    pending: Pending<'t>,
}

/// What a file's kind keeps between its rows.
enum Pending<'t> {
    Accounts(AccountSql<'t>),
    Children(UsageSql),
    Subscriptions(Grouped<Vec<Subscription>>),
    Tickets(Grouped<i64>),
}

/// The usage upsert of a file, for the columns it carries.
struct UsageSql {
    present: Vec<(Target, &'static str)>,
    sql: String,
}

/// Values gathered per account, in the order the accounts first appear.
struct Grouped<T> {
    list: Vec<(i64, T)>,
    index: HashMap<i64, usize>,
}

impl<T: Default> Grouped<T> {
    fn new() -> Grouped<T> {
        Grouped {
            list: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// The account's value, made empty on its first row.
    fn entry(&mut self, key: i64) -> &mut T {
        let list = &mut self.list;
        let at = *self.index.entry(key).or_insert_with(|| {
            list.push((key, T::default()));
            list.len() - 1
        });
        &mut self.list[at].1
    }
}

impl<'t, 'm> Writer<'t, 'm> {
    /// Prepares the writing of a file of `coming` rows.
    pub fn start(
        tx: &'t Connection,
        mapping: &'m Mapping,
        stamp: Stamp<'m>,
        coming: usize,
        progress: &'m mut dyn FnMut(usize),
    ) -> Result<Writer<'t, 'm>> {
        let Stamp { now, today, source } = stamp;
        let book = Book {
            tx,
            mapping,
            source,
            now,
            today,
            day: crate::storage::stamp(today),
            keys: HashMap::new(),
            counts: Counts::default(),
            errors: Vec::new(),
            done: 0,
            answers_in_book: HashMap::new(),
            answers_in_file: HashMap::new(),
            progress,
        };
        let pending = match mapping.kind {
            Kind::Accounts => Pending::Accounts(AccountSql::prepare(
                tx,
                mapping,
                book.present(ACCOUNT_FIELDS),
                source,
                coming,
            )?),
            Kind::Subscriptions => Pending::Subscriptions(Grouped::new()),
            Kind::Tickets => Pending::Tickets(Grouped::new()),
            _ => Pending::Children(book.usage_sql()),
        };
        Ok(Writer { book, pending })
    }

    /// Writes one parsed row (`cells` as read, should the book refuse it).
    pub fn row(&mut self, row: ParsedRow, cells: Row<'_>) -> Result<()> {
        let book = &mut self.book;
        book.tick();
        match &mut self.pending {
            Pending::Accounts(sql) => book.account(sql, row),
            Pending::Children(usage) => book.child(usage, row, cells),
            Pending::Subscriptions(by_account) => book.subscription(by_account, row, cells),
            Pending::Tickets(open) => book.ticket(open, row, cells),
        }
    }

    /// Writes what waited for the whole file; what the rows did, and the rows refused.
    pub fn finish(self) -> Result<(Counts, Vec<RowError>)> {
        let Writer { mut book, pending } = self;
        match pending {
            Pending::Accounts(sql) => sql.finish(book.tx, &book.day)?,
            Pending::Children(_) => {}
            Pending::Subscriptions(by_account) => book.write_subscriptions(by_account)?,
            Pending::Tickets(open) => book.write_tickets(open)?,
        }
        Ok((book.counts, book.errors))
    }
}

/// The book as one file's rows are written to it, and what they have done so far.
pub(super) struct Book<'t, 'm> {
    pub(super) tx: &'t Connection,
    mapping: &'m Mapping,
    /// The file's name, as the timeline names it.
    pub(super) source: &'m str,
    /// The import's time, as rows are stamped.
    pub(super) now: &'m str,
    /// The import's date, for rows that need one and have none.
    today: Date,
    /// The import's day, as events are dated.
    day: String,
    keys: HashMap<String, Option<i64>>,
    pub(super) counts: Counts,
    errors: Vec<RowError>,
    /// Rows written so far, reported to `progress` every few thousand.
    done: usize,
    /// Anonymous or undated answers: how many of each the book held before this file...
    answers_in_book: HashMap<AnswerIdentity, i64>,
    /// ...and how many of each this file has had so far.
    answers_in_file: HashMap<AnswerIdentity, i64>,
    progress: &'m mut dyn FnMut(usize),
}

impl Book<'_, '_> {
    /// Counts a row and now and then says how far the file is.
    fn tick(&mut self) {
        self.done += 1;
        if self.done.is_multiple_of(4096) {
            (self.progress)(self.done);
        }
    }

    /// The fields of `fields` the file carries (status also when it has trial or churn flags).
    fn present(&self, fields: &[(Target, &'static str)]) -> Vec<(Target, &'static str)> {
        let flags = self.mapping.column_of(Target::TrialFlag).is_some()
            || self.mapping.column_of(Target::ChurnFlag).is_some();
        fields
            .iter()
            .filter(|(t, _)| {
                self.mapping.column_of(*t).is_some() || (*t == Target::Status && flags)
            })
            .copied()
            .collect()
    }

    /// The usage upsert for the columns the file carries.
    fn usage_sql(&self) -> UsageSql {
        let present = self.present(USAGE_FIELDS);
        let sql = {
            let names: Vec<&str> = present.iter().map(|(_, c)| *c).collect();
            let mut columns = vec!["account_id", "date"];
            columns.extend(&names);
            columns.push("extra");
            let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
            let mut sets: Vec<String> = names
                .iter()
                .map(|c| format!("{c} = excluded.{c}"))
                .collect();
            sets.push("extra = json_patch(usage.extra, excluded.extra)".into());
            let conflict = format!("DO UPDATE SET {}", sets.join(", "));
            format!(
                "INSERT INTO usage ({}) VALUES ({}) ON CONFLICT(account_id, date) {conflict}",
                columns.join(", "),
                placeholders.join(", ")
            )
        };
        UsageSql { present, sql }
    }

    /// Records an event on an account's timeline, dated the import's day.
    pub(super) fn event(&self, key: i64, kind: EventKind, detail: &str) -> Result<()> {
        crate::storage::events::log_event(self.tx, key, &self.day, kind, detail)
    }

    /// Tags an account (the timeline hears of it when the tag is new); whether it was new.
    pub(super) fn tag(&self, key: i64, tag: &str, now: &str) -> Result<bool> {
        let tag_id = crate::storage::tags::tag_id(self.tx, tag)?;
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO account_tags (account_id, tag_id, tagged_at) \
                 VALUES (?1, ?2, ?3)",
            )?
            .execute(params![key, tag_id, now])?
            > 0;
        if inserted {
            let stored: String =
                self.tx
                    .query_row("SELECT name FROM tags WHERE id = ?1", [tag_id], |r| {
                        r.get(0)
                    })?;
            self.event(key, EventKind::TagAdded, &stored)?;
        }
        Ok(inserted)
    }

    /// The database key of an account by external id, cached; none when unknown.
    fn key_of(&mut self, external_id: &str) -> Result<Option<i64>> {
        if let Some(key) = self.keys.get(external_id) {
            return Ok(*key);
        }
        let key = self
            .tx
            .query_row(
                "SELECT id FROM accounts WHERE external_id = ?1",
                [external_id],
                |r| r.get(0),
            )
            .optional()?;
        self.keys.insert(external_id.to_owned(), key);
        Ok(key)
    }

    /// Writes one row of a file that adds to accounts: a usage snapshot, an NPS answer, a tag or
    /// a note.
    fn child(&mut self, usage_sql: &UsageSql, row: ParsedRow, cells: Row<'_>) -> Result<()> {
        let (now, today) = (self.now, self.today);
        let account = match &row.record {
            Record::Account(..) | Record::Subscription { .. } | Record::Ticket { .. } => {
                return Ok(());
            }
            Record::Usage { account, .. }
            | Record::Nps { account, .. }
            | Record::Tag { account, .. }
            | Record::Note { account, .. } => account.clone(),
        };
        let Some(key) = self.key_of(&account)? else {
            self.unknown_account(row.line, cells, &account);
            return Ok(());
        };
        match row.record {
            Record::Usage { usage, extra, .. } => {
                let existed = self
                    .tx
                    .prepare_cached("SELECT 1 FROM usage WHERE account_id = ?1 AND date = ?2")?
                    .exists(params![key, date(usage.date)])?;
                let mut values = vec![Value::Integer(key), date(usage.date)];
                for (target, _) in &usage_sql.present {
                    values.push(match target {
                        Target::ActiveUsers => int(usage.active_users),
                        Target::Logins30d => int(usage.logins_30d),
                        Target::LastLogin => date(usage.last_login),
                        Target::FeatureAdoption => real(usage.feature_adoption),
                        Target::Onboarding => real(usage.onboarding),
                        Target::OpenTickets => int(usage.open_tickets),
                        Target::Csat => real(usage.csat),
                        Target::OverdueInvoices => int(usage.overdue_invoices),
                        _ => Value::Null,
                    });
                }
                values.push(Value::Text(serde_json::Value::Object(extra).to_string()));
                self.tx
                    .prepare_cached(&usage_sql.sql)?
                    .execute(rusqlite::params_from_iter(values))?;
                self.count(existed, true);
            }
            Record::Nps {
                response, extra, ..
            } => {
                let extra = serde_json::Value::Object(extra).to_string();
                let day = response.date.to_string();
                let contact = (!response.contact.is_empty()).then_some(&response.contact);
                let dated = self.mapping.column_of(Target::Date).is_some();
                match contact {
                    // A named contact answers once a day: a re-import updates the answer.
                    Some(contact) if dated => {
                        let existed = self
                            .tx
                            .prepare_cached(
                                "SELECT 1 FROM nps_responses WHERE account_id = ?1 \
                                 AND date = ?2 AND contact = ?3",
                            )?
                            .exists(params![key, day, contact])?;
                        if existed {
                            self.tx
                                .prepare_cached(
                                    "UPDATE nps_responses SET score = ?4, comment = ?5 \
                                     WHERE account_id = ?1 AND date = ?2 AND contact = ?3",
                                )?
                                .execute(params![
                                    key,
                                    day,
                                    contact,
                                    response.score,
                                    response.comment
                                ])?;
                        } else {
                            self.insert_answer(key, &day, Some(contact), &response, &extra)?;
                        }
                        self.count(existed, true);
                    }
                    // Anonymous or undated answers have no key: the file holds as many of
                    // each as it says, and a re-import adds only what the book lacks.
                    _ => {
                        let identity = (
                            key,
                            dated.then(|| day.clone()),
                            response.contact.clone(),
                            response.score,
                            response.comment.clone().unwrap_or_default(),
                        );
                        let in_book = match self.answers_in_book.get(&identity) {
                            Some(n) => *n,
                            None => {
                                let n: i64 = self
                                    .tx
                                    .prepare_cached(
                                        "SELECT count(*) FROM nps_responses WHERE account_id = ?1 \
                                         AND (?2 IS NULL OR date = ?2) \
                                         AND ifnull(contact, '') = ?3 AND score = ?4 \
                                         AND ifnull(comment, '') = ?5",
                                    )?
                                    .query_row(
                                        params![
                                            key, identity.1, identity.2, identity.3, identity.4
                                        ],
                                        |r| r.get(0),
                                    )?;
                                self.answers_in_book.insert(identity.clone(), n);
                                n
                            }
                        };
                        let seen = self.answers_in_file.entry(identity).or_insert(0);
                        *seen += 1;
                        if *seen > in_book {
                            self.insert_answer(key, &day, contact, &response, &extra)?;
                            self.count(false, true);
                        } else {
                            self.count(true, false);
                        }
                    }
                }
            }
            Record::Tag { tag, .. } => {
                let inserted = self.tag(key, &tag, now)?;
                self.count(!inserted, false);
            }
            Record::Note {
                date: day, body, ..
            } => {
                let inserted = self
                    .tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO notes (account_id, created_at, body) \
                         VALUES (?1, ?2, ?3)",
                    )?
                    .execute(params![key, day.unwrap_or(today).to_string(), body])?;
                self.count(inserted == 0, false);
            }
            Record::Account(..) | Record::Subscription { .. } | Record::Ticket { .. } => {}
        }
        Ok(())
    }

    fn insert_answer(
        &self,
        key: i64,
        day: &str,
        contact: Option<&String>,
        response: &crate::domain::nps::NpsResponse,
        extra: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO nps_responses (account_id, date, contact, score, comment, extra) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                key,
                day,
                contact,
                response.score,
                response.comment,
                extra
            ])?;
        Ok(())
    }

    /// Rejects a row whose account is not in the book.
    fn unknown_account(&mut self, line: u64, cells: Row<'_>, account: &str) {
        let column = self
            .mapping
            .column_of(Target::AccountId)
            .and_then(|i| self.mapping.headers.get(i))
            .cloned()
            .unwrap_or_default();
        self.errors.push(RowError {
            line,
            column,
            value: account.to_owned(),
            reason: "no account has this id: import the accounts file that defines it first".into(),
            cells: cells.to_vec(),
        });
    }

    /// Subscriptions: per account, the latest (by start date) sets ARR, MRR, plan, seats and
    /// renewal; a churned or trial subscription sets the status (an active one never overrules
    /// the account's own churned flag); the earliest start is the contract start when the account
    /// has none.
    fn subscription(
        &mut self,
        by_account: &mut Grouped<Vec<Subscription>>,
        row: ParsedRow,
        cells: Row<'_>,
    ) -> Result<()> {
        let Record::Subscription {
            account,
            subscription,
        } = row.record
        else {
            return Ok(());
        };
        let Some(key) = self.key_of(&account)? else {
            self.unknown_account(row.line, cells, &account);
            return Ok(());
        };
        by_account.entry(key).push(subscription);
        Ok(())
    }

    /// Folds each account's subscriptions into it, once the file's rows are all in.
    fn write_subscriptions(&mut self, by_account: Grouped<Vec<Subscription>>) -> Result<()> {
        let (now, today) = (self.now, self.today);
        for (key, mut subscriptions) in by_account.list {
            subscriptions.sort_by_key(|s| (s.start, s.end));
            let first_start = subscriptions.iter().filter_map(|s| s.start).min();
            let Some(latest) = subscriptions.last() else {
                continue;
            };
            let arr = latest.arr.or(latest.mrr.map(|m| m * 12));
            let mrr = latest.mrr.or(latest.arr.map(|a| a / 12));
            let status = match (latest.churned, latest.trial) {
                (Some(true), _) => Some("churned"),
                (_, Some(true)) => Some("trial"),
                (Some(false), _) | (_, Some(false)) => Some("active"),
                _ => None,
            };
            let renewal = latest.end.or_else(|| next_renewal(latest, today));
            self.tx
                .prepare_cached(
                    "UPDATE accounts SET arr = coalesce(?2, arr), mrr = coalesce(?3, mrr), \
                     plan = coalesce(?4, plan), seats = coalesce(?5, seats), \
                     renewal_date = coalesce(?6, renewal_date), \
                     status = CASE WHEN ?7 IN ('churned', 'trial') THEN ?7 ELSE coalesce(status, ?7) END, \
                     contract_start = coalesce(contract_start, ?8), updated_at = ?9 WHERE id = ?1",
                )?
                .execute(params![
                    key,
                    arr,
                    mrr,
                    latest.plan,
                    latest.seats,
                    renewal.map(|d| d.to_string()),
                    status,
                    first_start.map(|d| d.to_string()),
                    now
                ])?;
            self.counts.updated += 1;
        }
        Ok(())
    }

    /// Tickets: the open ones are counted per account, into the account's latest snapshot (or
    /// a new one dated today when it has none).
    fn ticket(&mut self, open: &mut Grouped<i64>, row: ParsedRow, cells: Row<'_>) -> Result<()> {
        let Record::Ticket {
            account,
            open: is_open,
        } = row.record
        else {
            return Ok(());
        };
        let Some(key) = self.key_of(&account)? else {
            self.unknown_account(row.line, cells, &account);
            return Ok(());
        };
        *open.entry(key) += i64::from(is_open);
        Ok(())
    }

    /// Sets each account's open ticket count, once the file's rows are all in.
    fn write_tickets(&mut self, open: Grouped<i64>) -> Result<()> {
        let today = self.today;
        for (key, count) in open.list {
            let latest: Option<String> = self.tx.query_row(
                "SELECT max(date) FROM usage WHERE account_id = ?1 AND date <= ?2",
                params![key, today.to_string()],
                |r| r.get(0),
            )?;
            match latest {
                Some(date) => {
                    self.tx.execute(
                        "UPDATE usage SET open_tickets = ?3 WHERE account_id = ?1 AND date = ?2",
                        params![key, date, count],
                    )?;
                    self.counts.updated += 1;
                }
                None => {
                    self.tx.execute(
                        "INSERT INTO usage (account_id, date, open_tickets) VALUES (?1, ?2, ?3)",
                        params![key, today.to_string(), count],
                    )?;
                    self.counts.added += 1;
                }
            }
        }
        Ok(())
    }

    /// Counts a written row: `existed` rows were updated (or, when they cannot change,
    /// unchanged), the rest added.
    fn count(&mut self, existed: bool, can_change: bool) {
        match (existed, can_change) {
            (false, _) => self.counts.added += 1,
            (true, true) => self.counts.updated += 1,
            (true, false) => self.counts.unchanged += 1,
        }
    }
}

/// When a subscription without an end date renews next: its next monthly or yearly anniversary
/// after today.
fn next_renewal(subscription: &Subscription, today: Date) -> Option<Date> {
    let start = subscription.start?;
    let step = if subscription.monthly {
        jiff::Span::new().months(1)
    } else {
        jiff::Span::new().years(1)
    };
    let mut next = start;
    for _ in 0..1200 {
        if next > today {
            return Some(next);
        }
        next = next.checked_add(step).ok()?;
    }
    None
}
