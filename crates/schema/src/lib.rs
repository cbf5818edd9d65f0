//! JSON Schema validation with the semantics upstream gets from
//! `new Ajv({useDefaults: true, removeAdditional: "failing", strict: false})` plus ajv-formats: draft-07,
//! defaults filled in, extra properties removed instead of reported, the first error reported the way ajv
//! words it, OpenAPI's `nullable` understood.
//!
//! One deliberate difference (project decision): `anyOf`/`oneOf` branches that can change the data are
//! evaluated on copies, and only the copy of the branch that passes (the first for `anyOf`, the only one for
//! `oneOf`) is kept. ajv evaluates branches in place, so a failing branch can leave removed properties behind.

// The README's examples run as doctests.
#![cfg_attr(doctest, doc = include_str!("../README.md"))]

mod compile;
mod equal;
mod formats;
mod meta;
pub mod mock;
mod node;
mod refs;
pub(crate) mod regex;
mod uri;
mod validate;

use std::fmt;
use std::sync::{Arc, OnceLock};

use novu_framework_json as json;
use serde_json::Value;

pub(crate) use formats::Format;
pub(crate) use node::{Additional, AdditionalItems, Compiled, Dependency, Items, Keywords, Node, NodeId, types};

/// A compiled schema: cheap to clone and share between threads.
#[derive(Clone)]
pub struct Schema {
    inner: Arc<Inner>,
}

struct Inner {
    compiled: Compiled,
    /// The preview mock, computed once (see [`crate::mock`]).
    mock: OnceLock<Value>,
}

/// A schema that cannot be compiled: what is wrong and where (a JSON pointer into the schema).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{} (at {})", self.message, self.pointer)
        }
    }
}

impl std::error::Error for SchemaError {}

/// One validation failure, as upstream reports it: `{path: instancePath, message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// JSON pointer of the failing value in the data (`""` for the root).
    pub path: String,
    pub message: String,
}

impl Schema {
    /// Compiles a draft-07 schema (with ajv's extensions). Refused like ajv refuses: a schema that breaks
    /// the meta-schema, an unknown `$schema`, a pattern JavaScript would not accept, an unresolvable `$ref`.
    pub fn compile(schema: &Value) -> Result<Schema, SchemaError> {
        let compiled = compile::compile(schema).map_err(|(message, pointer)| SchemaError { pointer, message })?;
        Ok(Schema { inner: Arc::new(Inner { compiled, mock: OnceLock::new() }) })
    }

    /// The schema as given.
    pub fn source(&self) -> &Value {
        &self.inner.compiled.source
    }

    /// Validates `data` in place the way ajv does: fills defaults, removes properties that
    /// `additionalProperties` rejects, and stops at the first failing keyword.
    pub fn validate(&self, data: &mut Value) -> Result<(), Vec<ValidationError>> {
        let compiled = &self.inner.compiled;
        let mut validator = validate::Validator::new(&compiled.nodes);
        let valid = validator.eval(compiled.root, data, &validate::Path::Root, validate::Ctx::TOP);
        if let Some(overflow) = validator.overflow {
            return Err(vec![overflow]);
        }
        if valid { Ok(()) } else { Err(validator.errors) }
    }

    pub(crate) fn compiled(&self) -> &Compiled {
        &self.inner.compiled
    }

    pub(crate) fn mock_cache(&self) -> &OnceLock<Value> {
        &self.inner.mock
    }

    /// Validates `data` against one node of this schema (used by the mock generator to check candidates).
    pub(crate) fn validate_node(&self, node: NodeId, data: &mut Value) -> bool {
        let mut validator = validate::Validator::new(&self.inner.compiled.nodes);
        let valid = validator.eval(node, data, &validate::Path::Root, validate::Ctx::TOP);
        valid && validator.overflow.is_none()
    }
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema").field("source", self.source()).finish()
    }
}
