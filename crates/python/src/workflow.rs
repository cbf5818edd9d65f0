//! Workflows: discovery at definition time, and running the workflow function against a replay.

use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::MutexExt;
use pyo3::types::{PyDict, PyList, PyString};
use serde_json::{Map, Value, json};

use novu_framework_core::dispatch::local_run;
use novu_framework_core::engine::{Run, RunOptions};
use novu_framework_core::error::{ErrorCode, FrameworkError, UserError, ValidationIssue};
use novu_framework_core::trigger::{self, PreparedTrigger, TriggerEvent};
use novu_framework_core::workflow::{WorkflowBuilder, WorkflowDefinition, WorkflowOptions};

use crate::api::{client, settle};
use crate::convert::{from_py, to_py};
use crate::driver::{Machine, NativeFuture, Poll, drive_sync, is_awaitable, run_sync};
use crate::errors::{definition_error, framework_error, is_halt, propagates, user_error};
use crate::step::{Discovery, PyStep, RunState, SharedRun, bridge_error};

/// Which optional keyword parameters the workflow function declares.
#[derive(Debug, Clone, Copy, Default)]
pub struct Accepts {
    subscriber: bool,
    context: bool,
    env: bool,
    controls: bool,
}

/// A defined workflow: its discovered definition and the Python function behind it.
pub struct WorkflowEntry {
    pub definition: Arc<WorkflowDefinition>,
    func: Py<PyAny>,
    pub is_async: bool,
    accepts: Accepts,
    /// Turns the validated payload dict into what the function receives (a pydantic model instance).
    payload_factory: Option<Py<PyAny>>,
}

impl WorkflowEntry {
    /// The payload as the function receives it: the pydantic instance, or the issues its validators raised.
    fn model_payload<'py>(
        &self,
        py: Python<'py>,
        payload: Bound<'py, PyAny>,
    ) -> PyResult<Result<Bound<'py, PyAny>, Vec<ValidationIssue>>> {
        let Some(factory) = &self.payload_factory else {
            return Ok(Ok(payload));
        };
        let (instance, issues) = factory
            .bind(py)
            .call1((payload, false))?
            .extract::<(Bound<'py, PyAny>, Option<Vec<(String, String)>>)>()?;
        Ok(match issues {
            None => Ok(instance),
            Some(list) => Err(list.into_iter().map(|(path, message)| ValidationIssue { path, message }).collect()),
        })
    }
}

#[pyclass(module = "novu_framework._native", name = "WorkflowHandle", frozen)]
pub struct WorkflowHandle {
    pub entry: Arc<WorkflowEntry>,
}

fn option_value(options: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<Value>> {
    match options.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(from_py(&v)?)),
        _ => Ok(None),
    }
}

fn option_string(options: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<String>> {
    match options.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(v.extract()?)),
        _ => Ok(None),
    }
}

