//! Notes: adding one from the dashboard, and full-text search across the book (FTS5, kept in
//! step with the notes table by triggers).

use crate::domain::Date;
use crate::error::{Error, Result};
use crate::storage::Db;
use rusqlite::params;

/// The longest note accepted, in characters.
pub const MAX_NOTE: usize = 10_000;

/// A note that matched a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteHit {
    /// The account's database key.
    pub key: i64,
    pub account: String,
    pub date: Date,
    /// The part of the note around the match.
    pub snippet: String,
}

/// Checks a note's text: trimmed, not empty, no control characters but line breaks and tabs.
pub fn clean_note(body: &str) -> std::result::Result<String, String> {
    let body = body.trim();
    if body.is_empty() {
        return Err("the note is empty".into());
    }
    if body.chars().count() > MAX_NOTE {
        return Err(format!("notes are at most {MAX_NOTE} characters"));
    }
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("notes cannot hold control characters".into());
    }
    Ok(body.to_owned())
}

/// The words of a search as an FTS5 query: each word a quoted phrase (so no word is read as
/// syntax), all of them required, the last one also as a prefix (`renew` finds "renewal").
fn fts_query(words: &str) -> Option<String> {
    let terms: Vec<String> = words
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    let (last, rest) = terms.split_last()?;
    let mut query = rest.join(" ");
    if !query.is_empty() {
        query.push(' ');
    }
    query.push_str(last);
    query.push('*');
    Some(query)
}

impl Db {
    /// Adds a note to an account, dated `day` at the current time of day.
    pub fn add_note(&mut self, key: i64, body: &str, day: Date) -> Result<()> {
        let body = clean_note(body).map_err(Error::usage)?;
        let stamp = crate::storage::stamp(day);
        let added = self.conn.execute(
            "INSERT OR IGNORE INTO notes (account_id, created_at, body) VALUES (?1, ?2, ?3)",
            params![key, stamp, body],
        )?;
        if added == 0 {
            return Err(Error::usage("the account has this note already"));
        }
        Ok(())
    }

    /// Notes whose words match, best match first (at most `limit`); no words, no hits.
    pub fn search_notes(&self, words: &str, limit: usize) -> Result<Vec<NoteHit>> {
        let Some(query) = fts_query(words) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT n.account_id, a.name, n.created_at, \
                    snippet(notes_fts, 0, '', '', '…', 14) \
             FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid \
             JOIN accounts a ON a.id = n.account_id \
             WHERE notes_fts MATCH ?1 ORDER BY rank, n.created_at DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![query, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, account, at, snippet) = row?;
            let Ok(date) = at.get(..10).unwrap_or(&at).parse() else {
                continue;
            };
            out.push(NoteHit {
                key,
                account,
                date,
                snippet: snippet.split_whitespace().collect::<Vec<_>>().join(" "),
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_never_become_fts_syntax() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("renew"), Some("\"renew\"*".into()));
        assert_eq!(
            fts_query("budget OR \"x NEAR(y"),
            Some("\"budget\" \"OR\" \"x\" \"NEAR(y\"*".into())
        );
    }

    #[test]
    fn notes_are_checked() {
        assert!(clean_note("  ").is_err());
        assert!(clean_note("a\u{1b}[31m").is_err());
        assert_eq!(
            clean_note(" line one\nline two ").unwrap(),
            "line one\nline two"
        );
    }
}
