//! Short, human forms of the figures a CSM scans in the table and the detail pane.

use crate::domain::sanitize::caret;

/// Days until renewal: "in 12d", "today", "3d ago".
pub fn renewal(days: i64) -> String {
    match days {
        0 => "today".into(),
        d if d > 0 => format!("in {d}d"),
        d => format!("{}d ago", -d),
    }
}

/// Days since the last login: "today", "9d ago".
pub fn since(days: i64) -> String {
    match days {
        d if d <= 0 => "today".into(),
        d => format!("{d}d ago"),
    }
}

/// A fraction as a whole percentage.
pub fn percent(fraction: f64) -> String {
    format!("{:.0}%", fraction * 100.0)
}

/// A number without a needless ".0".
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// Untrusted text made safe to draw, or a dash when missing.
pub fn text_or_dash(value: Option<&str>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| caret(v).into_owned())
}
