//! Reading values, expressions and filters inside tags, following liquidjs's tokenizer step by step (its
//! quirks decide which inputs are errors and how odd inputs are read, so they are kept).
//!
//! String literals are read without escape sequences: upstream renders controls as JSON text, where every
//! backslash of a control value arrives doubled, so a backslash inside a literal always stands for itself.

use std::sync::Arc;

use super::ast::{ExprItem, FilterArg, FilterCall, FilteredValue, HashArgs, Literal, Op, Token};
use super::chars::{is_blank, is_quote, is_word};
use super::error::{LiquidError, Result};
use super::filters::FilterId;
use super::jsnum::parse_js_number;

/// Deepest nesting of ranges and brackets accepted inside one value.
const MAX_VALUE_DEPTH: u32 = 64;

const OPERATORS: [(&str, Op); 10] = [
    ("==", Op::Eq),
    ("!=", Op::Ne),
    (">=", Op::Ge),
    ("<=", Op::Le),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("contains", Op::Contains),
    ("not", Op::Not),
    ("and", Op::And),
    ("or", Op::Or),
];

const LITERALS: [(&str, Literal); 6] = [
    ("true", Literal::True),
    ("false", Literal::False),
    ("nil", Literal::Nil),
    ("null", Literal::Nil),
    ("empty", Literal::Empty),
    ("blank", Literal::Blank),
];

/// A position in a byte range of the template source.
pub struct Cursor<'s> {
    pub src: &'s str,
    pub p: usize,
    pub n: usize,
    depth: u32,
}

impl<'s> Cursor<'s> {
    pub fn new(src: &'s str, begin: usize, end: usize) -> Cursor<'s> {
        Cursor { src, p: begin, n: end.max(begin).min(src.len()), depth: 0 }
    }

    pub fn end(&self) -> bool {
        self.p >= self.n
    }

    pub fn peek(&self) -> Option<char> {
        self.char_at(self.p)
    }

    fn char_at(&self, i: usize) -> Option<char> {
        if i < self.n { self.src.get(i..self.n).and_then(|s| s.chars().next()) } else { None }
    }

    fn byte_at(&self, i: usize) -> Option<u8> {
        if i < self.n { self.src.as_bytes().get(i).copied() } else { None }
    }

    fn advance_char(&mut self) {
        if let Some(c) = self.peek() {
            self.p += c.len_utf8();
        } else {
            self.p += 1;
        }
    }

    pub fn skip_blank(&mut self) {
        while let Some(c) = self.peek() {
            if !is_blank(c) {
                break;
            }
            self.p += c.len_utf8();
        }
    }

    pub fn error(&self, msg: impl Into<String>) -> LiquidError {
        LiquidError::tokenization(msg)
    }

    /// A short quote of the input from `begin`, for error messages.
    pub fn snapshot(&self, begin: usize) -> String {
        let rest = self.src.get(begin.min(self.n)..self.n).unwrap_or("");
        let short: String = if rest.chars().count() > 32 {
            rest.chars().take(29).chain("...".chars()).collect()
        } else {
            rest.to_string()
        };
        crate::json::stringify(&serde_json::Value::String(short))
    }

    /// Whether the bytes just before the cursor are `pat`.
    pub fn rmatch(&self, pat: &str) -> bool {
        self.p >= pat.len() && self.src.as_bytes().get(self.p - pat.len()..self.p) == Some(pat.as_bytes())
    }

    /// Moves past the next occurrence of `pat`; at the end of the range when there is none.
    pub fn read_to(&mut self, pat: &str) -> Option<usize> {
        while self.p < self.n {
            self.advance_char();
            if self.rmatch(pat) {
                return Some(self.p);
            }
        }
        None
    }

    /// An identifier (possibly empty), after skipping blanks; returns its byte range.
    pub fn read_identifier(&mut self) -> (usize, usize) {
        self.skip_blank();
        let begin = self.p;
        while let Some(c) = self.peek() {
            if !is_word(c) {
                break;
            }
            self.p += c.len_utf8();
        }
        (begin, self.p)
    }

    pub fn read_identifier_str(&mut self) -> &'s str {
        let (b, e) = self.read_identifier();
        &self.src[b..e]
    }

