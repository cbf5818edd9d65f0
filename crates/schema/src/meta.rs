//! Schema checks done before compiling, as ajv does them: the draft-07 meta-schema (ajv validates every
//! schema against it first) and the shape checks of its keyword implementations.

use serde_json::{Map, Value};

use super::formats::Format;
use super::refs::push_segment;

/// Keywords that ajv implements (its `RULES.all`): a schema with none of them accepts everything.
pub(crate) const RULE_KEYWORDS: &[&str] = &[
    "$ref",
    "$comment",
    "id",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "multipleOf",
    "maxLength",
    "minLength",
    "pattern",
    "maxProperties",
    "minProperties",
    "required",
    "maxItems",
    "minItems",
    "uniqueItems",
    "type",
    "nullable",
    "const",
    "enum",
    "not",
    "anyOf",
    "oneOf",
    "allOf",
    "if",
    "then",
    "else",
    "propertyNames",
    "additionalProperties",
    "dependencies",
    "properties",
    "patternProperties",
    "additionalItems",
    "items",
    "contains",
    "format",
    "formatMaximum",
    "formatMinimum",
    "formatExclusiveMaximum",
    "formatExclusiveMinimum",
];

pub(crate) const JSON_TYPES: &[&str] = &["array", "boolean", "integer", "null", "number", "object", "string"];

/// ajv's `alwaysValidSchema`: `true`, `{}`, or an object without any implemented keyword.
pub(crate) fn always_valid(schema: &Value) -> bool {
    match schema {
        Value::Bool(b) => *b,
        Value::Object(map) => !map.keys().any(|k| RULE_KEYWORDS.contains(&k.as_str())),
        _ => false,
    }
}

fn fail(pointer: &str, keyword: &str, what: &str) -> String {
    let mut at = pointer.to_string();
    push_segment(&mut at, keyword);
    format!("schema is invalid: {at} {what}")
}

fn is_non_negative_integer(v: &Value) -> bool {
    v.as_f64().is_some_and(|f| f >= 0.0 && f.fract() == 0.0)
}

fn is_unique(items: &[Value]) -> bool {
    items.iter().enumerate().all(|(i, a)| items[..i].iter().all(|b| !super::equal::equal(a, b)))
}

/// The root's `$schema`, if any, must name draft-07 (ajv knows no other meta-schema).
pub(crate) fn check_dialect(root: &Value) -> Result<(), String> {
    match root.get("$schema") {
        None => Ok(()),
        Some(Value::String(s)) => {
            let s = s.strip_suffix('#').unwrap_or(s);
            if s == "http://json-schema.org/draft-07/schema" || s == "http://json-schema.org/schema" {
                Ok(())
            } else {
                Err(format!("no schema with key or ref \"{}\"", root["$schema"].as_str().unwrap_or_default()))
            }
        }
        Some(_) => Err("schema is invalid: /$schema must be string".to_string()),
    }
}

/// Validates `schema` and every subschema position the draft-07 meta-schema describes (without recursion,
/// so that no schema can exhaust the stack here).
pub(crate) fn check<'a>(schema: &'a Value) -> Result<(), String> {
    let mut work = vec![(schema, String::new(), 0usize)];
    while let Some((value, pointer, depth)) = work.pop() {
        let map = match value {
            Value::Bool(_) => continue,
            Value::Object(map) => map,
            _ => {
                return Err(format!("schema is invalid: {pointer} must be object,boolean"));
            }
        };
        if depth > super::compile::MAX_SCHEMA_DEPTH {
            let limit = super::compile::MAX_SCHEMA_DEPTH;
            return Err(format!("schema nesting is deeper than {limit} levels"));
        }
        check_keywords(map, &pointer)?;
        let mut children: Vec<(&Value, String)> = Vec::new();
        let mut sub = |path: &[&str], child: &'a Value| {
            let mut at = pointer.clone();
            for p in path {
                push_segment(&mut at, p);
            }
            children.push((child, at));
        };
        for (key, value) in map {
            match (key.as_str(), value) {
                (
                    "additionalItems"
                    | "contains"
                    | "additionalProperties"
                    | "propertyNames"
                    | "if"
                    | "then"
                    | "else"
                    | "not",
                    _,
                ) => sub(&[key], value),
                ("items" | "allOf" | "anyOf" | "oneOf", Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        sub(&[key, &i.to_string()], item);
                    }
                }
                ("items", _) => sub(&[key], value),
                ("definitions" | "properties" | "patternProperties", Value::Object(members)) => {
                    for (name, member) in members {
                        sub(&[key, name], member);
                    }
                }
                ("dependencies", Value::Object(members)) => {
                    for (name, member) in members.iter().filter(|(_, m)| !m.is_array()) {
                        sub(&[key, name], member);
                    }
                }
                _ => {}
            }
        }
        work.extend(children.into_iter().rev().map(|(child, at)| (child, at, depth + 1)));
    }
    Ok(())
}

