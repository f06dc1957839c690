//! The schema and its migrations, versioned by `PRAGMA user_version`.

use crate::error::{Error, Result};
use rusqlite::Connection;

/// Marks a file as a csdeck database (`PRAGMA application_id`, "csdk"), so csdeck never
/// migrates some other program's SQLite file.
pub const APPLICATION_ID: i64 = 0x6373_646b;

/// Each migration takes the schema from version i to i + 1. Append; never edit a shipped one.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    external_id     TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    industry        TEXT,
    region          TEXT,
    country         TEXT,
    employees       INTEGER,
    plan            TEXT,
    arr             INTEGER,
    mrr             INTEGER,
    currency        TEXT,
    seats           INTEGER,
    lifecycle       TEXT,
    status          TEXT,
    owner           TEXT,
    contract_start  TEXT,
    renewal_date    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    extra           TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX accounts_name ON accounts(name);
CREATE TABLE usage (
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    date             TEXT NOT NULL,
    active_users     INTEGER,
    logins_30d       INTEGER,
    last_login       TEXT,
    feature_adoption REAL,
    onboarding       REAL,
    open_tickets     INTEGER,
    csat             REAL,
    overdue_invoices INTEGER,
    extra            TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (account_id, date)
) WITHOUT ROWID;
CREATE TABLE nps_responses (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    date        TEXT NOT NULL,
    contact     TEXT,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment     TEXT,
    extra       TEXT NOT NULL DEFAULT '{}'
);
-- A named contact answers once a day. Anonymous answers may repeat (two people, same score):
-- the importer keeps re-imports from doubling them.
CREATE UNIQUE INDEX nps_by_contact ON nps_responses(account_id, date, contact)
    WHERE contact IS NOT NULL;
