//! Reading the triage signals from TOML: the embedded default (assets/triage.toml) with a
//! user's file laid over it, key by key. Mistakes name the file and the key; nothing falls
//! back silently, because a queue with a wrong threshold hides accounts that need a CSM.

use serde::Deserialize;

/// The default signals, compiled in.
pub const DEFAULT_TRIAGE: &str = include_str!("../../../assets/triage.toml");

/// What fires a signal, with its thresholds.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Renews within `days` and `when` (a filter expression) holds.
    Renewal { days: i64, when: Option<String> },
    /// Health fell at least `points` against the score `days` ago.
    HealthDrop { points: f64, days: i64 },
    /// An answer of 0-6 in the last `days` days.
    Detractor { days: i64 },
    /// No login for `days` days or more.
    Inactive { days: i64 },
    /// At least `invoices` overdue invoices.
    Overdue { invoices: i64 },
    /// Utilization under `below` percent.
    LowUtilization { below: f64 },
    /// Onboarding stage more than `days` after the contract started, onboarding under 100%.
    OnboardingStalled { days: i64 },
    /// A critical health band.
    Critical,
    /// Any filter expression, with the reason to show.
    /// `reason` is shared by every hit of the signal.
    Custom {
        when: String,
        reason: crate::domain::account::Shared,
    },
}

/// One signal: its name (the config key, or the custom name), weight and rule.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalSpec {
    pub id: String,
    pub weight: f64,
    pub rule: Rule,
}

/// The whole triage configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct TriageConfig {
    /// Accounts this expression matches never enter the queue.
    pub skip: Option<String>,
    /// ARR (major units) at or below which ARR adds nothing to the priority.
    pub arr_unit: f64,
    /// The signals with a weight above zero, built-in first, then custom ones.
    pub signals: Vec<SignalSpec>,
    /// Where the configuration came from, for error messages ("assets/triage.toml").
    pub source: String,
}

impl TriageConfig {
    /// The days back the health-drop signal compares against (0 when it is off).
    pub fn drop_days(&self) -> i64 {
        self.signals
            .iter()
            .find_map(|s| match s.rule {
                Rule::HealthDrop { days, .. } => Some(days),
                _ => None,
            })
            .unwrap_or(0)
    }

    /// The days back a detractor answer counts as new (0 when the signal is off).
    pub fn detractor_days(&self) -> i64 {
        self.signals
            .iter()
            .find_map(|s| match s.rule {
                Rule::Detractor { days } => Some(days),
                _ => None,
            })
            .unwrap_or(0)
    }
}

