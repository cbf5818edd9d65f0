//! Workflow definitions as discovery records them: the workflow's options and schemas, and each step the
//! workflow function calls (spec §6, §13). Everything is checked here, once, so that a mistake in a
//! definition fails when the workflow is defined rather than when Novu first calls the bridge.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::controls::TemplateCache;
use crate::error::{ErrorCode, FrameworkError};
use crate::mock::{discovery_mock, mock};
use crate::schema::Schema;
use crate::steps::{StepKind, empty_schema};

/// A workflow's options besides its id (spec §13). Schemas are JSON Schema documents.
#[derive(Debug, Clone, Default)]
pub struct WorkflowOptions {
    pub name: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub severity: Option<String>,
    pub preferences: Option<Value>,
    pub payload_schema: Option<Value>,
    pub control_schema: Option<Value>,
    pub env_schema: Option<Value>,
}

/// What one step call declares, as recorded during discovery.
#[derive(Debug, Clone, Default)]
pub struct StepOptions {
    pub control_schema: Option<Value>,
    /// Custom steps only: the schema of the resolver's output (and of the hydrated result).
    pub output_schema: Option<Value>,
    /// Provider override ids with the source text of their resolvers, in declaration order;
    /// `None` when the step declares no `providers` option at all.
    pub providers: Option<Vec<(String, String)>>,
    pub disable_output_sanitization: Option<bool>,
    /// Source text of the resolver, shown by `action=code`.
    pub code: String,
}

/// A definition mistake, reported with the workflow and step it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinitionError {
    /// Set when upstream has a code for the mistake (duplicate ids).
    pub code: Option<ErrorCode>,
    pub message: String,
}

impl std::fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DefinitionError {}

/// A JSON Schema with its compiled validator.
#[derive(Debug, Clone)]
pub struct SchemaDoc(pub Arc<Schema>);

impl SchemaDoc {
    pub fn schema(&self) -> &Schema {
        &self.0
    }

    pub fn source(&self) -> &Value {
        self.0.source()
    }
}

#[derive(Debug, Clone)]
pub struct ProviderDefinition {
    pub id: String,
    pub code: String,
    pub outputs: Arc<Schema>,
    /// What preview shows when the override fails (spec §10.6).
    pub outputs_mock: Value,
}

#[derive(Debug, Clone)]
pub struct StepDefinition {
    pub id: String,
    pub kind: StepKind,
    pub controls: SchemaDoc,
    pub outputs: SchemaDoc,
    pub results: SchemaDoc,
    pub code: String,
    /// The step options as upstream serialises them in discover (functions dropped).
    pub options: Value,
    pub providers: Vec<ProviderDefinition>,
    pub sanitize: bool,
    /// What preview shows for this step when it is not the target (spec §10.9).
    pub results_mock: Value,
    /// The control defaults' templates, parsed once: most executions render the defaults.
    pub templates: Arc<TemplateCache>,
}

#[derive(Debug, Clone)]
pub struct WorkflowDefinition {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub severity: String,
    /// Already in discover form (`inApp` → `in_app`, unknown channels dropped).
    pub preferences: Value,
    pub payload: SchemaDoc,
    pub controls: SchemaDoc,
    pub env: SchemaDoc,
    pub code: String,
    pub steps: Vec<StepDefinition>,
    /// The payload preview starts from before the request's payload is merged over it (spec §10.2).
    pub preview_payload: Value,
    /// Whether the user declared a payload schema (`trigger()` only validates then, as upstream).
    pub has_payload_schema: bool,
    index: HashMap<String, usize>,
}

