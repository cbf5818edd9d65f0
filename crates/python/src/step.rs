//! The `step` object user workflows receive. In discovery it records each call; in a run it asks the core
//! engine what to do and calls the user's resolver, skip and provider callables (sync or async).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::MutexExt;
use pyo3::types::PyDict;
use serde_json::{Value, json};

use novu_framework_core::engine::{Run, StepAction};
use novu_framework_core::error::{ErrorCode, FrameworkError};
use novu_framework_core::steps::StepKind;
use novu_framework_core::workflow::{StepOptions, WorkflowBuilder};

use crate::convert::{from_py, to_py};
use crate::driver::{Machine, NativeFuture, Poll, call_flexible, drive_sync, is_awaitable};
use crate::errors::{Halt, definition_error, framework_error, is_halt, propagates, user_error};
use crate::schema::{SchemaInput, model_instance, source_text};

/// A run shared between the step object and the code driving the workflow function.
pub type SharedRun = Arc<RunState>;

pub struct RunState {
    run: Mutex<Run>,
    /// Async step calls made but not awaited yet. A coroutine that is never awaited never runs, so a run
    /// ending with one would otherwise look like a run whose step does not exist.
    unawaited: Mutex<Vec<(u64, String)>>,
    tickets: AtomicU64,
}

fn poisoned<T>(_: T) -> PyErr {
    PyRuntimeError::new_err("a previous step call panicked")
}

impl RunState {
    pub fn new(run: Run) -> SharedRun {
        Arc::new(RunState { run: Mutex::new(run), unawaited: Mutex::new(Vec::new()), tickets: AtomicU64::new(0) })
    }

    /// Locks the run from a thread attached to Python: waiting happens with the GIL released, so a thread
    /// that holds the lock and needs the GIL can always finish.
    pub fn lock(&self, py: Python<'_>) -> PyResult<MutexGuard<'_, Run>> {
        self.run.lock_py_attached(py).map_err(poisoned)
    }

    /// Core work on the run (rendering, validation, sanitising) with the GIL released.
    pub fn with<T: Send>(&self, py: Python<'_>, f: impl FnOnce(&mut Run) -> T + Send) -> PyResult<T> {
        py.detach(|| self.run.lock().map(|mut run| f(&mut run)).map_err(|_| ())).map_err(poisoned)
    }

    fn announce(&self, step_id: &str) -> u64 {
        let ticket = self.tickets.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut list) = self.unawaited.lock() {
            list.push((ticket, step_id.to_string()));
        }
        ticket
    }

    fn started(&self, ticket: u64) {
        if let Ok(mut list) = self.unawaited.lock() {
            list.retain(|(t, _)| *t != ticket);
        }
    }

    /// The first async step call of this run that was never awaited.
    pub fn first_unawaited(&self) -> Option<String> {
        self.unawaited.lock().ok().and_then(|list| list.first().map(|(_, id)| id.clone()))
    }
}

/// A `BridgeError` the binding raises about how user code drives a run.
pub fn bridge_error(message: String) -> FrameworkError {
    FrameworkError::new(ErrorCode::BridgeError, format!("Unknown BridgeError: {message}"), Some(json!({})))
}

/// What discovery collects while the workflow function runs.
pub struct Discovery {
    pub builder: Option<WorkflowBuilder>,
    pub error: Option<novu_framework_core::workflow::DefinitionError>,
}

enum Mode {
    Discovery(Arc<Mutex<Discovery>>),
    Run { run: SharedRun, expose_stack: bool },
}

#[pyclass(module = "novu_framework._native", name = "Step", frozen)]
pub struct PyStep {
    mode: Mode,
    is_async: bool,
}

impl PyStep {
    pub fn discovery(state: Arc<Mutex<Discovery>>, is_async: bool) -> PyStep {
        PyStep { mode: Mode::Discovery(state), is_async }
    }

    pub fn run(run: SharedRun, expose_stack: bool, is_async: bool) -> PyStep {
        PyStep { mode: Mode::Run { run, expose_stack }, is_async }
    }
}

