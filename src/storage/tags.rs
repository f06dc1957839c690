//! Tags: adding and removing them on many accounts at once, renaming (merging), deleting, and
//! undoing any of these. Every change is one transaction and returns the exact inverse.

use crate::domain::tag::{self, TagUndo};
use crate::domain::timeline::EventKind;
use crate::error::{Error, Result};
use crate::storage::Db;
use crate::storage::events::{event_day, log_event};
use rusqlite::{Connection, OptionalExtension, params};

/// What a tag change did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagOutcome {
    /// Accounts that changed.
    pub changed: usize,
    /// Accounts that already were as asked (already tagged, or not tagged).
    pub unchanged: usize,
    /// Every account the change looked at, for refreshing their rows.
    pub keys: Vec<i64>,
    pub undo: TagUndo,
}

/// The id of the tag with this name (any case), if it exists.
fn find_tag(conn: &Connection, name: &str) -> Result<Option<(i64, String)>> {
    let wanted = tag::fold(name);
    let mut stmt = conn.prepare_cached("SELECT id, name FROM tags")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, existing) = row?;
        if tag::fold(&existing) == wanted {
            return Ok(Some((id, existing)));
        }
    }
    Ok(None)
}

/// The id of a tag, created with this spelling if no tag of that name (any case) exists.
pub(crate) fn tag_id(conn: &Connection, name: &str) -> Result<i64> {
    if let Some((id, _)) = find_tag(conn, name)? {
        return Ok(id);
    }
    conn.execute("INSERT INTO tags (name) VALUES (?1)", [name])?;
    Ok(conn.last_insert_rowid())
}

