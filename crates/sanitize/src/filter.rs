//! sanitize-html 2.17.5's event handling, specialised to the options @novu/framework 2.13.2 passes:
//! the default tag allow-list plus `style img html head body link meta title`, disallowed tags discarded
//! with their text kept (except inside `script style textarea option xmp`), every attribute allowed
//! unless it starts with `on` (and only an allow-list on `img`), URL attributes limited to safe schemes,
//! `style` attributes left alone, text and attribute values re-escaped.

use std::borrow::Cow;

use super::tree::Attributes;
use super::url;

#[rustfmt::skip]
const ALLOWED_TAGS: &[&str] = &[
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "body", "br",
    "caption", "cite", "code", "col", "colgroup", "data", "dd", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header",
    "hgroup", "hr", "html", "i", "img", "kbd", "li", "link", "main", "mark", "menu", "meta", "nav",
    "ol", "p", "pre", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "section", "small", "span",
    "strong", "style", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "title", "tr", "u", "ul", "var", "wbr",
];

fn is_allowed_tag(name: &str) -> bool {
    ALLOWED_TAGS.binary_search(&name).is_ok()
}

/// Disallowed tags whose content is dropped along with them (`style` is allowed here, so it never is).
fn drops_content(name: &str) -> bool {
    matches!(name, "script" | "style" | "textarea" | "option" | "xmp")
}

/// Written as `<name … />` and never closed.
fn is_self_closing(name: &str) -> bool {
    matches!(name, "img" | "br" | "hr" | "area" | "base" | "basefont" | "input" | "link" | "meta")
}

#[rustfmt::skip]
const IMG_ATTRIBUTES: &[&str] = &[
    "alt", "class", "crossorigin", "dir", "height", "id", "ismap", "lang", "loading", "sizes",
    "src", "srcset", "style", "title", "usemap", "width",
];

/// The only attributes upstream keeps on `img`.
fn is_img_attribute(name: &str) -> bool {
    IMG_ATTRIBUTES.binary_search(&name).is_ok()
}

#[rustfmt::skip]
const NON_BOOLEAN_ATTRIBUTES: &[&str] = &[
    "abbr", "accept", "accept-charset", "accesskey", "action", "allow", "alt", "as",
    "autocapitalize", "autocomplete", "blocking", "charset", "cite", "class", "color", "cols",
    "colspan", "content", "contenteditable", "coords", "crossorigin", "data", "datetime",
    "decoding", "dir", "dirname", "download", "draggable", "enctype", "enterkeyhint",
    "fetchpriority", "for", "form", "formaction", "formenctype", "formmethod", "formtarget",
    "headers", "height", "hidden", "high", "href", "hreflang", "http-equiv", "id", "imagesizes",
    "imagesrcset", "inputmode", "integrity", "is", "itemid", "itemprop", "itemref", "itemtype",
    "kind", "label", "lang", "list", "loading", "low", "max", "maxlength", "media", "method", "min",
    "minlength", "name", "nonce", "optimum", "pattern", "ping", "placeholder", "popover",
    "popovertarget", "popovertargetaction", "poster", "preload", "referrerpolicy", "rel", "rows",
    "rowspan", "sandbox", "scope", "shape", "size", "sizes", "slot", "span", "spellcheck", "src",
    "srcdoc", "srclang", "srcset", "start", "step", "style", "tabindex", "target", "title",
    "translate", "type", "usemap", "value", "width", "wrap",
];

/// Attributes dropped when their value is empty (sanitize-html's `nonBooleanAttributes`, less the `on*`
/// names, which never get this far); `alt` is the exception and is written as `alt=""`.
fn is_non_boolean(name: &str) -> bool {
    NON_BOOLEAN_ATTRIBUTES.binary_search(&name).is_ok()
}

