//! Rendering only: pure functions of the state into a frame. No view queries or changes state.

pub mod bars;
pub mod detail;
pub mod format;
pub mod health;
pub mod help;
pub mod line;
pub mod loading;
pub mod notes;
pub mod nps;
pub mod overlay;
pub mod sidebar;
pub mod table;
pub mod tags;
pub mod theme;
pub mod timeline;
pub mod triage;

use crate::state::{AppState, Focus};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// Narrowest screen that shows the sidebar.
const SIDEBAR_FROM_WIDTH: u16 = 100;
/// Width of the segment sidebar.
pub const SIDEBAR_WIDTH: u16 = 38;
/// Narrowest table that still leaves room for the detail pane beside it.
const TABLE_BESIDE_DETAIL: u16 = 76;
/// Width of the detail pane beside the list.
const DETAIL_WIDTH: u16 = 44;
/// Smallest screen the dashboard lays out; below it, a one-line notice.
const MIN_WIDTH: u16 = 20;
const MIN_HEIGHT: u16 = 4;
/// Below this height the title and the context bar give their lines to the list.
const COMPACT_BELOW: u16 = 12;

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    pub sidebar: Option<Rect>,
    pub table: Option<Rect>,
    pub detail: Option<Rect>,
    /// The input line and the line under it (error, completions), when one is open.
    pub line: Option<Rect>,
    pub status: Rect,
    pub context: Rect,
}

/// Lays the screen out; the event loop uses it too, to tell the state what fits.
pub fn layout(area: Rect, state: &AppState) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let compact = area.height < COMPACT_BELOW;
    let line_height = match (&state.line, compact) {
        (None, _) => 0,
        (Some(_), true) => 1,
        (Some(_), false) => 2,
    };
    let bar = if compact { 0 } else { 1 };
    // A compact screen gives the context bar up, except to a message: feedback is never lost.
    let context_height = if compact && state.message.is_none() {
        0
    } else {
        bars::context_height(state, area.width, area.height)
    };
    let [title, main, line, status, context] = Layout::vertical([
        Constraint::Length(bar),
        Constraint::Fill(1),
        Constraint::Length(line_height),
        Constraint::Length(1),
        Constraint::Length(context_height),
    ])
    .areas(area);
    let mut rest = main;
    let sidebar = if state.sidebar_shown && area.width >= SIDEBAR_FROM_WIDTH {
        let [side, other] =
            Layout::horizontal([Constraint::Length(SIDEBAR_WIDTH), Constraint::Fill(1)])
                .areas(rest);
        rest = other;
        Some(side)
    } else if state.sidebar_shown && state.focus == Focus::Sidebar {
        // Narrow screens: the sidebar takes the whole width while it has the focus.
        let only = rest;
        rest = Rect::default();
        Some(only)
    } else {
        None
    };
    let (table, detail) = if rest.width >= TABLE_BESIDE_DETAIL + DETAIL_WIDTH {
        let [table, detail] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(DETAIL_WIDTH)]).areas(rest);
        (Some(table), Some(detail))
    } else if rest.width == 0 {
        (None, None)
    } else if state.focus == Focus::Detail {
        (None, Some(rest))
    } else {
        (Some(rest), None)
    };
    Some(Areas {
        title,
        sidebar,
        table,
        detail,
        line: (line_height > 0).then_some(line),
        status,
        context,
    })
}

/// What the state needs to know of a screen of this size: rows of the table, its shown
/// columns and how far the detail pane scrolls.
pub fn measure(area: Rect, state: &AppState) -> crate::state::Action {
    let areas = layout(area, state);
    let table = areas.and_then(|a| a.table);
    crate::state::Action::Layout {
        rows: table.map_or(0, table::rows_that_fit),
        columns: table.map_or(1, |t| table::shown_columns(t.width)),
        detail_limit: areas
            .and_then(|a| a.detail)
            .map_or(0, |d| detail::scroll_limit(state, d)),
    }
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
    if let Some(sidebar_area) = areas.sidebar {
        sidebar::draw(frame, state, sidebar_area);
    }
    if let Some(table_area) = areas.table {
        table::draw(frame, state, table_area);
    }
    if let Some(detail_area) = areas.detail {
        detail::draw(frame, state, detail_area);
    }
    if let Some(line_area) = areas.line {
        line::draw(frame, state, line_area);
    }
    bars::draw_status(frame, state, areas.status);
    bars::draw_context(frame, state, areas.context);
    if state.segment_nps.is_some() {
        // Over the panes, under the bars.
        let top = areas.title.y + 1;
        let bottom = areas.status.y;
        let over = Rect::new(area.x, top, area.width, bottom.saturating_sub(top));
        nps::draw_segment(frame, state, over);
    }
    if state.triage_view.is_some() || state.notes_search.is_some() {
        let top = areas.title.y + areas.title.height;
        let bottom = areas.line.map_or(areas.status.y, |l| l.y);
        let over = Rect::new(area.x, top, area.width, bottom.saturating_sub(top));
        triage::draw(frame, state, over);
        notes::draw_search(frame, state, over);
    }
    if state.tag_manager.is_some() {
        tags::draw(frame, state, area);
    }
    if state.note.is_some() {
        notes::draw_editor(frame, state, area);
    }
    if state.help {
        help::draw(frame, state, area);
    }
    if state.no_color {
        strip_colours(frame.buffer_mut());
    }
}

/// NO_COLOR: every colour goes; what a background marked (cursor, bars, keys) turns into reverse
/// video, so nothing that was visible by colour alone disappears.
fn strip_colours(buffer: &mut ratatui::buffer::Buffer) {
    use ratatui::style::{Color, Modifier};
    for cell in buffer.content.iter_mut() {
        if cell.bg != Color::Reset {
            cell.modifier.insert(Modifier::REVERSED);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
    }
}
