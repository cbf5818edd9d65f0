//! Array filters.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use serde_json::Value;

use super::{Args, FilterId};
use crate::ast::{FilteredValue, Token};
use crate::chars::{utf16_len, utf16_unit_at};
use crate::compare::{equals, js_less};
use crate::error::{LiquidError, Result};
use crate::jsnum::{relative_index, to_integer};
use crate::props::{Key, get_prop, items, to_array, to_enumerable};
use crate::render::{Root, Session, js_add};
use crate::tokenizer::Cursor;
use crate::value::{Drop, Val, joined_len, js_number, js_string, liquid_string, push_joined};

/// A computed array, or an error when it would nest too deeply.
pub(crate) fn make_array<'a>(items: Vec<Val<'a>>) -> Result<Val<'a>> {
    Val::array(items).ok_or_else(|| LiquidError::render("value nested too deeply"))
}

pub(super) fn apply<'a>(s: &mut Session<'a>, id: FilterId, v: Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    match id {
        FilterId::Join => join(s, &v, a),
        FilterId::First => Ok(first_last(&v, true)),
        FilterId::Last => Ok(first_last(&v, false)),
        FilterId::Size => Ok(size(&v)),
        FilterId::Reverse => {
            let mut list = to_array(&v);
            list.reverse();
            make_array(list)
        }
        FilterId::Sort | FilterId::SortNatural => sort(s, &v, a, id == FilterId::SortNatural),
        FilterId::Map => {
            let list = to_array(&v);
            let path = liquid_string(&a.at(0)).into_owned();
            make_array(list.iter().map(|item| read_path(item, &path)).collect())
        }
        FilterId::Sum => {
            let list = to_array(&v);
            let prop = a.at(0);
            let path = liquid_string(&prop).into_owned();
            let mut total = 0.0;
            for item in &list {
                let x = if prop.js_truthy() { js_number(&read_path(item, &path)) } else { js_number(item) };
                total += if x.is_nan() { 0.0 } else { x };
            }
            Ok(Val::Num(total))
        }
        FilterId::Compact => {
            let list = to_array(&v);
            make_array(list.into_iter().filter(|x| !x.to_value().is_nil()).collect())
        }
        FilterId::Concat | FilterId::Push => {
            let mut list = to_array(&v);
            let rhs = if id == FilterId::Push { vec![a.at(0)] } else { a.given(0).map(to_array).unwrap_or_default() };
            list.extend(rhs);
            make_array(list)
        }
        FilterId::Unshift => {
            let mut list = to_array(&v);
            list.insert(0, a.at(0));
            make_array(list)
        }
        FilterId::Pop | FilterId::Shift => {
            let mut list = to_array(&v);
            if !list.is_empty() {
                if id == FilterId::Pop {
                    list.pop();
                } else {
                    list.remove(0);
                }
            }
            make_array(list)
        }
        FilterId::Slice => slice(&v, a),
        FilterId::Where | FilterId::Reject => {
            let list = to_array(&v);
            let token = scope_token(&a.at(0))?;
            let expected = a.at(1);
            let keep = id == FilterId::Where;
            let mut out = Vec::new();
            for item in list {
                let value = eval_on_item(s, token.as_ref(), &item)?;
                if matches(&value, &expected) == keep {
                    out.push(item);
                }
            }
            make_array(out)
        }
        FilterId::WhereExp | FilterId::RejectExp => {
            let list = to_array(&v);
            let name: Arc<str> = Arc::from(js_string(&a.at(0)).as_ref());
            let exp = expression(&a.at(1))?;
            let keep = id == FilterId::WhereExp;
            let mut out = Vec::new();
            for item in list {
                let value = s.with_item(&name, item.clone(), |s| s.eval_filtered(&exp, Root::Scopes))?;
                if matches!(value, Val::Bool(b) if b == keep) {
                    out.push(item);
                }
            }
            make_array(out)
        }
        FilterId::GroupBy | FilterId::GroupByExp => group_by(s, &v, a, id == FilterId::GroupByExp),
        FilterId::Has | FilterId::FindIndex | FilterId::Find => {
            let found = search(s, &v, a)?;
            Ok(found_result(id, found))
        }
        FilterId::HasExp | FilterId::FindIndexExp | FilterId::FindExp => {
            let found = search_exp(s, &v, a)?;
            let id = match id {
                FilterId::HasExp => FilterId::Has,
                FilterId::FindIndexExp => FilterId::FindIndex,
                _ => FilterId::Find,
            };
            Ok(found_result(id, found))
        }
        FilterId::Uniq => {
            let list = to_array(&v);
            let mut seen = HashSet::new();
            make_array(list.into_iter().filter(|x| seen.insert(identity(x))).collect())
        }
        _ => sample(&v, a),
    }
}

