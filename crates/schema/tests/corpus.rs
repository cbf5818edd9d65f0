//! Every validation answer of the conformance corpus (extracted by `tools/gen-corpus.cjs`): the same error
//! array, and where the answer shows the validated data (step outputs), the same data.

use novu_framework_json as json;
use novu_framework_schema::Schema;
use serde_json::Value;

#[test]
fn corpus_error_arrays_are_reproduced() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus-validation.json")).unwrap();
    let entries: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(entries.len() >= 25);
    for entry in &entries {
        let id = entry["id"].as_str().unwrap();
        let schema = Schema::compile(&entry["schema"]).unwrap_or_else(|e| panic!("{id}: {e}"));
        let mut data = entry["input"].clone();
        let errors: Vec<Value> = match schema.validate(&mut data) {
            Ok(()) => Vec::new(),
            Err(errs) => errs.iter().map(|e| serde_json::json!({"path": e.path, "message": e.message})).collect(),
        };
        assert_eq!(Value::Array(errors), entry["errors"], "{id}");
        if let Some(expected) = entry.get("output") {
            assert_eq!(json::stringify(&data), json::stringify(expected), "{id}");
        }
    }
}
