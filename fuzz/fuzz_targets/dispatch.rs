//! The bridge's request handling: method, query string, signature headers and body, with runs driven
//! through the reference workflows.
//!
//! Fields: mode, method, query, header, resolver (see `Resolver::from_field`), body. Modes: `S` strict
//! authentication, signed by the harness with the primary key; `F` the same with the fallback key; `H` the
//! header field sent as `novu-signature`; `X` as `x-novu-signature`; `N` strict authentication off; `L` the
//! local execute route for the workflow id in the query field, signed.
//!
//! Checked: every answer is JSON with a valid status; neither key nor (under strict authentication) a
//! traceback ever shows; a request whose header holds no digest made with a key (a forgery) reaches no
//! workflow and no trigger.

#![no_main]

use libfuzzer_sys::fuzz_target;
use novu_framework_core::dispatch::{Dispatch, Request, Response, Route};
use novu_framework_core::hmac::Signer;
use novu_framework_core::json;
use novu_framework_fuzz::{FALLBACK, NOW_MS, Resolver, SECRET, STACK_MARK, bridge, drive, fields, text};

fuzz_target!(|data: &[u8]| {
    let [mode, method, query, header, resolver, body] = fields::<6>(data);
    let mode = mode.first().copied().unwrap_or(b'S');
    let strict = mode != b'N';
    let bridge = bridge(strict);
    let (method, query, header) = (text(method), text(query), text(header));
    let forged = matches!(mode, b'H' | b'X') && !genuine(&header, body);
    let signed_over: &[u8] = if method == "POST" || mode == b'L' { body } else { b"{}" };
    let key = if mode == b'F' { FALLBACK } else { SECRET };
    let signed = Signer::new(key).header(NOW_MS as i64, signed_over).expect("a key is set");
    let (signature, legacy_signature) = match mode {
        b'H' => (Some(header.as_ref()), None),
        b'X' => (None, Some(header.as_ref())),
        _ => (Some(signed.as_str()), None),
    };
    let request = Request { method: &method, query: &query, signature, legacy_signature, body };
    let (dispatch, route) = if mode == b'L' {
        (bridge.dispatch_local_at(&query, &request, NOW_MS), Route::Local)
    } else {
        (bridge.dispatch_at(&request, NOW_MS), Route::Bridge)
    };
    let mentions_key = contains(data, SECRET.as_bytes()) || contains(data, FALLBACK.as_bytes());
    let response = match dispatch {
        Dispatch::Respond(r) => r,
        Dispatch::Run(run) => {
            assert!(!forged, "a request with a forged signature started a run");
            drive(bridge, run, &Resolver::from_field(resolver), route)
        }
        Dispatch::Trigger(call) => {
            assert!(!forged, "a request with a forged signature reached the trigger call");
            let debug = format!("{call:?}");
            assert!(mentions_key || !(debug.contains(SECRET) || debug.contains(FALLBACK)), "{debug}");
            return;
        }
    };
    check(&response, strict, forged, mentions_key);
});

fn check(response: &Response, strict: bool, forged: bool, mentions_key: bool) {
    assert!((200..600).contains(&response.status), "status {}", response.status);
    let body = response.body.as_bytes();
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => panic!("answer is not JSON ({e}): {}", String::from_utf8_lossy(body)),
    };
    let text = std::str::from_utf8(body).expect("JSON text is UTF-8");
    if !mentions_key {
        assert!(!text.contains(SECRET) && !text.contains(FALLBACK), "a key in the answer: {text}");
    }
    if strict {
        assert!(!text.contains(STACK_MARK), "a traceback under strict authentication: {text}");
    }
    if forged && response.status == 200 {
        // Only the health check and CORS preflight answer without a valid signature.
        let health = value.get("status").and_then(|s| s.as_str()) == Some("ok");
        assert!(health || value == serde_json::json!({}), "forged signature answered: {text}");
    }
}

/// Whether a header holds a digest made with one of the keys over anything the bridge may check: the raw
/// body, its JavaScript re-serialisation, or `{}`. Without one, the header is a forgery.
fn genuine(header: &str, body: &[u8]) -> bool {
    let js = json::parse(body).ok().map(|v| json::stringify(&v)).unwrap_or_default();
    let t = (NOW_MS as i64).to_string();
    [SECRET, FALLBACK].iter().any(|key| {
        let signer = Signer::new(key);
        [body, js.as_bytes(), b"{}"].iter().any(|p| signer.hex(&t, p).is_some_and(|hex| header.contains(&hex)))
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