#[rustfmt::skip]
const URL_ATTRIBUTES: &[&str] = &[
    "action", "archive", "background", "cite", "classid", "codebase", "data", "dynsrc",
    "formaction", "href", "itemid", "longdesc", "lowsrc", "manifest", "ping", "poster", "profile",
    "src", "usemap", "xlink:href",
];

/// Attributes whose value is a URL and must pass the scheme check.
fn is_url_attribute(name: &str) -> bool {
    URL_ATTRIBUTES.binary_search(&name).is_ok()
}

/// Names that cannot end an attribute or tag early when written back out.
fn is_valid_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && !name.bytes().any(|b| matches!(b, 0 | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'<' | b'=' | b'>'))
}

/// The name as a JavaScript array index (canonical decimal below 2^32 − 1); such attribute names come
/// first, in numeric order, because attributes travel in a plain object.
fn array_index(name: &str) -> Option<u32> {
    let b = name.as_bytes();
    if b.is_empty() || b.len() > 10 || !b.iter().all(u8::is_ascii_digit) || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    name.parse::<u32>().ok().filter(|&n| n != u32::MAX)
}

struct Frame {
    tag: String,
    dropped: bool,
}

pub(super) struct Filter {
    out: String,
    frames: Vec<Frame>,
    /// Nesting depth inside a dropped content-less element; 0 when not inside one.
    skip_depth: usize,
    /// The span of `out` last written by [`Filter::push_raw`]: raw text continues it when nothing
    /// else was written in between.
    raw_start: usize,
    raw_end: usize,
}

impl Filter {
    pub(super) fn new(capacity: usize) -> Self {
        Filter {
            out: String::with_capacity(capacity),
            frames: Vec::new(),
            skip_depth: 0,
            raw_start: 0,
            raw_end: usize::MAX,
        }
    }

    pub(super) fn into_output(self) -> String {
        self.out
    }

    pub(super) fn open(&mut self, name: &str, attributes: Attributes) {
        if self.skip_depth > 0 {
            self.skip_depth += 1;
            return;
        }
        let allowed = is_allowed_tag(name);
        self.frames.push(Frame { tag: name.to_owned(), dropped: !allowed });
        if !allowed {
            if drops_content(name) {
                self.skip_depth = 1;
            }
            return;
        }
        self.out.push('<');
        self.out.push_str(name);
        self.write_attributes(name, attributes);
        self.out.push_str(if is_self_closing(name) { " />" } else { ">" });
    }

    pub(super) fn text(&mut self, text: &str) {
        if self.skip_depth > 0 {
            return;
        }
        match self.frames.last() {
            // sanitize-html passes style sheets through untouched.
            Some(frame) if !frame.dropped && frame.tag == "style" => self.push_raw(text),
            _ => escape_into(&mut self.out, text, false),
        }
    }

