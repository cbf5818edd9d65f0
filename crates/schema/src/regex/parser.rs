//! The ECMAScript pattern grammar, in Unicode mode (`u` flag) and in the legacy mode of Annex B.

use super::properties::{BINARY_PROPERTIES, GENERAL_CATEGORIES, is_script_name};
use super::{Class, ClassEscape, ClassItem, Node};

/// Upper bound for `{n,m}` counts kept in the tree; JavaScript clamps huge counts the same way.
const COUNT_CAP: u32 = u32::MAX;

/// Parses a pattern; `unicode` selects the `u`-flag grammar, otherwise the legacy (Annex B) one.
pub(crate) fn parse(source: &str, unicode: bool) -> Result<Node, String> {
    let chars: Vec<char> = source.chars().collect();
    let (groups, names) = scan_groups(&chars);
    let mut p = Parser { chars, pos: 0, unicode, groups, names, depth: 0, seen_names: Vec::new(), captures: 0 };
    let node = p.disjunction()?;
    if p.pos < p.chars.len() {
        // Only an unmatched `)` stops the top-level disjunction early.
        return Err(p.error("Unmatched ')'"));
    }
    Ok(node)
}

/// Counts capturing groups and collects group names with their capture index (1-based, by the group's `(`)
/// ahead of parsing: a backreference may point forward.
fn scan_groups(chars: &[char]) -> (u32, Vec<(String, u32)>) {
    let mut count = 0;
    let mut names = Vec::new();
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => {
                if chars.get(i + 1) != Some(&'?') {
                    count += 1;
                } else if chars.get(i + 2) == Some(&'<') && !matches!(chars.get(i + 3), Some('=') | Some('!')) {
                    count += 1;
                    let name: String = chars[i + 3..].iter().take_while(|&&c| c != '>').collect();
                    names.push((name, count));
                }
            }
            _ => {}
        }
        i += 1;
    }
    (count, names)
}

/// Parser nesting limit, so that hostile patterns cannot exhaust the stack.
const MAX_NESTING: usize = 256;

struct Parser {
    chars: Vec<char>,
    pos: usize,
    unicode: bool,
    groups: u32,
    names: Vec<(String, u32)>,
    depth: usize,
    seen_names: Vec<String>,
    /// Capturing groups opened so far (their numbers follow the order of their `(`).
    captures: u32,
}

