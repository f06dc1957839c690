//! Reading several queries side by side, all in account order: each reader takes one
//! account's rows as the walk over accounts reaches it, so no map of every account is held.

use crate::error::Result;
use rusqlite::Row;

/// A query's rows in account order, one read ahead, so a reader walking accounts in the same
/// order takes each account's rows as it reaches it.
pub(crate) struct Ahead<'s, T> {
    rows: rusqlite::Rows<'s>,
    read: fn(&Row<'_>) -> rusqlite::Result<Option<T>>,
    next: Option<(i64, Option<T>)>,
}

impl<'s, T> Ahead<'s, T> {
    pub(crate) fn new(
        rows: rusqlite::Rows<'s>,
        read: fn(&Row<'_>) -> rusqlite::Result<Option<T>>,
    ) -> Result<Ahead<'s, T>> {
        let mut ahead = Ahead {
            rows,
            read,
            next: None,
        };
        ahead.advance()?;
        Ok(ahead)
    }

    fn advance(&mut self) -> Result<()> {
        self.next = match self.rows.next()? {
            Some(row) => Some((row.get(0)?, (self.read)(row)?)),
            None => None,
        };
        Ok(())
    }

    /// The last row of account `key`, for a query with at most one row per account (keys
    /// in ascending order, as for [`Ahead::take`]), without a vector per account.
    pub(crate) fn take_one(&mut self, key: i64) -> Result<Option<T>> {
        let mut out = None;
        while let Some((at, _)) = &self.next {
            if *at > key {
                break;
            }
            if let Some((at, item)) = self.next.take()
                && at == key
            {
                out = item;
            }
            self.advance()?;
        }
        Ok(out)
    }

    /// The rows of account `key` (keys must come in ascending order); rows of accounts
    /// before it, which no account asked for, are passed over.
    pub(crate) fn take(&mut self, key: i64) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.take_into(key, &mut out)?;
        Ok(out)
    }

    /// [`Ahead::take`] into `out`, emptied first: one vector serves every account of a walk.
    pub(crate) fn take_into(&mut self, key: i64, out: &mut Vec<T>) -> Result<()> {
        out.clear();
        while let Some((at, _)) = &self.next {
            if *at > key {
                break;
            }
            let taken = self
                .next
                .take()
                .and_then(|(at, item)| item.filter(|_| at == key));
            out.extend(taken);
            self.advance()?;
        }
        Ok(())
    }
}
