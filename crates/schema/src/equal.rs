//! Deep equality as ajv's `fast-deep-equal` sees JSON: numbers compare as doubles (`1` equals `1.0`),
//! objects by their key sets regardless of order, arrays item by item.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::Value;

use crate::json;

pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => json::as_f64(x) == json::as_f64(y),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => false,
    }
}

/// Text that is equal for two values exactly when [`equal`] says they are (sorted keys, numbers as doubles).
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push('n'),
        Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Value::Number(n) => {
            let f = json::as_f64(n);
            // -0 and 0 are equal.
            let _ = write!(out, "#{}", json::f64_text(if f == 0.0 { 0.0 } else { f }));
        }
        Value::String(s) => json::write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for item in items {
                canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for k in keys {
                json::write_string(out, k);
                out.push(':');
                canonical(&map[k], out);
                out.push(',');
            }
            out.push('}');
        }
    }
}

/// The pair ajv's `uniqueItems` reports for the first duplicate it finds, as `(i, j)` in its message
/// `items ## j and i are identical`; `None` when all items differ.
///
/// ajv scans from the end. With scalar item types declared (`fast`) it remembers the last index of each
/// value and stops at the first repeat, reporting `j` above `i`; otherwise it compares every item with
/// each earlier one, reporting `j` below `i`. Both are computed here in linear time from index groups.
pub(crate) fn duplicate(items: &[Value], fast: bool) -> Option<(usize, usize)> {
    if items.len() < 2 {
        return None;
    }
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    let mut key = String::new();
    for (i, item) in items.iter().enumerate() {
        key.clear();
        canonical(item, &mut key);
        groups.entry(key.clone()).or_default().push(i);
    }
    groups
        .values()
        .filter(|g| g.len() >= 2)
        .map(|g| {
            let (last, second) = (g[g.len() - 1], g[g.len() - 2]);
            if fast { (second, last) } else { (last, second) }
        })
        .max_by_key(|&(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_equality_follows_javascript_numbers() {
        assert!(equal(&json!({"a": [1, 2.0], "b": null}), &json!({"b": null, "a": [1.0, 2]})));
        assert!(!equal(&json!([1, 2]), &json!([2, 1])));
        assert!(!equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!equal(&json!("1"), &json!(1)));
    }

    #[test]
    fn duplicate_pairs_match_both_ajv_loops() {
        let items = [json!(1), json!(2), json!(1), json!(2)];
        assert_eq!(duplicate(&items, true), Some((1, 3)));
        assert_eq!(duplicate(&items, false), Some((3, 1)));
        assert_eq!(duplicate(&[json!({"a": 1}), json!({"a": 1.0})], false), Some((1, 0)));
        assert_eq!(duplicate(&[json!(1), json!("1")], false), None);
    }
}
