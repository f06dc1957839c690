//! Reading the values of a filter: numbers with k/m suffixes and percentages, day counts, dates.

/// A number as a CSM writes it: `100k`, `1.5m`, `50%`, `-20`, `1,200`.
pub fn number(text: &str) -> Option<f64> {
    let text = text.trim().replace(',', "");
    let lower = text.to_ascii_lowercase();
    let (digits, scale) = if let Some(d) = lower.strip_suffix('k') {
        (d, 1_000.0)
    } else if let Some(d) = lower.strip_suffix('m') {
        (d, 1_000_000.0)
    } else if let Some(d) = lower.strip_suffix('%') {
        (d, 1.0)
    } else {
        (lower.as_str(), 1.0)
    };
    let value: f64 = digits.parse().ok()?;
    value.is_finite().then_some(value * scale)
}

/// A day count: `30d`, `2w` (14), `3m` (90), `1y` (365), or a bare whole number of days.
pub fn days(text: &str) -> Option<i64> {
    let lower = text.trim().to_ascii_lowercase();
    let (digits, unit) = match lower.char_indices().last() {
        Some((i, 'd')) => (&lower[..i], 1),
        Some((i, 'w')) => (&lower[..i], 7),
        Some((i, 'm')) => (&lower[..i], 30),
        Some((i, 'y')) => (&lower[..i], 365),
        _ => (lower.as_str(), 1),
    };
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 6 {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    Some(if negative { -n * unit } else { n * unit })
}

/// An ISO date.
pub fn date(text: &str) -> Option<jiff::civil::Date> {
    let text = text.trim();
    (text.len() == 10).then(|| text.parse().ok()).flatten()
}

/// Edit distance, for "did you mean" suggestions.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_days_and_dates() {
        assert_eq!(number("100k"), Some(100_000.0));
        assert_eq!(number("1.5M"), Some(1_500_000.0));
        assert_eq!(number("50%"), Some(50.0));
        assert_eq!(number("1,200"), Some(1200.0));
        assert_eq!(number("-3"), Some(-3.0));
        assert_eq!(number("abc"), None);
        assert_eq!(number("inf"), None);
        assert_eq!(days("30d"), Some(30));
        assert_eq!(days("2w"), Some(14));
        assert_eq!(days("3m"), Some(90));
        assert_eq!(days("1y"), Some(365));
        assert_eq!(days("45"), Some(45));
        assert_eq!(days("-7d"), Some(-7));
        assert_eq!(days("d"), None);
        assert_eq!(days("3x"), None);
        assert_eq!(days("99999999999d"), None);
        assert_eq!(date("2026-12-31"), Some(jiff::civil::date(2026, 12, 31)));
        assert_eq!(date("2026-13-31"), None);
    }

    #[test]
    fn closest_suggests_likely_typos_only() {
        let fields = ["region", "renewal", "arr"];
        assert_eq!(closest("regoin", fields), Some("region"));
        assert_eq!(closest("renewl", fields), Some("renewal"));
        assert_eq!(closest("zzzzzzzz", fields), None);
    }
}
