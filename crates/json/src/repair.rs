//! Lenient repair of almost-JSON text, reproducing what the npm `jsonrepair` 3.15.0 package outputs
//! (upstream repairs JSON-looking strings under a control's `data` key with it): single or curly quotes,
//! unquoted keys and values, missing or trailing commas, missing colons and brackets, comments, Python's
//! `True`/`False`/`None`, `undefined`, concatenated strings, NDJSON, Markdown fences, HTML-entity quotes,
//! truncated numbers and escapes. Whitespace and formatting of the input are kept.

use crate as json;

/// Why the text could not be repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairError(pub String);

/// Deepest nesting accepted (deeper input is refused rather than risking the stack).
const MAX_DEPTH: usize = 128;

/// Deepest chain of string parses accepted: each `+` of a concatenation and each restart of a string whose
/// end quote turned out to be misplaced parses the rest in a nested call, as upstream does. Upstream fails
/// with "Maximum call stack size exceeded" on inputs that restart forever and somewhere between 2,000 and
/// 5,000 concatenated strings; this bound fails the same way, earlier (512), so that even a debug build on a
/// 2 MiB thread stack (Rust's default for spawned threads) never overflows.
const MAX_STRING_CALLS: usize = 512;

/// Repairs `text` into valid JSON text.
pub fn jsonrepair(text: &str) -> Result<String, RepairError> {
    let mut r = Repair {
        text: text.chars().collect(),
        i: 0,
        output: String::with_capacity(text.len() + 8),
        depth: 0,
        string_calls: 0,
    };
    r.run()?;
    Ok(r.output)
}

struct Repair {
    text: Vec<char>,
    i: usize,
    output: String,
    depth: usize,
    /// Nested `parse_string` calls under way (see [`MAX_STRING_CALLS`]).
    string_calls: usize,
}

fn is_whitespace(c: Option<char>) -> bool {
    matches!(c, Some(' ' | '\n' | '\t' | '\r'))
}

fn is_whitespace_except_newline(c: Option<char>) -> bool {
    matches!(c, Some(' ' | '\t' | '\r'))
}

fn is_special_whitespace(c: Option<char>) -> bool {
    matches!(
        c,
        Some('\u{a0}' | '\u{180e}' | '\u{2000}'..='\u{200b}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}')
    )
}

fn is_double_quote_like(c: Option<char>) -> bool {
    matches!(c, Some('"' | '\u{201c}' | '\u{201d}'))
}

fn is_single_quote_like(c: Option<char>) -> bool {
    matches!(c, Some('\'' | '\u{2018}' | '\u{2019}' | '`' | '\u{b4}'))
}

fn is_quote(c: Option<char>) -> bool {
    is_double_quote_like(c) || is_single_quote_like(c)
}

fn is_digit(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit())
}

fn is_hex(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_hexdigit())
}

fn is_delimiter(c: Option<char>) -> bool {
    c.is_some_and(|c| ",:[]/{}()\n+".contains(c))
}

fn is_unquoted_string_delimiter(c: Option<char>) -> bool {
    c.is_some_and(|c| ",[]/{}\n+".contains(c))
}

fn is_function_name_char_start(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
}

fn is_function_name_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

fn is_start_of_value(c: Option<char>) -> bool {
    is_quote(c) || c.is_some_and(|c| c == '[' || c == '{' || c == '-' || c == '_' || c.is_ascii_alphanumeric())
}

fn is_control_character(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t' | '\u{8}' | '\u{c}')
}

fn control_escape(c: char) -> &'static str {
    match c {
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\u{8}' => "\\b",
        _ => "\\f",
    }
}

fn is_url_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || "-._~:/?#@!$&'()*+;=".contains(c))
}

fn is_url_start(s: &str) -> bool {
    ["http://", "https://", "ftp://", "mailto://", "file://", "data://", "irc://"].contains(&s)
}

fn is_whitespace_str_end(s: &str) -> bool {
    is_whitespace(s.chars().next_back())
}

