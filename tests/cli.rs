//! The CLI end to end through the real binary: the contract of DESIGN.md.

mod common;

use common::{ACCOUNTS_HEADER, Sandbox, parse_csv, stderr, stdout};
use jiff::civil::Date;
use std::collections::HashMap;

const CSV_COLUMNS: [&str; 27] = [
    "id",
    "name",
    "industry",
    "region",
    "country",
    "plan",
    "tier",
    "lifecycle",
    "status",
    "owner",
    "arr",
    "mrr",
    "seats",
    "active_users",
    "utilization",
    "health",
    "band",
    "nps",
    "nps_score",
    "nps_category",
    "renewal_date",
    "days_to_renewal",
    "last_login",
    "days_since_login",
    "onboarding",
    "tickets",
    "tags",
];

fn by_column(header: &[String], row: &[String]) -> HashMap<String, String> {
    header.iter().cloned().zip(row.iter().cloned()).collect()
}

fn tier(arr: &str) -> &'static str {
    let major: f64 = arr.parse().unwrap();
    if major >= 100_000.0 {
        "high"
    } else if major >= 25_000.0 {
        "hybrid"
    } else if major >= 5_000.0 {
        "low"
    } else {
        "digital"
    }
}

fn days(from: &str, to: &str) -> i64 {
    let from: Date = from.parse().unwrap();
    let to: Date = to.parse().unwrap();
    i64::from(from.until(to).unwrap().get_days())
}

