//! HTTP-level handling of the bridge route (spec §2–§3, §5–§9, §15.1) and of the original project's local
//! execute route. Adapters hand over method, raw query string, the signature headers and the raw body;
//! they get back a status and body bytes (headers are static per bridge), or a [`Run`] to drive through
//! the user's workflow function, or a trigger call to send.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::agents::{self, AgentDefinition, AgentLimits, Registry, Turn, TurnConfig, TurnSlot};
use crate::discover::{FRAMEWORK_VERSION, discover_text, health_document};
use crate::engine::{Event, Mode, Run, RunOptions, type_name};
use crate::error::{ErrorCode, FrameworkError, UserError, wrap_cause};
use crate::hmac::{SignedBody, Signer};
use crate::ids;
use crate::json;
use crate::liquid::Limits;
use crate::novu_api::{ApiClient, ApiError, CallPolicy, DEFAULT_API_URL};
use crate::workflow::WorkflowDefinition;

/// The version this library reports as its SDK version.
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Default cap on request bodies (project decision: 5 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 5 << 20;

const GET_ACTIONS: [&str; 3] = ["discover", "health-check", "code"];
const POST_ACTIONS: [&str; 4] = ["trigger", "execute", "preview", "agent-event"];

/// How a bridge is configured.
#[derive(Clone)]
pub struct BridgeConfig {
    /// Empty when none is configured. Verifies inbound signatures and authenticates outbound calls.
    pub secret_key: String,
    /// Also accepted on inbound signatures, while keys are rotated; empty when none.
    pub secret_key_fallback: String,
    pub strict_authentication: bool,
    pub api_url: String,
    /// `novu-framework-server` header value: the adapter's name (`flask`, `fastapi`, `axum`).
    pub server_name: String,
    pub max_body_bytes: usize,
    pub limits: Limits,
    /// Timeout of calls to the Novu API made by `action=trigger`, and of each post of an agent turn.
    pub api_timeout: Duration,
    pub agents: AgentLimits,
}

impl std::fmt::Debug for BridgeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BridgeConfig")
            .field("secret_key", &crate::config::redacted(&self.secret_key))
            .field("secret_key_fallback", &crate::config::redacted(&self.secret_key_fallback))
            .field("strict_authentication", &self.strict_authentication)
            .field("api_url", &self.api_url)
            .field("server_name", &self.server_name)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("limits", &self.limits)
            .field("api_timeout", &self.api_timeout)
            .field("agents", &self.agents)
            .finish()
    }
}

impl Default for BridgeConfig {
    fn default() -> Self {
        BridgeConfig {
            secret_key: String::new(),
            secret_key_fallback: String::new(),
            strict_authentication: true,
            api_url: DEFAULT_API_URL.into(),
            server_name: "rust".into(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            limits: Limits::default(),
            api_timeout: Duration::from_secs(10),
            agents: AgentLimits::default(),
        }
    }
}

/// A request as an adapter sees it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    /// `novu-signature`.
    pub signature: Option<&'a str>,
    /// `x-novu-signature`, accepted when `novu-signature` is absent (older self-hosted Novu sends it).
    pub legacy_signature: Option<&'a str>,
    pub body: &'a [u8],
}

/// Response body bytes: shared for the prebuilt documents, owned otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Shared(Arc<str>),
    Owned(String),
}

impl Body {
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Shared(s) => s.as_bytes(),
            Body::Owned(s) => s.as_bytes(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: Body,
}

impl Response {
    /// `(code, message)` of an error answer, in either route's shape (`{message, code, data}` or
    /// `{detail, code}`), the message with its first validation issue, for request logs; `None` for a
    /// success.
    pub fn error_summary(&self) -> Option<(String, String)> {
        if self.status < 400 {
            return None;
        }
        let body = json::parse(self.body.as_bytes()).ok();
        let text = |key: &str| body.as_ref().and_then(|b| b.get(key)).and_then(Value::as_str).map(str::to_string);
        let data = body.as_ref().and_then(|b| b.get("data")).cloned();
        let message = match text("message") {
            Some(message) => FrameworkError::new(ErrorCode::BridgeError, message, data).detail(),
            None => text("detail").unwrap_or_default(),
        };
        Some((text("code").unwrap_or_default(), message))
    }

    fn json(status: u16, value: &Value) -> Response {
        Response { status, body: Body::Owned(json::stringify(value)) }
    }

