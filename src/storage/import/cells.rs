//! Reading one cell as a typed value, with a reason a CSM can act on when it is not one.

use crate::domain::money;
use crate::domain::{Date, Lifecycle, Status};

/// Why a cell was rejected; the caller adds the file, line, column and value.
pub type CellResult<T> = Result<Option<T>, String>;

/// The cell's text, or none when it is empty.
pub fn text(cell: &str) -> Option<String> {
    let trimmed = cell.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// A whole number >= 0 ("12", "12.0").
pub fn count(cell: &str) -> CellResult<i64> {
    let Some(t) = text(cell) else { return Ok(None) };
    let value = t
        .parse::<i64>()
        .ok()
        .or_else(|| {
            t.parse::<f64>()
                .ok()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                .map(|f| f as i64)
        })
        .ok_or_else(|| "not a whole number".to_owned())?;
    if value < 0 {
        return Err("is negative; expected a count of 0 or more".into());
    }
    Ok(Some(value))
}

/// The largest amount accepted, in major units: far above any real contract, and small enough
/// that sums over a million accounts stay exact.
pub const MAX_AMOUNT: i64 = 100_000_000_000;

/// An amount of money in major units, stored in minor units; never negative.
pub fn amount(cell: &str) -> CellResult<i64> {
    let Some(t) = text(cell) else { return Ok(None) };
    let minor = money::parse_major(&t)
        .ok_or_else(|| "not an amount (expected a number like 125000.00)".to_owned())?;
    if minor < 0 {
        return Err("is negative; expected an amount of 0 or more".into());
    }
    if minor > MAX_AMOUNT * 100 {
        return Err(format!("is too large; amounts go up to {MAX_AMOUNT}"));
    }
    Ok(Some(minor))
}

/// A number between `min` and `max` (a percentage, a CSAT score).
pub fn number_in(cell: &str, min: f64, max: f64) -> CellResult<f64> {
    let Some(t) = text(cell) else { return Ok(None) };
    let value: f64 = t
        .trim_end_matches('%')
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| format!("not a number (expected {min}-{max})"))?;
    if value < min || value > max {
        return Err(format!("is out of range; expected {min}-{max}"));
    }
    Ok(Some(value))
}

/// An NPS answer: a whole number 0-10.
pub fn score(cell: &str) -> CellResult<u8> {
    let Some(t) = text(cell) else { return Ok(None) };
    match t.parse::<i64>() {
        Ok(v @ 0..=10) => Ok(Some(v as u8)),
        Ok(_) => Err("is out of range; an NPS score is a whole number 0-10".into()),
        Err(_) => Err("not a score; an NPS score is a whole number 0-10".into()),
    }
}

/// A calendar date: ISO 8601 (`2026-11-24`), or a timestamp (`2026-11-24T10:30:00Z`,
/// `2026-11-24 10:30`) whose date, as written, is taken.
pub fn date(cell: &str) -> CellResult<Date> {
    let Some(t) = text(cell) else { return Ok(None) };
    let invalid = || "not a date (expected YYYY-MM-DD)".to_owned();
    if t.len() == 10 {
        return t.parse::<Date>().map(Some).map_err(|_| invalid());
    }
    // A timestamp: drop the offset, then the rest must read as a date and time.
    let mut body = t.as_str();
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
    body.replacen(' ', "T", 1)
        .parse::<jiff::civil::DateTime>()
        .map(|dt| Some(dt.date()))
        .map_err(|_| invalid())
}

/// A lifecycle stage word.
pub fn lifecycle(cell: &str) -> CellResult<Lifecycle> {
    let Some(t) = text(cell) else { return Ok(None) };
    Lifecycle::parse(&t).map(Some).ok_or_else(|| {
        let words: Vec<&str> = Lifecycle::ALL.iter().map(|l| l.as_str()).collect();
        format!(
            "not a lifecycle stage (expected one of {})",
            words.join(", ")
        )
    })
}

/// An account status word.
pub fn status(cell: &str) -> CellResult<Status> {
    let Some(t) = text(cell) else { return Ok(None) };
    Status::parse(&t).map(Some).ok_or_else(|| {
        let words: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        format!("not a status (expected one of {})", words.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_parse_or_say_why_not() {
        assert_eq!(count(" 12 "), Ok(Some(12)));
        assert_eq!(count("12.0"), Ok(Some(12)));
        assert_eq!(count(""), Ok(None));
        assert!(count("-1").is_err());
        assert!(count("1.5").is_err());
        assert_eq!(amount("125000.50"), Ok(Some(12_500_050)));
        assert!(amount("lots").is_err());
        assert_eq!(number_in("55%", 0.0, 100.0), Ok(Some(55.0)));
        assert!(number_in("101", 0.0, 100.0).is_err());
        assert!(number_in("NaN", 0.0, 100.0).is_err());
        assert_eq!(score("10"), Ok(Some(10)));
        assert!(score("11").is_err());
        assert!(score("9.5").is_err());
        assert_eq!(
            date("2026-11-24T10:00:00Z"),
            Ok(Some(jiff::civil::date(2026, 11, 24)))
        );
        assert!(date("2026-13-01").is_err());
        assert!(date("2026-11-24x").is_err());
        assert!(date("2026-12-01 banana").is_err());
        assert_eq!(
            date("2026-12-01 10:30"),
            Ok(Some(jiff::civil::date(2026, 12, 1)))
        );
        assert_eq!(
            date("2026-12-01T23:30:00-05:00"),
            Ok(Some(jiff::civil::date(2026, 12, 1)))
        );
        assert!(amount("100000000001").is_err());
        assert_eq!(amount("100000000000"), Ok(Some(10_000_000_000_000)));
        assert!(date("24/11/2026").is_err());
        assert_eq!(lifecycle("Onboarding"), Ok(Some(Lifecycle::Onboarding)));
        assert!(
            lifecycle("growing")
                .unwrap_err()
                .contains("expected one of")
        );
    }
}
