//! NPS maths: categories, and the NPS of a set of responses counted the way DESIGN.md says
//! (each contact's latest response inside the window).

use jiff::civil::Date;
use std::collections::HashMap;

/// Default look-back for any NPS: responses older than this no longer speak for the account.
pub const DEFAULT_WINDOW_DAYS: i64 = 365;

/// One survey answer.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// The days an NPS counts responses from, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Date,
    pub to: Date,
}

impl Window {
    /// The last `days` days up to and including `today` (365: a year of answers).
    pub fn last_days(today: Date, days: i64) -> Window {
        let from = today
            .checked_sub(jiff::Span::new().days(days.max(1) - 1))
            .unwrap_or(Date::MIN);
        Window { from, to: today }
    }

    /// From `since` up to and including `today`.
    pub fn since(since: Date, today: Date) -> Window {
        Window {
            from: since,
            to: today,
        }
    }

    /// Whether a date falls in the window.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }
}

/// The responses an NPS counts: each contact's latest response inside the window (contacts
/// compare case-insensitively; an answer without a contact counts alone), oldest first.
pub fn counted<'a, I>(responses: I, window: Window) -> Vec<&'a NpsResponse>
where
    I: IntoIterator<Item = &'a NpsResponse>,
{
    let mut latest: HashMap<String, &NpsResponse> = HashMap::new();
    let mut out: Vec<&NpsResponse> = Vec::new();
    for response in responses {
        if !window.contains(response.date) {
            continue;
        }
        if response.contact.trim().is_empty() {
            out.push(response);
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
    out.extend(latest.into_values());
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.contact.cmp(&b.contact)));
    out
}

/// The answers an NPS over several accounts counts: [`counted`] per account (contacts of
/// different accounts stay apart), newest first.
pub fn counted_by_account(
    responses: &[(i64, NpsResponse)],
    window: Window,
) -> Vec<(i64, &NpsResponse)> {
    let mut by_account: HashMap<i64, Vec<&NpsResponse>> = HashMap::new();
    for (key, response) in responses {
        by_account.entry(*key).or_default().push(response);
    }
    let mut out: Vec<(i64, &NpsResponse)> = by_account
        .iter()
        .flat_map(|(key, list)| {
            counted(list.iter().copied(), window)
                .into_iter()
                .map(move |r| (*key, r))
        })
        .collect();
    out.sort_by(|a, b| {
        b.1.date
            .cmp(&a.1.date)
            .then_with(|| a.0.cmp(&b.0))
            .then_with(|| a.1.contact.cmp(&b.1.contact))
    });
    out
}

/// Summarises responses: the NPS of those [`counted`] in the last `window_days` days up to
/// `today`. None when nothing is left to count.
pub fn summarize<'a, I>(responses: I, today: Date, window_days: i64) -> Option<NpsSummary>
where
    I: IntoIterator<Item = &'a NpsResponse>,
{
    summarize_in(responses, Window::last_days(today, window_days))
}

/// An account answers a few times a year: this many answers or fewer are counted without a map.
const FEW: usize = 8;

/// [`summarize`] over a window made once for many accounts (reading a million of them).
/// An account's few answers are compared pair by pair, with no map and no lowered copy of
/// every contact: the same answers [`counted`] keeps (a property test checks it).
pub fn summarize_in<'a, I>(responses: I, window: Window) -> Option<NpsSummary>
where
    I: IntoIterator<Item = &'a NpsResponse>,
{
    let mut few: [Option<&NpsResponse>; FEW] = [None; FEW];
    let mut responses = responses
        .into_iter()
        .filter(|r| window.contains(r.date))
        .fuse();
    for slot in few.iter_mut() {
        *slot = responses.next();
    }
    if let Some(more) = responses.next() {
        let all = few.into_iter().flatten().chain(std::iter::once(more));
        return scores_summary(
            counted(all.chain(responses), window)
                .iter()
                .map(|r| r.score),
        );
    }
    let answers = || few.iter().flatten().enumerate();
    let kept = answers().filter(|&(i, answer)| {
        let contact = answer.contact.trim();
        contact.is_empty()
            || !answers().any(|(j, other)| {
                j != i
                    && (other.date > answer.date || (other.date == answer.date && j < i))
                    && same_contact(contact, other.contact.trim())
            })
    });
    scores_summary(kept.map(|(_, r)| r.score))
}

