//! Helpers shared by the integration tests: a temp folder, the real binary, pinned dates.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The day every test runs "on".
pub const TODAY: &str = "2026-11-24";

/// A temp folder that lives as long as the test.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write fixture");
        path
    }

    pub fn db(&self) -> PathBuf {
        self.path("book.db")
    }

    /// Runs csdeck with `--db` set to this sandbox's database and today pinned.
    pub fn run(&self, args: &[&str]) -> Output {
        csdeck(self.dir.path(), &self.db(), args)
    }
}

/// Runs the real binary.
pub fn csdeck(cwd: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_csdeck"))
        .current_dir(cwd)
        .env("CSDECK_TODAY", TODAY)
        // Only the sandbox's own health.toml (if a test writes one) is ever read.
        .env("CSDECK_CONFIG_DIR", cwd)
        .env_remove("CSDECK_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run csdeck")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Parses CSV text into a header and rows of cells.
pub fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

pub const ACCOUNTS_HEADER: &str = "account_id,name,industry,region,country,employees,plan,arr,mrr,currency,seats,lifecycle,status,owner,contract_start,renewal_date";

/// The demo book in memory with these files (name, contents) imported beside it, not over
/// it: the odd values a test needs next to 300 ordinary accounts.
pub fn demo_with(files: &[(&str, &str)]) -> csdeck::storage::Db {
    let today = csdeck::demo::embedded::ANCHOR;
    let mut db = csdeck::storage::Db::open_in_memory().expect("db");
    csdeck::demo::embedded::load(&mut db, today).expect("demo book");
    db.set_demo(false).expect("demo flag");
    let options = csdeck::storage::import::ImportOptions::new(today);
    for (name, text) in files {
        db.import_text(name, text, &options).expect("import");
    }
    db
}
