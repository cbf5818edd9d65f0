//! Output sanitisation of email and in-app steps (spec §10.7), byte-compatible with @novu/framework 2.13.2,
//! which runs sanitize-html 2.17.5 (on htmlparser2 10.1.0) behind a small wrapper.
//!
//! The pipeline mirrors upstream's: the wrapper's two fixes (slash-closed end tags, a leading doctype),
//! then a streaming tokenizer (`tokenizer`) feeding an htmlparser2-style element stack (`tree`) feeding
//! sanitize-html's rules (`filter`). No recursion anywhere, and every step is linear in the input.
//!
//! Known departures from upstream: raw `<style>` text never carries a `</style` that would end the
//! element (upstream can emit one, letting a `<script>` after it run); `null` inside an array is kept
//! (upstream throws a `TypeError`); character references follow the WHATWG table where the `entities`
//! package upstream decodes with misreads its own trie (`&eta=` → "ë", `&Ocy ` → "Á"); and where upstream
//! would emit half of a surrogate pair, U+FFFD is written.

// The README's examples run as doctests.
#![cfg_attr(doctest, doc = include_str!("../README.md"))]

mod entities;
mod entity_table;
mod filter;
mod tokenizer;
mod tree;
mod url;

use std::borrow::Cow;

use novu_framework_json as json;
use serde_json::{Map, Value};

/// Upstream's `sanitizeHTML(s)`: the same bytes out for the same input.
pub fn sanitize_html(input: &str) -> String {
    if is_plain(input) {
        return input.to_owned();
    }
    let fixed = fix_closing_tags(input);
    let mut tree = tree::Tree::new(fixed.len() + fixed.len() / 8);
    tokenizer::tokenize(&fixed, &mut tree);
    let body = tree.into_output();
    match leading_doctype(&fixed) {
        Some(doctype) => {
            let mut out = String::with_capacity(doctype.len() + body.len());
            out.push_str(doctype);
            out.push_str(&body);
            out
        }
        None => body,
    }
}

/// Upstream's sanitisation of a step's outputs (§10.7 `sanitize_object`): strings are sanitised, objects
/// recursed into; in arrays strings are sanitised and objects and arrays recursed into, where an array
/// comes back as an object keyed `"0"`, `"1"`, … exactly as upstream's `Object.keys` walk returns it.
/// Other values are kept. A top-level array is treated like a nested one.
pub fn sanitize_value(value: &mut Value) {
    let mut stack: Vec<&mut Value> = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::String(s) => sanitize_string(s),
            Value::Array(_) => {
                if let Value::Array(items) = std::mem::take(value) {
                    *value = Value::Object(index_keyed(items));
                }
                stack.push(value);
            }
            Value::Object(map) => {
                // Assigning a `__proto__` key on the result object sets its prototype instead.
                map.shift_remove("__proto__");
                for member in map.values_mut() {
                    match member {
                        Value::String(s) => sanitize_string(s),
                        Value::Array(items) => {
                            for item in items.iter_mut() {
                                match item {
                                    Value::String(s) => sanitize_string(s),
                                    Value::Array(_) | Value::Object(_) => stack.push(item),
                                    _ => {}
                                }
                            }
                        }
                        Value::Object(_) => stack.push(member),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

fn index_keyed(items: Vec<Value>) -> Map<String, Value> {
    items.into_iter().enumerate().map(|(i, item)| (i.to_string(), item)).collect()
}

fn sanitize_string(s: &mut String) {
    if !is_plain(s) {
        *s = sanitize_html(s);
    }
}

/// Text without `<`, `&` or `>` comes out of the sanitiser unchanged.
fn is_plain(s: &str) -> bool {
    memchr::memchr3(b'<', b'&', b'>', s.as_bytes()).is_none()
}

/// The wrapper's `/<\/([a-zA-Z][a-zA-Z0-9]*)\s*\/[^>]*>/g` → `</$1>`: a closing tag written with a slash
/// (`</br/>`, `</p />`) becomes a plain closing tag. `\s` is JavaScript's, Unicode spaces included.
fn fix_closing_tags(input: &str) -> Cow<'_, str> {
    let bytes = input.as_bytes();
    let Some(last_gt) = memchr::memrchr(b'>', bytes) else {
        return Cow::Borrowed(input);
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = find_closing_start(bytes, i) {
        let name_start = found + 2;
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = found + 1;
            continue;
        }
        let name_end = name_start + bytes[name_start..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        let slash = name_end + skip_js_space(&input[name_end..]);
        if bytes.get(slash) != Some(&b'/') {
            i = slash.max(found + 1);
            continue;
        }
        if last_gt < slash {
            break;
        }
        let gt = slash + memchr::memchr(b'>', &bytes[slash..]).unwrap_or(0);
        let buf = out.get_or_insert_with(|| String::with_capacity(input.len()));
        buf.push_str(&input[copied..found]);
        buf.push_str("</");
        buf.push_str(&input[name_start..name_end]);
        buf.push('>');
        copied = gt + 1;
        i = gt + 1;
    }
    match out {
        Some(mut buf) => {
            buf.push_str(&input[copied..]);
            Cow::Owned(buf)
        }
        None => Cow::Borrowed(input),
    }
}

fn find_closing_start(bytes: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, b"</").map(|p| from + p)
}

/// Byte length of the leading run of JavaScript `\s` characters.
fn skip_js_space(s: &str) -> usize {
    s.char_indices().find(|&(_, c)| !is_js_space(c)).map_or(s.len(), |(i, _)| i)
}

fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// The wrapper's `/^<!DOCTYPE .*?>/`: a leading upper-case doctype up to the first `>` on its line,
/// which upstream puts back in front of the sanitised output (sanitize-html itself drops it).
fn leading_doctype(s: &str) -> Option<&str> {
    const OPEN: &str = "<!DOCTYPE ";
    let rest = s.strip_prefix(OPEN)?;
    for (i, c) in rest.char_indices() {
        match c {
            '>' => return Some(&s[..OPEN.len() + i + 1]),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests;
