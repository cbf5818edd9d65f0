//! The filters `@novu/framework` registers on its Liquid engine: `json` (replacing liquidjs's), `digest`,
//! `toSentence` and `pluralize`, with the argument handling of their JavaScript definitions.

use serde_json::Value;

use super::array::make_array;
use super::pluralize::pluralize;
use super::{Args, FilterId};
use crate::error::{LiquidError, Result};
use crate::jsnum::{parse_js_number, relative_index};
use crate::json;
use crate::render::Session;
use crate::value::{Drop, Val, js_number, js_string, json_gap, json_stringify, json_stringify_with, push_joined};

pub(super) fn apply<'a>(s: &mut Session<'a>, id: FilterId, v: Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    let out = match id {
        FilterId::Json => Ok(json_filter(&v, a.given(0))),
        FilterId::Digest => digest(&v, a),
        FilterId::ToSentence => to_sentence(&v, a),
        _ => pluralize_filter(&v, a),
    }?;
    if let Val::Str(text) = &out {
        s.check_string(text.as_str().len())?;
    }
    Ok(out)
}

/// Objects and arrays as JSON with `'` for `"` (and literal `\n` for line breaks when indented); nil is
/// empty; anything else `String(v)`.
pub(crate) fn json_filter<'a>(v: &Val<'a>, spaces: Option<&Val<'a>>) -> Val<'a> {
    if v.is_object_like() {
        let gap = spaces.and_then(json_gap);
        let text = json_stringify_with(v, gap.as_deref()).unwrap_or_default();
        return Val::str(text.replace('"', "'").replace('\n', "\\n"));
    }
    if v.is_nil() {
        return Val::str("");
    }
    Val::str(js_string(v).into_owned())
}

/// Upstream's `lookup(item, "a.b")`: a dotted path, printed as text (`{}` and non-scalars are empty).
fn lookup(item: &Val<'_>, path: &str) -> String {
    let mut cur = item.clone();
    for part in path.split('.') {
        cur = match &cur {
            Val::Json(Value::Object(m)) => m.get(part).map_or(Val::Undef, Val::from_json),
            Val::Obj(o) => o.entries.iter().find(|(k, _)| &**k == part).map_or(Val::Undef, |(_, v)| v.clone()),
            arr if arr.is_array() => match part {
                "length" => Val::Num(arr.array_len().unwrap_or(0) as f64),
                p => p.parse::<usize>().ok().filter(|i| i.to_string() == p).map_or(Val::Undef, |i| arr.array_get(i)),
            },
            Val::Drop(Drop::Loop(l)) => match part {
                "i" => Val::Num(l.i.get() as f64),
                "length" => Val::Num(l.length as f64),
                "name" => Val::str(l.name.as_ref()),
                _ => Val::Undef,
            },
            _ => Val::Undef,
        };
    }
    match &cur {
        Val::Undef | Val::Null => String::new(),
        Val::Str(s) => s.as_str().to_string(),
        Val::Num(_) | Val::Bool(_) => js_string(&cur).into_owned(),
        v if v.is_object_like() => {
            let text = json_stringify(v).unwrap_or_default();
            if text == "{}" { String::new() } else { text }
        }
        _ => String::new(),
    }
}

/// The names of the items: the items themselves, or the `key_path` of each object item.
fn names<'a>(v: &Val<'a>, key_path: &Val<'a>) -> Result<Vec<Val<'a>>> {
    let len = v.array_len().unwrap_or(0);
    let items: Vec<Val<'a>> = (0..len).map(|i| v.array_get(i)).collect();
    if !key_path.js_truthy() {
        return Ok(items);
    }
    items
        .iter()
        .map(|item| {
            if !item.is_object_like() {
                return Ok(Val::str(""));
            }
            // Only object items are looked up, and only then must the path be a string.
            match key_path.as_str() {
                Some(path) => Ok(Val::str(lookup(item, path))),
                None => Err(LiquidError::render("TypeError: t.split is not a function")),
            }
        })
        .collect()
}

fn joined<'a>(items: &[Val<'a>], sep: &Val<'a>) -> Result<String> {
    let sep = if matches!(sep, Val::Undef) { ",".into() } else { js_string(sep).into_owned() };
    let mut out = String::new();
    push_joined(&mut out, &make_array(items.to_vec())?, &sep);
    Ok(out)
}

/// `a >= b` between a JavaScript number and an argument.
fn at_least(arg: &Val<'_>, n: usize) -> bool {
    let x = match arg {
        Val::Str(s) => parse_js_number(s.as_str()),
        v => js_number(v),
    };
    x >= n as f64
}

