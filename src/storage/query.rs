//! A page of accounts straight from SQL, for `accounts --where ... --sort ... --limit N` on a big
//! book: when the filter and the sort read only stored columns (no health, NPS or usage), the
//! index finds the page and only its accounts are read and derived. Anything else answers
//! "not here" and the caller filters the whole loaded book as before. User text reaches SQL
//! only as bound parameters; the SQL text is built from the compiled filter's shape.

use crate::domain::fields::{Field, sort_rows};
use crate::domain::filter::Predicate;
use crate::domain::filter::ast::CmpOp;
use crate::domain::filter::eval::Target;
use crate::domain::health::HealthModel;
use crate::domain::{AccountRow, Date};
use crate::error::Result;
use crate::storage::Db;
use rusqlite::types::Value;

/// A WHERE clause over `accounts a` with its parameters, always true or false (never NULL).
struct Clause {
    sql: String,
    params: Vec<Value>,
}

/// The stored text column of a text field.
fn text_column(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::Name => "a.name",
        Field::Id => "a.external_id",
        Field::Industry => "a.industry",
        Field::Region => "a.region",
        Field::Country => "a.country",
        Field::Plan => "a.plan",
        Field::Owner => "a.owner",
        _ => return None,
    })
}

/// The stored number column of a number field, in the unit filters compare (major units).
fn number_column(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::Arr => "(a.arr / 100.0)",
        Field::Mrr => "(a.mrr / 100.0)",
        Field::Seats => "a.seats",
        Field::Employees => "a.employees",
        _ => return None,
    })
}

/// The column a sort field orders by, for the fields SQL orders exactly as Rust does.
fn sort_column(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::Arr => "a.arr",
        Field::Mrr => "a.mrr",
        Field::Seats => "a.seats",
        Field::Employees => "a.employees",
        _ => return None,
    })
}

fn operator(op: CmpOp) -> Option<&'static str> {
    Some(match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "!=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
        CmpOp::Contains => return None,
    })
}

/// A LIKE pattern that finds `text` anywhere, with `\` escaping LIKE's own characters.
fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// A column compared with a list of values: `!=` means none of them, every other operator any
/// of them; an account without a value matches neither.
fn compared(column: &str, op: CmpOp, tests: &[String]) -> String {
    let word = if op == CmpOp::Ne { " AND " } else { " OR " };
    let tests = if tests.is_empty() {
        "0".to_owned()
    } else {
        tests.join(word)
    };
    format!("({column} IS NOT NULL AND ({tests}))")
}

/// The filter as SQL, when every part of it reads stored columns the way the filter language
/// does; none otherwise.
fn clause(predicate: &Predicate) -> Option<Clause> {
    let mut params = Vec::new();
    let sql = build(predicate, &mut params)?;
    Some(Clause { sql, params })
}