impl Parser {
    fn error(&self, what: &str) -> String {
        let source: String = self.chars.iter().collect();
        let flags = if self.unicode { "u" } else { "" };
        format!("Invalid regular expression: /{source}/{flags}: {what}")
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn disjunction(&mut self) -> Result<Node, String> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error("Regular expression too large"));
        }
        let mut alternatives = vec![self.alternative()?];
        while self.eat('|') {
            alternatives.push(self.alternative()?);
        }
        self.depth -= 1;
        Ok(if alternatives.len() == 1 { alternatives.pop().unwrap_or(Node::Empty) } else { Node::Alt(alternatives) })
    }

    fn alternative(&mut self) -> Result<Node, String> {
        let mut terms = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            terms.push(self.term()?);
        }
        Ok(match terms.len() {
            0 => Node::Empty,
            1 => terms.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(terms),
        })
    }

    fn term(&mut self) -> Result<Node, String> {
        let start = self.pos;
        let (atom, quantifiable) = self.atom()?;
        match self.quantifier()? {
            None => Ok(atom),
            Some(_) if !quantifiable => {
                self.pos = start;
                Err(self.error(if self.unicode { "Invalid quantifier" } else { "Nothing to repeat" }))
            }
            Some((min, max, greedy)) => Ok(Node::Repeat { node: Box::new(atom), min, max, greedy }),
        }
    }

    /// Reads `*`, `+`, `?` or a braced quantifier after an atom, with its optional `?` (lazy).
    fn quantifier(&mut self) -> Result<Option<(u32, Option<u32>, bool)>, String> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => match self.braced_quantifier() {
                Some((min, max, end)) => {
                    if max.is_some_and(|m| m < min) {
                        return Err(self.error("numbers out of order in {} quantifier"));
                    }
                    self.pos = end;
                    (min, max)
                }
                None if self.unicode => return Err(self.error("Incomplete quantifier")),
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        let greedy = !self.eat('?');
        Ok(Some((min, max, greedy)))
    }

    /// `{n}`, `{n,}` or `{n,m}` at the current position: the counts and the index after `}`.
    fn braced_quantifier(&self) -> Option<(u32, Option<u32>, usize)> {
        let mut i = self.pos + 1;
        let min = self.number(&mut i)?;
        let max = if self.chars.get(i) == Some(&',') {
            i += 1;
            if self.chars.get(i) == Some(&'}') { None } else { Some(self.number(&mut i)?) }
        } else {
            Some(min)
        };
        (self.chars.get(i) == Some(&'}')).then_some((min, max, i + 1))
    }

    fn number(&self, i: &mut usize) -> Option<u32> {
        let start = *i;
        let mut value: u64 = 0;
        while let Some(d) = self.chars.get(*i).and_then(|c| c.to_digit(10)) {
            value = (value * 10 + u64::from(d)).min(u64::from(COUNT_CAP));
            *i += 1;
        }
        (*i > start).then_some(value as u32)
    }

    /// One atom or assertion, and whether a quantifier may follow it.
    fn atom(&mut self) -> Result<(Node, bool), String> {
        let Some(c) = self.peek() else {
            return Err(self.error("Unexpected end"));
        };
        self.pos += 1;
        match c {
            '^' => Ok((Node::Start, false)),
            '$' => Ok((Node::End, false)),
            '.' => Ok((Node::Dot, true)),
            '(' => self.group(),
            '[' => Ok((Node::Class(self.class()?), true)),
            '\\' => self.atom_escape(),
            '*' | '+' | '?' => Err(self.error("Nothing to repeat")),
            '{' => {
                self.pos -= 1;
                if self.unicode {
                    let what = if self.braced_quantifier().is_some() {
                        "Nothing to repeat"
                    } else {
                        "Lone quantifier brackets"
                    };
                    return Err(self.error(what));
                }
                if self.braced_quantifier().is_some() {
                    return Err(self.error("Nothing to repeat"));
                }
                self.pos += 1;
                Ok((Node::Char('{'), true))
            }
            '}' | ']' if self.unicode => Err(self.error("Lone quantifier brackets")),
            ')' => Err(self.error("Unmatched ')'")),
            other => Ok((Node::Char(other), true)),
        }
    }

    fn group(&mut self) -> Result<(Node, bool), String> {
        if !self.eat('?') {
            self.captures += 1;
            let number = self.captures;
            let body = self.group_body()?;
            return Ok((Node::Group(Box::new(body), Some(number)), true));
        }
        match self.peek() {
            Some(':') => {
                self.pos += 1;
                let body = self.group_body()?;
                Ok((Node::Group(Box::new(body), None), true))
            }
            Some(c @ ('=' | '!')) => {
                self.pos += 1;
                let body = self.group_body()?;
                // Legacy grammar lets lookaheads take a quantifier; the `u` grammar does not.
                Ok((Node::Look { ahead: true, negate: c == '!', body: Box::new(body) }, !self.unicode))
            }
            Some('<') => match self.peek_at(1) {
                Some(c @ ('=' | '!')) => {
                    self.pos += 2;
                    let body = self.group_body()?;
                    Ok((Node::Look { ahead: false, negate: c == '!', body: Box::new(body) }, false))
                }
                _ => {
                    self.pos += 1;
                    let name = self.group_name()?;
                    if self.seen_names.contains(&name) {
                        return Err(self.error("Duplicate capture group name"));
                    }
                    self.seen_names.push(name);
                    self.captures += 1;
                    let number = self.captures;
                    let body = self.group_body()?;
                    Ok((Node::Group(Box::new(body), Some(number)), true))
                }
            },
            _ => Err(self.error("Invalid group")),
        }
    }

    fn group_body(&mut self) -> Result<Node, String> {
        let body = self.disjunction()?;
        if !self.eat(')') {
            return Err(self.error("Unterminated group"));
        }
        Ok(body)
    }

    /// A group name after `<`, up to and including `>`: an identifier, as JavaScript defines one.
    fn group_name(&mut self) -> Result<String, String> {
        let mut name = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("Invalid capture group name"));
            };
            self.pos += 1;
            let c = if c == '\\' {
                if !self.eat('u') {
                    return Err(self.error("Invalid capture group name"));
                }
                self.unicode_escape(true)
                    .and_then(char::from_u32)
                    .ok_or_else(|| self.error("Invalid capture group name"))?
            } else {
                c
            };
            if c == '>' && !name.is_empty() {
                return Ok(name);
            }
            let ok = if name.is_empty() { is_id_start(c) } else { is_id_continue(c) };
            if !ok {
                return Err(self.error("Invalid capture group name"));
            }
            name.push(c);
        }
    }

    fn atom_escape(&mut self) -> Result<(Node, bool), String> {
        let Some(c) = self.peek() else {
            return Err(self.error("\\ at end of pattern"));
        };
        match c {
            'b' | 'B' => {
                self.pos += 1;
                Ok((Node::WordBoundary(c == 'b'), false))
            }
            '1'..='9' => {
                let start = self.pos;
                let mut i = self.pos;
                let n = self.number(&mut i).unwrap_or(0);
                if n <= self.groups {
                    self.pos = i;
                    return Ok((Node::BackRef(n), true));
                }
                if self.unicode {
                    return Err(self.error("Invalid escape"));
                }
                self.pos = start;
                Ok((Node::Char(self.legacy_octal_or_identity()), true))
            }
            'k' => {
                self.pos += 1;
                if self.unicode || !self.names.is_empty() {
                    if !self.eat('<') {
                        return Err(self.error("Invalid named reference"));
                    }
                    let name = self.group_name()?;
                    return match self.names.iter().find(|(n, _)| *n == name) {
                        Some(&(_, index)) => Ok((Node::BackRef(index), true)),
                        None => Err(self.error("Invalid named capture referenced")),
                    };
                }
                Ok((Node::Char('k'), true))
            }
            _ => match self.class_escape(false)? {
                ClassAtom::Char(ch) => Ok((Node::Char(ch), true)),
                ClassAtom::Escape(e) => Ok((Node::Escape(e), true)),
                // A lone surrogate never occurs in Rust text: an empty class says "never matches".
                ClassAtom::Surrogate(_) => Ok((Node::Class(Class { negated: false, items: Vec::new() }), true)),
            },
        }
    }

    /// Legacy `\NNN`: an octal escape when it starts with 0-7, otherwise the digit itself.
    fn legacy_octal_or_identity(&mut self) -> char {
        let first = self.peek().and_then(|c| c.to_digit(8));
        let Some(mut value) = first else {
            // `\8` and `\9` are identity escapes.
            let c = self.peek().unwrap_or('\\');
            self.pos += 1;
            return c;
        };
        self.pos += 1;
        for _ in 0..2 {
            match self.peek().and_then(|c| c.to_digit(8)) {
                Some(d) if value * 8 + d <= 0o377 => {
                    value = value * 8 + d;
                    self.pos += 1;
                }
                _ => break,
            }
        }
        char::from_u32(value).unwrap_or('\0')
    }

    /// An escape after `\` (the backslash already consumed), shared by atoms and class members.
    fn class_escape(&mut self, in_class: bool) -> Result<ClassAtom, String> {
        let Some(c) = self.peek() else {
            return Err(self.error("\\ at end of pattern"));
        };
        self.pos += 1;
        let atom = match c {
            'd' | 'D' => ClassAtom::Escape(ClassEscape::Digit(c == 'D')),
            'w' | 'W' => ClassAtom::Escape(ClassEscape::Word(c == 'W')),
            's' | 'S' => ClassAtom::Escape(ClassEscape::Space(c == 'S')),
            'p' | 'P' if self.unicode => ClassAtom::Escape(self.property(c == 'P')?),
            'f' => ClassAtom::Char('\u{c}'),
            'n' => ClassAtom::Char('\n'),
            'r' => ClassAtom::Char('\r'),
            't' => ClassAtom::Char('\t'),
            'v' => ClassAtom::Char('\u{b}'),
            'b' if in_class => ClassAtom::Char('\u{8}'),
            '-' if in_class && self.unicode => ClassAtom::Char('-'),
            'c' => {
                let letter = self.peek().filter(|l| {
                    l.is_ascii_alphabetic() || (in_class && !self.unicode && (l.is_ascii_digit() || *l == '_'))
                });
                match letter {
                    Some(l) => {
                        self.pos += 1;
                        ClassAtom::Char(char::from_u32(l as u32 % 32).unwrap_or('\0'))
                    }
                    None if self.unicode => return Err(self.error("Invalid unicode escape")),
                    None => {
                        // `\c` without a control letter stands for a backslash; `c` is read next.
                        self.pos -= 1;
                        ClassAtom::Char('\\')
                    }
                }
            }
            '0' => {
                if self.peek().is_some_and(|d| d.is_ascii_digit()) {
                    if self.unicode {
                        return Err(self.error("Invalid decimal escape"));
                    }
                    self.pos -= 1;
                    ClassAtom::Char(self.legacy_octal_or_identity())
                } else {
                    ClassAtom::Char('\0')
                }
            }
            '1'..='9' if in_class => {
                if self.unicode {
                    return Err(self.error("Invalid class escape"));
                }
                self.pos -= 1;
                ClassAtom::Char(self.legacy_octal_or_identity())
            }
            'x' => match self.hex_digits(2) {
                Some(v) => ClassAtom::Char(char::from_u32(v).unwrap_or('\0')),
                None if self.unicode => return Err(self.error("Invalid escape")),
                None => ClassAtom::Char('x'),
            },
            'u' => match self.unicode_escape(self.unicode) {
                Some(cp) => char::from_u32(cp).map_or(ClassAtom::Surrogate(cp), ClassAtom::Char),
                None if self.unicode => return Err(self.error("Invalid Unicode escape")),
                None => ClassAtom::Char('u'),
            },
            other => {
                if self.unicode && !is_syntax_char(other) && other != '/' {
                    return Err(self.error("Invalid escape"));
                }
                ClassAtom::Char(other)
            }
        };
        Ok(atom)
    }

    fn hex_digits(&mut self, n: usize) -> Option<u32> {
        let mut value = 0;
        for k in 0..n {
            value = value * 16 + self.peek_at(k)?.to_digit(16)?;
        }
        self.pos += n;
        Some(value)
    }

    /// After `\u`: `XXXX`, a surrogate pair `XXXX\uXXXX`, or (`u` mode) `{X…}`; the code point, which may
    /// be a lone surrogate.
    fn unicode_escape(&mut self, unicode: bool) -> Option<u32> {
        if unicode && self.peek() == Some('{') {
            let mut i = self.pos + 1;
            let mut value: u32 = 0;
            let start = i;
            while let Some(d) = self.chars.get(i).and_then(|c| c.to_digit(16)) {
                value = value.checked_mul(16)?.checked_add(d)?;
                if value > 0x10ffff {
                    return None;
                }
                i += 1;
            }
            if i == start || self.chars.get(i) != Some(&'}') {
                return None;
            }
            self.pos = i + 1;
            return Some(value);
        }
        let high = self.hex_digits(4)?;
        if (0xd800..0xdc00).contains(&high) && unicode && self.peek() == Some('\\') && self.peek_at(1) == Some('u') {
            let save = self.pos;
            self.pos += 2;
            match self.hex_digits(4) {
                Some(low) if (0xdc00..0xe000).contains(&low) => {
                    return Some(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00));
                }
                _ => self.pos = save,
            }
        }
        Some(high)
    }

    /// `\p{Name}` / `\p{Name=Value}` after `\p`.
    fn property(&mut self, negated: bool) -> Result<ClassEscape, String> {
        if !self.eat('{') {
            return Err(self.error("Invalid property name"));
        }
        let mut text = String::new();
        loop {
            match self.peek() {
                Some('}') => {
                    self.pos += 1;
                    break;
                }
                Some(c) if c.is_ascii_alphanumeric() || c == '_' || c == '=' => {
                    text.push(c);
                    self.pos += 1;
                }
                _ => return Err(self.error("Invalid property name")),
            }
        }
        let valid = match text.split_once('=') {
            Some((name, value)) => match name {
                "General_Category" | "gc" => GENERAL_CATEGORIES.contains(&value),
                "Script" | "sc" | "Script_Extensions" | "scx" => is_script_name(value),
                _ => false,
            },
            None => GENERAL_CATEGORIES.contains(&text.as_str()) || BINARY_PROPERTIES.contains(&text.as_str()),
        };
        // JavaScript wants the exact spelling; the Rust engine must also know the property.
        if !valid || fancy_regex::Regex::new(&format!("\\p{{{text}}}")).is_err() {
            return Err(self.error("Invalid property name"));
        }
        Ok(ClassEscape::Property(negated, text))
    }

    /// A character class after `[`.
    fn class(&mut self) -> Result<Class, String> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("Unterminated character class"));
            };
            if c == ']' {
                self.pos += 1;
                return Ok(Class { negated, items });
            }
            let first = self.class_atom()?;
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|c| c != ']') {
                self.pos += 1;
                let second = self.class_atom()?;
                match (first.code(), second.code()) {
                    (Some(a), Some(b)) => {
                        if a > b {
                            return Err(self.error("Range out of order in character class"));
                        }
                        items.extend(scalar_range(a, b));
                    }
                    _ => {
                        if self.unicode {
                            return Err(self.error("Invalid character class"));
                        }
                        // Legacy grammar: a class escape next to `-` is a plain union with `-`.
                        items.extend(first.into_item());
                        items.push(ClassItem::Range('-', '-'));
                        items.extend(second.into_item());
                    }
                }
            } else {
                items.extend(first.into_item());
            }
        }
    }

    fn class_atom(&mut self) -> Result<ClassAtom, String> {
        let Some(c) = self.peek() else {
            return Err(self.error("Unterminated character class"));
        };
        self.pos += 1;
        if c == '\\' {
            return self.class_escape(true);
        }
        Ok(ClassAtom::Char(c))
    }
}

