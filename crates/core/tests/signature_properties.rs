//! Properties of the `novu-signature` check: a header made with the key (or, while rotating, the fallback
//! key) verifies; changing any byte of the body or of the header fails, unless the changed body's
//! JavaScript re-serialisation is exactly what was signed (the fallback upstream-compatible clients need).

use novu_framework_core::error::ErrorCode;
use novu_framework_core::hmac::{SignedBody, Signer, TOLERANCE_MS};
use novu_framework_core::json;
use proptest::prelude::*;

const NOW: f64 = 1_700_000_000_000.0;

fn js_text(body: &[u8]) -> Option<String> {
    json::parse(body).ok().map(|v| json::stringify(&v))
}

fn verify(signer: &Signer, header: &str, body: &[u8]) -> Result<(), ErrorCode> {
    let text = || js_text(body);
    signer.verify(Some(header), &SignedBody::Post { raw: body, json_text: &text }, NOW).map_err(|e| e.code)
}

/// Bodies: arbitrary bytes, and JSON as the platform sends it (so that the re-serialisation path is used).
fn body() -> impl Strategy<Value = Vec<u8>> {
    let json_leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i32>().prop_map(serde_json::Value::from),
        "[ -~é\"\\\\]{0,8}".prop_map(serde_json::Value::from),
    ];
    let json_value = json_leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..3)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    prop_oneof![prop::collection::vec(any::<u8>(), 0..64), json_value.prop_map(|v| json::stringify(&v).into_bytes()),]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn signing_then_verifying_round_trips(
        key in "[!-~]{1,40}",
        fallback in "[!-~]{1,40}",
        body in body(),
        offset in -(TOLERANCE_MS as i64)..=(TOLERANCE_MS as i64),
    ) {
        let t = NOW as i64 + offset;
        let header = Signer::new(&key).header(t, &body).unwrap();
        prop_assert_eq!(verify(&Signer::new(&key), &header, &body), Ok(()));
        prop_assert_eq!(verify(&Signer::with_fallback(&key, &fallback), &header, &body), Ok(()));
        prop_assert_eq!(verify(&Signer::with_fallback(&fallback, &key), &header, &body), Ok(()));
        if fallback != key {
            prop_assert_eq!(verify(&Signer::new(&fallback), &header, &body), Err(ErrorCode::SignatureMismatchError));
        }
    }

    #[test]
    fn any_changed_body_byte_fails(
        key in "[!-~]{1,40}",
        body in body().prop_filter("non-empty", |b| !b.is_empty()),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let signer = Signer::new(&key);
        let header = signer.header(NOW as i64, &body).unwrap();
        let mut changed = body.clone();
        let i = at.index(body.len());
        changed[i] ^= flip;
        // Accepted exactly when what an upstream-compatible client would have signed for the changed body is
        // the original text (a non-JSON body counts as `{}`).
        let same_signed = match js_text(&changed) {
            Some(text) => text.as_bytes() == body.as_slice(),
            None => body == b"{}",
        };
        let expected = if same_signed { Ok(()) } else { Err(ErrorCode::SignatureMismatchError) };
        prop_assert_eq!(verify(&signer, &header, &changed), expected);
    }

    #[test]
    fn any_changed_header_byte_fails(
        key in "[!-~]{1,40}",
        body in body(),
        at in any::<prop::sample::Index>(),
        replacement in any::<char>(),
    ) {
        let signer = Signer::new(&key);
        let header = signer.header(NOW as i64, &body).unwrap();
        let mut chars: Vec<char> = header.chars().collect();
        let i = at.index(chars.len());
        prop_assume!(chars[i] != replacement);
        chars[i] = replacement;
        let changed: String = chars.into_iter().collect();
        // Changes that still say the same thing to upstream's tolerant parser are not changes: `t=` written
        // another way for the same number, or spaces around a part.
        let digest = header.split_once(",v1=").unwrap().1;
        let same_digest = changed.split(',').any(|p| p.trim() == format!("v1={digest}"));
        let same_time = changed.split(',').find_map(|p| p.trim().strip_prefix("t=")).is_some_and(|t| {
            t.trim().parse::<f64>().is_ok_and(|v| v == NOW)
        });
        prop_assume!(!(same_digest && same_time));
        prop_assert!(verify(&signer, &changed, &body).is_err(), "{} accepted", changed);
    }
}
