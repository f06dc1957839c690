//! The columns of an account listing (`accounts --format csv|json`, exports): one definition,
//! in DESIGN.md's order, so every machine-readable output agrees.

use crate::domain::money;
use crate::domain::row::AccountRow;
use serde_json::Value;

/// One listed value, typed so CSV gets text and JSON gets numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    /// A number printed as is (shortest form that reads back the same).
    Num(f64),
    /// Money in minor units, printed in major units with two decimals.
    Money(i64),
}

impl Cell {
    /// The CSV form: empty cell for no value, money as `125000.00`.
    pub fn to_csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Num(x) => x.to_string(),
            Cell::Money(minor) => money::format_major(*minor),
        }
    }

    /// The JSON form: null for no value, money as a number in major units.
    pub fn to_json(&self) -> Value {
        match self {
            Cell::Empty => Value::Null,
            Cell::Text(text) => Value::String(text.clone()),
            Cell::Int(n) => Value::from(*n),
            Cell::Num(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
            Cell::Money(minor) => money::format_major(*minor)
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number),
        }
    }
}

/// Column names, in order. The first 27 are DESIGN.md's contract; the rest follow.
pub const COLUMNS: [&str; 36] = [
    "id",
    "name",
    "industry",
    "region",
    "country",
    "plan",
    "tier",
    "lifecycle",
    "status",
    "owner",
    "arr",
    "mrr",
    "seats",
    "active_users",
    "utilization",
    "health",
    "band",
    "nps",
    "nps_score",
    "nps_category",
    "renewal_date",
    "days_to_renewal",
    "last_login",
    "days_since_login",
    "onboarding",
    "tickets",
    "tags",
    "employees",
    "currency",
    "contract_start",
    "usage_date",
    "logins_30d",
    "feature_adoption",
    "csat",
    "overdue_invoices",
    "nps_count",
];

fn text<S: AsRef<str>>(v: &Option<S>) -> Cell {
    v.as_ref()
        .map_or(Cell::Empty, |t| Cell::Text(t.as_ref().to_owned()))
}

fn int(v: Option<i64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Int)
}

fn num(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Num)
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The cells of one account, matching [`COLUMNS`].
pub fn cells(row: &AccountRow) -> Vec<Cell> {
    let a = &row.account;
    let usage = row.usage.clone().unwrap_or_default();
    let word = |w: Option<&'static str>| w.map_or(Cell::Empty, |w| Cell::Text(w.into()));
    let date = |d: Option<jiff::civil::Date>| d.map_or(Cell::Empty, |d| Cell::Text(d.to_string()));
    vec![
        Cell::Text(a.external_id.clone()),
        Cell::Text(a.name.clone()),
        text(&a.industry),
        text(&a.region),
        text(&a.country),
        text(&a.plan),
        word(row.tier.map(|t| t.as_str())),
        word(a.lifecycle.map(|l| l.as_str())),
        word(a.status.map(|s| s.as_str())),
        text(&a.owner),
        a.arr.map_or(Cell::Empty, Cell::Money),
        a.mrr.map_or(Cell::Empty, Cell::Money),
        int(a.seats),
        int(usage.active_users),
        num(row.utilization.map(|u| one_decimal(u * 100.0))),
        int(row.health.map(i64::from)),
        word(row.band.map(|b| b.as_str())),
        int(row.nps.map(|n| i64::from(n.nps))),
        num(row.nps.map(|n| one_decimal(n.mean_score))),
        word(row.nps.map(|n| n.category().as_str())),
        date(a.renewal_date),
        int(row.days_to_renewal.map(i64::from)),
        date(usage.last_login),
        int(row.days_since_login.map(i64::from)),
        num(usage.onboarding),
        int(usage.open_tickets),
        Cell::Text(row.tags.join(";")),
        int(a.employees),
        text(&a.currency),
        date(a.contract_start),
        date(usage.date),
        int(usage.logins_30d),
        num(usage.feature_adoption),
        num(usage.csat),
        int(usage.overdue_invoices),
        // A count is 0, not unknown, when nobody answered.
        Cell::Int(row.nps.map_or(0, |n| i64::from(n.count))),
    ]
}

/// One account as a JSON object: every column, tags as an array, plus `extra`.
pub fn json(row: &AccountRow) -> Value {
    let mut object = serde_json::Map::new();
    for (name, cell) in COLUMNS.iter().zip(cells(row)) {
        let value = if *name == "tags" {
            Value::from(row.tags.clone())
        } else {
            cell.to_json()
        };
        object.insert((*name).to_owned(), value);
    }
    object.insert("extra".into(), Value::Object(row.account.extra.to_map()));
    Value::Object(object)
}
