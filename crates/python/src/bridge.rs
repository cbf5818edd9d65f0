//! The bridge object every Python adapter calls: method, path below the mount, query, signature headers
//! and body bytes in; status and body bytes out, and one log record per request.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};

use novu_framework_core::dispatch::{
    AgentDispatch, Body, Bridge, BridgeConfig, Dispatch, Request, RequestInfo, Response, Route, Target, TriggerCall,
};
use novu_framework_core::engine::Run;
use novu_framework_core::error::FrameworkError;

use crate::agents::{AgentEntry, PyTurn};
use crate::driver::{Machine, NativeFuture, Poll, drive_sync};
use crate::errors::{framework_error, log_request, propagates};
use crate::workflow::{Finisher, WorkflowEntry, WorkflowHandle, WorkflowMachine, header_list};

#[pyclass(module = "novu_framework._native", name = "Bridge", frozen)]
pub struct NativeBridge {
    core: Arc<Bridge>,
    entries: HashMap<String, Arc<WorkflowEntry>>,
    agents: HashMap<String, Arc<AgentEntry>>,
    headers: Py<PyList>,
    /// The discover and health-check bodies as Python bytes, made once instead of copied per request.
    shared: Vec<(Arc<str>, Py<PyBytes>)>,
}

/// `(status, body)` as the adapters send it.
fn response_tuple<'py>(
    py: Python<'py>,
    r: &Response,
    shared: &[(Arc<str>, Py<PyBytes>)],
) -> PyResult<Bound<'py, PyTuple>> {
    let body = match &r.body {
        Body::Shared(text) => match shared.iter().find(|(s, _)| Arc::ptr_eq(s, text)) {
            Some((_, bytes)) => bytes.clone_ref(py).into_bound(py),
            None => PyBytes::new(py, text.as_bytes()),
        },
        Body::Owned(text) => PyBytes::new(py, text.as_bytes()),
    };
    PyTuple::new(py, [r.status.into_pyobject(py)?.into_any(), body.into_any()])
}

/// One request being served: what it asked for and when it started, for its log record.
#[derive(Clone)]
struct Served {
    method: String,
    info: RequestInfo,
    started: Instant,
}

impl Served {
    fn start(method: &str, path: &str, query: &str) -> Served {
        Served { method: method.to_string(), info: RequestInfo::of(path, query), started: Instant::now() }
    }

    /// Logs the request and turns its response into `(status, body)`.
    fn answer(
        &self,
        py: Python<'_>,
        response: &Response,
        shared: &[(Arc<str>, Py<PyBytes>)],
        failure: Option<&PyErr>,
    ) -> PyResult<Py<PyAny>> {
        let ms = self.started.elapsed().as_secs_f64() * 1000.0;
        log_request(py, &self.method, &self.info, response, ms, failure);
        Ok(response_tuple(py, response, shared)?.into_any().unbind())
    }
}

fn bridge_finisher(core: Arc<Bridge>, route: Route, served: Served) -> Finisher {
    Box::new(move |py, run, returned, raised| {
        let response = py.detach(|| core.complete(run, returned, route));
        served.answer(py, &response, &[], raised.as_ref())
    })
}

/// Work an async adapter runs on a worker thread: a sync workflow's run, or a trigger call.
#[pyclass(module = "novu_framework._native", name = "Job", frozen)]
pub struct Job {
    work: Mutex<Option<Work>>,
}

enum Work {
    Run(Box<Guarded>),
    Trigger(Box<(TriggerCall, Served)>),
}

/// A workflow run for the bridge routes: whatever goes wrong in the binding itself (a bug, not user code,
/// which the run already reports) is logged and answered as a 500 `BridgeError`, never raised into the
/// web framework. Cancellation and interpreter exits go up unchanged.
struct Guarded {
    machine: WorkflowMachine,
    core: Arc<Bridge>,
    route: Route,
    served: Served,
}

