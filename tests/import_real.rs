//! Real exports in, any segment out: the public sample files, a fixture for each quirk, the
//! book left byte for byte as it was by a failing file, and export -> import round trips.

mod common;

use common::{ACCOUNTS_HEADER, Sandbox, parse_csv, stderr, stdout};
use std::path::{Path, PathBuf};

fn external(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/testdata/external")
        .join(path)
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn import(sandbox: &Sandbox, files: &[String]) -> (bool, serde_json::Value, String) {
    let mut args = vec!["import", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let out = sandbox.run(&args);
    let json = serde_json::from_str(&stdout(&out)).unwrap_or(serde_json::Value::Null);
    (out.status.success(), json, stderr(&out))
}

fn counts(json: &serde_json::Value, index: usize) -> (String, u64, u64, u64, u64) {
    let file = &json["files"][index];
    (
        file["kind"].as_str().unwrap_or_default().to_owned(),
        file["read"].as_u64().unwrap_or(99_999),
        file["added"].as_u64().unwrap_or(99_999),
        file["updated"].as_u64().unwrap_or(99_999),
        file["rejected"].as_u64().unwrap_or(99_999),
    )
}

fn csv_of(sandbox: &Sandbox, args: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut full = vec!["accounts", "--format", "csv"];
    full.extend(args);
    parse_csv(&stdout(&sandbox.run(&full)))
}

#[test]
fn every_public_sample_export_imports_with_its_expected_counts() {
    if !external("SOURCES.md").exists() {
        panic!(
            "../shared/testdata/external is missing: the tests need the shared test data beside the checkout"
        );
    }
    // A Salesforce bulk file with no id column: the name keys the accounts.
    let sandbox = Sandbox::new();
    let (ok, json, err) = import(
        &sandbox,
        &[external("jsforce__jsforce/Account_bulk1_test.csv")
            .display()
            .to_string()],
    );
    assert!(ok, "{err}");
    assert_eq!(counts(&json, 0), ("accounts".into(), 100, 100, 0, 0));
    assert!(
        json["files"][0]["warnings"][0]
            .as_str()
            .unwrap()
            .contains("no id column"),
        "{json}"
    );
    let out = sandbox.run(&[
        "accounts",
        "--where",
        "id = \"Bulk Account from CSV - #1\"",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json[0]["industry"], "Biotechnology");
    assert_eq!(json[0]["employees"], 265);
    assert!(json[0]["arr"].is_null(), "AnnualRevenue is not ARR");
    assert_eq!(json[0]["extra"]["ANNUALREVENUE"], "3.00E+07");
    assert!(
        json[0]["extra"]["BILLINGSTREET"]
            .as_str()
            .unwrap()
            .contains('\n')
    );

    // A CS-shaped book: accounts, usage by month, tickets counted open, NPS without dates.
    let sandbox = Sandbox::new();
    let dir = "sujalghodke79-hash__renewal-intelligence-engine";
    let files: Vec<String> = [
        "nps_responses.csv",
        "support_tickets.csv",
        "usage_metrics.csv",
        "accounts.csv",
    ]
    .iter()
    .map(|f| external(&format!("{dir}/{f}")).display().to_string())
    .collect();
    let (ok, json, err) = import(&sandbox, &files);
    assert!(ok, "{err}");
    assert_eq!(counts(&json, 0), ("accounts".into(), 120, 120, 0, 0));
    assert_eq!(counts(&json, 1), ("usage".into(), 720, 720, 0, 0));
    assert_eq!(counts(&json, 2), ("tickets".into(), 271, 0, 96, 0));
    assert_eq!(counts(&json, 3), ("nps".into(), 98, 98, 0, 0));
    let (header, rows) = csv_of(&sandbox, &["--where", "id = 1000"]);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows[0][col("arr")], "17000.00");
    assert_eq!(rows[0][col("renewal_date")], "2026-05-25");
    assert_eq!(rows[0][col("owner")], "Carlos Mendez");
    assert_eq!(rows[0][col("region")], "NA-West");
    // Account 1000's tickets: TKT-5001 and TKT-5003 are open in the file's first rows.
    assert!(rows[0][col("tickets")].parse::<i64>().unwrap() >= 2);
    assert_eq!(rows[0][col("nps_count")], "1");

    // RavenStack: Python booleans decide the status; subscriptions set ARR and renewal.
    let sandbox = Sandbox::new();
    let dir = "zeelthakkar02__customer-churn-deep-dive";
    let files: Vec<String> = ["ravenstack_subscriptions.csv", "ravenstack_accounts.csv"]
        .iter()
        .map(|f| external(&format!("{dir}/{f}")).display().to_string())
        .collect();
    let (ok, json, err) = import(&sandbox, &files);
    assert!(ok, "{err}");
    assert_eq!(counts(&json, 0), ("accounts".into(), 500, 500, 0, 0));
    assert_eq!(counts(&json, 1), ("subscriptions".into(), 5000, 0, 500, 0));
    let (header, rows) = csv_of(&sandbox, &["--where", "id = A-43a9e3"]);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows[0][col("status")], "churned");
    assert_eq!(rows[0][col("contract_start")], "2023-08-17");
    assert!(!rows[0][col("arr")].is_empty());
    let trials = csv_of(&sandbox, &["--where", "status = trial"]).1.len();
    assert!(trials > 0);

    // The same accounts re-saved through a spreadsheet: M/D/YYYY and TRUE/FALSE.
    let sandbox = Sandbox::new();
    let file =
        external("Priya041104__RavenStack-SaaS-Business-Growth-Analytics/ravenstack_accounts.csv");
    let (ok, json, err) = import(&sandbox, &[file.display().to_string()]);
    assert!(ok, "{err}");
    assert_eq!(counts(&json, 0), ("accounts".into(), 500, 500, 0, 0));
    let (header, rows) = csv_of(&sandbox, &["--where", "id = A-2e4581"]);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows[0][col("contract_start")], "2024-10-16");
    assert_eq!(rows[0][col("status")], "active");
}

