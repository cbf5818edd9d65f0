//! Writing a parsed pattern in `fancy-regex` syntax, with JavaScript's meaning of every construct spelled
//! out (ASCII `\d`/`\w`/`\b`, JavaScript's whitespace set, `.` without line terminators).

use std::fmt::Write as _;

use super::{Class, ClassEscape, ClassItem, JS_SPACE, Node};

const WORD: &str = "0-9A-Za-z_";

/// Writes the tree in fancy-regex syntax.
pub(super) fn emit(node: &Node, out: &mut String) {
    match node {
        Node::Empty => {}
        Node::Char(c) => emit_char(*c, out),
        Node::Dot => out.push_str("[^\\n\\r\\x{2028}\\x{2029}]"),
        Node::Class(class) => emit_class(class, out),
        Node::Escape(e) => {
            out.push('[');
            emit_class_escape(e, out);
            out.push(']');
        }
        Node::Start => out.push('^'),
        Node::End => out.push('$'),
        Node::WordBoundary(true) => {
            let _ = write!(out, "(?:(?<=[{WORD}])(?![{WORD}])|(?<![{WORD}])(?=[{WORD}]))");
        }
        Node::WordBoundary(false) => {
            let _ = write!(out, "(?:(?<=[{WORD}])(?=[{WORD}])|(?<![{WORD}])(?![{WORD}]))");
        }
        Node::Group(body, capture) => {
            out.push_str(if capture.is_some() { "(" } else { "(?:" });
            emit(body, out);
            out.push(')');
        }
        Node::Look { ahead, negate, body } => {
            out.push_str(match (ahead, negate) {
                (true, false) => "(?=",
                (true, true) => "(?!",
                (false, false) => "(?<=",
                (false, true) => "(?<!",
            });
            emit(body, out);
            out.push(')');
        }
        // In JavaScript a reference to a group that has not matched matches the empty string.
        Node::BackRef(n) => {
            let _ = write!(out, "(?({n})\\k<{n}>)");
        }
        Node::Repeat { node, min, max, greedy } => {
            out.push_str("(?:");
            emit(node, out);
            out.push(')');
            match max {
                Some(max) => {
                    let _ = write!(out, "{{{min},{max}}}");
                }
                None => {
                    let _ = write!(out, "{{{min},}}");
                }
            }
            if !greedy {
                out.push('?');
            }
        }
        Node::Concat(nodes) => nodes.iter().for_each(|n| emit(n, out)),
        Node::Alt(nodes) => {
            out.push_str("(?:");
            for (i, n) in nodes.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                emit(n, out);
            }
            out.push(')');
        }
    }
}

fn emit_char(c: char, out: &mut String) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:X}}}", c as u32);
    }
}

fn emit_class(class: &Class, out: &mut String) {
    if class.items.is_empty() {
        // `[]` matches nothing and `[^]` anything.
        out.push_str(if class.negated { "[\\x{0}-\\x{10FFFF}]" } else { "[^\\x{0}-\\x{10FFFF}]" });
        return;
    }
    out.push('[');
    if class.negated {
        out.push('^');
    }
    for item in &class.items {
        match item {
            ClassItem::Range(a, b) => {
                emit_char(*a, out);
                if a != b {
                    out.push('-');
                    emit_char(*b, out);
                }
            }
            ClassItem::Escape(e) => emit_class_escape(e, out),
        }
    }
    out.push(']');
}

/// A class escape as members of an enclosing `[...]`.
fn emit_class_escape(e: &ClassEscape, out: &mut String) {
    match e {
        ClassEscape::Digit(false) => out.push_str("0-9"),
        ClassEscape::Digit(true) => out.push_str("[^0-9]"),
        ClassEscape::Word(false) => out.push_str(WORD),
        ClassEscape::Word(true) => {
            let _ = write!(out, "[^{WORD}]");
        }
        ClassEscape::Space(negated) => {
            if *negated {
                out.push_str("[^");
            }
            for &(lo, hi) in JS_SPACE {
                emit_char(lo, out);
                if lo != hi {
                    out.push('-');
                    emit_char(hi, out);
                }
            }
            if *negated {
                out.push(']');
            }
        }
        ClassEscape::Property(negated, text) => {
            let _ = write!(out, "\\{}{{{text}}}", if *negated { 'P' } else { 'p' });
        }
    }
}
