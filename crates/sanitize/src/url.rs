//! URL checks sanitize-html applies to URL-bearing attributes: launder's `naughtyHref` with the default
//! scheme allow-list, and `srcset` candidate filtering (parse-srcset, then re-joined).

use crate::json::write_f64;

/// Schemes a URL attribute may use; anything else (`javascript:`, `data:`, `vbscript:` …) is removed.
const ALLOWED_SCHEMES: &[&[u8]] = &[b"http", b"https", b"ftp", b"mailto", b"tel"];

/// True when the URL must be dropped. Control characters and spaces are ignored wherever they are and
/// `<!-- … -->` runs are cut out first, as browsers skip them too (`java&#9;script:` is caught).
pub(super) fn is_naughty(href: &str) -> bool {
    let cleaned = clean(href.as_bytes());
    let scheme_len = match cleaned.first() {
        Some(b) if b.is_ascii_alphabetic() => cleaned
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+')))
            .filter(|&end| cleaned[end] == b':'),
        // No scheme: relative, or protocol-relative (`//host`, `\\host`), which is allowed.
        _ => None,
    };
    match scheme_len {
        Some(len) => !ALLOWED_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(&cleaned[..len])),
        None => false,
    }
}

/// Drops bytes up to U+0020, then repeatedly removes the first `<!--` together with the first `-->` after
/// it (stopping at the first `<!--` that has none). One pass: a new `<!--` can only form at the seam.
fn clean(href: &[u8]) -> Vec<u8> {
    let kept: Vec<u8> = href.iter().copied().filter(|&b| b > b' ').collect();
    if !kept.windows(4).any(|w| w == b"<!--") {
        return kept;
    }
    let mut out = Vec::with_capacity(kept.len());
    let mut i = 0;
    while i < kept.len() {
        out.push(kept[i]);
        i += 1;
        if out.ends_with(b"<!--") {
            match kept[i..].windows(3).position(|w| w == b"-->") {
                Some(at) => {
                    out.truncate(out.len() - 4);
                    i += at + 3;
                }
                None => {
                    out.extend_from_slice(&kept[i..]);
                    break;
                }
            }
        }
    }
    out
}

/// One `srcset` candidate; a descriptor of 0 means absent (JavaScript's falsy numbers print nothing).
struct Candidate<'a> {
    url: &'a str,
    width: f64,
    height: f64,
    density: f64,
}

/// The `srcset` value with naughty candidates removed, or `None` when no candidate survives.
pub(super) fn filter_srcset(value: &str) -> Option<String> {
    let candidates = parse_srcset(value);
    let mut out = String::new();
    for c in candidates.iter().filter(|c| !is_naughty(c.url)) {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(c.url);
        for (n, unit) in [(c.width, 'w'), (c.height, 'h'), (c.density, 'x')] {
            if n != 0.0 {
                out.push(' ');
                write_f64(&mut out, n);
                out.push(unit);
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// The WHATWG srcset algorithm as parse-srcset 1.0.2 implements it; candidates with bad descriptors
/// are left out.
fn parse_srcset(input: &str) -> Vec<Candidate<'_>> {
    let bytes = input.as_bytes();
    let mut pos = 0;
    let mut candidates = Vec::new();
    loop {
        while pos < bytes.len() && (is_space(bytes[pos]) || bytes[pos] == b',') {
            pos += 1;
        }
        if pos >= bytes.len() {
            return candidates;
        }
        let url_start = pos;
        while pos < bytes.len() && !is_space(bytes[pos]) {
            pos += 1;
        }
        let mut url = &input[url_start..pos];
        let mut descriptors: Vec<&str> = Vec::new();
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
        } else {
            pos = read_descriptors(input, pos, &mut descriptors);
        }
        if let Some(c) = candidate(url, &descriptors) {
            candidates.push(c);
        }
    }
}

#[derive(PartialEq)]
enum DescState {
    InDescriptor,
    InParens,
    AfterDescriptor,
}

/// Splits the descriptors following a URL; returns the position after them (past a closing comma).
fn read_descriptors<'a>(input: &'a str, mut pos: usize, out: &mut Vec<&'a str>) -> usize {
    let bytes = input.as_bytes();
    while pos < bytes.len() && is_space(bytes[pos]) {
        pos += 1;
    }
    let mut start = pos;
    let mut state = DescState::InDescriptor;
    loop {
        let c = bytes.get(pos).copied();
        match state {
            DescState::InDescriptor => match c {
                Some(b) if is_space(b) => {
                    if start < pos {
                        out.push(&input[start..pos]);
                        state = DescState::AfterDescriptor;
                    }
                    start = pos + 1;
                }
                Some(b',') => {
                    if start < pos {
                        out.push(&input[start..pos]);
                    }
                    return pos + 1;
                }
                Some(b'(') => state = DescState::InParens,
                None => {
                    if start < pos {
                        out.push(&input[start..pos]);
                    }
                    return pos;
                }
                Some(_) => {}
            },
            DescState::InParens => match c {
                Some(b')') => state = DescState::InDescriptor,
                None => {
                    out.push(&input[start..pos]);
                    return pos;
                }
                Some(_) => {}
            },
            DescState::AfterDescriptor => match c {
                Some(b) if is_space(b) => start = pos + 1,
                None => return pos,
                Some(_) => {
                    state = DescState::InDescriptor;
                    start = pos;
                    continue;
                }
            },
        }
        pos += 1;
    }
}

fn candidate<'a>(url: &'a str, descriptors: &[&str]) -> Option<Candidate<'a>> {
    let (mut width, mut height, mut density) = (0.0, 0.0, 0.0);
    let mut error = false;
    for desc in descriptors {
        let bytes = desc.as_bytes();
        let Some((&last, value)) = bytes.split_last() else {
            error = true;
            continue;
        };
        let digits = !value.is_empty() && value.iter().all(u8::is_ascii_digit);
        if digits && last == b'w' {
            error |= width != 0.0 || density != 0.0;
            let n = parse_number(value);
            if n == 0.0 {
                error = true;
            } else {
                width = n;
            }
        } else if last == b'x' && is_float(value) {
            error |= width != 0.0 || density != 0.0 || height != 0.0;
            let n = parse_number(value);
            if n < 0.0 {
                error = true;
            } else {
                density = n;
            }
        } else if digits && last == b'h' {
            error |= height != 0.0 || density != 0.0;
            let n = parse_number(value);
            if n == 0.0 {
                error = true;
            } else {
                height = n;
            }
        } else {
            error = true;
        }
    }
    (!error).then_some(Candidate { url, width, height, density })
}