#[test]
fn each_quirk_of_real_exports_is_read_right() {
    let sandbox = Sandbox::new();
    let files: Vec<String> = [
        "salesforce_report.csv",
        "survey.csv",
        "hubspot_eu.csv",
        "salesforce_cp1252.csv",
        "salesforce_tree.json",
        "dates_dayfirst.csv",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    let (ok, json, err) = import(&sandbox, &files);
    assert!(ok, "{err}");
    assert!(
        json.to_string()
            .contains("skipped the report footer \\\"Grand Totals (2 records)\\\""),
        "{json}"
    );
    let warnings = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["warnings"].as_array().unwrap().clone())
        .count();
    assert!(warnings >= 3);
    let (header, rows) = csv_of(&sandbox, &["--sort", "id"]);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let by_id = |id: &str| {
        rows.iter()
            .find(|r| r[0] == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    // Report labels, $ money, Excel numbers, M/D/YYYY.
    assert_eq!(by_id("001A")[col("name")], "Acme");
    assert_eq!(by_id("001A")[col("arr")], "120000.00");
    assert_eq!(by_id("001A")[col("renewal_date")], "2027-03-15");
    assert_eq!(by_id("001B")[col("arr")], "61100.00");
    assert_eq!(by_id("001B")[col("renewal_date")], "2026-12-01");
    // A European Excel: BOM, semicolons, CRLF, decimal commas, D.M.YYYY, UTF-8 accents.
    assert_eq!(by_id("101")[col("name")], "Müller GmbH");
    assert_eq!(by_id("101")[col("owner")], "Zoë Åberg");
    assert_eq!(by_id("101")[col("arr")], "1234.50");
    assert_eq!(by_id("101")[col("employees")], "1200");
    assert_eq!(by_id("101")[col("renewal_date")], "2026-11-24");
    assert_eq!(by_id("102")[col("arr")], "12000.00");
    // Windows-1252 text and USD-coded money.
    assert_eq!(by_id("SF-1")[col("name")], "Café Olé");
    assert_eq!(by_id("SF-2")[col("arr")], "7999.99");
    // The Salesforce CLI tree shape: attributes dropped, nested owner read.
    assert_eq!(by_id("001X")[col("owner")], "Bill Lumbergh");
    assert_eq!(by_id("001X")[col("employees")], "250");
    // Day-first dates, settled by a day over 12 elsewhere in the column.
    assert_eq!(by_id("F-1")[col("renewal_date")], "2027-04-03");
    assert_eq!(by_id("F-1")[col("contract_start")], "2024-01-13");
    // The survey: the question header is the score, Unix seconds and ISO times are dates.
    let nps: serde_json::Value =
        serde_json::from_str(&stdout(&sandbox.run(&["nps", "001A", "--format", "json"]))).unwrap();
    assert_eq!(nps["count"], 2);
    let comments: Vec<&str> = nps["responses"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["comment"].as_str())
        .collect();
    assert!(comments.contains(&"Slow\nand buggy"), "{comments:?}");
    assert!(
        nps["responses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["contact"] == "pat@acme.example")
    );
}

#[test]
fn ambiguous_and_mixed_date_columns_are_errors_that_name_the_fix() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["import", &fixture("dates_ambiguous.csv")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--date-order mdy or dmy"),
        "{}",
        stderr(&out)
    );
    let out = sandbox.run(&[
        "import",
        "--date-order",
        "dmy",
        &fixture("dates_ambiguous.csv"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = csv_of(&sandbox, &["--where", "id = D-1"]);
    let col = header.iter().position(|h| h == "renewal_date").unwrap();
    assert_eq!(rows[0][col], "2027-04-03");
    let out = sandbox.run(&["import", &fixture("dates_mixed.csv")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("mixes day-first dates (line 2: 24/11/2026)"),
        "{}",
        stderr(&out)
    );
    let out = sandbox.run(&["import", &fixture("not_a_table.txt")]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1);
    let binary = sandbox.write("photo.csv", "\u{0}\u{1}PNG\u{0}");
    let out = sandbox.run(&["import", binary.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a text file"), "{}", stderr(&out));
}

#[test]
fn a_failing_file_leaves_the_book_byte_for_byte_as_it_was() {
    let sandbox = Sandbox::new();
    let (ok, _, err) = import(&sandbox, &[fixture("salesforce_report.csv")]);
    assert!(ok, "{err}");
    // Settle the WAL into the main file so the bytes are comparable.
    {
        let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
    }
    let before = std::fs::read(sandbox.db()).unwrap();
    let bad = sandbox.write(
        "bad.csv",
        "Account ID,Account Name,ARR\n001A,Acme renamed,100\n001C,New,12 apples\n",
    );
    let out = sandbox.run(&["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    {
        let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
    }
    assert_eq!(std::fs::read(sandbox.db()).unwrap(), before);
}

#[test]
fn an_export_reimports_to_the_same_book_and_md_is_a_brief() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["demo", "--accounts", "150"]);
    assert!(out.status.success(), "{}", stderr(&out));
    sandbox.run(&["tag", "add", "Q1 focus", "--segment", "high touch"]);
    let csv_path = sandbox.path("export.csv");
    let out = sandbox.run(&[
        "export",
        "--where",
        "arr >= 10k",
        "-o",
        csv_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    #[cfg(unix)]
    {
        // An export holds customer data: only its owner reads it.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&csv_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let other = Sandbox::new();
    let out = other.run(&["import", csv_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Every account field, tag and extra column comes back; figures that need usage do not.
    let keep = [
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
        "renewal_date",
        "days_to_renewal",
        "tags",
        "employees",
        "currency",
        "contract_start",
    ];
    let project = |sandbox: &Sandbox, args: &[&str]| -> Vec<Vec<String>> {
        let (header, rows) = csv_of(sandbox, args);
        let index: Vec<usize> = keep
            .iter()
            .map(|k| header.iter().position(|h| h == k).unwrap())
            .collect();
        rows.iter()
            .map(|r| index.iter().map(|i| r[*i].clone()).collect())
            .collect()
    };
    let original = project(&sandbox, &["--where", "arr >= 10k", "--sort", "id"]);
    let copy = project(&other, &["--sort", "id"]);
    assert!(original.len() > 50);
    assert_eq!(original, copy);

    let md = stdout(&sandbox.run(&["export", "--segment", "high touch", "--format", "md"]));
    assert!(md.starts_with("# high touch · "), "{md}");
    assert!(
        md.contains(
            "| Account | ARR | Tier | Health | NPS | Renewal | Last login | Owner | Tags |"
        )
    );
    // 19 accounts get a section each; the whole book is too big to walk through, so it gets
    // the table and a word on how to get sections.
    assert_eq!(md.matches("\n## ").count(), 19, "{md}");
    let all = stdout(&sandbox.run(&["export", "--format", "md"]));
    assert!(all.contains("narrow the selection"), "{all}");
    assert!(!all.contains("\n## "), "{all}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&sandbox.run(&[
        "export",
        "--format",
        "json",
        "--segment",
        "churned",
    ])))
    .unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|a| a["status"] == "churned")
    );
    let excel = std::fs::read(csv_path).unwrap();
    assert!(!excel.starts_with(b"\xEF\xBB\xBF"));
    let out = sandbox.run(&["export", "--excel"]);
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn the_dashboard_imports_with_a_command_and_exports_with_e() {
    use csdeck::domain::health::HealthModel;
    use csdeck::state::{Action, AppState, Effect};
    use csdeck::storage::Db;
    let sandbox = Sandbox::new();
    let (ok, _, err) = import(&sandbox, &[fixture("salesforce_report.csv")]);
    assert!(ok, "{err}");
    let today = jiff::civil::date(2026, 11, 24);
    let mut db = Db::open(&sandbox.db()).unwrap();
    let book = db.load_book(today, &HealthModel::default()).unwrap();
    let mut state = AppState::new(book, today, HealthModel::default(), false);
    assert_eq!(state.visible.len(), 2);
    state.update(Action::OpenCommand);
    for ch in format!("import {}", fixture("hubspot_eu.csv")).chars() {
        state.update(Action::Edit(tui_input::InputRequest::InsertChar(ch)));
    }
    let effect = state.update(Action::Open).unwrap();
    assert!(matches!(effect, Effect::Import { .. }));
    let outcome = csdeck::app::carry_out(&mut db, effect);
    state.update(outcome);
    assert_eq!(state.visible.len(), 4);
    assert!(
        state.message.as_deref().unwrap().contains("2 added"),
        "{:?}",
        state.message
    );

    // A bad file: nothing imported, the reason shown, the book as it was.
    state.update(Action::OpenCommand);
    for ch in format!("import {}", fixture("dates_ambiguous.csv")).chars() {
        state.update(Action::Edit(tui_input::InputRequest::InsertChar(ch)));
    }
    let effect = state.update(Action::Open).unwrap();
    let outcome = csdeck::app::carry_out(&mut db, effect);
    state.update(outcome);
    assert_eq!(state.visible.len(), 4);
    assert!(
        state.message.as_deref().unwrap().contains("--date-order"),
        "{:?}",
        state.message
    );

    // `e` exports what is listed, named after it.
    state.update(Action::OpenFilter);
    for ch in "region = NA or country = DE".chars() {
        state.update(Action::Edit(tui_input::InputRequest::InsertChar(ch)));
    }
    state.update(Action::Open);
    let Some(Effect::Export {
        path,
        rows: shared,
        listed,
        what,
    }) = state.update(Action::Export)
    else {
        panic!("no export");
    };
    assert_eq!(path, "region-na-or-country-de-2026-11-24.csv");
    let written = sandbox.path(&path);
    let outcome = csdeck::app::carry_out(
        &mut db,
        Effect::Export {
            path: written.display().to_string(),
            rows: shared.clone(),
            listed: listed.clone(),
            what: what.clone(),
        },
    );
    state.update(outcome);
    let (_, rows) = parse_csv(&std::fs::read_to_string(&written).unwrap());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "001B");
    assert!(
        state
            .message
            .as_deref()
            .unwrap()
            .starts_with("exported 1 account to")
    );
    // A second export of the same name goes beside the first, never over it.
    let outcome = csdeck::app::carry_out(
        &mut db,
        Effect::Export {
            path: written.display().to_string(),
            rows: shared,
            listed,
            what,
        },
    );
    state.update(outcome);
    assert!(
        state
            .message
            .as_deref()
            .unwrap()
            .ends_with("-2026-11-24-2.csv"),
        "{:?}",
        state.message
    );
    assert!(
        sandbox
            .path("region-na-or-country-de-2026-11-24-2.csv")
            .exists()
    );
}

#[test]
fn a_json_export_reimports_with_its_tags_and_extra_columns() {
    let sandbox = Sandbox::new();
    let file = sandbox.write(
        "accounts.csv",
        "account_id,name,arr,Billing State\nJ-1,Jay,1000,TX\nJ-2,Kay,2000,\n",
    );
    assert!(
        sandbox
            .run(&["import", file.to_str().unwrap()])
            .status
            .success()
    );
    sandbox.run(&["tag", "add", "champion-left", "J-1"]);
    sandbox.run(&["tag", "add", "Q1 focus", "J-1"]);
    let json_path = sandbox.path("export.json");
    assert!(
        sandbox
            .run(&[
                "export",
                "--format",
                "json",
                "-o",
                json_path.to_str().unwrap()
            ])
            .status
            .success()
    );
    let other = Sandbox::new();
    let out = other.run(&["import", json_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let tags: serde_json::Value =
        serde_json::from_str(&stdout(&other.run(&["tag", "ls", "--format", "json"]))).unwrap();
    assert_eq!(
        tags,
        serde_json::json!([{"tag": "champion-left", "count": 1}, {"tag": "Q1 focus", "count": 1}])
    );
    let (_, rows) = csv_of(&other, &["--where", "\"Billing State\" = TX"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "J-1");
}

#[test]
fn one_bad_file_keeps_the_whole_import_out() {
    let sandbox = Sandbox::new();
    let good = sandbox.write("good.csv", "account_id,name\nG-1,Good\n");
    let bad = sandbox.write("bad.csv", "account_id,name,arr\nB-1,Bad,lots\n");
    let out = sandbox.run(&["import", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("another file of this import has bad rows"),
        "{}",
        stdout(&out)
    );
    assert!(
        !sandbox.db().exists(),
        "a first import that fails leaves no book"
    );
    let out = sandbox.run(&[
        "import",
        "--skip-invalid",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert_eq!(csv_of(&sandbox, &[]).1.len(), 1);
}

#[test]
fn your_first_accounts_replace_the_demo_book_and_names_find_existing_accounts() {
    let sandbox = Sandbox::new();
    {
        let mut db = csdeck::storage::Db::open(&sandbox.db()).unwrap();
        csdeck::demo::embedded::load(&mut db, jiff::civil::date(2026, 11, 24)).unwrap();
    }
    assert_eq!(csv_of(&sandbox, &[]).1.len(), 300);
    // A refused first import neither clears the demo book nor says it did.
    let broken = sandbox.write(
        "broken.csv",
        "Account ID,Account Name,ARR\nM-9,Bad Co,lots\n",
    );
    let (ok, json, _) = import(&sandbox, &[broken.display().to_string()]);
    assert!(!ok);
    assert!(
        !json.to_string().contains("demo book was cleared"),
        "{json}"
    );
    assert_eq!(csv_of(&sandbox, &[]).1.len(), 300);
    let mine = sandbox.write(
        "mine.csv",
        "Account ID,Account Name,ARR\nM-1,Tailspin Toys,\"$50,000\"\n",
    );
    let (ok, json, err) = import(&sandbox, &[mine.display().to_string()]);
    assert!(ok, "{err}");
    assert!(
        json.to_string().contains("the demo book was cleared"),
        "{json}"
    );
    let (_, rows) = csv_of(&sandbox, &[]);
    assert_eq!(rows.len(), 1);
    // A report without ids updates Tailspin Toys by its name instead of adding a second one.
    let report = sandbox.write(
        "report.csv",
        "Account Name,ARR\ntailspin toys,60000\nNew Co,100\n",
    );
    let (ok, json, err) = import(&sandbox, &[report.display().to_string()]);
    assert!(ok, "{err}");
    assert_eq!(counts(&json, 0), ("accounts".into(), 2, 1, 1, 0));
    let (header, rows) = csv_of(&sandbox, &["--where", "id = M-1"]);
    let arr = header.iter().position(|h| h == "arr").unwrap();
    assert_eq!(rows[0][arr], "60000.00");
}

#[test]
fn survey_dates_are_found_and_a_map_belongs_to_the_file_that_has_the_column() {
    let sandbox = Sandbox::new();
    let accounts = sandbox.write("accounts.csv", "account_id,name\nS-1,Survey Co\n");
    let survey = sandbox.write(
        "survey.csv",
        "Company,Respondent Email,Score,Comment,Date Submitted\nS-1,a@s.example,9,fine,2026-10-01\n",
    );
    let out = sandbox.run(&[
        "import",
        accounts.to_str().unwrap(),
        survey.to_str().unwrap(),
        "--map",
        "Company=account_id",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let nps: serde_json::Value =
        serde_json::from_str(&stdout(&sandbox.run(&["nps", "S-1", "--format", "json"]))).unwrap();
    assert_eq!(nps["responses"][0]["date"], "2026-10-01");
    let misspelt = sandbox.write("accounts2.csv", "account_id,name\nS-2,Other Co\n");
    let out = sandbox.run(&[
        "import",
        misspelt.to_str().unwrap(),
        "--map",
        "Firma=account_id",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no file of this import has a column \"Firma\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_markdown_brief_explains_each_account_for_a_renewal_meeting() {
    let sandbox = Sandbox::new();
    let accounts = sandbox.write(
        "accounts.csv",
        &format!(
            "{ACCOUNTS_HEADER}\nA-1,Acme,,,,,,50000,,USD,100,renewal,active,Dana,2025-01-01,2026-12-20\n\
             B-2,Beta,,,,,,9000,,USD,10,adoption,active,,2025-01-01,2027-06-01\n"
        ),
    );
    let usage = sandbox.write(
        "usage.csv",
        "account_id,date,active_users,last_login,open_tickets,overdue_invoices\nA-1,2026-11-20,30,2026-11-01,4,0\n",
    );
    let nps = sandbox.write(
        "nps.csv",
        "account_id,date,contact,score,comment\n\
         A-1,2026-06-01,kim@acme.example,9,Great onboarding\n\
         A-1,2026-10-01,kim@acme.example,3,\"Reports | exports break\nevery week\"\n",
    );
    let notes = sandbox.write(
        "notes.csv",
        "account_id,date,body\nA-1,2026-11-02,Pricing pushback before renewal\n",
    );
    let files = [&accounts, &usage, &nps, &notes].map(|p| p.to_str().unwrap().to_owned());
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let out = sandbox.run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let md = stdout(&sandbox.run(&["export", "--where", "id = A-1", "--format", "md"]));
    assert!(md.contains("\n## Acme (A-1)\n"), "{md}");
    assert!(
        md.contains("- ARR 50,000 USD · hybrid touch · renews 2026-12-20 (in 26d) · owner Dana"),
        "{md}"
    );
    assert!(md.contains("· weakest: utilization"), "{md}");
    assert!(md.contains("no input for adoption"), "{md}");
    assert!(md.contains("  - utilization 30 × "), "{md}");
    // Newest answer first, its comment on one line with the pipe escaped.
    let newest = md.find(
        "2026-10-01 · 3 (detractor) · kim@acme.example: \"Reports \\| exports break every week\"",
    );
    let older = md.find("2026-06-01 · 9 (promoter)");
    assert!(newest.is_some() && newest < older, "{md}");
    assert!(
        md.contains("  - 2026-11-02: Pricing pushback before renewal"),
        "{md}"
    );
    assert!(!md.contains("## Beta"), "{md}");
}
