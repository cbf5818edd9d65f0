//! Compiling a schema document into an arena of nodes, one per subschema location, with everything that
//! can be worked out up front: keyword values parsed, regular expressions built, property lists in
//! JavaScript key order, references resolved to nodes, and ajv's choices about type checks and inlining.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::formats::{Format, FormatType};
use super::meta::{self, always_valid};
use super::node::{
    Additional, AdditionalItems, ArrayKeywords, Compiled, Condition, Dependency, FormatLimit, Group, Items, Keywords,
    Limit, Node, NodeId, NumberKeywords, ObjectKeywords, Ref, StringKeywords, TypeCheck, Untyped, mark_mutating, types,
};
use super::refs::{self, Index, push_segment};
use super::regex::JsRegex;
use crate::json;

/// Nesting limit for schema documents (deeper ones are refused rather than risking the stack).
pub(crate) const MAX_SCHEMA_DEPTH: usize = 256;

/// Compiles `source`, or says what is wrong and where.
pub(crate) fn compile(source: &Value) -> Result<Compiled, (String, String)> {
    if too_deep(source, MAX_VALUE_DEPTH) {
        return Err((format!("schema is nested deeper than {MAX_VALUE_DEPTH} levels"), String::new()));
    }
    meta::check_dialect(source).map_err(|e| (e, String::new()))?;
    meta::check(source).map_err(|e| (e, String::new()))?;
    let index = Index::build(source).map_err(|e| (e, String::new()))?;

    let mut builder = Builder {
        source,
        index,
        nodes: Vec::new(),
        by_pointer: HashMap::new(),
        queue: Vec::new(),
        regexes: HashMap::new(),
    };
    // The root's own `$id` is applied when it is built, like any other subschema's.
    let root = builder.node_for(String::new(), String::new());
    while let Some((id, pointer, base)) = builder.queue.pop() {
        let node = builder.build(&pointer, &base).map_err(|e| (e, pointer.clone()))?;
        builder.nodes[id] = node;
    }
    let mut nodes = builder.nodes;
    mark_mutating(&mut nodes);
    Ok(Compiled { source: source.clone(), nodes, root })
}

/// Nesting limit for any value in a schema (defaults and constants included), checked without recursion
/// before anything else walks the schema.
const MAX_VALUE_DEPTH: usize = 512;

fn too_deep(value: &Value, limit: usize) -> bool {
    let mut stack = vec![(value, 0)];
    while let Some((v, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|i| (i, depth + 1))),
            _ => {}
        }
    }
    false
}

struct Builder<'a> {
    source: &'a Value,
    index: Index,
    nodes: Vec<Node>,
    by_pointer: HashMap<String, NodeId>,
    queue: Vec<(NodeId, String, String)>,
    regexes: HashMap<String, Arc<JsRegex>>,
}

