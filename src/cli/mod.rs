//! The command line: the contract of DESIGN.md, one file per subcommand.

pub mod accounts;
pub mod book;
pub mod demo;
pub mod export;
pub mod health;
pub mod import;
pub mod nps;
pub mod output;
pub mod segments;
pub mod tag;
pub mod triage;

use crate::error::{Error, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// csdeck: a keyboard-driven dashboard over your book of business.
#[derive(Debug, Parser)]
#[command(name = "csdeck", version, about, long_about = None)]
pub struct Cli {
    /// The database file (default: $CSDECK_DB, else csdeck.db in the platform data folder).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands; with none, csdeck opens the dashboard.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import CSV/JSON files: accounts, usage, nps, tags or notes (detected from the header).
    Import(import::ImportArgs),
    /// List accounts with every derived figure.
    Accounts(accounts::AccountsArgs),
    /// Every segment (built-in and saved) with count, ARR, average health and NPS.
    Segments(segments::SegmentsArgs),
    /// Save or remove a named segment.
    #[command(subcommand)]
    Segment(segments::SegmentCommand),
    /// The NPS (with its response count) of an account, an expression or a segment.
    Nps(nps::NpsArgs),
    /// Tag accounts (by id, expression or segment), list, rename, merge and delete tags.
    #[command(subcommand)]
    Tag(tag::TagCommand),
    /// Export a segment: CSV (re-importable), JSON, or a Markdown account brief.
    Export(export::ExportArgs),
    /// Why an account's health score is what it is: components, weakest, history.
    Health(health::HealthArgs),
    /// The accounts that need you now, ranked, with reasons; done / snooze / reopen one.
    Triage(triage::TriageArgs),
    /// Generate a synthetic book of business (demo, benchmarks).
    Demo(demo::DemoArgs),
}

/// Where the database lives when neither --db nor CSDECK_DB says.
pub fn default_db_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "csdeck")
        .map(|dirs| dirs.data_dir().join("csdeck.db"))
        .ok_or_else(|| {
            Error::runtime(
                "cannot find a home folder for the database: pass --db PATH or set CSDECK_DB",
            )
        })
}

/// The database path this run uses.
pub fn db_path(cli: &Cli) -> Result<PathBuf> {
    if let Some(path) = &cli.db {
        return Ok(path.clone());
    }
    match std::env::var_os("CSDECK_DB") {
        // Set but empty counts as unset, as shells make that easy to do by accident.
        Some(value) if !value.is_empty() => Ok(PathBuf::from(value)),
        _ => default_db_path(),
    }
}

/// Runs a subcommand (the dashboard is started by main, which owns the terminal).
pub fn run(cli: &Cli, command: &Command) -> Result<()> {
    let path = db_path(cli)?;
    match command {
        Command::Import(args) => import::run(&path, args),
        Command::Accounts(args) => accounts::run(&path, args),
        Command::Segments(args) => segments::run_list(&path, args),
        Command::Segment(command) => segments::run_command(&path, command),
        Command::Health(args) => health::run(&path, args),
        Command::Tag(command) => tag::run(&path, command),
        Command::Nps(args) => nps::run(&path, args),
        Command::Export(args) => export::run(&path, args),
        Command::Triage(args) => triage::run(&path, args),
        Command::Demo(args) => demo::run(&path, args),
    }
}
