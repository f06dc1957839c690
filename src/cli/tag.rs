//! `csdeck tag add|rm|ls|rename|delete`: tags from the command line, by id, expression or segment.

use crate::cli::accounts::Format;
use crate::cli::book::{self, Selection};
use crate::cli::output::{fit, print};
use crate::domain::sanitize::caret;
use crate::error::{Error, Result};
use crate::storage::tags::TagOutcome;
use clap::{Args, Subcommand};
use std::path::Path;

/// Which accounts a tag change applies to.
#[derive(Debug, Args)]
pub struct Target {
    /// The tag.
    pub tag: String,
    /// Accounts by external id (or use --where / --segment).
    #[arg(value_name = "ACCOUNT")]
    pub accounts: Vec<String>,
    #[command(flatten)]
    pub selection: Selection,
}

/// The tag subcommands.
#[derive(Debug, Subcommand)]
pub enum TagCommand {
    /// Tag accounts: by id, every account matching --where, or a whole --segment.
    Add(Target),
    /// Remove a tag from accounts.
    Rm(Target),
    /// Every tag with its account count.
    Ls {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Rename a tag; onto an existing tag it merges the two.
    Rename { old: String, new: String },
    /// Delete a tag from every account.
    Delete { tag: String },
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "account" } else { "accounts" }
}

/// Runs a tag subcommand.
pub fn run(db_path: &Path, command: &TagCommand) -> Result<()> {
    match command {
        TagCommand::Add(target) | TagCommand::Rm(target) => {
            let adding = matches!(command, TagCommand::Add(_));
            let (mut db, book) = book::open(db_path)?;
            let given = [
                !target.accounts.is_empty(),
                target.selection.filter.is_some(),
                target.selection.segment.is_some(),
            ];
            let keys = match given {
                [true, false, false] => db.keys_of(&target.accounts)?,
                [false, true, false] | [false, false, true] => target
                    .selection
                    .rows(&book)?
                    .into_iter()
                    .map(|i| book.rows()[i].key)
                    .collect(),
                [false, false, false] => {
                    return Err(Error::usage(
                        "name the accounts: give their ids, --where EXPR or --segment NAME",
                    ));
                }
                _ => {
                    return Err(Error::usage(
                        "give account ids, --where or --segment, not more than one of them",
                    ));
                }
            };
            let outcome: TagOutcome = if adding {
                db.add_tag(&target.tag, &keys)?
            } else {
                db.remove_tag(&target.tag, &keys)?
            };
            let tag = caret(target.tag.trim());
            let line = if adding {
                format!(
                    "tagged {} {} with '{tag}' ({} already had it)\n",
                    outcome.changed,
                    plural(outcome.changed),
                    outcome.unchanged
                )
            } else {
                format!(
                    "removed '{tag}' from {} {} ({} did not have it)\n",
                    outcome.changed,
                    plural(outcome.changed),
                    outcome.unchanged
                )
            };
            print(&line)
        }
        TagCommand::Ls { format } => {
            let (db, _) = book::open(db_path)?;
            let tags = db.tag_counts()?;
            let text = match format {
                Format::Json => {
                    let array: Vec<serde_json::Value> = tags
                        .iter()
                        .map(|(tag, count)| serde_json::json!({"tag": tag, "count": count}))
                        .collect();
                    let mut text = serde_json::to_string_pretty(&array)
                        .map_err(|e| Error::runtime(format!("cannot write JSON: {e}")))?;
                    text.push('\n');
                    text
                }
                Format::Csv => {
                    let mut writer = csv::Writer::from_writer(Vec::new());
                    let fail = |e: &dyn std::fmt::Display| {
                        Error::runtime(format!("cannot write CSV: {e}"))
                    };
                    writer
                        .write_record(["tag", "count"])
                        .map_err(|e| fail(&e))?;
                    for (tag, count) in &tags {
                        writer
                            .write_record([tag.as_str(), &count.to_string()])
                            .map_err(|e| fail(&e))?;
                    }
                    String::from_utf8(writer.into_inner().map_err(|e| fail(&e))?)
                        .map_err(|e| fail(&e))?
                }
                Format::Table => {
                    let mut out = format!("{} {}\n", fit("TAG", 32), "COUNT");
                    for (tag, count) in &tags {
                        out.push_str(&format!("{} {count:>5}\n", fit(&caret(tag), 32)));
                    }
                    out
                }
            };
            print(&text)
        }
        TagCommand::Rename { old, new } => {
            let (mut db, _) = book::open(db_path)?;
            let (outcome, merged) = db.rename_tag(old, new)?;
            let (old, new) = (caret(old.trim()), caret(new.trim()));
            let line = if merged {
                format!(
                    "merged '{old}' into '{new}' ({} {})\n",
                    outcome.changed,
                    plural(outcome.changed)
                )
            } else {
                format!(
                    "renamed '{old}' to '{new}' on {} {}\n",
                    outcome.changed,
                    plural(outcome.changed)
                )
            };
            print(&line)
        }
        TagCommand::Delete { tag } => {
            let (mut db, _) = book::open(db_path)?;
            let outcome = db.delete_tag(tag)?;
            print(&format!(
                "deleted '{}' from {} {}\n",
                caret(tag.trim()),
                outcome.changed,
                plural(outcome.changed)
            ))
        }
    }
}
