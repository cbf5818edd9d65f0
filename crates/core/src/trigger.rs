//! `workflow.trigger()` and its cancel (spec §15.2), and bridge sync (§15.3), as requests to the Novu API.

use serde_json::{Map, Value, json};

use crate::engine::type_name;
use crate::error::{FrameworkError, ValidationIssue};
use crate::ids::uuid_v4;
use crate::json;
use crate::novu_api::{ApiClient, ApiError, ApiResponse};
use crate::workflow::WorkflowDefinition;

/// What the caller of `trigger` gives besides the workflow.
#[derive(Debug, Clone, Default)]
pub struct TriggerEvent {
    /// A subscriber id, a subscriber object, or a list of them.
    pub to: Value,
    pub payload: Option<Value>,
    pub transaction_id: Option<String>,
    pub actor: Option<Value>,
    pub overrides: Option<Value>,
    pub controls: Option<Value>,
    pub context: Option<Value>,
    pub bridge_url: Option<String>,
}

/// The trigger body and the transaction id it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedTrigger {
    pub body: Value,
    pub transaction_id: String,
}

/// Checks the recipients and payload, and builds the body of `POST /v1/events/trigger` in upstream's key
/// order. The payload is validated (defaults applied) only when the workflow declares a payload schema, as
/// upstream. A transaction id is generated when none is given, so that a retried call cannot deliver twice.
pub fn prepare(workflow: &WorkflowDefinition, event: TriggerEvent) -> Result<PreparedTrigger, FrameworkError> {
    check_recipients(&event.to)?;
    let mut payload = event.payload.unwrap_or_else(|| json!({}));
    if !payload.is_object() {
        return Err(FrameworkError::invalid_body(format!("`payload` must be an object, got {}", type_name(&payload))));
    }
    if workflow.has_payload_schema
        && let Err(errors) = workflow.payload.schema().validate(&mut payload)
    {
        let issues: Vec<ValidationIssue> =
            errors.into_iter().map(|e| ValidationIssue { path: e.path, message: e.message }).collect();
        return Err(FrameworkError::workflow_payload_invalid(&workflow.id, &issues));
    }
    let transaction_id = event.transaction_id.filter(|t| !t.is_empty()).unwrap_or_else(uuid_v4);
    let mut body = Map::new();
    body.insert("name".into(), Value::String(workflow.id.clone()));
    body.insert("to".into(), event.to);
    body.insert("payload".into(), payload);
    body.insert("transactionId".into(), Value::String(transaction_id.clone()));
    let optional = [
        ("overrides", event.overrides),
        ("actor", event.actor),
        ("controls", event.controls),
        ("context", event.context),
        ("bridgeUrl", event.bridge_url.map(Value::String)),
    ];
    for (key, value) in optional {
        if let Some(v) = value.filter(json::truthy) {
            body.insert(key.into(), v);
        }
    }
    Ok(PreparedTrigger { body: Value::Object(body), transaction_id })
}

/// Novu's recipients: subscriber ids, subscriber objects, and topics (`{"type": "Topic", "topicKey"}`).
fn check_recipients(to: &Value) -> Result<(), FrameworkError> {
    let one = |v: &Value, at: &str| -> Result<(), FrameworkError> {
        let non_empty =
            |o: &Map<String, Value>, key: &str| o.get(key).and_then(Value::as_str).is_some_and(|s| !s.is_empty());
        match v {
            Value::String(s) if !s.is_empty() => Ok(()),
            Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("Topic") => {
                match non_empty(o, "topicKey") {
                    true => Ok(()),
                    false => Err(FrameworkError::invalid_body(format!("`{at}.topicKey` must be a non-empty string"))),
                }
            }
            Value::Object(o) if non_empty(o, "subscriberId") => Ok(()),
            Value::Object(_) => {
                Err(FrameworkError::invalid_body(format!("`{at}.subscriberId` must be a non-empty string")))
            }
            other => Err(FrameworkError::invalid_body(format!(
                "`{at}` must be a subscriber id, an object with a `subscriberId`, or a topic \
                 {{\"type\": \"Topic\", \"topicKey\": ...}}, got {}",
                if other.as_str() == Some("") { "an empty string" } else { type_name(other) }
            ))),
        }
    };
    match to {
        Value::Array(items) if items.is_empty() => {
            Err(FrameworkError::invalid_body("`to` must name at least one subscriber"))
        }
        Value::Array(items) => items.iter().enumerate().try_for_each(|(i, v)| one(v, &format!("to[{i}]"))),
        other => one(other, "to"),
    }
}

/// The bridge URL sent with a trigger when the caller gives none: `NOVU_BRIDGE_ORIGIN` + `/api/novu`, as
/// upstream derives it (its other sources, Vercel and the local Studio tunnel, do not apply here).
pub fn bridge_url_from_env(env: impl Fn(&str) -> Option<String>) -> Option<String> {
    env("NOVU_BRIDGE_ORIGIN")
        .filter(|o| !o.is_empty())
        .map(|origin| format!("{}/api/novu", origin.trim_end_matches('/')))
}

/// The transaction id of a trigger answer: `data.transactionId` (the API wraps answers in `data`; upstream
/// reads the unwrapped field and cancels `/undefined`, spec §18 item 12), then `transactionId`.
pub fn answered_transaction_id(answer: &Value) -> Option<String> {
    answer
        .get("data")
        .and_then(|d| d.get("transactionId"))
        .or_else(|| answer.get("transactionId"))
        .and_then(Value::as_str)
        .map(String::from)
}

