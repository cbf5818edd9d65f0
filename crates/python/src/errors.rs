//! Errors across the boundary: framework errors become the public exception classes of
//! `novu_framework.errors`; exceptions raised by user code become the core's `UserError` (the request's
//! log record carries their traceback; the response never does under strict authentication).

use pyo3::exceptions::{PyBaseException, PyException, PyKeyError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyInt};

use novu_framework_core::dispatch::{RequestInfo, Response};
use novu_framework_core::error::{ErrorCode, FrameworkError, PassThrough, UserError};
use novu_framework_core::workflow::DefinitionError;

use crate::convert::{from_py, to_py};

pyo3::create_exception!(
    _native,
    Halt,
    PyBaseException,
    "Stops a workflow function once its target step has run. Derives from BaseException so that `except \
     Exception` in user code does not swallow it."
);

struct Modules {
    errors: Py<PyModule>,
    logger: Py<PyAny>,
    traceback: Py<PyModule>,
}

fn modules(py: Python<'_>) -> PyResult<&Modules> {
    static MODULES: PyOnceLock<Modules> = PyOnceLock::new();
    MODULES.get_or_try_init(py, || {
        Ok(Modules {
            errors: py.import("novu_framework.errors")?.unbind(),
            logger: py.import("logging")?.call_method1("getLogger", ("novu_framework",))?.unbind(),
            traceback: py.import("traceback")?.unbind(),
        })
    })
}

/// The public exception for a framework error (`novu_framework.errors.<Code>`), with `code`, `status`,
/// `message` and `data` attributes.
pub fn framework_error(py: Python<'_>, e: &FrameworkError) -> PyErr {
    let built = (|| -> PyResult<PyErr> {
        let data = match &e.data {
            Some(d) => to_py(py, d)?,
            None => py.None().into_bound(py),
        };
        let code = e.code_text.clone().unwrap_or_else(|| e.code.as_str().to_string());
        let errors = modules(py)?.errors.bind(py);
        let exc = errors.getattr("_from_native")?.call1((code, &e.message, e.status(), data, e.detail()))?;
        Ok(PyErr::from_value(exc))
    })();
    built.unwrap_or_else(|err| err)
}

/// A definition mistake as `InvalidWorkflowError` (or the code's own class for duplicate ids).
pub fn definition_error(py: Python<'_>, e: &DefinitionError) -> PyErr {
    let code = e.code.unwrap_or(ErrorCode::BridgeError);
    let mut fe = FrameworkError::new(code, e.message.clone(), None);
    if e.code.is_none() {
        fe.code_text = Some("InvalidWorkflowError".into());
    }
    framework_error(py, &fe)
}

pub fn is_halt(py: Python<'_>, err: &PyErr) -> bool {
    err.is_instance_of::<Halt>(py)
}

/// True for a `BaseException` that is not a failure of user code (`Halt`, task cancellation,
/// `KeyboardInterrupt`, `SystemExit`): it goes up unchanged. A PyO3 panic also derives from
/// `BaseException` but is a bug, answered like any other failure.
pub fn propagates(py: Python<'_>, err: &PyErr) -> bool {
    !err.is_instance_of::<PyException>(py) && !err.is_instance_of::<pyo3::panic::PanicException>(py)
}

/// What user code raised, for the core. Framework errors keep their code; exceptions with an integer
/// `status_code` (or `statusCode`) between 400 and 499 keep their status (spec §4.3); anything else is an
/// exception with its message and, when `expose_stack`, its traceback.
pub fn user_error(py: Python<'_>, err: &PyErr, expose_stack: bool) -> UserError {
    let value = err.value(py);
    if let Some(e) = native_framework_error(py, value) {
        return UserError::Framework(Box::new(e));
    }
    if let Some(status) = pass_through_status(value) {
        let message = value
            .getattr_opt("message")
            .ok()
            .flatten()
            .or_else(|| value.getattr_opt("detail").ok().flatten())
            .filter(|m| !m.is_none())
            .and_then(|m| m.str().ok().map(|s| s.to_string()))
            .or_else(|| value.str().ok().map(|s| s.to_string()).filter(|s| !s.is_empty()));
        let data = value.getattr_opt("data").ok().flatten().filter(|d| !d.is_none()).and_then(|d| from_py(&d).ok());
        let code = value
            .getattr_opt("code")
            .ok()
            .flatten()
            .filter(|c| !c.is_none())
            .and_then(|c| c.str().ok().map(|s| s.to_string()));
        return UserError::PassThrough(Box::new(PassThrough { status, message, data, code }));
    }
    let message = value
        .str()
        .map(|s| s.to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| value.get_type().name().map(|n| n.to_string()).unwrap_or_default());
    // A KeyError's text is only the missing key (`'name'`): say what happened.
    let message = if value.is_instance_of::<PyKeyError>() { format!("KeyError: {message}") } else { message };
    let stack = if expose_stack { traceback_text(py, err) } else { None };
    UserError::Exception { message, stack }
}

fn pass_through_status(value: &Bound<'_, PyAny>) -> Option<u16> {
    for attr in ["status_code", "statusCode"] {
        if let Ok(Some(v)) = value.getattr_opt(attr)
            && v.is_instance_of::<PyInt>()
            && let Ok(status) = v.extract::<u16>()
            && (400..500).contains(&status)
        {
            return Some(status);
        }
    }
    None
}

