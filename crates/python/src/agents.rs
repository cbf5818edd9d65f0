//! Agent turns for Python: the registered handlers, the `Turn` object adapters run after their ack, and the
//! machine that drives a turn's lifecycle through the user's handlers, sync or `async def`.
//!
//! The core decides everything protocol (which handler, what is posted, in which order); this module calls
//! the handlers and hands back what they returned. Posts to Novu run with the GIL released: on the calling
//! thread when the turn is driven from a worker thread, on a worker thread when it is driven from an event
//! loop.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyMemoryView, PyString, PyTuple};
use serde_json::{Map, Value};

use novu_framework_core::agents::{
    AgentDefinition, AgentError, Call, Content, ErrorReply, FileData, FileSpec, Handle, Handlers, HumanKind,
    HumanOptions, INVALID_CONTENT, Turn, Typing, approval_action_id,
};

use crate::convert::{from_py, to_py};
use crate::driver::{Machine, NativeFuture, Poll, drive_sync, is_awaitable};
use crate::errors::{log, log_message, propagates};

/// Which of an agent's handlers are `async def`.
#[derive(Debug, Clone, Copy, Default)]
struct AsyncHandlers {
    message: bool,
    action: bool,
    reaction: bool,
    resolve: bool,
    tool_approval: bool,
    error: bool,
}

/// A registered agent: what the core knows of it, and the Python `Agent` whose handlers run.
pub struct AgentEntry {
    pub definition: AgentDefinition,
    object: Py<PyAny>,
    asyncs: AsyncHandlers,
}

impl AgentEntry {
    /// From `Agent._native_spec()`: `(id, flags, agent)`.
    pub fn from_spec(spec: &Bound<'_, PyAny>) -> PyResult<AgentEntry> {
        let (id, flags, object): (String, HashMap<String, bool>, Py<PyAny>) = spec.extract()?;
        let flag = |name: &str| flags.get(name).copied().unwrap_or(false);
        let handlers = Handlers {
            on_action: flag("on_action"),
            on_reaction: flag("on_reaction"),
            on_resolve: flag("on_resolve"),
            on_tool_approval: flag("on_tool_approval"),
            on_error: flag("on_error"),
            framework_owns_approval: flag("framework_owns_approval"),
        };
        let asyncs = AsyncHandlers {
            message: flag("async_message"),
            action: flag("async_action"),
            reaction: flag("async_reaction"),
            resolve: flag("async_resolve"),
            tool_approval: flag("async_tool_approval"),
            error: flag("async_error"),
        };
        Ok(AgentEntry { definition: AgentDefinition { id, handlers }, object, asyncs })
    }
}

struct Imports {
    agent_error: Py<PyAny>,
    delivery_error: Py<PyAny>,
    pending_approval: Py<PyAny>,
    sync_context: Py<PyAny>,
    async_context: Py<PyAny>,
    mapping: Py<PyAny>,
    offload: Py<PyAny>,
}

fn imports(py: Python<'_>) -> PyResult<&Imports> {
    static IMPORTS: PyOnceLock<Imports> = PyOnceLock::new();
    IMPORTS.get_or_try_init(py, || {
        let errors = py.import("novu_framework.errors")?;
        let context = py.import("novu_framework.agents.context")?;
        Ok(Imports {
            agent_error: errors.getattr("AgentError")?.unbind(),
            delivery_error: errors.getattr("AgentDeliveryError")?.unbind(),
            pending_approval: context.getattr("PendingApproval")?.unbind(),
            sync_context: context.getattr("AgentContext")?.unbind(),
            async_context: context.getattr("AsyncAgentContext")?.unbind(),
            mapping: py.import("collections.abc")?.getattr("Mapping")?.unbind(),
            offload: py.import("novu_framework._turns")?.getattr("offload")?.unbind(),
        })
    })
}

/// The Python exception for an agent error: `AgentDeliveryError` when Novu answered with a failure.
fn agent_exception<'py>(py: Python<'py>, e: &AgentError) -> PyResult<Bound<'py, PyAny>> {
    let i = imports(py)?;
    match &e.delivery {
        Some(d) => {
            let kwargs = PyDict::new(py);
            kwargs.set_item("status_code", d.status_code)?;
            kwargs.set_item("response_body", &d.response_body)?;
            i.delivery_error.bind(py).call((&e.message,), Some(&kwargs))
        }
        None => i.agent_error.bind(py).call1((&e.message,)),
    }
}

