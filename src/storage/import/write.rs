//! Writing parsed records inside the caller's transaction: upserts keyed on the external id,
//! so a re-import updates in place and keeps tags, notes and history.

use super::kind::{Kind, Mapping, Target};
use super::records::{ParsedRow, Record, RowError, Subscription};
use crate::domain::timeline::EventKind;
use crate::domain::{Account, Date};
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

/// Account columns a file may carry besides external_id and name, with their SQL names.
const ACCOUNT_FIELDS: &[(Target, &str)] = &[
    (Target::Industry, "industry"),
    (Target::Region, "region"),
    (Target::Country, "country"),
    (Target::Employees, "employees"),
    (Target::Plan, "plan"),
    (Target::Arr, "arr"),
    (Target::Mrr, "mrr"),
    (Target::Currency, "currency"),
    (Target::Seats, "seats"),
    (Target::Lifecycle, "lifecycle"),
    (Target::Status, "status"),
    (Target::Owner, "owner"),
    (Target::ContractStart, "contract_start"),
    (Target::RenewalDate, "renewal_date"),
];

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

fn text(v: &Option<String>) -> Value {
    v.clone().map_or(Value::Null, Value::Text)
}

fn int(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::Integer)
}

fn real(v: Option<f64>) -> Value {
    v.map_or(Value::Null, Value::Real)
}

fn date(v: Option<Date>) -> Value {
    v.map_or(Value::Null, |d| Value::Text(d.to_string()))
}

/// What an import changed, in words: "arr 120k → 135k, plan Pro → Enterprise" (the first
/// four changes, then how many more); empty when nothing changed.
fn changed_fields<'a>(
    labels: impl Iterator<Item = &'a str>,
    old: &[Value],
    new: &[Value],
) -> String {
    let shown = |label: &str, value: &Value| match value {
        Value::Null => "none".to_owned(),
        Value::Integer(n) if label == "arr" || label == "mrr" => {
            crate::domain::money::format_short(*n)
        }
        Value::Integer(n) => n.to_string(),
        Value::Real(x) => x.to_string(),
        Value::Text(t) => crate::domain::width::cut(t, 32),
        Value::Blob(_) => "…".to_owned(),
    };
    let changes: Vec<String> = labels
        .zip(old.iter().zip(new))
        .filter(|(_, (a, b))| a != b)
        .map(|(label, (a, b))| format!("{label} {} → {}", shown(label, a), shown(label, b)))
        .collect();
    let mut text = changes
        .iter()
        .take(4)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if changes.len() > 4 {
        text.push_str(&format!(" and {} more", changes.len() - 4));
    }
    text
}

fn account_value(a: &Account, target: Target) -> Value {
    match target {
        Target::Industry => text(&a.industry),
        Target::Region => text(&a.region),
        Target::Country => text(&a.country),
        Target::Employees => int(a.employees),
        Target::Plan => text(&a.plan),
        Target::Arr => int(a.arr),
        Target::Mrr => int(a.mrr),
        Target::Currency => text(&a.currency),
        Target::Seats => int(a.seats),
        Target::Lifecycle => a
            .lifecycle
            .map_or(Value::Null, |l| Value::Text(l.as_str().into())),
        Target::Status => a
            .status
            .map_or(Value::Null, |s| Value::Text(s.as_str().into())),
        Target::Owner => text(&a.owner),
        Target::ContractStart => date(a.contract_start),
        Target::RenewalDate => date(a.renewal_date),
        _ => Value::Null,
    }
}

/// Writes every row inside the caller's transaction or savepoint; rows that fail here (an
/// unknown account) come back as row errors.
pub fn write_rows(
    tx: &Connection,
    mapping: &Mapping,
    rows: Vec<ParsedRow>,
    stamp: Stamp<'_>,
    progress: &mut dyn FnMut(usize),
) -> Result<(Counts, Vec<RowError>)> {
    let Stamp { now, today, source } = stamp;
    let mut writer = Writer {
        tx,
        mapping,
        source,
        day: crate::storage::stamp(today),
        keys: HashMap::new(),
        counts: Counts::default(),
        errors: Vec::new(),
        done: 0,
        answers_in_book: HashMap::new(),
        answers_in_file: HashMap::new(),
        progress,
    };
    match mapping.kind {
        Kind::Accounts => writer.accounts(rows, now)?,
        Kind::Subscriptions => writer.subscriptions(rows, now, today)?,
        Kind::Tickets => writer.tickets(rows, today)?,
        _ => writer.children(rows, now, today)?,
    }
    Ok((writer.counts, writer.errors))
}

