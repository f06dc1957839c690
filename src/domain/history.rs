//! Health history: the score an account had at each of its usage snapshots, computed with the
//! same model from what was known on that day, and how the score moved since.

use crate::domain::health::{HealthInputs, HealthModel};
use crate::domain::nps::{self, NpsResponse};
use crate::domain::row::days_between;
use crate::domain::{Date, Usage};

/// The score on one snapshot date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthPoint {
    pub date: Date,
    pub score: u8,
}

/// The health inputs of a snapshot as of `day`: usage from the snapshot, the NPS of the answers
/// given by then.
pub fn inputs_on(
    day: Date,
    usage: Option<&Usage>,
    seats: Option<i64>,
    responses: &[NpsResponse],
) -> HealthInputs {
    let nps = nps::summarize(responses, day, nps::DEFAULT_WINDOW_DAYS);
    HealthInputs {
        utilization: usage.and_then(|u| u.utilization(seats)),
        days_since_login: usage
            .and_then(|u| u.last_login)
            .map(|login| days_between(login, day).max(0)),
        nps_score: nps.map(|n| n.mean_score),
        open_tickets: usage.and_then(|u| u.open_tickets),
        feature_adoption: usage.and_then(|u| u.feature_adoption),
        onboarding: usage.and_then(|u| u.onboarding),
        overdue_invoices: usage.and_then(|u| u.overdue_invoices),
    }
}

/// The score at each snapshot (oldest first); snapshots without a date or a score are skipped.
pub fn history(
    snapshots: &[Usage],
    seats: Option<i64>,
    responses: &[NpsResponse],
    model: &HealthModel,
) -> Vec<HealthPoint> {
    let mut points: Vec<HealthPoint> = snapshots
        .iter()
        .filter_map(|usage| {
            let date = usage.date?;
            let health = model.score(&inputs_on(date, Some(usage), seats, responses))?;
            Some(HealthPoint {
                date,
                score: health.score,
            })
        })
        .collect();
    points.sort_by_key(|p| p.date);
    points
}

/// How far `current` is from the score the account had `days` ago (the last snapshot on or
/// before that day); none when the history does not reach back that far.
pub fn change_since(points: &[HealthPoint], current: u8, today: Date, days: i64) -> Option<i32> {
    let then = today.checked_sub(jiff::Span::new().days(days)).ok()?;
    points
        .iter()
        .rev()
        .find(|p| p.date <= then)
        // A snapshot much older than asked for says nothing about "30 days ago".
        .filter(|p| days_between(p.date, then) <= 31)
        .map(|p| i32::from(current) - i32::from(p.score))
}

/// The scores as a one-line sparkline ("▁▃▅▇").
pub fn sparkline(points: &[HealthPoint]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    points
        .iter()
        .map(|p| BARS[(usize::from(p.score.min(100)) * 7 + 50) / 100])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn snapshot(d: Date, active: i64, login: Date) -> Usage {
        Usage {
            date: Some(d),
            active_users: Some(active),
            last_login: Some(login),
            open_tickets: Some(0),
            ..Usage::default()
        }
    }

    #[test]
    fn each_snapshot_is_scored_as_of_its_own_day() {
        let model = HealthModel::default();
        let snapshots = [
            snapshot(date(2026, 10, 1), 10, date(2026, 9, 1)),
            snapshot(date(2026, 11, 1), 90, date(2026, 10, 31)),
        ];
        let responses = [NpsResponse {
            date: date(2026, 10, 15),
            contact: "a".into(),
            score: 10,
            comment: None,
        }];
        let points = history(&snapshots, Some(100), &responses, &model);
        assert_eq!(points.len(), 2);
        assert!(points[1].score > points[0].score, "{points:?}");
        // The October score knew nothing of the answer given later that month.
        let october = inputs_on(
            date(2026, 10, 1),
            Some(&snapshots[0]),
            Some(100),
            &responses,
        );
        assert_eq!(october.nps_score, None);
        assert_eq!(october.days_since_login, Some(30));
        let today = date(2026, 11, 24);
        // 30 days before Nov 24 is Oct 25: the Oct 1 snapshot is the one on or before it.
        assert_eq!(
            change_since(&points, 80, today, 30),
            Some(80 - i32::from(points[0].score))
        );
        assert_eq!(change_since(&points, 80, today, 90), None);
        // Asked about 30 days ago a year later, the old snapshots are too old to say.
        assert_eq!(change_since(&points, 80, date(2027, 11, 24), 30), None);
        assert_eq!(sparkline(&points).chars().count(), 2);
    }

    #[test]
    fn sparkline_spans_the_scale() {
        let at = |score| HealthPoint {
            date: date(2026, 1, 1),
            score,
        };
        assert_eq!(sparkline(&[at(0), at(50), at(100)]), "▁▅█");
    }
}
