//! Reading one cell as a typed value the way exports write them (`$1,234.50`, `6.11E+10`,
//! `12.5%`, `TRUE`, `8/17/2023`, Unix seconds), with a reason a CSM can act on when it is not one.

use crate::domain::money;
use crate::domain::{Date, Lifecycle, Status};

/// Why a cell was rejected; the caller adds the file, line, column and value.
pub type CellResult<T> = Result<Option<T>, String>;

/// The cell's text, or none when it is empty.
pub fn text(cell: &str) -> Option<String> {
    trimmed(cell).map(str::to_owned)
}

/// The cell's text without its surrounding space, or none when that leaves nothing: what
/// the typed readers parse, borrowed, since most cells become numbers and dates.
fn trimmed(cell: &str) -> Option<&str> {
    let trimmed = cell.trim();
    (!trimmed.is_empty()).then_some(trimmed)
}

/// Whether `text` is a plain decimal like `125000.50` or `290`: digits, at most one dot, no
/// sign, separator or symbol. [`plain_number`] gives such text back as it is, so it can be
/// read without the rewriting (the form nearly every cell of a canonical file has).
fn is_plain_decimal(text: &str) -> bool {
    let mut dots = 0;
    let mut digits = 0;
    for b in text.bytes() {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' => dots += 1,
            _ => return false,
        }
    }
    digits > 0 && dots <= 1
}

/// Rewrites a number as exports write it into plain `-1234.5` form: drops currency symbols and
/// codes, spaces and thousands separators, reads `(12)` as negative, and tells a decimal comma
/// (`1.234,50`, `12,5`) from a thousands comma (`1,234`, `1,234,567.89`).
pub fn plain_number(text: &str) -> Option<String> {
    plain_number_in(text, false)
}

/// [`plain_number`] for a file written with a decimal comma (a semicolon-separated export from
/// a European Excel): there `12.000` is twelve thousand and `12,5` twelve and a half.
pub fn plain_number_in(text: &str, decimal_comma: bool) -> Option<String> {
    if decimal_comma {
        let trimmed: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
        let digits = trimmed.trim_start_matches('-');
        let groups: Vec<&str> = digits.split('.').collect();
        let thousands = groups.len() > 1
            && !digits.contains(',')
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3);
        if thousands || digits.contains(',') {
            return plain_number_in(&trimmed.replace('.', "").replace(',', "."), false);
        }
    }
    let mut t: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '$' | '€' | '£' | '¥' | '\''))
        .collect();
    // Currency codes before or after: USD 1,234.50, 1234 EUR.
    for code in [
        "USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "INR", "BRL", "SEK",
    ] {
        if let Some(rest) = t.strip_prefix(code).or_else(|| t.strip_suffix(code)) {
            t = rest.to_owned();
            break;
        }
    }
    let negative = t.starts_with('(') && t.ends_with(')');
    if negative {
        t = t[1..t.len() - 1].to_owned();
    }
    if t.is_empty() {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    if lower.contains('e') {
        // Scientific notation (Excel): 6.11E+10.
        let value: f64 = lower.parse().ok()?;
        return value
            .is_finite()
            .then(|| format!("{}{value}", if negative { "-" } else { "" }));
    }
    let (dots, commas) = (t.matches('.').count(), t.matches(',').count());
    let normalized = match (dots, commas) {
        (_, 0) if dots <= 1 => t.clone(),
        (0, _) => {
            let after = t.rsplit(',').next().unwrap_or("");
            if commas == 1 && after.len() != 3 {
                // 12,5 or 1234,50: a decimal comma.
                t.replace(',', ".")
            } else {
                t.replace(',', "")
            }
        }
        (_, 0) => t.replace('.', ""), // 1.234.567: dots as thousands
        _ => {
            let last_dot = t.rfind('.')?;
            let last_comma = t.rfind(',')?;
            if last_comma > last_dot {
                // 1.234,50
                t.replace('.', "").replace(',', ".")
            } else {
                t.replace(',', "")
            }
        }
    };
    let body = normalized.strip_prefix('-').unwrap_or(&normalized);
    let valid = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.matches('.').count() <= 1
        && body.chars().any(|c| c.is_ascii_digit());
    valid.then(|| {
        if negative {
            format!("-{normalized}")
        } else {
            normalized
        }
    })
}

