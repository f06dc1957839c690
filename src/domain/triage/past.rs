//! A past health score as the drop signal keeps it: the score and each component's points,
//! held in place. The queue keeps one for most accounts, and a million full breakdowns (a
//! vector of components each) took about a third of a gigabyte.

use crate::domain::health::{ComponentKind, Health};

/// How many components a score has at most: a model scores each kind once.
const MOST: usize = 6;

/// A score and what each component added to it, in the model's order (kinds and points apart,
/// so that no padding sits between them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PastScore {
    pub score: u8,
    len: u8,
    kinds: [ComponentKind; MOST],
    points: [f64; MOST],
}

impl PastScore {
    /// The parts of `health` the drop signal reads.
    pub fn of(health: &Health) -> PastScore {
        let mut past = PastScore {
            score: health.score,
            len: 0,
            kinds: [ComponentKind::Utilization; MOST],
            points: [0.0; MOST],
        };
        for (at, c) in health.components.iter().take(MOST).enumerate() {
            past.kinds[at] = c.kind;
            past.points[at] = c.contribution;
            past.len += 1;
        }
        past
    }

    /// Each scored component with the points it added, in the model's order.
    pub fn points(&self) -> Vec<(ComponentKind, f64)> {
        let len = usize::from(self.len);
        self.kinds[..len]
            .iter()
            .copied()
            .zip(self.points[..len].iter().copied())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::health::{HealthInputs, HealthModel};

    #[test]
    fn a_past_score_keeps_every_component_in_order() {
        let inputs = HealthInputs {
            utilization: Some(0.4),
            days_since_login: Some(20),
            nps_score: Some(6.0),
            open_tickets: Some(3),
            feature_adoption: Some(50.0),
            onboarding: Some(100.0),
            overdue_invoices: Some(1),
        };
        let health = HealthModel::default().score(&inputs).unwrap();
        let past = PastScore::of(&health);
        assert_eq!(past.score, health.score);
        let expected: Vec<(ComponentKind, f64)> = health
            .components
            .iter()
            .map(|c| (c.kind, c.contribution))
            .collect();
        assert_eq!(expected.len(), 6);
        assert_eq!(past.points(), expected);
    }
}
