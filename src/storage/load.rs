//! Reading the book back: every account with its current usage, NPS and tags, derived for a day.

use crate::domain::health::HealthModel;
use crate::domain::nps::{self, NpsResponse};
use crate::domain::{Account, AccountRow, Date, Lifecycle, Status, Usage};
use crate::error::Result;
use crate::storage::Db;
use rusqlite::Row;
use std::collections::HashMap;

/// Columns of [`read_account`] in the order it reads them.
const ACCOUNT_COLUMNS: &str = "a.id, a.external_id, a.name, a.industry, a.region, a.country, \
    a.employees, a.plan, a.arr, a.mrr, a.currency, a.seats, a.lifecycle, a.status, a.owner, \
    a.contract_start, a.renewal_date, a.extra";

/// Columns of [`read_usage`], following the account columns.
const USAGE_COLUMNS: &str = "u.date, u.active_users, u.logins_30d, u.last_login, \
    u.feature_adoption, u.onboarding, u.open_tickets, u.csat, u.overdue_invoices";

impl Db {
    /// Loads every account as a listed row, with figures derived as of `today`.
    pub fn load_rows(&self, today: Date, model: &HealthModel) -> Result<Vec<AccountRow>> {
        self.read_rows(None, today, model)
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
        // Some keys travel as one JSON array parameter.
        let wanted = keys.map(|k| serde_json::to_string(k).unwrap_or_else(|_| "[]".into()));
        let only = |column: &str| match wanted {
            Some(_) => format!("{column} IN (SELECT value FROM json_each(?2))"),
            None => "?2 IS NULL".to_owned(),
        };
        let mut nps_by_account =
            self.nps_in_window(today, nps::DEFAULT_WINDOW_DAYS, wanted.as_deref())?;
        let mut tags_by_account = self.tags_by_account(wanted.as_deref())?;
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, {USAGE_COLUMNS} FROM accounts a \
             LEFT JOIN usage u ON u.account_id = a.id \
               AND u.date = (SELECT max(date) FROM usage WHERE account_id = a.id AND date <= ?1) \
             WHERE {} ORDER BY a.name COLLATE NOCASE, a.external_id",
            only("a.id")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params![today.to_string(), wanted])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let (key, account) = read_account(row)?;
            let usage = read_usage(row, 18)?;
            let responses = nps_by_account.remove(&key).unwrap_or_default();
            let summary = nps::summarize(&responses, today, nps::DEFAULT_WINDOW_DAYS);
            let tags = tags_by_account.remove(&key).unwrap_or_default();
            out.push(AccountRow::derive(
                key, account, usage, summary, tags, today, model,
            ));
        }
        Ok(out)
    }

    fn nps_in_window(
        &self,
        today: Date,
        window_days: i64,
        keys: Option<&str>,
    ) -> Result<HashMap<i64, Vec<NpsResponse>>> {
        let start = today
            .checked_sub(jiff::Span::new().days(window_days))
            .unwrap_or(Date::MIN);
        self.answers_of(start, today, keys)
    }

    /// Every NPS answer dated after `from` and up to `to`, per account, oldest first.
    pub(crate) fn answers_between(
        &self,
        from: Date,
        to: Date,
    ) -> Result<HashMap<i64, Vec<NpsResponse>>> {
        self.answers_of(from, to, None)
    }

    /// [`Db::answers_between`], for the accounts of a JSON array of keys when one is given.
    fn answers_of(
        &self,
        from: Date,
        to: Date,
        keys: Option<&str>,
    ) -> Result<HashMap<i64, Vec<NpsResponse>>> {
        let sql = match keys {
            Some(_) => {
                "SELECT account_id, date, contact, score, comment FROM nps_responses \
                 WHERE date > ?1 AND date <= ?2 \
                   AND account_id IN (SELECT value FROM json_each(?3)) ORDER BY account_id, date"
            }
            None => {
                "SELECT account_id, date, contact, score, comment FROM nps_responses \
                 WHERE date > ?1 AND date <= ?2 AND ?3 IS NULL ORDER BY account_id, date"
            }
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(rusqlite::params![from.to_string(), to.to_string(), keys])?;
        let mut map: HashMap<i64, Vec<NpsResponse>> = HashMap::new();
        while let Some(row) = rows.next()? {
            let Some(date) = parse_date(row.get::<_, Option<String>>(1)?) else {
                continue;
            };
            let score: i64 = row.get(3)?;
            map.entry(row.get(0)?).or_default().push(NpsResponse {
                date,
                contact: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                score: score.clamp(0, 10) as u8,
                comment: row.get(4)?,
            });
        }
        Ok(map)
    }

    fn tags_by_account(&self, keys: Option<&str>) -> Result<HashMap<i64, Vec<String>>> {
        let sql = match keys {
            Some(_) => {
                "SELECT at.account_id, t.name FROM account_tags at JOIN tags t ON t.id = at.tag_id \
                 WHERE at.account_id IN (SELECT value FROM json_each(?1)) \
                 ORDER BY t.name COLLATE NOCASE"
            }
            None => {
                "SELECT at.account_id, t.name FROM account_tags at JOIN tags t ON t.id = at.tag_id \
                 WHERE ?1 IS NULL ORDER BY t.name COLLATE NOCASE"
            }
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query([keys])?;
        let mut map: HashMap<i64, Vec<String>> = HashMap::new();
        while let Some(row) = rows.next()? {
            map.entry(row.get(0)?).or_default().push(row.get(1)?);
        }
        Ok(map)
    }
}

pub(crate) fn parse_date(text: Option<String>) -> Option<Date> {
    text.and_then(|t| t.parse().ok())
}

fn read_account(row: &Row<'_>) -> rusqlite::Result<(i64, Account)> {
    let extra: String = row.get(17)?;
    let extra = match serde_json::from_str(&extra) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    Ok((
        row.get(0)?,
        Account {
            external_id: row.get(1)?,
            name: row.get(2)?,
            industry: row.get(3)?,
            region: row.get(4)?,
            country: row.get(5)?,
            employees: row.get(6)?,
            plan: row.get(7)?,
            arr: row.get(8)?,
            mrr: row.get(9)?,
            currency: row.get(10)?,
            seats: row.get(11)?,
            lifecycle: row
                .get::<_, Option<String>>(12)?
                .and_then(|t| Lifecycle::parse(&t)),
            status: row
                .get::<_, Option<String>>(13)?
                .and_then(|t| Status::parse(&t)),
            owner: row.get(14)?,
            contract_start: parse_date(row.get(15)?),
            renewal_date: parse_date(row.get(16)?),
            extra,
        },
    ))
}

/// Reads a usage snapshot from `first` on; none when the account has no snapshot.
pub(crate) fn read_usage(row: &Row<'_>, first: usize) -> rusqlite::Result<Option<Usage>> {
    let Some(date) = row.get::<_, Option<String>>(first)? else {
        return Ok(None);
    };
    Ok(Some(Usage {
        date: date.parse().ok(),
        active_users: row.get(first + 1)?,
        logins_30d: row.get(first + 2)?,
        last_login: parse_date(row.get(first + 3)?),
        feature_adoption: row.get(first + 4)?,
        onboarding: row.get(first + 5)?,
        open_tickets: row.get(first + 6)?,
        csat: row.get(first + 7)?,
        overdue_invoices: row.get(first + 8)?,
    }))
}
