//! Deterministic preview mocks (spec §10.10, decisions.md "Preview mocks").
//!
//! Upstream fills preview payloads and step results with json-schema-faker, which is random. Here every
//! schema gets one fixed value: `default`, else `const`, else the first `enum` member, else a value built
//! from the keywords (strings `"[placeholder]"`, numbers 0 or the nearest allowed value, `false`, `null`,
//! arrays of `minItems` copies, objects with their required properties only, the first branch of
//! `anyOf`/`oneOf`). Every candidate is checked against the schema itself and the next one is tried when it
//! does not validate, so that a mock always validates whenever the schema can be satisfied by these means.
//! The result is computed once per compiled schema.
//!
//! [`discovery_mock`] is the payload a workflow function is discovered with (decisions.md "Execution"): the
//! same rules, except that an object holds every property its schema declares, so that ordinary code reading
//! any of them runs. It is not a preview mock: preview keeps [`mock`], which the conformance corpus pins.

use serde_json::{Map, Value};

use crate::json;
use crate::regex::{self, Class, ClassEscape, ClassItem, Node as Rx};
use crate::{Additional, AdditionalItems, Dependency, Format, Items, Keywords, Node, NodeId, Schema, types};

/// Largest length, item count or property count a mock is built with (larger minimums cannot be met).
const MAX_SIZE: usize = 10_000;

/// A length keyword's value as a size, capped at [`MAX_SIZE`].
fn size(value: f64) -> usize {
    value.clamp(0.0, MAX_SIZE as f64) as usize
}

/// Nesting limit for mocks of recursive schemas.
const MAX_DEPTH: usize = 24;

const PLACEHOLDER: &str = "[placeholder]";

/// The mock value for `schema` (the same value every time).
pub fn mock(schema: &Schema) -> Value {
    schema.mock_cache().get_or_init(|| generate(schema)).clone()
}

/// A value valid for `schema` whose objects hold every declared property (nested objects and array items
/// too): the property's `default` where it has one, else a mock value valid for its schema. Where such a
/// complete object cannot be valid (`maxProperties`, `not`, a property schema nothing satisfies), the object
/// falls back to what [`mock`] would give. Computed afresh on each call (once per workflow definition).
pub fn discovery_mock(schema: &Schema) -> Value {
    generate_with(schema, true)
}

fn generate(schema: &Schema) -> Value {
    generate_with(schema, false)
}

fn generate_with(schema: &Schema, every_property: bool) -> Value {
    let compiled = schema.compiled();
    let mut generator = Generator { schema, nodes: &compiled.nodes, stack: Vec::new(), budget: BUDGET, every_property };
    generator.node(compiled.root, 0)
}

struct Generator<'s> {
    schema: &'s Schema,
    nodes: &'s [Node],
    stack: Vec<NodeId>,
    /// Node visits left before combinator alternatives stop being explored (keeps pathological schemas,
    /// whose alternatives multiply at every level, from taking long; real schemas need a few thousand).
    budget: usize,
    /// Discovery's variant: objects are first tried with every declared property.
    every_property: bool,
}

/// Node visits allowed per mock before only the first candidate of each node is generated.
const BUDGET: usize = 20_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Array,
    String,
    Number,
    Integer,
    Boolean,
    Null,
    Unknown,
}

impl<'s> Generator<'s> {
    fn valid(&self, id: NodeId, value: &Value) -> bool {
        self.schema.validate_node(id, &mut value.clone())
    }

    fn node(&mut self, id: NodeId, depth: usize) -> Value {
        let candidates = self.candidates(id, depth);
        let fallback = candidates.first().cloned().unwrap_or(Value::Null);
        candidates.into_iter().find(|c| self.valid(id, c)).unwrap_or(fallback)
    }

