//! The baseline of `benches/load.py`: a bare axum app on the same runtime the reference server uses, with
//! `GET /api/novu` answering a fixed JSON body and `POST /api/novu` parsing the JSON body and answering
//! the same fixed body. What axum and tokio cost, without the bridge.
//!
//!     cargo run --release -p novu-framework --features axum --example bare_axum -- --port N

use axum::Json;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::Value;

const FIXED: &str = r#"{"status": "ok", "discovered": {"workflows": 7, "steps": 14}}"#;

async fn fixed() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], FIXED)
}

async fn parsed(Json(_): Json<Value>) -> impl IntoResponse {
    fixed().await
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port: u16 = match args.as_slice() {
        [flag, port] if flag == "--port" => port.parse()?,
        _ => return Err("usage: bare_axum --port N".into()),
    };
    let app = axum::Router::new().route("/api/novu", get(fixed).post(parsed));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