fn digest<'a>(v: &Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    if !v.is_array() || v.array_len() == Some(0) {
        return Ok(Val::str(""));
    }
    let max = a.given(0).cloned().unwrap_or(Val::Num(2.0));
    let sep = a.given(2).cloned().unwrap_or(Val::str(", "));
    let names = names(v, &a.at(1))?;
    let n = names.len();
    Ok(match n {
        1 => names.into_iter().next().unwrap_or(Val::Undef),
        2 => Val::str(format!("{} and {}", js_string(&names[0]), js_string(&names[1]))),
        _ if at_least(&max, n) => {
            Val::str(format!("{} and {}", joined(&names[..n - 1], &sep)?, js_string(&names[n - 1])))
        }
        _ => {
            let shown = relative_index(js_number(&max), n);
            let rest = n as f64 - js_number(&max);
            let word = if rest == 1.0 { "other" } else { "others" };
            Val::str(format!("{} and {} {}", joined(&names[..shown], &sep)?, json::f64_text(rest), word))
        }
    })
}

fn to_sentence<'a>(v: &Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    if !v.is_array() || v.array_len() == Some(0) {
        return Ok(Val::str(""));
    }
    let key_path = a.given(0).cloned().unwrap_or(Val::str(""));
    let limit = a.given(1).cloned().unwrap_or(Val::Num(2.0));
    let suffix = a.given(2).cloned().unwrap_or(Val::str("other"));
    let words = a.given(3).cloned().unwrap_or(Val::str(", "));
    let two = a.given(4).cloned().unwrap_or(Val::str(" and "));
    let last = a.given(5).cloned().unwrap_or(Val::str(", and "));
    let names = names(v, &key_path)?;
    let n = names.len();
    Ok(match n {
        1 => names.into_iter().next().unwrap_or(Val::Undef),
        2 => Val::str(format!("{}{}{}", js_string(&names[0]), js_string(&two), js_string(&names[1]))),
        _ if at_least(&limit, n) => {
            Val::str(format!("{}{}{}", joined(&names[..n - 1], &words)?, js_string(&last), js_string(&names[n - 1])))
        }
        _ => {
            let shown = relative_index(js_number(&limit), n);
            let rest = n as f64 - js_number(&limit);
            let connector = if matches!(limit, Val::Num(x) if x == 1.0) { &two } else { &last };
            let Some(word) = suffix.as_str() else {
                return Err(LiquidError::render("TypeError: word.toLowerCase is not a function"));
            };
            Val::str(format!(
                "{}{}{} {}",
                joined(&names[..shown], &words)?,
                js_string(connector),
                json::f64_text(rest),
                pluralize(word, rest)
            ))
        }
    })
}

fn pluralize_filter<'a>(v: &Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    if v.is_nil() {
        return Ok(Val::str(""));
    }
    let count = match v {
        v if v.is_array() => v.array_len().unwrap_or(0) as f64,
        Val::Json(Value::Object(m)) => m.len() as f64,
        Val::Obj(o) => o.entries.len() as f64,
        Val::Drop(Drop::Loop(l)) => {
            if l.cols.is_some() {
                4.0
            } else {
                3.0
            }
        }
        Val::Drop(_) => 0.0,
        v => js_number(v),
    };
    let count = if count.is_nan() { 0.0 } else { count };
    if count <= 0.0 {
        return Ok(Val::str(""));
    }
    let singular = a.given(0).cloned().unwrap_or(Val::str(""));
    let plural = a.given(1).cloned().unwrap_or(Val::str(""));
    let show_count = a.given(2).cloned().unwrap_or(Val::str("true"));
    let word = if plural.js_truthy() {
        js_string(if count == 1.0 { &singular } else { &plural }).into_owned()
    } else {
        match singular.as_str() {
            Some(w) => pluralize(w, count),
            None => {
                return Err(LiquidError::render("TypeError: word.toLowerCase is not a function"));
            }
        }
    };
    Ok(Val::str(if show_count.as_str() == Some("true") { format!("{} {}", json::f64_text(count), word) } else { word }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookup_paths() {
        let item = json!({"profile": {"name": "X", "n": 2, "o": {}, "a": [1]}});
        let v = Val::from_json(&item);
        assert_eq!(lookup(&v, "profile.name"), "X");
        assert_eq!(lookup(&v, "profile.n"), "2");
        assert_eq!(lookup(&v, "profile.o"), "");
        assert_eq!(lookup(&v, "profile.a"), "[1]");
        assert_eq!(lookup(&v, "profile.missing.x"), "");
    }

    #[test]
    fn json_filter_shapes() {
        let obj = json!({"a": 1, "b": "two \"q\""});
        let out = json_filter(&Val::from_json(&obj), Some(&Val::Num(2.0)));
        assert_eq!(out.as_str(), Some("{\\n  'a': 1,\\n  'b': 'two \\'q\\''\\n}"));
        assert_eq!(json_filter(&Val::str("str"), None).as_str(), Some("str"));
        assert_eq!(json_filter(&Val::Null, None).as_str(), Some(""));
    }
}
