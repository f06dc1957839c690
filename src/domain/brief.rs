//! The per-account part of the Markdown brief: for a renewal meeting a CSM needs why the score is
//! what it is, what customers said and what was noted, not only the row of figures.

use crate::domain::AccountRow;
use crate::domain::explain::input_in_words;
use crate::domain::export::md;
use crate::domain::health::HealthModel;
use crate::domain::money;
use crate::domain::nps::{Category, NpsResponse};
use jiff::civil::Date;

/// Up to this many accounts get a section each; more would be a report, not a brief.
pub const MOST_SECTIONS: usize = 25;

/// How many answers and notes a section quotes, newest first.
const QUOTED: usize = 5;

/// What a section needs beyond the row, loaded from the book.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The account's NPS answers, oldest first (as the book returns them).
    pub responses: Vec<NpsResponse>,
    /// Its notes as (date, text), newest first.
    pub notes: Vec<(Date, String)>,
}

/// One section per account, in the order given (`extras` lines up with `rows`).
pub fn sections(rows: &[&AccountRow], extras: &[Extras], model: &HealthModel) -> String {
    let mut out = String::new();
    for (row, extra) in rows.iter().zip(extras) {
        section(&mut out, row, extra, model);
    }
    out
}

fn section(out: &mut String, row: &AccountRow, extras: &Extras, model: &HealthModel) {
    let a = &row.account;
    out.push_str(&format!(
        "\n## {} ({})\n\n",
        md(&a.name),
        md(&a.external_id)
    ));
    let mut facts = Vec::new();
    if let Some(arr) = a.arr {
        let currency = a.currency.as_deref().unwrap_or("USD");
        facts.push(format!(
            "ARR {} {}",
            money::format_grouped(arr),
            md(currency)
        ));
    }
    if let Some(tier) = row.tier {
        facts.push(format!("{} touch", tier.as_str()));
    }
    match (a.renewal_date, row.days_to_renewal) {
        (Some(date), Some(days)) if days >= 0 => facts.push(format!("renews {date} (in {days}d)")),
        (Some(date), Some(days)) => facts.push(format!("renewal {date} passed {}d ago", -days)),
        _ => {}
    }
    if let Some(owner) = &a.owner {
        facts.push(format!("owner {}", md(owner)));
    }
    if !facts.is_empty() {
        out.push_str(&format!("- {}\n", facts.join(" · ")));
    }
    match row.health_breakdown(model) {
        None => out.push_str("- Health: no score (no usage or NPS imported)\n"),
        Some(health) => {
            let mut line = format!("- Health {} {}", health.score, health.band.as_str());
            if let Some(weak) = health.weakest().filter(|c| c.score < 100.0) {
                line.push_str(&format!(
                    " · weakest: {}, -{:.1} points",
                    weak.kind.name(),
                    weak.points_lost()
                ));
            }
            let missing = model.missing(&health);
            if !missing.is_empty() {
                line.push_str(&format!(" · no input for {}", missing.join(", ")));
            }
            out.push_str(&line);
            out.push('\n');
            for c in &health.components {
                out.push_str(&format!(
                    "  - {} {:.0} × {:.0}% = {:.1}: {}\n",
                    c.kind.name(),
                    c.score.round(),
                    c.weight,
                    c.contribution,
                    md(&input_in_words(row, c))
                ));
            }
        }
    }
    match row.nps {
        Some(nps) => out.push_str(&format!("- NPS {} (n={})\n", nps.nps, nps.count)),
        None => out.push_str("- NPS: no answers in the window\n"),
    }
    for answer in extras.responses.iter().rev().take(QUOTED) {
        let who = if answer.contact.is_empty() {
            String::new()
        } else {
            format!(" · {}", md(&answer.contact))
        };
        let said = answer
            .comment
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .map_or_else(String::new, |c| format!(": \"{}\"", md(c.trim())));
        out.push_str(&format!(
            "  - {} · {} ({}){who}{said}\n",
            answer.date,
            answer.score,
            Category::of_score(answer.score).as_str()
        ));
    }
    if !extras.notes.is_empty() {
        out.push_str("- Notes\n");
        for (date, text) in extras.notes.iter().take(QUOTED) {
            out.push_str(&format!("  - {date}: {}\n", md(text.trim())));
        }
    }
    if !row.tags.is_empty() {
        let tags: Vec<String> = row.tags.iter().map(|t| md(t)).collect();
        out.push_str(&format!("- Tags: {}\n", tags.join(", ")));
    }
}