/// Arguments of one step call.
struct Call<'py> {
    kind: StepKind,
    id: String,
    resolver: Bound<'py, PyAny>,
    control_schema: Option<Bound<'py, PyAny>>,
    output_schema: Option<Bound<'py, PyAny>>,
    skip: Option<Bound<'py, PyAny>>,
    providers: Option<Bound<'py, PyAny>>,
    disable_output_sanitization: Option<bool>,
}

/// Picks the snake_case keyword or its camelCase alias from the original project; both at once is an error.
fn either<'py>(
    snake: Option<Bound<'py, PyAny>>,
    camel: Option<Bound<'py, PyAny>>,
    name: &str,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let snake = snake.filter(|v| !v.is_none());
    let camel = camel.filter(|v| !v.is_none());
    match (snake, camel) {
        (Some(_), Some(_)) => {
            Err(pyo3::exceptions::PyTypeError::new_err(format!("pass either {name} or its camelCase alias, not both")))
        }
        (a, b) => Ok(a.or(b)),
    }
}

impl PyStep {
    fn call<'py>(&self, py: Python<'py>, call: Call<'py>) -> PyResult<Py<PyAny>> {
        match &self.mode {
            Mode::Discovery(state) => {
                let value = record(py, state, &call)?;
                self.finish_immediately(py, Ok(value))
            }
            Mode::Run { run, expose_stack } => {
                let ticket = self.is_async.then(|| run.announce(&call.id));
                let mut machine = StepMachine {
                    run: run.clone(),
                    ticket,
                    expose_stack: *expose_stack,
                    kind: call.kind,
                    id: call.id,
                    resolver: call.resolver.unbind(),
                    control_model: call.control_schema.filter(|s| is_model(s)).map(Bound::unbind),
                    skip: call.skip.map(Bound::unbind),
                    providers: call.providers.map(Bound::unbind),
                    controls: None,
                    provider_id: String::new(),
                    phase: Phase::Start,
                };
                if self.is_async {
                    Ok(Py::new(py, NativeFuture::new(Box::new(machine)))?.into_any())
                } else {
                    drive_sync(py, &mut machine)
                }
            }
        }
    }

    /// Discovery returns at once; an async workflow still gets an awaitable.
    fn finish_immediately(&self, py: Python<'_>, result: PyResult<Py<PyAny>>) -> PyResult<Py<PyAny>> {
        if !self.is_async {
            return result;
        }
        struct Done(Option<PyResult<Py<PyAny>>>);
        impl Machine for Done {
            fn advance(&mut self, py: Python<'_>, _: Option<PyResult<Py<PyAny>>>) -> Poll {
                Poll::Ready(self.0.take().unwrap_or_else(|| Ok(py.None())))
            }
        }
        Ok(Py::new(py, NativeFuture::new(Box::new(Done(Some(result)))))?.into_any())
    }
}

fn is_model(schema: &Bound<'_, PyAny>) -> bool {
    schema.hasattr(pyo3::intern!(schema.py(), "model_validate")).unwrap_or(false)
}

/// Records a step in discovery and returns its discovery results, so code between steps can read them.
fn record(py: Python<'_>, state: &Arc<Mutex<Discovery>>, call: &Call<'_>) -> PyResult<Py<PyAny>> {
    // Options first: reading schemas and source runs Python, which must not happen under the lock.
    let options = step_options(py, call)?;
    let mut d = state.lock_py_attached(py).map_err(|_| PyRuntimeError::new_err("discovery state poisoned"))?;
    if let Some(e) = &d.error {
        return Err(definition_error(py, e));
    }
    let Some(builder) = d.builder.as_mut() else {
        return Err(PyRuntimeError::new_err("step called after discovery finished"));
    };
    if let Err(e) = builder.add_step(call.kind, &call.id, options) {
        let err = definition_error(py, &e);
        d.error = Some(e);
        return Err(err);
    }
    let wf = builder.id().to_string();
    let results = builder
        .discovery_results(&call.id)
        .ok_or_else(|| PyRuntimeError::new_err(format!("workflow `{wf}`: step `{}` was not recorded", call.id)))?;
    Ok(to_py(py, &results)?.unbind())
}

