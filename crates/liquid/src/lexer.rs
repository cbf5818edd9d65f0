//! Splitting a template into text, `{% tag %}` and `{{ output }}` tokens, then applying whitespace control.

use super::chars::{is_blank, is_quote, is_trimmable};
use super::error::{LiquidError, Result};
use super::tokenizer::Cursor;

#[derive(Clone, Debug)]
pub enum TopToken {
    /// Text; `begin..end` after whitespace control trimmed it.
    Text { begin: usize, end: usize, raw_begin: usize, raw_end: usize },
    /// A tag: its name, the byte range of its arguments and of the whole token.
    Tag { name: String, args: (usize, usize), whole: (usize, usize), trim_left: bool, trim_right: bool },
    /// An output: the byte range of its expression.
    Output { content: (usize, usize), trim_left: bool, trim_right: bool },
}

impl TopToken {
    fn trims(&self) -> (bool, bool) {
        match self {
            TopToken::Tag { trim_left, trim_right, .. } | TopToken::Output { trim_left, trim_right, .. } => {
                (*trim_left, *trim_right)
            }
            TopToken::Text { .. } => (false, false),
        }
    }
}

/// The content range of a delimited token with its `-` markers and surrounding blanks removed.
fn delimited_content(src: &str, begin: usize, end: usize) -> (usize, usize, bool, bool) {
    let bytes = src.as_bytes();
    let tl = bytes.get(begin) == Some(&b'-') && begin < src.len();
    let tr = end >= 1 && bytes.get(end - 1) == Some(&b'-');
    let mut l = if tl { begin + 1 } else { begin };
    let mut r = if tr { end.saturating_sub(1) } else { end };
    while l < r {
        match src[l..].chars().next() {
            Some(c) if is_blank(c) => l += c.len_utf8(),
            _ => break,
        }
    }
    while r > l {
        match src[..r].chars().next_back() {
            Some(c) if is_blank(c) => r -= c.len_utf8(),
            _ => break,
        }
    }
    (l, r, tl, tr)
}

/// A tag token from `begin` (at `{%`) to `end` (after `%}`); reads its name.
pub fn tag_token(src: &str, begin: usize, end: usize, delimited: bool) -> Result<TopToken> {
    let (cb, ce) = if delimited { (begin + 2, end.saturating_sub(2)) } else { (begin, end) };
    let (l, r, tl, tr) = if cb <= ce { delimited_content(src, cb, ce) } else { (cb, cb, false, false) };
    let mut cursor = Cursor::new(src, l, r);
    let name = cursor.read_tag_name();
    if name.is_empty() {
        return Err(LiquidError::tokenization(if delimited {
            "illegal tag syntax, tag name expected"
        } else {
            "illegal liquid tag syntax"
        }));
    }
    let name = name.to_string();
    cursor.skip_blank();
    Ok(TopToken::Tag { name, args: (cursor.p, cursor.n), whole: (begin, end), trim_left: tl, trim_right: tr })
}

struct Lexer<'s> {
    src: &'s str,
    p: usize,
    raw_begin: Option<usize>,
}

impl<'s> Lexer<'s> {
    fn starts(&self, pat: &str) -> bool {
        self.src.as_bytes().get(self.p..self.p + pat.len()) == Some(pat.as_bytes())
    }

    fn rmatch(&self, pat: &str) -> bool {
        self.p >= pat.len() && self.src.as_bytes().get(self.p - pat.len()..self.p) == Some(pat.as_bytes())
    }

    fn step(&mut self) {
        self.p += self.src[self.p..].chars().next().map_or(1, char::len_utf8);
    }

    fn read_to(&mut self, pat: &str) -> Option<usize> {
        while self.p < self.src.len() {
            self.step();
            if self.rmatch(pat) {
                return Some(self.p);
            }
        }
        None
    }

    fn snapshot(&self, begin: usize) -> String {
        Cursor::new(self.src, begin, self.src.len()).snapshot(begin)
    }

    /// Scans to just after `delimiter`; in outputs, quoted strings are skipped whole.
    fn read_to_delimiter(&mut self, delimiter: &str, respect_quoted: bool) -> Option<usize> {
        while self.p < self.src.len() {
            if respect_quoted && let Some(q) = self.src[self.p..].chars().next().filter(|c| is_quote(*c)) {
                self.p += 1;
                while self.p < self.src.len() {
                    let c = self.src[self.p..].chars().next();
                    self.step();
                    if c == Some(q) {
                        break;
                    }
                }
                continue;
            }
            self.step();
            if self.rmatch(delimiter) {
                return Some(self.p);
            }
        }
        None
    }

    fn next_token(&mut self) -> Result<TopToken> {
        if self.raw_begin.is_some() {
            return self.read_raw_content();
        }
        let begin = self.p;
        if self.starts("{%") {
            if self.read_to_delimiter("%}", false).is_none() {
                return Err(LiquidError::tokenization(format!("tag {} not closed", self.snapshot(begin))));
            }
            let token = tag_token(self.src, begin, self.p, true)?;
            if matches!(&token, TopToken::Tag { name, .. } if name == "raw") {
                self.raw_begin = Some(begin);
            }
            return Ok(token);
        }
        if self.starts("{{") {
            if self.read_to_delimiter("}}", true).is_none() {
                return Err(LiquidError::tokenization(format!("output {} not closed", self.snapshot(begin))));
            }
            let (cb, ce) = (begin + 2, self.p.saturating_sub(2));
            let (l, r, tl, tr) = if cb <= ce { delimited_content(self.src, cb, ce) } else { (cb, cb, false, false) };
            return Ok(TopToken::Output { content: (l, r), trim_left: tl, trim_right: tr });
        }
        while self.p < self.src.len() && !self.starts("{%") && !self.starts("{{") {
            self.step();
        }
        Ok(TopToken::Text { begin, end: self.p, raw_begin: begin, raw_end: self.p })
    }

