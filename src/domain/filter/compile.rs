//! Checks a parsed expression against the fields of DESIGN.md and the book's extra columns,
//! reads every value in its field's type, and resolves `segment:` references (cycles are errors).

use super::FilterError;
use super::ast::{CmpOp, Expr, FieldName, Literal};
use super::eval::{Predicate, Target};
use super::values;
use crate::domain::fields::Field;
use crate::domain::tier::Tier;
use crate::domain::{Lifecycle, Status};
use std::collections::BTreeSet;

/// What an expression may refer to besides the fixed fields.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Every segment by name with its expression (built-in and saved).
    pub segments: &'a [(String, String)],
    /// Every key found in some account's extra columns.
    pub extra_keys: &'a BTreeSet<String>,
}

impl Context<'_> {
    /// The expression of a segment, matched case-insensitively with spaces, `_` and `-` alike.
    pub fn segment(&self, name: &str) -> Option<(&str, &str)> {
        let wanted = segment_key(name);
        self.segments
            .iter()
            .find(|(n, _)| segment_key(n) == wanted)
            .map(|(n, e)| (n.as_str(), e.as_str()))
    }
}

/// A segment name folded for lookups: "Upsell candidates" = "upsell-candidates".
pub fn segment_key(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| if c == ' ' || c == '_' { '-' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The kind of value a field holds, which decides what operators and values it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// One of a fixed set of words; `none` matches accounts without a value.
    Choice(&'static [&'static str]),
    Number,
    /// Relative days (count) or an absolute date.
    Days,
}

const TIERS: &[&str] = &["high", "hybrid", "low", "digital"];
const STAGES: &[&str] = &[
    "trial",
    "onboarding",
    "adoption",
    "expansion",
    "renewal",
    "churned",
];
const STATUSES: &[&str] = &["trial", "active", "churned"];
const BANDS: &[&str] = &["healthy", "at-risk", "critical"];
const CATEGORIES: &[&str] = &["promoter", "passive", "detractor"];

fn kind(field: Field) -> Kind {
    match field {
        Field::Name
        | Field::Id
        | Field::Industry
        | Field::Region
        | Field::Country
        | Field::Plan
        | Field::Owner
        | Field::Tags => Kind::Text,
        Field::Tier => Kind::Choice(TIERS),
        Field::Lifecycle => Kind::Choice(STAGES),
        Field::Status => Kind::Choice(STATUSES),
        Field::Band => Kind::Choice(BANDS),
        Field::NpsCategory => Kind::Choice(CATEGORIES),
        Field::Renewal | Field::LastLogin | Field::ContractStart => Kind::Days,
        _ => Kind::Number,
    }
}

// Keep the choice lists in step with the domain's own words.
const _: () = {
    assert!(TIERS.len() == Tier::ALL.len());
    assert!(STAGES.len() == Lifecycle::ALL.len());
    assert!(STATUSES.len() == Status::ALL.len());
};

/// Compiles an expression.
pub fn compile(expr: &Expr, context: &Context<'_>) -> Result<Predicate, FilterError> {
    Compiler {
        context,
        stack: Vec::new(),
    }
    .expr(expr)
}

struct Compiler<'c, 'a> {
    context: &'c Context<'a>,
    /// Segments being expanded, to catch cycles.
    stack: Vec<String>,
}

