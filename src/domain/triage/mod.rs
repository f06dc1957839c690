//! Triage: the accounts that need the CSM now, ranked, each with its reasons in words. Signals
//! are filter expressions or rules over history (assets/triage.toml); done and snoozed items
//! stay out of the queue until their time is up or a new signal fires.

pub mod config;
pub mod facts;
pub mod past;
pub mod signals;

pub use config::{Rule, SignalSpec, TriageConfig};
pub use facts::FactsByAccount;
pub use past::PastScore;
pub use signals::Hit;

use crate::domain::book::Book;
use crate::domain::filter::Predicate;
use crate::domain::health::HealthModel;
use crate::domain::nps::NpsResponse;
use crate::domain::{AccountRow, Date};
use std::collections::HashMap;

/// What the history-based signals need of an account beyond its row (read by storage).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The health at the last snapshot on or before the drop signal's day, with that day.
    pub past: Option<(Date, PastScore)>,
    /// Utilization (a fraction) of the snapshot before the latest.
    pub previous_utilization: Option<f64>,
    /// The newest answer of 0-6 within the detractor signal's days (behind a pointer: most
    /// accounts have none, the queue keeps facts for nearly every account, and a hit shares
    /// it).
    pub detractor: Option<std::sync::Arc<NpsResponse>>,
    /// The same (named) contact's answer before that one, if any: a detractor again is not
    /// news the way a promoter turned detractor is.
    pub detractor_before: Option<u8>,
}

/// What a CSM did with a queue item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    Done,
    Snooze,
    /// Put back in the queue after a done or snooze.
    Reopen,
}

impl ActionKind {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Done => "done",
            ActionKind::Snooze => "snooze",
            ActionKind::Reopen => "reopen",
        }
    }

    /// The stored word back; none for anything else.
    pub fn parse(text: &str) -> Option<ActionKind> {
        match text {
            "done" => Some(ActionKind::Done),
            "snooze" => Some(ActionKind::Snooze),
            "reopen" => Some(ActionKind::Reopen),
            _ => None,
        }
    }
}

/// A stored done / snooze / reopen.
#[derive(Debug, Clone, PartialEq)]
pub struct TriageAction {
    pub id: i64,
    /// The account's database key.
    pub key: i64,
    pub date: Date,
    /// When it was done, as stored ("2026-11-24T09:30:00"): orders one day's entries.
    pub stamp: String,
    pub kind: ActionKind,
    /// The first day a snoozed item is back.
    pub until: Option<Date>,
    /// The fingerprints of the signals that had fired.
    pub signals: Vec<String>,
    /// Their reasons in words, for the timeline.
    pub reasons: String,
}

/// Whether an item is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemStatus {
    /// In the queue; `back` when it was done or snoozed and a new signal brought it back.
    Open {
        back: bool,
    },
    Done(Date),
    /// Out of the queue until that day.
    Snoozed(Date),
}

/// One account in the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Index into the book's rows.
    pub row: usize,
    pub key: i64,
    /// The signals that fired, the weightiest first.
    pub hits: Vec<Hit>,
    pub priority: f64,
    pub status: ItemStatus,
    /// Fingerprints that were not there at the last done or snooze.
    pub new: Vec<String>,
}

impl Item {
    /// Whether the item is in the queue now.
    pub fn is_open(&self) -> bool {
        matches!(self.status, ItemStatus::Open { .. })
    }

    /// Every reason, joined for one line.
    pub fn reasons(&self) -> String {
        self.hits
            .iter()
            .map(Hit::reason)
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// The whole queue: every account a signal fired on, open ones and the rest, ranked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Queue {
    pub items: Vec<Item>,
}

impl Queue {
    /// The items in the queue now, in rank order.
    pub fn open(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.is_open())
    }

    /// How many items are in the queue now.
    pub fn open_count(&self) -> usize {
        self.open().count()
    }
}

/// Everything the queue is built from besides the book: the signals, the history facts and
/// the stored actions. The dashboard keeps it to rebuild the queue when tags or actions change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    pub config: TriageConfig,
    pub facts: FactsByAccount,
    pub actions: Vec<TriageAction>,
}

impl Inputs {
    /// The queue over a book with these inputs.
    pub fn queue(&self, book: &Book, model: &HealthModel, today: Date) -> Result<Queue, String> {
        queue(book, &self.facts, &self.actions, &self.config, model, today)
    }

