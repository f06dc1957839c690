//! Storage on a real SQLite file: schema, migrations, refusal of foreign files, import rules.

mod common;

use common::{ACCOUNTS_HEADER, Sandbox};
use csdeck::domain::health::HealthModel;
use csdeck::storage::Db;
use csdeck::storage::import::ImportOptions;
use csdeck::storage::schema::CURRENT_VERSION;
use jiff::civil::{Date, date};

const TODAY: Date = date(2026, 11, 24);

fn options() -> ImportOptions {
    ImportOptions::new(TODAY)
}

fn accounts_file(sandbox: &Sandbox, name: &str, rows: &[&str]) -> std::path::PathBuf {
    let mut text = format!("{ACCOUNTS_HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    sandbox.write(name, &text)
}

const ACME: &str = "A-1,Acme Corp,Software,EMEA,Germany,250,Growth,30000.00,2500.00,EUR,80,adoption,active,Maya Patel,2025-01-01,2026-12-24";
const BETA: &str = "A-2,Beta Ltd,Retail,NA,Canada,40,Starter,4000,,USD,10,trial,trial,Jordan Lee,2026-11-01,2026-12-01";

#[test]
fn a_new_database_has_the_schema_and_is_private() {
    let sandbox = Sandbox::new();
    let path = sandbox.path("nested/dir/book.db");
    let db = Db::open(&path).unwrap();
    assert!(db.was_created());
    drop(db);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, CURRENT_VERSION);
    for table in [
        "accounts",
        "usage",
        "nps_responses",
        "tags",
        "account_tags",
        "notes",
        "segments",
        "health_overrides",
    ] {
        let found: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, 1, "table {table}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Reopening does not re-create or re-migrate.
    let again = Db::open(&path).unwrap();
    assert!(!again.was_created());
}

#[test]
fn a_database_from_a_newer_csdeck_is_refused_and_left_untouched() {
    let sandbox = Sandbox::new();
    let path = sandbox.db();
    drop(Db::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", CURRENT_VERSION + 5)
            .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Db::open(&path).err().expect("refused");
    assert_eq!(err.exit_code(), 2);
    assert!(err.message.contains("newer csdeck"), "{}", err.message);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn files_that_are_not_csdeck_databases_are_refused_untouched() {
    let sandbox = Sandbox::new();
    let text = sandbox.write(
        "notes.txt",
        "this is not a database, just text that is long enough to look like a header\n",
    );
    let before = std::fs::read(&text).unwrap();
    let err = Db::open(&text).err().expect("refused");
    assert!(
        err.message.contains("not a SQLite database"),
        "{}",
        err.message
    );
    assert_eq!(std::fs::read(&text).unwrap(), before);

    let other = sandbox.path("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE invoices (id INTEGER)")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    let err = Db::open(&other).err().expect("refused");
    assert!(err.message.contains("another program"), "{}", err.message);
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn reimport_updates_in_place_and_keeps_tags_notes_and_history() {
    let sandbox = Sandbox::new();
    let mut db = Db::open(&sandbox.db()).unwrap();
    let first = accounts_file(&sandbox, "a1.csv", &[ACME, BETA]);
    let summary = db.import_file(&first, &options()).unwrap();
    assert_eq!((summary.added, summary.updated), (2, 0));
    let usage = sandbox.write(
        "usage.csv",
        "account_id,date,active_users,logins_30d,last_login,feature_adoption,onboarding,open_tickets,csat,overdue_invoices\n\
         A-1,2026-10-01,40,300,2026-09-30,50,100,2,80,0\n\
         A-1,2026-11-20,60,400,2026-11-19,60,100,1,85,0\n",
    );
    db.import_file(&usage, &options()).unwrap();
    let tags = sandbox.write(
        "tags.csv",
        "account_id,tag\nA-1,exec-sponsor\nA-1,Renewal-Risk\n",
    );
    db.import_file(&tags, &options()).unwrap();
    let notes = sandbox.write(
        "notes.csv",
        "account_id,date,body\nA-1,2026-11-02,QBR went well\n",
    );
    db.import_file(&notes, &options()).unwrap();

    // A later export: ARR grew, owner changed, and a column csdeck has no field for.
    let second = sandbox.write(
        "a2.csv",
        "account_id,name,arr,owner,Billing State\nA-1,Acme Corp,120000,Sofia Alvarez,TX\n",
    );
    let summary = db.import_file(&second, &options()).unwrap();
    assert_eq!((summary.added, summary.updated), (0, 1));

    let rows = db.load_rows(TODAY, &HealthModel::default()).unwrap();
    let acme = rows
        .iter()
        .find(|r| r.account.external_id == "A-1")
        .unwrap();
    assert_eq!(acme.account.arr, Some(12_000_000));
    assert_eq!(acme.account.owner.as_deref(), Some("Sofia Alvarez"));
    // Columns absent from the second file keep their values.
    assert_eq!(acme.account.industry.as_deref(), Some("Software"));
    assert_eq!(acme.account.seats, Some(80));
    assert_eq!(acme.account.extra.get("Billing State").unwrap(), "TX");
    assert_eq!(acme.tags, ["exec-sponsor", "Renewal-Risk"]);
    assert_eq!(acme.usage.as_ref().unwrap().active_users, Some(60));
    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    let snapshots: i64 = conn
        .query_row("SELECT count(*) FROM usage", [], |r| r.get(0))
        .unwrap();
    let notes: i64 = conn
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!((snapshots, notes), (2, 1));

    // Re-importing the same tags is not a change.
    let again = db.import_file(&tags, &options()).unwrap();
    assert_eq!((again.added, again.unchanged), (0, 2));
}

#[test]
fn a_file_with_a_bad_row_changes_nothing_and_says_where() {
    let sandbox = Sandbox::new();
    let mut db = Db::open(&sandbox.db()).unwrap();
    let bad_arr = ACME.replace("30000.00", "30k-ish");
    let file = accounts_file(&sandbox, "bad.csv", &[BETA, &bad_arr]);
    let summary = db.import_file(&file, &options()).unwrap();
    assert!(!summary.committed);
    assert_eq!(summary.rejected.len(), 1);
    let error = &summary.rejected[0];
    assert_eq!(error.line, 3);
    assert_eq!(error.column, "arr");
    assert_eq!(error.value, "30k-ish");
    assert!(
        error
            .describe("bad.csv")
            .starts_with("bad.csv:3: column arr")
    );
    assert_eq!(db.account_count().unwrap(), 0);

    // --skip-invalid keeps the good row.
    let skip = ImportOptions {
        skip_invalid: true,
        ..options()
    };
    let summary = db.import_file(&file, &skip).unwrap();
    assert!(summary.committed);
    assert_eq!(db.account_count().unwrap(), 1);
}

#[test]
fn rows_are_checked_for_every_rule_the_issue_names() {
    let sandbox = Sandbox::new();
    let mut db = Db::open(&sandbox.db()).unwrap();
    db.import_file(&accounts_file(&sandbox, "a.csv", &[ACME]), &options())
        .unwrap();
    let cases = [
        (
            "no_name.csv",
            format!("{ACCOUNTS_HEADER}\nA-9,,Software,,,,,,,,,,,,,\n"),
            "name",
        ),
        (
            "no_id.csv",
            format!("{ACCOUNTS_HEADER}\n,Nameless,,,,,,,,,,,,,,\n"),
            "account_id",
        ),
        (
            "stage.csv",
            format!("{ACCOUNTS_HEADER}\nA-9,X,,,,,,,,,,growing,,,,\n"),
            "lifecycle",
        ),
        (
            "score.csv",
            "account_id,date,contact,score,comment\nA-1,2026-11-01,a@x,11,wow\n".into(),
            "score",
        ),
        (
            "unknown.csv",
            "account_id,date,contact,score,comment\nA-404,2026-11-01,a@x,9,\n".into(),
            "account_id",
        ),
        (
            "date.csv",
            "account_id,date,active_users\nA-1,11/01/2026,3\n".into(),
            "date",
        ),
        ("cells.csv", "account_id,tag\nA-1,vip,extra\n".into(), ""),
    ];
    for (name, text, column) in cases {
        let file = sandbox.write(name, &text);
        let summary = db.import_file(&file, &options()).unwrap();
        assert!(!summary.committed, "{name}");
        assert_eq!(summary.rejected.len(), 1, "{name}");
        assert_eq!(summary.rejected[0].line, 2, "{name}");
        assert_eq!(summary.rejected[0].column, column, "{name}");
    }
    assert_eq!(db.account_count().unwrap(), 1);
}

#[test]
fn a_dry_run_writes_nothing() {
    let sandbox = Sandbox::new();
    let mut db = Db::open(&sandbox.db()).unwrap();
    let dry = ImportOptions {
        dry_run: true,
        ..options()
    };
    let summary = db
        .import_file(&accounts_file(&sandbox, "a.csv", &[ACME, BETA]), &dry)
        .unwrap();
    assert_eq!(summary.added, 2);
    assert!(!summary.committed);
    assert_eq!(db.account_count().unwrap(), 0);
}

fn usage_file(sandbox: &Sandbox, name: &str, rows: &[&str]) -> std::path::PathBuf {
    let mut text = "account_id,date,active_users,logins_30d,last_login,feature_adoption,onboarding,open_tickets,csat,overdue_invoices\n".to_owned();
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    sandbox.write(name, &text)
}

#[test]
fn anonymous_answers_count_alone_and_contacts_ignore_case() {
    let sandbox = Sandbox::new();
    let mut db = Db::open(&sandbox.db()).unwrap();
    db.import_file(&accounts_file(&sandbox, "a.csv", &[ACME]), &options())
        .unwrap();
    let nps = sandbox.write(
        "nps.csv",
        "account_id,date,contact,score,comment\n\
         A-1,2026-11-01,,10,great\n\
         A-1,2026-11-01,,0,awful\n\
         A-1,2026-11-01,,0,\n\
         A-1,2026-10-01,Ana@X.example,0,\n\
         A-1,2026-11-02,ana@x.example,10,\n",
    );
    let summary = db.import_file(&nps, &options()).unwrap();
    assert_eq!((summary.added, summary.updated), (5, 0), "{summary:?}");
    // Re-importing the same export changes nothing.
    let again = db.import_file(&nps, &options()).unwrap();
    assert_eq!(again.added, 0);
    let rows = db.load_rows(TODAY, &HealthModel::default()).unwrap();
    let nps = rows[0].nps.unwrap();
    // Three anonymous answers and Ana's latest (10): 2 promoters, 2 detractors.
    assert_eq!(
        (nps.count, nps.promoters, nps.detractors, nps.nps),
        (4, 2, 2, 0)
    );
}

#[test]
fn a_dry_run_checks_later_files_against_earlier_ones() {
    let sandbox = Sandbox::new();
    let mut db = Db::open(&sandbox.db()).unwrap();
    let dry = ImportOptions {
        dry_run: true,
        ..options()
    };
    let files = vec![
        csdeck::storage::import::prepare_file(
            &accounts_file(&sandbox, "a.csv", &[ACME]),
            &options(),
        )
        .unwrap(),
        csdeck::storage::import::prepare_file(
            &usage_file(
                &sandbox,
                "u.csv",
                &["A-1,2026-11-20,40,300,2026-11-19,50,100,2,80,0"],
            ),
            &options(),
        )
        .unwrap(),
    ];
    let summaries = db.import_all(files, &dry).unwrap();
    assert!(
        summaries.iter().all(|s| s.rejected.is_empty()),
        "{summaries:?}"
    );
    assert_eq!(summaries[1].added, 1);
    assert!(summaries[1].line(true).contains("would add 1"));
    assert_eq!(db.account_count().unwrap(), 0);
}

#[test]
fn repeated_rows_are_rejected_and_blank_extra_cells_clear_old_values() {
    let sandbox = Sandbox::new();
    let mut db = Db::open(&sandbox.db()).unwrap();
    let twice = accounts_file(&sandbox, "twice.csv", &[ACME, BETA, ACME]);
    let summary = db.import_file(&twice, &options()).unwrap();
    assert!(!summary.committed);
    assert_eq!(summary.rejected[0].line, 4);
    assert!(
        summary.rejected[0].reason.contains("line 2"),
        "{:?}",
        summary.rejected
    );

    let first = sandbox.write(
        "x1.csv",
        "account_id,name,Billing State,Tier Note\nA-1,Acme,TX,gold\n",
    );
    db.import_file(&first, &options()).unwrap();
    let second = sandbox.write("x2.csv", "account_id,name,Billing State\nA-1,Acme,\n");
    db.import_file(&second, &options()).unwrap();
    let rows = db.load_rows(TODAY, &HealthModel::default()).unwrap();
    let extra = &rows[0].account.extra;
    assert!(extra.get("Billing State").is_none(), "{extra:?}");
    assert_eq!(extra.get("Tier Note").unwrap(), "gold");
}

#[test]
fn snapshots_dated_after_today_are_not_current() {
    let sandbox = Sandbox::new();
    let mut db = Db::open(&sandbox.db()).unwrap();
    db.import_file(&accounts_file(&sandbox, "a.csv", &[ACME]), &options())
        .unwrap();
    let usage = usage_file(
        &sandbox,
        "u.csv",
        &[
            "A-1,2026-11-20,40,300,2026-11-19,50,100,2,80,0",
            "A-1,2027-03-01,80,300,,50,100,2,80,0",
        ],
    );
    let summary = db.import_file(&usage, &options()).unwrap();
    assert!(summary.committed, "{:?}", summary.rejected);
    let rows = db.load_rows(TODAY, &HealthModel::default()).unwrap();
    assert_eq!(rows[0].usage.as_ref().unwrap().active_users, Some(40));
    assert_eq!(rows[0].days_since_login, Some(5));
    // A login in the future is a mistake in the file, not a fresh login.
    let future = usage_file(
        &sandbox,
        "f.csv",
        &["A-1,2026-11-21,40,300,2027-02-28,50,100,2,80,0"],
    );
    let summary = db.import_file(&future, &options()).unwrap();
    assert!(!summary.committed);
    assert!(
        summary.rejected[0].reason.contains("in the future"),
        "{:?}",
        summary.rejected
    );
}

#[test]
fn identical_anonymous_answers_all_count_and_undated_files_reimport_cleanly() {
    let sandbox = Sandbox::new();
    let mut db = Db::open(&sandbox.db()).unwrap();
    db.import_file(&accounts_file(&sandbox, "a.csv", &[ACME]), &options())
        .unwrap();
    // Two people gave the same anonymous answer on one day; an undated survey adds two more.
    let dated = sandbox.write(
        "dated.csv",
        "account_id,date,score,comment
A-1,2026-11-01,9,
A-1,2026-11-01,9,
",
    );
    assert_eq!(db.import_file(&dated, &options()).unwrap().added, 2);
    assert_eq!(db.import_file(&dated, &options()).unwrap().added, 0);
    let undated = sandbox.write(
        "undated.csv",
        "account_id,score,verbatim_comment
A-1,3,slow
A-1,10,great
",
    );
    assert_eq!(db.import_file(&undated, &options()).unwrap().added, 2);
    // The same survey export again, another day: nothing new.
    let tomorrow = ImportOptions::new(date(2026, 11, 25));
    let again = db.import_file(&undated, &tomorrow).unwrap();
    assert_eq!((again.added, again.unchanged), (0, 2));
    let rows = db.load_rows(TODAY, &HealthModel::default()).unwrap();
    let nps = rows[0].nps.unwrap();
    assert_eq!((nps.count, nps.promoters, nps.detractors), (4, 3, 1));
}

#[test]
fn a_bad_row_in_a_long_file_rolls_back_the_good_rows_too() {
    let sandbox = Sandbox::new();
    let mut db = Db::open(&sandbox.db()).unwrap();
    db.import_file(&accounts_file(&sandbox, "a.csv", &[ACME, BETA]), &options())
        .unwrap();
    let usage = usage_file(
        &sandbox,
        "u.csv",
        &[
            "A-1,2026-11-20,40,300,2026-11-19,50,100,2,80,0",
            "A-2,2026-11-20,4,30,2026-11-19,50,100,0,80,0",
            "A-9,2026-11-20,4,30,2026-11-19,50,100,0,80,0",
        ],
    );
    let summary = db.import_file(&usage, &options()).unwrap();
    assert!(!summary.committed);
    assert_eq!(summary.rejected.len(), 1);
    assert!(summary.line(false).contains("nothing was written"));
    let rows = db.load_rows(TODAY, &HealthModel::default()).unwrap();
    assert!(rows.iter().all(|r| r.usage.is_none()));
}
