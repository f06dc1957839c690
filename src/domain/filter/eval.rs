//! A compiled filter and its evaluation against one account row. An account without a value
//! for a field never matches a comparison on it (only `not` turns that into a match).

use super::ast::CmpOp;
use crate::domain::AccountRow;
use crate::domain::fields::Field;
use jiff::civil::Date;
use std::cmp::Ordering;

/// Where a text comparison reads its value.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Field(Field),
    /// A column an import kept in `extra`.
    Extra(String),
}

/// A checked, ready-to-run filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    /// Matches every account (no filter).
    All,
    And(Vec<Predicate>),
    Or(Vec<Predicate>),
    Not(Box<Predicate>),
    /// Text: `=`/`!=` compare case-insensitively, `~` contains; several values mean `in`.
    Text {
        target: Target,
        op: CmpOp,
        values: Vec<String>,
    },
    /// A fixed-word field; `None` in `values` stands for "no value".
    Choice {
        field: Field,
        values: Vec<Option<&'static str>>,
        negate: bool,
    },
    Number {
        field: Field,
        op: CmpOp,
        values: Vec<f64>,
    },
    /// Days until (renewal) or since (last_login, contract_start).
    Days {
        field: Field,
        op: CmpOp,
        days: i64,
    },
    Date {
        field: Field,
        op: CmpOp,
        date: Date,
    },
    /// Has a tag (case-insensitive).
    Tag(String),
    /// An imported column read as a number ("$1,234", "12.5%", "100k").
    ExtraNumber {
        key: String,
        op: CmpOp,
        value: f64,
    },
    /// An imported column read as an ISO date.
    ExtraDate {
        key: String,
        op: CmpOp,
        date: Date,
    },
}

/// An imported cell as a number, the way exports write them: currency signs and spaces go.
fn extra_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '$' | '€' | '£' | '¥'))
        .collect();
    super::values::number(&cleaned)
}

/// An imported cell as a date (its first ten characters, ISO 8601).
fn extra_date(text: &str) -> Option<Date> {
    text.trim().get(..10).and_then(|d| d.parse().ok())
}

fn extra_text(row: &AccountRow, key: &str) -> Option<String> {
    match row.account.extra.get(key)? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        serde_json::Value::String(_) | serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn holds(ordering: Ordering, op: CmpOp) -> bool {
    match op {
        CmpOp::Eq => ordering == Ordering::Equal,
        CmpOp::Ne => ordering != Ordering::Equal,
        CmpOp::Lt => ordering == Ordering::Less,
        CmpOp::Le => ordering != Ordering::Greater,
        CmpOp::Gt => ordering == Ordering::Greater,
        CmpOp::Ge => ordering != Ordering::Less,
        CmpOp::Contains => false,
    }
}

pub(super) fn text_of(row: &AccountRow, field: Field) -> Option<&str> {
    let a = &row.account;
    match field {
        Field::Name => Some(&a.name),
        Field::Id => Some(&a.external_id),
        Field::Industry => a.industry.as_deref(),
        Field::Region => a.region.as_deref(),
        Field::Country => a.country.as_deref(),
        Field::Plan => a.plan.as_deref(),
        Field::Owner => a.owner.as_deref(),
        _ => None,
    }
}

pub(super) fn choice_of(row: &AccountRow, field: Field) -> Option<&'static str> {
    match field {
        Field::Tier => row.tier.map(|t| t.as_str()),
        Field::Lifecycle => row.account.lifecycle.map(|l| l.as_str()),
        Field::Status => row.account.status.map(|s| s.as_str()),
        Field::Band => row.band.map(|b| b.as_str()),
        Field::NpsCategory => row.nps.map(|n| n.category().as_str()),
        _ => None,
    }
}