    fn error(e: &FrameworkError) -> Response {
        Response { status: e.status(), body: Body::Owned(e.body_text()) }
    }
}

/// What an adapter must do with a request.
#[derive(Debug)]
pub enum Dispatch {
    /// Send this response.
    Respond(Response),
    /// Run the workflow function against this replay, then call [`Bridge::complete`].
    Run(Box<Run>),
    /// Send this call to the Novu API (blocking), then send its response.
    Trigger(TriggerCall),
    /// An acknowledged `agent-event`: send the ack, then run the turn.
    Agent(AgentDispatch),
}

/// An `agent-event` that passed every check: send `response` (the ack), then run `turn`. The turn's handler
/// code must not run before the answer is sent.
#[derive(Debug)]
pub struct AgentDispatch {
    pub response: Response,
    pub turn: Box<Turn>,
}

impl AgentDispatch {
    pub fn agent_id(&self) -> &str {
        &self.turn.agent().id
    }
}

/// Which route a finished run answers: the bridge (framework error shape) or the local execute route
/// (`{detail, code}` shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Bridge,
    Local,
}

/// What a path below the bridge's mount point names. Adapters pass the path as their framework gives it
/// below the mount (`""`, `"/"`, `"/workflows/welcome/execute"`); one trailing slash is ignored, as
/// Express routes ignore it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// The bridge itself (the mount point).
    Bridge,
    /// `/workflows/<workflow_id>/execute`: the local run.
    Local(&'a str),
    /// Anything else: answered 404 in JSON.
    Unknown,
}

impl<'a> Target<'a> {
    pub fn of(path: &'a str) -> Target<'a> {
        let path = path.strip_suffix('/').unwrap_or(path);
        if path.is_empty() {
            return Target::Bridge;
        }
        match path.strip_prefix("/workflows/").and_then(|rest| rest.strip_suffix("/execute")) {
            Some(id) if !id.is_empty() => Target::Local(id),
            _ => Target::Unknown,
        }
    }
}

/// What a request asked for, as request logs report it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestInfo {
    /// The bridge's `action` (`health-check` when absent), `run` for the local run, `unknown` for a path
    /// the bridge does not serve.
    pub action: String,
    pub workflow_id: Option<String>,
    pub step_id: Option<String>,
}

impl RequestInfo {
    pub fn of(path: &str, query: &str) -> RequestInfo {
        match Target::of(path) {
            Target::Bridge => {
                let q = Query::parse(query);
                let action = q.action.unwrap_or_else(|| "health-check".into());
                RequestInfo { action, workflow_id: q.workflow_id, step_id: q.step_id }
            }
            Target::Local(id) => RequestInfo { action: "run".into(), workflow_id: Some(id.into()), step_id: None },
            Target::Unknown => RequestInfo { action: "unknown".into(), ..RequestInfo::default() },
        }
    }
}

/// A prepared `POST /v1/events/trigger` forwarding an `action=trigger` request (spec §15.1).
#[derive(Debug)]
pub struct TriggerCall {
    client: ApiClient,
    body: String,
    expose_stack: bool,
}

impl TriggerCall {
    /// Sends the call and maps the API's answer to the bridge's (spec §15.1).
    pub fn send(self) -> Response {
        match self.client.post("/events/trigger", &self.body) {
            Ok(answer) => {
                let parsed = json::parse(&answer.body).ok();
                if answer.is_success() {
                    return match parsed {
                        Some(v) => Response::json(200, &v),
                        None => Response::error(&api_failure(&answer_text(&answer.body), self.expose_stack)),
                    };
                }
                if let Some(e) = parsed.as_ref().and_then(platform_error) {
                    return Response::error(&e);
                }
                let text = parsed.map(|v| json::stringify_pretty(&v, 2)).unwrap_or_else(|| answer_text(&answer.body));
                Response::error(&api_failure(
                    &format!("Novu API answered {}: {text}", answer.status),
                    self.expose_stack,
                ))
            }
            Err(e) => Response::error(&api_failure(&api_error_text(&e), self.expose_stack)),
        }
    }
}

fn answer_text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(1000).collect()
}

fn api_error_text(e: &ApiError) -> String {
    e.to_string()
}

fn api_failure(message: &str, expose_stack: bool) -> FrameworkError {
    let cause = UserError::Exception { message: message.to_string(), stack: None };
    wrap_cause(ErrorCode::BridgeError, "Unknown BridgeError", &cause, expose_stack)
}

/// A Novu API error `{statusCode, error, message}` becomes a response with its status, the API's message
/// in `message` (upstream leaves it empty) and in `data.message`, and `error` as the code.
fn platform_error(v: &Value) -> Option<FrameworkError> {
    let status = v.get("statusCode")?.as_u64().filter(|s| (100..600).contains(s))? as u16;
    let error = v.get("error")?;
    let message = v.get("message")?;
    let text = match message {
        Value::String(s) => s.clone(),
        other => json::stringify(other),
    };
    let code = match error {
        Value::String(s) => s.clone(),
        other => json::stringify(other),
    };
    Some(FrameworkError::pass_through(status, Some(text), Some(json!({"message": message})), Some(code)))
}

