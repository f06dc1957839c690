//! `csdeck triage`: the queue of accounts that need the CSM now, ranked, with reasons, for a
//! morning email or a script; `triage done|snooze|reopen ACCOUNT` acts on it like the dashboard.

use crate::cli::accounts::Format;
use crate::cli::book;
use crate::cli::output::{fit, print};
use crate::domain::book::Book;
use crate::domain::money;
use crate::domain::sanitize::caret;
use crate::domain::triage::{ActionKind, Item, ItemStatus, Queue};
use crate::domain::{AccountRow, Date};
use crate::error::{Error, Result};
use clap::{Args, Subcommand};
use serde_json::{Value, json};
use std::path::Path;

/// Arguments of `triage`.
#[derive(Debug, Args)]
pub struct TriageArgs {
    #[command(subcommand)]
    pub command: Option<TriageCommand>,
    /// table for people, csv or json for scripts.
    #[arg(long, value_enum, default_value_t = Format::Table, global = true)]
    pub format: Format,
    /// Also list the items that are done or snoozed (with their status).
    #[arg(long)]
    pub all: bool,
}

/// Acting on one account's item.
#[derive(Debug, Subcommand)]
pub enum TriageCommand {
    /// Mark the account's item done: it leaves the queue until a new signal fires.
    Done { account: String },
    /// Snooze the account's item: it comes back after the days given (or on its renewal
    /// date), or as soon as a new signal fires.
    Snooze {
        account: String,
        /// Days to snooze for.
        #[arg(long, default_value_t = 7, conflicts_with = "until_renewal")]
        days: i64,
        /// Snooze until two weeks before the account's renewal date (the renewal day itself when
        /// it is closer).
        #[arg(long)]
        until_renewal: bool,
    },
    /// Put a done or snoozed item back in the queue.
    Reopen { account: String },
}

/// Runs `triage`.
pub fn run(db_path: &Path, args: &TriageArgs) -> Result<()> {
    let today = crate::clock::today()?;
    let model = crate::config::health_model()?;
    let config = crate::config::triage_config()?;
    let (mut db, book) = book::open(db_path)?;
    let inputs = db.triage_inputs(&book, config, today, &model)?;
    let queue = inputs
        .queue(&book, &model, today)
        .map_err(|e| Error::usage(format!("{e}: fix the triage signals")))?;
    if let Some(command) = &args.command {
        return act(&mut db, &book, &queue, command, today);
    }
    let items: Vec<&Item> = queue
        .items
        .iter()
        .filter(|i| args.all || i.is_open())
        .collect();
    let text = match args.format {
        Format::Json => json_text(&book, &items, queue.open_count(), today)?,
        Format::Csv => csv_text(&book, &items)?,
        Format::Table => table_text(&book, &items, queue.open_count()),
    };
    print(&text)
}

fn act(
    db: &mut crate::storage::Db,
    book: &Book,
    queue: &Queue,
    command: &TriageCommand,
    today: Date,
) -> Result<()> {
    let (query, kind) = match command {
        TriageCommand::Done { account } => (account, ActionKind::Done),
        TriageCommand::Snooze { account, .. } => (account, ActionKind::Snooze),
        TriageCommand::Reopen { account } => (account, ActionKind::Reopen),
    };
    let row = crate::cli::health::find(book, query)?;
    let Some(item) = queue.items.iter().find(|i| i.key == row.key) else {
        return Err(Error::usage(format!(
            "{} is not in the triage queue (no signal fires on it): nothing was changed",
            caret(&row.account.name)
        )));
    };
    let until = match command {
        TriageCommand::Snooze {
            until_renewal: true,
            ..
        } => Some(
            crate::domain::triage::renewal_wake(row.account.renewal_date, today).ok_or_else(
                || {
                    Error::usage(format!(
                        "{} has no renewal date ahead: snooze it for some --days instead",
                        caret(&row.account.name)
                    ))
                },
            )?,
        ),
        TriageCommand::Snooze { days, .. } => {
            if !(1..=365).contains(days) {
                return Err(Error::usage(format!(
                    "--days {days}: snooze for 1 to 365 days"
                )));
            }
            today.checked_add(jiff::Span::new().days(*days)).ok()
        }
        _ => None,
    };
    if kind == ActionKind::Reopen && item.is_open() {
        return Err(Error::usage(format!(
            "{} is in the queue already: nothing was changed",
            caret(&row.account.name)
        )));
    }
    let fired: Vec<(String, String)> = item
        .hits
        .iter()
        .map(|h| (h.fingerprint(), h.reason()))
        .collect();
    db.record_triage(row.key, kind, until, &fired, today)?;
    let name = caret(&row.account.name);
    let message = match (kind, until) {
        (ActionKind::Done, _) => format!("{name}: done, until a new signal fires"),
        (ActionKind::Snooze, Some(until)) => {
            format!("{name}: snoozed until {until}, or until a new signal fires")
        }
        _ => format!("{name}: back in the queue"),
    };
    print(&format!("{message}\n"))
}

