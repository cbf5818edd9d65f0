//! Whole requests through the Rust API: health-check, discover, execute and preview of the reference
//! `welcome` workflow (async typed resolvers), strict authentication on, signatures precomputed.
//!
//!     cargo bench -p novu-framework --features axum --bench bridge

#[path = "../examples/reference_server/workflows.rs"]
#[allow(dead_code)]
mod workflows;

use divan::{Bencher, black_box};
use novu_framework::core::hmac::Signer;
use novu_framework::{Bridge, Client, Request};
use serde_json::json;

const SECRET: &str = "bench-secret";
const NOW: f64 = 1_700_000_000_000.0;

fn main() {
    divan::main();
}

fn bridge() -> Bridge {
    workflows::bridge(&Client::builder().secret_key(SECRET).strict_authentication(true).build()).expect("bridge")
}

fn signature(body: &[u8]) -> String {
    Signer::new(SECRET).header(NOW as i64, body).expect("key")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().build().expect("runtime")
}

fn bench(bencher: Bencher, request: Request<'_>) {
    let (bridge, runtime) = (bridge(), runtime());
    assert_eq!(runtime.block_on(bridge.respond_at(&request, NOW)).status, 200);
    bencher.bench_local(|| black_box(runtime.block_on(bridge.respond_at(black_box(&request), NOW))));
}

#[divan::bench]
fn health_check(bencher: Bencher) {
    bench(bencher, Request { method: "GET", query: "action=health-check", ..Default::default() });
}

#[divan::bench]
fn discover(bencher: Bencher) {
    let sig = signature(b"{}");
    bench(bencher, Request { method: "GET", query: "action=discover", signature: Some(&sig), ..Default::default() });
}

#[divan::bench]
fn execute_welcome_email(bencher: Bencher) {
    let body = serde_json::to_vec(&json!({
        "payload": {"name": "Ada"},
        "controls": {},
        "state": [{"stepId": "inbox", "outputs": {"seen": false, "read": false, "lastSeenDate": null, "lastReadDate": null}}],
        "subscriber": {"subscriberId": "sub-1", "firstName": "Ada"},
    }))
    .expect("json");
    let sig = signature(&body);
    let query = "action=execute&workflowId=welcome&stepId=welcome-email";
    bench(bencher, Request { method: "POST", query, signature: Some(&sig), legacy_signature: None, body: &body });
}

#[divan::bench]
fn preview_inbox(bencher: Bencher) {
    let body = serde_json::to_vec(
        &json!({"payload": {"name": "Ada"}, "controls": {}, "state": [], "subscriber": {"subscriberId": "sub-1"}}),
    )
    .expect("json");
    let sig = signature(&body);
    let query = "action=preview&workflowId=welcome&stepId=inbox";
    bench(bencher, Request { method: "POST", query, signature: Some(&sig), legacy_signature: None, body: &body });
}
