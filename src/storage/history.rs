//! One account's past: every usage snapshot and NPS answer up to today, for its health history.

use crate::domain::health::HealthModel;
use crate::domain::history::{self, HealthPoint};
use crate::domain::nps::NpsResponse;
use crate::domain::{Date, Usage};
use crate::error::Result;
use crate::storage::Db;

impl Db {
    /// The account's usage snapshots dated up to `today`, oldest first.
    pub fn snapshots(&self, key: i64, today: Date) -> Result<Vec<Usage>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT date, active_users, logins_30d, last_login, feature_adoption, onboarding, \
             open_tickets, csat, overdue_invoices FROM usage \
             WHERE account_id = ?1 AND date <= ?2 ORDER BY date",
        )?;
        let rows = stmt.query_map((key, today.to_string()), |row| {
            let date = |i: usize| -> rusqlite::Result<Option<Date>> {
                Ok(row
                    .get::<_, Option<String>>(i)?
                    .and_then(|t| t.parse().ok()))
            };
            Ok(Usage {
                date: date(0)?,
                active_users: row.get(1)?,
                logins_30d: row.get(2)?,
                last_login: date(3)?,
                feature_adoption: row.get(4)?,
                onboarding: row.get(5)?,
                open_tickets: row.get(6)?,
                csat: row.get(7)?,
                overdue_invoices: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The account's NPS answers dated up to `today`, oldest first.
    pub fn nps_responses(&self, key: i64, today: Date) -> Result<Vec<NpsResponse>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT date, contact, score, comment FROM nps_responses \
             WHERE account_id = ?1 AND date <= ?2 ORDER BY date, contact",
        )?;
        let rows = stmt.query_map((key, today.to_string()), |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (date, contact, score, comment) = row?;
            let Ok(date) = date.parse() else { continue };
            out.push(NpsResponse {
                date,
                contact: contact.unwrap_or_default(),
                score: score.clamp(0, 10) as u8,
                comment,
            });
        }
        Ok(out)
    }

    /// The account's health at each snapshot, as of that snapshot's day.
    pub fn health_history(
        &self,
        key: i64,
        seats: Option<i64>,
        today: Date,
        model: &HealthModel,
    ) -> Result<Vec<HealthPoint>> {
        let snapshots = self.snapshots(key, today)?;
        let responses = self.nps_responses(key, today)?;
        Ok(history::history(&snapshots, seats, &responses, model))
    }
}

impl Db {
    /// Every NPS answer of the given accounts dated inside the window, as (account key, answer).
    pub fn responses_of(
        &self,
        keys: &[i64],
        window: crate::domain::nps::Window,
    ) -> Result<Vec<(i64, NpsResponse)>> {
        let wanted: std::collections::HashSet<i64> = keys.iter().copied().collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT account_id, date, contact, score, comment FROM nps_responses \
             WHERE date >= ?1 AND date <= ?2 ORDER BY date, account_id, contact",
        )?;
        let rows = stmt.query_map((window.from.to_string(), window.to.to_string()), |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, date, contact, score, comment) = row?;
            if !wanted.contains(&key) {
                continue;
            }
            let Ok(date) = date.parse() else { continue };
            out.push((
                key,
                NpsResponse {
                    date,
                    contact: contact.unwrap_or_default(),
                    score: score.clamp(0, 10) as u8,
                    comment,
                },
            ));
        }
        Ok(out)
    }
}

impl Db {
    /// An account's notes as (when written, text), newest first; `when` is the stored stamp,
    /// a day or a day and time.
    pub fn notes_stamped(&self, key: i64) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT created_at, body FROM notes WHERE account_id = ?1 \
             ORDER BY created_at DESC, id DESC",
        )?;
        let rows = stmt.query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// An account's notes as (date, text), newest first.
    pub fn notes(&self, key: i64) -> Result<Vec<(Date, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT created_at, body FROM notes WHERE account_id = ?1 \
             ORDER BY created_at DESC, id DESC",
        )?;
        let rows = stmt.query_map([key], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (date, body) = row?;
            if let Ok(date) = date.get(..10).unwrap_or(&date).parse() {
                out.push((date, body));
            }
        }
        Ok(out)
    }
}
