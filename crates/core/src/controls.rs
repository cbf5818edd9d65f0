//! Compiling step controls with Liquid, with the observable results of `@novu/framework` 2.13.2
//! (spec §10.5).
//!
//! Upstream serialises all controls into one JSON text, renders that as a single Liquid template, repairs
//! and parses the result. Here every string (keys included) is rendered on its own, in the order it has in
//! that JSON text and with one shared Liquid session, and the effects of the JSON round trip are applied
//! directly: JSON-looking strings are rendered as structures and re-serialised compactly, translation
//! markers `{{ t.key }}` survive as `{{t.key}}`, numbers come back as JavaScript numbers, and JSON-looking
//! strings under `data` that do not parse are repaired.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use crate::json;
use crate::json::jsonrepair;
use crate::liquid::{self, ErrorKind, Limits, LiquidError, Session, Template, Usage};

/// Why controls could not be compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    /// What upstream puts into the error's `data`: `{"name": "<liquidjs error class>"}`, or for a budget
    /// failure `{"name": "LimitError", "message": "<limit>"}`.
    pub data: Value,
    /// Human-readable cause, for logs.
    pub message: String,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CompileError {}

impl From<LiquidError> for CompileError {
    fn from(e: LiquidError) -> CompileError {
        let mut data = Map::new();
        data.insert("name".into(), Value::String(e.kind.class_name().into()));
        if e.kind == ErrorKind::Limit {
            data.insert("message".into(), Value::String(e.message.clone()));
        }
        CompileError { data: Value::Object(data), message: e.to_string() }
    }
}

/// Key upstream uses to mark JSON strings it parsed; objects carrying it are serialised back to text.
const JSON_STRING_MARKER: &str = "__novuJsonString";

/// Renders every template in `controls` with the render `context` (spec §10.5.1) and returns the compiled
/// controls.
pub fn compile_controls(controls: &Value, context: &Value, limits: &Limits) -> Result<Value, CompileError> {
    compile_controls_cached(controls, context, limits, &TemplateCache::default(), &mut Usage::default())
}

/// [`compile_controls`], taking already parsed templates from `cache` (e.g. a step's control defaults) and
/// counting the rendering against `limits` on top of what `spent` says earlier renders of the same request
/// used (`spent` is updated).
pub fn compile_controls_cached(
    controls: &Value,
    context: &Value,
    limits: &Limits,
    cache: &TemplateCache,
    spent: &mut Usage,
) -> Result<Value, CompileError> {
    let tree = lift(controls);
    let mut texts = Vec::new();
    collect_texts(&tree, &mut texts);
    let prepared = prepare(&texts, cache)?;
    let mut session = Session::resume(context, *limits, *spent);
    let mut rendered = Vec::with_capacity(texts.len());
    let mut halted = false;
    for item in &prepared {
        rendered.push(match item {
            Prepared::Plain(text) => restore_translation_markers(text.to_string()),
            Prepared::Cached(t) => restore_translation_markers(session.render(t)?),
            Prepared::Parsed(t) => restore_translation_markers(session.render(t)?),
        });
        if session.halted() {
            halted = true;
            break;
        }
    }
    let mut rendered = Rendered { texts: rendered.into_iter(), halted };
    *spent = session.usage();
    let value = rebuild(&tree, &mut rendered).unwrap_or(Value::Null);
    Ok(repair_data(value))
}

/// Parsed templates keyed by their source, to skip parsing strings that recur (a step's defaults).
/// Templates are immutable and `Send + Sync`, so one cache can serve every request.
#[derive(Debug, Default)]
pub struct TemplateCache {
    templates: std::collections::HashMap<String, Template>,
}

impl TemplateCache {
    /// Parses every template string of `controls` (typically a step's control defaults). Strings that do
    /// not parse are left out: compiling them reports the error as usual.
    pub fn from_controls(controls: &Value) -> TemplateCache {
        let tree = lift(controls);
        let mut texts = Vec::new();
        collect_texts(&tree, &mut texts);
        let mut templates = std::collections::HashMap::new();
        for text in texts {
            let source = mark_translations(text);
            if source.contains('{')
                && let Ok(t) = liquid::parse(&source)
            {
                templates.insert(source.into_owned(), t);
            }
        }
        TemplateCache { templates }
    }

    /// Number of cached templates.
    pub fn len(&self) -> usize {
        self.templates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }
}