    /// The keywords of a node, following references that are all a schema says.
    fn keywords_of(&self, mut id: NodeId) -> Option<&'s Keywords> {
        let nodes = self.nodes;
        for _ in 0..16 {
            let Node::Object(k) = &nodes[id] else {
                return None;
            };
            match (k.ref_only, k.untyped.as_ref().and_then(|u| u.reference)) {
                (true, Some(r)) => id = r.target,
                _ => return Some(k),
            }
        }
        None
    }

    /// The schema and, recursively, its `allOf` branches: all of them constrain the same value.
    fn views(&self, k: &'s Keywords, out: &mut Vec<&'s Keywords>) {
        if out.len() > 32 || out.iter().any(|v| std::ptr::eq(*v, k)) {
            return;
        }
        out.push(k);
        for &b in k.untyped.iter().flat_map(|u| &u.all_of) {
            if let Some(bk) = self.keywords_of(b) {
                self.views(bk, out);
            }
        }
        if let Some(r) = k.untyped.as_ref().and_then(|u| u.reference)
            && let Some(rk) = self.keywords_of(r.target)
        {
            self.views(rk, out);
        }
    }

    /// Candidate values for a node, best first (not yet checked).
    fn candidates(&mut self, id: NodeId, depth: usize) -> Vec<Value> {
        let nodes = self.nodes;
        let Node::Object(k) = &nodes[id] else {
            return vec![Value::Null];
        };
        if depth > MAX_DEPTH || self.stack.iter().filter(|&&s| s == id).count() >= 2 {
            return vec![Value::Null];
        }
        self.budget = self.budget.saturating_sub(1);
        self.stack.push(id);
        let mut out = self.keyword_candidates(k, depth);
        self.stack.pop();
        if self.budget == 0 {
            out.truncate(1);
        }
        out
    }

    fn keyword_candidates(&mut self, k: &'s Keywords, depth: usize) -> Vec<Value> {
        let untyped = k.untyped.as_deref();
        let mut out = Vec::new();
        out.extend(k.default.clone());
        out.extend(untyped.and_then(|u| u.constant.clone()));
        out.extend(untyped.and_then(|u| u.enumeration.clone()).unwrap_or_default());
        if k.ref_only {
            if let Some(r) = untyped.and_then(|u| u.reference) {
                out.extend(self.candidates(r.target, depth + 1));
            }
            return out;
        }
        let mut views = Vec::new();
        self.views(k, &mut views);
        let kind = views.iter().map(|v| kind_of(v)).find(|&kind| kind != Kind::Unknown).unwrap_or(Kind::Unknown);
        let base = self.base(&views, kind, depth);
        // Without a type of its own, a combinator's first branch comes first ("anyOf → first branch").
        let own_first = kind != Kind::Unknown;
        if own_first {
            out.extend(base.iter().cloned());
        }
        let base_value = base.first().cloned().unwrap_or(Value::Null);
        let explore = if self.budget > 0 { views.clone() } else { Vec::new() };
        for view in explore {
            let Some(u) = view.untyped.as_deref() else {
                continue;
            };
            let branches = u.any_of.iter().flatten().copied().chain(u.one_of.iter().flatten().flatten().copied());
            let clauses = u.condition.iter().flat_map(|c| [c.then, c.otherwise]).flatten();
            for b in branches.chain(clauses).collect::<Vec<_>>() {
                out.extend(self.with_branch(&views, kind, &base_value, b, depth));
            }
        }
        if !own_first {
            out.extend(base);
        }
        out.extend([
            Value::Null,
            Value::String(PLACEHOLDER.into()),
            Value::from(0),
            Value::Bool(false),
            Value::Object(Map::new()),
            Value::Array(Vec::new()),
        ]);
        out
    }

    /// Values combining the base with a combinator branch's candidates; an object gets the properties the
    /// branch requires, generated from the definitions of this schema and of the branch.
    fn with_branch(
        &mut self,
        views: &[&'s Keywords],
        kind: Kind,
        base: &Value,
        branch: NodeId,
        depth: usize,
    ) -> Vec<Value> {
        let branch_candidates: Vec<Value> = self.candidates(branch, depth + 1).into_iter().take(8).collect();
        let Some(bk) = self.keywords_of(branch) else {
            return branch_candidates;
        };
        let mut branch_views = views.to_vec();
        self.views(bk, &mut branch_views);
        let objectish = kind == Kind::Object || (kind == Kind::Unknown && kind_of(bk) == Kind::Object);
        if !objectish {
            return branch_candidates.into_iter().map(|c| merge(base.clone(), c)).collect();
        }
        let fill = if self.every_property { Fill::Declared } else { Fill::Required };
        let own = self.object(&branch_views, depth, fill);
        let mut out: Vec<Value> = branch_candidates.into_iter().map(|c| merge(own.clone(), c)).collect();
        out.push(own);
        out
    }

    fn base(&mut self, views: &[&'s Keywords], kind: Kind, depth: usize) -> Vec<Value> {
        match kind {
            Kind::Object if self.every_property => vec![
                self.object(views, depth, Fill::Declared),
                self.object(views, depth, Fill::Required),
                self.object(views, depth, Fill::Defaults),
            ],
            Kind::Object => vec![self.object(views, depth, Fill::Required), self.object(views, depth, Fill::Defaults)],
            Kind::Array => {
                views.iter().find(|v| v.array.is_some()).map_or(vec![Value::Array(vec![])], |v| self.array(v, depth))
            }
            Kind::String => self.string(views.iter().find(|v| v.string.is_some()).copied()),
            Kind::Number | Kind::Integer => {
                self.number(views.iter().find(|v| v.number.is_some()).copied(), kind == Kind::Integer)
            }
            Kind::Boolean => vec![Value::Bool(false), Value::Bool(true)],
            Kind::Null => vec![Value::Null],
            Kind::Unknown => Vec::new(),
        }
    }

    /// An object with the properties `fill` asks for, from all views.
    fn object(&mut self, views: &[&'s Keywords], depth: usize, fill: Fill) -> Value {
        let objects: Vec<_> = views.iter().filter_map(|v| v.object.as_deref()).collect();
        let mut out = Map::new();
        // Every schema a property answers to: its `properties` entries and the patterns its name matches (or
        // else `additionalProperties`); the value must satisfy all of them.
        let property_mock = |g: &mut Self, name: &str| -> Value {
            let mut applicable: Vec<NodeId> = Vec::new();
            for o in &objects {
                applicable.extend(o.properties.iter().filter(|(n, _, _)| n == name).map(|(_, id, _)| *id));
                let patterns: Vec<NodeId> =
                    o.pattern_properties.iter().filter(|(r, _)| r.test(name)).filter_map(|(_, id)| *id).collect();
                let declared = o.declared.iter().any(|d| d == name);
                if let (Additional::Schema(id), true, false) = (&o.additional, patterns.is_empty(), declared) {
                    applicable.push(*id);
                }
                applicable.extend(patterns);
            }
            let mut first = None;
            for &id in &applicable {
                for candidate in g.candidates(id, depth + 1) {
                    if applicable.iter().all(|&other| g.valid(other, &candidate)) {
                        return candidate;
                    }
                    first.get_or_insert(candidate);
                }
            }
            if first.is_none() && fill == Fill::Declared {
                // A property whose schema checks nothing but gives a default.
                first = objects.iter().find_map(|o| o.defaults.iter().find(|(n, _)| n == name)).map(|(_, v)| v.clone());
            }
            first.unwrap_or(Value::Null)
        };
        let required = objects.iter().flat_map(|o| o.required.iter().cloned());
        let wanted: Vec<String> = match fill {
            Fill::Required => required.collect(),
            Fill::Defaults => {
                required.chain(objects.iter().flat_map(|o| o.defaults.iter().map(|(n, _)| n.clone()))).collect()
            }
            Fill::Declared => objects.iter().flat_map(|o| o.declared.iter().cloned()).chain(required).collect(),
        };
        for name in wanted {
            if !out.contains_key(&name) {
                let value = property_mock(self, &name);
                out.insert(name, value);
            }
        }
        // Properties that other present properties depend on.
        for _ in 0..8 {
            let missing: Vec<String> = objects
                .iter()
                .flat_map(|o| &o.dependencies)
                .filter(|(name, _)| out.contains_key(name))
                .flat_map(|(_, dep)| match dep {
                    Dependency::Properties(deps) => deps.clone(),
                    Dependency::Schema(_) => Vec::new(),
                })
                .filter(|d| !out.contains_key(d))
                .collect();
            if missing.is_empty() {
                break;
            }
            for d in missing {
                let value = property_mock(self, &d);
                out.insert(d, value);
            }
        }
        let min = objects.iter().filter_map(|o| o.min_properties.as_ref()).map(|l| size(l.value)).max().unwrap_or(0);
        let optional: Vec<String> = objects.iter().flat_map(|o| o.declared.iter().cloned()).collect();
        let mut names = optional.into_iter().chain((1..).map(|i| format!("property{i}")));
        while out.len() < min {
            let Some(name) = names.next() else { break };
            if !out.contains_key(&name) {
                let value = property_mock(self, &name);
                out.insert(name, value);
            }
        }
        Value::Object(out)
    }

    fn array(&mut self, k: &'s Keywords, depth: usize) -> Vec<Value> {
        let Some(a) = &k.array else {
            return vec![Value::Array(vec![])];
        };
        let min = a.min_items.as_ref().map_or(0, |l| size(l.value));
        let max = a.max_items.as_ref().map(|l| size(l.value));
        let count = |n: usize| max.map_or(n, |m| n.min(m));
        let wanted = count(min.max(1));
        let item_node = |i: usize| -> Option<NodeId> {
            match &a.items {
                Items::All(item) => Some(*item),
                Items::Tuple(list) => match (list.get(i), &a.additional_items) {
                    (Some(item), _) => *item,
                    (None, AdditionalItems::Schema(_, item)) => Some(*item),
                    (None, _) => None,
                },
                Items::None => None,
            }
        };
        let mut items: Vec<Value> =
            (0..wanted).map(|i| item_node(i).map_or(Value::Null, |id| self.node(id, depth + 1))).collect();
        if let Some(Some(contains)) = a.contains {
            // The needle must also be a valid item.
            let needles = self.candidates(contains, depth + 1);
            let needle = needles
                .iter()
                .find(|n| self.valid(contains, n) && item_node(0).is_none_or(|id| self.valid(id, n)))
                .or(needles.first())
                .cloned()
                .unwrap_or(Value::Null);
            match items.first_mut() {
                Some(first) => *first = needle,
                None => items.push(needle),
            }
        }
        if a.unique_items.is_some() {
            distinct(&mut items);
        }
        let mut out = vec![Value::Array(items.clone())];
        if items.len() > count(min) {
            out.push(Value::Array(items[..count(min)].to_vec()));
        }
        out
    }

    fn string(&mut self, k: Option<&'s Keywords>) -> Vec<Value> {
        let s = k.and_then(|k| k.string.as_deref());
        let min = s.and_then(|s| s.min_length.as_ref()).map_or(0, |l| size(l.value));
        let max = s.and_then(|s| s.max_length.as_ref()).map(|l| size(l.value));
        let mut out: Vec<String> = Vec::new();
        if let Some((format, _)) = s.and_then(|s| s.format.as_ref()) {
            out.extend(format_example(*format).map(str::to_string));
            out.extend(s.iter().flat_map(|s| &s.format_limits).map(|(_, limit)| limit.to_string()));
        }
        if let Some((regex, _)) = s.and_then(|s| s.pattern.as_ref()) {
            for sample in pattern_samples(regex.tree(), min) {
                let short = min.saturating_sub(sample.chars().count());
                if short > 0 {
                    out.push(format!("{}{sample}", "a".repeat(short)));
                    out.push(format!("{sample}{}", "a".repeat(short)));
                }
                out.push(sample);
            }
        }
        let mut text = PLACEHOLDER.repeat(min.div_ceil(PLACEHOLDER.len()).max(1));
        if let Some(max) = max {
            text = text.chars().take(max).collect();
        }
        out.push(text);
        if min > 0 {
            out.push("a".repeat(min));
        }
        out.extend(["", "a", "A", "1", "ab", "abc", "abcd", "a1"].map(str::to_string));
        out.into_iter().map(Value::String).collect()
    }

    fn number(&mut self, k: Option<&'s Keywords>, integer: bool) -> Vec<Value> {
        let mut candidates = vec![0.0];
        if let Some(n) = k.and_then(|k| k.number.as_deref()) {
            let lower = stricter(
                n.minimum.as_ref().map(|l| (l.value, false)),
                n.exclusive_minimum.as_ref().map(|l| (l.value, true)),
                true,
            );
            let upper = stricter(
                n.maximum.as_ref().map(|l| (l.value, false)),
                n.exclusive_maximum.as_ref().map(|l| (l.value, true)),
                false,
            );
            let step = n.multiple_of.as_ref().map(|l| l.value);
            if let Some((lo, exclusive)) = lower {
                candidates.push(next_allowed(lo, exclusive, step, integer, 1.0));
            }
            if let Some((hi, exclusive)) = upper {
                candidates.push(next_allowed(hi, exclusive, step, integer, -1.0));
            }
            if let (Some((lo, _)), Some((hi, _))) = (lower, upper) {
                let mid = (lo + hi) / 2.0;
                candidates.push(if integer { mid.floor() } else { mid });
            }
        }
        // A spread of plain values, for constraints the bounds above do not capture (`if`, `not`, `oneOf`).
        if !integer {
            candidates.extend([0.5, 1.5, -0.5]);
        }
        candidates.extend([1.0, -1.0, 2.0, 3.0, 5.0, 10.0, 100.0, -10.0, 1000.0]);
        candidates.into_iter().filter_map(|f| json::number_from_f64(f).map(Value::Number)).collect()
    }
}

/// Which properties an object mock is built with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// The required ones (the preview mock).
    Required,
    /// The required ones and those with defaults (for schemas whose own defaults would not validate).
    Defaults,
    /// Every declared one, then the required ones (the discovery payload).
    Declared,
}

/// What kind of value to build: the first non-null declared type, or one implied by the keywords.
fn kind_of(k: &Keywords) -> Kind {
    match k.mock_type {
        types::OBJECT => Kind::Object,
        types::ARRAY => Kind::Array,
        types::STRING => Kind::String,
        types::NUMBER => Kind::Number,
        types::INTEGER => Kind::Integer,
        types::BOOLEAN => Kind::Boolean,
        types::NULL => Kind::Null,
        _ if k.object.is_some() => Kind::Object,
        _ if k.array.is_some() => Kind::Array,
        _ if k.string.is_some() => Kind::String,
        _ if k.number.is_some() => Kind::Number,
        _ => Kind::Unknown,
    }
}

/// Objects merge (the first side wins for keys both have); otherwise the second value, unless it is null.
fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut a), Value::Object(b)) => {
            for (key, value) in b {
                let merged = match a.remove(&key) {
                    Some(existing) => merge_keep_first(existing, value),
                    None => value,
                };
                a.insert(key, merged);
            }
            Value::Object(a)
        }
        (a, Value::Null) => a,
        (_, b) => b,
    }
}

