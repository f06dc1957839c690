//! Writing account rows: an upsert keyed on the external id, and the timeline's word on what
//! the import did to each account ("added from FILE", or the fields it changed).

use super::indexes::{self, Deferred};
use super::kind::{Mapping, Target};
use super::records::{ParsedRow, Record};
use super::write::{Book, date, int, text};
use crate::domain::Account;
use crate::domain::timeline::EventKind;
use crate::error::Result;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Statement};

/// Account columns a file may carry besides external_id and name, with their SQL names.
pub const ACCOUNT_FIELDS: &[(Target, &str)] = &[
    (Target::Industry, "industry"),
    (Target::Region, "region"),
    (Target::Country, "country"),
    (Target::Employees, "employees"),
    (Target::Plan, "plan"),
    (Target::Arr, "arr"),
    (Target::Mrr, "mrr"),
    (Target::Currency, "currency"),
    (Target::Seats, "seats"),
    (Target::Lifecycle, "lifecycle"),
    (Target::Status, "status"),
    (Target::Owner, "owner"),
    (Target::ContractStart, "contract_start"),
    (Target::RenewalDate, "renewal_date"),
];

/// How far an accounts file may stray from looking up and writing each row on its own. The
/// shortcuts change how fast the rows go in, never what the book ends up holding: the tests
/// check that against an import without them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shortcuts {
    /// Into an empty table: no look-up of an old row, and the timeline told at the end.
    pub(super) fresh: bool,
    /// Build the secondary indexes after the rows, for files of at least this many rows.
    pub(super) rebuild_from: Option<usize>,
}

/// The shortcuts every import takes.
const SHORTCUTS: Shortcuts = Shortcuts {
    fresh: true,
    rebuild_from: Some(indexes::WORTHWHILE_ROWS),
};

#[cfg(test)]
thread_local! {
    /// The shortcuts of this test thread's imports.
    pub(super) static TEST_SHORTCUTS: std::cell::Cell<Shortcuts> =
        const { std::cell::Cell::new(SHORTCUTS) };
}

fn shortcuts() -> Shortcuts {
    #[cfg(test)]
    return TEST_SHORTCUTS.with(std::cell::Cell::get);
    #[cfg(not(test))]
    SHORTCUTS
}

/// The statements and decisions one accounts file is written with, prepared once for all
/// its rows.
pub struct AccountSql<'t> {
    /// The fields the file carries, besides external_id and name.
    present: Vec<(Target, &'static str)>,
    upsert: Statement<'t>,
    /// The stored values of an account, to say what the import changed.
    before: Statement<'t>,
    /// The file has no id column: rows match accounts by name.
    keyed_by_name: bool,
    /// The table was empty when the file began: every row is a new account.
    fresh: bool,
    /// The timeline's words for a new account.
    added: String,
    /// The timeline hears of the new accounts all at once, after the rows: the table began
    /// empty and the file carries no tags, so no other event can come between theirs.
    added_at_end: bool,
    /// Indexes to build again once every row is in.
    deferred: Deferred,
}

