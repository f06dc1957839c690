//! The committed demo book: it is what `csdeck demo` generates, and every built-in segment of
//! DESIGN.md has members in it.

use csdeck::demo::{self, DemoSpec, generate_book};
use csdeck::domain::health::{Band, HealthModel};
use csdeck::domain::nps::Category;
use csdeck::domain::tier::Tier;
use csdeck::domain::{AccountRow, Lifecycle, Status};
use csdeck::storage::Db;
use std::collections::HashSet;

fn demo_rows() -> Vec<AccountRow> {
    let mut db = Db::open_in_memory().unwrap();
    demo::embedded::load(&mut db, demo::embedded::ANCHOR).unwrap();
    db.load_rows(demo::embedded::ANCHOR, &HealthModel::default())
        .unwrap()
}

#[test]
fn committed_sample_data_is_what_the_generator_makes() {
    let book = generate_book(&DemoSpec {
        accounts: demo::embedded::ACCOUNTS,
        seed: demo::embedded::SEED,
        today: demo::embedded::ANCHOR,
    });
    for ((name, generated), (file, embedded)) in book.files().iter().zip(demo::embedded::FILES) {
        assert_eq!(*name, file);
        assert!(
            *generated == embedded,
            "sample-data/{name} differs from the generator: regenerate it (see sample-data/README.md)"
        );
    }
}

#[test]
fn every_built_in_segment_has_members() {
    let rows = demo_rows();
    assert_eq!(rows.len(), 300);
    let count = |name: &str, test: &dyn Fn(&AccountRow) -> bool| {
        let n = rows.iter().filter(|r| test(r)).count();
        assert!(n > 0, "segment {name} is empty");
        n
    };
    for tier in Tier::ALL {
        count(tier.as_str(), &|r| r.tier == Some(tier));
    }
    for stage in Lifecycle::ALL {
        count(stage.as_str(), &|r| r.account.lifecycle == Some(stage));
    }
    for band in [Band::Healthy, Band::AtRisk, Band::Critical] {
        count(band.as_str(), &|r| r.band == Some(band));
    }
    for category in [Category::Promoter, Category::Passive, Category::Detractor] {
        count(category.as_str(), &|r| {
            r.nps.map(|n| n.category()) == Some(category)
        });
    }
    count("no NPS", &|r| r.nps.is_none());
    for days in [30, 60, 90] {
        count("renewing", &|r| {
            r.days_to_renewal.is_some_and(|d| (0..=days).contains(&d))
        });
    }
    count("inactive 7+", &|r| {
        r.days_since_login.is_some_and(|d| d >= 7)
    });
    count("inactive 30+", &|r| {
        r.days_since_login.is_some_and(|d| d >= 30)
    });
    count("low utilization", &|r| {
        r.utilization.is_some_and(|u| u < 0.5)
    });
    count("upsell candidates", &|r| {
        r.utilization.is_some_and(|u| u >= 0.9) && r.band == Some(Band::Healthy)
    });
    count("onboarding stalled", &|r| {
        r.account.lifecycle == Some(Lifecycle::Onboarding)
            && r.account
                .contract_start
                .is_some_and(|d| csdeck::domain::row::days_between(d, demo::embedded::ANCHOR) > 60)
            && r.usage
                .as_ref()
                .and_then(|u| u.onboarding)
                .is_some_and(|o| o < 100.0)
    });
    count("trials", &|r| r.account.status == Some(Status::Trial));
    count("churned", &|r| r.account.status == Some(Status::Churned));
    count("tagged", &|r| !r.tags.is_empty());
    // Facets have several values each.
    for (facet, values) in [
        (
            "region",
            rows.iter()
                .filter_map(|r| r.account.region.clone())
                .collect::<HashSet<_>>(),
        ),
        (
            "industry",
            rows.iter()
                .filter_map(|r| r.account.industry.clone())
                .collect(),
        ),
        (
            "plan",
            rows.iter().filter_map(|r| r.account.plan.clone()).collect(),
        ),
        (
            "owner",
            rows.iter()
                .filter_map(|r| r.account.owner.clone())
                .collect(),
        ),
    ] {
        assert!(
            values.len() >= 3,
            "facet {facet} has {} values",
            values.len()
        );
    }
}

#[test]
fn the_demo_book_moves_with_the_calendar() {
    let later = jiff::civil::date(2027, 3, 1);
    let mut db = Db::open_in_memory().unwrap();
    demo::embedded::load(&mut db, later).unwrap();
    let rows = db.load_rows(later, &HealthModel::default()).unwrap();
    let anchored = demo_rows();
    // The same accounts renew in the same number of days, whatever the date.
    for (a, b) in rows.iter().zip(&anchored) {
        assert_eq!(a.account.external_id, b.account.external_id);
        assert_eq!(a.days_to_renewal, b.days_to_renewal);
        assert_eq!(a.days_since_login, b.days_since_login);
    }
    assert!(db.is_demo().unwrap());
}
