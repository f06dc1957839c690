//! The triage queue: ranked accounts with their reasons, and the chosen item's reasons in full.

use crate::domain::money;
use crate::domain::sanitize::caret;
use crate::domain::triage::ItemStatus;
use crate::domain::width::{cut, pad};
use crate::state::AppState;
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// Lines of the panel under the list that shows the chosen item's reasons.
const DETAIL_LINES: u16 = 7;

fn status_words(status: ItemStatus) -> Option<String> {
    match status {
        ItemStatus::Open { back: false } => None,
        ItemStatus::Open { back: true } => Some("back".into()),
        ItemStatus::Done(day) => Some(format!("done {day}")),
        ItemStatus::Snoozed(until) => Some(format!("snoozed to {until}")),
    }
}

/// The queue's lines for a list `height` rows high: a header, then only the rows on screen.
pub fn list_lines(state: &AppState, width: usize, height: usize) -> Vec<Line<'static>> {
    let items = state.triage_items();
    let cursor = state.triage_view.as_ref().map_or(0, |v| v.cursor);
    // Narrow screens give the reasons the room: the name shrinks first.
    let name = (width / 6).clamp(12, 26);
    let mut out = vec![Line::styled(
        format!(
            "{:>3} {} {:>8} {:>7} {:>7}  REASONS",
            "#",
            pad("ACCOUNT", name),
            "ARR",
            "HEALTH",
            "RENEWS"
        ),
        theme::label(),
    )];
    if let Some(error) = &state.triage_error {
        out.push(Line::styled(
            format!("the triage signals are broken: {}", caret(error)),
            theme::warn(),
        ));
        return out;
    }
    if state.triage_inputs.is_none() {
        out.push(Line::styled(
            "reading each account's recent history for the queue…",
            theme::dim(),
        ));
        return out;
    }
    if items.is_empty() {
        out.push(Line::styled(
            "Nothing needs you right now: no signal fires on an open item (a shows done and snoozed ones).",
            theme::dim(),
        ));
        return out;
    }
    let rows = height.saturating_sub(1).max(1);
    let first = cursor.saturating_sub(rows - 1);
    for (at, item) in items.iter().enumerate().skip(first).take(rows) {
        let row = &state.book.rows()[item.row];
        let health = match (row.health, row.band) {
            (Some(h), Some(band)) => Span::styled(format!("{h:>7}"), theme::band(band)),
            _ => Span::raw(format!("{:>7}", "-")),
        };
        let lead = format!(
            "{:>3} {} {:>8} ",
            at + 1,
            pad(&cut(&caret(&row.account.name), name), name),
            row.account.arr.map_or("-".into(), money::format_short),
        );
        let renews = format!(
            " {:>7}  ",
            row.days_to_renewal.map_or("-".into(), |d| format!("{d}d"))
        );
        let used = 3 + 1 + name + 1 + 8 + 1 + 7 + 10;
        let mut reasons = item.reasons();
        if let Some(status) = status_words(item.status) {
            reasons = format!("[{status}] {reasons}");
        }
        let reasons = cut(&caret(&reasons), width.saturating_sub(used).max(1));
        let line = Line::from(vec![
            Span::raw(lead),
            health,
            Span::raw(renews),
            Span::raw(reasons),
        ]);
        out.push(if at == cursor {
            line.style(theme::cursor_row(true))
        } else {
            line
        });
    }
    out
}

/// The chosen item in full: each reason on its line, new ones marked.
fn detail_lines(state: &AppState) -> Vec<Line<'static>> {
    let Some(item) = state.triage_selected() else {
        return Vec::new();
    };
    let row = &state.book.rows()[item.row];
    let mut head = vec![
        Span::styled(caret(&row.account.name).into_owned(), theme::header()),
        Span::styled(
            format!(
                "  {} · ARR {} · priority {:.0}",
                caret(&row.account.external_id),
                row.account.arr.map_or("-".into(), money::format_short),
                item.priority
            ),
            theme::dim(),
        ),
    ];
    if let Some(status) = status_words(item.status) {
        head.push(Span::styled(format!(" · {status}"), theme::warn()));
    }
    let mut out = vec![Line::from(head)];
    for hit in &item.hits {
        let new = item.new.contains(&hit.fingerprint());
        out.push(Line::from(vec![
            Span::styled(if new { " new " } else { "  •  " }, theme::warn()),
            Span::raw(caret(&hit.reason()).into_owned()),
        ]));
    }
    out
}

/// Draws the queue over the panes.
pub fn draw(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    if state.triage_view.is_none() {
        return;
    }
    let all = state.triage_view.as_ref().is_some_and(|v| v.all);
    let open = state.queue.open_count();
    let title = if state.triage_inputs.is_none() {
        " ! Triage · reading the queue… ".to_owned()
    } else {
        format!(
            " ! Triage · {} need{} you now{} ",
            crate::domain::plural::count(open, "account"),
            if open == 1 { "s" } else { "" },
            if all {
                " · showing done and snoozed too"
            } else {
                ""
            }
        )
    };
    let inner = crate::views::overlay::open(
        frame,
        area,
        title,
        "Enter open · d done · z snooze · n note · a all · o reopen · U undo · Esc close",
    );
    let detail_height = if inner.height > DETAIL_LINES + 4 {
        DETAIL_LINES
    } else {
        0
    };
    let [list, detail] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_height)]).areas(inner);
    frame.render_widget(
        Paragraph::new(list_lines(
            state,
            usize::from(list.width),
            usize::from(list.height),
        )),
        list,
    );
    if detail.height > 0 {
        frame.render_widget(
            Paragraph::new(detail_lines(state))
                .block(
                    Block::default()
                        .borders(Borders::TOP)
                        .border_style(theme::dim()),
                )
                .wrap(Wrap { trim: false }),
            detail,
        );
    }
}