/// A `novu_framework.errors.NovuError` raised from user code (typically a step call failing inside it).
fn native_framework_error(py: Python<'_>, value: &Bound<'_, PyAny>) -> Option<FrameworkError> {
    let base = modules(py).ok()?.errors.bind(py).getattr("NovuError").ok()?;
    if !value.is_instance(&base).ok()? {
        return None;
    }
    let code_text: String = value.getattr("code").ok()?.extract().ok()?;
    let message: String = value.getattr("message").ok()?.extract().ok()?;
    let status: u16 = value.getattr("status").ok()?.extract().ok()?;
    let data = value.getattr("data").ok().filter(|d| !d.is_none()).and_then(|d| from_py(&d).ok());
    let mut e = match ErrorCode::from_name(&code_text) {
        Some(code) => FrameworkError::new(code, message, data),
        None => FrameworkError::pass_through(status, Some(message), data, Some(code_text)),
    };
    if e.code.status() != status {
        e.status = Some(status);
    }
    Some(e)
}

/// `(type, value, traceback)`: PyO3 keeps the traceback beside the exception rather than on it.
fn exc_info<'py>(py: Python<'py>, err: &PyErr) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
    let tb = match err.traceback(py) {
        Some(tb) => tb.into_any(),
        None => py.None().into_bound(py),
    };
    pyo3::types::PyTuple::new(py, [err.get_type(py).into_any(), err.value(py).clone().into_any(), tb])
}

fn traceback_text(py: Python<'_>, err: &PyErr) -> Option<String> {
    let args = exc_info(py, err).ok()?;
    let lines = modules(py).ok()?.traceback.bind(py).call_method1("format_exception", args).ok()?;
    let parts: Vec<String> = lines.extract().ok()?;
    Some(parts.concat())
}

/// One request's log record on the `novu_framework` logger: DEBUG for an answer below 400, WARNING for
/// 4xx, ERROR for 5xx (with the traceback of `failure`, the exception user code raised, when there is one),
/// with `extra` fields `action`, `workflow_id`, `step_id`, `status` and `duration_ms`. The message names
/// the request and the error; it never holds a header (so never a signature) or the secret key.
pub fn log_request(
    py: Python<'_>,
    method: &str,
    info: &RequestInfo,
    response: &Response,
    ms: f64,
    failure: Option<&PyErr>,
) {
    let level = match response.status {
        ..400 => 10,
        400..500 => 30,
        _ => 40,
    };
    let Ok(m) = modules(py) else { return };
    let logger = m.logger.bind(py);
    // Logging must never turn into a second failure.
    if !logger.call_method1(pyo3::intern!(py, "isEnabledFor"), (level,)).and_then(|b| b.is_truthy()).unwrap_or(false) {
        return;
    }
    let _ = (|| -> PyResult<()> {
        let mut message = format!("{method} {}", info.action);
        if let Some(workflow_id) = &info.workflow_id {
            message.push(' ');
            message.push_str(workflow_id);
            if let Some(step_id) = &info.step_id {
                message.push('/');
                message.push_str(step_id);
            }
        }
        message.push_str(&format!(": {}", response.status));
        let summary = response.error_summary();
        if let Some((code, _)) = summary.as_ref().filter(|(code, _)| !code.is_empty()) {
            message.push_str(&format!(" {code}"));
        }
        message.push_str(&format!(" in {ms:.1} ms"));
        if let Some((_, text)) = summary.as_ref().filter(|(_, text)| !text.is_empty()) {
            message.push_str(&format!(": {text}"));
        }
        // Ids and messages come from the request: no line breaks or other control characters in a log line.
        let message: String = message
            .chars()
            .flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] })
            .collect();
        let extra = PyDict::new(py);
        extra.set_item("action", &info.action)?;
        extra.set_item("workflow_id", &info.workflow_id)?;
        extra.set_item("step_id", &info.step_id)?;
        extra.set_item("status", response.status)?;
        extra.set_item("duration_ms", ms)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("extra", extra)?;
        if let Some(err) = failure.filter(|_| level == 40) {
            kwargs.set_item("exc_info", exc_info(py, err)?)?;
        }
        logger.call_method("log", (level, "%s", message), Some(&kwargs))?;
        Ok(())
    })();
}

/// Logs an exception with its traceback on the `novu_framework` logger (agent turns, which run after their
/// request's record).
pub fn log(py: Python<'_>, err: &PyErr, context: &str, as_error: bool) {
    let Ok(m) = modules(py) else { return };
    let kwargs = PyDict::new(py);
    let Ok(info) = exc_info(py, err) else { return };
    if kwargs.set_item("exc_info", info).is_err() {
        return;
    }
    let level = if as_error { "error" } else { "warning" };
    // Logging must never turn into a second failure.
    let _ = m.logger.bind(py).call_method(level, ("%s", context), Some(&kwargs));
}

/// Logs a message at error level on the `novu_framework` logger.
pub fn log_message(py: Python<'_>, message: &str) {
    if let Ok(m) = modules(py) {
        let _ = m.logger.bind(py).call_method1("error", ("%s", message));
    }
}
