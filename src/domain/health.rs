//! The health model: components scored 0-100 from raw inputs by piecewise-linear curves,
//! combined by weights, banded. One computation serves the list, the CLI and the detail pane,
//! and every score can be explained by its breakdown.

/// Health band of a score: what the CSM triages by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    Critical,
    AtRisk,
    Healthy,
}

impl Band {
    /// The word used in filters, files and the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Critical => "critical",
            Band::AtRisk => "at-risk",
            Band::Healthy => "healthy",
        }
    }
}

/// The raw inputs of a health score; any may be missing, and a missing one drops out.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct HealthInputs {
    /// active users / seats, as a fraction.
    pub utilization: Option<f64>,
    pub days_since_login: Option<i64>,
    /// Mean NPS score 0-10.
    pub nps_score: Option<f64>,
    pub open_tickets: Option<i64>,
    pub feature_adoption: Option<f64>,
    pub onboarding: Option<f64>,
    pub overdue_invoices: Option<i64>,
}

/// Which signal a component reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ComponentKind {
    Utilization,
    LoginRecency,
    Nps,
    SupportLoad,
    Adoption,
    Payment,
}

impl ComponentKind {
    /// The name shown in breakdowns and JSON.
    pub fn name(self) -> &'static str {
        match self {
            ComponentKind::Utilization => "utilization",
            ComponentKind::LoginRecency => "login recency",
            ComponentKind::Nps => "nps",
            ComponentKind::SupportLoad => "support load",
            ComponentKind::Adoption => "adoption",
            ComponentKind::Payment => "payment",
        }
    }

    /// The component's raw input as a number on the scale its curve reads, if known.
    fn input(self, inputs: &HealthInputs) -> Option<f64> {
        match self {
            ComponentKind::Utilization => inputs.utilization.map(|u| u * 100.0),
            ComponentKind::LoginRecency => inputs.days_since_login.map(|d| d.max(0) as f64),
            ComponentKind::Nps => inputs.nps_score.map(|s| s * 10.0),
            ComponentKind::SupportLoad => inputs.open_tickets.map(|t| t.max(0) as f64),
            ComponentKind::Adoption => match (inputs.feature_adoption, inputs.onboarding) {
                (Some(a), Some(o)) => Some((a + o) / 2.0),
                (Some(v), None) | (None, Some(v)) => Some(v),
                (None, None) => None,
            },
            ComponentKind::Payment => inputs.overdue_invoices.map(|n| n.max(0) as f64),
        }
    }
}

/// Maps a raw input to 0-100 by straight lines between points; flat beyond the ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// (input, score) points, inputs strictly increasing.
    pub points: Vec<(f64, f64)>,
}

impl Curve {
    /// The score of one input.
    pub fn score(&self, input: f64) -> f64 {
        let Some(&(first_x, first_y)) = self.points.first() else {
            return 0.0;
        };
        if input <= first_x {
            return first_y.clamp(0.0, 100.0);
        }
        for pair in self.points.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            if input <= x1 {
                let t = if x1 > x0 {
                    (input - x0) / (x1 - x0)
                } else {
                    1.0
                };
                return (y0 + t * (y1 - y0)).clamp(0.0, 100.0);
            }
        }
        self.points
            .last()
            .map_or(0.0, |&(_, y)| y.clamp(0.0, 100.0))
    }
}

/// One component of the model: its signal, weight and curve.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentSpec {
    pub kind: ComponentKind,
    pub weight: f64,
    pub curve: Curve,
}

/// The whole model. `Default` is DESIGN.md's model; the health issue makes it configurable.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthModel {
    pub components: Vec<ComponentSpec>,
    /// Lowest score that is healthy.
    pub healthy_from: u8,
    /// Lowest score that is at-risk (below it: critical).
    pub at_risk_from: u8,
}

impl Default for HealthModel {
    fn default() -> Self {
        let spec = |kind, weight, points: &[(f64, f64)]| ComponentSpec {
            kind,
            weight,
            curve: Curve {
                points: points.to_vec(),
            },
        };
        HealthModel {
            components: vec![
                spec(
                    ComponentKind::Utilization,
                    25.0,
                    &[(0.0, 0.0), (40.0, 40.0), (80.0, 100.0)],
                ),
                spec(
                    ComponentKind::LoginRecency,
                    20.0,
                    &[
                        (0.0, 100.0),
                        (7.0, 90.0),
                        (14.0, 70.0),
                        (30.0, 30.0),
                        (60.0, 0.0),
                    ],
                ),
                spec(ComponentKind::Nps, 20.0, &[(0.0, 0.0), (100.0, 100.0)]),
                spec(
                    ComponentKind::SupportLoad,
                    15.0,
                    &[(0.0, 100.0), (2.0, 80.0), (5.0, 40.0), (10.0, 0.0)],
                ),
                spec(ComponentKind::Adoption, 10.0, &[(0.0, 0.0), (100.0, 100.0)]),
                spec(
                    ComponentKind::Payment,
                    10.0,
                    &[(0.0, 100.0), (1.0, 50.0), (3.0, 0.0)],
                ),
            ],
            healthy_from: 75,
            at_risk_from: 50,
        }
    }
}

