//! `novu-signature` verification (spec §3): `t=<unix ms>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
//!
//! Upstream hashes `JSON.stringify` of the parsed body. The platform sends exactly that text, so the raw
//! body bytes are tried first (no re-serialisation on the hot path, and no dependence on our JSON writer);
//! the JavaScript re-serialisation is the fallback for clients that sign what they parsed.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::error::{ErrorCode, FrameworkError};
use crate::json;

/// Accepted distance between the signature's timestamp and now, in both directions.
pub const TOLERANCE_MS: f64 = 300_000.0;

/// The secret keys, keyed once so that each verification only hashes the message. The primary key signs;
/// during a key rotation a fallback key is accepted on verification too.
#[derive(Clone)]
pub struct Signer {
    /// The primary key first; empty when no key is configured.
    keys: Vec<Hmac<Sha256>>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        match self.keys.len() {
            0 => f.write_str("Signer(<no key>)"),
            1 => f.write_str("Signer(<key>)"),
            _ => f.write_str("Signer(<key>, <fallback key>)"),
        }
    }
}

/// What the signature was computed over, in the order upstream-compatible clients may have used.
pub enum SignedBody<'a> {
    /// Any request but POST: upstream signs `{}`.
    Empty,
    /// A POST: its raw bytes, and its JSON re-serialised as JavaScript would (`None` when the bytes are not
    /// JSON). The second is asked for only when the raw bytes do not match, so that a request that is not
    /// signed at all never has its body parsed.
    Post { raw: &'a [u8], json_text: &'a dyn Fn() -> Option<String> },
}

impl Signer {
    /// An empty key means "no key configured" (verification then fails with `SigningKeyNotFoundError`).
    pub fn new(secret: &str) -> Signer {
        Signer::with_fallback(secret, "")
    }

    /// Signs with `primary` and verifies with `primary` or `fallback`, so that signatures made with either
    /// key are accepted while the platform switches keys. An empty `fallback` is none; without a primary the
    /// fallback is ignored (no key is configured).
    pub fn with_fallback(primary: &str, fallback: &str) -> Signer {
        let keyed = |secret: &str| {
            <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length")
        };
        let mut keys = Vec::new();
        if !primary.is_empty() {
            keys.push(keyed(primary));
            if !fallback.is_empty() && fallback != primary {
                keys.push(keyed(fallback));
            }
        }
        Signer { keys }
    }

    /// Lower-case hex HMAC of `<t>.<payload>` with the primary key.
    pub fn hex(&self, t: &str, payload: &[u8]) -> Option<String> {
        self.keys.first().map(|key| hmac_hex(key, t, payload))
    }

    /// A header value for `payload` signed at `t_ms`, as the Novu platform builds it.
    pub fn header(&self, t_ms: i64, payload: &[u8]) -> Option<String> {
        let t = t_ms.to_string();
        self.hex(&t, payload).map(|hex| format!("t={t},v1={hex}"))
    }

    /// Checks a signature header against the body at time `now_ms`; the error is the one upstream answers.
    pub fn verify(&self, header: Option<&str>, body: &SignedBody<'_>, now_ms: f64) -> Result<(), FrameworkError> {
        let header = header.unwrap_or("");
        if header.is_empty() {
            return Err(signature_error(ErrorCode::SignatureNotFoundError));
        }
        if self.keys.is_empty() {
            return Err(signature_error(ErrorCode::SigningKeyNotFoundError));
        }
        let parts = parse_header(header);
        let (Some(t_text), Some(v1)) = (parts.t, parts.v1) else {
            return Err(signature_error(ErrorCode::SignatureInvalidError));
        };
        let Some(t) = js_number(t_text).filter(|t| t.is_finite()) else {
            return Err(signature_error(ErrorCode::SignatureInvalidError));
        };
        if t < now_ms - TOLERANCE_MS || t > now_ms + TOLERANCE_MS {
            return Err(signature_error(ErrorCode::SignatureExpiredError));
        }
        let t_signed = json::f64_text(t);
        let matches = |payload: &[u8]| {
            self.keys.iter().any(|key| constant_time_eq(hmac_hex(key, &t_signed, payload).as_bytes(), v1.as_bytes()))
        };
        let ok = match body {
            SignedBody::Empty => matches(b"{}"),
            SignedBody::Post { raw, json_text } => {
                matches(raw)
                    || match json_text() {
                        Some(text) => matches(text.as_bytes()),
                        None => matches(b"{}"),
                    }
            }
        };
        if ok { Ok(()) } else { Err(signature_error(ErrorCode::SignatureMismatchError)) }
    }
}