fn string_array(v: &Value) -> bool {
    matches!(v, Value::Array(items) if items.iter().all(Value::is_string) && is_unique(items))
}

fn schema_array(v: &Value) -> bool {
    matches!(v, Value::Array(items) if !items.is_empty())
}

/// The draft-07 meta-schema's constraints on the keyword values of one schema object.
fn check_keywords(map: &Map<String, Value>, pointer: &str) -> Result<(), String> {
    for (key, value) in map {
        let problem = match key.as_str() {
            // ajv's meta-schema names formats (`uri-reference`, `regex`) but is compiled before any format is
            // added, so only the types are checked.
            "$id" | "$ref" | "$schema" | "$comment" | "title" | "description" | "format" | "contentMediaType"
            | "contentEncoding" | "pattern" => (!value.is_string()).then_some("must be string"),
            "readOnly" | "uniqueItems" => (!value.is_boolean()).then_some("must be boolean"),
            "examples" => (!value.is_array()).then_some("must be array"),
            "multipleOf" => match value.as_f64() {
                None => Some("must be number"),
                Some(f) if f <= 0.0 => Some("must be > 0"),
                _ => None,
            },
            "maximum" | "exclusiveMaximum" | "minimum" | "exclusiveMinimum" => {
                (!value.is_number()).then_some("must be number")
            }
            "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties" | "minProperties" => {
                (!is_non_negative_integer(value)).then_some("must be a non-negative integer")
            }
            "additionalItems"
            | "contains"
            | "additionalProperties"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "not" => (!matches!(value, Value::Object(_) | Value::Bool(_))).then_some("must be object,boolean"),
            "items" => match value {
                Value::Object(_) | Value::Bool(_) => None,
                Value::Array(items) if !items.is_empty() => None,
                _ => Some("must be a schema or a non-empty array of schemas"),
            },
            "required" => (!string_array(value)).then_some("must be an array of unique strings"),
            "definitions" | "properties" | "patternProperties" | "dependencies" => {
                (!value.is_object()).then_some("must be object")
            }
            "enum" => match value {
                Value::Array(items) if items.is_empty() => Some("must NOT have fewer than 1 items"),
                Value::Array(items) if !is_unique(items) => Some("must NOT have duplicate items"),
                Value::Array(_) => None,
                _ => Some("must be array"),
            },
            "type" => match value {
                Value::String(s) if JSON_TYPES.contains(&s.as_str()) => None,
                Value::Array(items)
                    if !items.is_empty()
                        && is_unique(items)
                        && items.iter().all(|t| t.as_str().is_some_and(|s| JSON_TYPES.contains(&s))) =>
                {
                    None
                }
                _ => Some("must be one of the JSON types or a non-empty array of them"),
            },
            "allOf" | "anyOf" | "oneOf" => (!schema_array(value)).then_some("must be a non-empty array of schemas"),
            _ => None,
        };
        if let Some(what) = problem {
            return Err(fail(pointer, key, what));
        }
        if key == "dependencies"
            && let Value::Object(deps) = value
        {
            for (name, dep) in deps {
                let ok = matches!(dep, Value::Object(_) | Value::Bool(_)) || string_array(dep);
                if !ok {
                    let mut at = pointer.to_string();
                    push_segment(&mut at, key);
                    return Err(fail(&at, name, "must be a schema or an array of unique strings"));
                }
            }
        }
    }
    Ok(())
}

