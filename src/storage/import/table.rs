//! A file's header and rows as text cells with line numbers, from CSV (any of the common
//! delimiters) or JSON (an array of objects, or an object with a `records` array).

use super::text::sniff_delimiter;
use crate::error::{Error, Result};
use serde_json::Value;

/// Header and data rows; each row carries the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
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
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(content))
        .has_headers(false)
        .flexible(true)
        .from_reader(content.as_bytes());
    // The csv crate's own line count skips blank lines; byte offsets are exact.
    let newlines: Vec<usize> = content
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    // A record's offset may point at the blank lines skipped before it: step over them.
    let bytes = content.as_bytes();
    let line_at = |byte: u64| {
        let mut at = byte as usize;
        while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        newlines.partition_point(|&i| i < at) as u64 + 1
    };
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(p.byte()));
            Error::usage(format!("{label}:{line}: cannot read this CSV row: {e}"))
        })?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match headers {
            None => headers = Some(cells),
            Some(_) => rows.push((line, cells)),
        }
    }
    let headers = headers.ok_or_else(|| {
        Error::usage(format!("{label}: the file is empty: expected a header row"))
    })?;
    Ok(Table {
        headers: name_blank_headers(headers),
        rows,
    })
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
    let mut rows = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        // JSON has no lines to speak of: the record number stands in for it.
        let number = index as u64 + 1;
        let Value::Object(map) = item else {
            return Err(Error::usage(format!(
                "{label}: record {number} is not a JSON object"
            )));
        };
        let cells = headers
            .iter()
            .map(|h| match map.get(h) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            })
            .collect();
        rows.push((number, cells));
    }
    Ok(Table { headers, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_starting_line() {
        let table = read_table("f", "a;b\n1;\"x\ny\"\n\n2;z\n").unwrap();
        assert_eq!(table.headers, ["a", "b"]);
        assert_eq!(table.rows[0], (2, vec!["1".to_owned(), "x\ny".to_owned()]));
        assert_eq!(table.rows[1].0, 5);
    }

    #[test]
    fn json_arrays_and_records_become_tables() {
        let table =
            read_table("f", r#"{"records":[{"id":"A","n":2},{"id":"B","x":null}]}"#).unwrap();
        assert_eq!(table.headers, ["id", "n", "x"]);
        assert_eq!(table.rows[0].1, ["A", "2", ""]);
        assert!(read_table("f", "[1,2]").is_err());
        assert!(read_table("f", "").is_err());
    }
}
