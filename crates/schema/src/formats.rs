//! The `format` checks of ajv-formats 2.1.1 in "full" mode, written as small recognisers.
//!
//! Each function accepts exactly what the corresponding ajv-formats check accepts (verified on a large
//! differential list, `tests/fixtures/formats.json`), including its quirks: `date-time` does not actually
//! require a time zone, `ipv4` allows leading zeros, `byte` is checked line by line. Formats that
//! ajv-formats 2.1.1 does not define (`iso-time`, `iso-date-time`, anything else) are unknown and ignored.

use super::regex;
use super::uri;

/// A known format, resolved once when the schema is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Date,
    Time,
    DateTime,
    Duration,
    Uri,
    UriReference,
    UriTemplate,
    Url,
    Email,
    Hostname,
    Ipv4,
    Ipv6,
    Regex,
    Uuid,
    JsonPointer,
    JsonPointerUriFragment,
    RelativeJsonPointer,
    Byte,
    Int32,
    Int64,
    /// `float`, `double`: any number.
    AnyNumber,
    /// `password`, `binary`: no check at all.
    Unchecked,
}

/// Which data a format applies to (ajv's `type` of the format definition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormatType {
    String,
    Number,
}

impl Format {
    /// The format for a `format` keyword value; `None` when ajv-formats does not know it.
    pub(crate) fn from_name(name: &str) -> Option<Format> {
        Some(match name {
            "date" => Format::Date,
            "time" => Format::Time,
            "date-time" => Format::DateTime,
            "duration" => Format::Duration,
            "uri" => Format::Uri,
            "uri-reference" => Format::UriReference,
            "uri-template" => Format::UriTemplate,
            "url" => Format::Url,
            "email" => Format::Email,
            "hostname" => Format::Hostname,
            "ipv4" => Format::Ipv4,
            "ipv6" => Format::Ipv6,
            "regex" => Format::Regex,
            "uuid" => Format::Uuid,
            "json-pointer" => Format::JsonPointer,
            "json-pointer-uri-fragment" => Format::JsonPointerUriFragment,
            "relative-json-pointer" => Format::RelativeJsonPointer,
            "byte" => Format::Byte,
            "int32" => Format::Int32,
            "int64" => Format::Int64,
            "float" | "double" => Format::AnyNumber,
            "password" | "binary" => Format::Unchecked,
            _ => return None,
        })
    }

    pub(crate) fn data_type(self) -> Option<FormatType> {
        match self {
            Format::Int32 | Format::Int64 | Format::AnyNumber => Some(FormatType::Number),
            Format::Unchecked => None,
            _ => Some(FormatType::String),
        }
    }

    /// Whether ajv-formats defines a comparison for it (needed by `formatMaximum` and friends).
    pub(crate) fn comparable(self) -> bool {
        matches!(self, Format::Date | Format::Time | Format::DateTime)
    }

    pub(crate) fn check_str(self, s: &str) -> bool {
        match self {
            Format::Date => is_date(s),
            Format::Time => is_time(s),
            Format::DateTime => is_date_time(s),
            Format::Duration => is_duration(s),
            Format::Uri => uri::is_uri(s),
            Format::UriReference => uri::is_uri_reference(s),
            Format::UriTemplate => uri::is_uri_template(s),
            Format::Url => uri::is_url(s),
            Format::Email => is_email(s),
            Format::Hostname => is_hostname(s),
            Format::Ipv4 => is_ipv4(s, true),
            Format::Ipv6 => uri::is_ipv6(s, false),
            Format::Regex => is_regex(s),
            Format::Uuid => is_uuid(s),
            Format::JsonPointer => is_json_pointer(s),
            Format::JsonPointerUriFragment => is_json_pointer_fragment(s),
            Format::RelativeJsonPointer => is_relative_json_pointer(s),
            Format::Byte => is_byte(s),
            Format::Int32 | Format::Int64 | Format::AnyNumber | Format::Unchecked => true,
        }
    }

    pub(crate) fn check_number(self, n: f64) -> bool {
        match self {
            Format::Int32 => n.fract() == 0.0 && (-2147483648.0..=2147483647.0).contains(&n),
            Format::Int64 => n.is_finite() && n.fract() == 0.0,
            _ => true,
        }
    }

    /// ajv-formats' `compare` for `formatMaximum` & co: `None` when either side is not comparable.
    pub(crate) fn compare(self, a: &str, b: &str) -> Option<std::cmp::Ordering> {
        if a.is_empty() || b.is_empty() {
            return None;
        }
        match self {
            Format::Date => Some(js_str_cmp(a, b)),
            Format::Time => compare_time(a, b),
            Format::DateTime => {
                let (da, ta) = split_date_time(a);
                let (db, tb) = split_date_time(b);
                if da.is_empty() || db.is_empty() {
                    return None;
                }
                match js_str_cmp(da, db) {
                    std::cmp::Ordering::Equal => compare_time(ta.unwrap_or(""), tb.unwrap_or("")),
                    other => Some(other),
                }
            }
            _ => None,
        }
    }
}

