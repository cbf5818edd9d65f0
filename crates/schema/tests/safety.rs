//! Hostile schemas and data: no panic, no stack overflow, bounded time.

use novu_framework_schema::Schema;
use novu_framework_schema::mock::mock;
use serde_json::{Value, json};

fn nested_arrays(depth: usize) -> Value {
    let mut v = json!(1);
    for _ in 0..depth {
        v = Value::Array(vec![v]);
    }
    v
}

/// Drops a deeply nested value without recursion (serde_json's own drop would recurse).
fn dismantle(mut v: Value) {
    let mut stack = Vec::new();
    loop {
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
            _ => {}
        }
        match stack.pop() {
            Some(next) => v = next,
            None => break,
        }
    }
}

#[test]
fn data_nested_as_deep_as_the_parser_allows_validates_on_a_default_thread_stack() {
    // 128 levels is the JSON parser's limit; each level goes through a `$ref` and an `anyOf`. 2 MiB is
    // the stack of a spawned Rust (and tokio) thread.
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let schema =
                Schema::compile(&json!({"anyOf": [{"type": "array", "items": {"$ref": "#"}}, {"type": "number"}]}))
                    .unwrap();
            let mut data = nested_arrays(127);
            assert!(schema.validate(&mut data).is_ok());
            let mut bad = nested_arrays(127);
            let mut at = &mut bad;
            while let Value::Array(items) = at {
                at = &mut items[0];
            }
            *at = json!("x");
            let errors = schema.validate(&mut bad).unwrap_err();
            assert!(errors.len() > 100, "every level reports its branches");
        })
        .unwrap();
    handle.join().unwrap();
}

#[test]
fn deeper_data_stops_with_an_error() {
    let schema = Schema::compile(&json!({"type": "array", "items": {"$ref": "#"}})).unwrap();
    let mut data = nested_arrays(20_000);
    let errors = schema.validate(&mut data).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("nested deeper"), "{errors:?}");
    dismantle(data);
}

#[test]
fn references_that_never_consume_data_stop_with_an_error() {
    for schema in [
        json!({"$ref": "#"}),
        json!({"anyOf": [{"$ref": "#"}]}),
        json!({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"not": {"$ref": "#/definitions/a"}}}, "$ref": "#/definitions/a"}),
    ] {
        let compiled = Schema::compile(&schema);
        if let Ok(s) = compiled {
            let result = s.validate(&mut json!({"a": 1}));
            assert!(result.is_err(), "{schema}");
            let _ = mock(&s);
        }
    }
}

#[test]
fn deeply_nested_schemas_are_refused_not_overflowed() {
    let mut schema = json!({"type": "string"});
    for _ in 0..100 {
        schema = json!({"not": {"not": schema}});
    }
    assert!(Schema::compile(&schema).is_ok());
    let mut deep = json!(true);
    for _ in 0..2_000 {
        let mut map = serde_json::Map::new();
        map.insert("items".into(), deep);
        deep = Value::Object(map);
    }
    assert!(Schema::compile(&deep).is_err());
    dismantle(deep);
}

#[test]
fn catastrophic_patterns_finish() {
    // An exponential engine would not come back from these (the benchmarks measure the real cost).
    // Pure regular patterns run on a linear-time engine.
    let linear = Schema::compile(&json!({"type": "string", "pattern": "^(a+)+$"})).unwrap();
    let text = format!("{}b", "a".repeat(5_000));
    assert!(linear.validate(&mut json!(text)).is_err());
    // Look-arounds need backtracking, which has a budget; running out counts as no match.
    let fancy = Schema::compile(&json!({"type": "string", "pattern": "^(?=a)(a+)+$"})).unwrap();
    assert!(fancy.validate(&mut json!(format!("{}b", "a".repeat(40)))).is_err());
}

#[test]
fn big_arrays_check_uniqueness() {
    let items: Vec<Value> = (0..50_000).map(|i| json!({"id": i, "tags": ["a", i % 7]})).collect();
    let schema = Schema::compile(&json!({"type": "array", "uniqueItems": true})).unwrap();
    let mut data = Value::Array(items);
    assert!(schema.validate(&mut data).is_ok());
    if let Value::Array(items) = &mut data {
        items.push(json!({"tags": ["a", 0], "id": 0}));
    }
    let errors = schema.validate(&mut data).unwrap_err();
    assert_eq!(errors[0].message, "must NOT have duplicate items (items ## 0 and 50000 are identical)");
}

#[test]
fn hostile_schema_values_are_errors() {
    let bad = [
        json!(5),
        json!("x"),
        json!({"type": 5}),
        json!({"properties": {"a": 5}}),
        json!({"anyOf": [1, 2]}),
        json!({"items": [true, 3]}),
        json!({"pattern": "a{99999999}"}),
        json!({"pattern": "[\\p{Nope}]"}),
        json!({"$ref": 5}),
        json!({"$ref": "#/items/0/x"}),
        json!({"enum": 3}),
        json!({"required": [1]}),
        json!({"minLength": 1.5}),
        json!({"multipleOf": 0}),
        json!({"type": "object", "id": "x"}),
    ];
    for schema in bad {
        assert!(Schema::compile(&schema).is_err(), "{schema}");
    }
}

#[test]
fn mocks_of_explosively_branching_schemas_finish() {
    // Every level offers three object branches whose required property refers to the level below:
    // 3^16 combinations from a small schema.
    let mut definitions = serde_json::Map::new();
    definitions.insert("l0".into(), json!({"type": "string", "minLength": 2, "not": {"const": "aa"}}));
    for level in 1..=16 {
        let below = json!({"$ref": format!("#/definitions/l{}", level - 1)});
        let branch =
            |k: usize| json!({"type": "object", "properties": {"p": below}, "required": ["p"], "minProperties": k});
        definitions.insert(format!("l{level}"), json!({"anyOf": [branch(3), branch(2), branch(1)]}));
    }
    let schema = json!({"definitions": definitions, "$ref": "#/definitions/l16"});
    let compiled = Schema::compile(&schema).unwrap();
    // 3^16 combinations would not finish without the mock's work budget.
    let _ = mock(&compiled);
}

#[test]
fn mocks_of_impossible_sizes_do_not_exhaust_memory() {
    for schema in [
        json!({"type": "string", "minLength": 1e15}),
        json!({"type": "array", "minItems": 1e12, "items": {"type": "string"}}),
        json!({"type": "object", "minProperties": 1e9}),
        json!({"type": "string", "pattern": "^a{5000}$", "minLength": 1e9}),
        json!({"type": "string", "pattern": "^((((a*)*)*)*)*$", "minLength": 3}),
    ] {
        let _ = mock(&Schema::compile(&schema).unwrap());
    }
}
