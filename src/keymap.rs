//! Keys are data: one table of bindings per mode. The event loop looks keys up here, and help
//! and the context bar are drawn from the same tables, so they never disagree with what works.

use crate::state::{Action, DetailTab, Mode, NoteEdit, SnoozeFor};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::InputRequest;

/// One key binding: the keys, how help shows them, what they do.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The keys; empty for a line that only documents (the text-editing keys of input lines).
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in help and the context bar ("j/↓").
    pub label: &'static str,
    pub action: Action,
    /// What the binding does, in a few words.
    pub help: &'static str,
    /// The few words the context bar shows, when it shows this binding (help always does).
    pub bar: Option<&'static str>,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

const fn key(c: char) -> (KeyCode, KeyModifiers) {
    (KeyCode::Char(c), NONE)
}

const fn ctrl(c: char) -> (KeyCode, KeyModifiers) {
    (KeyCode::Char(c), CTRL)
}

const fn code(code: KeyCode) -> (KeyCode, KeyModifiers) {
    (code, NONE)
}

const fn b(
    keys: &'static [(KeyCode, KeyModifiers)],
    label: &'static str,
    action: Action,
    help: &'static str,
    bar: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        help,
        bar,
    }
}

fn quit() -> Binding {
    b(
        &const { [ctrl('c')] },
        "Ctrl-c",
        Action::Quit,
        "quit csdeck",
        None,
    )
}

/// Moving through a list (the account table, the sidebar).
fn list_moves(what: &'static str) -> [Binding; 6] {
    let (next, previous, first, last) = match what {
        "segment" => (
            "next segment",
            "previous segment",
            "first segment",
            "last segment",
        ),
        "item" => ("next item", "previous item", "first item", "last item"),
        "note" => ("next note", "previous note", "first note", "last note"),
        _ => (
            "next account",
            "previous account",
            "first account",
            "last account",
        ),
    };
    [
        b(
            &const { [key('j'), code(KeyCode::Down)] },
            "j/↓",
            Action::Down,
            next,
            Some("down"),
        ),
        b(
            &const { [key('k'), code(KeyCode::Up)] },
            "k/↑",
            Action::Up,
            previous,
            Some("up"),
        ),
        b(
            &const { [key('g'), code(KeyCode::Home)] },
            "g/Home",
            Action::Top,
            first,
            None,
        ),
        b(
            &const { [key('G'), code(KeyCode::End)] },
            "G/End",
            Action::Bottom,
            last,
            None,
        ),
        b(
            &const { [ctrl('d'), code(KeyCode::PageDown)] },
            "Ctrl-d/PgDn",
            Action::HalfPageDown,
            "half a page down",
            None,
        ),
        b(
            &const { [ctrl('u'), code(KeyCode::PageUp)] },
            "Ctrl-u/PgUp",
            Action::HalfPageUp,
            "half a page up",
            None,
        ),
    ]
}

/// Keys that work in every pane.
fn panes() -> [Binding; 10] {
    [
        b(
            &const { [key('!')] },
            "!",
            Action::ToggleTriage,
            "triage: the accounts that need you now, with reasons",
            Some("triage"),
        ),
        b(
            &const { [key('/')] },
            "/",
            Action::OpenFilter,
            "filter (over the segment)",
            Some("filter"),
        ),
        b(
            &const { [key(':')] },
            ":",
            Action::OpenCommand,
            "command (save NAME, rm NAME, sort FIELD)",
            None,
        ),
        b(
            &const { [key('b')] },
            "b",
            Action::ToggleSidebar,
            "show/hide the segment sidebar",
            None,
        ),
        b(
            &const { [code(KeyCode::Tab)] },
            "Tab",
            Action::NextPane,
            "next pane",
            None,
        ),
        b(
            &const { [(KeyCode::BackTab, KeyModifiers::SHIFT)] },
            "Shift-Tab",
            Action::PrevPane,
            "previous pane",
            None,
        ),
        b(
            &const { [key('1')] },
            "1",
            Action::FocusPane(1),
            "focus the segments",
            None,
        ),
        b(
            &const { [key('2')] },
            "2",
            Action::FocusPane(2),
            "focus the accounts",
            None,
        ),
        b(
            &const { [key('3')] },
            "3",
            Action::FocusPane(3),
            "focus the account detail",
            None,
        ),
        b(
            &const { [key('?')] },
            "?",
            Action::ToggleHelp,
            "help",
            Some("help"),
        ),
    ]
}

