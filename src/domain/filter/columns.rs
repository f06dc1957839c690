//! Filters over a million accounts without chasing every row through memory: the values a
//! filter reads are copied out column by column the first time a filter needs them (text and
//! fixed words coded by distinct value, so a comparison is decided once per value, not once
//! per account), and a compiled filter becomes a plan that walks those dense columns.
//!
//! Every comparison is decided by the same leaf functions row evaluation uses (`eval.rs`), so
//! the plan and [`Predicate::matches`] cannot answer differently; filters on names, ids, tag
//! text and imported columns still read the rows.

use super::ast::CmpOp;
use super::eval::{self, Predicate, Target};
use crate::domain::AccountRow;
use crate::domain::fields::Field;
use crate::domain::segment::{self, FacetValue, Stats, StatsPart, StatsSum};
use jiff::civil::Date;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Distinct values of one field (code 0 is "no value") and each row's code.
#[derive(Debug)]
struct Coded {
    dict: Vec<Option<String>>,
    codes: Vec<u32>,
}

impl Coded {
    fn build<'r>(
        rows: &'r [AccountRow],
        value: impl Fn(&'r AccountRow) -> Option<&'r str>,
    ) -> Coded {
        let mut builder = CodedBuilder::new();
        for row in rows {
            builder.push(value(row));
        }
        builder.finish()
    }

    /// Each code's answer to `leaf`.
    fn table(&self, leaf: impl Fn(Option<&str>) -> bool) -> Vec<bool> {
        self.dict.iter().map(|v| leaf(v.as_deref())).collect()
    }
}

/// A coded column being built, one row at a time.
struct CodedBuilder<'r> {
    dict: Vec<Option<String>>,
    seen: HashMap<&'r str, u32>,
    codes: Vec<u32>,
}

impl<'r> CodedBuilder<'r> {
    fn new() -> CodedBuilder<'r> {
        CodedBuilder {
            dict: vec![None],
            seen: HashMap::new(),
            codes: Vec::new(),
        }
    }

    fn push(&mut self, value: Option<&'r str>) {
        let code = match value {
            None => 0,
            Some(text) => *self.seen.entry(text).or_insert_with(|| {
                self.dict.push(Some(text.to_owned()));
                (self.dict.len() - 1) as u32
            }),
        };
        self.codes.push(code);
    }

    fn finish(self) -> Coded {
        Coded {
            dict: self.dict,
            codes: self.codes,
        }
    }
}

/// A number field per row; `present` is false where the account has no value.
#[derive(Debug)]
struct Numbers {
    values: Vec<f64>,
    present: Vec<bool>,
}

impl Numbers {
    fn get(&self, i: usize) -> Option<f64> {
        self.present[i].then(|| self.values[i])
    }
}

/// The columns built so far for one set of rows. Derived data: a clone starts empty and
/// every cache compares equal, so a book's equality is its rows'.
#[derive(Default)]
pub struct ColumnCache {
    coded: [OnceLock<Coded>; Field::ALL.len()],
    numbers: [OnceLock<Numbers>; Field::ALL.len()],
    days: [OnceLock<Vec<Option<i32>>>; Field::ALL.len()],
    dates: [OnceLock<Vec<Option<Date>>>; Field::ALL.len()],
    /// Lowercased tag → a bit per row.
    tags: OnceLock<HashMap<String, Vec<u64>>>,
    /// Each row's share of a segment's figures.
    parts: OnceLock<Vec<StatsPart>>,
}

impl ColumnCache {
    /// After the tags of the rows at `changed` changed (and nothing else): the tag bitsets, when
    /// built, are set again for those rows only, and any other column read from tags is let go.
    /// A whole segment retagged in a million accounts rebuilds nothing.
    pub fn retag(&mut self, rows: &[AccountRow], changed: &[usize]) {
        let at = slot(Field::Tags);
        self.coded[at] = OnceLock::new();
        self.numbers[at] = OnceLock::new();
        self.days[at] = OnceLock::new();
        self.dates[at] = OnceLock::new();
        if let Some(bits) = self.tags.get_mut() {
            let words = rows.len().div_ceil(64);
            for &i in changed {
                for set in bits.values_mut() {
                    set[i / 64] &= !(1 << (i % 64));
                }
                add_tags(bits, words, i, &rows[i]);
            }
        }
    }
}