fn join<'a>(s: &mut Session<'a>, v: &Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    let list = make_array(to_array(&v.to_value()))?;
    let sep_arg = a.at(0).to_value();
    let sep = if sep_arg.is_nil() { " ".into() } else { liquid_string(&sep_arg).into_owned() };
    s.check_string(joined_len(&list, &sep))?;
    let mut out = String::new();
    push_joined(&mut out, &list, &sep);
    Ok(Val::str(out))
}

fn first_last<'a>(v: &Val<'a>, first: bool) -> Val<'a> {
    match v.to_value() {
        Val::Str(s) if !s.as_str().is_empty() => {
            let text = s.as_str();
            let idx = if first { 0 } else { utf16_len(text) - 1 };
            utf16_unit_at(text, idx).map_or(Val::Undef, |c| Val::str(c.to_string()))
        }
        arr if arr.is_array() => {
            let len = arr.array_len().unwrap_or(0);
            match (first, len) {
                (_, 0) => Val::Undef,
                (true, _) => arr.array_get(0),
                (false, n) => arr.array_get(n - 1),
            }
        }
        Val::Json(Value::Object(map)) => match map.get("length") {
            Some(Value::Number(n)) => {
                let len = crate::json::as_f64(n);
                let idx = if first { 0.0 } else { len - 1.0 };
                map.get(&crate::json::f64_text(idx)).map_or(Val::Undef, Val::from_json)
            }
            _ => Val::str(""),
        },
        _ => Val::str(""),
    }
}

/// `(v && v.length) || 0`.
fn size<'a>(v: &Val<'a>) -> Val<'a> {
    let len = match v {
        Val::Str(s) => Val::Num(utf16_len(s.as_str()) as f64),
        Val::Json(Value::Object(map)) => map.get("length").map_or(Val::Undef, Val::from_json),
        Val::Drop(Drop::Loop(l)) => Val::Num(l.length as f64),
        v if v.is_array() => Val::Num(v.array_len().unwrap_or(0) as f64),
        _ => Val::Undef,
    };
    if len.js_truthy() { len } else { Val::Num(0.0) }
}

/// `_getFromScope(item, path.split('.'))`: a dotted path read from the item itself.
fn read_path<'a>(item: &Val<'a>, path: &str) -> Val<'a> {
    let mut cur = item.clone();
    for part in path.split('.') {
        cur = get_prop(&cur, &Key::Name(part));
    }
    cur
}

/// liquidjs `orderedCompare`: nil sorts last, otherwise JavaScript `<` / `>`.
fn ordered_compare(a: &Val<'_>, b: &Val<'_>) -> Ordering {
    match (a.is_nil(), b.is_nil()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ if js_less(a, b) => Ordering::Less,
        _ if js_less(b, a) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

fn natural_compare(a: &Val<'_>, b: &Val<'_>) -> Ordering {
    match (a.is_nil(), b.is_nil()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => {
            let (x, y) = (js_string(a).to_lowercase(), js_string(b).to_lowercase());
            crate::chars::cmp_utf16(&x, &y)
        }
    }
}

fn sort<'a>(s: &mut Session<'a>, v: &Val<'a>, a: &Args<'a>, natural: bool) -> Result<Val<'a>> {
    let list = to_array(v);
    let prop = a.at(0);
    let path = liquid_string(&prop).into_owned();
    let mut keyed: Vec<(Val<'a>, Val<'a>)> = list
        .into_iter()
        .map(|item| {
            let key = if prop.js_truthy() { read_path(&item, &path) } else { item.clone() };
            (item, key)
        })
        .collect();
    // Comparisons: about n·log n of them, each reading the keys.
    let log = (usize::BITS - keyed.len().leading_zeros()) as usize;
    let key_bytes: usize = keyed.iter().map(|(_, k)| k.as_str().map_or(0, str::len)).sum();
    s.charge_items(keyed.len().saturating_mul(log))?;
    s.charge_bytes(key_bytes.saturating_mul(log))?;
    let cmp = if natural { natural_compare } else { ordered_compare };
    js_sort(&mut keyed, |x, y| cmp(&x.1, &y.1));
    make_array(keyed.into_iter().map(|(item, _)| item).collect())
}