/// The text-editing keys of an input line, documented once (tui-input reads them).
fn editing() -> Binding {
    b(
        &const { [] },
        "←/→ Home/End",
        Action::Edit(InputRequest::GoToEnd),
        "move; Ctrl-w deletes a word, Ctrl-u the line",
        None,
    )
}

/// The bindings of a mode.
pub fn bindings(mode: Mode) -> Vec<Binding> {
    let mut out = Vec::new();
    match mode {
        Mode::Triage => out = triage(),
        Mode::Snooze => out.extend([
            b(
                &const { [key('d'), key('1')] },
                "d/1",
                Action::Snooze(SnoozeFor::Day),
                "snooze for a day",
                Some("a day"),
            ),
            b(
                &const { [key('w'), key('7')] },
                "w/7",
                Action::Snooze(SnoozeFor::Week),
                "snooze for a week",
                Some("a week"),
            ),
            b(
                &const { [key('r')] },
                "r",
                Action::Snooze(SnoozeFor::Renewal),
                "snooze until 2 weeks before the renewal",
                Some("until renewal"),
            ),
            b(
                &const { [code(KeyCode::Esc), key('n')] },
                "Esc/n",
                Action::Back,
                "cancel",
                Some("cancel"),
            ),
            quit(),
        ]),
        Mode::Note => out.extend([
            b(
                &const { [ctrl('s')] },
                "Ctrl-s",
                Action::SaveNote,
                "save the note",
                Some("save"),
            ),
            b(
                &const { [code(KeyCode::Esc)] },
                "Esc",
                Action::Back,
                "cancel (twice when the note has text)",
                Some("cancel"),
            ),
            b(
                &const { [] },
                "Enter ←/→/↑/↓",
                Action::NoteKey(NoteEdit::Newline),
                "Enter starts a new line; arrows, Home/End, Backspace and Delete edit",
                None,
            ),
            quit(),
        ]),
        Mode::NotesSearch => {
            out.extend(list_moves("note"));
            out.extend([
                b(
                    &const { [code(KeyCode::Enter)] },
                    "Enter",
                    Action::Open,
                    "open the account's timeline (Esc comes back here)",
                    Some("open"),
                ),
                b(
                    &const { [code(KeyCode::Esc), key('q')] },
                    "Esc/q",
                    Action::Back,
                    "close the search",
                    Some("close"),
                ),
                b(&const { [key('?')] }, "?", Action::ToggleHelp, "help", None),
                quit(),
            ]);
        }
        Mode::Reading => {
            // The last account is not here yet: G waits for the whole book.
            out.extend(
                list_moves("account")
                    .into_iter()
                    .filter(|m| m.action != Action::Bottom),
            );
            // Opening an account, its tabs, the panes and help, bound as in the list and the
            // detail pane: nothing that needs the whole book.
            let works = |binding: &Binding| {
                matches!(
                    binding.action,
                    Action::Open
                        | Action::NextTab
                        | Action::PrevTab
                        | Action::NextPane
                        | Action::PrevPane
                        | Action::ToggleHelp
                )
            };
            out.extend(bindings(Mode::Table).into_iter().filter(works));
            out.extend(
                bindings(Mode::Detail)
                    .into_iter()
                    .filter(|b| matches!(b.action, Action::NextTab | Action::PrevTab)),
            );
            out.extend([
                b(
                    &const { [code(KeyCode::Esc)] },
                    "Esc",
                    Action::Back,
                    "back to the list",
                    None,
                ),
                b(
                    &const { [key('q')] },
                    "q",
                    Action::QuitOrBack,
                    "back, or quit from the list",
                    Some("quit"),
                ),
                quit(),
            ]);
        }
        Mode::Table => {
            out.extend(list_moves("account"));
            out.extend([
                b(
                    &const { [key('h'), code(KeyCode::Left)] },
                    "h/←",
                    Action::ColumnLeft,
                    "previous column",
                    None,
                ),
                b(
                    &const { [key('l'), code(KeyCode::Right)] },
                    "l/→",
                    Action::ColumnRight,
                    "next column",
                    None,
                ),
                b(
                    &const { [key('s')] },
                    "s",
                    Action::SortAscending,
                    "sort by column, ascending",
                    Some("sort ↑"),
                ),
                b(
                    &const { [key('S')] },
                    "S",
                    Action::SortDescending,
                    "sort by column, descending",
                    Some("sort ↓"),
                ),
                b(
                    &const { [code(KeyCode::Enter)] },
                    "Enter",
                    Action::Open,
                    "open the account",
                    Some("open"),
                ),
                b(
                    &const { [code(KeyCode::Esc)] },
                    "Esc",
                    Action::Back,
                    "clear the marks, then the filter, then the segment",
                    None,
                ),
                b(
                    &const { [key(' ')] },
                    "Space",
                    Action::ToggleMark,
                    "mark the account and move down",
                    Some("mark"),
                ),
                b(
                    &const { [key('v')] },
                    "v",
                    Action::MarkRange,
                    "mark a range (press at both ends)",
                    None,
                ),
                b(
                    &const { [key('t')] },
                    "t",
                    Action::TagPrompt,
                    "tag the marked accounts (or this one)",
                    Some("tag"),
                ),
                b(
                    &const { [key('u')] },
                    "u",
                    Action::UntagPrompt,
                    "remove a tag from the marked (or this one)",
                    None,
                ),
                b(
                    &const { [key('T')] },
                    "T",
                    Action::TagAllPrompt,
                    "tag every listed account",
                    None,
                ),
                b(
                    &const { [key('U'), ctrl('z')] },
                    "U/Ctrl-z",
                    Action::Undo,
                    "undo the last tag change",
                    None,
                ),
                b(
                    &const { [key('#')] },
                    "#",
                    Action::ToggleTagManager,
                    "tag manager: rename, merge, delete",
                    None,
                ),
                b(
                    &const { [key('n')] },
                    "n",
                    Action::AddNote,
                    "write a note on the account",
                    None,
                ),
                b(
                    &const { [key('r')] },
                    "r",
                    Action::ShowTab(DetailTab::Nps),
                    "the account's NPS answers (detail pane)",
                    None,
                ),
                b(
                    &const { [key('H')] },
                    "H",
                    Action::ShowTab(DetailTab::Timeline),
                    "the account's timeline (detail pane)",
                    None,
                ),
                b(
                    &const { [key('e')] },
                    "e",
                    Action::Export,
                    "export the listed accounts to a CSV file",
                    None,
                ),
                b(
                    &const { [key('w')] },
                    "w",
                    Action::CycleNpsWindow,
                    "NPS window of n and N: 365/180/90/30 days, all",
                    None,
                ),
                b(
                    &const { [key('N')] },
                    "N",
                    Action::ToggleSegmentNps,
                    "NPS of the listed accounts, with every answer",
                    Some("NPS"),
                ),
            ]);
            out.extend(panes());
            out.push(b(
                &const { [key('q')] },
                "q",
                Action::QuitOrBack,
                "quit",
                Some("quit"),
            ));
            out.push(quit());
        }
        Mode::Sidebar => {
            out.extend(list_moves("segment"));
            out.extend([
                b(
                    &const { [code(KeyCode::Enter)] },
                    "Enter",
                    Action::Open,
                    "list this segment",
                    Some("list it"),
                ),
                b(
                    &const { [code(KeyCode::Esc)] },
                    "Esc",
                    Action::Back,
                    "clear the filter, then the segment",
                    None,
                ),
            ]);
            out.extend(panes());
            out.push(b(
                &const { [key('q')] },
                "q",
                Action::QuitOrBack,
                "quit",
                Some("quit"),
            ));
            out.push(quit());
        }
        Mode::Detail => {
            out.extend([
                b(
                    &const { [key('j'), code(KeyCode::Down)] },
                    "j/↓",
                    Action::Down,
                    "scroll down",
                    Some("down"),
                ),
                b(
                    &const { [key('k'), code(KeyCode::Up)] },
                    "k/↑",
                    Action::Up,
                    "scroll up",
                    Some("up"),
                ),
                b(
                    &const { [key('g'), code(KeyCode::Home)] },
                    "g/Home",
                    Action::Top,
                    "back to the top",
                    None,
                ),
                b(
                    &const { [key('G'), code(KeyCode::End)] },
                    "G/End",
                    Action::Bottom,
                    "to the end",
                    None,
                ),
                b(
                    &const { [ctrl('d'), code(KeyCode::PageDown)] },
                    "Ctrl-d/PgDn",
                    Action::HalfPageDown,
                    "scroll a page down",
                    None,
                ),
                b(
                    &const { [ctrl('u'), code(KeyCode::PageUp)] },
                    "Ctrl-u/PgUp",
                    Action::HalfPageUp,
                    "scroll a page up",
                    None,
                ),
                b(
                    &const { [code(KeyCode::Esc), key('q')] },
                    "Esc/q",
                    Action::Back,
                    "back to the list",
                    Some("back"),
                ),
                b(
                    &const { [key('h'), code(KeyCode::Left)] },
                    "h/←",
                    Action::PrevTab,
                    "previous tab (account, NPS answers, timeline)",
                    None,
                ),
                b(
                    &const { [key('l'), code(KeyCode::Right)] },
                    "l/→",
                    Action::NextTab,
                    "next tab (account, NPS answers, timeline)",
                    Some("tabs"),
                ),
                b(
                    &const { [key('r')] },
                    "r",
                    Action::ShowTab(DetailTab::Nps),
                    "the NPS answers (again: the account)",
                    None,
                ),
                b(
                    &const { [key('H')] },
                    "H",
                    Action::ShowTab(DetailTab::Timeline),
                    "the timeline (again: the account)",
                    Some("timeline"),
                ),
                b(
                    &const { [key('n')] },
                    "n",
                    Action::AddNote,
                    "write a note on the account",
                    Some("note"),
                ),
                b(
                    &const { [key('w')] },
                    "w",
                    Action::CycleNpsWindow,
                    "NPS window: 365, 180, 90, 30 days, all time",
                    None,
                ),
            ]);
            out.extend(panes());
            out.push(quit());
        }
        Mode::Filter => {
            out.extend([
                b(
                    &const { [code(KeyCode::Enter)] },
                    "Enter",
                    Action::Open,
                    "keep the filter",
                    Some("keep"),
                ),
                b(
                    &const { [code(KeyCode::Esc)] },
                    "Esc",
                    Action::Back,
                    "cancel (put back the last filter)",
                    Some("cancel"),
                ),
                b(
                    &const { [code(KeyCode::Tab)] },
                    "Tab",
                    Action::Complete,
                    "complete a field, value, tag or segment",
                    Some("complete"),
                ),
                editing(),
                quit(),
            ]);
        }
        Mode::Command => {
            out.extend([
                b(
                    &const { [code(KeyCode::Enter)] },
                    "Enter",
                    Action::Open,
                    "run the command",
                    Some("run"),
                ),
                b(
                    &const { [code(KeyCode::Esc)] },
                    "Esc",
                    Action::Back,
                    "cancel",
                    Some("cancel"),
                ),
                editing(),
                quit(),
            ]);
        }
        Mode::Prompt => {
            out.extend([
                b(
                    &const { [code(KeyCode::Enter)] },
                    "Enter",
                    Action::Open,
                    "apply",
                    Some("apply"),
                ),
                b(
                    &const { [code(KeyCode::Esc)] },
                    "Esc",
                    Action::Back,
                    "cancel",
                    Some("cancel"),
                ),
                b(
                    &const { [code(KeyCode::Tab)] },
                    "Tab",
                    Action::Complete,
                    "complete from the existing tags",
                    Some("complete"),
                ),
                editing(),
                quit(),
            ]);
        }
        Mode::Confirm => {
            out.extend([
                b(
                    &const { [key('y')] },
                    "y",
                    Action::Confirm,
                    "yes, do it",
                    Some("yes"),
                ),
                b(
                    &const { [key('n'), code(KeyCode::Esc)] },
                    "n/Esc",
                    Action::Back,
                    "no, cancel",
                    Some("no"),
                ),
                quit(),
            ]);
        }
        Mode::Tags => {
            out.extend([
                b(
                    &const { [key('j'), code(KeyCode::Down)] },
                    "j/↓",
                    Action::Down,
                    "next tag",
                    Some("down"),
                ),
                b(
                    &const { [key('k'), code(KeyCode::Up)] },
                    "k/↑",
                    Action::Up,
                    "previous tag",
                    Some("up"),
                ),
                b(
                    &const { [key('g'), code(KeyCode::Home)] },
                    "g/Home",
                    Action::Top,
                    "first tag",
                    None,
                ),
                b(
                    &const { [key('G'), code(KeyCode::End)] },
                    "G/End",
                    Action::Bottom,
                    "last tag",
                    None,
                ),
                b(
                    &const { [code(KeyCode::Enter)] },
                    "Enter",
                    Action::Open,
                    "list the accounts with this tag",
                    Some("list"),
                ),
                b(
                    &const { [key('r')] },
                    "r",
                    Action::RenameTagPrompt,
                    "rename (onto an existing tag: merge)",
                    Some("rename"),
                ),
                b(
                    &const { [key('d')] },
                    "d",
                    Action::DeleteTagPrompt,
                    "delete the tag from every account",
                    Some("delete"),
                ),
                b(
                    &const { [key('U'), ctrl('z')] },
                    "U/Ctrl-z",
                    Action::Undo,
                    "undo the last tag change",
                    Some("undo"),
                ),
                b(
                    &const { [code(KeyCode::Esc), key('q'), key('#')] },
                    "Esc/q/#",
                    Action::Back,
                    "close the tag manager",
                    Some("close"),
                ),
                b(&const { [key('?')] }, "?", Action::ToggleHelp, "help", None),
                quit(),
            ]);
        }
        Mode::SegmentNps => {
            out.extend([
                b(
                    &const { [key('j'), code(KeyCode::Down)] },
                    "j/↓",
                    Action::Down,
                    "scroll down",
                    Some("down"),
                ),
                b(
                    &const { [key('k'), code(KeyCode::Up)] },
                    "k/↑",
                    Action::Up,
                    "scroll up",
                    Some("up"),
                ),
                b(
                    &const { [key('g'), code(KeyCode::Home)] },
                    "g/Home",
                    Action::Top,
                    "back to the top",
                    None,
                ),
                b(
                    &const { [ctrl('d'), code(KeyCode::PageDown)] },
                    "Ctrl-d/PgDn",
                    Action::HalfPageDown,
                    "scroll a page down",
                    None,
                ),
                b(
                    &const { [ctrl('u'), code(KeyCode::PageUp)] },
                    "Ctrl-u/PgUp",
                    Action::HalfPageUp,
                    "scroll a page up",
                    None,
                ),
                b(
                    &const { [key('d')] },
                    "d",
                    Action::ToggleDetractors,
                    "detractors only (the call list) / everyone",
                    Some("detractors"),
                ),
                b(
                    &const { [key('w')] },
                    "w",
                    Action::CycleNpsWindow,
                    "NPS window: 365, 180, 90, 30 days, all time",
                    Some("window"),
                ),
                b(
                    &const { [code(KeyCode::Esc), key('q'), key('N')] },
                    "Esc/q/N",
                    Action::Back,
                    "close",
                    Some("close"),
                ),
                b(&const { [key('?')] }, "?", Action::ToggleHelp, "help", None),
                quit(),
            ]);
        }
        Mode::Help => {
            out.extend([
                b(
                    &const { [key('j'), code(KeyCode::Down)] },
                    "j/↓",
                    Action::Down,
                    "scroll down",
                    Some("down"),
                ),
                b(
                    &const { [key('k'), code(KeyCode::Up)] },
                    "k/↑",
                    Action::Up,
                    "scroll up",
                    Some("up"),
                ),
                b(
                    &const { [code(KeyCode::Esc), key('q')] },
                    "Esc/q",
                    Action::Back,
                    "close help",
                    Some("close"),
                ),
                b(
                    &const { [key('?')] },
                    "?",
                    Action::ToggleHelp,
                    "close help",
                    None,
                ),
                quit(),
            ]);
        }
    }
    out
}

