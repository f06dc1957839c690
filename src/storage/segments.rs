//! Saved segments: a name and an expression, kept in the book.

use crate::error::Result;
use crate::storage::Db;

impl Db {
    /// Every saved segment as (name, expression), by name.
    pub fn saved_segments(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, expression FROM segments ORDER BY name COLLATE NOCASE")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Saves a segment under `name`, in one transaction replacing the saved segment stored as
    /// `replacing` (the same segment under another spelling, or the same name).
    pub fn save_segment(
        &mut self,
        name: &str,
        expression: &str,
        replacing: Option<&str>,
    ) -> Result<()> {
        let now = jiff::Timestamp::now().to_string();
        let tx = self.conn.transaction()?;
        if let Some(old) = replacing {
            tx.execute("DELETE FROM segments WHERE name = ?1", [old])?;
        }
        tx.execute(
            "INSERT INTO segments (name, expression, created_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT(name) DO UPDATE SET name = excluded.name, expression = excluded.expression",
            (name, expression, now),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Removes a saved segment; false when there was none of that name.
    pub fn remove_segment(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM segments WHERE name = ?1", [name])?
            > 0)
    }

    /// Loads the book: every row derived as of `today`, with the segment catalog.
    pub fn load_book(
        &self,
        today: crate::domain::Date,
        model: &crate::domain::health::HealthModel,
    ) -> Result<crate::domain::book::Book> {
        let rows = self.load_rows(today, model)?;
        // `load_rows` sorts by name.
        Ok(crate::domain::book::Book::new_in_order(
            rows,
            &self.saved_segments()?,
            (crate::domain::fields::Field::Name, false),
        ))
    }

    /// [`Db::load_book`] with the rows in no particular order, for a command that only counts
    /// and sums them.
    pub fn load_book_unsorted(
        &self,
        today: crate::domain::Date,
        model: &crate::domain::health::HealthModel,
    ) -> Result<crate::domain::book::Book> {
        let rows = self.load_rows_unsorted(today, model)?;
        Ok(crate::domain::book::Book::new(
            rows,
            &self.saved_segments()?,
        ))
    }
}
