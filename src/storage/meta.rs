//! Small facts about the book itself (whether it is the demo book), in the `meta` table.

use crate::error::Result;
use crate::storage::Db;
use rusqlite::OptionalExtension;

/// The key that marks a book loaded from the built-in demo data.
const DEMO_KEY: &str = "demo_book";

impl Db {
    /// Whether this book is still the demo book (no accounts file of the user's imported yet).
    pub fn is_demo(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM meta WHERE key = ?1", [DEMO_KEY], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Marks or unmarks the book as the demo book.
    pub fn set_demo(&self, demo: bool) -> Result<()> {
        if demo {
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?1, 'yes') \
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [DEMO_KEY],
            )?;
        } else {
            self.conn
                .execute("DELETE FROM meta WHERE key = ?1", [DEMO_KEY])?;
        }
        Ok(())
    }
}