/// An editing key of the note editor: characters (with Shift or AltGr as typed), Enter for a
/// new line, and the moving and deleting keys.
fn note_key(event: KeyEvent) -> Option<NoteEdit> {
    if event.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    Some(match event.code {
        KeyCode::Char(c) => NoteEdit::Char(c),
        KeyCode::Enter => NoteEdit::Newline,
        KeyCode::Tab => NoteEdit::Char(' '),
        KeyCode::Backspace => NoteEdit::Backspace,
        KeyCode::Delete => NoteEdit::Delete,
        KeyCode::Left => NoteEdit::Left,
        KeyCode::Right => NoteEdit::Right,
        KeyCode::Up => NoteEdit::Up,
        KeyCode::Down => NoteEdit::Down,
        KeyCode::Home => NoteEdit::Home,
        KeyCode::End => NoteEdit::End,
        _ => return None,
    })
}

/// The bindings of the triage queue.
fn triage() -> Vec<Binding> {
    let mut out: Vec<Binding> = list_moves("item").into();
    out.extend([
        b(
            &const { [code(KeyCode::Enter)] },
            "Enter",
            Action::Open,
            "open the account (Esc comes back here)",
            Some("open"),
        ),
        b(
            &const { [key('d')] },
            "d",
            Action::TriageDone,
            "done: out of the queue until a new signal fires",
            Some("done"),
        ),
        b(
            &const { [key('z')] },
            "z",
            Action::TriageSnoozePrompt,
            "snooze: a day, a week or until renewal",
            Some("snooze"),
        ),
        b(
            &const { [key('n')] },
            "n",
            Action::AddNote,
            "write a note on the account",
            Some("note"),
        ),
        b(
            &const { [key('a')] },
            "a",
            Action::TriageShowAll,
            "show done and snoozed items too",
            None,
        ),
        b(
            &const { [key('o')] },
            "o",
            Action::TriageReopen,
            "put a done or snoozed item back in the queue",
            None,
        ),
        b(
            &const { [key('U'), ctrl('z')] },
            "U/Ctrl-z",
            Action::Undo,
            "undo the last done or snooze",
            None,
        ),
        b(
            &const { [key(':')] },
            ":",
            Action::OpenCommand,
            "command (notes WORDS, import FILE...)",
            None,
        ),
        b(
            &const { [code(KeyCode::Esc), key('q'), key('!')] },
            "Esc/q/!",
            Action::Back,
            "close the queue",
            Some("close"),
        ),
        b(&const { [key('?')] }, "?", Action::ToggleHelp, "help", None),
        quit(),
    ]);
    out
}

