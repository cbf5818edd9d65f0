//! htmlparser2 10.1.0's `Parser` layer in HTML mode: lower-cases names, collects attributes, keeps the
//! open-element stack, and derives the implied open/close events (`<p>` closing an open `<p>`, void
//! elements, `</p>` and `</br>` without a start tag, self-closing syntax inside `<svg>`/`<math>`, everything
//! still open at the end). It is a streaming parser, not an HTML5 tree builder.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::filter::Filter;
use super::tokenizer::Sink;

/// Attributes of one start tag in source order; the first of duplicated names wins.
#[derive(Default)]
pub(super) struct Attributes {
    pub(super) list: Vec<(String, String)>,
}

/// Open elements up to this depth are found by scanning; deeper ones are counted in a map.
const SCANNED_DEPTH: usize = 32;

/// Above this many attributes, duplicates are looked up in a set instead of by scanning.
const SCAN_LIMIT: usize = 16;

pub(super) struct Tree {
    filter: Filter,
    /// Open elements, innermost last.
    stack: Vec<String>,
    /// How often each name occurs on `stack` beyond its first [`SCANNED_DEPTH`] entries, so finding
    /// whether a closing tag's element is open costs a short scan plus one lookup, however deep.
    deep_counts: HashMap<String, usize>,
    /// Whether self-closing syntax is honoured, innermost last (`<svg>`/`<math>` push true,
    /// HTML integration points push false); an empty stack means false.
    foreign: Vec<bool>,
    tag_name: String,
    attributes: Option<Attributes>,
    /// Names of the current tag's attributes, once there are too many to scan.
    seen: Option<HashSet<String>>,
    attr_name: String,
    attr_value: String,
}

fn implied_closes(name: &str) -> &'static [&'static str] {
    const P: &[&str] = &["p"];
    const FORM: &[&str] = &["input", "option", "optgroup", "select", "button", "datalist", "textarea"];
    match name {
        "tr" => &["tr", "th", "td"],
        "th" => &["th"],
        "td" => &["thead", "th", "td"],
        "body" => &["head", "link", "script"],
        "li" => &["li"],
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => P,
        "select" | "input" | "output" | "button" | "datalist" | "textarea" => FORM,
        "option" => &["option"],
        "optgroup" => &["optgroup", "option"],
        "dd" | "dt" => &["dd", "dt"],
        "address" | "article" | "aside" | "blockquote" | "details" | "div" | "dl" | "fieldset" | "figcaption"
        | "figure" | "footer" | "form" | "header" | "hr" | "main" | "nav" | "ol" | "pre" | "section" | "table"
        | "ul" => P,
        "rt" | "rp" => &["rt", "rp"],
        "tbody" | "tfoot" => &["thead", "tbody"],
        _ => &[],
    }
}

pub(super) fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "br"
            | "col"
            | "command"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "input"
            | "isindex"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

fn is_foreign_root(name: &str) -> bool {
    matches!(name, "math" | "svg")
}

fn is_integration_point(name: &str) -> bool {
    matches!(name, "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml" | "foreignobject" | "desc" | "title")
}

/// `String.prototype.toLowerCase`, borrowing when there is nothing to change.
fn lower(name: &str) -> Cow<'_, str> {
    if !name.is_ascii() {
        Cow::Owned(name.to_lowercase())
    } else if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

impl Tree {
    pub(super) fn new(capacity: usize) -> Self {
        Tree {
            filter: Filter::new(capacity),
            stack: Vec::new(),
            deep_counts: HashMap::new(),
            foreign: vec![false],
            tag_name: String::new(),
            attributes: None,
            seen: None,
            attr_name: String::new(),
            attr_value: String::new(),
        }
    }

    pub(super) fn into_output(self) -> String {
        self.filter.into_output()
    }

    fn push(&mut self, name: &str) {
        if self.stack.len() >= SCANNED_DEPTH {
            *self.deep_counts.entry(name.to_owned()).or_insert(0) += 1;
        }
        self.stack.push(name.to_owned());
    }

