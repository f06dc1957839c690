//! An account's timeline: notes, NPS answers, health moves, tag changes, imports that changed
//! it and triage actions, newest first, in one list.

use crate::domain::Date;
use crate::domain::history::HealthMove;
use crate::domain::nps::{Category, NpsResponse};
use crate::domain::triage::{ActionKind, TriageAction};

/// What kind of stored account event (the `account_events` table) this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    TagAdded,
    TagRemoved,
    /// An import added the account or changed its fields.
    Import,
}

impl EventKind {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::TagAdded => "tag_added",
            EventKind::TagRemoved => "tag_removed",
            EventKind::Import => "import",
        }
    }

    /// The stored word back; none for anything else.
    pub fn parse(text: &str) -> Option<EventKind> {
        match text {
            "tag_added" => Some(EventKind::TagAdded),
            "tag_removed" => Some(EventKind::TagRemoved),
            "import" => Some(EventKind::Import),
            _ => None,
        }
    }
}

/// A stored account event: a tag change or an import that changed the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEvent {
    pub date: Date,
    /// When it happened, as stored ("2026-11-24T09:30:00"): orders one day's entries.
    pub stamp: String,
    pub kind: EventKind,
    /// The tag's name, or what the import changed ("accounts.csv: plan Pro → Enterprise").
    pub detail: String,
}

/// One thing on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Note(String),
    Nps(NpsResponse),
    Health(HealthMove),
    Event(AccountEvent),
    Triage(TriageAction),
}

/// A dated entry.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub date: Date,
    /// The day, with the time when it is known: a later entry of the same day comes first.
    pub stamp: String,
    pub entry: Entry,
}

impl TimelineEntry {
    /// A short label for the kind ("note", "nps", "health", "tag", "import", "triage").
    pub fn label(&self) -> &'static str {
        match &self.entry {
            Entry::Note(_) => "note",
            Entry::Nps(_) => "nps",
            Entry::Health(_) => "health",
            Entry::Event(e) if e.kind == EventKind::Import => "import",
            Entry::Event(_) => "tag",
            Entry::Triage(_) => "triage",
        }
    }

    /// The entry in words (raw text: views make it inert before drawing it).
    pub fn text(&self) -> String {
        match &self.entry {
            Entry::Note(body) => body.clone(),
            Entry::Nps(answer) => {
                let who = if answer.contact.is_empty() {
                    "anonymous".to_owned()
                } else {
                    answer.contact.clone()
                };
                let category = Category::of_score(answer.score).as_str();
                match answer.comment.as_deref().map(str::trim) {
                    Some(comment) if !comment.is_empty() => {
                        format!("{} from {who} ({category}): '{comment}'", answer.score)
                    }
                    _ => format!("{} from {who} ({category})", answer.score),
                }
            }
            Entry::Health(change) => {
                let delta = i32::from(change.to) - i32::from(change.from);
                let driver = change
                    .driver
                    .map(|(kind, points)| {
                        let unit = if points.round().abs() == 1.0 {
                            "point"
                        } else {
                            "points"
                        };
                        format!(", {} {points:+.0} {unit}", kind.name())
                    })
                    .unwrap_or_default();
                format!("{} → {} ({delta:+}){driver}", change.from, change.to)
            }
            Entry::Event(event) => match event.kind {
                EventKind::TagAdded => format!("tagged '{}'", event.detail),
                EventKind::TagRemoved => format!("untagged '{}'", event.detail),
                EventKind::Import => event.detail.clone(),
            },
            Entry::Triage(action) => {
                let what = match (action.kind, action.until) {
                    (ActionKind::Done, _) => "done".to_owned(),
                    (ActionKind::Snooze, Some(until)) => format!("snoozed until {until}"),
                    (ActionKind::Snooze, None) => "snoozed".to_owned(),
                    (ActionKind::Reopen, _) => "reopened".to_owned(),
                };
                if action.reasons.is_empty() {
                    what
                } else {
                    format!("{what}: {}", action.reasons)
                }
            }
        }
    }
}

/// The order of kinds within one day: what the CSM did first, then what arrived.
fn rank(entry: &Entry) -> u8 {
    match entry {
        Entry::Triage(_) => 0,
        Entry::Note(_) => 1,
        Entry::Event(_) => 2,
        Entry::Nps(_) => 3,
        Entry::Health(_) => 4,
    }
}