/// The action a key press asks for in a mode, if any.
pub fn action_for(mode: Mode, event: KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    // Shift is part of the character itself ('G', '?'); only Ctrl and Alt change a key's meaning.
    let significant = |m: KeyModifiers| m & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    let bound = bindings(mode)
        .into_iter()
        .find(|binding| {
            binding.keys.iter().any(|(code, mods)| {
                *code == event.code
                    && (significant(*mods) == significant(event.modifiers)
                        || matches!(code, KeyCode::BackTab))
            })
        })
        .map(|binding| binding.action);
    match (bound, mode) {
        (Some(action), _) => Some(action),
        (None, Mode::Filter | Mode::Command | Mode::Prompt) => {
            tui_input::backend::crossterm::to_input_request(&Event::Key(event)).map(Action::Edit)
        }
        (None, Mode::Note) => note_key(event).map(Action::NoteKey),
        (None, _) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn keys_map_to_actions_per_mode() {
        let j = press(KeyCode::Char('j'), NONE);
        assert_eq!(action_for(Mode::Table, j), Some(Action::Down));
        assert_eq!(action_for(Mode::Sidebar, j), Some(Action::Down));
        assert_eq!(
            action_for(Mode::Filter, j),
            Some(Action::Edit(InputRequest::InsertChar('j')))
        );
        let shift_g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(action_for(Mode::Table, shift_g), Some(Action::Bottom));
        let ctrl_d = press(KeyCode::Char('d'), CTRL);
        assert_eq!(action_for(Mode::Table, ctrl_d), Some(Action::HalfPageDown));
        let d = press(KeyCode::Char('d'), NONE);
        assert_eq!(action_for(Mode::Table, d), None);
        let ctrl_c = press(KeyCode::Char('c'), CTRL);
        for mode in Mode::ALL {
            assert_eq!(action_for(mode, ctrl_c), Some(Action::Quit), "{mode:?}");
        }
        let esc = press(KeyCode::Esc, NONE);
        assert_eq!(action_for(Mode::Help, esc), Some(Action::Back));
        let tab = press(KeyCode::Tab, NONE);
        assert_eq!(action_for(Mode::Filter, tab), Some(Action::Complete));
        assert_eq!(action_for(Mode::Table, tab), Some(Action::NextPane));
        let q = press(KeyCode::Char('q'), NONE);
        assert_eq!(
            action_for(Mode::Command, q),
            Some(Action::Edit(InputRequest::InsertChar('q')))
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        for mode in Mode::ALL {
            let mut seen = HashSet::new();
            for binding in bindings(mode) {
                for key in binding.keys {
                    assert!(seen.insert(*key), "{mode:?}: {key:?} bound twice");
                }
            }
        }
    }
}