    fn read_non_empty_identifier(&mut self) -> Option<Arc<str>> {
        let id = self.read_identifier_str();
        (!id.is_empty()).then(|| Arc::from(id))
    }

    /// The name of a tag: an identifier, or `#` for inline comments.
    pub fn read_tag_name(&mut self) -> &'s str {
        self.skip_blank();
        if self.byte_at(self.p) == Some(b'#') {
            self.p += 1;
            return "#";
        }
        self.read_identifier_str()
    }

    pub fn remaining(&self) -> &'s str {
        self.src.get(self.p.min(self.n)..self.n).unwrap_or("")
    }

    /// Longest keyword of `table` at the cursor that is not followed by a word character (when it ends in
    /// one), as liquidjs's keyword trie matches.
    fn match_keyword<T: Copy>(&self, table: &[(&str, T)]) -> Option<(usize, T)> {
        let rest = self.remaining();
        let mut best: Option<(usize, T, bool)> = None;
        for &(word, value) in table {
            if rest.starts_with(word) && best.is_none_or(|(len, _, _)| word.len() > len) {
                let needs_boundary = word.chars().last().is_some_and(is_word);
                best = Some((word.len(), value, needs_boundary));
            }
        }
        let (len, value, needs_boundary) = best?;
        if needs_boundary && self.char_at(self.p + len).is_some_and(is_word) {
            return None;
        }
        Some((self.p + len, value))
    }

    fn read_operator(&mut self) -> Option<Op> {
        self.skip_blank();
        let (end, op) = self.match_keyword(&OPERATORS)?;
        self.p = end;
        Some(op)
    }

    /// The operands and operators of an expression, in postfix order.
    pub fn read_expression(&mut self) -> Result<Vec<ExprItem>> {
        let mut out = Vec::new();
        let mut ops: Vec<Op> = Vec::new();
        while self.p < self.n {
            if let Some(op) = self.read_operator() {
                while ops.last().is_some_and(|top| precedence(*top) > precedence(op)) {
                    out.extend(ops.pop().map(ExprItem::Op));
                }
                ops.push(op);
                continue;
            }
            match self.read_value()? {
                Some(v) => out.push(ExprItem::Operand(v)),
                None => break,
            }
        }
        while let Some(op) = ops.pop() {
            out.push(ExprItem::Op(op));
        }
        Ok(out)
    }

    /// `expression | filter: args | …`.
    pub fn read_filtered_value(&mut self) -> Result<FilteredValue> {
        let begin = self.p;
        let expr = self.read_expression()?;
        if expr.is_empty() {
            return Err(self.error(format!("invalid value expression: {}", self.snapshot(self.p.max(begin)))));
        }
        let filters = self.read_filters()?;
        Ok(FilteredValue { expr, filters })
    }

    pub fn read_filters(&mut self) -> Result<Vec<FilterCall>> {
        let mut filters = Vec::new();
        while let Some(f) = self.read_filter()? {
            filters.push(f);
        }
        Ok(filters)
    }

    fn read_filter(&mut self) -> Result<Option<FilterCall>> {
        self.skip_blank();
        if self.end() {
            return Ok(None);
        }
        if matches!(self.peek(), Some(')' | ',')) {
            return Ok(None);
        }
        if self.peek() != Some('|') {
            self.advance_char();
            return Err(self.error("expected \"|\" before filter"));
        }
        self.p += 1;
        let name = self.read_identifier_str();
        if name.is_empty() {
            if !self.end() {
                return Err(self.error("expected filter name"));
            }
            return Ok(None);
        }
        let mut args = Vec::new();
        self.skip_blank();
        if self.peek() == Some(':') {
            loop {
                self.p += 1;
                if let Some(arg) = self.read_filter_arg()? {
                    args.push(arg);
                }
                self.skip_blank();
                if !(self.end() || matches!(self.peek(), Some(',' | '|' | ')'))) {
                    return Err(self.error(format!("unexpected character {}", self.snapshot(self.p))));
                }
                if self.peek() != Some(',') {
                    break;
                }
            }
        } else if !(self.end() || matches!(self.peek(), Some('|' | ')' | ','))) {
            return Err(self.error("expected \":\" after filter name"));
        }
        Ok(Some(FilterCall { id: FilterId::lookup(name), args }))
    }

    fn read_filter_arg(&mut self) -> Result<Option<FilterArg>> {
        self.skip_blank();
        let begin = self.p;
        let Some(key) = self.read_value()? else {
            return Ok(None);
        };
        let key_text = &self.src[begin..self.p];
        self.skip_blank();
        if self.peek() != Some(':') {
            return Ok(Some(FilterArg::Pos(key)));
        }
        self.p += 1;
        let value = self.read_value()?;
        Ok(Some(FilterArg::Kw(Arc::from(key_text), value)))
    }

    /// One value: literal, string, number, range, or property access; `None` when there is none.
    pub fn read_value(&mut self) -> Result<Option<Token>> {
        self.depth += 1;
        if self.depth > MAX_VALUE_DEPTH {
            return Err(LiquidError::parse("expression nested too deeply"));
        }
        let result = self.read_value_inner();
        self.depth -= 1;
        result
    }

    fn read_value_inner(&mut self) -> Result<Option<Token>> {
        self.skip_blank();
        let mut variable = self.read_literal();
        if variable.is_none() {
            variable = self.read_quoted();
        }
        if variable.is_none() {
            variable = self.read_number();
        }
        if variable.is_none() && self.peek() == Some('(') {
            variable = Some(self.read_range()?);
        }
        let props = self.read_properties(variable.is_none())?;
        if props.is_empty() {
            return Ok(variable);
        }
        Ok(Some(Token::Prop { var: variable.map(Box::new), props }))
    }

    /// A variable path for `where`-like filters (`a.b[0]`).
    pub fn read_scope_value(&mut self) -> Result<Option<Token>> {
        self.skip_blank();
        let props = self.read_properties(true)?;
        Ok((!props.is_empty()).then_some(Token::Prop { var: None, props }))
    }

    fn read_properties(&mut self, is_begin: bool) -> Result<Vec<Token>> {
        let mut props = Vec::new();
        loop {
            if self.peek() == Some('[') {
                self.p += 1;
                let prop = self.read_value()?.unwrap_or_else(|| Token::Ident(Arc::from("")));
                if self.read_to("]").is_none() {
                    return Err(self.error("[ not closed"));
                }
                props.push(prop);
                continue;
            }
            if is_begin
                && props.is_empty()
                && let Some(id) = self.read_non_empty_identifier()
            {
                props.push(Token::Ident(id));
                continue;
            }
            if self.peek() == Some('.') && self.char_at(self.p + 1) != Some('.') {
                self.p += 1;
                match self.read_non_empty_identifier() {
                    Some(id) => props.push(Token::Ident(id)),
                    None => break,
                }
                continue;
            }
            break;
        }
        Ok(props)
    }

    fn read_number(&mut self) -> Option<Token> {
        self.skip_blank();
        let mut k = self.p;
        if matches!(self.byte_at(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let mut digit_found = false;
        let mut decimal_found = false;
        while k <= self.n {
            match self.byte_at(k) {
                Some(b) if b.is_ascii_digit() => {
                    digit_found = true;
                    k += 1;
                }
                Some(b'.') if self.byte_at(k + 1) != Some(b'.') => {
                    if decimal_found || !digit_found {
                        return None;
                    }
                    decimal_found = true;
                    k += 1;
                }
                _ => break,
            }
        }
        if digit_found && !self.char_at(k).is_some_and(is_word) {
            let value = parse_js_number(&self.src[self.p..k]);
            self.p = k;
            return Some(Token::Number(value));
        }
        None
    }

    fn read_literal(&mut self) -> Option<Token> {
        self.skip_blank();
        let (end, lit) = self.match_keyword(&LITERALS)?;
        self.p = end;
        Some(Token::Literal(lit))
    }

    pub fn read_quoted(&mut self) -> Option<Token> {
        self.skip_blank();
        let quote = self.peek().filter(|c| is_quote(*c))?;
        let begin = self.p;
        self.p += 1;
        while self.p < self.n {
            let c = self.peek();
            self.advance_char();
            if c == Some(quote) {
                break;
            }
        }
        // liquidjs drops the first and the last character of the token, closing quote or not.
        let text = &self.src[begin..self.p];
        let inner = text.get(1..).unwrap_or("");
        let inner = match inner.char_indices().last() {
            Some((i, _)) => &inner[..i],
            None => inner,
        };
        Some(Token::Quoted(Arc::from(inner)))
    }

    fn read_range(&mut self) -> Result<Token> {
        self.skip_blank();
        self.p += 1;
        let lhs = self.read_value_or_throw()?;
        self.skip_blank();
        if self.remaining().starts_with("..") {
            self.p += 2;
            let rhs = self.read_value_or_throw()?;
            self.skip_blank();
            let close = self.peek();
            self.advance_char();
            if close != Some(')') {
                return Err(self.error("invalid range syntax"));
            }
            return Ok(Token::Range(Box::new(lhs), Box::new(rhs)));
        }
        Err(self.error("invalid range syntax"))
    }

    fn read_value_or_throw(&mut self) -> Result<Token> {
        match self.read_value()? {
            Some(v) => Ok(v),
            None => Err(self.error(format!("unexpected token {}, value expected", self.snapshot(self.p)))),
        }
    }

    /// `name: value` pairs of `for` / `tablerow`; stops silently at anything else.
    pub fn read_hashes(&mut self) -> Result<HashArgs> {
        let mut hash: HashArgs = Vec::new();
        loop {
            self.skip_blank();
            if self.peek() == Some(',') {
                self.p += 1;
            }
            let Some(name) = self.read_non_empty_identifier() else {
                return Ok(hash);
            };
            self.skip_blank();
            let value = if self.peek() == Some(':') {
                self.p += 1;
                self.read_value()?
            } else {
                None
            };
            match hash.iter_mut().find(|(k, _)| *k == name) {
                Some(slot) => slot.1 = value,
                None => hash.push((name, value)),
            }
        }
    }
}

fn precedence(op: Op) -> u8 {
    match op {
        Op::Eq | Op::Ne | Op::Gt | Op::Lt | Op::Ge | Op::Le | Op::Contains => 2,
        Op::Not => 1,
        Op::And | Op::Or => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(src: &str) -> Option<Token> {
        Cursor::new(src, 0, src.len()).read_value().unwrap()
    }

    #[test]
    fn numbers_and_identifiers() {
        assert!(matches!(value("-1.5"), Some(Token::Number(n)) if n == -1.5));
        assert!(matches!(value("1."), Some(Token::Number(n)) if n == 1.0));
        assert!(matches!(value("1a"), Some(Token::Prop { var: None, .. })));
        assert!(matches!(value("steps.custom-1.n"), Some(Token::Prop { props, .. }) if props.len() == 3));
        assert!(matches!(value("nil.x"), Some(Token::Prop { var: Some(_), .. })));
        assert!(matches!(value("nothing"), Some(Token::Prop { .. })));
    }

    #[test]
    fn quoted_literals_keep_backslashes() {
        assert!(matches!(value(r"'a\nb'"), Some(Token::Quoted(s)) if &*s == r"a\nb"));
        assert!(matches!(value("\"x'y\""), Some(Token::Quoted(s)) if &*s == "x'y"));
        assert!(matches!(value("'abc"), Some(Token::Quoted(s)) if &*s == "ab"));
    }

    #[test]
    fn operators_are_right_associative() {
        let src = "a or b and c";
        let expr = Cursor::new(src, 0, src.len()).read_expression().unwrap();
        let ops: Vec<_> = expr.iter().filter_map(|e| if let ExprItem::Op(o) = e { Some(*o) } else { None }).collect();
        assert_eq!(ops, vec![Op::And, Op::Or]);
    }

    #[test]
    fn malformed_values_fail_like_liquidjs() {
        let mut c = Cursor::new("a[0", 0, 3);
        assert_eq!(c.read_value().unwrap_err().kind, super::super::error::ErrorKind::Tokenization);
        let deep = "(".repeat(200) + "1";
        let mut c = Cursor::new(&deep, 0, deep.len());
        assert!(c.read_value().is_err());
    }
}