    pub(super) fn close(&mut self, name: &str) {
        if self.skip_depth > 0 {
            self.skip_depth -= 1;
            if self.skip_depth > 0 {
                return;
            }
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if frame.tag != name {
            // A close for a tag whose start never completed: sanitize-html keeps its frame stack as is.
            self.frames.push(frame);
            return;
        }
        if frame.dropped || is_self_closing(name) {
            return;
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Appends style sheet text unescaped, as sanitize-html does, with one deliberate difference: a
    /// `</style` that a browser would take as the end tag (followed by whitespace, `/` or `>`) is written
    /// `<\/style`. Upstream can emit one (`<style/>` then `&lt;/style&gt;&lt;script&gt;…`), ending the
    /// element early so that the markup after it runs. Raw pieces may meet across dropped tags, so the
    /// check looks back over the seam.
    fn push_raw(&mut self, text: &str) {
        let before = self.out.len();
        if self.raw_end != before {
            self.raw_start = before;
        }
        self.out.push_str(text);
        self.raw_end = self.out.len();
        let from = self.raw_start.max(before.saturating_sub(STYLE_CLOSE.len()));
        if !self.out.as_bytes()[from..].windows(STYLE_CLOSE.len() + 1).any(ends_style) {
            return;
        }
        let tail = self.out.split_off(from);
        let mut copied = 0;
        for (i, window) in tail.as_bytes().windows(STYLE_CLOSE.len() + 1).enumerate() {
            if ends_style(window) {
                self.out.push_str(&tail[copied..=i]);
                self.out.push('\\');
                copied = i + 1;
            }
        }
        self.out.push_str(&tail[copied..]);
        self.raw_end = self.out.len();
    }

    fn write_attributes(&mut self, tag: &str, attributes: Attributes) {
        let mut list = attributes.list;
        if list.iter().any(|(name, _)| array_index(name).is_some()) {
            // Stable: index-named attributes move to the front in numeric order, the rest keep theirs.
            list.sort_by_key(|(name, _)| array_index(name).map_or((1, 0), |n| (0, n)));
        }
        let is_img = tag == "img";
        for (name, value) in &list {
            if (is_img && !is_img_attribute(name))
                || name.starts_with("on")
                || !is_valid_attribute_name(name)
                || (value.is_empty() && name != "alt" && is_non_boolean(name))
                || (is_url_attribute(name) && url::is_naughty(value))
            {
                continue;
            }
            let value = if name == "srcset" || name == "imagesrcset" {
                match url::filter_srcset(value) {
                    Some(filtered) => Cow::Owned(filtered),
                    None => continue,
                }
            } else {
                Cow::Borrowed(value.as_str())
            };
            self.out.push(' ');
            self.out.push_str(name);
            if !value.is_empty() {
                self.out.push_str("=\"");
                escape_into(&mut self.out, &value, true);
                self.out.push('"');
            } else if name == "alt" {
                self.out.push_str("=\"\"");
            }
        }
    }
}

const STYLE_CLOSE: &[u8] = b"</style";

/// `</style` followed by a byte that ends a tag name in a browser.
fn ends_style(window: &[u8]) -> bool {
    let (head, next) = window.split_at(STYLE_CLOSE.len());
    head[..2] == STYLE_CLOSE[..2]
        && head[2..].eq_ignore_ascii_case(&STYLE_CLOSE[2..])
        && matches!(next[0], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>')
}

/// Escapes `&`, `<`, `>` (and `"` inside attribute values); everything else is written as is.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    let mut copied = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if attribute => "&quot;",
            _ => continue,
        };
        out.push_str(&text[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&text[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_for_binary_search() {
        for list in [ALLOWED_TAGS, IMG_ATTRIBUTES, NON_BOOLEAN_ATTRIBUTES, URL_ATTRIBUTES] {
            assert!(list.windows(2).all(|w| w[0] < w[1]));
        }
        assert_eq!(ALLOWED_TAGS.len(), 78);
    }

    #[test]
    fn escaping() {
        let mut out = String::new();
        escape_into(&mut out, "a&b<c>d\"e'", false);
        assert_eq!(out, "a&amp;b&lt;c&gt;d\"e'");
        out.clear();
        escape_into(&mut out, "a&b<c>d\"e'", true);
        assert_eq!(out, "a&amp;b&lt;c&gt;d&quot;e'");
    }

    #[test]
    fn array_indexes() {
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("4294967294"), Some(4_294_967_294));
        assert_eq!(array_index("4294967295"), None);
        assert_eq!(array_index("01"), None);
        assert_eq!(array_index("1a"), None);
        assert_eq!(array_index(""), None);
    }

    #[test]
    fn style_close_is_neutralised() {
        let mut f = Filter::new(0);
        f.open("style", Attributes::default());
        f.text("a</STYLE>");
        f.text("<");
        f.open("font", Attributes::default());
        f.close("font");
        f.text("/style b</stylex </style");
        f.close("style");
        assert_eq!(f.into_output(), "<style>a<\\/STYLE><\\/style b</stylex </style</style>");
    }
}
