//! Each signal just inside and just outside its threshold, the ranking, and done / snooze.

use super::*;
use crate::domain::nps::{self, NpsResponse};
use crate::domain::{Account, Lifecycle, Status, Usage};
use jiff::civil::date;

const TODAY: Date = date(2026, 12, 3);

fn account(id: &str, arr_major: i64) -> Account {
    Account {
        external_id: id.into(),
        name: format!("Account {id}"),
        arr: Some(arr_major * 100),
        seats: Some(100),
        status: Some(Status::Active),
        lifecycle: Some(Lifecycle::Adoption),
        ..Account::default()
    }
}

/// A usage snapshot of a healthy account: 90 of 100 seats, logged in yesterday.
fn usage() -> Usage {
    Usage {
        date: Some(date(2026, 12, 1)),
        active_users: Some(90),
        last_login: Some(date(2026, 12, 2)),
        open_tickets: Some(0),
        feature_adoption: Some(90.0),
        onboarding: Some(100.0),
        overdue_invoices: Some(0),
        ..Usage::default()
    }
}

fn row(key: i64, account: Account, usage: Option<Usage>, answers: &[NpsResponse]) -> AccountRow {
    let summary = nps::summarize(answers, TODAY, nps::DEFAULT_WINDOW_DAYS);
    AccountRow::derive(
        key,
        account,
        usage,
        summary,
        vec![],
        TODAY,
        &HealthModel::default(),
    )
}

fn book(rows: Vec<AccountRow>) -> Book {
    Book::new(rows, &[])
}

fn run(book: &Book, facts: &FactsByAccount, actions: &[TriageAction]) -> Queue {
    queue(
        book,
        facts,
        actions,
        &TriageConfig::default(),
        &HealthModel::default(),
        TODAY,
    )
    .unwrap()
}

fn reasons(queue: &Queue, key: i64) -> Vec<String> {
    queue
        .items
        .iter()
        .find(|i| i.key == key)
        .map(|i| i.hits.iter().map(|h| h.reason()).collect())
        .unwrap_or_default()
}

#[test]
fn a_healthy_account_is_not_queued() {
    let book = book(vec![row(1, account("A", 50_000), Some(usage()), &[])]);
    assert!(run(&book, &FactsByAccount::default(), &[]).items.is_empty());
}

#[test]
fn renewal_fires_within_its_days_only_when_the_band_is_not_healthy() {
    let mut rows = Vec::new();
    for (key, days, active) in [(1, 60, 40), (2, 61, 40), (3, 10, 90), (4, -1, 40)] {
        let mut a = account(&format!("R{key}"), 50_000);
        a.renewal_date = TODAY.checked_add(jiff::Span::new().days(days)).ok();
        let mut u = usage();
        u.active_users = Some(active);
        u.last_login = Some(date(2026, 11, 20));
        rows.push(row(key, a, Some(u), &[]));
    }
    let book = book(rows);
    let queue = run(&book, &FactsByAccount::default(), &[]);
    let first = reasons(&queue, 1);
    assert!(
        first
            .iter()
            .any(|r| r.starts_with("renews in 60 days and at-risk (")),
        "{first:?}"
    );
    // A day past the window, a healthy account, a renewal already past: no renewal reason.
    for key in [2, 3, 4] {
        assert!(
            !reasons(&queue, key).iter().any(|r| r.contains("renews")),
            "{key}: {:?}",
            reasons(&queue, key)
        );
    }
}

#[test]
fn inactive_fires_at_exactly_its_days() {
    let mut at = usage();
    at.last_login = Some(date(2026, 11, 19)); // 14 days
    let mut under = usage();
    under.last_login = Some(date(2026, 11, 20)); // 13 days
    let book = book(vec![
        row(1, account("A", 10_000), Some(at), &[]),
        row(2, account("B", 10_000), Some(under), &[]),
    ]);
    let queue = run(&book, &FactsByAccount::default(), &[]);
    assert_eq!(reasons(&queue, 1), vec!["no login for 14 days".to_owned()]);
    assert!(reasons(&queue, 2).is_empty());
}