fn merge_keep_first(a: Value, b: Value) -> Value {
    match (a, b) {
        (a @ Value::Object(_), b @ Value::Object(_)) => merge(a, b),
        (Value::Null, b) => b,
        (a, _) => a,
    }
}

/// Makes array items pairwise different (for `uniqueItems`) by varying strings, numbers and booleans.
fn distinct(items: &mut [Value]) {
    for i in 1..items.len() {
        let (earlier, rest) = items.split_at_mut(i);
        let item = &mut rest[0];
        if !earlier.contains(item) {
            continue;
        }
        *item = match item.take() {
            Value::String(s) => Value::String(format!("{s}{i}")),
            Value::Number(n) => json::number_from_f64(json::as_f64(&n) + i as f64).map_or(Value::Null, Value::Number),
            Value::Bool(b) => Value::Bool(!b),
            other => other,
        };
    }
}

/// The tighter of an inclusive and an exclusive bound (`lower`: the larger one).
fn stricter(inclusive: Option<(f64, bool)>, exclusive: Option<(f64, bool)>, lower: bool) -> Option<(f64, bool)> {
    match (inclusive, exclusive) {
        (Some(i), Some(e)) => {
            let pick_exclusive = if lower { e.0 >= i.0 } else { e.0 <= i.0 };
            Some(if pick_exclusive { e } else { i })
        }
        (a, b) => a.or(b),
    }
}

