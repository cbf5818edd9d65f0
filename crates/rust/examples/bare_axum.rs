//! The baseline of `benches/load.py`: a bare axum app on the same runtime the reference server uses, with
//! `GET /api/novu` answering a fixed JSON body and `POST /api/novu` parsing the JSON body and answering
//! the same fixed body. What axum and tokio cost, without the bridge. With `--headers` every answer carries
//! the ten static headers of the bridge protocol (spec §2.5), to show what sending them costs.
//!
//!     cargo run --release -p novu-framework --features axum --example bare_axum -- --port N [--headers]

use axum::Json;
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::Value;

const FIXED: &str = r#"{"status": "ok", "discovered": {"workflows": 7, "steps": 14}}"#;

const PROTOCOL_HEADERS: [(&str, &str); 10] = [
    ("content-type", "application/json"),
    ("access-control-allow-origin", "*"),
    ("access-control-allow-private-network", "true"),
    ("access-control-allow-methods", "GET, POST"),
    ("access-control-allow-headers", "*"),
    ("access-control-max-age", "604800"),
    ("novu-framework-version", "2024-06-26"),
    ("novu-framework-sdk", "0.1.0"),
    ("novu-framework-server", "bench"),
    ("user-agent", "novu-framework:v0.1.0"),
];

fn headers(all: bool) -> HeaderMap {
    let mut map = HeaderMap::new();
    map.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if all {
        for (name, value) in PROTOCOL_HEADERS {
            map.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
    }
    map
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (port, all): (u16, bool) = match args.as_slice() {
        [flag, port] if flag == "--port" => (port.parse()?, false),
        [flag, port, headers] if flag == "--port" && headers == "--headers" => (port.parse()?, true),
        _ => return Err("usage: bare_axum --port N [--headers]".into()),
    };
    let sent = headers(all);
    let get_headers = sent.clone();
    let fixed = move || {
        let sent = get_headers.clone();
        async move { (sent, FIXED) }
    };
    let parsed = move |Json(_): Json<Value>| {
        let sent = sent.clone();
        async move { (sent, FIXED).into_response() }
    };
    let app = axum::Router::new().route("/api/novu", get(fixed).post(parsed));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
