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

/// Everything of one account as one list, newest first. Within a day, triage actions come
/// first, then notes, tag and import events, answers and health moves; entries of one kind
/// keep their newest-first order (the inputs come oldest first, notes newest first).
pub fn build(
    notes: &[(Date, String)],
    responses: &[NpsResponse],
    moves: &[HealthMove],
    events: &[AccountEvent],
    actions: &[TriageAction],
) -> Vec<TimelineEntry> {
    // (entry, position within its kind, newest = highest)
    let mut all: Vec<(TimelineEntry, usize)> = Vec::new();
    let count = notes.len();
    for (i, (date, body)) in notes.iter().enumerate() {
        all.push((
            TimelineEntry {
                date: *date,
                entry: Entry::Note(body.clone()),
            },
            count - i,
        ));
    }
    for (i, answer) in responses.iter().enumerate() {
        all.push((
            TimelineEntry {
                date: answer.date,
                entry: Entry::Nps(answer.clone()),
            },
            i,
        ));
    }
    for (i, change) in moves.iter().enumerate() {
        all.push((
            TimelineEntry {
                date: change.date,
                entry: Entry::Health(change.clone()),
            },
            i,
        ));
    }
    for (i, event) in events.iter().enumerate() {
        all.push((
            TimelineEntry {
                date: event.date,
                entry: Entry::Event(event.clone()),
            },
            i,
        ));
    }
    for (i, action) in actions.iter().enumerate() {
        all.push((
            TimelineEntry {
                date: action.date,
                entry: Entry::Triage(action.clone()),
            },
            i,
        ));
    }
    all.sort_by(|(a, ia), (b, ib)| {
        b.date
            .cmp(&a.date)
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
            (date(2026, 11, 20), "called: budget freeze".to_owned()),
            (date(2026, 10, 2), "kickoff".to_owned()),
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
                kind: EventKind::Import,
                detail: "added from accounts.csv".into(),
            },
            AccountEvent {
                date: date(2026, 11, 21),
                kind: EventKind::TagAdded,
                detail: "at risk".into(),
            },
        ];
        let actions = vec![TriageAction {
            id: 1,
            key: 1,
            date: date(2026, 11, 21),
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
