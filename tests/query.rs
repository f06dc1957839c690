//! Pages answered from SQL are exactly the pages the whole-book filter and sort give.

use csdeck::domain::fields::{Field, sort_rows};
use csdeck::domain::health::HealthModel;
use csdeck::storage::Db;

mod common;

fn book() -> (Db, csdeck::domain::book::Book) {
    let today = csdeck::demo::embedded::ANCHOR;
    // Odd values beside the demo accounts: case, empties, non-ASCII, LIKE's own characters,
    // number-like text and ties on ARR.
    let db = common::demo_with(&[(
        "odd.csv",
        "account_id,name,region,plan,industry,arr,seats,status\n\
         O-1,Zed One,emea,Pro,100% Cloud,125000,10,active\n\
         O-2,ärger GmbH,EMEA,pro,Media_Tech,125000,,churned\n\
         O-3,Émile,Émea,5,,125000,3,\n\
         O-4,Aaron,,Starter,Media,,7,trial\n",
    )]);
    let book = db.load_book(today, &HealthModel::default()).unwrap();
    (db, book)
}

#[test]
fn sql_pages_equal_whole_book_pages() {
    let (db, book) = book();
    let today = csdeck::demo::embedded::ANCHOR;
    let model = HealthModel::default();
    let expressions = [
        "region = EMEA and arr >= 100k",
        "region in (EMEA, APAC) or plan != pro",
        "not region = emea",
        "industry ~ \"100%\" or industry ~ _",
        "name ~ on and seats > 5",
        "status = none or status != churned",
        "lifecycle = onboarding and not (arr < 10k)",
        "arr != 125k",
        "owner = \"Zoë Åberg\" or country = DE",
        "seats <= 0",
    ];
    let mut answered = 0;
    for expression in expressions {
        let predicate = book.compile(expression).unwrap();
        for sort in [
            (Field::Arr, true),
            (Field::Arr, false),
            (Field::Seats, true),
        ] {
            for limit in [1, 3, 50, 1000] {
                let mut expected: Vec<_> = book
                    .rows()
                    .iter()
                    .filter(|r| predicate.matches(r))
                    .cloned()
                    .collect();
                let count = expected.len();
                let arr: i64 = expected.iter().filter_map(|r| r.account.arr).sum();
                sort_rows(&mut expected, sort.0, sort.1);
                expected.truncate(limit);
                let Some(page) = db.page(&predicate, sort, limit, today, &model).unwrap() else {
                    continue;
                };
                answered += 1;
                let ids = |rows: &[csdeck::domain::AccountRow]| -> Vec<String> {
                    rows.iter().map(|r| r.account.external_id.clone()).collect()
                };
                assert_eq!(
                    ids(&page.rows),
                    ids(&expected),
                    "{expression} {sort:?} {limit}"
                );
                assert_eq!(
                    page.rows, expected,
                    "{expression}: the rows are derived alike"
                );
                assert_eq!((page.count, page.arr), (count, arr), "{expression}");
            }
        }
    }
    // Every expression above reads stored columns only: SQL answered (almost) all of them.
    assert!(answered >= 100, "{answered}");
}

#[test]
fn derived_fields_and_text_sorts_are_left_to_the_whole_book() {
    let (db, book) = book();
    let today = csdeck::demo::embedded::ANCHOR;
    let model = HealthModel::default();
    for expression in [
        "band = critical",
        "tag:vip",
        "renewal <= 30d",
        "plan = 5",
        "region = Émea",
    ] {
        let predicate = book.compile(expression).unwrap();
        assert!(
            db.page(&predicate, (Field::Arr, true), 10, today, &model)
                .unwrap()
                .is_none(),
            "{expression}"
        );
    }
    let all = book.compile("arr > 0").unwrap();
    assert!(
        db.page(&all, (Field::Name, false), 10, today, &model)
            .unwrap()
            .is_none()
    );
    assert!(
        db.page(&all, (Field::Health, true), 10, today, &model)
            .unwrap()
            .is_none()
    );
}
