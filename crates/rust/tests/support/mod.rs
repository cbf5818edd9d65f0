//! Shared by the Rust integration tests: serving an app on loopback and sending it signed requests.
#![allow(dead_code)]

pub mod corpus;

use std::time::{SystemTime, UNIX_EPOCH};

use novu_framework::core::hmac::Signer;
use serde_json::Value;

/// An app served on 127.0.0.1 by its own runtime, for as long as this lives.
pub struct Served {
    pub base: String,
    _runtime: tokio::runtime::Runtime,
}

#[cfg(feature = "axum")]
pub fn serve(app: axum::Router) -> Served {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    runtime.spawn(async move { axum::serve(listener, app).await });
    Served { base, _runtime: runtime }
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Sends a request signed with `secret` (`None`: unsigned); returns the status and the JSON answer.
pub fn send(method: &str, url: &str, body: Option<&Value>, secret: Option<&str>) -> (u16, Value) {
    let text = body.map(|b| serde_json::to_string(b).expect("json"));
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    if text.is_some() {
        request = request.header("content-type", "application/json");
    }
    if let Some(secret) = secret {
        let signed = if method == "POST" { text.clone().unwrap_or_default() } else { "{}".into() };
        let header = Signer::new(secret).header(now_ms(), signed.as_bytes()).expect("a key");
        request = request.header("novu-signature", header);
    }
    let request = request.body(text.unwrap_or_default().into_bytes()).expect("request builds");
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut response = agent.run(request).expect("the server answers");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}
