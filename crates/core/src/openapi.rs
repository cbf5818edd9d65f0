//! OpenAPI 3 operation objects for the bridge's two routes, for adapters whose framework publishes an API
//! description (FastAPI's `/openapi.json`). Schemas are inline so that no component needs registering.

use serde_json::{Value, json};

fn framework_error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["message", "code"],
        "properties": {
            "message": {"type": "string"},
            "code": {"type": "string", "description": "The framework error code, e.g. `SignatureMismatchError`."},
            "data": {"description": "Validation issues `[{path, message}]`, or an object (`stack` with strict authentication off)."}
        }
    })
}

fn local_error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["detail", "code"],
        "properties": {
            "detail": {"type": "string", "description": "What was wrong, with the first validation issue."},
            "code": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"path": {"type": "string"}, "message": {"type": "string"}}
                }
            }
        }
    })
}

fn json_content(schema: Value) -> Value {
    json!({"application/json": {"schema": schema}})
}

fn error_responses(schema: fn() -> Value, statuses: &[(u16, &str)]) -> serde_json::Map<String, Value> {
    statuses
        .iter()
        .map(|(status, why)| (status.to_string(), json!({"description": why, "content": json_content(schema())})))
        .collect()
}

fn query_parameter(name: &str, description: &str, values: Option<&[&str]>) -> Value {
    let mut schema = json!({"type": "string"});
    if let Some(values) = values {
        schema["enum"] = json!(values);
    }
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn signature_parameter(required_when: &str) -> Value {
    json!({
        "name": "novu-signature",
        "in": "header",
        "required": false,
        "description": format!(
            "`t=<unix ms>,v1=<hex HMAC-SHA256(secret key, \"<t>.<body>\")>`, sent by Novu; required {required_when} \
             when strict authentication is on."
        ),
        "schema": {"type": "string"}
    })
}

fn bridge_operation(method: &str, actions: &[&str]) -> Value {
    let described = match method {
        "get" => {
            "`health-check` (the default; no signature needed) answers the bridge's status and counts, \
             `discover` the workflows, steps and schemas, `code` the source of a workflow (`workflowId`) or step \
             (`stepId`)."
        }
        _ => {
            "`execute` runs the step `stepId` of workflow `workflowId` against the replayed `state` and answers its \
             outputs, `preview` renders it with mock data, `trigger` forwards an event to the Novu API, \
             `agent-event` is answered 404 (no agents served)."
        }
    };
    let mut responses = serde_json::Map::new();
    responses.insert(
        "200".into(),
        json!({"description": "The action's answer.", "content": json_content(json!({"type": "object"}))}),
    );
    responses.extend(error_responses(
        framework_error_schema,
        &[
            (400, "Invalid action, body, payload, controls or state."),
            (401, "Missing, malformed, expired or wrong signature."),
            (404, "Unknown workflow, step or provider."),
            (405, "A method other than GET, POST and OPTIONS."),
            (413, "The body is over the size limit."),
            (500, "Your code raised (`BridgeError`) or the bridge failed."),
            (502, "A step resolver or provider raised."),
        ],
    ));
    let mut operation = json!({
        "tags": ["novu"],
        "summary": format!("Novu bridge ({})", actions.join(", ")),
        "description": format!("The Novu Framework bridge endpoint Novu Cloud calls. {described}"),
        "parameters": [
            query_parameter("action", "What to do.", Some(actions)),
            query_parameter("workflowId", "The workflow, for `code`, `execute`, `preview` and `trigger`.", None),
            query_parameter("stepId", "The step, for `code`, `execute` and `preview`.", None),
            signature_parameter("for every action but `health-check`"),
        ],
        "responses": responses,
    });
    if method == "post" {
        operation["requestBody"] = json!({
            "required": false,
            "description": "`{payload, controls, state: [{stepId, outputs, state}], subscriber, context}` for \
                            `execute` and `preview`; `{workflowId, to, payload, ...}` for `trigger`.",
            "content": json_content(json!({"type": "object"})),
        });
    }
    operation
}

fn local_operation() -> Value {
    let mut responses = serde_json::Map::new();
    responses.insert(
        "200".into(),
        json!({
            "description": "Every step ran in order.",
            "content": json_content(json!({
                "type": "object",
                "properties": {
                    "workflow_id": {"type": "string"},
                    "status": {"type": "string", "enum": ["completed"]},
                    "step_results": {"type": "object", "additionalProperties": {"type": "object"}},
                    "payload": {"type": "object"}
                }
            }))
        }),
    );
    responses.extend(error_responses(
        local_error_schema,
        &[
            (400, "Invalid body, payload, controls, outputs or Liquid."),
            (401, "Missing or wrong signature (strict authentication)."),
            (404, "Unknown workflow."),
            (405, "A method other than POST."),
            (413, "The body is over the size limit."),
            (500, "Your code raised."),
        ],
    ));
    json!({
        "tags": ["novu"],
        "summary": "Run a workflow locally",
        "description": "Runs every step of the workflow in this process, in order, as if Novu delivered each right \
                        after the previous one, and answers what each produced.",
        "parameters": [
            {"name": "workflow_id", "in": "path", "required": true, "schema": {"type": "string"}},
            signature_parameter("")
        ],
        "requestBody": {
            "required": true,
            "content": json_content(json!({
                "type": "object",
                "required": ["to", "payload"],
                "properties": {
                    "to": {
                        "description": "A subscriber id, or a subscriber object with a `subscriberId`.",
                        "anyOf": [{"type": "string"}, {"type": "object", "required": ["subscriberId"]}]
                    },
                    "payload": {"type": "object"},
                    "controls": {"type": "object", "description": "Controls per step id.", "additionalProperties": {"type": "object"}},
                    "metadata": {"type": "object"}
                }
            }))
        },
        "responses": responses,
    })
}

/// `{"bridge": {"get": ..., "post": ...}, "local": {"post": ...}}`: the operations of the bridge route and
/// of the local run route (`/workflows/{workflow_id}/execute` below it).
pub fn operations() -> Value {
    json!({
        "bridge": {
            "get": bridge_operation("get", &["health-check", "discover", "code"]),
            "post": bridge_operation("post", &["execute", "preview", "trigger", "agent-event"]),
        },
        "local": {"post": local_operation()},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_tagged_and_documents_errors() {
        let ops = operations();
        for op in [&ops["bridge"]["get"], &ops["bridge"]["post"], &ops["local"]["post"]] {
            assert_eq!(op["tags"], json!(["novu"]));
            assert!(op["responses"]["401"]["content"]["application/json"]["schema"].is_object());
        }
        assert_eq!(ops["local"]["post"]["requestBody"]["content"]["application/json"]["schema"]["required"][0], "to");
        assert!(ops["bridge"]["get"].get("requestBody").is_none());
    }
}