impl<'t> AccountSql<'t> {
    /// Prepares the writing of an accounts file of `coming` rows.
    pub fn prepare(
        tx: &'t Connection,
        mapping: &Mapping,
        present: Vec<(Target, &'static str)>,
        source: &str,
        coming: usize,
    ) -> Result<AccountSql<'t>> {
        let names: Vec<&str> = present.iter().map(|(_, c)| *c).collect();
        let mut columns = vec!["external_id", "name"];
        columns.extend(&names);
        columns.extend(["created_at", "updated_at", "extra"]);
        let mut placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        // A new account stores no empty extra values (the nulls only clear old ones).
        if let Some(last) = placeholders.last_mut() {
            *last = format!("json_patch('{{}}', {last})");
        }
        let mut updates: Vec<String> = std::iter::once("name")
            .chain(names.iter().copied())
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        updates.push("updated_at = excluded.updated_at".into());
        // The raw parameter, not excluded.extra: its nulls must reach json_patch to clear keys.
        updates.push(format!(
            "extra = json_patch(accounts.extra, ?{})",
            columns.len()
        ));
        let sql = format!(
            "INSERT INTO accounts ({}) VALUES ({}) ON CONFLICT(external_id) DO UPDATE SET {}",
            columns.join(", "),
            placeholders.join(", "),
            updates.join(", ")
        );
        let keyed_by_name = mapping.column_of(Target::AccountId).is_none();
        let shortcuts = shortcuts();
        // Into an empty table every row is new (a file never repeats an id: repeats are
        // rejected before writing), so there is nothing to look up. A file keyed by name may
        // still match an earlier row of its own in another case, so it always looks.
        let fresh = shortcuts.fresh
            && !keyed_by_name
            && !tx.prepare("SELECT 1 FROM accounts LIMIT 1")?.exists([])?;
        // Before any statement on the table is prepared: a drop waits for none.
        let deferred = match shortcuts.rebuild_from {
            Some(worthwhile) => indexes::defer(tx, "accounts", coming, worthwhile)?,
            None => Deferred::default(),
        };
        let upsert = tx.prepare(&sql)?;
        let before = tx.prepare(&format!(
            "SELECT id, name{} FROM accounts WHERE external_id = ?1",
            names.iter().map(|n| format!(", {n}")).collect::<String>()
        ))?;
        Ok(AccountSql {
            present,
            upsert,
            before,
            keyed_by_name,
            fresh,
            added: format!("added from {source}"),
            added_at_end: fresh && mapping.column_of(Target::Tags).is_none(),
            deferred,
        })
    }

    /// Tells the timeline of the accounts added, when it waited for the whole file, and builds
    /// again the indexes the rows were written without.
    pub fn finish(self, tx: &Connection, day: &str) -> Result<()> {
        if self.added_at_end {
            // Every account in the table is one of this file's, and each gets the event it
            // would have had on its row, in the same order.
            tx.execute(
                "INSERT INTO account_events (account_id, at, kind, detail) \
                 SELECT id, ?1, ?2, ?3 FROM accounts ORDER BY id",
                rusqlite::params![day, EventKind::Import.as_str(), self.added],
            )?;
        }
        let AccountSql { deferred, .. } = self;
        deferred.rebuild(tx)
    }
}

