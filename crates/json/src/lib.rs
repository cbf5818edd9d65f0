//! JSON the way JavaScript writes it.
//!
//! Upstream signs, renders and compares `JSON.stringify` output, so every place where text leaves the core
//! (response bodies, Liquid output, the HMAC fallback) uses these writers instead of serde_json's:
//! numbers in JavaScript's shortest form (`1` not `1.0`, `1e+21`, integers past 2^53 rounded as a double),
//! integer-like object keys first (JavaScript's own property order), the same string escapes. [`jsonrepair`]
//! repairs almost-JSON text as the npm package of that name does.

// The README's examples run as doctests.
#![cfg_attr(doctest, doc = include_str!("../README.md"))]

mod repair;

pub use repair::{RepairError, jsonrepair};
use serde_json::{Map, Number, Value};

/// Largest integer a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Nesting depth accepted by [`parse`]; deeper input is refused rather than risking the stack.
pub const MAX_DEPTH: usize = 128;

/// `String(n)` in JavaScript.
pub fn number_text(n: &Number) -> String {
    let mut out = String::new();
    write_number(&mut out, n);
    out
}

/// `String(f)` in JavaScript for a finite double (`NaN`/`Infinity` are written as JavaScript does too).
pub fn f64_text(f: f64) -> String {
    let mut out = String::new();
    write_f64(&mut out, f);
    out
}

/// Appends `String(n)`.
pub fn write_number(out: &mut String, n: &Number) {
    use std::fmt::Write;
    match (n.as_i64(), n.as_u64()) {
        (Some(i), _) if i.unsigned_abs() <= MAX_SAFE_INTEGER => {
            let _ = write!(out, "{i}");
        }
        (None, Some(u)) if u <= MAX_SAFE_INTEGER => {
            let _ = write!(out, "{u}");
        }
        _ => write_f64(out, n.as_f64().unwrap_or(0.0)),
    }
}

/// Appends `String(f)`.
pub fn write_f64(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("NaN");
    } else if f.is_infinite() {
        out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        let mut buf = ryu_js::Buffer::new();
        out.push_str(buf.format_finite(f));
    }
}

/// Appends `JSON.stringify(f)`: like [`write_f64`], but `NaN` and `Infinity` become `null`.
pub fn write_json_f64(out: &mut String, f: f64) {
    if f.is_finite() { write_f64(out, f) } else { out.push_str("null") }
}

/// The number as a double, as JavaScript holds every number.
pub fn as_f64(n: &Number) -> f64 {
    n.as_f64().unwrap_or(0.0)
}

/// A JSON number for a double; `None` for `NaN`/`Infinity`, which JSON cannot hold.
pub fn number_from_f64(f: f64) -> Option<Number> {
    if f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER as f64 {
        // Keep integral values as integers so they print without a fraction everywhere.
        return Some(Number::from(f as i64));
    }
    Number::from_f64(f)
}

/// `JSON.stringify(value)`.
pub fn stringify(value: &Value) -> String {
    let mut out = String::with_capacity(128);
    write_value_at(&mut out, value, None, 0);
    out
}

/// `JSON.stringify(value, null, indent)` (indent clamped to 10 as JavaScript does).
pub fn stringify_pretty(value: &Value, indent: usize) -> String {
    let mut out = String::with_capacity(128);
    let gap = " ".repeat(indent.min(10));
    write_value_at(&mut out, value, (!gap.is_empty()).then_some(gap.as_str()), 0);
    out
}

/// Appends `JSON.stringify(value)`.
pub fn write_compact(out: &mut String, value: &Value) {
    write_value_at(out, value, None, 0);
}

/// Appends `value` as `JSON.stringify(…, null, gap)` writes it when it sits `depth` levels deep (so that
/// callers writing their own containers around JSON values keep JavaScript's layout).
pub fn write_value_at(out: &mut String, value: &Value, gap: Option<&str>, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, gap, depth + 1);
                write_value_at(out, item, gap, depth + 1);
            }
            newline(out, gap, depth);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            let mut first = true;
            for_each_in_js_order(map, |key, item| {
                if !first {
                    out.push(',');
                }
                first = false;
                newline(out, gap, depth + 1);
                write_string(out, key);
                out.push(':');
                if gap.is_some() {
                    out.push(' ');
                }
                write_value_at(out, item, gap, depth + 1);
            });
            newline(out, gap, depth);
            out.push('}');
        }
    }
}

/// A line break and `depth` gaps, when writing with a gap.
pub fn newline(out: &mut String, gap: Option<&str>, depth: usize) {
    if let Some(gap) = gap {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(gap);
        }
    }
}

/// Visits the entries of an object in JavaScript's property order: array-index keys first, ascending,
/// then the other keys in insertion order.
pub fn for_each_in_js_order<'a>(map: &'a Map<String, Value>, mut f: impl FnMut(&'a str, &'a Value)) {
    if !map.keys().any(|k| array_index(k).is_some()) {
        for (k, v) in map {
            f(k, v);
        }
        return;
    }
    let mut indexed: Vec<(u32, &str, &Value)> =
        map.iter().filter_map(|(k, v)| array_index(k).map(|i| (i, k.as_str(), v))).collect();
    indexed.sort_by_key(|(i, _, _)| *i);
    for (_, k, v) in indexed {
        f(k, v);
    }
    for (k, v) in map {
        if array_index(k).is_none() {
            f(k, v);
        }
    }
}

