//! Marking accounts and tagging them: the marks, the tag prompts, the confirmation for a whole
//! segment, the tag manager, and the undo stack.

use super::line::{InputLine, LineKind, LineTarget};
use super::{Action, AppState, Effect, Focus};
use crate::domain::tag;
use std::collections::BTreeMap;

/// The tag manager: every tag with how many accounts carry it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagManager {
    pub tags: Vec<(String, usize)>,
    pub cursor: usize,
}

impl TagManager {
    /// Counts the tags of the book's rows.
    pub fn build(state: &AppState) -> TagManager {
        let mut counts: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for row in state.book.rows() {
            for name in &row.tags {
                let entry = counts
                    .entry(tag::fold(name))
                    .or_insert_with(|| (name.clone(), 0));
                entry.1 += 1;
            }
        }
        TagManager {
            tags: counts.into_values().collect(),
            cursor: 0,
        }
    }

    /// The tag under the cursor.
    pub fn selected(&self) -> Option<&str> {
        self.tags.get(self.cursor).map(|(name, _)| name.as_str())
    }
}

fn accounts(n: usize) -> String {
    crate::domain::plural::count(n, "account")
}

impl AppState {
    /// The accounts a tag key applies to: the marked ones, else the one under the cursor.
    pub fn tag_targets(&self) -> Vec<i64> {
        if self.marks.is_empty() {
            self.selected().map(|r| vec![r.key]).unwrap_or_default()
        } else {
            self.marks.iter().copied().collect()
        }
    }

    pub(super) fn toggle_mark(&mut self) {
        let Some(key) = self.selected().map(|r| r.key) else {
            return;
        };
        if !self.marks.remove(&key) {
            self.marks.insert(key);
        }
        self.table.move_by(1, self.visible.len());
    }

    pub(super) fn mark_range(&mut self) {
        let cursor = self.table.cursor;
        let Some(here) = self.selected().map(|r| r.key) else {
            return;
        };
        // The start is an account, found again where it is listed now.
        let start = self
            .range_anchor
            .take()
            .and_then(|key| self.visible_keys().iter().position(|k| *k == key));
        match start {
            None => {
                self.range_anchor = Some(here);
                self.message =
                    Some("range started: move to its other end and press v again".into());
            }
            Some(anchor) => {
                let (from, to) = (anchor.min(cursor), anchor.max(cursor));
                for index in from..=to.min(self.visible.len().saturating_sub(1)) {
                    if let Some(row) = self
                        .visible
                        .get(index)
                        .and_then(|&i| self.book.rows().get(i))
                    {
                        self.marks.insert(row.key);
                    }
                }
                self.message = Some(format!("{} marked", accounts(self.marks.len())));
            }
        }
    }

    pub(super) fn tag_prompt(&mut self, kind: LineKind) {
        let (prompt, target) = match kind {
            LineKind::TagAll => {
                let keys: Vec<i64> = self.visible_rows().map(|r| r.key).collect();
                (
                    format!("tag all {} listed with:", accounts(keys.len())),
                    keys,
                )
            }
            _ => {
                let keys = self.tag_targets();
                let verb = if kind == LineKind::Tag {
                    "tag"
                } else {
                    "untag"
                };
                (format!("{verb} {}:", accounts(keys.len())), keys)
            }
        };
        if target.is_empty() {
            self.message = Some("no account to tag here".into());
            return;
        }
        self.line = Some(InputLine::prompting(
            kind,
            prompt,
            LineTarget::Accounts(target),
        ));
    }

    pub(super) fn rename_prompt(&mut self) {
        let Some(name) = self
            .tag_manager
            .as_ref()
            .and_then(|m| m.selected())
            .map(str::to_owned)
        else {
            return;
        };
        let mut line = InputLine::prompting(
            LineKind::RenameTag,
            format!("rename '{name}' to (an existing tag merges):"),
            LineTarget::Tag(name.clone()),
        );
        line.input = tui_input::Input::new(name);
        self.line = Some(line);
    }

    pub(super) fn delete_prompt(&mut self) {
        let Some((name, count)) = self
            .tag_manager
            .as_ref()
            .and_then(|m| m.tags.get(m.cursor))
            .cloned()
        else {
            return;
        };
        self.ask(
            format!("delete '{name}' from {}? y/n", accounts(count)),
            Effect::DeleteTag { tag: name },
        );
    }

    /// Opens a yes/no line for an effect.
    fn ask(&mut self, question: String, effect: Effect) {
        self.pending = Some(effect);
        self.line = Some(InputLine::prompting(
            LineKind::Confirm,
            question,
            LineTarget::Nothing,
        ));
    }