/// A bridge serving a fixed set of workflows.
#[derive(Debug)]
pub struct Bridge {
    workflows: Vec<Arc<WorkflowDefinition>>,
    index: HashMap<String, usize>,
    agents: Registry,
    /// Agent turns running now (each holds a [`TurnSlot`]).
    turns: Arc<AtomicUsize>,
    config: BridgeConfig,
    signer: Signer,
    discover: Arc<str>,
    health: Arc<str>,
    headers: Vec<(&'static str, String)>,
}

/// Why a bridge cannot be built.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub code: ErrorCode,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Bridge {
    /// Builds a bridge; fails when strict authentication is on without a secret key, or when two
    /// workflows share an id.
    pub fn new(workflows: Vec<Arc<WorkflowDefinition>>, config: BridgeConfig) -> Result<Bridge, ConfigError> {
        Bridge::with_agents(workflows, Vec::new(), config)
    }

    /// Builds a bridge that also serves conversational agents (an id registered twice keeps its first place
    /// and its last handlers, as upstream).
    pub fn with_agents(
        workflows: Vec<Arc<WorkflowDefinition>>,
        agents: Vec<AgentDefinition>,
        config: BridgeConfig,
    ) -> Result<Bridge, ConfigError> {
        if config.strict_authentication && config.secret_key.is_empty() {
            return Err(ConfigError {
                code: ErrorCode::MissingSecretKeyError,
                message: "Strict authentication is on but no secret key is configured: set the NOVU_SECRET_KEY \
                          environment variable (or pass secret_key), or turn strict authentication off for local \
                          development with NOVU_STRICT_AUTHENTICATION_ENABLED=false"
                    .into(),
            });
        }
        let mut index = HashMap::new();
        for (i, wf) in workflows.iter().enumerate() {
            if index.insert(wf.id.clone(), i).is_some() {
                return Err(ConfigError {
                    code: ErrorCode::WorkflowAlreadyExistsError,
                    message: FrameworkError::workflow_already_exists(&wf.id).message,
                });
            }
        }
        let agents = Registry::new(agents).map_err(|message| ConfigError { code: ErrorCode::BridgeError, message })?;
        let discover: Arc<str> = discover_text(workflows.iter().map(|w| w.as_ref()), &agents).into();
        let health: Arc<str> =
            json::stringify(&health_document(workflows.iter().map(|w| w.as_ref()), SDK_VERSION)).into();
        let headers = vec![
            ("content-type", "application/json".to_string()),
            ("access-control-allow-origin", "*".to_string()),
            ("access-control-allow-private-network", "true".to_string()),
            ("access-control-allow-methods", "GET, POST".to_string()),
            ("access-control-allow-headers", "*".to_string()),
            ("access-control-max-age", "604800".to_string()),
            ("novu-framework-version", FRAMEWORK_VERSION.to_string()),
            ("novu-framework-sdk", SDK_VERSION.to_string()),
            ("novu-framework-server", config.server_name.clone()),
            ("user-agent", format!("novu-framework:v{SDK_VERSION}")),
        ];
        let signer = Signer::with_fallback(&config.secret_key, &config.secret_key_fallback);
        let turns = Arc::new(AtomicUsize::new(0));
        Ok(Bridge { workflows, index, agents, turns, config, signer, discover, health, headers })
    }

    /// The prebuilt bodies (discover, health-check) that responses share, so that bindings can keep one
    /// copy of each in their own representation.
    pub fn shared_bodies(&self) -> [&Arc<str>; 2] {
        [&self.discover, &self.health]
    }

    /// The static headers every response carries (spec §2.5).
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    pub fn config(&self) -> &BridgeConfig {
        &self.config
    }

    pub fn workflows(&self) -> &[Arc<WorkflowDefinition>] {
        &self.workflows
    }

    pub fn workflow(&self, id: &str) -> Option<&Arc<WorkflowDefinition>> {
        self.index.get(id).map(|&i| &self.workflows[i])
    }

    pub fn agents(&self) -> &Registry {
        &self.agents
    }

    /// Agent turns running now.
    pub fn turns_in_flight(&self) -> usize {
        self.turns.load(std::sync::atomic::Ordering::Acquire)
    }

    fn run_options(&self) -> RunOptions {
        RunOptions { expose_stack: !self.config.strict_authentication, limits: self.config.limits }
    }

    /// Handles a request at `path` below the bridge's mount point (see [`Target`]): the bridge, the local
    /// run, or a JSON 404. Returns which route answers, for [`Bridge::complete`].
    pub fn dispatch_path(&self, path: &str, request: &Request<'_>) -> (Route, Dispatch) {
        match Target::of(path) {
            Target::Bridge => (Route::Bridge, self.dispatch(request)),
            Target::Local(workflow_id) => (Route::Local, self.dispatch_local(workflow_id, request)),
            Target::Unknown => {
                let message = format!(
                    "Nothing is served at `{path}` below the bridge: it answers at its own path and at \
                     `/workflows/<workflow_id>/execute` below it"
                );
                let e = FrameworkError::pass_through(404, Some(message), None, Some("NotFoundError".into()));
                (Route::Bridge, respond(Response::error(&e)))
            }
        }
    }

