//! Defining workflows with closures.

use std::sync::Arc;

use serde_json::{Map, Value};

use novu_framework_core::dispatch::local_run;
use novu_framework_core::engine::{Run, RunOptions};
use novu_framework_core::error::{ErrorCode, FrameworkError, UserError};
use novu_framework_core::workflow::{
    DefinitionError, WorkflowBuilder as CoreBuilder, WorkflowDefinition, WorkflowOptions,
};

use crate::step::{Step, StepError};

pub(crate) type WorkflowFn = Arc<dyn Fn(&mut Step<'_>) -> Result<(), StepError> + Send + Sync>;

/// A workflow: its discovered definition and the closure that runs it.
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

/// Options of a workflow, then [`WorkflowBuilder::build`] with its closure.
#[derive(Debug, Clone)]
pub struct WorkflowBuilder {
    id: String,
    options: WorkflowOptions,
    code: String,
}

impl Workflow {
    pub fn builder(id: &str) -> WorkflowBuilder {
        WorkflowBuilder { id: id.to_string(), options: WorkflowOptions::default(), code: "<rust closure>".into() }
    }

    pub fn id(&self) -> &str {
        &self.definition.id
    }

    pub fn definition(&self) -> &Arc<WorkflowDefinition> {
        &self.definition
    }

    /// Runs every step in order in this process (like the Python `workflow.run`): returns
    /// `{workflow_id, status, step_results, payload}`.
    pub fn run_local(&self, to: Value, payload: Value) -> Result<Value, FrameworkError> {
        let mut body = Map::new();
        body.insert("to".into(), to);
        body.insert("payload".into(), payload);
        let options = RunOptions { expose_stack: true, ..RunOptions::default() };
        let mut run = local_run(self.definition.clone(), Value::Object(body), options)?;
        let returned = drive(&self.func, &mut run);
        run.finish(returned)
    }
}

/// Runs the closure against a replay; a halt or a recorded failure is not an error of the closure. A panic
/// in the closure or a resolver is the workflow's failure (a 500 `BridgeError`), not the server's.
pub(crate) fn drive(func: &WorkflowFn, run: &mut Run) -> Result<(), UserError> {
    let mut step = Step::run(run);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| func(&mut step)));
    match outcome {
        Ok(Ok(()) | Err(StepError::Halt) | Err(StepError::Failed(_))) => Ok(()),
        Ok(Err(StepError::User(e))) => Err(*e),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".into());
            Err(UserError::message(format!("the workflow panicked: {what}")))
        }
    }
}

impl WorkflowBuilder {
    pub fn payload_schema(mut self, schema: Value) -> Self {
        self.options.payload_schema = Some(schema);
        self
    }

    pub fn control_schema(mut self, schema: Value) -> Self {
        self.options.control_schema = Some(schema);
        self
    }

    pub fn name(mut self, name: &str) -> Self {
        self.options.name = Some(name.to_string());
        self
    }

    pub fn description(mut self, description: &str) -> Self {
        self.options.description = Some(description.to_string());
        self
    }

    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.options.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    pub fn severity(mut self, severity: &str) -> Self {
        self.options.severity = Some(severity.to_string());
        self
    }

    pub fn preferences(mut self, preferences: Value) -> Self {
        self.options.preferences = Some(preferences);
        self
    }

    /// Source text shown by `action=code`.
    pub fn code(mut self, code: &str) -> Self {
        self.code = code.to_string();
        self
    }

    /// Discovers the workflow by running `func` once in discovery mode.
    pub fn build<F>(self, func: F) -> Result<Workflow, DefinitionError>
    where
        F: Fn(&mut Step<'_>) -> Result<(), StepError> + Send + Sync + 'static,
    {
        let mut builder = CoreBuilder::new(&self.id, self.options, self.code)?;
        let outcome = func(&mut Step::discovery(&mut builder));
        match outcome {
            Ok(()) | Err(StepError::Halt) => {}
            Err(StepError::Failed(e)) => {
                return Err(DefinitionError {
                    code: (e.code != ErrorCode::BridgeError).then_some(e.code),
                    message: e.message,
                });
            }
            Err(StepError::User(e)) => {
                return Err(DefinitionError {
                    code: None,
                    message: format!("Workflow `{}`: the workflow function failed during discovery: {e:?}", self.id),
                });
            }
        }
        Ok(Workflow { definition: Arc::new(builder.build()), func: Arc::new(func) })
    }
}
