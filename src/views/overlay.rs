//! A bordered box drawn over the panes (the queue, a notes search): cleared, titled, with the
//! keys that work in it at the bottom.

use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear};

/// Draws the box over `area` and returns the room inside it.
pub fn open(frame: &mut Frame<'_>, area: Rect, title: String, keys: &str) -> Rect {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(true))
        .title(Span::styled(title, theme::header()))
        .title_bottom(Span::styled(format!(" {keys} "), theme::dim()));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    inner
}