#[test]
fn overdue_low_utilization_and_onboarding_read_their_numbers() {
    let mut overdue = usage();
    overdue.overdue_invoices = Some(2);
    let mut low = usage();
    low.active_users = Some(34);
    let facts = FactsByAccount::from_iter([(
        2,
        Facts {
            previous_utilization: Some(0.41),
            ..Facts::default()
        },
    )]);
    let mut stalled = account("C", 10_000);
    stalled.lifecycle = Some(Lifecycle::Onboarding);
    stalled.contract_start = Some(date(2026, 9, 19)); // 75 days
    let mut onboarding = usage();
    onboarding.onboarding = Some(40.0);
    let mut fresh = account("D", 10_000);
    fresh.lifecycle = Some(Lifecycle::Onboarding);
    fresh.contract_start = Some(date(2026, 10, 4)); // 60 days: not over
    let book = book(vec![
        row(1, account("A", 10_000), Some(overdue), &[]),
        row(2, account("B", 10_000), Some(low), &[]),
        row(3, stalled, Some(onboarding.clone()), &[]),
        row(4, fresh, Some(onboarding), &[]),
    ]);
    let queue = run(&book, &facts, &[]);
    assert_eq!(reasons(&queue, 1), vec!["2 overdue invoices".to_owned()]);
    assert_eq!(
        reasons(&queue, 2),
        vec!["utilization 34% and falling from 41%".to_owned()]
    );
    assert_eq!(
        reasons(&queue, 3),
        vec!["onboarding stalled 75 days in (40% done)".to_owned()]
    );
    assert!(reasons(&queue, 4).is_empty(), "{:?}", reasons(&queue, 4));
}

#[test]
fn a_new_detractor_is_quoted_and_an_old_one_is_not_new() {
    let answer = |day, score: u8| NpsResponse {
        date: day,
        contact: "ana@example.com".into(),
        score,
        comment: Some("API limits hurt us".into()),
    };
    let facts = FactsByAccount::from_iter([
        (
            1,
            Facts {
                detractor: Some(std::sync::Arc::new(answer(date(2026, 11, 30), 4))),
                ..Facts::default()
            },
        ),
        (
            2,
            Facts {
                detractor: Some(std::sync::Arc::new(answer(date(2026, 11, 18), 4))),
                ..Facts::default()
            },
        ),
    ]);
    let book = book(vec![
        row(1, account("A", 10_000), Some(usage()), &[]),
        row(2, account("B", 10_000), Some(usage()), &[]),
    ]);
    let queue = run(&book, &facts, &[]);
    assert_eq!(
        reasons(&queue, 1),
        vec!["new detractor (4) 3 days ago: 'API limits hurt us'".to_owned()]
    );
    // 15 days ago is outside the 14-day window.
    assert!(reasons(&queue, 2).is_empty());
    // The contact's earlier answer says whether this is news.
    for (before, expected) in [
        (
            9,
            "new detractor (4, was 9) 3 days ago: 'API limits hurt us'",
        ),
        (
            2,
            "detractor again (4, was 2) 3 days ago: 'API limits hurt us'",
        ),
    ] {
        let facts = FactsByAccount::from_iter([(
            1,
            Facts {
                detractor: Some(std::sync::Arc::new(answer(date(2026, 11, 30), 4))),
                detractor_before: Some(before),
                ..Facts::default()
            },
        )]);
        assert_eq!(run(&book, &facts, &[]).items[0].hits[0].reason(), expected);
    }
}

#[test]
fn a_health_drop_names_the_components_that_fell() {
    let model = HealthModel::default();
    let mut was = usage();
    was.last_login = Some(date(2026, 11, 2));
    let before = model
        .score(&crate::domain::history::inputs_on(
            date(2026, 11, 2),
            Some(&was),
            Some(100),
            &[],
        ))
        .unwrap();
    let mut now = usage();
    now.last_login = Some(date(2026, 11, 12)); // 21 days: login recency falls
    now.open_tickets = Some(9);
    let book = book(vec![row(1, account("A", 10_000), Some(now), &[])]);
    let current = book.rows()[0].health.unwrap();
    let facts = FactsByAccount::from_iter([(
        1,
        Facts {
            past: Some((date(2026, 11, 2), PastScore::of(&before))),
            ..Facts::default()
        },
    )]);
    let queue = run(&book, &facts, &[]);
    let drop = before.score - current;
    assert!(drop >= 10, "the fixture must drop by 10+: {drop}");
    let expected = format!(
        "health fell {drop} points in 30 days, {} to {current} (",
        before.score
    );
    let found = reasons(&queue, 1);
    assert!(
        found.iter().any(|r| r.starts_with(&expected)
            && r.contains("login recency")
            && r.contains("support load")),
        "{found:?}"
    );
}