/// Inserts `ins` before the trailing whitespace of `text`.
fn insert_before_last_whitespace(text: &mut String, ins: &str) {
    let mut index = text.len();
    while is_whitespace_str_end(&text[..index]) {
        index -= 1;
    }
    text.insert_str(index, ins);
}

/// Removes the last occurrence of `pat` (and, when asked, everything after it).
fn strip_last_occurrence(text: &mut String, pat: char, strip_remaining: bool) {
    if let Some(index) = text.rfind(pat) {
        if strip_remaining {
            text.truncate(index);
        } else {
            text.remove(index);
        }
    }
}

fn ends_with_comma_or_newline(text: &str) -> bool {
    let trimmed = text.trim_end_matches([' ', '\t', '\r']);
    trimmed.ends_with(',') || trimmed.ends_with('\n')
}

fn count(text: &str, c: char) -> usize {
    text.chars().filter(|x| *x == c).count()
}

fn is_inside_unclosed_bracket(text: &str, close: Option<char>) -> bool {
    match close {
        Some(')') => count(text, '(') > count(text, ')'),
        Some(']') => count(text, '[') > count(text, ']'),
        Some('}') => count(text, '{') > count(text, '}'),
        _ => false,
    }
}

/// An HTML entity at the start of `fragment`: the character it stands for and its length.
fn match_html_entity(fragment: &[char]) -> Option<(char, usize)> {
    if fragment.first() != Some(&'&') {
        return None;
    }
    let semicolon = fragment.iter().position(|c| *c == ';')?;
    let entity: String = fragment[..=semicolon].iter().collect();
    let named = match entity.as_str() {
        "&quot;" => Some('"'),
        "&amp;" => Some('&'),
        "&lt;" => Some('<'),
        "&gt;" => Some('>'),
        "&apos;" => Some('\''),
        _ => None,
    };
    if let Some(c) = named {
        return Some((c, semicolon + 1));
    }
    if fragment.get(1) != Some(&'#') {
        return None;
    }
    let body: String = fragment[2..semicolon].iter().collect();
    let hex = body.starts_with(['x', 'X']);
    let digits = if hex { &body[1..] } else { body.as_str() };
    if digits.is_empty() {
        return None;
    }
    let code = parse_int_prefix(digits, if hex { 16 } else { 10 })?;
    if !(0..=0x10ffff).contains(&code) {
        return None;
    }
    Some((char::from_u32(code as u32).unwrap_or('\u{fffd}'), semicolon + 1))
}

/// `parseInt(s, radix)`: leading white space, a sign, then as many digits as there are.
fn parse_int_prefix(s: &str, radix: u32) -> Option<i64> {
    let s = s.trim_start();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let digits: String = s.chars().take_while(|c| c.is_digit(radix)).collect();
    if digits.is_empty() {
        return None;
    }
    let v = i64::from_str_radix(&digits[..digits.len().min(12)], radix).ok()?;
    Some(if neg { -v } else { v })
}

fn err(msg: &str) -> RepairError {
    RepairError(msg.to_string())
}

impl Repair {
    fn at(&self, i: usize) -> Option<char> {
        self.text.get(i).copied()
    }

    fn cur(&self) -> Option<char> {
        self.at(self.i)
    }

    fn len(&self) -> usize {
        self.text.len()
    }

    fn slice(&self, from: usize, to: usize) -> String {
        let to = to.min(self.len());
        if from >= to { String::new() } else { self.text[from..to].iter().collect() }
    }

