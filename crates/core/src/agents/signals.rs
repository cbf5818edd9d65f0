//! Signals a turn queues for Novu (agents-protocol.md §6.4): metadata changes, workflow triggers and
//! human interactions (`ask`, `approve`, `choose`, `tell`), with their validation.

use serde_json::{Map, Value, json};

use super::error::AgentError;
use crate::ids;

/// The four kinds of human interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HumanKind {
    Ask,
    Approve,
    Choose,
    Tell,
}

impl HumanKind {
    fn as_str(self) -> &'static str {
        match self {
            HumanKind::Ask => "ask",
            HumanKind::Approve => "approve",
            HumanKind::Choose => "choose",
            HumanKind::Tell => "tell",
        }
    }
}

/// Options of a human interaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HumanOptions {
    /// Attribution label (`from` on the wire); left out when empty.
    pub sender: Option<String>,
    pub ttl_seconds: Option<Value>,
    /// One subscriber id or a list of them (JSON, so that a wrong type is reported like upstream).
    pub to: Option<Value>,
}

pub(crate) fn metadata_set(key: &str, value: Value) -> Value {
    json!({"type": "metadata", "action": "set", "key": key, "value": value})
}

pub(crate) fn metadata_delete(key: &str) -> Value {
    json!({"type": "metadata", "action": "delete", "key": key})
}

pub(crate) fn metadata_clear() -> Value {
    json!({"type": "metadata", "action": "clear"})
}

/// The caller's options in their order, then `type` and `workflowId` (`to` is not normalised).
pub(crate) fn trigger(workflow_id: &str, options: Map<String, Value>) -> Value {
    let mut signal = options;
    signal.insert("type".into(), "trigger".into());
    signal.insert("workflowId".into(), workflow_id.into());
    Value::Object(signal)
}

/// A human-interaction signal and its request id (`hr_<uuid>`).
pub(crate) fn human(
    kind: HumanKind,
    prompt: &str,
    choices: Option<Vec<String>>,
    options: HumanOptions,
) -> Result<(Value, String), AgentError> {
    if let Some(choices) = &choices {
        if !(2..=10).contains(&choices.len()) {
            return Err(AgentError::new("ctx.choose requires between 2 and 10 options"));
        }
        if choices.iter().any(|c| c.trim().is_empty()) {
            return Err(AgentError::new("ctx.choose options must be non-empty strings"));
        }
    }
    let to = options.to.map(normalise_to).transpose()?;
    let request_id = format!("hr_{}", ids::uuid_v4());
    let mut signal = Map::new();
    signal.insert("type".into(), "human".into());
    signal.insert("kind".into(), kind.as_str().into());
    signal.insert("prompt".into(), prompt.into());
    signal.insert("requestId".into(), request_id.clone().into());
    if let Some(choices) = choices {
        signal.insert("options".into(), json!(choices));
    }
    if let Some(sender) = options.sender.filter(|s| !s.is_empty()) {
        signal.insert("from".into(), sender.into());
    }
    if let Some(ttl) = options.ttl_seconds {
        signal.insert("ttlSeconds".into(), ttl);
    }
    if let Some(to) = to {
        signal.insert("to".into(), json!(to));
    }
    Ok((Value::Object(signal), request_id))
}

/// One id or a list: trimmed, empty ones and repeats dropped, 1 to 50 of them.
fn normalise_to(to: Value) -> Result<Vec<String>, AgentError> {
    let items = match to {
        Value::Array(items) => items,
        other => vec![other],
    };
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let Value::String(id) = item else {
            return Err(AgentError::new("`to` must be a subscriberId string or an array of subscriberIds"));
        };
        let id = id.trim();
        if !id.is_empty() && !out.iter().any(|seen| seen == id) {
            out.push(id.to_string());
        }
    }
    if out.is_empty() {
        return Err(AgentError::new("`to` must include at least one subscriberId"));
    }
    if out.len() > 50 {
        return Err(AgentError::new("`to` supports at most 50 subscriberIds"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_signals_normalise_to_and_keep_upstream_key_order() {
        let options = HumanOptions {
            sender: Some("deploy-bot".into()),
            ttl_seconds: Some(json!(3600)),
            to: Some(json!(["alice", " bob ", "alice", ""])),
        };
        let (signal, id) = human(HumanKind::Approve, "Deploy v2?", None, options).unwrap();
        assert!(id.starts_with("hr_") && id.len() == 39);
        let keys: Vec<&str> = signal.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["type", "kind", "prompt", "requestId", "from", "ttlSeconds", "to"]);
        assert_eq!(signal["to"], json!(["alice", "bob"]));
        let (tell, _) = human(
            HumanKind::Tell,
            "FYI",
            None,
            HumanOptions { sender: Some(String::new()), to: Some(json!("carol")), ..Default::default() },
        )
        .unwrap();
        assert_eq!(tell["to"], json!(["carol"]));
        assert!(tell.get("from").is_none());
    }

    #[test]
    fn human_signals_are_validated() {
        let err = |choices: Option<Vec<&str>>, to: Option<Value>| {
            let choices = choices.map(|c| c.into_iter().map(String::from).collect());
            human(HumanKind::Choose, "q", choices, HumanOptions { to, ..Default::default() }).unwrap_err().message
        };
        assert_eq!(err(Some(vec!["one"]), None), "ctx.choose requires between 2 and 10 options");
        assert_eq!(err(Some(vec!["a", " "]), None), "ctx.choose options must be non-empty strings");
        assert_eq!(err(None, Some(json!([]))), "`to` must include at least one subscriberId");
        assert_eq!(err(None, Some(json!([1]))), "`to` must be a subscriberId string or an array of subscriberIds");
        let many: Vec<Value> = (0..51).map(|i| json!(format!("s{i}"))).collect();
        assert_eq!(err(None, Some(Value::Array(many))), "`to` supports at most 50 subscriberIds");
    }

    #[test]
    fn triggers_put_the_options_first() {
        let mut options = Map::new();
        options.insert("to".into(), json!("agent-inbox"));
        options.insert("payload".into(), json!({"priority": "high"}));
        let keys: Vec<String> = trigger("escalation", options).as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["to", "payload", "type", "workflowId"]);
    }
}
