//! Runtime values: borrowed JSON data, computed values and liquidjs's "drops", with JavaScript's conversions.
//!
//! Context data is never copied: arrays and objects of the render context are referenced (`Val::Json`),
//! strings borrowed. Values computed while rendering are reference counted so that handing them around
//! (assign, loops, filter arguments) costs a counter increment.

use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use serde_json::Value;

use super::jsnum::parse_js_number;
use crate::json;

/// Deepest nesting of computed arrays/objects accepted (repeated `push` could otherwise nest without bound
/// and overflow the stack when the value is printed).
pub const MAX_NESTING: u16 = 256;

/// A string, borrowed from the context or owned.
#[derive(Clone, Debug)]
pub enum Str<'a> {
    Borrowed(&'a str),
    Shared(Rc<str>),
    /// A literal of a parsed template.
    Lit(Arc<str>),
}

impl Str<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            Str::Borrowed(s) => s,
            Str::Shared(s) => s,
            Str::Lit(s) => s,
        }
    }
}

/// A computed array.
#[derive(Debug)]
pub struct ArrVal<'a> {
    pub items: Vec<Val<'a>>,
    pub depth: u16,
}

/// A computed object (`group_by` results, the `{}` liquidjs keeps in registers).
#[derive(Debug)]
pub struct ObjVal<'a> {
    pub entries: Vec<(Rc<str>, Val<'a>)>,
    pub depth: u16,
}

/// The state behind `forloop` / `tablerowloop`.
#[derive(Debug)]
pub struct LoopState {
    pub i: Cell<usize>,
    pub length: usize,
    pub name: Rc<str>,
    /// `tablerowloop` only: the column count.
    pub cols: Option<TableCols>,
}

/// The `cols` of a `tablerow`, kept as given (liquidjs compares it strictly and prints it as is).
#[derive(Debug)]
pub struct TableCols {
    /// `Number(cols)`, for the row/column arithmetic.
    pub num: f64,
    /// Whether `cols` is a number (only then can `col_last` be true).
    pub is_number: bool,
    /// The value itself (scalars only; anything else is kept as `undefined`).
    pub value: Val<'static>,
    /// `JSON.stringify(cols)`.
    pub json: Rc<str>,
}

/// liquidjs's special objects.
#[derive(Clone, Debug)]
pub enum Drop {
    /// `nil` / `null` literals.
    Nil,
    /// The `empty` literal.
    Empty,
    /// The `blank` literal.
    Blank,
    /// `forloop` and `tablerowloop`.
    Loop(Rc<LoopState>),
}

/// A numeric range `(a..b)`, kept lazy so that `(1..1000000000)` costs nothing until iterated.
#[derive(Clone, Copy, Debug)]
pub struct RangeVal {
    pub start: f64,
    pub len: usize,
}

impl RangeVal {
    /// `range(low, high + 1)` in liquidjs: `low, low + 1, …` while below `high + 1`.
    pub fn new(low: f64, high: f64) -> RangeVal {
        let stop = high + 1.0;
        let span = stop - low;
        let len = if span.is_nan() || span <= 0.0 {
            0
        } else if span >= usize::MAX as f64 {
            usize::MAX
        } else {
            span.ceil() as usize
        };
        RangeVal { start: low, len }
    }

    pub fn get(&self, i: usize) -> f64 {
        self.start + i as f64
    }
}

