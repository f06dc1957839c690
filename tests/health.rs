//! Health end to end: the CLI's breakdown adds up for every account and matches the listing,
//! the model is configurable and a broken config is refused, and new snapshots move the score.

mod common;

use common::{ACCOUNTS_HEADER, Sandbox, parse_csv, stderr, stdout};
use serde_json::Value;

fn demo_sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    let data = sandbox.path("data");
    let out = sandbox.run(&[
        "demo",
        "--accounts",
        "120",
        "--seed",
        "11",
        "--csv-dir",
        data.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files: Vec<String> = ["accounts", "usage", "nps", "tags", "notes"]
        .iter()
        .map(|k| data.join(format!("{k}.csv")).display().to_string())
        .collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    assert!(sandbox.run(&args).status.success());
    sandbox
}

fn health_json(sandbox: &Sandbox, account: &str) -> Value {
    let out = sandbox.run(&["health", account, "--format", "json"]);
    assert!(out.status.success(), "{account}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn every_breakdown_adds_up_and_matches_the_listing() {
    let sandbox = demo_sandbox();
    let listed = sandbox.run(&["accounts", "--format", "csv"]);
    let (header, rows) = parse_csv(&stdout(&listed));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut scored = 0;
    for row in &rows {
        let json = health_json(&sandbox, &row[0]);
        assert_eq!(json["id"], row[0].as_str());
        let Some(score) = json["score"].as_i64() else {
            assert_eq!(row[col("health")], "");
            continue;
        };
        scored += 1;
        assert_eq!(row[col("health")], score.to_string(), "{}", row[0]);
        assert_eq!(json["band"], row[col("band")].as_str());
        let components = json["components"].as_array().unwrap();
        let weights: f64 = components
            .iter()
            .map(|c| c["weight"].as_f64().unwrap())
            .sum();
        let points: f64 = components
            .iter()
            .map(|c| c["contribution"].as_f64().unwrap())
            .sum();
        assert!(
            (weights - 100.0).abs() <= 0.31,
            "{}: weights {weights}",
            row[0]
        );
        assert!(
            (points - score as f64).abs() <= 1.0,
            "{}: {points} vs {score}",
            row[0]
        );
        let lost =
            |c: &Value| c["weight"].as_f64().unwrap() * (100.0 - c["score"].as_f64().unwrap());
        let weakest = components
            .iter()
            .max_by(|a, b| lost(a).total_cmp(&lost(b)))
            .unwrap();
        assert_eq!(json["weakest"], weakest["name"], "{}", row[0]);
        let next = json["points_to_next_band"].as_i64();
        match score {
            75.. => assert_eq!(next, None),
            50..=74 => assert_eq!(next, Some(75 - score)),
            _ => assert_eq!(next, Some(50 - score)),
        }
        assert!(!json["history"].as_array().unwrap().is_empty());
    }
    assert!(scored > 100, "only {scored} accounts had a score");
}

#[test]
fn a_better_snapshot_raises_the_score_and_adds_a_history_point() {
    let sandbox = Sandbox::new();
    let accounts = sandbox.write(
        "accounts.csv",
        &format!("{ACCOUNTS_HEADER}\nA-1,Acme,,,,,,50000,,USD,100,adoption,active,,2025-01-01,2027-01-01\n"),
    );
    let weak = sandbox.write(
        "usage1.csv",
        "account_id,date,active_users,last_login,open_tickets,overdue_invoices\nA-1,2026-10-01,20,2026-09-01,6,1\n",
    );
    assert!(
        sandbox
            .run(&["import", accounts.to_str().unwrap(), weak.to_str().unwrap()])
            .status
            .success()
    );
    let before = health_json(&sandbox, "A-1");
    assert_eq!(before["history"].as_array().unwrap().len(), 1);
    assert_eq!(before["weakest"], "login recency");
    let better = sandbox.write(
        "usage2.csv",
        "account_id,date,active_users,last_login,open_tickets,overdue_invoices\nA-1,2026-11-23,85,2026-11-22,0,0\n",
    );
    assert!(
        sandbox
            .run(&["import", better.to_str().unwrap()])
            .status
            .success()
    );
    let after = health_json(&sandbox, "Acme");
    assert!(
        after["score"].as_i64() > before["score"].as_i64(),
        "{before} -> {after}"
    );
    let history = after["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["date"], "2026-11-23");
    assert!(history[1]["score"].as_i64() > history[0]["score"].as_i64());
    // The October point was scored as of October: a month-old login then, not today's gap.
    assert_eq!(history[0]["score"], before["history"][0]["score"]);

    let text = sandbox.run(&["health", "acme"]);
    let text = stdout(&text);
    assert!(text.contains("85 of 100 seats active"), "{text}");
    assert!(text.contains("last login 2 days ago"), "{text}");
    // No NPS answer and no adoption figures: the score says what it rests on.
    assert_eq!(after["missing"], serde_json::json!(["nps", "adoption"]));
    assert_eq!(after["coverage"], 70.0);
    assert!(
        text.contains("no input for nps, adoption (70% of the weight had input)\n"),
        "{text}"
    );
}

#[test]
fn an_unknown_account_suggests_the_closest_names() {
    let sandbox = demo_sandbox();
    let out = sandbox.run(&["health", "ACC-99999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no account has the id or name"),
        "{}",
        stderr(&out)
    );
    let listed = sandbox.run(&["accounts", "--format", "csv", "--limit", "1"]);
    let (_, rows) = parse_csv(&stdout(&listed));
    let name = &rows[0][1];
    let typo = &name[..name.len() - 1];
    let out = sandbox.run(&["health", typo]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(name.as_str()), "{}", stderr(&out));
}

#[test]
fn the_model_is_configurable_and_a_broken_one_is_refused() {
    let sandbox = demo_sandbox();
    let default = health_json(&sandbox, "ACC-0001");
    // Only utilization counts: the score becomes its component score.
    sandbox.write(
        "health.toml",
        "[components.login_recency]\nweight = 0\n[components.nps]\nweight = 0\n\
         [components.support_load]\nweight = 0\n[components.adoption]\nweight = 0\n\
         [components.payment]\nweight = 0\n[bands]\nhealthy = 90\nat_risk = 60\n",
    );
    let only_util = health_json(&sandbox, "ACC-0001");
    let components = only_util["components"].as_array().unwrap();
    assert_eq!(components.len(), 1);
    assert_eq!(components[0]["name"], "utilization");
    assert_eq!(components[0]["weight"], 100.0);
    assert_ne!(only_util["components"], default["components"]);
    let listed = sandbox.run(&["accounts", "--where", "id = ACC-0001", "--format", "csv"]);
    let (header, rows) = parse_csv(&stdout(&listed));
    let health = header.iter().position(|h| h == "health").unwrap();
    assert_eq!(
        rows[0][health],
        only_util["score"].as_i64().unwrap().to_string()
    );

    sandbox.write("health.toml", "[components.nps]\nweight = -3\n");
    for args in [vec!["accounts"], vec!["health", "ACC-0001"], vec![]] {
        let out = sandbox.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("health.toml") && err.contains("components.nps.weight"),
            "{err}"
        );
        assert!(
            err.contains("remove it to use the default health model"),
            "{err}"
        );
    }
}