impl Builder<'_> {
    /// The node for the subschema at `pointer`, queued for building the first time it is asked for.
    fn node_for(&mut self, pointer: String, base: String) -> NodeId {
        if let Some(&id) = self.by_pointer.get(&pointer) {
            return id;
        }
        let id = self.nodes.len();
        self.nodes.push(Node::Bool(true));
        self.by_pointer.insert(pointer.clone(), id);
        self.queue.push((id, pointer, base));
        id
    }

    fn child(&mut self, pointer: &str, path: &[&str], base: &str) -> NodeId {
        let mut p = pointer.to_string();
        for segment in path {
            push_segment(&mut p, segment);
        }
        self.node_for(p, base.to_string())
    }

    fn regex(&mut self, source: &str) -> Result<Arc<JsRegex>, String> {
        if let Some(r) = self.regexes.get(source) {
            return Ok(r.clone());
        }
        let r = Arc::new(JsRegex::new(source)?);
        self.regexes.insert(source.to_string(), r.clone());
        Ok(r)
    }

    fn build(&mut self, pointer: &str, base: &str) -> Result<Node, String> {
        let source = self.source;
        let schema = refs::lookup(source, pointer).ok_or_else(|| format!("no schema at {pointer}"))?;
        let map = match schema {
            Value::Bool(b) => return Ok(Node::Bool(*b)),
            Value::Object(map) => map,
            _ => {
                return Err(format!("schema is invalid: {pointer} must be object,boolean"));
            }
        };
        meta::check_compiled(map, pointer)?;
        let mut base = base.to_string();
        if let Some(Value::String(id)) = map.get("$id") {
            let resolved = refs::resolve(&base, id);
            if !resolved.contains('#') {
                base = resolved;
            }
        }
        let base = base.as_str();
        let (types, type_message) = read_types(map);
        let mock_type = first_type(map);
        let default = map.get("default").cloned();
        let ref_only =
            map.contains_key("$ref") && !map.keys().any(|k| k != "$ref" && meta::RULE_KEYWORDS.contains(&k.as_str()));
        let reference = match map.get("$ref") {
            Some(Value::String(r)) => Some(self.reference(base, r)?),
            _ => None,
        };
        if ref_only {
            let untyped = Untyped { reference, ..Untyped::default() };
            return Ok(Node::Object(Box::new(Keywords {
                types: 0,
                mock_type: 0,
                default,
                type_message: "".into(),
                type_check: TypeCheck::None,
                ref_only: true,
                untyped: Some(Box::new(untyped)),
                number: None,
                string: None,
                array: None,
                object: None,
                mutates: false,
            })));
        }
        let untyped = self.untyped(map, pointer, base, reference)?;
        let number = self.number(map)?;
        let string = self.string(map)?;
        let array = self.array(map, pointer, base)?;
        let object = self.object(map, pointer, base)?;
        let single = if types.count_ones() == 1 { Some(types) } else { None };
        let group_of = |t: u8| match t {
            types::NUMBER => number.is_some().then_some(Group::Number),
            types::STRING => string.is_some().then_some(Group::String),
            types::ARRAY => array.is_some().then_some(Group::Array),
            types::OBJECT => object.is_some().then_some(Group::Object),
            _ => None,
        };
        let type_check = match (types, single.and_then(group_of)) {
            (0, _) => TypeCheck::None,
            (_, Some(group)) => TypeCheck::Deferred(group),
            _ => TypeCheck::Upfront,
        };
        Ok(Node::Object(Box::new(Keywords {
            types,
            mock_type,
            default,
            type_message,
            type_check,
            ref_only: false,
            untyped,
            number,
            string,
            array,
            object,
            mutates: false,
        })))
    }

    fn reference(&mut self, base: &str, reference: &str) -> Result<Ref, String> {
        let mut target = self.index.resolve(self.source, base, reference)?;
        // ajv follows a reference to a schema that is only a reference, and decides about inlining on the
        // schema finally reached.
        for _ in 0..64 {
            let value =
                refs::lookup(self.source, &target.pointer).ok_or_else(|| format!("no schema at {}", target.pointer))?;
            let Some(Value::String(next)) = value.get("$ref") else {
                break;
            };
            let chained_only = value
                .as_object()
                .is_some_and(|m| !m.keys().any(|k| k != "$ref" && meta::RULE_KEYWORDS.contains(&k.as_str())));
            if !chained_only || target.pointer.is_empty() {
                break;
            }
            let next_base = match value.get("$id") {
                Some(Value::String(id)) => refs::resolve(&target.base, id),
                _ => target.base.clone(),
            };
            target = self.index.resolve(self.source, &next_base, next)?;
        }
        let value =
            refs::lookup(self.source, &target.pointer).ok_or_else(|| format!("no schema at {}", target.pointer))?;
        let call = target.pointer.is_empty() || refs::has_ref(value);
        let node = self.node_for(target.pointer, target.base);
        Ok(Ref { target: node, call })
    }

    fn untyped(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        base: &str,
        reference: Option<Ref>,
    ) -> Result<Option<Box<Untyped>>, String> {
        let mut u = Untyped { reference, ..Untyped::default() };
        u.constant = map.get("const").cloned();
        if let Some(Value::Array(items)) = map.get("enum") {
            u.enumeration = Some(items.clone());
        }
        if let Some(not) = map.get("not") {
            u.not = Some((!always_valid(not)).then(|| self.child(pointer, &["not"], base)));
        }
        if let Some(Value::Array(branches)) = map.get("anyOf") {
            // ajv skips `anyOf` entirely when one branch accepts everything.
            if !branches.iter().any(always_valid) {
                let ids = (0..branches.len()).map(|i| self.child(pointer, &["anyOf", &i.to_string()], base)).collect();
                u.any_of = Some(ids);
            }
        }
        if let Some(Value::Array(branches)) = map.get("oneOf") {
            let ids = branches
                .iter()
                .enumerate()
                .map(|(i, b)| (!always_valid(b)).then(|| self.child(pointer, &["oneOf", &i.to_string()], base)))
                .collect();
            u.one_of = Some(ids);
        }
        if let Some(Value::Array(branches)) = map.get("allOf") {
            for (i, b) in branches.iter().enumerate() {
                if !always_valid(b) {
                    let id = self.child(pointer, &["allOf", &i.to_string()], base);
                    u.all_of.push(id);
                }
            }
        }
        if map.contains_key("if") {
            let has = |k: &str| map.get(k).is_some_and(|s| !always_valid(s));
            let (has_then, has_else) = (has("then"), has("else"));
            if has_then || has_else {
                u.condition = Some(Condition {
                    cond: self.child(pointer, &["if"], base),
                    then: has_then.then(|| self.child(pointer, &["then"], base)),
                    otherwise: has_else.then(|| self.child(pointer, &["else"], base)),
                });
            }
        }
        let empty = u.reference.is_none()
            && u.constant.is_none()
            && u.enumeration.is_none()
            && u.not.is_none()
            && u.any_of.is_none()
            && u.one_of.is_none()
            && u.all_of.is_empty()
            && u.condition.is_none();
        Ok((!empty).then(|| Box::new(u)))
    }

    fn number(&mut self, map: &Map<String, Value>) -> Result<Option<Box<NumberKeywords>>, String> {
        const KEYS: &[&str] = &["maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf", "format"];
        if !KEYS.iter().any(|k| map.contains_key(*k)) {
            return Ok(None);
        }
        let format = read_format(map).filter(|(f, _)| f.data_type() == Some(FormatType::Number));
        Ok(Some(Box::new(NumberKeywords {
            maximum: limit(map, "maximum"),
            minimum: limit(map, "minimum"),
            exclusive_maximum: limit(map, "exclusiveMaximum"),
            exclusive_minimum: limit(map, "exclusiveMinimum"),
            multiple_of: limit(map, "multipleOf"),
            format,
        })))
    }

    fn string(&mut self, map: &Map<String, Value>) -> Result<Option<Box<StringKeywords>>, String> {
        const KEYS: &[&str] = &[
            "maxLength",
            "minLength",
            "pattern",
            "format",
            "formatMaximum",
            "formatMinimum",
            "formatExclusiveMaximum",
            "formatExclusiveMinimum",
        ];
        if !KEYS.iter().any(|k| map.contains_key(*k)) {
            return Ok(None);
        }
        let pattern = match map.get("pattern") {
            Some(Value::String(p)) => Some((self.regex(p)?, p.as_str().into())),
            _ => None,
        };
        let format = read_format(map).filter(|(f, _)| f.data_type() == Some(FormatType::String));
        let mut format_limits = Vec::new();
        if format.as_ref().is_some_and(|(f, _)| f.comparable()) {
            for (key, kind) in [
                ("formatMaximum", FormatLimit::Maximum),
                ("formatMinimum", FormatLimit::Minimum),
                ("formatExclusiveMaximum", FormatLimit::ExclusiveMaximum),
                ("formatExclusiveMinimum", FormatLimit::ExclusiveMinimum),
            ] {
                if let Some(Value::String(v)) = map.get(key) {
                    format_limits.push((kind, v.as_str().into()));
                }
            }
        }
        Ok(Some(Box::new(StringKeywords {
            max_length: limit(map, "maxLength"),
            min_length: limit(map, "minLength"),
            pattern,
            format,
            format_limits,
        })))
    }

    fn array(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        base: &str,
    ) -> Result<Option<Box<ArrayKeywords>>, String> {
        const KEYS: &[&str] = &["maxItems", "minItems", "additionalItems", "items", "contains", "uniqueItems"];
        if !KEYS.iter().any(|k| map.contains_key(*k)) {
            return Ok(None);
        }
        let mut defaults = Vec::new();
        let items = match map.get("items") {
            Some(Value::Array(list)) => {
                for (i, item) in list.iter().enumerate() {
                    if let Some(d) = item.get("default") {
                        defaults.push((i, d.clone()));
                    }
                }
                Items::Tuple(
                    list.iter()
                        .enumerate()
                        .map(|(i, s)| (!always_valid(s)).then(|| self.child(pointer, &["items", &i.to_string()], base)))
                        .collect(),
                )
            }
            Some(s) if !always_valid(s) => Items::All(self.child(pointer, &["items"], base)),
            _ => Items::None,
        };
        let additional_items = match (&items, map.get("additionalItems")) {
            (Items::Tuple(list), Some(Value::Bool(false))) => AdditionalItems::Forbidden(list.len()),
            (Items::Tuple(list), Some(s)) if !always_valid(s) => {
                AdditionalItems::Schema(list.len(), self.child(pointer, &["additionalItems"], base))
            }
            _ => AdditionalItems::None,
        };
        let contains =
            map.get("contains").map(|s| (!always_valid(s)).then(|| self.child(pointer, &["contains"], base)));
        let unique_items = match map.get("uniqueItems") {
            Some(Value::Bool(true)) => {
                let item_types = match map.get("items") {
                    Some(Value::Object(item)) => read_types(item).0,
                    _ => 0,
                };
                Some(item_types != 0 && item_types & (types::OBJECT | types::ARRAY) == 0)
            }
            _ => None,
        };
        Ok(Some(Box::new(ArrayKeywords {
            defaults,
            max_items: limit(map, "maxItems"),
            min_items: limit(map, "minItems"),
            additional_items,
            items,
            contains,
            unique_items,
        })))
    }

    fn object(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        base: &str,
    ) -> Result<Option<Box<ObjectKeywords>>, String> {
        const KEYS: &[&str] = &[
            "maxProperties",
            "minProperties",
            "required",
            "propertyNames",
            "additionalProperties",
            "dependencies",
            "properties",
            "patternProperties",
        ];
        if !KEYS.iter().any(|k| map.contains_key(*k)) {
            return Ok(None);
        }
        let mut defaults = Vec::new();
        let mut declared = Vec::new();
        let mut properties = Vec::new();
        if let Some(Value::Object(props)) = map.get("properties") {
            let mut ordered: Vec<(&str, &Value)> = Vec::with_capacity(props.len());
            json::for_each_in_js_order(props, |k, v| ordered.push((k, v)));
            for (name, schema) in ordered {
                if name == "__proto__" {
                    continue;
                }
                let default = schema.get("default");
                if let Some(d) = default {
                    defaults.push((name.to_string(), d.clone()));
                }
                declared.push(name.to_string());
                if !always_valid(schema) {
                    let id = self.child(pointer, &["properties", name], base);
                    properties.push((name.to_string(), id, default.is_some()));
                }
            }
        }
        let required = match map.get("required") {
            Some(Value::Array(names)) => names.iter().filter_map(|n| n.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        };
        let property_names = match map.get("propertyNames") {
            Some(s) if !always_valid(s) => Some(self.child(pointer, &["propertyNames"], base)),
            _ => None,
        };
        let additional = match map.get("additionalProperties") {
            Some(Value::Bool(false)) => Additional::Remove,
            Some(s) if !always_valid(s) => Additional::Schema(self.child(pointer, &["additionalProperties"], base)),
            _ => Additional::Allowed,
        };
        let mut dependencies = Vec::new();
        if let Some(Value::Object(deps)) = map.get("dependencies") {
            let mut ordered: Vec<(&str, &Value)> = Vec::with_capacity(deps.len());
            json::for_each_in_js_order(deps, |k, v| ordered.push((k, v)));
            // ajv checks all property dependencies before schema dependencies.
            for (name, dep) in &ordered {
                if let Value::Array(list) = dep
                    && !list.is_empty()
                    && *name != "__proto__"
                {
                    let names = list.iter().filter_map(|n| n.as_str().map(str::to_string)).collect();
                    dependencies.push((name.to_string(), Dependency::Properties(names)));
                }
            }
            for (name, dep) in &ordered {
                if !dep.is_array() && !always_valid(dep) && *name != "__proto__" {
                    let id = self.child(pointer, &["dependencies", name], base);
                    dependencies.push((name.to_string(), Dependency::Schema(id)));
                }
            }
        }
        let mut pattern_properties = Vec::new();
        // ajv builds the patterns only when something uses them: a pattern's schema, or extra-property checks.
        let patterns_used = match map.get("patternProperties") {
            Some(Value::Object(patterns)) => {
                patterns.values().any(|s| !always_valid(s))
                    || map.get("additionalProperties").is_some_and(|s| !always_valid(s))
            }
            _ => false,
        };
        if patterns_used && let Some(Value::Object(patterns)) = map.get("patternProperties") {
            let mut ordered: Vec<(&str, &Value)> = Vec::with_capacity(patterns.len());
            json::for_each_in_js_order(patterns, |k, v| ordered.push((k, v)));
            for (pattern, schema) in ordered {
                if pattern == "__proto__" {
                    continue;
                }
                let regex = self.regex(pattern)?;
                let node = (!always_valid(schema)).then(|| self.child(pointer, &["patternProperties", pattern], base));
                pattern_properties.push((regex, node));
            }
        }
        Ok(Some(Box::new(ObjectKeywords {
            defaults,
            max_properties: limit(map, "maxProperties"),
            min_properties: limit(map, "minProperties"),
            required,
            property_names,
            additional,
            declared,
            dependencies,
            properties,
            pattern_properties,
        })))
    }
}

