//! Calls to the Novu API from Python: trigger, cancel and sync. The HTTP work runs in Rust with the GIL
//! released; failures become `novu_framework.errors.NovuApiError` (or its timeout/connection subclasses).

use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;
use serde_json::Value;

use novu_framework_core::novu_api::{ApiClient, ApiError, ApiResponse, CallPolicy};
use novu_framework_core::trigger::{self, PreparedTrigger, TriggerEvent};

use crate::convert::{from_py, to_py};
use crate::errors::framework_error;
use crate::workflow::WorkflowHandle;

/// Connection settings of one call.
fn client(api_url: &str, secret_key: &str, timeout: f64, retries: u32, backoff: f64) -> PyResult<ApiClient> {
    if !(timeout.is_finite() && timeout > 0.0) {
        return Err(PyValueError::new_err("timeout must be a positive number of seconds"));
    }
    if !(backoff.is_finite() && backoff >= 0.0) {
        return Err(PyValueError::new_err("backoff must be 0 or more seconds"));
    }
    let policy =
        CallPolicy { timeout: Duration::from_secs_f64(timeout), retries, backoff: Duration::from_secs_f64(backoff) };
    Ok(ApiClient::new(api_url, secret_key, policy))
}

fn api_error_class(py: Python<'_>) -> PyResult<&Py<PyAny>> {
    static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    FACTORY.get_or_try_init(py, || py.import("novu_framework.errors")?.getattr("_api_error").map(Bound::unbind))
}

/// `NovuApiError` (kind `"status"`), `NovuApiTimeoutError` (`"timeout"`) or `NovuApiConnectionError`.
fn raise(
    py: Python<'_>,
    kind: &str,
    message: String,
    status: Option<u16>,
    transaction_id: Option<&str>,
    response: Option<&Value>,
    url: &str,
) -> PyErr {
    let built = (|| -> PyResult<PyErr> {
        let response = match response {
            Some(v) => to_py(py, v)?,
            None => py.None().into_bound(py),
        };
        let exc = api_error_class(py)?.bind(py).call1((kind, message, status, transaction_id, response, url))?;
        Ok(PyErr::from_value(exc))
    })();
    built.unwrap_or_else(|e| e)
}

/// The answer's JSON, or an error naming what went wrong; `what` says which call it was.
fn settle(
    py: Python<'_>,
    result: Result<ApiResponse, ApiError>,
    url: &str,
    transaction_id: Option<&str>,
    what: &str,
) -> PyResult<(u16, Value)> {
    match result {
        Ok(r) if r.is_success() => Ok((r.status, r.json().unwrap_or(Value::Null))),
        Ok(r) => {
            let message = format!("{what} failed: the Novu API answered {}: {}", r.status, r.message());
            Err(raise(py, "status", message, Some(r.status), transaction_id, r.json().as_ref(), url))
        }
        Err(e) => {
            let kind = if matches!(e, ApiError::Timeout { .. }) { "timeout" } else { "connection" };
            Err(raise(py, kind, format!("{what} failed: {e}"), None, transaction_id, None, url))
        }
    }
}

/// Triggers a workflow on Novu: validates the payload, sends `POST /v1/events/trigger` and returns
/// `(status, answer, transaction_id)`.
#[allow(clippy::too_many_arguments)]
pub fn trigger_workflow<'py>(
    py: Python<'py>,
    handle: &WorkflowHandle,
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
) -> PyResult<Bound<'py, PyTuple>> {
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
    let prepared: PreparedTrigger =
        trigger::prepare(&handle.entry.definition, event).map_err(|e| framework_error(py, &e))?;
    let api = client(api_url, secret_key, timeout, retries, backoff)?;
    let url = api.url("/events/trigger");
    let result = py.detach(|| trigger::send(&api, &prepared));
    let (status, answer) = settle(py, result, &url, Some(&prepared.transaction_id), "Trigger")?;
    let id = trigger::answered_transaction_id(&answer).unwrap_or_else(|| prepared.transaction_id.clone());
    PyTuple::new(py, [status.into_pyobject(py)?.into_any(), to_py(py, &answer)?, id.into_pyobject(py)?.into_any()])
}

/// `DELETE /v1/events/trigger/<transaction_id>`; returns the API's JSON answer.
#[pyfunction]
#[pyo3(signature = (transaction_id, *, api_url, secret_key, timeout, retries, backoff))]
pub fn cancel_trigger<'py>(
    py: Python<'py>,
    transaction_id: &str,
    api_url: &str,
    secret_key: &str,
    timeout: f64,
    retries: u32,
    backoff: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let api = client(api_url, secret_key, timeout, retries, backoff)?;
    let url = api.url(&trigger::cancel_path(transaction_id));
    let result = py.detach(|| trigger::cancel(&api, transaction_id));
    let (_, answer) = settle(py, result, &url, Some(transaction_id), "Cancel")?;
    to_py(py, &answer)
}

/// `POST /v1/bridge/sync?source=<source>` with the bridge URL; returns the API's JSON answer.
#[pyfunction]
#[pyo3(signature = (bridge_url, *, api_url, secret_key, timeout, retries, backoff, source="cli"))]
#[allow(clippy::too_many_arguments)]
pub fn sync_bridge<'py>(
    py: Python<'py>,
    bridge_url: &str,
    api_url: &str,
    secret_key: &str,
    timeout: f64,
    retries: u32,
    backoff: f64,
    source: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let api = client(api_url, secret_key, timeout, retries, backoff)?;
    let url = api.url(&trigger::sync_path(source));
    let result = py.detach(|| trigger::sync(&api, bridge_url, source));
    let (_, answer) = settle(py, result, &url, None, "Sync")?;
    to_py(py, &answer)
}