    /// Whether a tag change can change the queue: the skip filter or a signal reads tags (or
    /// does not compile, which a rebuild then reports). Otherwise a whole segment tagged in a
    /// million accounts leaves the queue as it is.
    pub fn reads_tags(&self, book: &Book) -> bool {
        self.filters()
            .iter()
            .any(|e| book.compile(e).map_or(true, |p| p.reads_tags()))
    }

    /// The queue's filters as compiled against `book` (none where one does not compile): the
    /// queue over the same rows changes only when these do (a segment a signal names was
    /// saved or removed).
    pub fn compiled_filters(&self, book: &Book) -> Vec<Option<Predicate>> {
        self.filters()
            .iter()
            .map(|e| book.compile(e).ok())
            .collect()
    }

    /// The expressions of the skip filter and of each signal that has one.
    fn filters(&self) -> Vec<&String> {
        let mut expressions: Vec<&String> = self.config.skip.iter().collect();
        for spec in &self.config.signals {
            match &spec.rule {
                Rule::Renewal {
                    when: Some(when), ..
                }
                | Rule::Custom { when, .. } => expressions.push(when),
                _ => {}
            }
        }
        expressions
    }

    /// Sets each item's status from these inputs' actions, as [`Inputs::queue`] would: after a
    /// done, snooze or reopen only statuses change (the signals, and so the ranking, do not),
    /// and a million accounts are not scored again for one keypress.
    pub fn restatus(&self, queue: &mut Queue, today: Date) {
        let latest = latest_actions(&self.actions);
        for item in &mut queue.items {
            (item.status, item.new) = status(&item.hits, latest.get(&item.key).copied(), today);
        }
    }
}

/// Each account's latest action (by day, then by id).
fn latest_actions(actions: &[TriageAction]) -> HashMap<i64, &TriageAction> {
    let mut latest: HashMap<i64, &TriageAction> = HashMap::new();
    for action in actions {
        let entry = latest.entry(action.key).or_insert(action);
        if (action.date, action.id) > (entry.date, entry.id) {
            *entry = action;
        }
    }
    latest
}

/// Days before a renewal a "snooze until renewal" wakes the item: time to act on it.
pub const RENEWAL_LEAD_DAYS: i64 = 14;

/// The day a "snooze until renewal" ends: two weeks before the renewal, or the renewal day
/// itself when that is closer than two weeks; none without a renewal after today.
pub fn renewal_wake(renewal: Option<Date>, today: Date) -> Option<Date> {
    let renewal = renewal.filter(|d| *d > today)?;
    let lead = renewal
        .checked_sub(jiff::Span::new().days(RENEWAL_LEAD_DAYS))
        .ok()
        .filter(|d| *d > today);
    Some(lead.unwrap_or(renewal))
}

/// How much ARR at stake multiplies the urgency: 1 up to `unit`, one more per tenfold.
pub fn arr_factor(arr_minor: Option<i64>, unit: f64) -> f64 {
    let major = arr_minor.map_or(0.0, |a| a as f64 / 100.0);
    1.0 + (major.max(unit) / unit).log10()
}

/// The status an item has given the latest action on its account.
fn status(hits: &[Hit], last: Option<&TriageAction>, today: Date) -> (ItemStatus, Vec<String>) {
    let Some(last) = last.filter(|a| a.kind != ActionKind::Reopen) else {
        return (ItemStatus::Open { back: false }, Vec::new());
    };
    let new: Vec<String> = hits
        .iter()
        .map(Hit::fingerprint)
        .filter(|f| !last.signals.contains(f))
        .collect();
    if !new.is_empty() {
        return (ItemStatus::Open { back: true }, new);
    }
    let status = match (last.kind, last.until) {
        (ActionKind::Snooze, Some(until)) if today < until => ItemStatus::Snoozed(until),
        (ActionKind::Snooze, _) => ItemStatus::Open { back: true },
        _ => ItemStatus::Done(last.date),
    };
    (status, Vec::new())
}

/// Compiles an expression of the configuration, naming where it came from when it is wrong.
fn compile(book: &Book, source: &str, key: &str, expression: &str) -> Result<Predicate, String> {
    book.compile(expression)
        .map_err(|e| format!("{source}: {key}: {expression:?}: {e}"))
}

/// From this many accounts on, the queue is scored on two threads.
const PARALLEL_FROM: usize = 20_000;

