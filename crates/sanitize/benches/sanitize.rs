//! Sanitising the reference `welcome` workflow's default email body, and a larger document.
//!
//!     cargo bench -p novu-framework-sanitize --bench sanitize

use divan::{Bencher, black_box};
use novu_framework_sanitize::sanitize_html;
use serde_json::Value;

const SCHEMAS: &str = include_str!("../../../tests/conformance/workflows.schemas.json");

fn main() {
    divan::main();
}

fn welcome_body() -> String {
    let s: Value = serde_json::from_str(SCHEMAS).expect("schemas");
    s["welcome"]["steps"]["welcome-email"]["controlSchema"]["properties"]["body"]["default"]
        .as_str()
        .expect("default body")
        .replace("{{payload.name}}", "Ada")
        .replace("{{payload.plan}}", "pro")
}

#[divan::bench]
fn default_email_body(bencher: Bencher) {
    let body = welcome_body();
    bencher.bench_local(|| black_box(sanitize_html(black_box(&body))));
}

#[divan::bench]
fn hostile_document_64k(bencher: Bencher) {
    let chunk = r#"<p onclick="x()">Hi &amp; <b>bye</b><script>alert(1)</script><a href="javascript:x">l</a></p>"#;
    let doc = chunk.repeat(65_536 / chunk.len());
    bencher.bench_local(|| black_box(sanitize_html(black_box(&doc))));
}
