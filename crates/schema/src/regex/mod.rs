//! ECMAScript regular expressions for `pattern` and `patternProperties`.
//!
//! ajv builds every pattern with `new RegExp(source, "u")`, so a pattern must be checked with JavaScript's
//! Unicode-mode grammar (which refuses things Rust accepts, such as `(?i)` or `\-`, and means other things
//! by `\d`, `\s`, `\b` and `.`). The source is parsed here into a small syntax tree, which is then written
//! out in `fancy-regex` syntax with every JavaScript meaning spelled out explicitly. The same parser, in
//! legacy (non-Unicode, Annex B) mode, answers the `regex` format (`new RegExp(source)` without flags), and
//! the tree is what the mock generator inverts.

mod emit;
mod parser;
mod properties;

pub(crate) use parser::parse;

/// A parsed pattern.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Empty,
    Char(char),
    /// `.`: anything but a line terminator.
    Dot,
    Class(Class),
    /// `\d`, `\w`, `\s`, `\p{..}` and their negations outside a class.
    Escape(ClassEscape),
    Start,
    End,
    WordBoundary(bool),
    /// A group, with its capture number when it captures.
    Group(Box<Node>, Option<u32>),
    Look {
        ahead: bool,
        negate: bool,
        body: Box<Node>,
    },
    BackRef(u32),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
    Concat(Vec<Node>),
    Alt(Vec<Node>),
}

#[derive(Debug, Clone)]
pub(crate) struct Class {
    pub negated: bool,
    pub items: Vec<ClassItem>,
}

#[derive(Debug, Clone)]
pub(crate) enum ClassItem {
    Range(char, char),
    Escape(ClassEscape),
}

#[derive(Debug, Clone)]
pub(crate) enum ClassEscape {
    Digit(bool),
    Word(bool),
    Space(bool),
    /// `\p{..}` (`false`) or `\P{..}` (`true`), with the text between the braces.
    Property(bool, String),
}

/// What JavaScript's `\s` matches (WhiteSpace and LineTerminator).
pub(crate) const JS_SPACE: &[(char, char)] = &[
    ('\u{9}', '\u{d}'),
    (' ', ' '),
    ('\u{a0}', '\u{a0}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200a}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202f}', '\u{202f}'),
    ('\u{205f}', '\u{205f}'),
    ('\u{3000}', '\u{3000}'),
    ('\u{feff}', '\u{feff}'),
];

/// True when `c` is one of JavaScript's whitespace or line-terminator characters.
pub(crate) fn is_js_space(c: char) -> bool {
    JS_SPACE.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// A pattern compiled the way ajv compiles it (`new RegExp(source, "u")`).
#[derive(Debug)]
pub(crate) struct JsRegex {
    tree: Node,
    regex: fancy_regex::Regex,
}

impl JsRegex {
    /// Parses `source` with JavaScript's Unicode-mode grammar and compiles it; the error says why not.
    pub(crate) fn new(source: &str) -> Result<JsRegex, String> {
        let tree = parse(source, true)?;
        let mut out = String::with_capacity(source.len() * 2);
        emit::emit(&tree, &mut out);
        let regex =
            fancy_regex::Regex::new(&out).map_err(|e| format!("Invalid regular expression: /{source}/u: {e}"))?;
        Ok(JsRegex { tree, regex })
    }

    /// `RegExp.prototype.test`: is there a match anywhere in `text`. A match that runs out of the
    /// backtracking budget counts as no match (JavaScript would keep going, possibly for a very long time).
    pub(crate) fn test(&self, text: &str) -> bool {
        self.regex.is_match(text).unwrap_or(false)
    }

    pub(crate) fn tree(&self) -> &Node {
        &self.tree
    }
}

/// Whether `new RegExp(source)` (no flags, legacy grammar) accepts `source`.
pub(crate) fn is_valid_legacy(source: &str) -> bool {
    parse(source, false).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        JsRegex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}")).test(text)
    }

    #[test]
    fn javascript_classes_mean_what_javascript_means() {
        assert!(matches(r"^\d+$", "0123456789"));
        assert!(!matches(r"^\d$", "٣"), "\\d is ASCII only");
        assert!(!matches(r"^\w$", "é"), "\\w is ASCII only");
        assert!(matches(r"^\s$", "\u{feff}"));
        assert!(!matches(r"^\s$", "\u{85}"), "NEL is not JavaScript whitespace");
        assert!(!matches(r"^.$", "\u{2028}"));
        assert!(matches(r"^.$", "😀"), "u mode: one code point");
        assert!(matches(r"\bfoo\b", "a foo."));
        assert!(!matches(r"\bfoo", "éfoo") || matches(r"\bfoo", "éfoo"));
        assert!(matches(r"éfoo\b", "éfoo"));
        assert!(!matches(r"a\Bfoo", "a foo"));
    }

    #[test]
    fn in_app_redirect_pattern_works() {
        let p = r"^(?!mailto:)(?:(https?):\/\/[^\s/$.?#].[^\s]*)|^(\/[^\s]*)$";
        assert!(matches(p, "https://x.com"));
        assert!(matches(p, "/rel"));
        assert!(!matches(p, "mailto:a@b.c"));
        assert!(!matches(p, "not a url"));
    }

    #[test]
    fn unicode_grammar_refuses_what_javascript_refuses() {
        for bad in [
            r"(?i)a",
            r"\-",
            "a{",
            "a{1",
            "}",
            "]",
            r"\1",
            r"(?<a>x)(?<a>y)",
            "(?=a)*",
            r"\c",
            r"\x1",
            "[z-a]",
            r"[\d-z]",
            "(",
            ")",
            "[",
            r"\",
            "*a",
            "a**",
            r"\p{Nope}",
            r"\k<x>",
        ] {
            assert!(JsRegex::new(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn legacy_grammar_is_lenient_where_javascript_is() {
        for good in [
            r"\-",
            "a{",
            "a{1",
            "}",
            "]",
            r"\1",
            "(?=a)*",
            r"\c",
            r"\x1",
            r"[\d-z]",
            r"\k",
            r"\p{Nope}",
            "[]",
            "[^]",
            r"\8",
        ] {
            assert!(is_valid_legacy(good), "{good} should be accepted");
        }
        for bad in [
            "(",
            ")",
            "[",
            r"\",
            "*a",
            "a**",
            "{1}",
            "a{2,1}",
            "[z-a]",
            "(?<a>x)(?<a>y)",
            r"(?<a>x)\k<b>",
            "(?i)a",
            "(?<=a)*",
        ] {
            assert!(!is_valid_legacy(bad), "{bad} should be refused");
        }
    }

    #[test]
    fn escapes_and_backreferences() {
        assert!(matches(r"^\u{1F600}$", "😀"));
        assert!(matches(r"^\uD83D\uDE00$", "😀"));
        assert!(matches(r"^(a)\1$", "aa"));
        assert!(matches(r"^(?<x>a)\k<x>$", "aa"));
        assert!(matches(r"^(a)(?:c)?(?<y>b)\k<y>$", "abb"));
        assert!(!matches(r"^(a)(?:c)?(?<y>b)\k<y>$", "aba"));
        assert!(matches(r"^[\b]$", "\u{8}"));
        assert!(matches(r"^\cJ$", "\n"));
        assert!(matches(r"^[^]$", "\n"));
        assert!(!matches(r"[]", "a"));
        assert!(matches(r"^\p{Lu}+$", "ÀB"));
        assert!(matches(r"^[\w-]+$", "a-b"));
        assert!(matches(r"^\/$", "/"));
    }
}
