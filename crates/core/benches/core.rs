//! The protocol's own work on the reference `welcome` workflow's data: compiling its controls (Liquid plus the
//! JSON round trip upstream does) and HMAC verification. The engines have benches of their own
//! (`crates/liquid`, `crates/schema`, `crates/sanitize`).
//!
//!     cargo bench -p novu-framework-core --bench core

// See the core crate: framework errors are large on purpose.
#![allow(clippy::result_large_err)]

use divan::{Bencher, black_box};
use novu_framework_core::controls::compile_controls;
use novu_framework_core::hmac::{SignedBody, Signer};
use novu_framework_core::liquid::Limits;
use serde_json::{Value, json};

const SCHEMAS: &str = include_str!("../../../tests/conformance/workflows.schemas.json");

fn main() {
    divan::main();
}

fn schemas() -> Value {
    serde_json::from_str(SCHEMAS).expect("schemas")
}

fn context() -> Value {
    json!({
        "workflow": {"workflowId": "welcome", "tags": [], "severity": "none"},
        "payload": {"name": "Ada", "plan": "pro"},
        "subscriber": {"subscriberId": "sub-1", "firstName": "Ada"},
        "steps": {},
        "env": {},
    })
}

#[divan::bench]
fn liquid_welcome_inbox_controls(bencher: Bencher) {
    let controls = json!({"subject": "Hi {{payload.name}}", "body": "Welcome to {{payload.plan}}"});
    let (context, limits) = (context(), Limits::default());
    bencher.bench_local(|| black_box(compile_controls(black_box(&controls), &context, &limits)));
}

#[divan::bench]
fn liquid_welcome_email_controls(bencher: Bencher) {
    let s = schemas();
    let props = &s["welcome"]["steps"]["welcome-email"]["controlSchema"]["properties"];
    let controls = json!({"subject": props["subject"]["default"], "body": props["body"]["default"]});
    let (context, limits) = (context(), Limits::default());
    bencher.bench_local(|| black_box(compile_controls(black_box(&controls), &context, &limits)));
}

#[divan::bench]
fn hmac_verify_execute_body(bencher: Bencher) {
    let signer = Signer::new("bench-secret");
    let raw = br#"{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{"subscriberId":"sub-1"}}"#;
    let header = signer.header(1_700_000_000_000, raw).expect("key");
    let body = SignedBody::Post { raw, json_text: &|| None };
    bencher.bench_local(|| black_box(signer.verify(Some(black_box(&header)), &body, 1_700_000_000_000.0)));
}
