//! Plain types and pure logic of a book of business: no I/O, no SQL, no terminal.
//!
//! Everything here is deterministic given its inputs (today's date is always passed in), so the
//! list, the CLI and the tests agree on every derived number.

pub mod account;
pub mod book;
pub mod brief;
pub mod explain;
pub mod export;
pub mod fields;
pub mod filter;
pub mod health;
pub mod health_config;
pub mod history;
pub mod listing;
pub mod money;
pub mod nps;
pub mod plural;
pub mod row;
pub mod sanitize;
pub mod segment;
pub mod tag;
pub mod tier;
pub mod timeline;
pub mod triage;
pub mod usage;
pub mod width;
pub mod word;

pub use account::{Account, Lifecycle, Status};
pub use jiff::civil::Date;
pub use row::AccountRow;
pub use usage::Usage;
