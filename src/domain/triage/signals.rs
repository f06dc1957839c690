//! Each signal's test on one account, and its reason in words with the numbers behind it.

use super::Facts;
use super::config::{Rule, SignalSpec};
use crate::domain::filter::Predicate;
use crate::domain::health::{Band, HealthModel};
use crate::domain::history::movers_between;
use crate::domain::row::days_between;
use crate::domain::{AccountRow, Date, Lifecycle};

/// A signal that fired on an account.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The signal's name (`renewal`, `inactive`, a custom signal's name), one copy shared by
    /// every hit of the signal.
    pub signal: crate::domain::account::Shared,
    /// What this firing is about ("renewal:2026-12-20", "detractor:2026-11-30:ana@x.com"): a
    /// fingerprint that was not there when an item was done or snoozed brings it back.
    pub fingerprint: String,
    /// The reason in words: "renews in 24 days and at-risk (61)".
    pub reason: String,
    /// 0.5 just past the threshold, up to 1 far past it (or about to happen).
    pub urgency: f64,
    pub weight: f64,
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
    let hit = |fingerprint: String, reason: String, urgency: f64| Hit {
        signal: name.clone(),
        fingerprint,
        reason,
        urgency,
        weight: spec.weight,
    };
    let score_in_words = || match (row.health, row.band) {
        (Some(score), Some(band)) => format!("{} ({score})", band.as_str()),
        _ => "no health score".to_owned(),
    };
    match &spec.rule {
        Rule::Renewal { days, .. } => {
            let left = row.days_to_renewal?;
            if left < 0 || left > *days || when.is_some_and(|p| !p.matches(row)) {
                return None;
            }
            let date = row.account.renewal_date?;
            Some(hit(
                format!("renewal:{date}"),
                format!("{} and {}", renews_in(left), score_in_words()),
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
            let names: Vec<&str> = movers_between(&past_health.points(), &now_points)
                .into_iter()
                .filter(|(_, delta)| *delta <= -1.0)
                .take(2)
                .map(|(kind, _)| kind.name())
                .collect();
            let why = if names.is_empty() {
                String::new()
            } else {
                format!(" ({})", names.join(", "))
            };
            Some(hit(
                format!("health_drop:{then}"),
                format!(
                    "health fell {drop} points in {days} days, {} to {}{why}",
                    past_health.score, now.score
                ),
                past(drop - points, *points),
            ))
        }
        Rule::Detractor { days } => {
            let answer = subject.facts?.detractor.as_ref()?;
            let age = days_between(answer.date, subject.today);
            if !(0..=*days).contains(&age) || answer.score > 6 {
                return None;
            }
            let said = match answer.comment.as_deref().map(str::trim) {
                Some(text) if !text.is_empty() => {
                    format!(": '{}'", crate::domain::width::cut(text, QUOTE_CHARS))
                }
                _ => ", no comment".to_owned(),
            };
            let before = subject.facts.and_then(|f| f.detractor_before);
            let (what, was) = match before {
                Some(score) if score <= 6 => ("detractor again", format!(", was {score}")),
                Some(score) => ("new detractor", format!(", was {score}")),
                None => ("new detractor", String::new()),
            };
            Some(hit(
                format!("detractor:{}:{}", answer.date, answer.contact),
                format!("{what} ({}{was}) {}{said}", answer.score, days_ago(age)),
                closing(age as f64, *days as f64),
            ))
        }
        Rule::Inactive { days } => {
            let since = row.days_since_login?;
            if since < *days {
                return None;
            }
            let login = row.usage.as_ref()?.last_login?;
            Some(hit(
                format!("inactive:{login}"),
                format!("no login for {since} days"),
                past((since - days) as f64, *days as f64),
            ))
        }
        Rule::Overdue { invoices } => {
            let n = row.usage.as_ref()?.overdue_invoices?;
            if n < *invoices {
                return None;
            }
            Some(hit(
                format!("overdue:{n}"),
                crate::domain::plural::count(n.max(0) as usize, "overdue invoice"),
                (0.5 + 0.25 * (n - invoices) as f64).min(1.0),
            ))
        }
        Rule::LowUtilization { below } => {
            let now = row.utilization? * 100.0;
            if now >= *below {
                return None;
            }
            let falling = subject
                .facts
                .and_then(|f| f.previous_utilization)
                .map(|u| u * 100.0)
                .filter(|before| before.round() > now.round());
            let reason = match falling {
                Some(before) => format!("utilization {now:.0}% and falling from {before:.0}%"),
                None => format!("utilization {now:.0}%"),
            };
            Some(hit("low_utilization".into(), reason, closing(now, *below)))
        }
        Rule::OnboardingStalled { days } => {
            let age = row.days_since_start?;
            let done = row.usage.as_ref()?.onboarding?;
            if row.account.lifecycle != Some(Lifecycle::Onboarding) || age <= *days || done >= 100.0
            {
                return None;
            }
            Some(hit(
                "onboarding_stalled".into(),
                format!("onboarding stalled {age} days in ({done:.0}% done)"),
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
                .and_then(|h| h.weakest().map(|c| c.kind.name()))
                .map(|name| format!(", weakest: {name}"))
                .unwrap_or_default();
            Some(hit(
                "critical".into(),
                format!("critical health ({score}){weakest}"),
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
            Some(hit(format!("custom:{}", spec.id), reason.clone(), 1.0))
        }
    }
}
