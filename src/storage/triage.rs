//! The triage queue's storage: done / snooze / reopen actions, and the history the signals
//! read (the health some days ago, the snapshot before the latest, new detractor answers).

use crate::domain::Date;
use crate::domain::health::HealthModel;
use crate::domain::history::inputs_on;
use crate::domain::row::days_between;
use crate::domain::triage::{ActionKind, Facts, FactsByAccount, TriageAction};
use crate::error::Result;
use crate::storage::Db;
use crate::storage::ahead::Ahead;
use crate::storage::load::{parse_date, read_answer, read_usage};
use rusqlite::params;

/// Every account of a book as (key, seats): all the history facts need of it.
pub fn seats_of(book: &crate::domain::book::Book) -> Vec<(i64, Option<i64>)> {
    book.rows()
        .iter()
        .map(|r| (r.key, r.account.seats))
        .collect()
}

impl Db {
    /// Every account as (key, seats): what the triage queue's history is read for.
    pub fn seats(&self) -> Result<Vec<(i64, Option<i64>)>> {
        let mut stmt = self.conn.prepare("SELECT id, seats FROM accounts")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// How far back, at least, snapshots are read to find "the snapshot before the latest".
const SNAPSHOT_LOOKBACK_DAYS: i64 = 120;
/// A past snapshot further than this from the day asked about says nothing about that day.
const PAST_TOLERANCE_DAYS: i64 = 31;

fn days_before(day: Date, days: i64) -> Date {
    day.checked_sub(jiff::Span::new().days(days))
        .unwrap_or(Date::MIN)
}

impl Db {
    /// Every stored triage action, oldest first.
    pub fn triage_actions(&self) -> Result<Vec<TriageAction>> {
        self.read_actions(
            "SELECT id, account_id, at, action, until, signals, reasons FROM triage_actions \
             ORDER BY id",
            None,
        )
    }

    /// One account's triage actions, oldest first.
    pub fn triage_actions_of(&self, key: i64) -> Result<Vec<TriageAction>> {
        self.read_actions(
            "SELECT id, account_id, at, action, until, signals, reasons FROM triage_actions \
             WHERE account_id = ?1 ORDER BY id",
            Some(key),
        )
    }

    fn read_actions(&self, sql: &str, key: Option<i64>) -> Result<Vec<TriageAction>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let map = |r: &rusqlite::Row<'_>| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        };
        let rows = match key {
            Some(key) => stmt.query_map([key], map)?.collect::<Vec<_>>(),
            None => stmt.query_map([], map)?.collect::<Vec<_>>(),
        };
        let mut out = Vec::new();
        for row in rows {
            let (id, key, at, action, until, signals, reasons) = row?;
            let day = at.get(..10).map(str::to_owned);
            let (Some(date), Some(kind)) = (parse_date(day), ActionKind::parse(&action)) else {
                continue;
            };
            out.push(TriageAction {
                id,
                key,
                date,
                stamp: at,
                kind,
                until: parse_date(until),
                signals: serde_json::from_str(&signals).unwrap_or_default(),
                reasons,
            });
        }
        Ok(out)
    }

    /// Stores a done, snooze (until a day) or reopen of an account's item, dated `day`, with
    /// the fingerprints and reasons of the signals that had fired. Returns the action's id.
    pub fn record_triage(
        &mut self,
        key: i64,
        kind: ActionKind,
        until: Option<Date>,
        fired: &[(String, String)],
        day: Date,
    ) -> Result<i64> {
        let signals: Vec<&str> = fired.iter().map(|(f, _)| f.as_str()).collect();
        let reasons: Vec<&str> = fired.iter().map(|(_, r)| r.as_str()).collect();
        self.conn.execute(
            "INSERT INTO triage_actions (account_id, at, action, until, signals, reasons) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                key,
                crate::storage::stamp(day),
                kind.as_str(),
                until.map(|d| d.to_string()),
                serde_json::to_string(&signals).unwrap_or_else(|_| "[]".into()),
                reasons.join(" · "),
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Removes a triage action (undo of a done or snooze just made).
    pub fn remove_triage_action(&mut self, id: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM triage_actions WHERE id = ?1", [id])?;
        Ok(())
    }

    /// The queue's inputs for accounts given as (key, seats): what a worker thread reads.
    pub fn triage_inputs_of(
        &self,
        accounts: &[(i64, Option<i64>)],
        config: crate::domain::triage::TriageConfig,
        today: Date,
        model: &HealthModel,
    ) -> Result<crate::domain::triage::Inputs> {
        let facts = self.triage_facts(
            accounts,
            today,
            model,
            config.drop_days(),
            config.detractor_days(),
        )?;
        Ok(crate::domain::triage::Inputs {
            config,
            facts,
            actions: self.triage_actions()?,
        })
    }

    /// The queue's inputs for a book: the history facts its signals need and every action.
    pub fn triage_inputs(
        &self,
        book: &crate::domain::book::Book,
        config: crate::domain::triage::TriageConfig,
        today: Date,
        model: &HealthModel,
    ) -> Result<crate::domain::triage::Inputs> {
        self.triage_inputs_of(&seats_of(book), config, today, model)
    }

    /// What the history-based signals read, per account: the health `drop_days` ago (scored
    /// as of that snapshot's day, as the account's health history is), the utilization of the
    /// snapshot before the latest, and the newest answer of 0-6 in the last `detractor_days`.
    pub fn triage_facts(
        &self,
        accounts: &[(i64, Option<i64>)],
        today: Date,
        model: &HealthModel,
        drop_days: i64,
        detractor_days: i64,
    ) -> Result<FactsByAccount> {
        let then = days_before(today, drop_days.max(0));
        let from = days_before(
            today,
            SNAPSHOT_LOOKBACK_DAYS.max(drop_days + PAST_TOLERANCE_DAYS),
        );
        // Snapshots and answers stream in account order beside the accounts (sorted by key
        // here): each account's history is read, used and dropped in turn.
        let mut accounts = accounts.to_vec();
        accounts.sort_unstable_by_key(|(key, _)| *key);
        let mut snapshot_stmt = self.conn.prepare(
            "SELECT account_id, date, active_users, logins_30d, last_login, \
             feature_adoption, onboarding, open_tickets, csat, overdue_invoices FROM usage \
             WHERE date > ?1 AND date <= ?2 ORDER BY account_id, date",
        )?;
        let mut snapshots = Ahead::new(
            snapshot_stmt.query(params![from.to_string(), today.to_string()])?,
            |row| read_usage(row, 1),
        )?;
        // The past score counts the answers of the year before its day. `+date` keeps SQLite
        // on the by-account index, already in account order.
        let mut answer_stmt = self.conn.prepare(
            "SELECT account_id, date, contact, score, comment FROM nps_responses \
             WHERE +date > ?1 AND +date <= ?2 ORDER BY account_id, date, id",
        )?;
        let mut answers = Ahead::new(
            answer_stmt.query(params![
                days_before(then, 366 + PAST_TOLERANCE_DAYS).to_string(),
                today.to_string()
            ])?,
            read_answer,
        )?;
        // Most accounts have a fact or two; they come in key order, as the queue looks them up.
        let mut out = Vec::with_capacity(accounts.len());
        for (key, seats) in accounts {
            let usage = &snapshots.take(key)?;
            let responses = &answers.take(key)?;
            let past = (drop_days > 0)
                .then(|| {
                    usage
                        .iter()
                        .rev()
                        .filter_map(|u| u.date.map(|d| (d, u)))
                        .find(|(d, _)| *d <= then)
                        .filter(|(d, _)| days_between(*d, then) <= PAST_TOLERANCE_DAYS)
                        .and_then(|(d, u)| {
                            model
                                .score(&inputs_on(d, Some(u), seats, responses))
                                .map(|h| (d, crate::domain::triage::PastScore::of(&h)))
                        })
                })
                .flatten();
            let previous_utilization = usage
                .len()
                .checked_sub(2)
                .and_then(|i| usage[i].utilization(seats));
            let detractor = (detractor_days > 0)
                .then(|| {
                    let since = days_before(today, detractor_days);
                    responses
                        .iter()
                        .rev()
                        .find(|r| r.score <= 6 && r.date >= since)
                        .cloned()
                })
                .flatten();
            let detractor_before = detractor.as_ref().and_then(|answer| {
                responses
                    .iter()
                    .rev()
                    .filter(|r| !answer.contact.is_empty() && r.contact == answer.contact)
                    .find(|r| r.date < answer.date)
                    .map(|r| r.score)
            });
            if past.is_some() || previous_utilization.is_some() || detractor.is_some() {
                out.push((
                    key,
                    Facts {
                        past,
                        previous_utilization,
                        detractor: detractor.map(std::sync::Arc::new),
                        detractor_before,
                    },
                ));
            }
        }
        Ok(out.into_iter().collect())
    }
}
