//! The input line at the bottom: the filter (`/`) or the command line (`:`).

use tui_input::Input;

/// Which line is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A filter expression over the current segment, applied as you type.
    Filter,
    /// A command: `save NAME`, `rm NAME`, `sort FIELD [desc]`, `q`.
    Command,
}

/// An open input line.
#[derive(Debug, Clone)]
pub struct InputLine {
    pub kind: LineKind,
    pub input: Input,
    /// What is wrong with the text as typed (the list keeps the last good result meanwhile).
    pub error: Option<String>,
    /// Completion candidates or other help shown under the line.
    pub hint: Option<String>,
    /// The filter applied when the line was opened, restored by Esc.
    pub before: Option<String>,
}

impl InputLine {
    /// A line of `kind` holding `text`, cursor at the end.
    pub fn new(kind: LineKind, text: &str, before: Option<String>) -> InputLine {
        InputLine {
            kind,
            input: Input::new(text.to_owned()),
            error: None,
            hint: None,
            before,
        }
    }

    /// The prompt drawn before the text.
    pub fn prompt(&self) -> &'static str {
        match self.kind {
            LineKind::Filter => "/",
            LineKind::Command => ":",
        }
    }
}
