//! The `step` handle a Rust workflow closure receives.

use serde_json::{Value, json};

use novu_framework_core::engine::{Run, StepAction};
use novu_framework_core::error::{FrameworkError, UserError};
use novu_framework_core::steps::StepKind;
use novu_framework_core::workflow::{StepOptions as CoreStepOptions, WorkflowBuilder};

/// Why a step call did not return outputs. Propagate it with `?`.
#[derive(Debug)]
pub enum StepError {
    /// The target step has run: the workflow function must return now.
    Halt,
    /// The run failed with a framework error (already recorded by the run).
    Failed(Box<FrameworkError>),
    /// The workflow code itself failed.
    User(Box<UserError>),
}

impl StepError {
    /// An error of the workflow code with a message (answered as a `BridgeError`).
    pub fn user(message: impl Into<String>) -> StepError {
        StepError::User(Box::new(UserError::Exception { message: message.into(), stack: None }))
    }
}

impl From<UserError> for StepError {
    fn from(e: UserError) -> Self {
        StepError::User(Box::new(e))
    }
}

fn failed(e: FrameworkError) -> StepError {
    StepError::Failed(Box::new(e))
}

type SkipFn<'a> = Box<dyn Fn(&Value) -> bool + 'a>;
type ProviderFn<'a> = Box<dyn Fn(&Value, &Value) -> Result<Value, UserError> + 'a>;

/// Options of one step call.
#[derive(Default)]
pub struct StepOptions<'a> {
    control_schema: Option<Value>,
    output_schema: Option<Value>,
    skip: Option<SkipFn<'a>>,
    providers: Option<Vec<(String, ProviderFn<'a>)>>,
    disable_output_sanitization: Option<bool>,
    code: Option<String>,
}

impl<'a> StepOptions<'a> {
    pub fn new() -> Self {
        StepOptions::default()
    }

    /// JSON Schema of the step's controls (defaults are applied, Liquid templates rendered).
    pub fn control_schema(mut self, schema: Value) -> Self {
        self.control_schema = Some(schema);
        self
    }

    /// Custom steps: JSON Schema of the outputs (and of the hydrated result).
    pub fn output_schema(mut self, schema: Value) -> Self {
        self.output_schema = Some(schema);
        self
    }

    /// Skips the step (on `execute`) when this returns true for the compiled controls.
    pub fn skip(mut self, f: impl Fn(&Value) -> bool + 'a) -> Self {
        self.skip = Some(Box::new(f));
        self
    }

    /// A provider override: called with the compiled controls and the validated outputs.
    pub fn provider(mut self, id: &str, f: impl Fn(&Value, &Value) -> Result<Value, UserError> + 'a) -> Self {
        self.providers.get_or_insert_with(Vec::new).push((id.to_string(), Box::new(f)));
        self
    }

    pub fn disable_output_sanitization(mut self, disable: bool) -> Self {
        self.disable_output_sanitization = Some(disable);
        self
    }

    /// Source text shown by `action=code` (Rust closures have none of their own).
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }
}

enum Mode<'a> {
    Discovery { builder: &'a mut WorkflowBuilder, payload: Value },
    Run(&'a mut Run),
}

/// What a workflow closure uses to read its inputs and call steps.
pub struct Step<'a> {
    mode: Mode<'a>,
}

static EMPTY: Value = Value::Null;