/// A whole number >= 0 ("12", "12.0", "1,234").
pub fn count(cell: &str) -> CellResult<i64> {
    count_in(cell, false)
}

/// [`count`] in a file with a decimal comma.
pub fn count_in(cell: &str, decimal_comma: bool) -> CellResult<i64> {
    let Some(t) = trimmed(cell) else {
        return Ok(None);
    };
    // Up to 15 digits are read exactly either way (and are never negative).
    if t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t
            .parse::<i64>()
            .map(Some)
            .map_err(|_| "not a whole number".to_owned());
    }
    let value = plain_number_in(t, decimal_comma)
        .and_then(|n| n.parse::<f64>().ok())
        .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
        .map(|f| f as i64)
        .ok_or_else(|| "not a whole number".to_owned())?;
    if value < 0 {
        return Err("is negative; expected a count of 0 or more".into());
    }
    Ok(Some(value))
}

/// The largest amount accepted, in major units: far above any real contract, and small enough
/// that sums over a million accounts stay exact.
pub const MAX_AMOUNT: i64 = 100_000_000_000;

/// An amount of money in major units (`$1,234.50`, `USD 1,234.50`, `1.234,50 €`, `6.11E+10`),
/// stored in minor units; never negative.
pub fn amount(cell: &str) -> CellResult<i64> {
    amount_in(cell, false)
}

/// [`amount`] in a file with a decimal comma.
pub fn amount_in(cell: &str, decimal_comma: bool) -> CellResult<i64> {
    let Some(t) = trimmed(cell) else {
        return Ok(None);
    };
    let invalid = || "not an amount (expected a number like 125000.00)".to_owned();
    // With a decimal comma `12.000` is twelve thousand: only a dot-decimal file skips ahead.
    let plain = if !decimal_comma && is_plain_decimal(t) {
        std::borrow::Cow::Borrowed(t)
    } else {
        std::borrow::Cow::Owned(plain_number_in(t, decimal_comma).ok_or_else(invalid)?)
    };
    let minor = if plain.contains('e') || plain.contains('E') {
        let value: f64 = plain.parse().map_err(|_| invalid())?;
        if value.abs() > (MAX_AMOUNT as f64) * 10.0 {
            return Err(format!("is too large; amounts go up to {MAX_AMOUNT}"));
        }
        (value * 100.0).round() as i64
    } else {
        money::parse_major(&plain).ok_or_else(invalid)?
    };
    if minor < 0 {
        return Err("is negative; expected an amount of 0 or more".into());
    }
    if minor > MAX_AMOUNT * 100 {
        return Err(format!("is too large; amounts go up to {MAX_AMOUNT}"));
    }
    Ok(Some(minor))
}

/// A number between `min` and `max` (a percentage, a CSAT score); `12.5%` reads as 12.5.
pub fn number_in(cell: &str, min: f64, max: f64) -> CellResult<f64> {
    ranged(cell, min, max, false)
}

/// [`number_in`] in a file with a decimal comma.
pub fn ranged(cell: &str, min: f64, max: f64, decimal_comma: bool) -> CellResult<f64> {
    let Some(t) = trimmed(cell) else {
        return Ok(None);
    };
    let value: f64 = plain_number_in(t.trim_end_matches('%'), decimal_comma)
        .and_then(|n| n.parse().ok())
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| format!("not a number (expected {min}-{max})"))?;
    if value < min || value > max {
        return Err(format!("is out of range; expected {min}-{max}"));
    }
    Ok(Some(value))
}

/// An NPS answer: a whole number 0-10.
pub fn score(cell: &str) -> CellResult<u8> {
    let Some(t) = trimmed(cell) else {
        return Ok(None);
    };
    match t.parse::<f64>() {
        Ok(v) if v.fract() == 0.0 && (0.0..=10.0).contains(&v) => Ok(Some(v as u8)),
        Ok(_) => Err("is out of range; an NPS score is a whole number 0-10".into()),
        Err(_) => Err("not a score; an NPS score is a whole number 0-10".into()),
    }
}

/// Yes or no, as exports write it: true/false, TRUE/FALSE, yes/no, y/n, 1/0, t/f.
pub fn boolean(cell: &str) -> CellResult<bool> {
    let Some(t) = trimmed(cell) else {
        return Ok(None);
    };
    match t.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "t" => Ok(Some(true)),
        "false" | "no" | "n" | "0" | "f" => Ok(Some(false)),
        _ => Err("not a yes/no value (expected true/false, yes/no or 1/0)".into()),
    }
}

