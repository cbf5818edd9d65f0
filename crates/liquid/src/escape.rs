//! How rendered pieces become text.
//!
//! Upstream renders controls inside a JSON document and parses the result, so every piece of a control
//! value goes through one level of JSON string encoding and decoding. Rendering each value separately, we
//! apply the net effect directly (strings verbatim, objects as single-quoted JSON); inside `capture` the
//! encoded form is what upstream stores, so the encoders are needed as well.

use serde_json::Value;

use super::value::{Drop, Val, for_each_item, json_stringify, loop_json};
use crate::json;

/// `JSON.stringify(s)` without the surrounding quotes.
pub fn push_json_escaped(out: &mut String, s: &str) {
    let start = out.len();
    json::write_string(out, s);
    // Drop the quotes json::write_string put around the text.
    out.remove(start);
    out.pop();
}

/// Upstream's escape of string outputs: backslash, double quote, LF, CR and TAB only.
pub fn push_output_escaped(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'\\' => "\\\\",
            b'"' => "\\\"",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// Undoes one level of JSON string escaping the lenient way upstream's JSON repair does: known escapes are
/// decoded, an unknown escape `\x` becomes `x`, anything else is kept.
pub fn push_decoded(out: &mut String, s: &str) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match (hex.len() == 4).then(|| u32::from_str_radix(&hex, 16).ok()).flatten() {
                    Some(unit) => {
                        for _ in 0..4 {
                            chars.next();
                        }
                        let ch = if (0xd800..0xdc00).contains(&unit) {
                            low_surrogate(&mut chars)
                                .and_then(|lo| char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (lo - 0xdc00)))
                        } else {
                            char::from_u32(unit)
                        };
                        out.push(ch.unwrap_or('\u{fffd}'));
                    }
                    None => out.push_str("\\u"),
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
}

/// Consumes a following `\uDC00`–`\uDFFF` escape, if there is one.
fn low_surrogate(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<u32> {
    let ahead: String = chars.clone().take(6).collect();
    let unit = ahead.strip_prefix("\\u").and_then(|h| u32::from_str_radix(h, 16).ok())?;
    if !(0xdc00..0xe000).contains(&unit) || ahead.len() != 6 {
        return None;
    }
    for _ in 0..6 {
        chars.next();
    }
    Some(unit)
}

/// An object or array output: `JSON.stringify` with `"` turned into `'` (the encoded form).
pub fn push_single_quoted_encoded(out: &mut String, v: &Val<'_>) {
    if let Some(text) = json_stringify(v) {
        out.push_str(&text.replace('"', "'"));
    }
}

/// An object or array output as it ends up in the control value: the single-quoted JSON text after one
/// level of JSON string decoding, i.e. strings written verbatim between single quotes.
pub fn push_single_quoted(out: &mut String, v: &Val<'_>) {
    match v {
        Val::Undef | Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Num(n) => json::write_json_f64(out, *n),
        Val::Str(s) => push_quoted_raw(out, s.as_str()),
        Val::Json(j) => push_json_value(out, j),
        Val::Drop(Drop::Loop(l)) => {
            let mut text = String::new();
            push_decoded(&mut text, &loop_json(l).replace('"', "'"));
            out.push_str(&text);
        }
        Val::Drop(_) => out.push_str("{}"),
        Val::Obj(o) => {
            out.push('{');
            let mut first = true;
            for (k, v) in &o.entries {
                if matches!(v, Val::Undef) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                push_quoted_raw(out, k);
                out.push(':');
                push_single_quoted(out, v);
            }
            out.push('}');
        }
        arr => {
            out.push('[');
            let mut first = true;
            for_each_item(arr, |item| {
                if !first {
                    out.push(',');
                }
                first = false;
                push_single_quoted(out, &item);
            });
            out.push(']');
        }
    }
}

fn push_quoted_raw(out: &mut String, s: &str) {
    out.push('\'');
    out.push_str(&s.replace('"', "'"));
    out.push('\'');
}

fn push_json_value(out: &mut String, v: &Value) {
    match v {
        Value::String(s) => push_quoted_raw(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            json::for_each_in_js_order(map, |k, item| {
                if !first {
                    out.push(',');
                }
                first = false;
                push_quoted_raw(out, k);
                out.push(':');
                push_json_value(out, item);
            });
            out.push('}');
        }
        scalar => json::write_compact(out, scalar),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encoders() {
        let mut s = String::new();
        push_json_escaped(&mut s, "a\"b\\\n\u{1}");
        assert_eq!(s, "a\\\"b\\\\\\n\\u0001");
        let mut s = String::new();
        push_output_escaped(&mut s, "a\"b\\\n\u{1}\t");
        assert_eq!(s, "a\\\"b\\\\\\n\u{1}\\t");
    }

    #[test]
    fn decoding_is_lenient() {
        let mut s = String::new();
        push_decoded(&mut s, r"a\'b\n\u00e9\ud83d\ude00\q\u12");
        assert_eq!(s, "a'b\né😀q\\u12");
    }

    #[test]
    fn objects_print_single_quoted() {
        let v = json!({"b": "two \"q\"", "a": [1, "x\ny"], "1": null});
        let mut s = String::new();
        push_single_quoted(&mut s, &Val::from_json(&v));
        assert_eq!(s, "{'1':null,'b':'two 'q'','a':[1,'x\ny']}");
        let mut e = String::new();
        push_single_quoted_encoded(&mut e, &Val::from_json(&v));
        assert_eq!(e, "{'1':null,'b':'two \\'q\\'','a':[1,'x\\ny']}");
    }
}
