//! Today's date, pinned by `CSDECK_TODAY=YYYY-MM-DD` for tests and reproducible demos.

use crate::error::{Error, Result};
use jiff::civil::Date;

/// The environment variable that pins today's date.
pub const TODAY_VAR: &str = "CSDECK_TODAY";

/// Today's date: `CSDECK_TODAY` if set, else the local calendar date.
pub fn today() -> Result<Date> {
    match std::env::var(TODAY_VAR) {
        Ok(text) if !text.trim().is_empty() => text.trim().parse::<Date>().map_err(|_| {
            Error::usage(format!(
                "{TODAY_VAR}={text:?} is not a date: use YYYY-MM-DD, e.g. {TODAY_VAR}=2026-11-24"
            ))
        }),
        _ => Ok(jiff::Zoned::now().date()),
    }
}