/// JavaScript string comparison (by UTF-16 code units).
fn js_str_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0u32, |acc, d| acc.saturating_mul(10).saturating_add(u32::from(d - b'0'))))
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

/// `YYYY-MM-DD` with a real month and day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..])) else {
        return false;
    };
    const DAYS: [u32; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let max = if month == 2 && is_leap(year) { 29 } else { DAYS.get(month as usize).copied().unwrap_or(0) };
    (1..=12).contains(&month) && day >= 1 && day <= max
}

/// The parts of `HH:MM:SS(.frac)?(zone)?`: hour, minute, second, the `HH MM SS frac` key ajv compares.
struct Time<'a> {
    hour: u32,
    minute: u32,
    second: u32,
    key: (&'a str, &'a str),
}

fn parse_time(s: &str) -> Option<Time<'_>> {
    let b = s.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let hour = digits(&b[..2])?;
    let minute = digits(&b[3..5])?;
    let second = digits(&b[6..8])?;
    let mut i = 8;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let frac_end = i;
    let zone = &b[i..];
    let zone_ok = match zone {
        [] | [b'z' | b'Z'] => true,
        [b'+' | b'-', h1, h2, rest @ ..] if h1.is_ascii_digit() && h2.is_ascii_digit() => match rest {
            [] => true,
            [m1, m2] | [b':', m1, m2] => m1.is_ascii_digit() && m2.is_ascii_digit(),
            _ => false,
        },
        _ => false,
    };
    zone_ok.then_some(Time { hour, minute, second, key: (&s[..8], &s[8..frac_end]) })
}

fn time_in_range(t: &Time<'_>) -> bool {
    (t.hour <= 23 && t.minute <= 59 && t.second <= 59) || (t.hour == 23 && t.minute == 59 && t.second == 60)
}

/// `time`: the zone is optional.
fn is_time(s: &str) -> bool {
    parse_time(s).is_some_and(|t| time_in_range(&t))
}

/// ajv-formats compares times by hours, minutes, seconds and fraction, ignoring the zone.
fn compare_time(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let (ta, tb) = (parse_time(a)?, parse_time(b)?);
    let key = |t: &Time<'_>| format!("{}{}{}{}", &t.key.0[..2], &t.key.0[3..5], &t.key.0[6..8], t.key.1);
    Some(js_str_cmp(&key(&ta), &key(&tb)))
}

/// ajv-formats splits a date-time at every `t`, `T` or whitespace character.
fn is_date_time_separator(c: char) -> bool {
    c == 't' || c == 'T' || regex::is_js_space(c)
}

/// The first two parts of `s` split at the date-time separators, as ajv-formats' comparison reads them.
fn split_date_time(s: &str) -> (&str, Option<&str>) {
    let mut parts = s.split(is_date_time_separator);
    (parts.next().unwrap_or(""), parts.next())
}

/// `date-time`: exactly two parts around one separator; the zone is not actually required (upstream quirk).
fn is_date_time(s: &str) -> bool {
    let mut parts = s.split(is_date_time_separator);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(date), Some(time), None) => is_date(date) && is_time(time),
        _ => false,
    }
}

/// `P[nY][nM][nD][T[nH][nM][nS]]` (a `T` needs a component after it) or `PnW`; `P` alone is refused.
fn is_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else {
        return false;
    };
    if rest.is_empty() {
        return false;
    }
    let b = rest.as_bytes();
    let run = |from: usize| b[from..].iter().take_while(|d| d.is_ascii_digit()).count();
    let n = run(0);
    if n > 0 && n + 1 == b.len() && b[n] == b'W' {
        return true;
    }
    let mut i = 0;
    let take = |i: &mut usize, designators: &[u8]| {
        for &d in designators {
            let n = run(*i);
            if n > 0 && b.get(*i + n) == Some(&d) {
                *i += n + 1;
            }
        }
    };
    take(&mut i, b"YMD");
    if b.get(i) == Some(&b'T') {
        if !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        i += 1;
        take(&mut i, b"HMS");
    }
    i == b.len()
}

fn is_email_local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&c)
}

/// A domain label of the `email` format: alphanumeric at both ends, hyphens inside, any length.
fn is_email_label(label: &[u8]) -> bool {
    match (label.first(), label.last()) {
        (Some(f), Some(l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && label.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        }
        _ => false,
    }
}

/// `dot-atom@label.label…` with at least two domain labels.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = local.split('.').all(|atom| !atom.is_empty() && atom.bytes().all(is_email_local_char));
    let labels: Vec<&str> = domain.split('.').collect();
    local_ok && labels.len() >= 2 && labels.iter().all(|l| is_email_label(l.as_bytes()))
}

