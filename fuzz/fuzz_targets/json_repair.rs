//! JSON repair (the npm `jsonrepair` port): any text, repaired without a panic, a hang or unbounded memory.
//!
//! What the repair produces is not checked here: it must be what jsonrepair 3.15.0 produces, which is not
//! always JSON (`z(` repairs to an empty text, raw control characters stay inside strings,
//! `callback(,"a")` keeps its stray comma) and not idempotent (`["a[b"]` becomes `["a",["b"]]`). The
//! differential vectors in crates/json/tests check the output itself.

#![no_main]

use libfuzzer_sys::fuzz_target;
use novu_framework_core::json;
use novu_framework_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let input = text(data);
    if let Ok(repaired) = json::jsonrepair(&input) {
        // Controls parse what was repaired: that must not fail in any other way than with an error.
        let _ = json::parse(repaired.as_bytes());
    }
});