fn agent_err(py: Python<'_>, e: &AgentError) -> PyErr {
    match agent_exception(py, e) {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

/// Text or a card (a mapping whose `type` is `"card"`); anything else is not message content.
fn content(obj: &Bound<'_, PyAny>) -> PyResult<Result<Content, AgentError>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Ok(Content::Markdown(s.to_str()?.to_owned())));
    }
    if obj.is_instance(imports(obj.py())?.mapping.bind(obj.py()))? {
        return Ok(Content::from_value(from_py(obj)?));
    }
    Ok(Err(AgentError::new(INVALID_CONTENT)))
}

/// What a handler returned: nothing (`None`, a pending approval) or content to reply with.
fn returned(obj: &Bound<'_, PyAny>) -> PyResult<Result<Option<Content>, AgentError>> {
    let py = obj.py();
    if obj.is_none() || obj.is_instance(imports(py)?.pending_approval.bind(py))? {
        return Ok(Ok(None));
    }
    Ok(content(obj)?.map(Some))
}

/// A file given as a `File`, or a mapping with `filename`, `mimeType` (or `mime_type`), `data`, `url`.
fn file_spec(obj: &Bound<'_, PyAny>) -> PyResult<FileSpec> {
    let py = obj.py();
    let get = |names: &[&str]| -> PyResult<Option<Bound<'_, PyAny>>> {
        let is_mapping = obj.is_instance(imports(py)?.mapping.bind(py))?;
        for name in names {
            let value = if is_mapping {
                obj.call_method1("get", (*name,))?
            } else {
                match obj.getattr_opt(*name)? {
                    Some(v) => v,
                    None => continue,
                }
            };
            if !value.is_none() {
                return Ok(Some(value));
            }
        }
        Ok(None)
    };
    let text = |v: Option<Bound<'_, PyAny>>| -> PyResult<Option<String>> {
        v.map(|v| v.str().map(|s| s.to_string())).transpose()
    };
    let data = match get(&["data"])? {
        None => None,
        Some(d) => Some(if let Ok(s) = d.cast::<PyString>() {
            FileData::Base64(s.to_str()?.to_owned())
        } else if let Ok(b) = d.cast::<PyBytes>() {
            FileData::Bytes(b.as_bytes().to_vec())
        } else if d.is_instance_of::<PyByteArray>() || d.is_instance_of::<PyMemoryView>() {
            FileData::Bytes(
                d.call_method0("__bytes__")
                    .or_else(|_| py.import("builtins")?.getattr("bytes")?.call1((&d,)))?
                    .extract()?,
            )
        } else {
            FileData::Other(d.get_type().name()?.to_string())
        }),
    };
    Ok(FileSpec {
        filename: text(get(&["filename"])?)?,
        mime_type: text(get(&["mimeType", "mime_type"])?)?,
        data,
        url: get(&["url"])?.map(|u| from_py(&u)).transpose()?,
    })
}

fn files(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<FileSpec>> {
    match obj {
        None => Ok(Vec::new()),
        Some(list) if list.is_none() => Ok(Vec::new()),
        Some(list) => list.try_iter()?.map(|f| file_spec(&f?)).collect(),
    }
}

fn handle_tuple(h: Handle) -> (String, String) {
    (h.message_id, h.platform_thread_id)
}

/// A JSON object argument (`None` → absent).
fn object(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<Map<String, Value>>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => match from_py(o)? {
            Value::Object(map) => Ok(Some(map)),
            _ => Err(PyTypeError::new_err(format!("{what} must be a dict"))),
        },
    }
}

/// Turns acknowledged in this process and not finished yet (running, or waiting for their ack to be sent).
static PENDING: AtomicUsize = AtomicUsize::new(0);

/// How many acknowledged agent turns this process has not finished.
#[pyfunction]
pub fn turns_pending() -> usize {
    PENDING.load(Ordering::Acquire)
}

/// A turn acknowledged by the bridge, run by `novu_framework._turns` once the answer is sent; the contexts
/// handlers receive call its other methods.
#[pyclass(module = "novu_framework._native", name = "Turn", frozen)]
pub struct PyTurn {
    core: Arc<Turn>,
    agent: Arc<AgentEntry>,
    call: Call,
    started: AtomicBool,
    /// Counted in [`PENDING`] until the turn finishes (or is dropped without running).
    pending: AtomicBool,
}

