//! The replay engine (spec §10). The bridge is stateless: every execute or preview request runs the
//! user's workflow function from the top, and each step call asks the engine what to do — hydrate the
//! step from `state` (execute), mock it (preview), or run it because it is the target. Once the target's
//! result is recorded the run is over and the caller must stop the workflow function.
//!
//! The engine never calls user code itself; the language binding does, and reports back. That keeps this
//! module free of Python or async concerns, and lets the same engine serve the local run of the original
//! Python project (every step run in order, nothing hydrated).

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Map, Value, json};

use crate::controls::compile_controls_cached;
use crate::error::{ErrorCode, FrameworkError, UserError, ValidationIssue, wrap_cause};
use crate::json;
use crate::liquid::{Limits, Usage};
use crate::sanitize::sanitize_value;
use crate::schema::{Schema, ValidationError};
use crate::steps::StepKind;
use crate::workflow::{ProviderDefinition, StepDefinition, WorkflowDefinition};

/// Why the workflow function is being run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `action=execute`: earlier steps hydrate from `state`, the target runs, skip is honoured.
    Execute,
    /// `action=preview`: earlier steps are mocked, the target runs, skip is ignored.
    Preview,
    /// The original project's local run: every step runs in order with its default controls.
    Local,
}

impl Mode {
    fn action(self) -> &'static str {
        match self {
            Mode::Preview => "preview",
            Mode::Execute | Mode::Local => "execute",
        }
    }
}

/// One entry of the replay `state`: only `stepId` and `outputs` matter (spec §8).
#[derive(Debug, Clone, PartialEq)]
pub struct StateItem {
    pub step_id: String,
    pub outputs: Value,
}

/// The execute/preview request body, split into the parts the engine uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Event {
    pub payload: Option<Value>,
    pub controls: Option<Value>,
    pub state: Vec<StateItem>,
    pub subscriber: Option<Value>,
    pub context: Option<Value>,
    pub env: Option<Value>,
    pub actor: Option<Value>,
}

impl Event {
    /// Reads an event from a request body object. `state` must be a list when present (project decision:
    /// anything else is a clear 400 rather than upstream's accidental crash).
    pub fn from_body(mut body: Map<String, Value>) -> Result<Event, FrameworkError> {
        let state = match body.remove("state") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => state_items(items)?,
            Some(other) => {
                return Err(FrameworkError::invalid_body(format!(
                    "`state` must be a list of step states like [{{\"stepId\": \"...\", \"outputs\": {{}}}}], got {}",
                    type_name(&other)
                )));
            }
        };
        Ok(Event {
            payload: body.remove("payload"),
            controls: body.remove("controls"),
            state,
            subscriber: body.remove("subscriber"),
            context: body.remove("context"),
            env: body.remove("env"),
            actor: body.remove("actor"),
        })
    }
}