fn build(predicate: &Predicate, params: &mut Vec<Value>) -> Option<String> {
    let mut joined = |parts: &[Predicate], word: &str| -> Option<String> {
        let sql: Option<Vec<String>> = parts.iter().map(|p| build(p, params)).collect();
        let sql = sql?;
        Some(if sql.is_empty() {
            if word == "AND" { "1" } else { "0" }.to_owned()
        } else {
            format!("({})", sql.join(&format!(" {word} ")))
        })
    };
    match predicate {
        Predicate::All => Some("1".into()),
        Predicate::And(parts) => joined(parts, "AND"),
        Predicate::Or(parts) => joined(parts, "OR"),
        Predicate::Not(inner) => Some(format!("(NOT {})", build(inner, params)?)),
        Predicate::Text {
            target: Target::Field(field),
            op,
            values,
        } => {
            let column = text_column(*field)?;
            // Only plain ASCII words: NOCASE folds ASCII, and a number-like value would
            // compare as a number in the filter language.
            if values
                .iter()
                .any(|v| !v.is_ascii() || v.trim().parse::<f64>().is_ok())
            {
                return None;
            }
            let mut tests = Vec::new();
            for value in values {
                match op {
                    CmpOp::Eq | CmpOp::Ne => {
                        params.push(Value::Text(value.clone()));
                        tests.push(format!(
                            "{column} {} ?{} COLLATE NOCASE",
                            if *op == CmpOp::Eq { "=" } else { "!=" },
                            params.len()
                        ));
                    }
                    CmpOp::Contains => {
                        params.push(Value::Text(contains_pattern(value)));
                        tests.push(format!("{column} LIKE ?{} ESCAPE '\\'", params.len()));
                    }
                    _ => return None,
                }
            }
            Some(compared(column, *op, &tests))
        }
        Predicate::Number { field, op, values } => {
            let column = number_column(*field)?;
            let sign = operator(*op)?;
            let mut tests = Vec::new();
            for value in values {
                // -0 is below 0 in the filter language's ordering, not in SQL's.
                if !value.is_finite() || (*value == 0.0 && value.is_sign_negative()) {
                    return None;
                }
                params.push(Value::Real(*value));
                tests.push(format!("{column} {sign} ?{}", params.len()));
            }
            Some(compared(column, *op, &tests))
        }
        Predicate::Choice {
            field,
            values,
            negate,
        } => {
            let column = match field {
                Field::Status => "a.status",
                Field::Lifecycle => "a.lifecycle",
                _ => return None,
            };
            let mut words = Vec::new();
            for word in values.iter().flatten() {
                params.push(Value::Text((*word).to_owned()));
                words.push(format!("?{}", params.len()));
            }
            let listed = if words.is_empty() {
                "0".to_owned()
            } else {
                format!("{column} IN ({})", words.join(", "))
            };
            let none = values.contains(&None);
            Some(if *negate {
                format!("({column} IS NOT NULL AND NOT ({listed}))")
            } else if none {
                format!("({column} IS NULL OR ({column} IS NOT NULL AND {listed}))")
            } else {
                format!("({column} IS NOT NULL AND {listed})")
            })
        }
        _ => None,
    }
}

/// One page of a sorted selection, with the size and ARR of the whole selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub rows: Vec<AccountRow>,
    /// Every account the filter selects.
    pub count: usize,
    /// Their ARR (minor units).
    pub arr: i64,
}

/// A selection of at most this many accounts is read whole when its page needs the accounts
/// without a value for the sort field (their order is by name, which SQL cannot reproduce).
const READ_WHOLE_UP_TO: usize = 5000;

impl Db {
    /// The first `limit` accounts `predicate` selects, sorted as `sort_rows` sorts, when SQL
    /// can answer it exactly (see the module); none when the whole book must be read instead.
    pub fn page(
        &self,
        predicate: &Predicate,
        sort: (Field, bool),
        limit: usize,
        today: Date,
        model: &HealthModel,
    ) -> Result<Option<Page>> {
        let (field, descending) = sort;
        let (Some(filter), Some(column)) = (clause(predicate), sort_column(field)) else {
            return Ok(None);
        };
        let params = || rusqlite::params_from_iter(filter.params.iter());
        let (count, arr): (i64, i64) = self.conn.query_row(
            &format!(
                "SELECT count(*), coalesce(sum(a.arr), 0) FROM accounts a WHERE {}",
                filter.sql
            ),
            params(),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let count = usize::try_from(count).unwrap_or(0);
        let keys: Vec<i64> = if limit == 0 || count == 0 {
            Vec::new()
        } else {
            // The sort value of the page's last row: every account at least that far up, ties
            // included, is read; Rust then sorts them exactly and keeps the page.
            let direction = if descending { "DESC" } else { "ASC" };
            let boundary: Option<i64> = self
                .conn
                .query_row(
                    &format!(
                        "SELECT {column} FROM accounts a WHERE {} AND {column} IS NOT NULL \
                         ORDER BY {column} {direction} LIMIT 1 OFFSET {}",
                        filter.sql,
                        limit - 1
                    ),
                    params(),
                    |r| r.get(0),
                )
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    other => Err(other),
                })?;
            let sql = match boundary {
                Some(value) => format!(
                    "SELECT a.id FROM accounts a WHERE {} AND {column} {} {value}",
                    filter.sql,
                    if descending { ">=" } else { "<=" }
                ),
                None if count <= READ_WHOLE_UP_TO => {
                    format!("SELECT a.id FROM accounts a WHERE {}", filter.sql)
                }
                None => return Ok(None),
            };
            self.conn
                .prepare(&sql)?
                .query_map(params(), |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?
        };
        let mut rows = self.load_rows_of(&keys, today, model)?;
        sort_rows(&mut rows, field, descending);
        rows.truncate(limit);
        Ok(Some(Page { rows, count, arr }))
    }
}