fn hmac_hex(key: &Hmac<Sha256>, t: &str, payload: &[u8]) -> String {
    let mut mac = key.clone();
    mac.update(t.as_bytes());
    mac.update(b".");
    mac.update(payload);
    to_hex(&mac.finalize().into_bytes())
}

fn signature_error(code: ErrorCode) -> FrameworkError {
    let message = match code {
        ErrorCode::SignatureNotFoundError => {
            "Signature not found. Please provide a signature in the `novu-signature` header"
        }
        ErrorCode::SigningKeyNotFoundError => {
            "Signature key not found. Please provide a valid key in the Client constructor `config.secretKey`"
        }
        ErrorCode::SignatureInvalidError => {
            "Signature is invalid. Please provide a valid signature in the `novu-signature` header"
        }
        ErrorCode::SignatureExpiredError => {
            "Signature expired. Please provide a signature with a timestamp no older than 5 minutes in the `novu-signature` header"
        }
        _ => {
            "Signature does not match the expected signature. Please ensure the signature provided in the `novu-signature` header is correct and try again."
        }
    };
    FrameworkError::new(code, message, None)
}

struct HeaderParts<'a> {
    t: Option<&'a str>,
    v1: Option<&'a str>,
}

/// Upstream's tolerant parse: comma-separated `key=value` parts, trimmed, first occurrence of a key wins,
/// parts without a key or value and unknown keys are ignored.
fn parse_header(header: &str) -> HeaderParts<'_> {
    let mut parts = HeaderParts { t: None, v1: None };
    for part in header.split(',') {
        let part = part.trim();
        let Some(eq) = part.find('=') else { continue };
        if eq == 0 {
            continue;
        }
        let (key, value) = (&part[..eq], &part[eq + 1..]);
        if value.is_empty() {
            continue;
        }
        match key {
            "t" if parts.t.is_none() => parts.t = Some(value),
            "v1" if parts.v1.is_none() => parts.v1 = Some(value),
            _ => {}
        }
    }
    parts
}

/// JavaScript's `Number(text)` for the forms a timestamp can take; `None` where JavaScript gives `NaN`.
fn js_number(text: &str) -> Option<f64> {
    let s = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if s.is_empty() {
        return Some(0.0);
    }
    for (prefix, radix) in [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)] {
        if let Some(digits) = s.strip_prefix(prefix) {
            if digits.is_empty() {
                return None;
            }
            return digits.chars().try_fold(0f64, |acc, c| c.to_digit(radix).map(|d| acc * radix as f64 + d as f64));
        }
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if unsigned == "Infinity" {
        return Some(if s.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    // Only decimal literals from here: Rust's parser would also take "inf"/"nan", JavaScript does not.
    let decimal = !unsigned.is_empty()
        && unsigned.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && unsigned.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.');
    if !decimal {
        return None;
    }
    s.parse::<f64>().ok()
}

fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 0xf) as usize] as char);
    }
    out
}