impl WorkflowDefinition {
    pub fn step(&self, id: &str) -> Option<&StepDefinition> {
        self.step_index(id).map(|i| &self.steps[i])
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The `workflow` object Liquid templates see (spec §10.5.1).
    pub fn liquid_context(&self) -> Value {
        let mut map = Map::new();
        map.insert("workflowId".into(), Value::String(self.id.clone()));
        if let Some(name) = &self.name {
            map.insert("name".into(), Value::String(name.clone()));
        }
        if let Some(description) = &self.description {
            map.insert("description".into(), Value::String(description.clone()));
        }
        map.insert("tags".into(), json!(self.tags));
        map.insert("severity".into(), Value::String(self.severity.clone()));
        Value::Object(map)
    }
}

/// Builds a [`WorkflowDefinition`] step by step while the workflow function runs in discovery mode.
#[derive(Debug)]
pub struct WorkflowBuilder {
    definition: WorkflowDefinition,
    discovery_payload: Value,
}

const SEVERITIES: [&str; 4] = ["none", "low", "medium", "high"];

impl WorkflowBuilder {
    pub fn new(id: &str, options: WorkflowOptions, code: String) -> Result<Self, DefinitionError> {
        let here = format!("Workflow `{id}`");
        if id.is_empty() {
            return Err(plain("A workflow id must be a non-empty string"));
        }
        let severity = options.severity.unwrap_or_else(|| "none".into());
        if !SEVERITIES.contains(&severity.as_str()) {
            return Err(plain(format!(
                "{here}: severity must be one of `none`, `low`, `medium`, `high`, not `{severity}`"
            )));
        }
        let preferences = match &options.preferences {
            None | Some(Value::Null) => json!({}),
            Some(p) => map_preferences(p).map_err(|m| plain(format!("{here}: {m}")))?,
        };
        let schema = |value: &Option<Value>, what: &str| compile_or_empty(value, &format!("{here}: {what}"));
        let has_payload_schema = options.payload_schema.is_some();
        let payload = schema(&options.payload_schema, "payload_schema")?;
        let preview_payload = mock(payload.schema());
        let discovery_payload = discovery_mock(payload.schema());
        Ok(WorkflowBuilder {
            discovery_payload,
            definition: WorkflowDefinition {
                id: id.to_string(),
                name: options.name,
                description: options.description,
                tags: options.tags,
                severity,
                preferences,
                payload,
                controls: schema(&options.control_schema, "control_schema")?,
                env: schema(&options.env_schema, "env_schema")?,
                code,
                steps: Vec::new(),
                preview_payload,
                has_payload_schema,
                index: HashMap::new(),
            },
        })
    }

    pub fn id(&self) -> &str {
        &self.definition.id
    }

    /// The payload discovery runs the workflow function with: every property the payload schema declares,
    /// nested objects too (decisions.md "Execution"), so code reading any of them runs. Preview starts from
    /// the plainer `preview_payload` instead, as upstream's mocks do.
    pub fn discovery_payload(&self) -> &Value {
        &self.discovery_payload
    }

    /// Records one step call; fails on a duplicate id, an unknown provider or an invalid schema.
    pub fn add_step(&mut self, kind: StepKind, id: &str, options: StepOptions) -> Result<(), DefinitionError> {
        let wf = &self.definition.id;
        let here = format!("Workflow `{wf}`, step `{id}`");
        if id.is_empty() {
            return Err(plain(format!("Workflow `{wf}`: a step id must be a non-empty string")));
        }
        if self.definition.index.contains_key(id) {
            let e = FrameworkError::step_already_exists(id);
            return Err(DefinitionError { code: Some(e.code), message: format!("Workflow `{wf}`: {}", e.message) });
        }
        if options.output_schema.is_some() && kind != StepKind::Custom {
            return Err(plain(format!("{here}: output_schema is only accepted by custom steps")));
        }
        let controls = compile_or_empty(&options.control_schema, &format!("{here}: control_schema"))?;
        let (outputs, results) = if kind == StepKind::Custom {
            let schema = compile_or_empty(&options.output_schema, &format!("{here}: output_schema"))?;
            (schema.clone(), schema)
        } else {
            (SchemaDoc(kind.outputs_schema()), SchemaDoc(kind.results_schema()))
        };
        let mut providers = Vec::new();
        if let Some(list) = &options.providers {
            if !kind.is_channel() && !list.is_empty() {
                return Err(plain(format!("{here}: {} steps do not take provider overrides", kind.type_name())));
            }
            for (provider_id, code) in list {
                let Some(schema) = kind.provider_schema(provider_id) else {
                    return Err(plain(format!(
                        "{here}: `{provider_id}` is not a provider of {} steps; use one of: {}",
                        kind.type_name(),
                        kind.provider_ids().join(", ")
                    )));
                };
                let outputs_mock = mock(&schema);
                providers.push(ProviderDefinition {
                    id: provider_id.clone(),
                    code: code.clone(),
                    outputs: schema,
                    outputs_mock,
                });
            }
        }
        let mut discovered_options = Map::new();
        if let Some(schema) = &options.control_schema {
            discovered_options.insert("controlSchema".into(), schema.clone());
        }
        if let Some(schema) = &options.output_schema {
            discovered_options.insert("outputSchema".into(), schema.clone());
        }
        if options.providers.is_some() {
            discovered_options.insert("providers".into(), json!({}));
        }
        if let Some(flag) = options.disable_output_sanitization {
            discovered_options.insert("disableOutputSanitization".into(), Value::Bool(flag));
        }
        let sanitize = kind.sanitizes_output() && options.disable_output_sanitization != Some(true);
        let results_mock = mock(results.schema());
        let mut defaults = json!({});
        let templates = match controls.schema().validate(&mut defaults) {
            Ok(()) => Arc::new(TemplateCache::from_controls(&defaults)),
            Err(_) => Arc::new(TemplateCache::default()),
        };
        self.definition.index.insert(id.to_string(), self.definition.steps.len());
        self.definition.steps.push(StepDefinition {
            id: id.to_string(),
            kind,
            controls,
            outputs,
            results,
            code: options.code,
            options: Value::Object(discovered_options),
            providers,
            sanitize,
            results_mock,
            templates,
        });
        Ok(())
    }

