//! JSON Schema compilation and validation with defaults, additional-property removal and the preview mock.
//! Default filling is idempotent: validating what a successful validation produced changes nothing. Not
//! checked where ajv is not idempotent either: conditional keywords (their branch choice can change once
//! defaults are filled) and `additionalProperties` (ajv checks `required` before removing a property, so
//! `{"required": ["a"], "additionalProperties": false}` accepts `{"a": 1}` and leaves `{}`).
//!
//! Fields: schema (JSON), data (JSON).

#![no_main]

use libfuzzer_sys::fuzz_target;
use novu_framework_core::json;
use novu_framework_core::mock::mock;
use novu_framework_core::schema::Schema;
use novu_framework_fuzz::fields;
use serde_json::Value;

/// Whether the schema can remove properties, or choose what gets filled depending on the data.
fn conditional(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => map.iter().any(|(k, v)| {
            let removes = k == "additionalProperties" && v != &Value::Bool(true);
            removes
                || matches!(k.as_str(), "anyOf" | "oneOf" | "if" | "not" | "dependencies" | "contains")
                || conditional(v)
        }),
        Value::Array(items) => items.iter().any(conditional),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let [schema, value] = fields::<2>(data);
    let Ok(schema_value) = json::parse(schema) else { return };
    let Ok(schema) = Schema::compile(&schema_value) else { return };
    let _ = mock(&schema);
    let Ok(mut value) = json::parse(value) else { return };
    if schema.validate(&mut value).is_ok() && !conditional(&schema_value) {
        let mut again = value.clone();
        let second = schema.validate(&mut again);
        assert!(second.is_ok(), "valid once, then {second:?}: {}", json::stringify(&value));
        assert_eq!(again, value, "defaults filled twice differ");
    }
});
