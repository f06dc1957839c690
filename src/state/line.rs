//! The input line at the bottom: the filter (`/`) or the command line (`:`).

use tui_input::Input;

/// Which line is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A filter expression over the current segment, applied as you type.
    Filter,
    /// A command: `save NAME`, `rm NAME`, `sort FIELD [desc]`, `q`.
    Command,
    /// A tag to add to these accounts.
    Tag,
    /// A tag to remove from these accounts.
    Untag,
    /// A tag for every listed account (a confirmation follows).
    TagAll,
    /// The new name of a tag (an existing name merges the two).
    RenameTag,
    /// A yes/no question about the pending effect.
    Confirm,
    /// How long to snooze a triage item (d, w, r).
    Snooze,
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
    /// The prompt drawn before the text ("/", ":", "tag 3 accounts:").
    pub prompt: String,
    /// The accounts a tag line applies to, or the tag a rename line renames.
    pub target: LineTarget,
}

/// What a tag line acts on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LineTarget {
    #[default]
    Nothing,
    Accounts(Vec<i64>),
    Tag(String),
}

impl InputLine {
    /// A line of `kind` holding `text`, cursor at the end.
    pub fn new(kind: LineKind, text: &str, before: Option<String>) -> InputLine {
        let prompt = match kind {
            LineKind::Filter => "/",
            LineKind::Command => ":",
            _ => ">",
        };
        InputLine {
            kind,
            input: Input::new(text.to_owned()),
            error: None,
            hint: None,
            before,
            prompt: prompt.to_owned(),
            target: LineTarget::Nothing,
        }
    }

    /// A line with its own prompt and target.
    pub fn prompting(kind: LineKind, prompt: String, target: LineTarget) -> InputLine {
        InputLine {
            prompt,
            target,
            ..InputLine::new(kind, "", None)
        }
    }

    /// Whether the line takes free text (a confirmation only takes y or n).
    pub fn is_text(&self) -> bool {
        !matches!(self.kind, LineKind::Confirm | LineKind::Snooze)
    }
}

/// Splits a command's arguments like a shell does for paths: spaces separate, quotes ("my
/// file.csv" or 'my file.csv') and a backslash keep spaces, and a leading `~/` is the home folder.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, '\\') => {
                if let Some(next) = chars.next() {
                    current.push(next);
                    started = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if started {
                    out.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            (None, c) => {
                current.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(current);
    }
    let home = std::env::var("HOME").ok();
    out.into_iter()
        .map(|word| match (word.strip_prefix("~/"), &home) {
            (Some(rest), Some(home)) => format!("{home}/{rest}"),
            _ => word,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_quoted_and_escaped_spaces() {
        assert_eq!(words("a.csv  b.csv"), ["a.csv", "b.csv"]);
        assert_eq!(
            words("\"my file.csv\" 'x y.csv'"),
            ["my file.csv", "x y.csv"]
        );
        assert_eq!(words("my\\ file.csv"), ["my file.csv"]);
        assert!(words("   ").is_empty());
    }
}
