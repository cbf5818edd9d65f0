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
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::any;
use http_body_util::LengthLimitError;

use novu_framework_core::dispatch::{Request, Response, Route};

use crate::bridge::{Bridge, Pending};

/// A router answering `route` (the bridge) and `route/workflows/{workflow_id}/execute` (the local run).
pub fn router(bridge: Arc<Bridge>, route: &str) -> Router {
    let base = route.trim_end_matches('/');
    let base = if base.is_empty() { "/" } else { base };
    let execute = format!("{}/workflows/{{*workflow_id}}", base.trim_end_matches('/'));
    Router::new().route(base, any(bridge_route)).route(&execute, any(execute_route)).with_state(bridge)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The body up to the size limit, or the response saying why it cannot be had.
async fn read_body(bridge: &Bridge, body: Body, route: Route) -> Result<Bytes, HttpResponse> {
    let limit = bridge.core().config().max_body_bytes;
    to_bytes(body, limit).await.map_err(|e| {
        let too_large = e.into_inner().downcast_ref::<LengthLimitError>().is_some();
        let response =
            if too_large { bridge.core().payload_too_large(route) } else { bridge.core().unreadable_body(route) };
        reply(bridge, response)
    })
}

async fn bridge_route(
    State(bridge): State<Arc<Bridge>>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> HttpResponse {
    let bytes = match read_body(&bridge, body, Route::Bridge).await {
        Ok(bytes) => bytes,
        Err(response) => return response,
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

/// The workflow id of `.../workflows/<id>/execute`, percent-decoded; bytes that are not UTF-8 become
/// U+FFFD, so such an id is answered as an unknown workflow (JSON 404) rather than by axum's text 400.
fn workflow_id(uri: &Uri) -> Option<String> {
    let path = uri.path();
    let rest = &path[path.rfind("/workflows/")? + "/workflows/".len()..];
    let raw = rest.strip_suffix("/execute")?;
    Some(percent_encoding::percent_decode_str(raw).decode_utf8_lossy().into_owned())
}

async fn execute_route(
    State(bridge): State<Arc<Bridge>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> HttpResponse {
    let Some(workflow_id) = workflow_id(&uri) else {
        // `.../workflows/<anything>` without `/execute`: not a route of ours, as axum answers unmatched paths.
        return StatusCode::NOT_FOUND.into_response();
    };
    let bytes = match read_body(&bridge, body, Route::Local).await {
        Ok(bytes) => bytes,
        Err(response) => return response,
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
    let route = pending.route();
    match tokio::task::spawn_blocking(move || worker.finish(pending)).await {
        Ok(response) => reply(&bridge, response),
        Err(e) => reply(&bridge, bridge.core().internal_error(route, &e.to_string())),
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
