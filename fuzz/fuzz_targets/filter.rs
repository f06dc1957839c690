//! Any text typed into the filter line or --where: a parse error or a predicate, never a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let segments = [("loop".to_owned(), "segment:loop".to_owned())];
    let keys: BTreeSet<String> = ["Billing State".to_owned()].into_iter().collect();
    let context = csdeck::domain::filter::Context {
        segments: &segments,
        extra_keys: &keys,
    };
    let _ = csdeck::domain::filter::build(text, &context);
});