impl PyTurn {
    pub fn new(core: Turn, agent: Arc<AgentEntry>) -> PyTurn {
        let call = core.call();
        PENDING.fetch_add(1, Ordering::AcqRel);
        PyTurn { core: Arc::new(core), agent, call, started: AtomicBool::new(false), pending: AtomicBool::new(true) }
    }

    /// The turn is over: its place among the bridge's running turns and in [`PENDING`] are free again.
    fn settle(&self) {
        self.core.release();
        if self.pending.swap(false, Ordering::AcqRel) {
            PENDING.fetch_sub(1, Ordering::AcqRel);
        }
    }

    fn claim(&self) -> PyResult<()> {
        if self.started.swap(true, Ordering::AcqRel) {
            return Err(PyRuntimeError::new_err("this agent turn already ran"));
        }
        Ok(())
    }

    /// Runs a post with the GIL released, raising the agent error in Python.
    fn post<T: Send>(&self, py: Python<'_>, f: impl FnOnce(&Turn) -> Result<T, AgentError> + Send) -> PyResult<T> {
        let core = &self.core;
        py.detach(|| f(core)).map_err(|e| agent_err(py, &e))
    }
}

#[pymethods]
impl PyTurn {
    /// Whether the handler this turn runs is `async def` (the turn then runs on an event loop).
    #[getter]
    fn is_async(&self) -> bool {
        let a = &self.agent.asyncs;
        match &self.call {
            Call::Message => a.message,
            Call::Action => a.action,
            Call::Reaction => a.reaction,
            Call::Resolve => a.resolve,
            Call::ToolApproval { .. } => a.tool_approval,
            Call::Skip => false,
            Call::Unknown(_) => a.error,
        }
    }

    #[getter]
    fn agent_id(&self) -> &str {
        &self.agent.definition.id
    }

    /// Runs the whole turn on this thread; failures are logged, never raised.
    fn run(slf: &Bound<'_, Self>) -> PyResult<()> {
        let py = slf.py();
        slf.get().claim()?;
        let mut machine = TurnMachine::new(slf, Drive::Sync);
        match drive_sync(py, &mut machine) {
            Ok(_) => Ok(()),
            Err(e) if propagates(py, &e) => Err(e),
            Err(e) => {
                log(py, &e, &format!("[agent:{}] turn failed in novu_framework", slf.get().agent.definition.id), true);
                Ok(())
            }
        }
    }

    /// An awaitable running the turn on the current event loop (its posts on worker threads).
    fn run_async(slf: &Bound<'_, Self>) -> PyResult<NativeFuture> {
        slf.get().claim()?;
        Ok(NativeFuture::new(Box::new(TurnMachine::new(slf, Drive::Async))))
    }