fn step_options(py: Python<'_>, call: &Call<'_>) -> PyResult<StepOptions> {
    let schema = |s: &Option<Bound<'_, PyAny>>, what: &str| -> PyResult<Option<Value>> {
        match s {
            None => Ok(None),
            Some(s) => SchemaInput::from_py(s, &format!("step `{}` {what}", call.id)).map(|i| Some(i.json)),
        }
    };
    let providers = match &call.providers {
        None => None,
        Some(p) => {
            let dict = p.cast::<PyDict>().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err(format!(
                    "step `{}`: providers must be a dict mapping provider ids to callables",
                    call.id
                ))
            })?;
            let mut list = Vec::with_capacity(dict.len());
            for (k, v) in dict.iter() {
                let id: String = k.extract().map_err(|_| {
                    pyo3::exceptions::PyTypeError::new_err(format!("step `{}`: provider ids must be strings", call.id))
                })?;
                if !v.is_callable() {
                    return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                        "step `{}`: provider `{id}` must be a callable taking controls= and outputs=",
                        call.id
                    )));
                }
                list.push((id, source_text(py, &v)));
            }
            Some(list)
        }
    };
    if !call.resolver.is_callable() && !call.resolver.is_instance_of::<PyDict>() {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "step `{}`: the resolver must be a dict of outputs or a callable returning one, not {}",
            call.id,
            call.resolver.get_type().name()?
        )));
    }
    if let Some(skip) = &call.skip
        && !skip.is_callable()
        && !skip.is_instance_of::<pyo3::types::PyBool>()
    {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "step `{}`: skip must be a bool or a callable of the controls",
            call.id
        )));
    }
    Ok(StepOptions {
        control_schema: schema(&call.control_schema, "control_schema")?,
        output_schema: schema(&call.output_schema, "output_schema")?,
        providers,
        disable_output_sanitization: call.disable_output_sanitization,
        code: source_text(py, &call.resolver),
    })
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    Start,
    Skip,
    Resolver,
    Provider(usize),
}

/// What comes after a step's resolver or one of its provider overrides.
enum Next {
    Provider {
        index: usize,
        id: String,
        outputs: Value,
    },
    /// The step is complete: its value for the workflow code, or `None` once the run is done.
    Done(Option<Value>),
}

/// The provider override at `index`, or the completed step when there is none left.
fn next_after(run: &mut Run, index: usize) -> Result<Next, FrameworkError> {
    match run.active_providers().get(index) {
        Some(p) => {
            let id = p.id.clone();
            Ok(Next::Provider { index, id, outputs: run.active_outputs().cloned().unwrap_or(Value::Null) })
        }
        None => run.complete().map(Next::Done),
    }
}

/// One step call in a run, resumable at each call into user code that may need awaiting.
struct StepMachine {
    run: SharedRun,
    /// Set until the machine first runs (an async step call not awaited yet).
    ticket: Option<u64>,
    expose_stack: bool,
    kind: StepKind,
    id: String,
    resolver: Py<PyAny>,
    control_model: Option<Py<PyAny>>,
    skip: Option<Py<PyAny>>,
    providers: Option<Py<PyAny>>,
    controls: Option<Py<PyAny>>,
    provider_id: String,
    phase: Phase,
}

impl Machine for StepMachine {
    fn advance(&mut self, py: Python<'_>, input: Option<PyResult<Py<PyAny>>>) -> Poll {
        match self.advance_inner(py, input) {
            Ok(poll) => poll,
            Err(e) => Poll::Ready(Err(e)),
        }
    }
}

