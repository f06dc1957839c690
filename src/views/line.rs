//! The input line (filter or command) and, under it, its error or completions.

use crate::domain::sanitize::caret;
use crate::state::AppState;
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the open input line into `area` (two lines high).
pub fn draw(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let Some(line) = &state.line else { return };
    let prompt = line.prompt.as_str();
    let width = usize::from(area.width.saturating_sub(prompt.chars().count() as u16 + 1));
    let scroll = line.input.visual_scroll(width);
    let text: String = line.input.value().chars().skip(scroll).collect();
    let input_area = Rect { height: 1, ..area };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{prompt} "), theme::header()),
            Span::raw(caret(&text).into_owned()),
        ])),
        input_area,
    );
    let prompt_width = prompt.chars().count() as u16 + 1;
    let cursor_x =
        area.x + prompt_width + (line.input.visual_cursor().saturating_sub(scroll)) as u16;
    if line.is_text() && area.height > 0 && cursor_x < area.x + area.width {
        frame.set_cursor_position(Position::new(cursor_x, area.y));
    }
    if area.height > 1 {
        let below = Rect {
            y: area.y + 1,
            height: 1,
            ..area
        };
        let message = match (&line.error, &line.hint) {
            (Some(error), _) => Span::styled(format!("  {}", caret(error)), theme::error()),
            (None, Some(hint)) => Span::styled(format!("  {}", caret(hint)), theme::dim()),
            (None, None) => Span::styled(
                "  e.g. renewal <= 30d and band != healthy · region in (EMEA, APAC) · tag:vip",
                theme::dim(),
            ),
        };
        frame.render_widget(Paragraph::new(Line::from(message)), below);
    }
}
