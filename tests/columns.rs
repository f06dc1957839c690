//! Filtering by columns (`Book::matching`) selects exactly the rows that evaluating the
//! filter on every row selects, for every kind of comparison, and stays right after the rows
//! change.

use csdeck::domain::book::Book;
use csdeck::domain::fields::{Field, sort_rows};
use csdeck::domain::health::HealthModel;
use csdeck::domain::segment;
use csdeck::state::Sidebar;
mod common;

fn book() -> Book {
    // Case, empties, non-ASCII, number-like text and an imported column beside the demo book.
    let db = common::demo_with(&[
        (
            "odd.csv",
            "account_id,name,region,plan,industry,arr,seats,status,owner,renewal_date,cohort\n\
         O-1,Zed One,emea,Pro,100% Cloud,125000,10,active,Zoë Åberg,2026-12-01,7\n\
         O-2,ärger GmbH,EMEA,pro,Media_Tech,125000,,churned,ZOË ÅBERG,,x\n\
         O-3,Émile,Émea,5,,125000,3,,,2027-06-30,\n\
         O-4,Aaron,,Starter,Media,,7,trial,,,12\n",
        ),
        (
            "tags.csv",
            "account_id,tag\nO-1,QBR\nO-2,qbr\nO-3,Ärger\nO-4,at-risk\n",
        ),
    ]);
    db.load_book(csdeck::demo::embedded::ANCHOR, &HealthModel::default())
        .unwrap()
}

const EXPRESSIONS: &[&str] = &[
    "region = EMEA",
    "region != emea",
    "region in (EMEA, APAC)",
    "region not in (EMEA, APAC)",
    "region ~ me",
    "region = none",
    "not region = emea and plan = pro",
    "plan = 5 or plan ~ ro",
    "industry ~ \"100%\" or industry = media",
    "owner = \"zoë åberg\"",
    "country = DE or country != US",
    "name ~ on and seats > 5",
    "id = o-3",
    "tier = high or tier != digital",
    "tier = none",
    "lifecycle in (onboarding, adoption) and not status = churned",
    "status = none or status != churned",
    "band = critical or band = at-risk",
    "band != healthy",
    "nps_category = detractor",
    "nps_category != promoter",
    "arr >= 100k",
    "arr not in (125k, 0) and arr != 50k",
    "arr < 10k or mrr > 5k",
    "seats <= 0 or employees > 500",
    "active_users >= 20",
    "utilization < 50",
    "health < 40 or health >= 80",
    "nps < 0 or nps_score >= 9",
    "onboarding < 50",
    "tickets > 3",
    "csat < 4",
    "renewal <= 30d",
    "renewal < 0d",
    "renewal <= 0d",
    "renewal > 90d",
    "last_login > 7d",
    "contract_start < 365d",
    "renewal < 2027-01-01",
    "last_login >= 2026-11-01",
    "tag:qbr",
    "tag:ärger or tag:nothing-has-this",
    "not tag:at-risk",
    "tags ~ qb",
    "tags != qbr",
    "cohort = 7 or cohort > 10",
    "cohort ~ x",
];

fn by_rows(book: &Book, expression: &str) -> Vec<usize> {
    let predicate = book.compile(expression).unwrap();
    book.rows()
        .iter()
        .enumerate()
        .filter(|(_, r)| predicate.matches(r))
        .map(|(i, _)| i)
        .collect()
}

fn by_columns(book: &Book, expression: &str) -> Vec<usize> {
    book.matching(&book.compile(expression).unwrap())
}

#[test]
fn columns_select_what_rows_select() {
    let book = book();
    let mut expressions: Vec<String> = EXPRESSIONS.iter().map(|e| (*e).to_owned()).collect();
    // Every segment and every facet value the sidebar offers.
    expressions.extend(book.segments.iter().map(|s| s.expression.clone()));
    expressions.extend(
        Sidebar::build(&book)
            .entries
            .iter()
            .map(|e| e.expression.clone())
            .filter(|e| !e.is_empty()),
    );
    let mut nonempty = 0;
    for expression in &expressions {
        let expected = by_rows(&book, expression);
        nonempty += usize::from(!expected.is_empty() && expected.len() < book.rows().len());
        assert_eq!(by_columns(&book, expression), expected, "{expression}");
        // The figures, added up from the columns, to the last bit of every mean.
        let predicate = book.compile(expression).unwrap();
        assert_eq!(
            book.stats(&predicate),
            segment::stats(expected.iter().map(|&i| &book.rows()[i])),
            "{expression}"
        );
        // Again, from the columns built by the first call.
        assert_eq!(by_columns(&book, expression), expected, "{expression}");
        // Both sides of `or` and `and` mixed with a row-read comparison.
        let mixed = format!("({expression}) or name ~ a");
        assert_eq!(by_columns(&book, &mixed), by_rows(&book, &mixed), "{mixed}");
    }
    // The comparisons must select something and not everything, or the test proves little.
    assert!(nonempty > expressions.len() * 2 / 3, "{nonempty}");
}

#[test]
fn facet_figures_from_columns_equal_those_from_rows() {
    let book = book();
    for field in segment::FACET_FIELDS {
        let values = book.facet_stats(field);
        assert!(values.len() > 2, "{field:?}");
        // Each value's figures are those of its drill-down, added up row by row.
        for (value, stats) in values {
            let expression = value.expression();
            // (The count is of the exact value; the drill-down also takes "emea" for "EMEA".)
            let rows = by_rows(&book, &expression);
            assert!(rows.len() >= value.count, "{expression}");
            let expected = segment::stats(rows.iter().map(|&i| &book.rows()[i]));
            assert_eq!(stats, expected, "{expression}");
        }
    }
}

#[test]
fn columns_follow_the_rows_when_they_change() {
    let mut book = book();
    let before = by_columns(&book, "region = EMEA and arr >= 100k and tag:qbr");
    assert!(!before.is_empty());
    // Every column built before the change, the figures' too.
    book.prepare(
        &[&book.compile("health < 50").unwrap()],
        &segment::FACET_FIELDS,
    );
    let _ = book.stats_of(&before);
    sort_rows(book.rows_mut(), Field::Arr, true);
    for row in book.rows_mut().iter_mut().take(5) {
        row.tags.push("qbr".into());
    }
    for expression in ["region = EMEA and arr >= 100k and tag:qbr", "health < 50"] {
        let expected = by_rows(&book, expression);
        assert_eq!(by_columns(&book, expression), expected, "{expression}");
        assert_eq!(
            book.stats_of(&expected),
            segment::stats(expected.iter().map(|&i| &book.rows()[i])),
            "{expression}"
        );
    }
}
