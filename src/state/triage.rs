//! The triage view's state: the ranked queue, its cursor, done / snooze / reopen, and opening
//! an item's account (Esc in the account comes back to the queue).

use super::{Action, AppState, DetailTab, Effect, Focus, InputLine, LineKind, SnoozeFor};
use crate::domain::triage::{ActionKind, Item, Queue};
use crate::state::line::LineTarget;

/// The queue as the dashboard shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriageView {
    /// Index into the shown items.
    pub cursor: usize,
    /// Done and snoozed items are shown too.
    pub all: bool,
}

/// Where Esc from the account detail goes back to, when the account was opened from a list
/// other than the accounts table.
#[derive(Debug, Clone, PartialEq)]
pub enum ReturnTo {
    Triage(TriageView),
    Notes(super::notes::NotesSearch),
}

impl AppState {
    /// The items the triage view lists (open ones, or all with `a`), in rank order.
    pub fn triage_items(&self) -> Vec<&Item> {
        let all = self.triage_view.as_ref().is_some_and(|v| v.all);
        self.queue
            .items
            .iter()
            .filter(|i| all || i.is_open())
            .collect()
    }

    /// The item under the triage cursor.
    pub fn triage_selected(&self) -> Option<&Item> {
        let cursor = self.triage_view.as_ref()?.cursor;
        self.triage_items().get(cursor).copied()
    }

    /// Rebuilds the queue from the book and the stored inputs (after the book, its tags or the
    /// actions changed). A signal expression that no longer compiles is shown, not hidden.
    pub fn rebuild_queue(&mut self) {
        let Some(inputs) = &self.triage_inputs else {
            return;
        };
        let queue = inputs.queue(&self.book, &self.model, self.today);
        self.set_queue(queue);
    }

    /// Shows a queue built over the current book (or why it could not be built).
    pub(super) fn set_queue(&mut self, queue: Result<Queue, String>) {
        match queue {
            Ok(queue) => {
                self.queue = queue;
                self.triage_error = None;
            }
            Err(error) => {
                self.queue = Queue::default();
                self.triage_error = Some(error);
            }
        }
        self.clamp_triage_cursor();
    }

    /// Keeps the queue's cursor on an item after items came or went.
    fn clamp_triage_cursor(&mut self) {
        if let Some(view) = self.triage_view.as_mut() {
            let len = self
                .queue
                .items
                .iter()
                .filter(|i| view.all || i.is_open())
                .count();
            view.cursor = view.cursor.min(len.saturating_sub(1));
        }
    }

    /// Opens (or closes) the queue over everything else.
    pub fn toggle_triage(&mut self) {
        if self.triage_view.take().is_none() {
            self.triage_view = Some(TriageView::default());
            self.return_to = None;
            if let Some(error) = &self.triage_error {
                self.message = Some(format!("the triage signals are broken: {error}"));
            }
        }
    }

    pub(super) fn update_triage(&mut self, action: Action) -> Option<Effect> {
        let len = self.triage_items().len();
        let view = self.triage_view.as_mut()?;
        let half = self.table.half_page().max(1) as usize;
        if let Some(cursor) = super::table::list_step(view.cursor, len, half, &action) {
            view.cursor = cursor;
            return None;
        }
        match action {
            Action::TriageShowAll => {
                view.all = !view.all;
                view.cursor = 0;
                self.message = Some(if view.all {
                    "showing done and snoozed items too (o puts one back)".into()
                } else {
                    "showing the open items".into()
                });
            }
            Action::Back | Action::QuitOrBack | Action::ToggleTriage => self.triage_view = None,
            Action::Open => {
                let key = self.triage_selected()?.key;
                let view = self.triage_view.take()?;
                self.return_to = Some(ReturnTo::Triage(view));
                self.open_account(key, DetailTab::Account);
            }
            Action::TriageDone => return self.triage_act(ActionKind::Done, None),
            Action::TriageReopen => return self.triage_act(ActionKind::Reopen, None),
            Action::TriageSnoozePrompt => self.snooze_prompt(),
            Action::AddNote => {
                let key = self.triage_selected()?.key;
                self.open_note(key);
            }
            Action::Undo => return self.undo_triage(),
            _ => {}
        }
        None
    }

    fn snooze_prompt(&mut self) {
        let Some(item) = self.triage_selected() else {
            return;
        };
        if !item.is_open() {
            self.message = Some("this item is not in the queue: o puts it back first".into());
            return;
        }
        let row = &self.book.rows()[item.row];
        let renewal = crate::domain::triage::renewal_wake(row.account.renewal_date, self.today)
            .map_or_else(
                || "no renewal date ahead".to_owned(),
                |d| format!("wakes {d}"),
            );
        let prompt = format!(
            "snooze {}: d a day · w a week · r until 2 weeks before renewal ({renewal})",
            crate::domain::sanitize::caret(&row.account.name)
        );
        self.line = Some(InputLine::prompting(
            LineKind::Snooze,
            prompt,
            LineTarget::Accounts(vec![item.key]),
        ));
    }

