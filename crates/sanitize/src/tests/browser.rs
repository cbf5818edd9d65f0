//! A test oracle independent of the sanitiser: reads output the way a browser's HTML tokenizer does
//! (WHATWG tokenizer states, raw-text and RCDATA elements, comments, attribute syntax) and reports any
//! element outside the allow-list, any `on*` attribute, or any URL attribute whose scheme a browser
//! would run or load inline (`javascript:`, `vbscript:`, `data:`).

use super::super::entities::{self, Mode};

const ALLOWED: &[&str] = &[
    "address",
    "article",
    "aside",
    "footer",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hgroup",
    "main",
    "nav",
    "section",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "hr",
    "li",
    "menu",
    "ol",
    "p",
    "pre",
    "ul",
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "br",
    "cite",
    "code",
    "data",
    "dfn",
    "em",
    "i",
    "kbd",
    "mark",
    "q",
    "rb",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
    "wbr",
    "caption",
    "col",
    "colgroup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "style",
    "img",
    "html",
    "head",
    "body",
    "link",
    "meta",
    "title",
];

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "background",
    "cite",
    "data",
    "poster",
    "ping",
    "lowsrc",
    "dynsrc",
    "longdesc",
    "codebase",
    "classid",
    "archive",
    "profile",
    "manifest",
    "itemid",
    "usemap",
];

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

pub(super) fn check(html: &str) -> Result<(), String> {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            Some(b'!') => i = skip_markup_declaration(b, i + 2),
            Some(b'?') => i = skip_to_gt(b, i + 2),
            Some(b'/') => match b.get(i + 2) {
                Some(c) if c.is_ascii_alphabetic() => i = read_tag(html, i + 2, |_, _| Ok(()))?.0,
                Some(b'>') => i += 3,
                None => i += 2,
                Some(_) => i = skip_to_gt(b, i + 2),
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let (end, name) = read_tag(html, i + 1, check_attribute)?;
                if !ALLOWED.contains(&name.as_str()) {
                    return Err(format!("element <{name}> survives"));
                }
                i = match name.as_str() {
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" | "script" | "title"
                    | "textarea" => skip_raw_text(b, end, &name),
                    "plaintext" => b.len(),
                    _ => end,
                };
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn skip_to_gt(b: &[u8], from: usize) -> usize {
    b[from.min(b.len())..].iter().position(|&c| c == b'>').map_or(b.len(), |p| from + p + 1)
}

fn skip_markup_declaration(b: &[u8], from: usize) -> usize {
    let rest = &b[from.min(b.len())..];
    if !rest.starts_with(b"--") {
        return skip_to_gt(b, from);
    }
    let body = from + 2;
    // `<!-->` and `<!--->` end at once.
    if b.get(body) == Some(&b'>') {
        return body + 1;
    }
    if b.get(body) == Some(&b'-') && b.get(body + 1) == Some(&b'>') {
        return body + 2;
    }
    let mut j = body;
    while j < b.len() {
        if b[j..].starts_with(b"-->") {
            return j + 3;
        }
        if b[j..].starts_with(b"--!>") {
            return j + 4;
        }
        j += 1;
    }
    b.len()
}

/// Skips the contents of a raw-text or RCDATA element up to its end tag.
fn skip_raw_text(b: &[u8], from: usize, name: &str) -> usize {
    let mut j = from;
    while j < b.len() {
        if b[j] == b'<'
            && b.get(j + 1) == Some(&b'/')
            && b.len() >= j + 2 + name.len()
            && b[j + 2..j + 2 + name.len()].eq_ignore_ascii_case(name.as_bytes())
            && b.get(j + 2 + name.len()).is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
        {
            return j;
        }
        j += 1;
    }
    b.len()
}

/// Reads a tag from its name to its `>`, calling `on_attribute` for each attribute (first of a name
/// wins). Returns the position after the tag and the lower-cased name.
fn read_tag(
    html: &str,
    from: usize,
    on_attribute: impl Fn(&str, &str) -> Result<(), String>,
) -> Result<(usize, String), String> {
    let b = html.as_bytes();
    let mut j = from;
    while j < b.len() && !is_space(b[j]) && b[j] != b'/' && b[j] != b'>' {
        j += 1;
    }
    let name = html[from..j].to_ascii_lowercase();
    let mut seen: Vec<String> = Vec::new();
    loop {
        while j < b.len() && (is_space(b[j]) || b[j] == b'/') {
            j += 1;
        }
        if j >= b.len() {
            return Ok((b.len(), name));
        }
        if b[j] == b'>' {
            return Ok((j + 1, name));
        }
        // Attribute name: the first character may be anything, `=` included.
        let start = j;
        j += 1;
        while j < b.len() && !is_space(b[j]) && b[j] != b'/' && b[j] != b'>' && b[j] != b'=' {
            j += 1;
        }
        let attr = html[start..j].to_ascii_lowercase();
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        let mut value = String::new();
        if b.get(j) == Some(&b'=') {
            j += 1;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            let (raw_start, raw_end) = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = b[j + 1..].iter().position(|&c| c == q).map_or(b.len(), |p| j + 1 + p);
                    let range = (j + 1, end);
                    j = (end + 1).min(b.len());
                    range
                }
                _ => {
                    let start = j;
                    while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                    (start, j)
                }
            };
            value = decode_attribute(&html[raw_start..raw_end]);
        }
        if !seen.contains(&attr) {
            on_attribute(&attr, &value)?;
            seen.push(attr);
        }
    }
}

fn decode_attribute(raw: &str) -> String {
    let b = raw.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    let mut buf = [0u8; 4];
    while i < b.len() {
        if b[i] == b'&'
            && let Some((end, value)) = entities::decode(b, i + 1, Mode::Attribute).decoded
        {
            out.push_str(value.as_str(&mut buf));
            i = end;
            continue;
        }
        let ch = raw[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn check_attribute(name: &str, value: &str) -> Result<(), String> {
    if name.starts_with("on") {
        return Err(format!("event handler attribute {name}"));
    }
    if URL_ATTRIBUTES.contains(&name) {
        check_url(name, value)?;
    }
    if name == "srcset" || name == "imagesrcset" {
        for candidate in value.split(',') {
            check_url(name, candidate.split_ascii_whitespace().next().unwrap_or(""))?;
        }
    }
    Ok(())
}

/// The scheme a browser's URL parser finds: leading/trailing C0 controls and spaces trimmed, tabs and
/// newlines removed anywhere.
fn check_url(name: &str, value: &str) -> Result<(), String> {
    let cleaned: String =
        value.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    if let Some((scheme, _)) = cleaned.split_once(':') {
        let scheme = scheme.to_ascii_lowercase();
        if ["javascript", "vbscript", "data"].contains(&scheme.as_str()) {
            return Err(format!("{name}={value:?} keeps a {scheme}: URL"));
        }
    }
    Ok(())
}