impl Compiler<'_, '_> {
    fn expr(&mut self, expr: &Expr) -> Result<Predicate, FilterError> {
        Ok(match expr {
            Expr::And(parts) => Predicate::And(
                parts
                    .iter()
                    .map(|p| self.expr(p))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Or(parts) => Predicate::Or(
                parts
                    .iter()
                    .map(|p| self.expr(p))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Not(inner) => Predicate::Not(Box::new(self.expr(inner)?)),
            Expr::Tag(name) => Predicate::Tag(name.text.to_lowercase()),
            Expr::Segment(name) => self.segment(name)?,
            Expr::Compare { field, op, value } => {
                self.compare(field, *op, std::slice::from_ref(value))?
            }
            Expr::In { field, values } => self.compare(field, CmpOp::Eq, values)?,
        })
    }

    fn segment(&mut self, name: &Literal) -> Result<Predicate, FilterError> {
        let Some((found, expression)) = self.context.segment(&name.text) else {
            let names = self.context.segments.iter().map(|(n, _)| n.as_str());
            let hint = values::closest(&name.text, names).map_or_else(
                || ": `csdeck segments` lists them".to_owned(),
                |c| format!(": did you mean '{c}'?"),
            );
            return Err(FilterError::new(
                name.col,
                format!("no segment is named '{}'{hint}", name.text),
            ));
        };
        let key = segment_key(found);
        if self.stack.contains(&key) {
            let mut chain = self.stack.clone();
            chain.push(key);
            return Err(FilterError::new(
                name.col,
                format!(
                    "segment '{found}' refers back to itself ({})",
                    chain.join(" -> ")
                ),
            ));
        }
        let parsed = super::parse(expression)
            .map_err(|e| FilterError::new(name.col, format!("segment '{found}' is broken: {e}")))?;
        self.stack.push(key);
        let compiled = self.expr(&parsed).map_err(|e| {
            if e.message.starts_with("segment '") {
                FilterError::new(name.col, e.message)
            } else {
                FilterError::new(name.col, format!("segment '{found}' is broken: {e}"))
            }
        });
        self.stack.pop();
        compiled
    }

    fn compare(
        &mut self,
        field: &FieldName,
        op: CmpOp,
        values: &[Literal],
    ) -> Result<Predicate, FilterError> {
        let Some(known) = Field::parse(&field.name) else {
            return self.extra(field, op, values);
        };
        match kind(known) {
            Kind::Text => {
                if !matches!(op, CmpOp::Eq | CmpOp::Ne | CmpOp::Contains) {
                    return Err(FilterError::new(
                        field.col,
                        format!(
                            "'{}' does not apply to {}, a text field: use =, !=, ~ or in",
                            op.as_str(),
                            known.name()
                        ),
                    ));
                }
                Ok(Predicate::Text {
                    target: Target::Field(known),
                    op,
                    values: values.iter().map(|v| v.text.to_lowercase()).collect(),
                })
            }
            Kind::Choice(words) => {
                if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    return Err(FilterError::new(
                        field.col,
                        format!(
                            "'{}' does not apply to {}: use =, != or in with {}",
                            op.as_str(),
                            known.name(),
                            words.join(", ")
                        ),
                    ));
                }
                let mut allowed = Vec::new();
                for value in values {
                    let lower = value.text.to_lowercase();
                    if lower == "none" {
                        allowed.push(None);
                    } else if let Some(word) = words.iter().find(|w| **w == lower) {
                        allowed.push(Some(*word));
                    } else {
                        return Err(FilterError::new(
                            value.col,
                            format!(
                                "'{}' is not a {}: expected one of {}, or none",
                                value.text,
                                known.name(),
                                words.join(", ")
                            ),
                        ));
                    }
                }
                Ok(Predicate::Choice {
                    field: known,
                    values: allowed,
                    negate: op == CmpOp::Ne,
                })
            }
            Kind::Number => {
                if op == CmpOp::Contains {
                    return Err(FilterError::new(
                        field.col,
                        format!(
                            "'~' does not apply to {}, a number: use = != < <= > >=",
                            known.name()
                        ),
                    ));
                }
                let numbers = values
                    .iter()
                    .map(|v| {
                        values::number(&v.text).filter(|_| !v.quoted).ok_or_else(|| {
                            FilterError::new(
                                v.col,
                                format!("expected a number for {} (like 50, 100k or 1.5m), found '{}'", known.name(), v.text),
                            )
                        })
                    })
                    .collect::<Result<Vec<f64>, _>>()?;
                Ok(Predicate::Number {
                    field: known,
                    op,
                    values: numbers,
                })
            }
            Kind::Days => {
                if op == CmpOp::Contains || values.len() > 1 {
                    return Err(FilterError::new(
                        field.col,
                        format!(
                            "{} takes a day count or a date with = != < <= > >= (like {} <= 30d)",
                            known.name(),
                            known.name()
                        ),
                    ));
                }
                let value = &values[0];
                if let Some(date) = values::date(&value.text) {
                    return Ok(Predicate::Date {
                        field: known,
                        op,
                        date,
                    });
                }
                let days = values::days(&value.text).filter(|_| !value.quoted).ok_or_else(|| {
                    FilterError::new(
                        value.col,
                        format!("expected a day count (30d, 2w, 3m) or a date (2026-12-31) for {}, found '{}'", known.name(), value.text),
                    )
                })?;
                Ok(Predicate::Days {
                    field: known,
                    op,
                    days,
                })
            }
        }
    }

    fn extra(
        &mut self,
        field: &FieldName,
        op: CmpOp,
        values: &[Literal],
    ) -> Result<Predicate, FilterError> {
        let name = field.name.strip_prefix("extra.").unwrap_or(&field.name);
        let keys = self.context.extra_keys;
        let key = keys.iter().find(|k| k.as_str() == name).or_else(|| {
            keys.iter()
                .find(|k| k.to_lowercase() == name.to_lowercase())
        });
        let Some(key) = key else {
            let candidates = Field::ALL
                .iter()
                .map(|f| f.name())
                .chain(keys.iter().map(String::as_str));
            let hint = values::closest(name, candidates).map_or_else(
                || ": see the fields in README.md".to_owned(),
                |c| format!(": did you mean '{c}'?"),
            );
            return Err(FilterError::new(
                field.col,
                format!("unknown field '{}'{hint}", field.name),
            ));
        };
        // Ordering compares numbers (100k, 12.5%) or dates, never text: "n/a" is not > 60.
        if matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge) {
            let value = &values[0];
            if let Some(date) = values::date(&value.text) {
                return Ok(Predicate::ExtraDate {
                    key: key.clone(),
                    op,
                    date,
                });
            }
            let number = values::number(&value.text)
                .filter(|_| !value.quoted)
                .ok_or_else(|| {
                    FilterError::new(
                        value.col,
                        format!(
                            "'{}' on the imported column '{key}' needs a number (like 50 or 100k) \
                             or a date (2026-12-31), found '{}'",
                            op.as_str(),
                            value.text
                        ),
                    )
                })?;
            return Ok(Predicate::ExtraNumber {
                key: key.clone(),
                op,
                value: number,
            });
        }
        Ok(Predicate::Text {
            target: Target::Extra(key.clone()),
            op,
            values: values.iter().map(|v| v.text.to_lowercase()).collect(),
        })
    }
}

/// The words a choice field takes, for completion.
pub fn choices(field: Field) -> &'static [&'static str] {
    match kind(field) {
        Kind::Choice(words) => words,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::health::Band;
    use crate::domain::nps::Category;

    #[test]
    fn choice_words_match_the_domain() {
        for tier in Tier::ALL {
            assert!(TIERS.contains(&tier.as_str()));
        }
        for stage in Lifecycle::ALL {
            assert!(STAGES.contains(&stage.as_str()));
        }
        for status in Status::ALL {
            assert!(STATUSES.contains(&status.as_str()));
        }
        for band in [Band::Healthy, Band::AtRisk, Band::Critical] {
            assert!(BANDS.contains(&band.as_str()));
        }
        for category in [Category::Promoter, Category::Passive, Category::Detractor] {
            assert!(CATEGORIES.contains(&category.as_str()));
        }
    }
}