/// A number field's value in the unit filters use (money in major units, utilization in %).
pub fn number_of(row: &AccountRow, field: Field) -> Option<f64> {
    let a = &row.account;
    let usage = row.usage.as_ref();
    let int = |v: Option<i64>| v.map(|n| n as f64);
    match field {
        Field::Arr => a.arr.map(|v| v as f64 / 100.0),
        Field::Mrr => a.mrr.map(|v| v as f64 / 100.0),
        Field::Seats => int(a.seats),
        Field::Employees => int(a.employees),
        Field::ActiveUsers => int(usage.and_then(|u| u.active_users)),
        Field::Utilization => row.utilization.map(|u| u * 100.0),
        Field::Health => row.health.map(f64::from),
        Field::Nps => row.nps.map(|n| f64::from(n.nps)),
        Field::NpsScore => row.nps.map(|n| n.mean_score),
        Field::Onboarding => usage.and_then(|u| u.onboarding),
        Field::Tickets => int(usage.and_then(|u| u.open_tickets)),
        Field::Csat => usage.and_then(|u| u.csat),
        _ => None,
    }
}

pub(super) fn days_of(row: &AccountRow, field: Field) -> Option<i32> {
    match field {
        Field::Renewal => row.days_to_renewal,
        Field::LastLogin => row.days_since_login,
        Field::ContractStart => row.days_since_start,
        _ => None,
    }
}

pub(super) fn date_of(row: &AccountRow, field: Field) -> Option<Date> {
    match field {
        Field::Renewal => row.account.renewal_date,
        Field::LastLogin => row.usage.as_ref().and_then(|u| u.last_login),
        Field::ContractStart => row.account.contract_start,
        _ => None,
    }
}

/// Compares text the way the filter language does: equality ignores case, `~` is contains,
/// ordering compares numbers when both sides are numbers.
fn text_matches(value: &str, op: CmpOp, wanted: &str) -> bool {
    // Most imported text is ASCII: compare it in place rather than lowercasing a copy for
    // every account on every keystroke (the same answers: ASCII lowercases byte by byte).
    if value.is_ascii() {
        match op {
            CmpOp::Eq | CmpOp::Ne => {
                let same = match (value.trim().parse::<f64>(), wanted.trim().parse::<f64>()) {
                    (Ok(a), Ok(b)) => a == b,
                    _ => value.eq_ignore_ascii_case(wanted) && !has_ascii_upper(wanted),
                };
                return same == (op == CmpOp::Eq);
            }
            CmpOp::Contains => return ascii_contains(value, wanted),
            _ => {}
        }
    }
    let lower = value.to_lowercase();
    match op {
        // 5 = 5.0: numbers compare as numbers, text case-insensitively.
        CmpOp::Eq | CmpOp::Ne => {
            let same = match (lower.trim().parse::<f64>(), wanted.trim().parse::<f64>()) {
                (Ok(a), Ok(b)) => a == b,
                _ => lower == wanted,
            };
            same == (op == CmpOp::Eq)
        }
        CmpOp::Contains => lower.contains(wanted),
        _ => {
            let ordering = match (lower.trim().parse::<f64>(), wanted.trim().parse::<f64>()) {
                (Ok(a), Ok(b)) => a.total_cmp(&b),
                _ => lower.as_str().cmp(wanted),
            };
            holds(ordering, op)
        }
    }
}

fn has_ascii_upper(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_uppercase())
}

/// Whether ASCII `value`, lowercased, contains `wanted` (already lowercase).
fn ascii_contains(value: &str, wanted: &str) -> bool {
    let (hay, needle) = (value.as_bytes(), wanted.as_bytes());
    if needle.is_empty() {
        return true;
    }
    if !wanted.is_ascii() || has_ascii_upper(wanted) || needle.len() > hay.len() {
        return false;
    }
    hay.windows(needle.len()).any(|window| {
        window
            .iter()
            .zip(needle)
            .all(|(a, b)| a.to_ascii_lowercase() == *b)
    })
}

/// `name`, lowercased, equals `folded` (already lowercase): without a copy when ASCII.
pub(super) fn lower_equals(name: &str, folded: &str) -> bool {
    if name.is_ascii() {
        name.eq_ignore_ascii_case(folded) && !has_ascii_upper(folded)
    } else {
        name.to_lowercase() == folded
    }
}