#[test]
fn a_canonical_book_of_2000_accounts_comes_back_as_imported() {
    let sandbox = Sandbox::new();
    let data = sandbox.path("data");
    let data_dir = data.to_str().unwrap();
    let made = sandbox.run(&[
        "demo",
        "--accounts",
        "2000",
        "--seed",
        "7",
        "--csv-dir",
        data_dir,
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    let files: Vec<String> = ["notes", "tags", "nps", "usage", "accounts"]
        .iter()
        .map(|k| format!("{data_dir}/{k}.csv"))
        .collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    // Given in the "wrong" order: accounts must still be applied first.
    let imported = sandbox.run(&args);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stdout(&imported).contains("2000 rows read, 2000 added"),
        "{}",
        stdout(&imported)
    );

    let listed = sandbox.run(&["accounts", "--format", "csv"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let (header, rows) = parse_csv(&stdout(&listed));
    assert_eq!(&header[..27], CSV_COLUMNS);
    assert_eq!(rows.len(), 2000);
    let listed: HashMap<String, HashMap<String, String>> = rows
        .iter()
        .map(|r| (r[0].clone(), by_column(&header, r)))
        .collect();

    let (acc_header, accounts) =
        parse_csv(&std::fs::read_to_string(data.join("accounts.csv")).unwrap());
    let (usage_header, usage) =
        parse_csv(&std::fs::read_to_string(data.join("usage.csv")).unwrap());
    let mut latest: HashMap<String, HashMap<String, String>> = HashMap::new();
    for row in &usage {
        let row = by_column(&usage_header, row);
        let id = row["account_id"].clone();
        if latest
            .get(&id)
            .is_none_or(|seen| seen["date"] < row["date"])
        {
            latest.insert(id, row);
        }
    }
    let (tag_header, tag_rows) =
        parse_csv(&std::fs::read_to_string(data.join("tags.csv")).unwrap());
    let mut tags: HashMap<String, Vec<String>> = HashMap::new();
    for row in &tag_rows {
        let row = by_column(&tag_header, row);
        tags.entry(row["account_id"].clone())
            .or_default()
            .push(row["tag"].clone());
    }

    for account in &accounts {
        let input = by_column(&acc_header, account);
        let out = &listed[&input["account_id"]];
        for (field, column) in [
            ("name", "name"),
            ("industry", "industry"),
            ("region", "region"),
            ("country", "country"),
            ("plan", "plan"),
            ("lifecycle", "lifecycle"),
            ("status", "status"),
            ("owner", "owner"),
            ("arr", "arr"),
            ("mrr", "mrr"),
            ("seats", "seats"),
            ("employees", "employees"),
            ("currency", "currency"),
            ("contract_start", "contract_start"),
            ("renewal_date", "renewal_date"),
        ] {
            assert_eq!(out[column], input[field], "{} {field}", input["account_id"]);
        }
        assert_eq!(out["tier"], tier(&input["arr"]));
        assert_eq!(
            out["days_to_renewal"].parse::<i64>().unwrap(),
            days(common::TODAY, &input["renewal_date"])
        );
        let mut expected_tags = tags.get(&input["account_id"]).cloned().unwrap_or_default();
        expected_tags.sort_by_key(|t| t.to_lowercase());
        assert_eq!(out["tags"], expected_tags.join(";"));
        match latest.get(&input["account_id"]) {
            Some(u) => {
                for (field, column) in [
                    ("active_users", "active_users"),
                    ("last_login", "last_login"),
                    ("onboarding", "onboarding"),
                    ("open_tickets", "tickets"),
                    ("logins_30d", "logins_30d"),
                    ("feature_adoption", "feature_adoption"),
                    ("csat", "csat"),
                    ("overdue_invoices", "overdue_invoices"),
                    ("date", "usage_date"),
                ] {
                    let (a, b) = (&out[column], &u[field]);
                    let same = a == b
                        || a.parse::<f64>()
                            .ok()
                            .zip(b.parse::<f64>().ok())
                            .is_some_and(|(x, y)| x == y);
                    assert!(same, "{} {field}: {a} vs {b}", input["account_id"]);
                }
                let active: f64 = u["active_users"].parse().unwrap();
                let seats: f64 = input["seats"].parse().unwrap();
                let utilization: f64 = out["utilization"].parse().unwrap();
                assert!((utilization - active / seats * 100.0).abs() <= 0.050_001);
                assert_eq!(
                    out["days_since_login"].parse::<i64>().unwrap(),
                    days(&u["last_login"], common::TODAY)
                );
                let health: i64 = out["health"].parse().unwrap();
                assert!((0..=100).contains(&health));
                let band = match health {
                    75.. => "healthy",
                    50..=74 => "at-risk",
                    _ => "critical",
                };
                assert_eq!(out["band"], band);
            }
            None => {
                assert_eq!(out["active_users"], "");
                assert_eq!(out["days_since_login"], "");
            }
        }
    }
}

#[test]
fn accounts_sorts_limits_and_speaks_json() {
    let sandbox = Sandbox::new();
    let text = format!(
        "{ACCOUNTS_HEADER},Billing State\n\
         A-1,Small,,,,,,1000,,,,,,,,,TX\n\
         A-2,Big,,,,,,500000,,,,,,,,,CA\n\
         A-3,Middle,,,,,,50000,,,,,,,,,\n\
         A-4,Unknown,,,,,,,,,,,,,,,\n"
    );
    let file = sandbox.write("accounts.csv", &text);
    assert!(
        sandbox
            .run(&["import", file.to_str().unwrap()])
            .status
            .success()
    );

    let out = sandbox.run(&["accounts", "--sort", "arr:desc", "--format", "csv"]);
    let (_, rows) = parse_csv(&stdout(&out));
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    // Accounts without a value sort last in either direction.
    assert_eq!(ids, ["A-2", "A-3", "A-1", "A-4"]);
    let out = sandbox.run(&[
        "accounts", "--sort", "arr", "--limit", "2", "--format", "csv",
    ]);
    let (_, rows) = parse_csv(&stdout(&out));
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["A-1", "A-3"]);

    let out = sandbox.run(&["accounts", "--sort", "name", "--format", "json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let first = &json[0];
    assert_eq!(first["id"], "A-2");
    assert_eq!(first["arr"], 500000.0);
    assert_eq!(first["tier"], "high");
    assert_eq!(first["extra"]["Billing State"], "CA");
    assert!(first["health"].is_null());
    assert_eq!(json.as_array().unwrap().len(), 4);

    let table = sandbox.run(&["accounts"]);
    assert!(
        stdout(&table).contains("4 accounts, ARR 551.0k"),
        "{}",
        stdout(&table)
    );
    // A limited table says it is a part, and of what.
    let table = sandbox.run(&["accounts", "--sort", "arr:desc", "--limit", "1"]);
    assert!(
        stdout(&table).contains("1 of 4 accounts shown (--limit), ARR 500.0k of 551.0k"),
        "{}",
        stdout(&table)
    );
    let table = sandbox.run(&["accounts", "--where", "id = A-2"]);
    assert!(
        stdout(&table).contains("1 account, ARR 500.0k"),
        "{}",
        stdout(&table)
    );
}

#[test]
fn user_errors_exit_2_with_one_clear_sentence() {
    let sandbox = Sandbox::new();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["accounts", "--sort", "revenue"],
            "unknown field \"revenue\"",
        ),
        (
            vec!["accounts", "--sort", "arr:sideways"],
            "unknown direction",
        ),
        (vec!["import", "missing.csv"], "no such file"),
        (vec!["accounts", "--format", "xml"], "invalid value"),
        (vec!["accounts"], "there is no book at"),
    ];
    for (args, expected) in cases {
        let out = sandbox.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
        assert!(stdout(&out).is_empty(), "{args:?}");
    }

    let bad = sandbox.write(
        "bad.csv",
        &format!("{ACCOUNTS_HEADER}\nA-1,Acme,,,,,,12a,,,,,,,,\n"),
    );
    let out = sandbox.run(&["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.contains("bad.csv:2: column arr, value \"12a\""),
        "{message}"
    );
    assert!(
        message.contains("bad row, so nothing was imported"),
        "{message}"
    );

    let report = sandbox.path("rejected.csv");
    // A report left world-readable by an earlier tool is replaced by a private one.
    std::fs::write(&report, "old").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let out = sandbox.run(&[
        "import",
        bad.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let (header, rows) = parse_csv(&std::fs::read_to_string(&report).unwrap());
    assert_eq!(&header[..5], ["file", "line", "column", "value", "reason"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1], "2");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&report).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // No temp file is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(sandbox.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".csdeck-tmp"))
        .collect();
    assert!(leftovers.is_empty());

    let junk = sandbox.write(
        "junk.db",
        "definitely not sqlite, but long enough to have a header of sorts",
    );
    let out = common::csdeck(sandbox.dir.path(), &junk, &["accounts"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a SQLite database"),
        "{}",
        stderr(&out)
    );

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_csdeck"))
        .env("CSDECK_TODAY", "next tuesday")
        .args(["--db", sandbox.db().to_str().unwrap(), "accounts"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("CSDECK_TODAY"), "{}", stderr(&out));
}

#[test]
fn csdeck_db_env_names_the_database() {
    let sandbox = Sandbox::new();
    let file = sandbox.write(
        "accounts.csv",
        &format!("{ACCOUNTS_HEADER}\nA-1,Acme,,,,,,,,,,,,,,\n"),
    );
    let env_db = sandbox.path("from-env.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_csdeck"))
        .env("CSDECK_DB", &env_db)
        .env("CSDECK_TODAY", common::TODAY)
        .args(["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(env_db.exists());
}

#[test]
fn escape_sequences_from_files_never_reach_the_terminal_raw() {
    let sandbox = Sandbox::new();
    let file = sandbox.write("evil.csv", "\u{1b}]0;PWNED\u{7},\u{1b}[2J\nA-1,x\n");
    let out = sandbox.run(&["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("^[]0;PWNED^G"), "{err}");

    let bad = sandbox.write(
        "bad.csv",
        &format!("{ACCOUNTS_HEADER},\u{1b}[31mnote\nA-1,Acme,,,,,,12a,,,,,,,,,x\n"),
    );
    let out = sandbox.run(&["import", bad.to_str().unwrap()]);
    assert!(!stderr(&out).contains('\u{1b}'), "{:?}", stderr(&out));
}

#[test]
fn a_failed_first_import_leaves_no_book_behind_and_a_dry_run_never_creates_one() {
    let sandbox = Sandbox::new();
    let bad = sandbox.write(
        "bad.csv",
        &format!("{ACCOUNTS_HEADER}\nA-1,,,,,,,,,,,,,,,\n"),
    );
    let out = sandbox.run(&["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!sandbox.db().exists());
    let good = sandbox.write(
        "good.csv",
        &format!("{ACCOUNTS_HEADER}\nA-1,Acme,,,,,,,,,,,,,,\n"),
    );
    let out = sandbox.run(&["import", "--dry-run", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("would add 1"), "{}", stdout(&out));
    assert!(!sandbox.db().exists());
    let out = common::csdeck(sandbox.dir.path(), sandbox.dir.path(), &["accounts"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a folder"), "{}", stderr(&out));
}

#[test]
fn a_file_full_of_escape_sequences_imports_and_shows_inert() {
    let sandbox = Sandbox::new();
    let file = sandbox.write(
        "evil.csv",
        &format!(
            "{ACCOUNTS_HEADER},Note\n\
             E-1,\"\u{1b}[2J\u{1b}]0;owned\u{7}Evil\u{202e}Corp\",,,,,,,,,,,,\"Mal\u{8}\u{8}lory\",,,\"\u{1b}]8;;http://x\u{1b}\\\\link\"\n"
        ),
    );
    let out = sandbox.run(&["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // For people (a terminal): inert.
    let table = stdout(&sandbox.run(&["accounts"]));
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{7}') && !table.contains('\u{8}'),
        "{table:?}"
    );
    assert!(!table.contains('\u{202e}'), "{table:?}");
    assert!(table.contains("^[[2J^[]0;owned^GEvil"), "{table}");
    // For scripts: the data exactly as imported.
    let (_, rows) = parse_csv(&stdout(&sandbox.run(&["accounts", "--format", "csv"])));
    assert_eq!(rows[0][1], "\u{1b}[2J\u{1b}]0;owned\u{7}Evil\u{202e}Corp");
    let health = stderr(&sandbox.run(&["health", "nothing-like-this"]));
    assert!(!health.contains('\u{1b}'), "{health:?}");
}
