//! Mocks validate against their own schema: every real schema (`tests/fixtures/schemas.json`), every schema
//! of the differential fixture that some data satisfies, and the spec's examples.

use novu_framework_json as json;
use novu_framework_schema::Schema;
use novu_framework_schema::mock::mock;
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn validates(schema: &Schema, value: &Value) -> bool {
    schema.validate(&mut value.clone()).is_ok()
}

#[test]
fn mocks_of_real_schemas_validate() {
    let schemas = fixture("schemas.json");
    let map = schemas.as_object().unwrap();
    assert!(map.len() > 100);
    for (name, source) in map {
        let schema = Schema::compile(source).unwrap_or_else(|e| panic!("{name}: {e}"));
        let value = mock(&schema);
        assert!(validates(&schema, &value), "{name}: mock {} does not validate", json::stringify(&value));
    }
}

#[test]
fn mocks_of_satisfiable_fixture_schemas_validate() {
    // `AJV_VECTORS=<file>` measures another generated file instead (reporting, not asserting).
    let other = std::env::var("AJV_VECTORS").ok();
    let vectors: Value = match &other {
        Some(file) => serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap(),
        None => fixture("ajv-vectors.json"),
    };
    let mut satisfiable = std::collections::BTreeMap::new();
    for v in vectors.as_array().unwrap() {
        if v["expected"]["valid"] == true
            && let Some(schema) = v["schema"].get("value")
        {
            satisfiable.insert(json::stringify(schema), schema.clone());
        }
    }
    let mut failures = Vec::new();
    for source in satisfiable.values() {
        let schema = Schema::compile(source).unwrap();
        let value = mock(&schema);
        if !validates(&schema, &value) {
            failures.push(format!("{} -> {}", json::stringify(source), json::stringify(&value)));
        }
    }
    eprintln!("{} satisfiable schemas, {} mocks invalid", satisfiable.len(), failures.len());
    if other.is_some() {
        eprintln!("{}", failures.join("\n"));
        return;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn spec_examples() {
    let m = |s: Value| mock(&Schema::compile(&s).unwrap());
    assert_eq!(m(json!({"type": "string", "minLength": 20})), json!("[placeholder][placeholder]"));
    assert_eq!(
        m(
            json!({"type": "object", "properties": {"r": {"type": "string", "default": "RD"}, "rn": {"type": "number", "default": 42}, "o": {"type": "string", "default": "x"}}, "required": ["r", "rn"]})
        ),
        json!({"r": "RD", "rn": 42})
    );
    assert_eq!(m(json!({"type": "string", "format": "email"})), json!("user@example.com"));
    assert_eq!(m(json!({"type": "string", "format": "date-time"})), json!("1970-01-01T00:00:00.000Z"));
    assert_eq!(m(json!({"type": "string", "format": "uri"})), json!("https://example.com"));
    assert_eq!(m(json!({"enum": ["b", "a"]})), json!("b"));
    assert_eq!(m(json!({"const": {"k": 1}})), json!({"k": 1}));
    assert_eq!(m(json!({"type": ["null", "integer"], "minimum": 3})), json!(3));
    assert_eq!(m(json!({"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.5})), json!(0.5));
    assert_eq!(m(json!({"type": "integer", "maximum": -3})), json!(-3));
    assert_eq!(m(json!({"type": "boolean"})), json!(false));
    assert_eq!(m(json!({"type": "null"})), json!(null));
    assert_eq!(
        m(json!({"type": "array", "items": {"type": "string"}, "minItems": 2})),
        json!(["[placeholder]", "[placeholder]"])
    );
    assert_eq!(m(json!({"type": "array", "items": {"type": "string"}})), json!(["[placeholder]"]));
    assert_eq!(m(json!({"type": "string", "maxLength": 5})), json!("[plac"));
    assert_eq!(m(json!({"type": "string", "pattern": "^[0-9]{5}$"})), json!("00000"));
    assert_eq!(m(json!({"oneOf": [{"type": "string"}, {"type": "number"}]})), json!("[placeholder]"));
}

#[test]
fn preview_payload_of_the_strict_workflow() {
    // Upstream (json-schema-faker) produced `User [placeholder] (29) from [placeholder]; tags: `, the age random.
    let schemas = fixture("schemas.json");
    let schema = Schema::compile(&schemas["workflow strict-payload payload"]).unwrap();
    let payload = mock(&schema);
    assert_eq!(payload, json!({"userId": "[placeholder]", "age": 13, "address": {"city": "[placeholder]"}}));
    assert!(validates(&schema, &payload));
}

#[test]
fn mocks_are_stable_and_bounded_for_recursive_schemas() {
    let schema = Schema::compile(&json!({
        "type": "object",
        "properties": {"name": {"type": "string"}, "child": {"$ref": "#"}},
        "required": ["name", "child"]
    }))
    .unwrap();
    let first = mock(&schema);
    assert_eq!(first, mock(&schema));
    let depth = json::stringify(&first).matches("child").count();
    assert!(depth <= 4, "{first}");
}