/// Sends a prepared trigger.
pub fn send(client: &ApiClient, prepared: &PreparedTrigger) -> Result<ApiResponse, ApiError> {
    client.post("/events/trigger", &json::stringify(&prepared.body))
}

/// The path (under `/v1`) cancelling a trigger: the id is one percent-encoded segment.
pub fn cancel_path(transaction_id: &str) -> String {
    format!("/events/trigger/{}", encode_segment(transaction_id))
}

/// `DELETE /v1/events/trigger/<transactionId>`.
pub fn cancel(client: &ApiClient, transaction_id: &str) -> Result<ApiResponse, ApiError> {
    client.delete(&cancel_path(transaction_id))
}

/// The path (under `/v1`) of a bridge sync.
pub fn sync_path(source: &str) -> String {
    format!("/bridge/sync?source={}", encode_segment(source))
}

/// `POST /v1/bridge/sync?source=<source>` with `{"bridgeUrl": ...}`: Novu then discovers the bridge.
pub fn sync(client: &ApiClient, bridge_url: &str, source: &str) -> Result<ApiResponse, ApiError> {
    let body = json::stringify(&json!({ "bridgeUrl": bridge_url }));
    client.post(&sync_path(source), &body)
}

/// Percent-encodes a path segment.
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::{WorkflowBuilder, WorkflowOptions};

    fn workflow(schema: Option<Value>) -> WorkflowDefinition {
        let options = WorkflowOptions { payload_schema: schema, ..Default::default() };
        WorkflowBuilder::new("wf", options, String::new()).unwrap().build()
    }

    #[test]
    fn body_follows_upstream_order_and_generates_a_transaction_id() {
        let schema = json!({"type": "object", "properties": {"n": {"type": "number", "default": 1}}});
        let p = prepare(&workflow(Some(schema)), TriggerEvent { to: json!("s1"), ..Default::default() }).unwrap();
        let keys: Vec<&str> = p.body.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["name", "to", "payload", "transactionId"]);
        assert_eq!(p.body["payload"], json!({"n": 1}));
        assert_eq!(p.transaction_id.len(), 36);
        let full = TriggerEvent {
            to: json!([{"subscriberId": "a"}, "b"]),
            payload: Some(json!({})),
            transaction_id: Some("tx".into()),
            actor: Some(json!("s0")),
            overrides: Some(json!({"email": {}})),
            controls: Some(json!({"steps": {}})),
            context: Some(json!({"tenant": "t"})),
            bridge_url: Some("https://b/api/novu".into()),
        };
        let p = prepare(&workflow(None), full).unwrap();
        let keys: Vec<&str> = p.body.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["name", "to", "payload", "transactionId", "overrides", "actor", "controls", "context", "bridgeUrl"]
        );
        assert_eq!(p.transaction_id, "tx");
        // Without a payload schema the payload is sent as given (execution would strip it; trigger does not).
        let p = prepare(
            &workflow(None),
            TriggerEvent { to: json!("s1"), payload: Some(json!({"k": 1})), ..Default::default() },
        )
        .unwrap();
        assert_eq!(p.body["payload"], json!({"k": 1}));
    }

    #[test]
    fn invalid_payload_and_recipients_are_refused() {
        let schema = json!({"type": "object", "properties": {"n": {"type": "number"}}, "required": ["n"]});
        let e = prepare(&workflow(Some(schema)), TriggerEvent { to: json!("s1"), ..Default::default() }).unwrap_err();
        assert_eq!(e.code.as_str(), "WorkflowPayloadInvalidError");
        assert_eq!(e.data, Some(json!([{"path": "", "message": "must have required property 'n'"}])));
        for (to, needle) in [
            (json!(5), "`to` must"),
            (json!([]), "at least one"),
            (json!([{"x": 1}]), "to[0].subscriberId"),
            (json!(["a", {"type": "Topic"}]), "to[1].topicKey"),
        ] {
            let e = prepare(&workflow(None), TriggerEvent { to, ..Default::default() }).unwrap_err();
            assert!(e.message.contains(needle), "{}", e.message);
        }
        let topics = json!([{"type": "Topic", "topicKey": "team"}, {"subscriberId": "s1", "type": "Subscriber"}]);
        let p = prepare(&workflow(None), TriggerEvent { to: topics.clone(), ..Default::default() }).unwrap();
        assert_eq!(p.body["to"], topics);
    }

    #[test]
    fn bridge_url_comes_from_the_origin_variable() {
        let env = |name: &str| (name == "NOVU_BRIDGE_ORIGIN").then(|| "https://app.example.com/".to_string());
        assert_eq!(bridge_url_from_env(env), Some("https://app.example.com/api/novu".into()));
        assert_eq!(bridge_url_from_env(|_| None), None);
    }

    #[test]
    fn transaction_id_is_read_from_the_wrapped_answer() {
        assert_eq!(answered_transaction_id(&json!({"data": {"transactionId": "a"}})), Some("a".into()));
        assert_eq!(answered_transaction_id(&json!({"transactionId": "b"})), Some("b".into()));
        assert_eq!(answered_transaction_id(&json!({"data": true})), None);
    }
}