    /// The request body as received.
    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &Value::Object(self.core.body().clone()))
    }

    #[pyo3(signature = (key, default=None))]
    fn metadata_get(&self, py: Python<'_>, key: &str, default: Option<Py<PyAny>>) -> PyResult<Py<PyAny>> {
        match self.core.metadata_get(key) {
            Some(v) => Ok(to_py(py, &v)?.unbind()),
            None => Ok(default.unwrap_or_else(|| py.None())),
        }
    }

    fn metadata_set(&self, key: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.core.metadata_set(key, from_py(value)?);
        Ok(())
    }

    fn metadata_delete(&self, key: &str) {
        self.core.metadata_delete(key);
    }

    fn metadata_clear(&self) {
        self.core.metadata_clear();
    }

    fn metadata_current<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &Value::Object(self.core.metadata_current()))
    }

    fn trigger(&self, workflow_id: &str, options: &Bound<'_, PyAny>) -> PyResult<()> {
        self.core.trigger(workflow_id, object(Some(options), "trigger options")?.unwrap_or_default());
        Ok(())
    }

    #[pyo3(signature = (kind, prompt, choices, sender, ttl_seconds, to))]
    #[allow(clippy::too_many_arguments)]
    fn human(
        &self,
        py: Python<'_>,
        kind: &str,
        prompt: &str,
        choices: Option<Vec<String>>,
        sender: Option<String>,
        ttl_seconds: Option<&Bound<'_, PyAny>>,
        to: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let kind = match kind {
            "ask" => HumanKind::Ask,
            "approve" => HumanKind::Approve,
            "choose" => HumanKind::Choose,
            "tell" => HumanKind::Tell,
            other => return Err(PyValueError::new_err(format!("unknown human interaction `{other}`"))),
        };
        let json = |v: Option<&Bound<'_, PyAny>>| v.filter(|v| !v.is_none()).map(from_py).transpose();
        let options = HumanOptions { sender, ttl_seconds: json(ttl_seconds)?, to: json(to)? };
        self.core.human(kind, prompt, choices, options).map_err(|e| agent_err(py, &e))
    }

    fn add_reaction(&self, message_id: &str, emoji_name: &str) {
        self.core.add_reaction(message_id, emoji_name);
    }

    fn delete_message(&self, message_id: &str) {
        self.core.delete_message(message_id);
    }

    #[pyo3(signature = (summary=None))]
    fn resolve(&self, summary: Option<String>) {
        self.core.resolve(summary);
    }

    #[pyo3(signature = (tool_call_id, output, tool_name=None, preview=None))]
    fn add_tool_result(
        &self,
        tool_call_id: &str,
        output: &Bound<'_, PyAny>,
        tool_name: Option<String>,
        preview: Option<String>,
    ) -> PyResult<()> {
        let mut result = Map::new();
        result.insert("toolCallId".into(), tool_call_id.into());
        if let Some(name) = tool_name {
            result.insert("toolName".into(), name.into());
        }
        result.insert("output".into(), from_py(output)?);
        if let Some(preview) = preview {
            result.insert("preview".into(), preview.into());
        }
        self.core.add_tool_result(result);
        Ok(())
    }

    #[pyo3(signature = (approval_id, tool_call_id, name, input=None))]
    fn queue_tool_approval(
        &self,
        py: Python<'_>,
        approval_id: &str,
        tool_call_id: &str,
        name: &str,
        input: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let input = object(input, "input")?;
        self.core.queue_tool_approval(approval_id, tool_call_id, name, input).map_err(|e| agent_err(py, &e))
    }

    /// Posts a reply; returns `(message_id, platform_thread_id)`.
    #[pyo3(signature = (content, files=None))]
    fn reply(
        &self,
        py: Python<'_>,
        content: &Bound<'_, PyAny>,
        files: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(String, String)> {
        let files = self::files(files)?;
        let content = self::content(content)?.map_err(|e| agent_err(py, &e))?;
        self.post(py, |t| t.reply(content, files)).map(handle_tuple)
    }

    #[pyo3(signature = (message_id, content, files=None))]
    fn edit(
        &self,
        py: Python<'_>,
        message_id: &str,
        content: &Bound<'_, PyAny>,
        files: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(String, String)> {
        let files = self::files(files)?;
        let content = self::content(content)?.map_err(|e| agent_err(py, &e))?;
        self.post(py, |t| t.edit(message_id, content, files)).map(handle_tuple)
    }

    fn delete(&self, py: Python<'_>, message_id: &str) -> PyResult<()> {
        self.post(py, |t| t.delete(message_id))
    }

    /// `stop`, or show the indicator with `status` (the platform's default when `None`).
    fn typing(&self, py: Python<'_>, status: Option<String>, stop: bool) -> PyResult<()> {
        let typing = if stop { Typing::Stop } else { Typing::On(status) };
        self.post(py, |t| t.typing(&typing))
    }

    #[pyo3(signature = (name, data=None))]
    fn emit(&self, py: Python<'_>, name: &str, data: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let data = data.map(from_py).transpose()?.unwrap_or(Value::Null);
        self.post(py, |t| t.emit(name, data))
    }

    /// Queues an approval request and posts its message: Novu's approval card, or `rendered` as a reply.
    #[pyo3(signature = (approval_id, tool_call_id, name, input, rendered))]
    fn request_approval(
        &self,
        py: Python<'_>,
        approval_id: &str,
        tool_call_id: &str,
        name: &str,
        input: Option<&Bound<'_, PyAny>>,
        rendered: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let input = object(input, "input")?;
        let card = if rendered.is_instance(imports(py)?.mapping.bind(py))? {
            Some(from_py(rendered)?).filter(Turn::is_approval_card)
        } else {
            None
        };
        let message = match card {
            Some(_) => None,
            None => Some(content(rendered)?.map_err(|e| agent_err(py, &e))?),
        };
        self.core.queue_tool_approval(approval_id, tool_call_id, name, input).map_err(|e| agent_err(py, &e))?;
        match (card, message) {
            (Some(card), _) => self.post(py, |t| t.reply_approval_card(card)).map(drop),
            (None, Some(message)) => self.post(py, |t| t.reply(message, Vec::new())).map(drop),
            (None, None) => Ok(()),
        }
    }
}

/// `(approve, deny)`: the action ids of an approval's buttons.
#[pyfunction]
pub fn approval_action_ids(approval_id: &str) -> (String, String) {
    (approval_action_id(true, approval_id), approval_action_id(false, approval_id))
}

/// Where a turn's machine runs: on a worker thread (posts inline) or on an event loop (posts offloaded).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Drive {
    Sync,
    Async,
}

