//! Serving a [`Bridge`] from axum: the bridge route and the local execute route.
//!
//! ```no_run
//! # async fn run(bridge: novu_framework::Bridge) {
//! let app = novu_framework::axum::router(std::sync::Arc::new(bridge), "/api/novu");
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:4000").await.unwrap();
//! axum::serve(listener, app).await.unwrap();
//! # }
//! ```

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::any;

use novu_framework_core::dispatch::{Request, Response, Route};

use crate::bridge::{Bridge, Pending};

/// A router answering `route` (the bridge) and `route/workflows/{workflow_id}/execute` (the local run).
pub fn router(bridge: Arc<Bridge>, route: &str) -> Router {
    let base = route.trim_end_matches('/');
    let base = if base.is_empty() { "/" } else { base };
    let execute = format!("{}/workflows/{{workflow_id}}/execute", base.trim_end_matches('/'));
    Router::new().route(base, any(bridge_route)).route(&execute, any(execute_route)).with_state(bridge)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn bridge_route(
    State(bridge): State<Arc<Bridge>>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> HttpResponse {
    let limit = bridge.core().config().max_body_bytes;
    let Ok(bytes) = to_bytes(body, limit).await else {
        return reply(&bridge, bridge.core().payload_too_large(Route::Bridge));
    };
    let request = Request {
        method: method.as_str(),
        query: query.as_deref().unwrap_or(""),
        signature: header(&headers, "novu-signature"),
        legacy_signature: header(&headers, "x-novu-signature"),
        body: &bytes,
    };
    let pending = bridge.prepare(&request);
    finish(bridge, pending).await
}

async fn execute_route(
    State(bridge): State<Arc<Bridge>>,
    method: Method,
    Path(workflow_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> HttpResponse {
    let limit = bridge.core().config().max_body_bytes;
    let Ok(bytes) = to_bytes(body, limit).await else {
        return reply(&bridge, bridge.core().payload_too_large(Route::Local));
    };
    let request = Request {
        method: method.as_str(),
        query: "",
        signature: header(&headers, "novu-signature"),
        legacy_signature: header(&headers, "x-novu-signature"),
        body: &bytes,
    };
    let pending = bridge.prepare_local(&workflow_id, &request);
    finish(bridge, pending).await
}

/// Blocking work (the trigger call to the Novu API) goes to tokio's blocking pool.
async fn finish(bridge: Arc<Bridge>, pending: Pending) -> HttpResponse {
    if !pending.blocks() {
        let response = bridge.finish(pending);
        return reply(&bridge, response);
    }
    let worker = bridge.clone();
    match tokio::task::spawn_blocking(move || worker.finish(pending)).await {
        Ok(response) => reply(&bridge, response),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn reply(bridge: &Bridge, response: Response) -> HttpResponse {
    let mut out = HttpResponse::new(Body::from(response.body.as_bytes().to_vec()));
    *out.status_mut() = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = out.headers_mut();
    for (name, value) in bridge.headers() {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    out
}
