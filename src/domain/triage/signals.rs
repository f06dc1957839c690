//! Each signal's test on one account, and its reason in words with the numbers behind it.

use super::Facts;
use super::config::{Rule, SignalSpec};
use crate::domain::filter::Predicate;
use crate::domain::health::{Band, ComponentKind, HealthModel};
use crate::domain::history::movers_between;
use crate::domain::nps::NpsResponse;
use crate::domain::row::days_between;
use crate::domain::{AccountRow, Date, Lifecycle};

/// A signal that fired on an account.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The signal's name (`renewal`, `inactive`, a custom signal's name), one copy shared by
    /// every hit of the signal.
    pub signal: crate::domain::account::Shared,
    /// What the signal saw, worded only when shown: a million accounts' queue holds numbers,
    /// not sentences.
    pub what: What,
    /// 0.5 just past the threshold, up to 1 far past it (or about to happen).
    pub urgency: f64,
    pub weight: f64,
}

/// The figures behind a hit, as few bytes as they take.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// A renewal on `date`, `left` days away.
    Renewal {
        date: Date,
        left: i64,
        /// The account's health score and band, if it has one.
        score: Option<(u8, Band)>,
    },
    /// Health fell from `from` to `to` over `days` days.
    HealthDrop {
        /// The day of the past score.
        then: Date,
        days: i64,
        from: u8,
        to: u8,
        /// The components that fell most (a point or more), worst first.
        movers: [Option<ComponentKind>; 2],
    },
    /// A recent answer of 0-6, shared with the account's facts.
    Detractor {
        answer: std::sync::Arc<NpsResponse>,
        /// Days since the answer.
        age: i64,
        /// The same contact's score before it.
        before: Option<u8>,
    },
    /// No login since `login`, `since` days ago.
    Inactive { login: Date, since: i64 },
    /// Unpaid invoices past due.
    Overdue { invoices: i64 },
    /// Seats in use below the threshold.
    LowUtilization {
        /// Percent now, and before when it fell since the snapshot before.
        now: f64,
        before: Option<f64>,
    },
    /// Still onboarding `age` days in, `done` percent through.
    OnboardingStalled { age: i64, done: f64 },
    /// A critical health score and the component that pulls it down most.
    Critical {
        score: u8,
        weakest: Option<ComponentKind>,
    },
    /// A custom signal's own words.
    Custom {
        reason: crate::domain::account::Shared,
    },
}

impl Hit {
    /// What this firing is about ("renewal:2026-12-20", "detractor:2026-11-30:ana@x.com"): a
    /// fingerprint that was not there when an item was done or snoozed brings it back.
    pub fn fingerprint(&self) -> String {
        match &self.what {
            What::Renewal { date, .. } => format!("renewal:{date}"),
            What::HealthDrop { then, .. } => format!("health_drop:{then}"),
            What::Detractor { answer, .. } => {
                format!("detractor:{}:{}", answer.date, answer.contact)
            }
            What::Inactive { login, .. } => format!("inactive:{login}"),
            What::Overdue { invoices } => format!("overdue:{invoices}"),
            What::LowUtilization { .. } => "low_utilization".into(),
            What::OnboardingStalled { .. } => "onboarding_stalled".into(),
            What::Critical { .. } => "critical".into(),
            What::Custom { .. } => format!("custom:{}", self.signal),
        }
    }

    /// The reason in words: "renews in 24 days and at-risk (61)".
    pub fn reason(&self) -> String {
        match &self.what {
            What::Renewal { left, score, .. } => {
                let score = match score {
                    Some((score, band)) => format!("{} ({score})", band.as_str()),
                    None => "no health score".to_owned(),
                };
                format!("{} and {score}", renews_in(*left))
            }
            What::HealthDrop {
                days,
                from,
                to,
                movers,
                ..
            } => {
                let names: Vec<&str> = movers.iter().flatten().map(|k| k.name()).collect();
                let why = if names.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", names.join(", "))
                };
                let drop = i32::from(*from) - i32::from(*to);
                format!("health fell {drop} points in {days} days, {from} to {to}{why}")
            }
            What::Detractor {
                answer,
                age,
                before,
            } => {
                let said = match answer.comment.as_deref().map(str::trim) {
                    Some(text) if !text.is_empty() => {
                        format!(": '{}'", crate::domain::width::cut(text, QUOTE_CHARS))
                    }
                    _ => ", no comment".to_owned(),
                };
                let (what, was) = match before {
                    Some(score) if *score <= 6 => ("detractor again", format!(", was {score}")),
                    Some(score) => ("new detractor", format!(", was {score}")),
                    None => ("new detractor", String::new()),
                };
                format!("{what} ({}{was}) {}{said}", answer.score, days_ago(*age))
            }
            What::Inactive { since, .. } => format!("no login for {since} days"),
            What::Overdue { invoices } => {
                crate::domain::plural::count((*invoices).max(0) as usize, "overdue invoice")
            }
            What::LowUtilization { now, before } => match before {
                Some(before) => format!("utilization {now:.0}% and falling from {before:.0}%"),
                None => format!("utilization {now:.0}%"),
            },
            What::OnboardingStalled { age, done } => {
                format!("onboarding stalled {age} days in ({done:.0}% done)")
            }
            What::Critical { score, weakest } => {
                let weakest = weakest
                    .map(|kind| format!(", weakest: {}", kind.name()))
                    .unwrap_or_default();
                format!("critical health ({score}){weakest}")
            }
            What::Custom { reason } => reason.to_string(),
        }
    }
}

