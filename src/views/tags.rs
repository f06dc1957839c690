//! The tag manager: every tag with its account count, over the screen.

use crate::domain::sanitize::caret;
use crate::state::AppState;
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Draws the tag manager centred over `area`.
pub fn draw(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let Some(manager) = &state.tag_manager else {
        return;
    };
    let width = area.width.min(50);
    let height = area.height.saturating_sub(4).clamp(area.height.min(3), 30);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let rows = usize::from(height.saturating_sub(2)).max(1);
    let offset = manager.cursor.saturating_sub(rows - 1);
    let inner = usize::from(width.saturating_sub(2));
    let lines: Vec<Line> = if manager.tags.is_empty() {
        vec![Line::styled(
            "no tags yet: t tags the account under the cursor",
            theme::dim(),
        )]
    } else {
        manager
            .tags
            .iter()
            .enumerate()
            .skip(offset)
            .take(rows)
            .map(|(i, (name, count))| {
                let name = caret(name);
                let room = inner.saturating_sub(8);
                let shown: String = name.chars().take(room).collect();
                let pad = room.saturating_sub(shown.chars().count());
                let text = format!(" {shown}{} {count:>5} ", " ".repeat(pad));
                let style = if i == manager.cursor {
                    theme::cursor_row(true)
                } else {
                    ratatui::style::Style::new()
                };
                Line::styled(text, style)
            })
            .collect()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(true))
        .title(Span::styled(
            format!(" Tags ({}) ", manager.tags.len()),
            theme::header(),
        ))
        .title_bottom(Span::styled(
            " Enter list · r rename · d delete ",
            theme::dim(),
        ));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
