//! How a bridge authenticates and where it reaches Novu: the same settings, environment variables and
//! defaults as the Python `Client`.

use std::fmt;
use std::time::Duration;

use novu_framework_core::config::{ClientSettings, resolve_with};
use novu_framework_core::dispatch::{BridgeConfig, DEFAULT_MAX_BODY_BYTES};
use novu_framework_core::liquid::Limits;
use novu_framework_core::novu_api::{ApiClient, CallPolicy};

/// Settings of a bridge and of the calls it makes to the Novu API.
///
/// [`Client::from_env`] reads the environment once:
///
/// | setting | environment | default |
/// | --- | --- | --- |
/// | secret key | `NOVU_SECRET_KEY`, then `NOVU_API_KEY` | none |
/// | fallback secret key (key rotation) | `NOVU_SECRET_KEY_FALLBACK` | none |
/// | strict authentication | `NOVU_STRICT_AUTHENTICATION_ENABLED` (`false`, any case, turns it off) | on |
/// | API URL | `NOVU_API_URL` | `https://api.novu.co` (EU: `https://eu.api.novu.co`) |
///
/// With strict authentication on, every request but the health check must carry a valid `novu-signature`,
/// and building a [`Bridge`](crate::Bridge) without a secret key fails. While keys are rotated, signatures
/// made with the fallback key are accepted too; calls to the Novu API always use the secret key. Values given to [`Client::builder`]
/// win over the environment.
///
/// ```
/// use std::time::Duration;
/// use novu_framework::Client;
///
/// let client = Client::builder()
///     .secret_key("nv-secret")
///     .api_url("https://eu.api.novu.co/")
///     .api_timeout(Duration::from_secs(5))
///     .build();
/// assert_eq!(client.api_url(), "https://eu.api.novu.co");
/// assert!(client.strict_authentication() || std::env::var("NOVU_STRICT_AUTHENTICATION_ENABLED").is_ok());
/// ```
#[derive(Clone)]
pub struct Client {
    settings: ClientSettings,
    api_timeout: Duration,
    retries: u32,
    retry_backoff: Duration,
    max_body_bytes: usize,
    liquid_limits: Limits,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The settings' own Debug never shows the key.
        f.debug_struct("Client")
            .field("settings", &self.settings)
            .field("api_timeout", &self.api_timeout)
            .field("retries", &self.retries)
            .field("retry_backoff", &self.retry_backoff)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("liquid_limits", &self.liquid_limits)
            .finish()
    }
}

impl Client {
    /// Settings from the environment, defaults for the rest.
    pub fn from_env() -> Client {
        Client::builder().build()
    }

    /// Settings given explicitly, the environment and defaults for the rest.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Whether a secret key is configured (the key itself is never shown).
    pub fn has_secret_key(&self) -> bool {
        !self.settings.secret_key.is_empty()
    }

    /// Whether requests must be signed.
    pub fn strict_authentication(&self) -> bool {
        self.settings.strict_authentication
    }

    /// The Novu API's base URL, without a trailing `/`.
    pub fn api_url(&self) -> &str {
        &self.settings.api_url
    }

    /// Bound on every call to the Novu API, retries included.
    pub fn api_timeout(&self) -> Duration {
        self.api_timeout
    }

    /// Largest request body the bridge reads, in bytes.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// The core's configuration of a bridge answering with this server name.
    pub(crate) fn bridge_config(&self, server_name: &str) -> BridgeConfig {
        BridgeConfig {
            secret_key: self.settings.secret_key.clone(),
            secret_key_fallback: self.settings.secret_key_fallback.clone(),
            strict_authentication: self.settings.strict_authentication,
            api_url: self.settings.api_url.clone(),
            server_name: server_name.to_string(),
            max_body_bytes: self.max_body_bytes,
            limits: self.liquid_limits,
            api_timeout: self.api_timeout,
            // The Rust API serves no agents: their limits keep the core's defaults.
            ..BridgeConfig::default()
        }
    }

    /// A Novu API client with this client's key, timeout and retries.
    pub(crate) fn api(&self) -> ApiClient {
        let policy = CallPolicy { timeout: self.api_timeout, retries: self.retries, backoff: self.retry_backoff };
        ApiClient::new(&self.settings.api_url, &self.settings.secret_key, policy)
    }
}

/// Explicit settings for a [`Client`]; what is not set comes from the environment (see [`Client`]).
#[derive(Clone, Default)]
pub struct ClientBuilder {
    secret_key: Option<String>,
    secret_key_fallback: Option<String>,
    strict_authentication: Option<bool>,
    api_url: Option<String>,
    api_timeout: Option<Duration>,
    retries: Option<u32>,
    retry_backoff: Option<Duration>,
    max_body_bytes: Option<usize>,
    liquid_limits: Option<Limits>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder").finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The secret key of the Novu environment (Settings → API Keys).
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// A second key whose signatures are accepted while keys are rotated (the previous key, until Novu
    /// signs with the new one). Outbound calls never use it.
    pub fn secret_key_fallback(mut self, key: impl Into<String>) -> Self {
        self.secret_key_fallback = Some(key.into());
        self
    }

