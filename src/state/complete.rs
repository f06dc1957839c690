//! Tab completion in the filter line: field names, operators' values (known regions, industries,
//! plans, owners, choice words), tag names and segment names, from the book itself.

use crate::domain::book::Book;
use crate::domain::fields::Field;
use crate::domain::filter::compile::choices;
use crate::domain::segment::quote;
use std::collections::{BTreeSet, HashSet};

/// What can replace the word before the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Char index where the word being completed starts.
    pub start: usize,
    /// Full replacements for the word, sorted.
    pub candidates: Vec<String>,
}

impl Completion {
    /// The longest text every candidate starts with (case-insensitively).
    pub fn common_prefix(&self) -> String {
        common_prefix(&self.candidates)
    }
}

/// The longest text all `candidates` start with, ignoring case, in the first one's spelling:
/// what Tab can fill in when more than one word fits.
pub fn common_prefix<S: AsRef<str>>(candidates: &[S]) -> String {
    let Some(first) = candidates.first() else {
        return String::new();
    };
    let mut prefix: Vec<char> = first.as_ref().chars().collect();
    for other in &candidates[1..] {
        let matched = prefix
            .iter()
            .zip(other.as_ref().chars())
            .take_while(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
            .count();
        prefix.truncate(matched);
    }
    prefix.into_iter().collect()
}

fn is_boundary(ch: char) -> bool {
    ch.is_whitespace() || matches!(ch, '(' | ')' | ',' | '=' | '<' | '>' | '!' | '~' | ':')
}

const OPERATOR_CHARS: [char; 5] = ['=', '<', '>', '!', '~'];

/// Completes the word ending at `cursor` (a char index) in `text`.
pub fn complete(text: &str, cursor: usize, book: &Book) -> Completion {
    let chars: Vec<char> = text.chars().collect();
    let cursor = cursor.min(chars.len());
    let mut start = cursor;
    let quoted = |start: usize| start > 0 && chars[start - 1] == '"';
    while start > 0 && !is_boundary(chars[start - 1]) && chars[start - 1] != '"' {
        start -= 1;
    }
    if quoted(start) {
        start -= 1;
    }
    let word: String = chars[start..cursor].iter().collect();
    let partial = word.trim_start_matches('"').to_lowercase();
    let raw_before: String = chars[..start].iter().collect();
    let before = raw_before.trim_end();

    let mut pool: BTreeSet<String> = BTreeSet::new();
    if before.to_ascii_lowercase().ends_with("tag:") {
        // From the tag column a `tag:` filter uses too: built once, not a walk per Tab.
        pool.extend(book.tag_names().iter().map(|t| quote(t)));
    } else if before.to_ascii_lowercase().ends_with("segment:") {
        pool.extend(book.segments.iter().map(|s| quote(&s.name)));
    } else if let Some(field) = value_context(before) {
        pool.extend(values_of(book, &field));
    } else if after_field(&raw_before, book) {
        // A field was just typed: what can follow it.
        pool.extend(["=", "!=", "<", "<=", ">", ">=", "~", "in ("].map(str::to_owned));
    } else {
        pool.extend(Field::ALL.iter().map(|f| f.name().to_owned()));
        pool.extend(book.extra_keys.iter().map(|k| quote(k)));
        pool.extend(["and", "or", "not", "in", "tag:", "segment:"].map(str::to_owned));
    }
    let mut candidates: Vec<String> = pool
        .into_iter()
        .filter(|c| {
            c.trim_start_matches('"')
                .to_lowercase()
                .starts_with(&partial)
        })
        .collect();
    candidates.sort_by_key(|c| c.to_lowercase());
    Completion { start, candidates }
}

/// Whether the text before the word ends with a field name (so an operator comes next).
fn after_field(before: &str, book: &Book) -> bool {
    if before.is_empty() || !before.ends_with(char::is_whitespace) && !before.ends_with('"') {
        return false;
    }
    let trimmed = before.trim_end();
    let word = if let Some(body) = trimmed.strip_suffix('"') {
        body.rfind('"').map_or(body, |i| &body[i + 1..])
    } else {
        trimmed
            .rsplit(|c: char| is_boundary(c))
            .next()
            .unwrap_or_default()
    };
    Field::parse(word).is_some() || book.extra_keys.contains(word)
}

/// The field whose value is being typed, when the text before the word ends in an operator or
/// an `in (` list.
fn value_context(before: &str) -> Option<String> {
    let trimmed = before.trim_end();
    let lower = trimmed.to_ascii_lowercase();
    let field_before = |text: &str| -> Option<String> {
        let text = text.trim_end();
        let quoted = text.ends_with('"');
        let body = if quoted {
            &text[..text.len() - 1]
        } else {
            text
        };
        let start = if quoted {
            body.rfind('"').map_or(0, |i| i + 1)
        } else {
            body.rfind(|c: char| is_boundary(c)).map_or(0, |i| i + 1)
        };
        let name = body[start..].trim();
        (!name.is_empty()).then(|| name.to_owned())
    };
    if trimmed.ends_with(OPERATOR_CHARS) {
        let field_end = trimmed.trim_end_matches(OPERATOR_CHARS);
        return field_before(field_end);
    }
    // Inside `field in (a, b, ` or `field in (`.
    if trimmed.ends_with('(') || trimmed.ends_with(',') {
        let open = lower.rfind('(')?;
        let head = lower[..open].trim_end();
        let in_at = head.strip_suffix("in")?;
        if !in_at.ends_with(|c: char| c.is_whitespace()) {
            return None;
        }
        let in_at = in_at.trim_end();
        let in_at = in_at.strip_suffix("not").map_or(in_at, str::trim_end);
        return field_before(&trimmed[..in_at.len()]);
    }
    None
}

fn values_of(book: &Book, field: &str) -> Vec<String> {
    let Some(field) = Field::parse(field) else {
        let key = field.trim_start_matches("extra.");
        let values: HashSet<&str> = book
            .rows()
            .iter()
            .filter_map(|row| match row.account.extra.get(key) {
                Some(serde_json::Value::String(v)) => Some(v.as_str()),
                _ => None,
            })
            .collect();
        return values.into_iter().map(quote).collect();
    };
    let words = choices(field);
    if !words.is_empty() {
        return words
            .iter()
            .map(|w| (*w).to_owned())
            .chain(["none".to_owned()])
            .collect();
    }
    // From the column a filter on the field uses too: built once, not a walk per Tab.
    let mut values: BTreeSet<String> = book.distinct_text(field).iter().map(|v| quote(v)).collect();
    if matches!(
        field,
        Field::Renewal | Field::LastLogin | Field::ContractStart
    ) {
        values.extend(["7d", "14d", "30d", "60d", "90d"].map(str::to_owned));
    }
    values.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::health::HealthModel;
    use crate::domain::{Account, AccountRow};

    fn book() -> Book {
        let today = jiff::civil::date(2026, 11, 24);
        let row = |id: &str, region: &str, owner: &str, tag: &str| {
            AccountRow::derive(
                1,
                Account {
                    external_id: id.into(),
                    name: id.into(),
                    region: Some(region.into()),
                    owner: Some(owner.into()),
                    ..Account::default()
                },
                None,
                None,
                vec![tag.into()],
                today,
                &HealthModel::default(),
            )
        };
        Book::new(
            vec![
                row("A", "EMEA", "Zoë Åberg", "Q1 focus"),
                row("B", "APAC", "Sam", "vip"),
            ],
            &[],
        )
    }

    #[test]
    fn completes_fields_values_tags_and_segments() {
        let book = book();
        let c = complete("reg", 3, &book);
        assert_eq!(
            (c.start, c.candidates.clone()),
            (0, vec!["region".to_owned()])
        );
        let c = complete("region = E", 10, &book);
        assert_eq!(c.candidates, ["EMEA"]);
        assert_eq!(c.start, 9);
        let c = complete("region in (EMEA, ", 17, &book);
        assert_eq!(c.candidates, ["APAC", "EMEA"]);
        let c = complete("owner = z", 9, &book);
        assert_eq!(c.candidates, ["\"Zoë Åberg\""]);
        let c = complete("tag:q", 5, &book);
        assert_eq!(c.candidates, ["\"Q1 focus\""]);
        let c = complete("segment:upsell", 14, &book);
        assert_eq!(c.candidates, ["\"upsell candidates\""]);
        let c = complete("tier = ", 7, &book);
        assert!(c.candidates.contains(&"hybrid".to_owned()));
        let c = complete("renew", 5, &book);
        assert_eq!(c.common_prefix(), "renewal");
        let c = complete("arr ", 4, &book);
        assert!(c.candidates.contains(&">=".to_owned()), "{c:?}");
        let c = complete("arr >", 5, &book);
        assert!(!c.candidates.contains(&"=".to_owned()), "{c:?}");
    }
}
