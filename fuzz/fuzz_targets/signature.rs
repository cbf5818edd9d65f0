//! The `novu-signature` check: any header against any body at any clock, and round trips. A header made with
//! either key over the body verifies; one made with another key does not; changing a byte of the body
//! fails unless the JavaScript re-serialisation of the new body is exactly what was signed.
//!
//! Fields: header, clock (milliseconds, as text), body.

#![no_main]

use libfuzzer_sys::fuzz_target;
use novu_framework_core::error::ErrorCode;
use novu_framework_core::hmac::{SignedBody, Signer};
use novu_framework_core::json;
use novu_framework_fuzz::{FALLBACK, NOW_MS, SECRET, fields, text};

fn js_text(body: &[u8]) -> Option<String> {
    json::parse(body).ok().map(|v| json::stringify(&v))
}

fuzz_target!(|data: &[u8]| {
    let [header, clock, body] = fields::<3>(data);
    let signer = Signer::with_fallback(SECRET, FALLBACK);
    let json_text = || js_text(body);
    let post = SignedBody::Post { raw: body, json_text: &json_text };
    let now = text(clock).trim().parse::<f64>().unwrap_or(NOW_MS);
    let header = text(header);
    let _ = signer.verify(Some(&header), &post, now);
    let _ = signer.verify(Some(&header), &SignedBody::Empty, now);

    let t = NOW_MS as i64;
    for key in [SECRET, FALLBACK] {
        let made = Signer::new(key).header(t, body).expect("a key is set");
        assert_eq!(signer.verify(Some(&made), &post, NOW_MS), Ok(()), "{made}");
        // Any change to the hex digest fails.
        let mut bytes = made.clone().into_bytes();
        let last = bytes.len() - 1;
        bytes[last] = if bytes[last] == b'0' { b'1' } else { b'0' };
        let changed = String::from_utf8(bytes).expect("ASCII");
        let code = signer.verify(Some(&changed), &post, NOW_MS).err().map(|e| e.code);
        assert_eq!(code, Some(ErrorCode::SignatureMismatchError), "{changed}");
    }
    let other = Signer::new("sk-someone-else").header(t, body).expect("a key is set");
    assert!(signer.verify(Some(&other), &post, NOW_MS).is_err());

    if !body.is_empty() {
        let made = Signer::new(SECRET).header(t, body).expect("a key is set");
        let i = body.len() / 2;
        let mut changed = body.to_vec();
        changed[i] ^= 1 + (body[0] & 0x7f);
        let changed_text = || js_text(&changed);
        let result = signer.verify(Some(&made), &SignedBody::Post { raw: &changed, json_text: &changed_text }, NOW_MS);
        let expected = match js_text(&changed) {
            Some(js) => js.as_bytes() == body,
            None => body == b"{}",
        };
        assert_eq!(result.is_ok(), expected, "{:?} -> {:?}", text(body), text(&changed));
    }
});