/// A failure of the turn, as reported and as handed to `on_error`.
struct Failure {
    message: String,
    exception: Py<PyAny>,
}

/// Outbound work of the lifecycle, run with the GIL released.
enum Job {
    /// A framework-owned approval: show typing, delete the card.
    CleanUpCard(String),
    /// Deliver the handler's result, flush, `run-finish`; `Ok(Some)` is a `run-finish` failure to log.
    Complete(Option<Content>),
    ErrorReply(Content),
    Report {
        handled: bool,
        message: String,
    },
    Close,
}

type JobResult = Result<Option<AgentError>, AgentError>;

impl Job {
    fn run(self, turn: &Turn) -> JobResult {
        match self {
            Job::CleanUpCard(source) => {
                turn.typing(&Typing::On(None))?;
                if !source.is_empty() {
                    turn.delete(&source)?;
                }
                Ok(None)
            }
            Job::Complete(returned) => {
                turn.deliver(returned)?;
                turn.flush()?;
                Ok(turn.run_finish().err())
            }
            Job::ErrorReply(content) => turn.reply(content, Vec::new()).map(|_| None),
            Job::Report { handled: true, .. } => Ok(turn.run_finish().err()),
            Job::Report { handled: false, message } => Ok(turn.report_error(&message).err()),
            // A failing typing-stop or last flush is not reported, as upstream.
            Job::Close => {
                let _ = turn.close();
                Ok(None)
            }
        }
    }
}

/// A job handed to a worker thread by an async-driven turn; the machine reads its result when resumed.
#[pyclass(module = "novu_framework._native", frozen)]
pub struct IoJob {
    turn: Arc<Turn>,
    job: Mutex<Option<Job>>,
    result: Mutex<Option<JobResult>>,
}

#[pymethods]
impl IoJob {
    fn __call__(&self, py: Python<'_>) {
        let job = self.job.lock().ok().and_then(|mut j| j.take());
        if let Some(job) = job {
            let turn = &self.turn;
            let result = py.detach(|| job.run(turn));
            if let Ok(mut slot) = self.result.lock() {
                *slot = Some(result);
            }
        }
    }
}

/// A sync handler called on a worker thread for a turn driven from an event loop.
#[pyclass(module = "novu_framework._native", frozen)]
pub struct HandlerCall {
    context: Py<PyAny>,
    handler: &'static str,
    extra: Py<PyAny>,
}

#[pymethods]
impl HandlerCall {
    fn __call__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.context.bind(py).call_method1("_run", (self.handler, &self.extra)).map(Bound::unbind)
    }
}

enum Stage {
    Start,
    CleaningUp,
    CallHandler,
    Handler,
    Completing,
    Failed,
    OnError,
    ErrorReplying,
    Reporting,
    Closing,
    Done,
}

/// What calling a handler gave: its value, or an awaitable of it.
enum Called {
    Value(Py<PyAny>),
    Wait(Py<PyAny>),
}

/// Drives one turn (agents-protocol.md §7.2, §8): run-start, the handler, delivery, flush, run-finish; on
/// failure `on_error` and the error report; always typing-stop and a last flush.
struct TurnMachine {
    turn: Py<PyTurn>,
    core: Arc<Turn>,
    agent: Arc<AgentEntry>,
    call: Call,
    drive: Drive,
    stage: Stage,
    contexts: [Option<Py<PyAny>>; 2],
    io: Option<Py<IoJob>>,
    failure: Option<Failure>,
}

