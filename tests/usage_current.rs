//! The book reads each account's latest usage from `usage_current`, which triggers keep; it
//! must give what searching the whole history gives: the latest snapshot on or before today.

use csdeck::domain::health::HealthModel;
use csdeck::domain::{Date, Usage};
use csdeck::storage::Db;
use csdeck::storage::import::ImportOptions;
use std::collections::BTreeMap;

fn latest_by_history(db_path: &std::path::Path, today: Date) -> BTreeMap<String, Option<i64>> {
    let conn = rusqlite::Connection::open(db_path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT a.external_id, u.active_users FROM accounts a LEFT JOIN usage u \
             ON u.account_id = a.id AND u.date = \
               (SELECT max(date) FROM usage WHERE account_id = a.id AND date <= ?1)",
        )
        .unwrap();
    stmt.query_map([today.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn latest_read(db: &Db, today: Date) -> BTreeMap<String, Option<i64>> {
    db.load_book(today, &HealthModel::default())
        .unwrap()
        .rows()
        .iter()
        .map(|r| {
            let users = r.usage.as_ref().and_then(|u: &Usage| u.active_users);
            (r.account.external_id.clone(), users)
        })
        .collect()
}

#[test]
fn the_current_snapshot_follows_every_change_to_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let today: Date = "2026-12-03".parse().unwrap();
    let options = ImportOptions::new(today);
    let mut db = Db::open(&path).unwrap();
    db.import_text(
        "accounts.csv",
        "account_id,name\nA-1,One\nA-2,Two\nA-3,Three\nA-4,Four\n",
        &options,
    )
    .unwrap();
    let check = |db: &Db, when: &str| {
        for day in ["2026-12-03", "2026-11-15", "2026-10-01", "2026-01-01"] {
            let day: Date = day.parse().unwrap();
            assert_eq!(
                latest_read(db, day),
                latest_by_history(&path, day),
                "{when}, {day}"
            );
        }
    };
    // Snapshots arriving out of order, one in the future of a pinned day.
    db.import_text(
        "usage.csv",
        "account_id,date,active_users\nA-1,2026-11-01,10\nA-1,2026-10-01,5\n\
         A-2,2026-12-01,7\nA-3,2026-09-30,3\nA-4,2026-11-30,4\n",
        &options,
    )
    .unwrap();
    check(&db, "first usage");
    db.import_text(
        "older.csv",
        "account_id,date,active_users\nA-2,2026-11-20,6\nA-1,2026-09-01,1\n",
        &options,
    )
    .unwrap();
    check(&db, "older snapshots");
    // The same day again with new figures (an update of the stored snapshot).
    db.import_text(
        "again.csv",
        "account_id,date,active_users\nA-1,2026-11-01,11\nA-2,2026-11-20,9\n",
        &options,
    )
    .unwrap();
    check(&db, "updated snapshots");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         DELETE FROM usage WHERE account_id = (SELECT id FROM accounts WHERE external_id = 'A-1')
           AND date = '2026-11-01';
         DELETE FROM accounts WHERE external_id IN ('A-2', 'A-4');
         UPDATE usage SET date = '2026-08-01'
           WHERE account_id = (SELECT id FROM accounts WHERE external_id = 'A-3');",
    )
    .unwrap();
    check(&db, "deleted snapshots and accounts, a snapshot moved");
    // A new account takes the highest deleted key (A-4's): it has no usage of its own.
    db.import_text("new.csv", "account_id,name\nA-5,Five\n", &options)
        .unwrap();
    check(&db, "a new account");
    let read = latest_read(&db, today);
    assert_eq!(read["A-1"], Some(5));
    assert_eq!(read["A-3"], Some(3));
    assert_eq!(read["A-5"], None);
    assert!(!read.contains_key("A-2") && !read.contains_key("A-4"));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let reused: i64 = conn
        .query_row(
            "SELECT id FROM accounts WHERE external_id = 'A-5'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        reused, 4,
        "A-5 should reuse A-4's key for this test to mean anything"
    );
}
