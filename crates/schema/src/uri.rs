//! URI-shaped formats of ajv-formats 2.1.1: `uri`, `uri-reference`, `uri-template`, `url`, and the IPv6
//! grammar they share with `ipv6`.
//!
//! ajv-formats matches these with large case-insensitive regular expressions whose alternatives overlap;
//! here each is a small parser that tries the same alternatives. Except for `url` (a Unicode-mode
//! pattern), every character class is ASCII, so non-ASCII text never matches them.

use super::formats::is_ipv4;
use super::regex::is_js_space;

/// `%` followed by two hex digits at `b[i]`.
pub(crate) fn is_pct(b: &[u8], i: usize) -> bool {
    b.get(i) == Some(&b'%')
        && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
        && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
}

fn is_unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-._~".contains(&c)
}

fn is_sub_delim(c: u8) -> bool {
    b"!$&'()*+,;=".contains(&c)
}

/// Every byte satisfies `allowed` or starts a valid `%XX` escape.
fn all_chars(b: &[u8], allowed: impl Fn(u8) -> bool) -> bool {
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if !is_pct(b, i) {
                return false;
            }
            i += 3;
        } else if allowed(b[i]) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// The two grammars differ only in that `uri-reference` also lets `"` through in most places.
#[derive(Clone, Copy)]
struct Flavor {
    quote: bool,
}

impl Flavor {
    fn quote(self, c: u8) -> bool {
        self.quote && c == b'"'
    }

    fn pchar(self, c: u8) -> bool {
        is_unreserved(c) || is_sub_delim(c) || c == b':' || c == b'@' || self.quote(c)
    }

    fn path(self, b: &[u8]) -> bool {
        all_chars(b, |c| c == b'/' || self.pchar(c))
    }

    fn reg_name(self, b: &[u8]) -> bool {
        all_chars(b, |c| is_unreserved(c) || is_sub_delim(c) || self.quote(c))
    }

    fn query(self, b: &[u8]) -> bool {
        all_chars(b, |c| c == b'/' || c == b'?' || self.pchar(c))
    }

    /// Hierarchical part, query and fragment after the scheme (or from the start of a relative reference).
    fn rest(self, b: &[u8], hier_required: bool) -> bool {
        let h = b.iter().position(|&c| c == b'?' || c == b'#').unwrap_or(b.len());
        let (hier, mut tail) = b.split_at(h);
        if hier.is_empty() {
            if hier_required {
                return false;
            }
        } else if !self.hier(hier) {
            return false;
        }
        if let Some(q) = tail.strip_prefix(b"?") {
            let end = q.iter().position(|&c| c == b'#').unwrap_or(q.len());
            if !self.query(&q[..end]) {
                return false;
            }
            tail = &q[end..];
        }
        match tail.strip_prefix(b"#") {
            Some(fragment) => self.query(fragment),
            None => tail.is_empty(),
        }
    }

    fn hier(self, b: &[u8]) -> bool {
        let with_authority =
            |skip: usize| b.len() >= skip && b[..skip].iter().all(|&c| c == b'/') && self.authority_path(&b[skip..]);
        let rooted = b[0] == b'/' && b.get(1) != Some(&b'/') && self.path(b);
        let rootless = b[0] != b'/' && self.path(b);
        rootless || rooted || with_authority(1) || with_authority(2)
    }

    fn authority_path(self, b: &[u8]) -> bool {
        let end = b.iter().position(|&c| c == b'/').unwrap_or(b.len());
        self.authority(&b[..end]) && self.path(&b[end..])
    }

    fn authority(self, b: &[u8]) -> bool {
        let host_port = match b.iter().position(|&c| c == b'@') {
            Some(at) => {
                let userinfo_ok = all_chars(&b[..at], |c| is_unreserved(c) || is_sub_delim(c) || c == b':');
                if !userinfo_ok {
                    return false;
                }
                &b[at + 1..]
            }
            None => b,
        };
        let after_host = if let Some(inner) = host_port.strip_prefix(b"[") {
            let Some(close) = inner.iter().position(|&c| c == b']') else {
                return false;
            };
            if !ip_literal(&inner[..close]) {
                return false;
            }
            &inner[close + 1..]
        } else {
            let end = host_port.iter().position(|&c| c == b':').unwrap_or(host_port.len());
            if !self.reg_name(&host_port[..end]) {
                return false;
            }
            &host_port[end..]
        };
        match after_host.strip_prefix(b":") {
            Some(port) => port.iter().all(u8::is_ascii_digit),
            None => after_host.is_empty(),
        }
    }
}

