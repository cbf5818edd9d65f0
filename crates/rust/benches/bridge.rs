//! Whole requests through the Rust API: health-check, discover, execute and preview of the reference
//! `welcome` workflow (Rust closures as resolvers), strict authentication on, signatures precomputed.
//!
//!     cargo bench -p novu-framework --bench bridge

#[path = "../tests/support/reference.rs"]
mod reference;

use divan::{Bencher, black_box};
use novu_framework::core::config::resolve;
use novu_framework::core::hmac::Signer;
use novu_framework::{Bridge, Request};
use serde_json::json;

const SECRET: &str = "bench-secret";
const NOW: f64 = 1_700_000_000_000.0;

fn main() {
    divan::main();
}

fn bridge() -> Bridge {
    Bridge::new(reference::workflows(), resolve(Some(SECRET.into()), Some(true), None), "bench").expect("bridge")
}

fn signature(body: &[u8]) -> String {
    Signer::new(SECRET).header(NOW as i64, body).expect("key")
}

fn execute_body() -> Vec<u8> {
    serde_json::to_vec(&json!({
        "payload": {"name": "Ada"},
        "controls": {},
        "state": [{"stepId": "inbox", "outputs": {"seen": false, "read": false, "lastSeenDate": null, "lastReadDate": null}}],
        "subscriber": {"subscriberId": "sub-1", "firstName": "Ada"},
    }))
    .expect("json")
}

fn preview_body() -> Vec<u8> {
    serde_json::to_vec(
        &json!({"payload": {"name": "Ada"}, "controls": {}, "state": [], "subscriber": {"subscriberId": "sub-1"}}),
    )
    .expect("json")
}

#[divan::bench]
fn health_check(bencher: Bencher) {
    let bridge = bridge();
    let request = Request { method: "GET", query: "action=health-check", ..Default::default() };
    bencher.bench_local(|| black_box(bridge.handle_at(black_box(&request), NOW)));
}

#[divan::bench]
fn discover(bencher: Bencher) {
    let bridge = bridge();
    let sig = signature(b"{}");
    let request = Request { method: "GET", query: "action=discover", signature: Some(&sig), ..Default::default() };
    bencher.bench_local(|| black_box(bridge.handle_at(black_box(&request), NOW)));
}

#[divan::bench]
fn execute_welcome_email(bencher: Bencher) {
    let bridge = bridge();
    let body = execute_body();
    let sig = signature(&body);
    let request = Request {
        method: "POST",
        query: "action=execute&workflowId=welcome&stepId=welcome-email",
        signature: Some(&sig),
        legacy_signature: None,
        body: &body,
    };
    assert_eq!(bridge.handle_at(&request, NOW).status, 200);
    bencher.bench_local(|| black_box(bridge.handle_at(black_box(&request), NOW)));
}

#[divan::bench]
fn preview_inbox(bencher: Bencher) {
    let bridge = bridge();
    let body = preview_body();
    let sig = signature(&body);
    let request = Request {
        method: "POST",
        query: "action=preview&workflowId=welcome&stepId=inbox",
        signature: Some(&sig),
        legacy_signature: None,
        body: &body,
    };
    assert_eq!(bridge.handle_at(&request, NOW).status, 200);
    bencher.bench_local(|| black_box(bridge.handle_at(black_box(&request), NOW)));
}