fn parse_number(ascii: &[u8]) -> f64 {
    std::str::from_utf8(ascii).ok().and_then(|s| s.parse().ok()).unwrap_or(0.0)
}

/// `-?(\d+|\d*\.\d+)([eE][+-]?\d+)?`, the floating-point form a density may take.
fn is_float(s: &[u8]) -> bool {
    let digits = |s: &[u8], mut i: usize| {
        let from = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        (i, i - from)
    };
    let mut i = usize::from(s.first() == Some(&b'-'));
    let (after_int, int_digits) = digits(s, i);
    i = after_int;
    if s.get(i) == Some(&b'.') {
        let (after_frac, frac_digits) = digits(s, i + 1);
        if frac_digits == 0 {
            return false;
        }
        i = after_frac;
    } else if int_digits == 0 {
        return false;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let (after_exp, exp_digits) = digits(s, i);
        if exp_digits == 0 {
            return false;
        }
        i = after_exp;
    }
    i == s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(is_naughty("javascript:alert(1)"));
        assert!(is_naughty(" JaVaScRiPt:alert(1)"));
        assert!(is_naughty("java\tscript:x"));
        assert!(is_naughty("java\u{0}script:x"));
        assert!(is_naughty("jav<!-- x -->ascript:x"));
        assert!(is_naughty("data:text/html,x"));
        assert!(is_naughty("vbscript:x"));
        assert!(!is_naughty("https://example.com"));
        assert!(!is_naughty("MAILTO:a@b.c"));
        assert!(!is_naughty("//example.com"));
        assert!(!is_naughty("/path:with:colons"));
        assert!(!is_naughty("#x"));
        assert!(!is_naughty("\u{a0}javascript:x"));
        assert!(!is_naughty("jav<!--ascript:x"));
    }

    #[test]
    fn comment_removal_matches_the_repeated_search() {
        assert_eq!(clean(b"a<!--b-->c<!--d-->e"), b"ace");
        assert_eq!(clean(b"<!<!---->--x-->y"), b"y");
        assert_eq!(clean(b"a<!-->b"), b"a<!-->b");
        assert_eq!(clean(b"a<!--b<!--c-->d"), b"ad");
    }

    #[test]
    fn srcset() {
        assert_eq!(
            filter_srcset("a.png 1x, javascript:x 2x, b.png 100w 50h, c.png 0x, d.png 1e999x").as_deref(),
            Some("a.png 1x, b.png 100w 50h, c.png, d.png Infinityx")
        );
        assert_eq!(filter_srcset("javascript:x"), None);
        assert_eq!(filter_srcset("a.png 1q, b.png"), Some("b.png".to_string()));
        assert_eq!(filter_srcset("a,,, b (x y), c 1.50x"), Some("a, c 1.5x".to_string()));
    }

    #[test]
    fn floats() {
        for ok in ["1", "-1", "1.5", ".5", "1e5", "1.5E-3", "-0"] {
            assert!(is_float(ok.as_bytes()), "{ok}");
        }
        for bad in ["", "-", "1.", ".", "1e", "e5", "+1", "1.5.5"] {
            assert!(!is_float(bad.as_bytes()), "{bad}");
        }
    }
}
