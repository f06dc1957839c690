//! `csdeck demo`: generate a synthetic book into a database or as canonical CSV files.

use crate::clock;
use crate::demo::{DemoSpec, generate_book};
use crate::error::{Error, Result};
use crate::storage::Db;
use crate::storage::import::{ImportOptions, prepare_text};
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many accounts to generate.
    #[arg(long, value_name = "N")]
    pub accounts: usize,
    /// The seed: the same seed and date give the same book.
    #[arg(long, value_name = "S", default_value_t = 42)]
    pub seed: u64,
    /// Write the five canonical CSV files into this folder instead of a database.
    #[arg(long, value_name = "DIR")]
    pub csv_dir: Option<PathBuf>,
}

/// Generates the book.
pub fn run(db_path: &Path, args: &DemoArgs) -> Result<()> {
    let spec = DemoSpec {
        accounts: args.accounts,
        seed: args.seed,
        today: clock::today()?,
    };
    if let Some(dir) = &args.csv_dir {
        crate::demo::generate::write_csv_dir(&spec, dir).map_err(|e| {
            Error::runtime(format!(
                "cannot write the demo files in {}: {e}",
                dir.display()
            ))
        })?;
        return crate::cli::output::print(&format!(
            "wrote {} accounts as canonical CSV files to {}\n",
            args.accounts,
            dir.display()
        ));
    }
    let book = generate_book(&spec);
    let mut db = Db::open(db_path)?;
    if db.account_count()? > 0 {
        return Err(Error::usage(format!(
            "{} already holds accounts: generate the demo book into a new file with --db",
            db_path.display()
        )));
    }
    let options = ImportOptions::new(spec.today);
    let files = book
        .files()
        .iter()
        .map(|(name, text)| prepare_text(&format!("demo/{name}"), text, &options))
        .collect::<Result<Vec<_>>>()?;
    for summary in db.import_all(files, &options)? {
        crate::cli::output::print(&format!("{}\n", summary.line(false)))?;
    }
    Ok(())
}
