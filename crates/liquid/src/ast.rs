//! Parsed template structure. Strings are `Arc` so that parsed templates can be cached and shared
//! between threads.

use std::sync::Arc;

use super::filters::FilterId;

/// The keyword literals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal {
    True,
    False,
    Nil,
    Empty,
    Blank,
}

/// A value in an expression (liquidjs value tokens).
#[derive(Clone, Debug)]
pub enum Token {
    Literal(Literal),
    Number(f64),
    Quoted(Arc<str>),
    /// A bare identifier used as a property name.
    Ident(Arc<str>),
    /// `(lhs..rhs)`.
    Range(Box<Token>, Box<Token>),
    /// `var.prop[expr]…`; without `var` the first property names a variable.
    Prop {
        var: Option<Box<Token>>,
        props: Vec<Token>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Contains,
    Not,
    And,
    Or,
}

/// An expression in postfix order, evaluated on a stack exactly like liquidjs (no recursion, so long
/// `and`/`or` chains cannot overflow the stack).
#[derive(Clone, Debug)]
pub enum ExprItem {
    Operand(Token),
    Op(Op),
}

#[derive(Clone, Debug)]
pub enum FilterArg {
    Pos(Token),
    /// `key: value`: passed to the filter as the array `[key, value]`.
    Kw(Arc<str>, Option<Token>),
}

#[derive(Clone, Debug)]
pub struct FilterCall {
    pub id: FilterId,
    pub args: Vec<FilterArg>,
}

/// An expression followed by filters (`a.b | upcase | append: 'x'`).
#[derive(Clone, Debug)]
pub struct FilteredValue {
    pub expr: Vec<ExprItem>,
    pub filters: Vec<FilterCall>,
}

impl FilteredValue {
    /// Whether the last filter is `raw`, which switches off output escaping.
    pub fn ends_raw(&self) -> bool {
        self.filters.last().is_some_and(|f| f.id == FilterId::Raw)
    }
}

/// A key/value argument of `for` / `tablerow` (`limit: 2`, `reversed`).
pub type HashArgs = Vec<(Arc<str>, Option<Token>)>;

#[derive(Clone, Debug)]
pub struct LoopSpec {
    pub var: Arc<str>,
    pub collection: Token,
    /// Source text of the collection (loop names, `offset: continue` bookkeeping).
    pub collection_text: Arc<str>,
    pub hash: HashArgs,
}

#[derive(Clone, Debug)]
pub enum Node {
    /// Template text, as a byte range of the template source.
    Text(usize, usize),
    Output(FilteredValue),
    Echo(FilteredValue),
    If {
        branches: Vec<(FilteredValue, Vec<Node>)>,
        otherwise: Vec<Node>,
    },
    /// `unless` branches: the first tests falsiness, `elsif`s truthiness.
    Unless {
        branches: Vec<(FilteredValue, bool, Vec<Node>)>,
        otherwise: Vec<Node>,
    },
    Case {
        value: FilteredValue,
        branches: Vec<(Vec<Token>, Vec<Node>)>,
        otherwise: Vec<Node>,
    },
    For {
        spec: LoopSpec,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Tablerow {
        spec: LoopSpec,
        body: Vec<Node>,
    },
    Assign {
        key: Arc<str>,
        value: FilteredValue,
    },
    Capture {
        key: Arc<str>,
        body: Vec<Node>,
    },
    Increment(Arc<str>),
    Decrement(Arc<str>),
    Cycle {
        group: Option<Token>,
        candidates: Vec<FilteredValue>,
        fingerprint: Arc<str>,
    },
    /// `{% raw %}` content.
    Raw(Arc<str>),
    Block(Vec<Node>),
    /// `render`, `include` or `layout` of another template. There are none to load, so rendering it fails as
    /// liquidjs does without templates on disk (a RenderError, and only if the tag is reached).
    Partial(Arc<str>),
    Break,
    Continue,
}
