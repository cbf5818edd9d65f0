//! Tool-approval action ids (`tool-approval:<approve|deny>:<approvalId>`) and the history lookup that
//! turns an approval click back into the tool call it approves (agents-protocol.md §6.3).

use serde_json::{Map, Value};

const PREFIX: &str = "tool-approval";

/// A parsed approval click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalAction {
    pub approved: bool,
    pub approval_id: String,
}

/// The action id of an approve (`true`) or deny button for an approval.
pub fn approval_action_id(approve: bool, approval_id: &str) -> String {
    format!("{PREFIX}:{}:{approval_id}", if approve { "approve" } else { "deny" })
}

/// Parses an action id; anything but the exact prefix, `approve`/`deny` and a non-empty id (which may hold
/// colons) is not an approval click.
pub fn parse_approval_action_id(id: &str) -> Option<ApprovalAction> {
    let mut parts = id.splitn(3, ':');
    let (prefix, verdict, approval_id) = (parts.next()?, parts.next()?, parts.next().unwrap_or(""));
    if prefix != PREFIX || approval_id.is_empty() {
        return None;
    }
    let approved = match verdict {
        "approve" => true,
        "deny" => false,
        _ => return None,
    };
    Some(ApprovalAction { approved, approval_id: approval_id.to_string() })
}

/// The tool call an approval id stands for: the first `tool_approval_request` history entry with that
/// approval id and a tool call id gives `{id: toolCallId, name: toolName or "tool", input}`; without one
/// the call is `{id: approvalId, name: ""}`.
pub fn tool_call_for(history: &[Value], approval_id: &str) -> Map<String, Value> {
    let found = history.iter().find_map(|entry| {
        if entry.get("type").and_then(Value::as_str) != Some("tool_approval_request") {
            return None;
        }
        let data = entry.get("toolData")?;
        if data.get("approvalId").and_then(Value::as_str) != Some(approval_id) {
            return None;
        }
        let call_id = data.get("toolCallId").filter(|v| crate::json::truthy(v))?;
        Some((call_id, data))
    });
    let mut call = Map::new();
    match found {
        Some((call_id, data)) => {
            call.insert("id".into(), call_id.clone());
            let name = data.get("toolName").filter(|v| !v.is_null()).cloned().unwrap_or_else(|| "tool".into());
            call.insert("name".into(), name);
            if let Some(input) = data.get("input") {
                call.insert("input".into(), input.clone());
            }
        }
        None => {
            call.insert("id".into(), Value::String(approval_id.to_string()));
            call.insert("name".into(), Value::String(String::new()));
        }
    }
    call
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn action_ids_round_trip_and_reject_near_misses() {
        assert_eq!(approval_action_id(true, "a:b"), "tool-approval:approve:a:b");
        assert_eq!(
            parse_approval_action_id("tool-approval:approve:a:b"),
            Some(ApprovalAction { approved: true, approval_id: "a:b".into() })
        );
        assert_eq!(
            parse_approval_action_id("tool-approval:deny:x"),
            Some(ApprovalAction { approved: false, approval_id: "x".into() })
        );
        for bad in
            ["tool-approval:maybe:x", "tool-approval:approve:", "tool-approval:approve", "tool:approve:x", "", "track"]
        {
            assert_eq!(parse_approval_action_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn history_gives_the_first_matching_request_with_a_call_id() {
        let history = vec![
            json!({"type": "message", "toolData": {"approvalId": "a1", "toolCallId": "nope"}}),
            json!({"type": "tool_approval_request", "toolData": {"approvalId": "a1", "toolCallId": ""}}),
            json!({"type": "tool_approval_request", "toolData": {"approvalId": "a1", "toolCallId": "c1", "input": {"x": 1}}}),
            json!({"type": "tool_approval_request", "toolData": {"approvalId": "a1", "toolCallId": "c2", "toolName": "later"}}),
        ];
        assert_eq!(
            Value::Object(tool_call_for(&history, "a1")),
            json!({"id": "c1", "name": "tool", "input": {"x": 1}})
        );
        assert_eq!(Value::Object(tool_call_for(&history, "zz")), json!({"id": "zz", "name": ""}));
    }
}