/// What a predicate looks at in an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// A field (a tag test reads [`Field::Tags`]).
    Field(Field),
    /// A column an import kept.
    Extra,
}

impl Predicate {
    /// Tells `see` everything the answer depends on, so that a command can read only that
    /// much of a million accounts.
    pub fn reads(&self, see: &mut dyn FnMut(Read)) {
        match self {
            Predicate::All => {}
            Predicate::And(parts) | Predicate::Or(parts) => {
                parts.iter().for_each(|p| p.reads(see));
            }
            Predicate::Not(inner) => inner.reads(see),
            Predicate::Tag(_) => see(Read::Field(Field::Tags)),
            Predicate::Text {
                target: Target::Field(field),
                ..
            }
            | Predicate::Choice { field, .. }
            | Predicate::Number { field, .. }
            | Predicate::Days { field, .. }
            | Predicate::Date { field, .. } => see(Read::Field(*field)),
            Predicate::Text {
                target: Target::Extra(_),
                ..
            }
            | Predicate::ExtraNumber { .. }
            | Predicate::ExtraDate { .. } => see(Read::Extra),
        }
    }

    /// Whether the answer can change when only tags change: what a tag change must count
    /// again (a million accounts' other figures stay as they are).
    pub fn reads_tags(&self) -> bool {
        let mut tags = false;
        self.reads(&mut |read| tags |= read == Read::Field(Field::Tags));
        tags
    }

    /// Whether the account matches.
    pub fn matches(&self, row: &AccountRow) -> bool {
        match self {
            Predicate::All => true,
            Predicate::And(parts) => parts.iter().all(|p| p.matches(row)),
            Predicate::Or(parts) => parts.iter().any(|p| p.matches(row)),
            Predicate::Not(inner) => !inner.matches(row),
            Predicate::Tag(tag) => row.tags.iter().any(|t| lower_equals(t, tag)),
            Predicate::Text { target, op, values } => match target {
                Target::Field(Field::Tags) => {
                    let any_value = |value: &str| text_leaf(*op, values, Some(value));
                    if *op == CmpOp::Ne {
                        !row.tags.is_empty() && row.tags.iter().all(|t| any_value(t))
                    } else {
                        row.tags.iter().any(|t| any_value(t))
                    }
                }
                Target::Field(field) => text_leaf(*op, values, text_of(row, *field)),
                Target::Extra(key) => match row.account.extra.get(key) {
                    Some(serde_json::Value::String(s)) if !s.is_empty() => {
                        text_leaf(*op, values, Some(s))
                    }
                    Some(serde_json::Value::Null) | None => false,
                    Some(serde_json::Value::String(_)) => false,
                    Some(other) => text_leaf(*op, values, Some(&other.to_string())),
                },
            },
            Predicate::Choice {
                field,
                values,
                negate,
            } => choice_leaf(values, *negate, choice_of(row, *field)),
            Predicate::Number { field, op, values } => {
                number_leaf(*op, values, number_of(row, *field))
            }
            Predicate::Days { field, op, days } => {
                days_leaf(*field, *op, *days, days_of(row, *field))
            }
            Predicate::Date { field, op, date } => date_leaf(*op, *date, date_of(row, *field)),
            Predicate::ExtraNumber { key, op, value } => extra_text(row, key)
                .and_then(|t| extra_number(&t))
                .is_some_and(|n| holds(n.total_cmp(value), *op)),
            Predicate::ExtraDate { key, op, date } => extra_text(row, key)
                .and_then(|t| extra_date(&t))
                .is_some_and(|d| holds(d.cmp(date), *op)),
        }
    }
}

// The leaves below decide one comparison from one value. Row evaluation and the column
// evaluation (`columns.rs`) both call them, so the two cannot answer differently.