    /// What a recorded step call returns to the workflow function during discovery: its results with every
    /// declared property, as the discovery payload has (so code between steps can read any of them).
    pub fn discovery_results(&self, id: &str) -> Option<Value> {
        self.definition.step(id).map(|s| discovery_mock(s.results.schema()))
    }

    pub fn build(self) -> WorkflowDefinition {
        self.definition
    }
}

fn plain(message: impl Into<String>) -> DefinitionError {
    DefinitionError { code: None, message: message.into() }
}

/// Compiles a user schema, or gives upstream's empty schema when there is none. Upstream accepts a JSON
/// Schema only when its root is an object schema (`type: "object"`) or a combinator (spec §12.1).
fn compile_or_empty(value: &Option<Value>, what: &str) -> Result<SchemaDoc, DefinitionError> {
    let Some(value) = value else {
        return Ok(SchemaDoc(empty_schema()));
    };
    let root_ok = value.as_object().is_some_and(|o| {
        o.get("type").and_then(Value::as_str) == Some("object")
            || ["anyOf", "allOf", "oneOf"].iter().any(|k| o.contains_key(*k))
    });
    if !root_ok {
        return Err(plain(format!(
            "{what} must be a JSON Schema whose root has `\"type\": \"object\"` (or anyOf/allOf/oneOf), or a pydantic model"
        )));
    }
    Schema::compile(value)
        .map(|s| SchemaDoc(Arc::new(s)))
        .map_err(|e| plain(format!("{what} is not a valid JSON Schema: {}", e.message)))
}

/// Developer channel names and their system names (spec §6.4); `in_app` is accepted as Python spells it.
const CHANNELS: [(&str, &str); 7] = [
    ("email", "email"),
    ("sms", "sms"),
    ("push", "push"),
    ("chat", "chat"),
    ("inApp", "in_app"),
    ("in_app", "in_app"),
    ("tool", "tool"),
];

/// Upstream's preferences mapping: `all` copied verbatim when truthy, known channels renamed, unknown
/// channels dropped, no defaults added.
fn map_preferences(input: &Value) -> Result<Value, String> {
    let Some(obj) = input.as_object() else {
        return Err("preferences must be an object like {\"all\": {...}, \"channels\": {...}}".into());
    };
    let mut out = Map::new();
    if let Some(all) = obj.get("all").filter(|v| crate::json::truthy(v)) {
        out.insert("all".into(), all.clone());
    }
    if let Some(channels) = obj.get("channels") {
        let Some(channels) = channels.as_object() else {
            return Err("preferences.channels must be an object keyed by channel".into());
        };
        let mut mapped = Map::new();
        for (key, value) in channels {
            if let Some((_, system)) = CHANNELS.iter().find(|(dev, _)| dev == key) {
                mapped.insert((*system).to_string(), value.clone());
            }
        }
        if !mapped.is_empty() {
            out.insert("channels".into(), Value::Object(mapped));
        }
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> WorkflowOptions {
        WorkflowOptions::default()
    }

    #[test]
    fn preferences_follow_spec_6_4() {
        let p = json!({"all": {"enabled": false, "readOnly": true}, "channels": {"inApp": {"enabled": true}, "email": {"enabled": false}, "sms": {}, "fax": {}}});
        assert_eq!(
            map_preferences(&p).unwrap(),
            json!({"all": {"enabled": false, "readOnly": true}, "channels": {"in_app": {"enabled": true}, "email": {"enabled": false}, "sms": {}}})
        );
        assert_eq!(map_preferences(&json!({"all": {"readOnly": true}})).unwrap(), json!({"all": {"readOnly": true}}));
        assert_eq!(map_preferences(&json!({"channels": {"fax": {}}})).unwrap(), json!({}));
        assert!(map_preferences(&json!([1])).is_err());
    }

    #[test]
    fn duplicate_steps_and_unknown_providers_fail_with_names() {
        let mut b = WorkflowBuilder::new("wf", options(), String::new()).unwrap();
        b.add_step(StepKind::Email, "a", StepOptions::default()).unwrap();
        let dup = b.add_step(StepKind::Sms, "a", StepOptions::default()).unwrap_err();
        assert_eq!(dup.code, Some(ErrorCode::StepAlreadyExistsError));
        assert!(dup.message.contains("Workflow `wf`") && dup.message.contains("`a` already exists"), "{}", dup.message);
        let unknown = b
            .add_step(
                StepKind::Email,
                "b",
                StepOptions { providers: Some(vec![("slack".into(), String::new())]), ..Default::default() },
            )
            .unwrap_err();
        assert!(unknown.message.contains("step `b`") && unknown.message.contains("`slack`"), "{}", unknown.message);
        assert!(unknown.message.contains("sendgrid"));
    }

    #[test]
    fn schemas_must_have_an_object_root() {
        let bad = WorkflowOptions { payload_schema: Some(json!({"type": "string"})), ..options() };
        let e = WorkflowBuilder::new("wf", bad, String::new()).unwrap_err();
        assert!(e.message.contains("Workflow `wf`: payload_schema"), "{}", e.message);
        let ok = WorkflowOptions { payload_schema: Some(json!({"anyOf": [{"type": "object"}]})), ..options() };
        assert!(WorkflowBuilder::new("wf", ok, String::new()).is_ok());
        let sev = WorkflowOptions { severity: Some("urgent".into()), ..options() };
        assert!(WorkflowBuilder::new("wf", sev, String::new()).unwrap_err().message.contains("severity"));
    }

    #[test]
    fn discovery_payload_declares_everything_while_preview_keeps_its_mock() {
        let schema = json!({"type": "object", "properties": {
            "name": {"type": "string", "default": "friend"},
            "order": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
            "note": {"type": "string"}
        }, "required": ["order"]});
        let b =
            WorkflowBuilder::new("wf", WorkflowOptions { payload_schema: Some(schema), ..options() }, String::new())
                .unwrap();
        assert_eq!(
            b.discovery_payload(),
            &json!({"name": "friend", "order": {"id": "[placeholder]"}, "note": "[placeholder]"})
        );
        assert_eq!(b.build().preview_payload, json!({"order": {"id": "[placeholder]"}}));
        let plain = WorkflowBuilder::new("wf", options(), String::new()).unwrap();
        assert_eq!(plain.discovery_payload(), &json!({}));
    }

    #[test]
    fn discovered_options_keep_what_upstream_serialises() {
        let mut b = WorkflowBuilder::new("wf", options(), String::new()).unwrap();
        b.add_step(
            StepKind::Chat,
            "c",
            StepOptions {
                control_schema: Some(json!({"type": "object"})),
                providers: Some(vec![("slack".into(), "code".into())]),
                ..Default::default()
            },
        )
        .unwrap();
        b.add_step(StepKind::Delay, "d", StepOptions::default()).unwrap();
        b.add_step(
            StepKind::Custom,
            "x",
            StepOptions {
                output_schema: Some(json!({"type": "object", "properties": {"n": {"type": "number"}}})),
                ..Default::default()
            },
        )
        .unwrap();
        let wf = b.build();
        assert_eq!(wf.steps[0].options, json!({"controlSchema": {"type": "object"}, "providers": {}}));
        assert_eq!(wf.steps[0].providers[0].id, "slack");
        assert_eq!(wf.steps[1].options, json!({}));
        assert_eq!(wf.step("x").unwrap().outputs.source(), wf.step("x").unwrap().results.source());
        assert!(wf.step("nope").is_none());
    }
}