/// Controls with JSON-looking strings replaced by their parsed structure (upstream step 1).
enum Tree<'c> {
    Text(Cow<'c, str>),
    /// A string that held JSON (or an object carrying the marker): serialised back after rendering.
    Json(Option<Box<Tree<'c>>>),
    List(Vec<Tree<'c>>),
    /// Entries in JavaScript property order (the order of `JSON.stringify`).
    Map(Vec<(Cow<'c, str>, Tree<'c>)>),
    Scalar(Value),
}

/// Upstream's test for strings worth parsing: trimmed, `{…}` or `[…]`, longer than `{}`.
fn looks_like_json(s: &str) -> bool {
    let t = liquid_trim(s);
    ((t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']')))
        && t.encode_utf16().count() > 2
}

fn liquid_trim(s: &str) -> &str {
    s.trim_matches(|c: char| {
        matches!(
            c,
            '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
        )
    })
}

fn lift(v: &Value) -> Tree<'_> {
    match v {
        Value::String(s) => lift_string(Cow::Borrowed(s)),
        Value::Array(items) => Tree::List(items.iter().map(lift).collect()),
        Value::Object(map) => {
            if map.get(JSON_STRING_MARKER) == Some(&Value::Bool(true)) {
                return Tree::Json(map.get("value").map(|inner| Box::new(lift(inner))));
            }
            let mut entries = Vec::with_capacity(map.len());
            json::for_each_in_js_order(map, |k, item| entries.push((Cow::Borrowed(k), lift(item))));
            Tree::Map(entries)
        }
        scalar => Tree::Scalar(scalar.clone()),
    }
}

fn lift_string(s: Cow<'_, str>) -> Tree<'_> {
    if looks_like_json(&s)
        && let Ok(parsed) = serde_json::from_str::<Value>(&s)
    {
        return Tree::Json(Some(Box::new(lift_owned(parsed))));
    }
    Tree::Text(s)
}

fn lift_owned(v: Value) -> Tree<'static> {
    match v {
        Value::String(s) => lift_string(Cow::Owned(s)),
        Value::Array(items) => Tree::List(items.into_iter().map(lift_owned).collect()),
        Value::Object(map) => {
            if map.get(JSON_STRING_MARKER) == Some(&Value::Bool(true)) {
                return Tree::Json(map.get("value").map(|inner| Box::new(lift_owned(inner.clone()))));
            }
            let mut entries = Vec::with_capacity(map.len());
            json::for_each_in_js_order(&map, |k, item| {
                entries.push((Cow::Owned(k.to_string()), lift_owned(item.clone())))
            });
            Tree::Map(entries)
        }
        scalar => Tree::Scalar(scalar),
    }
}

/// Every string to render (keys and values), in JSON text order.
fn collect_texts<'t>(tree: &'t Tree<'_>, out: &mut Vec<&'t str>) {
    match tree {
        Tree::Text(s) => out.push(s),
        Tree::Json(Some(inner)) => collect_texts(inner, out),
        Tree::List(items) => items.iter().for_each(|t| collect_texts(t, out)),
        Tree::Map(entries) => {
            for (k, v) in entries {
                out.push(k);
                collect_texts(v, out);
            }
        }
        Tree::Json(None) | Tree::Scalar(_) => {}
    }
}