impl StepMachine {
    fn advance_inner(&mut self, py: Python<'_>, input: Option<PyResult<Py<PyAny>>>) -> PyResult<Poll> {
        match (self.phase, input) {
            (Phase::Start, _) => self.start(py),
            (Phase::Skip, Some(result)) => self.after_skip(py, result),
            (Phase::Resolver, Some(result)) => self.after_resolver(py, result),
            (Phase::Provider(i), Some(result)) => self.after_provider(py, i, result),
            (_, None) => Err(PyRuntimeError::new_err("step resumed without a result")),
        }
    }

    fn fail(&self, py: Python<'_>, e: FrameworkError) -> PyResult<Poll> {
        Err(framework_error(py, &e))
    }

    fn start(&mut self, py: Python<'_>) -> PyResult<Poll> {
        if let Some(ticket) = self.ticket.take() {
            self.run.started(ticket);
        }
        let (kind, id) = (self.kind, self.id.as_str());
        let check_skip = match self.run.with(py, |run| run.enter(kind, id))? {
            Err(e) => return self.fail(py, e),
            Ok(StepAction::Halt) => return Err(Halt::new_err(())),
            Ok(StepAction::Return(v)) => return Ok(Poll::Ready(Ok(to_py(py, &v)?.unbind()))),
            Ok(StepAction::Run { check_skip }) => check_skip,
        };
        let controls_py = match self.run.lock(py)?.active_controls() {
            Some(c) => to_py(py, c)?,
            None => PyDict::new(py).into_any(),
        };
        let controls_py = match &self.control_model {
            Some(model) => match model_instance(model.bind(py), &controls_py) {
                Ok(m) => m,
                Err(e) => return self.user_failure(py, Phase::Resolver, e),
            },
            None => controls_py,
        };
        self.controls = Some(controls_py.unbind());
        match (&self.skip, check_skip) {
            (Some(skip), true) => {
                let skip = skip.bind(py).clone();
                self.phase = Phase::Skip;
                if skip.is_instance_of::<pyo3::types::PyBool>() {
                    return self.after_skip(py, Ok(skip.unbind()));
                }
                let result = call_flexible(&skip, &self.controls(py));
                self.continue_with(py, result, Self::after_skip)
            }
            _ => self.call_resolver(py),
        }
    }

