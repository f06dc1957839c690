//! Saved segments: a name and an expression, kept in the book.

use crate::domain::book::Book;
use crate::domain::filter::Predicate;
use crate::domain::segment::{Segment, Stats, StatsPart, StatsSum};
use crate::error::Result;
use crate::storage::Db;
use crate::storage::load::Reading;

/// Each segment with its figures, or why it cannot be counted.
pub type Figures = Vec<(Segment, std::result::Result<Stats, String>)>;

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

    /// Every segment (built in, then saved) with its figures, or why it cannot be counted.
    ///
    /// When every filter compiles against a book with no accounts (none names an imported
    /// column, none is broken), each account is counted into every segment it matches as it
    /// is read, on two cores for a big book, with only what the filters read: no row is kept
    /// and no filter column is built. Otherwise the whole book is read and counted as the
    /// dashboard counts it, and the book decides what a filter means (and what a misspelt
    /// column was meant to be); that book comes back too, for a command about to exit to
    /// leave rather than free (about a second at a million accounts).
    pub fn segment_figures(
        &self,
        today: crate::domain::Date,
        model: &crate::domain::health::HealthModel,
    ) -> Result<(Figures, Option<Book>)> {
        let saved = self.saved_segments()?;
        let probe = Book::new(Vec::new(), &saved);
        let compiled: Option<Vec<Predicate>> = probe
            .segments
            .iter()
            .map(|s| probe.compile(&s.expression).ok())
            .collect();
        let Some(predicates) = compiled else {
            let book = Book::new(self.load_rows_unsorted(today, model)?, &saved);
            return Ok((counted(&book), Some(book)));
        };
        let reading = Reading::of(&predicates.iter().collect::<Vec<_>>());
        let halves = self.tally_rows(
            (today, model),
            &reading,
            || vec![StatsSum::default(); predicates.len()],
            |sums, row| {
                let part = StatsPart::of(&row);
                for (sum, predicate) in sums.iter_mut().zip(&predicates) {
                    if predicate.matches(&row) {
                        sum.add(&part);
                    }
                }
            },
        )?;
        let mut halves = halves.into_iter();
        let mut sums = halves
            .next()
            .unwrap_or_else(|| vec![StatsSum::default(); predicates.len()]);
        for half in halves {
            for (sum, other) in sums.iter_mut().zip(&half) {
                sum.merge(other);
            }
        }
        let listed = probe
            .segments
            .into_iter()
            .zip(sums.into_iter().map(|sum| Ok(sum.finish())))
            .collect();
        Ok((listed, None))
    }
}

/// Every segment's figures from a whole book: the columns all of them read are built in one
/// walk over the book first, then the segments are counted in two halves on two cores (each
/// a walk over every account).
fn counted(book: &Book) -> Figures {
    let compiled: Vec<_> = book
        .segments
        .iter()
        .map(|s| (s, book.compile(&s.expression).map_err(|e| e.to_string())))
        .collect();
    let predicates: Vec<_> = compiled
        .iter()
        .filter_map(|(_, p)| p.as_ref().ok())
        .collect();
    book.prepare(&predicates, &[]);
    fn count(book: &Book, part: &[(&Segment, std::result::Result<Predicate, String>)]) -> Figures {
        part.iter()
            .map(|(s, p)| {
                let stats = p.as_ref().map(|p| book.stats(p)).map_err(Clone::clone);
                ((*s).clone(), stats)
            })
            .collect()
    }
    let (first, second) = compiled.split_at(compiled.len() / 2);
    std::thread::scope(|scope| {
        let later = scope.spawn(|| count(book, second));
        let mut listed = count(book, first);
        match later.join() {
            Ok(rest) => listed.extend(rest),
            // As if it had been counted here.
            Err(panic) => std::panic::resume_unwind(panic),
        }
        listed
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::health::HealthModel;

    /// Every segment's figures, in a form two books can be compared by.
    fn figures(book: &Book) -> Vec<String> {
        book.segments
            .iter()
            .map(|s| {
                let stats = book
                    .compile(&s.expression)
                    .map(|p| book.stats(&p))
                    .map_err(|e| e.to_string());
                format!("{}: {stats:?}", s.name)
            })
            .collect()
    }

    /// What `segments` lists, in the same form.
    fn listed(db: &Db, today: crate::domain::Date, model: &HealthModel) -> Vec<String> {
        let (listed, _) = db.segment_figures(today, model).unwrap();
        listed
            .iter()
            .map(|(s, stats)| format!("{}: {stats:?}", s.name))
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
        let (_, whole_book) = db.segment_figures(today, &model).unwrap();
        assert!(whole_book.is_none(), "counted as read");
        // The built-in segments read no name, id or region...
        let probe = Book::new(Vec::new(), &[]);
        let builtin: Vec<_> = probe
            .segments
            .iter()
            .map(|s| probe.compile(&s.expression).unwrap())
            .collect();
        let reading = Reading::of(&builtin.iter().collect::<Vec<_>>());
        let read: Vec<&str> = crate::storage::load::account_columns_read(&reading);
        for column in [
            "a.name",
            "a.external_id",
            "a.region",
            "a.currency",
            "a.extra",
        ] {
            assert!(!read.contains(&column), "{column} in {read:?}");
        }
        assert!(read.contains(&"a.arr") && read.contains(&"a.renewal_date"));
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
        assert_eq!(listed(&db, today, &model), figures(&whole));
        // Each of them selects some accounts and not all: a field read as empty would show.
        for line in figures(&whole).iter().filter(|l| l.starts_with("by ")) {
            assert!(
                !line.contains("count: 0,") && !line.contains("count: 300,"),
                "{line}"
            );
        }
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
            let (_, read_whole) = db.segment_figures(today, &model).unwrap();
            let read_whole = read_whole.expect("the whole book read");
            assert!(read_whole.rows().iter().all(|r| !r.account.name.is_empty()));
            let lines = listed(&db, today, &model);
            assert_eq!(lines, figures(&whole), "{expression}");
            assert!(lines.iter().any(|l| l.contains(says)), "{expression}");
            db.remove_segment(name).unwrap();
        }
    }
}