/// `IPv6address` or `IPvFuture` between brackets.
fn ip_literal(b: &[u8]) -> bool {
    if let [b'v' | b'V', rest @ ..] = b {
        let hex = rest.iter().take_while(|c| c.is_ascii_hexdigit()).count();
        return hex > 0
            && rest.get(hex) == Some(&b'.')
            && rest.len() > hex + 1
            && rest[hex + 1..].iter().all(|&c| is_unreserved(c) || is_sub_delim(c) || c == b':');
    }
    std::str::from_utf8(b).is_ok_and(|s| is_ipv6(s, true))
}

/// `scheme ":"` at the start: the index of the colon.
fn scheme_end(b: &[u8]) -> Option<usize> {
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let n = b.iter().take_while(|c| c.is_ascii_alphanumeric() || b"+-.".contains(c)).count();
    (b.get(n) == Some(&b':')).then_some(n)
}

/// `uri`: an absolute URI (scheme required, hierarchical part required).
pub(crate) fn is_uri(s: &str) -> bool {
    let b = s.as_bytes();
    s.is_ascii() && scheme_end(b).is_some_and(|i| Flavor { quote: false }.rest(&b[i + 1..], true))
}

/// `uri-reference`: an absolute URI or a relative reference (the empty string included).
pub(crate) fn is_uri_reference(s: &str) -> bool {
    let b = s.as_bytes();
    let flavor = Flavor { quote: true };
    s.is_ascii() && (scheme_end(b).is_some_and(|i| flavor.rest(&b[i + 1..], false)) || flavor.rest(b, false))
}

/// RFC 3986 `h16`: one to four hex digits.
fn is_h16(s: &str) -> bool {
    (1..=4).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_hexdigit())
}

/// IPv6 text form: eight groups, or fewer around one `::`, the last 32 bits possibly dotted.
/// `leading_zeros` is whether the dotted part may have octets like `01` (the URI grammar's form).
pub(crate) fn is_ipv6(s: &str, leading_zeros: bool) -> bool {
    // Counts the groups of a `:`-separated run; the last may be an IPv4 address worth two groups.
    let groups = |part: &str| -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let pieces: Vec<&str> = part.split(':').collect();
        let mut count = 0;
        for (i, piece) in pieces.iter().enumerate() {
            if i + 1 == pieces.len() && piece.contains('.') {
                if !is_ipv4(piece, leading_zeros) {
                    return None;
                }
                count += 2;
            } else if is_h16(piece) {
                count += 1;
            } else {
                return None;
            }
        }
        Some(count)
    };
    if !s.is_ascii() {
        return false;
    }
    match s.find("::") {
        None => groups(s) == Some(8),
        Some(i) => {
            let (left, right) = (&s[..i], &s[i + 2..]);
            if right.contains("::") || left.contains('.') {
                return false;
            }
            match (groups(left), groups(right)) {
                (Some(l), Some(r)) => l + r <= 7,
                _ => false,
            }
        }
    }
}

/// `uri-template` (RFC 6570 level 4 syntax).
pub(crate) fn is_uri_template(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let hex = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_hexdigit());
    let pct = |i: usize| chars.get(i) == Some(&'%') && hex(i + 1) && hex(i + 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '%' {
            if !pct(i) {
                return false;
            }
            i += 3;
        } else if c == '{' {
            i += 1;
            if chars.get(i).is_some_and(|c| "+#./;?&=,!@|".contains(*c)) {
                i += 1;
            }
            loop {
                // A variable name: letters, digits, `_` and `%XX` escapes, at least one.
                let start = i;
                while let Some(&c) = chars.get(i) {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        i += 1;
                    } else if pct(i) {
                        i += 3;
                    } else {
                        break;
                    }
                }
                if i == start {
                    return false;
                }
                match chars.get(i) {
                    Some('*') => i += 1,
                    Some(':') => {
                        i += 1;
                        if !chars.get(i).is_some_and(|c| ('1'..='9').contains(c)) {
                            return false;
                        }
                        i += 1;
                        let mut more = 0;
                        while more < 3 && chars.get(i).is_some_and(char::is_ascii_digit) {
                            i += 1;
                            more += 1;
                        }
                    }
                    _ => {}
                }
                match chars.get(i) {
                    Some(',') => i += 1,
                    Some('}') => {
                        i += 1;
                        break;
                    }
                    _ => return false,
                }
            }
        } else if (c as u32) <= 0x20 || "\"'<>\\^`{|}".contains(c) {
            return false;
        } else {
            i += 1;
        }
    }
    true
}

