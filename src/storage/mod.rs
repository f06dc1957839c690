//! Everything that touches SQLite: opening and migrating the file, loading the book, importing.

pub(crate) mod ahead;
pub(crate) mod cells;
pub mod events;
pub mod first;
pub mod history;
pub mod import;
pub mod load;
pub mod meta;
pub mod notes;
pub mod query;
pub mod schema;
pub mod segments;
pub mod tags;
pub mod triage;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// When something a person did happened, as stored: the day csdeck counts as today (pinned by
/// `CSDECK_TODAY` in tests) and the wall-clock time, so one day's entries keep their order.
pub(crate) fn stamp(day: jiff::civil::Date) -> String {
    let time = jiff::Zoned::now().time();
    format!(
        "{day}T{:02}:{:02}:{:02}",
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// An open csdeck database.
pub struct Db {
    pub(crate) conn: Connection,
    path: PathBuf,
    created: bool,
    /// `PRAGMA data_version` when last looked at: it moves when another connection commits.
    seen_version: std::cell::Cell<i64>,
}

impl Db {
    /// Opens the database at `path`, creating it (mode 0600: it holds customer data) and its
    /// parent folder when missing, and migrating it to the current schema.
    pub fn open(path: &Path) -> Result<Db> {
        let label = path.display().to_string();
        if path.is_dir() {
            return Err(Error::usage(format!(
                "{label} is a folder: --db takes a database file, e.g. {}",
                path.join("csdeck.db").display()
            )));
        }
        let created = !path.exists();
        if created {
            create_private_file(path)?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::runtime(format!("cannot open database {label}: {e}")))?;
        let mut db = Db {
            conn,
            path: path.to_path_buf(),
            created,
            seen_version: std::cell::Cell::new(0),
        };
        db.configure().map_err(|e| not_a_database(&label, e))?;
        schema::migrate(&mut db.conn, &label)?;
        // WAL only once the file is known to be ours: switching modes rewrites the header.
        let _: String = db
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        db.conn.pragma_update(None, "synchronous", "NORMAL")?;
        // 8 MiB of page cache per connection. Reading a book streams every table in key order,
        // so a bigger cache only holds pages read once: at 1M accounts, 2, 8 and 64 MiB read
        // `segments` in the same time, and the dashboard's four connections held 256 MiB at 64.
        db.conn.pragma_update(None, "cache_size", -8_192)?;
        Ok(db)
    }

    /// Opens a database that must already exist: reading commands never create an empty book.
    pub fn open_existing(path: &Path) -> Result<Db> {
        if !path.exists() {
            return Err(Error::usage(format!(
                "there is no book at {}: run `csdeck --db {0}` to start one with the demo data, \
                 or `csdeck --db {0} import FILE...` to load your own",
                path.display()
            )));
        }
        Db::open(path)
    }

    /// Opens a throwaway in-memory database (tests, dry runs).
    pub fn open_in_memory() -> Result<Db> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", true)?;
        schema::migrate(&mut conn, ":memory:")?;
        Ok(Db {
            conn,
            path: PathBuf::from(":memory:"),
            created: true,
            seen_version: std::cell::Cell::new(0),
        })
    }

    /// Whether this open created the file: the dashboard loads the demo book into a new one.
    pub fn was_created(&self) -> bool {
        self.created
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&mut self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        // Reads the header now, so a file that is not a database fails here, before any write.
        let _: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok(())
    }

    /// Whether another process committed to the book since the last call (the first call
    /// only takes note).
    pub fn changed_elsewhere(&self) -> Result<bool> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let before = self.seen_version.replace(version);
        Ok(before != 0 && before != version)
    }

    /// How many accounts the book holds.
    pub fn account_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?)
    }
}

/// Removes a database file and its WAL companions (a book this run created and must not leave
/// half-made).
pub fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

fn not_a_database(label: &str, err: rusqlite::Error) -> Error {
    match err.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::usage(format!(
            "{label} is not a SQLite database: pass a new file name with --db; the file was left untouched"
        )),
        _ => Error::runtime(format!("cannot open database {label}: {err}")),
    }
}

fn create_private_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| {
            Error::runtime(format!("cannot create folder {}: {e}", parent.display()))
        })?;
    }
    crate::files::private_options()
        .create_new(true)
        .open(path)
        .map(drop)
        .map_err(|e| Error::runtime(format!("cannot create database {}: {e}", path.display())))
}
