//! `csdeck segments` (every segment with its figures) and `csdeck segment save|rm`.

use crate::cli::accounts::Format;
use crate::cli::book;
use crate::cli::output::{fit, print};
use crate::domain::money;
use crate::domain::sanitize::caret;
use crate::domain::segment::{Segment, Stats};
use crate::error::{Error, Result};
use clap::{Args, Subcommand};
use serde_json::{Value, json};
use std::path::Path;

/// Arguments of `segments`.
#[derive(Debug, Args)]
pub struct SegmentsArgs {
    /// table for people, csv or json for scripts.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `segment save NAME EXPR` and `segment rm NAME`.
#[derive(Debug, Subcommand)]
pub enum SegmentCommand {
    /// Save a filter expression under a name (replacing a saved segment of that name).
    Save {
        name: String,
        #[arg(value_name = "EXPR")]
        expression: String,
    },
    /// Remove a saved segment.
    Rm { name: String },
}

/// Lists every segment with count, ARR, average health and NPS.
pub fn run_list(db_path: &Path, args: &SegmentsArgs) -> Result<()> {
    let db = crate::storage::Db::open_existing(db_path)?;
    let (listed, book) =
        db.segment_figures(crate::clock::today()?, &crate::config::health_model()?)?;
    let text = match args.format {
        Format::Json => {
            let array: Vec<Value> = listed.iter().map(|(s, f)| json_of(s, f)).collect();
            let mut text = serde_json::to_string_pretty(&array)
                .map_err(|e| Error::runtime(format!("cannot write JSON: {e}")))?;
            text.push('\n');
            text
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let fail = |e: &dyn std::fmt::Display| Error::runtime(format!("cannot write CSV: {e}"));
            writer
                .write_record([
                    "name",
                    "expression",
                    "builtin",
                    "count",
                    "arr",
                    "avg_health",
                    "nps",
                    "nps_count",
                ])
                .map_err(|e| fail(&e))?;
            for (s, f) in &listed {
                let (count, arr, health, nps, nps_count) = match f {
                    Ok(st) => (
                        st.count.to_string(),
                        money::format_major(st.arr),
                        st.avg_health.map_or(String::new(), |h| format!("{h:.1}")),
                        st.nps.map_or(String::new(), |n| n.nps.to_string()),
                        st.nps.map_or(0, |n| n.count).to_string(),
                    ),
                    Err(_) => Default::default(),
                };
                writer
                    .write_record([
                        s.name.as_str(),
                        &s.expression,
                        if s.builtin { "true" } else { "false" },
                        &count,
                        &arr,
                        &health,
                        &nps,
                        &nps_count,
                    ])
                    .map_err(|e| fail(&e))?;
            }
            String::from_utf8(writer.into_inner().map_err(|e| fail(&e))?).map_err(|e| fail(&e))?
        }
        Format::Table => {
            let mut out = format!(
                "{} {} {} {} {} {}\n",
                fit("SEGMENT", 24),
                fit("COUNT", 6),
                fit("ARR", 9),
                fit("HEALTH", 6),
                fit("NPS", 14),
                "EXPRESSION"
            );
            for (s, f) in &listed {
                let line = match f {
                    Ok(st) => format!(
                        "{} {:>6} {:>9} {:>6} {} {}",
                        fit(&caret(&s.name), 24),
                        st.count,
                        money::format_short(st.arr),
                        st.avg_health.map_or("-".to_owned(), |h| format!("{h:.0}")),
                        fit(
                            &st.nps
                                .map_or("-".to_owned(), |n| format!("{} (n={})", n.nps, n.count)),
                            14
                        ),
                        caret(&s.expression)
                    ),
                    Err(e) => format!("{} broken: {}", fit(&caret(&s.name), 24), caret(e)),
                };
                out.push_str(line.trim_end());
                out.push('\n');
            }
            out
        }
    };
    book::leave(book);
    print(&text)
}

fn json_of(segment: &Segment, figures: &Result<Stats, String>) -> Value {
    let mut value = json!({
        "name": segment.name,
        "expression": segment.expression,
        "builtin": segment.builtin,
    });
    let Value::Object(map) = &mut value else {
        return value;
    };
    match figures {
        Ok(st) => {
            map.insert("count".into(), json!(st.count));
            map.insert("arr".into(), json!(st.arr as f64 / 100.0));
            map.insert(
                "avg_health".into(),
                st.avg_health
                    .map_or(Value::Null, |h| json!((h * 10.0).round() / 10.0)),
            );
            map.insert("nps".into(), st.nps.map_or(Value::Null, |n| json!(n.nps)));
            map.insert("nps_count".into(), json!(st.nps.map_or(0, |n| n.count)));
        }
        Err(e) => {
            for key in ["count", "arr", "avg_health", "nps", "nps_count"] {
                map.insert(key.into(), Value::Null);
            }
            map.insert("error".into(), json!(e));
        }
    }
    value
}

/// Saves or removes a segment.
pub fn run_command(db_path: &Path, command: &SegmentCommand) -> Result<()> {
    let (mut db, book) = book::open(db_path)?;
    match command {
        SegmentCommand::Save { name, expression } => {
            let name = name.trim();
            let (count, replaced) = book
                .check_new_segment(name, expression)
                .map_err(Error::usage)?;
            db.save_segment(name, expression, replaced.as_deref())?;
            let verb = if replaced.is_some() {
                "updated"
            } else {
                "saved"
            };
            print(&format!(
                "{verb} segment '{name}': {}\n",
                crate::domain::plural::count(count, "account")
            ))
        }
        SegmentCommand::Rm { name } => {
            let stored = book.check_remove_segment(name).map_err(|message| {
                if book.segment(name).is_none() {
                    book::unknown_segment(&book, name)
                } else {
                    Error::usage(message)
                }
            })?;
            db.remove_segment(&stored)?;
            print(&format!("removed segment '{stored}'\n"))
        }
    }
}
