//! A big import sorts on both cores: the indexes built after its rows (see [`super::indexes`])
//! are sorted by SQLite's sorter, which takes a helper thread only when told it may. At 1M
//! accounts that took the import from 10.6 s to 9.7 s (medians of three paired runs). A bigger
//! page cache was tried too: 256 MiB made the same import slower (11.0 s) and 280 MB heavier.

use crate::error::Result;
use rusqlite::Connection;

/// Lets SQLite's sorter use a second thread for the import's index builds.
pub fn for_import(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "threads", 2)?;
    Ok(())
}

/// Puts the connection back as [`crate::storage::Db::open`] left it: one thread, so reading
/// a book never takes a core the dashboard needs.
pub fn after_import(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "threads", 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn threads(conn: &Connection) -> i64 {
        conn.query_row("PRAGMA threads", [], |r| r.get(0))
            .expect("threads")
    }

    /// The bundled SQLite must allow helper threads, or the setting does nothing; and the
    /// connection must come back to one.
    #[test]
    fn the_import_sorts_on_two_threads_and_gives_the_second_back() {
        let conn = Connection::open_in_memory().expect("open");
        assert_eq!(threads(&conn), 0);
        for_import(&conn).expect("tune");
        assert_eq!(threads(&conn), 2);
        after_import(&conn).expect("restore");
        assert_eq!(threads(&conn), 0);
    }

    /// A big import through the book leaves its connection as it found it.
    #[test]
    fn a_big_import_leaves_the_connection_on_one_thread() {
        let mut db = crate::storage::Db::open_in_memory().expect("open");
        let mut csv = "account_id,name,arr\n".to_owned();
        for i in 0..super::super::indexes::WORTHWHILE_ROWS {
            csv.push_str(&format!("A-{i},Company {i},{}\n", i * 10));
        }
        let options = super::super::ImportOptions::new(jiff::civil::date(2026, 12, 4));
        let summary = db.import_text("big.csv", &csv, &options).expect("import");
        assert_eq!(summary.added, super::super::indexes::WORTHWHILE_ROWS);
        assert_eq!(threads(&db.conn), 0);
    }
}
