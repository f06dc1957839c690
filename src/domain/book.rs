//! The loaded book of business: every account row, plus what filters can refer to (segments
//! by name, the extra columns imports kept). The CLI and the dashboard both work from this.

use crate::domain::AccountRow;
use crate::domain::fields::{Field, compare_rows, sorted_order};
use crate::domain::filter::columns::{ColumnCache, Need};
use crate::domain::filter::{self, Context, FilterError, Predicate};
use crate::domain::segment::{self, Segment};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The most memory [`Book::prepare_tags`] spends on tag bitsets ahead of any tag filter.
pub const PREPARED_TAG_BYTES: usize = 64 << 20;

/// The longest segment name accepted.
pub const MAX_SEGMENT_NAME: usize = 60;

/// Rows and the vocabulary of filters over them.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    /// Private so that every change goes through [`Book::rows_mut`] or [`Book::set_tags`],
    /// which keep the columns built from them true. Shared with an export being written on
    /// the writer thread: a change while it is written would copy them all (the dashboard
    /// lets none happen meanwhile).
    rows: Arc<Vec<AccountRow>>,
    /// Built-in segments, then saved ones.
    pub segments: Vec<Segment>,
    /// Every key of every account's extra columns.
    pub extra_keys: BTreeSet<String>,
    named: Vec<(String, String)>,
    /// The rows' values column by column, for filtering (built as filters need them).
    columns: ColumnCache,
    /// The sort the list is known to be in (none after any other change to the rows).
    order: Option<(Field, bool)>,
    /// The sort the rows themselves are in, as read.
    stored: Option<(Field, bool)>,
    /// The rows' places in the list's order, when that is not the rows' own: a sort of a
    /// million accounts orders their places and moves no account, so every filter column
    /// and every queue item's place stays good.
    shown: Option<Vec<usize>>,
}

impl Book {
    /// A book over these rows with the built-in catalog and the given saved segments.
    pub fn new(rows: Vec<AccountRow>, saved: &[(String, String)]) -> Book {
        let mut segments = segment::builtin();
        segments.extend(saved.iter().map(|(n, e)| segment::saved(n, e)));
        let extra_keys = rows
            .iter()
            .flat_map(|r| r.account.extra.keys().cloned())
            .collect();
        let named = segments
            .iter()
            .map(|s| (s.name.clone(), s.expression.clone()))
            .collect();
        Book {
            rows: Arc::new(rows),
            segments,
            extra_keys,
            named,
            columns: ColumnCache::default(),
            order: None,
            stored: None,
            shown: None,
        }
    }

    /// [`Book::new`] over rows already sorted by `order` (as `sort_rows` sorts), so that
    /// showing them in that order costs nothing.
    pub fn new_in_order(
        rows: Vec<AccountRow>,
        saved: &[(String, String)],
        order: (Field, bool),
    ) -> Book {
        debug_assert!(rows.is_sorted_by(|a, b| compare_rows(a, b, order.0, order.1).is_le()));
        let mut book = Book::new(rows, saved);
        book.order = Some(order);
        book.stored = Some(order);
        book
    }

    /// Lists the rows in this order (nothing to do when they already are); the rows stay
    /// where they are.
    pub fn sort(&mut self, field: Field, descending: bool) {
        let order = Some((field, descending));
        if self.order == order {
            return;
        }
        self.shown = if self.stored == order {
            None
        } else {
            Some(sorted_order(&self.rows, field, descending))
        };
        self.order = order;
    }

    /// Every account, in the order the book keeps them.
    pub fn rows(&self) -> &[AccountRow] {
        &self.rows
    }

    /// The rows themselves, for another thread to read without a copy (an export).
    pub fn shared_rows(&self) -> Arc<Vec<AccountRow>> {
        Arc::clone(&self.rows)
    }

    /// The rows, to change or reorder; the filter columns built from them are dropped. Copies
    /// every row first if an export still holds them.
    pub fn rows_mut(&mut self) -> &mut Vec<AccountRow> {
        self.columns = ColumnCache::default();
        self.order = None;
        self.stored = None;
        self.shown = None;
        Arc::make_mut(&mut self.rows)
    }

