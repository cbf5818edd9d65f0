//! Rendering: the variable scopes, expression evaluation and the tags, under the [`Limits`] budget.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use serde_json::Value;

use super::ast::{ExprItem, FilteredValue, HashArgs, Literal, LoopSpec, Node, Op, Token};
use super::compare::{contains, equals, relational};
use super::error::{LiquidError, Result};
use super::escape::{
    push_decoded, push_json_escaped, push_output_escaped, push_single_quoted, push_single_quoted_encoded,
};
use super::filters;
use super::jsnum::relative_index;
use super::props::{Key, get_prop, to_enumerable};
use super::value::{
    Drop, LoopState, RangeVal, Str, TableCols, Val, js_number, js_string, json_stringify, liquid_string,
};
use super::{Limits, Template};
use crate::json;

/// Where rendered text goes and in which form.
pub(crate) struct Out {
    pub buf: String,
    /// `capture` buffers hold the JSON-escaped form upstream stores; the top level holds final text.
    encoded: bool,
}

/// Variables visible to an expression: the session's scopes, or (for `where`-style filters) one item.
#[derive(Clone, Copy)]
pub(crate) enum Root<'r, 'a> {
    Scopes,
    Item(&'r Val<'a>),
}

type Frame<'a> = Vec<(Arc<str>, Val<'a>)>;

/// State shared by every template rendered for one set of controls: assigned variables, counters, cycle
/// positions and the budget.
pub struct Session<'a> {
    env: &'a Value,
    limits: Limits,
    /// `assign` / `capture` variables.
    bottom: Frame<'a>,
    /// Loop scopes and the temporary scopes of `*_exp` filters, innermost last.
    frames: Vec<Frame<'a>>,
    /// `increment` / `decrement` counters, which shadow the context's own keys.
    counters: Vec<(Arc<str>, f64)>,
    /// `offset: continue` bookkeeping, keyed like liquidjs.
    registers: HashMap<String, Val<'a>>,
    cycles: HashMap<String, usize>,
    break_called: bool,
    continue_called: bool,
    iterations: u64,
    work: u64,
    output: usize,
}

/// What a session has spent of its [`Limits`], carried from one session to the next when several
/// render for one request (each step of a local run compiles its own controls).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub iterations: u64,
    pub work: u64,
    pub output: usize,
}