/// The key as an array index (a canonical decimal below 2^32 − 1), as JavaScript orders such keys first.
fn array_index(key: &str) -> Option<u32> {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > 10 || !bytes[0].is_ascii_digit() {
        return None;
    }
    if bytes.len() > 1 && bytes[0] == b'0' {
        return None;
    }
    if !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n: u64 = key.parse().ok()?;
    (n < u32::MAX as u64).then_some(n as u32)
}

/// Appends `s` as a JSON string literal with JavaScript's escapes (non-ASCII text is left as is).
pub fn write_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Why a body could not be read as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Parses JSON text, refusing nesting deeper than [`MAX_DEPTH`] and numbers JSON cannot hold.
pub fn parse(bytes: &[u8]) -> Result<Value, ParseError> {
    // Measured first, so that serde_json's own recursion limit (one level short of ours) can be lifted
    // safely: nothing deeper than MAX_DEPTH reaches the recursive parser.
    if nesting_depth(bytes) > MAX_DEPTH {
        return Err(ParseError { message: format!("JSON nesting is deeper than {MAX_DEPTH} levels") });
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    de.disable_recursion_limit();
    let value = serde::Deserialize::deserialize(&mut de).and_then(|v: Value| de.end().map(|()| v));
    value.map_err(|e| ParseError { message: format!("invalid JSON: {e}") })
}

/// The deepest nesting of arrays and objects in JSON text (strings skipped; stops counting past the limit).
fn nesting_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > MAX_DEPTH {
                    return deepest;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// JavaScript truthiness of a JSON value (`""`, `0`, `null`, `false` are falsy; `{}` and `[]` are truthy).
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => {
            let f = as_f64(n);
            f != 0.0 && !f.is_nan()
        }
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_print_like_javascript() {
        let v: Value =
            serde_json::from_str("[1.0, 1.50, 1E3, -0, 12345678901234567890, 1e21, 0.1, 48.685488]").unwrap();
        assert_eq!(stringify(&v), "[1,1.5,1000,0,12345678901234567000,1e+21,0.1,48.685488]");
        assert_eq!(f64_text(f64::NAN), "NaN");
        assert_eq!(number_text(&Number::from(-5)), "-5");
    }

    #[test]
    fn decimals_parse_to_the_nearest_double() {
        // serde_json's default float parser can be one bit off; these are read exactly by JSON.parse.
        let text = "[123456789.12345679,12345678.123456789,100.00000000000001,1234.5678901234567]";
        let v = parse(text.as_bytes()).unwrap();
        assert_eq!(stringify(&v), "[123456789.12345679,12345678.12345679,100.00000000000001,1234.5678901234567]");
    }

    #[test]
    fn integer_like_keys_come_first() {
        let v: Value = serde_json::from_str(r#"{"b":1,"2":2,"a":3,"1":4,"01":5,"4294967295":6}"#).unwrap();
        assert_eq!(stringify(&v), r#"{"1":4,"2":2,"b":1,"a":3,"01":5,"4294967295":6}"#);
    }

    #[test]
    fn strings_escape_like_json_stringify() {
        let v = json!("a\"b\\c\nd\u{1}e\u{7f}é\u{2028}");
        assert_eq!(stringify(&v), "\"a\\\"b\\\\c\\nd\\u0001e\u{7f}é\u{2028}\"");
    }

    #[test]
    fn pretty_matches_javascript_layout() {
        let v = json!({"a": 1, "b": [1, {"c": []}], "d": {}});
        assert_eq!(
            stringify_pretty(&v, 2),
            "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    {\n      \"c\": []\n    }\n  ],\n  \"d\": {}\n}"
        );
    }

    #[test]
    fn deep_nesting_is_refused_with_a_message() {
        let deep = "[".repeat(200) + &"]".repeat(200);
        let err = parse(deep.as_bytes()).unwrap_err();
        assert!(err.message.contains("deeper than 128"), "{}", err.message);
        let at_limit = "[".repeat(128) + &"]".repeat(128);
        assert!(parse(at_limit.as_bytes()).is_ok());
        let over = "{\"a\":".repeat(129) + "1" + &"}".repeat(129);
        assert!(parse(over.as_bytes()).is_err());
        let in_strings = format!("[\"{}\"]", "[".repeat(500));
        assert!(parse(in_strings.as_bytes()).is_ok());
        assert!(parse(b"{\"a\":").unwrap_err().message.starts_with("invalid JSON"));
    }

    #[test]
    fn truthiness_follows_javascript() {
        for v in [json!(""), json!(0), json!(null), json!(false), json!(0.0)] {
            assert!(!truthy(&v), "{v}");
        }
        for v in [json!({}), json!([]), json!("0"), json!(-1), json!(true)] {
            assert!(truthy(&v), "{v}");
        }
    }
}
