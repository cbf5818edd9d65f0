//! The compiled form of a schema: an arena of nodes, one per subschema location, each holding its keywords
//! already parsed and grouped the way ajv evaluates them.

use std::sync::Arc;

use serde_json::{Number, Value};

use super::formats::Format;
use super::regex::JsRegex;

pub(crate) type NodeId = usize;

/// JSON types as bits.
pub(crate) mod types {
    pub const NULL: u8 = 1;
    pub const BOOLEAN: u8 = 2;
    pub const OBJECT: u8 = 4;
    pub const ARRAY: u8 = 8;
    pub const NUMBER: u8 = 16;
    pub const INTEGER: u8 = 32;
    pub const STRING: u8 = 64;

    pub fn from_name(name: &str) -> u8 {
        match name {
            "null" => NULL,
            "boolean" => BOOLEAN,
            "object" => OBJECT,
            "array" => ARRAY,
            "number" => NUMBER,
            "integer" => INTEGER,
            _ => STRING,
        }
    }
}

/// The keyword groups ajv evaluates after the untyped keywords, each only for data of its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    Number,
    String,
    Array,
    Object,
}

#[derive(Debug)]
pub(crate) enum Node {
    Bool(bool),
    Object(Box<Keywords>),
}

/// When the `type` keyword is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeCheck {
    None,
    /// Before all other keywords.
    Upfront,
    /// As the `else` of the group of the single declared type, after the untyped keywords.
    Deferred(Group),
}