impl<'a> Session<'a> {
    /// A session over a render context (an object whose keys are the top-level variables).
    pub fn new(env: &'a Value, limits: Limits) -> Session<'a> {
        Self::resume(env, limits, Usage::default())
    }

    /// A session that starts with `spent` already counted against `limits`.
    pub fn resume(env: &'a Value, limits: Limits, spent: Usage) -> Session<'a> {
        Session {
            env,
            limits,
            bottom: Vec::new(),
            frames: Vec::new(),
            counters: Vec::new(),
            registers: HashMap::new(),
            cycles: HashMap::new(),
            break_called: false,
            continue_called: false,
            iterations: spent.iterations,
            work: spent.work,
            output: spent.output,
        }
    }

    /// What this session has spent so far (including what it resumed with).
    pub fn usage(&self) -> Usage {
        Usage { iterations: self.iterations, work: self.work, output: self.output }
    }

    /// Renders a template to its final text; variables assigned here stay visible to later renders.
    pub fn render(&mut self, template: &Template) -> Result<String> {
        let mut out = Out { buf: String::new(), encoded: false };
        self.break_called = false;
        self.continue_called = false;
        let result = self.render_nodes(&template.nodes, &template.src, &mut out);
        self.frames.clear();
        result.map(|()| out.buf)
    }

    /// Whether the last render met `break`/`continue` outside any loop. liquidjs stops rendering there,
    /// and upstream renders all controls as one template, so nothing after it is rendered.
    pub fn halted(&self) -> bool {
        self.break_called || self.continue_called
    }

    pub(crate) fn max_string_bytes(&self) -> usize {
        self.limits.max_string_bytes
    }

    /// Counts loop iterations or array elements against the budget.
    pub(crate) fn charge_items(&mut self, n: usize) -> Result<()> {
        self.iterations = self.iterations.saturating_add(n as u64);
        if self.iterations > self.limits.max_iterations {
            return Err(LiquidError::limit(format!(
                "loop iteration limit exceeded (max_iterations = {})",
                self.limits.max_iterations
            )));
        }
        Ok(())
    }

    /// Counts bytes read or written against the work budget.
    pub(crate) fn charge_bytes(&mut self, n: usize) -> Result<()> {
        self.work = self.work.saturating_add(n as u64);
        if self.work > self.limits.max_work_bytes {
            return Err(LiquidError::limit(format!(
                "rendering work limit exceeded (max_work_bytes = {})",
                self.limits.max_work_bytes
            )));
        }
        Ok(())
    }

    /// Charges what reading a value costs: string bytes, array elements and their string bytes.
    pub(crate) fn charge_value(&mut self, v: &Val<'a>) -> Result<()> {
        match v {
            Val::Str(s) => self.charge_bytes(s.as_str().len()),
            Val::Json(Value::Array(items)) => {
                self.charge_items(items.len())?;
                self.charge_bytes(items.iter().map(|x| x.as_str().map_or(0, str::len)).sum())
            }
            Val::Json(Value::Object(map)) => {
                self.charge_items(map.len())?;
                self.charge_bytes(map.values().map(|x| x.as_str().map_or(0, str::len)).sum())
            }
            Val::Arr(a) => {
                self.charge_items(a.items.len())?;
                self.charge_bytes(a.items.iter().map(|x| x.as_str().map_or(0, str::len)).sum())
            }
            Val::Range(r) => self.charge_items(r.len),
            _ => Ok(()),
        }
    }

    /// Checks the size of a string about to be produced.
    pub(crate) fn check_string(&mut self, len: usize) -> Result<()> {
        if len > self.limits.max_string_bytes {
            return Err(LiquidError::limit(format!(
                "string size limit exceeded (max_string_bytes = {})",
                self.limits.max_string_bytes
            )));
        }
        self.charge_bytes(len)
    }

    /// Accounts for what was appended to `out` since it had `before` bytes.
    fn wrote(&mut self, out: &Out, before: usize) -> Result<()> {
        let n = out.buf.len().saturating_sub(before);
        if out.encoded {
            if out.buf.len() > self.limits.max_string_bytes {
                return Err(LiquidError::limit(format!(
                    "string size limit exceeded (max_string_bytes = {})",
                    self.limits.max_string_bytes
                )));
            }
        } else {
            self.output += n;
            if self.output > self.limits.max_output_bytes {
                return Err(LiquidError::limit(format!(
                    "output size limit exceeded (max_output_bytes = {})",
                    self.limits.max_output_bytes
                )));
            }
        }
        self.charge_bytes(n)
    }

    /// Template text.
    fn write_text(&mut self, out: &mut Out, s: &str) -> Result<()> {
        let before = out.buf.len();
        if out.encoded {
            push_json_escaped(&mut out.buf, s);
        } else {
            out.buf.push_str(s);
        }
        self.wrote(out, before)
    }

    /// Text liquidjs writes without output escaping (counters, `tablerow` markup).
    fn write_plain(&mut self, out: &mut Out, s: &str) -> Result<()> {
        let before = out.buf.len();
        out.buf.push_str(s);
        self.wrote(out, before)
    }

    /// An output value through upstream's `outputEscape`.
    fn write_escaped(&mut self, out: &mut Out, v: &Val<'a>) -> Result<()> {
        let before = out.buf.len();
        match v {
            Val::Undef | Val::Null => {}
            Val::Str(s) => {
                if out.encoded {
                    push_output_escaped(&mut out.buf, s.as_str());
                } else {
                    out.buf.push_str(s.as_str());
                }
            }
            v if v.is_object_like() => {
                if out.encoded {
                    push_single_quoted_encoded(&mut out.buf, v);
                } else {
                    push_single_quoted(&mut out.buf, v);
                }
            }
            v => out.buf.push_str(&js_string(v)),
        }
        self.wrote(out, before)
    }

    /// An output whose last filter is `raw`: no escaping, so the JSON round trip decodes it.
    fn write_raw(&mut self, out: &mut Out, v: &Val<'a>) -> Result<()> {
        let before = out.buf.len();
        let text = liquid_string(&v.to_value()).into_owned();
        if out.encoded {
            out.buf.push_str(&text);
        } else {
            push_decoded(&mut out.buf, &text);
        }
        self.wrote(out, before)
    }

    fn render_nodes(&mut self, nodes: &[Node], src: &str, out: &mut Out) -> Result<()> {
        for node in nodes {
            self.render_node(node, src, out)?;
            if self.break_called || self.continue_called {
                break;
            }
        }
        Ok(())
    }

    fn render_node(&mut self, node: &Node, src: &str, out: &mut Out) -> Result<()> {
        match node {
            Node::Text(b, e) => self.write_text(out, src.get(*b..*e).unwrap_or("")),
            Node::Raw(text) => self.write_text(out, text),
            Node::Output(fv) => {
                let v = self.eval_filtered(fv, Root::Scopes)?;
                if fv.ends_raw() { self.write_raw(out, &v) } else { self.write_escaped(out, &v) }
            }
            Node::Echo(fv) => {
                let v = self.eval_filtered(fv, Root::Scopes)?.to_value();
                if fv.ends_raw() { self.write_raw(out, &v) } else { self.write_escaped(out, &v) }
            }
            Node::Assign { key, value } => {
                let v = self.eval_filtered(value, Root::Scopes)?;
                set_var(&mut self.bottom, key, v);
                Ok(())
            }
            Node::Capture { key, body } => {
                let mut inner = Out { buf: String::new(), encoded: true };
                self.render_nodes(body, src, &mut inner)?;
                set_var(&mut self.bottom, key, Val::str(inner.buf));
                Ok(())
            }
            Node::Increment(name) => {
                let v = self.counter(name);
                self.set_counter(name, v + 1.0);
                self.write_plain(out, &json::f64_text(v))
            }
            Node::Decrement(name) => {
                let v = self.counter(name) - 1.0;
                self.set_counter(name, v);
                self.write_plain(out, &json::f64_text(v))
            }
            Node::If { branches, otherwise } => {
                for (cond, body) in branches {
                    if self.eval_filtered(cond, Root::Scopes)?.is_truthy() {
                        return self.render_nodes(body, src, out);
                    }
                }
                self.render_nodes(otherwise, src, out)
            }
            Node::Unless { branches, otherwise } => {
                for (cond, want_truthy, body) in branches {
                    if self.eval_filtered(cond, Root::Scopes)?.is_truthy() == *want_truthy {
                        return self.render_nodes(body, src, out);
                    }
                }
                self.render_nodes(otherwise, src, out)
            }
            Node::Case { value, branches, otherwise } => {
                let target = self.eval_filtered(value, Root::Scopes)?.to_value();
                let mut hit = false;
                for (values, body) in branches {
                    for token in values {
                        let v = self.eval_token(token, Root::Scopes)?;
                        self.charge_operands(&target, &v)?;
                        if equals(&target, &v) {
                            self.render_nodes(body, src, out)?;
                            hit = true;
                            break;
                        }
                    }
                }
                if hit { Ok(()) } else { self.render_nodes(otherwise, src, out) }
            }
            Node::For { spec, body, otherwise } => self.render_for(spec, body, otherwise, src, out),
            Node::Tablerow { spec, body } => self.render_tablerow(spec, body, src, out),
            Node::Cycle { group, candidates, fingerprint } => {
                let group = match group {
                    Some(g) => self.eval_token(g, Root::Scopes)?,
                    None => Val::Undef,
                };
                let key = format!("cycle:{}:{}", js_string(&group), fingerprint);
                let idx = self.cycles.get(&key).copied().unwrap_or(0).min(candidates.len().saturating_sub(1));
                self.cycles.insert(key, (idx + 1) % candidates.len().max(1));
                let Some(candidate) = candidates.get(idx) else {
                    return Ok(());
                };
                let v = self.eval_filtered(candidate, Root::Scopes)?.to_value();
                if !candidate.ends_raw() {
                    self.write_escaped(out, &v)
                } else if v.js_truthy() {
                    self.write_raw(out, &v)
                } else {
                    Ok(())
                }
            }
            Node::Block(nodes) => self.render_nodes(nodes, src, out),
            Node::Partial(file) => Err(LiquidError::render(format!("Failed to lookup {file}: no templates to load"))),
            Node::Break => {
                self.break_called = true;
                Ok(())
            }
            Node::Continue => {
                self.continue_called = true;
                Ok(())
            }
        }
    }

    fn counter(&self, name: &str) -> f64 {
        if let Some((_, v)) = self.counters.iter().find(|(k, _)| &**k == name) {
            return *v;
        }
        match self.env.get(name) {
            Some(Value::Number(n)) => json::as_f64(n),
            _ => 0.0,
        }
    }

    fn set_counter(&mut self, name: &Arc<str>, v: f64) {
        match self.counters.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = v,
            None => self.counters.push((name.clone(), v)),
        }
    }

    /// Evaluates the `key: value` arguments of a loop tag (a key without value is `true`).
    fn eval_hash(&mut self, hash: &HashArgs) -> Result<Vec<(Arc<str>, Val<'a>)>> {
        let mut out = Vec::with_capacity(hash.len());
        for (k, v) in hash {
            let val = match v {
                Some(t) => self.eval_token(t, Root::Scopes)?,
                None => Val::Bool(true),
            };
            out.push((k.clone(), val));
        }
        Ok(out)
    }

    fn render_for(
        &mut self,
        spec: &LoopSpec,
        body: &[Node],
        otherwise: &[Node],
        src: &str,
        out: &mut Out,
    ) -> Result<()> {
        let collection = self.eval_collection(&spec.collection)?;
        let seq = Seq::of(&collection);
        if seq.len() == 0 {
            return self.render_nodes(otherwise, src, out);
        }
        let continue_key = format!("continue-{}-{}", spec.var, spec.collection_text);
        let current = self.registers.get(&continue_key).filter(|v| v.js_truthy()).cloned();
        let current = match current {
            Some(v) => v,
            None => Val::object(Vec::new()).unwrap_or(Val::Undef),
        };
        self.registers.insert(continue_key.clone(), current.clone());
        self.frames.push(vec![(Arc::from("continue"), current)]);
        let hash = self.eval_hash(&spec.hash);
        self.frames.pop();
        let hash = hash?;
        let get =
            |name: &str| hash.iter().find(|(k, _)| &**k == name).map(|(_, v)| v).filter(|v| !matches!(v, Val::Undef));
        let (mut start, mut end) = (0usize, seq.len());
        if let Some(off) = get("offset") {
            start += relative_index(js_number(off), end - start);
        }
        if let Some(lim) = get("limit") {
            end = start + relative_index(js_number(lim), end - start);
        }
        let reversed = get("reversed").is_some();
        let len = end - start;
        let offset = get("offset").filter(|v| v.js_truthy()).cloned().unwrap_or(Val::Num(0.0));
        let register = js_add(&offset, &Val::Num(len as f64));
        self.registers.insert(continue_key, register);

        let state = Rc::new(LoopState {
            i: std::cell::Cell::new(0),
            length: len,
            name: Rc::from(format!("{}-{}", spec.var, spec.collection_text)),
            cols: None,
        });
        self.frames
            .push(vec![(Arc::from("forloop"), Val::Drop(Drop::Loop(state.clone()))), (spec.var.clone(), Val::Undef)]);
        let window = Window { seq: &seq, start, len, reversed };
        let result = self.run_for(&window, spec, &state, body, src, out);
        self.frames.pop();
        self.break_called = false;
        self.continue_called = false;
        result
    }

    fn run_for(
        &mut self,
        items: &Window<'_, 'a>,
        spec: &LoopSpec,
        state: &LoopState,
        body: &[Node],
        src: &str,
        out: &mut Out,
    ) -> Result<()> {
        for k in 0..items.len {
            self.charge_items(1)?;
            let item = items.get(k);
            if let Some(frame) = self.frames.last_mut() {
                set_var(frame, &spec.var, item);
            }
            self.continue_called = false;
            self.break_called = false;
            self.render_nodes(body, src, out)?;
            if self.break_called {
                break;
            }
            if &*spec.var == "forloop" {
                return Err(LiquidError::render("scope.forloop.next is not a function"));
            }
            state.i.set(state.i.get() + 1);
        }
        Ok(())
    }

    fn render_tablerow(&mut self, spec: &LoopSpec, body: &[Node], src: &str, out: &mut Out) -> Result<()> {
        let collection = self.eval_collection(&spec.collection)?;
        let seq = Seq::of(&collection);
        let args = self.eval_hash(&spec.hash)?;
        let get = |name: &str| args.iter().find(|(k, _)| &**k == name).map(|(_, v)| v.clone());
        let offset = get("offset").filter(Val::js_truthy).unwrap_or(Val::Num(0.0));
        let limit = match get("limit") {
            Some(v) if !matches!(v, Val::Undef) => v,
            _ => Val::Num(seq.len() as f64),
        };
        let total = seq.len();
        let start = relative_index(js_number(&offset), total);
        let end = relative_index(js_number(&js_add(&offset, &limit)), total).max(start);
        let len = end - start;
        let cols = get("cols").filter(Val::js_truthy).unwrap_or(Val::Num(len as f64));
        let cols_num = js_number(&cols);
        let state = Rc::new(LoopState {
            i: std::cell::Cell::new(0),
            length: len,
            name: Rc::from(format!("{}-{}", spec.var, spec.collection_text)),
            cols: Some(TableCols {
                num: cols_num,
                is_number: matches!(cols, Val::Num(_)),
                value: static_scalar(&cols),
                json: Rc::from(json_stringify(&cols).unwrap_or_default()),
            }),
        });
        self.frames.push(vec![
            (Arc::from("tablerowloop"), Val::Drop(Drop::Loop(state.clone()))),
            (spec.var.clone(), Val::Undef),
        ]);
        let window = Window { seq: &seq, start, len, reversed: false };
        let result = self.run_tablerow(&window, spec, &state, body, src, out);
        self.frames.pop();
        result
    }

    fn run_tablerow(
        &mut self,
        items: &Window<'_, 'a>,
        spec: &LoopSpec,
        state: &LoopState,
        body: &[Node],
        src: &str,
        out: &mut Out,
    ) -> Result<()> {
        let cols = state.cols.as_ref().map_or(f64::NAN, |c| c.num);
        for k in 0..items.len {
            self.charge_items(1)?;
            if let Some(frame) = self.frames.last_mut() {
                set_var(frame, &spec.var, items.get(k));
            }
            let i = state.i.get() as f64;
            let col0 = i % cols;
            if col0 == 0.0 {
                let row = (i / cols).floor() + 1.0;
                if row != 1.0 {
                    self.write_plain(out, "</tr>")?;
                }
                self.write_plain(out, &format!("<tr class=\"row{}\">", json::f64_text(row)))?;
            }
            self.write_plain(out, &format!("<td class=\"col{}\">", json::f64_text(col0 + 1.0)))?;
            self.render_nodes(body, src, out)?;
            self.write_plain(out, "</td>")?;
            state.i.set(state.i.get() + 1);
        }
        if items.len > 0 {
            self.write_plain(out, "</tr>")?;
        }
        Ok(())
    }

    /// Looks up a top-level variable as liquidjs's `findScope` + `readProperty` do.
    fn lookup_root(&self, key: &Key<'_, 'a>, root: Root<'_, 'a>) -> Val<'a> {
        let name: std::borrow::Cow<'_, str> = match key {
            Key::Name(s) => std::borrow::Cow::Borrowed(s),
            Key::Val(v) => js_string(v),
        };
        if let Root::Item(item) = root {
            if has_own(item, &name) {
                return get_prop(item, key);
            }
            return if name == "size" { Val::Num(0.0) } else { Val::Undef };
        }
        for frame in self.frames.iter().rev() {
            if let Some((_, v)) = frame.iter().find(|(k, _)| **k == *name) {
                return v.clone();
            }
        }
        if let Some((_, v)) = self.bottom.iter().find(|(k, _)| **k == *name) {
            return v.clone();
        }
        if let Some((_, v)) = self.counters.iter().find(|(k, _)| **k == *name) {
            return Val::Num(*v);
        }
        match self.env.get(&*name) {
            Some(v) => Val::from_json(v),
            None if name == "size" => Val::Num(0.0),
            None => Val::Undef,
        }
    }

    fn prop_key<'k>(&mut self, t: &'k Token, root: Root<'_, 'a>) -> Result<Key<'k, 'a>> {
        Ok(match t {
            Token::Ident(s) => Key::Name(s),
            Token::Quoted(s) => Key::Name(s),
            other => Key::Val(self.eval_token(other, root)?.to_value()),
        })
    }

    /// Evaluates a value token (drops are kept, as liquidjs's operators need them).
    pub(crate) fn eval_token(&mut self, t: &Token, root: Root<'_, 'a>) -> Result<Val<'a>> {
        Ok(match t {
            Token::Literal(Literal::True) => Val::Bool(true),
            Token::Literal(Literal::False) => Val::Bool(false),
            Token::Literal(Literal::Nil) => Val::Drop(Drop::Nil),
            Token::Literal(Literal::Empty) => Val::Drop(Drop::Empty),
            Token::Literal(Literal::Blank) => Val::Drop(Drop::Blank),
            Token::Number(n) => Val::Num(*n),
            Token::Quoted(s) | Token::Ident(s) => Val::Str(Str::Lit(s.clone())),
            Token::Range(lo, hi) => {
                // liquidjs builds the whole array: a range costs its length (loops walk theirs lazily).
                let range = self.eval_range(lo, hi, root)?;
                self.charge_items(range.len)?;
                Val::Range(range)
            }
            Token::Prop { var, props } => {
                let mut rest = props.iter();
                let mut cur = match var {
                    Some(v) => self.eval_token(v, root)?,
                    None => match rest.next() {
                        Some(first) => {
                            let key = self.prop_key(first, root)?;
                            self.lookup_root(&key, root)
                        }
                        None => Val::Undef,
                    },
                };
                for p in rest {
                    let key = self.prop_key(p, root)?;
                    if let Val::Str(s) = &cur {
                        // Positions and lengths of JavaScript strings are counted in UTF-16 units.
                        self.charge_bytes(s.as_str().len())?;
                    }
                    cur = get_prop(&cur, &key);
                }
                cur
            }
        })
    }

    fn eval_range(&mut self, lo: &Token, hi: &Token, root: Root<'_, 'a>) -> Result<RangeVal> {
        let lo = js_number(&self.eval_token(lo, root)?.to_value());
        let hi = js_number(&self.eval_token(hi, root)?.to_value());
        Ok(RangeVal::new(lo, hi))
    }

    /// The collection of a loop; a literal range is walked lazily (each iteration is charged instead).
    fn eval_collection(&mut self, t: &Token) -> Result<Val<'a>> {
        match t {
            Token::Range(lo, hi) => Ok(Val::Range(self.eval_range(lo, hi, Root::Scopes)?)),
            t => self.eval_token(t, Root::Scopes),
        }
    }

    fn eval_expr(&mut self, expr: &[ExprItem], root: Root<'_, 'a>) -> Result<Val<'a>> {
        if let [ExprItem::Operand(t)] = expr {
            return self.eval_token(t, root);
        }
        let mut stack: Vec<Val<'a>> = Vec::new();
        for item in expr {
            match item {
                ExprItem::Operand(t) => {
                    let v = self.eval_token(t, root)?;
                    stack.push(v);
                }
                ExprItem::Op(op) => {
                    let r = stack.pop().unwrap_or(Val::Undef);
                    let v = if *op == Op::Not {
                        Val::Bool(!r.is_truthy())
                    } else {
                        let l = stack.pop().unwrap_or(Val::Undef);
                        self.binary(*op, &l, &r)?
                    };
                    stack.push(v);
                }
            }
        }
        Ok(stack.into_iter().next().unwrap_or(Val::Undef))
    }

    fn binary(&mut self, op: Op, l: &Val<'a>, r: &Val<'a>) -> Result<Val<'a>> {
        use std::cmp::Ordering::*;
        self.charge_operands(l, r)?;
        Ok(Val::Bool(match op {
            Op::Eq => equals(l, r),
            Op::Ne => !equals(l, r),
            Op::Gt => relational(l, r, |o| o == Greater),
            Op::Lt => relational(l, r, |o| o == Less),
            Op::Ge => relational(l, r, |o| o != Less),
            Op::Le => relational(l, r, |o| o != Greater),
            Op::Contains => contains(l, r),
            Op::And => l.is_truthy() && r.is_truthy(),
            Op::Or => l.is_truthy() || r.is_truthy(),
            Op::Not => !r.is_truthy(),
        }))
    }

    /// Charges what comparing two values walks: string bytes and array elements.
    fn charge_operands(&mut self, l: &Val<'a>, r: &Val<'a>) -> Result<()> {
        let bytes = l.as_str().map_or(0, str::len) + r.as_str().map_or(0, str::len);
        if bytes > 0 {
            self.charge_bytes(bytes)?;
        }
        let items = l.array_len().unwrap_or(0) + r.array_len().unwrap_or(0);
        if items > 0 {
            self.charge_items(items)?;
        }
        Ok(())
    }

    /// An expression and its filters.
    pub(crate) fn eval_filtered(&mut self, fv: &FilteredValue, root: Root<'_, 'a>) -> Result<Val<'a>> {
        let mut v = self.eval_expr(&fv.expr, root)?;
        for call in &fv.filters {
            let mut args = Vec::with_capacity(call.args.len());
            for arg in &call.args {
                args.push(match arg {
                    super::ast::FilterArg::Pos(t) => self.eval_token(t, root)?,
                    super::ast::FilterArg::Kw(key, t) => {
                        let value = match t {
                            Some(t) => self.eval_token(t, root)?,
                            None => Val::Undef,
                        };
                        Val::array(vec![Val::Str(Str::Lit(key.clone())), value]).unwrap_or(Val::Undef)
                    }
                });
            }
            v = filters::apply(self, call.id, v, args)?;
        }
        Ok(v)
    }

    /// Runs `f` with `{name: item}` pushed as the innermost scope (the `*_exp` filters).
    pub(crate) fn with_item<T>(
        &mut self,
        name: &Arc<str>,
        item: Val<'a>,
        f: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        self.frames.push(vec![(name.clone(), item)]);
        let result = f(self);
        self.frames.pop();
        result
    }
}

