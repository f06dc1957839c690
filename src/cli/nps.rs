//! `csdeck nps`: the real NPS (with its count) of an account, an expression or a segment, and
//! every response it counts.

use crate::cli::book::{self, Selection};
use crate::cli::health::find;
use crate::cli::output::{fit, print};
use crate::clock;
use crate::domain::nps::{self, Category, Window};
use crate::domain::sanitize::caret;
use crate::error::{Error, Result};
use clap::{Args, ValueEnum};
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

/// Output formats of `nps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Arguments of `nps`.
#[derive(Debug, Args)]
pub struct NpsArgs {
    /// One account (external id or exact name); or use --where / --segment; or nothing for all.
    pub account: Option<String>,
    #[command(flatten)]
    pub selection: Selection,
    /// Count answers from this date on (default: the last 365 days).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// text for people (a table for a QBR deck), json for scripts.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// "1 promoter", "3 promoters".
fn count(n: u32, noun: &str) -> String {
    crate::domain::plural::count(n as usize, noun)
}

/// Shows the NPS of a selection.
pub fn run(db_path: &Path, args: &NpsArgs) -> Result<()> {
    let today = clock::today()?;
    let window = match &args.since {
        Some(text) => {
            let since: jiff::civil::Date = text.trim().parse().map_err(|_| {
                Error::usage(format!("--since {text:?} is not a date: use YYYY-MM-DD"))
            })?;
            if since > today {
                return Err(Error::usage(format!(
                    "--since {since} is after today ({today}): no answer can be counted"
                )));
            }
            Window::since(since, today)
        }
        None => Window::last_days(today, nps::DEFAULT_WINDOW_DAYS),
    };
    let (db, book) = book::open(db_path)?;
    let rows: Vec<usize> = match (
        &args.account,
        &args.selection.filter,
        &args.selection.segment,
    ) {
        (Some(account), None, None) => {
            let row = find(&book, account)?;
            book.rows()
                .iter()
                .position(|r| r.key == row.key)
                .into_iter()
                .collect()
        }
        (Some(_), _, _) => {
            return Err(Error::usage(
                "give one account, or --where / --segment, not both",
            ));
        }
        (None, _, _) => args.selection.rows(&book)?,
    };
    let keys: Vec<i64> = rows.iter().map(|&i| book.rows()[i].key).collect();
    let answers = db.responses_of(&keys, window)?;
    let counted = nps::counted_by_account(&answers, window);
    let summary = nps::scores_summary(counted.iter().map(|(_, r)| r.score));
    let ids: HashMap<i64, (&str, &str)> = rows
        .iter()
        .map(|&i| {
            let a = &book.rows()[i].account;
            (
                book.rows()[i].key,
                (a.external_id.as_str(), a.name.as_str()),
            )
        })
        .collect();
    // Each quarter counts its own answers, not just those that are still the latest.
    let all: Vec<(i64, &crate::domain::nps::NpsResponse)> =
        answers.iter().map(|(key, r)| (*key, r)).collect();
    let quarters = nps::by_quarter(&all);
    let text = match args.format {
        Format::Json => {
            let responses: Vec<serde_json::Value> = counted
                .iter()
                .map(|(key, r)| {
                    json!({
                        "account_id": ids.get(key).map(|(id, _)| *id),
                        "date": r.date.to_string(),
                        "contact": (!r.contact.is_empty()).then_some(&r.contact),
                        "score": r.score,
                        "category": Category::of_score(r.score).as_str(),
                        "comment": r.comment,
                    })
                })
                .collect();
            let document = json!({
                "nps": summary.map(|s| s.nps),
                "count": summary.map_or(0, |s| s.count),
                "promoters": summary.map_or(0, |s| s.promoters),
                "passives": summary.map_or(0, |s| s.passives),
                "detractors": summary.map_or(0, |s| s.detractors),
                "since": window.from.to_string(),
                "small_n": summary.is_none_or(|s| s.count < nps::SMALL_N),
                "quarters": quarters.iter().map(|(q, s)| json!({"quarter": q, "nps": s.nps, "count": s.count})).collect::<Vec<_>>(),
                "responses": responses,
            });
            let mut text = serde_json::to_string_pretty(&document)
                .map_err(|e| Error::runtime(format!("cannot write JSON: {e}")))?;
            text.push('\n');
            text
        }
        Format::Text => {
            let mut out = String::new();
            let Some(s) = summary else {
                print(&format!(
                    "No NPS: no answers from {} to {} for {} account{}.\n",
                    window.from,
                    window.to,
                    keys.len(),
                    if keys.len() == 1 { "" } else { "s" }
                ))?;
                return Ok(());
            };
            let pct = |n: u32| (f64::from(n) * 100.0 / f64::from(s.count)).round();
            out.push_str(&format!(
                "{} from {} to {} · {} ({}%) · {} ({}%) · {} ({}%)\n",
                s.label(),
                window.from,
                window.to,
                count(s.promoters, "promoter"),
                pct(s.promoters),
                count(s.passives, "passive"),
                pct(s.passives),
                count(s.detractors, "detractor"),
                pct(s.detractors)
            ));
            if quarters.len() > 1 {
                let trend: Vec<String> = quarters
                    .iter()
                    .map(|(q, s)| format!("{q} {} (n={})", s.nps, s.count))
                    .collect();
                out.push_str(&format!("By quarter: {}\n", trend.join(" · ")));
            }
            out.push('\n');
            // One account needs no account column.
            let one = keys.len() == 1;
            let account_column = |text: &str| {
                if one {
                    String::new()
                } else {
                    format!("{}  ", fit(text, 24))
                }
            };
            out.push_str(&format!(
                "{}  {}{}  {:>5}  {}  {}\n",
                fit("date", 10),
                account_column("account"),
                fit("contact", 24),
                "score",
                fit("category", 9),
                "comment"
            ));
            for (key, r) in &counted {
                let account = ids.get(key).map_or("", |(_, name)| name);
                let comment = r
                    .comment
                    .as_deref()
                    .unwrap_or("")
                    .replace(['\r', '\n'], " ");
                out.push_str(
                    format!(
                        "{}  {}{}  {:>5}  {}  {}",
                        r.date,
                        account_column(&caret(account)),
                        fit(&caret(&r.contact), 24),
                        r.score,
                        fit(Category::of_score(r.score).as_str(), 9),
                        caret(&comment)
                    )
                    .trim_end(),
                );
                out.push('\n');
            }
            out
        }
    };
    print(&text)
}