/// "open", "done 2026-12-01", "snoozed until 2026-12-10".
fn status_words(status: ItemStatus) -> String {
    match status {
        ItemStatus::Open { back: false } => "open".into(),
        ItemStatus::Open { back: true } => "back".into(),
        ItemStatus::Done(day) => format!("done {day}"),
        ItemStatus::Snoozed(until) => format!("snoozed until {until}"),
    }
}

fn row_of<'b>(book: &'b Book, item: &Item) -> &'b AccountRow {
    &book.rows()[item.row]
}

fn table_text(book: &Book, items: &[&Item], open: usize) -> String {
    let mut out = format!(
        "{} · {}\n",
        crate::domain::plural::count(open, "account"),
        "need you now (csdeck triage done|snooze ACCOUNT to clear one)"
    );
    out.push_str(&format!(
        "{:>3} {} {} {:>8} {:>6} {:>7} REASONS\n",
        "#",
        fit("ACCOUNT", 28),
        fit("ID", 12),
        "ARR",
        "HEALTH",
        "RENEWS"
    ));
    for (rank, item) in items.iter().enumerate() {
        let row = row_of(book, item);
        let mut reasons = item.reasons();
        if !item.is_open() {
            reasons = format!("[{}] {reasons}", status_words(item.status));
        }
        let line = format!(
            "{:>3} {} {} {:>8} {:>6} {:>7} {}",
            rank + 1,
            fit(&caret(&row.account.name), 28),
            fit(&caret(&row.account.external_id), 12),
            row.account.arr.map_or("-".into(), money::format_short),
            row.health.map_or("-".into(), |h| h.to_string()),
            row.days_to_renewal.map_or("-".into(), |d| format!("{d}d")),
            caret(&reasons)
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn csv_text(book: &Book, items: &[&Item]) -> Result<String> {
    let fail = |e: &dyn std::fmt::Display| Error::runtime(format!("cannot write CSV: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "rank",
            "id",
            "name",
            "arr",
            "health",
            "band",
            "renewal_date",
            "days_to_renewal",
            "priority",
            "status",
            "signals",
            "reasons",
        ])
        .map_err(|e| fail(&e))?;
    for (rank, item) in items.iter().enumerate() {
        let row = row_of(book, item);
        let signals: Vec<&str> = item.hits.iter().map(|h| &*h.signal).collect();
        writer
            .write_record([
                (rank + 1).to_string(),
                row.account.external_id.clone(),
                row.account.name.clone(),
                row.account.arr.map_or(String::new(), money::format_major),
                row.health.map_or(String::new(), |h| h.to_string()),
                row.band.map_or(String::new(), |b| b.as_str().to_owned()),
                row.account
                    .renewal_date
                    .map_or(String::new(), |d| d.to_string()),
                row.days_to_renewal.map_or(String::new(), |d| d.to_string()),
                format!("{:.1}", item.priority),
                status_words(item.status),
                signals.join(";"),
                item.reasons(),
            ])
            .map_err(|e| fail(&e))?;
    }
    String::from_utf8(writer.into_inner().map_err(|e| fail(&e))?).map_err(|e| fail(&e))
}

/// The queue as JSON: `{"date", "open", "items": [...]}`. Each item is made into JSON only as
/// it is written, so a million accounts' queue never stands in memory twice.
fn json_text(book: &Book, items: &[&Item], open: usize, today: Date) -> Result<String> {
    #[derive(serde::Serialize)]
    struct Document<I> {
        date: String,
        open: usize,
        items: I,
    }
    let document = Document {
        date: today.to_string(),
        open,
        items: crate::domain::export::Lazily(items, |rank, item: &&Item| {
            item_json(book, rank, item)
        }),
    };
    let mut text = serde_json::to_string_pretty(&document)
        .map_err(|e| Error::runtime(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// One queue item as JSON, ranked from 0.
fn item_json(book: &Book, rank: usize, item: &Item) -> Value {
    let row = row_of(book, item);
    let (status, until) = match item.status {
        ItemStatus::Open { back } => (if back { "back" } else { "open" }, None),
        ItemStatus::Done(_) => ("done", None),
        ItemStatus::Snoozed(until) => ("snoozed", Some(until.to_string())),
    };
    json!({
        "rank": rank + 1,
        "id": row.account.external_id,
        "name": row.account.name,
        "arr": row.account.arr.map(|a| a as f64 / 100.0),
        "health": row.health,
        "band": row.band.map(|b| b.as_str()),
        "renewal_date": row.account.renewal_date.map(|d| d.to_string()),
        "days_to_renewal": row.days_to_renewal,
        "priority": (item.priority * 10.0).round() / 10.0,
        "status": status,
        "until": until,
        "reasons": item.hits.iter().map(|h| json!({
            "signal": &*h.signal,
            "reason": h.reason(),
            "new": item.new.contains(&h.fingerprint()),
        })).collect::<Vec<_>>(),
    })
}