#[derive(Clone, Debug)]
pub enum Val<'a> {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(Str<'a>),
    /// An array or object of the context data (scalars are converted on access).
    Json(&'a Value),
    Arr(Rc<ArrVal<'a>>),
    Obj(Rc<ObjVal<'a>>),
    Range(RangeVal),
    Drop(Drop),
}

impl<'a> Val<'a> {
    /// The value of a JSON node.
    pub fn from_json(v: &'a Value) -> Val<'a> {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Num(json::as_f64(n)),
            Value::String(s) => Val::Str(Str::Borrowed(s)),
            Value::Array(_) | Value::Object(_) => Val::Json(v),
        }
    }

    pub fn str(s: impl Into<Rc<str>>) -> Val<'a> {
        Val::Str(Str::Shared(s.into()))
    }

    /// A computed array; refuses nesting deeper than [`MAX_NESTING`].
    pub fn array(items: Vec<Val<'a>>) -> Option<Val<'a>> {
        let depth = items.iter().map(Val::depth).max().unwrap_or(0) + 1;
        (depth <= MAX_NESTING).then(|| Val::Arr(Rc::new(ArrVal { items, depth })))
    }

    /// A computed object; refuses nesting deeper than [`MAX_NESTING`].
    pub fn object(entries: Vec<(Rc<str>, Val<'a>)>) -> Option<Val<'a>> {
        let depth = entries.iter().map(|(_, v)| v.depth()).max().unwrap_or(0) + 1;
        (depth <= MAX_NESTING).then(|| Val::Obj(Rc::new(ObjVal { entries, depth })))
    }

    fn depth(&self) -> u16 {
        match self {
            Val::Arr(a) => a.depth,
            Val::Obj(o) => o.depth,
            Val::Json(_) | Val::Range(_) => 1,
            _ => 0,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Val::Undef | Val::Null)
    }

    /// `Array.isArray`.
    pub fn is_array(&self) -> bool {
        matches!(self, Val::Arr(_) | Val::Range(_)) || matches!(self, Val::Json(Value::Array(_)))
    }

    /// `typeof v == "object" && v !== null`, drops included.
    pub fn is_object_like(&self) -> bool {
        matches!(self, Val::Json(_) | Val::Arr(_) | Val::Obj(_) | Val::Range(_) | Val::Drop(_))
    }

    /// liquidjs `toValue`: drops become their primitive value.
    pub fn to_value(&self) -> Val<'a> {
        match self {
            Val::Drop(Drop::Nil) => Val::Null,
            Val::Drop(Drop::Empty | Drop::Blank) => Val::str(""),
            Val::Drop(Drop::Loop(l)) => Val::str(loop_json(l)),
            v => v.clone(),
        }
    }

    /// liquidjs truthiness: only `false`, `null` and `undefined` are falsy.
    pub fn is_truthy(&self) -> bool {
        !matches!(self.to_value(), Val::Bool(false) | Val::Undef | Val::Null)
    }

    /// JavaScript truthiness.
    pub fn js_truthy(&self) -> bool {
        match self {
            Val::Undef | Val::Null => false,
            Val::Bool(b) => *b,
            Val::Num(n) => *n != 0.0 && !n.is_nan(),
            Val::Str(s) => !s.as_str().is_empty(),
            _ => true,
        }
    }

    /// The number of elements when the value is an array.
    pub fn array_len(&self) -> Option<usize> {
        match self {
            Val::Json(Value::Array(a)) => Some(a.len()),
            Val::Arr(a) => Some(a.items.len()),
            Val::Range(r) => Some(r.len),
            _ => None,
        }
    }

    /// Element `i` of an array value.
    pub fn array_get(&self, i: usize) -> Val<'a> {
        match self {
            Val::Json(Value::Array(a)) => a.get(i).map_or(Val::Undef, Val::from_json),
            Val::Arr(a) => a.items.get(i).cloned().unwrap_or(Val::Undef),
            Val::Range(r) if i < r.len => Val::Num(r.get(i)),
            _ => Val::Undef,
        }
    }
}

/// `JSON.stringify(forloop)`: the drop's own fields.
pub fn loop_json(l: &LoopState) -> String {
    let mut out = String::from("{\"i\":");
    out.push_str(&l.i.get().to_string());
    out.push_str(",\"length\":");
    out.push_str(&l.length.to_string());
    out.push_str(",\"name\":");
    json::write_string(&mut out, &l.name);
    if let Some(cols) = &l.cols {
        out.push_str(",\"cols\":");
        out.push_str(&cols.json);
    }
    out.push('}');
    out
}

/// liquidjs `stringify`: nil is empty, arrays are concatenated without separator, the rest is `String(v)`.
pub fn liquid_string<'v>(v: &'v Val<'_>) -> Cow<'v, str> {
    match v {
        Val::Str(s) => Cow::Borrowed(s.as_str()),
        Val::Undef | Val::Null | Val::Drop(Drop::Nil | Drop::Empty | Drop::Blank) => Cow::Borrowed(""),
        Val::Drop(Drop::Loop(l)) => Cow::Owned(loop_json(l)),
        v if v.is_array() => {
            let mut out = String::new();
            for_each_item(v, |item| out.push_str(&liquid_string(&item)));
            Cow::Owned(out)
        }
        v => js_string(v),
    }
}

/// Calls `f` with each element of an array value.
pub fn for_each_item<'a>(v: &Val<'a>, mut f: impl FnMut(Val<'a>)) {
    match v {
        Val::Json(Value::Array(a)) => a.iter().for_each(|x| f(Val::from_json(x))),
        Val::Arr(a) => a.items.iter().for_each(|x| f(x.clone())),
        Val::Range(r) => (0..r.len).for_each(|i| f(Val::Num(r.get(i)))),
        _ => {}
    }
}

/// `String(v)` in JavaScript.
pub fn js_string<'v>(v: &'v Val<'_>) -> Cow<'v, str> {
    match v {
        Val::Undef => Cow::Borrowed("undefined"),
        Val::Null => Cow::Borrowed("null"),
        Val::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Val::Num(n) => Cow::Owned(json::f64_text(*n)),
        Val::Str(s) => Cow::Borrowed(s.as_str()),
        Val::Json(Value::Object(_)) | Val::Obj(_) | Val::Drop(_) => Cow::Borrowed("[object Object]"),
        v => {
            let mut out = String::new();
            push_joined(&mut out, v, ",");
            Cow::Owned(out)
        }
    }
}

/// `Array.prototype.join`: nil elements are empty, others `String(element)`.
pub fn push_joined(out: &mut String, v: &Val<'_>, sep: &str) {
    let mut first = true;
    for_each_item(v, |item| {
        if !first {
            out.push_str(sep);
        }
        first = false;
        if !item.is_nil() {
            out.push_str(&js_string(&item));
        }
    });
}

/// Length in bytes of `Array.prototype.join(sep)` without building it (for budget checks).
pub fn joined_len(v: &Val<'_>, sep: &str) -> usize {
    let mut total = 0usize;
    let mut n = 0usize;
    for_each_item(v, |item| {
        n += 1;
        if !item.is_nil() {
            total = total.saturating_add(js_string(&item).len());
        }
    });
    total.saturating_add(sep.len().saturating_mul(n.saturating_sub(1)))
}

/// `Number(v)` in JavaScript.
pub fn js_number(v: &Val<'_>) -> f64 {
    match v {
        Val::Undef => f64::NAN,
        Val::Null | Val::Drop(Drop::Nil | Drop::Empty | Drop::Blank) => 0.0,
        Val::Bool(b) => f64::from(u8::from(*b)),
        Val::Num(n) => *n,
        Val::Str(s) => parse_js_number(s.as_str()),
        Val::Json(Value::Object(_)) | Val::Obj(_) | Val::Drop(Drop::Loop(_)) => f64::NAN,
        v => parse_js_number(&js_string(v)),
    }
}

/// liquidjs `toNumber`: `+toValue(v) || 0` (so `NaN` and `-0` become 0).
pub fn to_number(v: &Val<'_>) -> f64 {
    let n = js_number(v);
    if n.is_nan() || n == 0.0 { 0.0 } else { n }
}

/// `JSON.stringify(v)`; `None` where JavaScript returns `undefined`.
pub fn json_stringify(v: &Val<'_>) -> Option<String> {
    json_stringify_with(v, None)
}

/// `JSON.stringify(v, null, space)` with the indentation from [`json_gap`]; `None` for `undefined`.
pub fn json_stringify_with(v: &Val<'_>, gap: Option<&str>) -> Option<String> {
    let mut out = String::new();
    write_json(&mut out, v, gap, 0).then_some(out)
}

/// The `space` argument of `JSON.stringify` as V8 reads it: a number gives that many spaces (at most 10;
/// between 0 and 1 it still switches to multi-line output, with no indentation), a string its first 10
/// characters; anything else means compact output.
pub fn json_gap(space: &Val<'_>) -> Option<String> {
    match space {
        Val::Num(n) if *n > 0.0 => Some(" ".repeat(n.min(10.0) as usize)),
        Val::Str(s) if !s.as_str().is_empty() => Some(
            s.as_str()
                .chars()
                .scan(0, |w, c| {
                    *w += c.len_utf16();
                    (*w <= 10).then_some(c)
                })
                .collect(),
        ),
        _ => None,
    }
}

/// Writes one value; returns `false` for values JSON leaves out (`undefined`).
fn write_json(out: &mut String, v: &Val<'_>, gap: Option<&str>, depth: usize) -> bool {
    match v {
        Val::Undef => return false,
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Num(n) => json::write_json_f64(out, *n),
        Val::Str(s) => json::write_string(out, s.as_str()),
        Val::Json(j) => json::write_value_at(out, j, gap, depth),
        Val::Drop(Drop::Loop(l)) => {
            if gap.is_none() {
                out.push_str(&loop_json(l));
            } else {
                let mut fields: Vec<(Rc<str>, Val)> = vec![
                    ("i".into(), Val::Num(l.i.get() as f64)),
                    ("length".into(), Val::Num(l.length as f64)),
                    ("name".into(), Val::Str(Str::Shared(l.name.clone()))),
                ];
                if let Some(cols) = &l.cols {
                    fields.push(("cols".into(), cols.value.clone()));
                }
                write_entries(out, fields.iter().map(|(k, v)| (&**k, v.clone())), gap, depth);
            }
        }
        Val::Drop(_) => out.push_str("{}"),
        Val::Obj(o) => write_entries(out, o.entries.iter().map(|(k, v)| (&**k, v.clone())), gap, depth),
        v => {
            let mut items = Vec::new();
            for_each_item(v, |x| items.push(x));
            if items.is_empty() {
                out.push_str("[]");
                return true;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json::newline(out, gap, depth + 1);
                if !write_json(out, item, gap, depth + 1) {
                    out.push_str("null");
                }
            }
            json::newline(out, gap, depth);
            out.push(']');
        }
    }
    true
}

fn write_entries<'x, 'a: 'x>(
    out: &mut String,
    entries: impl Iterator<Item = (&'x str, Val<'a>)>,
    gap: Option<&str>,
    depth: usize,
) {
    let start = out.len();
    out.push('{');
    let mut any = false;
    for (k, v) in entries {
        let mark = out.len();
        if any {
            out.push(',');
        }
        json::newline(out, gap, depth + 1);
        json::write_string(out, k);
        out.push(':');
        if gap.is_some() {
            out.push(' ');
        }
        if write_json(out, &v, gap, depth + 1) {
            any = true;
        } else {
            out.truncate(mark);
        }
    }
    if any {
        json::newline(out, gap, depth);
        out.push('}');
    } else {
        out.truncate(start);
        out.push_str("{}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conversions_follow_javascript() {
        let arr = json!([1, null, "a", [2, 3]]);
        let v = Val::from_json(&arr);
        assert_eq!(js_string(&v), "1,,a,2,3");
        assert_eq!(liquid_string(&v), "1a23");
        assert!(js_number(&v).is_nan());
        assert_eq!(js_number(&Val::from_json(&json!([" 7 "]))), 7.0);
        assert_eq!(to_number(&Val::str("abc")), 0.0);
        assert_eq!(js_string(&Val::Num(1e21)), "1e+21");
        assert_eq!(joined_len(&v, ", "), "1, , a, 2,3".len());
    }

    #[test]
    fn json_of_drops_and_ranges() {
        assert_eq!(json_stringify(&Val::Drop(Drop::Empty)).as_deref(), Some("{}"));
        assert_eq!(json_stringify(&Val::Range(RangeVal::new(1.0, 3.0))).as_deref(), Some("[1,2,3]"));
        assert_eq!(json_stringify(&Val::Undef), None);
        let obj = json!({"b": [1, {}], "a": "x"});
        assert_eq!(
            json_stringify_with(&Val::from_json(&obj), Some("  ")).as_deref(),
            Some("{\n  \"b\": [\n    1,\n    {}\n  ],\n  \"a\": \"x\"\n}")
        );
        let arr = Val::array(vec![Val::Undef, Val::Num(f64::NAN)]).unwrap();
        assert_eq!(json_stringify(&arr).as_deref(), Some("[null,null]"));
    }

    #[test]
    fn ranges_count_like_liquidjs() {
        assert_eq!(RangeVal::new(1.0, 3.0).len, 3);
        assert_eq!(RangeVal::new(3.0, 1.0).len, 0);
        assert_eq!(RangeVal::new(1.5, 3.0).len, 3);
        assert_eq!(RangeVal::new(f64::NAN, 3.0).len, 0);
    }

    #[test]
    fn nesting_is_bounded() {
        let mut v = Val::array(vec![]).unwrap();
        for _ in 1..MAX_NESTING {
            v = Val::array(vec![v]).unwrap();
        }
        assert!(Val::array(vec![v]).is_none());
    }
}