    /// Handles a bridge request at the current time.
    pub fn dispatch(&self, request: &Request<'_>) -> Dispatch {
        self.dispatch_at(request, ids::now_ms())
    }

    /// Handles a bridge request as if the clock read `now_ms` (spec §2.4, with the project's decisions:
    /// the method is checked first, OPTIONS needs no signature).
    pub fn dispatch_at(&self, request: &Request<'_>, now_ms: f64) -> Dispatch {
        let method = request.method;
        if !matches!(method, "GET" | "POST" | "OPTIONS") {
            return respond(Response::error(&FrameworkError::method_not_allowed()));
        }
        if method == "OPTIONS" {
            return respond(Response::json(200, &json!({})));
        }
        if request.body.len() > self.config.max_body_bytes {
            return respond(Response::error(&body_too_large(self.config.max_body_bytes)));
        }
        let query = Query::parse(request.query);
        let action = query.action.as_deref().unwrap_or("health-check");
        let parsed = OnceCell::new();
        if action != "health-check" && self.config.strict_authentication {
            let json_text = || body_json_text(&parsed, request.body);
            let signed = match method {
                "POST" => SignedBody::Post { raw: request.body, json_text: &json_text },
                _ => SignedBody::Empty,
            };
            let header = request.signature.filter(|s| !s.is_empty()).or(request.legacy_signature);
            if let Err(e) = self.signer.verify(header, &signed, now_ms) {
                return respond(Response::error(&e));
            }
        }
        let body = (method == "POST").then(|| parsed.into_inner().unwrap_or_else(|| ParsedBody::read(request.body)));
        let result = match (method, body) {
            ("GET", _) => self.get(action, &query),
            (_, Some(body)) => return self.post(action, &query, body),
            _ => Err(FrameworkError::method_not_allowed()),
        };
        respond(match result {
            Ok(r) => r,
            Err(e) => Response::error(&e),
        })
    }

    fn get(&self, action: &str, query: &Query) -> Result<Response, FrameworkError> {
        match action {
            "health-check" => Ok(Response { status: 200, body: Body::Shared(self.health.clone()) }),
            "discover" => Ok(Response { status: 200, body: Body::Shared(self.discover.clone()) }),
            "code" => {
                let wf_id = query.workflow_id.as_deref().unwrap_or("");
                let wf = self.workflow(wf_id).ok_or_else(|| FrameworkError::workflow_not_found(wf_id))?;
                let code = match query.step_id.as_deref() {
                    None => &wf.code,
                    Some(step_id) => &wf.step(step_id).ok_or_else(|| FrameworkError::step_not_found(step_id))?.code,
                };
                Ok(Response::json(200, &json!({ "code": code })))
            }
            other => Err(FrameworkError::invalid_action(other, &GET_ACTIONS)),
        }
    }

    fn post(&self, action: &str, query: &Query, body: ParsedBody) -> Dispatch {
        if !POST_ACTIONS.contains(&action) {
            return respond(Response::error(&FrameworkError::invalid_action(action, &POST_ACTIONS)));
        }
        let value = match body.into_value() {
            Ok(v) => v,
            Err(e) => return respond(Response::error(&e)),
        };
        match action {
            "execute" | "preview" => {
                let mode = if action == "execute" { Mode::Execute } else { Mode::Preview };
                match self.start_run(mode, query, value) {
                    Ok(run) => Dispatch::Run(Box::new(run)),
                    Err(e) => respond(Response::error(&e)),
                }
            }
            "trigger" => match self.trigger_call(query, value) {
                Ok(call) => Dispatch::Trigger(call),
                Err(e) => respond(Response::error(&e)),
            },
            _ => self.agent_event(query, value),
        }
    }

    /// The answer to an `agent-event` for an agent this bridge does not serve (upstream's 404 and body).
    pub fn agent_not_registered(agent_id: &str) -> Response {
        Response::json(404, &json!({"error": format!("Agent '{agent_id}' not registered")}))
    }

