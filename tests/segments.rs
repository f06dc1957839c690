//! The filter language and segments end to end on a small hand-made book, where every expected
//! answer was worked out by hand (today is 2026-11-24).

mod common;

use common::{ACCOUNTS_HEADER, Sandbox, parse_csv, stderr, stdout};
use std::collections::BTreeSet;

fn fixture() -> Sandbox {
    let sandbox = Sandbox::new();
    let accounts = format!(
        "{ACCOUNTS_HEADER},Billing State\n\
ACC-01,Acme Corp,Software,EMEA,Germany,500,Enterprise,150000,,USD,100,renewal,active,Zoë Åberg,2024-01-01,2026-12-10,TX\n\
ACC-02,Beta LLC,Retail,APAC,Japan,50,Growth,30000,,USD,40,adoption,active,Sam Lee,2025-06-01,2027-06-01,CA\n\
ACC-03,Gamma; DROP TABLE accounts;--,Media,LATAM,Brazil,10,Starter,3000,,USD,10,onboarding,active,Sam Lee,2026-08-01,2027-08-01,\n\
ACC-04,Delta,Healthcare,NA,United States,5,Starter,4000,,USD,5,trial,trial,Sam Lee,2026-11-10,2026-12-10,\n\
ACC-05,Epsilon,Software,EMEA,France,300,Business,80000,,USD,200,churned,churned,Zoë Åberg,2023-01-01,2026-06-01,\n\
ACC-06,Zeta,Energy,NA,Canada,1000,Enterprise,250000,,USD,500,expansion,active,Zoë Åberg,2022-01-01,2027-02-15,\n\
ACC-07,Eta,,,,,,,,,,adoption,active,,,,\n\
ACC-08,Theta,Software,APAC,Australia,100,Growth,10000,,USD,20,renewal,active,Sam Lee,2025-01-01,2027-01-10,\n"
    );
    let usage = "account_id,date,active_users,logins_30d,last_login,feature_adoption,onboarding,open_tickets,csat,overdue_invoices\n\
ACC-01,2026-10-20,90,900,2026-10-19,88,100,1,90,0\n\
ACC-01,2026-11-20,95,950,2026-11-23,90,100,0,95,0\n\
ACC-02,2026-11-20,10,40,2026-11-10,40,100,4,70,0\n\
ACC-03,2026-11-20,8,60,2026-11-22,50,40,0,85,0\n\
ACC-04,2026-11-20,3,20,2026-11-20,30,60,0,80,0\n\
ACC-05,2026-05-20,20,30,2026-04-01,20,100,6,50,2\n\
ACC-06,2026-11-20,480,9000,2026-11-24,95,100,1,92,0\n\
ACC-08,2026-11-15,12,30,2026-10-20,45,100,2,75,0\n";
    let nps = "account_id,date,contact,score,comment\n\
ACC-01,2026-09-01,a@acme.example,10,Love it\n\
ACC-01,2026-10-01,b@acme.example,9,\n\
ACC-02,2026-07-01,c@beta.example,3,Support is slow\n\
ACC-06,2026-10-01,d@zeta.example,8,\n\
ACC-08,2025-01-01,e@theta.example,9,old answer\n\
ACC-05,2026-03-01,f@eps.example,2,\n";
    let tags =
        "account_id,tag\nACC-01,Q1 focus\nACC-02,exec-sponsor\nACC-06,Q1 focus\nACC-08,churned\n";
    let files = [
        sandbox.write("accounts.csv", &accounts),
        sandbox.write("usage.csv", usage),
        sandbox.write("nps.csv", nps),
        sandbox.write("tags.csv", tags),
    ];
    let mut args = vec!["import"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let out = sandbox.run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    sandbox
}

fn ids(sandbox: &Sandbox, args: &[&str]) -> BTreeSet<String> {
    let mut full = vec!["accounts", "--format", "csv"];
    full.extend(args);
    let out = sandbox.run(&full);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let (_, rows) = parse_csv(&stdout(&out));
    rows.into_iter().map(|r| r[0].clone()).collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn every_built_in_segment_holds_the_hand_computed_accounts() {
    let sandbox = fixture();
    let expected: &[(&str, &[&str])] = &[
        ("high touch", &["ACC-01", "ACC-06"]),
        ("hybrid touch", &["ACC-02", "ACC-05"]),
        ("low touch", &["ACC-08"]),
        ("digital touch", &["ACC-03", "ACC-04"]),
        ("trial stage", &["ACC-04"]),
        ("onboarding stage", &["ACC-03"]),
        ("adoption stage", &["ACC-02", "ACC-07"]),
        ("expansion stage", &["ACC-06"]),
        ("renewal stage", &["ACC-01", "ACC-08"]),
        ("churned stage", &["ACC-05"]),
        ("promoters", &["ACC-01"]),
        ("passives", &["ACC-06"]),
        ("detractors", &["ACC-02", "ACC-05"]),
        ("no nps", &["ACC-03", "ACC-04", "ACC-07", "ACC-08"]),
        ("renewing in 30 days", &["ACC-01", "ACC-04"]),
        ("renewing in 60 days", &["ACC-01", "ACC-04", "ACC-08"]),
        (
            "renewing in 90 days",
            &["ACC-01", "ACC-04", "ACC-06", "ACC-08"],
        ),
        ("inactive 7+ days", &["ACC-02", "ACC-08"]),
        ("inactive 30+ days", &["ACC-08"]),
        ("low utilization", &["ACC-02"]),
        ("upsell candidates", &["ACC-01", "ACC-06"]),
        ("onboarding stalled", &["ACC-03"]),
        ("trials", &["ACC-04"]),
        ("churned", &["ACC-05"]),
    ];
    for (segment, members) in expected {
        assert_eq!(
            ids(&sandbox, &["--segment", segment]),
            set(members),
            "segment {segment}"
        );
    }
    // Health bands split the accounts that have a score by their `health` column.
    let out = sandbox.run(&["accounts", "--format", "csv"]);
    let (header, rows) = parse_csv(&stdout(&out));
    let health = header.iter().position(|h| h == "health").unwrap();
    let status = header.iter().position(|h| h == "status").unwrap();
    for (segment, range) in [
        ("healthy", 75..=100),
        ("at-risk", 50..=74),
        ("critical", 0..=49),
    ] {
        // The band segments leave churned accounts out.
        let by_hand: BTreeSet<String> = rows
            .iter()
            .filter(|r| r[status] != "churned")
            .filter(|r| r[health].parse::<i32>().is_ok_and(|h| range.contains(&h)))
            .map(|r| r[0].clone())
            .collect();
        assert_eq!(ids(&sandbox, &["--segment", segment]), by_hand, "{segment}");
    }
    assert!(ids(&sandbox, &["--segment", "healthy"]).contains("ACC-01"));
    assert!(!ids(&sandbox, &["--segment", "healthy"]).contains("ACC-02"));
}

#[test]
fn expressions_a_csm_writes_list_exactly_the_right_accounts() {
    let sandbox = fixture();
    let cases: &[(&str, &[&str])] = &[
        // Renewals already past (ACC-05's, in June) are not "within 30 days"...
        (
            "renewal <= 30d and (band = critical or nps_category = detractor) and not tag:churned",
            &[],
        ),
        // ...they are asked for as overdue.
        ("renewal < 0d", &["ACC-05"]),
        ("renewal <= 30d", &["ACC-01", "ACC-04"]),
        // Today is inside every window, the overdue are in none: `<= 0d` is not `< 0d`.
        ("renewal <= 0d", &[]),
        ("renewal <= 1d", &[]),
        // ACC-07 has no score, so it is not "not healthy" either.
        ("band != healthy and status = active", &["ACC-02", "ACC-08"]),
        ("arr >= 100k and region in (EMEA, APAC)", &["ACC-01"]),
        ("name ~ \"acme\"", &["ACC-01"]),
        ("segment:\"upsell candidates\"", &["ACC-01", "ACC-06"]),
        ("segment:upsell-candidates and region = NA", &["ACC-06"]),
        (
            "region in (APAC, LATAM) and plan != Starter",
            &["ACC-02", "ACC-08"],
        ),
        ("owner = \"Zoë Åberg\" and seats > 200", &["ACC-06"]),
        ("owner = \"zoë åberg\"", &["ACC-01", "ACC-05", "ACC-06"]),
        ("tag:\"Q1 focus\"", &["ACC-01", "ACC-06"]),
        ("tag:q1-focus or tag:EXEC-SPONSOR", &["ACC-02"]),
        ("\"Billing State\" = TX", &["ACC-01"]),
        ("extra.\"Billing State\" ~ a", &["ACC-02"]),
        ("id = ACC-03", &["ACC-03"]),
        ("name = \"Gamma; DROP TABLE accounts;--\"", &["ACC-03"]),
        ("name = \"x' OR 1=1 --\"", &[]),
        ("name ~ \"'; DELETE FROM accounts; --\"", &[]),
        ("renewal <= 2026-12-31", &["ACC-01", "ACC-04", "ACC-05"]),
        ("last_login > 2w", &["ACC-05", "ACC-08"]),
        ("last_login >= 2w", &["ACC-02", "ACC-05", "ACC-08"]),
        (
            "not region = EMEA",
            &["ACC-02", "ACC-03", "ACC-04", "ACC-06", "ACC-07", "ACC-08"],
        ),
        (
            "region != EMEA",
            &["ACC-02", "ACC-03", "ACC-04", "ACC-06", "ACC-08"],
        ),
        ("employees >= 1k", &["ACC-06"]),
        ("arr < 5k or arr >= 0.2m", &["ACC-03", "ACC-04", "ACC-06"]),
        ("utilization >= 90%", &["ACC-01", "ACC-06"]),
        ("nps >= 0 and nps_score < 9", &["ACC-06"]),
        ("tier = none", &["ACC-07"]),
        (
            "band != none and status = active and tickets >= 2",
            &["ACC-02", "ACC-08"],
        ),
        (
            "industry in (software, \"HEALTHCARE\")",
            &["ACC-01", "ACC-04", "ACC-05", "ACC-08"],
        ),
        ("contract_start < 30d", &["ACC-04"]),
    ];
    for (expression, expected) in cases {
        assert_eq!(
            ids(&sandbox, &["--where", expression]),
            set(expected),
            "{expression}"
        );
    }
    // The injection attempt was only ever a string: every account is still there.
    assert_eq!(ids(&sandbox, &[]).len(), 8);
}

#[test]
fn bad_expressions_exit_2_and_point_at_the_column() {
    let sandbox = fixture();
    let cases = [
        ("arr >>= 5", "column 5: expected a value after '>'"),
        (
            "regoin = EMEA",
            "column 1: unknown field 'regoin': did you mean 'region'?",
        ),
        ("\"Biling State\" = TX", "did you mean 'Billing State'?"),
        ("tier = hihg", "column 8: 'hihg' is not a tier"),
        ("arr > lots", "expected a number for arr"),
        ("region > EMEA", "does not apply to region"),
        ("segment:nope", "no segment is named 'nope'"),
        ("(region = EMEA", "expected ')'"),
    ];
    for (expression, message) in cases {
        let out = sandbox.run(&["accounts", "--where", expression]);
        assert_eq!(out.status.code(), Some(2), "{expression}");
        assert!(
            stderr(&out).contains(message),
            "{expression}: {}",
            stderr(&out)
        );
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    }
    let deep = format!("{}arr > 1{}", "(".repeat(20_000), ")".repeat(20_000));
    let out = sandbox.run(&["accounts", "--where", &deep]);
    assert_eq!(out.status.code(), Some(2));
    let nots = format!("{}arr > 1", "not ".repeat(500));
    let out = sandbox.run(&["accounts", "--where", &nots]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nests deeper"), "{}", stderr(&out));
}

#[test]
fn segments_lists_every_segment_with_figures_that_match_accounts() {
    let sandbox = fixture();
    let out = sandbox.run(&["segments", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let segments = json.as_array().unwrap();
    assert!(segments.len() >= 27);
    for segment in segments {
        let name = segment["name"].as_str().unwrap();
        for key in [
            "expression",
            "builtin",
            "count",
            "arr",
            "avg_health",
            "nps",
            "nps_count",
        ] {
            assert!(segment.get(key).is_some(), "{name} lacks {key}");
        }
        let listed = ids(&sandbox, &["--segment", name]);
        assert_eq!(
            segment["count"].as_u64().unwrap() as usize,
            listed.len(),
            "{name}"
        );
    }
    let promoters = segments.iter().find(|s| s["name"] == "promoters").unwrap();
    assert_eq!(promoters["arr"], 150000.0);
    assert_eq!(promoters["nps"], 100);
    assert_eq!(promoters["nps_count"], 2);
    let detractors = segments.iter().find(|s| s["name"] == "detractors").unwrap();
    assert_eq!(detractors["nps"], -100);

    let csv = sandbox.run(&["segments", "--format", "csv"]);
    let (header, rows) = parse_csv(&stdout(&csv));
    assert_eq!(
        header,
        [
            "name",
            "expression",
            "builtin",
            "count",
            "arr",
            "avg_health",
            "nps",
            "nps_count"
        ]
    );
    assert_eq!(rows.len(), segments.len());
}

#[test]
fn saved_segments_nest_refuse_cycles_and_protect_what_uses_them() {
    let sandbox = fixture();
    let ok = |args: &[&str]| {
        let out = sandbox.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    let fail = |args: &[&str], message: &str| {
        let out = sandbox.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    };
    assert!(ok(&["segment", "save", "big", "arr >= 100k"]).contains("2 accounts"));
    ok(&[
        "segment",
        "save",
        "Big renewals",
        "segment:big and renewal <= 90d",
    ]);
    assert_eq!(
        ids(&sandbox, &["--segment", "big-renewals"]),
        set(&["ACC-01", "ACC-06"])
    );
    fail(
        &["segment", "save", "big", "segment:\"Big renewals\""],
        "refers back to itself",
    );
    fail(
        &["segment", "save", "loop", "segment:loop"],
        "refers back to itself",
    );
    fail(&["segment", "save", "healthy", "arr > 1"], "built-in");
    fail(&["segment", "save", "bad", "arr >"], "expected a value");
    fail(&["segment", "rm", "big"], "uses 'big'");
    fail(&["segment", "rm", "critical"], "built-in");
    fail(&["segment", "rm", "nothing-here"], "no segment is named");
    // Saving again under the same name updates it.
    assert!(ok(&["segment", "save", "BIG", "arr >= 200k"]).contains("updated"));
    assert_eq!(
        ids(&sandbox, &["--segment", "big renewals"]),
        set(&["ACC-06"])
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["segments", "--format", "json"])).unwrap();
    let saved: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["builtin"] == false)
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(saved, ["BIG", "Big renewals"]);
    ok(&["segment", "rm", "big renewals"]);
    ok(&["segment", "rm", "big"]);
    fail(&["accounts", "--segment", "big"], "no segment is named");
}

#[test]
fn imported_columns_compare_as_numbers_and_dates_never_as_text() {
    let sandbox = Sandbox::new();
    let file = sandbox.write(
        "accounts.csv",
        "account_id,name,Score X,Since\nX-1,Five,5,2025-01-10\nX-2,Fifty,\"$50\",2026-06-01\nX-3,Big,120k,n/a\nX-4,None,n/a,\n",
    );
    assert!(
        sandbox
            .run(&["import", file.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(
        ids(&sandbox, &["--where", "\"Score X\" >= 1k"]),
        set(&["X-3"])
    );
    assert_eq!(
        ids(&sandbox, &["--where", "\"Score X\" > 40"]),
        set(&["X-2", "X-3"])
    );
    assert_eq!(
        ids(&sandbox, &["--where", "\"Score X\" < 10"]),
        set(&["X-1"])
    );
    assert_eq!(
        ids(&sandbox, &["--where", "\"Score X\" = 5.0"]),
        set(&["X-1"])
    );
    assert_eq!(
        ids(&sandbox, &["--where", "Since < 2026-01-01"]),
        set(&["X-1"])
    );
    assert_eq!(
        ids(&sandbox, &["--where", "\"Score X\" = \"N/A\""]),
        set(&["X-4"])
    );
    let out = sandbox.run(&["accounts", "--where", "\"Score X\" > lots"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("needs a number"), "{}", stderr(&out));
}

#[test]
fn facet_figures_are_those_of_their_drill_down_filters() {
    let today = csdeck::demo::embedded::ANCHOR;
    let mut db = csdeck::storage::Db::open_in_memory().unwrap();
    csdeck::demo::embedded::load(&mut db, today).unwrap();
    // Values that differ only in case, or are numbers written two ways, are one filter.
    // (Kept beside the demo accounts rather than replacing them.)
    db.set_demo(false).unwrap();
    let options = csdeck::storage::import::ImportOptions::new(today);
    db.import_text(
        "more.csv",
        "account_id,name,region,plan,arr\nX-1,Odd One,emea,5,1000\nX-2,Odd Two,EMEA,5.0,2000\nX-3,Odd Three,Émea,NaN,3000\n",
        &options,
    )
    .unwrap();
    let model = csdeck::domain::health::HealthModel::default();
    let book = db.load_book(today, &model).unwrap();
    let sidebar = csdeck::state::Sidebar::build(&book);
    let mut facets = 0;
    for entry in &sidebar.entries {
        if entry.kind != csdeck::state::EntryKind::Facet {
            continue;
        }
        facets += 1;
        let predicate = book.compile(&entry.expression).unwrap();
        let expected =
            csdeck::domain::segment::stats(book.rows().iter().filter(|r| predicate.matches(r)));
        assert_eq!(entry.stats, expected, "{}", entry.expression);
    }
    assert!(facets > 20, "{facets}");
}
