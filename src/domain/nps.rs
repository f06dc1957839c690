//! NPS maths: categories, and the NPS of a set of responses counted the way DESIGN.md says
//! (each contact's latest response inside the window).

use jiff::civil::Date;
use std::collections::HashMap;

/// Default look-back for any NPS: responses older than this no longer speak for the account.
pub const DEFAULT_WINDOW_DAYS: i64 = 365;

/// One survey answer.
#[derive(Debug, Clone, PartialEq)]
pub struct NpsResponse {
    pub date: Date,
    /// Who answered; empty when the survey tool did not say (each such answer counts alone).
    pub contact: String,
    pub score: u8,
    pub comment: Option<String>,
}

/// Promoter 9-10, passive 7-8, detractor 0-6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Detractor,
    Passive,
    Promoter,
}

impl Category {
    /// The category of one 0-10 score.
    pub fn of_score(score: u8) -> Category {
        match score {
            9.. => Category::Promoter,
            7..=8 => Category::Passive,
            _ => Category::Detractor,
        }
    }

    /// The category of a mean score (an account's `nps_score`).
    pub fn of_mean(mean: f64) -> Category {
        if mean >= 9.0 {
            Category::Promoter
        } else if mean >= 7.0 {
            Category::Passive
        } else {
            Category::Detractor
        }
    }

    /// The lowercase word used in filters and files.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Detractor => "detractor",
            Category::Passive => "passive",
            Category::Promoter => "promoter",
        }
    }
}

/// The NPS of a set of responses, always with the count it stands on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NpsSummary {
    /// %promoters - %detractors, rounded, -100..100.
    pub nps: i32,
    /// Mean of the counted scores, 0-10.
    pub mean_score: f64,
    pub count: u32,
    pub promoters: u32,
    pub passives: u32,
    pub detractors: u32,
}

impl NpsSummary {
    /// The category of the mean score: what `nps_category` filters on.
    pub fn category(&self) -> Category {
        Category::of_mean(self.mean_score)
    }
}

/// Summarises responses: keeps each contact's latest response dated within the last
/// `window_days` days (after `today - window_days`, up to `today`), then computes NPS.
/// Contacts compare case-insensitively. None when nothing is left to count.
pub fn summarize<'a, I>(responses: I, today: Date, window_days: i64) -> Option<NpsSummary>
where
    I: IntoIterator<Item = &'a NpsResponse>,
{
    let start = today
        .checked_sub(jiff::Span::new().days(window_days))
        .unwrap_or(Date::MIN);
    let mut latest: HashMap<String, &NpsResponse> = HashMap::new();
    let mut anonymous: Vec<&NpsResponse> = Vec::new();
    for response in responses {
        if response.date <= start || response.date > today {
            continue;
        }
        if response.contact.trim().is_empty() {
            anonymous.push(response);
            continue;
        }
        latest
            .entry(response.contact.trim().to_lowercase())
            .and_modify(|kept| {
                if response.date > kept.date {
                    *kept = response;
                }
            })
            .or_insert(response);
    }
    scores_summary(
        latest
            .values()
            .chain(anonymous.iter())
            .map(|response| response.score),
    )
}

/// NPS of plain scores, each counted once.
pub fn scores_summary<I: IntoIterator<Item = u8>>(scores: I) -> Option<NpsSummary> {
    let (mut promoters, mut passives, mut detractors, mut total) = (0u32, 0u32, 0u32, 0u64);
    for score in scores {
        total += u64::from(score);
        match Category::of_score(score) {
            Category::Promoter => promoters += 1,
            Category::Passive => passives += 1,
            Category::Detractor => detractors += 1,
        }
    }
    let count = promoters + passives + detractors;
    if count == 0 {
        return None;
    }
    let nps = (f64::from(promoters) - f64::from(detractors)) * 100.0 / f64::from(count);
    Some(NpsSummary {
        nps: nps.round() as i32,
        mean_score: total as f64 / f64::from(count),
        count,
        promoters,
        passives,
        detractors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn response(d: Date, contact: &str, score: u8) -> NpsResponse {
        NpsResponse {
            date: d,
            contact: contact.into(),
            score,
            comment: None,
        }
    }

    #[test]
    fn categories_follow_the_design() {
        assert_eq!(Category::of_score(10), Category::Promoter);
        assert_eq!(Category::of_score(9), Category::Promoter);
        assert_eq!(Category::of_score(8), Category::Passive);
        assert_eq!(Category::of_score(7), Category::Passive);
        assert_eq!(Category::of_score(6), Category::Detractor);
        assert_eq!(Category::of_score(0), Category::Detractor);
        assert_eq!(Category::of_mean(8.99), Category::Passive);
        assert_eq!(Category::of_mean(6.99), Category::Detractor);
    }

    #[test]
    fn counts_each_contacts_latest_response_in_the_window() {
        let today = date(2026, 11, 24);
        let responses = [
            response(date(2026, 1, 10), "ana@x.com", 2),
            response(date(2026, 9, 1), "ana@x.com", 10),
            response(date(2026, 5, 1), "bo@x.com", 8),
            response(date(2025, 6, 1), "cy@x.com", 0),
            response(date(2026, 10, 1), "", 3),
        ];
        let summary = summarize(&responses, today, DEFAULT_WINDOW_DAYS).unwrap();
        assert_eq!(summary.count, 3);
        assert_eq!(
            (summary.promoters, summary.passives, summary.detractors),
            (1, 1, 1)
        );
        assert_eq!(summary.nps, 0);
        assert!((summary.mean_score - 7.0).abs() < 1e-9);
        assert_eq!(summary.category(), Category::Passive);
    }

    #[test]
    fn the_window_is_exactly_365_days_and_contacts_ignore_case() {
        let today = date(2026, 11, 24);
        let edge = [response(date(2025, 11, 24), "a", 0)];
        assert_eq!(summarize(&edge, today, 365), None);
        let inside = [response(date(2025, 11, 25), "a", 0)];
        assert_eq!(summarize(&inside, today, 365).unwrap().count, 1);
        let same = [
            response(date(2026, 1, 1), "Ana@X.com", 0),
            response(date(2026, 2, 1), "ana@x.com ", 10),
        ];
        let s = summarize(&same, today, 365).unwrap();
        assert_eq!((s.count, s.nps), (1, 100));
        let anonymous = [
            response(date(2026, 1, 1), "", 10),
            response(date(2026, 1, 1), "", 0),
        ];
        assert_eq!(summarize(&anonymous, today, 365).unwrap().count, 2);
    }

    #[test]
    fn nothing_in_the_window_is_no_nps() {
        let responses = [response(date(2020, 1, 1), "a", 9)];
        assert_eq!(summarize(&responses, date(2026, 11, 24), 365), None);
    }

    #[test]
    fn nps_rounds() {
        let s = scores_summary([10, 10, 0]).unwrap();
        assert_eq!(s.nps, 33);
        let s = scores_summary([10, 10, 8]).unwrap();
        assert_eq!(s.nps, 67);
    }
}
