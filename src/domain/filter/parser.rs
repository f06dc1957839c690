//! Recursive descent over the tokens: `or` binds loosest, then `and`, then `not`. Depth is
//! bounded, so hostile input is an error, never a stack overflow.

use super::FilterError;
use super::ast::{Expr, FieldName, Literal};
use super::lexer::{Token, TokenKind, lex};

/// How deeply parentheses and `not` may nest.
pub const MAX_DEPTH: usize = 64;

/// Parses an expression.
pub fn parse(input: &str) -> Result<Expr, FilterError> {
    let tokens = lex(input)?;
    let end = input.chars().count() + 1;
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
        end,
    };
    if parser.tokens.is_empty() {
        return Err(FilterError::new(
            1,
            "the expression is empty: expected a condition such as arr >= 100k",
        ));
    }
    let expr = parser.or()?;
    if let Some(token) = parser.peek() {
        let message = match token.kind {
            TokenKind::RParen => "unmatched ')'".to_owned(),
            _ => format!(
                "expected 'and', 'or' or the end, found {}",
                token.describe()
            ),
        };
        return Err(FilterError::new(token.col, message));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    /// The column just past the input, for "expected ... at the end" errors.
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    fn at(&self, kind: &TokenKind) -> bool {
        self.peek().is_some_and(|t| &t.kind == kind)
    }

    /// The column of the next token, or the end of input.
    fn col(&self) -> usize {
        self.peek().map_or(self.end, |t| t.col)
    }

    fn found(&self) -> String {
        self.peek()
            .map_or_else(|| "the end".to_owned(), Token::describe)
    }

    fn descend(&mut self) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(FilterError::new(
                self.col(),
                format!("the expression nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, FilterError> {
        let mut parts = vec![self.and()?];
        while self.at(&TokenKind::Or) {
            self.next();
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let mut parts = vec![self.unary()?];
        while self.at(&TokenKind::And) {
            self.next();
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Expr, FilterError> {
        if self.at(&TokenKind::Not) {
            self.next();
            self.descend()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, FilterError> {
        let col = self.col();
        let found = self.found();
        let Some(token) = self.next() else {
            return Err(FilterError::new(col, "expected a condition at the end"));
        };
        match token.kind {
            TokenKind::LParen => {
                self.descend()?;
                let inner = self.or()?;
                self.depth -= 1;
                if !self.at(&TokenKind::RParen) {
                    return Err(FilterError::new(
                        self.col(),
                        format!(
                            "expected ')' to close the '(' at column {col}, found {}",
                            self.found()
                        ),
                    ));
                }
                self.next();
                Ok(inner)
            }
            TokenKind::TagPrefix => Ok(Expr::Tag(self.name_after("tag:")?)),
            TokenKind::SegmentPrefix => Ok(Expr::Segment(self.name_after("segment:")?)),
            // `extra."Billing State"`: a quoted extra column after the `extra.` prefix.
            TokenKind::Word(prefix) if prefix.eq_ignore_ascii_case("extra.") => {
                match self.peek().map(|t| t.kind.clone()) {
                    Some(TokenKind::Str(name)) => {
                        self.next();
                        self.comparison(FieldName {
                            name: format!("extra.{name}"),
                            col: token.col,
                        })
                    }
                    _ => Err(FilterError::new(
                        self.col(),
                        format!(
                            "expected a column name after 'extra.', found {}",
                            self.found()
                        ),
                    )),
                }
            }
            TokenKind::Word(name) | TokenKind::Str(name) => self.comparison(FieldName {
                name,
                col: token.col,
            }),
            _ => Err(FilterError::new(
                col,
                format!("expected a field, tag: or segment:, found {found}"),
            )),
        }
    }

    fn name_after(&mut self, prefix: &str) -> Result<Literal, FilterError> {
        self.literal(|found| format!("expected a name after '{prefix}', found {found}"))
    }

    fn comparison(&mut self, field: FieldName) -> Result<Expr, FilterError> {
        let col = self.col();
        match self.peek().map(|t| t.kind.clone()) {
            Some(TokenKind::Op(op)) => {
                self.next();
                // A missing value is reported at the operator that wants it.
                let value = self
                    .value(&format!("after '{}'", op.as_str()))
                    .map_err(|e| FilterError::new(col, e.message))?;
                Ok(Expr::Compare { field, op, value })
            }
            Some(TokenKind::In) => {
                self.next();
                Ok(Expr::In {
                    field,
                    values: self.list()?,
                })
            }
            Some(TokenKind::Not)
                if matches!(
                    self.tokens.get(self.pos + 1).map(|t| &t.kind),
                    Some(TokenKind::In)
                ) =>
            {
                self.next();
                self.next();
                let values = self.list()?;
                Ok(Expr::Not(Box::new(Expr::In { field, values })))
            }
            _ => Err(FilterError::new(
                col,
                format!(
                    "expected an operator (= != < <= > >= ~ in) after '{}', found {}",
                    field.name,
                    self.found()
                ),
            )),
        }
    }

    fn value(&mut self, context: &str) -> Result<Literal, FilterError> {
        self.literal(|found| format!("expected a value {context}, found {found}"))
    }

    /// Takes one word or quoted string; `expected` words the error from what was found instead.
    fn literal(&mut self, expected: impl Fn(&str) -> String) -> Result<Literal, FilterError> {
        let col = self.col();
        let (text, quoted) = match self.peek().map(|t| t.kind.clone()) {
            Some(TokenKind::Word(text)) => (text, false),
            Some(TokenKind::Str(text)) => (text, true),
            _ => return Err(FilterError::new(col, expected(&self.found()))),
        };
        self.next();
        Ok(Literal { text, quoted, col })
    }

    fn list(&mut self) -> Result<Vec<Literal>, FilterError> {
        if !self.at(&TokenKind::LParen) {
            return Err(FilterError::new(
                self.col(),
                format!("expected '(' after 'in', found {}", self.found()),
            ));
        }
        self.next();
        let mut values = vec![self.value("in the list")?];
        loop {
            match self.peek().map(|t| t.kind.clone()) {
                Some(TokenKind::Comma) => {
                    self.next();
                    values.push(self.value("after ','")?);
                }
                Some(TokenKind::RParen) => {
                    self.next();
                    return Ok(values);
                }
                _ => {
                    return Err(FilterError::new(
                        self.col(),
                        format!("expected ',' or ')' in the list, found {}", self.found()),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::filter::lexer::CmpOp;

    fn cmp(name: &str, op: CmpOp, value: &str) -> Expr {
        Expr::Compare {
            field: FieldName {
                name: name.into(),
                col: 0,
            },
            op,
            value: Literal {
                text: value.into(),
                quoted: false,
                col: 0,
            },
        }
    }

    /// The parse with every column zeroed, to compare shapes.
    fn shape(expr: Expr) -> Expr {
        match expr {
            Expr::And(v) => Expr::And(v.into_iter().map(shape).collect()),
            Expr::Or(v) => Expr::Or(v.into_iter().map(shape).collect()),
            Expr::Not(e) => Expr::Not(Box::new(shape(*e))),
            Expr::Compare { field, op, value } => Expr::Compare {
                field: FieldName { col: 0, ..field },
                op,
                value: Literal {
                    col: 0,
                    quoted: false,
                    ..value
                },
            },
            Expr::In { field, values } => Expr::In {
                field: FieldName { col: 0, ..field },
                values: values
                    .into_iter()
                    .map(|v| Literal {
                        col: 0,
                        quoted: false,
                        ..v
                    })
                    .collect(),
            },
            Expr::Tag(l) => Expr::Tag(Literal {
                col: 0,
                quoted: false,
                ..l
            }),
            Expr::Segment(l) => Expr::Segment(Literal {
                col: 0,
                quoted: false,
                ..l
            }),
        }
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_tighter_than_and() {
        let parsed = shape(parse("a = 1 or b = 2 and not c = 3").unwrap());
        assert_eq!(
            parsed,
            Expr::Or(vec![
                cmp("a", CmpOp::Eq, "1"),
                Expr::And(vec![
                    cmp("b", CmpOp::Eq, "2"),
                    Expr::Not(Box::new(cmp("c", CmpOp::Eq, "3"))),
                ]),
            ])
        );
        let grouped = shape(parse("(a = 1 or b = 2) and c = 3").unwrap());
        assert!(matches!(grouped, Expr::And(ref v) if matches!(v[0], Expr::Or(_))));
    }

    #[test]
    fn parses_in_not_in_tags_and_segments() {
        let parsed = shape(
            parse(
                "region in (EMEA, APAC) and region not in (NA) and tag:vip and segment:\"up sell\"",
            )
            .unwrap(),
        );
        let Expr::And(parts) = parsed else {
            panic!("and")
        };
        assert!(matches!(&parts[0], Expr::In { values, .. } if values.len() == 2));
        assert!(matches!(&parts[1], Expr::Not(inner) if matches!(**inner, Expr::In { .. })));
        assert!(matches!(&parts[2], Expr::Tag(l) if l.text == "vip"));
        assert!(matches!(&parts[3], Expr::Segment(l) if l.text == "up sell"));
    }

    #[test]
    fn errors_point_at_the_column_and_say_what_was_expected() {
        let cases = [
            ("arr >>= 5", 5, "expected a value after '>'"),
            ("arr >=", 5, "expected a value after '>=' , found the end"),
            ("(arr > 5", 9, "expected ')' to close the '(' at column 1"),
            ("arr > 5)", 8, "unmatched ')'"),
            ("arr 5", 5, "expected an operator"),
            ("and", 1, "expected a field"),
            ("region in EMEA", 11, "expected '(' after 'in'"),
            ("region in (EMEA APAC)", 17, "expected ',' or ')'"),
            ("tag:", 5, "expected a name after 'tag:'"),
            ("a = 1 b = 2", 7, "expected 'and', 'or' or the end"),
            ("", 1, "empty"),
        ];
        for (input, col, message) in cases {
            let err = parse(input).unwrap_err();
            assert_eq!(err.col, col, "{input}: {err}");
            let wanted = message.replace(" ,", ",");
            assert!(err.message.contains(&wanted), "{input}: {}", err.message);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}a = 1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep[..4000]).is_err());
        let nots = format!("{}a = 1", "not ".repeat(1000));
        assert!(parse(&nots).unwrap_err().message.contains("nests deeper"));
        let fine = format!("{}a = 1{}", "(".repeat(20), ")".repeat(20));
        assert!(parse(&fine).is_ok());
    }
}
