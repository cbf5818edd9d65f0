//! The HTML sanitiser and its JSON walker: any text, and any JSON document. Output never holds a script
//! element as a browser parses it: outside a leading doctype (kept verbatim up to its first `>`, where
//! browsers end it too) and outside the raw text of `<style>` elements (kept as upstream keeps it, never
//! holding an end tag a browser would take for one: `</style&g;` is text).
//!
//! Idempotence is not checked on arbitrary input: sanitize-html 2.17.5 is not idempotent there either
//! (`<img srcset="a 9999999999999999999999w">` gives `srcset="a 1e+22w"`, which a second pass drops;
//! misnested `<style>` and `<head>` end tags move). The property test checks it on well-formed markup.

#![no_main]

use libfuzzer_sys::fuzz_target;
use novu_framework_core::json;
use novu_framework_core::sanitize::{sanitize_html, sanitize_value};
use novu_framework_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let input = text(data);
    let once = sanitize_html(&input);
    assert!(!markup(&once).contains("<script"), "{once}");
    if let Ok(mut value) = json::parse(data) {
        sanitize_value(&mut value);
        let _ = json::stringify(&value);
    }
});

/// The output in lower case without its leading doctype and without the text inside `<style>` elements.
fn markup(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut rest = match lower.strip_prefix("<!doctype ") {
        Some(rest) if html.starts_with("<!DOCTYPE ") => rest.split_once('>').map_or("", |(_, tail)| tail),
        _ => lower.as_str(),
    };
    let mut out = String::new();
    while let Some(start) = rest.find("<style") {
        let Some(open_end) = rest[start..].find('>') else { break };
        out.push_str(&rest[..start + open_end + 1]);
        rest = &rest[start + open_end + 1..];
        rest = style_end(rest).map_or("", |end| &rest[end..]);
    }
    out.push_str(rest);
    out
}

/// Where raw `<style>` text ends for a browser: at `</style` followed by whitespace, `/` or `>` (so
/// `</style&gt;` does not end it).
fn style_end(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("</style") {
        let at = from + i;
        match text.as_bytes().get(at + 7) {
            None | Some(b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>') => return Some(at),
            Some(_) => from = at + 7,
        }
    }
    None
}