impl Clone for ColumnCache {
    fn clone(&self) -> ColumnCache {
        ColumnCache::default()
    }
}

impl PartialEq for ColumnCache {
    fn eq(&self, _: &ColumnCache) -> bool {
        true
    }
}

impl std::fmt::Debug for ColumnCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ColumnCache")
    }
}

fn slot(field: Field) -> usize {
    Field::ALL.iter().position(|f| *f == field).unwrap_or(0)
}

/// Text fields with few distinct values: worth coding. Names and ids are nearly all distinct.
fn coded_text(field: Field) -> bool {
    matches!(
        field,
        Field::Industry | Field::Region | Field::Country | Field::Plan | Field::Owner
    )
}

impl ColumnCache {
    fn text(&self, rows: &[AccountRow], field: Field) -> &Coded {
        self.coded[slot(field)].get_or_init(|| Coded::build(rows, |r| eval::text_of(r, field)))
    }

    fn choice(&self, rows: &[AccountRow], field: Field) -> &Coded {
        self.coded[slot(field)].get_or_init(|| Coded::build(rows, |r| eval::choice_of(r, field)))
    }

    fn numbers(&self, rows: &[AccountRow], field: Field) -> &Numbers {
        self.numbers[slot(field)].get_or_init(|| {
            let values = rows.iter().map(|r| eval::number_of(r, field));
            Numbers {
                present: values.clone().map(|v| v.is_some()).collect(),
                values: values.map(|v| v.unwrap_or(0.0)).collect(),
            }
        })
    }

    fn days(&self, rows: &[AccountRow], field: Field) -> &[Option<i32>] {
        self.days[slot(field)]
            .get_or_init(|| rows.iter().map(|r| eval::days_of(r, field)).collect())
    }

    fn dates(&self, rows: &[AccountRow], field: Field) -> &[Option<Date>] {
        self.dates[slot(field)]
            .get_or_init(|| rows.iter().map(|r| eval::date_of(r, field)).collect())
    }

    fn parts(&self, rows: &[AccountRow]) -> &[StatsPart] {
        self.parts
            .get_or_init(|| rows.iter().map(StatsPart::of).collect())
    }

    /// The figures of the rows at `indices`, added up in that order.
    pub fn stats(&self, rows: &[AccountRow], indices: &[usize]) -> Stats {
        let parts = self.parts(rows);
        let mut sum = StatsSum::default();
        for &i in indices {
            sum.add(&parts[i]);
        }
        sum.finish()
    }

    /// [`segment::facet_stats`] from the field's coded column.
    pub fn facet_stats(&self, rows: &[AccountRow], field: Field) -> Vec<(FacetValue, Stats)> {
        let coded = self.text(rows, field);
        let parts = self.parts(rows);
        segment::facet_stats(field, &coded.dict, &coded.codes, |i| parts[i])
    }

    fn tag(&self, rows: &[AccountRow], tag: &str) -> Option<&[u64]> {
        self.tag_bits(rows).get(tag).map(Vec::as_slice)
    }

    /// Whether the tag bitsets are built.
    #[cfg(test)]
    pub(crate) fn has_tags(&self) -> bool {
        self.tags.get().is_some()
    }

    fn tag_bits(&self, rows: &[AccountRow]) -> &HashMap<String, Vec<u64>> {
        self.tags.get_or_init(|| {
            let mut bits: HashMap<String, Vec<u64>> = HashMap::new();
            let words = rows.len().div_ceil(64);
            for (i, row) in rows.iter().enumerate() {
                add_tags(&mut bits, words, i, row);
            }
            bits
        })
    }

