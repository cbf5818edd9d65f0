//! Property access (`a.b`, `a[0]`, `.size`, `.first`) and the collection conversions liquidjs applies before
//! looping or filtering.

use std::rc::Rc;

use serde_json::Value;

use super::chars::{utf16_len, utf16_unit_at};
use super::value::{Drop, LoopState, Str, Val, js_string, loop_json};
use crate::json;

/// A property key: a name from the template source, or a computed value.
pub enum Key<'k, 'a> {
    Name(&'k str),
    Val(Val<'a>),
}

/// The key as JavaScript turns it into a property name.
fn key_name<'k>(key: &'k Key<'k, '_>) -> std::borrow::Cow<'k, str> {
    match key {
        Key::Name(s) => std::borrow::Cow::Borrowed(s),
        Key::Val(v) => js_string(v),
    }
}

/// A canonical array index (`"0"`, `"12"`, not `"01"`, `"-1"`, `"1.0"`).
fn array_index(name: &str) -> Option<usize> {
    let b = name.as_bytes();
    if b.is_empty() || b.len() > 10 || !b.iter().all(u8::is_ascii_digit) || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    name.parse::<u64>().ok().filter(|&n| n < u32::MAX as u64).map(|n| n as usize)
}

/// The integer position a numeric key designates in a sequence of `len` items (negative counts from the end).
fn numeric_index(n: f64, len: usize) -> Option<usize> {
    let i = if n < 0.0 { len as f64 + n } else { n };
    (i >= 0.0 && i.fract() == 0.0 && i < len as f64).then_some(i as usize)
}

/// liquidjs `readProperty`: own properties only, plus `size`, `first` and `last`.
pub fn get_prop<'a>(obj: &Val<'a>, key: &Key<'_, 'a>) -> Val<'a> {
    match obj {
        Val::Undef | Val::Null => obj.clone(),
        Val::Bool(_) | Val::Num(_) => Val::Undef,
        Val::Str(s) => string_prop(s, key),
        Val::Drop(Drop::Loop(l)) => loop_prop(l, &key_name(key)),
        Val::Drop(d) => special_drop_prop(d, &key_name(key)),
        Val::Json(Value::Object(map)) => {
            let name = key_name(key);
            match map.get(&*name) {
                Some(v) => Val::from_json(v),
                None if name == "size" => Val::Num(map.len() as f64),
                None => Val::Undef,
            }
        }
        Val::Obj(o) => {
            let name = key_name(key);
            match o.entries.iter().find(|(k, _)| **k == *name) {
                Some((_, v)) => v.clone(),
                None if name == "size" => Val::Num(o.entries.len() as f64),
                None => Val::Undef,
            }
        }
        arr => {
            let len = arr.array_len().unwrap_or(0);
            if let Key::Val(Val::Num(n)) = key {
                return numeric_index(*n, len).map_or(Val::Undef, |i| arr.array_get(i));
            }
            let name = key_name(key);
            match &*name {
                "length" | "size" => Val::Num(len as f64),
                "first" => arr.array_get(0),
                "last" if len > 0 => arr.array_get(len - 1),
                n => array_index(n).filter(|&i| i < len).map_or(Val::Undef, |i| arr.array_get(i)),
            }
        }
    }
}

fn string_prop<'a>(s: &Str<'a>, key: &Key<'_, 'a>) -> Val<'a> {
    let text = s.as_str();
    let index = match key {
        Key::Val(Val::Num(n)) => {
            if *n >= 0.0 && n.fract() == 0.0 {
                Some(*n as usize)
            } else {
                return Val::Undef;
            }
        }
        _ => {
            let name = key_name(key);
            match &*name {
                "length" | "size" => return Val::Num(utf16_len(text) as f64),
                n => array_index(n),
            }
        }
    };
    match index.and_then(|i| utf16_unit_at(text, i)) {
        Some(c) => Val::str(c.to_string()),
        None => Val::Undef,
    }
}

fn loop_prop<'a>(l: &LoopState, name: &str) -> Val<'a> {
    let i = l.i.get() as f64;
    let len = l.length as f64;
    let cols = l.cols.as_ref().map(|c| c.num);
    match (name, cols) {
        ("i", _) => Val::Num(i),
        ("length", _) => Val::Num(len),
        ("name", _) => Val::Str(Str::Shared(l.name.clone())),
        ("index0", _) => Val::Num(i),
        ("index", _) => Val::Num(i + 1.0),
        ("first", _) => Val::Bool(i == 0.0),
        ("last", _) => Val::Bool(i == len - 1.0),
        ("rindex", _) => Val::Num(len - i),
        ("rindex0", _) => Val::Num(len - i - 1.0),
        ("next", _) => {
            l.i.set(l.i.get() + 1);
            Val::Undef
        }
        ("valueOf", _) => Val::str(loop_json(l)),
        ("toString" | "toLocaleString", _) => Val::str("[object Object]"),
        ("hasOwnProperty" | "isPrototypeOf" | "propertyIsEnumerable", _) => Val::Bool(false),
        ("cols", Some(_)) => l.cols.as_ref().map_or(Val::Undef, |c| c.value.clone()),
        ("row", Some(c)) => Val::Num((i / c).floor() + 1.0),
        ("col0", Some(c)) => Val::Num(i % c),
        ("col", Some(c)) => Val::Num(i % c + 1.0),
        ("col_first", Some(c)) => Val::Bool(i % c == 0.0),
        ("col_last", Some(c)) => Val::Bool(l.cols.as_ref().is_some_and(|t| t.is_number) && i % c + 1.0 == c),
        _ => Val::Undef,
    }
}