fn limit(map: &Map<String, Value>, key: &str) -> Option<Limit> {
    match map.get(key) {
        Some(Value::Number(n)) => Some(Limit { value: json::as_f64(n), text: n.clone() }),
        _ => None,
    }
}

fn read_format(map: &Map<String, Value>) -> Option<(Format, Box<str>)> {
    let name = map.get("format")?.as_str()?;
    Some((Format::from_name(name)?, name.into()))
}

/// The declared types (with `nullable: true` adding null) and the type error message, which names the
/// `type` value as written (`must be string,null` for a list).
fn read_types(map: &Map<String, Value>) -> (u8, Box<str>) {
    let mut bits = 0;
    let mut names = Vec::new();
    match map.get("type") {
        Some(Value::String(t)) => {
            bits |= types::from_name(t);
            names.push(t.as_str());
        }
        Some(Value::Array(list)) => {
            for t in list.iter().filter_map(Value::as_str) {
                bits |= types::from_name(t);
                names.push(t);
            }
        }
        _ => {}
    }
    if bits != 0 && map.get("nullable") == Some(&Value::Bool(true)) {
        bits |= types::NULL;
    }
    (bits, format!("must be {}", names.join(",")).into())
}

/// The first declared type that is not `null` (or `null` when it is the only one).
fn first_type(map: &Map<String, Value>) -> u8 {
    let names: Vec<&str> = match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    names.iter().map(|n| types::from_name(n)).find(|&t| t != types::NULL).unwrap_or(if names.is_empty() {
        0
    } else {
        types::NULL
    })
}