/// One member of a class, or an atom escape, before it is placed.
enum ClassAtom {
    Char(char),
    /// A lone surrogate (`\uD800`): valid in a pattern, but absent from any Rust text.
    Surrogate(u32),
    Escape(ClassEscape),
}

impl ClassAtom {
    fn code(&self) -> Option<u32> {
        match self {
            ClassAtom::Char(c) => Some(*c as u32),
            ClassAtom::Surrogate(cp) => Some(*cp),
            ClassAtom::Escape(_) => None,
        }
    }

    fn into_item(self) -> Option<ClassItem> {
        match self {
            ClassAtom::Char(c) => Some(ClassItem::Range(c, c)),
            ClassAtom::Surrogate(_) => None,
            ClassAtom::Escape(e) => Some(ClassItem::Escape(e)),
        }
    }
}

/// The part of the code-point range `a..=b` made of Unicode scalar values (surrogates cut out).
fn scalar_range(a: u32, b: u32) -> impl Iterator<Item = ClassItem> {
    let low = (a <= 0xd7ff).then(|| (a, b.min(0xd7ff)));
    let high = (b >= 0xe000).then(|| (a.max(0xe000), b));
    [low, high]
        .into_iter()
        .flatten()
        .filter_map(|(lo, hi)| Some(ClassItem::Range(char::from_u32(lo)?, char::from_u32(hi)?)))
}

fn is_syntax_char(c: char) -> bool {
    matches!(c, '^' | '$' | '\\' | '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|')
}

fn is_id_start(c: char) -> bool {
    c == '$' || c == '_' || c.is_alphabetic()
}

fn is_id_continue(c: char) -> bool {
    c == '$' || c == '\u{200c}' || c == '\u{200d}' || c.is_alphanumeric() || c == '_'
}
