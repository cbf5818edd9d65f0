//! `$id` / `$ref` resolution inside one schema document, the way ajv resolves local references.
//!
//! Every subschema is addressed by its JSON pointer in the document. A first walk records the base URI of
//! each `$id` and every `$id`-defined anchor (`"$id": "#name"`); a reference is then resolved against the
//! base URI in effect where it appears, to a pointer. References to other documents are errors, as they are
//! for ajv when no such schema was added.

use std::collections::HashMap;

use serde_json::Value;

/// Keywords whose values are lists of subschemas, maps of subschemas, or single subschemas (the walk of
/// json-schema-traverse with `allKeys`, which descends into unknown keywords too).
const ARRAY_KEYWORDS: &[&str] = &["items", "allOf", "anyOf", "oneOf"];
const MAP_KEYWORDS: &[&str] = &["$defs", "definitions", "properties", "patternProperties", "dependencies"];
const SKIP_KEYWORDS: &[&str] = &[
    "default",
    "enum",
    "const",
    "required",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "multipleOf",
    "maxLength",
    "minLength",
    "pattern",
    "format",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
];

/// While following a pointer, an `$id` met under these keywords does not change the base URI.
const PREVENT_SCOPE_CHANGE: &[&str] = &["properties", "patternProperties", "enum", "dependencies", "definitions"];

/// Where the resources and anchors of a document are.
pub(crate) struct Index {
    /// Base URI of the document root (`""` without `$id`).
    pub root_base: String,
    /// Resource URI (no fragment) or `uri#anchor` → pointer of the subschema that declares it.
    ids: HashMap<String, Declared>,
}

/// Where an `$id` is declared, and the base URI in effect around that subschema.
struct Declared {
    pointer: String,
    parent_base: String,
}

/// A reference resolved to a location: the subschema's pointer, and the base URI of its parent (the
/// subschema's own `$id`, if any, is applied when it is compiled).
pub(crate) struct Target {
    pub pointer: String,
    pub base: String,
}

impl Index {
    pub(crate) fn build(root: &Value) -> Result<Index, String> {
        let root_base = match root.get("$id") {
            Some(Value::String(id)) => normalize_id(&resolve("", id)).to_string(),
            _ => String::new(),
        };
        let mut index = Index { root_base: root_base.clone(), ids: HashMap::new() };
        index.walk(root, &root_base)?;
        Ok(index)
    }

    /// Records every `$id` below the root, each resolved against the base URI in effect where it appears
    /// (iteratively, so that no schema can exhaust the stack here).
    fn walk(&mut self, root: &Value, root_base: &str) -> Result<(), String> {
        let mut work = vec![(root, String::new(), root_base.to_string(), 0usize)];
        while let Some((schema, pointer, base, depth)) = work.pop() {
            let Value::Object(map) = schema else { continue };
            if depth > super::compile::MAX_SCHEMA_DEPTH {
                let limit = super::compile::MAX_SCHEMA_DEPTH;
                return Err(format!("schema nesting is deeper than {limit} levels at {pointer}"));
            }
            let mut base = base;
            if !pointer.is_empty()
                && let Some(Value::String(id)) = map.get("$id")
            {
                let uri = normalize_id(&resolve(&base, id)).to_string();
                if self.ids.get(&uri).is_some_and(|existing| existing.pointer != pointer) {
                    return Err(format!("reference \"{uri}\" resolves to more than one schema"));
                }
                let declared = Declared { pointer: pointer.clone(), parent_base: base.clone() };
                self.ids.insert(uri.clone(), declared);
                if !uri.contains('#') {
                    base = uri;
                }
            }
            let child = |path: &[&str]| {
                let mut at = pointer.clone();
                for p in path {
                    push_segment(&mut at, p);
                }
                at
            };
            for (key, value) in map {
                match value {
                    Value::Array(items) if ARRAY_KEYWORDS.contains(&key.as_str()) => {
                        for (i, item) in items.iter().enumerate() {
                            work.push((item, child(&[key, &i.to_string()]), base.clone(), depth + 1));
                        }
                    }
                    Value::Array(_) => {}
                    Value::Object(members) if MAP_KEYWORDS.contains(&key.as_str()) => {
                        for (name, member) in members {
                            work.push((member, child(&[key, name]), base.clone(), depth + 1));
                        }
                    }
                    _ if MAP_KEYWORDS.contains(&key.as_str()) || SKIP_KEYWORDS.contains(&key.as_str()) => {}
                    _ => work.push((value, child(&[key]), base.clone(), depth + 1)),
                }
            }
        }
        Ok(())
    }

    /// Resolves `reference` (as written at a place whose base URI is `base`) to a location.
    pub(crate) fn resolve(&self, root: &Value, base: &str, reference: &str) -> Result<Target, String> {
        let full = resolve(base, reference);
        let (doc, fragment) = match full.split_once('#') {
            Some((d, f)) => (d, f),
            None => (full.as_str(), ""),
        };
        let missing = || format!("can't resolve reference {reference} from id {base}");
        // The resource the reference names: its pointer, its own base URI and its parent's.
        let (start, start_base, start_parent) = if doc == strip_fragment(&self.root_base) {
            (String::new(), self.root_base.clone(), String::new())
        } else {
            let declared = self.ids.get(doc).ok_or_else(missing)?;
            (declared.pointer.clone(), doc.to_string(), declared.parent_base.clone())
        };
        if fragment.is_empty() {
            return Ok(Target { pointer: start, base: start_parent });
        }
        if !fragment.starts_with('/') {
            let declared = self.ids.get(&format!("{doc}#{fragment}")).ok_or_else(missing)?;
            return Ok(Target { pointer: declared.pointer.clone(), base: declared.parent_base.clone() });
        }
        let mut node = lookup(root, &start).ok_or_else(missing)?;
        let mut pointer = start;
        let mut base = start_base;
        let mut parent = start_parent;
        for raw in fragment[1..].split('/') {
            let part = unescape_pointer(&percent_decode(raw));
            let child = match node {
                Value::Object(map) => map.get(&part),
                Value::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            }
            .ok_or_else(missing)?;
            parent = base.clone();
            if !PREVENT_SCOPE_CHANGE.contains(&part.as_str())
                && let Some(Value::String(id)) = child.get("$id")
            {
                base = normalize_id(&resolve(&base, id)).to_string();
            }
            push_segment(&mut pointer, &part);
            node = child;
        }
        Ok(Target { pointer, base: parent })
    }
}

