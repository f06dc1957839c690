//! The segment filter language of DESIGN.md: one parser for the dashboard, the CLI and saved
//! segments. `parse` gives the syntax tree, `compile` checks fields and values against the book
//! and resolves `segment:` references, and the compiled [`Predicate`] is evaluated in memory over
//! the loaded rows (health and NPS are derived in Rust, so this is where their values live).

pub mod ast;
pub mod columns;
pub mod compile;
pub mod eval;
pub mod lexer;
pub mod parser;
pub mod values;

pub use compile::{Context, compile};
pub use eval::Predicate;
pub use parser::parse;

use std::fmt;

/// A bad expression: where (1-based column) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub col: usize,
    pub message: String,
}

impl FilterError {
    /// An error at a column.
    pub fn new(col: usize, message: impl Into<String>) -> FilterError {
        FilterError {
            col,
            message: message.into(),
        }
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.col, self.message)
    }
}

impl std::error::Error for FilterError {}

/// Parses and compiles in one step.
pub fn build(input: &str, context: &Context<'_>) -> Result<Predicate, FilterError> {
    compile(&parse(input)?, context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::health::HealthModel;
    use crate::domain::{Account, AccountRow};
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn row() -> AccountRow {
        AccountRow::derive(
            1,
            Account {
                external_id: "A".into(),
                name: "Acme".into(),
                arr: Some(100),
                ..Account::default()
            },
            None,
            None,
            vec!["vip".into()],
            jiff::civil::date(2026, 11, 24),
            &HealthModel::default(),
        )
    }

    proptest! {
        #[test]
        fn the_parser_never_panics(input in any::<String>()) {
            let _ = parse(&input);
        }

        #[test]
        fn expression_shaped_input_never_panics(
            input in r#"(not |\(|\)| and | or |arr|renewal|tag:|segment:|region|"[a-z ]*"|[<>=!~]{1,2}|[0-9]{1,4}[dwkm%]?| in \(|,| )*"#
        ) {
            let segments = [("loop".to_owned(), "segment:loop".to_owned())];
            let keys = BTreeSet::new();
            let context = Context { segments: &segments, extra_keys: &keys };
            if let Ok(predicate) = build(&input, &context) {
                let _ = predicate.matches(&row());
            }
        }
    }
}