/// A text comparison on a field's value: `!=` with a list means "none of them", every other
/// operator "any of them"; no value never matches.
pub(super) fn text_leaf(op: CmpOp, values: &[String], value: Option<&str>) -> bool {
    value.is_some_and(|value| {
        if op == CmpOp::Ne {
            values.iter().all(|w| text_matches(value, op, w))
        } else {
            values.iter().any(|w| text_matches(value, op, w))
        }
    })
}

/// A fixed-word comparison: `!= x` needs a value, and not x (no value never matches a
/// comparison); `!= none` means "has a value".
pub(super) fn choice_leaf(
    values: &[Option<&'static str>],
    negate: bool,
    value: Option<&str>,
) -> bool {
    let listed = values.contains(&value);
    if negate {
        value.is_some() && !listed
    } else {
        listed
    }
}

/// A number comparison, with `!=` over a list meaning "none of them".
pub(super) fn number_leaf(op: CmpOp, values: &[f64], value: Option<f64>) -> bool {
    value.is_some_and(|n| {
        if op == CmpOp::Ne {
            values.iter().all(|v| holds(n.total_cmp(v), op))
        } else {
            values.iter().any(|v| holds(n.total_cmp(v), op))
        }
    })
}

/// "renewal <= 30d" means renews within the next 30 days: a renewal already past is not
/// "within" it (ask for those with renewal < 0d). `<= 0d` is "renews today", consistent with
/// `<= 1d`; only `< 0d` reaches back.
pub(super) fn days_leaf(field: Field, op: CmpOp, days: i64, value: Option<i32>) -> bool {
    value.map(i64::from).is_some_and(|d| {
        let upcoming_only = field == Field::Renewal
            && match op {
                CmpOp::Lt => days > 0,
                CmpOp::Le => days >= 0,
                _ => false,
            };
        holds(d.cmp(&days), op) && !(upcoming_only && d < 0)
    })
}

/// A date comparison; no date never matches.
pub(super) fn date_leaf(op: CmpOp, date: Date, value: Option<Date>) -> bool {
    value.is_some_and(|d| holds(d.cmp(&date), op))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The comparison as it was written first: lowercase a copy, then compare.
    fn reference(value: &str, op: CmpOp, wanted: &str) -> bool {
        let lower = value.to_lowercase();
        match op {
            CmpOp::Eq | CmpOp::Ne => {
                let same = match (lower.trim().parse::<f64>(), wanted.trim().parse::<f64>()) {
                    (Ok(a), Ok(b)) => a == b,
                    _ => lower == wanted,
                };
                same == (op == CmpOp::Eq)
            }
            CmpOp::Contains => lower.contains(wanted),
            _ => unreachable!(),
        }
    }

    proptest! {
        #[test]
        fn in_place_comparison_answers_as_lowercasing_a_copy(
            value in "[ a-zA-Z0-9.éÉß-]{0,12}",
            wanted in "[ a-zA-Z0-9.éß-]{0,6}",
            op in prop::sample::select(vec![CmpOp::Eq, CmpOp::Ne, CmpOp::Contains]),
        ) {
            let wanted = wanted.to_lowercase();
            prop_assert_eq!(text_matches(&value, op, &wanted), reference(&value, op, &wanted));
            // Values that do contain the wanted text, in another case.
            let grown = format!("x{}Y", wanted.to_uppercase());
            prop_assert_eq!(
                text_matches(&grown, op, &wanted),
                reference(&grown, op, &wanted)
            );
            prop_assert_eq!(lower_equals(&value, &wanted), value.to_lowercase() == wanted);
        }
    }

    #[test]
    fn ascii_text_compares_ignoring_case() {
        assert!(text_matches("EMEA", CmpOp::Eq, "emea"));
        assert!(text_matches("Acme Corp", CmpOp::Contains, "me co"));
        assert!(!text_matches("Acme", CmpOp::Contains, "acmex"));
        assert!(text_matches("5.0", CmpOp::Eq, "5"));
        assert!(text_matches("Zoë", CmpOp::Eq, "zoë"));
    }
}
