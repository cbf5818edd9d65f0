//! Evaluation of a compiled schema against data, in ajv's order and with ajv's side effects.
//!
//! ajv (without `allErrors`) stops at the first keyword that fails and reports that keyword's errors; a
//! combinator's errors are those of its failing branches followed by its own. Inside "composite" contexts
//! (`anyOf`, `oneOf`, `not`, `if`, `contains`, `propertyNames`, a failing-removal `additionalProperties`
//! schema) defaults are not applied and errors accumulate instead of ending validation, which shows in two
//! places: after a failed up-front type check the untyped keywords still run, and `contains` keeps its
//! items' errors. References that ajv compiles as separate functions leave the composite context.

use serde_json::Value;

mod collections;

use super::ValidationError;
use super::equal::equal;
use super::node::{
    FormatLimit, Group, Keywords, Node, NodeId, NumberKeywords, Ref, StringKeywords, TypeCheck, Untyped, types,
};
use crate::json;

/// Evaluation nesting limit; data nested deeper than the parser allows, or references that recurse without
/// consuming data, stop here with an error instead of exhausting the stack.
pub(crate) const MAX_EVAL_DEPTH: usize = 512;

/// A location in the data, as a chain of segments on the stack (turned into a JSON pointer only for errors).
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    pub(crate) fn pointer(&self) -> String {
        let mut segments = Vec::new();
        let mut at = self;
        loop {
            match at {
                Path::Root => break,
                Path::Key(parent, key) => {
                    segments.push(Segment::Key(key));
                    at = parent;
                }
                Path::Index(parent, i) => {
                    segments.push(Segment::Index(*i));
                    at = parent;
                }
            }
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            out.push('/');
            match segment {
                Segment::Key(key) => {
                    for c in key.chars() {
                        match c {
                            '~' => out.push_str("~0"),
                            '/' => out.push_str("~1"),
                            c => out.push(c),
                        }
                    }
                }
                Segment::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    /// Inside a combinator or similar: no defaults, errors accumulate.
    pub composite: bool,
    /// Whether error objects are wanted at all (ajv's `createErrors`).
    pub collect: bool,
}

impl Ctx {
    pub(crate) const TOP: Ctx = Ctx { composite: false, collect: true };

    fn composite(self) -> Ctx {
        Ctx { composite: true, ..self }
    }

    fn silent() -> Ctx {
        Ctx { composite: true, collect: false }
    }
}

pub(crate) struct Validator<'a> {
    nodes: &'a [Node],
    pub errors: Vec<ValidationError>,
    depth: usize,
    /// Set when the nesting limit was hit: the whole validation then fails with that one error.
    pub overflow: Option<ValidationError>,
    /// Whether the latest failure came back from a reference ajv compiles as a function of its own. Outside
    /// composite contexts a keyword's own error ends ajv's function at once, but a failed call does not:
    /// the caller carries on to the enclosing `if`, which then adds its own error too.
    soft_failure: bool,
    /// The last value ajv's `valid` variables of tuple `items` and of `contains` keywords took in the
    /// function being run, keyed by the keyword's address: code that assigns them nothing (an array too
    /// short to check) leaves what an earlier evaluation set. See `array`.
    carried: Vec<(usize, bool)>,
}

impl<'a> Validator<'a> {
    pub(crate) fn new(nodes: &'a [Node]) -> Self {
        Validator { nodes, errors: Vec::new(), depth: 0, overflow: None, soft_failure: false, carried: Vec::new() }
    }

    fn error(&mut self, ctx: Ctx, path: &Path<'_>, message: impl FnOnce() -> String) {
        self.soft_failure = false;
        if ctx.collect {
            self.errors.push(ValidationError { path: path.pointer(), message: message() });
        }
    }

    pub(crate) fn eval(&mut self, id: NodeId, data: &mut Value, path: &Path<'_>, ctx: Ctx) -> bool {
        let nodes = self.nodes;
        match &nodes[id] {
            Node::Bool(true) => true,
            Node::Bool(false) => {
                self.error(ctx, path, || "boolean schema is false".to_string());
                false
            }
            Node::Object(k) => {
                if self.overflow.is_some() {
                    return false;
                }
                if self.depth >= MAX_EVAL_DEPTH {
                    self.overflow = Some(ValidationError {
                        path: path.pointer(),
                        message: format!("must NOT be nested deeper than {MAX_EVAL_DEPTH} levels"),
                    });
                    return false;
                }
                self.depth += 1;
                let valid = self.keywords(k, data, path, ctx);
                self.depth -= 1;
                valid
            }
        }
    }

    fn keywords(&mut self, k: &Keywords, data: &mut Value, path: &Path<'_>, ctx: Ctx) -> bool {
        if k.ref_only {
            return match k.untyped.as_ref().and_then(|u| u.reference) {
                Some(r) => self.reference(r, data, path, ctx),
                None => true,
            };
        }
        if k.type_check == TypeCheck::Upfront && !type_matches(k.types, data) {
            self.error(ctx, path, || k.type_message.to_string());
            if ctx.composite
                && let Some(u) = &k.untyped
            {
                self.untyped(u, data, path, ctx);
            }
            return false;
        }
        if let Some(u) = &k.untyped
            && !self.untyped(u, data, path, ctx)
        {
            return false;
        }
        // Each typed group runs for data of its type; for other data it reports a deferred type error.
        if let Some(n) = &k.number {
            let valid = match data {
                Value::Number(x) => self.number(n, json::as_f64(x), path, ctx),
                _ => !self.wrong_type(k, Group::Number, path, ctx),
            };
            if !valid {
                return false;
            }
        }
        if let Some(s) = &k.string {
            let valid = match data {
                Value::String(text) => self.string(s, text, path, ctx),
                _ => !self.wrong_type(k, Group::String, path, ctx),
            };
            if !valid {
                return false;
            }
        }
        if let Some(a) = &k.array {
            let valid = match data {
                Value::Array(items) => self.array(a, items, path, ctx),
                _ => !self.wrong_type(k, Group::Array, path, ctx),
            };
            if !valid {
                return false;
            }
        }
        if let Some(o) = &k.object {
            let valid = match data {
                Value::Object(map) => self.object(o, map, path, ctx),
                _ => !self.wrong_type(k, Group::Object, path, ctx),
            };
            if !valid {
                return false;
            }
        }
        true
    }

    /// Reports the type error deferred to `group`, if the type check was deferred to it.
    fn wrong_type(&mut self, k: &Keywords, group: Group, path: &Path<'_>, ctx: Ctx) -> bool {
        if k.type_check != TypeCheck::Deferred(group) {
            return false;
        }
        self.error(ctx, path, || k.type_message.to_string());
        true
    }

    fn reference(&mut self, r: Ref, data: &mut Value, path: &Path<'_>, ctx: Ctx) -> bool {
        if !r.call {
            return self.eval(r.target, data, path, ctx);
        }
        let called = Ctx { composite: false, ..ctx };
        // A function of its own starts with its own variables.
        let outer = std::mem::take(&mut self.carried);
        let valid = self.eval(r.target, data, path, called);
        self.carried = outer;
        if !valid {
            self.soft_failure = true;
        }
        valid
    }

    /// Evaluates a branch on a copy when it could change the data; the copy is kept only if asked.
    fn branch(&mut self, id: NodeId, data: &mut Value, path: &Path<'_>, ctx: Ctx) -> (bool, Option<Value>) {
        let mutates = matches!(&self.nodes[id], Node::Object(k) if k.mutates);
        if mutates {
            let mut copy = data.clone();
            let valid = self.eval(id, &mut copy, path, ctx);
            (valid, valid.then_some(copy))
        } else {
            (self.eval(id, data, path, ctx), None)
        }
    }

    fn untyped(&mut self, u: &Untyped, data: &mut Value, path: &Path<'_>, ctx: Ctx) -> bool {
        if let Some(r) = u.reference
            && !self.reference(r, data, path, ctx)
        {
            return false;
        }
        if let Some(c) = &u.constant
            && !equal(data, c)
        {
            self.error(ctx, path, || "must be equal to constant".to_string());
            return false;
        }
        if let Some(values) = &u.enumeration
            && !values.iter().any(|v| equal(data, v))
        {
            self.error(ctx, path, || "must be equal to one of the allowed values".to_string());
            return false;
        }
        if let Some(not) = u.not {
            let inner_valid = match not {
                None => true,
                Some(id) => {
                    let start = self.errors.len();
                    let valid = self.eval(id, data, path, Ctx::silent());
                    self.errors.truncate(start);
                    valid
                }
            };
            if inner_valid {
                self.error(ctx, path, || "must NOT be valid".to_string());
                return false;
            }
        }
        if let Some(branches) = &u.any_of {
            let start = self.errors.len();
            let mut matched = false;
            for &id in branches {
                let (valid, copy) = self.branch(id, data, path, ctx.composite());
                if valid {
                    if let Some(copy) = copy {
                        *data = copy;
                    }
                    matched = true;
                    break;
                }
            }
            if !matched {
                self.error(ctx, path, || "must match a schema in anyOf".to_string());
                return false;
            }
            self.errors.truncate(start);
        }
        if let Some(branches) = &u.one_of {
            // Each branch sees a copy of the data as the passing branch so far left it (like ajv, where
            // later branches see earlier mutations), but a failing branch leaves nothing behind.
            let start = self.errors.len();
            let mut passed = false;
            for branch in branches {
                let (valid, copy) = match branch {
                    None => (true, None),
                    Some(id) => self.branch(*id, data, path, ctx.composite()),
                };
                if valid {
                    if passed {
                        self.error(ctx, path, || "must match exactly one schema in oneOf".to_string());
                        return false;
                    }
                    passed = true;
                    if let Some(copy) = copy {
                        *data = copy;
                    }
                }
            }
            if !passed {
                self.error(ctx, path, || "must match exactly one schema in oneOf".to_string());
                return false;
            }
            self.errors.truncate(start);
        }
        for &id in &u.all_of {
            if !self.eval(id, data, path, ctx) {
                return false;
            }
        }
        if let Some(c) = &u.condition {
            let start = self.errors.len();
            let cond_valid = self.eval(c.cond, data, path, Ctx::silent());
            self.errors.truncate(start);
            let (clause, name) = if cond_valid { (c.then, "then") } else { (c.otherwise, "else") };
            if let Some(id) = clause
                && !self.eval(id, data, path, ctx)
            {
                // Outside composite contexts ajv has usually returned with the clause's error already.
                if ctx.composite || self.soft_failure {
                    self.error(ctx, path, || format!("must match \"{name}\" schema"));
                }
                return false;
            }
        }
        true
    }

    fn number(&mut self, n: &NumberKeywords, x: f64, path: &Path<'_>, ctx: Ctx) -> bool {
        let checks = [
            (&n.maximum, x > n.maximum.as_ref().map_or(0.0, |l| l.value), "<="),
            (&n.minimum, x < n.minimum.as_ref().map_or(0.0, |l| l.value), ">="),
            (&n.exclusive_maximum, x >= n.exclusive_maximum.as_ref().map_or(0.0, |l| l.value), "<"),
            (&n.exclusive_minimum, x <= n.exclusive_minimum.as_ref().map_or(0.0, |l| l.value), ">"),
        ];
        for (limit, failed, op) in checks {
            if let Some(limit) = limit
                && failed
            {
                self.error(ctx, path, || format!("must be {op} {}", json::number_text(&limit.text)));
                return false;
            }
        }
        if let Some(m) = &n.multiple_of {
            // ajv: `res = data / m; res !== parseInt(res)`, which is false for integers below 1e21 only.
            let res = x / m.value;
            if m.value == 0.0 || res.fract() != 0.0 || res.abs() >= 1e21 || !res.is_finite() {
                self.error(ctx, path, || format!("must be multiple of {}", json::number_text(&m.text)));
                return false;
            }
        }
        if let Some((format, name)) = &n.format
            && !format.check_number(x)
        {
            self.error(ctx, path, || format!("must match format \"{name}\""));
            return false;
        }
        true
    }

    fn string(&mut self, s: &StringKeywords, text: &str, path: &Path<'_>, ctx: Ctx) -> bool {
        if s.max_length.is_some() || s.min_length.is_some() {
            let length = text.chars().count() as f64;
            if let Some(max) = &s.max_length
                && length > max.value
            {
                self.error(ctx, path, || {
                    format!("must NOT have more than {} characters", json::number_text(&max.text))
                });
                return false;
            }
            if let Some(min) = &s.min_length
                && length < min.value
            {
                self.error(ctx, path, || {
                    format!("must NOT have fewer than {} characters", json::number_text(&min.text))
                });
                return false;
            }
        }
        if let Some((regex, source)) = &s.pattern
            && !regex.test(text)
        {
            self.error(ctx, path, || format!("must match pattern \"{source}\""));
            return false;
        }
        if let Some((format, name)) = &s.format {
            if !format.check_str(text) {
                self.error(ctx, path, || format!("must match format \"{name}\""));
                return false;
            }
            for (kind, limit) in &s.format_limits {
                let (failed, op) = match (kind, format.compare(text, limit)) {
                    (_, None) => (false, ""),
                    (FormatLimit::Maximum, Some(o)) => (o.is_gt(), "<="),
                    (FormatLimit::Minimum, Some(o)) => (o.is_lt(), ">="),
                    (FormatLimit::ExclusiveMaximum, Some(o)) => (o.is_ge(), "<"),
                    (FormatLimit::ExclusiveMinimum, Some(o)) => (o.is_le(), ">"),
                };
                if failed {
                    self.error(ctx, path, || format!("should be {op} {limit}"));
                    return false;
                }
            }
        }
        true
    }
}

fn type_matches(types: u8, value: &Value) -> bool {
    let bit = match value {
        Value::Null => types::NULL,
        Value::Bool(_) => types::BOOLEAN,
        Value::Object(_) => types::OBJECT,
        Value::Array(_) => types::ARRAY,
        Value::String(_) => types::STRING,
        Value::Number(n) => {
            if json::as_f64(n).fract() == 0.0 {
                types::NUMBER | types::INTEGER
            } else {
                types::NUMBER
            }
        }
    };
    types & bit != 0
}