CREATE INDEX nps_by_account ON nps_responses(account_id, date);
CREATE INDEX nps_by_date ON nps_responses(date);
CREATE TABLE tags (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    colour  TEXT
);
CREATE TABLE account_tags (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    tagged_at   TEXT NOT NULL,
    PRIMARY KEY (account_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX account_tags_by_tag ON account_tags(tag_id, account_id);
CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    body        TEXT NOT NULL,
    UNIQUE (account_id, created_at, body)
);
CREATE TABLE segments (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    expression  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE meta (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
CREATE TABLE health_overrides (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    reason      TEXT NOT NULL,
    expires_at  TEXT
);
"#,
    r#"
-- What happened to an account that no other table keeps: tag changes and imports that
-- changed it. The account's timeline reads it; `at` is the day (YYYY-MM-DD), id the order.
CREATE TABLE account_events (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('tag_added', 'tag_removed', 'import')),
    detail      TEXT NOT NULL
);
CREATE INDEX account_events_by_account ON account_events(account_id, id);
INSERT INTO account_events (account_id, at, kind, detail)
    SELECT at.account_id, substr(at.tagged_at, 1, 10), 'tag_added', t.name
    FROM account_tags at JOIN tags t ON t.id = at.tag_id
    ORDER BY at.tagged_at;
-- The triage queue's memory: done, snoozed (until a day) or reopened, with the signals that
-- had fired (so a new one brings the item back) and their reasons in words.
CREATE TABLE triage_actions (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('done', 'snooze', 'reopen')),
    until       TEXT,
    signals     TEXT NOT NULL DEFAULT '[]',
    reasons     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX triage_by_account ON triage_actions(account_id, id);
-- Full-text search over notes, kept in step with the notes table by triggers.
CREATE VIRTUAL TABLE notes_fts USING fts5(
    body, content='notes', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
END;
"#,
    r#"
-- Pages of a big book answered by SQL (storage/query.rs): top accounts by ARR, and a region
-- with its ARR, without reading every account.
CREATE INDEX accounts_arr ON accounts(arr);
CREATE INDEX accounts_region_arr ON accounts(region COLLATE NOCASE, arr);
"#,
    r#"
-- Each account's latest usage snapshot, kept by triggers whoever writes usage, so reading a
-- big book joins one row per account instead of searching its history (storage/load.rs).
-- No foreign key: the accounts trigger below removes the row with the account.
CREATE TABLE usage_current (
    account_id       INTEGER PRIMARY KEY,
    date             TEXT NOT NULL,
    active_users     INTEGER,
    logins_30d       INTEGER,
    last_login       TEXT,
    feature_adoption REAL,
    onboarding       REAL,
    open_tickets     INTEGER,
    csat             REAL,
    overdue_invoices INTEGER
);
INSERT INTO usage_current
    SELECT account_id, max(date), active_users, logins_30d, last_login, feature_adoption,
           onboarding, open_tickets, csat, overdue_invoices
    FROM usage GROUP BY account_id;
CREATE TRIGGER usage_current_insert AFTER INSERT ON usage BEGIN
    INSERT INTO usage_current VALUES (new.account_id, new.date, new.active_users,
        new.logins_30d, new.last_login, new.feature_adoption, new.onboarding,
        new.open_tickets, new.csat, new.overdue_invoices)
    ON CONFLICT(account_id) DO UPDATE SET
        date = excluded.date, active_users = excluded.active_users,
        logins_30d = excluded.logins_30d, last_login = excluded.last_login,
        feature_adoption = excluded.feature_adoption, onboarding = excluded.onboarding,
        open_tickets = excluded.open_tickets, csat = excluded.csat,
        overdue_invoices = excluded.overdue_invoices
    WHERE excluded.date >= usage_current.date;
END;
-- New figures for a snapshot already stored (an import's upsert): copied when it is the
-- current one, nothing to do otherwise. Cheap, as re-importing a big usage file needs.
CREATE TRIGGER usage_current_update AFTER UPDATE ON usage
WHEN old.account_id = new.account_id AND old.date = new.date BEGIN
    UPDATE usage_current SET active_users = new.active_users, logins_30d = new.logins_30d,
        last_login = new.last_login, feature_adoption = new.feature_adoption,
        onboarding = new.onboarding, open_tickets = new.open_tickets, csat = new.csat,
        overdue_invoices = new.overdue_invoices
    WHERE account_id = new.account_id AND date = new.date;
END;
-- A snapshot moved to another day or account: read both accounts' latest again.
CREATE TRIGGER usage_current_move AFTER UPDATE ON usage
WHEN old.account_id != new.account_id OR old.date != new.date BEGIN
    DELETE FROM usage_current WHERE account_id IN (old.account_id, new.account_id);
    INSERT INTO usage_current
        SELECT account_id, max(date), active_users, logins_30d, last_login, feature_adoption,
               onboarding, open_tickets, csat, overdue_invoices
        FROM usage WHERE account_id IN (old.account_id, new.account_id) GROUP BY account_id;
END;
CREATE TRIGGER usage_current_delete AFTER DELETE ON usage BEGIN
    DELETE FROM usage_current WHERE account_id = old.account_id;
    INSERT INTO usage_current
        SELECT account_id, max(date), active_users, logins_30d, last_login, feature_adoption,
               onboarding, open_tickets, csat, overdue_invoices
        FROM usage WHERE account_id = old.account_id GROUP BY account_id;
END;
CREATE TRIGGER usage_current_account_gone AFTER DELETE ON accounts BEGIN
    DELETE FROM usage_current WHERE account_id = old.id;
END;
"#,
    r#"
-- Reading the book walks every account's answers of the last year in account order: with the
-- contact and score in the index, no answer is looked up in the table (storage/load.rs). The
-- id after the date keeps answers of one day in the order they came, as the index before did.
DROP INDEX nps_by_account;
CREATE INDEX nps_by_account ON nps_responses(account_id, date, id, contact, score);
"#,
];

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`CURRENT_VERSION`], each step in its own transaction.
/// A database from a newer csdeck, or a SQLite file of another program, is refused untouched.
pub fn migrate(conn: &mut Connection, path_label: &str) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if version > CURRENT_VERSION {
        return Err(Error::usage(format!(
            "{path_label} was written by a newer csdeck (schema version {version}; this csdeck \
             reads up to {CURRENT_VERSION}): upgrade csdeck to open it; the file was left untouched"
        )));
    }
    let table_count: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID && (app_id != 0 || table_count > 0) {
        return Err(Error::usage(format!(
            "{path_label} is a SQLite database of another program, not a csdeck database: \
             pass a new file name with --db; the file was left untouched"
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
