//! JavaScript number conversions (`Number(string)`, `ToIntegerOrInfinity`, `Math.round`, `slice` bounds).

use super::chars::js_trim;

/// `Number(s)` for a string: decimal, `0x`/`0o`/`0b` literals, `Infinity`; anything else is `NaN`.
pub fn parse_js_number(s: &str) -> f64 {
    let t = js_trim(s);
    if t.is_empty() {
        return 0.0;
    }
    let b = t.as_bytes();
    if b.len() > 2 && b[0] == b'0' {
        let radix = match b[1] {
            b'x' | b'X' => 16,
            b'o' | b'O' => 8,
            b'b' | b'B' => 2,
            _ => 0,
        };
        if radix != 0 {
            return parse_radix(&t[2..], radix);
        }
    }
    let (sign, body) = match b[0] {
        b'+' => (1.0, &t[1..]),
        b'-' => (-1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "Infinity" {
        return sign * f64::INFINITY;
    }
    if !is_decimal_literal(body) {
        return f64::NAN;
    }
    body.parse::<f64>().map(|v| sign * v).unwrap_or(f64::NAN)
}

fn parse_radix(digits: &str, radix: u32) -> f64 {
    let mut value = 0.0f64;
    for c in digits.chars() {
        match c.to_digit(radix) {
            Some(d) => value = value * radix as f64 + d as f64,
            None => return f64::NAN,
        }
    }
    value
}

/// `digits [. digits] [e [+-] digits]` or `. digits [exponent]`, the StrUnsignedDecimalLiteral grammar.
fn is_decimal_literal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - start;
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

/// `ToIntegerOrInfinity`: `NaN` becomes 0, other values are truncated.
pub fn to_integer(f: f64) -> f64 {
    if f.is_nan() { 0.0 } else { f.trunc() + 0.0 }
}

/// Resolves a relative index the way `Array.prototype.slice` does (negative counts from the end).
pub fn relative_index(arg: f64, len: usize) -> usize {
    let rel = to_integer(arg);
    let len_f = len as f64;
    if rel < 0.0 { (len_f + rel).max(0.0) as usize } else { rel.min(len_f) as usize }
}

/// `Math.round`: halves round towards +∞.
pub fn js_round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let f = x.floor();
    let r = if x - f >= 0.5 { f + 1.0 } else { f };
    if r == 0.0 && x.is_sign_negative() { -0.0 } else { r }
}

/// `Math.max` over numbers (`NaN` wins).
pub fn js_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b && a == 0.0 {
        if a.is_sign_positive() { a } else { b }
    } else {
        a.max(b)
    }
}

/// `Math.min` over numbers (`NaN` wins).
pub fn js_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b && a == 0.0 {
        if a.is_sign_negative() { a } else { b }
    } else {
        a.min(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_parsing_matches_javascript() {
        assert_eq!(parse_js_number(" 12 "), 12.0);
        assert_eq!(parse_js_number(""), 0.0);
        assert_eq!(parse_js_number("0x1F"), 31.0);
        assert_eq!(parse_js_number("-Infinity"), f64::NEG_INFINITY);
        assert_eq!(parse_js_number("1e3"), 1000.0);
        assert_eq!(parse_js_number(".5"), 0.5);
        assert_eq!(parse_js_number("5."), 5.0);
        for bad in ["abc", "1,2", "inf", "NaN", "-0x1", "1e", "."] {
            assert!(parse_js_number(bad).is_nan(), "{bad}");
        }
    }

    #[test]
    fn rounding_and_bounds() {
        assert_eq!(js_round(2.5), 3.0);
        assert_eq!(js_round(-2.5), -2.0);
        assert_eq!(relative_index(-2.0, 5), 3);
        assert_eq!(relative_index(9.0, 5), 5);
        assert_eq!(relative_index(f64::NAN, 5), 0);
        assert!(js_max(f64::NAN, 1.0).is_nan());
    }
}
