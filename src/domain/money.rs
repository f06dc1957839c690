//! Money in integer minor units: exact sums, and the two ways csdeck prints it.

/// Parses a plain decimal amount in major units ("125000", "125000.5", "-3.25") into minor units.
/// Returns none for anything else, so the importer can say which cell is wrong.
pub fn parse_major(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole_value: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    // Round half away from zero at the cent.
    let mut cents: i64 = 0;
    for (i, b) in frac.bytes().enumerate() {
        let d = i64::from(b - b'0');
        match i {
            0 => cents += d * 10,
            1 => cents += d,
            2 => {
                if d >= 5 {
                    cents += 1;
                }
                break;
            }
            _ => break,
        }
    }
    let minor = whole_value.checked_mul(100)?.checked_add(cents)?;
    Some(if negative { -minor } else { minor })
}

/// Major units with two decimals ("125000.00"): the machine-readable form of CSV and JSON.
pub fn format_major(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A short human form for tables and status bars ("125.0k", "1.25M", "950").
pub fn format_short(minor: i64) -> String {
    let major = minor as f64 / 100.0;
    let abs = major.abs();
    if abs >= 1_000_000_000.0 {
        format!("{:.2}B", major / 1_000_000_000.0)
    } else if abs >= 1_000_000.0 {
        format!("{:.2}M", major / 1_000_000.0)
    } else if abs >= 1_000.0 {
        format!("{:.1}k", major / 1_000.0)
    } else {
        format!("{major:.0}")
    }
}

/// [`format_short`] in at most `width` characters where fewer decimals make it fit
/// ("646.32M" in six is "646.3M"): a sidebar's figures stay in their columns whatever a
/// segment's ARR, instead of pushing the health figure out of view.
pub fn format_within(minor: i64, width: usize) -> String {
    let short = format_short(minor);
    if short.chars().count() <= width {
        return short;
    }
    let major = minor as f64 / 100.0;
    let (scale, unit) = match major.abs() {
        a if a >= 1e12 => (1e12, "T"),
        a if a >= 1e9 => (1e9, "B"),
        a if a >= 1e6 => (1e6, "M"),
        a if a >= 1e3 => (1e3, "k"),
        _ => (1.0, ""),
    };
    let value = major / scale;
    (0..=2)
        .rev()
        .map(|decimals| format!("{value:.decimals$}{unit}"))
        .find(|text| text.chars().count() <= width)
        .unwrap_or_else(|| format!("{value:.0}{unit}"))
}

/// Whole major units with thousands separators ("125,000"): the detail pane's exact form.
pub fn format_grouped(minor: i64) -> String {
    let major = minor / 100;
    let digits = major.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if major < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_figures_fit_their_width() {
        // Major units, as the sidebar's segments hold them (times 100 for cents).
        for (major, text) in [
            (646_320_000, "646.3M"),
            (4_406_000_000, "4.41B"),
            (12_345_000, "12.35M"),
            (999_900, "999.9k"),
            (123_456_000_000, "123.5B"),
            (1_234_567_000_000, "1.23T"),
            (-646_320_000, "-646M"),
        ] {
            assert_eq!(format_within(major * 100, 6), text, "{major}");
        }
        proptest::proptest!(|(minor in 0i64..1_000_000_000_000_000)| {
            proptest::prop_assert!(format_within(minor, 6).chars().count() <= 6);
        });
    }

    #[test]
    fn parses_major_units_to_cents() {
        assert_eq!(parse_major("125000"), Some(12_500_000));
        assert_eq!(parse_major("125000.5"), Some(12_500_050));
        assert_eq!(parse_major("0.07"), Some(7));
        assert_eq!(parse_major("1.005"), Some(101));
        assert_eq!(parse_major("-3.25"), Some(-325));
        assert_eq!(parse_major(".5"), Some(50));
        assert_eq!(parse_major(""), None);
        assert_eq!(parse_major("12a"), None);
        assert_eq!(parse_major("1.2.3"), None);
        assert_eq!(parse_major("99999999999999999999"), None);
    }

    #[test]
    fn formats_round_trip() {
        for cents in [0, 7, 100, 12_500_000, -325] {
            assert_eq!(parse_major(&format_major(cents)), Some(cents));
        }
        assert_eq!(format_short(12_500_000), "125.0k");
        assert_eq!(format_short(125_000_000), "1.25M");
        assert_eq!(format_grouped(12_500_000), "125,000");
        assert_eq!(format_grouped(-100_000_000), "-1,000,000");
    }
}