/// Everything of one account as one list, newest first. Within a day, what has a time comes
/// latest first (notes written, triage actions, tag changes, imports); then, without a time,
/// triage actions, notes, events, answers and health moves; entries of one kind keep their
/// newest-first order (the inputs come oldest first, notes newest first). Notes come as
/// (stamp, text), the stamp a day or a day and time; one that is neither is left out.
pub fn build(
    notes: &[(String, String)],
    responses: &[NpsResponse],
    moves: &[HealthMove],
    events: &[AccountEvent],
    actions: &[TriageAction],
) -> Vec<TimelineEntry> {
    // (entry, position within its kind, newest = highest)
    let mut all: Vec<(TimelineEntry, usize)> = Vec::new();
    let count = notes.len();
    let dated = |date: Date, entry: Entry| TimelineEntry {
        date,
        stamp: date.to_string(),
        entry,
    };
    for (i, (stamp, body)) in notes.iter().enumerate() {
        let Ok(date) = stamp.get(..10).unwrap_or(stamp).parse() else {
            continue;
        };
        let entry = TimelineEntry {
            stamp: stamp.clone(),
            ..dated(date, Entry::Note(body.clone()))
        };
        all.push((entry, count - i));
    }
    for (i, answer) in responses.iter().enumerate() {
        all.push((dated(answer.date, Entry::Nps(answer.clone())), i));
    }
    for (i, change) in moves.iter().enumerate() {
        all.push((dated(change.date, Entry::Health(change.clone())), i));
    }
    for (i, event) in events.iter().enumerate() {
        let entry = TimelineEntry {
            stamp: event.stamp.clone(),
            ..dated(event.date, Entry::Event(event.clone()))
        };
        all.push((entry, i));
    }
    for (i, action) in actions.iter().enumerate() {
        let entry = TimelineEntry {
            stamp: action.stamp.clone(),
            ..dated(action.date, Entry::Triage(action.clone()))
        };
        all.push((entry, i));
    }
    all.sort_by(|(a, ia), (b, ib)| {
        b.date
            .cmp(&a.date)
            .then_with(|| b.stamp.cmp(&a.stamp))
            .then_with(|| rank(&a.entry).cmp(&rank(&b.entry)))
            .then_with(|| ib.cmp(ia))
    });
    all.into_iter().map(|(entry, _)| entry).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::health::ComponentKind;
    use jiff::civil::date;

    #[test]
    fn entries_of_every_kind_come_newest_first_in_words() {
        let notes = vec![
            (
                "2026-11-21T16:05:00".to_owned(),
                "called back: PO signed".to_owned(),
            ),
            ("2026-11-20".to_owned(), "called: budget freeze".to_owned()),
            ("2026-10-02".to_owned(), "kickoff".to_owned()),
        ];
        let responses = vec![NpsResponse {
            date: date(2026, 11, 20),
            contact: "ana@x.com".into(),
            score: 4,
            comment: Some("API limits hurt us".into()),
        }];
        let moves = vec![HealthMove {
            date: date(2026, 11, 1),
            from: 72,
            to: 61,
            driver: Some((ComponentKind::LoginRecency, -8.2)),
        }];
        let events = vec![
            AccountEvent {
                date: date(2026, 9, 1),
                stamp: "2026-09-01T08:00:00".into(),
                kind: EventKind::Import,
                detail: "added from accounts.csv".into(),
            },
            AccountEvent {
                date: date(2026, 11, 21),
                stamp: "2026-11-21T09:00:00".into(),
                kind: EventKind::TagAdded,
                detail: "at risk".into(),
            },
        ];
        let actions = vec![TriageAction {
            id: 1,
            key: 1,
            date: date(2026, 11, 21),
            stamp: "2026-11-21T10:30:00".into(),
            kind: ActionKind::Snooze,
            until: Some(date(2026, 11, 28)),
            signals: vec![],
            reasons: "no login for 21 days".into(),
        }];
        let timeline = build(&notes, &responses, &moves, &events, &actions);
        let lines: Vec<String> = timeline
            .iter()
            .map(|e| format!("{} {} {}", e.date, e.label(), e.text()))
            .collect();
        assert_eq!(
            lines,
            vec![
                // The same day by time: the note at 16:05, the snooze at 10:30, the tag at 9:00.
                "2026-11-21 note called back: PO signed",
                "2026-11-21 triage snoozed until 2026-11-28: no login for 21 days",
                "2026-11-21 tag tagged 'at risk'",
                "2026-11-20 note called: budget freeze",
                "2026-11-20 nps 4 from ana@x.com (detractor): 'API limits hurt us'",
                "2026-11-01 health 72 → 61 (-11), login recency -8 points",
                "2026-10-02 note kickoff",
                "2026-09-01 import added from accounts.csv",
            ]
        );
    }
}
