//! A file's header and rows as text cells with line numbers, from CSV (any of the common
//! delimiters) or JSON (an array of objects, or an object with a `records` array).

use super::rows::Rows;
use super::text::sniff_delimiter;
use crate::error::{Error, Result};
use serde_json::Value;

/// Header and data rows; each row carries the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Rows,
    /// Lines that were skipped and why (report footers).
    pub warnings: Vec<String>,
    /// The field separator (`;` marks a European export, which writes decimal commas).
    pub delimiter: u8,
}

/// Reads a file's text as a table.
pub fn read_table(label: &str, content: &str) -> Result<Table> {
    let trimmed = content.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        return read_json(label, trimmed);
    }
    read_csv(label, content)
}

fn read_csv(label: &str, content: &str) -> Result<Table> {
    let delimiter = sniff_delimiter(content);
    // The csv crate reads an unclosed quote to the end of the file as one value: every row after
    // it would vanish without a word.
    if let Some(line) = unclosed_quote(content, delimiter) {
        return Err(Error::usage(format!(
            "{label}:{line}: a quote opened on this line is never closed, so the rest of the \
             file would be read as one value: close the quote (or double it as \"\" inside a \
             value) and import again"
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(content.as_bytes());
    // The csv crate's own line count skips blank lines; byte offsets are exact.
    let mut lines = LineCounter::new(content.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Rows::default();
    // One record, read into again and again: no allocation per row.
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
                return Err(Error::usage(format!(
                    "{label}:{line}: cannot read this CSV row: {e}"
                )));
            }
        }
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match headers {
            None => headers = Some(record.iter().map(str::to_owned).collect()),
            Some(_) => rows.push(line, record.iter()),
        }
    }
    let headers = headers.ok_or_else(|| {
        Error::usage(format!("{label}: the file is empty: expected a header row"))
    })?;
    let mut table = Table {
        headers: name_blank_headers(headers),
        rows,
        warnings: Vec::new(),
        delimiter,
    };
    drop_footers(&mut table);
    Ok(table)
}

/// The line a byte offset falls on, for offsets that mostly come in order (one record after
/// another): each newline is counted once.
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// Bytes before this offset have been counted...
    counted_to: usize,
    /// ...and held this many newlines.
    newlines: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> LineCounter<'a> {
        LineCounter {
            bytes,
            counted_to: 0,
            newlines: 0,
        }
    }

    /// The 1-based line of the record at `byte`. A record's offset may point at the blank
    /// lines skipped before it: they are stepped over.
    fn line_at(&mut self, byte: u64) -> u64 {
        let bytes = self.bytes;
        let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        if at < self.counted_to {
            self.counted_to = 0;
            self.newlines = 0;
        }
        self.newlines += bytes[self.counted_to..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.counted_to = at;
        self.newlines + 1
    }
}

/// The line of a quote that opens a value and never closes, read the way RFC 4180 quotes work:
/// a quote opens only at the start of a cell, and `""` inside a quoted value is a quote.
fn unclosed_quote(content: &str, delimiter: u8) -> Option<u64> {
    let bytes = content.as_bytes();
    let mut line = 1u64;
    let mut at = 0;
    // Only quotes and line ends matter: the scan leaps from one to the next.
    while let Some(quote) = next_quote_or_newline(bytes, at) {
        at = quote + 1;
        if bytes[quote] == b'\n' {
            line += 1;
            continue;
        }
        let starts_cell = quote == 0
            || matches!(bytes[quote - 1], b'\n' | b'\r')
            || bytes[quote - 1] == delimiter;
        if !starts_cell {
            continue;
        }
        let opened_on = line;
        loop {
            let Some(next) = next_quote_or_newline(bytes, at) else {
                return Some(opened_on);
            };
            at = next + 1;
            if bytes[next] == b'\n' {
                line += 1;
            } else if bytes.get(at) == Some(&b'"') {
                at += 1;
            } else {
                break;
            }
        }
    }
    None
}

/// Where the next quote or line feed is, from `from` on.
fn next_quote_or_newline(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.iter()
        .position(|&b| b == b'"' || b == b'\n')
        .map(|i| from + i)
}

/// Whether a lone cell reads like a report's footer rather than data.
fn is_footer(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    [
        "grand total",
        "total",
        "confidential",
        "copyright",
        "©",
        "(c)",
        "generated by",
        "generated on",
        "report generated",
        "filtered by",
        "all rights reserved",
        "do not distribute",
    ]
    .iter()
    .any(|marker| lower.starts_with(marker) || lower.contains(marker))
}

/// Report exports (Salesforce and others) end with lines like "Grand Totals (12 records)" or
/// "Confidential Information - Do Not Distribute": trailing rows with one filled cell that
/// read like that are dropped, each with a warning.
fn drop_footers(table: &mut Table) {
    if table.headers.len() < 2 {
        return;
    }
    while let Some(row) = table.rows.last() {
        let filled: Vec<&str> = row.iter().filter(|c| !c.trim().is_empty()).collect();
        match filled.as_slice() {
            [only] if is_footer(only) => {
                table.warnings.push(format!(
                    "line {}: skipped the report footer {:?}",
                    row.line,
                    only.trim()
                ));
                table.rows.pop();
            }
            _ => break,
        }
    }
    table.warnings.reverse();
}

/// One level of keys: nested objects become `outer.inner` keys; `attributes` is dropped.
fn flatten(item: Value) -> Value {
    let Value::Object(map) = item else {
        return item;
    };
    let mut out = serde_json::Map::new();
    for (key, value) in map {
        if key == "attributes" {
            continue;
        }
        // csdeck's own JSON export nests the extra columns: they come back under their names.
        if key == "extra"
            && let Value::Object(extra) = value
        {
            for (inner_key, inner_value) in extra {
                out.entry(inner_key).or_insert(inner_value);
            }
            continue;
        }
        match flatten(value) {
            Value::Object(inner) => {
                for (inner_key, inner_value) in inner {
                    out.insert(format!("{key}.{inner_key}"), inner_value);
                }
            }
            other => {
                out.insert(key, other);
            }
        }
    }
    Value::Object(out)
}

/// A column without a header gets a name (`column_3`), so its values can still be kept.
fn name_blank_headers(headers: Vec<String>) -> Vec<String> {
    headers
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            if h.trim().is_empty() {
                format!("column_{}", i + 1)
            } else {
                h
            }
        })
        .collect()
}

