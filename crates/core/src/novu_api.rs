//! Outbound calls to the Novu API (spec §15): `POST /v1/events/trigger`, its cancel, bridge sync, and the posts of
//! agent turns to the URLs a request names.
//! Blocking HTTP: callers in Python release the GIL around it, async callers run it on a worker thread.
//!
//! A call has one time budget covering every attempt and the waits between them, so it never outlives its
//! timeout. Retried: connection failures (refused, reset, dropped mid-answer) and 5xx/429 answers. Some of
//! those may have reached Novu, which is why triggers carry a transaction id: Novu deduplicates a retry.

use std::io::Read;
use std::sync::OnceLock;
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::json;

/// Where Novu Cloud lives unless configured otherwise.
pub const DEFAULT_API_URL: &str = "https://api.novu.co";

/// Upper bound on an API response body we read; anything longer is cut off.
const MAX_RESPONSE_BYTES: u64 = 16 << 20;

/// An HTTP answer from the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

impl ApiResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        json::parse(&self.body).ok()
    }

    /// The API's own message for a failed call: `message` (or `error`) of its JSON body, else the text.
    pub fn message(&self) -> String {
        if let Some(v) = self.json() {
            for key in ["message", "error"] {
                match v.get(key) {
                    Some(Value::String(s)) if !s.is_empty() => return s.clone(),
                    Some(Value::Array(items)) if !items.is_empty() => {
                        return items
                            .iter()
                            .map(|i| i.as_str().map(String::from).unwrap_or_else(|| json::stringify(i)))
                            .collect::<Vec<_>>()
                            .join("; ");
                    }
                    _ => {}
                }
            }
        }
        let text: String = String::from_utf8_lossy(&self.body).chars().take(500).collect();
        if text.trim().is_empty() { format!("HTTP {}", self.status) } else { text }
    }
}

/// Why a call got no HTTP answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The connection could not be made or broke before an answer arrived.
    Connection { url: String, message: String },
    /// No answer within the time budget.
    Timeout { url: String, seconds: f64 },
    /// The URL or request could not be built.
    Request { url: String, message: String },
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Connection { url, message } => {
                write!(f, "could not reach the Novu API at {url}: {message}")
            }
            ApiError::Timeout { url, seconds } => {
                write!(f, "the Novu API at {url} did not answer within {seconds} s")
            }
            ApiError::Request { url, message } => write!(f, "invalid request to {url}: {message}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// Time budget and retries of one call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallPolicy {
    /// Everything, attempts and waits, happens within this.
    pub timeout: Duration,
    /// Attempts after the first, for retryable failures only.
    pub retries: u32,
    /// Wait before the first retry; doubled for each next one.
    pub backoff: Duration,
}

impl Default for CallPolicy {
    fn default() -> Self {
        CallPolicy { timeout: Duration::from_secs(10), retries: 2, backoff: Duration::from_millis(250) }
    }
}

impl CallPolicy {
    /// A single attempt within `timeout` (the bridge's own forwarding of `action=trigger`).
    pub fn once(timeout: Duration) -> CallPolicy {
        CallPolicy { timeout, retries: 0, backoff: Duration::ZERO }
    }
}

/// A client for one API base URL and secret key.
#[derive(Clone)]
pub struct ApiClient {
    base: String,
    secret: String,
    policy: CallPolicy,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base", &self.base)
            .field("secret", &crate::config::redacted(&self.secret))
            .field("policy", &self.policy)
            .finish()
    }
}

impl ApiClient {
    pub fn new(api_url: &str, secret: &str, policy: CallPolicy) -> ApiClient {
        ApiClient { base: api_url.trim_end_matches('/').to_string(), secret: secret.to_string(), policy }
    }

    /// `<api_url>/v1<path>`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/v1{}", self.base, path)
    }

    /// `POST <api_url>/v1<path>` with a JSON body and `Authorization: ApiKey <secret>`.
    pub fn post(&self, path: &str, json_body: &str) -> Result<ApiResponse, ApiError> {
        self.call("POST", path, Some(json_body))
    }

    /// `DELETE <api_url>/v1<path>`.
    pub fn delete(&self, path: &str) -> Result<ApiResponse, ApiError> {
        self.call("DELETE", path, None)
    }

    fn call(&self, method: &str, path: &str, body: Option<&str>) -> Result<ApiResponse, ApiError> {
        let url = self.url(path);
        let deadline = Instant::now() + self.policy.timeout;
        let mut wait = self.policy.backoff;
        let mut attempt = 0;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(ApiError::Timeout { url, seconds: self.policy.timeout.as_secs_f64() });
            }
            let result = self.attempt(method, &url, body, remaining);
            let retryable = match &result {
                Ok(r) => r.status >= 500 || r.status == 429,
                Err(ApiError::Connection { .. }) => true,
                Err(_) => false,
            };
            if !retryable || attempt >= self.policy.retries {
                return result;
            }
            // Wait only if the budget leaves room for another attempt after the wait.
            if Instant::now() + wait >= deadline {
                return result;
            }
            sleep(wait);
            wait = wait.saturating_mul(2);
            attempt += 1;
        }
    }

    fn attempt(&self, method: &str, url: &str, body: Option<&str>, timeout: Duration) -> Result<ApiResponse, ApiError> {
        attempt(method, url, &self.secret, body, timeout, self.policy.timeout)
    }
}

