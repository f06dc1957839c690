//! Health inputs in words, the way a CSM says them: "42 of 80 seats active".

use crate::domain::AccountRow;
use crate::domain::health::{ComponentKind, ComponentScore};

/// A number without a needless ".0".
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A component's raw input in words ("42 of 80 seats active").
pub fn input_in_words(row: &AccountRow, component: &ComponentScore) -> String {
    let usage = row.usage.clone().unwrap_or_default();
    match component.kind {
        ComponentKind::Utilization => match (usage.active_users, row.account.seats) {
            (Some(active), Some(seats)) => format!("{active} of {seats} seats active"),
            _ => format!("{:.0}% of seats active", component.input),
        },
        ComponentKind::LoginRecency => match component.input as i64 {
            0 => "last login today".into(),
            d => format!("last login {} ago", plural(d, "day", "days")),
        },
        ComponentKind::Nps => match row.nps {
            Some(n) => format!(
                "mean NPS score {:.1} from {}",
                n.mean_score,
                plural(i64::from(n.count), "answer", "answers")
            ),
            None => "no NPS answers".into(),
        },
        ComponentKind::SupportLoad => plural(component.input as i64, "open ticket", "open tickets"),
        ComponentKind::Adoption => format!(
            "features {} · onboarding {}",
            usage
                .feature_adoption
                .map_or("—".into(), |v| format!("{}%", number(v))),
            usage
                .onboarding
                .map_or("—".into(), |v| format!("{}%", number(v)))
        ),
        ComponentKind::Payment => match component.input as i64 {
            0 => "no overdue invoices".into(),
            n => plural(n, "overdue invoice", "overdue invoices"),
        },
    }
}
