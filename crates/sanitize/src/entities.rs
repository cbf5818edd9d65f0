//! Character reference decoding as htmlparser2 10.1.0 does it (through `entities` 7.0.1): named references
//! by longest match, the legacy names also without `;`, numeric ones with or without `;`.

use super::entity_table::ENTITIES;

/// Where the reference appears; attribute values refuse some unterminated legacy names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mode {
    Text,
    Attribute,
}

/// A decoded reference.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Value {
    Named(&'static str),
    Char(char),
}

impl Value {
    pub(super) fn as_str(self, buf: &mut [u8; 4]) -> &str {
        match self {
            Value::Named(s) => s,
            Value::Char(c) => c.encode_utf8(buf),
        }
    }
}

/// The result of reading a reference that starts after a `&`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Outcome {
    /// Where the reference ends (exclusive) and what it stands for; `None` leaves the `&` as text.
    pub decoded: Option<(usize, Value)>,
    /// The input ended while the reference could still have gone on.
    pub ran_out: bool,
}

/// Prefixes (below a legacy name) that `entities` stores as packed single-branch runs. A mismatch inside
/// such a run falls back to the legacy name even in an attribute value, where a mismatch elsewhere after
/// an alphanumeric or `=` keeps the text undecoded; e.g. `title="&ltix"` decodes to `<ix`.
const PACKED_RUNS: &[&str] = &[
    "divideo",
    "divideon",
    "divideont",
    "divideonti",
    "divideontim",
    "divideontime",
    "gtl",
    "gtlP",
    "gtlPa",
    "gtq",
    "gtqu",
    "gtque",
    "gtques",
    "gtreql",
    "gtreqle",
    "gtreqles",
    "gtrl",
    "gtrle",
    "gtrles",
    "lti",
    "ltim",
    "ltime",
    "ltl",
    "ltla",
    "ltlar",
    "ltq",
    "ltqu",
    "ltque",
    "ltques",
];

/// Reads the reference whose `&` is just before `start`.
pub(super) fn decode(bytes: &[u8], start: usize, mode: Mode) -> Outcome {
    if bytes.get(start) == Some(&b'#') { numeric(bytes, start + 1) } else { named(bytes, start, mode) }
}

fn numeric(bytes: &[u8], mut i: usize) -> Outcome {
    let hex = bytes.get(i).is_some_and(|b| b | 0x20 == b'x');
    if hex {
        i += 1;
    }
    let digits_start = i;
    let mut code: u32 = 0;
    while let Some(&b) = bytes.get(i) {
        let digit = if hex { (b as char).to_digit(16) } else { (b as char).to_digit(10) };
        let Some(digit) = digit else { break };
        // Anything past U+10FFFF becomes U+FFFD anyway, so the value can stop growing there.
        code = code.saturating_mul(if hex { 16 } else { 10 }).saturating_add(digit).min(0x11_0000);
        i += 1;
    }
    let ran_out = i >= bytes.len();
    if i == digits_start {
        return Outcome { decoded: None, ran_out };
    }
    let end = if bytes.get(i) == Some(&b';') { i + 1 } else { i };
    Outcome { decoded: Some((end, Value::Char(replace_code_point(code)))), ran_out }
}

/// The HTML numeric reference fix-ups: NUL, surrogates and out-of-range become U+FFFD, C1 controls are
/// read as windows-1252.
fn replace_code_point(code: u32) -> char {
    let mapped = match code {
        0 => 0xfffd,
        0x80 => 0x20ac,
        0x82 => 0x201a,
        0x83 => 0x0192,
        0x84 => 0x201e,
        0x85 => 0x2026,
        0x86 => 0x2020,
        0x87 => 0x2021,
        0x88 => 0x02c6,
        0x89 => 0x2030,
        0x8a => 0x0160,
        0x8b => 0x2039,
        0x8c => 0x0152,
        0x8e => 0x017d,
        0x91 => 0x2018,
        0x92 => 0x2019,
        0x93 => 0x201c,
        0x94 => 0x201d,
        0x95 => 0x2022,
        0x96 => 0x2013,
        0x97 => 0x2014,
        0x98 => 0x02dc,
        0x99 => 0x2122,
        0x9a => 0x0161,
        0x9b => 0x203a,
        0x9c => 0x0153,
        0x9e => 0x017e,
        0x9f => 0x0178,
        other => other,
    };
    char::from_u32(mapped).unwrap_or('\u{fffd}')
}

