//! A big book's first page, shown while the whole book is read: the CSM can look through it
//! and open an account at once, and takes that place along when every account is in.

use super::{Action, AppState, Focus};
use crate::domain::Date;
use crate::domain::book::Book;
use crate::domain::health::HealthModel;

impl AppState {
    /// The dashboard over the first page (by name) of a book of `total` accounts still being
    /// read. The sidebar is hidden: its counts would be the page's, not the book's.
    pub fn reading(first: Book, total: usize, today: Date, model: HealthModel, demo: bool) -> Self {
        let mut state = AppState::new(first, today, model, demo);
        state.reading = Some(total);
        state.sidebar_shown = false;
        state
    }

    /// Whether `action` can be done on the first page alone: moving, opening an account and
    /// reading it, help. A filter, a sort, a count or a tag waits for the whole book.
    pub(super) fn works_while_reading(action: &Action) -> bool {
        matches!(
            action,
            Action::Up
                | Action::Down
                | Action::Top
                | Action::HalfPageDown
                | Action::HalfPageUp
                | Action::PageDown
                | Action::PageUp
                | Action::Open
                | Action::Back
                | Action::QuitOrBack
                | Action::Quit
                | Action::NextPane
                | Action::PrevPane
                | Action::ShowTab(_)
                | Action::NextTab
                | Action::PrevTab
                | Action::ToggleHelp
        )
    }

    /// The whole book, read, takes the place the CSM reached on its first page: the account
    /// under the cursor, the pane, the detail tab and what was loaded for it. Whoever looked
    /// around stays on the list; an own book nobody touched opens on the queue once the
    /// queue is counted (`opens_on_queue`), as it opens when small.
    pub fn take_place_of(&mut self, first: AppState, touched: bool, opens_on_queue: bool) {
        self.triage_view = None;
        self.queue_when_read = opens_on_queue && !touched;
        if !touched {
            return;
        }
        if let Some(key) = first.selected().map(|r| r.key)
            && let Some(at) = self
                .visible
                .iter()
                .position(|&i| self.book.rows()[i].key == key)
        {
            self.table.select(at, self.visible.len());
        }
        self.focus = match first.focus {
            Focus::Sidebar => Focus::Table,
            focus => focus,
        };
        self.detail_tab = first.detail_tab;
        self.detail_scroll = first.detail_scroll;
        self.help = first.help;
        self.help_scroll = first.help_scroll;
        self.history = first.history;
        self.responses = first.responses;
        self.notes = first.notes;
        self.timeline = first.timeline;
        let total = crate::domain::plural::count(self.book.rows().len(), "account");
        self.message = Some(if opens_on_queue {
            format!("all {total} are in: filters, sorting and counts work · ! opens the queue")
        } else {
            format!("all {total} are in: filters, sorting and counts work")
        });
    }
}
