//! What an `agent-event` body must hold before it is acknowledged. Upstream acknowledges anything and
//! fails (or crashes) in the background; this bridge answers a malformed body with a 400 that names the
//! problem, so that nothing is acknowledged that cannot run (agents-protocol.md §7.1, deviations.json).

use serde_json::{Map, Value};

use super::AgentLimits;
use crate::engine::type_name;
use crate::error::{ErrorCode, FrameworkError};

/// Where a turn sends what it produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Reply mode: one POST per operation to `replyUrl`.
    Reply(String),
    /// Event mode: batches of event envelopes to `eventsUrl`.
    Events(String),
}

impl Target {
    pub fn url(&self) -> &str {
        match self {
            Target::Reply(url) | Target::Events(url) => url,
        }
    }

    /// The body key the URL came from.
    pub fn key(&self) -> &'static str {
        match self {
            Target::Reply(_) => "replyUrl",
            Target::Events(_) => "eventsUrl",
        }
    }
}

/// A checked request body.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnRequest {
    pub body: Map<String, Value>,
    pub target: Target,
}

/// Keys whose value, when present, must be an object or `null`.
const OBJECT_KEYS: [&str; 8] =
    ["message", "action", "reaction", "subscriber", "context", "notification", "humanResponse", "platformContext"];
/// Keys whose value, when present, must be a string or `null`.
const STRING_KEYS: [&str; 2] = ["event", "platform"];

/// Checks the body: a JSON object with a `conversation` object (its `metadata` an object when present), a
/// `history` list of objects within `max_history`, the known object and string fields of the right type,
/// and an absolute http(s) `eventsUrl` or `replyUrl` (event mode when `eventsUrl` is set, as upstream).
pub fn validate(body: Value, limits: &AgentLimits) -> Result<TurnRequest, FrameworkError> {
    let Value::Object(body) = body else {
        return Err(invalid(format!("The agent-event body must be a JSON object, got {}", type_name(&body))));
    };
    match body.get("conversation") {
        None => {
            return Err(invalid(
                "`conversation` is required: an object like {\"identifier\", \"status\", \"metadata\"}",
            ));
        }
        Some(Value::Object(conversation)) => {
            if let Some(metadata) = conversation.get("metadata").filter(|m| !m.is_null() && !m.is_object()) {
                return Err(invalid(format!("`conversation.metadata` must be an object, got {}", type_name(metadata))));
            }
        }
        Some(other) => return Err(invalid(format!("`conversation` must be an object, got {}", type_name(other)))),
    }
    match body.get("history") {
        None | Some(Value::Null) => {}
        Some(Value::Array(entries)) => {
            if entries.len() > limits.max_history {
                return Err(FrameworkError::new(
                    ErrorCode::PayloadTooLargeError,
                    format!(
                        "`history` has {} entries, more than the limit of {} (max_history)",
                        entries.len(),
                        limits.max_history
                    ),
                    Some(serde_json::json!({"limit": limits.max_history, "name": "max_history"})),
                ));
            }
            if let Some((i, entry)) = entries.iter().enumerate().find(|(_, e)| !e.is_object()) {
                return Err(invalid(format!("`history[{i}]` must be an object, got {}", type_name(entry))));
            }
        }
        Some(other) => return Err(invalid(format!("`history` must be a list, got {}", type_name(other)))),
    }
    for key in OBJECT_KEYS {
        if let Some(v) = body.get(key).filter(|v| !v.is_null() && !v.is_object()) {
            return Err(invalid(format!("`{key}` must be an object or null, got {}", type_name(v))));
        }
    }
    for key in STRING_KEYS {
        if let Some(v) = body.get(key).filter(|v| !v.is_null() && !v.is_string()) {
            return Err(invalid(format!("`{key}` must be a string, got {}", type_name(v))));
        }
    }
    let target = if crate::json::truthy(body.get("eventsUrl").unwrap_or(&Value::Null)) {
        Target::Events(http_url(&body, "eventsUrl")?)
    } else if crate::json::truthy(body.get("replyUrl").unwrap_or(&Value::Null)) {
        Target::Reply(http_url(&body, "replyUrl")?)
    } else {
        return Err(invalid("`replyUrl` (or `eventsUrl`) is required: the Novu API URL this turn answers to"));
    };
    Ok(TurnRequest { body, target })
}

fn invalid(message: impl Into<String>) -> FrameworkError {
    FrameworkError::invalid_body(message)
}

fn http_url(body: &Map<String, Value>, key: &str) -> Result<String, FrameworkError> {
    let value = &body[key];
    let Some(url) = value.as_str() else {
        return Err(invalid(format!("`{key}` must be an absolute http(s) URL, got {}", type_name(value))));
    };
    if origin(url).is_none() {
        return Err(invalid(format!("`{key}` must be an absolute http(s) URL, got {url:?}")));
    }
    Ok(url.to_string())
}

