//! The dashboard's state and its update function: Action in, state changed. No terminal, no SQL,
//! so every behaviour is unit-testable and the views only read.

pub mod action;
pub mod table;

pub use action::Action;
pub use table::TableState;

use crate::domain::AccountRow;
use crate::domain::Date;
use crate::domain::fields::{Field, sort_rows};
use crate::domain::health::HealthModel;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Focus {
    /// The account list.
    Table,
    /// The detail pane of the account under the cursor.
    Detail,
}

/// The mode the keymap and context bar follow: the focused pane, or the help overlay over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Table,
    Detail,
    Help,
}

impl Mode {
    /// Every mode, in the order help lists them.
    pub const ALL: [Mode; 3] = [Mode::Table, Mode::Detail, Mode::Help];

    /// The title help gives this mode's keys.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Table => "Account list",
            Mode::Detail => "Account detail",
            Mode::Help => "Help",
        }
    }
}

/// The columns of the account table, in order; `s`/`S` sort by the selected one.
pub const TABLE_COLUMNS: [Field; 11] = [
    Field::Name,
    Field::Arr,
    Field::Tier,
    Field::Lifecycle,
    Field::Health,
    Field::Nps,
    Field::Renewal,
    Field::LastLogin,
    Field::Utilization,
    Field::Owner,
    Field::Tags,
];

/// Everything the dashboard shows.
#[derive(Debug, Clone)]
pub struct AppState {
    pub rows: Vec<AccountRow>,
    pub table: TableState,
    /// Index into [`TABLE_COLUMNS`] of the selected column.
    pub column: usize,
    pub sort: (Field, bool),
    pub focus: Focus,
    pub help: bool,
    pub help_scroll: u16,
    pub detail_scroll: u16,
    /// The furthest the detail pane scrolls (set by the loop from the drawn text).
    pub detail_limit: u16,
    /// The book is the built-in demo book.
    pub demo: bool,
    /// A one-line message for the status bar.
    pub message: Option<String>,
    pub quit: bool,
    pub today: Date,
    pub model: HealthModel,
    /// Sum of ARR over the listed rows, in minor units (kept with the rows).
    pub total_arr: i64,
}

impl AppState {
    /// A dashboard over these rows, sorted by name.
    pub fn new(rows: Vec<AccountRow>, today: Date, model: HealthModel, demo: bool) -> AppState {
        let mut state = AppState {
            rows: Vec::new(),
            table: TableState::default(),
            column: 0,
            sort: (Field::Name, false),
            focus: Focus::Table,
            help: false,
            help_scroll: 0,
            detail_scroll: 0,
            detail_limit: u16::MAX,
            demo,
            message: None,
            quit: false,
            today,
            model,
            total_arr: 0,
        };
        state.set_rows(rows);
        state
    }

    /// Replaces the listed rows, keeping the sort and, where it still exists, the account
    /// under the cursor.
    pub fn set_rows(&mut self, rows: Vec<AccountRow>) {
        let current = self.selected().map(|r| r.key);
        self.replace_rows(rows, current);
    }

    fn replace_rows(&mut self, mut rows: Vec<AccountRow>, current: Option<i64>) {
        sort_rows(&mut rows, self.sort.0, self.sort.1);
        self.total_arr = rows.iter().filter_map(|r| r.account.arr).sum();
        self.rows = rows;
        let cursor = current
            .and_then(|key| self.rows.iter().position(|r| r.key == key))
            .unwrap_or(0);
        self.table.select(cursor, self.rows.len());
    }

    /// The account under the cursor.
    pub fn selected(&self) -> Option<&AccountRow> {
        self.rows.get(self.table.cursor)
    }

    /// The mode keys are read in.
    pub fn mode(&self) -> Mode {
        if self.help {
            Mode::Help
        } else {
            match self.focus {
                Focus::Table => Mode::Table,
                Focus::Detail => Mode::Detail,
            }
        }
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        let len = self.rows.len();
        match action {
            Action::Quit => self.quit = true,
            Action::Viewport(rows) => self.table.set_viewport(usize::from(rows), len),
            Action::DetailLimit(limit) => {
                self.detail_limit = limit;
                self.detail_scroll = self.detail_scroll.min(limit);
            }
            Action::ToggleHelp => {
                self.help = !self.help;
                self.help_scroll = 0;
            }
            _ if self.help => self.update_help(action),
            Action::QuitOrBack => match self.focus {
                Focus::Detail => self.focus = Focus::Table,
                Focus::Table => self.quit = true,
            },
            Action::Back => self.focus = Focus::Table,
            Action::Open => {
                if self.selected().is_some() {
                    self.focus = Focus::Detail;
                    self.detail_scroll = 0;
                }
            }
            Action::NextPane | Action::PrevPane => {
                self.focus = match self.focus {
                    Focus::Table if self.selected().is_some() => Focus::Detail,
                    _ => Focus::Table,
                };
            }
            Action::FocusPane(1) => self.focus = Focus::Table,
            Action::FocusPane(2) if self.selected().is_some() => self.focus = Focus::Detail,
            Action::FocusPane(_) => {}
            _ if self.focus == Focus::Detail => self.update_detail(action),
            _ => self.update_table(action),
        }
    }

    fn update_table(&mut self, action: Action) {
        let len = self.rows.len();
        let before = self.table.cursor;
        match action {
            Action::Up => self.table.move_by(-1, len),
            Action::Down => self.table.move_by(1, len),
            Action::Top => self.table.select(0, len),
            Action::Bottom => self.table.select(len.saturating_sub(1), len),
            Action::HalfPageDown => self.table.move_by(self.table.half_page(), len),
            Action::HalfPageUp => self.table.move_by(-self.table.half_page(), len),
            Action::PageDown => self.table.move_by(self.table.page(), len),
            Action::PageUp => self.table.move_by(-self.table.page(), len),
            Action::ColumnLeft => self.column = self.column.saturating_sub(1),
            Action::ColumnRight => self.column = (self.column + 1).min(TABLE_COLUMNS.len() - 1),
            Action::SortAscending => self.sort_by_selected(false),
            Action::SortDescending => self.sort_by_selected(true),
            _ => {}
        }
        if self.table.cursor != before {
            self.detail_scroll = 0;
        }
    }

    fn update_detail(&mut self, action: Action) {
        let scroll = self.detail_scroll;
        self.detail_scroll = match action {
            Action::Up => scroll.saturating_sub(1),
            Action::Down => scroll.saturating_add(1),
            Action::HalfPageUp | Action::PageUp => scroll.saturating_sub(10),
            Action::HalfPageDown | Action::PageDown => scroll.saturating_add(10),
            Action::Top => 0,
            Action::Bottom => self.detail_limit,
            _ => scroll,
        }
        .min(self.detail_limit);
    }

    fn update_help(&mut self, action: Action) {
        match action {
            Action::Back | Action::QuitOrBack => self.help = false,
            Action::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
            Action::Down => self.help_scroll = self.help_scroll.saturating_add(1),
            Action::Top => self.help_scroll = 0,
            _ => {}
        }
    }

    fn sort_by_selected(&mut self, descending: bool) {
        let field = TABLE_COLUMNS[self.column.min(TABLE_COLUMNS.len() - 1)];
        self.sort = (field, descending);
        let current = self.selected().map(|r| r.key);
        let rows = std::mem::take(&mut self.rows);
        self.replace_rows(rows, current);
        let arrow = if descending {
            "descending"
        } else {
            "ascending"
        };
        self.message = Some(format!("sorted by {} {arrow}", field.name()));
    }
}