    fn pop(&mut self) -> Option<String> {
        let name = self.stack.pop()?;
        if self.stack.len() >= SCANNED_DEPTH
            && let Some(count) = self.deep_counts.get_mut(&name)
        {
            *count -= 1;
            if *count == 0 {
                self.deep_counts.remove(&name);
            }
        }
        Some(name)
    }

    fn is_open(&self, name: &str) -> bool {
        let shallow = &self.stack[..self.stack.len().min(SCANNED_DEPTH)];
        shallow.iter().any(|n| n == name) || self.deep_counts.contains_key(name)
    }

    fn emit_open_tag(&mut self, name: String) {
        let closes = implied_closes(&name);
        while self.stack.last().is_some_and(|top| closes.contains(&top.as_str())) {
            if let Some(closed) = self.pop() {
                self.filter.close(&closed);
            }
        }
        if !is_void(&name) {
            self.push(&name);
            if is_foreign_root(&name) {
                self.foreign.push(true);
            } else if is_integration_point(&name) {
                self.foreign.push(false);
            }
        }
        self.tag_name = name;
        self.attributes = Some(Attributes::default());
        self.seen = None;
    }

    fn end_open_tag(&mut self) {
        if let Some(attributes) = self.attributes.take() {
            self.filter.open(&self.tag_name, attributes);
        }
        if is_void(&self.tag_name) {
            self.filter.close(&self.tag_name);
        }
        self.tag_name.clear();
    }

    fn close_current_tag(&mut self) {
        let name = self.tag_name.clone();
        self.end_open_tag();
        if self.stack.last() == Some(&name) {
            self.pop();
            self.filter.close(&name);
        }
    }
}

impl Sink for Tree {
    fn text(&mut self, text: &str) {
        self.filter.text(text);
    }

    fn open_tag_name(&mut self, name: &str) {
        self.emit_open_tag(lower(name).into_owned());
    }

    fn open_tag_end(&mut self) {
        self.end_open_tag();
    }

    fn self_closing_tag(&mut self) {
        if self.foreign.last() == Some(&true) {
            self.close_current_tag();
        } else {
            self.end_open_tag();
        }
    }

    fn close_tag(&mut self, name: &str) {
        let name = lower(name);
        let name = name.as_ref();
        if is_foreign_root(name) || is_integration_point(name) {
            self.foreign.pop();
        }
        if is_void(name) {
            if name == "br" {
                // `</br>` acts as `<br>`.
                self.filter.open("br", Attributes::default());
                self.filter.close("br");
            }
        } else if self.is_open(name) {
            while let Some(closed) = self.pop() {
                self.filter.close(&closed);
                if closed == name {
                    break;
                }
            }
        } else if name == "p" {
            // `</p>` with no open `<p>` acts as `<p></p>`.
            self.emit_open_tag(name.to_owned());
            self.close_current_tag();
        }
    }

    fn attr_name(&mut self, name: &str) {
        self.attr_name.clear();
        self.attr_name.push_str(&lower(name));
    }

    fn attr_data(&mut self, data: &str) {
        self.attr_value.push_str(data);
    }

    fn attr_end(&mut self) {
        let value = std::mem::take(&mut self.attr_value);
        let Some(attributes) = self.attributes.as_mut() else {
            return;
        };
        let name = &self.attr_name;
        // Assigning `__proto__` on the plain object htmlparser2 collects into does nothing.
        let duplicate = if name == "__proto__" {
            true
        } else if attributes.list.len() < SCAN_LIMIT {
            attributes.list.iter().any(|(n, _)| n == name)
        } else {
            let seen = self.seen.get_or_insert_with(|| attributes.list.iter().map(|(n, _)| n.clone()).collect());
            !seen.insert(name.clone())
        };
        if !duplicate {
            attributes.list.push((name.clone(), value));
        }
    }

    fn end(&mut self) {
        while let Some(name) = self.pop() {
            self.filter.close(&name);
        }
    }
}
