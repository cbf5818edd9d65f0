//! Replays inputs recorded through upstream's own sanitiser (tools/gen_sanitize_vectors.cjs) and requires
//! byte-identical output, except for the few deliberate differences the fixture marks with `ours`.

use novu_framework_json::stringify;
use novu_framework_sanitize::{sanitize_html, sanitize_value};
use serde_json::Value;

#[test]
fn matches_upstream_byte_for_byte() {
    let text = include_str!("fixtures/sanitize_vectors.json");
    let fixture: Value = serde_json::from_str(text).expect("fixture parses");
    let vectors = fixture["vectors"].as_array().expect("vectors array");
    assert!(vectors.len() > 500);
    let mut failures = Vec::new();
    for v in vectors {
        let input = v["input"].as_str().expect("input");
        let expected = v.get("ours").and_then(Value::as_str).or_else(|| v["output"].as_str()).expect("output");
        let got = sanitize_html(input);
        if got != expected {
            failures.push(format!("input:    {input:?}\nexpected: {expected:?}\ngot:      {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors differ:\n{}",
        failures.len(),
        vectors.len(),
        failures.iter().take(40).cloned().collect::<Vec<_>>().join("\n\n")
    );
}

#[test]
fn output_objects_match_upstream() {
    let text = include_str!("fixtures/sanitize_value_vectors.json");
    let vectors: Value = serde_json::from_str(text).expect("fixture parses");
    let vectors = vectors.as_array().expect("array");
    assert!(vectors.len() > 100);
    for v in vectors {
        let input = v["input"].as_str().expect("input");
        let mut value: Value = serde_json::from_str(input).expect("input JSON");
        sanitize_value(&mut value);
        assert_eq!(stringify(&value), v["output"].as_str().expect("output"), "input {input}");
    }
}