    /// Inside `{% raw %}`: everything up to `{% endraw %}` is one text token.
    fn read_raw_content(&mut self) -> Result<TopToken> {
        let begin = self.p;
        let mut left = self.read_to("{%").map(|p| p - 2);
        while self.p < self.src.len() {
            let mut ident = Cursor::new(self.src, self.p, self.src.len());
            let word = ident.read_identifier_str();
            self.p = ident.p;
            if word != "endraw" {
                left = self.read_to("{%").map(|p| p - 2);
                continue;
            }
            while self.p <= self.src.len() {
                if self.rmatch("%}") {
                    let end = self.p;
                    if left == Some(begin) {
                        self.raw_begin = None;
                        return tag_token(self.src, begin, end, true);
                    }
                    let stop = left.unwrap_or(begin);
                    self.p = stop;
                    return Ok(TopToken::Text { begin, end: stop, raw_begin: begin, raw_end: stop });
                }
                if self.rmatch("{%") {
                    break;
                }
                if self.p >= self.src.len() {
                    self.p += 1;
                    break;
                }
                self.step();
            }
        }
        let from = self.raw_begin.unwrap_or(begin);
        Err(LiquidError::tokenization(format!("raw {} not closed", self.snapshot(from))))
    }
}

/// Tokenizes a whole template and applies whitespace control.
pub fn tokenize(src: &str) -> Result<Vec<TopToken>> {
    let mut lexer = Lexer { src, p: 0, raw_begin: None };
    let mut tokens = Vec::new();
    while lexer.p < src.len() {
        tokens.push(lexer.next_token()?);
    }
    whitespace_control(src, &mut tokens);
    Ok(tokens)
}

fn whitespace_control(src: &str, tokens: &mut [TopToken]) {
    let mut in_raw = false;
    for i in 0..tokens.len() {
        let (trim_left, trim_right) = tokens[i].trims();
        if !matches!(tokens[i], TopToken::Tag { .. } | TopToken::Output { .. }) {
            continue;
        }
        if !in_raw
            && trim_left
            && i > 0
            && let TopToken::Text { begin, end, .. } = &mut tokens[i - 1]
        {
            while *end > *begin {
                match src[..*end].chars().next_back() {
                    Some(c) if is_trimmable(c) => *end -= c.len_utf8(),
                    _ => break,
                }
            }
        }
        if let TopToken::Tag { name, .. } = &tokens[i] {
            if name == "raw" {
                in_raw = true;
            } else if name == "endraw" {
                in_raw = false;
            }
        }
        if !in_raw
            && trim_right
            && let Some(TopToken::Text { begin, end, .. }) = tokens.get_mut(i + 1)
        {
            while *begin < *end {
                match src[*begin..].chars().next() {
                    Some(c) if is_trimmable(c) => *begin += c.len_utf8(),
                    _ => break,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<String> {
        tokenize(src)
            .unwrap()
            .iter()
            .map(|t| match t {
                TopToken::Text { begin, end, .. } => {
                    format!("T({})", &src[*begin..(*end).max(*begin)])
                }
                TopToken::Tag { name, args, .. } => format!("G({name}:{})", &src[args.0..args.1]),
                TopToken::Output { content, .. } => format!("O({})", &src[content.0..content.1]),
            })
            .collect()
    }

    #[test]
    fn splits_text_tags_and_outputs() {
        assert_eq!(kinds("a {{ x }}b{% if y %}c"), vec!["T(a )", "O(x)", "T(b)", "G(if:y)", "T(c)"]);
        assert_eq!(kinds("{{ 'a}}' }}"), vec!["O('a}}')"]);
    }

    #[test]
    fn whitespace_control_trims_spaces_only() {
        assert_eq!(kinds("a  {{- x -}}  b"), vec!["T(a)", "O(x)", "T(b)"]);
        assert_eq!(kinds("a\n {%- if x -%}\n b"), vec!["T(a\n)", "G(if:x)", "T(\n b)"]);
    }

    #[test]
    fn raw_blocks_are_one_text() {
        assert_eq!(kinds("{% raw %}{{ x }}{% if %}{% endraw %}"), vec!["G(raw:)", "T({{ x }}{% if %})", "G(endraw:)"]);
        assert!(tokenize("{% raw %}x").is_err());
    }

    #[test]
    fn unterminated_delimiters_are_tokenization_errors() {
        for src in ["{{ x", "{% if x", "{%}", "{{ 'x }}", "{%   %}"] {
            let err = tokenize(src).unwrap_err();
            assert_eq!(err.kind, super::super::error::ErrorKind::Tokenization, "{src}");
        }
    }
}
