//! Health history: the score an account had at each of its usage snapshots, computed with the
//! same model from what was known on that day, and how the score moved since.

use crate::domain::health::{ComponentKind, Health, HealthInputs, HealthModel};
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

/// The components whose points changed most from `before` to `after`, most fallen first: what
/// moved a score. A component without input on one side counts as adding nothing there.
pub fn movers(before: &Health, after: &Health) -> Vec<(ComponentKind, f64)> {
    let points = |h: &Health| -> Vec<(ComponentKind, f64)> {
        h.components
            .iter()
            .map(|c| (c.kind, c.contribution))
            .collect()
    };
    movers_between(&points(before), &points(after))
}

/// [`movers`] from each score's (component, points added), in the model's order.
pub fn movers_between(
    before: &[(ComponentKind, f64)],
    after: &[(ComponentKind, f64)],
) -> Vec<(ComponentKind, f64)> {
    let points = |parts: &[(ComponentKind, f64)], kind: ComponentKind| {
        parts
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0.0, |(_, points)| *points)
    };
    let mut kinds: Vec<ComponentKind> = before.iter().map(|(k, _)| *k).collect();
    for (kind, _) in after {
        if !kinds.contains(kind) {
            kinds.push(*kind);
        }
    }
    let mut moved: Vec<(ComponentKind, f64)> = kinds
        .into_iter()
        .map(|kind| (kind, points(after, kind) - points(before, kind)))
        .collect();
    moved.sort_by(|a, b| a.1.total_cmp(&b.1));
    moved
}

/// A change of score between two snapshots, with the component that moved it most.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthMove {
    /// The day of the later snapshot.
    pub date: Date,
    pub from: u8,
    pub to: u8,
    /// The component whose points moved most in the direction of the change, and by how much.
    pub driver: Option<(ComponentKind, f64)>,
}

/// Every change of score between consecutive snapshots (oldest first), each scored as of its
/// own day like [`history`]; snapshots whose score did not change are left out.
pub fn moves(
    snapshots: &[Usage],
    seats: Option<i64>,
    responses: &[NpsResponse],
    model: &HealthModel,
) -> Vec<HealthMove> {
    let mut scored: Vec<(Date, Health)> = snapshots
        .iter()
        .filter_map(|usage| {
            let date = usage.date?;
            Some((
                date,
                model.score(&inputs_on(date, Some(usage), seats, responses))?,
            ))
        })
        .collect();
    scored.sort_by_key(|(date, _)| *date);
    scored
        .windows(2)
        .filter(|pair| pair[0].1.score != pair[1].1.score)
        .map(|pair| {
            let (before, after) = (&pair[0].1, &pair[1].1);
            let fell = after.score < before.score;
            let moved = movers(before, after);
            let driver = if fell {
                moved.first().copied().filter(|(_, d)| *d < 0.0)
            } else {
                moved.last().copied().filter(|(_, d)| *d > 0.0)
            };
            HealthMove {
                date: pair[1].0,
                from: before.score,
                to: after.score,
                driver,
            }
        })
        .collect()
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
    fn moves_name_the_component_that_moved_the_score() {
        let model = HealthModel::default();
        let snapshots = [
            snapshot(date(2026, 9, 1), 90, date(2026, 8, 31)),
            snapshot(date(2026, 10, 1), 90, date(2026, 9, 30)),
            // Logins stop: only login recency changes.
            snapshot(date(2026, 11, 1), 90, date(2026, 9, 30)),
            // Active users fall too, but logins come back more.
            snapshot(date(2026, 11, 20), 60, date(2026, 11, 19)),
        ];
        let moves = moves(&snapshots, Some(100), &[], &model);
        // September to October changed nothing, so it is not a move.
        assert_eq!(moves.len(), 2, "{moves:?}");
        assert_eq!(moves[0].date, date(2026, 11, 1));
        assert!(moves[0].to < moves[0].from);
        assert_eq!(
            moves[0].driver.map(|(k, _)| k),
            Some(ComponentKind::LoginRecency)
        );
        assert!(moves[0].driver.is_some_and(|(_, d)| d < 0.0));
        let points = history(&snapshots, Some(100), &[], &model);
        assert_eq!(moves[0].from, points[1].score);
        assert_eq!(moves[0].to, points[2].score);
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
