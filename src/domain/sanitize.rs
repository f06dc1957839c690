//! Imported text is untrusted: control characters and escape sequences must never reach the
//! terminal raw. They are shown in caret notation (ESC as `^[`, DEL as `^?`).

use std::borrow::Cow;

/// Replaces every control character with its caret form; borrows when there is none.
pub fn caret(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\u{7f}' => out.push_str("^?"),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            c if is_unsafe(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Like [`caret`], but keeps line breaks and tabs: for multi-line messages printed to a terminal.
pub fn caret_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(text);
    }
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            line.split('\t')
                .map(|part| caret(part).into_owned())
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// C0 and C1 controls, DEL, and the bidirectional overrides that can disguise text.
fn is_unsafe(ch: char) -> bool {
    ch.is_control() || matches!(ch, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_become_caret_notation() {
        assert_eq!(caret("plain"), "plain");
        assert_eq!(caret("a\x1b[31mb"), "a^[[31mb");
        assert_eq!(caret("tab\there\n"), "tab^Ihere^J");
        assert_eq!(caret("del\x7f"), "del^?");
        assert_eq!(caret("c1\u{9b}x"), "c1<U+009B>x");
    }

    #[test]
    fn message_lines_keep_their_breaks() {
        assert_eq!(caret_lines("a\n\tb\x1b[0m"), "a\n\tb^[[0m");
        assert_eq!(caret_lines("a\r\nb"), "a^M\nb");
    }

    proptest! {
        #[test]
        fn no_escape_survives_in_messages(text in any::<String>()) {
            let safe = caret_lines(&text);
            prop_assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t'));
        }

        #[test]
        fn no_control_character_survives(text in any::<String>()) {
            let safe = caret(&text);
            prop_assert!(!safe.chars().any(is_unsafe));
        }

        #[test]
        fn safe_text_is_unchanged(text in "[a-zA-Z0-9 .,;:!?'\"()éü€-]*") {
            prop_assert_eq!(caret(&text), text.as_str());
        }
    }
}