/// Defines a workflow: runs `func` once in discovery mode to record its steps.
#[pyfunction]
#[pyo3(signature = (workflow_id, func, *, is_async, accepts, payload_factory, options, code))]
#[allow(clippy::too_many_arguments)]
pub fn define_workflow(
    py: Python<'_>,
    workflow_id: String,
    func: Py<PyAny>,
    mut is_async: bool,
    accepts: Vec<String>,
    payload_factory: Option<Py<PyAny>>,
    options: &Bound<'_, PyDict>,
    code: String,
) -> PyResult<WorkflowHandle> {
    let tags = match options.get_item("tags")? {
        Some(t) if !t.is_none() => t.extract::<Vec<String>>().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(format!("workflow `{workflow_id}`: tags must be a list of strings"))
        })?,
        _ => Vec::new(),
    };
    let wf_options = WorkflowOptions {
        name: option_string(options, "name")?,
        description: option_string(options, "description")?,
        tags,
        severity: option_string(options, "severity")?,
        preferences: option_value(options, "preferences")?,
        payload_schema: option_value(options, "payload_schema")?,
        control_schema: option_value(options, "control_schema")?,
        env_schema: option_value(options, "env_schema")?,
    };
    let accepts = Accepts {
        subscriber: accepts.iter().any(|a| a == "subscriber"),
        context: accepts.iter().any(|a| a == "context"),
        env: accepts.iter().any(|a| a == "env"),
        controls: accepts.iter().any(|a| a == "controls"),
    };
    let empty = || PyDict::new(py);
    let kwargs = keyword_args(py, accepts, empty().as_any(), empty().as_any(), empty().as_any())?;
    let (state, mut result) = loop {
        let builder = WorkflowBuilder::new(&workflow_id, wf_options.clone(), code.clone())
            .map_err(|e| definition_error(py, &e))?;
        let payload = to_py(py, builder.discovery_payload())?;
        let payload = match &payload_factory {
            Some(f) => f.bind(py).call1((payload, true))?.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?.0,
            None => payload,
        };
        let state = Arc::new(Mutex::new(Discovery { builder: Some(builder), error: None }));
        let step = Py::new(py, PyStep::discovery(state.clone(), is_async))?;
        let result = func.bind(py).call((payload, step), Some(&kwargs));
        match &result {
            // A plain function returning an awaitable: an async workflow behind a sync wrapper (a decorator).
            // Its step calls must be awaitable, so it is discovered again, and run, as async.
            Ok(value) if !is_async && is_awaitable(value) => {
                if let Some(close) = value.getattr_opt(pyo3::intern!(py, "close"))? {
                    close.call0()?;
                }
                is_async = true;
            }
            _ => break (state, result),
        }
    };
    if let Ok(value) = &result
        && is_awaitable(value)
    {
        result = run_sync(py, value).map(|v| v.into_bound(py));
    }
    let mut discovery = state.lock_py_attached(py).map_err(|_| PyRuntimeError::new_err("discovery state poisoned"))?;
    if let Some(e) = discovery.error.take() {
        return Err(definition_error(py, &e));
    }
    if let Err(err) = result {
        if propagates(py, &err) {
            return Err(err);
        }
        let mut e = FrameworkError::new(ErrorCode::BridgeError, discovery_failure(py, &workflow_id, &err), None);
        e.code_text = Some("InvalidWorkflowError".into());
        let wrapped = framework_error(py, &e);
        wrapped.set_cause(py, Some(err));
        return Err(wrapped);
    }
    let builder = discovery.builder.take().ok_or_else(|| PyRuntimeError::new_err("discovery already finished"))?;
    let entry = WorkflowEntry { definition: Arc::new(builder.build()), func, is_async, accepts, payload_factory };
    Ok(WorkflowHandle { entry: Arc::new(entry) })
}

/// Why defining the workflow failed when its function raised: the exception, and what discovery does, since
/// the function ran with a payload the user did not write.
fn discovery_failure(py: Python<'_>, workflow_id: &str, err: &PyErr) -> String {
    let kind = err.get_type(py).name().map_or_else(|_| "Exception".to_string(), |n| n.to_string());
    let message = err.value(py).str().map(|s| s.to_string()).unwrap_or_default();
    let raised = if message.is_empty() { kind } else { format!("{kind}: {message}") };
    format!(
        "Workflow `{workflow_id}`: the workflow function raised {raised} while its steps were being discovered. \
         Discovery calls the function once, when the workflow is defined, with a mock payload (every property \
         of the payload schema, set to its default or else to a placeholder value valid for its schema) and \
         records the step calls without running their resolvers; code outside the resolvers must work with \
         that payload."
    )
}

fn keyword_args<'py>(
    py: Python<'py>,
    accepts: Accepts,
    subscriber: &Bound<'py, PyAny>,
    context: &Bound<'py, PyAny>,
    env: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let kwargs = PyDict::new(py);
    if accepts.subscriber {
        kwargs.set_item("subscriber", subscriber)?;
    }
    if accepts.context {
        kwargs.set_item("context", context)?;
    }
    if accepts.env {
        kwargs.set_item("env", env)?;
    }
    if accepts.controls {
        // Workflow-level controls are never populated at run time (spec §10.1).
        kwargs.set_item("controls", PyDict::new(py))?;
    }
    Ok(kwargs)
}