/// Which of the first two numbers of `3/4/2026` is the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Year first (2026/04/03).
    Ymd,
    /// Month first (4/3/2026 is April 3): the US habit.
    Mdy,
    /// Day first (3/4/2026 is April 3): most of the world.
    Dmy,
}

impl DateOrder {
    /// Reads `--date-order`.
    pub fn parse(text: &str) -> Option<DateOrder> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ymd" => Some(DateOrder::Ymd),
            "mdy" => Some(DateOrder::Mdy),
            "dmy" => Some(DateOrder::Dmy),
            _ => None,
        }
    }
}

/// The parts of a `A/B/Y` date (also with `-` or `.` between), if the cell is one.
pub fn slashed(text: &str) -> Option<(u32, u32, i32)> {
    let date_part = text.split([' ', 'T']).next()?;
    let mut parts = date_part.split(['/', '-', '.']);
    let (Some(a), Some(b), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if a.len() > 2 || b.len() > 2 || !(y.len() == 2 || y.len() == 4) {
        return None;
    }
    let two_digit_year = y.len() == 2;
    let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    // Two-digit years: 00-69 are 2000s, 70-99 1900s.
    let year = match y {
        0..=69 if two_digit_year => 2000 + y,
        70..=99 if two_digit_year => 1900 + y,
        _ => y,
    };
    Some((a, b, year))
}

/// A calendar date: ISO 8601 (`2026-11-24`, with or without a time and zone, whose date as
/// written is taken), `YYYY-MM` (the month's first day), `A/B/YYYY` or `A/B/YY` read in
/// `order`, or Unix seconds.
pub fn date(cell: &str, order: Option<DateOrder>) -> CellResult<Date> {
    let Some(t) = trimmed(cell) else {
        return Ok(None);
    };
    let invalid = || "not a date (expected YYYY-MM-DD)".to_owned();
    if t.len() == 10 && t.as_bytes().get(4) == Some(&b'-') {
        return t.parse::<Date>().map(Some).map_err(|_| invalid());
    }
    if t.len() == 7 && t.as_bytes().get(4) == Some(&b'-') {
        return format!("{t}-01")
            .parse::<Date>()
            .map(Some)
            .map_err(|_| invalid());
    }
    // Unix seconds.
    if t.len() >= 9 && t.len() <= 11 && t.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: i64 = t.parse().map_err(|_| invalid())?;
        return jiff::Timestamp::from_second(seconds)
            .map(|ts| Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date()))
            .map_err(|_| invalid());
    }
    if let Some((a, b, year)) = slashed(t) {
        let (month, day) = match order {
            Some(DateOrder::Dmy) => (b, a),
            Some(DateOrder::Mdy) => (a, b),
            _ if a > 12 => (b, a),
            _ if b > 12 => (a, b),
            _ if a == b => (a, b),
            _ => {
                return Err(
                    "could be day-first or month-first: pass --date-order mdy or dmy".into(),
                );
            }
        };
        return jiff::civil::Date::new(year as i16, month as i8, day as i8)
            .map(Some)
            .map_err(|_| {
                format!(
                    "not a date ({} has no day {day} in month {month})",
                    match order {
                        Some(DateOrder::Dmy) => "read day-first, it",
                        Some(DateOrder::Mdy) => "read month-first, it",
                        _ => "it",
                    }
                )
            });
    }
    // Year first with slashes: 2026/04/03.
    if let [y, m, d] = t
        .split(['/', '.'])
        .collect::<Vec<_>>()
        .as_slice()
        .try_into()
        .unwrap_or([""; 3])
        && y.len() == 4
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>())
    {
        return jiff::civil::Date::new(y, m, d)
            .map(Some)
            .map_err(|_| invalid());
    }
    // A timestamp: drop the offset, then the rest must read as a date and time.
    let mut body = t;
    if let Some(stripped) = body.strip_suffix(['Z', 'z']) {
        body = stripped;
    } else if body.len() > 16 {
        let cut = body.len() - 6;
        if let Some(offset) = body.get(cut..)
            && offset.starts_with(['+', '-'])
            && offset.as_bytes().get(3) == Some(&b':')
        {
            body = &body[..cut];
        }
    }
    body.trim()
        .replacen(' ', "T", 1)
        .parse::<jiff::civil::DateTime>()
        .map(|dt| Some(dt.date()))
        .map_err(|_| invalid())
}

