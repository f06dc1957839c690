//! Reading the health model from TOML: the embedded default (assets/health.toml) with a user's
//! file laid over it. Every mistake is reported with the key it is about; nothing falls back
//! silently, because a wrong model shows wrong scores.

use crate::domain::health::{ComponentKind, ComponentSpec, Curve, HealthModel};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The default model, compiled in.
pub const DEFAULT_MODEL: &str = include_str!("../../assets/health.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    bands: Option<BandsFile>,
    components: Option<BTreeMap<String, ComponentFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BandsFile {
    healthy: Option<f64>,
    at_risk: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentFile {
    weight: Option<f64>,
    points: Option<Vec<Vec<f64>>>,
}

/// The config key of each component.
fn key(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Utilization => "utilization",
        ComponentKind::LoginRecency => "login_recency",
        ComponentKind::Nps => "nps",
        ComponentKind::SupportLoad => "support_load",
        ComponentKind::Adoption => "adoption",
        ComponentKind::Payment => "payment",
    }
}

const KINDS: [ComponentKind; 6] = [
    ComponentKind::Utilization,
    ComponentKind::LoginRecency,
    ComponentKind::Nps,
    ComponentKind::SupportLoad,
    ComponentKind::Adoption,
    ComponentKind::Payment,
];

fn parse(label: &str, text: &str) -> Result<ModelFile, String> {
    parse_toml(label, text)
}

/// Reads a TOML configuration file, naming `label:line:column` in its error.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    label: &str,
    text: &str,
) -> Result<T, String> {
    toml::from_str(text).map_err(|e| {
        let place = e
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(":{line}:{col}")
            })
            .unwrap_or_default();
        format!("{label}{place}: {}", e.message().trim())
    })
}

/// Builds the model from the default text and, if given, a user's file `(label, text)`.
pub fn load(default: &str, user: Option<(&str, &str)>) -> Result<HealthModel, String> {
    let base = parse("assets/health.toml", default)?;
    let over = match user {
        Some((label, text)) => Some((label, parse(label, text)?)),
        None => None,
    };
    let label = over.as_ref().map_or("assets/health.toml", |(l, _)| *l);
    if let Some((label, file)) = &over
        && let Some(components) = &file.components
    {
        for name in components.keys() {
            if !KINDS.iter().any(|k| key(*k) == name) {
                let known: Vec<&str> = KINDS.iter().map(|k| key(*k)).collect();
                return Err(format!(
                    "{label}: components.{name}: unknown component; expected one of {}",
                    known.join(", ")
                ));
            }
        }
    }
    let pick_band = |get: fn(&BandsFile) -> Option<f64>| {
        over.as_ref()
            .and_then(|(_, f)| f.bands.as_ref().and_then(get))
            .or_else(|| base.bands.as_ref().and_then(get))
    };
    let healthy = pick_band(|b| b.healthy).ok_or("bands.healthy is missing")?;
    let at_risk = pick_band(|b| b.at_risk).ok_or("bands.at_risk is missing")?;
    let whole = |value: f64, name: &str| -> Result<u8, String> {
        if value.fract() != 0.0 || !(1.0..=100.0).contains(&value) {
            return Err(format!(
                "{label}: bands.{name}: expected a whole score 1-100, found {value}"
            ));
        }
        Ok(value as u8)
    };
    let (healthy, at_risk) = (whole(healthy, "healthy")?, whole(at_risk, "at_risk")?);
    if at_risk >= healthy {
        return Err(format!(
            "{label}: bands.at_risk ({at_risk}) must be below bands.healthy ({healthy})"
        ));
    }
    let mut components = Vec::new();
    for kind in KINDS {
        let name = key(kind);
        let user_part = over
            .as_ref()
            .and_then(|(_, f)| f.components.as_ref())
            .and_then(|c| c.get(name));
        let base_part = base.components.as_ref().and_then(|c| c.get(name));
        let weight = user_part
            .and_then(|c| c.weight)
            .or_else(|| base_part.and_then(|c| c.weight))
            .ok_or_else(|| format!("components.{name}.weight is missing"))?;
        if !weight.is_finite() || weight < 0.0 {
            return Err(format!(
                "{label}: components.{name}.weight: expected a number of 0 or more, found {weight}"
            ));
        }
        let points = user_part
            .and_then(|c| c.points.clone())
            .or_else(|| base_part.and_then(|c| c.points.clone()))
            .ok_or_else(|| format!("components.{name}.points is missing"))?;
        let curve =
            curve(&points).map_err(|e| format!("{label}: components.{name}.points: {e}"))?;
        components.push(ComponentSpec {
            kind,
            weight,
            curve,
        });
    }
    if components.iter().all(|c| c.weight == 0.0) {
        return Err(format!(
            "{label}: every component weight is 0: give at least one a weight above 0"
        ));
    }
    Ok(HealthModel {
        components,
        healthy_from: healthy,
        at_risk_from: at_risk,
    })
}

