//! The operators of conditions: liquidjs equality (arrays element-wise, objects by identity, `nil`/`empty`/
//! `blank` by their own rules) and JavaScript's relational comparison.

use std::cmp::Ordering;
use std::rc::Rc;

use serde_json::Value;

use super::chars::{cmp_utf16, is_js_space};
use super::value::{Drop, Val, js_number, js_string};

fn is_comparable(v: &Val<'_>) -> bool {
    matches!(v, Val::Drop(Drop::Nil | Drop::Empty | Drop::Blank))
}

/// `==` in liquidjs.
pub fn equals(l: &Val<'_>, r: &Val<'_>) -> bool {
    if let Val::Drop(d @ (Drop::Nil | Drop::Empty | Drop::Blank)) = l {
        return drop_equals(d, r);
    }
    if let Val::Drop(d @ (Drop::Nil | Drop::Empty | Drop::Blank)) = r {
        return drop_equals(d, l);
    }
    let (l, r) = (l.to_value(), r.to_value());
    if l.is_array() {
        return r.is_array() && arrays_equal(&l, &r);
    }
    strict_equal(&l, &r)
}

fn arrays_equal(l: &Val<'_>, r: &Val<'_>) -> bool {
    let len = l.array_len().unwrap_or(0);
    if len != r.array_len().unwrap_or(0) {
        return false;
    }
    (0..len).all(|i| equals(&l.array_get(i), &r.array_get(i)))
}

/// JavaScript `===` on values already stripped of drops.
fn strict_equal(l: &Val<'_>, r: &Val<'_>) -> bool {
    match (l, r) {
        (Val::Undef, Val::Undef) | (Val::Null, Val::Null) => true,
        (Val::Bool(a), Val::Bool(b)) => a == b,
        (Val::Num(a), Val::Num(b)) => a == b,
        (Val::Str(a), Val::Str(b)) => a.as_str() == b.as_str(),
        (Val::Json(a), Val::Json(b)) => std::ptr::eq(*a, *b),
        (Val::Obj(a), Val::Obj(b)) => Rc::ptr_eq(a, b),
        (Val::Drop(Drop::Loop(a)), Val::Drop(Drop::Loop(b))) => Rc::ptr_eq(a, b),
        _ => false,
    }
}

fn drop_equals(d: &Drop, v: &Val<'_>) -> bool {
    match d {
        Drop::Nil => v.to_value().is_nil(),
        Drop::Empty => empty_equals(v),
        Drop::Blank => {
            if matches!(v, Val::Bool(false)) || v.to_value().is_nil() {
                return true;
            }
            if let Val::Str(s) = v {
                return s.as_str().chars().all(is_js_space);
            }
            empty_equals(v)
        }
        Drop::Loop(_) => false,
    }
}

fn empty_equals(v: &Val<'_>) -> bool {
    if matches!(v, Val::Drop(Drop::Empty | Drop::Blank)) {
        return false;
    }
    match v.to_value() {
        Val::Str(s) => s.as_str().is_empty(),
        Val::Json(Value::Object(m)) => m.is_empty(),
        Val::Obj(o) => o.entries.is_empty(),
        v => v.array_len() == Some(0),
    }
}

/// `ToPrimitive` with hint number: arrays and objects become their string form.
fn to_primitive<'a>(v: &Val<'a>) -> Val<'a> {
    if v.is_object_like() { Val::str(js_string(v).into_owned()) } else { v.clone() }
}

/// JavaScript's abstract relational comparison; `None` when either side is `NaN`.
fn js_compare(l: &Val<'_>, r: &Val<'_>) -> Option<Ordering> {
    let (l, r) = (to_primitive(l), to_primitive(r));
    if let (Val::Str(a), Val::Str(b)) = (&l, &r) {
        return Some(cmp_utf16(a.as_str(), b.as_str()));
    }
    js_number(&l).partial_cmp(&js_number(&r))
}

/// `<`, `<=`, `>`, `>=`: always false against `nil`, `empty`, `blank`.
pub fn relational(l: &Val<'_>, r: &Val<'_>, accept: fn(Ordering) -> bool) -> bool {
    if is_comparable(l) || is_comparable(r) {
        return false;
    }
    js_compare(&l.to_value(), &r.to_value()).is_some_and(accept)
}

/// `a < b` as JavaScript evaluates it (used by `sort`).
pub fn js_less(l: &Val<'_>, r: &Val<'_>) -> bool {
    js_compare(l, r) == Some(Ordering::Less)
}

/// `contains`: membership for arrays, substring for strings, false otherwise.
pub fn contains(l: &Val<'_>, r: &Val<'_>) -> bool {
    let l = l.to_value();
    if l.is_array() {
        let len = l.array_len().unwrap_or(0);
        return (0..len).any(|i| equals(&l.array_get(i), r));
    }
    match &l {
        Val::Str(s) => s.as_str().contains(&*js_string(&r.to_value())),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equality_rules() {
        let data = json!({"a": [1, "x"], "b": [1, "x"], "o": {}, "p": {}});
        let get = |k: &str| Val::from_json(&data[k]);
        assert!(equals(&get("a"), &get("b")));
        assert!(!equals(&get("o"), &get("p")));
        assert!(equals(&get("o"), &get("o")));
        assert!(equals(&Val::Drop(Drop::Empty), &get("o")));
        assert!(!equals(&Val::Drop(Drop::Empty), &Val::Drop(Drop::Empty)));
        assert!(equals(&Val::Drop(Drop::Blank), &Val::str(" \n")));
        assert!(equals(&Val::Undef, &Val::Drop(Drop::Nil)));
        assert!(!equals(&Val::Undef, &Val::Null));
        assert!(!equals(&Val::Num(1.0), &Val::str("1")));
    }

    #[test]
    fn relational_comparisons_follow_javascript() {
        assert!(relational(&Val::str("10"), &Val::Num(9.0), |o| o == Ordering::Greater));
        assert!(relational(&Val::str("10"), &Val::str("9"), |o| o == Ordering::Less));
        assert!(relational(&Val::Null, &Val::Num(1.0), |o| o == Ordering::Less));
        assert!(!relational(&Val::Undef, &Val::Num(1.0), |o| o == Ordering::Less));
        assert!(!relational(&Val::Drop(Drop::Nil), &Val::Num(1.0), |o| o == Ordering::Less));
    }

    #[test]
    fn contains_rules() {
        assert!(contains(&Val::str("abc"), &Val::str("b")));
        assert!(contains(&Val::str("xundefinedx"), &Val::Undef));
        let arr = json!([1, "2"]);
        assert!(contains(&Val::from_json(&arr), &Val::Num(1.0)));
        assert!(!contains(&Val::from_json(&arr), &Val::Num(2.0)));
        assert!(!contains(&Val::from_json(&json!({"a": 1})), &Val::str("a")));
    }
}
