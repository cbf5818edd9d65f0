//! Answers one signed execute request of the reference `welcome` workflow N times in a loop, for profilers:
//!
//!     cargo build --release -p novu-framework --features axum --example profile_execute
//!     perf record -g target/release/examples/profile_execute 100000

#[path = "reference_server/workflows.rs"]
#[allow(dead_code)]
mod workflows;

use novu_framework::core::hmac::Signer;
use novu_framework::{Client, Request};
use serde_json::json;

fn main() {
    let bridge = workflows::bridge(&Client::builder().secret_key("s").strict_authentication(true).build())
        .expect("the reference bridge builds");
    let body = serde_json::to_vec(&json!({
        "payload": {"name": "Ada"},
        "controls": {},
        "state": [{"stepId": "inbox", "outputs": {"seen": false, "read": false, "lastSeenDate": null, "lastReadDate": null}}],
        "subscriber": {"subscriberId": "sub-1", "firstName": "Ada"},
    }))
    .expect("json");
    let now = 1_700_000_000_000.0;
    let signature = Signer::new("s").header(now as i64, &body).expect("a key");
    let request = Request {
        method: "POST",
        query: "action=execute&workflowId=welcome&stepId=welcome-email",
        signature: Some(&signature),
        legacy_signature: None,
        body: &body,
    };
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    runtime.block_on(async {
        assert_eq!(bridge.respond_at(&request, now).await.status, 200);
        for _ in 0..n {
            std::hint::black_box(bridge.respond_at(&request, now).await);
        }
    });
}