/// The first allowed number from `bound` in `direction` (+1 upwards, -1 downwards).
fn next_allowed(bound: f64, exclusive: bool, step: Option<f64>, integer: bool, direction: f64) -> f64 {
    let beyond = |v: f64| {
        if direction > 0.0 { v > bound } else { v < bound }
    };
    let ok = |v: f64| (!exclusive || beyond(v)) && (!integer || v.fract() == 0.0);
    match step {
        Some(m) if m > 0.0 => {
            let start = if direction > 0.0 { (bound / m).ceil() } else { (bound / m).floor() };
            (0..100).map(|i| (start + direction * i as f64) * m).find(|&v| ok(v)).unwrap_or(bound)
        }
        _ if integer => {
            let start = if direction > 0.0 { bound.ceil() } else { bound.floor() };
            if ok(start) { start } else { start + direction }
        }
        _ if exclusive => bound + direction,
        _ => bound,
    }
}

/// A fixed valid example for each format.
fn format_example(format: Format) -> Option<&'static str> {
    Some(match format {
        Format::Date => "1970-01-01",
        Format::Time => "00:00:00.000Z",
        Format::DateTime => "1970-01-01T00:00:00.000Z",
        Format::Duration => "P1D",
        Format::Uri | Format::UriReference | Format::Url => "https://example.com",
        Format::UriTemplate => "https://example.com/{id}",
        Format::Email => "user@example.com",
        Format::Hostname => "example.com",
        Format::Ipv4 => "192.0.2.1",
        Format::Ipv6 => "2001:db8::1",
        Format::Regex => "^.*$",
        Format::Uuid => "00000000-0000-4000-8000-000000000000",
        Format::JsonPointer => "/placeholder",
        Format::JsonPointerUriFragment => "#/placeholder",
        Format::RelativeJsonPointer => "0",
        Format::Byte => "AAAA",
        Format::Int32 | Format::Int64 | Format::AnyNumber | Format::Unchecked => return None,
    })
}