    /// `agent-event` (agents-protocol.md §3): 404 for an unknown agent as upstream; a body that cannot run
    /// is a 400 before anything is acknowledged; then a place among the running turns or a 503.
    fn agent_event(&self, query: &Query, body: Value) -> Dispatch {
        let agent_id = query.agent_id.as_deref().unwrap_or("");
        let Some(agent) = self.agents.get(agent_id) else {
            return respond(Bridge::agent_not_registered(agent_id));
        };
        let request = match agents::validate(body, &self.config.agents) {
            Ok(r) => r,
            Err(e) => return respond(Response::error(&e)),
        };
        if !self.config.strict_authentication
            && let Some(e) = agents::untrusted_target(&request.target, &self.config.api_url)
        {
            return respond(Response::error(&e));
        }
        if self.config.secret_key.is_empty() {
            return respond(Response::error(&FrameworkError::missing_secret_key()));
        }
        let max = self.config.agents.max_turns_in_flight;
        let Some(slot) = TurnSlot::acquire(&self.turns, max) else {
            let e = FrameworkError::new(
                ErrorCode::TooManyAgentTurnsError,
                format!("{max} agent turns are already running (max_turns_in_flight); try again later"),
                Some(json!({"limit": max, "name": "max_turns_in_flight"})),
            );
            return respond(Response::error(&e));
        };
        let config = TurnConfig {
            secret_key: self.config.secret_key.clone(),
            timeout: self.config.api_timeout,
            limits: self.config.agents,
        };
        let event = query.event.clone().unwrap_or_default();
        let turn = Turn::new(agent.clone(), event, request, config, Some(slot));
        let response = Response { status: 200, body: Body::Owned(r#"{"status":"ack"}"#.into()) };
        Dispatch::Agent(AgentDispatch { response, turn: Box::new(turn) })
    }

    fn start_run(&self, mode: Mode, query: &Query, body: Value) -> Result<Run, FrameworkError> {
        let wf_id = query.workflow_id.as_deref().unwrap_or("");
        let wf = self.workflow(wf_id).ok_or_else(|| FrameworkError::workflow_not_found(wf_id))?;
        // Upstream treats a JSON body that is not an object (an array) as an empty event.
        let fields = match body {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let event = Event::from_body(fields)?;
        let target = query.step_id.clone().unwrap_or_default();
        Run::new(Arc::clone(wf), mode, target, event, self.run_options())
    }

    fn trigger_call(&self, query: &Query, body: Value) -> Result<TriggerCall, FrameworkError> {
        let Value::Object(mut fields) = body else {
            return Err(FrameworkError::invalid_body(format!(
                "The trigger request body must be a JSON object like {{\"to\": \"subscriber-id\", \"payload\": {{}}}}, got {}",
                type_name(&body)
            )));
        };
        if self.config.secret_key.is_empty() {
            return Err(FrameworkError::missing_secret_key());
        }
        // Unlike execute/preview, a `workflowId` in the body wins over the query (spec §15.1).
        let name = match fields.remove("workflowId") {
            Some(v) if !v.is_null() => v,
            _ => Value::String(query.workflow_id.clone().unwrap_or_default()),
        };
        let outbound = trigger_body(name, fields);
        let client =
            ApiClient::new(&self.config.api_url, &self.config.secret_key, CallPolicy::once(self.config.api_timeout));
        Ok(TriggerCall { client, body: json::stringify(&outbound), expose_stack: !self.config.strict_authentication })
    }

    /// Turns the outcome of a run into its response.
    pub fn complete(&self, run: &mut Run, returned: Result<(), UserError>, route: Route) -> Response {
        let mode = run.mode();
        match run.finish(returned) {
            Ok(body) => Response::json(200, &body),
            Err(e) if route == Route::Local || mode == Mode::Local => local_error(&e),
            Err(e) => Response::error(&e),
        }
    }

    /// The answer to a failure of the library itself (a bug): 500 `BridgeError`, with the detail only when
    /// strict authentication is off.
    pub fn internal_error(&self, route: Route, detail: &str) -> Response {
        let message = if self.config.strict_authentication {
            "Unknown BridgeError: the bridge failed while handling this request (see the server log)".to_string()
        } else {
            format!("Unknown BridgeError: {detail}")
        };
        let e = FrameworkError::new(ErrorCode::BridgeError, message, Some(json!({})));
        match route {
            Route::Bridge => Response::error(&e),
            Route::Local => local_error(&e),
        }
    }

    /// The answer to a body over the size limit, for adapters that stop reading at the limit.
    pub fn payload_too_large(&self, route: Route) -> Response {
        let e = body_too_large(self.config.max_body_bytes);
        match route {
            Route::Bridge => Response::error(&e),
            Route::Local => local_error(&e),
        }
    }

    /// The answer to a body that could not be read (the client went away or sent a broken stream).
    pub fn unreadable_body(&self, route: Route) -> Response {
        let e = FrameworkError::invalid_body("The request body could not be read");
        match route {
            Route::Bridge => Response::error(&e),
            Route::Local => local_error(&e),
        }
    }

    /// Handles `POST {route}/workflows/<workflow_id>/execute` (the original project's local run): body
    /// `{to, payload, metadata?, controls?}`; errors answer `{detail, code, errors?}`.
    pub fn dispatch_local(&self, workflow_id: &str, request: &Request<'_>) -> Dispatch {
        self.dispatch_local_at(workflow_id, request, ids::now_ms())
    }

    pub fn dispatch_local_at(&self, workflow_id: &str, request: &Request<'_>, now_ms: f64) -> Dispatch {
        if request.method != "POST" {
            let e =
                FrameworkError::new(ErrorCode::MethodNotAllowedError, "Method not allowed. Please use `POST`", None);
            return respond(local_error(&e));
        }
        if request.body.len() > self.config.max_body_bytes {
            return respond(local_error(&body_too_large(self.config.max_body_bytes)));
        }
        let parsed = OnceCell::new();
        if self.config.strict_authentication {
            let json_text = || body_json_text(&parsed, request.body);
            let signed = SignedBody::Post { raw: request.body, json_text: &json_text };
            let header = request.signature.filter(|s| !s.is_empty()).or(request.legacy_signature);
            if let Err(e) = self.signer.verify(header, &signed, now_ms) {
                return respond(local_error(&e));
            }
        }
        let Some(wf) = self.workflow(workflow_id) else {
            let e = FrameworkError::workflow_not_found(workflow_id);
            let body = json!({"detail": format!("Workflow '{workflow_id}' not found"), "code": e.code.as_str()});
            return respond(Response::json(404, &body));
        };
        let body = parsed.into_inner().unwrap_or_else(|| ParsedBody::read(request.body));
        let value = match body.into_value() {
            Ok(v) => v,
            Err(e) => return respond(local_error(&e)),
        };
        match local_run(Arc::clone(wf), value, self.run_options()) {
            Ok(run) => Dispatch::Run(Box::new(run)),
            Err(e) => respond(local_error(&e)),
        }
    }
}

/// Starts a local run from a `{to, payload, metadata?, controls?}` object; used by the local execute
/// route and by `workflow.run()`.
pub fn local_run(workflow: Arc<WorkflowDefinition>, body: Value, options: RunOptions) -> Result<Run, FrameworkError> {
    let Value::Object(mut fields) = body else {
        return Err(FrameworkError::invalid_body(format!(
            "The request body must be a JSON object like {{\"to\": \"subscriber-id\", \"payload\": {{}}}}, got {}",
            type_name(&body)
        )));
    };
    let subscriber = match fields.remove("to") {
        None | Some(Value::Null) => {
            return Err(FrameworkError::invalid_body(
                "`to` is required: a subscriber id, or an object with a `subscriberId`",
            ));
        }
        Some(to) => subscriber_from_to(to)?,
    };
    let payload = match fields.remove("payload") {
        None | Some(Value::Null) => {
            return Err(FrameworkError::invalid_body("`payload` is required: a JSON object"));
        }
        Some(p @ Value::Object(_)) => p,
        Some(other) => {
            return Err(FrameworkError::invalid_body(format!(
                "`payload` must be an object, got {}",
                type_name(&other)
            )));
        }
    };
    if let Some(metadata) = fields.get("metadata").filter(|m| !m.is_null() && !m.is_object()) {
        return Err(FrameworkError::invalid_body(format!("`metadata` must be an object, got {}", type_name(metadata))));
    }
    let controls = match fields.remove("controls") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map,
        Some(other) => {
            return Err(FrameworkError::invalid_body(format!(
                "`controls` must be an object keyed by step id, got {}",
                type_name(&other)
            )));
        }
    };
    Run::local(workflow, subscriber, payload, controls, options)
}

/// `to` as the subscriber the workflow sees: `{subscriberId: to}` for a string, the object otherwise.
pub fn subscriber_from_to(to: Value) -> Result<Value, FrameworkError> {
    match to {
        Value::String(id) if !id.is_empty() => Ok(json!({ "subscriberId": id })),
        Value::Object(map) => match map.get("subscriberId") {
            Some(Value::String(id)) if !id.is_empty() => Ok(Value::Object(map)),
            _ => Err(FrameworkError::invalid_body("`to.subscriberId` is required: a non-empty string")),
        },
        other => Err(FrameworkError::invalid_body(format!(
            "`to` must be a subscriber id or an object with a `subscriberId`, got {}",
            if other.as_str() == Some("") { "an empty string" } else { type_name(&other) }
        ))),
    }
}

/// `{detail, code, errors?}`: the local route's error shape, one message that says what was wrong.
fn local_error(e: &FrameworkError) -> Response {
    let status = match e.code {
        ErrorCode::StepExecutionFailedError | ErrorCode::ProviderExecutionFailedError | ErrorCode::BridgeError => 500,
        _ => e.status(),
    };
    let mut body = Map::new();
    let issues = e.data.as_ref().and_then(Value::as_array).filter(|a| !a.is_empty());
    body.insert("detail".into(), Value::String(e.detail()));
    body.insert("code".into(), Value::String(e.code_text.clone().unwrap_or_else(|| e.code.as_str().to_string())));
    if let Some(issues) = issues {
        body.insert("errors".into(), Value::Array(issues.clone()));
    }
    Response::json(status, &Value::Object(body))
}

fn body_too_large(limit: usize) -> FrameworkError {
    FrameworkError::new(
        ErrorCode::PayloadTooLargeError,
        format!("Request body is larger than the limit of {limit} bytes"),
        Some(json!({"limit": limit})),
    )
}

/// The outbound trigger body, keys in upstream's order, optional keys only when set (spec §15.1).
fn trigger_body(name: Value, mut fields: Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), name);
    if let Some(to) = fields.remove("to") {
        out.insert("to".into(), to);
    }
    out.insert("payload".into(), fields.remove("payload").filter(json::truthy).unwrap_or_else(|| json!({})));
    if let Some(id) = fields.remove("transactionId") {
        out.insert("transactionId".into(), id);
    }
    out.insert("overrides".into(), fields.remove("overrides").filter(json::truthy).unwrap_or_else(|| json!({})));
    for key in ["actor", "bridgeUrl", "controls", "context"] {
        if let Some(v) = fields.remove(key).filter(json::truthy) {
            out.insert(key.into(), v);
        }
    }
    if let Some(agent) = fields.remove("agentId") {
        out.insert("agentId".into(), agent);
    }
    Value::Object(out)
}

