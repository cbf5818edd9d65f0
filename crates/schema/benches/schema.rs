//! Validation with defaults on the reference `welcome` workflow's schemas.
//!
//!     cargo bench -p novu-framework-schema --bench schema

use divan::{Bencher, black_box};
use novu_framework_schema::Schema;
use novu_framework_schema::mock::mock;
use serde_json::{Value, json};

const SCHEMAS: &str = include_str!("../../../tests/conformance/workflows.schemas.json");

fn main() {
    divan::main();
}

fn schemas() -> Value {
    serde_json::from_str(SCHEMAS).expect("schemas")
}

#[divan::bench]
fn payload_with_defaults(bencher: Bencher) {
    let schema = Schema::compile(&schemas()["welcome"]["payloadSchema"]).expect("schema");
    let payload = json!({"name": "Ada"});
    bencher.bench_local(|| {
        let mut data = payload.clone();
        black_box(schema.validate(black_box(&mut data)))
    });
}

#[divan::bench]
fn inbox_controls_with_defaults(bencher: Bencher) {
    let schema = Schema::compile(&schemas()["welcome"]["steps"]["inbox"]["controlSchema"]).expect("schema");
    bencher.bench_local(|| {
        let mut data = json!({});
        black_box(schema.validate(black_box(&mut data)))
    });
}

#[divan::bench]
fn compile_email_controls(bencher: Bencher) {
    let source = schemas()["welcome"]["steps"]["welcome-email"]["controlSchema"].clone();
    bencher.bench_local(|| black_box(Schema::compile(black_box(&source))));
}

#[divan::bench]
fn mock_email_controls(bencher: Bencher) {
    // A fresh compile each time: the mock is cached per compiled schema.
    let source = schemas()["welcome"]["steps"]["welcome-email"]["controlSchema"].clone();
    bencher.bench_local(|| {
        let schema = Schema::compile(&source).expect("schema");
        black_box(mock(&schema))
    });
}