    /// Enter on a tag line.
    pub(super) fn submit_tag_line(&mut self) -> Option<Effect> {
        let line = self.line.take()?;
        let text = line.input.value().to_owned();
        let name = match tag::clean(&text) {
            Ok(name) => name,
            Err(error) => {
                // Keep the line open with the reason under it.
                let mut line = line;
                line.error = Some(error);
                self.line = Some(line);
                return None;
            }
        };
        match (line.kind, line.target) {
            (LineKind::Tag, LineTarget::Accounts(keys)) => Some(Effect::AddTag { tag: name, keys }),
            (LineKind::Untag, LineTarget::Accounts(keys)) => {
                Some(Effect::RemoveTag { tag: name, keys })
            }
            (LineKind::TagAll, LineTarget::Accounts(keys)) => {
                let question =
                    format!("tag all {} listed with '{name}'? y/n", accounts(keys.len()));
                self.ask(question, Effect::AddTag { tag: name, keys });
                None
            }
            (LineKind::RenameTag, LineTarget::Tag(old)) => {
                if tag::fold(&old) == tag::fold(&name) && old == name {
                    return None;
                }
                Some(Effect::RenameTag { old, new: name })
            }
            _ => None,
        }
    }

    /// `y` on a confirmation line.
    pub(super) fn confirm(&mut self) -> Option<Effect> {
        self.line = None;
        self.pending.take()
    }

    /// Tab on a tag line: complete from the existing tags.
    pub(super) fn complete_tag(&mut self) {
        let untag_keys = match &self.line {
            Some(line) if line.kind == LineKind::Untag => match &line.target {
                LineTarget::Accounts(keys) => Some(keys.clone()),
                _ => None,
            },
            _ => None,
        };
        let names: Vec<String> = match untag_keys {
            // Removing: only the tags those accounts carry.
            Some(keys) => {
                let mut names: Vec<String> = self
                    .book
                    .rows()
                    .iter()
                    .filter(|r| keys.contains(&r.key))
                    .flat_map(|r| r.tags.iter().cloned())
                    .collect();
                names.sort_by_key(|n| tag::fold(n));
                names.dedup_by_key(|n| tag::fold(n));
                names
            }
            None => TagManager::build(self)
                .tags
                .into_iter()
                .map(|(name, _)| name)
                .collect(),
        };
        let Some(line) = self.line.as_mut() else {
            return;
        };
        // Not `fold`: a trailing space is part of what is being completed ("renewal ").
        let typed = line.input.value().trim_start().to_lowercase();
        let matches: Vec<&String> = names
            .iter()
            .filter(|n| tag::fold(n).starts_with(&typed))
            .collect();
        match matches.as_slice() {
            [] => line.hint = Some("no tag starts like this: Enter creates it".into()),
            [only] => {
                line.input = tui_input::Input::new((*only).clone());
                line.hint = None;
            }
            many => {
                // Fill in what every match shares, as a shell does; the list says what is left.
                let prefix = super::complete::common_prefix(many);
                if prefix.chars().count() > line.input.value().chars().count() {
                    line.input = tui_input::Input::new(prefix);
                }
                let shown: Vec<&str> = many.iter().take(12).map(|s| s.as_str()).collect();
                line.hint = Some(shown.join("  "));
            }
        }
    }

    pub(super) fn update_tag_manager(&mut self, action: Action) -> Option<Effect> {
        let manager = self.tag_manager.as_mut()?;
        if matches!(
            action,
            Action::Down | Action::Up | Action::Top | Action::Bottom
        ) && let Some(cursor) =
            super::table::list_step(manager.cursor, manager.tags.len(), 1, &action)
        {
            manager.cursor = cursor;
            return None;
        }
        match action {
            Action::Back | Action::QuitOrBack | Action::ToggleTagManager => {
                self.tag_manager = None;
            }
            Action::Open => {
                if let Some(name) = manager.selected() {
                    let filter = format!("tag:{}", crate::domain::segment::quote(name));
                    self.tag_manager = None;
                    // Every account with the tag, as the count beside it says.
                    self.segment = None;
                    self.sidebar.select(super::EntryKind::All, "All accounts");
                    self.filter = Some(filter);
                    self.refilter(None);
                    self.focus = Focus::Table;
                }
            }
            Action::RenameTagPrompt => self.rename_prompt(),
            Action::DeleteTagPrompt => self.delete_prompt(),
            Action::Undo => return self.undo(),
            _ => {}
        }
        None
    }

    pub(super) fn undo(&mut self) -> Option<Effect> {
        match self.undo.pop() {
            Some(undo) => Some(Effect::Undo(undo)),
            None => {
                self.message = Some("nothing to undo".into());
                None
            }
        }
    }

    /// A tag change happened: refresh the touched rows, remember how to undo it, and recount.
    pub(super) fn tags_changed(
        &mut self,
        rows: Vec<(i64, Vec<String>)>,
        undo: Option<tag::TagUndo>,
        message: String,
    ) {
        let changed: std::collections::HashMap<i64, Vec<String>> = rows.into_iter().collect();
        self.book.set_tags(&changed);
        if let Some(undo) = undo.filter(|u| !u.keys().is_empty() || u.rename.is_some()) {
            self.undo.push(undo);
            // A change made on marked accounts is done with them.
            self.marks.clear();
            self.range_anchor = None;
        }
        if self.tag_manager.is_some() {
            let cursor = self.tag_manager.as_ref().map_or(0, |m| m.cursor);
            let mut manager = TagManager::build(self);
            manager.cursor = cursor.min(manager.tags.len().saturating_sub(1));
            self.tag_manager = Some(manager);
        }
        self.retagged();
        self.message = Some(message);
    }
}
