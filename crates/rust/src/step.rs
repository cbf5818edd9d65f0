//! The `step` handle a workflow function receives, and the step calls it makes.
//!
//! A step call is a builder: options first, then `.await`. Every step type takes an async resolver that gets
//! the step's controls (validated, defaults applied, Liquid rendered) as a type of yours and returns its
//! outputs; the call gives back the step's result.

use std::any::type_name;
use std::borrow::Cow;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use novu_framework_core::engine::{Run, StepAction};
use novu_framework_core::error::{ErrorCode, FrameworkError, UserError, ValidationIssue};
use novu_framework_core::steps::StepKind;
use novu_framework_core::workflow::{DefinitionError, StepOptions as CoreStepOptions, WorkflowBuilder};

use crate::error::{BoxError, StepError, failed, user_error};
use crate::exec::BoxFuture;
use crate::outputs::{DelayResult, DigestResult, InAppResult, ThrottleResult};
use crate::schema::{read, schema_for};

/// Where a workflow function runs: discovery (steps are recorded, nothing resolves) or a replay.
pub(crate) enum State {
    Discovery(Box<Discovery>),
    Run(Box<Run>),
    /// The workflow function returned; a `Step` it kept can change nothing any more.
    Finished,
}

pub(crate) struct Discovery {
    pub(crate) builder: WorkflowBuilder,
    /// The first definition mistake: it fails the build even if the workflow code swallowed the error.
    pub(crate) error: Option<DefinitionError>,
}

impl Discovery {
    fn fail(&mut self, e: DefinitionError) -> StepError {
        let answer = failed(FrameworkError::new(e.code.unwrap_or(ErrorCode::BridgeError), e.message.clone(), None));
        self.error.get_or_insert(e);
        answer
    }
}

/// What a workflow function calls its steps on, and reads the event's subscriber, context and env from.
///
/// Cheap to clone; every clone is the same run. Steps run one at a time: await each call before the next.
#[derive(Clone)]
pub struct Step {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mode = match &*self.lock() {
            State::Discovery(_) => "discovery",
            State::Run(_) => "run",
            State::Finished => "finished",
        };
        f.debug_struct("Step").field("mode", &mode).finish()
    }
}

fn finished(id: &str) -> StepError {
    failed(FrameworkError::new(
        ErrorCode::BridgeError,
        format!(
            "Unknown BridgeError: step `{id}` was called on the step object of a finished run; use the `step` argument of the current call"
        ),
        Some(serde_json::json!({})),
    ))
}

impl Step {
    pub(crate) fn new(state: State) -> Step {
        Step { state: Arc::new(Mutex::new(state)) }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // No user code runs under the lock, so a poisoned lock still holds a consistent state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends the run: hands its state back and leaves [`State::Finished`] behind.
    pub(crate) fn take(&self) -> State {
        std::mem::replace(&mut *self.lock(), State::Finished)
    }

    /// The payload as `P`: the discovery payload in discovery, the validated payload in a run.
    pub(crate) fn payload<P: DeserializeOwned>(&self) -> Result<P, StepError> {
        match &mut *self.lock() {
            State::Discovery(d) => {
                read(d.builder.discovery_payload()).map_err(|issue| {
                    let message = format!(
                        "Workflow `{}`: the discovery payload ({}: every property of the payload schema, at its default or a mock value) does not deserialize into `{}`: {} (at `{}`)",
                        d.builder.id(),
                        d.builder.discovery_payload(),
                        type_name::<P>(),
                        issue.message,
                        issue.path
                    );
                    d.fail(DefinitionError { code: None, message })
                })
            }
            State::Run(run) => read(run.payload()).map_err(|issue| failed(run.reject_payload(&[issue]))),
            State::Finished => Err(finished("payload")),
        }
    }

    fn read_run(&self, f: impl FnOnce(&Run) -> &Value) -> Value {
        match &*self.lock() {
            State::Run(run) => f(run).clone(),
            _ => Value::Null,
        }
    }

    /// The subscriber of the event (`null` during discovery).
    pub fn subscriber(&self) -> Value {
        self.read_run(Run::subscriber)
    }

    /// The event's resolved contexts (`null` when none were sent).
    pub fn context(&self) -> Value {
        self.read_run(Run::event_context)
    }

    /// Environment variables of the event (`{}` when none were sent).
    pub fn env(&self) -> Value {
        self.read_run(Run::env)
    }

    /// Runs `f` on the replay; its errors fail the step call.
    fn with_run<T>(&self, id: &str, f: impl FnOnce(&mut Run) -> Result<T, FrameworkError>) -> Result<T, StepError> {
        match &mut *self.lock() {
            State::Run(run) => f(run).map_err(failed),
            _ => Err(finished(id)),
        }
    }

    fn call<'s, K, C, O, R, F>(
        &'s self,
        kind: StepKind,
        id: &'s str,
        resolver: F,
        read_result: fn(&Value) -> Result<R, ValidationIssue>,
        derive_output: fn() -> Option<Value>,
    ) -> StepCall<'s, K, C, O, R, F> {
        StepCall {
            step: self,
            kind,
            id,
            resolver,
            read_result,
            derive_output,
            control_schema: None,
            output_schema: None,
            skip: None,
            providers: Vec::new(),
            disable_output_sanitization: None,
            code: None,
            marker: PhantomData,
        }
    }
}

