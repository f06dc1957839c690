//! The detail pane's timeline tab: everything that happened to the account, newest first.

use crate::domain::AccountRow;
use crate::domain::sanitize::caret;
use crate::domain::timeline::TimelineEntry;
use crate::state::AppState;
use crate::views::theme;
use ratatui::text::{Line, Span};

/// Width of the kind label ("health ", "triage ").
const LABEL: usize = 7;

/// One entry as lines: the date and kind, then its text (a note keeps its line breaks).
pub fn entry_lines(entry: &TimelineEntry) -> Vec<Line<'static>> {
    let text = entry.text();
    let mut parts = text.lines();
    let first = parts.next().unwrap_or_default();
    let mut out = vec![Line::from(vec![
        Span::styled(format!("{} ", entry.date), theme::dim()),
        Span::styled(format!("{:<LABEL$}", entry.label()), theme::label()),
        Span::raw(caret(first).into_owned()),
    ])];
    for more in parts {
        out.push(Line::from(format!(
            "{:indent$}{}",
            "",
            caret(more),
            indent = 2
        )));
    }
    out
}

/// The timeline tab of an account.
pub fn lines(state: &AppState, row: &AccountRow) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::from(vec![
            Span::styled(caret(&row.account.name).into_owned(), theme::header()),
            Span::styled(
                format!("  {}", caret(&row.account.external_id)),
                theme::dim(),
            ),
        ]),
        Line::styled("n writes a note · newest first", theme::dim()),
        Line::from(""),
    ];
    match state.selected_timeline() {
        None => out.push(Line::styled("loading…", theme::dim())),
        Some([]) => out.push(Line::styled(
            "nothing on the timeline yet: n writes the first note",
            theme::dim(),
        )),
        Some(entries) => {
            for entry in entries {
                out.extend(entry_lines(entry));
            }
        }
    }
    out
}