/// Contacts compare as [`counted`] compares them: trimmed and lowercased.
fn same_contact(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// The NPS of each calendar quarter ("2026 Q3"), counting each contact's latest answer within
/// the quarter; `responses` are every answer (not only the latest per contact) as (account,
/// response) pairs, so contacts of different accounts stay apart. Oldest quarter first.
pub fn by_quarter(responses: &[(i64, &NpsResponse)]) -> Vec<(String, NpsSummary)> {
    let mut quarters: std::collections::BTreeMap<(i16, i8), Vec<(i64, &NpsResponse)>> =
        std::collections::BTreeMap::new();
    for (account, response) in responses {
        let quarter = (response.date.month() - 1) / 3 + 1;
        quarters
            .entry((response.date.year(), quarter))
            .or_default()
            .push((*account, response));
    }
    quarters
        .into_iter()
        .filter_map(|((year, quarter), items)| {
            let mut by_account: HashMap<i64, Vec<&NpsResponse>> = HashMap::new();
            for (account, response) in items {
                by_account.entry(account).or_default().push(response);
            }
            let everything = Window {
                from: Date::MIN,
                to: Date::MAX,
            };
            let scores: Vec<u8> = by_account
                .values()
                .flat_map(|list| counted(list.iter().copied(), everything))
                .map(|r| r.score)
                .collect();
            scores_summary(scores).map(|s| (format!("{year} Q{quarter}"), s))
        })
        .collect()
}

/// Fewer responses than this and an NPS swings on one answer: it is flagged, never hidden.
pub const SMALL_N: u32 = 10;

impl NpsSummary {
    /// "NPS 21 (n=135)", with "small n" when fewer than [`SMALL_N`] responses stand behind it.
    pub fn label(&self) -> String {
        if self.count < SMALL_N {
            format!("NPS {} (n={}, small n)", self.nps, self.count)
        } else {
            format!("NPS {} (n={})", self.nps, self.count)
        }
    }
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
    fn all_promoters_all_detractors_and_none() {
        assert_eq!(scores_summary([9, 10, 10]).unwrap().nps, 100);
        assert_eq!(scores_summary([0, 6, 3]).unwrap().nps, -100);
        assert_eq!(scores_summary([7, 8]).unwrap().nps, 0);
        assert_eq!(scores_summary(Vec::<u8>::new()), None);
        assert!(scores_summary([9]).unwrap().label().contains("small n"));
        assert!(!scores_summary([9; 10]).unwrap().label().contains("small"));
    }

    #[test]
    fn since_moves_the_window_and_quarters_count_apart() {
        let responses = [
            response(date(2026, 2, 1), "a", 0),
            response(date(2026, 8, 1), "a", 10),
            response(date(2026, 8, 15), "b", 9),
        ];
        let all = Window::since(date(2026, 1, 1), date(2026, 11, 24));
        let counted_all = counted(&responses, all);
        assert_eq!(counted_all.len(), 2);
        let late = Window::since(date(2026, 8, 10), date(2026, 11, 24));
        assert_eq!(counted(&responses, late).len(), 1);
        let pairs: Vec<(i64, &NpsResponse)> = responses.iter().map(|r| (1, r)).collect();
        let quarters = by_quarter(&pairs);
        assert_eq!(quarters.len(), 2);
        assert_eq!(quarters[0].0, "2026 Q1");
        assert_eq!(quarters[0].1.nps, -100);
        assert_eq!(quarters[1].0, "2026 Q3");
        assert_eq!((quarters[1].1.count, quarters[1].1.nps), (2, 100));
        assert_eq!(
            Window::last_days(date(2026, 11, 24), 365).from,
            date(2025, 11, 25)
        );
    }

    #[test]
    fn nps_rounds() {
        let s = scores_summary([10, 10, 0]).unwrap();
        assert_eq!(s.nps, 33);
        let s = scores_summary([10, 10, 8]).unwrap();
        assert_eq!(s.nps, 67);
    }

    proptest::proptest! {
        /// Few answers are compared pair by pair, more (often, with up to 23) go through the
        /// map: both count what
        /// [`counted`] keeps, whatever the contacts' case, spaces, letters and repeats.
        #[test]
        fn a_few_answers_count_as_the_map_counts_them(
            answers in proptest::collection::vec(
                (0usize..9, -1i64..4, 0u8..=10),
                0..24,
            ),
        ) {
            const CONTACTS: [&str; 9] =
                ["", " ", "ana@x.io", "ANA@x.io ", "bo", "Bo", "\u{212A}im", "kim", "\u{dc}nal"];
            let today = date(2026, 11, 24);
            let window = Window::last_days(today, 3);
            let responses: Vec<NpsResponse> = answers
                .iter()
                .map(|&(c, back, score)| {
                    let day = today.checked_sub(jiff::Span::new().days(back)).unwrap();
                    response(day, CONTACTS[c], score)
                })
                .collect();
            let by_map = scores_summary(counted(&responses, window).iter().map(|r| r.score));
            proptest::prop_assert_eq!(summarize_in(&responses, window), by_map);
        }
    }
}