fn read_json(label: &str, content: &str) -> Result<Table> {
    let value: Value = serde_json::from_str(content).map_err(|e| {
        Error::usage(format!(
            "{label}:{}:{}: not valid JSON: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("records") {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(Error::usage(format!(
                    "{label}: expected a JSON array of objects or an object with a \"records\" array"
                )));
            }
        },
        _ => {
            return Err(Error::usage(format!(
                "{label}: expected a JSON array of objects or an object with a \"records\" array"
            )));
        }
    };
    // Nested objects flatten to dotted keys (Owner.Name); Salesforce's `attributes` goes.
    let items: Vec<Value> = items.into_iter().map(flatten).collect();
    let mut headers: Vec<String> = Vec::new();
    for item in &items {
        if let Value::Object(map) = item {
            for key in map.keys() {
                if !headers.contains(key) {
                    headers.push(key.clone());
                }
            }
        }
    }
    if items.is_empty() {
        return Err(Error::usage(format!(
            "{label}: the JSON holds no records: nothing to import"
        )));
    }
    let mut rows = Rows::default();
    for (index, item) in items.iter().enumerate() {
        // JSON has no lines to speak of: the record number stands in for it.
        let number = index as u64 + 1;
        let Value::Object(map) = item else {
            return Err(Error::usage(format!(
                "{label}: record {number} is not a JSON object"
            )));
        };
        let cells: Vec<String> = headers
            .iter()
            .map(|h| match map.get(h) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                // A list (tags) becomes the `;`-separated cell a CSV would have.
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|item| match item {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(";"),
                Some(other) => other.to_string(),
            })
            .collect();
        rows.push(number, cells.iter().map(String::as_str));
    }
    Ok(Table {
        headers,
        rows,
        warnings: Vec::new(),
        delimiter: b',',
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quote check as it first was, one byte after another: the leaping scan must agree.
    fn unclosed_quote_bytewise(content: &str, delimiter: u8) -> Option<u64> {
        let mut line = 1u64;
        let mut opened_on = None;
        let mut at_cell_start = true;
        let mut bytes = content.bytes().peekable();
        while let Some(b) = bytes.next() {
            if opened_on.is_some() {
                if b == b'"' {
                    if bytes.peek() == Some(&b'"') {
                        bytes.next();
                    } else {
                        opened_on = None;
                    }
                } else if b == b'\n' {
                    line += 1;
                }
                continue;
            }
            match b {
                b'"' if at_cell_start => opened_on = Some(line),
                b'\n' => {
                    line += 1;
                    at_cell_start = true;
                    continue;
                }
                _ => {}
            }
            at_cell_start = b == delimiter || b == b'\r';
        }
        opened_on
    }

    proptest::proptest! {
        #[test]
        fn the_quote_scan_agrees_with_reading_byte_by_byte(
            text in "[\"a,;\\t\\r\\n]{0,40}",
            delimiter in proptest::sample::select(vec![b',', b';', b'\t']),
        ) {
            proptest::prop_assert_eq!(
                unclosed_quote(&text, delimiter),
                unclosed_quote_bytewise(&text, delimiter)
            );
        }
    }

    fn cells(table: &Table, index: usize) -> Vec<String> {
        table
            .rows
            .get(index)
            .map(|r| r.to_vec())
            .unwrap_or_default()
    }

    #[test]
    fn an_unclosed_quote_is_an_error_naming_its_line_not_lost_rows() {
        let text = "account_id,name,arr\n3001,\"Alpha Co,10000\n3002,Beta,2\n3003,Gamma,3\n";
        let err = read_table("bad.csv", text).expect_err("unclosed quote");
        assert!(err.to_string().starts_with("bad.csv:2: a quote"), "{err}");
        // Real multi-line values (even in a short row), doubled quotes and quotes inside a
        // value are fine.
        let text =
            "id,name,comment\n1,\"Acme \"\"Big\"\" Co\",\"line one\nline two, more\"\n2,Bo\"b,x\n";
        let table = read_table("ok.csv", text).expect("valid CSV");
        assert_eq!(table.rows.len(), 2);
        assert_eq!(cells(&table, 0)[1], "Acme \"Big\" Co");
        assert_eq!(cells(&table, 1)[1], "Bo\"b");
    }

    #[test]
    fn csv_rows_keep_their_starting_line() {
        let table = read_table("f", "a;b\n1;\"x\ny\"\n\n2;z\n").unwrap();
        assert_eq!(table.headers, ["a", "b"]);
        assert_eq!(table.rows.get(0).map(|r| r.line), Some(2));
        assert_eq!(cells(&table, 0), ["1", "x\ny"]);
        assert_eq!(table.rows.get(1).map(|r| r.line), Some(5));
    }

    #[test]
    fn json_arrays_and_records_become_tables() {
        let table =
            read_table("f", r#"{"records":[{"id":"A","n":2},{"id":"B","x":null}]}"#).unwrap();
        assert_eq!(table.headers, ["id", "n", "x"]);
        assert_eq!(cells(&table, 0), ["A", "2", ""]);
        assert!(read_table("f", "[1,2]").is_err());
        assert!(read_table("f", "").is_err());
    }
}
