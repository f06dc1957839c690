//! The demo book: a seeded generator (for `csdeck demo` and benchmarks) and the committed
//! sample-data/ book embedded in the binary, loaded into a new database on first run.

pub mod embedded;
pub mod generate;
pub mod rng;
pub mod words;

pub use generate::{DemoBook, DemoSpec, generate_book};
