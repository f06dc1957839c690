//! The one-line bars: title on top, status and context (the keys that work here) at the bottom.

use crate::domain::money;
use crate::domain::sanitize::caret;
use crate::keymap;
use crate::state::AppState;
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// The title bar: what this is and the day figures are computed for.
pub fn draw_title(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let text = format!(" csdeck · book of business · today {}", state.today);
    frame.render_widget(Paragraph::new(text).style(theme::title()), area);
}

/// The status bar: what is listed (segment, filter), its count, ARR, health and NPS, the sort,
/// the demo notice and the last message.
pub fn draw_status(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    if let Some(total) = state.reading {
        // The first page's figures would pass for the book's: none until every account is in.
        let text = format!(
            " reading all {} accounts… the first {} by name are listed; filters, sorting and counts come when they are in ",
            total,
            state.book.rows().len()
        );
        frame.render_widget(Paragraph::new(text).style(theme::status()), area);
        return;
    }
    let (field, descending) = state.sort;
    let what = match (&state.segment, &state.filter) {
        (None, None) => "All accounts".to_owned(),
        (Some(s), None) => s.label.clone(),
        (None, Some(f)) => format!("/{f}"),
        (Some(s), Some(f)) => format!("{} + /{f}", s.label),
    };
    let stats = &state.stats;
    let mut figures = format!(
        " {} · {} of {} accounts · ARR {}",
        caret(&what),
        state.visible.len(),
        state.book.rows().len(),
        money::format_short(stats.arr),
    );
    if stats.churned_arr > 0 {
        figures.push_str(&format!(
            " ({} churned)",
            money::format_short(stats.churned_arr)
        ));
    }
    if let Some(h) = stats.avg_health {
        figures.push_str(&format!(" · health {h:.0}"));
    }
    if let Some(n) = stats.nps {
        figures.push_str(&format!(" · NPS {} (n={})", n.nps, n.count));
    }
    figures.push_str(&format!(
        " · by {} {} ",
        field.name(),
        if descending { "↓" } else { "↑" }
    ));
    let mut spans = Vec::new();
    if state.triage_error.is_some() {
        // A broken signal file must not read as "nothing to do".
        spans.push(Span::styled(" ! triage signals broken ", theme::marked()));
    } else if state.triage_inputs.is_none() {
        spans.push(Span::styled(" ! … to triage ", theme::status()));
    } else {
        // The open queue items, everywhere: what still needs the CSM today.
        let open = state.queue.open_count();
        spans.push(Span::styled(
            format!(" ! {open} to triage "),
            if open > 0 {
                theme::marked()
            } else {
                theme::status()
            },
        ));
    }
    // Before the figures, which a narrow screen cuts.
    if state.in_flight > 0 {
        spans.push(Span::styled(" working… ", theme::marked()));
    }
    spans.push(Span::raw(figures));
    if !state.marks.is_empty() || state.range_anchor.is_some() {
        let mut marks = format!(" {} marked ", state.marks.len());
        if let Some(anchor) = state
            .range_anchor
            .and_then(|key| state.visible_keys().iter().position(|k| *k == key))
        {
            marks.push_str(&format!("· range from row {} ", anchor + 1));
        }
        spans.push(Span::styled(marks, theme::marked()));
    }
    if state.demo {
        spans.push(Span::styled(
            " DEMO BOOK: import yours with `csdeck import FILE...` ",
            theme::demo(),
        ));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme::status()),
        area,
    );
}

/// The last message as drawn: wrapped, so a long one (an import's result per file) is read
/// whole.
fn message_paragraph(message: &str) -> Paragraph<'static> {
    Paragraph::new(Line::from(vec![Span::styled(
        format!(" {} ", caret(message)),
        theme::message(),
    )]))
    .wrap(Wrap { trim: false })
}

/// Lines the context bar takes on a screen `width` x `height`: one for the keys, more for a
/// long message, up to a quarter of the screen.
pub fn context_height(state: &AppState, width: u16, height: u16) -> u16 {
    let Some(message) = &state.message else {
        return 1;
    };
    let lines = message_paragraph(message).line_count(width.max(1));
    let most = usize::from((height / 4).max(1));
    u16::try_from(lines.clamp(1, most)).unwrap_or(1)
}

/// The context bar, drawn from the keymap of the current mode.
pub fn draw_context(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    // Feedback on the last action has the whole bar until the next key.
    if let Some(message) = &state.message {
        frame.render_widget(message_paragraph(message), area);
        return;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for binding in keymap::bindings(state.mode()) {
        if let Some(text) = binding.bar {
            let key = format!(" {} ", binding.label);
            let what = format!(" {text}  ");
            // A key that does not fit whole is left out, never cut mid-word.
            let width = key.width() + what.width();
            if used + width > usize::from(area.width) + 2 {
                break;
            }
            used += width;
            spans.push(Span::styled(key, theme::key()));
            spans.push(Span::raw(what));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
