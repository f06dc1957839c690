//! Help, built from the keymap itself: every binding of every mode, nothing hand-written.

use crate::keymap;
use crate::state::{AppState, Mode};
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// The help text: a section per mode, a line per binding.
pub fn lines() -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for mode in Mode::ALL {
        out.push(Line::styled(mode.title(), theme::section()));
        for binding in keymap::bindings(mode) {
            out.push(Line::from(vec![
                Span::styled(format!("  {:<14}", binding.label), theme::header()),
                Span::raw(binding.help),
            ]));
        }
        out.push(Line::from(""));
    }
    out
}

/// Draws help centred over the screen.
pub fn draw(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let width = area.width.min(72);
    let height = area.height.saturating_sub(2).max(area.height.min(3));
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(true))
        .title(Span::styled(" Keys (Esc closes) ", theme::header()));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines())
            .block(block)
            .scroll((state.help_scroll, 0)),
        popup,
    );
}