    /// Each distinct value of a coded text field (region, industry, country, plan, owner), as
    /// written: what a completion offers, from the column once it is built.
    pub fn distinct_text(&self, rows: &[AccountRow], field: Field) -> Vec<String> {
        if !coded_text(field) {
            return Vec::new();
        }
        self.text(rows, field)
            .dict
            .iter()
            .flatten()
            .cloned()
            .collect()
    }

    /// Each tag the rows carry, as the first account carrying it writes it.
    pub fn tag_names(&self, rows: &[AccountRow]) -> Vec<String> {
        self.tag_bits(rows)
            .iter()
            .filter_map(|(lower, bits)| {
                let word = bits.iter().position(|w| *w != 0)?;
                let at = word * 64 + bits[word].trailing_zeros() as usize;
                rows.get(at)?
                    .tags
                    .iter()
                    .find(|t| t.to_lowercase() == *lower)
                    .cloned()
            })
            .collect()
    }
}

/// A column a filter or the figures read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Text(Field),
    Choice(Field),
    Number(Field),
    Days(Field),
    Date(Field),
    Tags,
    /// Each row's share of a segment's figures.
    Parts,
}

impl Need {
    /// Adds the columns evaluating `predicate` reads (those `Plan::new` asks for).
    pub fn of(predicate: &Predicate, out: &mut Vec<Need>) {
        let need = match predicate {
            Predicate::And(parts) | Predicate::Or(parts) => {
                parts.iter().for_each(|p| Need::of(p, out));
                return;
            }
            Predicate::Not(inner) => return Need::of(inner, out),
            Predicate::Text {
                target: Target::Field(field),
                ..
            } if coded_text(*field) => Need::Text(*field),
            Predicate::Choice { field, .. } => Need::Choice(*field),
            Predicate::Number { field, .. } => Need::Number(*field),
            Predicate::Days { field, .. } => Need::Days(*field),
            Predicate::Date { field, .. } => Need::Date(*field),
            Predicate::Tag(_) => Need::Tags,
            _ => return,
        };
        if !out.contains(&need) {
            out.push(need);
        }
    }
}

/// A column being built in [`ColumnCache::prepare`]'s walk.
enum Builder<'r> {
    Coded(Field, bool, CodedBuilder<'r>),
    Number(Field, Vec<f64>, Vec<bool>),
    Days(Field, Vec<Option<i32>>),
    Dates(Field, Vec<Option<Date>>),
    Tags(HashMap<String, Vec<u64>>),
    Parts(Vec<StatsPart>),
}

