//! Serving workflows: a bridge answers Novu's requests, over `http` types for any server or over the core's
//! own request type.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, StatusCode};
use http_body::Body as HttpBody;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};

use novu_framework_core::dispatch::{Body, Bridge as CoreBridge, ConfigError, Dispatch, Request, Response, Route};

use crate::client::Client;
use crate::error::BoxError;
use crate::exec::blocking;
use crate::workflow::{Workflow, WorkflowFn, drive};

/// A bridge serving a fixed set of workflows: what Novu discovers, previews and executes.
///
/// ```
/// use novu_framework::{Bridge, Client, Empty, SmsOutput, Step, Workflow};
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let ping = Workflow::new("ping", |_: Empty, step: Step| async move {
///     step.sms("text", |_: Empty| async { Ok(SmsOutput { body: "pong".into() }) }).await?;
///     Ok(())
/// })?;
/// let client = Client::builder().secret_key("nv-secret").build();
/// let bridge = Bridge::new(&client, [ping])?;
/// let request = http::Request::get("/api/novu?action=health-check").body(String::new())?;
/// let response = bridge.handle(request).await;
/// assert_eq!(response.status(), 200);
/// # Ok::<(), novu_framework::BoxError>(())
/// # }).unwrap();
/// ```
pub struct Bridge {
    core: CoreBridge,
    funcs: HashMap<String, WorkflowFn>,
    headers: HeaderMap,
    /// The discover and health-check documents as `Bytes`, so that answering them copies nothing.
    shared: [(Arc<str>, Bytes); 2],
}

impl std::fmt::Debug for Bridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bridge").field("workflows", &self.funcs.len()).field("config", self.core.config()).finish()
    }
}

impl Bridge {
    /// A bridge for these workflows. Fails when strict authentication is on without a secret key
    /// (`MissingSecretKeyError`), or when two workflows share an id (`WorkflowAlreadyExistsError`).
    pub fn new(client: &Client, workflows: impl IntoIterator<Item = Workflow>) -> Result<Bridge, ConfigError> {
        Bridge::with_server_name(client, workflows, "rust")
    }

    /// [`Bridge::new`] reporting `server_name` (e.g. `axum`) in the `novu-framework-server` header.
    pub fn with_server_name(
        client: &Client,
        workflows: impl IntoIterator<Item = Workflow>,
        server_name: &str,
    ) -> Result<Bridge, ConfigError> {
        let workflows: Vec<Workflow> = workflows.into_iter().collect();
        let definitions = workflows.iter().map(|w| w.definition.clone()).collect();
        let core = CoreBridge::new(definitions, client.bridge_config(server_name))?;
        let mut headers = HeaderMap::new();
        for (name, value) in core.headers() {
            let value = HeaderValue::from_str(value).map_err(|_| ConfigError {
                code: novu_framework_core::error::ErrorCode::BridgeError,
                message: format!("the `{name}` header value {value:?} is not a valid HTTP header value"),
            })?;
            headers.insert(HeaderName::from_static(name), value);
        }
        let [discover, health] = core.shared_bodies().map(|body| (body.clone(), Bytes::from(body.to_string())));
        let funcs = workflows.into_iter().map(|w| (w.definition.id.clone(), w.func)).collect();
        Ok(Bridge { core, funcs, headers, shared: [discover, health] })
    }

    /// The protocol core, for its configuration and workflow definitions.
    pub fn core(&self) -> &CoreBridge {
        &self.core
    }

