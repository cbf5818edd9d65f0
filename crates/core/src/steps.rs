//! Step types and their built-in schemas (spec §11): what each type outputs, what it hydrates from state,
//! which provider overrides its channel knows, and whether its outputs are sanitised.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde_json::{Value, json};

use crate::schema::Schema;

/// A step type; `type_name` is the discover `type` and the key of the built-in schema tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    Email,
    Sms,
    Push,
    Chat,
    InApp,
    Tool,
    Digest,
    Delay,
    Throttle,
    Custom,
}

impl StepKind {
    pub const ALL: [StepKind; 10] = [
        StepKind::Email,
        StepKind::Sms,
        StepKind::Push,
        StepKind::Chat,
        StepKind::InApp,
        StepKind::Tool,
        StepKind::Digest,
        StepKind::Delay,
        StepKind::Throttle,
        StepKind::Custom,
    ];

    pub fn type_name(self) -> &'static str {
        match self {
            StepKind::Email => "email",
            StepKind::Sms => "sms",
            StepKind::Push => "push",
            StepKind::Chat => "chat",
            StepKind::InApp => "in_app",
            StepKind::Tool => "tool",
            StepKind::Digest => "digest",
            StepKind::Delay => "delay",
            StepKind::Throttle => "throttle",
            StepKind::Custom => "custom",
        }
    }

    /// Channel steps deliver a message and may have provider overrides; the others are actions.
    pub fn is_channel(self) -> bool {
        matches!(
            self,
            StepKind::Email | StepKind::Sms | StepKind::Push | StepKind::Chat | StepKind::InApp | StepKind::Tool
        )
    }

    /// Upstream sanitises the string outputs of email and in-app steps only (spec §10.7).
    pub fn sanitizes_output(self) -> bool {
        matches!(self, StepKind::Email | StepKind::InApp)
    }

    /// The built-in outputs schema (custom steps use their `outputSchema` instead).
    pub fn outputs_schema(self) -> Arc<Schema> {
        builtin().get(&self).map(|s| s.outputs.clone()).unwrap_or_else(empty_schema)
    }

    /// The built-in results schema: what hydration from `state` is validated against.
    pub fn results_schema(self) -> Arc<Schema> {
        builtin().get(&self).map(|s| s.results.clone()).unwrap_or_else(empty_schema)
    }

    /// The provider ids this step type accepts overrides for, in upstream's table order.
    pub fn provider_ids(self) -> Vec<&'static str> {
        providers().get(&self).map(|table| table.iter().map(|(id, _)| *id).collect()).unwrap_or_default()
    }

    /// The output schema of a provider override, if the channel knows the provider.
    pub fn provider_schema(self, provider_id: &str) -> Option<Arc<Schema>> {
        providers().get(&self)?.iter().find(|(id, _)| *id == provider_id).map(|(_, s)| s.clone())
    }
}

/// `{"type":"object","properties":{},"required":[],"additionalProperties":false}`: upstream's default for
/// every schema the user leaves out, which strips every key of the data it validates.
pub fn empty_schema_value() -> Value {
    json!({"type": "object", "properties": {}, "required": [], "additionalProperties": false})
}

/// The compiled [`empty_schema_value`], shared.
pub fn empty_schema() -> Arc<Schema> {
    static EMPTY: OnceLock<Arc<Schema>> = OnceLock::new();
    EMPTY.get_or_init(|| Arc::new(Schema::compile(&empty_schema_value()).expect("the empty schema compiles"))).clone()
}

struct StepSchemas {
    outputs: Arc<Schema>,
    results: Arc<Schema>,
}

const STEP_SCHEMAS: &str = include_str!("../data/step-schemas.json");
const PROVIDER_SCHEMAS: &str = include_str!("../data/provider-schemas.json");

fn builtin() -> &'static HashMap<StepKind, StepSchemas> {
    static TABLE: OnceLock<HashMap<StepKind, StepSchemas>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let doc: Value = serde_json::from_str(STEP_SCHEMAS).expect("embedded step schemas are JSON");
        let compile = |v: &Value| Arc::new(Schema::compile(v).expect("embedded step schemas compile"));
        StepKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let entry = doc.get(kind.type_name())?;
                Some((kind, StepSchemas { outputs: compile(&entry["outputs"]), results: compile(&entry["results"]) }))
            })
            .collect()
    })
}

type ProviderTable = Vec<(&'static str, Arc<Schema>)>;

fn providers() -> &'static HashMap<StepKind, ProviderTable> {
    static TABLE: OnceLock<HashMap<StepKind, ProviderTable>> = OnceLock::new();
    TABLE.get_or_init(|| {
        static DOC: OnceLock<Value> = OnceLock::new();
        let doc =
            DOC.get_or_init(|| serde_json::from_str(PROVIDER_SCHEMAS).expect("embedded provider schemas are JSON"));
        StepKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let channel = doc.get(kind.type_name())?.as_object()?;
                let table = channel
                    .iter()
                    .map(|(id, schema)| {
                        (id.as_str(), Arc::new(Schema::compile(schema).expect("embedded provider schemas compile")))
                    })
                    .collect();
                Some((kind, table))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_schema_compiles_and_channels_have_provider_tables() {
        for kind in StepKind::ALL {
            let _ = kind.outputs_schema();
            let _ = kind.results_schema();
        }
        assert_eq!(StepKind::Email.provider_ids().len(), 22);
        assert_eq!(StepKind::Sms.provider_ids().len(), 38);
        assert_eq!(StepKind::Push.provider_ids().len(), 8);
        assert_eq!(StepKind::Chat.provider_ids().len(), 17);
        assert_eq!(StepKind::InApp.provider_ids(), vec!["novu"]);
        assert_eq!(StepKind::Tool.provider_ids().len(), 4);
        assert!(StepKind::Digest.provider_ids().is_empty());
        assert!(StepKind::Chat.provider_schema("slack").is_some());
        assert!(StepKind::Chat.provider_schema("sendgrid").is_none());
    }

    #[test]
    fn custom_falls_back_to_the_empty_schema() {
        assert_eq!(StepKind::Custom.outputs_schema().source(), &empty_schema_value());
        assert_eq!(StepKind::Email.results_schema().source(), &empty_schema_value());
        assert_eq!(StepKind::Delay.results_schema().source()["required"], json!(["duration"]));
    }
}