/// Marks the step calls of channel steps (email, SMS, push, chat, in-app, tool): they take provider overrides.
#[derive(Debug)]
pub enum Channel {}

/// Marks the step calls of action steps (delay, digest, throttle).
#[derive(Debug)]
pub enum Action {}

/// Marks the step calls of custom steps: their outputs are their results, typed by you.
#[derive(Debug)]
pub enum Custom {}

/// A JSON Schema given to a step call: borrowed (built once, e.g. in a static, and copied only in discovery)
/// or owned.
#[derive(Debug, Clone)]
pub struct StepSchema<'a>(Cow<'a, Value>);

impl From<Value> for StepSchema<'_> {
    fn from(schema: Value) -> Self {
        StepSchema(Cow::Owned(schema))
    }
}

impl<'a> From<&'a Value> for StepSchema<'a> {
    fn from(schema: &'a Value) -> Self {
        StepSchema(Cow::Borrowed(schema))
    }
}

type SkipFn<'s, C> = Box<dyn FnOnce(C) -> BoxFuture<'s, Result<bool, BoxError>> + Send + 's>;
type ProviderFn<'s, C> = Box<dyn FnOnce(C, Value) -> BoxFuture<'s, Result<Value, UserError>> + Send + 's>;

/// A step call: set its options, then `.await` it.
///
/// `K` is the kind of step ([`Channel`], [`Action`] or [`Custom`]), `C` the controls the resolver takes, `O`
/// what it returns, `R` what the call returns.
#[must_use = "a step call does nothing until it is awaited"]
pub struct StepCall<'s, K, C, O, R, F> {
    step: &'s Step,
    kind: StepKind,
    id: &'s str,
    resolver: F,
    read_result: fn(&Value) -> Result<R, ValidationIssue>,
    derive_output: fn() -> Option<Value>,
    control_schema: Option<Cow<'s, Value>>,
    output_schema: Option<Cow<'s, Value>>,
    skip: Option<SkipFn<'s, C>>,
    providers: Vec<(String, String, ProviderFn<'s, C>)>,
    disable_output_sanitization: Option<bool>,
    code: Option<String>,
    marker: PhantomData<fn() -> (K, O)>,
}

impl<K, C, O, R, F> std::fmt::Debug for StepCall<'_, K, C, O, R, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StepCall").field("type", &self.kind.type_name()).field("id", &self.id).finish_non_exhaustive()
    }
}

impl<'s, K, C, O, R, F> StepCall<'s, K, C, O, R, F> {
    /// The JSON Schema of the controls, instead of the one derived from `C`. Needed when `C` is
    /// `serde_json::Value`, or to declare exactly the schema Novu shows.
    pub fn control_schema(mut self, schema: impl Into<StepSchema<'s>>) -> Self {
        self.control_schema = Some(schema.into().0);
        self
    }