    /// Gives these accounts (by key) these tags, keeping every filter column: the tag column
    /// is set again for those rows only.
    pub fn set_tags(&mut self, changed: &std::collections::HashMap<i64, Vec<String>>) {
        if changed.is_empty() {
            return;
        }
        let mut at = Vec::with_capacity(changed.len());
        for (i, row) in Arc::make_mut(&mut self.rows).iter_mut().enumerate() {
            if let Some(tags) = changed.get(&row.key) {
                row.tags.clone_from(tags);
                at.push(i);
            }
        }
        self.columns.retag(&self.rows, &at);
        if self.order.is_some_and(|(field, _)| field == Field::Tags) {
            self.order = None;
        }
    }

    /// What `compile` resolves names against.
    pub fn context(&self) -> Context<'_> {
        Context {
            segments: &self.named,
            extra_keys: &self.extra_keys,
        }
    }

    /// Parses and checks an expression against this book.
    pub fn compile(&self, expression: &str) -> Result<Predicate, FilterError> {
        filter::build(expression, &self.context())
    }

    /// A segment by name (case-insensitive; spaces, `-` and `_` alike).
    pub fn segment(&self, name: &str) -> Option<&Segment> {
        let key = filter::compile::segment_key(name);
        self.segments
            .iter()
            .find(|s| filter::compile::segment_key(&s.name) == key)
    }

    /// Replaces the saved segments (after one was saved or removed).
    pub fn set_saved(&mut self, saved: &[(String, String)]) {
        self.segments.retain(|s| s.builtin);
        self.segments
            .extend(saved.iter().map(|(n, e)| segment::saved(n, e)));
        self.named = self
            .segments
            .iter()
            .map(|s| (s.name.clone(), s.expression.clone()))
            .collect();
    }

    /// Checks that `expression` can be saved as `name`: not a built-in's name, and valid in a
    /// book where the name already means it (so a segment that refers to itself is a cycle).
    /// Returns how many accounts it holds, and the saved segment it replaces, if any.
    pub fn check_new_segment(
        &self,
        name: &str,
        expression: &str,
    ) -> Result<(usize, Option<String>), String> {
        let name = name.trim();
        if name.is_empty()
            || name.chars().count() > MAX_SEGMENT_NAME
            || name.chars().any(char::is_control)
        {
            return Err(format!(
                "segment names are 1-{MAX_SEGMENT_NAME} printable characters: {name:?} is not"
            ));
        }
        let existing = self.segment(name);
        if let Some(builtin) = existing.filter(|s| s.builtin) {
            return Err(format!(
                "'{}' is a built-in segment: choose another name",
                builtin.name
            ));
        }
        let key = filter::compile::segment_key(name);
        let mut named: Vec<(String, String)> = self
            .named
            .iter()
            .filter(|(n, _)| filter::compile::segment_key(n) != key)
            .cloned()
            .collect();
        named.push((name.to_owned(), expression.to_owned()));
        let context = Context {
            segments: &named,
            extra_keys: &self.extra_keys,
        };
        let predicate =
            filter::build(expression, &context).map_err(|e| format!("{expression:?}: {e}"))?;
        Ok((
            self.matching(&predicate).len(),
            existing.map(|s| s.name.clone()),
        ))
    }

    /// Checks that a saved segment can be removed: it exists, is not built in, and no other
    /// saved segment uses it. Returns its stored name.
    pub fn check_remove_segment(&self, name: &str) -> Result<String, String> {
        let Some(segment) = self.segment(name) else {
            return Err(format!("no segment is named '{name}'"));
        };
        if segment.builtin {
            return Err(format!(
                "'{}' is a built-in segment and cannot be removed",
                segment.name
            ));
        }
        let key = filter::compile::segment_key(&segment.name);
        let named: Vec<(String, String)> = self
            .named
            .iter()
            .filter(|(n, _)| filter::compile::segment_key(n) != key)
            .cloned()
            .collect();
        let context = Context {
            segments: &named,
            extra_keys: &self.extra_keys,
        };
        for other in self
            .segments
            .iter()
            .filter(|s| !s.builtin && s.name != segment.name)
        {
            if self.compile(&other.expression).is_ok()
                && filter::build(&other.expression, &context).is_err()
            {
                return Err(format!(
                    "segment '{}' uses '{}': change or remove it first",
                    other.name, segment.name
                ));
            }
        }
        Ok(segment.name.clone())
    }

    /// The rows a predicate matches, in row order, taken out of the book.
    pub fn into_matching(self, predicate: &Predicate) -> Vec<AccountRow> {
        let mut keep = vec![false; self.rows.len()];
        for i in self.matching(predicate) {
            keep[i] = true;
        }
        Arc::try_unwrap(self.rows)
            .unwrap_or_else(|shared| shared.as_ref().clone())
            .into_iter()
            .zip(keep)
            .filter_map(|(row, kept)| kept.then_some(row))
            .collect()
    }

    /// Builds, in one walk over the rows, the columns these filters and the figures read.
    pub fn prepare(&self, predicates: &[&Predicate], facets: &[Field]) {
        let mut needs = vec![Need::Parts];
        needs.extend(facets.iter().map(|f| Need::Text(*f)));
        for p in predicates {
            Need::of(p, &mut needs);
        }
        self.columns.prepare(&self.rows, &needs);
    }

    /// Builds every account's tags into bitsets now: a book read on another thread comes with
    /// them, so the first tag filter or `tag:` Tab over a million accounts does not wait for
    /// them on the UI thread (about 0.25 s). A bitset is a bit per account for each distinct
    /// tag: when they would take more than [`PREPARED_TAG_BYTES`] (thousands of tags on a big
    /// book), nothing is built until a filter needs them.
    pub fn prepare_tags(&self) {
        let distinct: std::collections::HashSet<&str> = self
            .rows
            .iter()
            .flat_map(|r| r.tags.iter().map(String::as_str))
            .collect();
        let bytes = distinct.len() * self.rows.len().div_ceil(64) * 8;
        if bytes <= PREPARED_TAG_BYTES {
            self.columns.prepare(&self.rows, &[Need::Tags]);
        }
    }

    /// The figures (count, ARR, health, NPS) of the rows a predicate matches.
    pub fn stats(&self, predicate: &Predicate) -> segment::Stats {
        self.stats_of(&self.matching(predicate))
    }

    /// The figures of the rows at `indices` (from [`Book::matching`]).
    pub fn stats_of(&self, indices: &[usize]) -> segment::Stats {
        self.columns.stats(&self.rows, indices)
    }

    /// Each value of a facet field with its figures (see [`segment::facet_stats`]).
    pub fn facet_stats(&self, field: Field) -> Vec<(segment::FacetValue, segment::Stats)> {
        self.columns.facet_stats(&self.rows, field)
    }

    /// Each distinct value of a coded text field, as written (for completions).
    pub fn distinct_text(&self, field: Field) -> Vec<String> {
        self.columns.distinct_text(&self.rows, field)
    }

    /// Each tag in the book, once (for completions).
    pub fn tag_names(&self) -> Vec<String> {
        self.columns.tag_names(&self.rows)
    }

    /// Indices of the rows a predicate matches, in the order the list shows them.
    pub fn matching(&self, predicate: &Predicate) -> Vec<usize> {
        let matched = filter::columns::matching(predicate, &self.rows, &self.columns);
        let Some(shown) = &self.shown else {
            return matched;
        };
        if matched.len() == self.rows.len() {
            return shown.clone();
        }
        let mut bits = vec![0u64; self.rows.len().div_ceil(64)];
        for &at in &matched {
            bits[at / 64] |= 1 << (at % 64);
        }
        shown
            .iter()
            .copied()
            .filter(|&at| bits[at / 64] & (1 << (at % 64)) != 0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagged(accounts: usize, tags_each: usize) -> Book {
        let rows = (0..accounts)
            .map(|i| {
                let tags = (0..tags_each).map(|t| format!("t{i}-{t}")).collect();
                let today = jiff::civil::date(2026, 12, 3);
                let model = crate::domain::health::HealthModel::default();
                AccountRow::derive(
                    i as i64,
                    Default::default(),
                    None,
                    None,
                    tags,
                    today,
                    &model,
                )
            })
            .collect();
        Book::new(rows, &[])
    }

    #[test]
    fn tags_are_prepared_unless_their_bitsets_would_be_too_big() {
        let book = tagged(100, 1);
        book.prepare_tags();
        assert!(book.columns.has_tags());
        assert_eq!(book.tag_names().len(), 100);
        // A distinct tag per account: 100k tags of 100k bits each.
        let book = tagged(100_000, 1);
        const { assert!(100_000 * 100_000 / 8 > PREPARED_TAG_BYTES) };
        book.prepare_tags();
        assert!(!book.columns.has_tags());
        // Built once a filter needs them, all the same.
        let tag = book.compile("tag:t7-0").unwrap();
        assert_eq!(book.matching(&tag), vec![7]);
        assert!(book.columns.has_tags());
    }
}