fn respond(r: Response) -> Dispatch {
    Dispatch::Respond(r)
}

/// The body's JSON re-serialised for the signature check, parsing it (once) only when asked.
fn body_json_text(parsed: &OnceCell<ParsedBody>, raw: &[u8]) -> Option<String> {
    parsed.get_or_init(|| ParsedBody::read(raw)).value.as_ref().map(json::stringify)
}

/// A POST body read once: its JSON value, or why it is not one.
struct ParsedBody {
    value: Option<Value>,
    error: Option<FrameworkError>,
}

impl ParsedBody {
    fn read(raw: &[u8]) -> ParsedBody {
        // An empty body is `{}`, as Express's JSON parser gives upstream.
        if raw.iter().all(u8::is_ascii_whitespace) {
            return ParsedBody { value: Some(json!({})), error: None };
        }
        if let Err(e) = std::str::from_utf8(raw) {
            let message = format!("Request body is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to());
            return ParsedBody { value: None, error: Some(FrameworkError::invalid_body(message)) };
        }
        match json::parse(raw) {
            Ok(v) => ParsedBody { value: Some(v), error: None },
            Err(e) => {
                let message =
                    format!("Request body is not valid JSON: {}", e.message.trim_start_matches("invalid JSON: "));
                ParsedBody { value: None, error: Some(FrameworkError::invalid_body(message)) }
            }
        }
    }

    /// The body as JSON: an object or array (what upstream's parser accepts), else a 400 that says why.
    fn into_value(self) -> Result<Value, FrameworkError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        match self.value {
            Some(v @ (Value::Object(_) | Value::Array(_))) => Ok(v),
            Some(other) => Err(FrameworkError::invalid_body(format!(
                "Request body must be a JSON object, got {}",
                type_name(&other)
            ))),
            None => Ok(json!({})),
        }
    }
}

