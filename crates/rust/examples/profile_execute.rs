#[path = "../tests/support/reference.rs"]
mod reference;
use novu_framework::core::config::resolve;
use novu_framework::core::hmac::Signer;
use novu_framework::{Bridge, Request};
use serde_json::json;
fn main() {
    let bridge = Bridge::new(reference::workflows(), resolve(Some("s".into()), Some(true), None), "p").unwrap();
    let body = serde_json::to_vec(&json!({"payload": {"name": "Ada"}, "controls": {}, "state": [{"stepId": "inbox", "outputs": {"seen": false, "read": false, "lastSeenDate": null, "lastReadDate": null}}], "subscriber": {"subscriberId": "sub-1", "firstName": "Ada"}})).unwrap();
    let sig = Signer::new("s").header(1_700_000_000_000, &body).unwrap();
    let req = Request {
        method: "POST",
        query: "action=execute&workflowId=welcome&stepId=welcome-email",
        signature: Some(&sig),
        legacy_signature: None,
        body: &body,
    };
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10000);
    for _ in 0..n {
        std::hint::black_box(bridge.handle_at(&req, 1_700_000_000_000.0));
    }
}