/// `Array.prototype.sort` as V8 does it: binary insertion sort after the first run for short arrays
/// (so even inconsistent comparisons give V8's order), a stable merge sort beyond; never panics.
pub(crate) fn js_sort<T: Clone>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let n = v.len();
    if n < 2 {
        return;
    }
    if n >= 64 {
        merge_sort(v, &cmp);
        return;
    }
    let mut run = 2;
    let descending = cmp(&v[1], &v[0]) == Ordering::Less;
    while run < n {
        let order = cmp(&v[run], &v[run - 1]);
        if (descending && order != Ordering::Less) || (!descending && order == Ordering::Less) {
            break;
        }
        run += 1;
    }
    if descending {
        v[..run].reverse();
    }
    for start in run..n {
        let pivot = v[start].clone();
        let (mut left, mut right) = (0, start);
        while left < right {
            let mid = left + ((right - left) >> 1);
            if cmp(&pivot, &v[mid]) == Ordering::Less {
                right = mid;
            } else {
                left = mid + 1;
            }
        }
        v[left..=start].rotate_right(1);
    }
}

fn merge_sort<T: Clone>(v: &mut [T], cmp: &impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mid = v.len() / 2;
    merge_sort(&mut v[..mid], cmp);
    merge_sort(&mut v[mid..], cmp);
    let mut merged = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < v.len() {
        if cmp(&v[j], &v[i]) == Ordering::Less {
            merged.push(v[j].clone());
            j += 1;
        } else {
            merged.push(v[i].clone());
            i += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..]);
    v.clone_from_slice(&merged);
}

fn slice<'a>(v: &Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    let v = v.to_value();
    if v.is_nil() {
        return make_array(Vec::new());
    }
    let length = a.given(1).cloned().unwrap_or(Val::Num(1.0));
    let text = if v.is_array() { None } else { Some(liquid_string(&v).into_owned()) };
    let count = match &text {
        Some(t) => t.chars().count(),
        None => v.array_len().unwrap_or(0),
    };
    // JavaScript arithmetic on the raw arguments: a string `begin` concatenates.
    let mut begin = a.at(0);
    if js_number(&begin) < 0.0 {
        begin = js_add(&Val::Num(count as f64), &begin);
    }
    if js_number(&begin) < 0.0 || js_number(&length) < 0.0 {
        return match text {
            Some(_) => Ok(Val::str("")),
            None => make_array(Vec::new()),
        };
    }
    match text {
        None => {
            let list = items(&v);
            let start = relative_index(js_number(&begin), list.len());
            let end = relative_index(js_number(&js_add(&begin, &length)), list.len()).max(start);
            make_array(list[start..end].to_vec())
        }
        Some(text) => {
            // advanceCodePoints steps while `i < n`: fractions round up, NaN means none.
            let steps = |n: f64| {
                if n > 0.0 { n.ceil().min(usize::MAX as f64) as usize } else { 0 }
            };
            let out: String = text.chars().skip(steps(js_number(&begin))).take(steps(js_number(&length))).collect();
            Ok(Val::str(out))
        }
    }
}

/// Parses a property path given to `where`, `group_by`, `find`…
fn scope_token(property: &Val<'_>) -> Result<Option<Token>> {
    let text = liquid_string(property);
    Cursor::new(&text, 0, text.len()).read_scope_value()
}

/// Parses the expression given to a `*_exp` filter.
fn expression(exp: &Val<'_>) -> Result<FilteredValue> {
    let text = liquid_string(exp);
    Cursor::new(&text, 0, text.len()).read_filtered_value()
}

fn eval_on_item<'a>(s: &mut Session<'a>, token: Option<&Token>, item: &Val<'a>) -> Result<Val<'a>> {
    match token {
        Some(t) => s.eval_token(t, Root::Item(item)),
        None => Ok(Val::Undef),
    }
}

/// liquidjs `matches`: truthiness when no value is expected, equality otherwise.
fn matches(value: &Val<'_>, expected: &Val<'_>) -> bool {
    if matches!(expected, Val::Undef) { value.is_truthy() } else { equals(value, expected) }
}

fn search<'a>(s: &mut Session<'a>, v: &Val<'a>, a: &Args<'a>) -> Result<Option<(usize, Val<'a>)>> {
    let token = scope_token(&a.at(0))?;
    let expected = a.at(1);
    let list = to_array(v);
    for (i, item) in list.into_iter().enumerate() {
        let value = eval_on_item(s, token.as_ref(), &item)?;
        if matches(&value, &expected) {
            return Ok(Some((i, item)));
        }
    }
    Ok(None)
}

fn search_exp<'a>(s: &mut Session<'a>, v: &Val<'a>, a: &Args<'a>) -> Result<Option<(usize, Val<'a>)>> {
    let name: Arc<str> = Arc::from(js_string(&a.at(0)).as_ref());
    let exp = expression(&a.at(1))?;
    let list = to_array(v);
    for (i, item) in list.into_iter().enumerate() {
        let value = s.with_item(&name, item.clone(), |s| s.eval_filtered(&exp, Root::Scopes))?;
        if value.js_truthy() {
            return Ok(Some((i, item)));
        }
    }
    Ok(None)
}