fn curve(points: &[Vec<f64>]) -> Result<Curve, String> {
    if points.is_empty() {
        return Err("expected at least one [input, score] pair".into());
    }
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for (i, pair) in points.iter().enumerate() {
        let [input, score] = pair.as_slice() else {
            return Err(format!(
                "point {} has {} numbers; expected [input, score]",
                i + 1,
                pair.len()
            ));
        };
        if !input.is_finite() || !(0.0..=100.0).contains(score) {
            return Err(format!(
                "point {} [{input}, {score}]: the score must be 0-100",
                i + 1
            ));
        }
        if let Some((last, _)) = out.last()
            && input <= last
        {
            return Err(format!(
                "point {} [{input}, {score}]: inputs must increase ({input} is not above {last})",
                i + 1
            ));
        }
        out.push((*input, *score));
    }
    Ok(Curve { points: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_is_the_default_model() {
        assert_eq!(load(DEFAULT_MODEL, None).unwrap(), HealthModel::default());
    }

    #[test]
    fn a_user_file_overrides_only_what_it_names() {
        let user = "[bands]\nhealthy = 80\n[components.nps]\nweight = 0\n";
        let model = load(DEFAULT_MODEL, Some(("health.toml", user))).unwrap();
        assert_eq!(model.healthy_from, 80);
        assert_eq!(model.at_risk_from, 50);
        let nps = model
            .components
            .iter()
            .find(|c| c.kind == ComponentKind::Nps)
            .unwrap();
        assert_eq!(nps.weight, 0.0);
        let util = &model.components[0];
        assert_eq!(util.weight, 25.0);
    }

    #[test]
    fn mistakes_name_the_file_and_the_key() {
        let cases = [
            (
                "[components.utilisation]\nweight = 5\n",
                "components.utilisation: unknown component",
            ),
            (
                "[components.nps]\nweight = -1\n",
                "components.nps.weight: expected a number of 0 or more",
            ),
            ("[components.nps]\nweight = \"lots\"\n", "health.toml:2:10"),
            (
                "[components.payment]\npoints = [[0, 100], [0, 50]]\n",
                "components.payment.points: point 2",
            ),
            (
                "[components.payment]\npoints = [[0, 150]]\n",
                "the score must be 0-100",
            ),
            ("[components.payment]\npoints = []\n", "at least one"),
            (
                "[components.payment]\npoints = [[1, 2, 3]]\n",
                "expected [input, score]",
            ),
            (
                "[bands]\nat_risk = 80\n",
                "bands.at_risk (80) must be below bands.healthy (75)",
            ),
            (
                "[bands]\nhealthy = 75.5\n",
                "bands.healthy: expected a whole score",
            ),
            ("[bandz]\n", "health.toml:1:"),
            (
                "[components.utilization]\nweight = 0\n[components.login_recency]\nweight = 0\n[components.nps]\nweight = 0\n[components.support_load]\nweight = 0\n[components.adoption]\nweight = 0\n[components.payment]\nweight = 0\n",
                "every component weight is 0",
            ),
        ];
        for (text, expected) in cases {
            let err = load(DEFAULT_MODEL, Some(("health.toml", text))).unwrap_err();
            assert!(err.contains(expected), "{text:?}: {err}");
            assert!(err.starts_with("health.toml"), "{err}");
        }
    }
}