fn state_items(items: Vec<Value>) -> Result<Vec<StateItem>, FrameworkError> {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        // Upstream looks items up by `stepId` and skips anything else: an item that is not an object, or has
        // no string `stepId`, matches nothing. A `null` item crashes upstream's lookup; here it is a clear 400.
        match item {
            Value::Null => {
                return Err(FrameworkError::invalid_body(format!(
                    "`state[{i}]` must be an object like {{\"stepId\": \"...\", \"outputs\": {{}}}}, got null"
                )));
            }
            Value::Object(mut obj) => {
                if let Some(Value::String(step_id)) = obj.remove("stepId") {
                    out.push(StateItem { step_id, outputs: obj.remove("outputs").unwrap_or(Value::Null) });
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// JavaScript's name for a value's type, for error messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Engine settings a bridge passes to every run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// False under strict authentication: error bodies then carry no traceback.
    pub expose_stack: bool,
    pub limits: Limits,
}

/// What a step call must do next.
#[derive(Debug, Clone, PartialEq)]
pub enum StepAction {
    /// The target was already reached: stop the workflow function now.
    Halt,
    /// Not the target: return this value to the workflow code.
    Return(Value),
    /// Run this step: call `skip` first when `check_skip` (and the step has one), then the resolver, with
    /// the compiled controls of [`Run::active_controls`].
    Run { check_skip: bool },
}

/// The step being run (the target, or each step in a local run).
#[derive(Debug)]
struct Active {
    step: usize,
    controls: Value,
    outputs: Option<Value>,
    providers: Map<String, Value>,
}

/// What the target produced.
#[derive(Debug, Clone)]
struct Outcome {
    outputs: Value,
    providers: Map<String, Value>,
    skip: bool,
}

/// One replay of a workflow function.
#[derive(Debug)]
pub struct Run {
    workflow: Arc<WorkflowDefinition>,
    mode: Mode,
    target: String,
    /// The Liquid render context; also holds the payload, subscriber, context and env handed to user code.
    context: Value,
    controls: Option<Value>,
    local_controls: Map<String, Value>,
    state: Vec<StateItem>,
    active: Option<Active>,
    outcome: Option<Outcome>,
    failure: Option<FrameworkError>,
    step_results: Map<String, Value>,
    started: Instant,
    options: RunOptions,
    finished: bool,
    /// The Liquid budget is per request: every step's rendering counts against it.
    liquid_spent: Usage,
}

impl Run {
    /// Starts an execute or preview replay: checks and prepares the payload (spec §10.1–10.2).
    pub fn new(
        workflow: Arc<WorkflowDefinition>,
        mode: Mode,
        target: String,
        event: Event,
        options: RunOptions,
    ) -> Result<Run, FrameworkError> {
        let started = Instant::now();
        let wf_id = workflow.id.clone();
        let payload = match mode {
            Mode::Execute | Mode::Local => {
                if !event.payload.as_ref().is_some_and(json::truthy) {
                    return Err(FrameworkError::payload_required(&wf_id));
                }
                event.payload.unwrap_or(Value::Null)
            }
            Mode::Preview => {
                let mut merged = workflow.preview_payload.clone();
                if let (Value::Object(m), Some(given)) = (&mut merged, event.payload) {
                    assign(m, given)?;
                }
                merged
            }
        };
        let payload = validate(workflow.payload.schema(), payload)
            .map_err(|issues| FrameworkError::payload_invalid(&wf_id, &issues))?;
        let mut steps = Map::new();
        for item in &event.state {
            steps.insert(item.step_id.clone(), item.outputs.clone());
        }
        let context = build_context(&workflow, payload, event.subscriber, event.actor, event.context, event.env, steps);
        Ok(Run {
            workflow,
            mode,
            target,
            context,
            controls: event.controls,
            local_controls: Map::new(),
            state: event.state,
            active: None,
            outcome: None,
            failure: None,
            step_results: Map::new(),
            started,
            options,
            finished: false,
            liquid_spent: Usage::default(),
        })
    }

    /// Starts a local run: every step runs in order, `controls` optionally gives each step's controls by
    /// step id (defaults otherwise). An invalid payload is a `WorkflowPayloadInvalidError`.
    pub fn local(
        workflow: Arc<WorkflowDefinition>,
        subscriber: Value,
        payload: Value,
        controls: Map<String, Value>,
        options: RunOptions,
    ) -> Result<Run, FrameworkError> {
        let payload = validate(workflow.payload.schema(), payload)
            .map_err(|issues| FrameworkError::workflow_payload_invalid(&workflow.id, &issues))?;
        let context = build_context(&workflow, payload, Some(subscriber), None, None, None, Map::new());
        Ok(Run {
            workflow,
            mode: Mode::Local,
            target: String::new(),
            context,
            controls: None,
            local_controls: controls,
            state: Vec::new(),
            active: None,
            outcome: None,
            failure: None,
            step_results: Map::new(),
            started: Instant::now(),
            options,
            finished: false,
            liquid_spent: Usage::default(),
        })
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn workflow(&self) -> &Arc<WorkflowDefinition> {
        &self.workflow
    }

    /// The validated payload the workflow function receives.
    pub fn payload(&self) -> &Value {
        &self.context["payload"]
    }

    /// `subscriber`, `context` and `env` as sent (null when absent).
    pub fn subscriber(&self) -> &Value {
        context_part(&self.context, "subscriber")
    }

    pub fn event_context(&self) -> &Value {
        context_part(&self.context, "context")
    }

    pub fn env(&self) -> &Value {
        &self.context["env"]
    }

    /// True once the target's result is recorded: nothing after it may run.
    pub fn is_done(&self) -> bool {
        self.outcome.is_some()
    }

    /// The first framework error of this run. It sticks: user code that catches it cannot hide it.
    pub fn failure(&self) -> Option<&FrameworkError> {
        self.failure.as_ref()
    }

    /// Ends the run with `error` (kept as the run's failure) and gives it back for raising.
    pub fn abort(&mut self, error: FrameworkError) -> FrameworkError {
        self.fail(error)
    }

    fn fail(&mut self, error: FrameworkError) -> FrameworkError {
        if self.failure.is_none() {
            self.failure = Some(error.clone());
        }
        error
    }

    /// The payload passed the schema but the binding's own model (pydantic validators) rejected it: the
    /// run fails as it would for a schema error in this mode.
    pub fn reject_payload(&mut self, issues: &[ValidationIssue]) -> FrameworkError {
        let e = match self.mode {
            Mode::Local => FrameworkError::workflow_payload_invalid(&self.workflow.id, issues),
            Mode::Execute | Mode::Preview => FrameworkError::payload_invalid(&self.workflow.id, issues),
        };
        self.fail(e)
    }

    /// A step call of kind `kind` with id `step_id` (spec §10.3).
    pub fn enter(&mut self, kind: StepKind, step_id: &str) -> Result<StepAction, FrameworkError> {
        if self.finished {
            return Err(bridge_error(format!(
                "step `{step_id}` was called on the step object of a finished run; use the `step` argument of the current call"
            )));
        }
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        if self.outcome.is_some() {
            return Ok(StepAction::Halt);
        }
        if let Some(active) = &self.active {
            let running = &self.workflow.steps[active.step].id;
            return Err(self.fail(bridge_error(format!(
                "step `{step_id}` was called while step `{running}` was still running; steps run one at a time: finish (await) each step call before making the next, and never call steps from resolvers"
            ))));
        }
        let workflow = Arc::clone(&self.workflow);
        let Some(index) = workflow.step_index(step_id) else {
            return Err(self.fail(FrameworkError::step_not_found(step_id)));
        };
        if workflow.steps[index].kind != kind {
            let discovered = workflow.steps[index].kind.type_name();
            return Err(self.fail(bridge_error(format!(
                "step `{step_id}` was discovered with type `{discovered}` but is now called as `{}`; a step id keeps its type",
                kind.type_name()
            ))));
        }
        let is_target = self.mode == Mode::Local || step_id == self.target;
        if !is_target {
            let step = &workflow.steps[index];
            let value = match self.mode {
                Mode::Preview => self.mocked_result(step),
                _ => self.hydrate(step).map_err(|e| self.fail(e))?,
            };
            return Ok(StepAction::Return(value));
        }
        let controls = self.prepare_controls(index).map_err(|e| self.fail(e))?;
        self.active = Some(Active { step: index, controls, outputs: None, providers: Map::new() });
        Ok(StepAction::Run { check_skip: self.mode != Mode::Preview })
    }

    /// Hydrates a step that ran in an earlier job (spec §10.4, non-target).
    fn hydrate(&self, step: &StepDefinition) -> Result<Value, FrameworkError> {
        let wf = &self.workflow.id;
        let Some(item) = self.state.iter().find(|s| s.step_id == step.id) else {
            return Err(FrameworkError::state_corrupt(wf, &step.id));
        };
        let mut outputs = validate(step.results.schema(), item.outputs.clone())
            .map_err(|issues| FrameworkError::result_invalid(wf, &step.id, &issues))?;
        if step.sanitize {
            sanitize_value(&mut outputs);
        }
        Ok(outputs)
    }

    /// Preview of an earlier step: its results mock with any state outputs merged over it (spec §10.9).
    fn mocked_result(&self, step: &StepDefinition) -> Value {
        let mut outputs = step.results_mock.clone();
        if let Some(item) = self.state.iter().find(|s| s.step_id == step.id) {
            deep_merge(&mut outputs, &item.outputs);
        }
        if step.sanitize {
            sanitize_value(&mut outputs);
        }
        outputs
    }

    fn prepare_controls(&mut self, index: usize) -> Result<Value, FrameworkError> {
        let step = &self.workflow.steps[index];
        let (wf, id) = (&self.workflow.id, &step.id);
        let given = match self.mode {
            Mode::Local => self.local_controls.remove(id).unwrap_or_else(|| json!({})),
            _ => self.controls.take().unwrap_or(Value::Null),
        };
        let controls = validate(step.controls.schema(), given)
            .map_err(|issues| FrameworkError::controls_invalid(wf, id, &issues))?;
        compile_controls_cached(&controls, &self.context, &self.options.limits, &step.templates, &mut self.liquid_spent)
            .map_err(|e| FrameworkError::controls_compilation_failed(wf, id, e.data))
    }

    fn active(&self) -> Result<&Active, FrameworkError> {
        self.active.as_ref().ok_or_else(|| bridge_error("no step is running".into()))
    }

    /// The running step's definition.
    pub fn active_step(&self) -> Option<&StepDefinition> {
        self.active.as_ref().map(|a| &self.workflow.steps[a.step])
    }

    /// The running step's compiled controls.
    pub fn active_controls(&self) -> Option<&Value> {
        self.active.as_ref().map(|a| &a.controls)
    }

    /// The running step's validated outputs, before sanitising (what provider overrides receive).
    pub fn active_outputs(&self) -> Option<&Value> {
        self.active.as_ref().and_then(|a| a.outputs.as_ref())
    }

    /// The provider overrides the running step declared in discovery, in order.
    pub fn active_providers(&self) -> &[ProviderDefinition] {
        self.active_step().map(|s| s.providers.as_slice()).unwrap_or(&[])
    }

    /// Reports the skip decision; `Some(value)` when the step is skipped (the value goes to user code,
    /// after which an execute run is done), `None` to go on with the resolver.
    pub fn skip(&mut self, skipped: Result<bool, UserError>) -> Result<Option<Value>, FrameworkError> {
        let skipped = match skipped {
            Ok(s) => s,
            Err(cause) => {
                // Upstream evaluates `skip` outside the step's error wrapping: a failure there fails the run.
                self.active = None;
                let e = workflow_failure(&cause, self.options.expose_stack);
                return Err(self.fail(e));
            }
        };
        if !skipped {
            return Ok(None);
        }
        let active = self.active.take().ok_or_else(|| bridge_error("no step is running".into()))?;
        let id = self.workflow.steps[active.step].id.clone();
        if self.mode == Mode::Local {
            self.step_results.insert(id.clone(), json!({"skipped": true}));
            set_step_context(&mut self.context, &id, json!({}));
        } else {
            self.outcome = Some(Outcome { outputs: json!({}), providers: Map::new(), skip: true });
        }
        Ok(Some(json!({})))
    }

    /// Reports what the resolver returned (or raised), and validates it against the step's outputs schema.
    pub fn resolved(&mut self, output: Result<Value, UserError>) -> Result<(), FrameworkError> {
        let output = match output {
            Ok(v) => v,
            Err(cause) => return Err(self.step_failure(cause)),
        };
        let index = self.active()?.step;
        let step = &self.workflow.steps[index];
        let outputs = validate(step.outputs.schema(), output)
            .map_err(|issues| FrameworkError::output_invalid(&self.workflow.id, &step.id, &issues));
        match outputs {
            Ok(outputs) => {
                if let Some(active) = &mut self.active {
                    active.outputs = Some(outputs);
                }
                Ok(())
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    /// Reports one provider override's result (spec §10.6). In preview a failing override is mocked.
    pub fn provider_resolved(
        &mut self,
        provider_id: &str,
        output: Result<Value, UserError>,
    ) -> Result<(), FrameworkError> {
        let index = self.active()?.step;
        let workflow = Arc::clone(&self.workflow);
        let step = &workflow.steps[index];
        let Some(provider) = step.providers.iter().find(|p| p.id == provider_id) else {
            return Err(self.fail(FrameworkError::provider_not_found(provider_id)));
        };
        let validated = match output {
            Ok(raw) => {
                let passthrough = raw.get("_passthrough").cloned();
                validate(&provider.outputs, raw)
                    .map(|mut v| {
                        if let (Some(p), Value::Object(map)) = (passthrough, &mut v) {
                            map.insert("_passthrough".into(), p);
                        }
                        v
                    })
                    .map_err(|issues| {
                        UserError::Framework(Box::new(FrameworkError::provider_output_invalid(
                            &workflow.id,
                            &step.id,
                            provider_id,
                            &issues,
                        )))
                    })
            }
            Err(cause) => Err(cause),
        };
        let value = match validated {
            Ok(v) => v,
            Err(_) if self.mode == Mode::Preview => provider.outputs_mock.clone(),
            Err(cause) => {
                let prefix = format!("Failed to {} Provider with id: `{provider_id}`", self.mode.action());
                let e = wrap_cause(ErrorCode::ProviderExecutionFailedError, &prefix, &cause, self.options.expose_stack);
                return Err(self.fail(e));
            }
        };
        if let Some(active) = &mut self.active {
            active.providers.insert(provider_id.to_string(), value);
        }
        Ok(())
    }

    /// Finishes the running step: sanitises its outputs and records them. Returns what the step call gives
    /// back to the workflow code, or `None` once the run is done (the target of an execute or preview:
    /// the workflow code stops there, so nothing is handed back).
    pub fn complete(&mut self) -> Result<Option<Value>, FrameworkError> {
        let Some(active) = self.active.take() else {
            return Err(self.fail(bridge_error("no step is running".into())));
        };
        let workflow = Arc::clone(&self.workflow);
        let step = &workflow.steps[active.step];
        let mut outputs = active.outputs.unwrap_or_else(|| json!({}));
        if step.sanitize {
            sanitize_value(&mut outputs);
        }
        if self.mode == Mode::Local {
            let result = local_result(step.kind, &outputs, self.payload());
            self.step_results.insert(step.id.clone(), outputs);
            set_step_context(&mut self.context, &step.id, result.clone());
            return Ok(Some(result));
        }
        self.outcome = Some(Outcome { outputs, providers: active.providers, skip: false });
        Ok(None)
    }

    fn step_failure(&mut self, cause: UserError) -> FrameworkError {
        if let UserError::Framework(e) = cause {
            return self.fail(*e);
        }
        let id = self.active_step().map(|s| s.id.clone()).unwrap_or_default();
        self.active = None;
        let prefix = format!("Failed to {} Step with id: `{id}`", self.mode.action());
        let e = wrap_cause(ErrorCode::StepExecutionFailedError, &prefix, &cause, self.options.expose_stack);
        self.fail(e)
    }

    /// Ends the run once the workflow function returned (or raised). Errors raised after the target's
    /// result was recorded are ignored, as upstream ignores them.
    ///
    /// The run is over afterwards: a step object kept by user code can no longer change anything.
    pub fn finish(&mut self, returned: Result<(), UserError>) -> Result<Value, FrameworkError> {
        if self.finished {
            return Err(bridge_error("the workflow run is already finished".into()));
        }
        self.finished = true;
        self.active = None;
        if let Some(failure) = &self.failure {
            return Err(self.redacted(failure.clone()));
        }
        if let (Err(cause), None) = (&returned, &self.outcome) {
            let e = workflow_failure(cause, self.options.expose_stack);
            self.failure = Some(e.clone());
            return Err(self.redacted(e));
        }
        if self.mode == Mode::Local {
            return Ok(json!({
                "workflow_id": self.workflow.id,
                "status": "completed",
                "step_results": std::mem::take(&mut self.step_results),
                "payload": self.context["payload"].take(),
            }));
        }
        let outcome = self.outcome.take().unwrap_or(Outcome { outputs: json!({}), providers: Map::new(), skip: false });
        let duration = self.started.elapsed().as_secs_f64() * 1000.0;
        Ok(json!({
            "outputs": outcome.outputs,
            "providers": outcome.providers,
            "options": {"skip": outcome.skip},
            "metadata": {
                "status": "success",
                "error": false,
                "duration": json::number_from_f64(duration).map(Value::Number).unwrap_or(Value::Null),
            },
        }))
    }
}

impl Run {
    /// Under strict authentication a server error carries no `data`: one raised by a nested run with
    /// debugging output on would otherwise leak its traceback through this one.
    fn redacted(&self, mut e: FrameworkError) -> FrameworkError {
        let wraps_cause = matches!(
            e.code,
            ErrorCode::BridgeError | ErrorCode::StepExecutionFailedError | ErrorCode::ProviderExecutionFailedError
        );
        if !self.options.expose_stack && wraps_cause && e.status.is_none() {
            e.data = Some(json!({}));
        }
        e
    }
}

/// An exception from the workflow function outside any step (spec §4.3): pass-through errors keep their
/// status when it is a 4xx, framework errors stay as they are, anything else is a `BridgeError`.
pub fn workflow_failure(cause: &UserError, expose_stack: bool) -> FrameworkError {
    match cause {
        UserError::Framework(e) => (**e).clone(),
        UserError::PassThrough(p) if (400..500).contains(&p.status) => {
            FrameworkError::pass_through(p.status, p.message.clone(), p.data.clone(), p.code.clone())
        }
        other => wrap_cause(ErrorCode::BridgeError, "Unknown BridgeError", other, expose_stack),
    }
}

fn bridge_error(message: String) -> FrameworkError {
    FrameworkError::new(ErrorCode::BridgeError, format!("Unknown BridgeError: {message}"), Some(json!({})))
}

fn validate(schema: &Schema, mut data: Value) -> Result<Value, Vec<ValidationIssue>> {
    match schema.validate(&mut data) {
        Ok(()) => Ok(data),
        Err(errors) => {
            Err(errors.into_iter().map(|ValidationError { path, message }| ValidationIssue { path, message }).collect())
        }
    }
}

fn build_context(
    workflow: &WorkflowDefinition,
    payload: Value,
    subscriber: Option<Value>,
    actor: Option<Value>,
    context: Option<Value>,
    env: Option<Value>,
    steps: Map<String, Value>,
) -> Value {
    let mut map = Map::with_capacity(7);
    map.insert("workflow".into(), workflow.liquid_context());
    map.insert("payload".into(), payload);
    if let Some(s) = subscriber {
        map.insert("subscriber".into(), s);
    }
    if let Some(a) = actor.filter(json::truthy) {
        map.insert("actor".into(), a);
    }
    if let Some(c) = context {
        map.insert("context".into(), c);
    }
    map.insert("steps".into(), Value::Object(steps));
    map.insert("env".into(), env.filter(|e| !e.is_null()).unwrap_or_else(|| json!({})));
    Value::Object(map)
}

fn context_part<'a>(context: &'a Value, key: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    context.get(key).unwrap_or(&NULL)
}

fn set_step_context(context: &mut Value, step_id: &str, value: Value) {
    if let Some(Value::Object(steps)) = context.get_mut("steps") {
        steps.insert(step_id.to_string(), value);
    }
}

/// Most index keys a preview payload that is a string or a list may spread into (see [`assign`]): beyond
/// it one request would build millions of keys, so it is refused instead.
const MAX_SPREAD_KEYS: usize = 10_000;

/// `Object.assign(target, source)`: an object's keys, an array's or a string's indexes (a string counts
/// UTF-16 units, as JavaScript indexes it; a lone half of a surrogate pair becomes U+FFFD); other values add
/// nothing. Preview merges the sent payload over the mock this way (spec §10.2).
fn assign(target: &mut Map<String, Value>, source: Value) -> Result<(), FrameworkError> {
    let spread = match &source {
        Value::Array(items) => items.len(),
        Value::String(text) => text.encode_utf16().count(),
        _ => 0,
    };
    if spread > MAX_SPREAD_KEYS {
        return Err(FrameworkError::invalid_body(format!(
            "`payload` must be an object; a {} is spread into one key per index, at most {MAX_SPREAD_KEYS} (got {spread})",
            if source.is_array() { "list" } else { "string" }
        )));
    }
    match source {
        Value::Object(given) => target.extend(given),
        Value::Array(items) => target.extend(items.into_iter().enumerate().map(|(i, v)| (i.to_string(), v))),
        Value::String(text) => {
            let units = text.chars().flat_map(|c| {
                let unit = if c.len_utf16() == 1 { c } else { '\u{FFFD}' };
                std::iter::repeat_n(unit, c.len_utf16())
            });
            target.extend(units.enumerate().map(|(i, u)| (i.to_string(), Value::String(u.to_string()))));
        }
        _ => {}
    }
    Ok(())
}

/// Preview's merge of state outputs over a mock: objects merge recursively, everything else replaces.
fn deep_merge(base: &mut Value, over: &Value) {
    let Value::Object(over) = over else { return };
    if !base.is_object() {
        *base = json!({});
    }
    let Value::Object(base) = base else { return };
    for (key, value) in over {
        if value.is_object() {
            let slot = base.entry(key.clone()).or_insert_with(|| json!({}));
            deep_merge(slot, value);
        } else {
            base.insert(key.clone(), value.clone());
        }
    }
}

/// What a step call returns to workflow code in a local run, as if Novu had delivered the step right away
/// (project decision, decisions.md "The local run").
fn local_result(kind: StepKind, outputs: &Value, payload: &Value) -> Value {
    match kind {
        StepKind::InApp => {
            json!({"seen": false, "read": false, "lastSeenDate": null, "lastReadDate": null})
        }
        StepKind::Delay => json!({"duration": 0}),
        StepKind::Digest => json!({
            "events": [{"id": crate::ids::uuid_v4(), "time": crate::ids::now_iso(), "payload": payload}],
            "eventCount": 1,
        }),
        StepKind::Throttle => json!({"throttled": false}),
        StepKind::Custom => outputs.clone(),
        StepKind::Email | StepKind::Sms | StepKind::Push | StepKind::Chat | StepKind::Tool => {
            json!({})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::PassThrough;
    use crate::workflow::{StepOptions, WorkflowBuilder, WorkflowOptions};

    /// `wf` with an sms step `a` then an email step `b`.
    fn workflow() -> Arc<WorkflowDefinition> {
        let mut b = WorkflowBuilder::new("wf", WorkflowOptions::default(), String::new()).unwrap();
        b.add_step(StepKind::Sms, "a", StepOptions::default()).unwrap();
        b.add_step(StepKind::Email, "b", StepOptions::default()).unwrap();
        Arc::new(b.build())
    }

    fn run(mode: Mode, target: &str, expose_stack: bool) -> Run {
        let event = Event {
            payload: Some(json!({"k": 1})),
            controls: Some(json!({})),
            state: vec![StateItem { step_id: "a".into(), outputs: json!({"body": "hi"}) }],
            ..Event::default()
        };
        let options = RunOptions { expose_stack, ..RunOptions::default() };
        Run::new(workflow(), mode, target.into(), event, options).unwrap()
    }

    fn boom() -> UserError {
        UserError::Exception { message: "boom".into(), stack: Some("Traceback: secret".into()) }
    }

    #[test]
    fn earlier_steps_hydrate_and_the_target_runs_then_halts_the_rest() {
        let mut r = run(Mode::Execute, "b", true);
        // An sms step's result (what the workflow code gets back) has no fields: its outputs are not echoed.
        assert_eq!(r.enter(StepKind::Sms, "a"), Ok(StepAction::Return(json!({}))));
        assert_eq!(r.enter(StepKind::Email, "b"), Ok(StepAction::Run { check_skip: true }));
        r.resolved(Ok(json!({"subject": "s", "body": "<p>x</p><script>y</script>"}))).unwrap();
        assert_eq!(r.complete(), Ok(None));
        assert_eq!(r.enter(StepKind::Sms, "later"), Ok(StepAction::Halt));
        let body = r.finish(Ok(())).unwrap();
        assert_eq!(body["outputs"], json!({"subject": "s", "body": "<p>x</p>"}));
        assert_eq!(body["options"], json!({"skip": false}));
    }

    #[test]
    fn a_step_called_with_another_type_than_discovered_fails_the_run() {
        let mut r = run(Mode::Execute, "b", true);
        let e = r.enter(StepKind::Email, "a").unwrap_err();
        assert_eq!(e.code, ErrorCode::BridgeError);
        assert!(e.message.contains("discovered with type `sms` but is now called as `email`"), "{}", e.message);
        assert_eq!(r.finish(Ok(())).unwrap_err(), e);
    }

    #[test]
    fn a_skip_callable_that_raises_is_a_bridge_error_not_a_step_failure() {
        let mut r = run(Mode::Execute, "b", true);
        r.enter(StepKind::Sms, "a").unwrap();
        r.enter(StepKind::Email, "b").unwrap();
        let e = r.skip(Err(boom())).unwrap_err();
        assert_eq!((e.code, e.status()), (ErrorCode::BridgeError, 500));
        assert_eq!(e.message, "Unknown BridgeError: boom");
        assert_eq!(r.active_step().map(|s| s.id.as_str()), None);
        assert_eq!(r.finish(Ok(())).unwrap_err().code, ErrorCode::BridgeError);
    }

    #[test]
    fn a_finished_run_refuses_further_step_calls() {
        let mut r = run(Mode::Execute, "b", true);
        r.finish(Ok(())).unwrap();
        let e = r.enter(StepKind::Sms, "a").unwrap_err();
        assert!(e.message.contains("finished run"), "{}", e.message);
        assert!(r.finish(Ok(())).is_err());
    }

    #[test]
    fn a_second_step_while_one_runs_is_refused() {
        let mut r = run(Mode::Preview, "b", true);
        r.enter(StepKind::Email, "b").unwrap();
        let e = r.enter(StepKind::Sms, "a").unwrap_err();
        assert!(e.message.contains("`b` was still running"), "{}", e.message);
    }

    #[test]
    fn strict_runs_answer_server_errors_without_data_even_from_nested_runs() {
        let nested = FrameworkError::new(
            ErrorCode::StepExecutionFailedError,
            "Failed to execute Step with id: `x`: boom",
            Some(json!({"stack": "Traceback: /srv/secret.py"})),
        );
        for expose_stack in [false, true] {
            let mut r = run(Mode::Execute, "b", expose_stack);
            r.enter(StepKind::Sms, "a").unwrap();
            r.enter(StepKind::Email, "b").unwrap();
            r.resolved(Err(UserError::Framework(Box::new(nested.clone())))).unwrap_err();
            let e = r.finish(Ok(())).unwrap_err();
            let expected = if expose_stack { nested.data.clone() } else { Some(json!({})) };
            assert_eq!(e.data, expected, "expose_stack={expose_stack}");
        }
        // A pass-through error keeps the data its raiser chose.
        let mut r = run(Mode::Execute, "b", false);
        let pass = PassThrough { status: 409, message: Some("taken".into()), data: Some(json!({"id": 1})), code: None };
        let e = r.finish(Err(UserError::PassThrough(Box::new(pass)))).unwrap_err();
        assert_eq!((e.status(), e.data), (409, Some(json!({"id": 1}))));
    }

    #[test]
    fn only_4xx_statuses_pass_through() {
        for (status, expected) in [(400, 400), (499, 499), (399, 500), (500, 500), (302, 500)] {
            let pass = PassThrough { status, message: Some("m".into()), data: None, code: None };
            let e = workflow_failure(&UserError::PassThrough(Box::new(pass)), false);
            assert_eq!(e.status(), expected, "status {status}");
        }
    }

    #[test]
    fn a_payload_rejected_by_the_binding_fails_by_mode() {
        let issues = [ValidationIssue { path: "/k".into(), message: "bad".into() }];
        let mut r = run(Mode::Execute, "b", true);
        assert_eq!(r.reject_payload(&issues).code, ErrorCode::ExecutionEventPayloadInvalidError);
        assert_eq!(r.finish(Ok(())).unwrap_err().code, ErrorCode::ExecutionEventPayloadInvalidError);
        let options = RunOptions::default();
        let mut local = Run::local(workflow(), json!({"subscriberId": "s"}), json!({}), Map::new(), options).unwrap();
        assert_eq!(local.reject_payload(&issues).code, ErrorCode::WorkflowPayloadInvalidError);
    }

    #[test]
    fn execute_needs_the_state_of_earlier_steps() {
        let mut r = run(Mode::Execute, "b", true);
        r.state.clear();
        let e = r.enter(StepKind::Sms, "a").unwrap_err();
        assert_eq!(e.code, ErrorCode::ExecutionStateCorruptError);
    }
}