/// Walks the sorted name table one byte at a time, keeping the range of names that share the prefix read
/// so far and the longest legacy name met on the way.
fn named(bytes: &[u8], start: usize, mode: Mode) -> Outcome {
    // Every name starts with a letter; anything else is settled at once.
    if bytes.get(start).is_some_and(|b| !b.is_ascii_alphabetic()) {
        return Outcome { decoded: None, ran_out: false };
    }
    let (mut lo, mut hi) = (0, ENTITIES.len());
    let mut depth = 0;
    let mut legacy: Option<(usize, usize)> = None;
    let found = |index: usize, len: usize| Some((start + len, Value::Named(ENTITIES[index].1)));
    loop {
        let pos = start + depth;
        let Some(&c) = bytes.get(pos) else {
            let decoded = match legacy {
                Some((index, len)) if mode == Mode::Text || len == depth => found(index, len),
                _ => None,
            };
            return Outcome { decoded, ran_out: true };
        };
        // The shortest name in the range sorts first; it is the prefix itself when that is a name.
        let has_value = depth > 0 && ENTITIES[lo].0.len() == depth;
        if c == b';' && has_value {
            return Outcome { decoded: Some((pos + 1, Value::Named(ENTITIES[lo].1))), ran_out: false };
        }
        let first = if has_value { lo + 1 } else { lo };
        let range = &ENTITIES[first..hi];
        let from = first + range.partition_point(|e| e.0.as_bytes()[depth] < c);
        let to = first + range.partition_point(|e| e.0.as_bytes()[depth] <= c);
        if from == to {
            let Some((index, len)) = legacy else {
                return Outcome { decoded: None, ran_out: false };
            };
            let refuse = mode == Mode::Attribute
                && !in_packed_run(&bytes[start..pos])
                && (!has_value || c.is_ascii_alphanumeric() || c == b'=');
            let decoded = if refuse { None } else { found(index, len) };
            return Outcome { decoded, ran_out: false };
        }
        (lo, hi) = (from, to);
        depth += 1;
        let (name, _, usable_bare) = ENTITIES[lo];
        if usable_bare && name.len() == depth {
            legacy = Some((lo, depth));
        }
    }
}

fn in_packed_run(prefix: &[u8]) -> bool {
    PACKED_RUNS.iter().any(|run| run.as_bytes() == prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Option<(usize, String)> {
        let mut buf = [0u8; 4];
        decode(s.as_bytes(), 1, Mode::Text).decoded.map(|(end, v)| (end, v.as_str(&mut buf).to_string()))
    }

    fn attr(s: &str) -> Option<(usize, String)> {
        let mut buf = [0u8; 4];
        decode(s.as_bytes(), 1, Mode::Attribute).decoded.map(|(end, v)| (end, v.as_str(&mut buf).to_string()))
    }

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(ENTITIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(ENTITIES.len(), 2125);
    }

    #[test]
    fn named_references() {
        assert_eq!(text("&amp;x"), Some((5, "&".into())));
        assert_eq!(text("&ampx"), Some((4, "&".into())));
        assert_eq!(text("&notin;"), Some((7, "\u{2209}".into())));
        assert_eq!(text("&notit;"), Some((4, "\u{ac}".into())));
        assert_eq!(text("&hearts"), None);
        assert_eq!(text("&NotNestedGreaterGreater;"), Some((25, "\u{2aa2}\u{338}".into())));
        assert_eq!(text("&bogus;"), None);
    }

    #[test]
    fn attribute_rules() {
        assert_eq!(attr("&ampx\""), None);
        assert_eq!(attr("&amp=\""), None);
        assert_eq!(attr("&amp-\""), Some((4, "&".into())));
        assert_eq!(attr("&notin-\""), Some((4, "\u{ac}".into())));
        assert_eq!(attr("&paralx\""), None);
        assert_eq!(attr("&ltix\""), Some((3, "<".into())));
    }

    #[test]
    fn numeric_references() {
        assert_eq!(text("&#65;"), Some((5, "A".into())));
        assert_eq!(text("&#x41z"), Some((5, "A".into())));
        assert_eq!(text("&#X41;"), Some((6, "A".into())));
        assert_eq!(text("&#0;"), Some((4, "\u{fffd}".into())));
        assert_eq!(text("&#x80;"), Some((6, "\u{20ac}".into())));
        assert_eq!(text("&#xD800;"), Some((8, "\u{fffd}".into())));
        assert_eq!(text("&#99999999999999999999;"), Some((23, "\u{fffd}".into())));
        assert_eq!(text("&#;"), None);
        assert_eq!(text("&#x;"), None);
    }

    #[test]
    fn end_of_input() {
        let out = decode(b"&notin", 1, Mode::Text);
        assert!(out.ran_out);
        assert_eq!(out.decoded.map(|d| d.0), Some(4));
        let out = decode(b"&#", 1, Mode::Text);
        assert_eq!(out, Outcome { decoded: None, ran_out: true });
    }
}