/// `POST <url>` of a JSON body with `Authorization: ApiKey <secret>`: one attempt within `timeout`, over the
/// process's pooled connections (agent turns post to the URLs Novu names in the request).
pub fn post_json(url: &str, secret: &str, body: &str, timeout: Duration) -> Result<ApiResponse, ApiError> {
    attempt("POST", url, secret, Some(body), timeout, timeout)
}

/// One request; `budget` is the time reported when it runs out.
fn attempt(
    method: &str,
    url: &str,
    secret: &str,
    body: Option<&str>,
    timeout: Duration,
    budget: Duration,
) -> Result<ApiResponse, ApiError> {
    let timed_out = || ApiError::Timeout { url: url.to_string(), seconds: budget.as_secs_f64() };
    let auth = format!("ApiKey {secret}");
    let sent = if method == "DELETE" {
        agent()
            .delete(url)
            .config()
            .timeout_global(Some(timeout))
            .build()
            .header("Content-Type", "application/json")
            .header("Authorization", &auth)
            .call()
    } else {
        agent()
            .post(url)
            .config()
            .timeout_global(Some(timeout))
            .build()
            .header("Content-Type", "application/json")
            .header("Authorization", &auth)
            .send(body.unwrap_or(""))
    };
    let mut response = sent.map_err(|e| match e {
        ureq::Error::Timeout(_) => timed_out(),
        ureq::Error::BadUri(m) => ApiError::Request { url: url.to_string(), message: m },
        other => ApiError::Connection { url: url.to_string(), message: other.to_string() },
    })?;
    let status = response.status().as_u16();
    let mut bytes = Vec::new();
    response.body_mut().as_reader().take(MAX_RESPONSE_BYTES).read_to_end(&mut bytes).map_err(|e| {
        // A body that stalls past the budget is a timeout, not a broken connection.
        if e.kind() == std::io::ErrorKind::TimedOut || e.to_string().starts_with("timeout") {
            timed_out()
        } else {
            ApiError::Connection { url: url.to_string(), message: e.to_string() }
        }
    })?;
    Ok(ApiResponse { status, body: bytes })
}

/// One agent for the process, so connections (and TLS sessions) to the API are reused across calls.
fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(format!("novu-framework/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Answers each connection with the next scripted response (`None` drops the connection).
    fn script(responses: Vec<Option<(u16, &'static str)>>) -> (String, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        std::thread::spawn(move || {
            for (stream, response) in listener.incoming().zip(responses) {
                let mut stream = stream.unwrap();
                let mut buf = [0u8; 8192];
                let _ = stream.read(&mut buf);
                seen.fetch_add(1, Ordering::SeqCst);
                if let Some((status, body)) = response {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                }
            }
        });
        (url, count)
    }

    fn policy(retries: u32) -> CallPolicy {
        CallPolicy { timeout: Duration::from_secs(5), retries, backoff: Duration::from_millis(10) }
    }

    #[test]
    fn retries_5xx_and_dropped_connections_then_succeeds() {
        let (url, count) = script(vec![None, Some((503, "{}")), Some((201, r#"{"data":{"ok":true}}"#))]);
        let r = ApiClient::new(&url, "k", policy(2)).post("/events/trigger", "{}").unwrap();
        assert_eq!(r.status, 201);
        assert_eq!(count.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn client_errors_are_not_retried() {
        let (url, count) = script(vec![
            Some((422, r#"{"statusCode":422,"message":"bad to","error":"Unprocessable Entity"}"#)),
            Some((201, "{}")),
        ]);
        let r = ApiClient::new(&url, "k", policy(3)).post("/events/trigger", "{}").unwrap();
        assert_eq!(r.status, 422);
        assert_eq!(r.message(), "bad to");
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn unreachable_api_names_the_url() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let e = ApiClient::new(&url, "k", policy(1)).post("/events/trigger", "{}").unwrap_err();
        assert!(matches!(e, ApiError::Connection { .. }), "{e:?}");
        assert!(e.to_string().contains(&format!("{url}/v1/events/trigger")), "{e}");
    }
}
