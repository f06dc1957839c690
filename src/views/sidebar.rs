//! The segment sidebar: every segment and facet value with its count, ARR and average health.

use crate::domain::money;
use crate::domain::sanitize::caret;
use crate::state::{AppState, EntryKind, Focus};
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Pads or cuts to `width` characters.
fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count > width {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        format!("{text}{}", " ".repeat(width - count))
    }
}

/// The sidebar's bottom line: the expression under the cursor while the sidebar has the focus
/// (so every segment can be read for what it is), else the key to its figures.
fn footer(state: &AppState, focused: bool) -> String {
    match state.sidebar.selected() {
        Some(entry) if focused && entry.kind != EntryKind::Heading => {
            let nps = entry
                .stats
                .nps
                .map_or_else(|| "no NPS".to_owned(), |n| n.label());
            if entry.expression.is_empty() {
                format!(" {nps} ")
            } else {
                format!(" {nps} · {} ", caret(&entry.expression))
            }
        }
        _ => " count · ARR · health ".to_owned(),
    }
}

/// Draws the sidebar into `area`.
pub fn draw(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let focused = state.focus == Focus::Sidebar && state.line.is_none() && !state.help;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(focused))
        .title(Span::styled(" 1 Segments ", theme::header()))
        .title_bottom(Span::styled(footer(state, focused), theme::dim()));
    let inner_width = usize::from(area.width.saturating_sub(2));
    let rows = usize::from(area.height.saturating_sub(2));
    let label_width = inner_width.saturating_sub(16).max(4);
    let applied = state.segment.as_ref();
    let mut lines = Vec::with_capacity(rows);
    let start = state.sidebar.offset.min(state.sidebar.entries.len());
    for (index, entry) in state
        .sidebar
        .entries
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
    {
        if entry.kind == EntryKind::Heading {
            lines.push(Line::styled(
                caret(&entry.label).into_owned(),
                theme::section(),
            ));
            continue;
        }
        let is_applied = match applied {
            None => entry.kind == EntryKind::All,
            Some(a) => a.kind == entry.kind && a.label == entry.label,
        };
        let marker = if is_applied { "▸" } else { " " };
        let figures = if entry.error.is_some() {
            format!("{:>15}", "broken")
        } else {
            format!(
                "{:>4} {:>6} {:>3}",
                entry.stats.count,
                money::format_short(entry.stats.arr),
                entry
                    .stats
                    .avg_health
                    .map_or("—".to_owned(), |h| format!("{h:.0}"))
            )
        };
        let mut style = if is_applied {
            theme::applied()
        } else {
            Style::new()
        };
        if index == state.sidebar.cursor && focused {
            style = theme::cursor_row(true);
        } else if index == state.sidebar.cursor {
            style = style.patch(theme::cursor_row(false));
        }
        lines.push(
            Line::from(vec![
                Span::raw(marker),
                Span::raw(fit(&caret(&entry.label), label_width)),
                Span::raw(figures),
            ])
            .style(style),
        );
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
