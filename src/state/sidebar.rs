//! The segment sidebar: every segment and facet value with its live figures.

use crate::domain::book::Book;
use crate::domain::filter::Predicate;
use crate::domain::segment::{FACET_FIELDS, Stats};

/// What a sidebar line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A group heading; the cursor skips it.
    Heading,
    /// Every account.
    All,
    /// A named segment (built-in or saved): applied by name.
    Segment,
    /// A facet value (region = EMEA): a drill-down.
    Facet,
}

/// One line of the sidebar.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: EntryKind,
    pub label: String,
    /// The expression applying it selects (empty for All and headings).
    pub expression: String,
    pub stats: Stats,
    /// Why a saved segment cannot be computed (it refers to something gone).
    pub error: Option<String>,
}

/// The sidebar's lines and cursor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sidebar {
    pub entries: Vec<Entry>,
    pub cursor: usize,
    pub offset: usize,
}

impl Sidebar {
    /// Builds every line from the book: All, saved segments, the built-in groups, then facets.
    pub fn build(book: &Book) -> Sidebar {
        let compiled: Vec<_> = book
            .segments
            .iter()
            .map(|s| (s, book.compile(&s.expression)))
            .collect();
        let predicates: Vec<_> = compiled
            .iter()
            .filter_map(|(_, p)| p.as_ref().ok())
            .collect();
        book.prepare(&predicates, &FACET_FIELDS);
        // Facets on a second core while the segments are counted, from the columns just built.
        std::thread::scope(|scope| {
            let facets = scope.spawn(|| facet_entries(book));
            let mut entries = vec![Entry {
                kind: EntryKind::All,
                label: "All accounts".into(),
                expression: String::new(),
                stats: book.stats(&crate::domain::filter::Predicate::All),
                error: None,
            }];
            let mut groups: Vec<&str> = Vec::new();
            for s in book.segments.iter().filter(|s| !s.builtin) {
                if !groups.contains(&s.group.as_str()) {
                    groups.push(&s.group);
                }
            }
            for s in book.segments.iter().filter(|s| s.builtin) {
                if !groups.contains(&s.group.as_str()) {
                    groups.push(&s.group);
                }
            }
            for group in groups {
                entries.push(heading(group));
                for (s, predicate) in compiled.iter().filter(|(s, _)| s.group == group) {
                    let (stats, error) = match predicate {
                        Ok(p) => (book.stats(p), None),
                        Err(e) => (Stats::default(), Some(e.to_string())),
                    };
                    entries.push(Entry {
                        kind: EntryKind::Segment,
                        label: s.name.clone(),
                        expression: s.expression.clone(),
                        stats,
                        error,
                    });
                }
            }
            entries.extend(
                facets
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
            Sidebar {
                entries,
                cursor: 0,
                offset: 0,
            }
        })
    }
}

/// The facet headings and values, with their figures.
impl Sidebar {
    /// Counts again the entries whose filter `pick` names (those that read tags, after a tag
    /// change), leaving the rest as counted: a million accounts are walked for those only.
    pub fn recount_where(&mut self, book: &Book, pick: impl Fn(&Predicate) -> bool) {
        let mut again: Vec<(usize, Predicate)> = Vec::new();
        for (at, entry) in self.entries.iter().enumerate() {
            if !matches!(entry.kind, EntryKind::Segment | EntryKind::Facet) {
                continue;
            }
            if let Ok(predicate) = book.compile(&entry.expression)
                && pick(&predicate)
            {
                again.push((at, predicate));
            }
        }
        let predicates: Vec<&Predicate> = again.iter().map(|(_, p)| p).collect();
        book.prepare(&predicates, &[]);
        for (at, predicate) in &again {
            self.entries[*at].stats = book.stats(predicate);
        }
    }
}

fn facet_entries(book: &Book) -> Vec<Entry> {
    let mut entries = Vec::new();
    for field in FACET_FIELDS {
        let values = book.facet_stats(field);
        if values.is_empty() {
            continue;
        }
        let mut name = field.name().to_owned();
        if let Some(first) = name.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        entries.push(heading(&name));
        for (value, stats) in values {
            let expression = value.expression();
            entries.push(Entry {
                kind: EntryKind::Facet,
                label: value.value,
                expression,
                stats,
                error: None,
            });
        }
    }
    entries
}

impl Sidebar {
    /// The entry under the cursor.
    pub fn selected(&self) -> Option<&Entry> {
        self.entries.get(self.cursor)
    }

    /// Moves the cursor by `delta` selectable entries, skipping headings.
    pub fn move_by(&mut self, delta: isize) {
        let selectable: Vec<usize> = (0..self.entries.len())
            .filter(|&i| self.entries[i].kind != EntryKind::Heading)
            .collect();
        let Some(position) = selectable.iter().position(|&i| i >= self.cursor) else {
            return;
        };
        let target = position
            .saturating_add_signed(delta)
            .min(selectable.len() - 1);
        self.cursor = selectable[target];
    }

    /// Puts the cursor on the entry with this label and kind, if there is one.
    pub fn select(&mut self, kind: EntryKind, label: &str) {
        if let Some(i) = self
            .entries
            .iter()
            .position(|e| e.kind == kind && e.label == label)
        {
            self.cursor = i;
        }
    }

    /// Keeps the cursor within `rows` lines of the visible window.
    pub fn scroll_into_view(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.cursor < self.offset {
            // Show the heading above the first entry of a group too.
            self.offset = self.cursor.saturating_sub(1);
        } else if self.cursor >= self.offset + rows {
            self.offset = self.cursor + 1 - rows;
        }
    }
}

fn heading(label: &str) -> Entry {
    Entry {
        kind: EntryKind::Heading,
        label: label.to_owned(),
        expression: String::new(),
        stats: Stats::default(),
        error: None,
    }
}
