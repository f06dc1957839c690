//! Any file's bytes handed to the importer: a summary or an error, never a crash.
#![no_main]

use csdeck::storage::Db;
use csdeck::storage::import::{ImportOptions, prepare_text, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = ImportOptions::new(jiff::civil::date(2026, 11, 24));
    let content = text::decode(data);
    if let Ok(prepared) = prepare_text("fuzz.csv", &content, &options)
        && let Ok(mut db) = Db::open_in_memory()
    {
        let _ = db.import_all(vec![prepared], &options);
    }
});