/// A control string ready to render.
enum Prepared<'t, 'c> {
    /// Text without Liquid syntax: it renders as itself.
    Plain(Cow<'t, str>),
    Cached(&'c Template),
    Parsed(Template),
}

/// A control string between tokenizing and parsing.
enum Staged<'t, 'c> {
    Ready(Prepared<'t, 'c>),
    Tokens(liquid::Tokenized),
}

/// Tokenizes every text, then parses them: upstream's single template reports the first tokenization
/// error of the whole document before any parse error.
fn prepare<'t, 'c>(texts: &[&'t str], cache: &'c TemplateCache) -> Result<Vec<Prepared<'t, 'c>>, CompileError> {
    let mut staged = Vec::with_capacity(texts.len());
    for text in texts {
        let source = mark_translations(text);
        staged.push(if !source.contains('{') {
            Staged::Ready(Prepared::Plain(source))
        } else if let Some(t) = cache.templates.get(source.as_ref()) {
            Staged::Ready(Prepared::Cached(t))
        } else {
            Staged::Tokens(liquid::tokenize(&source)?)
        });
    }
    staged
        .into_iter()
        .map(|s| match s {
            Staged::Ready(p) => Ok(p),
            Staged::Tokens(tokens) => Ok(Prepared::Parsed(tokens.parse()?)),
        })
        .collect()
}

/// `{{ t.key }}` → `[T:key]` and `'t.key'` → `'[T:key]'` (upstream step 3). Upstream matches on the JSON
/// text, where tabs and newlines are escapes, so only spaces count as whitespace inside the braces.
static T_OUTPUT: LazyLock<Regex> = LazyLock::new(|| {
    let space = r"[ \u{a0}\u{1680}\u{2000}-\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{feff}]*";
    Regex::new(&format!(r"\{{\{{{space}t\.([\p{{L}}\p{{N}}_.-]+){space}\}}\}}")).expect("valid regex")
});
static T_ARGUMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"'t\.([\p{L}\p{N}_.-]+)'").expect("valid regex"));
static T_MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[T:([\p{L}\p{N}_.-]+)\]").expect("valid regex"));

fn mark_translations(text: &str) -> Cow<'_, str> {
    if !text.contains("t.") {
        return Cow::Borrowed(text);
    }
    let step = T_OUTPUT.replace_all(text, "[T:$1]");
    match T_ARGUMENT.replace_all(&step, "'[T:$1]'") {
        Cow::Borrowed(_) => step,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// `[T:key]` → `{{t.key}}` (upstream step 5).
fn restore_translation_markers(text: String) -> String {
    if !text.contains("[T:") {
        return text;
    }
    T_MARKER.replace_all(&text, "{{t.$1}}").into_owned()
}

/// Rendered strings in document order; when a render halted, the document ends after the last one.
struct Rendered {
    texts: std::vec::IntoIter<String>,
    halted: bool,
}

impl Rendered {
    /// Whether the document ended (upstream's repair then closes whatever is open).
    fn done(&self) -> bool {
        self.halted && self.texts.len() == 0
    }

    fn next(&mut self) -> String {
        self.texts.next().unwrap_or_default()
    }
}

/// Puts the rendered strings back into the structure; `None` where upstream ends up with `undefined` or
/// where the document had already ended.
fn rebuild(tree: &Tree<'_>, rendered: &mut Rendered) -> Option<Value> {
    if rendered.done() {
        return None;
    }
    Some(match tree {
        Tree::Text(_) => Value::String(rendered.next()),
        Tree::Json(inner) => {
            let inner = inner.as_ref().and_then(|t| rebuild(t, rendered))?;
            Value::String(json::stringify(&inner))
        }
        Tree::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                if rendered.done() {
                    break;
                }
                out.push(rebuild(item, rendered).unwrap_or(Value::Null));
            }
            Value::Array(out)
        }
        Tree::Map(entries) => {
            let mut map = Map::with_capacity(entries.len());
            for (_, v) in entries {
                if rendered.done() {
                    break;
                }
                let key = rendered.next();
                if rendered.done() {
                    // The document ended inside the key: the repair gives it a null value.
                    map.insert(key, Value::Null);
                    break;
                }
                match rebuild(v, rendered) {
                    Some(value) => {
                        map.insert(key, value);
                    }
                    None => {
                        map.remove(&key);
                    }
                }
            }
            Value::Object(map)
        }
        Tree::Scalar(Value::Number(n)) => {
            // Numbers went through JSON.stringify / JSON.parse: they come back as doubles.
            json::number_from_f64(json::as_f64(n)).map_or(Value::Null, Value::Number)
        }
        Tree::Scalar(v) => v.clone(),
    })
}

/// Upstream step 8: JSON-looking strings under `data` that do not parse are replaced by their repair.
fn repair_data(mut value: Value) -> Value {
    if let Some(Value::Object(data)) = value.get_mut("data") {
        repair_strings(data);
    }
    value
}

fn repair_strings(map: &mut Map<String, Value>) {
    for (_, v) in map.iter_mut() {
        match v {
            Value::String(s) if looks_like_json(s) && serde_json::from_str::<Value>(s).is_err() => {
                if let Ok(fixed) = jsonrepair(s) {
                    *s = fixed;
                }
            }
            Value::Object(inner) => repair_strings(inner),
            _ => {}
        }
    }
}