impl Machine for Guarded {
    fn advance(&mut self, py: Python<'_>, input: Option<PyResult<Py<PyAny>>>) -> Poll {
        match self.machine.advance(py, input) {
            Poll::Ready(Err(e)) if !propagates(py, &e) => {
                Poll::Ready(internal_error(py, &self.core, self.route, &self.served, &e.to_string(), Some(&e)))
            }
            other => other,
        }
    }
}

/// Answers a failure of the library itself as a 500 `BridgeError`, logged with what went wrong.
fn internal_error(
    py: Python<'_>,
    core: &Bridge,
    route: Route,
    served: &Served,
    what: &str,
    err: Option<&PyErr>,
) -> PyResult<Py<PyAny>> {
    let failure = match err {
        Some(e) => e.clone_ref(py),
        None => PyRuntimeError::new_err(format!("novu_framework failed while serving a request: {what}")),
    };
    served.answer(py, &core.internal_error(route, what), &[], Some(&failure))
}

#[pymethods]
impl Job {
    /// True for a sync workflow run; false for a call to the Novu API, which always blocks on the network.
    #[getter]
    fn runs_user_code(&self) -> bool {
        self.work.lock().map(|w| matches!(&*w, Some(Work::Run(_)))).unwrap_or(false)
    }

    fn __call__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let work = self.work.lock().ok().and_then(|mut w| w.take());
        match work {
            Some(Work::Run(mut machine)) => drive_sync(py, machine.as_mut()),
            Some(Work::Trigger(work)) => {
                let (call, served) = *work;
                let response = py.detach(|| call.send());
                served.answer(py, &response, &[], None)
            }
            None => Err(PyRuntimeError::new_err("this job already ran")),
        }
    }
}

/// A query string given as `bytes` (ASGI, WSGI bytes) or `str` (Django's `META`).
fn query_text<'a>(query: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    if let Ok(bytes) = query.cast::<PyBytes>() {
        return Ok(Cow::Owned(String::from_utf8_lossy(bytes.as_bytes()).into_owned()));
    }
    Ok(Cow::Owned(query.extract::<String>()?))
}

impl NativeBridge {
    fn entry_for(&self, run: &Run) -> PyResult<Arc<WorkflowEntry>> {
        self.entries
            .get(&run.workflow().id)
            .cloned()
            .ok_or_else(|| PyRuntimeError::new_err(format!("workflow `{}` has no function", run.workflow().id)))
    }

    fn machine(&self, run: Run, route: Route, served: Served) -> PyResult<Guarded> {
        let entry = self.entry_for(&run)?;
        let expose_stack = !self.core.config().strict_authentication;
        let finisher = bridge_finisher(self.core.clone(), route, served.clone());
        let machine = WorkflowMachine::new(entry, run, expose_stack, finisher);
        Ok(Guarded { machine, core: self.core.clone(), route, served })
    }

