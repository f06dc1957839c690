//! Notes in the dashboard: the multi-line note editor (`n`) and the results of a
//! `:notes WORDS` search across the book.

use super::{Action, AppState, DetailTab, Effect, NoteEdit};
use crate::storage::notes::NoteHit;

/// A note being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteEditor {
    /// The account the note is for.
    pub key: i64,
    pub account: String,
    pub lines: Vec<String>,
    /// Cursor: line, and character within it.
    pub row: usize,
    pub col: usize,
    /// Esc was pressed once on a note with text: a second Esc discards it.
    pub discard_armed: bool,
    /// Why the last save was refused.
    pub error: Option<String>,
}

impl NoteEditor {
    /// An empty note for an account.
    pub fn new(key: i64, account: String) -> NoteEditor {
        NoteEditor {
            key,
            account,
            lines: vec![String::new()],
            row: 0,
            col: 0,
            discard_armed: false,
            error: None,
        }
    }

    /// The note's text as typed.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    fn byte_at(line: &str, col: usize) -> usize {
        line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    fn len(&self, row: usize) -> usize {
        self.lines.get(row).map_or(0, |l| l.chars().count())
    }

    /// Applies one editing key.
    pub fn edit(&mut self, key: NoteEdit) {
        self.discard_armed = false;
        self.error = None;
        let row = self.row.min(self.lines.len().saturating_sub(1));
        match key {
            NoteEdit::Char(c) if !c.is_control() => {
                let at = Self::byte_at(&self.lines[row], self.col);
                self.lines[row].insert(at, c);
                self.col += 1;
            }
            NoteEdit::Char(_) => {}
            NoteEdit::Newline => {
                let at = Self::byte_at(&self.lines[row], self.col);
                let rest = self.lines[row].split_off(at);
                self.lines.insert(row + 1, rest);
                self.row = row + 1;
                self.col = 0;
            }
            NoteEdit::Backspace => {
                if self.col > 0 {
                    let at = Self::byte_at(&self.lines[row], self.col - 1);
                    self.lines[row].remove(at);
                    self.col -= 1;
                } else if row > 0 {
                    let line = self.lines.remove(row);
                    self.row = row - 1;
                    self.col = self.len(self.row);
                    self.lines[self.row].push_str(&line);
                }
            }
            NoteEdit::Delete => {
                if self.col < self.len(row) {
                    let at = Self::byte_at(&self.lines[row], self.col);
                    self.lines[row].remove(at);
                } else if row + 1 < self.lines.len() {
                    let next = self.lines.remove(row + 1);
                    self.lines[row].push_str(&next);
                }
            }
            NoteEdit::Left => {
                if self.col > 0 {
                    self.col -= 1;
                } else if row > 0 {
                    self.row = row - 1;
                    self.col = self.len(self.row);
                }
            }
            NoteEdit::Right => {
                if self.col < self.len(row) {
                    self.col += 1;
                } else if row + 1 < self.lines.len() {
                    self.row = row + 1;
                    self.col = 0;
                }
            }
            NoteEdit::Up => {
                self.row = row.saturating_sub(1);
                self.col = self.col.min(self.len(self.row));
            }
            NoteEdit::Down => {
                self.row = (row + 1).min(self.lines.len() - 1);
                self.col = self.col.min(self.len(self.row));
            }
            NoteEdit::Home => self.col = 0,
            NoteEdit::End => self.col = self.len(row),
        }
    }
}

/// The notes a search found, with a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesSearch {
    pub words: String,
    pub hits: Vec<NoteHit>,
    pub cursor: usize,
}

impl AppState {
    /// Opens the note editor for an account.
    pub(super) fn open_note(&mut self, key: i64) {
        let Some(row) = self.book.rows().iter().find(|r| r.key == key) else {
            return;
        };
        self.note = Some(NoteEditor::new(key, row.account.name.clone()));
    }

    pub(super) fn update_note(&mut self, action: Action) -> Option<Effect> {
        let editor = self.note.as_mut()?;
        match action {
            Action::NoteKey(key) => editor.edit(key),
            Action::SaveNote => {
                return match crate::storage::notes::clean_note(&editor.text()) {
                    Ok(body) => Some(Effect::AddNote {
                        key: editor.key,
                        body,
                        today: self.today,
                    }),
                    Err(error) => {
                        editor.error = Some(error);
                        None
                    }
                };
            }
            Action::Back => {
                if editor.text().trim().is_empty() || editor.discard_armed {
                    self.note = None;
                    self.message = Some("no note was saved".into());
                } else {
                    editor.discard_armed = true;
                }
            }
            _ => {}
        }
        None
    }

    pub(super) fn update_notes_search(&mut self, action: Action) {
        let Some(search) = self.notes_search.as_mut() else {
            return;
        };
        if let Some(cursor) = super::table::list_step(search.cursor, search.hits.len(), 10, &action)
        {
            search.cursor = cursor;
            return;
        }
        match action {
            Action::Open => {
                let Some(hit) = search.hits.get(search.cursor) else {
                    return;
                };
                let key = hit.key;
                if let Some(search) = self.notes_search.take() {
                    self.return_to = Some(super::triage::ReturnTo::Notes(search));
                }
                self.open_account(key, DetailTab::Timeline);
            }
            Action::Back | Action::QuitOrBack => self.notes_search = None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(editor: &mut NoteEditor, text: &str) {
        for c in text.chars() {
            editor.edit(if c == '\n' {
                NoteEdit::Newline
            } else {
                NoteEdit::Char(c)
            });
        }
    }

    #[test]
    fn the_editor_writes_several_lines_and_moves_over_them() {
        let mut editor = NoteEditor::new(1, "Acme".into());
        typed(&mut editor, "Called Ana\nrenewal at risk: budgt");
        editor.edit(NoteEdit::Left);
        editor.edit(NoteEdit::Char('e'));
        assert_eq!(editor.text(), "Called Ana\nrenewal at risk: budget");
        editor.edit(NoteEdit::Home);
        editor.edit(NoteEdit::Backspace);
        assert_eq!(editor.text(), "Called Anarenewal at risk: budget");
        editor.edit(NoteEdit::Newline);
        editor.edit(NoteEdit::Up);
        editor.edit(NoteEdit::End);
        editor.edit(NoteEdit::Char('!'));
        editor.edit(NoteEdit::Char('\u{1b}'));
        assert_eq!(editor.text(), "Called Ana!\nrenewal at risk: budget");
        editor.edit(NoteEdit::Delete);
        assert_eq!(editor.text(), "Called Ana!renewal at risk: budget");
        // Multi-byte text edits by character.
        let mut editor = NoteEditor::new(1, "Zoë".into());
        typed(&mut editor, "Zoë ok");
        editor.edit(NoteEdit::Home);
        editor.edit(NoteEdit::Right);
        editor.edit(NoteEdit::Right);
        editor.edit(NoteEdit::Delete);
        assert_eq!(editor.text(), "Zo ok");
    }
}
