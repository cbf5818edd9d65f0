//! A Liquid engine that renders control values exactly as `@novu/framework` 2.13.2 does with liquidjs
//! 10.30.1 (default, non-strict options, upstream's output escaping and custom filters).
//!
//! Upstream renders all controls as one JSON document; this engine renders each string on its own and
//! reproduces what that JSON round trip does to it (see `escape.rs`): outputs of strings land verbatim,
//! objects print as single-quoted JSON, `capture` stores the JSON-escaped text, whitespace control only
//! removes spaces, and string literals take backslashes literally. Double-quoted literals, which upstream
//! cannot parse, are accepted.
//!
//! Rendering runs under [`Limits`]: loop iterations, string sizes, output size and total work are
//! bounded, so hostile templates fail fast with [`ErrorKind::Limit`].

// The README's examples run as doctests.
#![cfg_attr(doctest, doc = include_str!("../README.md"))]

mod ast;
mod chars;
mod compare;
mod error;
mod escape;
mod filters;
mod jsnum;
mod lexer;
mod parser;
mod props;
mod render;
mod tokenizer;
mod value;

pub use error::{ErrorKind, LiquidError};
pub use render::{Session, Usage};

use ast::Node;
use novu_framework_json as json;

/// Rendering budget for one [`Session`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Loop iterations (`for`, `tablerow`) plus elements of ranges built and of arrays read or produced by
    /// filters and operators, in total.
    pub max_iterations: u64,
    /// Size in bytes of any single string produced (filter results, captures).
    pub max_string_bytes: usize,
    /// Size in bytes of everything rendered, in total.
    pub max_output_bytes: usize,
    /// Bytes of strings read or written by filters, operators and outputs, in total; bounds the time a
    /// render can take when loops repeat costly string operations.
    pub max_work_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_iterations: 1_000_000,
            max_string_bytes: 4 << 20,
            max_output_bytes: 4 << 20,
            max_work_bytes: 64 << 20,
        }
    }
}

/// A parsed template; parse once, render many times.
#[derive(Debug)]
pub struct Template {
    src: Box<str>,
    nodes: Vec<Node>,
}

/// Tokens of a template whose tags are not parsed yet.
///
/// Upstream tokenizes the whole control document before parsing any tag, so a tokenization error in a
/// later control wins over a parse error in an earlier one; [`Tokenized`] lets callers do the same.
#[derive(Debug)]
pub struct Tokenized {
    src: Box<str>,
    tokens: Vec<lexer::TopToken>,
}

/// Splits a template into tokens (the first half of [`parse`]).
pub fn tokenize(src: &str) -> Result<Tokenized, LiquidError> {
    Ok(Tokenized { tokens: lexer::tokenize(src)?, src: src.into() })
}

impl Tokenized {
    /// Parses the tags (the second half of [`parse`]).
    pub fn parse(self) -> Result<Template, LiquidError> {
        let nodes = parser::Parser::new(&self.src, self.tokens).parse_all()?;
        Ok(Template { src: self.src, nodes })
    }
}

/// Parses a template.
pub fn parse(src: &str) -> Result<Template, LiquidError> {
    tokenize(src)?.parse()
}
