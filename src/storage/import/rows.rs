//! A file's data rows kept as one text buffer and the cells' boundaries: a million rows of
//! sixteen cells are a few allocations, not sixteen million strings.

/// Rows of text cells, each with the line it starts on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    /// Every cell's text, one after another.
    text: String,
    /// Where each cell ends in `text`, row after row.
    ends: Vec<usize>,
    /// Per row: its line, and where its cells end in `ends`.
    rows: Vec<(u64, usize)>,
}

/// One row's cells, borrowed from its [`Rows`].
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The 1-based line of the file where the row starts.
    pub line: u64,
    text: &'a str,
    /// Where the row's first cell starts in `text`.
    start: usize,
    ends: &'a [usize],
}

impl Rows {
    /// Adds a row of cells.
    pub fn push<'c>(&mut self, line: u64, cells: impl IntoIterator<Item = &'c str>) {
        for cell in cells {
            self.text.push_str(cell);
            self.ends.push(self.text.len());
        }
        self.rows.push((line, self.ends.len()));
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The row at `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<Row<'_>> {
        let &(line, last) = self.rows.get(index)?;
        let first = match index {
            0 => 0,
            _ => self.rows[index - 1].1,
        };
        let start = match first {
            0 => 0,
            _ => self.ends[first - 1],
        };
        Some(Row {
            line,
            text: &self.text,
            start,
            ends: &self.ends[first..last],
        })
    }

    /// The last row, if there is one.
    pub fn last(&self) -> Option<Row<'_>> {
        self.get(self.rows.len().checked_sub(1)?)
    }

    /// Drops the last row.
    pub fn pop(&mut self) {
        if self.rows.pop().is_none() {
            return;
        }
        let first = self.rows.last().map_or(0, |&(_, last)| last);
        self.ends.truncate(first);
        self.text.truncate(self.ends.last().copied().unwrap_or(0));
    }

    /// Every row, in order.
    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.rows.len()).filter_map(|i| self.get(i))
    }
}

impl<'a> Row<'a> {
    /// How many cells the row has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the row has no cell.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The cell at `index`, if the row is that long.
    pub fn get(&self, index: usize) -> Option<&'a str> {
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => self.start,
            _ => self.ends[index - 1],
        };
        self.text.get(start..end)
    }

    /// Every cell, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let row = *self;
        (0..row.len()).filter_map(move |i| row.get(i))
    }

    /// The cells as owned strings (a rejected row keeps them for the report).
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_cells_lines_and_empty_cells() {
        let mut rows = Rows::default();
        rows.push(2, ["a", "", "ccc"]);
        rows.push(5, [""]);
        rows.push(6, []);
        rows.push(7, ["x", "y"]);
        assert_eq!(rows.len(), 4);
        let collected: Vec<(u64, Vec<String>)> =
            rows.iter().map(|r| (r.line, r.to_vec())).collect();
        assert_eq!(
            collected,
            [
                (2, vec!["a".to_owned(), String::new(), "ccc".to_owned()]),
                (5, vec![String::new()]),
                (6, vec![]),
                (7, vec!["x".to_owned(), "y".to_owned()]),
            ]
        );
        let first = rows.get(0).expect("row");
        assert_eq!(first.get(2), Some("ccc"));
        assert_eq!(first.get(3), None);
        assert!(rows.get(4).is_none());
        rows.pop();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows.last().map(|r| r.line), Some(6));
        rows.push(9, ["z"]);
        assert_eq!(rows.last().map(|r| r.to_vec()), Some(vec!["z".to_owned()]));
        rows.pop();
        rows.pop();
        rows.pop();
        rows.pop();
        assert!(rows.is_empty());
        rows.pop();
        rows.push(1, ["é"]);
        assert_eq!(rows.get(0).and_then(|r| r.get(0)), Some("é"));
    }
}
