//! The `discover` and `health-check` documents (spec §5, §6). Both depend only on the registered
//! definitions, so a bridge builds their text once and answers every request with the same bytes.

use serde_json::{Map, Value, json};

use crate::agents::Registry;
use crate::json;
use crate::workflow::{SchemaDoc, StepDefinition, WorkflowDefinition};

/// Version of the bridge protocol this library speaks (header `novu-framework-version`).
pub const FRAMEWORK_VERSION: &str = "2024-06-26";

/// `{workflows, agents}` with keys in upstream's order, for workflows alone.
pub fn discover_document<'a>(workflows: impl IntoIterator<Item = &'a WorkflowDefinition>) -> Value {
    discover_document_with_agents(workflows, &Registry::default())
}

/// `{workflows, agents: [{agentId}]}`; agents in registration order.
pub fn discover_document_with_agents<'a>(
    workflows: impl IntoIterator<Item = &'a WorkflowDefinition>,
    agents: &Registry,
) -> Value {
    json!({
        "workflows": workflows.into_iter().map(workflow_entry).collect::<Vec<_>>(),
        "agents": agents.discover_entries(),
    })
}

/// `{status, sdkVersion, frameworkVersion, discovered: {workflows, steps}}`.
pub fn health_document<'a>(workflows: impl IntoIterator<Item = &'a WorkflowDefinition>, sdk_version: &str) -> Value {
    let (mut count, mut steps) = (0usize, 0usize);
    for wf in workflows {
        count += 1;
        steps += wf.steps.len();
    }
    json!({
        "status": "ok",
        "sdkVersion": sdk_version,
        "frameworkVersion": FRAMEWORK_VERSION,
        "discovered": {"workflows": count, "steps": steps},
    })
}

/// Discover text; see [`discover_document_with_agents`].
pub fn discover_text<'a>(workflows: impl IntoIterator<Item = &'a WorkflowDefinition>, agents: &Registry) -> String {
    json::stringify(&discover_document_with_agents(workflows, agents))
}

fn schema_pair(doc: &SchemaDoc) -> Value {
    // `unknownSchema` is the user's schema as given; for JSON Schema input both are the same document.
    json!({"schema": doc.source(), "unknownSchema": doc.source()})
}

fn workflow_entry(wf: &WorkflowDefinition) -> Value {
    let mut map = Map::new();
    map.insert("workflowId".into(), Value::String(wf.id.clone()));
    map.insert("severity".into(), Value::String(wf.severity.clone()));
    map.insert("steps".into(), Value::Array(wf.steps.iter().map(step_entry).collect()));
    map.insert("code".into(), Value::String(wf.code.clone()));
    map.insert("payload".into(), schema_pair(&wf.payload));
    map.insert("controls".into(), schema_pair(&wf.controls));
    map.insert("env".into(), schema_pair(&wf.env));
    map.insert("tags".into(), json!(wf.tags));
    map.insert("preferences".into(), wf.preferences.clone());
    if let Some(name) = &wf.name {
        map.insert("name".into(), Value::String(name.clone()));
    }
    if let Some(description) = &wf.description {
        map.insert("description".into(), Value::String(description.clone()));
    }
    Value::Object(map)
}

fn step_entry(step: &StepDefinition) -> Value {
    json!({
        "stepId": step.id,
        "type": step.kind.type_name(),
        "controls": schema_pair(&step.controls),
        "outputs": schema_pair(&step.outputs),
        "results": schema_pair(&step.results),
        "code": step.code,
        "options": step.options,
        "providers": step.providers.iter().map(|p| json!({
            "type": p.id,
            "code": p.code,
            "outputs": {"schema": p.outputs.source(), "unknownSchema": p.outputs.source()},
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::{StepKind, empty_schema_value};
    use crate::workflow::{StepOptions, WorkflowBuilder, WorkflowOptions};

    #[test]
    fn spec_20_item_35_minimal_workflow_shape() {
        let mut b = WorkflowBuilder::new("wf", WorkflowOptions::default(), "code".into()).unwrap();
        b.add_step(StepKind::InApp, "greet", StepOptions::default()).unwrap();
        let wf = b.build();
        let doc = discover_document([&wf]);
        let entry = &doc["workflows"][0];
        let keys: Vec<&str> = entry.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["workflowId", "severity", "steps", "code", "payload", "controls", "env", "tags", "preferences"]
        );
        assert_eq!(entry["severity"], "none");
        assert_eq!(entry["tags"], json!([]));
        assert_eq!(entry["preferences"], json!({}));
        let empty = json!({"schema": empty_schema_value(), "unknownSchema": empty_schema_value()});
        for k in ["payload", "controls", "env"] {
            assert_eq!(entry[k], empty);
        }
        let step = &entry["steps"][0];
        let keys: Vec<&str> = step.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["stepId", "type", "controls", "outputs", "results", "code", "options", "providers"]);
        assert_eq!(step["type"], "in_app");
        assert_eq!(step["options"], json!({}));
        assert_eq!(step["providers"], json!([]));
        assert_eq!(doc["agents"], json!([]));
    }

    #[test]
    fn spec_20_items_36_and_44_options_and_counts() {
        let options = WorkflowOptions {
            name: Some("Welcome".into()),
            description: Some("d".into()),
            tags: vec!["t".into()],
            severity: Some("high".into()),
            ..Default::default()
        };
        let mut b = WorkflowBuilder::new("wf", options, String::new()).unwrap();
        b.add_step(StepKind::Email, "a", StepOptions::default()).unwrap();
        b.add_step(StepKind::Sms, "b", StepOptions::default()).unwrap();
        let wf = b.build();
        let entry = &discover_document([&wf])["workflows"][0];
        assert_eq!((entry["name"].as_str(), entry["description"].as_str()), (Some("Welcome"), Some("d")));
        assert_eq!((entry["severity"].as_str(), &entry["tags"]), (Some("high"), &json!(["t"])));
        let health = health_document([&wf, &wf], "1.0.0");
        assert_eq!(health["discovered"], json!({"workflows": 2, "steps": 4}));
        assert_eq!(
            json::stringify(&health),
            r#"{"status":"ok","sdkVersion":"1.0.0","frameworkVersion":"2024-06-26","discovered":{"workflows":2,"steps":4}}"#
        );
    }
}
