//! Segments: the built-in catalog (assets/segments.toml), saved ones, facets generated from the
//! data (value -> count, like a frequency table), and the figures shown beside each.

use crate::domain::AccountRow;
use crate::domain::fields::Field;
use crate::domain::filter::lexer::is_word_char;
use crate::domain::nps::NpsSummary;
use serde::Deserialize;

/// A named expression.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Segment {
    pub name: String,
    pub expression: String,
    /// The heading it is listed under.
    pub group: String,
    /// Part of csdeck, not saved by the user.
    #[serde(default = "yes")]
    pub builtin: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct CatalogFile {
    segment: Vec<Segment>,
}

/// The catalog file, compiled in.
const CATALOG: &str = include_str!("../../assets/segments.toml");

/// The built-in segments, in catalog order.
pub fn builtin() -> Vec<Segment> {
    // The catalog is part of the build and a test parses it: a broken one never ships.
    toml::from_str::<CatalogFile>(CATALOG).map_or_else(|_| Vec::new(), |c| c.segment)
}

/// A saved segment as the sidebar and CLI list it.
pub fn saved(name: &str, expression: &str) -> Segment {
    Segment {
        name: name.to_owned(),
        expression: expression.to_owned(),
        group: "Saved".to_owned(),
        builtin: false,
    }
}

/// The fields facets are generated for.
pub const FACET_FIELDS: [Field; 4] = [Field::Region, Field::Industry, Field::Plan, Field::Owner];

/// Writes a value so the filter language reads it back as the same string.
pub fn quote(value: &str) -> String {
    let keyword = matches!(
        value.to_ascii_lowercase().as_str(),
        "and" | "or" | "not" | "in"
    );
    if !value.is_empty() && !keyword && value.chars().all(is_word_char) {
        value.to_owned()
    } else {
        let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{escaped}\"")
    }
}

/// One value of a facet with how many accounts have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    pub field: Field,
    pub value: String,
    pub count: usize,
}

impl FacetValue {
    /// The expression that drills down into this value.
    pub fn expression(&self) -> String {
        format!("{} = {}", self.field.name(), quote(&self.value))
    }
}

/// How `field = value` compares values: numbers as numbers, text ignoring case. Values with
/// one key select the same accounts; none for a value that matches nothing (NaN).
fn facet_key(value: &str) -> Option<String> {
    match value.trim().parse::<f64>() {
        Ok(n) if n.is_nan() => None,
        Ok(n) => Some(format!("#{n}")),
        Err(_) => Some(format!("'{}", value.to_lowercase())),
    }
}

/// Each value of a facet with the figures of the accounts `field = value` selects, in one
/// pass (a filter per value would read every row once per value). From a coded column:
/// `dict[code]` is a value (code 0 and `None` are "no value"), `codes` gives each row's,
/// `part` each row's share of the figures.
pub fn facet_stats<S: AsRef<str>>(
    field: Field,
    dict: &[Option<S>],
    codes: &[u32],
    part: impl Fn(usize) -> StatsPart,
) -> Vec<(FacetValue, Stats)> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); dict.len()];
    for (i, &code) in codes.iter().enumerate() {
        if code != 0 {
            members[code as usize].push(i);
        }
    }
    let present = || {
        dict.iter()
            .zip(&members)
            .filter_map(|(value, rows)| Some((value.as_ref()?.as_ref(), rows)))
            .filter(|(_, rows)| !rows.is_empty())
    };
    // Values `=` cannot tell apart (case, 5 and 5.0) select the same accounts.
    let mut groups: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for (value, rows) in present() {
        if let Some(key) = facet_key(value) {
            groups.entry(key).or_default().extend(rows);
        }
    }
    let mut values: Vec<FacetValue> = present()
        .map(|(value, rows)| FacetValue {
            field,
            value: value.to_owned(),
            count: rows.len(),
        })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values
        .into_iter()
        .map(|value| {
            let stats = facet_key(&value.value)
                .and_then(|key| groups.get_mut(&key))
                .map(|rows| {
                    // In row order, as the drill-down's filter adds them up.
                    rows.sort_unstable();
                    let mut sum = StatsSum::default();
                    for &i in rows.iter() {
                        sum.add(&part(i));
                    }
                    sum.finish()
                })
                .unwrap_or_default();
            (value, stats)
        })
        .collect()
}

/// The figures shown beside a segment.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stats {
    pub count: usize,
    /// Total ARR in minor units.
    pub arr: i64,
    /// The part of `arr` that churned accounts still carry (shown apart: it is not at stake).
    pub churned_arr: i64,
    /// Mean health of the members that have a score.
    pub avg_health: Option<f64>,
    /// NPS over every member's counted responses (each contact's latest in the window).
    pub nps: Option<NpsSummary>,
}

/// Figures of a set of rows.
pub fn stats<'a>(rows: impl IntoIterator<Item = &'a AccountRow>) -> Stats {
    let mut sum = StatsSum::default();
    for row in rows {
        sum.add(&StatsPart::of(row));
    }
    sum.finish()
}