/// The value at a JSON pointer built by [`push_segment`].
pub(crate) fn lookup<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    root.pointer(pointer)
}

/// Appends `/segment` with JSON-pointer escaping.
pub(crate) fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

fn unescape_pointer(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// ajv's `normalizeId`: drops a trailing `#` or `#/`.
fn normalize_id(id: &str) -> &str {
    id.strip_suffix("#/").or_else(|| id.strip_suffix('#')).unwrap_or(id)
}

fn strip_fragment(uri: &str) -> &str {
    uri.split_once('#').map_or(uri, |(d, _)| d)
}

/// RFC 3986 §5.2 reference resolution (enough for schema ids: scheme, authority, path, fragment).
pub(crate) fn resolve(base: &str, reference: &str) -> String {
    if has_scheme(reference) {
        return remove_dot_segments_in(reference);
    }
    let base_doc = strip_fragment(base);
    if reference.is_empty() {
        return base_doc.to_string();
    }
    if reference.starts_with('#') {
        return format!("{base_doc}{reference}");
    }
    let (scheme, rest) = match base_doc.find(':').filter(|_| has_scheme(base_doc)) {
        Some(i) => (&base_doc[..=i], &base_doc[i + 1..]),
        None => ("", base_doc),
    };
    if reference.starts_with("//") {
        return remove_dot_segments_in(&format!("{scheme}{reference}"));
    }
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            (&rest[..end + 2], &after[end..])
        }
        None => ("", rest),
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let merged = if reference.starts_with('/') {
        reference.to_string()
    } else if reference.starts_with('?') {
        format!("{path}{reference}")
    } else {
        match path.rfind('/') {
            Some(i) => format!("{}{reference}", &path[..=i]),
            None if !authority.is_empty() => format!("/{reference}"),
            None => reference.to_string(),
        }
    };
    remove_dot_segments_in(&format!("{scheme}{authority}{merged}"))
}

fn has_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.find(':').is_some_and(|i| s[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
}

/// Removes `.` and `..` path segments (leaving the scheme, authority, query and fragment alone).
fn remove_dot_segments_in(uri: &str) -> String {
    let (body, tail) = match uri.find(['?', '#']) {
        Some(i) => (&uri[..i], &uri[i..]),
        None => (uri, ""),
    };
    let path_start = if let Some(i) = body.find("//") {
        body[i + 2..].find('/').map_or(body.len(), |j| i + 2 + j)
    } else if has_scheme(body) {
        body.find(':').map_or(0, |i| i + 1)
    } else {
        0
    };
    let (prefix, path) = body.split_at(path_start);
    if !path.contains("./") && !path.ends_with("/.") && !path.ends_with("/..") && path != "." && path != ".." {
        return uri.to_string();
    }
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 || out.first().is_some_and(|s| !s.is_empty()) {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("{prefix}{}{tail}", out.join("/"))
}

/// Whether the schema contains a reference anywhere (ajv inlines a referenced schema only when not).
pub(crate) fn has_ref(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => map.iter().any(|(k, v)| {
            matches!(k.as_str(), "$ref" | "$recursiveRef" | "$recursiveAnchor" | "$dynamicRef" | "$dynamicAnchor")
                || has_ref(v)
        }),
        Value::Array(items) => items.iter().any(has_ref),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_relative_uris() {
        assert_eq!(resolve("http://x.com/a/b.json", "c.json"), "http://x.com/a/c.json");
        assert_eq!(resolve("http://x.com/a/b.json", "#/d"), "http://x.com/a/b.json#/d");
        assert_eq!(resolve("http://x.com/a/b.json", "../c.json#x"), "http://x.com/c.json#x");
        assert_eq!(resolve("", "#/definitions/a"), "#/definitions/a");
        assert_eq!(resolve("http://x.com", "y.json"), "http://x.com/y.json");
    }

    #[test]
    fn finds_ids_anchors_and_pointers() {
        let schema = json!({
            "$id": "http://x.com/root.json",
            "definitions": {
                "a": {"$id": "a.json", "definitions": {"b": {"type": "string"}}},
                "c": {"$id": "#cee", "type": "number"},
                "d~/e f": {"type": "null"}
            }
        });
        let index = Index::build(&schema).unwrap();
        let base = &index.root_base;
        let t = |r: &str| index.resolve(&schema, base, r).map(|t| t.pointer);
        assert_eq!(t("a.json").unwrap(), "/definitions/a");
        assert_eq!(t("a.json#/definitions/b").unwrap(), "/definitions/a/definitions/b");
        assert_eq!(t("#cee").unwrap(), "/definitions/c");
        assert_eq!(t("#/definitions/d~0~1e%20f").unwrap(), "/definitions/d~0~1e f");
        assert!(t("other.json").is_err());
        assert!(t("#/definitions/nope").is_err());
    }
}