/// One component's part of a score.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentScore {
    pub kind: ComponentKind,
    /// The raw input on the curve's scale (utilization in %, days, tickets...).
    pub input: f64,
    pub score: f64,
    /// Effective weight after missing components were shared out; all sum to 100.
    pub weight: f64,
    /// score x weight / 100: the points this component adds.
    pub contribution: f64,
}

/// A score with everything needed to explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    pub score: u8,
    pub band: Band,
    pub components: Vec<ComponentScore>,
}

impl ComponentScore {
    /// Points this component keeps the score from: what fixing it would win back.
    pub fn points_lost(&self) -> f64 {
        self.weight * (100.0 - self.score) / 100.0
    }
}

impl Health {
    /// The component that costs the most points.
    pub fn weakest(&self) -> Option<&ComponentScore> {
        self.components
            .iter()
            .max_by(|a, b| a.points_lost().total_cmp(&b.points_lost()))
    }
}

impl HealthModel {
    /// The band a score falls in.
    pub fn band(&self, score: u8) -> Band {
        if score >= self.healthy_from {
            Band::Healthy
        } else if score >= self.at_risk_from {
            Band::AtRisk
        } else {
            Band::Critical
        }
    }

    /// Points a score needs to reach the next band up, and that band; none when healthy.
    pub fn points_to_next_band(&self, score: u8) -> Option<(u8, Band)> {
        match self.band(score) {
            Band::Healthy => None,
            Band::AtRisk => Some((self.healthy_from - score, Band::Healthy)),
            Band::Critical => Some((self.at_risk_from - score, Band::AtRisk)),
        }
    }

    /// The weighed components a score had no input for: a score resting on a few inputs says
    /// less than it seems, and a CSM should know before trusting a "healthy".
    pub fn missing(&self, health: &Health) -> Vec<&'static str> {
        self.components
            .iter()
            .filter(|spec| spec.weight > 0.0)
            .filter(|spec| !health.components.iter().any(|c| c.kind == spec.kind))
            .map(|spec| spec.kind.name())
            .collect()
    }

    /// The share of the model's weight that had input (1.0 when every component did).
    pub fn coverage(&self, health: &Health) -> f64 {
        let all: f64 = self
            .components
            .iter()
            .map(|spec| spec.weight.max(0.0))
            .sum();
        let had: f64 = self
            .components
            .iter()
            .filter(|spec| health.components.iter().any(|c| c.kind == spec.kind))
            .map(|spec| spec.weight.max(0.0))
            .sum();
        if all > 0.0 { had / all } else { 0.0 }
    }

    /// Whether a score rests on under half the model's weight: it is drawn with a "?".
    pub fn is_thin(&self, health: &Health) -> bool {
        self.coverage(health) < 0.5
    }

    /// The components with an input, and the inputs.
    fn present<'m>(
        &'m self,
        inputs: &'m HealthInputs,
    ) -> impl Iterator<Item = (&'m ComponentSpec, f64)> + 'm {
        self.components
            .iter()
            .filter(|spec| spec.weight > 0.0)
            .filter_map(|spec| spec.kind.input(inputs).map(|input| (spec, input)))
    }

    /// The weight (of 100) the components present leave to each, in total; none when no
    /// component has an input.
    fn total_weight(&self, inputs: &HealthInputs) -> Option<f64> {
        let total: f64 = self.present(inputs).map(|(spec, _)| spec.weight).sum();
        (self.present(inputs).next().is_some() && total > 0.0).then_some(total)
    }

    /// Scores the inputs; none when no component has an input (nothing to say about health).
    pub fn score(&self, inputs: &HealthInputs) -> Option<Health> {
        let total_weight = self.total_weight(inputs)?;
        let components: Vec<ComponentScore> = self
            .present(inputs)
            .map(|(spec, input)| {
                let (score, weight, contribution) = part(spec, input, total_weight);
                ComponentScore {
                    kind: spec.kind,
                    input,
                    score,
                    weight,
                    contribution,
                }
            })
            .collect();
        let score = rounded(components.iter().map(|c| c.contribution).sum());
        Some(Health {
            score,
            band: self.band(score),
            components,
        })
    }

    /// [`HealthModel::score`]'s score alone, reckoned the same way but without the breakdown:
    /// a million accounts scored at load make no vectors.
    pub fn score_only(&self, inputs: &HealthInputs) -> Option<u8> {
        let total_weight = self.total_weight(inputs)?;
        let total = self
            .present(inputs)
            .map(|(spec, input)| part(spec, input, total_weight).2)
            .sum();
        Some(rounded(total))
    }
}

