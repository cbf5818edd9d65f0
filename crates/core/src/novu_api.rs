//! Outbound calls to the Novu API (spec §15): `POST /v1/events/trigger`, its cancel, and bridge sync.
//! Blocking HTTP: callers in Python release the GIL around it, async callers run it on a worker thread.

use std::io::Read;
use std::time::Duration;

/// Where Novu Cloud lives unless configured otherwise.
pub const DEFAULT_API_URL: &str = "https://api.novu.co";

/// Upper bound on an API response body we read; anything longer is cut off and reported.
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
}

/// Why a call got no HTTP answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The connection could not be made or broke before an answer arrived.
    Connection { url: String, message: String },
    /// No answer within the timeout.
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
                write!(
                    f,
                    "the Novu API at {url} did not answer within {seconds} seconds"
                )
            }
            ApiError::Request { url, message } => write!(f, "invalid request to {url}: {message}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// A client for one API base URL and secret key.
#[derive(Debug, Clone)]
pub struct ApiClient {
    agent: ureq::Agent,
    base: String,
    secret: String,
    timeout: Duration,
}

impl ApiClient {
    pub fn new(api_url: &str, secret: &str, timeout: Duration) -> ApiClient {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .user_agent(format!(
                "novu-framework-python/{}",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .into();
        ApiClient {
            agent,
            base: api_url.trim_end_matches('/').to_string(),
            secret: secret.to_string(),
            timeout,
        }
    }

    /// `<api_url>/v1<path>`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/v1{}", self.base, path)
    }

    /// `POST <api_url>/v1<path>` with a JSON body and `Authorization: ApiKey <secret>`.
    pub fn post(&self, path: &str, json_body: &str) -> Result<ApiResponse, ApiError> {
        let url = self.url(path);
        let result = self
            .agent
            .post(&url)
            .header("Content-Type", "application/json")
            .header("Authorization", format!("ApiKey {}", self.secret))
            .send(json_body);
        self.finish(&url, result)
    }

    /// `DELETE <api_url>/v1<path>`.
    pub fn delete(&self, path: &str) -> Result<ApiResponse, ApiError> {
        let url = self.url(path);
        let result = self
            .agent
            .delete(&url)
            .header("Content-Type", "application/json")
            .header("Authorization", format!("ApiKey {}", self.secret))
            .call();
        self.finish(&url, result)
    }

    fn finish(
        &self,
        url: &str,
        result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<ApiResponse, ApiError> {
        let mut response = result.map_err(|e| self.error(url, e))?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(MAX_RESPONSE_BYTES)
            .read_to_end(&mut body)
            .map_err(|e| ApiError::Connection {
                url: url.to_string(),
                message: e.to_string(),
            })?;
        Ok(ApiResponse { status, body })
    }

    fn error(&self, url: &str, error: ureq::Error) -> ApiError {
        match error {
            ureq::Error::Timeout(_) => ApiError::Timeout {
                url: url.to_string(),
                seconds: self.timeout.as_secs_f64(),
            },
            ureq::Error::BadUri(m) => ApiError::Request {
                url: url.to_string(),
                message: m,
            },
            other => ApiError::Connection {
                url: url.to_string(),
                message: other.to_string(),
            },
        }
    }
}
