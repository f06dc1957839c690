//! Rendering only: pure functions of the state into a frame. No view queries or changes state.

pub mod bars;
pub mod detail;
pub mod format;
pub mod help;
pub mod table;
pub mod theme;

use crate::state::{AppState, Focus};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// Narrowest screen that shows the list and the detail side by side.
const SIDE_BY_SIDE_WIDTH: u16 = 120;
/// Width of the detail pane beside the list.
const DETAIL_WIDTH: u16 = 46;
/// Smallest screen the dashboard lays out; below it, a one-line notice.
const MIN_WIDTH: u16 = 20;
const MIN_HEIGHT: u16 = 6;

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    pub table: Option<Rect>,
    pub detail: Option<Rect>,
    pub status: Rect,
    pub context: Rect,
}

/// Lays the screen out; the event loop uses it too, to tell the state how many rows fit.
pub fn layout(area: Rect, state: &AppState) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [title, main, status, context] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (table, detail) = if area.width >= SIDE_BY_SIDE_WIDTH {
        let [table, detail] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(DETAIL_WIDTH)]).areas(main);
        (Some(table), Some(detail))
    } else if state.focus == Focus::Detail {
        (None, Some(main))
    } else {
        (Some(main), None)
    };
    Some(Areas {
        title,
        table,
        detail,
        status,
        context,
    })
}

/// How many table rows fit on a screen of this size.
pub fn table_rows(area: Rect, state: &AppState) -> u16 {
    layout(area, state)
        .and_then(|a| a.table)
        .map_or(0, table::rows_that_fit)
}

/// How far the detail pane on a screen of this size can scroll.
pub fn detail_limit(area: Rect, state: &AppState) -> u16 {
    layout(area, state)
        .and_then(|a| a.detail)
        .map_or(0, |detail| detail::scroll_limit(state, detail))
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, state: &AppState) {
    let area = frame.area();
    let Some(areas) = layout(area, state) else {
        let notice = Paragraph::new(Line::from("csdeck: enlarge the terminal"));
        frame.render_widget(notice, area);
        return;
    };
    bars::draw_title(frame, state, areas.title);
    if let Some(table_area) = areas.table {
        table::draw(frame, state, table_area);
    }
    if let Some(detail_area) = areas.detail {
        detail::draw(frame, state, detail_area);
    }
    bars::draw_status(frame, state, areas.status);
    bars::draw_context(frame, state, areas.context);
    if state.help {
        help::draw(frame, state, area);
    }
}