impl Book<'_, '_> {
    /// Writes one account row: inserts or updates it, tells its timeline, adds its tags.
    pub(super) fn account(&mut self, sql: &mut AccountSql<'_>, row: ParsedRow) -> Result<()> {
        let Record::Account(account, tags) = row.record else {
            return Ok(());
        };
        let mut account = *account;
        let now = self.now;
        if sql.keyed_by_name {
            // No id column: an account of that name (any case) already in the book is the
            // one this row updates; only a new name makes a new account.
            let existing: Vec<String> = self
                .tx
                .prepare_cached(
                    "SELECT external_id FROM accounts WHERE name = ?1 COLLATE NOCASE LIMIT 2",
                )?
                .query_map([&account.name], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if let [only] = existing.as_slice() {
                account.external_id = only.clone();
            }
        }
        let fields = sql.present.len();
        let old: Option<(i64, Vec<Value>)> = if sql.fresh {
            None
        } else {
            sql.before
                .query_row([&account.external_id], |r| {
                    let values = (1..=fields + 1)
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<rusqlite::Result<Vec<Value>>>()?;
                    Ok((r.get(0)?, values))
                })
                .optional()?
        };
        let mut values = Vec::with_capacity(fields + 5);
        values.push(Value::Text(std::mem::take(&mut account.external_id)));
        values.push(Value::Text(std::mem::take(&mut account.name)));
        values.extend(sql.present.iter().map(|(t, _)| account_value(&account, *t)));
        let changes = old.as_ref().map(|(key, old)| {
            let labels = std::iter::once("name").chain(sql.present.iter().map(|(_, c)| *c));
            (*key, changed_fields(labels, old, &values[1..]))
        });
        values.push(Value::Text(now.into()));
        values.push(Value::Text(now.into()));
        values.push(Value::Text(
            serde_json::Value::Object(account.extra.into_map()).to_string(),
        ));
        sql.upsert.execute(rusqlite::params_from_iter(values))?;
        let key: i64 = match &changes {
            Some((key, _)) => *key,
            None => self.tx.last_insert_rowid(),
        };
        match &changes {
            None if sql.added_at_end => {}
            None => self.event(key, EventKind::Import, &sql.added)?,
            Some((_, changed)) if !changed.is_empty() => self.event(
                key,
                EventKind::Import,
                &format!("{}: {changed}", self.source),
            )?,
            Some(_) => {}
        }
        for tag in &tags {
            self.tag(key, tag, now)?;
        }
        if changes.is_some() {
            self.counts.updated += 1;
        } else {
            self.counts.added += 1;
        }
        Ok(())
    }
}

/// What an import changed, in words: "arr 120k → 135k, plan Pro → Enterprise" (the first
/// four changes, then how many more); empty when nothing changed.
fn changed_fields<'a>(
    labels: impl Iterator<Item = &'a str>,
    old: &[Value],
    new: &[Value],
) -> String {
    let shown = |label: &str, value: &Value| match value {
        Value::Null => "none".to_owned(),
        Value::Integer(n) if label == "arr" || label == "mrr" => {
            crate::domain::money::format_short(*n)
        }
        Value::Integer(n) => n.to_string(),
        Value::Real(x) => x.to_string(),
        Value::Text(t) => crate::domain::width::cut(t, 32),
        Value::Blob(_) => "…".to_owned(),
    };
    let changes: Vec<String> = labels
        .zip(old.iter().zip(new))
        .filter(|(_, (a, b))| a != b)
        .map(|(label, (a, b))| format!("{label} {} → {}", shown(label, a), shown(label, b)))
        .collect();
    let mut text = changes
        .iter()
        .take(4)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if changes.len() > 4 {
        text.push_str(&format!(" and {} more", changes.len() - 4));
    }
    text
}