/// When and from where rows are written: the import's time, its day, and the file's name
/// (for the accounts' timelines).
#[derive(Debug, Clone, Copy)]
pub struct Stamp<'a> {
    pub now: &'a str,
    pub today: Date,
    pub source: &'a str,
}

struct Writer<'t, 'm> {
    tx: &'t Connection,
    mapping: &'m Mapping,
    /// The file's name, as the timeline names it.
    source: &'m str,
    /// The import's day, as events are dated.
    day: String,
    keys: HashMap<String, Option<i64>>,
    counts: Counts,
    errors: Vec<RowError>,
    /// Rows written so far, reported to `progress` every few thousand.
    done: usize,
    /// Anonymous or undated answers: how many of each the book held before this file...
    answers_in_book: HashMap<AnswerIdentity, i64>,
    /// ...and how many of each this file has had so far.
    answers_in_file: HashMap<AnswerIdentity, i64>,
    progress: &'m mut dyn FnMut(usize),
}

impl Writer<'_, '_> {
    /// Counts a row and now and then says how far the file is.
    fn tick(&mut self) {
        self.done += 1;
        if self.done.is_multiple_of(4096) {
            (self.progress)(self.done);
        }
    }

    fn present<'f>(&self, fields: &'f [(Target, &'static str)]) -> Vec<&'f (Target, &'static str)> {
        let flags = self.mapping.column_of(Target::TrialFlag).is_some()
            || self.mapping.column_of(Target::ChurnFlag).is_some();
        fields
            .iter()
            .filter(|(t, _)| {
                self.mapping.column_of(*t).is_some() || (*t == Target::Status && flags)
            })
            .collect()
    }

    fn accounts(&mut self, rows: Vec<ParsedRow>, now: &str) -> Result<()> {
        let present = self.present(ACCOUNT_FIELDS);
        let names: Vec<&str> = present.iter().map(|(_, c)| *c).collect();
        let mut columns = vec!["external_id", "name"];
        columns.extend(&names);
        columns.extend(["created_at", "updated_at", "extra"]);
        let mut placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        // A new account stores no empty extra values (the nulls only clear old ones).
        if let Some(last) = placeholders.last_mut() {
            *last = format!("json_patch('{{}}', {last})");
        }
        let mut updates: Vec<String> = std::iter::once("name")
            .chain(names.iter().copied())
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        updates.push("updated_at = excluded.updated_at".into());
        // The raw parameter, not excluded.extra: its nulls must reach json_patch to clear keys.
        updates.push(format!(
            "extra = json_patch(accounts.extra, ?{})",
            columns.len()
        ));
        let sql = format!(
            "INSERT INTO accounts ({}) VALUES ({}) ON CONFLICT(external_id) DO UPDATE SET {}",
            columns.join(", "),
            placeholders.join(", "),
            updates.join(", ")
        );
        let mut upsert = self.tx.prepare(&sql)?;
        let mut before = self.tx.prepare(&format!(
            "SELECT id, name{} FROM accounts WHERE external_id = ?1",
            names.iter().map(|n| format!(", {n}")).collect::<String>()
        ))?;
        let keyed_by_name = self.mapping.column_of(Target::AccountId).is_none();
        for row in rows {
            self.tick();
            let Record::Account(mut account, tags) = row.record else {
                continue;
            };
            if keyed_by_name {
                // No id column: an account of that name (any case) already in the book is the
                // one this row updates; only a new name makes a new account.
                let existing: Vec<String> = self
                    .tx
                    .prepare_cached(
                        "SELECT external_id FROM accounts WHERE name = ?1 COLLATE NOCASE LIMIT 2",
                    )?
                    .query_map([&account.name], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                if let [only] = existing.as_slice() {
                    account.external_id = only.clone();
                }
            }
            let old: Option<(i64, Vec<Value>)> = before
                .query_row([&account.external_id], |r| {
                    let values = (1..=names.len() + 1)
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<rusqlite::Result<Vec<Value>>>()?;
                    Ok((r.get(0)?, values))
                })
                .optional()?;
            let existed = old.is_some();
            let mut values = vec![
                Value::Text(account.external_id.clone()),
                Value::Text(account.name.clone()),
            ];
            values.extend(present.iter().map(|(t, _)| account_value(&account, *t)));
            let changes = old.as_ref().map(|(key, old)| {
                let labels = std::iter::once("name").chain(names.iter().copied());
                (*key, changed_fields(labels, old, &values[1..]))
            });
            values.push(Value::Text(now.into()));
            values.push(Value::Text(now.into()));
            values.push(Value::Text(
                serde_json::Value::Object(account.extra.clone()).to_string(),
            ));
            upsert.execute(rusqlite::params_from_iter(values))?;
            let key: i64 = match &changes {
                Some((key, _)) => *key,
                None => self.tx.last_insert_rowid(),
            };
            match &changes {
                None => self.event(
                    key,
                    EventKind::Import,
                    &format!("added from {}", self.source),
                )?,
                Some((_, changed)) if !changed.is_empty() => self.event(
                    key,
                    EventKind::Import,
                    &format!("{}: {changed}", self.source),
                )?,
                Some(_) => {}
            }
            for tag in &tags {
                self.tag(key, tag, now)?;
            }
            if existed {
                self.counts.updated += 1;
            } else {
                self.counts.added += 1;
            }
        }
        Ok(())
    }

    /// Records an event on an account's timeline, dated the import's day.
    fn event(&self, key: i64, kind: EventKind, detail: &str) -> Result<()> {
        crate::storage::events::log_event(self.tx, key, &self.day, kind, detail)
    }

    /// Tags an account (the timeline hears of it when the tag is new); whether it was new.
    fn tag(&self, key: i64, tag: &str, now: &str) -> Result<bool> {
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

    fn children(&mut self, rows: Vec<ParsedRow>, now: &str, today: Date) -> Result<()> {
        let usage_present = self.present(USAGE_FIELDS);
        let usage_sql = {
            let names: Vec<&str> = usage_present.iter().map(|(_, c)| *c).collect();
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
        for row in rows {
            self.tick();
            let account = match &row.record {
                Record::Account(..) | Record::Subscription { .. } | Record::Ticket { .. } => {
                    continue;
                }
                Record::Usage { account, .. }
                | Record::Nps { account, .. }
                | Record::Tag { account, .. }
                | Record::Note { account, .. } => account.clone(),
            };
            let Some(key) = self.key_of(&account)? else {
                self.unknown_account(row, &account);
                continue;
            };
            match row.record {
                Record::Usage { usage, extra, .. } => {
                    let existed = self
                        .tx
                        .prepare_cached("SELECT 1 FROM usage WHERE account_id = ?1 AND date = ?2")?
                        .exists(params![key, date(usage.date)])?;
                    let mut values = vec![Value::Integer(key), date(usage.date)];
                    for (target, _) in &usage_present {
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
                        .prepare_cached(&usage_sql)?
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
                                            params![key, identity.1, identity.2, identity.3, identity.4],
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
    fn unknown_account(&mut self, row: ParsedRow, account: &str) {
        let column = self
            .mapping
            .column_of(Target::AccountId)
            .and_then(|i| self.mapping.headers.get(i))
            .cloned()
            .unwrap_or_default();
        self.errors.push(RowError {
            line: row.line,
            column,
            value: account.to_owned(),
            reason: "no account has this id: import the accounts file that defines it first".into(),
            cells: row.cells,
        });
    }

    /// Subscriptions: per account, the latest (by start date) sets ARR, MRR, plan, seats and
    /// renewal; a churned or trial subscription sets the status (an active one never overrules
    /// the account's own churned flag); the earliest start is the contract start when the account
    /// has none.
    fn subscriptions(&mut self, rows: Vec<ParsedRow>, now: &str, today: Date) -> Result<()> {
        let mut by_account: Vec<(i64, Vec<Subscription>)> = Vec::new();
        let mut index: HashMap<i64, usize> = HashMap::new();
        for row in rows {
            self.tick();
            let Record::Subscription {
                account,
                subscription,
            } = &row.record
            else {
                continue;
            };
            let account = account.clone();
            let subscription = subscription.clone();
            let Some(key) = self.key_of(&account)? else {
                self.unknown_account(row, &account);
                continue;
            };
            let at = *index.entry(key).or_insert_with(|| {
                by_account.push((key, Vec::new()));
                by_account.len() - 1
            });
            by_account[at].1.push(subscription);
        }
        for (key, mut subscriptions) in by_account {
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
    fn tickets(&mut self, rows: Vec<ParsedRow>, today: Date) -> Result<()> {
        let mut open: Vec<(i64, i64)> = Vec::new();
        let mut index: HashMap<i64, usize> = HashMap::new();
        for row in rows {
            self.tick();
            let Record::Ticket {
                account,
                open: is_open,
            } = &row.record
            else {
                continue;
            };
            let (account, is_open) = (account.clone(), *is_open);
            let Some(key) = self.key_of(&account)? else {
                self.unknown_account(row, &account);
                continue;
            };
            let at = *index.entry(key).or_insert_with(|| {
                open.push((key, 0));
                open.len() - 1
            });
            open[at].1 += i64::from(is_open);
        }
        for (key, count) in open {
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
