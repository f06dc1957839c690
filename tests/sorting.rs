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
