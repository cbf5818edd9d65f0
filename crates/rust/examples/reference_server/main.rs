//! Serves the 7 reference workflows of the conformance corpus at `http://127.0.0.1:<port>/api/novu`.
//!
//!     cargo run --release -p novu-framework --features axum --example reference_server -- --port 4000
//!
//! Settings come from the environment: `NOVU_SECRET_KEY`, `NOVU_STRICT_AUTHENTICATION_ENABLED` and
//! `NOVU_API_URL` (where `action=trigger` forwards to).

mod workflows;

use novu_framework::{BoxError, Client};

fn port() -> Result<u16, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, port] if flag == "--port" => {
            port.parse().map_err(|_| format!("--port takes a port number, not {port:?}"))
        }
        _ => Err("usage: reference_server --port N".into()),
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let port = port()?;
    let app = workflows::app(&Client::from_env())?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("serving the reference workflows on http://127.0.0.1:{port}/api/novu (axum)");
    axum::serve(listener, app).await?;
    Ok(())
}