/// RFC 1123 host name: labels of 1–63 characters, 253 characters in all (plus an optional final dot).
fn is_hostname(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 254 || (b.len() == 254 && b[253] != b'.') {
        return false;
    }
    let body = b.strip_suffix(b".").unwrap_or(b);
    body.split(|&c| c == b'.').all(|label| {
        (1..=63).contains(&label.len())
            && label[0].is_ascii_alphanumeric()
            && label[label.len() - 1].is_ascii_alphanumeric()
            && label.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    })
}

/// Four decimal octets up to 255; `leading_zeros` allows forms like `01` and `001`.
pub(crate) fn is_ipv4(s: &str, leading_zeros: bool) -> bool {
    let mut count = 0;
    for octet in s.split('.') {
        count += 1;
        let b = octet.as_bytes();
        let ok = (1..=3).contains(&b.len())
            && digits(b).is_some_and(|v| v <= 255)
            && (leading_zeros || b.len() == 1 || b[0] != b'0');
        if !ok || count > 4 {
            return false;
        }
    }
    count == 4
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    let b = if b.len() > 9 && b[..9].eq_ignore_ascii_case(b"urn:uuid:") { &b[9..] } else { b };
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Every `~` is followed by `0` or `1`.
fn tildes_escaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

fn is_json_pointer(s: &str) -> bool {
    (s.is_empty() || s.starts_with('/')) && tildes_escaped(s)
}

fn is_json_pointer_fragment(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('#') else {
        return false;
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return false;
    }
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let ok = match c {
            b'%' => uri::is_pct(b, i),
            b'~' => matches!(b.get(i + 1), Some(b'0' | b'1')),
            _ => c.is_ascii_alphanumeric() || b"/_-.!$&'()*+,;:=@".contains(&c),
        };
        if !ok {
            return false;
        }
        i += match c {
            b'%' => 3,
            b'~' => 2,
            _ => 1,
        };
    }
    true
}

fn is_relative_json_pointer(s: &str) -> bool {
    let b = s.as_bytes();
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || (n > 1 && b[0] == b'0') {
        return false;
    }
    let rest = &s[n..];
    rest == "#" || is_json_pointer(rest)
}

/// `new RegExp(s)` succeeds and `s` has no `\Z` (after anything but a backslash).
fn is_regex(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let z_anchor = chars.windows(3).any(|w| w[0] != '\\' && w[1] == '\\' && w[2] == 'Z');
    !z_anchor && regex::is_valid_legacy(s)
}

/// Base64: ajv-formats tests it with `^…$` in multi-line mode, so one valid line (even an empty one) is enough.
fn is_byte(s: &str) -> bool {
    s.split(['\n', '\r', '\u{2028}', '\u{2029}']).any(|line| {
        let b = line.as_bytes();
        let alphabet = |c: &u8| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/';
        if b.len() % 4 != 0 {
            return false;
        }
        match b {
            [head @ .., x, y, b'=', b'='] => alphabet(x) && alphabet(y) && head.iter().all(alphabet),
            [head @ .., x, y, z, b'='] => alphabet(x) && alphabet(y) && alphabet(z) && head.iter().all(alphabet),
            _ => b.iter().all(alphabet),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-13-01"));
        assert!(is_time("23:59:60"));
        assert!(is_time("12:00:00.5+01:00"));
        assert!(!is_time("24:00:00"));
        assert!(is_date_time("1970-01-01T00:00:00.000Z"));
        assert!(is_date_time("2020-01-01T00:00:00"), "ajv-formats 2.1.1 does not require a zone");
        assert!(is_date_time("2020-01-01 00:00:00+01"));
        assert!(!is_date_time("2020-01-01"));
        assert!(is_duration("P1Y2M3DT4H5M6S"));
        assert!(is_duration("P2W"));
        assert!(!is_duration("P"));
        assert!(!is_duration("PT"));
        assert!(!is_duration("P1D2Y"));
    }

    #[test]
    fn names_and_addresses() {
        assert!(is_email("user@example.com"));
        assert!(!is_email("user@localhost"));
        assert!(!is_email("a..b@example.com"));
        assert!(is_hostname("example.com."));
        assert!(!is_hostname("-a.com"));
        assert!(is_ipv4("01.002.3.4", true));
        assert!(!is_ipv4("256.1.1.1", true));
        assert!(is_uuid("URN:UUID:123e4567-e89b-12d3-a456-426614174000"));
        assert!(is_json_pointer("/a~1b/~0"));
        assert!(!is_json_pointer("/a~2"));
        assert!(is_relative_json_pointer("0#"));
        assert!(!is_relative_json_pointer("01/a"));
        assert!(is_byte("aGVsbG8="));
        assert!(is_byte("!!\n"), "an empty line is valid base64");
        assert!(!is_byte("abc"));
        assert!(is_regex("a{"));
        assert!(!is_regex("a\\Z"));
    }
}