fn found_result<'a>(id: FilterId, found: Option<(usize, Val<'a>)>) -> Val<'a> {
    match (id, found) {
        (FilterId::Has, f) => Val::Bool(f.is_some()),
        (FilterId::FindIndex, Some((i, _))) => Val::Num(i as f64),
        (FilterId::Find, Some((_, item))) => item,
        _ => Val::Undef,
    }
}

fn group_by<'a>(s: &mut Session<'a>, v: &Val<'a>, a: &Args<'a>, with_exp: bool) -> Result<Val<'a>> {
    let list = to_enumerable(v);
    let mut groups: Vec<(Val<'a>, Vec<Val<'a>>)> = Vec::new();
    let mut index: HashMap<Identity, usize> = HashMap::new();
    let (token, exp, name) = if with_exp {
        (None, Some(expression(&a.at(1))?), Arc::<str>::from(js_string(&a.at(0)).as_ref()))
    } else {
        (scope_token(&a.at(0))?, None, Arc::<str>::from(""))
    };
    for item in list {
        let key = match &exp {
            Some(exp) => s.with_item(&name, item.clone(), |s| s.eval_filtered(exp, Root::Scopes))?,
            None => eval_on_item(s, token.as_ref(), &item)?,
        };
        match index.entry(identity(&key)) {
            std::collections::hash_map::Entry::Occupied(e) => groups[*e.get()].1.push(item),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(groups.len());
                groups.push((key, vec![item]));
            }
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    for (key, members) in groups {
        let members = make_array(members)?;
        let group = Val::object(vec![(Rc::from("name"), key), (Rc::from("items"), members)])
            .ok_or_else(|| LiquidError::render("value nested too deeply"))?;
        out.push(group);
    }
    make_array(out)
}

/// A value's identity for `Set`/`Map` (SameValueZero): primitives by value, objects by reference.
#[derive(PartialEq, Eq, Hash)]
enum Identity {
    Undef,
    Null,
    Bool(bool),
    Num(u64),
    Str(String),
    Ptr(usize),
    Literal(u8),
    Range(u64, usize),
}

fn identity(v: &Val<'_>) -> Identity {
    match v {
        Val::Undef => Identity::Undef,
        Val::Null => Identity::Null,
        Val::Bool(b) => Identity::Bool(*b),
        Val::Num(n) => Identity::Num(if n.is_nan() {
            f64::NAN.to_bits()
        } else if *n == 0.0 {
            0
        } else {
            n.to_bits()
        }),
        Val::Str(s) => Identity::Str(s.as_str().to_string()),
        Val::Json(j) => Identity::Ptr(*j as *const Value as usize),
        Val::Arr(a) => Identity::Ptr(Rc::as_ptr(a) as *const u8 as usize),
        Val::Obj(o) => Identity::Ptr(Rc::as_ptr(o) as *const u8 as usize),
        Val::Drop(Drop::Loop(l)) => Identity::Ptr(Rc::as_ptr(l) as *const u8 as usize),
        Val::Drop(Drop::Nil) => Identity::Literal(0),
        Val::Drop(Drop::Empty) => Identity::Literal(1),
        Val::Drop(Drop::Blank) => Identity::Literal(2),
        Val::Range(r) => Identity::Range(r.start.to_bits(), r.len),
    }
}

/// `sample`: random items (a string is split into characters first).
fn sample<'a>(v: &Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    let v = v.to_value();
    if v.is_nil() {
        return make_array(Vec::new());
    }
    let mut list: Vec<Val<'a>> =
        if v.is_array() { items(&v) } else { liquid_string(&v).chars().map(|c| Val::str(c.to_string())).collect() };
    let mut seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0x9e37_79b9, |d| d.as_nanos() as u64)
            | 1;
    for i in (1..list.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        list.swap(i, (seed % (i as u64 + 1)) as usize);
    }
    let count = a.given(0).cloned().unwrap_or(Val::Num(1.0));
    if matches!(count, Val::Num(n) if n == 1.0) {
        return Ok(list.into_iter().next().unwrap_or(Val::Undef));
    }
    let end = relative_index(to_integer(js_number(&count)), list.len());
    list.truncate(end);
    make_array(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v8_sort_order_for_small_arrays() {
        let mut v = vec![3, 1, 2, 5, 4];
        js_sort(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, vec![1, 2, 3, 4, 5]);
        let mut big: Vec<i32> = (0..200).rev().collect();
        js_sort(&mut big, |a, b| a.cmp(b));
        assert_eq!(big, (0..200).collect::<Vec<_>>());
        // An inconsistent comparison must not panic.
        let mut odd: Vec<i32> = (0..100).collect();
        js_sort(&mut odd, |a, b| if (a + b) % 3 == 0 { Ordering::Less } else { Ordering::Greater });
    }
}
