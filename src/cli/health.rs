//! `csdeck health ACCOUNT`: why an account's score is what it is, and how it moved.

use crate::cli::book;
use crate::cli::output::print;
use crate::clock;
use crate::domain::AccountRow;
use crate::domain::book::Book;
use crate::domain::explain::input_in_words;
use crate::domain::filter::values::distance;
use crate::domain::history::{self, HealthPoint};
use crate::domain::sanitize::caret;
use crate::error::{Error, Result};
use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use std::path::Path;

/// Output formats of `health`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Arguments of `health`.
#[derive(Debug, Args)]
pub struct HealthArgs {
    /// The account: its external id, or its exact name.
    pub account: String,
    /// text for people, json for scripts.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Finds an account by external id (exact, else ignoring case when that is unambiguous), else
/// by exact name (ignoring case); suggests the closest
/// names when there is none.
pub fn find<'b>(book: &'b Book, query: &str) -> Result<&'b AccountRow> {
    let query = query.trim();
    if let Some(row) = book.rows().iter().find(|r| r.account.external_id == query) {
        return Ok(row);
    }
    // `acc-0046` for ACC-0046, when only one id matches ignoring case.
    let ids: Vec<&AccountRow> = book
        .rows()
        .iter()
        .filter(|r| r.account.external_id.eq_ignore_ascii_case(query))
        .collect();
    if let [one] = ids.as_slice() {
        return Ok(one);
    }
    let named: Vec<&AccountRow> = book
        .rows()
        .iter()
        .filter(|r| r.account.name.to_lowercase() == query.to_lowercase())
        .collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => {
            let lower = query.to_lowercase();
            let mut scored: Vec<(usize, &AccountRow)> = book
                .rows()
                .iter()
                .map(|r| {
                    let name = r.account.name.to_lowercase();
                    let score = if name.contains(&lower) || lower.contains(&name) {
                        0
                    } else {
                        distance(&lower, &name).min(distance(query, &r.account.external_id))
                    };
                    (score, r)
                })
                .collect();
            scored.sort_by_key(|(score, r)| (*score, r.account.name.clone()));
            let close: Vec<String> = scored
                .iter()
                .filter(|(score, _)| *score <= (query.chars().count() / 2).max(3))
                .take(3)
                .map(|(_, r)| {
                    format!(
                        "{} ({})",
                        caret(&r.account.name),
                        caret(&r.account.external_id)
                    )
                })
                .collect();
            let hint = if close.is_empty() {
                "`csdeck accounts` lists them".to_owned()
            } else {
                format!("did you mean {}?", close.join(", "))
            };
            Err(Error::usage(format!(
                "no account has the id or name {query:?}: {hint}"
            )))
        }
        many => {
            let ids: Vec<&str> = many
                .iter()
                .map(|r| r.account.external_id.as_str())
                .collect();
            Err(Error::usage(format!(
                "{} accounts are named {query:?} ({}): give the id instead",
                many.len(),
                ids.join(", ")
            )))
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Shows one account's health.
pub fn run(db_path: &Path, args: &HealthArgs) -> Result<()> {
    let today = clock::today()?;
    let model = crate::config::health_model()?;
    let (db, book) = book::open(db_path)?;
    let row = find(&book, &args.account)?;
    let points = db.health_history(row.key, row.account.seats, today, &model)?;
    let health = row.health_breakdown(&model);
    let change = |days| {
        health
            .as_ref()
            .and_then(|h| history::change_since(&points, h.score, today, days))
    };
    let text = match args.format {
        Format::Json => {
            let components: Vec<Value> = health
                .iter()
                .flat_map(|h| h.components.iter())
                .map(|c| {
                    json!({
                        "name": c.kind.name(),
                        "input": (c.input * 100.0).round() / 100.0,
                        "detail": input_in_words(row, c),
                        "score": round1(c.score),
                        "weight": round1(c.weight),
                        "contribution": round1(c.contribution),
                    })
                })
                .collect();
            let next = health
                .as_ref()
                .and_then(|h| model.points_to_next_band(h.score));
            let document = json!({
                "id": row.account.external_id,
                "name": row.account.name,
                "score": health.as_ref().map(|h| h.score),
                "band": health.as_ref().map(|h| h.band.as_str()),
                "components": components,
                "weakest": health.as_ref().and_then(|h| h.weakest()).map(|c| c.kind.name()),
                "missing": health.as_ref().map_or_else(Vec::new, |h| {
                    model.missing(h)
                }),
                "coverage": health.as_ref().map(|h| round1(model.coverage(h) * 100.0)),
                "points_to_next_band": next.map(|(points, _)| points),
                "next_band": next.map(|(_, band)| band.as_str()),
                "change_30d": change(30),
                "change_90d": change(90),
                "history": points.iter().map(|p| json!({"date": p.date.to_string(), "score": p.score})).collect::<Vec<_>>(),
            });
            let mut text = serde_json::to_string_pretty(&document)
                .map_err(|e| Error::runtime(format!("cannot write JSON: {e}")))?;
            text.push('\n');
            text
        }
        Format::Text => text_report(
            row,
            &model,
            health.as_ref(),
            &points,
            change(30),
            change(90),
        ),
    };
    print(&text)
}

fn text_report(
    row: &AccountRow,
    model: &crate::domain::health::HealthModel,
    health: Option<&crate::domain::health::Health>,
    points: &[HealthPoint],
    change_30: Option<i32>,
    change_90: Option<i32>,
) -> String {
    let mut out = format!(
        "{} ({})\n",
        caret(&row.account.name),
        caret(&row.account.external_id)
    );
    let Some(health) = health else {
        out.push_str("No health score: no usage snapshot or NPS answer has been imported.\n");
        return out;
    };
    out.push_str(&format!("Health {} {}", health.score, health.band.as_str()));
    if let Some((points_needed, band)) = model.points_to_next_band(health.score) {
        out.push_str(&format!(" · {points_needed} points to {}", band.as_str()));
    }
    for (days, change) in [(30, change_30), (90, change_90)] {
        if let Some(c) = change {
            out.push_str(&format!(" · {c:+} vs {days}d ago"));
        }
    }
    out.push_str("\n\n");
    out.push_str(&format!(
        "{:<15}{:>6}{:>8}{:>8}  {}\n",
        "component", "score", "weight", "points", "input"
    ));
    let weakest = health.weakest().filter(|c| c.score < 100.0).map(|c| c.kind);
    for c in &health.components {
        let marker = if Some(c.kind) == weakest {
            "  ◀ weakest"
        } else {
            ""
        };
        out.push_str(&format!(
            "{:<15}{:>6}{:>7.0}%{:>8.1}  {}{marker}\n",
            c.kind.name(),
            c.score.round(),
            c.weight,
            round1(c.contribution),
            caret(&input_in_words(row, c))
        ));
    }
    out.push_str(&format!(
        "{:<15}{:>6}{:>7}%{:>8}  (the points before rounding add up to the score)\n",
        "score", health.score, 100, health.score
    ));
    let missing = model.missing(health);
    if !missing.is_empty() {
        let caution = if model.is_thin(health) {
            ": under half the weight, so read the score with care"
        } else {
            ""
        };
        out.push_str(&format!(
            "no input for {} ({:.0}% of the weight had input){caution}\n",
            missing.join(", "),
            model.coverage(health) * 100.0
        ));
    }
    if !points.is_empty() {
        out.push_str(&format!(
            "\nHistory {} ({} → {})\n",
            history::sparkline(points),
            points[0].date,
            points[points.len() - 1].date
        ));
        for p in points {
            out.push_str(&format!("  {}  {:>3}\n", p.date, p.score));
        }
    }
    out
}
