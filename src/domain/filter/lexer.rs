//! Splits a filter expression into tokens, each with the 1-based column where it starts, so every
//! error can point at the character that caused it.

use super::FilterError;

/// The longest expression accepted: anything longer is a paste accident, not a filter.
pub const MAX_LENGTH: usize = 4096;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    LParen,
    RParen,
    Comma,
    Op(CmpOp),
    And,
    Or,
    Not,
    In,
    /// `tag:` (the name follows as a word or string).
    TagPrefix,
    /// `segment:` (the name follows as a word or string).
    SegmentPrefix,
    /// A bare word: letters, digits and `- _ . @ % +`.
    Word(String),
    /// A quoted string, quotes removed and escapes resolved.
    Str(String),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// Case-insensitive contains.
    Contains,
}

impl CmpOp {
    /// How the operator is written.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Contains => "~",
        }
    }
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    /// 1-based character column.
    pub col: usize,
}

impl Token {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match &self.kind {
            TokenKind::LParen => "'('".into(),
            TokenKind::RParen => "')'".into(),
            TokenKind::Comma => "','".into(),
            TokenKind::Op(op) => format!("'{}'", op.as_str()),
            TokenKind::And => "'and'".into(),
            TokenKind::Or => "'or'".into(),
            TokenKind::Not => "'not'".into(),
            TokenKind::In => "'in'".into(),
            TokenKind::TagPrefix => "'tag:'".into(),
            TokenKind::SegmentPrefix => "'segment:'".into(),
            TokenKind::Word(w) => format!("'{w}'"),
            TokenKind::Str(s) => format!("\"{s}\""),
        }
    }
}

/// Characters a bare word may hold besides letters and digits.
pub fn is_word_char(ch: char) -> bool {
    ch.is_alphanumeric() || matches!(ch, '-' | '_' | '.' | '@' | '%' | '+')
}

/// Splits `input` into tokens.
pub fn lex(input: &str) -> Result<Vec<Token>, FilterError> {
    if input.chars().count() > MAX_LENGTH {
        return Err(FilterError::new(
            MAX_LENGTH + 1,
            format!("the expression is longer than {MAX_LENGTH} characters"),
        ));
    }
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        let col = i + 1;
        let single = |kind| Token { kind, col };
        match ch {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => tokens.push(single(TokenKind::LParen)),
            ')' => tokens.push(single(TokenKind::RParen)),
            ',' => tokens.push(single(TokenKind::Comma)),
            '~' => tokens.push(single(TokenKind::Op(CmpOp::Contains))),
            '=' => {
                // `==` is a common habit: read it as `=`.
                if chars.get(i + 1) == Some(&'=') {
                    i += 1;
                }
                tokens.push(single(TokenKind::Op(CmpOp::Eq)));
            }
            '!' => {
                if chars.get(i + 1) == Some(&'=') {
                    i += 1;
                    tokens.push(single(TokenKind::Op(CmpOp::Ne)));
                } else {
                    return Err(FilterError::new(
                        col,
                        "unexpected '!': did you mean '!=' or 'not'?",
                    ));
                }
            }
            '<' | '>' => {
                let or_equal = chars.get(i + 1) == Some(&'=');
                let op = match (ch, or_equal) {
                    ('<', false) => CmpOp::Lt,
                    ('<', true) => CmpOp::Le,
                    ('>', false) => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                if or_equal {
                    i += 1;
                }
                tokens.push(single(TokenKind::Op(op)));
            }
            '"' | '\'' => {
                let (text, end) = quoted(&chars, i)?;
                tokens.push(Token {
                    kind: TokenKind::Str(text),
                    col,
                });
                i = end;
                continue;
            }
            c if is_word_char(c) => {
                let start = i;
                while i < chars.len() && is_word_char(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if chars.get(i) == Some(&':') {
                    let prefix = match word.to_ascii_lowercase().as_str() {
                        "tag" => TokenKind::TagPrefix,
                        "segment" => TokenKind::SegmentPrefix,
                        _ => {
                            return Err(FilterError::new(
                                i + 1,
                                format!(
                                    "unexpected ':' after '{word}': only tag: and segment: take one"
                                ),
                            ));
                        }
                    };
                    tokens.push(Token { kind: prefix, col });
                    i += 1;
                    continue;
                }
                let kind = match word.to_ascii_lowercase().as_str() {
                    "and" => TokenKind::And,
                    "or" => TokenKind::Or,
                    "not" => TokenKind::Not,
                    "in" => TokenKind::In,
                    _ => TokenKind::Word(word),
                };
                tokens.push(Token { kind, col });
                continue;
            }
            other => {
                return Err(FilterError::new(
                    col,
                    format!("unexpected character {}", describe_char(other)),
                ));
            }
        }
        i += 1;
    }
    Ok(tokens)
}

/// A character as an error message shows it (control characters escaped).
fn describe_char(ch: char) -> String {
    if ch.is_control() {
        format!("U+{:04X}", ch as u32)
    } else {
        format!("'{ch}'")
    }
}

/// Reads a quoted string starting at `start`; returns its text and the index after it.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), FilterError> {
    let quote = chars[start];
    let mut text = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                text.push(chars[i + 1]);
                i += 2;
            }
            c if c == quote => return Ok((text, i + 1)),
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    Err(FilterError::new(
        start + 1,
        format!("unterminated string: close it with {quote}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<TokenKind> {
        lex(input).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn lexes_every_token() {
        use TokenKind::*;
        assert_eq!(
            kinds(
                r#"renewal<=30d and (x != "a b" or not y ~ 'c\'d') tag:vip segment:"up sell" in ,"#
            ),
            vec![
                Word("renewal".into()),
                Op(CmpOp::Le),
                Word("30d".into()),
                And,
                LParen,
                Word("x".into()),
                Op(CmpOp::Ne),
                Str("a b".into()),
                Or,
                Not,
                Word("y".into()),
                Op(CmpOp::Contains),
                Str("c'd".into()),
                RParen,
                TagPrefix,
                Word("vip".into()),
                SegmentPrefix,
                Str("up sell".into()),
                In,
                Comma,
            ]
        );
        assert_eq!(kinds("a>=1 b>2 c<3 d=4 e==5"), {
            let w = |s: &str| Word(s.into());
            vec![
                w("a"),
                Op(CmpOp::Ge),
                w("1"),
                w("b"),
                Op(CmpOp::Gt),
                w("2"),
                w("c"),
                Op(CmpOp::Lt),
                w("3"),
                w("d"),
                Op(CmpOp::Eq),
                w("4"),
                w("e"),
                Op(CmpOp::Eq),
                w("5"),
            ]
        });
    }

    #[test]
    fn bare_words_take_ids_dates_and_unicode() {
        assert_eq!(
            kinds("ACC-0042 follow-up NA-West 2026-01-31 zoë@x.io 12.5%").len(),
            6
        );
    }

    #[test]
    fn errors_point_at_the_column() {
        assert_eq!(lex("a ! b").unwrap_err().col, 3);
        assert_eq!(lex("name = \"open").unwrap_err().col, 8);
        assert_eq!(lex("x = $5").unwrap_err().col, 5);
        assert_eq!(lex("foo:bar").unwrap_err().col, 4);
        assert!(lex(&"a".repeat(MAX_LENGTH + 1)).is_err());
    }
}