/// Strings the pattern should match: for each choice of alternative and of repetition count, the shortest
/// text the syntax tree describes (lookarounds are left to the final check).
fn pattern_samples(tree: &Rx, min_length: usize) -> Vec<String> {
    let mut out = Vec::new();
    for alternative in 0..4 {
        for extra in [0, 1, min_length.max(2)] {
            let mut text = String::new();
            let mut groups = Vec::new();
            sample(tree, &Choice { alternative, extra }, &mut text, &mut groups);
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    out
}

struct Choice {
    alternative: usize,
    extra: usize,
}

fn sample(node: &Rx, choice: &Choice, out: &mut String, groups: &mut Vec<(u32, String)>) {
    if out.len() > MAX_SIZE {
        return;
    }
    match node {
        // A positive lookbehind describes the text just before: writing it there makes it true.
        Rx::Look { ahead: false, negate: false, body } => sample(body, choice, out, groups),
        Rx::Empty | Rx::Start | Rx::End | Rx::WordBoundary(_) | Rx::Look { .. } => {}
        Rx::Char(c) => out.push(*c),
        Rx::Dot => out.push('a'),
        Rx::Class(class) => out.extend(class_char(class)),
        Rx::Escape(e) => out.extend(class_char(&Class { negated: false, items: vec![ClassItem::Escape(e.clone())] })),
        Rx::Group(body, number) => {
            let start = out.len();
            sample(body, choice, out, groups);
            if let Some(n) = number {
                groups.push((*n, out[start..].to_string()));
            }
        }
        Rx::BackRef(n) => {
            if let Some((_, text)) = groups.iter().rev().find(|(g, _)| g == n) {
                out.push_str(&text.clone());
            }
        }
        Rx::Repeat { node, min, max, .. } => {
            let wanted = (*min as usize).saturating_add(choice.extra);
            let times = max.map_or(wanted, |m| wanted.min(m as usize)).min(64);
            for _ in 0..times.max(*min as usize).min(1024) {
                sample(node, choice, out, groups);
            }
        }
        Rx::Concat(nodes) => nodes.iter().for_each(|n| sample(n, choice, out, groups)),
        Rx::Alt(nodes) => {
            if let Some(n) = nodes.get(choice.alternative.min(nodes.len().saturating_sub(1))) {
                sample(n, choice, out, groups);
            }
        }
    }
}

/// A character the class matches, preferring plain letters and digits.
fn class_char(class: &Class) -> Option<char> {
    const PREFERRED: &[char] = &['a', 'b', 'x', 'A', '0', '1', '_', '-', '.', ' ', 'é', 'α', 'я', '😀'];
    let inside = |c: char| class.items.iter().any(|item| item_matches(item, c)) != class.negated;
    PREFERRED.iter().copied().find(|&c| inside(c)).or_else(|| {
        class.items.iter().find_map(|item| match item {
            ClassItem::Range(lo, hi) if !class.negated => Some(*lo).filter(|_| lo <= hi),
            _ => None,
        })
    })
}

fn item_matches(item: &ClassItem, c: char) -> bool {
    match item {
        ClassItem::Range(lo, hi) => (*lo..=*hi).contains(&c),
        ClassItem::Escape(ClassEscape::Digit(neg)) => c.is_ascii_digit() != *neg,
        ClassItem::Escape(ClassEscape::Word(neg)) => (c.is_ascii_alphanumeric() || c == '_') != *neg,
        ClassItem::Escape(ClassEscape::Space(neg)) => regex::is_js_space(c) != *neg,
        ClassItem::Escape(ClassEscape::Property(neg, text)) => {
            let mut buf = [0; 4];
            let matched = fancy_regex::Regex::new(&format!("^\\p{{{text}}}$"))
                .is_ok_and(|r| r.is_match(c.encode_utf8(&mut buf)).unwrap_or(false));
            matched != *neg
        }
    }
}