/// What one account adds to a segment's figures: a few numbers, so a million of them sit in
/// one dense array (see `filter::columns`) rather than across every row.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatsPart {
    arr: i64,
    churned: bool,
    health: Option<u8>,
    promoters: u32,
    passives: u32,
    detractors: u32,
    /// The mean score times the answers counted: the sum of those scores.
    score_sum: f64,
}

impl StatsPart {
    /// The row's share of the figures.
    pub fn of(row: &AccountRow) -> StatsPart {
        let nps = row.nps;
        StatsPart {
            arr: row.account.arr.unwrap_or(0),
            churned: row.account.status == Some(crate::domain::Status::Churned),
            health: row.health,
            promoters: nps.map_or(0, |n| n.promoters),
            passives: nps.map_or(0, |n| n.passives),
            detractors: nps.map_or(0, |n| n.detractors),
            score_sum: nps.map_or(0.0, |n| n.mean_score * f64::from(n.count)),
        }
    }
}

/// Figures being added up, account by account, in the order given.
#[derive(Debug, Clone, Default)]
pub struct StatsSum {
    out: Stats,
    health_sum: u64,
    health_n: u64,
    promoters: u32,
    passives: u32,
    detractors: u32,
    score_sum: f64,
}

impl StatsSum {
    /// Counts one account in.
    pub fn add(&mut self, part: &StatsPart) {
        self.out.count += 1;
        self.out.arr = self.out.arr.saturating_add(part.arr);
        if part.churned {
            self.out.churned_arr = self.out.churned_arr.saturating_add(part.arr);
        }
        if let Some(h) = part.health {
            self.health_sum += u64::from(h);
            self.health_n += 1;
        }
        self.promoters += part.promoters;
        self.passives += part.passives;
        self.detractors += part.detractors;
        self.score_sum += part.score_sum;
    }

    /// Counts in the accounts another sum counted (another half of the book).
    pub fn merge(&mut self, other: &StatsSum) {
        self.out.count += other.out.count;
        self.out.arr = self.out.arr.saturating_add(other.out.arr);
        self.out.churned_arr = self.out.churned_arr.saturating_add(other.out.churned_arr);
        self.health_sum += other.health_sum;
        self.health_n += other.health_n;
        self.promoters += other.promoters;
        self.passives += other.passives;
        self.detractors += other.detractors;
        self.score_sum += other.score_sum;
    }

    /// The figures of every account counted.
    pub fn finish(self) -> Stats {
        let mut out = self.out;
        out.avg_health = (self.health_n > 0).then(|| self.health_sum as f64 / self.health_n as f64);
        let count = self.promoters + self.passives + self.detractors;
        if count > 0 {
            let value =
                (f64::from(self.promoters) - f64::from(self.detractors)) * 100.0 / f64::from(count);
            out.nps = Some(NpsSummary {
                nps: value.round() as i32,
                mean_score: self.score_sum / f64::from(count),
                count,
                promoters: self.promoters,
                passives: self.passives,
                detractors: self.detractors,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_parses_and_every_expression_is_valid() {
        let catalog = builtin();
        assert!(catalog.len() >= 27, "{}", catalog.len());
        for segment in &catalog {
            assert!(segment.builtin);
            crate::domain::filter::parse(&segment.expression)
                .unwrap_or_else(|e| panic!("{}: {e}", segment.name));
        }
    }

    #[test]
    fn quoting_reads_back() {
        assert_eq!(quote("EMEA"), "EMEA");
        assert_eq!(quote("NA-West"), "NA-West");
        assert_eq!(quote("Financial Services"), "\"Financial Services\"");
        assert_eq!(quote("Liam O'Connor"), "\"Liam O'Connor\"");
        assert_eq!(quote("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(quote("and"), "\"and\"");
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn sums_of_two_halves_merge_into_the_sum_of_all() {
        let part = |arr, churned, health, (promoters, passives, detractors), score_sum| StatsPart {
            arr,
            churned,
            health,
            promoters,
            passives,
            detractors,
            score_sum,
        };
        let parts = [
            part(100, false, Some(80), (1, 0, 0), 9.0),
            part(250, true, Some(30), (0, 0, 2), 4.0),
            part(75, false, None, (0, 1, 0), 7.0),
            part(10, true, Some(55), (2, 1, 1), 30.0),
            part(0, false, Some(90), (0, 0, 0), 0.0),
        ];
        let mut all = StatsSum::default();
        parts.iter().for_each(|p| all.add(p));
        for at in 0..=parts.len() {
            let (mut first, mut second) = (StatsSum::default(), StatsSum::default());
            parts[..at].iter().for_each(|p| first.add(p));
            parts[at..].iter().for_each(|p| second.add(p));
            first.merge(&second);
            assert_eq!(first.finish(), all.clone().finish(), "split at {at}");
        }
        let stats = all.finish();
        assert_eq!((stats.count, stats.arr, stats.churned_arr), (5, 435, 260));
        assert_eq!(stats.avg_health, Some(63.75));
        assert_eq!(stats.nps.map(|n| (n.count, n.nps)), Some((8, 0)));
    }
}
