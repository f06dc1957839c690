//! Keys are data: one table of bindings per mode. The event loop looks keys up here, and help
//! and the context bar are drawn from the same table, so they never disagree with what works.

use crate::state::{Action, Mode};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// One key binding: the keys, how help shows them, what they do.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in help and the context bar ("j/↓").
    pub label: &'static str,
    pub action: Action,
    /// What the binding does, in a few words.
    pub help: &'static str,
    /// Whether the context bar shows it (help always does).
    pub bar: bool,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

const fn key(c: char) -> (KeyCode, KeyModifiers) {
    (KeyCode::Char(c), NONE)
}

const fn ctrl(c: char) -> (KeyCode, KeyModifiers) {
    (KeyCode::Char(c), CTRL)
}

const fn b(
    keys: &'static [(KeyCode, KeyModifiers)],
    label: &'static str,
    action: Action,
    help: &'static str,
    bar: bool,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        help,
        bar,
    }
}

const QUIT: Binding = b(&[ctrl('c')], "Ctrl-c", Action::Quit, "quit csdeck", false);
const HELP: Binding = b(&[key('?')], "?", Action::ToggleHelp, "help", true);
const PANES: [Binding; 3] = [
    b(
        &[(KeyCode::Tab, NONE)],
        "Tab",
        Action::NextPane,
        "next pane",
        false,
    ),
    b(
        &[(KeyCode::BackTab, KeyModifiers::SHIFT)],
        "Shift-Tab",
        Action::PrevPane,
        "previous pane",
        false,
    ),
    b(
        &[key('1')],
        "1",
        Action::FocusPane(1),
        "focus the account list",
        false,
    ),
];
const PANE_2: Binding = b(
    &[key('2')],
    "2",
    Action::FocusPane(2),
    "focus the account detail",
    false,
);

const TABLE: &[Binding] = &[
    b(
        &[key('j'), (KeyCode::Down, NONE)],
        "j/↓",
        Action::Down,
        "next account",
        true,
    ),
    b(
        &[key('k'), (KeyCode::Up, NONE)],
        "k/↑",
        Action::Up,
        "previous account",
        true,
    ),
    b(
        &[key('g'), (KeyCode::Home, NONE)],
        "g/Home",
        Action::Top,
        "first account",
        false,
    ),
    b(
        &[key('G'), (KeyCode::End, NONE)],
        "G/End",
        Action::Bottom,
        "last account",
        false,
    ),
    b(
        &[ctrl('d')],
        "Ctrl-d",
        Action::HalfPageDown,
        "half a page down",
        false,
    ),
    b(
        &[ctrl('u')],
        "Ctrl-u",
        Action::HalfPageUp,
        "half a page up",
        false,
    ),
    b(
        &[(KeyCode::PageDown, NONE)],
        "PgDn",
        Action::PageDown,
        "page down",
        false,
    ),
    b(
        &[(KeyCode::PageUp, NONE)],
        "PgUp",
        Action::PageUp,
        "page up",
        false,
    ),
    b(
        &[key('h'), (KeyCode::Left, NONE)],
        "h/←",
        Action::ColumnLeft,
        "previous column",
        false,
    ),
    b(
        &[key('l'), (KeyCode::Right, NONE)],
        "l/→",
        Action::ColumnRight,
        "next column",
        true,
    ),
    b(
        &[key('s')],
        "s",
        Action::SortAscending,
        "sort by column, ascending",
        true,
    ),
    b(
        &[key('S')],
        "S",
        Action::SortDescending,
        "sort by column, descending",
        true,
    ),
    b(
        &[(KeyCode::Enter, NONE)],
        "Enter",
        Action::Open,
        "open the account",
        true,
    ),
    PANES[0],
    PANES[1],
    PANES[2],
    PANE_2,
    HELP,
    b(&[key('q')], "q", Action::QuitOrBack, "quit", true),
    QUIT,
];

const DETAIL: &[Binding] = &[
    b(
        &[key('j'), (KeyCode::Down, NONE)],
        "j/↓",
        Action::Down,
        "scroll down",
        true,
    ),
    b(
        &[key('k'), (KeyCode::Up, NONE)],
        "k/↑",
        Action::Up,
        "scroll up",
        true,
    ),
    b(
        &[key('g'), (KeyCode::Home, NONE)],
        "g/Home",
        Action::Top,
        "back to the top",
        false,
    ),
    b(
        &[ctrl('d'), (KeyCode::PageDown, NONE)],
        "Ctrl-d/PgDn",
        Action::HalfPageDown,
        "scroll a page down",
        false,
    ),
    b(
        &[ctrl('u'), (KeyCode::PageUp, NONE)],
        "Ctrl-u/PgUp",
        Action::HalfPageUp,
        "scroll a page up",
        false,
    ),
    b(
        &[(KeyCode::Esc, NONE)],
        "Esc",
        Action::Back,
        "back to the list",
        true,
    ),
    b(
        &[key('q')],
        "q",
        Action::QuitOrBack,
        "back to the list",
        true,
    ),
    PANES[0],
    PANES[1],
    PANES[2],
    PANE_2,
    HELP,
    QUIT,
];

const HELP_KEYS: &[Binding] = &[
    b(
        &[key('j'), (KeyCode::Down, NONE)],
        "j/↓",
        Action::Down,
        "scroll down",
        true,
    ),
    b(
        &[key('k'), (KeyCode::Up, NONE)],
        "k/↑",
        Action::Up,
        "scroll up",
        true,
    ),
    b(
        &[(KeyCode::Esc, NONE), key('q')],
        "Esc/q",
        Action::Back,
        "close help",
        true,
    ),
    b(&[key('?')], "?", Action::ToggleHelp, "close help", false),
    QUIT,
];

/// The bindings of a mode.
pub fn bindings(mode: Mode) -> &'static [Binding] {
    match mode {
        Mode::Table => TABLE,
        Mode::Detail => DETAIL,
        Mode::Help => HELP_KEYS,
    }
}

/// The action a key press asks for in a mode, if any.
pub fn action_for(mode: Mode, event: KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    // Shift is part of the character itself ('G', '?'); only Ctrl and Alt change a key's meaning.
    let significant = |m: KeyModifiers| m & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    bindings(mode)
        .iter()
        .find(|binding| {
            binding.keys.iter().any(|(code, mods)| {
                *code == event.code
                    && (significant(*mods) == significant(event.modifiers)
                        || matches!(code, KeyCode::BackTab))
            })
        })
        .map(|binding| binding.action)
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