/// Shape checks ajv's keyword implementations make when they compile a schema the meta-schema did not
/// cover (for instance one under `$defs`), and checks no meta-schema makes.
pub(crate) fn check_compiled(map: &Map<String, Value>, pointer: &str) -> Result<(), String> {
    let type_of = |key: &str, what: &str, ok: bool| {
        if ok { Ok(()) } else { Err(fail(pointer, key, what)) }
    };
    if map.contains_key("id") {
        return Err(format!("NOT SUPPORTED: keyword \"id\", use \"$id\" for schema ID (at {pointer})"));
    }
    for (key, value) in map {
        match key.as_str() {
            "maximum" | "minimum" | "exclusiveMaximum" | "exclusiveMinimum" | "multipleOf" | "maxLength"
            | "minLength" | "maxItems" | "minItems" | "maxProperties" | "minProperties" => {
                type_of(key, "value must be [\"number\"]", value.is_number())?
            }
            "pattern"
            | "format"
            | "$ref"
            | "formatMaximum"
            | "formatMinimum"
            | "formatExclusiveMaximum"
            | "formatExclusiveMinimum" => type_of(key, "value must be [\"string\"]", value.is_string())?,
            "uniqueItems" | "nullable" => type_of(key, "value must be [\"boolean\"]", value.is_boolean())?,
            "required" | "anyOf" | "oneOf" | "allOf" => type_of(key, "value must be [\"array\"]", value.is_array())?,
            "enum" => match value {
                Value::Array(items) if items.is_empty() => {
                    return Err(fail(pointer, key, "must have non-empty array"));
                }
                _ => type_of(key, "value must be [\"array\"]", value.is_array())?,
            },
            "properties" | "patternProperties" | "dependencies" => {
                type_of(key, "value must be [\"object\"]", value.is_object())?
            }
            "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "additionalProperties"
            | "additionalItems" => type_of(
                key,
                "value must be [\"object\",\"boolean\"]",
                matches!(value, Value::Object(_) | Value::Bool(_)),
            )?,
            "items" => type_of(
                key,
                "value must be [\"object\",\"array\",\"boolean\"]",
                matches!(value, Value::Object(_) | Value::Array(_) | Value::Bool(_)),
            )?,
            "type" => {
                let ok = match value {
                    Value::String(s) => JSON_TYPES.contains(&s.as_str()),
                    Value::Array(items) => items.iter().all(|t| t.as_str().is_some_and(|s| JSON_TYPES.contains(&s))),
                    _ => false,
                };
                type_of(key, "must be JSONType or JSONType[]", ok)?
            }
            _ => {}
        }
    }
    let has_type = map.get("type").is_some_and(|t| !matches!(t, Value::Array(a) if a.is_empty()));
    let type_has_null = match map.get("type") {
        Some(Value::String(s)) => s == "null",
        Some(Value::Array(items)) => items.iter().any(|t| t == "null"),
        _ => false,
    };
    match map.get("nullable") {
        Some(Value::Bool(false)) if type_has_null => {
            return Err("type: null contradicts nullable: false".to_string());
        }
        Some(_) if !has_type => {
            return Err(format!("\"nullable\" cannot be used without \"type\" (at {pointer})"));
        }
        _ => {}
    }
    for limit in ["formatMaximum", "formatMinimum", "formatExclusiveMaximum", "formatExclusiveMinimum"] {
        if !map.contains_key(limit) {
            continue;
        }
        let Some(Value::String(name)) = map.get("format") else {
            return Err(format!("parent schema must have dependencies of {limit}: format (at {pointer})"));
        };
        if Format::from_name(name).is_some_and(|f| f.data_type().is_some() && !f.comparable()) {
            return Err(format!("\"{limit}\": format \"{name}\" does not define \"compare\" function"));
        }
    }
    Ok(())
}
