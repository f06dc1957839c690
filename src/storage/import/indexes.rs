//! A big import into a small table builds the table's secondary indexes once, after its rows,
//! instead of row by row: sorting the whole column once beats a random b-tree insert per row
//! (at 100k accounts, three such inserts per row cost more than the rows themselves).
//!
//! The indexes are dropped and built again inside the import's own transaction, from the very
//! SQL the schema keeps for them: a failed, refused or interrupted import rolls the drop back
//! with everything else, and a committed one leaves the schema exactly as it was.

use crate::error::Result;
use rusqlite::Connection;

/// Fewer rows than this and the rebuild is not worth its fixed cost (a scan and a sort of the
/// whole table per index).
pub const WORTHWHILE_ROWS: usize = 20_000;

/// Indexes dropped for an import, to be built again before it commits.
#[must_use = "the dropped indexes must be built again with `rebuild`"]
#[derive(Debug, Default)]
pub struct Deferred {
    /// Each index's `CREATE INDEX` statement, as the schema stores it.
    sql: Vec<String>,
}

impl Deferred {
    /// Builds the dropped indexes again.
    pub fn rebuild(self, tx: &Connection) -> Result<()> {
        for sql in &self.sql {
            tx.execute_batch(sql)?;
        }
        Ok(())
    }
}

/// Drops the secondary indexes of `table` when `coming` rows make rebuilding them cheaper
/// than keeping them up to date: at least `worthwhile` (normally [`WORTHWHILE_ROWS`]), and at
/// least as many as the table holds. Unique indexes stay, since they decide which rows conflict, and so do the
/// ones SQLite makes for constraints. `table` is a name from the code, never from a file. Call
/// inside a transaction, and `rebuild` before commit.
pub fn defer(
    tx: &Connection,
    table: &'static str,
    coming: usize,
    worthwhile: usize,
) -> Result<Deferred> {
    if coming < worthwhile {
        return Ok(Deferred::default());
    }
    let held: i64 = tx.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
        r.get(0)
    })?;
    if usize::try_from(held).unwrap_or(usize::MAX) > coming {
        return Ok(Deferred::default());
    }
    drop_secondary(tx, table)
}

/// Drops every non-unique index made by `CREATE INDEX` on `table`, keeping its SQL.
fn drop_secondary(tx: &Connection, table: &'static str) -> Result<Deferred> {
    let indexes: Vec<(String, String)> = tx
        .prepare(
            "SELECT m.name, m.sql FROM pragma_index_list(?1) AS l \
             JOIN sqlite_master AS m ON m.type = 'index' AND m.name = l.name \
             WHERE l.\"unique\" = 0 AND l.origin = 'c' AND m.sql IS NOT NULL \
             ORDER BY m.rowid",
        )?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut deferred = Deferred::default();
    for (name, sql) in indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        deferred.sql.push(sql);
    }
    Ok(deferred)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Db;

    fn schema(db: &Db) -> Vec<(String, Option<String>)> {
        db.conn
            .prepare("SELECT name, sql FROM sqlite_master ORDER BY name")
            .expect("schema")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("read")
    }

    #[test]
    fn indexes_come_back_as_they_were_and_a_rollback_keeps_them() {
        let mut db = Db::open_in_memory().expect("db");
        let before = schema(&db);
        {
            let tx = db.conn.transaction().expect("tx");
            let deferred = drop_secondary(&tx, "accounts").expect("drop");
            assert_eq!(deferred.sql.len(), 3, "{:?}", deferred.sql);
            assert!(deferred.sql.iter().all(|s| !s.contains("UNIQUE")));
            deferred.rebuild(&tx).expect("rebuild");
            tx.commit().expect("commit");
        }
        assert_eq!(schema(&db), before);
        {
            let tx = db.conn.transaction().expect("tx");
            let _dropped = drop_secondary(&tx, "accounts").expect("drop");
            tx.rollback().expect("rollback");
        }
        assert_eq!(schema(&db), before);
    }

    #[test]
    fn small_imports_and_big_tables_keep_their_indexes() {
        let db = Db::open_in_memory().expect("db");
        let kept = defer(&db.conn, "accounts", 9, 10).expect("defer");
        assert!(kept.sql.is_empty());
        let dropped = defer(&db.conn, "accounts", 10, 10).expect("defer");
        assert_eq!(dropped.sql.len(), 3);
        dropped.rebuild(&db.conn).expect("rebuild");
        db.conn
            .execute_batch(
                "INSERT INTO accounts (external_id, name, created_at, updated_at) VALUES \
                 ('A-1', 'A', '', ''), ('A-2', 'B', '', ''), ('A-3', 'C', '', '')",
            )
            .expect("rows");
        let kept = defer(&db.conn, "accounts", 2, 1).expect("defer");
        assert!(kept.sql.is_empty(), "fewer rows coming than held");
    }
}