/// Builds the queue over the book. `actions` are every stored action (any order); the latest
/// per account decides whether its item is open. An expression of the configuration that does
/// not compile against this book is an error that names its key.
pub fn queue(
    book: &Book,
    facts: &FactsByAccount,
    actions: &[TriageAction],
    config: &TriageConfig,
    model: &HealthModel,
    today: Date,
) -> Result<Queue, String> {
    let inputs = (facts, actions, config);
    queue_split(book, inputs, model, today, PARALLEL_FROM)
}

/// [`queue`], on two threads for a book of at least `parallel_from` accounts.
fn queue_split(
    book: &Book,
    (facts, actions, config): (&FactsByAccount, &[TriageAction], &TriageConfig),
    model: &HealthModel,
    today: Date,
    parallel_from: usize,
) -> Result<Queue, String> {
    let source = config.source.as_str();
    let skip = match &config.skip {
        Some(expression) => Some(compile(book, source, "queue.skip", expression)?),
        None => None,
    };
    let mut whens: Vec<Option<Predicate>> = Vec::with_capacity(config.signals.len());
    for spec in &config.signals {
        whens.push(match &spec.rule {
            Rule::Renewal {
                when: Some(when), ..
            } => Some(compile(
                book,
                source,
                &format!("signals.{}.when", spec.id),
                when,
            )?),
            Rule::Custom { when, .. } => Some(compile(
                book,
                source,
                &format!("custom '{}'.when", spec.id),
                when,
            )?),
            _ => None,
        });
    }
    let latest = latest_actions(actions);
    // One copy of each signal's name, shared by every hit of it.
    let names: Vec<crate::domain::account::Shared> = config
        .signals
        .iter()
        .map(|spec| crate::domain::account::Shared::from(spec.id.as_str()))
        .collect();
    let item_of = |index: usize, row: &AccountRow| -> Option<Item> {
        if skip.as_ref().is_some_and(|p| p.matches(row)) {
            return None;
        }
        let subject = signals::Subject {
            row,
            facts: facts.get(row.key),
            model,
            today,
        };
        let mut hits: Vec<Hit> = config
            .signals
            .iter()
            .zip(&names)
            .zip(&whens)
            .filter_map(|((spec, name), when)| signals::fire(spec, name, when.as_ref(), &subject))
            .collect();
        if hits.is_empty() {
            return None;
        }
        // Collected into room for four: a third of a million items kept half of it empty.
        hits.shrink_to_fit();
        hits.sort_by(|a, b| (b.weight * b.urgency).total_cmp(&(a.weight * a.urgency)));
        let points: f64 = hits.iter().map(|h| h.weight * h.urgency).sum();
        let priority = points * arr_factor(row.account.arr, config.arr_unit);
        let (status, new) = status(&hits, latest.get(&row.key).copied(), today);
        Some(Item {
            row: index,
            key: row.key,
            hits,
            priority,
            status,
            new,
        })
    };
    let items_of = |rows: &[AccountRow], first: usize| -> Vec<Item> {
        rows.iter()
            .enumerate()
            .filter_map(|(at, row)| item_of(first + at, row))
            .collect()
    };
    // A big book is scored on two cores, half each (signals fire per account alone).
    let rows = book.rows();
    let mut items = if rows.len() >= parallel_from {
        let half = rows.len() / 2;
        std::thread::scope(|scope| {
            let second = scope.spawn(|| items_of(&rows[half..], half));
            let mut items = items_of(&rows[..half], 0);
            // A panic on the second thread is passed on as it would be on this one.
            match second.join() {
                Ok(rest) => items.extend(rest),
                Err(panic) => std::panic::resume_unwind(panic),
            }
            items
        })
    } else {
        items_of(rows, 0)
    };
    items.sort_by(|a, b| {
        b.priority
            .total_cmp(&a.priority)
            .then_with(|| rank_tiebreak(&book.rows()[a.row], &book.rows()[b.row]))
    });
    Ok(Queue { items })
}

/// Equal priorities: more ARR first, then by name, so the order never flickers.
fn rank_tiebreak(a: &AccountRow, b: &AccountRow) -> std::cmp::Ordering {
    b.account
        .arr
        .cmp(&a.account.arr)
        .then_with(|| a.account.name.cmp(&b.account.name))
        .then_with(|| a.key.cmp(&b.key))
}

#[cfg(test)]
mod tests;
