//! NPS end to end on a hand-made book: the numbers equal a hand computation, `--since` moves the
//! window, the filter fields agree with the list, and the account view shows the comments.

mod common;

use common::{ACCOUNTS_HEADER, Sandbox, parse_csv, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeSet;

/// Today is 2026-11-24, so the default window runs from 2025-11-25.
fn fixture() -> Sandbox {
    let sandbox = Sandbox::new();
    let accounts = sandbox.write(
        "accounts.csv",
        &format!(
            "{ACCOUNTS_HEADER}\n\
             N-1,Northwind,,EMEA,,,,120000,,,,,active,,,\n\
             N-2,Southwind,,EMEA,,,,30000,,,,,active,,,\n\
             N-3,Eastwind,,NA,,,,8000,,,,,active,,,\n"
        ),
    );
    // N-1: ana answers twice (latest 10 counts), bo 8, cy 3, dee answered too long ago (0), and
    // one anonymous 9: counted 10, 8, 3, 9 -> 2 promoters, 1 passive, 1 detractor: NPS 25.
    // N-2: two detractors and a promoter: NPS -33. N-3: only an answer from 2024: no NPS.
    let nps = sandbox.write(
        "nps.csv",
        "account_id,date,contact,score,comment\n\
         N-1,2026-01-10,ana@north.example,2,\"Too slow.\nPlease fix the sync.\"\n\
         N-1,2026-09-01,Ana@North.example,10,Much better now\n\
         N-1,2026-06-01,bo@north.example,8,\n\
         N-1,2026-10-15,cy@north.example,3,Invoices are wrong\n\
         N-1,2025-11-24,dee@north.example,0,too old to count\n\
         N-1,2026-03-03,,9,anonymous praise\n\
         N-2,2026-02-01,eve@south.example,4,Schlecht übersetzt\n\
         N-2,2026-05-01,fay@south.example,6,\n\
         N-2,2026-08-01,gil@south.example,10,\n\
         N-3,2024-05-01,hal@east.example,9,\n",
    );
    let out = sandbox.run(&["import", accounts.to_str().unwrap(), nps.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    sandbox
}

fn json(sandbox: &Sandbox, args: &[&str]) -> Value {
    let mut full = vec!["nps", "--format", "json"];
    full.extend(args);
    let out = sandbox.run(&full);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn account_and_segment_nps_equal_the_hand_computation() {
    let sandbox = fixture();
    let north = json(&sandbox, &["N-1"]);
    assert_eq!(north["nps"], 25);
    assert_eq!(north["count"], 4);
    assert_eq!(
        (
            north["promoters"].clone(),
            north["passives"].clone(),
            north["detractors"].clone()
        ),
        (2.into(), 1.into(), 1.into())
    );
    assert_eq!(north["since"], "2025-11-25");
    let counted: BTreeSet<(String, u64)> = north["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_owned(),
                r["score"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, u64)> = [
        ("2026-09-01", 10),
        ("2026-06-01", 8),
        ("2026-10-15", 3),
        ("2026-03-03", 9),
    ]
    .iter()
    .map(|(d, s)| ((*d).to_owned(), *s))
    .collect();
    assert_eq!(counted, expected);
    assert_eq!(north["responses"][0]["date"], "2026-10-15", "newest first");
    assert_eq!(north["responses"][0]["category"], "detractor");
    assert_eq!(north["responses"][0]["account_id"], "N-1");

    let south = json(&sandbox, &["Southwind"]);
    assert_eq!(
        (south["nps"].clone(), south["count"].clone()),
        ((-33).into(), 3.into())
    );
    let east = json(&sandbox, &["N-3"]);
    assert_eq!(
        (east["nps"].clone(), east["count"].clone()),
        (Value::Null, 0.into())
    );

    // A segment: EMEA counts North's 4 and South's 3: 3 promoters, 1 passive, 3 detractors.
    let emea = json(&sandbox, &["--where", "region = EMEA"]);
    assert_eq!(
        (emea["nps"].clone(), emea["count"].clone()),
        (0.into(), 7.into())
    );
    assert_eq!(emea["small_n"], true);
    let all = json(&sandbox, &[]);
    assert_eq!(all["count"], 7);
}

#[test]
fn since_moves_the_window() {
    let sandbox = fixture();
    // From 2026-07-01: ana's 10, cy's 3 (N-1) and gil's 10 (N-2).
    let late = json(&sandbox, &["--since", "2026-07-01"]);
    assert_eq!(
        (late["count"].clone(), late["nps"].clone()),
        (3.into(), 33.into())
    );
    assert_eq!(late["since"], "2026-07-01");
    // Far back, ana's latest answer still wins and dee's old one counts.
    let early = json(&sandbox, &["N-1", "--since", "2025-01-01"]);
    assert_eq!(early["count"], 5);
    let out = sandbox.run(&["nps", "--since", "2027-01-01"]);
    assert_eq!(out.status.code(), Some(2));
    let out = sandbox.run(&["nps", "--since", "soon"]);
    assert_eq!(out.status.code(), Some(2));
    let out = sandbox.run(&["nps", "N-1", "--where", "arr > 0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_filter_fields_agree_with_the_list_columns() {
    let sandbox = fixture();
    let out = sandbox.run(&["accounts", "--format", "csv"]);
    let (header, rows) = parse_csv(&stdout(&out));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for row in &rows {
        let json = json(&sandbox, &[&row[0]]);
        assert_eq!(
            row[col("nps")],
            json["nps"]
                .as_i64()
                .map_or(String::new(), |n| n.to_string())
        );
        assert_eq!(row[col("nps_count")], json["count"].to_string());
    }
    let ids = |expression: &str| -> Vec<String> {
        let out = sandbox.run(&["accounts", "--where", expression, "--format", "csv"]);
        parse_csv(&stdout(&out))
            .1
            .into_iter()
            .map(|r| r[0].clone())
            .collect()
    };
    assert_eq!(ids("nps > 0"), ["N-1"]);
    assert_eq!(ids("nps < 0"), ["N-2"]);
    // North's mean of 10, 8, 3, 9 is 7.5: a passive; South's 6.7 a detractor.
    assert_eq!(ids("nps_category = passive"), ["N-1"]);
    assert_eq!(ids("nps_category = detractor"), ["N-2"]);
    assert_eq!(ids("nps_category = none"), ["N-3"]);
    assert_eq!(ids("nps_score >= 7.5"), ["N-1"]);
}

#[test]
fn the_text_table_is_ready_for_a_qbr_deck() {
    let sandbox = fixture();
    let out = sandbox.run(&["nps", "--segment", "hybrid touch"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("NPS -33 (n=3, small n) from 2025-11-25 to 2026-11-24"),
        "{text}"
    );
    assert!(
        text.contains("1 promoter (33%) · 0 passives (0%) · 2 detractors (67%)"),
        "{text}"
    );
    assert!(text.contains("Schlecht übersetzt"), "{text}");
    let single = stdout(&sandbox.run(&["nps", "N-1"]));
    assert!(single.contains("Much better now"), "{single}");
    assert!(
        !single.contains("account "),
        "one account needs no account column: {single}"
    );
}

#[test]
fn each_quarter_counts_its_own_answers() {
    let sandbox = fixture();
    // 2026 Q1 for N-1: ana 2 (Jan), anonymous 9 (Mar); N-2: eve 4 (Feb). Ana's later answer
    // does not erase her Q1 answer from Q1: 1 promoter, 2 detractors = -33 (n=3).
    let json = json(&sandbox, &["--since", "2026-01-01"]);
    let quarters = json["quarters"].as_array().unwrap();
    let q1 = quarters.iter().find(|q| q["quarter"] == "2026 Q1").unwrap();
    assert_eq!(
        (q1["count"].clone(), q1["nps"].clone()),
        (3.into(), (-33).into())
    );
}
