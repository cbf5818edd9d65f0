//! Serving a [`Bridge`] from axum: a router to `nest` at the bridge's path.
//!
//! ```no_run
//! # async fn run(bridge: novu_framework::Bridge) -> std::io::Result<()> {
//! let app = axum::Router::new().nest("/api/novu", novu_framework::axum::router(bridge));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:4000").await?;
//! axum::serve(listener, app).await
//! # }
//! ```

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::any;

use crate::bridge::Bridge;

/// A router answering `/` (the bridge) and `/workflows/<workflow_id>/execute` (the local run of a workflow):
/// `nest` it at the bridge's path, e.g. `/api/novu`.
pub fn router(bridge: impl Into<Arc<Bridge>>) -> Router {
    Router::new().route("/", any(handle)).route("/workflows/{*rest}", any(execute)).with_state(bridge.into())
}

async fn handle(State(bridge): State<Arc<Bridge>>, request: Request) -> Response {
    bridge.handle(request).await.map(Body::new)
}

async fn execute(state: State<Arc<Bridge>>, request: Request) -> Response {
    // `.../workflows/<anything>` without `/execute` is not a route of ours: answered as axum answers
    // unmatched paths.
    if !request.uri().path().ends_with("/execute") {
        return StatusCode::NOT_FOUND.into_response();
    }
    handle(state, request).await
}