    fn controls<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.controls.as_ref().map(|c| c.bind(py).clone()).unwrap_or_else(|| py.None().into_bound(py))
    }

    /// Feeds a call's result onward now, or hands its awaitable to the driver.
    fn continue_with(
        &mut self,
        py: Python<'_>,
        result: PyResult<Bound<'_, PyAny>>,
        next: fn(&mut Self, Python<'_>, PyResult<Py<PyAny>>) -> PyResult<Poll>,
    ) -> PyResult<Poll> {
        match result {
            Ok(value) if is_awaitable(&value) => Ok(Poll::Pending(value.unbind())),
            Ok(value) => next(self, py, Ok(value.unbind())),
            Err(e) => next(self, py, Err(e)),
        }
    }

    /// A `BaseException` that is not a failure of user code (task cancellation, `KeyboardInterrupt`,
    /// `SystemExit`) goes up unchanged; the run is marked failed so that a workflow function catching it
    /// cannot go on as if the step had run.
    fn interrupted(&self, py: Python<'_>, err: PyErr) -> PyResult<Poll> {
        if !is_halt(py, &err) {
            let name = err.get_type(py).name().map(|n| n.to_string()).unwrap_or_default();
            let e = bridge_error(format!("step `{}` was interrupted by {name}", self.id));
            self.run.with(py, |run| run.abort(e))?;
        }
        Err(err)
    }

    /// An exception from the skip callable or the resolver: the core turns it into the run's failure.
    fn user_failure(&mut self, py: Python<'_>, phase: Phase, err: PyErr) -> PyResult<Poll> {
        if propagates(py, &err) {
            return self.interrupted(py, err);
        }
        let cause = user_error(py, &err, self.expose_stack);
        let e = self.run.with(py, |run| match phase {
            Phase::Skip => run.skip(Err(cause)).err(),
            _ => run.resolved(Err(cause)).err(),
        })?;
        match e {
            Some(e) => {
                let py_err = framework_error(py, &e);
                py_err.set_cause(py, Some(err));
                Err(py_err)
            }
            None => Err(err),
        }
    }

    fn after_skip(&mut self, py: Python<'_>, result: PyResult<Py<PyAny>>) -> PyResult<Poll> {
        let skipped = match result.and_then(|v| v.bind(py).is_truthy()) {
            Ok(skipped) => skipped,
            Err(e) => return self.user_failure(py, Phase::Skip, e),
        };
        match self.run.with(py, |run| run.skip(Ok(skipped)).map(|value| (value, run.is_done())))? {
            Err(e) => self.fail(py, e),
            Ok((Some(_), true)) => Err(Halt::new_err(())),
            Ok((Some(value), false)) => Ok(Poll::Ready(Ok(to_py(py, &value)?.unbind()))),
            Ok((None, _)) => self.call_resolver(py),
        }
    }

    fn call_resolver(&mut self, py: Python<'_>) -> PyResult<Poll> {
        self.phase = Phase::Resolver;
        let resolver = self.resolver.bind(py).clone();
        if !resolver.is_callable() {
            return self.after_resolver(py, Ok(resolver.unbind()));
        }
        let result = call_flexible(&resolver, &self.controls(py));
        self.continue_with(py, result, Self::after_resolver)
    }

    fn after_resolver(&mut self, py: Python<'_>, result: PyResult<Py<PyAny>>) -> PyResult<Poll> {
        let output = match result.and_then(|v| from_py(v.bind(py))) {
            Ok(v) => v,
            Err(e) => return self.user_failure(py, Phase::Resolver, e),
        };
        let next = self.run.with(py, |run| {
            run.resolved(Ok(output))?;
            next_after(run, 0)
        })?;
        self.proceed(py, next)
    }

    fn proceed(&mut self, py: Python<'_>, next: Result<Next, FrameworkError>) -> PyResult<Poll> {
        let (index, id, outputs) = match next {
            Err(e) => return self.fail(py, e),
            Ok(Next::Done(Some(value))) => return Ok(Poll::Ready(Ok(to_py(py, &value)?.unbind()))),
            Ok(Next::Done(None)) => return Err(Halt::new_err(())),
            Ok(Next::Provider { index, id, outputs }) => (index, id, outputs),
        };
        self.phase = Phase::Provider(index);
        let callable = match &self.providers {
            Some(p) => p.bind(py).get_item(&id).ok(),
            None => None,
        };
        let Some(callable) = callable else {
            let e = self.run.with(py, |run| run.abort(FrameworkError::provider_not_found(&id)))?;
            return self.fail(py, e);
        };
        self.provider_id = id;
        let kwargs = PyDict::new(py);
        kwargs.set_item("controls", self.controls(py))?;
        kwargs.set_item("outputs", to_py(py, &outputs)?)?;
        match callable.call((), Some(&kwargs)) {
            Ok(value) if is_awaitable(&value) => Ok(Poll::Pending(value.unbind())),
            other => self.after_provider(py, index, other.map(Bound::unbind)),
        }
    }

    fn after_provider(&mut self, py: Python<'_>, index: usize, result: PyResult<Py<PyAny>>) -> PyResult<Poll> {
        let (output, raised) = match result.and_then(|v| from_py(v.bind(py))) {
            Ok(v) => (Ok(v), None),
            Err(e) if propagates(py, &e) => return self.interrupted(py, e),
            Err(e) => (Err(user_error(py, &e, self.expose_stack)), Some(e)),
        };
        let id = self.provider_id.as_str();
        let next = self.run.with(py, |run| {
            run.provider_resolved(id, output)?;
            next_after(run, index + 1)
        })?;
        // The provider's own exception stays the cause of the step's error (and in the request's log).
        self.proceed(py, next).inspect_err(|err| {
            if let Some(raised) = raised
                && err.get_type(py).is_subclass_of::<pyo3::exceptions::PyException>().unwrap_or(false)
                && err.cause(py).is_none()
            {
                err.set_cause(py, Some(raised));
            }
        })
    }
}