    /// The answer to the snooze question.
    pub(super) fn snooze(&mut self, choice: SnoozeFor) -> Option<Effect> {
        let line = self.line.take()?;
        let LineTarget::Accounts(keys) = line.target else {
            return None;
        };
        let key = *keys.first()?;
        let until = match choice {
            SnoozeFor::Day => self.today.tomorrow().ok(),
            SnoozeFor::Week => self.today.checked_add(jiff::Span::new().days(7)).ok(),
            SnoozeFor::Renewal => {
                let row = self.book.rows().iter().find(|r| r.key == key)?;
                match crate::domain::triage::renewal_wake(row.account.renewal_date, self.today) {
                    Some(day) => Some(day),
                    None => {
                        self.message = Some(
                            "no renewal date ahead: snooze for a day (d) or a week (w)".into(),
                        );
                        self.line = Some(line_back(line.prompt, key));
                        return None;
                    }
                }
            }
        };
        self.triage_act(ActionKind::Snooze, until)
    }

    /// Done, snooze or reopen of the item under the cursor, as an effect for storage.
    fn triage_act(
        &mut self,
        kind: ActionKind,
        until: Option<crate::domain::Date>,
    ) -> Option<Effect> {
        let item = self.triage_selected()?;
        match (kind, item.is_open()) {
            (ActionKind::Reopen, true) => {
                self.message = Some("this item is in the queue already".into());
                return None;
            }
            (ActionKind::Done | ActionKind::Snooze, false) => {
                self.message = Some("this item is not in the queue: o puts it back first".into());
                return None;
            }
            _ => {}
        }
        let name = self.book.rows()[item.row].account.name.clone();
        let fired = item
            .hits
            .iter()
            .map(|h| (h.fingerprint(), h.reason()))
            .collect();
        Some(Effect::RecordTriage {
            key: item.key,
            kind,
            until,
            fired,
            name,
            today: self.today,
        })
    }

    fn undo_triage(&mut self) -> Option<Effect> {
        match self.triage_undo.pop() {
            Some((id, description)) => Some(Effect::RemoveTriage { id, description }),
            None => {
                self.message = Some("nothing to undo in the queue this session".into());
                None
            }
        }
    }

    /// Lists the account (showing every account when the segment or filter hides it) and
    /// opens it in the detail pane on `tab`.
    pub(super) fn open_account(&mut self, key: i64, tab: DetailTab) {
        let listed = |state: &AppState| {
            state
                .visible
                .iter()
                .position(|&i| state.book.rows().get(i).is_some_and(|r| r.key == key))
        };
        if listed(self).is_none() && (self.segment.is_some() || self.filter.is_some()) {
            self.segment = None;
            self.filter = None;
            self.sidebar.select(super::EntryKind::All, "All accounts");
            self.refilter(None);
            self.message = Some("showing all accounts to open it (the filter was cleared)".into());
        }
        let Some(at) = listed(self) else {
            self.message = Some("that account is no longer in the book".into());
            return;
        };
        self.table.select(at, self.visible.len());
        self.focus = Focus::Detail;
        self.detail_tab = tab;
        self.detail_scroll = 0;
    }

    /// Esc from the account detail: back to the list it was opened from.
    pub(super) fn return_from_detail(&mut self) -> bool {
        match self.return_to.take() {
            Some(ReturnTo::Triage(view)) => {
                self.focus = super::Focus::Table;
                self.triage_view = Some(view);
                true
            }
            Some(ReturnTo::Notes(search)) => {
                self.focus = super::Focus::Table;
                self.notes_search = Some(search);
                true
            }
            None => false,
        }
    }

    /// The loop stored a triage action (or removed one).
    pub(super) fn triage_actions_changed(
        &mut self,
        actions: Vec<crate::domain::triage::TriageAction>,
        undo: Option<(i64, String)>,
        message: String,
    ) {
        if let Some(inputs) = self.triage_inputs.as_mut() {
            inputs.actions = actions;
            // Only statuses change: the queue is not scored again.
            inputs.restatus(&mut self.queue, self.today);
            self.clamp_triage_cursor();
        }
        if let Some(undo) = undo {
            self.triage_undo.push(undo);
        }
        // The timeline of the account shows the action.
        self.history = None;
        self.message = Some(message);
    }
}

/// The snooze question again (after an answer that does not apply).
fn line_back(prompt: String, key: i64) -> InputLine {
    InputLine::prompting(LineKind::Snooze, prompt, LineTarget::Accounts(vec![key]))
}
