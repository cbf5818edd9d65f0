//! Found by comparing the fuzzer's schema corpus with ajv: ajv's generated code keeps a `valid` variable per
//! tuple `items` keyword and per `contains` keyword, and code that assigns it nothing leaves what an earlier
//! evaluation in the same function left there (an earlier item of an enclosing array). After a tuple,
//! `contains` and `uniqueItems` run only while the tuple's variable is true, and an array too short for the
//! first checked position assigns it nothing; `contains` on an empty array assigns its own nothing either.
//! A reference ajv compiles as a function of its own starts afresh. Expected results recorded from ajv 8 as
//! @novu/framework 2.13.2 configures it.

use novu_framework_schema::Schema;
use serde_json::{Value, json};

fn first_error(schema: &Value, data: Value) -> Option<(String, String)> {
    let mut data = data;
    Schema::compile(schema).unwrap().validate(&mut data).err().map(|e| (e[0].path.clone(), e[0].message.clone()))
}

#[test]
fn short_arrays_skip_contains_until_the_tuple_was_checked() {
    let nested = json!({"type": "array", "items": {"type": "array", "items": [{"type": "string"}], "contains": {}}});
    let contains = |at: &str| Some((at.to_string(), "must contain at least 1 valid item(s)".to_string()));
    assert_eq!(first_error(&nested, json!([[]])), None);
    assert_eq!(first_error(&nested, json!([[], []])), None);
    assert_eq!(first_error(&nested, json!([["z"], []])), contains("/1"));
    assert_eq!(first_error(&nested, json!([[], ["z"], []])), contains("/2"));
    // The same through an inlined reference, and through a recursive one (a function of its own).
    let inlined = json!({"type": "array", "definitions": {"t": {"type": "array", "items": [{"type": "string"}],
        "contains": {}}}, "items": {"$ref": "#/definitions/t"}});
    assert_eq!(first_error(&inlined, json!([["z"], []])), contains("/1"));
    let called = json!({"definitions": {"t": {"type": "array", "items": [{"type": "string"}, {"$ref": "#/definitions/t"}],
        "contains": {}}}, "type": "array", "items": {"$ref": "#/definitions/t"}});
    assert_eq!(first_error(&called, json!([["z"], []])), None);
}

#[test]
fn contains_on_an_empty_array_answers_as_it_last_did() {
    let nested = json!({"type": "array", "items": {"type": "array", "contains": {"const": "z"}}});
    let contains = |at: &str| Some((at.to_string(), "must contain at least 1 valid item(s)".to_string()));
    assert_eq!(first_error(&nested, json!([["z"], []])), None);
    assert_eq!(first_error(&nested, json!([[], ["z"]])), contains("/0"));
    assert_eq!(first_error(&nested, json!([["z"], ["y"], []])), contains("/1"));
    let after_tuple =
        json!({"type": "array", "items": {"type": "array", "items": [{"type": "string"}], "contains": {"const": "z"}}});
    assert_eq!(first_error(&after_tuple, json!([["z"], []])), None);
    assert_eq!(first_error(&after_tuple, json!([["y"], []])), contains("/0"));
    assert_eq!(first_error(&after_tuple, json!([[], []])), None);
}