/// What a finished workflow run turns into for its caller.
pub type Finisher =
    Box<dyn FnOnce(Python<'_>, &mut Run, Result<(), UserError>, Option<PyErr>) -> PyResult<Py<PyAny>> + Send>;

/// Runs the workflow function once against a replay.
pub struct WorkflowMachine {
    entry: Arc<WorkflowEntry>,
    run: SharedRun,
    expose_stack: bool,
    finisher: Option<Finisher>,
}

impl WorkflowMachine {
    pub fn new(entry: Arc<WorkflowEntry>, run: Run, expose_stack: bool, finisher: Finisher) -> WorkflowMachine {
        WorkflowMachine { entry, run: RunState::new(run), expose_stack, finisher: Some(finisher) }
    }

    fn start(&mut self, py: Python<'_>) -> PyResult<Poll> {
        let (payload, subscriber, context, env) = {
            let run = self.run.lock(py)?;
            let or_empty = |v: &Value| -> PyResult<Bound<'_, PyAny>> {
                if v.is_null() { Ok(PyDict::new(py).into_any()) } else { to_py(py, v) }
            };
            (
                to_py(py, run.payload())?,
                or_empty(run.subscriber())?,
                or_empty(run.event_context())?,
                or_empty(run.env())?,
            )
        };
        let payload = match self.entry.model_payload(py, payload) {
            Ok(Ok(p)) => p,
            Ok(Err(issues)) => {
                self.run.with(py, |run| run.reject_payload(&issues))?;
                return self.finish(py, Ok(()));
            }
            Err(e) => return self.finish(py, Err(e)),
        };
        let step = Py::new(py, PyStep::run(self.run.clone(), self.expose_stack, self.entry.is_async))?;
        let kwargs = keyword_args(py, self.entry.accepts, &subscriber, &context, &env)?;
        match self.entry.func.bind(py).call((payload, step), Some(&kwargs)) {
            Ok(value) if is_awaitable(&value) => Ok(Poll::Pending(value.unbind())),
            Ok(_) => self.finish(py, Ok(())),
            Err(e) => self.finish(py, Err(e)),
        }
    }

    fn finish(&mut self, py: Python<'_>, returned: PyResult<()>) -> PyResult<Poll> {
        let (returned, raised) = match returned {
            Ok(()) => (Ok(()), None),
            Err(e) if is_halt(py, &e) => (Ok(()), None),
            Err(e) if propagates(py, &e) => return Ok(Poll::Ready(Err(e))),
            Err(e) => (Err(user_error(py, &e, self.expose_stack)), Some(e)),
        };
        let finisher = self.finisher.take().ok_or_else(|| PyRuntimeError::new_err("workflow run finished twice"))?;
        let unawaited = self.run.first_unawaited();
        let mut run = self.run.lock(py)?;
        if let Some(id) = unawaited
            && returned.is_ok()
            && !run.is_done()
        {
            run.abort(bridge_error(format!(
                "step `{id}` was called without `await`; an async workflow must await every step call"
            )));
        }
        Ok(Poll::Ready(finisher(py, &mut run, returned, raised)))
    }
}

impl WorkflowMachine {
    pub fn is_async(&self) -> bool {
        self.entry.is_async
    }
}

impl Machine for WorkflowMachine {
    fn advance(&mut self, py: Python<'_>, input: Option<PyResult<Py<PyAny>>>) -> Poll {
        let result = match input {
            None => self.start(py),
            Some(r) => self.finish(py, r.map(|_| ())),
        };
        result.unwrap_or_else(|e| Poll::Ready(Err(e)))
    }
}

/// In-process local run: the result dict, or the framework error raised (chained to the user's exception).
fn local_finisher() -> Finisher {
    Box::new(|py, run, returned, raised| match py.detach(|| run.finish(returned)) {
        Ok(value) => Ok(to_py(py, &value)?.unbind()),
        Err(e) => {
            if let Some(raised) = raised {
                // A step failure raised inside the function already carries the right code and cause.
                let same = raised.value(py).getattr("code").ok().and_then(|c| c.extract::<String>().ok())
                    == Some(e.code_text.clone().unwrap_or_else(|| e.code.as_str().to_string()));
                if same {
                    return Err(raised);
                }
                let err = framework_error(py, &e);
                err.set_cause(py, Some(raised));
                return Err(err);
            }
            Err(framework_error(py, &e))
        }
    })
}

#[pymethods]
impl WorkflowHandle {
    #[getter]
    fn workflow_id(&self) -> &str {
        &self.entry.definition.id
    }

    #[getter]
    fn is_async(&self) -> bool {
        self.entry.is_async
    }