/// What one account needs from the signals' point of view, passed in one piece.
pub struct Subject<'a> {
    pub row: &'a AccountRow,
    pub facts: Option<&'a Facts>,
    pub model: &'a HealthModel,
    pub today: Date,
}

/// The urgency of a value `over` a threshold, relative to it: 0.5 at the threshold, 1 at twice.
fn past(over: f64, threshold: f64) -> f64 {
    if threshold <= 0.0 {
        return 1.0;
    }
    (0.5 + 0.5 * over / threshold).clamp(0.5, 1.0)
}

/// The urgency of something `left` of `span` away (days to a renewal): 1 now, 0.5 at the end.
fn closing(left: f64, span: f64) -> f64 {
    if span <= 0.0 {
        return 1.0;
    }
    (1.0 - 0.5 * left / span).clamp(0.5, 1.0)
}

/// "today", "yesterday", "3 days ago".
pub fn days_ago(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "yesterday".into(),
        n => format!("{n} days ago"),
    }
}

/// "renews today", "renews tomorrow", "renews in 24 days".
fn renews_in(days: i64) -> String {
    match days {
        0 => "renews today".into(),
        1 => "renews tomorrow".into(),
        n => format!("renews in {n} days"),
    }
}

/// The longest comment quoted in a reason; the full text is in the account's NPS tab.
const QUOTE_CHARS: usize = 48;

/// Tests one signal (named `name`) on one account; `when` is its compiled expression, if it
/// has one.
pub fn fire(
    spec: &SignalSpec,
    name: &crate::domain::account::Shared,
    when: Option<&Predicate>,
    subject: &Subject<'_>,
) -> Option<Hit> {
    let row = subject.row;
    let hit = |what: What, urgency: f64| Hit {
        signal: name.clone(),
        what,
        urgency,
        weight: spec.weight,
    };
    match &spec.rule {
        Rule::Renewal { days, .. } => {
            let left = i64::from(row.days_to_renewal?);
            if left < 0 || left > *days || when.is_some_and(|p| !p.matches(row)) {
                return None;
            }
            let date = row.account.renewal_date?;
            let score = row.health.zip(row.band);
            Some(hit(
                What::Renewal { date, left, score },
                closing(left as f64, *days as f64),
            ))
        }
        Rule::HealthDrop { points, days } => {
            let (then, past_health) = subject.facts?.past.as_ref()?;
            // The row's score decides; the breakdown is made only for a drop, to name it.
            let drop = f64::from(past_health.score) - f64::from(row.health?);
            if drop < *points {
                return None;
            }
            let now = row.health_breakdown(subject.model)?;
            let now_points: Vec<_> = now
                .components
                .iter()
                .map(|c| (c.kind, c.contribution))
                .collect();
            let mut movers = movers_between(&past_health.points(), &now_points)
                .into_iter()
                .filter(|(_, delta)| *delta <= -1.0)
                .map(|(kind, _)| kind);
            Some(hit(
                What::HealthDrop {
                    then: *then,
                    days: *days,
                    from: past_health.score,
                    to: now.score,
                    movers: [movers.next(), movers.next()],
                },
                past(drop - points, *points),
            ))
        }
        Rule::Detractor { days } => {
            let answer = subject.facts?.detractor.as_ref()?;
            let age = days_between(answer.date, subject.today);
            if !(0..=*days).contains(&age) || answer.score > 6 {
                return None;
            }
            Some(hit(
                What::Detractor {
                    answer: answer.clone(),
                    age,
                    before: subject.facts.and_then(|f| f.detractor_before),
                },
                closing(age as f64, *days as f64),
            ))
        }
        Rule::Inactive { days } => {
            let since = i64::from(row.days_since_login?);
            if since < *days {
                return None;
            }
            let login = row.usage.as_ref()?.last_login?;
            Some(hit(
                What::Inactive { login, since },
                past((since - days) as f64, *days as f64),
            ))
        }
        Rule::Overdue { invoices } => {
            let n = row.usage.as_ref()?.overdue_invoices?;
            if n < *invoices {
                return None;
            }
            Some(hit(
                What::Overdue { invoices: n },
                (0.5 + 0.25 * (n - invoices) as f64).min(1.0),
            ))
        }
        Rule::LowUtilization { below } => {
            let now = row.utilization? * 100.0;
            if now >= *below {
                return None;
            }
            let before = subject
                .facts
                .and_then(|f| f.previous_utilization)
                .map(|u| u * 100.0)
                .filter(|before| before.round() > now.round());
            Some(hit(
                What::LowUtilization { now, before },
                closing(now, *below),
            ))
        }
        Rule::OnboardingStalled { days } => {
            let age = i64::from(row.days_since_start?);
            let done = row.usage.as_ref()?.onboarding?;
            if row.account.lifecycle != Some(Lifecycle::Onboarding) || age <= *days || done >= 100.0
            {
                return None;
            }
            Some(hit(
                What::OnboardingStalled { age, done },
                past((age - days) as f64, *days as f64),
            ))
        }
        Rule::Critical => {
            if row.band != Some(Band::Critical) {
                return None;
            }
            let score = row.health?;
            let weakest = row
                .health_breakdown(subject.model)
                .and_then(|h| h.weakest().map(|c| c.kind));
            Some(hit(
                What::Critical { score, weakest },
                closing(
                    f64::from(score),
                    f64::from(subject.model.at_risk_from.max(1)),
                ),
            ))
        }
        Rule::Custom { reason, .. } => {
            if !when.is_some_and(|p| p.matches(row)) {
                return None;
            }
            Some(hit(
                What::Custom {
                    reason: reason.clone(),
                },
                1.0,
            ))
        }
    }
}