    /// Dispatches with the GIL released; a panic in the core is answered as a 500, not propagated.
    fn dispatch(&self, py: Python<'_>, path: &str, request: &Request<'_>) -> (Route, Result<Dispatch, String>) {
        let route = match Target::of(path) {
            Target::Local(_) => Route::Local,
            _ => Route::Bridge,
        };
        let outcome = py.detach(|| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.core.dispatch_path(path, request)))
        });
        match outcome {
            Ok((route, dispatch)) => (route, Ok(dispatch)),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic in the core".into());
                (route, Err(what))
            }
        }
    }

    /// An agent event's ack with its turn, `(status, body, turn)`: the adapter runs the turn once the ack is
    /// sent.
    fn agent_answer(
        &self,
        py: Python<'_>,
        accepted: AgentDispatch,
        route: Route,
        served: &Served,
    ) -> PyResult<Py<PyAny>> {
        let Some(agent) = self.agents.get(accepted.agent_id()).cloned() else {
            return internal_error(py, &self.core, route, served, "an accepted agent has no handlers", None);
        };
        let ack = served.answer(py, &accepted.response, &[], None)?;
        let (status, body) = ack.extract::<(Py<PyAny>, Py<PyAny>)>(py)?;
        let turn = Py::new(py, PyTurn::new(*accepted.turn, agent))?;
        Ok(PyTuple::new(py, [status, body, turn.into_any()])?.into_any().unbind())
    }

    /// Finishes a dispatch on this thread.
    fn finish_sync(&self, py: Python<'_>, dispatch: Dispatch, route: Route, served: Served) -> PyResult<Py<PyAny>> {
        let result = match dispatch {
            Dispatch::Respond(r) => return served.answer(py, &r, &self.shared, None),
            Dispatch::Agent(a) => self.agent_answer(py, a, route, &served),
            Dispatch::Trigger(call) => {
                let response = py.detach(|| call.send());
                return served.answer(py, &response, &[], None);
            }
            Dispatch::Run(run) => self.machine(*run, route, served.clone()).and_then(|mut m| drive_sync(py, &mut m)),
        };
        result.or_else(|e| {
            if propagates(py, &e) {
                return Err(e);
            }
            internal_error(py, &self.core, route, &served, &e.to_string(), Some(&e))
        })
    }

    /// Finishes a dispatch for an async adapter: a ready tuple, a [`Job`] for a worker thread (sync user
    /// code, blocking HTTP), or an awaitable driving an async workflow on the caller's event loop.
    fn finish_async(&self, py: Python<'_>, dispatch: Dispatch, route: Route, served: Served) -> PyResult<Py<PyAny>> {
        match dispatch {
            Dispatch::Respond(r) => served.answer(py, &r, &self.shared, None),
            Dispatch::Agent(a) => self.agent_answer(py, a, route, &served),
            Dispatch::Trigger(call) => {
                Ok(Py::new(py, Job { work: Mutex::new(Some(Work::Trigger(Box::new((call, served))))) })?.into_any())
            }
            Dispatch::Run(run) => {
                let machine = match self.machine(*run, route, served.clone()) {
                    Ok(m) => m,
                    Err(e) => return internal_error(py, &self.core, route, &served, &e.to_string(), Some(&e)),
                };
                if machine.machine.is_async() {
                    Ok(Py::new(py, NativeFuture::new(Box::new(machine)))?.into_any())
                } else {
                    Ok(Py::new(py, Job { work: Mutex::new(Some(Work::Run(Box::new(machine)))) })?.into_any())
                }
            }
        }
    }
}