fn account_value(a: &Account, target: Target) -> Value {
    match target {
        Target::Industry => text(&a.industry),
        Target::Region => text(&a.region),
        Target::Country => text(&a.country),
        Target::Employees => int(a.employees),
        Target::Plan => text(&a.plan),
        Target::Arr => int(a.arr),
        Target::Mrr => int(a.mrr),
        Target::Currency => text(&a.currency),
        Target::Seats => int(a.seats),
        Target::Lifecycle => a
            .lifecycle
            .map_or(Value::Null, |l| Value::Text(l.as_str().into())),
        Target::Status => a
            .status
            .map_or(Value::Null, |s| Value::Text(s.as_str().into())),
        Target::Owner => text(&a.owner),
        Target::ContractStart => date(a.contract_start),
        Target::RenewalDate => date(a.renewal_date),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Db;
    use crate::storage::import::ImportOptions;

    const HEADER: &str = "account_id,name,industry,region,arr,seats,renewal_date,Tier";

    /// A file of `rows` accounts from `first` on, with a few bad and repeated rows among them.
    fn accounts_file(first: usize, rows: usize, tags: bool, change: &str) -> String {
        let mut text = HEADER.to_owned();
        if tags {
            text.push_str(",tags");
        }
        text.push('\n');
        for i in first..first + rows {
            let arr = match i % 17 {
                3 => "lots".to_owned(),
                _ => format!("{}.50", 1000 + i * 7),
            };
            let tier = if i % 5 == 0 {
                String::new()
            } else {
                format!("T{}", i % 3)
            };
            text.push_str(&format!(
                "A-{i},Company {i}{change},Retail,{},{arr},{},2027-0{}-1{},{tier}",
                ["EMEA", "NA", "APAC"][i % 3],
                i % 40,
                1 + i % 9,
                i % 10,
            ));
            if tags {
                text.push_str(&format!(",vip;wave {}", i % 2));
            }
            text.push('\n');
            if i % 23 == 0 {
                // The same id again: rejected, whatever it says.
                text.push_str(&format!("A-{i},Again {i},Retail,NA,5,1,2027-01-01,\n"));
            }
        }
        text
    }

    /// What a book holds after importing `files` one after another, and what each import
    /// said, in a form two books can be compared by.
    fn book_after(files: &[String], shortcuts: Shortcuts, skip_invalid: bool) -> Vec<String> {
        TEST_SHORTCUTS.with(|s| s.set(shortcuts));
        let mut db = Db::open_in_memory().expect("db");
        let mut options = ImportOptions::new(jiff::civil::date(2026, 11, 24));
        options.skip_invalid = skip_invalid;
        let mut seen = Vec::new();
        for (i, text) in files.iter().enumerate() {
            let s = db
                .import_text(&format!("file{i}.csv"), text, &options)
                .expect("import");
            seen.push(format!(
                "{:?}",
                (
                    s.read,
                    s.added,
                    s.updated,
                    s.unchanged,
                    &s.rejected,
                    s.committed
                )
            ));
        }
        TEST_SHORTCUTS.with(|s| s.set(SHORTCUTS));
        for query in [
            "SELECT id, external_id, name, industry, region, country, employees, plan, arr, \
             mrr, currency, seats, lifecycle, status, owner, contract_start, renewal_date, \
             extra, created_at = updated_at FROM accounts ORDER BY id",
            "SELECT id, account_id, substr(at, 1, 10), kind, detail FROM account_events \
             ORDER BY id",
            "SELECT id, name FROM tags ORDER BY id",
            "SELECT account_id, tag_id FROM account_tags ORDER BY 1, 2",
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name",
            "PRAGMA integrity_check",
        ] {
            let mut stmt = db.conn.prepare(query).expect("query");
            let columns = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..columns)
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .expect("rows")
                .collect::<rusqlite::Result<Vec<_>>>()
                .expect("read");
            seen.extend(rows.iter().map(|row| format!("{row:?}")));
        }
        seen
    }

    #[test]
    fn the_shortcuts_leave_the_book_as_row_by_row_writing_does() {
        let fast = Shortcuts {
            fresh: true,
            rebuild_from: Some(10),
        };
        let plain = Shortcuts {
            fresh: false,
            rebuild_from: None,
        };
        let by_name = "name,industry\nAcme,Retail\nBeta,Media\nACME,Software\n".to_owned();
        for tags in [false, true] {
            for skip_invalid in [true, false] {
                let files = [
                    // Into the empty book, then a re-import that changes some and adds more
                    // (bigger than the book: its indexes are rebuilt too), then a small one.
                    accounts_file(0, 60, tags, ""),
                    accounts_file(30, 80, tags, " Inc"),
                    accounts_file(100, 5, tags, " Ltd"),
                    by_name.clone(),
                ];
                let expected = book_after(&files, plain, skip_invalid);
                assert_eq!(
                    book_after(&files, fast, skip_invalid),
                    expected,
                    "tags {tags}, skip_invalid {skip_invalid}"
                );
                if skip_invalid {
                    assert!(expected.iter().any(|r| r.contains("added from file0.csv")));
                    assert!(expected.iter().any(|r| r.contains("file1.csv: name")));
                }
            }
        }
        // Keyed by name into an empty book: the third row updates the first.
        let expected = book_after(std::slice::from_ref(&by_name), plain, true);
        assert_eq!(book_after(&[by_name], fast, true), expected);
        assert!(expected[0].starts_with("(3, 2, 1, 0"), "{}", expected[0]);
    }
}
