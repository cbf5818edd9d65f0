//! Named tests for the behaviours the task, spec §12.3 and checklist §20 spell out (all of them were also
//! checked against real ajv, see `tests/fixtures/ajv-vectors.json`).

use novu_framework_schema::mock::mock;
use novu_framework_schema::{Schema, ValidationError};
use serde_json::{Value, json};

fn fixture_schema(name: &str) -> Schema {
    let path = format!("{}/tests/fixtures/schemas.json", env!("CARGO_MANIFEST_DIR"));
    let all: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Schema::compile(&all[name]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn errors(schema: &Schema, data: Value) -> Vec<(String, String)> {
    let mut data = data;
    match schema.validate(&mut data) {
        Ok(()) => Vec::new(),
        Err(errs) => errs.into_iter().map(|ValidationError { path, message }| (path, message)).collect(),
    }
}

fn err(path: &str, message: &str) -> (String, String) {
    (path.to_string(), message.to_string())
}

fn validated(schema: &Schema, data: Value) -> Value {
    let mut data = data;
    schema.validate(&mut data).unwrap_or_else(|e| panic!("{e:?}"));
    data
}

fn compile(schema: Value) -> Schema {
    Schema::compile(&schema).unwrap_or_else(|e| panic!("{e}"))
}

const IN_APP: &str = "step type in_app outputs (welcome/inbox)";
const EMAIL: &str = "step type email outputs (welcome/welcome-email)";
const DIGEST: &str = "step type digest outputs (digest-flow/collect)";

#[test]
fn in_app_empty_strings_report_the_subject_first() {
    let s = fixture_schema(IN_APP);
    assert_eq!(
        errors(&s, json!({"subject": "", "body": ""})),
        [err("/subject", "must NOT have fewer than 1 characters")]
    );
}

#[test]
fn in_app_redirect_target_default_depends_on_the_url() {
    let s = fixture_schema(IN_APP);
    let out = validated(&s, json!({"body": "b", "redirect": {"url": "/rel"}}));
    assert_eq!(out["redirect"]["target"], "_self");
    let out = validated(&s, json!({"body": "b", "redirect": {"url": "https://x.com"}}));
    assert_eq!(out["redirect"]["target"], "_blank");
    let out = validated(&s, json!({"body": "b", "primaryAction": {"label": "Open", "redirect": {"url": "/settings"}}}));
    assert_eq!(out["primaryAction"], json!({"label": "Open", "redirect": {"url": "/settings", "target": "_self"}}));
    let out = validated(&s, json!({"body": "b", "redirect": {"url": "/rel", "target": "_top"}}));
    assert_eq!(out["redirect"]["target"], "_top");
}

#[test]
fn in_app_mailto_and_bad_avatar_fail() {
    let s = fixture_schema(IN_APP);
    let pattern = r#"must match pattern "^(?!mailto:)(?:(https?):\/\/[^\s/$.?#].[^\s]*)|^(\/[^\s]*)$""#;
    assert_eq!(errors(&s, json!({"body": "b", "redirect": {"url": "mailto:a@b.c"}})), [err("/redirect/url", pattern)]);
    assert_eq!(errors(&s, json!({"body": "b", "avatar": "not a uri"})), [err("/avatar", "must match format \"uri\"")]);
}

#[test]
fn in_app_without_subject_and_body_ends_with_the_any_of_error() {
    let s = fixture_schema(IN_APP);
    assert_eq!(
        errors(&s, json!({})),
        [
            err("", "must have required property 'subject'"),
            err("", "must have required property 'body'"),
            err("", "must match a schema in anyOf")
        ]
    );
}

#[test]
fn string_keywords_defer_the_type_check_behind_enum() {
    let s = compile(json!({"type": "string", "minLength": 1, "enum": ["a", "b"]}));
    assert_eq!(errors(&s, json!(5)), [err("", "must be equal to one of the allowed values")]);
    let s = compile(json!({"type": "string", "enum": ["a", "b"]}));
    assert_eq!(errors(&s, json!(5)), [err("", "must be string")]);
}

#[test]
fn required_comes_before_properties() {
    let s = fixture_schema("workflow strict-payload payload");
    let e = errors(&s, json!({"age": "x", "address": 5, "tags": "no"}));
    assert_eq!(e, [err("", "must have required property 'userId'")]);
}

#[test]
fn digest_output_errors_list_each_branch_then_one_of() {
    let s = fixture_schema(DIGEST);
    assert_eq!(
        errors(&s, json!({"amount": 1})),
        [
            err("", "must have required property 'unit'"),
            err("", "must have required property 'cron'"),
            err("", "must match exactly one schema in oneOf")
        ]
    );
}

#[test]
fn digest_output_with_keys_of_both_branches_keeps_the_passing_one() {
    // ajv: the regular branch passes (removing `cron`), so the timed branch no longer sees `cron`.
    let s = fixture_schema(DIGEST);
    assert_eq!(
        validated(&s, json!({"amount": 1, "unit": "hours", "cron": "x"})),
        json!({"amount": 1, "unit": "hours"})
    );
}

#[test]
fn checklist_52_to_56_payloads() {
    let s = compile(json!({
        "type": "object",
        "properties": {"name": {"type": "string", "default": "Anon"}, "count": {"type": "number"}},
        "additionalProperties": false
    }));
    assert_eq!(errors(&s, json!({"name": "x", "count": "abc"})), [err("/count", "must be number")]);
    assert_eq!(validated(&s, json!({})), json!({"name": "Anon"}));
    assert_eq!(validated(&s, json!({"name": "x", "extra": 1})), json!({"name": "x"}));
    let empty = compile(json!({"type": "object", "properties": {}, "required": [], "additionalProperties": false}));
    assert_eq!(validated(&empty, json!({"a": 1, "b": {"c": 2}})), json!({}));
    for bad in [json!([1]), json!("x"), json!(null)] {
        assert_eq!(errors(&s, bad), [err("", "must be object")]);
    }
}

#[test]
fn checklist_60_to_63_hydration() {
    let delay = fixture_schema("step type delay results (delay-then-push/wait)");
    assert_eq!(errors(&delay, json!({"duration": "x"})), [err("/duration", "must be number")]);
    assert_eq!(validated(&delay, json!({"duration": 5, "extra": 1})), json!({"duration": 5}));
    let email = fixture_schema("step type email results (welcome/welcome-email)");
    assert_eq!(validated(&email, json!({"subject": "s", "body": "b"})), json!({}));
    let in_app = fixture_schema("step type in_app results (welcome/inbox)");
    let state = json!({"seen": false, "read": false, "lastSeenDate": null, "lastReadDate": null});
    assert_eq!(validated(&in_app, state.clone()), state);
    assert_eq!(
        errors(&in_app, json!({"seen": "no", "read": false, "lastSeenDate": null, "lastReadDate": null})),
        [err("/seen", "must be boolean")]
    );
    assert_eq!(errors(&in_app, json!({"seen": false})), [err("", "must have required property 'read'")]);
}

#[test]
fn checklist_67_68_controls() {
    let controls = compile(json!({
        "type": "object",
        "properties": {"subject": {"type": "string", "default": "Hello {{payload.name}}"}},
        "additionalProperties": false
    }));
    assert_eq!(errors(&controls, Value::Null), [err("", "must be object")]);
    assert_eq!(errors(&controls, json!({"subject": 5})), [err("/subject", "must be string")]);
    assert_eq!(validated(&controls, json!({"other": 1})), json!({"subject": "Hello {{payload.name}}"}));
}

#[test]
fn checklist_84_85_email_outputs() {
    let s = fixture_schema(EMAIL);
    assert_eq!(
        errors(&s, json!({"subject": "", "body": "b"})),
        [err("/subject", "must NOT have fewer than 1 characters")]
    );
    assert_eq!(validated(&s, json!({"subject": "s", "body": "b", "extra": 1})), json!({"subject": "s", "body": "b"}));
}

#[test]
fn checklist_101_to_104_preview_mocks() {
    let payload = compile(json!({
        "type": "object",
        "properties": {"s": {"type": "string"}, "sd": {"type": "string", "default": "dflt"}},
        "required": ["s"]
    }));
    let m = mock(&payload);
    assert_eq!(m, json!({"s": "[placeholder]"}));
    assert_eq!(validated(&payload, m.clone()), json!({"s": "[placeholder]", "sd": "dflt"}));
    let mut merged = m.as_object().unwrap().clone();
    merged.insert("s".into(), json!("given"));
    assert_eq!(validated(&payload, Value::Object(merged))["s"], "given");
    let custom = compile(
        json!({"type": "object", "properties": {"b": {"type": "number"}, "c": {"type": "string"}}, "required": ["c"]}),
    );
    assert_eq!(mock(&custom), json!({"c": "[placeholder]"}));
}

#[test]
fn numbers_are_doubles() {
    let int = compile(json!({"type": "integer"}));
    assert!(errors(&int, json!(1.0)).is_empty());
    assert!(errors(&int, serde_json::from_str("12345678901234567890").unwrap()).is_empty());
    assert_eq!(errors(&int, json!(1.5)), [err("", "must be integer")]);
    let max = compile(json!({"maximum": 12345678901234567000u64}));
    assert!(errors(&max, serde_json::from_str("12345678901234567890").unwrap()).is_empty(), "same double");
    let mul = compile(json!({"multipleOf": 0.1}));
    assert_eq!(errors(&mul, json!(0.3)), [err("", "must be multiple of 0.1")]);
    let min = compile(json!({"minimum": 1e21}));
    assert_eq!(errors(&min, json!(1)), [err("", "must be >= 1e+21")]);
}

#[test]
fn string_lengths_count_code_points() {
    let s = compile(json!({"type": "string", "maxLength": 2}));
    assert!(errors(&s, json!("😀😀")).is_empty());
    assert_eq!(errors(&s, json!("😀😀😀")), [err("", "must NOT have more than 2 characters")]);
}

#[test]
fn nullable_accepts_null() {
    let s = compile(json!({"type": "string", "format": "date-time", "nullable": true}));
    assert!(errors(&s, Value::Null).is_empty());
    assert_eq!(errors(&s, json!(5)), [err("", "must be string")]);
    assert!(Schema::compile(&json!({"nullable": true})).is_err(), "nullable needs a type");
}

#[test]
fn messages_for_every_keyword() {
    let cases = [
        (json!({"type": ["string", "null"]}), json!(1), "must be string,null"),
        (json!({"maxItems": 1}), json!([1, 2]), "must NOT have more than 1 items"),
        (json!({"minItems": 3}), json!([1]), "must NOT have fewer than 3 items"),
        (json!({"minProperties": 1}), json!({}), "must NOT have fewer than 1 properties"),
        (json!({"maxProperties": 0}), json!({"a": 1}), "must NOT have more than 0 properties"),
        (json!({"exclusiveMinimum": 1}), json!(1), "must be > 1"),
        (json!({"exclusiveMaximum": 1}), json!(1), "must be < 1"),
        (json!({"const": 1}), json!(2), "must be equal to constant"),
        (
            json!({"uniqueItems": true}),
            json!([1, 2, 1, 2]),
            "must NOT have duplicate items (items ## 1 and 3 are identical)",
        ),
        (
            json!({"items": {"type": "number"}, "uniqueItems": true}),
            json!([1, 2, 1, 2]),
            "must NOT have duplicate items (items ## 3 and 1 are identical)",
        ),
        (json!({"not": {"type": "string"}}), json!("x"), "must NOT be valid"),
        (json!({"contains": {"type": "string"}}), json!([1]), "must contain at least 1 valid item(s)"),
        (json!({"dependencies": {"a": ["b"]}}), json!({"a": 1}), "must have property b when property a is present"),
        (
            json!({"dependencies": {"a": ["b", "c"]}}),
            json!({"a": 1}),
            "must have properties b, c when property a is present",
        ),
        (json!({"items": [{}], "additionalItems": false}), json!([1, 2]), "must NOT have more than 1 items"),
        (json!(false), json!(1), "boolean schema is false"),
    ];
    for (schema, data, message) in cases {
        let e = errors(&compile(schema.clone()), data);
        assert_eq!(e.last().map(|(_, m)| m.as_str()), Some(message), "{schema}");
    }
    let names = compile(json!({"propertyNames": {"maxLength": 3}}));
    assert_eq!(
        errors(&names, json!({"abcd": 1})),
        [err("", "must NOT have more than 3 characters"), err("", "property name must be valid")]
    );
    let cond = compile(json!({"anyOf": [{"if": {"type": "string"}, "then": {"minLength": 2}}]}));
    assert_eq!(
        errors(&cond, json!("a")),
        [
            err("", "must NOT have fewer than 2 characters"),
            err("", "must match \"then\" schema"),
            err("", "must match a schema in anyOf")
        ]
    );
}

#[test]
fn paths_are_escaped_json_pointers() {
    let s = compile(json!({"properties": {"a/b": {"properties": {"c~d": {"items": {"type": "string"}}}}}}));
    assert_eq!(errors(&s, json!({"a/b": {"c~d": ["x", 1]}})), [err("/a~1b/c~0d/1", "must be string")]);
}

#[test]
fn remove_additional_failing() {
    let s = compile(json!({
        "type": "object",
        "properties": {"a": {}},
        "patternProperties": {"^x-": {"type": "string"}},
        "additionalProperties": {"type": "number"}
    }));
    assert_eq!(
        validated(&s, json!({"a": "k", "x-y": "s", "n": 1, "s": "gone"})),
        json!({"a": "k", "x-y": "s", "n": 1})
    );
}

#[test]
fn references() {
    let s = compile(json!({
        "$id": "http://example.com/root.json",
        "definitions": {"pos": {"$id": "pos.json", "type": "integer", "minimum": 1}, "a/b": {"type": "string"}},
        "type": "object",
        "properties": {
            "n": {"$ref": "pos.json"},
            "s": {"$ref": "#/definitions/a~1b"},
            "kids": {"type": "array", "items": {"$ref": "#"}}
        }
    }));
    assert_eq!(errors(&s, json!({"n": 0})), [err("/n", "must be >= 1")]);
    assert_eq!(errors(&s, json!({"s": 1})), [err("/s", "must be string")]);
    assert_eq!(errors(&s, json!({"kids": [{"kids": [{"n": "x"}]}]})), [err("/kids/0/kids/0/n", "must be integer")]);
    let missing = Schema::compile(&json!({"properties": {"a": {"$ref": "#/definitions/nope"}}})).unwrap_err();
    assert_eq!(missing.pointer, "/properties/a");
}

#[test]
fn pydantic_v2_schemas_work() {
    let s = fixture_schema("handwritten pydantic");
    let out = validated(&s, json!({"name": "n", "address": {"city": "c"}, "pair": ["a", 1]}));
    assert_eq!(out["age"], 18, "defaults from properties");
    assert_eq!(out["address"], json!({"city": "c", "zip": null}), "defaults through a $ref");
    assert_eq!(errors(&s, json!({"name": "n", "address": {"city": "c"}, "age": 0})), [err("/age", "must be > 0")]);
    assert_eq!(
        errors(&s, json!({"name": "n", "address": {"city": "c"}, "pair": [1]})),
        [err("/pair", "must NOT have fewer than 2 items")]
    );
}

#[test]
fn unknown_keywords_and_boolean_schemas() {
    let s = compile(
        json!({"type": "object", "properties": {"x": true, "y": false}, "foo": {"type": "number"}, "examples": [1]}),
    );
    assert!(errors(&s, json!({"x": 1})).is_empty());
    assert_eq!(errors(&s, json!({"y": 1})), [err("/y", "boolean schema is false")]);
}

#[test]
fn schema_errors_say_what_and_where() {
    let e = Schema::compile(&json!({"properties": {"a": {"type": "strin"}}})).unwrap_err();
    assert!(e.message.contains("/properties/a/type"), "{e}");
    let e = Schema::compile(&json!({"properties": {"a": {"type": "string", "pattern": "(?i)x"}}})).unwrap_err();
    assert_eq!(e.pointer, "/properties/a");
    assert!(e.message.contains("Invalid regular expression"), "{e}");
    assert!(Schema::compile(&json!({"$schema": "https://json-schema.org/draft/2020-12/schema"})).is_err());
    assert!(Schema::compile(&json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"})).is_ok());
}

#[test]
fn schemas_are_shareable() {
    fn send_sync<T: Send + Sync + Clone>() {}
    send_sync::<Schema>();
    let s = compile(json!({"type": "string"}));
    assert_eq!(s.source(), &json!({"type": "string"}));
}
