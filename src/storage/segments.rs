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

    /// [`Db::load_book`] for a command that only counts and sums what every segment selects:
    /// the rows in no particular order, and only as much of each account as the segments'
    /// filters read.
    pub fn load_book_for_segments(
        &self,
        today: crate::domain::Date,
        model: &crate::domain::health::HealthModel,
    ) -> Result<crate::domain::book::Book> {
        let saved = self.saved_segments()?;
        let reading = reading_for(&saved);
        let rows = self.load_rows_for_figures(today, model, &reading)?;
        Ok(crate::domain::book::Book::new(rows, &saved))
    }
}

/// What of each account the segments (built in and `saved`) read. Every filter is checked
/// first against a book with no accounts, which knows no imported column: should any filter
/// not compile there (it names an imported column, or it is broken), everything is read, and
/// the book as a whole decides.
fn reading_for(saved: &[(String, String)]) -> crate::storage::load::Reading {
    use crate::storage::load::Reading;
    let probe = crate::domain::book::Book::new(Vec::new(), saved);
    let compiled: Option<Vec<_>> = probe
        .segments
        .iter()
        .map(|s| probe.compile(&s.expression).ok())
        .collect();
    match compiled {
        Some(predicates) => Reading::of(&predicates.iter().collect::<Vec<_>>()),
        None => Reading::everything(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::book::Book;
    use crate::domain::health::HealthModel;

    /// Every segment's figures, in a form two books can be compared by.
    fn figures(book: &Book) -> Vec<String> {
        book.segments
            .iter()
            .map(|s| {
                let stats = book.compile(&s.expression).map(|p| book.stats(&p));
                format!("{}: {stats:?}", s.name)
            })
            .collect()
    }

    /// A book on disk (a read in two halves needs a file) with the demo accounts.
    fn demo_book(dir: &std::path::Path) -> Db {
        let mut db = Db::open(&dir.join("book.db")).unwrap();
        crate::demo::embedded::load(&mut db, crate::demo::embedded::ANCHOR).unwrap();
        db
    }

    #[test]
    fn segments_read_only_what_they_filter_on_and_count_what_the_whole_book_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = demo_book(dir.path());
        let today = crate::demo::embedded::ANCHOR;
        let model = HealthModel::default();
        let lean = db.load_book_for_segments(today, &model).unwrap();
        assert_eq!(lean.rows().len(), 300);
        // The built-in segments read no name, id or region...
        assert!(lean.rows().iter().all(|r| r.account.name.is_empty()));
        assert!(lean.rows().iter().all(|r| r.account.region.is_none()));
        // ...while saved ones on every field that can be left out read theirs.
        for (name, expression) in [
            ("by name", "name ~ a"),
            ("by id", "id ~ 1"),
            ("by industry", "industry ~ a"),
            ("by region", "region = EMEA"),
            ("by country", "country ~ a"),
            ("by plan", "plan ~ o"),
            ("by owner", "owner ~ e"),
            ("by mrr", "mrr > 2k"),
            ("by employees", "employees > 200"),
            ("by tag", "tag:qbr-scheduled or tag:at-risk"),
            ("by segment", "segment:\"by region\" and arr > 20k"),
        ] {
            db.save_segment(name, expression, None).unwrap();
        }
        let whole = db.load_book(today, &model).unwrap();
        let lean = db.load_book_for_segments(today, &model).unwrap();
        assert_eq!(figures(&lean), figures(&whole));
        // Each of them selects some accounts and not all: a field read as empty would show.
        for line in figures(&whole).iter().filter(|l| l.starts_with("by ")) {
            assert!(
                !line.contains("count: 0,") && !line.contains("count: 300,"),
                "{line}"
            );
        }
        assert!(lean.rows().iter().all(|r| r.account.currency.is_none()));
    }

    #[test]
    fn a_segment_on_an_imported_column_misspelt_or_broken_reads_every_account_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("book.db")).unwrap();
        let options = crate::storage::import::ImportOptions::new(crate::demo::embedded::ANCHOR);
        let mut text = "account_id,name,region,arr,Partner\n".to_owned();
        for i in 0..60 {
            text.push_str(&format!("A-{i},Acme {i},EMEA,{},P{}\n", 1000 * i, i % 3));
        }
        db.import_text("accounts.csv", &text, &options).unwrap();
        let today = crate::demo::embedded::ANCHOR;
        let model = HealthModel::default();
        // Each alone: any one of them makes the read take everything.
        for (name, expression, says) in [
            (
                "partner one",
                "partner = P1",
                "partner one: Ok(Stats { count: 20,",
            ),
            // Only a book that read the imported columns can say what was meant.
            ("misspelt", "partnr = P1", "did you mean 'Partner'?"),
            ("broken", "arr >", "broken: Err("),
        ] {
            db.save_segment(name, expression, None).unwrap();
            let whole = db.load_book(today, &model).unwrap();
            let lean = db.load_book_for_segments(today, &model).unwrap();
            assert_eq!(figures(&lean), figures(&whole), "{expression}");
            assert!(
                figures(&lean).iter().any(|l| l.contains(says)),
                "{expression}"
            );
            assert!(lean.rows().iter().all(|r| !r.account.name.is_empty()));
            db.remove_segment(name).unwrap();
        }
    }
}
