//! Calls to the Novu API from Python: trigger, cancel and sync. The HTTP work runs in Rust with the GIL
//! released; failures become `novu_framework.errors.NovuApiError` (or its timeout/connection subclasses).

use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use serde_json::Value;

use novu_framework_core::novu_api::{ApiClient, ApiError, ApiResponse, CallPolicy};
use novu_framework_core::trigger;

use crate::convert::to_py;

/// Connection settings of one call.
pub(crate) fn client(api_url: &str, secret_key: &str, timeout: f64, retries: u32, backoff: f64) -> PyResult<ApiClient> {
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
pub(crate) fn settle(
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