#[test]
fn ranking_weighs_arr_at_stake_against_urgency() {
    let inactive = |days: i64| {
        let mut u = usage();
        u.last_login = TODAY.checked_sub(jiff::Span::new().days(days)).ok();
        u
    };
    let book = book(vec![
        // Same signal, same urgency: ten times the ARR ranks first.
        row(1, account("small", 10_000), Some(inactive(20)), &[]),
        row(2, account("big", 100_000), Some(inactive(20)), &[]),
        // Far more urgent (and two signals) but tiny ARR.
        row(3, account("tiny", 1_000), Some(inactive(40)), &[]),
    ]);
    let queue = run(&book, &FactsByAccount::default(), &[]);
    let order: Vec<i64> = queue.items.iter().map(|i| i.key).collect();
    assert_eq!(order[0], 2, "{queue:?}");
    assert!(queue.items[0].priority > queue.items[1].priority);
    let small = queue.items.iter().position(|i| i.key == 1).unwrap();
    let tiny = queue.items.iter().position(|i| i.key == 3).unwrap();
    // 10k ARR x urgency 0.71 beats 1k x urgency 1: (1+1)*20*0.714 > 1*20*1.
    assert!(small < tiny, "{order:?}");
    assert!((arr_factor(Some(100_000 * 100), 1000.0) - 3.0).abs() < 1e-9);
    assert!((arr_factor(None, 1000.0) - 1.0).abs() < 1e-9);
}

#[test]
fn churned_accounts_are_skipped() {
    let mut a = account("A", 50_000);
    a.status = Some(Status::Churned);
    let mut u = usage();
    u.last_login = Some(date(2026, 10, 1));
    let book = book(vec![row(1, a, Some(u), &[])]);
    assert!(run(&book, &FactsByAccount::default(), &[]).items.is_empty());
}

fn action(
    kind: ActionKind,
    day: Date,
    until: Option<Date>,
    signals: &[impl AsRef<str>],
) -> TriageAction {
    TriageAction {
        id: 1,
        key: 1,
        date: day,
        stamp: day.to_string(),
        kind,
        until,
        signals: signals.iter().map(|s| s.as_ref().to_owned()).collect(),
        reasons: String::new(),
    }
}

#[test]
fn done_and_snoozed_items_leave_the_queue_until_time_is_up_or_a_new_signal_fires() {
    let mut u = usage();
    u.last_login = Some(date(2026, 11, 1));
    let book = book(vec![row(1, account("A", 10_000), Some(u.clone()), &[])]);
    let fired = "inactive:2026-11-01";
    let status =
        |actions: &[TriageAction]| run(&book, &FactsByAccount::default(), actions).items[0].status;
    assert_eq!(status(&[]), ItemStatus::Open { back: false });
    let done = action(ActionKind::Done, date(2026, 12, 1), None, &[fired]);
    assert_eq!(
        status(std::slice::from_ref(&done)),
        ItemStatus::Done(date(2026, 12, 1))
    );
    let snoozed = action(
        ActionKind::Snooze,
        date(2026, 12, 1),
        Some(date(2026, 12, 4)),
        &[fired],
    );
    assert_eq!(
        status(std::slice::from_ref(&snoozed)),
        ItemStatus::Snoozed(date(2026, 12, 4))
    );
    // The snooze ends on its day.
    let over = action(
        ActionKind::Snooze,
        date(2026, 11, 26),
        Some(TODAY),
        &[fired],
    );
    assert_eq!(status(&[over]), ItemStatus::Open { back: true });
    // A reopen after a done puts it back; the latest action counts.
    let mut reopen = action(ActionKind::Reopen, date(2026, 12, 2), None, &[] as &[&str]);
    reopen.id = 2;
    assert_eq!(
        status(&[done.clone(), reopen]),
        ItemStatus::Open { back: false }
    );
    // A signal that was not there when it was snoozed brings the item back at once.
    let mut worse = u;
    worse.overdue_invoices = Some(1);
    let book = Book::new(vec![row(1, account("A", 10_000), Some(worse), &[])], &[]);
    let queue = run(&book, &FactsByAccount::default(), &[snoozed]);
    assert_eq!(queue.items[0].status, ItemStatus::Open { back: true });
    assert_eq!(queue.items[0].new, vec!["overdue:1".to_owned()]);
    assert_eq!(queue.open_count(), 1);
}