/// A number keyword value: as a double for comparisons, as written for messages.
#[derive(Debug, Clone)]
pub(crate) struct Limit {
    pub value: f64,
    pub text: Number,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Ref {
    pub target: NodeId,
    /// ajv compiles the target as a function of its own (instead of inlining it), which resets the
    /// "composite" context in which defaults are not applied.
    pub call: bool,
}

#[derive(Debug)]
pub(crate) struct Keywords {
    pub types: u8,
    /// The first non-null declared type (null when that is all), for mocks.
    pub mock_type: u8,
    /// The schema's own `default`, for mocks.
    pub default: Option<Value>,
    pub type_message: Box<str>,
    pub type_check: TypeCheck,
    /// `$ref` with no other implemented keyword: only the reference is evaluated.
    pub ref_only: bool,
    pub untyped: Option<Box<Untyped>>,
    pub number: Option<Box<NumberKeywords>>,
    pub string: Option<Box<StringKeywords>>,
    pub array: Option<Box<ArrayKeywords>>,
    pub object: Option<Box<ObjectKeywords>>,
    /// Whether evaluating this schema can change the data (defaults, removed properties), here or below.
    pub mutates: bool,
}

/// `$ref`, `const`, `enum`, `not`, `anyOf`, `oneOf`, `allOf`, `if`: evaluated first, in this order.
#[derive(Debug, Default)]
pub(crate) struct Untyped {
    pub reference: Option<Ref>,
    pub constant: Option<Value>,
    pub enumeration: Option<Vec<Value>>,
    /// `None` inside: `not` of an always-valid schema, which always fails.
    pub not: Option<Option<NodeId>>,
    pub any_of: Option<Vec<NodeId>>,
    /// `None` branches are always valid.
    pub one_of: Option<Vec<Option<NodeId>>>,
    pub all_of: Vec<NodeId>,
    pub condition: Option<Condition>,
}

#[derive(Debug)]
pub(crate) struct Condition {
    pub cond: NodeId,
    pub then: Option<NodeId>,
    pub otherwise: Option<NodeId>,
}

#[derive(Debug, Default)]
pub(crate) struct NumberKeywords {
    pub maximum: Option<Limit>,
    pub minimum: Option<Limit>,
    pub exclusive_maximum: Option<Limit>,
    pub exclusive_minimum: Option<Limit>,
    pub multiple_of: Option<Limit>,
    pub format: Option<(Format, Box<str>)>,
}

#[derive(Debug, Default)]
pub(crate) struct StringKeywords {
    pub max_length: Option<Limit>,
    pub min_length: Option<Limit>,
    pub pattern: Option<(Arc<JsRegex>, Box<str>)>,
    pub format: Option<(Format, Box<str>)>,
    /// `formatMaximum`, `formatMinimum`, `formatExclusiveMaximum`, `formatExclusiveMinimum` (ajv-formats).
    pub format_limits: Vec<(FormatLimit, Box<str>)>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum FormatLimit {
    Maximum,
    Minimum,
    ExclusiveMaximum,
    ExclusiveMinimum,
}

#[derive(Debug)]
pub(crate) enum Items {
    None,
    All(NodeId),
    Tuple(Vec<Option<NodeId>>),
}

#[derive(Debug)]
pub(crate) enum AdditionalItems {
    None,
    Forbidden(usize),
    Schema(usize, NodeId),
}

#[derive(Debug)]
pub(crate) struct ArrayKeywords {
    /// Defaults of `items` given as a list: index → value.
    pub defaults: Vec<(usize, Value)>,
    pub max_items: Option<Limit>,
    pub min_items: Option<Limit>,
    pub additional_items: AdditionalItems,
    pub items: Items,
    /// `Some(None)`: `contains` of an always-valid schema (needs one item).
    pub contains: Option<Option<NodeId>>,
    /// `Some(fast)`: uniqueness required; `fast` when the item schema declares only scalar types.
    pub unique_items: Option<bool>,
}

#[derive(Debug)]
pub(crate) enum Additional {
    Allowed,
    /// `false`: extra properties are removed.
    Remove,
    /// Extra properties that fail the schema are removed.
    Schema(NodeId),
}

#[derive(Debug)]
pub(crate) enum Dependency {
    Properties(Vec<String>),
    Schema(NodeId),
}

#[derive(Debug)]
pub(crate) struct ObjectKeywords {
    pub defaults: Vec<(String, Value)>,
    pub max_properties: Option<Limit>,
    pub min_properties: Option<Limit>,
    pub required: Vec<String>,
    pub property_names: Option<NodeId>,
    pub additional: Additional,
    /// Names listed in `properties` (always-valid ones included), for telling extra properties apart.
    pub declared: Vec<String>,
    pub dependencies: Vec<(String, Dependency)>,
    /// `properties` entries whose schema checks something: name, node, and whether it has a default.
    pub properties: Vec<(String, NodeId, bool)>,
    /// `patternProperties`: every pattern (for extra-property detection), with its node unless always valid.
    pub pattern_properties: Vec<(Arc<JsRegex>, Option<NodeId>)>,
}

/// A compiled document.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub source: Value,
    pub nodes: Vec<Node>,
    pub root: NodeId,
}

/// Marks the nodes whose evaluation can change the data, following children and references.
pub(crate) fn mark_mutating(nodes: &mut [Node]) {
    let children: Vec<(bool, Vec<NodeId>)> = nodes
        .iter()
        .map(|node| match node {
            Node::Bool(_) => (false, Vec::new()),
            Node::Object(k) => (k.mutates_here(), k.children()),
        })
        .collect();
    let mut mutates: Vec<bool> = children.iter().map(|(m, _)| *m).collect();
    loop {
        let mut changed = false;
        for (i, (_, kids)) in children.iter().enumerate() {
            if !mutates[i] && kids.iter().any(|&k| mutates[k]) {
                mutates[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (node, m) in nodes.iter_mut().zip(mutates) {
        if let Node::Object(k) = node {
            k.mutates = m;
        }
    }
}

impl Keywords {
    fn mutates_here(&self) -> bool {
        self.array.as_ref().is_some_and(|a| !a.defaults.is_empty())
            || self
                .object
                .as_ref()
                .is_some_and(|o| !o.defaults.is_empty() || !matches!(o.additional, Additional::Allowed))
    }

    /// Every node this one may evaluate.
    pub(crate) fn children(&self) -> Vec<NodeId> {
        let mut out = Vec::new();
        if let Some(u) = &self.untyped {
            out.extend(u.reference.map(|r| r.target));
            out.extend(u.not.flatten());
            out.extend(u.any_of.iter().flatten());
            out.extend(u.one_of.iter().flatten().flatten());
            out.extend(&u.all_of);
            if let Some(c) = &u.condition {
                out.push(c.cond);
                out.extend(c.then);
                out.extend(c.otherwise);
            }
        }
        if let Some(a) = &self.array {
            match &a.items {
                Items::All(id) => out.push(*id),
                Items::Tuple(list) => out.extend(list.iter().flatten()),
                Items::None => {}
            }
            if let AdditionalItems::Schema(_, id) = a.additional_items {
                out.push(id);
            }
            out.extend(a.contains.flatten());
        }
        if let Some(o) = &self.object {
            out.extend(o.property_names);
            if let Additional::Schema(id) = o.additional {
                out.push(id);
            }
            for (_, dep) in &o.dependencies {
                if let Dependency::Schema(id) = dep {
                    out.push(*id);
                }
            }
            out.extend(o.properties.iter().map(|(_, id, _)| *id));
            out.extend(o.pattern_properties.iter().filter_map(|(_, id)| *id));
        }
        out
    }
}