/// A lifecycle stage word (or a common synonym: onboard, implementation, growth, renewing...).
pub fn lifecycle(cell: &str) -> CellResult<Lifecycle> {
    let Some(t) = trimmed(cell) else {
        return Ok(None);
    };
    if let Some(stage) = Lifecycle::parse(t) {
        return Ok(Some(stage));
    }
    let stage = match t.to_ascii_lowercase().replace(['-', '_'], " ").as_str() {
        "trialing" | "pilot" | "poc" | "proof of concept" | "evaluation" => Lifecycle::Trial,
        "onboard" | "implementation" | "implementing" | "kickoff" | "setup" => {
            Lifecycle::Onboarding
        }
        "adopt" | "adopting" | "active" | "live" | "engaged" => Lifecycle::Adoption,
        "expand" | "expanding" | "growth" | "upsell" => Lifecycle::Expansion,
        "renew" | "renewing" | "up for renewal" => Lifecycle::Renewal,
        "churn" | "cancelled" | "canceled" | "lost" | "former customer" => Lifecycle::Churned,
        _ => {
            let words: Vec<&str> = Lifecycle::ALL.iter().map(|l| l.as_str()).collect();
            return Err(format!(
                "not a lifecycle stage (expected one of {})",
                words.join(", ")
            ));
        }
    };
    Ok(Some(stage))
}