/// Compares without an early exit, so the time taken does not tell how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: f64 = 1_700_000_000_000.0;
    const POST: &str = r#"{"payload":{"name":"Bob"},"controls":{},"state":[],"subscriber":{"subscriberId":"s1"}}"#;

    fn code(r: Result<(), FrameworkError>) -> Option<ErrorCode> {
        r.err().map(|e| e.code)
    }

    #[test]
    fn spec_3_3_vectors() {
        let s = Signer::new("sk_test");
        assert_eq!(
            s.hex("1700000000000", b"{}").unwrap(),
            "5aeeccf3f57332b4e8ec13190500987ad8e13fbee6c70692724bc0830eab2731"
        );
        assert_eq!(
            s.hex("1700000000000", POST.as_bytes()).unwrap(),
            "5d5904a42515c63883c4560b801c724061e07cb56c0d7f1c04599fc24373564f"
        );
    }

    #[test]
    fn spec_20_item_22_post_authenticates_at_fixed_clock() {
        let s = Signer::new("sk_test");
        let header = "t=1700000000000,v1=5d5904a42515c63883c4560b801c724061e07cb56c0d7f1c04599fc24373564f";
        let text = || Some(json::stringify(&serde_json::from_str(POST).unwrap()));
        let body = SignedBody::Post { raw: POST.as_bytes(), json_text: &text };
        assert_eq!(s.verify(Some(header), &body, T), Ok(()));
    }

    #[test]
    fn tolerant_header_forms_are_accepted() {
        let s = Signer::new("sk_test");
        let v1 = s.hex("1700000000000", b"{}").unwrap();
        for header in [
            format!(" t=1700000000000 , v1={v1} "),
            format!("v1={v1},t=1700000000000"),
            format!("t=1700000000000,v0=abc,v1={v1}"),
            format!("t=1700000000000,v1={v1},t=1699999999000"),
            format!("t=1700000000000.0,v1={v1}"),
            format!(",,=x,t=,t=1700000000000,v1={v1}"),
        ] {
            assert_eq!(s.verify(Some(&header), &SignedBody::Empty, T), Ok(()), "{header}");
        }
    }

    #[test]
    fn failures_get_upstream_codes() {
        let s = Signer::new("sk_test");
        let v1 = s.hex("1700000000000", b"{}").unwrap();
        let e = &SignedBody::Empty;
        assert_eq!(code(s.verify(None, e, T)), Some(ErrorCode::SignatureNotFoundError));
        assert_eq!(code(s.verify(Some(""), e, T)), Some(ErrorCode::SignatureNotFoundError));
        assert_eq!(code(Signer::new("").verify(Some("t=1,v1=a"), e, T)), Some(ErrorCode::SigningKeyNotFoundError));
        for bad in [
            "garbage",
            "t=1700000000000",
            &format!("t=abc,v1={v1}"),
            &format!("v1={v1}"),
            &format!("t=Infinity,v1={v1}"),
            &format!("t=1700000000000,v2={v1}"),
        ] {
            assert_eq!(code(s.verify(Some(bad), e, T)), Some(ErrorCode::SignatureInvalidError), "{bad}");
        }
        let six_minutes = 360_000.0;
        for t in [T - six_minutes, T + six_minutes, (T / 1000.0).floor()] {
            let h = format!("t={},v1={}", json::f64_text(t), s.hex(&json::f64_text(t), b"{}").unwrap());
            assert_eq!(code(s.verify(Some(&h), e, T)), Some(ErrorCode::SignatureExpiredError), "{h}");
        }
        let four_minutes_ago = T - 240_000.0;
        let h = format!("t={},v1={}", four_minutes_ago, s.hex(&json::f64_text(four_minutes_ago), b"{}").unwrap());
        assert_eq!(s.verify(Some(&h), e, T), Ok(()));
        let upper = format!("t=1700000000000,v1={}", v1.to_uppercase());
        assert_eq!(code(s.verify(Some(&upper), e, T)), Some(ErrorCode::SignatureMismatchError));
        let other = Signer::new("other").header(1_700_000_000_000, b"{}").unwrap();
        assert_eq!(code(s.verify(Some(&other), e, T)), Some(ErrorCode::SignatureMismatchError));
        let truncated = format!("t=1700000000000,v1={}", &v1[..32]);
        assert_eq!(code(s.verify(Some(&truncated), e, T)), Some(ErrorCode::SignatureMismatchError));
    }

    #[test]
    fn post_bodies_match_raw_bytes_then_javascript_text() {
        let s = Signer::new("k");
        let raw = br#"{"payload":{"n":1.0,"m":1.50,"e":1E3}, "big":12345678901234567890}"#;
        let parsed: serde_json::Value = serde_json::from_slice(raw).unwrap();
        let text = || Some(json::stringify(&parsed));
        let body = SignedBody::Post { raw, json_text: &text };
        let over_raw = s.header(1_700_000_000_000, raw).unwrap();
        assert_eq!(s.verify(Some(&over_raw), &body, T), Ok(()));
        let js = br#"{"payload":{"n":1,"m":1.5,"e":1000},"big":12345678901234567000}"#;
        let over_js = s.header(1_700_000_000_000, js).unwrap();
        assert_eq!(s.verify(Some(&over_js), &body, T), Ok(()));
        let over_empty = s.header(1_700_000_000_000, b"{}").unwrap();
        assert_eq!(code(s.verify(Some(&over_empty), &body, T)), Some(ErrorCode::SignatureMismatchError));
        // A body that is not JSON is signed as `{}` by upstream-compatible clients.
        let junk = SignedBody::Post { raw: b"{\"payload\":", json_text: &|| None };
        assert_eq!(s.verify(Some(&over_empty), &junk, T), Ok(()));
        // Bodies signed over their raw bytes are never re-serialised.
        let untouched = SignedBody::Post { raw, json_text: &|| panic!("re-serialised") };
        assert_eq!(s.verify(Some(&over_raw), &untouched, T), Ok(()));
    }

    #[test]
    fn javascript_number_parsing() {
        assert_eq!(js_number(" 12 "), Some(12.0));
        assert_eq!(js_number("0x10"), Some(16.0));
        assert_eq!(js_number("1e3"), Some(1000.0));
        assert_eq!(js_number(".5"), Some(0.5));
        assert_eq!(js_number("inf"), None);
        assert_eq!(js_number("NaN"), None);
        assert_eq!(js_number("12abc"), None);
        assert_eq!(js_number("-Infinity"), Some(f64::NEG_INFINITY));
    }

    #[test]
    fn rotation_accepts_either_key_and_signs_with_the_primary() {
        let rotating = Signer::with_fallback("new-key", "old-key");
        let (new, old) = (Signer::new("new-key"), Signer::new("old-key"));
        let raw = POST.as_bytes();
        let text = || Some(json::stringify(&serde_json::from_str(POST).unwrap()));
        let body = SignedBody::Post { raw, json_text: &text };
        for signer in [&new, &old] {
            let h = signer.header(1_700_000_000_000, raw).unwrap();
            assert_eq!(rotating.verify(Some(&h), &body, T), Ok(()), "{signer:?}");
            let h = signer.header(1_700_000_000_000, b"{}").unwrap();
            assert_eq!(rotating.verify(Some(&h), &SignedBody::Empty, T), Ok(()));
        }
        // A fallback also matches the JavaScript re-serialisation of the body.
        let js = text().unwrap();
        let h = old.header(1_700_000_000_000, js.as_bytes()).unwrap();
        let spaced = br#"{ "payload":{"name":"Bob"},"controls":{},"state":[],"subscriber":{"subscriberId":"s1"}}"#;
        let spaced_body = SignedBody::Post { raw: spaced, json_text: &text };
        assert_eq!(rotating.verify(Some(&h), &spaced_body, T), Ok(()));
        assert_eq!(rotating.header(1, b"{}"), new.header(1, b"{}"));
        let third = Signer::new("third-key").header(1_700_000_000_000, raw).unwrap();
        assert_eq!(code(rotating.verify(Some(&third), &body, T)), Some(ErrorCode::SignatureMismatchError));
        // The old key alone no longer verifies once the fallback is dropped.
        let h = old.header(1_700_000_000_000, raw).unwrap();
        assert_eq!(code(new.verify(Some(&h), &body, T)), Some(ErrorCode::SignatureMismatchError));
    }

    #[test]
    fn a_fallback_without_a_primary_is_no_key() {
        let s = Signer::with_fallback("", "old-key");
        let h = Signer::new("old-key").header(1_700_000_000_000, b"{}").unwrap();
        assert_eq!(code(s.verify(Some(&h), &SignedBody::Empty, T)), Some(ErrorCode::SigningKeyNotFoundError));
        assert_eq!(s.header(1, b"{}"), None);
        assert_eq!(format!("{s:?}"), "Signer(<no key>)");
        assert_eq!(format!("{:?}", Signer::with_fallback("a", "b")), "Signer(<key>, <fallback key>)");
        assert_eq!(format!("{:?}", Signer::with_fallback("a", "a")), "Signer(<key>)");
    }
}
