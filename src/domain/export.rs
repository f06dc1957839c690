//! Exports of a list of accounts: CSV (every field, tags and extra columns: it re-imports to the
//! same book), JSON for scripts, and a Markdown account brief for a QBR or renewal meeting.

use crate::domain::AccountRow;
use crate::domain::listing::{self, COLUMNS};
use crate::domain::money;
use serde_json::Value;

/// The formats an export can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
    Markdown,
}

impl ExportFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Markdown => "md",
        }
    }
}

/// The extra-column keys of the rows, in first-seen order.
fn extra_keys(rows: &[&AccountRow]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for row in rows {
        for key in row.account.extra.keys() {
            if !keys.contains(key) && !COLUMNS.contains(&key.as_str()) {
                keys.push(key.clone());
            }
        }
    }
    keys
}

/// The rows as CSV: DESIGN.md's columns, then every extra column. With `excel`, a UTF-8 byte
/// order mark goes first so Excel reads accents right.
pub fn csv(rows: &[&AccountRow], excel: bool) -> Result<String, String> {
    let extras = extra_keys(rows);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: &dyn std::fmt::Display| format!("cannot write CSV: {e}");
    let mut header: Vec<&str> = COLUMNS.to_vec();
    header.extend(extras.iter().map(String::as_str));
    writer.write_record(&header).map_err(|e| fail(&e))?;
    for row in rows {
        let mut cells: Vec<String> = listing::cells(row).iter().map(|c| c.to_csv()).collect();
        for key in &extras {
            cells.push(match row.account.extra.get(key) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            });
        }
        writer.write_record(&cells).map_err(|e| fail(&e))?;
    }
    let bytes = writer.into_inner().map_err(|e| fail(&e))?;
    let text = String::from_utf8(bytes).map_err(|e| fail(&e))?;
    Ok(if excel {
        format!("\u{feff}{text}")
    } else {
        text
    })
}

/// A JSON array whose items (made by the function from each one's place and value) are made
/// only as they are written: a million accounts as one tree of JSON values took 9.7 GB.
pub struct Lazily<'a, T, F>(pub &'a [T], pub F);

impl<T, F: Fn(usize, &T) -> Value> serde::Serialize for Lazily<'_, T, F> {
    fn serialize<S: serde::Serializer>(&self, to: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = to.serialize_seq(Some(self.0.len()))?;
        for (at, item) in self.0.iter().enumerate() {
            seq.serialize_element(&(self.1)(at, item))?;
        }
        seq.end()
    }
}

/// The rows as one JSON array (the `accounts --format json` objects).
pub fn json(rows: &[&AccountRow]) -> Result<String, String> {
    serde_json::to_string_pretty(&Lazily(rows, |_, row: &&AccountRow| listing::json(row)))
        .map(|mut text| {
            text.push('\n');
            text
        })
        .map_err(|e| format!("cannot write JSON: {e}"))
}

/// A Markdown cell: pipes escaped, line breaks and control characters folded to spaces.
pub(crate) fn md(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|")
}

/// An account brief: a heading with the totals, then one table row per account.
pub fn markdown(rows: &[&AccountRow], title: &str, today: jiff::civil::Date) -> String {
    let total: i64 = rows
        .iter()
        .filter_map(|r| r.account.arr)
        .fold(0i64, i64::saturating_add);
    let mut out = format!(
        "# {} · {} · ARR {} · {today}\n\n",
        md(title),
        super::plural::count(rows.len(), "account"),
        money::format_short(total)
    );
    out.push_str("| Account | ARR | Tier | Health | NPS | Renewal | Last login | Owner | Tags |\n");
    out.push_str("| --- | ---: | --- | --- | ---: | --- | --- | --- | --- |\n");
    for row in rows {
        let a = &row.account;
        let dash = || "—".to_owned();
        out.push_str(&format!(
            "| {} ({}) | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            md(&a.name),
            md(&a.external_id),
            a.arr.map_or_else(dash, money::format_grouped),
            row.tier.map_or_else(dash, |t| t.as_str().to_owned()),
            match (row.health, row.band) {
                (Some(h), Some(b)) => format!("{h} {}", b.as_str()),
                _ => dash(),
            },
            row.nps
                .map_or_else(dash, |n| format!("{} (n={})", n.nps, n.count)),
            match (a.renewal_date, row.days_to_renewal) {
                (Some(d), Some(days)) => format!("{d} ({days}d)"),
                _ => dash(),
            },
            row.days_since_login
                .map_or_else(dash, |d| format!("{d}d ago")),
            a.owner.as_deref().map_or_else(dash, md),
            md(&row.tags.join(", ")),
        ));
    }
    out
}

/// The export of the rows in a format.
pub fn render(
    rows: &[&AccountRow],
    format: ExportFormat,
    title: &str,
    today: jiff::civil::Date,
    excel: bool,
) -> Result<String, String> {
    match format {
        ExportFormat::Csv => csv(rows, excel),
        ExportFormat::Json => json(rows),
        ExportFormat::Markdown => Ok(markdown(rows, title, today)),
    }
}

/// A file name from a segment's name: "renewing in 30 days" -> "renewing-in-30-days".
pub fn slug(name: &str) -> String {
    // Operators become words first, or "band != healthy" would be named "band-healthy".
    let mut worded = name.to_owned();
    for (op, word) in [
        ("!=", " not "),
        ("<=", " upto "),
        (">=", " from "),
        ("<", " under "),
        (">", " over "),
        ("~", " like "),
    ] {
        worded = worded.replace(op, word);
    }
    let mut out = String::new();
    for c in worded.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "accounts".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_markdown_cells_are_safe() {
        assert_eq!(slug("renewing in 30 days"), "renewing-in-30-days");
        assert_eq!(slug("/region = EMEA"), "region-emea");
        assert_eq!(
            slug("renewal <= 30d and band != healthy"),
            "renewal-upto-30d-and-band-not-healthy"
        );
        assert_eq!(slug("arr>100k"), "arr-over-100k");
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("   "), "accounts");
        assert_eq!(md("a|b\nc\u{1b}"), "a\\|b c ");
    }
}
