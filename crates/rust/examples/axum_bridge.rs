//! A Novu bridge in Rust, served by axum on 127.0.0.1:4000/api/novu (the docs' and README's example).
//!
//! `NOVU_STRICT_AUTHENTICATION_ENABLED=false cargo run -p novu-framework --features axum --example axum_bridge`,
//! then `npx novu@latest dev --port 4000 --route /api/novu`. With `NOVU_SECRET_KEY` set instead, requests
//! must be signed by Novu.

use std::sync::Arc;

use novu_framework::core::config::resolve;
use novu_framework::{Bridge, StepOptions, Workflow};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let welcome = Workflow::builder("welcome")
        .payload_schema(json!({"type": "object", "properties": {"name": {"type": "string", "default": "friend"}}}))
        .build(|step| {
            let name = step.payload()["name"].as_str().unwrap_or_default().to_string();
            step.in_app("inbox", StepOptions::new(), move |_controls| {
                Ok(json!({"body": format!("Welcome, {name}!")}))
            })?;
            Ok(())
        })?;
    // The secret key and strict authentication come from the environment, as in Python.
    let bridge = Bridge::new(vec![welcome], resolve(None, None, None), "axum")?;
    let app = novu_framework::axum::router(Arc::new(bridge), "/api/novu");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:4000").await?;
    println!("Novu bridge at http://127.0.0.1:4000/api/novu");
    axum::serve(listener, app).await?;
    Ok(())
}