impl<'a> Step<'a> {
    pub(crate) fn discovery(builder: &'a mut WorkflowBuilder) -> Step<'a> {
        let payload = builder.discovery_payload().clone();
        Step { mode: Mode::Discovery { builder, payload } }
    }

    pub(crate) fn run(run: &'a mut Run) -> Step<'a> {
        Step { mode: Mode::Run(run) }
    }

    /// The validated payload (during discovery, every property the payload schema declares, each set to its
    /// default or a mock value).
    pub fn payload(&self) -> &Value {
        match &self.mode {
            Mode::Discovery { payload, .. } => payload,
            Mode::Run(run) => run.payload(),
        }
    }

    /// The subscriber of the event (null during discovery).
    pub fn subscriber(&self) -> &Value {
        match &self.mode {
            Mode::Discovery { .. } => &EMPTY,
            Mode::Run(run) => run.subscriber(),
        }
    }

    /// Resolved contexts of the event.
    pub fn context(&self) -> &Value {
        match &self.mode {
            Mode::Discovery { .. } => &EMPTY,
            Mode::Run(run) => run.event_context(),
        }
    }

    /// Environment variables of the event.
    pub fn env(&self) -> &Value {
        match &self.mode {
            Mode::Discovery { .. } => &EMPTY,
            Mode::Run(run) => run.env(),
        }
    }

    fn call(
        &mut self,
        kind: StepKind,
        id: &str,
        options: StepOptions<'_>,
        resolver: &dyn Fn(&Value) -> Result<Value, UserError>,
    ) -> Result<Value, StepError> {
        let run = match &mut self.mode {
            Mode::Discovery { builder, .. } => {
                let recorded = CoreStepOptions {
                    control_schema: options.control_schema,
                    output_schema: options.output_schema,
                    providers: options
                        .providers
                        .map(|list| list.into_iter().map(|(id, _)| (id, "<rust closure>".to_string())).collect()),
                    disable_output_sanitization: options.disable_output_sanitization,
                    code: options.code.unwrap_or_else(|| "<rust closure>".into()),
                };
                builder.add_step(kind, id, recorded).map_err(|e| {
                    failed(FrameworkError::new(
                        e.code.unwrap_or(novu_framework_core::error::ErrorCode::BridgeError),
                        e.message,
                        None,
                    ))
                })?;
                let results = builder.discovery_results(id).unwrap_or_else(|| json!({}));
                return Ok(results);
            }
            Mode::Run(run) => run,
        };
        let check_skip = match run.enter(kind, id).map_err(failed)? {
            StepAction::Halt => return Err(StepError::Halt),
            StepAction::Return(value) => return Ok(value),
            StepAction::Run { check_skip } => check_skip,
        };
        let controls = run.active_controls().cloned().unwrap_or_default();
        if let (true, Some(skip)) = (check_skip, &options.skip)
            && let Some(value) = run.skip(Ok(skip(&controls))).map_err(failed)?
        {
            return if run.is_done() { Err(StepError::Halt) } else { Ok(value) };
        }
        run.resolved(resolver(&controls)).map_err(failed)?;
        let providers = options.providers.unwrap_or_default();
        let declared: Vec<String> = run.active_providers().iter().map(|p| p.id.clone()).collect();
        for provider_id in declared {
            let Some((_, f)) = providers.iter().find(|(id, _)| *id == provider_id) else {
                return Err(failed(run.abort(FrameworkError::provider_not_found(&provider_id))));
            };
            let outputs = run.active_outputs().cloned().unwrap_or(Value::Null);
            run.provider_resolved(&provider_id, f(&controls, &outputs)).map_err(failed)?;
        }
        run.complete().map_err(failed)?.ok_or(StepError::Halt)
    }
}

macro_rules! step_kinds {
    ($($(#[$doc:meta])* $name:ident => $kind:expr;)*) => {
        impl Step<'_> {
            $(
                $(#[$doc])*
                pub fn $name(
                    &mut self,
                    id: &str,
                    options: StepOptions<'_>,
                    resolver: impl Fn(&Value) -> Result<Value, UserError>,
                ) -> Result<Value, StepError> {
                    self.call($kind, id, options, &resolver)
                }
            )*
        }
    };
}

step_kinds! {
    /// An email step: `{subject, body}`; the body is sanitised HTML.
    email => StepKind::Email;
    /// An SMS step: `{body}`.
    sms => StepKind::Sms;
    /// A push step: `{subject, body}`.
    push => StepKind::Push;
    /// A chat step: `{body}`.
    chat => StepKind::Chat;
    /// An in-app (Inbox) step: `{subject?, body?, ...}`.
    in_app => StepKind::InApp;
    /// A tool step: `{body}`.
    tool => StepKind::Tool;
    /// A delay step: `{amount, unit}` (or a cron or dynamic delay).
    delay => StepKind::Delay;
    /// A digest step: `{amount, unit}`; returns the digested events.
    digest => StepKind::Digest;
    /// A throttle step: `{type, ...}`.
    throttle => StepKind::Throttle;
    /// A custom step: its outputs follow `output_schema`.
    custom => StepKind::Custom;
}
