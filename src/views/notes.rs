//! The note editor (`n`) and the results of a `:notes WORDS` search.

use crate::domain::sanitize::caret;
use crate::domain::width::cut;
use crate::state::AppState;
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Draws the note editor as a box in the middle of `area`.
pub fn draw_editor(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let Some(editor) = &state.note else { return };
    let width = area.width.saturating_sub(4).clamp(10, 90);
    let height = area.height.saturating_sub(2).clamp(4, 16);
    let x = area.x + (area.width.saturating_sub(width)) / 2;
    let y = area.y + (area.height.saturating_sub(height)) / 2;
    let rect = Rect::new(x, y, width, height);
    let footer = if editor.discard_armed {
        " Esc again discards the note · Ctrl-s saves ".to_owned()
    } else if let Some(error) = &editor.error {
        format!(" {} ", caret(error))
    } else {
        " Ctrl-s save · Enter new line · Esc cancel ".to_owned()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(true))
        .title(Span::styled(
            format!(" Note on {} ", cut(&caret(&editor.account), 40)),
            theme::header(),
        ))
        .title_bottom(Span::styled(
            footer,
            if editor.error.is_some() || editor.discard_armed {
                theme::warn()
            } else {
                theme::dim()
            },
        ));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let rows = usize::from(inner.height.max(1));
    let cols = usize::from(inner.width.max(1));
    let first = editor.row.saturating_sub(rows - 1);
    let lines: Vec<Line<'static>> = editor
        .lines
        .iter()
        .skip(first)
        .take(rows)
        .map(|l| {
            // Long lines show their end near the cursor rather than overflow.
            let skip = if editor.col >= cols {
                editor.col + 1 - cols
            } else {
                0
            };
            Line::from(l.chars().skip(skip).collect::<String>())
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    let skip = if editor.col >= cols {
        editor.col + 1 - cols
    } else {
        0
    };
    let cursor_x = inner.x + (editor.col - skip) as u16;
    let cursor_y = inner.y + (editor.row - first) as u16;
    if cursor_x < inner.x + inner.width && cursor_y < inner.y + inner.height {
        frame.set_cursor_position(Position::new(cursor_x, cursor_y));
    }
}

/// Draws the notes a search found over the panes.
pub fn draw_search(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let Some(search) = &state.notes_search else {
        return;
    };
    let title = format!(
        " Notes matching '{}' · {} ",
        caret(&search.words),
        crate::domain::plural::count(search.hits.len(), "note")
    );
    let inner = crate::views::overlay::open(
        frame,
        area,
        title,
        "Enter open the account's timeline · Esc close",
    );
    let rows = usize::from(inner.height.max(1));
    let first = search.cursor.saturating_sub(rows - 1);
    let width = usize::from(inner.width);
    let lines: Vec<Line<'static>> = search
        .hits
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(at, hit)| {
            let account = cut(&caret(&hit.account), 24);
            let lead = format!("{} {:<24}  ", hit.date, account);
            let room = width.saturating_sub(lead.chars().count()).max(1);
            let line = Line::from(vec![
                Span::styled(lead, theme::label()),
                Span::raw(cut(&caret(&hit.snippet), room)),
            ]);
            if at == search.cursor {
                line.style(theme::cursor_row(true))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