    fn run(&mut self) -> Result<(), RepairError> {
        self.parse_markdown_code_block(&["```", "[```", "{```"]);
        if !self.parse_value()? {
            return Err(err("Unexpected end of json string"));
        }
        self.parse_markdown_code_block(&["```", "```]", "```}"]);
        let processed_comma = self.parse_character(',');
        if processed_comma {
            self.parse_whitespace_and_skip_comments(true);
        }
        if is_start_of_value(self.cur()) && ends_with_comma_or_newline(&self.output) {
            if !processed_comma {
                insert_before_last_whitespace(&mut self.output, ",");
            }
            self.parse_newline_delimited_json()?;
        } else if processed_comma {
            strip_last_occurrence(&mut self.output, ',', false);
        }
        while matches!(self.cur(), Some('}' | ']')) {
            self.i += 1;
            self.parse_whitespace_and_skip_comments(true);
        }
        if self.i >= self.len() { Ok(()) } else { Err(err("Unexpected character")) }
    }

    fn parse_value(&mut self) -> Result<bool, RepairError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err("Nesting too deep"));
        }
        self.parse_whitespace_and_skip_comments(true);
        let processed = self.parse_object()?
            || self.parse_array()?
            || self.parse_string(false, None)?
            || self.parse_number()
            || self.parse_keywords()
            || self.parse_unquoted_string(false)?
            || self.parse_regex();
        self.parse_whitespace_and_skip_comments(true);
        self.depth -= 1;
        Ok(processed)
    }

    fn parse_whitespace_and_skip_comments(&mut self, skip_newline: bool) -> bool {
        let start = self.i;
        self.parse_whitespace(skip_newline);
        loop {
            if !self.parse_comment() {
                break;
            }
            if !self.parse_whitespace(skip_newline) {
                break;
            }
        }
        self.i > start
    }

    fn parse_whitespace(&mut self, skip_newline: bool) -> bool {
        let mut ws = String::new();
        loop {
            let c = self.cur();
            let plain = if skip_newline { is_whitespace(c) } else { is_whitespace_except_newline(c) };
            if plain {
                ws.extend(c);
                self.i += 1;
            } else if is_special_whitespace(c) {
                ws.push(' ');
                self.i += 1;
            } else {
                break;
            }
        }
        if ws.is_empty() {
            return false;
        }
        self.output.push_str(&ws);
        true
    }

    fn parse_comment(&mut self) -> bool {
        if self.cur() == Some('/') && self.at(self.i + 1) == Some('*') {
            while self.i < self.len() && !(self.cur() == Some('*') && self.at(self.i + 1) == Some('/')) {
                self.i += 1;
            }
            self.i += 2;
            return true;
        }
        if self.cur() == Some('/') && self.at(self.i + 1) == Some('/') {
            while self.i < self.len() && self.cur() != Some('\n') {
                self.i += 1;
            }
            return true;
        }
        false
    }

    fn parse_markdown_code_block(&mut self, blocks: &[&str]) -> bool {
        self.parse_whitespace(true);
        let found = blocks.iter().find(|b| self.slice(self.i, self.i + b.chars().count()) == **b);
        let Some(block) = found else { return false };
        self.i += block.chars().count();
        if is_function_name_char_start(self.cur()) {
            while self.i < self.len() && is_function_name_char(self.cur()) {
                self.i += 1;
            }
        }
        self.parse_whitespace_and_skip_comments(true);
        true
    }

    fn parse_character(&mut self, c: char) -> bool {
        if self.cur() == Some(c) {
            self.output.push(c);
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn skip_character(&mut self, c: char) -> bool {
        if self.cur() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn skip_ellipsis(&mut self) {
        self.parse_whitespace_and_skip_comments(true);
        if self.cur() == Some('.') && self.at(self.i + 1) == Some('.') && self.at(self.i + 2) == Some('.') {
            self.i += 3;
            self.parse_whitespace_and_skip_comments(true);
            self.skip_character(',');
        }
    }

    fn parse_object(&mut self) -> Result<bool, RepairError> {
        if self.cur() != Some('{') {
            return Ok(false);
        }
        self.output.push('{');
        self.i += 1;
        self.parse_whitespace_and_skip_comments(true);
        if self.skip_character(',') {
            self.parse_whitespace_and_skip_comments(true);
        }
        let mut initial = true;
        while self.i < self.len() && self.cur() != Some('}') {
            if !initial {
                if !self.parse_character(',') {
                    insert_before_last_whitespace(&mut self.output, ",");
                }
                self.parse_whitespace_and_skip_comments(true);
            }
            self.skip_ellipsis();
            let key = self.parse_string(false, None)? || self.parse_unquoted_string(true)?;
            if !key {
                if matches!(self.cur(), Some('}' | '{' | ']' | '[') | None) {
                    if !initial {
                        strip_last_occurrence(&mut self.output, ',', false);
                    }
                } else {
                    return Err(err("Object key expected"));
                }
                break;
            }
            self.parse_whitespace_and_skip_comments(true);
            let colon = self.parse_character(':');
            let truncated = self.i >= self.len();
            if !colon {
                if is_start_of_value(self.cur()) || truncated {
                    insert_before_last_whitespace(&mut self.output, ":");
                } else {
                    return Err(err("Colon expected"));
                }
            }
            if !self.parse_value()? {
                if colon || truncated {
                    self.output.push_str("null");
                } else {
                    return Err(err("Colon expected"));
                }
            }
            initial = false;
        }
        if self.cur() == Some('}') {
            self.output.push('}');
            self.i += 1;
        } else {
            insert_before_last_whitespace(&mut self.output, "}");
        }
        Ok(true)
    }

    fn parse_array(&mut self) -> Result<bool, RepairError> {
        if self.cur() != Some('[') {
            return Ok(false);
        }
        self.output.push('[');
        self.i += 1;
        self.parse_whitespace_and_skip_comments(true);
        if self.skip_character(',') {
            self.parse_whitespace_and_skip_comments(true);
        }
        let mut initial = true;
        while self.i < self.len() && self.cur() != Some(']') {
            if !initial && !self.parse_character(',') {
                insert_before_last_whitespace(&mut self.output, ",");
            }
            self.skip_ellipsis();
            if !self.parse_value()? {
                if !initial {
                    strip_last_occurrence(&mut self.output, ',', false);
                }
                break;
            }
            initial = false;
        }
        if self.cur() == Some(']') {
            self.output.push(']');
            self.i += 1;
        } else {
            insert_before_last_whitespace(&mut self.output, "]");
        }
        Ok(true)
    }

    fn parse_newline_delimited_json(&mut self) -> Result<(), RepairError> {
        let mut initial = true;
        loop {
            if !initial {
                if !self.parse_character(',') {
                    insert_before_last_whitespace(&mut self.output, ",");
                }
            } else {
                initial = false;
            }
            if !self.parse_value()? {
                break;
            }
        }
        strip_last_occurrence(&mut self.output, ',', false);
        self.output = format!("[\n{}\n]", self.output);
        Ok(())
    }

    /// `charAt(i)`-style delimiter test where an index before the start reads as the empty string,
    /// which JavaScript's `includes` counts as a delimiter.
    fn is_delimiter_at(&self, index: Option<usize>) -> bool {
        match index {
            Some(i) => is_delimiter(self.at(i)) || i >= self.len(),
            None => true,
        }
    }

    fn prev_non_whitespace_index(&self, start: Option<usize>) -> Option<usize> {
        let mut prev = start?;
        while prev > 0 && is_whitespace(self.at(prev)) {
            prev -= 1;
        }
        Some(prev)
    }

    fn next_quote_is_end_quote(&self, index: usize) -> bool {
        let mut next = index + 1;
        while next < self.len() && is_whitespace(self.at(next)) {
            next += 1;
        }
        next >= self.len() || is_delimiter(self.at(next))
    }

    fn entity_at(&self, i: usize) -> Option<(char, usize)> {
        if self.at(i) != Some('&') {
            return None;
        }
        let end = (i + 12).min(self.len());
        match_html_entity(&self.text[i..end])
    }

    fn parse_string(&mut self, stop_at_delimiter: bool, stop_at_index: Option<usize>) -> Result<bool, RepairError> {
        if self.string_calls >= MAX_STRING_CALLS {
            return Err(err("Maximum call stack size exceeded"));
        }
        self.string_calls += 1;
        let result = self.parse_string_from_here(stop_at_delimiter, stop_at_index);
        self.string_calls -= 1;
        result
    }

    fn parse_string_from_here(
        &mut self,
        stop_at_delimiter: bool,
        stop_at_index: Option<usize>,
    ) -> Result<bool, RepairError> {
        let skip_escape_chars = self.cur() == Some('\\');
        if skip_escape_chars {
            self.i += 1;
            if !is_quote(self.cur()) {
                return Err(err("Unexpected character"));
            }
        }
        let open_entity = self.entity_at(self.i).filter(|(c, _)| *c == '"' || *c == '\'');
        if !is_quote(self.cur()) && open_entity.is_none() {
            return Ok(false);
        }
        let first = self.cur();
        let is_end_quote: fn(Option<char>) -> bool = if first == Some('"') {
            |c| c == Some('"')
        } else if first == Some('\'') {
            |c| c == Some('\'')
        } else if is_single_quote_like(first) {
            is_single_quote_like
        } else {
            is_double_quote_like
        };
        let i_before = self.i;
        let o_before = self.output.len();
        let mut s = String::from("\"");
        self.i += open_entity.map_or(1, |(_, len)| len);
        loop {
            if self.i >= self.len() {
                let i_prev = self.prev_non_whitespace_index(self.i.checked_sub(1));
                if !stop_at_delimiter && self.is_delimiter_at(i_prev) {
                    self.i = i_before;
                    self.output.truncate(o_before);
                    return self.parse_string(true, None);
                }
                insert_before_last_whitespace(&mut s, "\"");
                self.output.push_str(&s);
                return Ok(true);
            }
            if Some(self.i) == stop_at_index {
                insert_before_last_whitespace(&mut s, "\"");
                self.output.push_str(&s);
                return Ok(true);
            }
            let entity = if open_entity.is_some() { self.entity_at(self.i) } else { None };
            let is_end = match (entity, open_entity) {
                (Some((c, _)), Some((open, _))) => c == open,
                _ => is_end_quote(self.cur()),
            };
            if is_end {
                let i_quote = self.i;
                let o_quote = s.len();
                s.push('"');
                self.i += entity.map_or(1, |(_, len)| len);
                self.output.push_str(&s);
                self.parse_whitespace_and_skip_comments(false);
                let c = self.cur();
                if stop_at_delimiter
                    || self.i >= self.len()
                    || (is_delimiter(c) && !is_inside_unclosed_bracket(&s, c))
                    || (is_quote(c) && !self.next_quote_is_end_quote(self.i))
                    || is_digit(c)
                {
                    self.parse_concatenated_string()?;
                    return Ok(true);
                }
                if c == Some('\\') {
                    return Err(err("Unexpected character"));
                }
                let i_prev_char = self.prev_non_whitespace_index(i_quote.checked_sub(1));
                let prev_char = i_prev_char.and_then(|p| self.at(p));
                if prev_char == Some(',') {
                    self.i = i_before;
                    self.output.truncate(o_before);
                    return self.parse_string(false, i_prev_char);
                }
                if self.is_delimiter_at(i_prev_char) {
                    self.i = i_before;
                    self.output.truncate(o_before);
                    return self.parse_string(true, None);
                }
                self.output.truncate(o_before);
                self.i = i_quote + entity.map_or(1, |(_, len)| len);
                s.insert(o_quote, '\\');
            } else if stop_at_delimiter && is_unquoted_string_delimiter(self.cur()) {
                if self.i > 0 && self.at(self.i - 1) == Some(':') && is_url_start(&self.slice(i_before + 1, self.i + 2))
                {
                    while self.i < self.len() && is_url_char(self.cur()) {
                        s.extend(self.cur());
                        self.i += 1;
                    }
                }
                insert_before_last_whitespace(&mut s, "\"");
                self.output.push_str(&s);
                self.parse_concatenated_string()?;
                return Ok(true);
            } else if let Some((c, len)) = entity {
                if c == '"' {
                    s.push_str("\\\"");
                } else if is_control_character(c) {
                    s.push_str(control_escape(c));
                } else {
                    s.push(c);
                }
                self.i += len;
            } else if self.cur() == Some('\\') {
                let next = self.at(self.i + 1);
                match next {
                    Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't') => {
                        s.push('\\');
                        s.extend(next);
                        self.i += 2;
                    }
                    Some('u') => {
                        let mut j = 2;
                        while j < 6 && is_hex(self.at(self.i + j)) {
                            j += 1;
                        }
                        if j == 6 {
                            s.push_str(&self.slice(self.i, self.i + 6));
                            self.i += 6;
                        } else if self.i + j >= self.len() {
                            self.i = self.len();
                        } else {
                            return Err(err("Invalid unicode character"));
                        }
                    }
                    Some('\n') => {
                        s.push_str("\\n");
                        self.i += 2;
                    }
                    other => {
                        s.extend(other);
                        self.i += 2;
                    }
                }
            } else {
                let c = self.cur().unwrap_or('\0');
                if c == '"' && !(self.i > 0 && self.at(self.i - 1) == Some('\\')) {
                    s.push_str("\\\"");
                } else if is_control_character(c) {
                    s.push_str(control_escape(c));
                } else {
                    if c < '\u{20}' {
                        return Err(err("Invalid character"));
                    }
                    s.push(c);
                }
                self.i += 1;
            }
            if skip_escape_chars {
                self.skip_character('\\');
            }
        }
    }

    fn parse_concatenated_string(&mut self) -> Result<bool, RepairError> {
        let mut processed = false;
        self.parse_whitespace_and_skip_comments(true);
        while self.cur() == Some('+') {
            processed = true;
            self.i += 1;
            self.parse_whitespace_and_skip_comments(true);
            strip_last_occurrence(&mut self.output, '"', true);
            let start = self.output.len();
            if self.parse_string(false, None)? {
                self.output.remove(start);
            } else {
                insert_before_last_whitespace(&mut self.output, "\"");
            }
        }
        Ok(processed)
    }

    fn at_end_of_number(&self) -> bool {
        self.i >= self.len() || is_delimiter(self.cur()) || is_whitespace(self.cur())
    }

    fn parse_number(&mut self) -> bool {
        let start = self.i;
        let mut num = String::new();
        let mut invalid = false;
        if self.cur() == Some('-') {
            num.push('-');
            self.i += 1;
            if !is_digit(self.cur()) && self.at_end_of_number() {
                num.push('0');
            }
        }
        if self.cur() == Some('0') && is_digit(self.at(self.i + 1)) {
            invalid = true;
        }
        while is_digit(self.cur()) {
            num.extend(self.cur());
            self.i += 1;
        }
        if self.cur() == Some('.') {
            if num.is_empty() || num == "-" {
                num.push('0');
            }
            num.push('.');
            self.i += 1;
            if !is_digit(self.cur()) {
                num.push('0');
            }
            while is_digit(self.cur()) {
                num.extend(self.cur());
                self.i += 1;
            }
        }
        if self.i <= start {
            return false;
        }
        if matches!(self.cur(), Some('e' | 'E')) {
            if num == "-" {
                invalid = true;
            }
            num.extend(self.cur());
            self.i += 1;
            if matches!(self.cur(), Some('-' | '+')) {
                num.extend(self.cur());
                self.i += 1;
            }
            if !is_digit(self.cur()) {
                num.push('0');
            }
            while is_digit(self.cur()) {
                num.extend(self.cur());
                self.i += 1;
            }
        }
        if !self.at_end_of_number() {
            self.i = start;
            return false;
        }
        if invalid {
            self.output.push('"');
            self.output.push_str(&self.slice(start, self.i));
            self.output.push('"');
        } else {
            self.output.push_str(&num);
        }
        true
    }

    fn parse_keywords(&mut self) -> bool {
        for (name, value) in [
            ("true", "true"),
            ("false", "false"),
            ("null", "null"),
            ("True", "true"),
            ("False", "false"),
            ("None", "null"),
        ] {
            let n = name.chars().count();
            if self.slice(self.i, self.i + n) == name && !is_function_name_char(self.at(self.i + n)) {
                self.output.push_str(value);
                self.i += n;
                return true;
            }
        }
        false
    }

    fn parse_unquoted_string(&mut self, is_key: bool) -> Result<bool, RepairError> {
        let start = self.i;
        if is_function_name_char_start(self.cur()) {
            while self.i < self.len() && is_function_name_char(self.cur()) {
                self.i += 1;
            }
            let mut j = self.i;
            while is_whitespace(self.at(j)) {
                j += 1;
            }
            if self.at(j) == Some('(') {
                self.i = j + 1;
                self.parse_value()?;
                if self.cur() == Some(')') {
                    self.i += 1;
                    if self.cur() == Some(';') {
                        self.i += 1;
                    }
                }
                return Ok(true);
            }
        }
        while self.i < self.len()
            && !is_unquoted_string_delimiter(self.cur())
            && !is_quote(self.cur())
            && (!is_key || self.cur() != Some(':'))
        {
            self.i += 1;
        }
        if self.i > 0 && self.at(self.i - 1) == Some(':') && is_url_start(&self.slice(start, self.i + 2)) {
            while self.i < self.len() && is_url_char(self.cur()) {
                self.i += 1;
            }
        }
        if self.i <= start {
            return Ok(false);
        }
        while self.i > 0 && is_whitespace(self.at(self.i - 1)) {
            self.i -= 1;
        }
        let symbol = self.slice(start, self.i);
        if symbol == "undefined" {
            self.output.push_str("null");
        } else {
            json::write_string(&mut self.output, &symbol);
        }
        if self.cur() == Some('"') {
            self.i += 1;
        }
        Ok(true)
    }

    fn parse_regex(&mut self) -> bool {
        if self.cur() != Some('/') {
            return false;
        }
        let start = self.i;
        self.i += 1;
        while self.i < self.len() && (self.cur() != Some('/') || self.at(self.i - 1) == Some('\\')) {
            self.i += 1;
        }
        self.i += 1;
        let text = self.slice(start, self.i);
        json::write_string(&mut self.output, &text);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_repairs() {
        let cases = [
            ("{a: 1}", "{\"a\": 1}"),
            ("{'a': 'b'}", "{\"a\": \"b\"}"),
            ("[1, 2, ]", "[1, 2 ]"),
            ("{\"a\": 1", "{\"a\": 1}"),
            ("{\"a\": True, \"b\": None}", "{\"a\": true, \"b\": null}"),
            ("/* c */ {\"a\": 1} // x", " {\"a\": 1} "),
            ("[1 2]", "[1, 2]"),
        ];
        for (input, expected) in cases {
            assert_eq!(jsonrepair(input).as_deref(), Ok(expected), "{input}");
        }
        assert!(jsonrepair("").is_err());
        assert!(jsonrepair(&"[".repeat(5000)).is_err());
    }

    #[test]
    fn matches_jsonrepair_on_inputs() {
        let vectors: Vec<(String, Option<String>)> =
            serde_json::from_str(include_str!("../tests/fixtures/jsonrepair_vectors.json")).unwrap();
        let mut bad = Vec::new();
        for (input, expected) in &vectors {
            let got = jsonrepair(input).ok();
            if got != *expected {
                bad.push(format!("{input:?}: expected {expected:?}, got {got:?}"));
            }
        }
        assert!(bad.is_empty(), "{} of {} differ:\n{}", bad.len(), vectors.len(), bad.join("\n"));
    }
}