/// Properties of `nil`, `empty` and `blank`: their methods, called without arguments (anything else,
/// `size` included, is undefined for drops).
fn special_drop_prop<'a>(d: &Drop, name: &str) -> Val<'a> {
    match name {
        "valueOf" => Val::Drop(d.clone()).to_value(),
        "gt" | "geq" | "lt" | "leq" | "hasOwnProperty" | "isPrototypeOf" | "propertyIsEnumerable" => Val::Bool(false),
        "toString" | "toLocaleString" => Val::str("[object Object]"),
        "equals" => Val::object(Vec::new()).unwrap_or(Val::Undef),
        _ => Val::Undef,
    }
}

/// liquidjs `toArray`: nil is empty, arrays are themselves, anything else is a one-element array.
pub fn to_array<'a>(v: &Val<'a>) -> Vec<Val<'a>> {
    let v = v.to_value();
    if v.is_nil() {
        return Vec::new();
    }
    if v.is_array() {
        return items(&v);
    }
    vec![v]
}

/// The elements of an array value.
pub fn items<'a>(v: &Val<'a>) -> Vec<Val<'a>> {
    match v {
        Val::Json(Value::Array(a)) => a.iter().map(Val::from_json).collect(),
        Val::Arr(a) => a.items.clone(),
        Val::Range(r) => (0..r.len).map(|i| Val::Num(r.get(i))).collect(),
        _ => Vec::new(),
    }
}

/// liquidjs `toEnumerable`: arrays, a non-empty string as one item, objects as `[key, value]` pairs.
pub fn to_enumerable<'a>(v: &Val<'a>) -> Vec<Val<'a>> {
    match v.to_value() {
        v if v.is_array() => items(&v),
        Val::Str(s) if !s.as_str().is_empty() => vec![Val::Str(s)],
        Val::Json(Value::Object(map)) => {
            let mut out = Vec::with_capacity(map.len());
            json::for_each_in_js_order(map, |k, v| {
                out.extend(Val::array(vec![Val::Str(Str::Borrowed(k)), Val::from_json(v)]));
            });
            out
        }
        Val::Obj(o) => o
            .entries
            .iter()
            .filter_map(|(k, v)| Val::array(vec![Val::Str(Str::Shared(Rc::clone(k))), v.clone()]))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn get<'a>(v: &Val<'a>, name: &str) -> Val<'a> {
        get_prop(v, &Key::Name(name))
    }

    #[test]
    fn arrays_strings_and_objects() {
        let data = json!({"a": [1, 2, 3], "s": "héllo", "o": {"size": 9, "x": null}, "e": {}});
        let root = Val::from_json(&data);
        let a = get(&root, "a");
        assert!(matches!(get(&a, "size"), Val::Num(n) if n == 3.0));
        assert!(matches!(get(&a, "last"), Val::Num(n) if n == 3.0));
        assert!(matches!(get_prop(&a, &Key::Val(Val::Num(-1.0))), Val::Num(n) if n == 3.0));
        assert!(matches!(get(&a, "01"), Val::Undef));
        let s = get(&root, "s");
        assert!(matches!(get(&s, "size"), Val::Num(n) if n == 5.0));
        assert!(matches!(get(&s, "first"), Val::Undef));
        assert_eq!(get(&s, "1").as_str(), Some("é"));
        let o = get(&root, "o");
        assert!(matches!(get(&o, "size"), Val::Num(n) if n == 9.0));
        assert!(matches!(get(&o, "x"), Val::Null));
        assert!(matches!(get(&get(&root, "e"), "size"), Val::Num(n) if n == 0.0));
        assert!(matches!(get(&Val::Null, "x"), Val::Null));
    }

    #[test]
    fn enumerables() {
        let data = json!({"2": "b", "1": "a", "z": 0});
        let pairs = to_enumerable(&Val::from_json(&data));
        assert_eq!(pairs.len(), 3);
        assert_eq!(crate::value::json_stringify(&pairs[0]).as_deref(), Some("[\"1\",\"a\"]"));
        assert_eq!(to_enumerable(&Val::str("")).len(), 0);
        assert_eq!(to_array(&Val::Num(1.0)).len(), 1);
        assert_eq!(to_array(&Val::Drop(Drop::Nil)).len(), 0);
    }
}
