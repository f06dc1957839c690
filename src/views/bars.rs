//! The one-line bars: title on top, status and context (the keys that work here) at the bottom.

use crate::domain::money;
use crate::domain::sanitize::caret;
use crate::keymap;
use crate::state::AppState;
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The title bar: what this is and the day figures are computed for.
pub fn draw_title(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let text = format!(" csdeck · book of business · today {}", state.today);
    frame.render_widget(Paragraph::new(text).style(theme::title()), area);
}

/// The status bar: count and ARR of what is listed, the sort, the demo notice, the last message.
pub fn draw_status(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let (field, descending) = state.sort;
    let mut spans = vec![Span::raw(format!(
        " {} accounts · ARR {} · sorted by {} {} ",
        state.rows.len(),
        money::format_short(state.total_arr),
        field.name(),
        if descending { "↓" } else { "↑" }
    ))];
    if state.demo {
        spans.push(Span::styled(
            " DEMO BOOK: import your own with `csdeck import FILE...` ",
            theme::demo(),
        ));
    }
    if let Some(message) = &state.message {
        spans.push(Span::raw(format!(" {}", caret(message))));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme::status()),
        area,
    );
}

/// The context bar, drawn from the keymap of the current mode.
pub fn draw_context(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let mut spans = Vec::new();
    for binding in keymap::bindings(state.mode()).iter().filter(|b| b.bar) {
        spans.push(Span::styled(format!(" {} ", binding.label), theme::key()));
        spans.push(Span::raw(format!(" {}  ", binding.help)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
