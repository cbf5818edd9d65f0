//! Defining workflows: an async function of the payload and the `step` handle, discovered once when built.

use std::any::type_name;
use std::future::Future;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use novu_framework_core::dispatch::local_run;
use novu_framework_core::engine::{Run, RunOptions};
use novu_framework_core::error::{FrameworkError, UserError};
use novu_framework_core::workflow::{
    DefinitionError, WorkflowBuilder as CoreBuilder, WorkflowDefinition, WorkflowOptions,
};

use crate::error::{BoxError, user_error};
use crate::exec::{BoxFuture, block_on, caught};
use crate::step::{Discovery, State, Step};

/// A workflow function with its payload type erased: it reads the payload from the step handle itself.
pub(crate) type WorkflowFn = Arc<dyn Fn(Step) -> BoxFuture<'static, Result<(), BoxError>> + Send + Sync>;

/// A notification workflow: its discovered definition and the function that runs it. Cheap to clone.
#[derive(Clone)]
pub struct Workflow {
    pub(crate) definition: Arc<WorkflowDefinition>,
    pub(crate) func: WorkflowFn,
}

impl std::fmt::Debug for Workflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workflow")
            .field("id", &self.definition.id)
            .field("steps", &self.definition.steps.len())
            .finish()
    }
}

/// A payload or controls type that declares nothing: it deserializes from any object and declares no schema
/// (so Novu shows none and the core strips every key, as upstream does for a missing schema).
///
/// ```
/// use novu_framework::{Empty, SmsOutput, Step, Workflow};
///
/// let ping = Workflow::new("ping", |_: Empty, step: Step| async move {
///     step.sms("text", |_: Empty| async { Ok(SmsOutput { body: "ping".into() }) }).await?;
///     Ok(())
/// })
/// .unwrap();
/// assert_eq!(ping.id(), "ping");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

impl JsonSchema for Empty {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Empty".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        true.into()
    }
}

impl Workflow {
    /// A workflow with default options: the same as `Workflow::builder(id).build(func)`.
    pub fn new<P, F, Fut>(id: &str, func: F) -> Result<Workflow, DefinitionError>
    where
        P: DeserializeOwned + JsonSchema + Send + 'static,
        F: Fn(P, Step) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
    {
        Workflow::builder(id).build(func)
    }

    /// Options of a workflow (name, tags, preferences, schemas); then [`WorkflowBuilder::build`] it.
    pub fn builder(id: &str) -> WorkflowBuilder {
        WorkflowBuilder { id: id.to_string(), options: WorkflowOptions::default(), code: None }
    }

    /// The workflow's id.
    pub fn id(&self) -> &str {
        &self.definition.id
    }

    /// The definition discovery recorded: options, schemas and steps.
    pub fn definition(&self) -> &Arc<WorkflowDefinition> {
        &self.definition
    }

    /// Runs every step in order in this process, as if Novu delivered each right after the previous one:
    /// controls are each step's defaults, rendered with Liquid; skip is honoured; outputs are validated and
    /// sanitised; delays and digests are not waited for. `to` is a subscriber id or a subscriber object.
    ///
    /// Returns `{"workflow_id", "status": "completed", "step_results": {step_id: outputs}, "payload"}`.
    ///
    /// ```
    /// use novu_framework::{EmailOutput, Empty, Step, Workflow};
    /// use serde::Deserialize;
    ///
    /// #[derive(Deserialize, schemars::JsonSchema)]
    /// struct Welcome {
    ///     name: String,
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let welcome = Workflow::new("welcome", |payload: Welcome, step: Step| async move {
    ///     step.email("hello", move |_: Empty| async move {
    ///         Ok(EmailOutput::new("Welcome", format!("<p>Hi {}</p>", payload.name)))
    ///     })
    ///     .await?;
    ///     Ok(())
    /// })?;
    /// let result = welcome.run("subscriber-1", serde_json::json!({"name": "Ada"})).await?;
    /// assert_eq!(result["step_results"]["hello"]["body"], "<p>Hi Ada</p>");
    /// # Ok::<(), novu_framework::BoxError>(())
    /// # }).unwrap();
    /// ```
    pub async fn run(&self, to: impl Serialize, payload: impl Serialize) -> Result<Value, RunError> {
        let mut body = Map::new();
        body.insert("to".into(), serde_json::to_value(to).map_err(|e| RunError::argument("to", &e))?);
        body.insert("payload".into(), serde_json::to_value(payload).map_err(|e| RunError::argument("payload", &e))?);
        let options = RunOptions { expose_stack: true, ..RunOptions::default() };
        let run = local_run(self.definition.clone(), Value::Object(body), options).map_err(RunError::from)?;
        let (mut run, returned) = drive(&self.func, Box::new(run)).await;
        run.finish(returned).map_err(RunError::from)
    }
}

/// Why [`Workflow::run`] failed: the framework error the bridge would answer with.
#[derive(Debug, Clone, PartialEq)]
pub struct RunError(pub FrameworkError);

impl RunError {
    fn argument(what: &str, e: &serde_json::Error) -> RunError {
        RunError(FrameworkError::invalid_body(format!("`{what}` could not be serialised: {e}")))
    }
}

impl From<FrameworkError> for RunError {
    fn from(e: FrameworkError) -> Self {
        RunError(e)
    }
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.code_text.as_deref().unwrap_or(self.0.code.as_str()), self.0.message)
    }
}