/// An account status word, or a billing system's (Stripe: trialing, active, past_due, canceled).
pub fn status(cell: &str) -> CellResult<Status> {
    let Some(t) = trimmed(cell) else {
        return Ok(None);
    };
    if let Some(status) = Status::parse(t) {
        return Ok(Some(status));
    }
    let status = match t.to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
        "trialing" | "in_trial" | "free_trial" => Status::Trial,
        "past_due" | "paying" | "customer" | "live" | "current" | "unpaid" | "incomplete" => {
            Status::Active
        }
        "canceled" | "cancelled" | "inactive" | "lost" | "former" | "incomplete_expired"
        | "ended" | "terminated" => Status::Churned,
        _ => {
            let words: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            return Err(format!(
                "not a status (expected one of {})",
                words.join(", ")
            ));
        }
    };
    Ok(Some(status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn cells_parse_or_say_why_not() {
        assert_eq!(count(" 12 "), Ok(Some(12)));
        assert_eq!(count("12.0"), Ok(Some(12)));
        assert_eq!(count("1,234"), Ok(Some(1234)));
        assert_eq!(count(""), Ok(None));
        assert!(count("-1").is_err());
        assert!(count("1.5").is_err());
        assert_eq!(amount("125000.50"), Ok(Some(12_500_050)));
        assert!(amount("lots").is_err());
        assert_eq!(number_in("55%", 0.0, 100.0), Ok(Some(55.0)));
        assert_eq!(number_in("12,5%", 0.0, 100.0), Ok(Some(12.5)));
        assert!(number_in("101", 0.0, 100.0).is_err());
        assert!(number_in("NaN", 0.0, 100.0).is_err());
        assert_eq!(score("10"), Ok(Some(10)));
        assert_eq!(score("9.0"), Ok(Some(9)));
        assert!(score("11").is_err());
        assert!(score("9.5").is_err());
        assert_eq!(lifecycle("Onboarding"), Ok(Some(Lifecycle::Onboarding)));
        assert_eq!(lifecycle("implementation"), Ok(Some(Lifecycle::Onboarding)));
        assert!(
            lifecycle("growing")
                .unwrap_err()
                .contains("expected one of")
        );
        assert_eq!(status("trialing"), Ok(Some(Status::Trial)));
        assert_eq!(status("past_due"), Ok(Some(Status::Active)));
        assert_eq!(status("Canceled"), Ok(Some(Status::Churned)));
        assert!(amount("100000000001").is_err());
        assert_eq!(amount("100000000000"), Ok(Some(10_000_000_000_000)));
    }

    #[test]
    fn money_as_exports_write_it() {
        for (text, cents) in [
            ("$1,234.50", 123_450),
            ("USD 1,234.50", 123_450),
            ("1234.5", 123_450),
            ("1.234,50 €", 123_450),
            ("1 234,50", 123_450),
            ("€ 12,5", 1_250),
            ("6.11E+10", 6_110_000_000_000),
            ("1,234,567.89", 123_456_789),
            ("1.234.567", 123_456_700),
            ("£0.99", 99),
        ] {
            assert_eq!(amount(text), Ok(Some(cents)), "{text}");
        }
        assert!(amount("($5.00)").unwrap_err().contains("negative"));
        assert_eq!(amount_in("12.000", true), Ok(Some(1_200_000)));
        assert_eq!(amount_in("1.234,50", true), Ok(Some(123_450)));
        assert_eq!(amount_in("1234.5", true), Ok(Some(123_450)));
        assert_eq!(count_in("1.200", true), Ok(Some(1200)));
        assert!(amount("12 apples").is_err());
        assert!(amount("1.2.3,4,5").is_err());
    }

    proptest::proptest! {
        /// Plain digits skip the rewriting of exported numbers, and read exactly as they would
        /// through it.
        #[test]
        fn plain_numbers_read_as_the_rewriting_reads_them(
            text in "[0-9]{0,18}(\\.[0-9]{0,4})?",
            pad in " {0,2}",
        ) {
            let cell = format!("{pad}{text}{pad}");
            let rewritten = plain_number_in(&text, false);
            let count_before = rewritten
                .as_deref()
                .and_then(|n| n.parse::<f64>().ok())
                .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                .map(|f| f as i64);
            match count(&cell) {
                Ok(value) if text.is_empty() => proptest::prop_assert_eq!(value, None),
                Ok(value) => proptest::prop_assert_eq!(value, count_before),
                Err(_) => proptest::prop_assert_eq!(count_before, None),
            }
            let amount_before = rewritten.as_deref().and_then(money::parse_major);
            match amount(&cell) {
                Ok(value) if text.is_empty() => proptest::prop_assert_eq!(value, None),
                Ok(value) => proptest::prop_assert_eq!(value, amount_before),
                Err(_) => proptest::prop_assert!(
                    amount_before.is_none_or(|m| m > MAX_AMOUNT * 100)
                ),
            }
        }
    }

    #[test]
    fn booleans_as_exports_write_them() {
        for yes in ["true", "TRUE", "True", "yes", "Y", "1", "t"] {
            assert_eq!(boolean(yes), Ok(Some(true)), "{yes}");
        }
        for no in ["false", "FALSE", "No", "n", "0", "F"] {
            assert_eq!(boolean(no), Ok(Some(false)), "{no}");
        }
        assert!(boolean("maybe").is_err());
    }

    #[test]
    fn dates_in_every_form_exports_use() {
        let nov24 = Ok(Some(d(2026, 11, 24)));
        assert_eq!(date("2026-11-24", None), nov24);
        assert_eq!(date("2026-11-24T10:30:00Z", None), nov24);
        assert_eq!(date("2026-11-24 10:30", None), nov24);
        assert_eq!(date("2026-11-24T23:30:00-05:00", None), nov24);
        assert_eq!(date("11/24/2026", None), nov24);
        assert_eq!(date("24/11/2026", None), nov24);
        assert_eq!(date("24.11.2026", None), nov24);
        assert_eq!(date("11/24/26", None), nov24);
        assert_eq!(date("2026/11/24", None), nov24);
        assert_eq!(date("1795478400", None), nov24);
        assert_eq!(date("2026-11", None), Ok(Some(d(2026, 11, 1))));
        assert_eq!(
            date("8/17/2023", Some(DateOrder::Mdy)),
            Ok(Some(d(2023, 8, 17)))
        );
        assert_eq!(
            date("3/4/2026", Some(DateOrder::Dmy)),
            Ok(Some(d(2026, 4, 3)))
        );
        assert_eq!(
            date("3/4/2026", Some(DateOrder::Mdy)),
            Ok(Some(d(2026, 3, 4)))
        );
        assert!(date("3/4/2026", None).unwrap_err().contains("--date-order"));
        assert!(date("24/11/2026", Some(DateOrder::Mdy)).is_err());
        assert!(date("2026-13-01", None).is_err());
        assert!(date("2026-12-01 banana", None).is_err());
        assert!(date("soon", None).is_err());
        assert_eq!(date("5/5/2026", None), Ok(Some(d(2026, 5, 5))));
    }
}
