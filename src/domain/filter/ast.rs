//! The parsed form of a filter expression, before its fields and values are checked.

pub use super::lexer::CmpOp;

/// A value as written: a bare word or a quoted string (quoted text is never a number or date).
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    pub text: String,
    pub quoted: bool,
    pub col: usize,
}

/// A field as written, with where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldName {
    pub name: String,
    pub col: usize,
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Compare {
        field: FieldName,
        op: CmpOp,
        value: Literal,
    },
    In {
        field: FieldName,
        values: Vec<Literal>,
    },
    Tag(Literal),
    Segment(Literal),
}