/// A component's score of its input, its share of the weight (of 100) and what it adds.
fn part(spec: &ComponentSpec, input: f64, total_weight: f64) -> (f64, f64, f64) {
    let score = spec.curve.score(input);
    let weight = spec.weight * 100.0 / total_weight;
    (score, weight, score * weight / 100.0)
}

/// The whole score from the components' contributions.
fn rounded(total: f64) -> u8 {
    total.round().clamp(0.0, 100.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perfect() -> HealthInputs {
        HealthInputs {
            utilization: Some(0.95),
            days_since_login: Some(0),
            nps_score: Some(10.0),
            open_tickets: Some(0),
            feature_adoption: Some(100.0),
            onboarding: Some(100.0),
            overdue_invoices: Some(0),
        }
    }

    #[test]
    fn perfect_and_terrible_accounts_land_in_the_right_bands() {
        let model = HealthModel::default();
        let good = model.score(&perfect()).unwrap();
        assert!(good.score >= 90, "{}", good.score);
        assert_eq!(good.band, Band::Healthy);
        let bad = model
            .score(&HealthInputs {
                utilization: Some(0.05),
                days_since_login: Some(90),
                nps_score: Some(1.0),
                open_tickets: Some(12),
                feature_adoption: Some(5.0),
                onboarding: Some(10.0),
                overdue_invoices: Some(3),
            })
            .unwrap();
        assert!(bad.score < 30, "{}", bad.score);
        assert_eq!(bad.band, Band::Critical);
    }

    #[test]
    fn missing_inputs_share_their_weight() {
        let model = HealthModel::default();
        let inputs = HealthInputs {
            utilization: Some(0.5),
            days_since_login: Some(20),
            ..HealthInputs::default()
        };
        let health = model.score(&inputs).unwrap();
        assert_eq!(health.components.len(), 2);
        let weights: f64 = health.components.iter().map(|c| c.weight).sum();
        assert!((weights - 100.0).abs() < 1e-9);
        let contributions: f64 = health.components.iter().map(|c| c.contribution).sum();
        assert!((contributions - f64::from(health.score)).abs() <= 0.5);
        assert!((health.components[0].weight - 100.0 * 25.0 / 45.0).abs() < 1e-9);
        assert_eq!(model.score(&HealthInputs::default()), None);
        // Usage and logins are 45 of the 100 weight: a thin score, and what it lacks is named.
        assert!((model.coverage(&health) - 0.45).abs() < 1e-9);
        assert!(model.is_thin(&health));
        assert_eq!(model.missing(&health).len(), 4);
        let full = model.score(&perfect()).unwrap();
        assert!(model.missing(&full).is_empty());
        assert!(!model.is_thin(&full));
    }

    #[test]
    fn curve_interpolates_and_clamps() {
        let curve = Curve {
            points: vec![(0.0, 100.0), (10.0, 0.0)],
        };
        assert_eq!(curve.score(-5.0), 100.0);
        assert_eq!(curve.score(5.0), 50.0);
        assert_eq!(curve.score(50.0), 0.0);
    }

    #[test]
    fn band_edges() {
        let model = HealthModel::default();
        assert_eq!(model.band(75), Band::Healthy);
        assert_eq!(model.band(74), Band::AtRisk);
        assert_eq!(model.band(50), Band::AtRisk);
        assert_eq!(model.band(49), Band::Critical);
        assert_eq!(model.points_to_next_band(49), Some((1, Band::AtRisk)));
        assert_eq!(model.points_to_next_band(60), Some((15, Band::Healthy)));
        assert_eq!(model.points_to_next_band(80), None);
    }

    #[test]
    fn weakest_is_the_component_costing_most_points() {
        let model = HealthModel::default();
        let mut inputs = perfect();
        inputs.open_tickets = Some(8);
        let health = model.score(&inputs).unwrap();
        assert_eq!(health.weakest().unwrap().kind, ComponentKind::SupportLoad);
    }
}

#[cfg(test)]
mod thresholds {
    use super::*;
    use proptest::prelude::*;

    fn component(kind: ComponentKind) -> ComponentSpec {
        HealthModel::default()
            .components
            .into_iter()
            .find(|c| c.kind == kind)
            .expect("default component")
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn each_component_scores_at_and_around_its_thresholds() {
        let cases: [(ComponentKind, &[(f64, f64)]); 6] = [
            (
                ComponentKind::Utilization,
                &[
                    (0.0, 0.0),
                    (20.0, 20.0),
                    (40.0, 40.0),
                    (60.0, 70.0),
                    (79.0, 98.5),
                    (80.0, 100.0),
                    (120.0, 100.0),
                ],
            ),
            (
                ComponentKind::LoginRecency,
                &[
                    (0.0, 100.0),
                    (7.0, 90.0),
                    (8.0, 87.142_857_142_857_14),
                    (14.0, 70.0),
                    (30.0, 30.0),
                    (45.0, 15.0),
                    (60.0, 0.0),
                    (400.0, 0.0),
                ],
            ),
            (
                ComponentKind::Nps,
                &[(0.0, 0.0), (65.0, 65.0), (100.0, 100.0)],
            ),
            (
                ComponentKind::SupportLoad,
                &[
                    (0.0, 100.0),
                    (1.0, 90.0),
                    (2.0, 80.0),
                    (5.0, 40.0),
                    (6.0, 32.0),
                    (10.0, 0.0),
                    (30.0, 0.0),
                ],
            ),
            (
                ComponentKind::Adoption,
                &[(0.0, 0.0), (55.0, 55.0), (100.0, 100.0)],
            ),
            (
                ComponentKind::Payment,
                &[
                    (0.0, 100.0),
                    (1.0, 50.0),
                    (2.0, 25.0),
                    (3.0, 0.0),
                    (9.0, 0.0),
                ],
            ),
        ];
        for (kind, points) in cases {
            let spec = component(kind);
            for (input, expected) in points {
                let got = spec.curve.score(*input);
                assert!(
                    close(got, *expected),
                    "{kind:?} at {input}: {got} != {expected}"
                );
            }
        }
    }

    fn inputs() -> impl Strategy<Value = HealthInputs> {
        (
            proptest::option::of(0.0f64..1.5),
            proptest::option::of(0i64..400),
            proptest::option::of(0.0f64..10.0),
            proptest::option::of(0i64..30),
            proptest::option::of(0.0f64..100.0),
            proptest::option::of(0.0f64..100.0),
            proptest::option::of(0i64..5),
        )
            .prop_map(|(u, d, n, t, f, o, p)| HealthInputs {
                utilization: u,
                days_since_login: d,
                nps_score: n,
                open_tickets: t,
                feature_adoption: f,
                onboarding: o,
                overdue_invoices: p,
            })
    }

    proptest! {
        #[test]
        fn the_score_alone_is_the_breakdowns_score(inputs in inputs(), weight in 0.0f64..30.0) {
            let mut model = HealthModel::default();
            prop_assert_eq!(model.score_only(&inputs), model.score(&inputs).map(|h| h.score));
            // A weight of nought leaves its component out, in both.
            model.components[0].weight = weight.floor();
            prop_assert_eq!(model.score_only(&inputs), model.score(&inputs).map(|h| h.score));
        }

        #[test]
        fn better_usage_never_lowers_the_score(base in inputs(), more in 0.0f64..0.5, fresher in 0i64..60, fewer in 0i64..10) {
            let model = HealthModel::default();
            let score = |i: &HealthInputs| model.score(i).map(|h| h.score);
            let mut better = base;
            better.utilization = base.utilization.map(|u| u + more);
            prop_assert!(score(&better) >= score(&base));
            let mut better = base;
            better.days_since_login = base.days_since_login.map(|d| (d - fresher).max(0));
            prop_assert!(score(&better) >= score(&base));
            let mut better = base;
            better.open_tickets = base.open_tickets.map(|t| (t - fewer).max(0));
            prop_assert!(score(&better) >= score(&base));
        }

        #[test]
        fn the_breakdown_always_adds_up(i in inputs()) {
            if let Some(h) = HealthModel::default().score(&i) {
                let weights: f64 = h.components.iter().map(|c| c.weight).sum();
                let points: f64 = h.components.iter().map(|c| c.contribution).sum();
                prop_assert!((weights - 100.0).abs() < 1e-6);
                prop_assert!((points - f64::from(h.score)).abs() <= 0.5 + 1e-9);
                let weakest = h.weakest().map(ComponentScore::points_lost).unwrap_or(0.0);
                prop_assert!(h.components.iter().all(|c| c.points_lost() <= weakest + 1e-9));
            }
        }
    }
}