impl TurnMachine {
    fn new(turn: &Bound<'_, PyTurn>, drive: Drive) -> TurnMachine {
        let state = turn.get();
        TurnMachine {
            turn: turn.clone().unbind(),
            core: state.core.clone(),
            agent: state.agent.clone(),
            call: state.call.clone(),
            drive,
            stage: Stage::Start,
            contexts: [None, None],
            io: None,
            failure: None,
        }
    }

    fn prefix(&self) -> String {
        format!("[agent:{}]", self.agent.definition.id)
    }

    /// The context for a sync (`false`) or `async def` (`true`) handler, made once per turn.
    fn context(&mut self, py: Python<'_>, is_async: bool) -> PyResult<Py<PyAny>> {
        if let Some(ctx) = &self.contexts[usize::from(is_async)] {
            return Ok(ctx.clone_ref(py));
        }
        let i = imports(py)?;
        let class = if is_async { &i.async_context } else { &i.sync_context };
        let ctx = class.bind(py).call1((self.turn.clone_ref(py), self.agent.object.clone_ref(py)))?.unbind();
        self.contexts[usize::from(is_async)] = Some(ctx.clone_ref(py));
        Ok(ctx)
    }

    /// Calls a handler through its context's `_run`; a sync one goes to a worker thread when this turn is
    /// driven from an event loop.
    fn call_handler(
        &mut self,
        py: Python<'_>,
        handler: &'static str,
        is_async: bool,
        extra: Py<PyAny>,
    ) -> PyResult<Called> {
        let context = self.context(py, is_async)?;
        if self.drive == Drive::Async && !is_async {
            let call = Py::new(py, HandlerCall { context, handler, extra })?;
            return Ok(Called::Wait(imports(py)?.offload.bind(py).call1((call,))?.unbind()));
        }
        let result = context.bind(py).call_method1("_run", (handler, extra))?;
        Ok(if is_awaitable(&result) { Called::Wait(result.unbind()) } else { Called::Value(result.unbind()) })
    }

    /// Starts outbound work and moves to `then`: run inline (its result goes to `done`) or handed to a worker
    /// thread (the awaitable to wait for is returned).
    fn job(&mut self, py: Python<'_>, job: Job, then: Stage, done: &mut Option<JobResult>) -> PyResult<Option<Poll>> {
        self.stage = then;
        let turn = self.core.clone();
        match self.drive {
            Drive::Sync => {
                *done = Some(py.detach(|| job.run(&turn)));
                Ok(None)
            }
            Drive::Async => {
                let io = Py::new(py, IoJob { turn, job: Mutex::new(Some(job)), result: Mutex::new(None) })?;
                let awaitable = imports(py)?.offload.bind(py).call1((io.clone_ref(py),))?.unbind();
                self.io = Some(io);
                Ok(Some(Poll::Pending(awaitable)))
            }
        }
    }

    /// The result of the job this stage waited for.
    fn job_result(
        &mut self,
        py: Python<'_>,
        input: &mut Option<PyResult<Py<PyAny>>>,
        done: &mut Option<JobResult>,
    ) -> PyResult<JobResult> {
        if let Some(result) = done.take() {
            return Ok(result);
        }
        if let Some(Err(e)) = input.take() {
            if propagates(py, &e) {
                return Err(e);
            }
            return Ok(Err(AgentError::new(e.to_string())));
        }
        let io = self.io.take().ok_or_else(|| PyRuntimeError::new_err("agent turn resumed without its job"))?;
        let result = io.get().result.lock().ok().and_then(|mut r| r.take());
        result.ok_or_else(|| PyRuntimeError::new_err("agent turn job did not run"))
    }

    /// A failure raised in Python: kept as is when it is an `AgentError`, wrapped in one otherwise.
    fn fail_py(&mut self, py: Python<'_>, err: PyErr) -> PyResult<()> {
        let value = err.value(py);
        let i = imports(py)?;
        let (message, exception) = if value.is_instance(i.agent_error.bind(py))? {
            (value.getattr("message")?.str()?.to_string(), value.clone().into_any().unbind())
        } else {
            let text = value.str()?.to_string();
            let message = if text.is_empty() { value.get_type().name()?.to_string() } else { text };
            let kwargs = PyDict::new(py);
            kwargs.set_item("cause", value)?;
            (message.clone(), i.agent_error.bind(py).call((message,), Some(&kwargs))?.unbind())
        };
        log(py, &err, &format!("{} Turn failed ({}): {message}", self.prefix(), self.core.event()), true);
        self.failure = Some(Failure { message, exception });
        self.stage = Stage::Failed;
        Ok(())
    }

