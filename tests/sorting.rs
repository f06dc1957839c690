//! `sort_rows` (keys made once per row) orders exactly as sorting by `compare_rows` does.

use csdeck::domain::AccountRow;
use csdeck::domain::fields::{Field, compare_rows, sort_rows};
use csdeck::domain::health::HealthModel;
mod common;

fn rows() -> Vec<AccountRow> {
    // Names alike but for case and accents, empty values, number-like text, equal ARR.
    let db = common::demo_with(&[(
        "odd.csv",
        "account_id,name,region,plan,arr,owner\n\
         O-1,émile,emea,Pro,125000,Zoë\n\
         O-2,Émile,EMEA,pro,125000,zoë\n\
         O-3,EMILE,,5,,ZOË\n\
         O-4,ΣΑΣ,Émea,10,125000,\n\
         O-5,σας,emea,9,0,Åsa\n",
    )]);
    db.load_book(csdeck::demo::embedded::ANCHOR, &HealthModel::default())
        .unwrap()
        .rows()
        .to_vec()
}

#[test]
fn sort_rows_orders_as_compare_rows() {
    let rows = rows();
    let ids = |rows: &[AccountRow]| -> Vec<String> {
        rows.iter().map(|r| r.account.external_id.clone()).collect()
    };
    for field in Field::ALL {
        for descending in [false, true] {
            let mut expected = rows.clone();
            expected.sort_by(|a, b| compare_rows(a, b, field, descending));
            let mut sorted = rows.clone();
            // From another order, so the sort has work to do.
            sorted.reverse();
            sort_rows(&mut sorted, field, descending);
            assert_eq!(
                ids(&sorted),
                ids(&expected),
                "{field:?} descending {descending}"
            );
        }
    }
}

/// Rows whose names share long prefixes (past the eight and sixteen bytes a sort key holds),
/// differ only in case or accents, and whose numbers are negative, zero, equal or missing.
fn arbitrary_rows() -> impl proptest::strategy::Strategy<Value = Vec<AccountRow>> {
    use proptest::prelude::*;
    let name = proptest::collection::vec(
        prop_oneof![
            Just("Northwind "),
            Just("northwind "),
            Just("Traders"),
            Just("É"),
            Just("é"),
            Just("e"),
            Just("Σ"),
            Just("a"),
            Just(""),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat());
    let number = proptest::option::of(prop_oneof![Just(0i64), Just(-5), Just(7), -100i64..100]);
    let text = proptest::option::of(prop_oneof![
        Just("EMEA"),
        Just("emea"),
        Just("Émea"),
        Just(""),
        Just("Asia Pacific Region North"),
        Just("asia pacific region south")
    ]);
    let row =
        (name, number.clone(), number, text, 0u32..4).prop_map(|(name, arr, seats, region, id)| {
            let account = csdeck::domain::Account {
                external_id: format!("X-{id}"),
                name,
                arr,
                seats,
                region: region.map(Into::into),
                ..csdeck::domain::Account::default()
            };
            AccountRow::derive(
                0,
                account,
                None,
                None,
                Vec::new(),
                csdeck::demo::embedded::ANCHOR,
                &HealthModel::default(),
            )
        });
    proptest::collection::vec(row, 0..40)
}

proptest::proptest! {
    #[test]
    fn sort_rows_orders_any_rows_as_compare_rows(rows in arbitrary_rows()) {
        let fields = [Field::Name, Field::Id, Field::Region, Field::Arr, Field::Seats, Field::Tier];
        for field in fields {
            for descending in [false, true] {
                let mut expected = rows.clone();
                expected.sort_by(|a, b| compare_rows(a, b, field, descending));
                let mut sorted = rows.clone();
                sort_rows(&mut sorted, field, descending);
                // Rows equal under compare_rows may be any order: compare what it compares.
                for (got, want) in sorted.iter().zip(&expected) {
                    proptest::prop_assert_eq!(
                        compare_rows(got, want, field, descending),
                        std::cmp::Ordering::Equal,
                        "{:?} descending {}: {:?} where {:?} belongs",
                        field, descending, got.account.name, want.account.name
                    );
                }
            }
        }
    }
}

#[test]
fn a_sorted_book_lists_each_filter_in_its_order_and_back() {
    use csdeck::domain::book::Book;
    let rows = rows();
    let mut book = Book::new_in_order(rows.clone(), &[], (Field::Name, false));
    let filters = [
        "",
        "region = EMEA",
        "arr >= 100k or band = critical",
        "tag:qbr-scheduled",
    ];
    for (field, descending) in [
        (Field::Arr, true),
        (Field::Health, false),
        (Field::Renewal, false),
        (Field::Name, false),
    ] {
        book.sort(field, descending);
        for filter in filters {
            let predicate = match filter {
                "" => csdeck::domain::filter::Predicate::All,
                f => book.compile(f).unwrap(),
            };
            let listed: Vec<i64> = book
                .matching(&predicate)
                .into_iter()
                .map(|i| book.rows()[i].key)
                .collect();
            let mut expected: Vec<&AccountRow> =
                rows.iter().filter(|r| predicate.matches(r)).collect();
            expected.sort_by(|a, b| compare_rows(a, b, field, descending));
            let expected: Vec<i64> = expected.iter().map(|r| r.key).collect();
            assert_eq!(
                listed, expected,
                "{filter:?} by {field:?} desc={descending}"
            );
            assert!(!listed.is_empty() || !filter.is_empty());
        }
        // The rows themselves never move: places stay good for the queue and the columns.
        assert_eq!(book.rows(), &rows[..]);
    }
}