    /// Skips the step (on `execute`, not in preview) when `condition` answers true for the controls. An error
    /// from it fails the run with a `BridgeError`, as upstream evaluates skip outside the step.
    pub fn skip<G, GFut>(mut self, condition: G) -> Self
    where
        G: FnOnce(C) -> GFut + Send + 's,
        GFut: Future<Output = Result<bool, BoxError>> + Send + 's,
    {
        self.skip = Some(Box::new(move |controls| Box::pin(condition(controls))));
        self
    }

    /// Text shown for the step by `action=code` (by default the resolver's type name).
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }
}

impl<'s, C, O, R, F> StepCall<'s, Channel, C, O, R, F> {
    /// A provider override: `f` gets the controls and the step's validated outputs (as `Out`, e.g. the
    /// step's output type or `serde_json::Value`) and returns what this provider receives, checked against
    /// the provider's schema. Provider ids are those of the channel (`sendgrid`, `slack`, ...); an unknown
    /// id fails the workflow's build.
    pub fn provider<Out, P, G, GFut>(mut self, provider_id: &str, f: G) -> Self
    where
        Out: DeserializeOwned + Send + 's,
        P: Serialize,
        G: FnOnce(C, Out) -> GFut + Send + 's,
        GFut: Future<Output = Result<P, BoxError>> + Send + 's,
        C: 's,
    {
        let id = provider_id.to_string();
        let run: ProviderFn<'s, C> = Box::new(move |controls, outputs| {
            let outputs: Out = match read(&outputs) {
                Ok(out) => out,
                Err(issue) => {
                    let message = format!(
                        "the step's outputs do not deserialize into `{}`: {} (at `{}`)",
                        type_name::<Out>(),
                        issue.message,
                        issue.path
                    );
                    return Box::pin(std::future::ready(Err(UserError::message(message))));
                }
            };
            let future = f(controls, outputs);
            Box::pin(async move { future.await.map_err(user_error).and_then(|p| to_json(&p)) })
        });
        self.providers.push((id, type_name::<G>().to_string(), run));
        self
    }

    /// Leaves the outputs of an email or in-app step unsanitised (HTML is otherwise cleaned as
    /// sanitize-html does for `@novu/framework`).
    pub fn disable_output_sanitization(mut self) -> Self {
        self.disable_output_sanitization = Some(true);
        self
    }
}