    /// Whether requests must carry a valid signature; turn it off for local development only.
    pub fn strict_authentication(mut self, on: bool) -> Self {
        self.strict_authentication = Some(on);
        self
    }

    /// The Novu API's base URL (`https://eu.api.novu.co` for the EU region).
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = Some(url.into());
        self
    }

    /// Bound on every call to the Novu API, retries and waits included (10 s).
    ///
    /// # Panics
    /// When `timeout` is zero.
    pub fn api_timeout(mut self, timeout: Duration) -> Self {
        assert!(!timeout.is_zero(), "api_timeout must be more than zero");
        self.api_timeout = Some(timeout);
        self
    }

    /// How often a call is repeated after a connection failure or a 5xx/429 answer (2). Triggers keep their
    /// transaction id, so Novu cannot deliver twice.
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = Some(retries);
        self
    }

    /// Wait before the first retry, doubled before each next one (250 ms).
    pub fn retry_backoff(mut self, backoff: Duration) -> Self {
        self.retry_backoff = Some(backoff);
        self
    }

    /// Largest request body the bridge reads (5 MiB); larger ones are answered 413.
    ///
    /// # Panics
    /// When `bytes` is zero.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        assert!(bytes > 0, "max_body_bytes must be more than zero");
        self.max_body_bytes = Some(bytes);
        self
    }

    /// The budget of Liquid rendering per request, so that a hostile control cannot stall the server.
    ///
    /// # Panics
    /// When a limit is zero.
    pub fn liquid_limits(mut self, limits: Limits) -> Self {
        assert!(
            limits.max_iterations > 0
                && limits.max_string_bytes > 0
                && limits.max_output_bytes > 0
                && limits.max_work_bytes > 0,
            "every Liquid limit must be more than zero: {limits:?}"
        );
        self.liquid_limits = Some(limits);
        self
    }

    /// The client, with the environment read now for what was not set.
    pub fn build(self) -> Client {
        self.build_with(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::build`] with an explicit environment.
    pub(crate) fn build_with(self, env: impl Fn(&str) -> Option<String>) -> Client {
        let policy = CallPolicy::default();
        Client {
            settings: resolve_with(self.secret_key, self.strict_authentication, self.api_url, env)
                .with_secret_key_fallback(self.secret_key_fallback),
            api_timeout: self.api_timeout.unwrap_or(policy.timeout),
            retries: self.retries.unwrap_or(policy.retries),
            retry_backoff: self.retry_backoff.unwrap_or(policy.backoff),
            max_body_bytes: self.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
            liquid_limits: self.liquid_limits.unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn the_environment_fills_what_is_not_given() {
        let client = Client::builder().build_with(env(&[]));
        assert!(client.strict_authentication() && !client.has_secret_key());
        assert_eq!(client.api_url(), "https://api.novu.co");
        assert_eq!((client.api_timeout(), client.max_body_bytes()), (Duration::from_secs(10), 5 << 20));
        let vars = env(&[
            ("NOVU_SECRET_KEY", "from-env"),
            ("NOVU_STRICT_AUTHENTICATION_ENABLED", "False"),
            ("NOVU_API_URL", "http://127.0.0.1:9/"),
        ]);
        let client = Client::builder().build_with(vars);
        assert_eq!(client.settings.secret_key, "from-env");
        assert!(!client.strict_authentication());
        assert_eq!(client.api_url(), "http://127.0.0.1:9");
        let given = Client::builder()
            .secret_key("given")
            .strict_authentication(true)
            .build_with(env(&[("NOVU_SECRET_KEY", "from-env"), ("NOVU_STRICT_AUTHENTICATION_ENABLED", "false")]));
        assert_eq!((given.settings.secret_key.as_str(), given.strict_authentication()), ("given", true));
    }

    #[test]
    fn the_fallback_key_comes_from_the_environment_unless_given() {
        let vars = || env(&[("NOVU_SECRET_KEY", "new"), ("NOVU_SECRET_KEY_FALLBACK", "old")]);
        let client = Client::builder().build_with(vars());
        assert_eq!(client.bridge_config("rust").secret_key_fallback, "old");
        let client = Client::builder().secret_key_fallback("older").build_with(vars());
        assert_eq!(client.bridge_config("rust").secret_key_fallback, "older");
        assert_eq!(Client::builder().build_with(env(&[])).bridge_config("rust").secret_key_fallback, "");
    }

    #[test]
    fn debug_output_never_shows_the_keys() {
        let client = Client::builder().secret_key("nv-very-secret").secret_key_fallback("nv-old").build_with(env(&[]));
        let text = format!("{client:?}");
        assert!(!text.contains("nv-very-secret") && !text.contains("nv-old") && text.contains("<redacted>"), "{text}");
    }

    #[test]
    #[should_panic(expected = "api_timeout must be more than zero")]
    fn a_zero_timeout_is_refused() {
        let _ = Client::builder().api_timeout(Duration::ZERO);
    }
}