/// The query keys the bridge reads, with URLSearchParams semantics: first occurrence wins, empty is absent.
#[derive(Debug, Default, PartialEq, Eq)]
struct Query {
    action: Option<String>,
    workflow_id: Option<String>,
    step_id: Option<String>,
    agent_id: Option<String>,
    event: Option<String>,
}

impl Query {
    fn parse(raw: &str) -> Query {
        let mut q = Query::default();
        for pair in raw.trim_start_matches('?').split('&') {
            if pair.is_empty() {
                continue;
            }
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let slot = match percent_decode(key).as_str() {
                "action" => &mut q.action,
                "workflowId" => &mut q.workflow_id,
                "stepId" => &mut q.step_id,
                "agentId" => &mut q.agent_id,
                "event" => &mut q.event,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(percent_decode(value));
            }
        }
        // `?action=` counts as absent.
        for slot in [&mut q.action, &mut q.workflow_id, &mut q.step_id, &mut q.agent_id, &mut q.event] {
            if slot.as_deref() == Some("") {
                *slot = None;
            }
        }
        q
    }
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, bad escapes stay as they are.
fn percent_decode(s: &str) -> String {
    if !s.bytes().any(|b| b == b'%' || b == b'+') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: Option<&u8>) -> Option<u8> {
    (*b? as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_keep_details_inside_under_strict_authentication() {
        let strict = BridgeConfig { secret_key: "k".into(), ..BridgeConfig::default() };
        let bridge = Bridge::new(Vec::new(), strict).unwrap();
        let r = bridge.internal_error(Route::Bridge, "conversion failed at /a/b.py");
        assert_eq!(r.status, 500);
        let text = String::from_utf8_lossy(r.body.as_bytes()).to_string();
        assert!(text.contains("\"code\":\"BridgeError\"") && !text.contains("b.py"), "{text}");
        let lax = BridgeConfig { strict_authentication: false, ..BridgeConfig::default() };
        let r = Bridge::new(Vec::new(), lax).unwrap().internal_error(Route::Local, "conversion failed");
        let text = String::from_utf8_lossy(r.body.as_bytes()).to_string();
        assert!(text.contains("\"detail\":\"Unknown BridgeError: conversion failed\""), "{text}");
    }

    #[test]
    fn paths_below_the_mount_point() {
        assert_eq!(Target::of(""), Target::Bridge);
        assert_eq!(Target::of("/"), Target::Bridge);
        assert_eq!(Target::of("/workflows/w/execute"), Target::Local("w"));
        assert_eq!(Target::of("/workflows/w/execute/"), Target::Local("w"));
        assert_eq!(Target::of("/workflows//execute"), Target::Unknown);
        assert_eq!(Target::of("//"), Target::Unknown);
        assert_eq!(Target::of("/workflows/w"), Target::Unknown);
        let lax = BridgeConfig { strict_authentication: false, ..BridgeConfig::default() };
        let bridge = Bridge::new(Vec::new(), lax).unwrap();
        let (route, dispatch) = bridge.dispatch_path("/x", &Request { method: "GET", ..Request::default() });
        let Dispatch::Respond(r) = dispatch else { panic!("a 404 is answered right away") };
        assert_eq!((route, r.status), (Route::Bridge, 404));
        assert_eq!(r.error_summary().map(|(code, _)| code).as_deref(), Some("NotFoundError"));
    }

    #[test]
    fn query_follows_url_search_params() {
        let q = Query::parse("action=discover&action=code&workflowId=a%20b&stepId=x+y&jobId=1");
        let info = RequestInfo::of("", "action=execute&workflowId=w&stepId=s");
        assert_eq!((info.action.as_str(), info.workflow_id.as_deref()), ("execute", Some("w")));
        assert_eq!(RequestInfo::of("/", "").action, "health-check");
        assert_eq!(RequestInfo::of("/workflows/a/b/execute/", "").workflow_id.as_deref(), Some("a/b"));
        assert_eq!(RequestInfo::of("/nope", "").action, "unknown");
        assert_eq!(q.action.as_deref(), Some("discover"));
        assert_eq!(q.workflow_id.as_deref(), Some("a b"));
        assert_eq!(q.step_id.as_deref(), Some("x y"));
        assert_eq!(Query::parse("action=").action, None);
        assert_eq!(Query::parse("").action, None);
        assert_eq!(Query::parse("action=%zz%").action.as_deref(), Some("%zz%"));
        assert_eq!(Query::parse("action=%E2%9C%93").action.as_deref(), Some("✓"));
    }

    #[test]
    fn rotation_accepts_both_keys_inbound_and_calls_out_with_the_primary() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let api_url = format!("http://{}", listener.local_addr().unwrap());
        let config = BridgeConfig {
            secret_key: "primary-key-1".into(),
            secret_key_fallback: "fallback-key-2".into(),
            api_url,
            ..BridgeConfig::default()
        };
        assert!(!format!("{config:?}").contains("-key-"), "{config:?}");
        let bridge = Bridge::new(Vec::new(), config).unwrap();
        assert!(!format!("{bridge:?}").contains("-key-"));
        let now = 1_700_000_000_000.0;
        let answer = |key: &str, method: &'static str, query: &'static str, body: &'static [u8]| {
            let payload: &[u8] = if method == "POST" { body } else { b"{}" };
            let header = Signer::new(key).header(now as i64, payload).unwrap();
            let request = Request { method, query, signature: Some(&header), body, ..Request::default() };
            bridge.dispatch_at(&request, now)
        };
        for key in ["primary-key-1", "fallback-key-2"] {
            let Dispatch::Respond(r) = answer(key, "GET", "action=discover", b"") else { panic!() };
            assert_eq!(r.status, 200, "{key}");
        }
        let Dispatch::Respond(r) = answer("third-key-3", "GET", "action=discover", b"") else { panic!() };
        let text = String::from_utf8_lossy(r.body.as_bytes()).to_string();
        assert_eq!(r.status, 401, "{text}");
        assert!(text.contains("SignatureMismatchError") && !text.contains("-key-"), "{text}");

        let body = br#"{"workflowId":"w","to":"s1","payload":{}}"#;
        let Dispatch::Trigger(call) = answer("fallback-key-2", "POST", "action=trigger", body) else { panic!() };
        assert!(!format!("{call:?}").contains("-key-"), "{call:?}");
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = stream.read(&mut buf).unwrap();
                assert!(n > 0);
                seen.extend_from_slice(&buf[..n]);
            }
            let reply = r#"{"data":{"acknowledged":true}}"#;
            let head = format!("HTTP/1.1 201 Created\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", reply.len());
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(reply.as_bytes()).unwrap();
            String::from_utf8_lossy(&seen).to_ascii_lowercase()
        });
        assert_eq!(call.send().status, 200);
        let head = server.join().unwrap();
        assert!(head.contains("authorization: apikey primary-key-1\r\n"), "{head}");
        assert!(!head.contains("fallback-key-2"), "{head}");
    }
}
