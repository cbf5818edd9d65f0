//! `url_encode`, `url_decode`, `cgi_escape`, `uri_escape` (JavaScript's URI functions) and `slugify`.

use std::sync::LazyLock;

use regex::Regex;

use super::{Args, FilterId};
use crate::error::{LiquidError, Result};
use crate::render::Session;
use crate::value::{Val, js_string, liquid_string};

/// Characters `encodeURIComponent` leaves alone.
fn component_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b)
}

/// Characters `encodeURI` also leaves alone.
fn uri_safe(b: u8) -> bool {
    component_safe(b) || b";/?:@&=+$,#".contains(&b)
}

fn percent_encode(s: &str, safe: fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if safe(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `decodeURIComponent`: every `%XX` must be valid hex and the bytes valid UTF-8, else a `URIError`.
fn decode_component(s: &str) -> Result<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let mut seq = Vec::new();
        let first = hex_byte(bytes, i)?;
        seq.push(first);
        i += 3;
        let extra = match first {
            0x00..=0x7f => 0,
            0xc0..=0xdf => 1,
            0xe0..=0xef => 2,
            0xf0..=0xf7 => 3,
            _ => return Err(uri_error()),
        };
        for _ in 0..extra {
            if bytes.get(i) != Some(&b'%') {
                return Err(uri_error());
            }
            seq.push(hex_byte(bytes, i)?);
            i += 3;
        }
        match std::str::from_utf8(&seq) {
            Ok(text) => out.extend_from_slice(text.as_bytes()),
            Err(_) => return Err(uri_error()),
        }
    }
    String::from_utf8(out).map_err(|_| uri_error())
}

fn hex_byte(bytes: &[u8], i: usize) -> Result<u8> {
    let h = bytes.get(i + 1..i + 3).ok_or_else(uri_error)?;
    let text = std::str::from_utf8(h).map_err(|_| uri_error())?;
    u8::from_str_radix(text, 16).map_err(|_| uri_error())
}

fn uri_error() -> LiquidError {
    LiquidError::render("URIError: URI malformed")
}

static SLUG_DEFAULT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[^\p{M}\p{L}\p{Nd}]+").expect("valid regex"));
static SLUG_PRETTY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+").expect("valid regex"));
static SLUG_ASCII: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[^A-Za-z0-9]+").expect("valid regex"));
static SLUG_RAW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\t\n\x0B\x0C\r \u{a0}\u{1680}\u{2000}-\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{feff}]+")
        .expect("valid regex")
});

/// Latin letters `slugify: 'latin'` folds to ASCII.
const ACCENTS: [(&str, &str); 16] = [
    ("àáâãäå", "a"),
    ("æ", "ae"),
    ("ç", "c"),
    ("èéêë", "e"),
    ("ìíîï", "i"),
    ("ð", "d"),
    ("ñ", "n"),
    ("òóôõöø", "o"),
    ("ùúûü", "u"),
    ("ýÿ", "y"),
    ("ß", "ss"),
    ("œ", "oe"),
    ("þ", "th"),
    ("ẞ", "SS"),
    ("Œ", "OE"),
    ("Þ", "TH"),
];

fn remove_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match ACCENTS.iter().find(|(set, _)| set.contains(c)) {
            Some((_, rep)) => out.push_str(rep),
            None => out.push(c),
        }
    }
    out
}

fn slugify(input: &str, mode: &str, cased: bool) -> String {
    let replacer = match mode {
        "raw" => Some(&*SLUG_RAW),
        "default" | "latin" => Some(&*SLUG_DEFAULT),
        "pretty" => Some(&*SLUG_PRETTY),
        "ascii" => Some(&*SLUG_ASCII),
        _ => None,
    };
    let mut s = input.to_string();
    if let Some(re) = replacer {
        if mode == "latin" {
            s = remove_accents(&s);
        }
        s = re.replace_all(&s, "-").into_owned();
        if s.starts_with('-') {
            s.remove(0);
        }
        if s.ends_with('-') {
            s.pop();
        }
    }
    if cased { s } else { s.to_lowercase() }
}

pub(super) fn apply<'a>(s: &mut Session<'a>, id: FilterId, v: &Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    let input = liquid_string(v);
    let out = match id {
        FilterId::UrlDecode => decode_component(&input.replace('+', " "))?,
        FilterId::UrlEncode => percent_encode(&input, component_safe).replace("%20", "+"),
        FilterId::CgiEscape => {
            let encoded = percent_encode(&input, component_safe).replace("%20", "+");
            let mut out = String::with_capacity(encoded.len());
            for c in encoded.chars() {
                match c {
                    '!' | '\'' | '(' | ')' | '*' => out.push_str(&format!("%{:X}", c as u32)),
                    c => out.push(c),
                }
            }
            out
        }
        FilterId::UriEscape => {
            let safe = |b: u8| uri_safe(b) || b == b'[' || b == b']';
            percent_encode(&input, safe)
        }
        _ => {
            let mode = a.given(0).map_or_else(|| "default".into(), js_string);
            let cased = a.get(1).is_some_and(Val::js_truthy);
            slugify(&input, &mode, cased)
        }
    };
    s.check_string(out.len())?;
    Ok(Val::str(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_functions() {
        assert_eq!(percent_encode("a b&é/", component_safe), "a%20b%26%C3%A9%2F");
        assert_eq!(decode_component("a%20b%C3%A9").unwrap(), "a bé");
        assert!(decode_component("%").is_err());
        assert!(decode_component("%C3").is_err());
        assert!(decode_component("%ZZ").is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify(" Héllo, Wörld! ", "default", false), "héllo-wörld");
        assert_eq!(slugify("Héllo Wörld", "latin", false), "hello-world");
        assert_eq!(slugify("Héllo Wörld", "ascii", true), "H-llo-W-rld");
        assert_eq!(slugify("A b", "none", false), "a b");
    }
}