    /// The headers every answer carries (content type, CORS, the framework's version headers).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Answers a request to the bridge route, or to `<bridge route>/workflows/<workflow_id>/execute` (the
    /// local run of a workflow) when the path ends that way. The body is read up to the client's
    /// `max_body_bytes` (413 beyond). Blocking work (the trigger action's call to Novu) runs off the async
    /// threads.
    pub async fn handle<B>(&self, request: http::Request<B>) -> http::Response<Full<Bytes>>
    where
        B: HttpBody,
        B::Error: Into<BoxError>,
    {
        let (parts, body) = request.into_parts();
        let workflow_id = local_workflow_id(parts.uri.path());
        let route = if workflow_id.is_some() { Route::Local } else { Route::Bridge };
        let bytes = match Limited::new(body, self.core.config().max_body_bytes).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) => {
                let response = if e.downcast_ref::<LengthLimitError>().is_some() {
                    self.core.payload_too_large(route)
                } else {
                    self.core.unreadable_body(route)
                };
                return self.reply(response);
            }
        };
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let request = Request {
            method: parts.method.as_str(),
            query: parts.uri.query().unwrap_or(""),
            signature: header("novu-signature"),
            legacy_signature: header("x-novu-signature"),
            body: &bytes,
        };
        let response = match &workflow_id {
            Some(id) => self.respond_local(id, &request).await,
            None => self.respond(&request).await,
        };
        self.reply(response)
    }

    /// Answers a bridge request given as the core's [`Request`].
    pub async fn respond(&self, request: &Request<'_>) -> Response {
        self.complete(self.core.dispatch(request), Route::Bridge).await
    }

    /// [`Bridge::respond`] as if the clock read `now_ms` (for tests and benchmarks with fixed signatures).
    pub async fn respond_at(&self, request: &Request<'_>, now_ms: f64) -> Response {
        self.complete(self.core.dispatch_at(request, now_ms), Route::Bridge).await
    }

    /// Answers `POST <bridge route>/workflows/<workflow_id>/execute` given as the core's [`Request`].
    pub async fn respond_local(&self, workflow_id: &str, request: &Request<'_>) -> Response {
        self.complete(self.core.dispatch_local(workflow_id, request), Route::Local).await
    }

    async fn complete(&self, dispatch: Dispatch, route: Route) -> Response {
        match dispatch {
            Dispatch::Respond(response) => response,
            Dispatch::Trigger(call) => match blocking(move || call.send()).await {
                Ok(response) => response,
                Err(e) => self.core.internal_error(route, &e),
            },
            Dispatch::Run(run) => {
                let Some(func) = self.funcs.get(&run.workflow().id) else {
                    return self.core.internal_error(route, "no function is registered for this workflow");
                };
                let (mut run, returned) = drive(func, run).await;
                self.core.complete(&mut run, returned, route)
            }
            // This API registers no agents: answered as the core answers an agent it does not know.
            Dispatch::Agent(agent) => CoreBridge::agent_not_registered(agent.agent_id()),
        }
    }

    /// The core's answer as an `http` response with the bridge's headers.
    pub fn reply(&self, response: Response) -> http::Response<Full<Bytes>> {
        let body = match response.body {
            Body::Owned(text) => Bytes::from(text),
            Body::Shared(text) => match self.shared.iter().find(|(s, _)| Arc::ptr_eq(s, &text)) {
                Some((_, bytes)) => bytes.clone(),
                None => Bytes::from(text.to_string()),
            },
        };
        let mut out = http::Response::new(Full::new(body));
        *out.status_mut() = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        *out.headers_mut() = self.headers.clone();
        out
    }
}

/// The workflow id of a path ending in `/workflows/<id>/execute`, percent-decoded (ids may contain `/`).
/// Bytes that are not UTF-8 become U+FFFD, so such an id is answered as an unknown workflow.
fn local_workflow_id(path: &str) -> Option<String> {
    let rest = &path[path.find("/workflows/")? + "/workflows/".len()..];
    let raw = rest.strip_suffix("/execute").filter(|id| !id.is_empty())?;
    Some(percent_encoding::percent_decode_str(raw).decode_utf8_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::local_workflow_id;

    #[test]
    fn local_routes_are_recognised_by_their_path() {
        assert_eq!(local_workflow_id("/api/novu/workflows/welcome/execute").as_deref(), Some("welcome"));
        assert_eq!(local_workflow_id("/workflows/a%2Fb/c/execute").as_deref(), Some("a/b/c"));
        assert_eq!(local_workflow_id("/api/novu/workflows/%FF/execute").as_deref(), Some("\u{FFFD}"));
        assert_eq!(local_workflow_id("/api/novu"), None);
        assert_eq!(local_workflow_id("/api/novu/workflows/welcome"), None);
        assert_eq!(local_workflow_id("/api/novu/workflows//execute"), None);
    }
}