/// `scheme://host:port` of an absolute http(s) URL (host lower-cased, default ports made explicit).
pub(crate) fn origin(url: &str) -> Option<String> {
    let uri: ureq::http::Uri = url.parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let host = uri.host().filter(|h| !h.is_empty())?.to_ascii_lowercase();
    let port = uri.port_u16().unwrap_or(default_port);
    Some(format!("{scheme}://{host}:{port}"))
}

/// Without strict authentication the body is not authenticated, so the secret key may only go where the
/// configured API lives: the refusal for a target on another origin (agents-protocol.md §5.1).
pub fn untrusted_target(target: &Target, api_url: &str) -> Option<FrameworkError> {
    let theirs = origin(target.url());
    if theirs.is_some() && theirs == origin(api_url) {
        return None;
    }
    let (key, url) = (target.key(), target.url());
    Some(FrameworkError::new(
        ErrorCode::UntrustedAgentUrlError,
        format!(
            "Refused an unsigned agent event: `{key}` {url:?} is not on the configured Novu API URL ({api_url}); \
             with strict authentication off the bridge sends its secret key only there. Set NOVU_API_URL to the \
             Novu API that calls this bridge, or turn strict authentication on"
        ),
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(body: Value) -> Result<TurnRequest, String> {
        validate(body, &AgentLimits { max_history: 2, ..AgentLimits::default() }).map_err(|e| e.message)
    }

    #[test]
    fn a_minimal_body_passes_and_chooses_its_mode() {
        let r = check(json!({"replyUrl": "http://127.0.0.1:4199/v1/agents/a/reply", "conversation": {}})).unwrap();
        assert_eq!(r.target, Target::Reply("http://127.0.0.1:4199/v1/agents/a/reply".into()));
        let r =
            check(json!({"replyUrl": "http://x/r", "eventsUrl": "https://x/e", "conversation": {"metadata": null}}));
        assert_eq!(r.unwrap().target, Target::Events("https://x/e".into()));
        let r = check(json!({"replyUrl": "http://x/r", "eventsUrl": "", "conversation": {}, "history": null}));
        assert_eq!(r.unwrap().target, Target::Reply("http://x/r".into()));
    }

    #[test]
    fn malformed_bodies_name_the_problem() {
        let ok = || json!({"replyUrl": "http://x/r", "conversation": {}});
        let with = |key: &str, v: Value| {
            let mut b = ok();
            b[key] = v;
            b
        };
        assert_eq!(check(json!([])).unwrap_err(), "The agent-event body must be a JSON object, got an array");
        assert!(check(json!({"replyUrl": "http://x/r"})).unwrap_err().starts_with("`conversation` is required"));
        assert_eq!(check(with("conversation", json!(null))).unwrap_err(), "`conversation` must be an object, got null");
        assert_eq!(
            check(with("conversation", json!({"metadata": "x"}))).unwrap_err(),
            "`conversation.metadata` must be an object, got a string"
        );
        assert_eq!(check(with("history", json!({}))).unwrap_err(), "`history` must be a list, got an object");
        assert_eq!(check(with("history", json!([{}, 3]))).unwrap_err(), "`history[1]` must be an object, got a number");
        assert_eq!(
            check(with("history", json!([{}, {}, {}]))).unwrap_err(),
            "`history` has 3 entries, more than the limit of 2 (max_history)"
        );
        assert_eq!(
            check(with("message", json!("hi"))).unwrap_err(),
            "`message` must be an object or null, got a string"
        );
        assert_eq!(check(with("platform", json!(1))).unwrap_err(), "`platform` must be a string, got a number");
        assert!(check(json!({"conversation": {}})).unwrap_err().starts_with("`replyUrl` (or `eventsUrl`) is required"));
        assert_eq!(
            check(with("replyUrl", json!("/v1/agents/a/reply"))).unwrap_err(),
            "`replyUrl` must be an absolute http(s) URL, got \"/v1/agents/a/reply\""
        );
        assert_eq!(
            check(with("eventsUrl", json!(5))).unwrap_err(),
            "`eventsUrl` must be an absolute http(s) URL, got a number"
        );
        assert!(check(with("replyUrl", json!("ftp://x/r"))).is_err());
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(origin("HTTP://Example.COM/a?b"), Some("http://example.com:80".into()));
        assert_eq!(origin("https://x:443/"), origin("https://x"));
        let api = "http://127.0.0.1:4199";
        assert!(untrusted_target(&Target::Reply("http://127.0.0.1:4199/v1/agents/a/reply".into()), api).is_none());
        let refused = untrusted_target(&Target::Events("http://127.0.0.1:4198/v1/e".into()), api).unwrap();
        assert_eq!(refused.status(), 403);
        assert!(
            refused
                .message
                .starts_with("Refused an unsigned agent event: `eventsUrl` \"http://127.0.0.1:4198/v1/e\" is not on")
        );
        assert!(untrusted_target(&Target::Reply("https://127.0.0.1:4199/r".into()), api).is_some());
        assert!(
            untrusted_target(&Target::Reply("http://user@evil.example/r".into()), "http://evil.example:8080").is_some()
        );
    }
}
