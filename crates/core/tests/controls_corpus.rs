//! The Liquid-related execute cases of the conformance corpus (tools/extract_corpus.cjs): compiled
//! controls must match what upstream's recorded answers imply.

use novu_framework_core::controls::compile_controls;
use novu_framework_core::json;
use novu_framework_core::liquid::Limits;
use serde_json::{Value, json};

/// Cases where this project answers differently on purpose (deviations.json).
fn deviation(id: &str) -> Option<Value> {
    match id {
        // Double-quoted Liquid literals are accepted (a superset of upstream).
        "welcome-inbox-liquid-double-quotes" => Some(json!({ "ok": { "subject": "PRO", "body": "Welcome to pro" } })),
        _ => None,
    }
}

#[test]
fn corpus_cases_compile_like_upstream() {
    let cases: Value = serde_json::from_str(include_str!("fixtures/corpus_liquid.json")).unwrap();
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 30);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let result = compile_controls(&case["controls"], &case["context"], &Limits::default());
        let expect = deviation(id).unwrap_or_else(|| case["expect"].clone());
        match (&expect.get("ok"), result) {
            (Some(fields), Ok(compiled)) => {
                for (key, want) in fields.as_object().unwrap() {
                    assert_eq!(json::stringify(&compiled[key]), json::stringify(want), "{id}: control {key}");
                }
            }
            (None, Err(e)) => assert_eq!(e.data, expect["error"], "{id}"),
            (_, other) => panic!("{id}: expected {expect}, got {other:?}"),
        }
    }
}
