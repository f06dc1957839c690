//! The triage queue end to end: a fixture book whose queue is written out by hand, done and
//! snooze kept across runs and expiring on their day, the timeline's sources, notes search.

mod common;

use common::{ACCOUNTS_HEADER, Sandbox, TODAY, stderr, stdout};
use serde_json::Value;

/// Five accounts on 2026-11-24, each built to trip known signals (or none):
/// - A1 renews in 20 days, at-risk (67), 40 of 100 seats used; 200k ARR.
/// - A2 fell from 99 thirty days ago to a critical 49: seats from 95 to 40 used, 12 tickets,
///   no login since 2026-11-02; 50k ARR.
/// - A3 got a detractor answer 3 days ago and has 2 overdue invoices; 10k ARR.
/// - A4 is healthy: nothing fires.
/// - A5 is churned and inactive: skipped.
fn fixture() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.write(
        "accounts.csv",
        &format!(
            "{ACCOUNTS_HEADER}\n\
             A1,Acme,Software,EMEA,DE,100,Pro,200000,,USD,100,renewal,active,Kim,2024-01-01,2026-12-14\n\
             A2,Birch,Retail,NA,US,100,Pro,50000,,USD,100,adoption,active,Kim,2024-01-01,2027-09-01\n\
             A3,Cedar,Media,APAC,JP,100,Pro,10000,,USD,100,adoption,active,Kim,2024-01-01,2027-09-01\n\
             A4,Dune,Media,APAC,JP,100,Pro,10000,,USD,100,adoption,active,Kim,2024-01-01,2027-09-01\n\
             A5,Elm,Media,APAC,JP,100,Pro,90000,,USD,100,churned,churned,Kim,2024-01-01,2026-12-01\n"
        ),
    );
    sandbox.write(
        "usage.csv",
        "account_id,date,active_users,logins_30d,last_login,feature_adoption,onboarding,open_tickets,csat,overdue_invoices\n\
         A1,2026-11-20,40,40,2026-11-23,60,100,5,,0\n\
         A2,2026-10-24,95,90,2026-10-23,90,100,0,,0\n\
         A2,2026-11-20,40,10,2026-11-02,90,100,12,,0\n\
         A3,2026-11-20,90,80,2026-11-23,90,100,0,,2\n\
         A4,2026-11-20,90,80,2026-11-23,90,100,0,,0\n\
         A5,2026-11-20,5,1,2026-09-01,10,100,9,,3\n",
    );
    sandbox.write(
        "nps.csv",
        "account_id,date,contact,score,comment\n\
         A3,2026-06-01,ana@cedar.example,9,Love it\n\
         A3,2026-11-21,ana@cedar.example,3,API limits hurt us\n\
         A4,2026-10-01,bo@dune.example,10,Great\n",
    );
    let out = sandbox.run(&["import", "accounts.csv", "usage.csv", "nps.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    sandbox
}

fn queue(sandbox: &Sandbox, today: &str, all: bool) -> Value {
    let mut args = vec!["triage", "--format", "json"];
    if all {
        args.push("--all");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_csdeck"))
        .current_dir(sandbox.dir.path())
        .env("CSDECK_TODAY", today)
        .env("CSDECK_CONFIG_DIR", sandbox.dir.path())
        .arg("--db")
        .arg(sandbox.db())
        .args(&args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// (id, [reasons]) of each listed item, in rank order.
fn listed(queue: &Value) -> Vec<(String, Vec<String>)> {
    queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["id"].as_str().unwrap().to_owned(),
                item["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["reason"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn the_fixture_queue_is_the_one_written_out_by_hand() {
    let sandbox = fixture();
    let queue = queue(&sandbox, TODAY, false);
    assert_eq!(queue["date"], TODAY);
    assert_eq!(queue["open"], 3);
    let items = listed(&queue);
    let ids: Vec<&str> = items.iter().map(|(id, _)| id.as_str()).collect();
    // Priority = sum of weight x urgency, x (1 + log10(ARR / 1k)):
    // A2 (30x1 + 20x0.79 + 25x0.51 + 15x0.6) x 2.70 = 182; A1 (40x0.83 + 15x0.6) x 3.30 = 140;
    // A3 (30x0.89 + 20x0.75) x 2 = 84.
    assert_eq!(ids, ["A2", "A1", "A3"], "{queue:#}");
    let (_, birch) = &items[0];
    assert_eq!(
        birch,
        &vec![
            "health fell 50 points in 30 days, 99 to 49 (utilization, support load)".to_owned(),
            "no login for 22 days".to_owned(),
            "critical health (49), weakest: support load".to_owned(),
            "utilization 40% and falling from 95%".to_owned(),
        ]
    );
    let priority = queue["items"][0]["priority"].as_f64().unwrap();
    assert!((priority - 182.0).abs() < 2.0, "{priority}");
    let (_, acme) = &items[1];
    assert_eq!(
        acme,
        &vec![
            "renews in 20 days and at-risk (67)".to_owned(),
            "utilization 40%".to_owned()
        ]
    );
    let (_, cedar) = &items[2];
    assert_eq!(
        cedar,
        &vec![
            // Ana was a promoter (9) before: news.
            "new detractor (3, was 9) 3 days ago: 'API limits hurt us'".to_owned(),
            "2 overdue invoices".to_owned(),
        ]
    );
    // The table for people says the same, with the count first.
    let out = sandbox.run(&["triage"]);
    let text = stdout(&out);
    assert!(text.starts_with("3 accounts · need you now"), "{text}");
    assert!(text.contains("API limits hurt us"), "{text}");
    // CSV for scripts: a header, then one row per open item.
    let (header, rows) = common::parse_csv(&stdout(&sandbox.run(&["triage", "--format", "csv"])));
    assert_eq!(header[..3], ["rank", "id", "name"]);
    assert_eq!(rows.len(), 3);
}

#[test]
fn done_and_snooze_persist_and_a_snooze_ends_on_its_day() {
    let sandbox = fixture();
    let out = sandbox.run(&["triage", "done", "A3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Cedar: done"), "{}", stdout(&out));
    let out = sandbox.run(&["triage", "snooze", "Acme", "--days", "3"]);
    assert!(stdout(&out).contains("snoozed until 2026-11-27"));
    // Another run (another day, before the snooze ends) still remembers both.
    let later = queue(&sandbox, "2026-11-26", false);
    assert_eq!(later["open"], 1, "{later:#}");
    let all = queue(&sandbox, "2026-11-26", true);
    let status = |id: &str| {
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .map(|i| (i["status"].clone(), i["until"].clone()))
    };
    assert_eq!(status("A3").unwrap().0, "done");
    assert_eq!(
        status("A1").unwrap(),
        (Value::from("snoozed"), Value::from("2026-11-27"))
    );
    // On the 27th the snooze is over: Acme is back.
    let back = queue(&sandbox, "2026-11-27", false);
    let ids: Vec<String> = listed(&back).into_iter().map(|(id, _)| id).collect();
    assert!(ids.contains(&"A1".to_owned()), "{back:#}");
    assert!(!ids.contains(&"A3".to_owned()), "{back:#}");
    // A reopen puts the done item back.
    assert!(sandbox.run(&["triage", "reopen", "A3"]).status.success());
    assert_eq!(queue(&sandbox, TODAY, false)["open"], 2);
}

#[test]
fn a_new_signal_brings_a_done_item_back() {
    let sandbox = fixture();
    assert!(sandbox.run(&["triage", "done", "A3"]).status.success());
    assert_eq!(queue(&sandbox, TODAY, false)["open"], 2);
    // A new detractor answer from someone else: a new signal fingerprint.
    sandbox.write(
        "more.csv",
        "account_id,date,contact,score,comment\nA3,2026-11-23,raj@cedar.example,2,Support is slow\n",
    );
    assert!(sandbox.run(&["import", "more.csv"]).status.success());
    let queue = queue(&sandbox, TODAY, false);
    let cedar = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "A3")
        .cloned()
        .expect("back in the queue");
    assert_eq!(cedar["status"], "back");
    assert!(
        cedar["reasons"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("Support is slow")
    );
    assert_eq!(cedar["reasons"][0]["new"], true);
}

#[test]
fn bad_triage_commands_change_nothing_and_say_why() {
    let sandbox = fixture();
    for (args, expected) in [
        (vec!["triage", "done", "NOPE"], "no account"),
        (vec!["triage", "done", "A4"], "not in the triage queue"),
        (
            vec!["triage", "snooze", "A3", "--days", "0"],
            "1 to 365 days",
        ),
        (vec!["triage", "reopen", "A3"], "in the queue already"),
    ] {
        let out = sandbox.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).to_lowercase().contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(queue(&sandbox, TODAY, false)["open"], 3);
    // A broken signal file is refused with its key.
    sandbox.write("triage.toml", "[signals.inactive]\ndays = -1\n");
    let out = sandbox.run(&["triage"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("signals.inactive.days"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_timeline_sources_record_imports_tags_and_notes() {
    let sandbox = fixture();
    assert!(
        sandbox
            .run(&["tag", "add", "exec sponsor", "A1"])
            .status
            .success()
    );
    assert!(
        sandbox
            .run(&["tag", "rm", "exec sponsor", "A1"])
            .status
            .success()
    );
    sandbox.write(
        "accounts2.csv",
        &format!(
            "{ACCOUNTS_HEADER}\nA1,Acme,Software,EMEA,DE,100,Enterprise,240000,,USD,100,renewal,active,Kim,2024-01-01,2026-12-14\n"
        ),
    );
    assert!(sandbox.run(&["import", "accounts2.csv"]).status.success());
    let db = csdeck::storage::Db::open(&sandbox.db()).unwrap();
    let key = db.keys_of(&["A1".to_owned()]).unwrap()[0];
    let events: Vec<String> = db
        .events(key)
        .unwrap()
        .iter()
        .map(|e| format!("{:?} {}", e.kind, e.detail))
        .collect();
    assert_eq!(
        events,
        [
            "Import added from accounts.csv",
            "TagAdded exec sponsor",
            "TagRemoved exec sponsor",
            "Import accounts2.csv: plan Pro → Enterprise, arr 200.0k → 240.0k",
        ]
    );
    // Notes are found by words, any case, the last word as a prefix.
    let mut db = db;
    db.add_note(
        key,
        "Procurement freeze until Q2\nask Ana again",
        common_today(),
    )
    .unwrap();
    let hits = db.search_notes("procure", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].account, "Acme");
    assert!(hits[0].snippet.contains("Procurement freeze"));
    assert!(db.search_notes("ana FREEZE", 10).unwrap().len() == 1);
    assert!(db.search_notes("nothing-like-it", 10).unwrap().is_empty());
    // FTS syntax in the words is only text.
    assert!(db.search_notes("\"freeze OR", 10).unwrap().is_empty());
}

fn common_today() -> csdeck::domain::Date {
    TODAY.parse().unwrap()
}

#[test]
fn an_id_in_another_case_finds_its_account() {
    let sandbox = fixture();
    let out = sandbox.run(&["triage", "done", "a3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Cedar: done"));
}
