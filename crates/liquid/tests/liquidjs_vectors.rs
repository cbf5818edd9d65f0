//! Differential vectors: templates rendered straight through liquidjs 10.30.1 with the Liquid instance
//! @novu/framework 2.13.2 builds (its output escaping and filters), each output decoded as the JSON string
//! upstream parses it as (tools/gen_render_vectors.cjs). Every template renders here to the same text, or
//! fails with the same liquidjs error class.

use novu_framework_liquid::{Limits, Session, parse};
use serde_json::Value;

#[test]
fn renders_as_liquidjs_does() {
    let doc: Value = serde_json::from_str(include_str!("fixtures/liquidjs_vectors.json")).unwrap();
    let context = &doc["context"];
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() > 2_000, "{} vectors", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let template = case["template"].as_str().unwrap();
        let got = parse(template).and_then(|t| Session::new(context, Limits::default()).render(&t));
        let ok = match (&got, case.get("output"), case.get("error")) {
            (Ok(text), Some(expected), _) => expected.as_str() == Some(text.as_str()),
            (Err(e), _, Some(class)) => class.as_str() == Some(e.kind.class_name()),
            _ => false,
        };
        if !ok {
            failures.push(format!("{template:?}: liquidjs {case}, here {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
