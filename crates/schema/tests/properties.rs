//! Property: filling defaults is idempotent. Whatever validated once validates again unchanged, and the
//! first pass only added to the data.
//!
//! Schemas here never remove properties and choose no branch by data (no `additionalProperties`, `anyOf`,
//! `oneOf`, `if`, `not`, `dependencies`, `contains`): there ajv itself is not idempotent (see
//! `ajv_removes_after_checking_required` below), and this crate does what ajv does.

use novu_framework_schema::Schema;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn small_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..4).prop_map(Value::from),
        prop_oneof![Just(0.5), Just(-1.25), Just(2.0)].prop_map(Value::from),
        "[a-c]{0,3}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-d]", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn with_default(mut schema: Value, default: Option<Value>) -> Value {
    if let Some(d) = default {
        schema["default"] = d;
    }
    schema
}

fn leaf_schema() -> impl Strategy<Value = Value> {
    let default = || prop::option::of(small_json());
    prop_oneof![
        (prop::option::of(0u8..3), default())
            .prop_map(|(min, d)| with_default(json!({"type": "string", "minLength": min.unwrap_or(0)}), d)),
        (prop_oneof![Just("number"), Just("integer")], -2i64..2, default())
            .prop_map(|(t, min, d)| with_default(json!({"type": t, "minimum": min}), d)),
        default().prop_map(|d| with_default(json!({"type": "boolean"}), d)),
        default().prop_map(|d| with_default(json!({}), d)),
        (prop::collection::btree_set("[a-c]{0,2}", 1..3), default())
            .prop_map(|(values, d)| with_default(json!({"enum": values}), d)),
        (prop::collection::btree_set(-2i64..3, 1..3), default())
            .prop_map(|(values, d)| with_default(json!({"enum": values}), d)),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf_schema().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (
                prop::collection::btree_map("[a-d]", inner.clone(), 0..4),
                prop::collection::btree_set("[a-d]", 0..3),
                prop::option::of(0u8..4),
                prop::option::of(small_json()),
            )
                .prop_map(|(properties, required, max, d)| {
                    let mut s = json!({"type": "object", "properties": properties, "required": required});
                    if let Some(max) = max {
                        s["maxProperties"] = json!(max);
                    }
                    with_default(s, d)
                }),
            (inner.clone(), prop::option::of(0u8..3), prop::option::of(small_json())).prop_map(|(items, min, d)| {
                with_default(json!({"type": "array", "items": items, "minItems": min.unwrap_or(0)}), d)
            }),
            prop::collection::vec(inner, 1..3).prop_map(|all| json!({"allOf": all})),
        ]
    })
}

/// Whether `filled` holds everything `original` holds (objects may have gained keys, nothing else changed).
fn extends(filled: &Value, original: &Value) -> bool {
    match (filled, original) {
        (Value::Object(f), Value::Object(o)) => o.iter().all(|(k, v)| f.get(k).is_some_and(|fv| extends(fv, v))),
        (Value::Array(f), Value::Array(o)) => f.len() == o.len() && f.iter().zip(o).all(|(a, b)| extends(a, b)),
        _ => filled == original,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn default_filling_is_idempotent(schema in schema(), data in small_json()) {
        let compiled = Schema::compile(&schema).expect("generated schemas are valid draft-07");
        let mut once = data.clone();
        if compiled.validate(&mut once).is_ok() {
            prop_assert!(extends(&once, &data), "filling changed data: {} -> {}", data, once);
            let mut twice = once.clone();
            let again = compiled.validate(&mut twice);
            prop_assert!(again.is_ok(), "{} validated, then its filled form {} failed: {:?}", data, once, again);
            prop_assert_eq!(&twice, &once);
        }
    }
}

/// ajv 8 (useDefaults, removeAdditional "failing") checks `required` before `additionalProperties` removes
/// the property it asked for: the data is valid, and what is left is not. Kept as ajv does it.
#[test]
fn ajv_removes_after_checking_required() {
    let schema = Schema::compile(&json!({"required": ["a"], "additionalProperties": false})).unwrap();
    let mut data = json!({"a": "ab"});
    assert_eq!(schema.validate(&mut data), Ok(()));
    assert_eq!(data, json!({}));
    assert!(schema.validate(&mut data).is_err());
}