impl std::error::Error for RunError {}

/// Runs the workflow function against a replay. What it returns goes to the run, which ignores errors after
/// its target step ran (a halt) and keeps its own failures; a panic fails the run with a `BridgeError`.
pub(crate) async fn drive(func: &WorkflowFn, run: Box<Run>) -> (Box<Run>, Result<(), UserError>) {
    let step = Step::new(State::Run(run));
    let returned = match caught(|| func(step.clone())).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(user_error(e)),
        Err(panic) => Err(UserError::message(format!("the workflow panicked: {panic}"))),
    };
    match step.take() {
        State::Run(run) => (run, returned),
        // Only `drive` ends a run, so the state is still the run it started with.
        _ => unreachable!("the run's state was taken while its workflow function ran"),
    }
}

/// The options of a workflow; [`WorkflowBuilder::build`] adds its function.
#[derive(Debug, Clone)]
pub struct WorkflowBuilder {
    id: String,
    options: WorkflowOptions,
    code: Option<String>,
}

impl WorkflowBuilder {
    /// The payload's JSON Schema, instead of the one derived from the payload type. Needed when the payload is
    /// `serde_json::Value`, or to declare exactly the schema Novu shows.
    pub fn payload_schema(mut self, schema: Value) -> Self {
        self.options.payload_schema = Some(schema);
        self
    }

    /// The workflow-level controls' JSON Schema.
    pub fn control_schema(mut self, schema: Value) -> Self {
        self.options.control_schema = Some(schema);
        self
    }

    /// The JSON Schema of the `env` the event carries.
    pub fn env_schema(mut self, schema: Value) -> Self {
        self.options.env_schema = Some(schema);
        self
    }

    /// A human-readable name shown in Novu.
    pub fn name(mut self, name: &str) -> Self {
        self.options.name = Some(name.to_string());
        self
    }

    /// A description shown in Novu.
    pub fn description(mut self, description: &str) -> Self {
        self.options.description = Some(description.to_string());
        self
    }

    /// Tags to group workflows by in Novu.
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.options.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// `none` (the default), `low`, `medium` or `high`.
    pub fn severity(mut self, severity: &str) -> Self {
        self.options.severity = Some(severity.to_string());
        self
    }

    /// Subscriber preferences: `{"all": {"enabled", "readOnly"}, "channels": {"email": {"enabled"}, ...}}`.
    pub fn preferences(mut self, preferences: Value) -> Self {
        self.options.preferences = Some(preferences);
        self
    }

    /// Text shown for the workflow by `action=code` (by default the function's type name).
    pub fn code(mut self, code: &str) -> Self {
        self.code = Some(code.to_string());
        self
    }

    /// Builds the workflow from its function: `func(payload, step)` returns a `Send` future.
    ///
    /// The payload's schema is derived from `P` (see [`schema_for`](crate::schema_for)) unless given. The
    /// function runs once now, in discovery: its payload holds every property the payload schema declares, at
    /// its default or a mock value (it must deserialize into `P`), and each step call records its step and
    /// returns its result likewise. It should
    /// not await anything but its steps then. Mistakes (a duplicate step id, an unknown provider, a schema that
    /// does not compile) fail here, naming the workflow and step.
    pub fn build<P, F, Fut>(mut self, func: F) -> Result<Workflow, DefinitionError>
    where
        P: DeserializeOwned + JsonSchema + Send + 'static,
        F: Fn(P, Step) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
    {
        if self.options.payload_schema.is_none() {
            self.options.payload_schema = crate::schema_for::<P>();
        }
        let code = self.code.unwrap_or_else(|| type_name::<F>().to_string());
        let builder = CoreBuilder::new(&self.id, self.options, code)?;
        let func: WorkflowFn = Arc::new(move |step: Step| match step.payload::<P>() {
            Ok(payload) => Box::pin(func(payload, step)),
            Err(e) => Box::pin(std::future::ready(Err(e.into()))),
        });
        let step = Step::new(State::Discovery(Box::new(Discovery { builder, error: None })));
        let outcome = block_on(caught(|| func(step.clone())));
        let State::Discovery(discovery) = step.take() else {
            unreachable!("discovery's state was taken while the workflow function ran")
        };
        if let Some(e) = discovery.error {
            return Err(e);
        }
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(match user_error(e) {
                UserError::Exception { message, .. } => message,
                UserError::Framework(e) => e.message,
                UserError::PassThrough(p) => p.message.unwrap_or_default(),
                UserError::Value(v) => v.to_string(),
            }),
            Err(panic) => Some(format!("it panicked: {panic}")),
        };
        if let Some(failure) = failure {
            return Err(DefinitionError {
                code: None,
                message: format!("Workflow `{}`: the workflow function failed during discovery: {failure}", self.id),
            });
        }
        Ok(Workflow { definition: Arc::new(discovery.builder.build()), func })
    }
}
