//! Liquid parsing and rendering: any template against a context, under a small budget. A successful render
//! stays within every limit of the budget.
//!
//! Fields: context (a JSON object; anything else uses a fixed context), template.

#![no_main]

use libfuzzer_sys::fuzz_target;
use novu_framework_core::json;
use novu_framework_core::liquid::{self, Session};
use novu_framework_fuzz::{fields, small_limits, text};
use serde_json::{Value, json};

fn default_context() -> Value {
    json!({
        "payload": {"name": "Bob", "n": 1.5, "i": 42, "neg": -3, "big": 1e21, "s": "a, b, c", "html": "<b>x</b>",
                    "arr": [3, 1, "a", null, true, {"k": "v"}], "nested": {"a": {"b": [1, [2, [3]]]}},
                    "date": "2024-03-07T10:30:00Z", "empty": "", "nul": null},
        "subscriber": {"subscriberId": "s1", "firstName": "Ada", "locale": "en_US", "data": {"vip": true}},
        "steps": {"digest": {"events": [{"payload": {"x": 1}}, {"payload": {"x": 2}}]}},
        "workflow": {"workflowId": "wf", "tags": ["t1", "t2"]},
    })
}

fuzz_target!(|data: &[u8]| {
    let [context, template] = fields::<2>(data);
    let context = json::parse(context).ok().filter(Value::is_object).unwrap_or_else(default_context);
    let src = text(template);
    let Ok(template) = liquid::parse(&src) else { return };
    let limits = small_limits();
    let mut session = Session::new(&context, limits);
    for _ in 0..2 {
        // A second render reuses the session: assigned variables and counters carry over, the budget too.
        let Ok(out) = session.render(&template) else { return };
        let usage = session.usage();
        assert!(out.len() <= limits.max_output_bytes, "{} output bytes", out.len());
        assert!(usage.output <= limits.max_output_bytes, "{usage:?}");
        assert!(usage.iterations <= limits.max_iterations, "{usage:?}");
        assert!(usage.work <= limits.max_work_bytes, "{usage:?}");
    }
});