    /// The workflow's discover entry, as Novu receives it.
    fn discover<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let doc = novu_framework_core::discover::discover_document([self.entry.definition.as_ref()]);
        to_py(py, &doc["workflows"][0])
    }

    /// Runs every step in order in this process (the original project's local run); an async workflow
    /// runs on an event loop.
    #[pyo3(signature = (to, payload, controls=None))]
    fn run_local<'py>(
        &self,
        py: Python<'py>,
        to: &Bound<'py, PyAny>,
        payload: &Bound<'py, PyAny>,
        controls: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let mut machine = self.local_machine(py, to, payload, controls)?;
        drive_sync(py, &mut machine)
    }

    /// The awaitable twin of `run_local`.
    #[pyo3(signature = (to, payload, controls=None))]
    fn run_local_async<'py>(
        &self,
        py: Python<'py>,
        to: &Bound<'py, PyAny>,
        payload: &Bound<'py, PyAny>,
        controls: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let machine = self.local_machine(py, to, payload, controls)?;
        Ok(Py::new(py, NativeFuture::new(Box::new(machine)))?.into_any())
    }

    /// Triggers the workflow on Novu; returns `(status, answer, transaction_id)`.
    #[pyo3(signature = (to, payload, *, transaction_id, actor, overrides, controls, context, bridge_url, api_url, secret_key, timeout, retries, backoff))]
    #[allow(clippy::too_many_arguments)]
    fn trigger<'py>(
        &self,
        py: Python<'py>,
        to: &Bound<'py, PyAny>,
        payload: &Bound<'py, PyAny>,
        transaction_id: Option<String>,
        actor: &Bound<'py, PyAny>,
        overrides: &Bound<'py, PyAny>,
        controls: &Bound<'py, PyAny>,
        context: &Bound<'py, PyAny>,
        bridge_url: Option<String>,
        api_url: &str,
        secret_key: &str,
        timeout: f64,
        retries: u32,
        backoff: f64,
    ) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
        let optional = |v: &Bound<'py, PyAny>| -> PyResult<Option<Value>> {
            if v.is_none() { Ok(None) } else { from_py(v).map(Some) }
        };
        let event = TriggerEvent {
            to: from_py(to)?,
            payload: optional(payload)?,
            transaction_id,
            actor: optional(actor)?,
            overrides: optional(overrides)?,
            controls: optional(controls)?,
            context: optional(context)?,
            bridge_url: bridge_url.or_else(|| trigger::bridge_url_from_env(|k| std::env::var(k).ok())),
        };
        let prepared: PreparedTrigger = trigger::prepare(&self.entry.definition, event).map_err(|mut e| {
            // No request body here: the caller's arguments are what is wrong.
            if e.code == ErrorCode::InvalidRequestBodyError {
                e.code_text = Some("InvalidTriggerError".into());
            }
            framework_error(py, &e)
        })?;
        if let Err(issues) = self.entry.model_payload(py, to_py(py, &prepared.body["payload"])?)? {
            let e = FrameworkError::workflow_payload_invalid(&self.entry.definition.id, &issues);
            return Err(framework_error(py, &e));
        }
        let api = client(api_url, secret_key, timeout, retries, backoff)?;
        let url = api.url("/events/trigger");
        let result = py.detach(|| trigger::send(&api, &prepared));
        let (status, answer) = settle(py, result, &url, Some(&prepared.transaction_id), "Trigger")?;
        let id = trigger::answered_transaction_id(&answer).unwrap_or_else(|| prepared.transaction_id.clone());
        pyo3::types::PyTuple::new(
            py,
            [status.into_pyobject(py)?.into_any(), to_py(py, &answer)?, id.into_pyobject(py)?.into_any()],
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "<novu_framework workflow {:?} ({} steps)>",
            self.entry.definition.id,
            self.entry.definition.steps.len()
        )
    }
}

impl WorkflowHandle {
    fn local_machine(
        &self,
        py: Python<'_>,
        to: &Bound<'_, PyAny>,
        payload: &Bound<'_, PyAny>,
        controls: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<WorkflowMachine> {
        let mut body = Map::new();
        body.insert("to".into(), from_py(to)?);
        body.insert("payload".into(), if payload.is_none() { json!({}) } else { from_py(payload)? });
        if let Some(c) = controls.filter(|c| !c.is_none()) {
            body.insert("controls".into(), from_py(c)?);
        }
        let options = RunOptions { expose_stack: true, ..RunOptions::default() };
        let run = local_run(self.entry.definition.clone(), Value::Object(body), options)
            .map_err(|e| framework_error(py, &e))?;
        Ok(WorkflowMachine::new(self.entry.clone(), run, true, local_finisher()))
    }
}

/// The discover document of `workflows` as the bridge would serve it, as JSON text indented by `indent`.
#[pyfunction]
#[pyo3(signature = (workflows, indent=2))]
pub fn discover_text(workflows: Vec<PyRef<'_, WorkflowHandle>>, indent: usize) -> String {
    let doc = novu_framework_core::discover::discover_document(workflows.iter().map(|w| w.entry.definition.as_ref()));
    novu_framework_core::json::stringify_pretty(&doc, indent)
}

/// `[(name, value), ...]` as a Python list of tuples.
pub fn header_list<'py>(py: Python<'py>, headers: &[(&str, String)]) -> PyResult<Bound<'py, PyList>> {
    let items: Vec<(Bound<'_, PyString>, Bound<'_, PyString>)> =
        headers.iter().map(|(k, v)| (PyString::new(py, k), PyString::new(py, v))).collect();
    PyList::new(py, items)
}
