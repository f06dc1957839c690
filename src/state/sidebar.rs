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
        Sidebar::build_with(book, None)
    }

    /// [`Sidebar::build`], taking the figures of `counted` (over the same rows) wherever a
    /// segment's filter is one counted there: after a segment is saved or removed, a million
    /// accounts are walked for the new one only.
    pub fn build_with(book: &Book, counted: Option<&Counted>) -> Sidebar {
        let compiled: Vec<_> = book
            .segments
            .iter()
            .map(|s| {
                let predicate = book.compile(&s.expression);
                let known = match (&predicate, counted) {
                    (Ok(p), Some(counted)) => counted.stats_of(p),
                    _ => None,
                };
                (s, predicate, known)
            })
            .collect();
        let predicates: Vec<_> = compiled
            .iter()
            .filter(|(_, _, known)| known.is_none())
            .filter_map(|(_, p, _)| p.as_ref().ok())
            .collect();
        let facet_fields: &[_] = if counted.is_some() {
            &[]
        } else {
            &FACET_FIELDS
        };
        book.prepare(&predicates, facet_fields);
        // Facets on a second core while the segments are counted, from the columns just built.
        std::thread::scope(|scope| {
            let facets = scope.spawn(|| match counted {
                Some(counted) => counted.facets.clone(),
                None => facet_entries(book),
            });
            let all = match counted {
                Some(counted) => counted.all,
                None => book.stats(&Predicate::All),
            };
            let mut entries = vec![Entry {
                kind: EntryKind::All,
                label: "All accounts".into(),
                expression: String::new(),
                stats: all,
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
                for (s, predicate, known) in compiled.iter().filter(|(s, _, _)| s.group == group) {
                    let (stats, error) = match (predicate, known) {
                        (Ok(_), Some(stats)) => (*stats, None),
                        (Ok(p), None) => (book.stats(p), None),
                        (Err(e), _) => (Stats::default(), Some(e.to_string())),
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

/// What a sidebar counted, for one built again over the same rows: each segment's filter
/// with its figures, all accounts, and the facets.
#[derive(Debug, Clone)]
pub struct Counted {
    segments: Vec<(Predicate, Stats)>,
    all: Stats,
    facets: Vec<Entry>,
}

impl Counted {
    fn stats_of(&self, predicate: &Predicate) -> Option<Stats> {
        self.segments
            .iter()
            .find(|(p, _)| p == predicate)
            .map(|(_, stats)| *stats)
    }
}

impl Sidebar {
    /// Its figures, filters compiled against `book` (the catalog they were counted with).
    pub fn counted(&self, book: &Book) -> Counted {
        let segments = self
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Segment && e.error.is_none())
            .filter_map(|e| Some((book.compile(&e.expression).ok()?, e.stats)))
            .collect();
        let all = self
            .entries
            .iter()
            .find(|e| e.kind == EntryKind::All)
            .map(|e| e.stats)
            .unwrap_or_else(|| book.stats(&Predicate::All));
        // The facets come last, each value under its field's heading.
        let facets = match self.entries.iter().position(|e| e.kind == EntryKind::Facet) {
            Some(first) => self.entries[first.saturating_sub(1)..].to_vec(),
            None => Vec::new(),
        };
        Counted {
            segments,
            all,
            facets,
        }
    }

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

/// The facet headings and values, with their figures.
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
