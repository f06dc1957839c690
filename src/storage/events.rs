//! The account events the timeline shows and no other table keeps: tag changes and imports
//! that changed an account. Written inside the caller's transaction, so an event exists
//! exactly when its change does.

use crate::domain::Date;
use crate::domain::timeline::{AccountEvent, EventKind};
use crate::error::Result;
use crate::storage::Db;
use rusqlite::{Connection, params};

/// When an event happens: today (`CSDECK_TODAY` when pinned, else the local date) and the time.
pub(crate) fn event_day() -> String {
    crate::storage::stamp(crate::clock::today().unwrap_or_else(|_| jiff::Zoned::now().date()))
}

/// Records one event on an account.
pub(crate) fn log_event(
    conn: &Connection,
    key: i64,
    day: &str,
    kind: EventKind,
    detail: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO account_events (account_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![key, day, kind.as_str(), detail])?;
    Ok(())
}

impl Db {
    /// An account's events, oldest first.
    pub fn events(&self, key: i64) -> Result<Vec<AccountEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, kind, detail FROM account_events WHERE account_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map([key], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, kind, detail) = row?;
            let (Ok(date), Some(kind)) = (
                at.get(..10).unwrap_or(&at).parse::<Date>(),
                EventKind::parse(&kind),
            ) else {
                continue;
            };
            out.push(AccountEvent {
                date,
                stamp: at,
                kind,
                detail,
            });
        }
        Ok(out)
    }
}
