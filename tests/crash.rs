//! Crashes lose nothing: an import killed with SIGKILL half-way leaves a valid book holding all
//! of it or none of it.

mod common;

use common::Sandbox;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[cfg(unix)]
#[test]
fn an_import_killed_half_way_leaves_all_or_nothing() {
    let sandbox = Sandbox::new();
    let data = sandbox.path("data");
    let out = sandbox.run(&[
        "demo",
        "--accounts",
        "20000",
        "--csv-dir",
        data.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let usage_rows = std::fs::read_to_string(data.join("usage.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    // A book with something in it already, which must survive.
    let first = sandbox.write("first.csv", "account_id,name\nKEEP-1,Keep me\n");
    assert!(
        sandbox
            .run(&["import", first.to_str().unwrap()])
            .status
            .success()
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_csdeck"))
        .current_dir(sandbox.dir.path())
        .env("CSDECK_TODAY", common::TODAY)
        .env("CSDECK_CONFIG_DIR", sandbox.dir.path())
        .arg("--db")
        .arg(sandbox.db())
        .arg("import")
        .arg(data.join("accounts.csv"))
        .arg(data.join("usage.csv"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it is writing (the WAL grows), then kill it without warning.
    let wal = sandbox.path("book.db-wal");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut killed_while_writing = false;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 64 * 1024 {
            child.kill().unwrap();
            killed_while_writing = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.wait().unwrap();
    assert!(
        killed_while_writing,
        "the import finished before it could be killed"
    );

    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let accounts: i64 = conn
        .query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))
        .unwrap();
    let usage: i64 = conn
        .query_row("SELECT count(*) FROM usage", [], |r| r.get(0))
        .unwrap();
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM accounts WHERE external_id = 'KEEP-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1);
    assert!(
        (accounts, usage) == (1, 0) || (accounts, usage) == (20_001, usage_rows as i64),
        "half an import survived: {accounts} accounts, {usage} snapshots"
    );
    // And csdeck itself reads the book.
    let out = sandbox.run(&["accounts", "--format", "csv", "--where", "id = KEEP-1"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
}