#[pymethods]
impl NativeBridge {
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (workflows, *, secret_key, strict_authentication, api_url, server_name, max_body_bytes=None, api_timeout=None, liquid_limits=None, secret_key_fallback=None, agents=None, agent_limits=None))]
    fn new(
        py: Python<'_>,
        workflows: Vec<PyRef<'_, WorkflowHandle>>,
        secret_key: String,
        strict_authentication: bool,
        api_url: String,
        server_name: String,
        max_body_bytes: Option<usize>,
        api_timeout: Option<f64>,
        liquid_limits: Option<HashMap<String, u64>>,
        secret_key_fallback: Option<String>,
        agents: Option<Vec<Bound<'_, PyAny>>>,
        agent_limits: Option<HashMap<String, u64>>,
    ) -> PyResult<NativeBridge> {
        let secret_key_fallback = secret_key_fallback.unwrap_or_default();
        let mut config = BridgeConfig {
            secret_key,
            secret_key_fallback,
            strict_authentication,
            api_url,
            server_name,
            ..BridgeConfig::default()
        };
        for (name, value) in liquid_limits.unwrap_or_default() {
            let limits = &mut config.limits;
            match name.as_str() {
                "max_iterations" => limits.max_iterations = value,
                "max_string_bytes" => limits.max_string_bytes = value as usize,
                "max_output_bytes" => limits.max_output_bytes = value as usize,
                "max_work_bytes" => limits.max_work_bytes = value,
                other => {
                    return Err(PyValueError::new_err(format!(
                        "unknown Liquid limit `{other}` (max_iterations, max_string_bytes, max_output_bytes, max_work_bytes)"
                    )));
                }
            }
        }
        if let Some(limit) = max_body_bytes {
            config.max_body_bytes = limit;
        }
        if let Some(seconds) = api_timeout {
            if !(seconds.is_finite() && seconds > 0.0) {
                return Err(PyValueError::new_err("api_timeout must be a positive number of seconds"));
            }
            config.api_timeout = Duration::from_secs_f64(seconds);
        }
        for (name, value) in agent_limits.unwrap_or_default() {
            let limits = &mut config.agents;
            let value = usize::try_from(value).unwrap_or(usize::MAX);
            match name.as_str() {
                "max_history" => limits.max_history = value,
                "max_reply_bytes" => limits.max_reply_bytes = value,
                "max_turns_in_flight" => limits.max_turns_in_flight = value,
                other => {
                    return Err(PyValueError::new_err(format!(
                        "unknown agent limit `{other}` (max_history, max_reply_bytes, max_turns_in_flight)"
                    )));
                }
            }
        }
        let agent_entries =
            agents.unwrap_or_default().iter().map(AgentEntry::from_spec).collect::<PyResult<Vec<AgentEntry>>>()?;
        let agent_definitions = agent_entries.iter().map(|a| a.definition.clone()).collect();
        let agents = agent_entries.into_iter().map(|a| (a.definition.id.clone(), Arc::new(a))).collect();
        let entries: Vec<Arc<WorkflowEntry>> = workflows.iter().map(|w| w.entry.clone()).collect();
        let definitions = entries.iter().map(|e| e.definition.clone()).collect();
        let core = Bridge::with_agents(definitions, agent_definitions, config)
            .map_err(|e| framework_error(py, &FrameworkError::new(e.code, e.message, None)))?;
        let headers = header_list(py, core.headers())?.unbind();
        let shared = core
            .shared_bodies()
            .into_iter()
            .map(|text| (text.clone(), PyBytes::new(py, text.as_bytes()).unbind()))
            .collect();
        let entries = entries.into_iter().map(|e| (e.definition.id.clone(), e)).collect();
        Ok(NativeBridge { core: Arc::new(core), entries, agents, headers, shared })
    }

    /// The headers every bridge response carries, as `[(name, value), ...]`.
    #[getter]
    fn headers(&self, py: Python<'_>) -> Py<PyList> {
        self.headers.clone_ref(py)
    }

    #[getter]
    fn max_body_bytes(&self) -> usize {
        self.core.config().max_body_bytes
    }

    #[getter]
    fn max_turns_in_flight(&self) -> usize {
        self.core.config().agents.max_turns_in_flight
    }

    /// Agent turns this bridge runs now.
    #[getter]
    fn turns_in_flight(&self) -> usize {
        self.core.turns_in_flight()
    }

    /// Handles a request at `path` below the bridge's mount point (`""` or `"/"` for the bridge,
    /// `"/workflows/<id>/execute"` for the local run, anything else a JSON 404); `query` is the raw query
    /// string, as `bytes` or `str`. Returns `(status, body)`; with `asynchronous`, for async adapters, it
    /// may instead return a `Job` to call on a worker thread (sync user code, blocking HTTP) or an
    /// awaitable (an async workflow, run on the caller's event loop).
    #[pyo3(signature = (method, path, query, signature, legacy_signature, body, *, asynchronous=false))]
    #[allow(clippy::too_many_arguments)]
    fn handle(
        &self,
        py: Python<'_>,
        method: &str,
        path: &str,
        query: &Bound<'_, PyAny>,
        signature: Option<&str>,
        legacy_signature: Option<&str>,
        body: &[u8],
        asynchronous: bool,
    ) -> PyResult<Py<PyAny>> {
        let query = query_text(query)?;
        let served = Served::start(method, path, &query);
        let request = Request { method, query: &query, signature, legacy_signature, body };
        match self.dispatch(py, path, &request) {
            (route, Ok(dispatch)) if asynchronous => self.finish_async(py, dispatch, route, served),
            (route, Ok(dispatch)) => self.finish_sync(py, dispatch, route, served),
            (route, Err(what)) => internal_error(py, &self.core, route, &served, &what, None),
        }
    }
}