fn set_var<'a>(frame: &mut Frame<'a>, key: &Arc<str>, v: Val<'a>) {
    match frame.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = v,
        None => frame.push((key.clone(), v)),
    }
}

/// `key in Object(item)` restricted to own properties (inherited ones read as undefined anyway).
fn has_own(item: &Val<'_>, name: &str) -> bool {
    match item {
        Val::Json(Value::Object(m)) => m.contains_key(name),
        Val::Obj(o) => o.entries.iter().any(|(k, _)| &**k == name),
        Val::Str(s) => name == "length" || name.parse::<usize>().is_ok_and(|i| i < super::chars::utf16_len(s.as_str())),
        v if v.is_array() => {
            name == "length"
                || name.parse::<usize>().is_ok_and(|i| i < v.array_len().unwrap_or(0) && i.to_string() == name)
        }
        _ => false,
    }
}

/// JavaScript `a + b`: string concatenation when either side is (or converts to) a string.
pub(crate) fn js_add<'a>(a: &Val<'a>, b: &Val<'a>) -> Val<'a> {
    let prim = |v: &Val<'a>| match v {
        Val::Drop(_) => v.to_value(),
        v if v.is_object_like() => Val::str(js_string(v).into_owned()),
        v => v.clone(),
    };
    let (pa, pb) = (prim(a), prim(b));
    if matches!(pa, Val::Str(_)) || matches!(pb, Val::Str(_)) {
        Val::str(format!("{}{}", js_string(&pa), js_string(&pb)))
    } else {
        Val::Num(js_number(&pa) + js_number(&pb))
    }
}

