//! Control compilation (spec §10.5): every string of a controls document rendered as Liquid with one shared
//! session and the JSON round trip upstream applies, under a small budget.
//!
//! Fields: render context (a JSON object; anything else uses a fixed one), controls (JSON; anything else is
//! used as the one control `body`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use novu_framework_core::controls::compile_controls;
use novu_framework_core::json;
use novu_framework_fuzz::{fields, small_limits, text};
use serde_json::{Value, json};

fuzz_target!(|data: &[u8]| {
    let [context, controls] = fields::<2>(data);
    let context = json::parse(context).ok().filter(Value::is_object).unwrap_or_else(
        || json!({"payload": {"name": "Bob", "items": [1, 2, 3]}, "subscriber": {"firstName": "Ada"}, "steps": {}}),
    );
    let controls = json::parse(controls).unwrap_or_else(|_| json!({"body": text(controls)}));
    if let Ok(compiled) = compile_controls(&controls, &context, &small_limits()) {
        // What comes out is served as JSON text: it must survive a round trip.
        let out = json::stringify(&compiled);
        assert!(json::parse(out.as_bytes()).is_ok(), "{out}");
    }
});