#[test]
fn a_snooze_until_renewal_wakes_two_weeks_before_it() {
    assert_eq!(
        renewal_wake(Some(date(2027, 1, 20)), TODAY),
        Some(date(2027, 1, 6))
    );
    // Closer than two weeks: the renewal day; past or none: no such snooze.
    assert_eq!(
        renewal_wake(Some(date(2026, 12, 10)), TODAY),
        Some(date(2026, 12, 10))
    );
    assert_eq!(renewal_wake(Some(TODAY), TODAY), None);
    assert_eq!(renewal_wake(None, TODAY), None);
}

#[test]
fn custom_signals_and_their_mistakes() {
    let mut a = account("A", 10_000);
    a.region = Some("EMEA".into());
    let book = book(vec![row(1, a, Some(usage()), &[])]);
    let user = "[[custom]]\nname = \"emea\"\nwhen = \"region = EMEA\"\nreason = \"in EMEA\"\n";
    let config = config::load(config::DEFAULT_TRIAGE, Some(("triage.toml", user))).unwrap();
    let model = HealthModel::default();
    let queue = queue(
        &book,
        &FactsByAccount::default(),
        &[],
        &config,
        &model,
        TODAY,
    )
    .unwrap();
    assert_eq!(reasons(&queue, 1), vec!["in EMEA".to_owned()]);
    let bad = "[[custom]]\nname = \"bad\"\nwhen = \"arr >>= 5\"\n";
    let config = config::load(config::DEFAULT_TRIAGE, Some(("triage.toml", bad))).unwrap();
    let error = super::queue(
        &book,
        &FactsByAccount::default(),
        &[],
        &config,
        &model,
        TODAY,
    )
    .unwrap_err();
    assert!(
        error.starts_with("triage.toml: custom 'bad'.when: \"arr >>= 5\": column"),
        "{error}"
    );
}

/// Accounts of every kind the signals tell apart: healthy, inactive, overdue, renewing.
fn mixed_book(accounts: i64) -> Book {
    let rows = (1..=accounts)
        .map(|key| {
            let mut u = usage();
            match key % 4 {
                0 => u.last_login = Some(date(2026, 11, 1)),
                1 => u.overdue_invoices = Some(key % 3),
                2 => u.active_users = Some(key % 100),
                _ => {}
            }
            let mut a = account(&format!("M-{key}"), 1_000 + key % 7 * 10_000);
            a.renewal_date = Some(date(2026, 12, 10));
            row(key, a, Some(u), &[])
        })
        .collect();
    book(rows)
}

#[test]
fn a_queue_scored_on_two_threads_is_the_queue_scored_on_one() {
    let book = mixed_book(401);
    let config = TriageConfig::default();
    let facts = FactsByAccount::default();
    let one = |from| {
        queue_split(
            &book,
            (&facts, &[], &config),
            &HealthModel::default(),
            TODAY,
            from,
        )
        .unwrap()
    };
    let (single, split) = (one(usize::MAX), one(0));
    assert!(single.items.len() > 100, "{}", single.items.len());
    assert_eq!(single, split);
}

#[test]
fn restatus_after_actions_gives_the_queue_built_again() {
    let book = mixed_book(40);
    let mut queue = run(&book, &FactsByAccount::default(), &[]);
    let open = queue.open_count();
    let item = |n: usize| queue.items[n].clone();
    fn fired(item: &Item) -> Vec<String> {
        item.hits.iter().map(|h| h.fingerprint()).collect()
    }
    let (first, second, third) = (item(0), item(1), item(2));
    let mut done = action(ActionKind::Done, TODAY, None, &fired(&first));
    done.key = first.key;
    let mut snoozed = action(
        ActionKind::Snooze,
        TODAY,
        Some(date(2026, 12, 20)),
        &fired(&second),
    );
    (snoozed.key, snoozed.id) = (second.key, 2);
    // Done on what no longer fires: it comes back as soon as anything fires.
    let mut stale = action(ActionKind::Done, TODAY, None, &["inactive:2020-01-01"]);
    (stale.key, stale.id) = (third.key, 3);
    let mut reopened = action(ActionKind::Reopen, TODAY, None, &[] as &[&str]);
    (reopened.key, reopened.id) = (first.key, 4);
    let steps = [
        vec![done.clone()],
        vec![done.clone(), snoozed.clone(), stale.clone()],
        vec![done, snoozed, stale, reopened],
        vec![],
    ];
    for actions in steps {
        let inputs = Inputs {
            config: TriageConfig::default(),
            facts: FactsByAccount::default(),
            actions,
        };
        inputs.restatus(&mut queue, TODAY);
        assert_eq!(
            queue,
            run(&book, &FactsByAccount::default(), &inputs.actions)
        );
    }
    assert_eq!(queue.open_count(), open);
}
