//! The frame drawn while a big book is read: where it is read from, for how long, how to quit.

use crate::domain::sanitize::caret;
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::path::Path;
use std::time::Duration;

/// Draws the loading frame.
pub fn draw(frame: &mut Frame<'_>, path: &Path, elapsed: Duration) {
    let area = frame.area();
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Fill(1),
    ])
    .areas(area);
    let lines = vec![
        Line::from(Span::styled("csdeck", theme::header())),
        Line::from(format!(
            "reading the book at {} … {:.0} s",
            caret(&path.display().to_string()),
            elapsed.as_secs_f64().floor()
        )),
        Line::styled("q quits", theme::dim()),
    ];
    frame.render_widget(
        Paragraph::new(lines).alignment(ratatui::layout::Alignment::Center),
        middle,
    );
}
