//! Mocks validate against their own schema: every real schema (`tests/fixtures/schemas.json`), every schema
//! of the differential fixture that some data satisfies, and the spec's examples.

use novu_framework_json as json;
use novu_framework_schema::Schema;
use novu_framework_schema::mock::{discovery_mock, mock};
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

#[test]
fn discovery_payload_holds_every_declared_property_nested_too() {
    let schemas = fixture("schemas.json");
    let schema = Schema::compile(&schemas["workflow strict-payload payload"]).unwrap();
    let payload = discovery_mock(&schema);
    assert_eq!(
        payload,
        json!({
            "userId": "[placeholder]",
            "age": 13,
            "email": "user@example.com",
            "address": {"city": "[placeholder]", "zip": "00000"},
            "tags": ["[placeholder]"]
        })
    );
    assert!(validates(&schema, &payload));
    // The preview mock of the same schema is unchanged: required properties only.
    assert_eq!(mock(&schema), json!({"userId": "[placeholder]", "age": 13, "address": {"city": "[placeholder]"}}));
}

#[test]
fn discovery_payload_takes_defaults_and_follows_refs_like_pydantic_schemas() {
    // The shape pydantic v2 writes: nested models behind `$defs`, optional fields as `anyOf` with null.
    let schema = Schema::compile(&json!({
        "type": "object",
        "$defs": {"Address": {"type": "object", "properties": {"city": {"type": "string", "default": "Paris"},
            "lines": {"type": "array", "items": {"type": "object", "properties": {"text": {"type": "string"}}}}}}},
        "properties": {
            "name": {"type": "string", "default": "friend"},
            "nickname": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": null},
            "address": {"$ref": "#/$defs/Address"},
            "plan": {"default": "free"},
            "count": {"type": "integer", "exclusiveMinimum": 0}
        },
        "required": ["address"]
    }))
    .unwrap();
    let payload = discovery_mock(&schema);
    assert_eq!(
        payload,
        json!({
            "name": "friend",
            "nickname": null,
            "address": {"city": "Paris", "lines": [{"text": "[placeholder]"}]},
            "plan": "free",
            "count": 1
        })
    );
    assert!(validates(&schema, &payload));
}

#[test]
fn discovery_payload_falls_back_when_a_complete_object_cannot_be_valid() {
    let schema = Schema::compile(&json!({
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "never": false},
        "required": ["a"],
        "maxProperties": 2
    }))
    .unwrap();
    let payload = discovery_mock(&schema);
    assert!(validates(&schema, &payload), "{payload}");
    assert_eq!(payload, json!({"a": "[placeholder]"}));
}

#[test]
fn discovery_payloads_of_real_schemas_validate_and_hold_their_declared_properties() {
    let schemas = fixture("schemas.json");
    for (name, source) in schemas.as_object().unwrap() {
        let schema = Schema::compile(source).unwrap();
        let payload = discovery_mock(&schema);
        assert!(validates(&schema, &payload), "{name}: {} does not validate", json::stringify(&payload));
        if let (Some(declared), Some(object)) = (source["properties"].as_object(), payload.as_object())
            && source.get("maxProperties").is_none()
        {
            let missing: Vec<_> = declared.keys().filter(|k| !object.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{name}: {missing:?} missing from {}", json::stringify(&payload));
        }
    }
}

#[test]
fn discovery_payloads_are_bounded_for_recursive_schemas() {
    let schema = Schema::compile(&json!({
        "type": "object",
        "properties": {"name": {"type": "string"}, "child": {"$ref": "#"}, "children": {"type": "array", "items": {"$ref": "#"}}}
    }))
    .unwrap();
    let payload = discovery_mock(&schema);
    assert!(validates(&schema, &payload), "{payload}");
    assert!(json::stringify(&payload).len() < 100_000);
}

#[test]
fn discovery_payloads_of_satisfiable_fixture_schemas_validate() {
    let vectors = fixture("ajv-vectors.json");
    let mut failures = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for v in vectors.as_array().unwrap() {
        let Some(source) = v["schema"].get("value").filter(|_| v["expected"]["valid"] == true) else {
            continue;
        };
        if !seen.insert(json::stringify(source)) {
            continue;
        }
        let schema = Schema::compile(source).unwrap();
        let payload = discovery_mock(&schema);
        if !validates(&schema, &payload) {
            failures.push(format!("{} -> {}", json::stringify(source), json::stringify(&payload)));
        }
    }
    assert!(seen.len() > 100);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