/// A scalar copy of a value that outlives the render (for `tablerowloop.cols`).
fn static_scalar(v: &Val<'_>) -> Val<'static> {
    match v {
        Val::Null => Val::Null,
        Val::Bool(b) => Val::Bool(*b),
        Val::Num(n) => Val::Num(*n),
        Val::Str(s) => Val::str(s.as_str()),
        _ => Val::Undef,
    }
}

/// The items a loop walks over.
enum Seq<'a> {
    Items(Vec<Val<'a>>),
    Range(RangeVal),
}

impl<'a> Seq<'a> {
    fn of(v: &Val<'a>) -> Seq<'a> {
        match v.to_value() {
            Val::Range(r) => Seq::Range(r),
            v => Seq::Items(to_enumerable(&v)),
        }
    }

    fn len(&self) -> usize {
        match self {
            Seq::Items(items) => items.len(),
            Seq::Range(r) => r.len,
        }
    }

    fn get(&self, i: usize) -> Val<'a> {
        match self {
            Seq::Items(items) => items.get(i).cloned().unwrap_or(Val::Undef),
            Seq::Range(r) => Val::Num(r.get(i)),
        }
    }
}

/// The part of a loop's items that is walked, after `offset`, `limit` and `reversed`.
struct Window<'s, 'a> {
    seq: &'s Seq<'a>,
    start: usize,
    len: usize,
    reversed: bool,
}

impl<'a> Window<'_, 'a> {
    /// The `k`-th item walked.
    fn get(&self, k: usize) -> Val<'a> {
        let idx = if self.reversed { self.start + self.len - 1 - k } else { self.start + k };
        self.seq.get(idx)
    }
}