/// The channel/action step methods share one signature; `custom` differs (output schema, no providers).
macro_rules! step_methods {
    ($($name:ident => $kind:expr, $doc:literal;)*) => {
        #[pymethods]
        impl PyStep {
            $(
                #[doc = $doc]
                #[pyo3(signature = (step_id, resolver, *, control_schema=None, skip=None, providers=None,
                                    disable_output_sanitization=None, controlSchema=None, disableOutputSanitization=None))]
                #[allow(non_snake_case, clippy::too_many_arguments)]
                fn $name<'py>(
                    &self,
                    py: Python<'py>,
                    step_id: String,
                    resolver: Bound<'py, PyAny>,
                    control_schema: Option<Bound<'py, PyAny>>,
                    skip: Option<Bound<'py, PyAny>>,
                    providers: Option<Bound<'py, PyAny>>,
                    disable_output_sanitization: Option<bool>,
                    controlSchema: Option<Bound<'py, PyAny>>,
                    disableOutputSanitization: Option<bool>,
                ) -> PyResult<Py<PyAny>> {
                    let call = Call {
                        kind: $kind,
                        id: step_id,
                        resolver,
                        control_schema: either(control_schema, controlSchema, "control_schema")?,
                        output_schema: None,
                        skip: skip.filter(|s| !s.is_none()),
                        providers: providers.filter(|p| !p.is_none()),
                        disable_output_sanitization: disable_output_sanitization.or(disableOutputSanitization),
                    };
                    self.call(py, call)
                }
            )*

            /// A custom step: its outputs follow `output_schema` (default: the empty schema, i.e. `{}`).
            #[pyo3(signature = (step_id, resolver, *, control_schema=None, skip=None, output_schema=None,
                                controlSchema=None, outputSchema=None))]
            #[allow(non_snake_case, clippy::too_many_arguments)]
            fn custom<'py>(
                &self,
                py: Python<'py>,
                step_id: String,
                resolver: Bound<'py, PyAny>,
                control_schema: Option<Bound<'py, PyAny>>,
                skip: Option<Bound<'py, PyAny>>,
                output_schema: Option<Bound<'py, PyAny>>,
                controlSchema: Option<Bound<'py, PyAny>>,
                outputSchema: Option<Bound<'py, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let call = Call {
                    kind: StepKind::Custom,
                    id: step_id,
                    resolver,
                    control_schema: either(control_schema, controlSchema, "control_schema")?,
                    output_schema: either(output_schema, outputSchema, "output_schema")?,
                    skip: skip.filter(|s| !s.is_none()),
                    providers: None,
                    disable_output_sanitization: None,
                };
                self.call(py, call)
            }

            fn __repr__(&self) -> &'static str {
                match self.mode {
                    Mode::Discovery(_) => "<novu_framework step (discovery)>",
                    Mode::Run { .. } => "<novu_framework step>",
                }
            }
        }
    };
}

step_methods! {
    email => StepKind::Email, "An email step; outputs `{subject, body}` (the body is sanitised HTML).";
    sms => StepKind::Sms, "An SMS step; outputs `{body}`.";
    push => StepKind::Push, "A push step; outputs `{subject, body}`.";
    chat => StepKind::Chat, "A chat step; outputs `{body}`.";
    in_app => StepKind::InApp, "An in-app (Inbox) step; outputs `{subject?, body?, ...}`.";
    inApp => StepKind::InApp, "Alias of `in_app`, as upstream spells it.";
    tool => StepKind::Tool, "A tool step (PagerDuty, Opsgenie, ...); outputs `{body}`.";
    delay => StepKind::Delay, "A delay step; outputs `{amount, unit}` (or a cron or dynamic delay).";
    digest => StepKind::Digest, "A digest step; outputs `{amount, unit}` and returns the digested events.";
    throttle => StepKind::Throttle, "A throttle step; outputs `{type, amount?, unit?, ...}`.";
}