impl Db {
    /// Every tag with how many accounts carry it, by name.
    pub fn tag_counts(&self) -> Result<Vec<(String, usize)>> {
        let mut stmt = self.conn.prepare(
            "SELECT t.name, count(at.account_id) FROM tags t \
             LEFT JOIN account_tags at ON at.tag_id = t.id \
             GROUP BY t.id ORDER BY t.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The keys of accounts by external id; an unknown id is an error and nothing is returned.
    pub fn keys_of(&self, ids: &[String]) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM accounts WHERE external_id = ?1")?;
        let mut keys = Vec::with_capacity(ids.len());
        for id in ids {
            let key: Option<i64> = stmt.query_row([id], |r| r.get(0)).optional()?;
            keys.push(key.ok_or_else(|| {
                Error::usage(format!(
                    "no account has the id {id:?}: nothing was changed; `csdeck accounts` lists the ids"
                ))
            })?);
        }
        Ok(keys)
    }

    /// Tags the accounts (an account that has the tag already is left as it is).
    pub fn add_tag(&mut self, name: &str, keys: &[i64]) -> Result<TagOutcome> {
        let name = tag::clean(name).map_err(Error::usage)?;
        let now = jiff::Timestamp::now().to_string();
        let day = event_day();
        let tx = self.conn.transaction()?;
        let id = tag_id(&tx, &name)?;
        let stored: String =
            tx.query_row("SELECT name FROM tags WHERE id = ?1", [id], |r| r.get(0))?;
        let mut outcome = TagOutcome {
            keys: keys.to_vec(),
            ..TagOutcome::default()
        };
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO account_tags (account_id, tag_id, tagged_at) VALUES (?1, ?2, ?3)",
            )?;
            for key in &in_key_order(keys) {
                if insert.execute(params![key, id, now])? > 0 {
                    log_event(&tx, *key, &day, EventKind::TagAdded, &stored)?;
                    outcome.changed += 1;
                    outcome.undo.remove.push((*key, stored.clone()));
                } else {
                    outcome.unchanged += 1;
                }
            }
        }
        tx.commit()?;
        outcome.undo.description = format!(
            "tagging {} with '{stored}'",
            crate::domain::plural::count(outcome.changed, "account")
        );
        Ok(outcome)
    }

    /// Removes a tag from the accounts.
    pub fn remove_tag(&mut self, name: &str, keys: &[i64]) -> Result<TagOutcome> {
        let day = event_day();
        let tx = self.conn.transaction()?;
        let mut outcome = TagOutcome {
            keys: keys.to_vec(),
            ..TagOutcome::default()
        };
        let Some((id, stored)) = find_tag(&tx, name)? else {
            return Err(Error::usage(format!(
                "no tag is named {:?}: `csdeck tag ls` lists them",
                name.trim()
            )));
        };
        {
            let mut find = tx.prepare_cached(
                "SELECT tagged_at FROM account_tags WHERE account_id = ?1 AND tag_id = ?2",
            )?;
            let mut delete = tx
                .prepare_cached("DELETE FROM account_tags WHERE account_id = ?1 AND tag_id = ?2")?;
            for key in &in_key_order(keys) {
                let tagged_at: Option<String> =
                    find.query_row(params![key, id], |r| r.get(0)).optional()?;
                match tagged_at {
                    Some(at) => {
                        delete.execute(params![key, id])?;
                        log_event(&tx, *key, &day, EventKind::TagRemoved, &stored)?;
                        outcome.changed += 1;
                        outcome.undo.restore.push((*key, stored.clone(), at));
                    }
                    None => outcome.unchanged += 1,
                }
            }
        }
        tx.commit()?;
        outcome.undo.description = format!(
            "removing '{stored}' from {}",
            crate::domain::plural::count(outcome.changed, "account")
        );
        Ok(outcome)
    }

    /// Renames a tag; onto an existing tag (any case) it merges the two.
    pub fn rename_tag(&mut self, old: &str, new: &str) -> Result<(TagOutcome, bool)> {
        let new = tag::clean(new).map_err(Error::usage)?;
        let day = event_day();
        let tx = self.conn.transaction()?;
        let Some((old_id, old_name)) = find_tag(&tx, old)? else {
            return Err(Error::usage(format!(
                "no tag is named {:?}: `csdeck tag ls` lists them",
                old.trim()
            )));
        };
        let pairs = tagged(&tx, old_id)?;
        let mut outcome = TagOutcome {
            keys: pairs.iter().map(|(k, _)| *k).collect(),
            changed: pairs.len(),
            ..TagOutcome::default()
        };
        let target = find_tag(&tx, &new)?.filter(|(id, _)| *id != old_id);
        let merged = target.is_some();
        match target {
            Some((new_id, new_name)) => {
                // Merge: every account of the old tag gets the new one, then the old tag goes.
                for (key, at) in &pairs {
                    log_event(&tx, *key, &day, EventKind::TagRemoved, &old_name)?;
                    let added = tx.execute(
                        "INSERT OR IGNORE INTO account_tags (account_id, tag_id, tagged_at) VALUES (?1, ?2, ?3)",
                        params![key, new_id, at],
                    )?;
                    if added > 0 {
                        log_event(&tx, *key, &day, EventKind::TagAdded, &new_name)?;
                        outcome.undo.remove.push((*key, new_name.clone()));
                    }
                    outcome
                        .undo
                        .restore
                        .push((*key, old_name.clone(), at.clone()));
                }
                tx.execute("DELETE FROM tags WHERE id = ?1", [old_id])?;
                outcome.undo.description = format!("merging '{old_name}' into '{new_name}'");
            }
            None => {
                tx.execute(
                    "UPDATE tags SET name = ?2 WHERE id = ?1",
                    params![old_id, new],
                )?;
                for (key, _) in &pairs {
                    log_event(&tx, *key, &day, EventKind::TagRemoved, &old_name)?;
                    log_event(&tx, *key, &day, EventKind::TagAdded, &new)?;
                }
                outcome.undo.rename = Some((new.clone(), old_name.clone()));
                outcome.undo.description = format!("renaming '{old_name}' to '{new}'");
            }
        }
        tx.commit()?;
        Ok((outcome, merged))
    }

    /// Deletes a tag from every account.
    pub fn delete_tag(&mut self, name: &str) -> Result<TagOutcome> {
        let tx = self.conn.transaction()?;
        let Some((id, stored)) = find_tag(&tx, name)? else {
            return Err(Error::usage(format!(
                "no tag is named {:?}: `csdeck tag ls` lists them",
                name.trim()
            )));
        };
        let pairs = tagged(&tx, id)?;
        let day = event_day();
        for (key, _) in &pairs {
            log_event(&tx, *key, &day, EventKind::TagRemoved, &stored)?;
        }
        tx.execute("DELETE FROM tags WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(TagOutcome {
            keys: pairs.iter().map(|(k, _)| *k).collect(),
            changed: pairs.len(),
            unchanged: 0,
            undo: TagUndo {
                restore: pairs
                    .into_iter()
                    .map(|(k, at)| (k, stored.clone(), at))
                    .collect(),
                remove: Vec::new(),
                rename: None,
                description: format!("deleting '{stored}'"),
            },
        })
    }

    /// Carries out an undo, in one transaction; returns the accounts it touched.
    pub fn undo_tags(&mut self, undo: &TagUndo) -> Result<Vec<i64>> {
        let day = event_day();
        let tx = self.conn.transaction()?;
        if let Some((current, earlier)) = &undo.rename
            && let Some((id, _)) = find_tag(&tx, current)?
        {
            tx.execute(
                "UPDATE tags SET name = ?2 WHERE id = ?1",
                params![id, earlier],
            )?;
        }
        for (key, name) in &undo.remove {
            if let Some((id, stored)) = find_tag(&tx, name)?
                && tx.execute(
                    "DELETE FROM account_tags WHERE account_id = ?1 AND tag_id = ?2",
                    params![key, id],
                )? > 0
            {
                log_event(&tx, *key, &day, EventKind::TagRemoved, &stored)?;
            }
        }
        for (key, name, at) in &undo.restore {
            let id = tag_id(&tx, name)?;
            if tx.execute(
                "INSERT OR IGNORE INTO account_tags (account_id, tag_id, tagged_at) VALUES (?1, ?2, ?3)",
                params![key, id, at],
            )? > 0
            {
                log_event(&tx, *key, &day, EventKind::TagAdded, name)?;
            }
        }
        // A tag nobody carries any more after an undo (it was created by the change) goes too.
        for (_, name) in &undo.remove {
            if let Some((id, _)) = find_tag(&tx, name)? {
                let used: i64 = tx.query_row(
                    "SELECT count(*) FROM account_tags WHERE tag_id = ?1",
                    [id],
                    |r| r.get(0),
                )?;
                if used == 0 {
                    tx.execute("DELETE FROM tags WHERE id = ?1", [id])?;
                }
            }
        }
        tx.commit()?;
        Ok(undo.keys())
    }

    /// The current tags of some accounts, for refreshing their rows after a change.
    pub fn tags_of(&self, keys: &[i64]) -> Result<Vec<(i64, Vec<String>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.name FROM account_tags at JOIN tags t ON t.id = at.tag_id \
             WHERE at.account_id = ?1 ORDER BY t.name COLLATE NOCASE",
        )?;
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let names = stmt
                .query_map([key], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            out.push((*key, names));
        }
        Ok(out)
    }
}

/// The keys sorted: written in key order, each row lands next to the last, and a whole
/// segment of a big book (54k of 1M accounts) is stored in about a quarter of the time its
/// list order takes.
fn in_key_order(keys: &[i64]) -> Vec<i64> {
    let mut ordered = keys.to_vec();
    ordered.sort_unstable();
    ordered
}

/// Every (account, tagged_at) pair of a tag.
fn tagged(conn: &Connection, id: i64) -> Result<Vec<(i64, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT account_id, tagged_at FROM account_tags WHERE tag_id = ?1")?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
