//! The input line (filter or command) and, under it, its error or completions.

use crate::domain::sanitize::caret;
use crate::state::{AppState, LineKind};
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What a line of this kind takes, shown until something more useful is.
fn example(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Filter => {
            "e.g. renewal <= 30d and band != healthy · region in (EMEA, APAC) · tag:vip · Tab completes"
        }
        LineKind::Command => "save NAME · rm NAME · import FILE... · sort FIELD[:desc] · q",
        LineKind::Tag | LineKind::TagAll => "a tag name (Tab completes from the existing tags)",
        LineKind::Untag => "a tag to remove (Tab completes from the tags these accounts carry)",
        LineKind::RenameTag => "the new name; an existing tag's name merges the two",
        LineKind::Confirm => "y yes · n or Esc no",
        LineKind::Snooze => "it comes back then, or as soon as a new signal fires · Esc cancels",
    }
}

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
        // Completions answer the key just pressed, so they come before a standing error.
        let message = match (&line.hint, &line.error) {
            (Some(hint), _) => Span::styled(format!("  {}", caret(hint)), theme::dim()),
            (None, Some(error)) => Span::styled(format!("  {}", caret(error)), theme::error()),
            (None, None) => Span::styled(format!("  {}", example(line.kind)), theme::dim()),
        };
        frame.render_widget(Paragraph::new(Line::from(message)), below);
    }
}