impl ColumnCache {
    /// Builds every column in `needs` not built yet, all in one walk over the rows: a million
    /// rows are read from memory once, not once per column.
    pub fn prepare(&self, rows: &[AccountRow], needs: &[Need]) {
        let mut builders: Vec<Builder<'_>> = Vec::new();
        for need in needs {
            let builder = match *need {
                Need::Text(f) | Need::Choice(f) if self.coded[slot(f)].get().is_none() => {
                    Builder::Coded(f, matches!(need, Need::Text(_)), CodedBuilder::new())
                }
                Need::Number(f) if self.numbers[slot(f)].get().is_none() => Builder::Number(
                    f,
                    Vec::with_capacity(rows.len()),
                    Vec::with_capacity(rows.len()),
                ),
                Need::Days(f) if self.days[slot(f)].get().is_none() => {
                    Builder::Days(f, Vec::with_capacity(rows.len()))
                }
                Need::Date(f) if self.dates[slot(f)].get().is_none() => {
                    Builder::Dates(f, Vec::with_capacity(rows.len()))
                }
                Need::Tags if self.tags.get().is_none() => Builder::Tags(HashMap::new()),
                Need::Parts if self.parts.get().is_none() => {
                    Builder::Parts(Vec::with_capacity(rows.len()))
                }
                _ => continue,
            };
            builders.push(builder);
        }
        if builders.is_empty() {
            return;
        }
        // A big book's columns are built by two threads, each walking the rows for every other
        // column (each thread still reads every row once, not once per column).
        if rows.len() >= PARALLEL_FROM && builders.len() > 1 {
            let (mut mine, mut others): (Vec<_>, Vec<_>) = builders
                .into_iter()
                .enumerate()
                .partition(|(at, _)| at % 2 == 0);
            std::thread::scope(|scope| {
                let second = scope.spawn(|| {
                    build(rows, others.iter_mut().map(|(_, b)| b));
                    others
                });
                build(rows, mine.iter_mut().map(|(_, b)| b));
                match second.join() {
                    Ok(built) => mine.extend(built),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            });
            builders = mine.into_iter().map(|(_, b)| b).collect();
        } else {
            build(rows, builders.iter_mut());
        }
        // Another thread may have built one meanwhile: either is the same column.
        for builder in builders {
            match builder {
                Builder::Coded(f, _, b) => drop(self.coded[slot(f)].set(b.finish())),
                Builder::Number(f, values, present) => {
                    drop(self.numbers[slot(f)].set(Numbers { values, present }))
                }
                Builder::Days(f, out) => drop(self.days[slot(f)].set(out)),
                Builder::Dates(f, out) => drop(self.dates[slot(f)].set(out)),
                Builder::Tags(bits) => drop(self.tags.set(bits)),
                Builder::Parts(out) => drop(self.parts.set(out)),
            }
        }
    }
}

/// From this many rows on, columns are built on two threads (a thread costs about as much as
/// walking this many rows for a few columns).
const PARALLEL_FROM: usize = 256;

/// Fills the builders from the rows, in one walk.
fn build<'r, 'b>(rows: &'r [AccountRow], builders: impl Iterator<Item = &'b mut Builder<'r>>)
where
    'r: 'b,
{
    let mut builders: Vec<&mut Builder<'r>> = builders.collect();
    let words = rows.len().div_ceil(64);
    for (i, row) in rows.iter().enumerate() {
        for builder in builders.iter_mut() {
            match builder {
                Builder::Coded(f, true, b) => b.push(eval::text_of(row, *f)),
                Builder::Coded(f, false, b) => b.push(eval::choice_of(row, *f)),
                Builder::Number(f, values, present) => {
                    let value = eval::number_of(row, *f);
                    present.push(value.is_some());
                    values.push(value.unwrap_or(0.0));
                }
                Builder::Days(f, out) => out.push(eval::days_of(row, *f)),
                Builder::Dates(f, out) => out.push(eval::date_of(row, *f)),
                Builder::Tags(bits) => add_tags(bits, words, i, row),
                Builder::Parts(out) => out.push(StatsPart::of(row)),
            }
        }
    }
}

/// Sets row `i`'s bit under each of its tags, lowercased.
fn add_tags(bits: &mut HashMap<String, Vec<u64>>, words: usize, i: usize, row: &AccountRow) {
    for t in &row.tags {
        // Most tags are lowercase ASCII already: found without making a lowercase copy.
        let found = if t.is_ascii() && !t.bytes().any(|b| b.is_ascii_uppercase()) {
            bits.get_mut(t.as_str())
        } else {
            None
        };
        let set = match found {
            Some(set) => set,
            None => bits
                .entry(t.to_lowercase())
                .or_insert_with(|| vec![0; words]),
        };
        set[i / 64] |= 1 << (i % 64);
    }
}

/// A filter ready to run over columns.
enum Plan<'a> {
    All,
    And(Vec<Plan<'a>>),
    Or(Vec<Plan<'a>>),
    Not(Box<Plan<'a>>),
    /// A coded field: the answer for each code, decided once.
    Coded {
        codes: &'a [u32],
        table: Vec<bool>,
    },
    Number {
        column: &'a Numbers,
        op: CmpOp,
        values: &'a [f64],
    },
    Days {
        column: &'a [Option<i32>],
        field: Field,
        op: CmpOp,
        days: i64,
    },
    Date {
        column: &'a [Option<Date>],
        op: CmpOp,
        date: Date,
    },
    /// Has a tag: its bits, or none when no account has it.
    Tag(Option<&'a [u64]>),
    /// Read from the row itself.
    Row(&'a Predicate),
}

impl<'a> Plan<'a> {
    fn new(predicate: &'a Predicate, rows: &'a [AccountRow], cache: &'a ColumnCache) -> Plan<'a> {
        let each = |parts: &'a [Predicate]| {
            parts
                .iter()
                .map(|p| Plan::new(p, rows, cache))
                .collect::<Vec<_>>()
        };
        match predicate {
            Predicate::All => Plan::All,
            Predicate::And(parts) => Plan::And(each(parts)),
            Predicate::Or(parts) => Plan::Or(each(parts)),
            Predicate::Not(inner) => Plan::Not(Box::new(Plan::new(inner, rows, cache))),
            Predicate::Text {
                target: Target::Field(field),
                op,
                values,
            } if coded_text(*field) => {
                let coded = cache.text(rows, *field);
                Plan::Coded {
                    codes: &coded.codes,
                    table: coded.table(|v| eval::text_leaf(*op, values, v)),
                }
            }
            Predicate::Choice {
                field,
                values,
                negate,
            } => {
                let coded = cache.choice(rows, *field);
                Plan::Coded {
                    codes: &coded.codes,
                    table: coded.table(|v| eval::choice_leaf(values, *negate, v)),
                }
            }
            Predicate::Number { field, op, values } => Plan::Number {
                column: cache.numbers(rows, *field),
                op: *op,
                values,
            },
            Predicate::Days { field, op, days } => Plan::Days {
                column: cache.days(rows, *field),
                field: *field,
                op: *op,
                days: *days,
            },
            Predicate::Date { field, op, date } => Plan::Date {
                column: cache.dates(rows, *field),
                op: *op,
                date: *date,
            },
            Predicate::Tag(tag) => Plan::Tag(cache.tag(rows, tag)),
            other => Plan::Row(other),
        }
    }

    fn matches(&self, i: usize, rows: &[AccountRow]) -> bool {
        match self {
            Plan::All => true,
            Plan::And(parts) => parts.iter().all(|p| p.matches(i, rows)),
            Plan::Or(parts) => parts.iter().any(|p| p.matches(i, rows)),
            Plan::Not(inner) => !inner.matches(i, rows),
            Plan::Coded { codes, table } => table[codes[i] as usize],
            Plan::Number { column, op, values } => eval::number_leaf(*op, values, column.get(i)),
            Plan::Days {
                column,
                field,
                op,
                days,
            } => eval::days_leaf(*field, *op, *days, column[i]),
            Plan::Date { column, op, date } => eval::date_leaf(*op, *date, column[i]),
            Plan::Tag(bits) => bits.is_some_and(|b| b[i / 64] & (1 << (i % 64)) != 0),
            Plan::Row(predicate) => predicate.matches(&rows[i]),
        }
    }
}

/// The indices of the rows `predicate` selects, in row order: what filtering every row with
/// [`Predicate::matches`] gives, read from `cache`'s columns (built on first need).
pub fn matching(predicate: &Predicate, rows: &[AccountRow], cache: &ColumnCache) -> Vec<usize> {
    if *predicate == Predicate::All {
        return (0..rows.len()).collect();
    }
    // The columns this filter needs and does not have yet, in one walk over the rows.
    let mut needs = Vec::new();
    Need::of(predicate, &mut needs);
    cache.prepare(rows, &needs);
    let plan = Plan::new(predicate, rows, cache);
    (0..rows.len()).filter(|&i| plan.matches(i, rows)).collect()
}
