//! Client settings and their environment fallbacks, resolved the same way for every language binding
//! (project decision: strict authentication is on unless explicitly turned off; `NODE_ENV` is ignored).

use crate::novu_api::DEFAULT_API_URL;

/// Resolved settings of a client.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSettings {
    /// Empty when none is configured.
    pub secret_key: String,
    /// A second key accepted on inbound signatures while keys are rotated (empty when none); outbound calls
    /// always use `secret_key`.
    pub secret_key_fallback: String,
    pub strict_authentication: bool,
    pub api_url: String,
}

/// How a secret shows in `Debug` output: whether there is one, never what it is (debug output ends up in
/// logs and panic messages).
pub(crate) fn redacted(secret: &str) -> &'static str {
    if secret.is_empty() { "<none>" } else { "<redacted>" }
}

impl std::fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientSettings")
            .field("secret_key", &redacted(&self.secret_key))
            .field("secret_key_fallback", &redacted(&self.secret_key_fallback))
            .field("strict_authentication", &self.strict_authentication)
            .field("api_url", &self.api_url)
            .finish()
    }
}

/// Explicit values win; otherwise `NOVU_SECRET_KEY` then `NOVU_API_KEY`, `NOVU_SECRET_KEY_FALLBACK`,
/// `NOVU_STRICT_AUTHENTICATION_ENABLED` (`false` in any letter case turns strict authentication off, anything
/// else leaves it on) and `NOVU_API_URL`, then `https://api.novu.co`. An explicit fallback key is set with
/// [`ClientSettings::with_secret_key_fallback`].
pub fn resolve(
    secret_key: Option<String>,
    strict_authentication: Option<bool>,
    api_url: Option<String>,
) -> ClientSettings {
    resolve_with(secret_key, strict_authentication, api_url, |name| std::env::var(name).ok())
}

/// A strict-authentication setting given as text (an environment variable, a framework's settings):
/// `false` in any letter case, around spaces, turns it off; anything else leaves it on.
pub fn strict_from_text(value: &str) -> bool {
    !value.trim().eq_ignore_ascii_case("false")
}

/// [`resolve`] with an explicit environment, for tests.
pub fn resolve_with(
    secret_key: Option<String>,
    strict_authentication: Option<bool>,
    api_url: Option<String>,
    env: impl Fn(&str) -> Option<String>,
) -> ClientSettings {
    let non_empty = |name: &str| env(name).filter(|v| !v.is_empty());
    let secret_key =
        secret_key.or_else(|| non_empty("NOVU_SECRET_KEY")).or_else(|| non_empty("NOVU_API_KEY")).unwrap_or_default();
    let strict_authentication = strict_authentication
        .unwrap_or_else(|| env("NOVU_STRICT_AUTHENTICATION_ENABLED").is_none_or(|v| strict_from_text(&v)));
    let api_url = api_url
        .filter(|u| !u.is_empty())
        .or_else(|| non_empty("NOVU_API_URL"))
        .unwrap_or_else(|| DEFAULT_API_URL.to_string())
        .trim_end_matches('/')
        .to_string();
    let secret_key_fallback = non_empty("NOVU_SECRET_KEY_FALLBACK").unwrap_or_default();
    ClientSettings { secret_key, secret_key_fallback, strict_authentication, api_url }
}

impl ClientSettings {
    /// An explicit fallback key wins over `NOVU_SECRET_KEY_FALLBACK`; `None` (or empty) keeps what the
    /// environment gave.
    pub fn with_secret_key_fallback(mut self, fallback: Option<String>) -> ClientSettings {
        if let Some(key) = fallback.filter(|k| !k.is_empty()) {
            self.secret_key_fallback = key;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn strict_is_on_unless_explicitly_off() {
        assert!(resolve_with(None, None, None, env(&[])).strict_authentication);
        assert!(resolve_with(None, None, None, env(&[("NODE_ENV", "development")])).strict_authentication);
        assert!(
            !resolve_with(None, None, None, env(&[("NOVU_STRICT_AUTHENTICATION_ENABLED", "FALSE")]))
                .strict_authentication
        );
        assert!(
            resolve_with(None, None, None, env(&[("NOVU_STRICT_AUTHENTICATION_ENABLED", "0")])).strict_authentication
        );
        assert!(
            resolve_with(None, Some(true), None, env(&[("NOVU_STRICT_AUTHENTICATION_ENABLED", "false")]))
                .strict_authentication
        );
        assert!(
            !resolve_with(None, Some(false), None, env(&[("NOVU_STRICT_AUTHENTICATION_ENABLED", "true")]))
                .strict_authentication
        );
    }

    #[test]
    fn secret_and_url_fall_back_in_order() {
        let s = resolve_with(None, None, None, env(&[("NOVU_API_KEY", "api"), ("NOVU_SECRET_KEY", "secret")]));
        assert_eq!(s.secret_key, "secret");
        let s = resolve_with(None, None, None, env(&[("NOVU_API_KEY", "api")]));
        assert_eq!(s.secret_key, "api");
        let s = resolve_with(Some("given".into()), None, None, env(&[("NOVU_SECRET_KEY", "secret")]));
        assert_eq!(s.secret_key, "given");
        assert_eq!(resolve_with(None, None, None, env(&[])).api_url, "https://api.novu.co");
        let s = resolve_with(None, None, None, env(&[("NOVU_SECRET_KEY_FALLBACK", "old")]));
        assert_eq!((s.secret_key.as_str(), s.secret_key_fallback.as_str()), ("", "old"));
        assert_eq!(s.clone().with_secret_key_fallback(None).secret_key_fallback, "old");
        assert_eq!(s.clone().with_secret_key_fallback(Some(String::new())).secret_key_fallback, "old");
        assert_eq!(s.with_secret_key_fallback(Some("given".into())).secret_key_fallback, "given");
        assert_eq!(resolve_with(None, None, None, env(&[("NOVU_SECRET_KEY_FALLBACK", "")])).secret_key_fallback, "");
        assert_eq!(resolve_with(None, None, None, env(&[("NOVU_API_URL", "http://x/")])).api_url, "http://x");
        assert_eq!(
            resolve_with(None, None, Some("http://y".into()), env(&[("NOVU_API_URL", "http://x")])).api_url,
            "http://y"
        );
    }

    #[test]
    fn debug_output_never_shows_either_key() {
        let s = resolve_with(Some("primary-key-1".into()), None, None, env(&[]))
            .with_secret_key_fallback(Some("fallback-key-2".into()));
        let text = format!("{s:?}");
        assert!(!text.contains("primary-key-1") && !text.contains("fallback-key-2"), "{text}");
        assert!(text.contains("secret_key_fallback: \"<redacted>\""), "{text}");
    }
}