impl<'s, C, O, F> StepCall<'s, Custom, C, O, O, F> {
    /// The JSON Schema of the outputs (and of the result), instead of the one derived from `O`.
    pub fn output_schema(mut self, schema: impl Into<StepSchema<'s>>) -> Self {
        self.output_schema = Some(schema.into().0);
        self
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Value, UserError> {
    serde_json::to_value(value).map_err(|e| UserError::message(format!("the output could not be serialised: {e}")))
}

impl<'s, K, C, O, R, F, Fut> IntoFuture for StepCall<'s, K, C, O, R, F>
where
    K: 's,
    C: DeserializeOwned + JsonSchema + Send + 's,
    O: Serialize + Send + 's,
    R: Send + 's,
    F: FnOnce(C) -> Fut + Send + 's,
    Fut: Future<Output = Result<O, BoxError>> + Send + 's,
{
    type Output = Result<R, StepError>;
    type IntoFuture = BoxFuture<'s, Result<R, StepError>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

impl<'s, K, C, O, R, F, Fut> StepCall<'s, K, C, O, R, F>
where
    K: 's,
    C: DeserializeOwned + JsonSchema + Send + 's,
    O: Serialize + Send + 's,
    R: Send + 's,
    F: FnOnce(C) -> Fut + Send + 's,
    Fut: Future<Output = Result<O, BoxError>> + Send + 's,
{
    /// Records the step in discovery; in a replay hydrates, mocks, or runs it (skip, resolver, providers).
    async fn run(self) -> Result<R, StepError> {
        let StepCall {
            step,
            kind,
            id,
            resolver,
            read_result,
            derive_output,
            control_schema,
            output_schema,
            skip,
            mut providers,
            disable_output_sanitization,
            code,
            marker: _,
        } = self;
        let (controls, skip) = {
            let mut state = step.lock();
            let run = match &mut *state {
                State::Discovery(d) => {
                    let options = CoreStepOptions {
                        control_schema: control_schema.map(Cow::into_owned).or_else(schema_for::<C>),
                        output_schema: output_schema.map(Cow::into_owned).or_else(derive_output),
                        providers: (!providers.is_empty())
                            .then(|| providers.iter().map(|(id, code, _)| (id.clone(), code.clone())).collect()),
                        disable_output_sanitization,
                        code: code.unwrap_or_else(|| type_name::<F>().to_string()),
                    };
                    return discover(d, kind, id, options, read_result);
                }
                State::Run(run) => run,
                State::Finished => return Err(finished(id)),
            };
            match run.enter(kind, id).map_err(failed)? {
                StepAction::Halt => return Err(StepError::Halted),
                StepAction::Return(value) => return result_of(run, id, &value, read_result),
                StepAction::Run { check_skip } => {
                    (run.active_controls().cloned().unwrap_or(Value::Null), skip.filter(|_| check_skip))
                }
            }
        };
        if let Some(skip) = skip {
            let decided = skip(step.controls(id, &controls)?).await.map_err(user_error);
            match step.with_run(id, |run| Ok((run.skip(decided)?, run.is_done())))? {
                (Some(_), true) => return Err(StepError::Halted),
                (Some(value), false) => return step.result(id, &value, read_result),
                (None, _) => {}
            }
        }
        let output = match resolver(step.controls(id, &controls)?).await {
            Ok(output) => to_json(&output),
            Err(e) => Err(user_error(e)),
        };
        let declared = step.with_run(id, |run| {
            run.resolved(output)?;
            Ok(run.active_providers().iter().map(|p| p.id.clone()).collect::<Vec<_>>())
        })?;
        for provider_id in declared {
            let Some(at) = providers.iter().position(|(p, _, _)| *p == provider_id) else {
                let missing = FrameworkError::provider_not_found(&provider_id);
                return step.with_run(id, |run| Err(run.abort(missing)));
            };
            let (_, _, provider) = providers.swap_remove(at);
            let outputs = step.with_run(id, |run| Ok(run.active_outputs().cloned().unwrap_or(Value::Null)))?;
            let result = provider(step.controls(id, &controls)?, outputs).await;
            step.with_run(id, |run| run.provider_resolved(&provider_id, result))?;
        }
        match step.with_run(id, |run| run.complete())? {
            Some(value) => step.result(id, &value, read_result),
            None => Err(StepError::Halted),
        }
    }
}

impl Step {
    /// The compiled controls as the resolver's type; a refusal fails the run as invalid controls.
    fn controls<C: DeserializeOwned>(&self, id: &str, controls: &Value) -> Result<C, StepError> {
        read(controls).map_err(|issue| {
            let refused = self.with_run(id, |run| {
                let wf = run.workflow().id.clone();
                Err::<(), _>(run.abort(FrameworkError::controls_invalid(&wf, id, &[issue])))
            });
            refused.err().unwrap_or_else(|| finished(id))
        })
    }

    fn result<R>(
        &self,
        id: &str,
        value: &Value,
        read_result: fn(&Value) -> Result<R, ValidationIssue>,
    ) -> Result<R, StepError> {
        match &mut *self.lock() {
            State::Run(run) => result_of(run, id, value, read_result),
            _ => Err(finished(id)),
        }
    }
}

/// A step's result as `R`; a refusal fails the run as an invalid result.
fn result_of<R>(
    run: &mut Run,
    id: &str,
    value: &Value,
    read_result: fn(&Value) -> Result<R, ValidationIssue>,
) -> Result<R, StepError> {
    read_result(value).map_err(|issue| {
        let wf = run.workflow().id.clone();
        failed(run.abort(FrameworkError::result_invalid(&wf, id, &[issue])))
    })
}

/// Records a step call in discovery and hands the workflow code its discovery result.
fn discover<R>(
    d: &mut Discovery,
    kind: StepKind,
    id: &str,
    options: CoreStepOptions,
    read_result: fn(&Value) -> Result<R, ValidationIssue>,
) -> Result<R, StepError> {
    if let Err(e) = d.builder.add_step(kind, id, options) {
        return Err(d.fail(e));
    }
    let result = d.builder.discovery_results(id).unwrap_or(Value::Null);
    read_result(&result).map_err(|issue| {
        let message = format!(
            "Workflow `{}`, step `{id}`: its discovery result ({result}) does not deserialize into `{}`: {} (at `{}`)",
            d.builder.id(),
            type_name::<R>(),
            issue.message,
            issue.path
        );
        d.fail(DefinitionError { code: None, message })
    })
}

fn no_result(_: &Value) -> Result<(), ValidationIssue> {
    Ok(())
}

fn no_schema() -> Option<Value> {
    None
}

macro_rules! channel_steps {
    ($($(#[$doc:meta])* $name:ident => $kind:expr, $result:ty, $read:expr;)*) => {
        impl Step {
            $(
                $(#[$doc])*
                pub fn $name<'s, C, O, F, Fut>(&'s self, id: &'s str, resolver: F) -> StepCall<'s, Channel, C, O, $result, F>
                where
                    F: FnOnce(C) -> Fut + Send + 's,
                    Fut: Future<Output = Result<O, BoxError>> + Send + 's,
                {
                    self.call($kind, id, resolver, $read, no_schema)
                }
            )*
        }
    };
}

macro_rules! action_steps {
    ($($(#[$doc:meta])* $name:ident => $kind:expr, $result:ty;)*) => {
        impl Step {
            $(
                $(#[$doc])*
                pub fn $name<'s, C, O, F, Fut>(&'s self, id: &'s str, resolver: F) -> StepCall<'s, Action, C, O, $result, F>
                where
                    F: FnOnce(C) -> Fut + Send + 's,
                    Fut: Future<Output = Result<O, BoxError>> + Send + 's,
                {
                    self.call($kind, id, resolver, read::<$result>, no_schema)
                }
            )*
        }
    };
}

channel_steps! {
    /// An email step: the resolver returns an [`EmailOutput`](crate::EmailOutput) (`{subject, body}`, the body
    /// HTML, sanitised).
    email => StepKind::Email, (), no_result;
    /// An SMS step: the resolver returns an [`SmsOutput`](crate::SmsOutput) (`{body}`).
    sms => StepKind::Sms, (), no_result;
    /// A push step: the resolver returns a [`PushOutput`](crate::PushOutput) (`{subject, body}`).
    push => StepKind::Push, (), no_result;
    /// A chat step: the resolver returns a [`ChatOutput`](crate::ChatOutput) (`{body}`).
    chat => StepKind::Chat, (), no_result;
    /// An in-app (Inbox) step: the resolver returns an [`InAppOutput`](crate::InAppOutput); the call returns
    /// whether the subscriber saw and read it.
    in_app => StepKind::InApp, InAppResult, read::<InAppResult>;
    /// A tool step: the resolver returns a [`ToolOutput`](crate::ToolOutput) (`{body}`).
    tool => StepKind::Tool, (), no_result;
}

action_steps! {
    /// A delay step: the resolver returns a [`DelayOutput`](crate::DelayOutput).
    delay => StepKind::Delay, DelayResult;
    /// A digest step: the resolver returns a [`DigestOutput`](crate::DigestOutput); the call returns the
    /// digested events.
    digest => StepKind::Digest, DigestResult;
    /// A throttle step: the resolver returns a [`ThrottleOutput`](crate::ThrottleOutput).
    throttle => StepKind::Throttle, ThrottleResult;
}

impl Step {
    /// A custom step: the resolver's output `O` is validated against the schema derived from `O` (or
    /// [`StepCall::output_schema`]) and is what the call returns, hydrated from Novu's state in later runs.
    pub fn custom<'s, C, O, F, Fut>(&'s self, id: &'s str, resolver: F) -> StepCall<'s, Custom, C, O, O, F>
    where
        O: DeserializeOwned + JsonSchema,
        F: FnOnce(C) -> Fut + Send + 's,
        Fut: Future<Output = Result<O, BoxError>> + Send + 's,
    {
        self.call(StepKind::Custom, id, resolver, read::<O>, schema_for::<O>)
    }
}