    fn fail(&mut self, py: Python<'_>, err: &AgentError) -> PyResult<()> {
        log_message(py, &format!("{} Turn failed ({}): {}", self.prefix(), self.core.event(), err.message));
        let exception = agent_exception(py, err)?.unbind();
        self.failure = Some(Failure { message: err.message.clone(), exception });
        self.stage = Stage::Failed;
        Ok(())
    }

    fn report(&mut self, py: Python<'_>, handled: bool, done: &mut Option<JobResult>) -> PyResult<Option<Poll>> {
        let message = self.failure.as_ref().map(|f| f.message.clone()).unwrap_or_default();
        self.job(py, Job::Report { handled, message }, Stage::Reporting, done)
    }

    fn log_error_handler_failure(&self, py: Python<'_>, what: &str) {
        log_message(py, &format!("{} onError failed: {what}", self.prefix()));
    }

    fn step(&mut self, py: Python<'_>, mut input: Option<PyResult<Py<PyAny>>>) -> PyResult<Poll> {
        let mut done: Option<JobResult> = None;
        loop {
            let waiting = match std::mem::replace(&mut self.stage, Stage::Done) {
                Stage::Start => {
                    self.core.begin();
                    match self.call.clone() {
                        Call::Unknown(e) => {
                            self.fail(py, &e)?;
                            None
                        }
                        Call::Skip => self.job(py, Job::Complete(None), Stage::Completing, &mut done)?,
                        Call::ToolApproval { clean_up_card: true, approval_message_id, .. } => {
                            self.job(py, Job::CleanUpCard(approval_message_id), Stage::CleaningUp, &mut done)?
                        }
                        _ => {
                            self.stage = Stage::CallHandler;
                            None
                        }
                    }
                }
                Stage::CleaningUp => {
                    match self.job_result(py, &mut input, &mut done)? {
                        Ok(_) => self.stage = Stage::CallHandler,
                        Err(e) => self.fail(py, &e)?,
                    }
                    None
                }
                Stage::CallHandler => {
                    let a = self.agent.asyncs;
                    let (handler, is_async, extra) = match &self.call {
                        Call::Message => ("message", a.message, py.None()),
                        Call::Action => ("action", a.action, py.None()),
                        Call::Reaction => ("reaction", a.reaction, py.None()),
                        Call::Resolve => ("resolve", a.resolve, py.None()),
                        Call::ToolApproval { tool_call, approved, approval_message_id, .. } => {
                            let call = to_py(py, &Value::Object(tool_call.clone()))?;
                            let extra = PyTuple::new(
                                py,
                                [
                                    call,
                                    approved.into_pyobject(py)?.to_owned().into_any(),
                                    PyString::new(py, approval_message_id).into_any(),
                                ],
                            )?;
                            ("tool_approval", a.tool_approval, extra.into_any().unbind())
                        }
                        Call::Skip | Call::Unknown(_) => return Err(PyRuntimeError::new_err("no handler to call")),
                    };
                    self.stage = Stage::Handler;
                    match self.call_handler(py, handler, is_async, extra) {
                        Ok(Called::Wait(awaitable)) => Some(Poll::Pending(awaitable)),
                        Ok(Called::Value(value)) => {
                            input = Some(Ok(value));
                            None
                        }
                        Err(e) => {
                            input = Some(Err(e));
                            None
                        }
                    }
                }
                Stage::Handler => match input.take().unwrap_or_else(|| Ok(py.None())) {
                    Err(e) if propagates(py, &e) => return Err(e),
                    Err(e) => {
                        self.fail_py(py, e)?;
                        None
                    }
                    Ok(value) if is_awaitable(value.bind(py)) => {
                        self.stage = Stage::Handler;
                        Some(Poll::Pending(value))
                    }
                    Ok(value) => match returned(value.bind(py)) {
                        Err(e) => {
                            self.fail_py(py, e)?;
                            None
                        }
                        Ok(Err(e)) => {
                            self.fail(py, &e)?;
                            None
                        }
                        Ok(Ok(content)) => self.job(py, Job::Complete(content), Stage::Completing, &mut done)?,
                    },
                },
                Stage::Completing => match self.job_result(py, &mut input, &mut done)? {
                    Ok(finish_failed) => {
                        if let Some(e) = finish_failed {
                            log_message(py, &format!("{} Failed to emit run finish: {}", self.prefix(), e.message));
                        }
                        self.job(py, Job::Close, Stage::Closing, &mut done)?
                    }
                    Err(e) => {
                        self.fail(py, &e)?;
                        None
                    }
                },
                Stage::Failed => {
                    if self.agent.definition.handlers.on_error {
                        let exception = match &self.failure {
                            Some(f) => f.exception.clone_ref(py),
                            None => py.None(),
                        };
                        self.stage = Stage::OnError;
                        match self.call_handler(py, "error", self.agent.asyncs.error, exception) {
                            Ok(Called::Wait(awaitable)) => Some(Poll::Pending(awaitable)),
                            Ok(Called::Value(value)) => {
                                input = Some(Ok(value));
                                None
                            }
                            Err(e) => {
                                input = Some(Err(e));
                                None
                            }
                        }
                    } else {
                        self.report(py, false, &mut done)?
                    }
                }
                Stage::OnError => match input.take().unwrap_or_else(|| Ok(py.None())) {
                    Err(e) if propagates(py, &e) => return Err(e),
                    Err(e) => {
                        log(py, &e, &format!("{} onError failed", self.prefix()), true);
                        self.report(py, false, &mut done)?
                    }
                    Ok(value) if is_awaitable(value.bind(py)) => {
                        self.stage = Stage::OnError;
                        Some(Poll::Pending(value))
                    }
                    Ok(value) => {
                        let value = value.bind(py);
                        let reply = if value.is_instance_of::<PyString>()
                            || value.is_instance(imports(py)?.mapping.bind(py))?
                        {
                            from_py(value).map(|v| ErrorReply::of(&v)).unwrap_or(ErrorReply::Unhandled)
                        } else {
                            ErrorReply::Unhandled
                        };
                        match reply {
                            ErrorReply::Suppress => self.report(py, true, &mut done)?,
                            ErrorReply::Unhandled => self.report(py, false, &mut done)?,
                            ErrorReply::Reply(v) => match Content::from_value(v) {
                                Ok(content) => {
                                    self.job(py, Job::ErrorReply(content), Stage::ErrorReplying, &mut done)?
                                }
                                Err(e) => {
                                    self.log_error_handler_failure(py, &e.message);
                                    self.report(py, false, &mut done)?
                                }
                            },
                        }
                    }
                },
                Stage::ErrorReplying => match self.job_result(py, &mut input, &mut done)? {
                    Ok(_) => self.report(py, true, &mut done)?,
                    Err(e) => {
                        self.log_error_handler_failure(py, &e.message);
                        self.report(py, false, &mut done)?
                    }
                },
                Stage::Reporting => {
                    match self.job_result(py, &mut input, &mut done)? {
                        Ok(Some(e)) | Err(e) => log_message(
                            py,
                            &format!("{} Failed to report the turn's outcome: {}", self.prefix(), e.message),
                        ),
                        Ok(None) => {}
                    }
                    self.job(py, Job::Close, Stage::Closing, &mut done)?
                }
                Stage::Closing => {
                    let _ = self.job_result(py, &mut input, &mut done)?;
                    return Ok(Poll::Ready(Ok(py.None())));
                }
                Stage::Done => return Ok(Poll::Ready(Ok(py.None()))),
            };
            if let Some(poll) = waiting {
                return Ok(poll);
            }
        }
    }
}

impl Machine for TurnMachine {
    fn advance(&mut self, py: Python<'_>, input: Option<PyResult<Py<PyAny>>>) -> Poll {
        match self.step(py, input) {
            Ok(poll) => poll,
            Err(e) if propagates(py, &e) => Poll::Ready(Err(e)),
            Err(e) => {
                // A failure of this machinery (not of user code): log it, never raise into the server.
                log(py, &e, &format!("{} the agent turn failed in novu_framework", self.prefix()), true);
                self.stage = Stage::Done;
                Poll::Ready(Ok(py.None()))
            }
        }
    }
}

impl Drop for TurnMachine {
    /// Finished, failed or cancelled, the turn is over.
    fn drop(&mut self) {
        self.turn.get().settle();
    }
}

impl Drop for PyTurn {
    fn drop(&mut self) {
        self.settle();
    }
}