/// A host label of `url`: letters, digits or non-ASCII BMP characters, single inner hyphens.
fn is_url_label(label: &str) -> bool {
    let alnum = |c: char| c.is_ascii_alphanumeric() || ('\u{a1}'..='\u{ffff}').contains(&c);
    !label.is_empty()
        && !label.starts_with('-')
        && !label.ends_with('-')
        && !label.contains("--")
        && label.chars().all(|c| c == '-' || alnum(c))
}

fn is_url_domain(host: &str) -> bool {
    let Some((labels, tld)) = host.rsplit_once('.') else {
        return false;
    };
    let tld_ok = tld.chars().count() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic() || ('\u{a1}'..='\u{ffff}').contains(&c));
    tld_ok && labels.split('.').all(is_url_label)
}

/// A public IPv4 host of `url`: private and loopback ranges are refused, as are network and broadcast ends.
fn is_url_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    let [a, b, c, d] = parts[..] else {
        return false;
    };
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 3 && s.bytes().all(|c| c.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    let no_leading_zero = |s: &str| !s.starts_with('0');
    let first = num(a).is_some_and(|v| (1..=223).contains(&v)) && no_leading_zero(a);
    let middle = |s: &str| num(s).is_some_and(|v| if s.len() == 3 { (100..=255).contains(&v) } else { true });
    let last = num(d).is_some_and(|v| (1..=254).contains(&v)) && no_leading_zero(d);
    let private = a == "10"
        || a == "127"
        || (a == "169" && b == "254")
        || (a == "192" && b == "168")
        || (a == "172" && b.len() == 2 && num(b).is_some_and(|v| (16..=31).contains(&v)));
    first && middle(b) && middle(c) && last && !private
}

/// `url`: http, https or ftp with a public IPv4 address or a domain with a top-level name.
pub(crate) fn is_url(s: &str) -> bool {
    // The pattern is case-insensitive in Unicode mode, where `ſ` folds to `s`.
    let lower: String = s.chars().take(8).flat_map(char::to_lowercase).collect();
    let prefix_len = ["http://", "https://", "ftp://", "httpſ://"]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map(|p| s.char_indices().nth(p.chars().count()).map_or(s.len(), |(i, _)| i));
    let Some(start) = prefix_len else {
        return false;
    };
    let rest = &s[start..];
    if host_port_path(rest) {
        return true;
    }
    // User information is any non-empty run of non-space characters before an `@`; try each `@`.
    let first_space = rest.find(is_js_space).unwrap_or(rest.len());
    rest.match_indices('@')
        .take_while(|&(at, _)| at < first_space)
        .any(|(at, _)| at > 0 && host_port_path(&rest[at + 1..]))
}

fn host_port_path(rest: &str) -> bool {
    let end = rest.find([':', '/']).unwrap_or(rest.len());
    let host = &rest[..end];
    if !(is_url_ipv4(host) || is_url_domain(host)) {
        return false;
    }
    let mut after = &rest[end..];
    if let Some(port) = after.strip_prefix(':') {
        let n = port.bytes().take_while(u8::is_ascii_digit).count();
        if !(2..=5).contains(&n) {
            return false;
        }
        after = &port[n..];
    }
    match after.strip_prefix('/') {
        Some(path) => !path.chars().any(is_js_space),
        None => after.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert!(is_uri("https://example.com/a?b#c"));
        assert!(is_uri("urn:isbn:0451450523"));
        assert!(is_uri("http://[::1]:80/"));
        assert!(!is_uri("/relative"));
        assert!(!is_uri("not a uri"));
        assert!(!is_uri("http://exa mple.com"));
        assert!(is_uri_reference(""));
        assert!(is_uri_reference("/relative?x"));
        assert!(is_uri_reference("a\"b"));
        assert!(!is_uri_reference("\\"));
    }

    #[test]
    fn ipv6_forms() {
        for ok in ["::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "::ffff:1.2.3.4", "1:2:3:4:5:6:7::"] {
            assert!(is_ipv6(ok, false), "{ok}");
        }
        for bad in [":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "1:2:3:4:5:6::1.2.3.4", "::01.2.3.4", "12345::"] {
            assert!(!is_ipv6(bad, false), "{bad}");
        }
    }

    #[test]
    fn urls_and_templates() {
        assert!(is_url("https://example.com"));
        assert!(is_url("http://user:pass@example.com:8080/path"));
        assert!(is_url("http://8.8.8.8"));
        assert!(!is_url("http://10.0.0.1"));
        assert!(!is_url("http://localhost"));
        assert!(!is_url("mailto:a@b.c"));
        assert!(is_uri_template("http://example.com/{user}/{+path*}{?q,lang:2}"));
        assert!(!is_uri_template("{}"));
        assert!(!is_uri_template("a b"));
    }
}
