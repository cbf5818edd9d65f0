//! Why a turn failed: `AgentError`, and `AgentDeliveryError` for an answer of the Novu API that was not a
//! success (agents-protocol.md §7.3). Their messages match upstream's, since handlers and logs read them.

use serde_json::Value;

use crate::json;

/// The API's answer to a failed delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// 0 when no answer arrived (a network failure in event mode).
    pub status_code: u16,
    pub response_body: String,
}

/// A failed turn: handler exceptions, invalid content, validation and delivery failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentError {
    pub message: String,
    /// Set for delivery failures (upstream's `AgentDeliveryError`).
    pub delivery: Option<Delivery>,
}

impl AgentError {
    pub fn new(message: impl Into<String>) -> AgentError {
        AgentError { message: message.into(), delivery: None }
    }

    /// `Delivery failed: <reason>[: <detail>]` for an answer with `status_code` and this body.
    pub fn delivery(status_code: u16, response_body: String) -> AgentError {
        let reason = reason_phrase(status_code).map(str::to_string).unwrap_or_else(|| status_code.to_string());
        let message = match detail(&response_body) {
            Some(detail) => format!("Delivery failed: {reason}: {detail}"),
            None => format!("Delivery failed: {reason}"),
        };
        AgentError { message, delivery: Some(Delivery { status_code, response_body }) }
    }
}

impl std::fmt::Display for AgentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AgentError {}

fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// The first non-blank text of the answer's `message` (following nested `message`s), `error`, or
/// `errors[0]`.
fn detail(body: &str) -> Option<String> {
    let value = json::parse(body.as_bytes()).ok()?;
    let Value::Object(map) = &value else { return None };
    text_of(map.get("message"))
        .or_else(|| text_of(map.get("error")))
        .or_else(|| map.get("errors").and_then(Value::as_array).and_then(|a| text_of(a.first())))
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Object(map) => text_of(map.get("message")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_messages_match_upstream() {
        let body = r#"{"statusCode":401,"message":"mock failure 401","error":"Mock Error"}"#;
        assert_eq!(AgentError::delivery(401, body.into()).message, "Delivery failed: Unauthorized: mock failure 401");
        assert_eq!(
            AgentError::delivery(422, r#"{"message":{"message":"bad field"}}"#.into()).message,
            "Delivery failed: Unprocessable Entity: bad field"
        );
        assert_eq!(AgentError::delivery(0, "socket hang up".into()).message, "Delivery failed: 0");
        assert_eq!(
            AgentError::delivery(418, r#"{"message":"  ","error":"teapot"}"#.into()).message,
            "Delivery failed: 418: teapot"
        );
        assert_eq!(
            AgentError::delivery(500, r#"{"errors":["first","second"]}"#.into()).message,
            "Delivery failed: Internal Server Error: first"
        );
        assert_eq!(AgentError::delivery(503, "<html>".into()).message, "Delivery failed: Service Unavailable");
        let e = AgentError::delivery(404, "{}".into());
        assert_eq!(e.delivery, Some(Delivery { status_code: 404, response_body: "{}".into() }));
    }
}