impl Default for TriageConfig {
    fn default() -> Self {
        // The embedded file is checked by a test; an error here is a build defect.
        load(DEFAULT_TRIAGE, None).unwrap_or(TriageConfig {
            skip: None,
            arr_unit: 1000.0,
            signals: Vec::new(),
            source: "assets/triage.toml".into(),
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    queue: Option<QueueFile>,
    signals: Option<SignalsFile>,
    custom: Option<Vec<CustomFile>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct QueueFile {
    skip: Option<String>,
    arr_unit: Option<f64>,
}

/// Every built-in signal's table; each key is optional so a user's file can change one.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalsFile {
    renewal: Option<SignalFile>,
    health_drop: Option<SignalFile>,
    detractor: Option<SignalFile>,
    inactive: Option<SignalFile>,
    overdue: Option<SignalFile>,
    low_utilization: Option<SignalFile>,
    onboarding_stalled: Option<SignalFile>,
    critical: Option<SignalFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalFile {
    weight: Option<f64>,
    days: Option<f64>,
    points: Option<f64>,
    invoices: Option<f64>,
    below: Option<f64>,
    when: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomFile {
    name: String,
    when: String,
    reason: Option<String>,
    weight: Option<f64>,
}

fn parse(label: &str, text: &str) -> Result<File, String> {
    crate::domain::health_config::parse_toml(label, text)
}

/// Which keys each built-in signal takes besides `weight`.
const KEYS: [(&str, &[&str]); 8] = [
    ("renewal", &["days", "when"]),
    ("health_drop", &["points", "days"]),
    ("detractor", &["days"]),
    ("inactive", &["days"]),
    ("overdue", &["invoices"]),
    ("low_utilization", &["below"]),
    ("onboarding_stalled", &["days"]),
    ("critical", &[]),
];

fn signal<'f>(file: &'f SignalsFile, id: &str) -> Option<&'f SignalFile> {
    match id {
        "renewal" => file.renewal.as_ref(),
        "health_drop" => file.health_drop.as_ref(),
        "detractor" => file.detractor.as_ref(),
        "inactive" => file.inactive.as_ref(),
        "overdue" => file.overdue.as_ref(),
        "low_utilization" => file.low_utilization.as_ref(),
        "onboarding_stalled" => file.onboarding_stalled.as_ref(),
        "critical" => file.critical.as_ref(),
        _ => None,
    }
}

fn keys_given(s: &SignalFile) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (name, given) in [
        ("days", s.days.is_some()),
        ("points", s.points.is_some()),
        ("invoices", s.invoices.is_some()),
        ("below", s.below.is_some()),
        ("when", s.when.is_some()),
    ] {
        if given {
            out.push(name);
        }
    }
    out
}

/// Builds the configuration from the default text and, if given, a user's file `(label, text)`.
pub fn load(default: &str, user: Option<(&str, &str)>) -> Result<TriageConfig, String> {
    let base = parse("assets/triage.toml", default)?;
    let over = match user {
        Some((label, text)) => Some((label, parse(label, text)?)),
        None => None,
    };
    let label = over.as_ref().map_or("assets/triage.toml", |(l, _)| *l);
    // Keys a signal does not take are mistakes, not silently ignored.
    for (file_label, file) in
        std::iter::once(("assets/triage.toml", &base)).chain(over.as_ref().map(|(l, f)| (*l, f)))
    {
        if let Some(signals) = &file.signals {
            for (id, allowed) in KEYS {
                if let Some(s) = signal(signals, id) {
                    for key in keys_given(s) {
                        if !allowed.contains(&key) {
                            return Err(format!(
                                "{file_label}: signals.{id}.{key}: this signal takes no {key}; it takes {}",
                                if allowed.is_empty() {
                                    "only weight".to_owned()
                                } else {
                                    format!("weight, {}", allowed.join(", "))
                                }
                            ));
                        }
                    }
                }
            }
        }
    }
    let user_signals = over.as_ref().and_then(|(_, f)| f.signals.as_ref());
    let base_signals = base.signals.as_ref();
    let pick = |id: &str, get: fn(&SignalFile) -> Option<f64>| -> Option<f64> {
        user_signals
            .and_then(|s| signal(s, id))
            .and_then(get)
            .or_else(|| base_signals.and_then(|s| signal(s, id)).and_then(get))
    };
    let pick_when = |id: &str| -> Option<String> {
        user_signals
            .and_then(|s| signal(s, id))
            .and_then(|s| s.when.clone())
            .or_else(|| {
                base_signals
                    .and_then(|s| signal(s, id))
                    .and_then(|s| s.when.clone())
            })
            .filter(|w| !w.trim().is_empty())
    };
    let number = |id: &str, key: &str, get: fn(&SignalFile) -> Option<f64>, min: f64| {
        let value =
            pick(id, get).ok_or_else(|| format!("{label}: signals.{id}.{key} is missing"))?;
        if !value.is_finite() || value < min {
            return Err(format!(
                "{label}: signals.{id}.{key}: expected a number of at least {min}, found {value}"
            ));
        }
        Ok(value)
    };
    let days = |id: &str| -> Result<i64, String> {
        let value = number(id, "days", |s| s.days, 1.0)?;
        if value.fract() != 0.0 {
            return Err(format!(
                "{label}: signals.{id}.days: expected whole days, found {value}"
            ));
        }
        Ok(value as i64)
    };
    let mut signals = Vec::new();
    for (id, _) in KEYS {
        let weight = number(id, "weight", |s| s.weight, 0.0)?;
        if weight == 0.0 {
            continue;
        }
        let rule = match id {
            "renewal" => Rule::Renewal {
                days: days(id)?,
                when: pick_when(id),
            },
            "health_drop" => Rule::HealthDrop {
                points: number(id, "points", |s| s.points, 1.0)?,
                days: days(id)?,
            },
            "detractor" => Rule::Detractor { days: days(id)? },
            "inactive" => Rule::Inactive { days: days(id)? },
            "overdue" => Rule::Overdue {
                invoices: number(id, "invoices", |s| s.invoices, 1.0)?.ceil() as i64,
            },
            "low_utilization" => {
                let below = number(id, "below", |s| s.below, 1.0)?;
                if below > 100.0 {
                    return Err(format!(
                        "{label}: signals.{id}.below: expected a percentage 1-100, found {below}"
                    ));
                }
                Rule::LowUtilization { below }
            }
            "onboarding_stalled" => Rule::OnboardingStalled { days: days(id)? },
            _ => Rule::Critical,
        };
        signals.push(SignalSpec {
            id: id.to_owned(),
            weight,
            rule,
        });
    }
    let customs = base
        .custom
        .iter()
        .flatten()
        .map(|c| ("assets/triage.toml", c))
        .chain(
            over.iter()
                .flat_map(|(l, f)| f.custom.iter().flatten().map(move |c| (*l, c))),
        );
    for (file_label, custom) in customs {
        let name = custom.name.trim();
        if name.is_empty() || name.chars().any(char::is_control) || name.chars().count() > 60 {
            return Err(format!(
                "{file_label}: custom.name: expected 1-60 printable characters, found {:?}",
                custom.name
            ));
        }
        if signals.iter().any(|s| s.id.eq_ignore_ascii_case(name)) {
            return Err(format!(
                "{file_label}: custom '{name}': a signal of that name exists already: choose another name"
            ));
        }
        let weight = custom.weight.unwrap_or(20.0);
        if !weight.is_finite() || weight < 0.0 {
            return Err(format!(
                "{file_label}: custom '{name}'.weight: expected a number of at least 0, found {weight}"
            ));
        }
        if custom.when.trim().is_empty() {
            return Err(format!(
                "{file_label}: custom '{name}'.when: expected a filter expression"
            ));
        }
        if weight == 0.0 {
            continue;
        }
        signals.push(SignalSpec {
            id: name.to_owned(),
            weight,
            rule: Rule::Custom {
                when: custom.when.clone(),
                reason: custom
                    .reason
                    .clone()
                    .filter(|r| !r.trim().is_empty())
                    .unwrap_or_else(|| format!("matches '{name}'"))
                    .into(),
            },
        });
    }
    let queue_user = over.as_ref().and_then(|(_, f)| f.queue.as_ref());
    let skip = queue_user
        .and_then(|q| q.skip.clone())
        .or_else(|| base.queue.as_ref().and_then(|q| q.skip.clone()))
        .filter(|s| !s.trim().is_empty());
    let arr_unit = queue_user
        .and_then(|q| q.arr_unit)
        .or_else(|| base.queue.as_ref().and_then(|q| q.arr_unit))
        .unwrap_or(1000.0);
    if !arr_unit.is_finite() || arr_unit <= 0.0 {
        return Err(format!(
            "{label}: queue.arr_unit: expected an amount above 0, found {arr_unit}"
        ));
    }
    Ok(TriageConfig {
        skip,
        arr_unit,
        signals,
        source: label.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_loads_every_built_in_signal() {
        let config = load(DEFAULT_TRIAGE, None).unwrap();
        let ids: Vec<&str> = config.signals.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, KEYS.map(|(id, _)| id));
        assert_eq!(config.drop_days(), 30);
        assert_eq!(config.detractor_days(), 14);
        assert_eq!(config, TriageConfig::default());
    }

    #[test]
    fn a_user_file_changes_only_what_it_names_and_adds_custom_signals() {
        let user = "[signals.inactive]\ndays = 21\n[signals.critical]\nweight = 0\n\
                    [[custom]]\nname = \"sponsor left\"\nwhen = 'tag:\"sponsor left\"'\nweight = 35\n";
        let config = load(DEFAULT_TRIAGE, Some(("triage.toml", user))).unwrap();
        let inactive = config.signals.iter().find(|s| s.id == "inactive").unwrap();
        assert_eq!(inactive.rule, Rule::Inactive { days: 21 });
        assert_eq!(inactive.weight, 20.0);
        assert!(!config.signals.iter().any(|s| s.id == "critical"));
        let custom = config.signals.last().unwrap();
        assert_eq!(custom.id, "sponsor left");
        assert_eq!(
            custom.rule,
            Rule::Custom {
                when: "tag:\"sponsor left\"".into(),
                reason: "matches 'sponsor left'".into()
            }
        );
    }

    #[test]
    fn mistakes_name_the_file_and_the_key() {
        let cases = [
            ("[signals.inactive]\ndays = -3\n", "signals.inactive.days"),
            ("[signals.inactive]\ndays = 2.5\n", "whole days"),
            ("[signals.critical]\ndays = 3\n", "signals.critical.days"),
            ("[signals.renewl]\nweight = 3\n", "renewl"),
            ("[queue]\narr_unit = 0\n", "queue.arr_unit"),
            (
                "[[custom]]\nname = \"inactive\"\nwhen = \"arr > 1\"\n",
                "exists already",
            ),
            (
                "[[custom]]\nname = \"x\"\nwhen = \" \"\n",
                "custom 'x'.when",
            ),
            ("[signals.low_utilization]\nbelow = 150\n", "percentage"),
        ];
        for (text, expected) in cases {
            let error = load(DEFAULT_TRIAGE, Some(("triage.toml", text))).unwrap_err();
            assert!(error.contains(expected), "{text:?}: {error}");
            assert!(error.starts_with("triage.toml"), "{error}");
        }
    }
}
