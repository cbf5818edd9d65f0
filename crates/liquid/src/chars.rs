//! Character classes as liquidjs and JavaScript define them.
//!
//! liquidjs classifies characters with its own table (word characters include `-` and `?`, every non-ASCII
//! character except a few spaces and curly quotes counts as a word character); JavaScript's `trim` and `\s`
//! use yet another set. Both are reproduced here because template tokenization and string filters depend on
//! the exact sets.

/// Unicode spaces liquidjs treats as blanks on top of the ASCII ones.
const UNICODE_BLANKS: [u32; 19] = [
    0xa0, 0x1680, 0x180e, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
    0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

/// A blank for liquidjs's tokenizer (skipped between tokens and trimmed off tag contents).
pub fn is_blank(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ')
        || (c as u32 >= 0x80 && UNICODE_BLANKS.contains(&(c as u32)))
}

/// A blank that whitespace control (`{%-`, `-%}`) removes from controls text.
///
/// Upstream renders controls as JSON text, where tabs, newlines and other control characters are escapes
/// (`\n`) rather than blanks, so only spaces and the Unicode blanks are trimmed.
pub fn is_trimmable(c: char) -> bool {
    c == ' ' || (c as u32 >= 0x80 && UNICODE_BLANKS.contains(&(c as u32)))
}

/// A character of an identifier for liquidjs: ASCII letters, digits, `_`, `-`, `?` and every non-ASCII
/// character except its blanks and the curly double quotes.
pub fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '?')
    } else {
        !is_blank(c) && c != '\u{201c}' && c != '\u{201d}'
    }
}

/// A quote that opens a string literal.
pub fn is_quote(c: char) -> bool {
    c == '\'' || c == '"'
}

/// JavaScript white space and line terminators (`String.prototype.trim`, regex `\s`).
pub fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// `str.trim()` in JavaScript.
pub fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_space)
}

/// `str.length` in JavaScript: UTF-16 code units.
pub fn utf16_len(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { s.chars().map(char::len_utf16).sum() }
}

/// The character at UTF-16 index `i` (`str[i]`); half of a surrogate pair comes out as U+FFFD because a
/// Rust string cannot hold it.
pub fn utf16_unit_at(s: &str, i: usize) -> Option<char> {
    if s.is_ascii() {
        return s.as_bytes().get(i).map(|&b| b as char);
    }
    let mut pos = 0;
    for c in s.chars() {
        let w = c.len_utf16();
        if i < pos + w {
            return Some(if w == 1 { c } else { '\u{fffd}' });
        }
        pos += w;
    }
    None
}

/// Compares two strings by UTF-16 code units, as JavaScript's `<` does.
pub fn cmp_utf16(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_and_blank_classes_follow_liquidjs() {
        for c in ['a', 'Z', '0', '_', '-', '?', 'é', '😀'] {
            assert!(is_word(c), "{c}");
        }
        for c in ['.', '[', '\'', '|', ' ', '\u{a0}', '\u{201c}', '$'] {
            assert!(!is_word(c), "{c}");
        }
        assert!(is_blank('\u{b}') && is_blank('\u{3000}') && !is_blank('\u{feff}'));
        assert!(is_trimmable(' ') && !is_trimmable('\n') && !is_trimmable('\t'));
    }

    #[test]
    fn javascript_string_helpers() {
        assert_eq!(js_trim("\u{feff} a\u{a0}\n"), "a");
        assert_eq!(utf16_len("a😀é"), 4);
        assert_eq!(utf16_unit_at("a😀b", 1), Some('\u{fffd}'));
        assert_eq!(utf16_unit_at("a😀b", 3), Some('b'));
        assert_eq!(cmp_utf16("\u{ffff}", "😀"), std::cmp::Ordering::Greater);
    }
}
