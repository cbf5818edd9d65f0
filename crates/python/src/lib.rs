//! `novu_framework._native`: the Rust core exposed to the Python package. Private: the public API is the
//! `novu_framework` package, which wraps these objects.

// The core's `Result<_, FrameworkError>` is large; errors are the cold path (see the core crate).
#![allow(clippy::result_large_err)]

use pyo3::prelude::*;

mod agents;
mod api;
mod bridge;
mod convert;
mod driver;
mod errors;
mod schema;
mod step;
mod workflow;

/// Signs `payload` as the Novu platform does: `t=<t_ms>,v1=<hex HMAC-SHA256(secret, "<t_ms>.<payload>")>`.
#[pyfunction]
fn sign(secret_key: &str, payload: &[u8], timestamp_ms: i64) -> PyResult<String> {
    novu_framework_core::hmac::Signer::new(secret_key)
        .header(timestamp_ms, payload)
        .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("secret_key must not be empty"))
}

/// Resolves client settings with their environment fallbacks:
/// `(secret_key, strict_authentication, api_url, secret_key_fallback)`. `strict_authentication` may be text,
/// read as the environment variable is (a framework's settings).
#[pyfunction]
#[pyo3(signature = (secret_key=None, strict_authentication=None, api_url=None, secret_key_fallback=None))]
fn resolve_client(
    secret_key: Option<String>,
    strict_authentication: Option<&Bound<'_, PyAny>>,
    api_url: Option<String>,
    secret_key_fallback: Option<String>,
) -> PyResult<(String, bool, String, String)> {
    let strict = match strict_authentication.filter(|v| !v.is_none()) {
        None => None,
        Some(v) if v.is_instance_of::<pyo3::types::PyString>() => {
            Some(novu_framework_core::config::strict_from_text(&v.extract::<String>()?))
        }
        Some(v) => Some(v.extract::<bool>().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err("strict_authentication must be a bool or a string such as \"false\"")
        })?),
    };
    let s =
        novu_framework_core::config::resolve(secret_key, strict, api_url).with_secret_key_fallback(secret_key_fallback);
    Ok((s.secret_key, s.strict_authentication, s.api_url, s.secret_key_fallback))
}

/// A Python value as JSON bytes, converted as step outputs are (pydantic models, dates, enums...).
#[pyfunction]
fn to_json<'py>(py: Python<'py>, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
    let value = convert::from_py(value)?;
    Ok(pyo3::types::PyBytes::new(py, novu_framework_core::json::stringify(&value).as_bytes()))
}

/// The OpenAPI operations of the bridge route and the local run route (see the core's `openapi`).
#[pyfunction]
fn openapi_operations(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    convert::to_py(py, &novu_framework_core::openapi::operations())
}

/// The exception for an error answer of the bridge route (`{message, code, data}`; the local route's
/// `{detail, code}` works too), as `workflow.run()` raises it.
#[pyfunction]
fn error_from_answer(py: Python<'_>, status: u16, body: &[u8]) -> PyErr {
    let answer = novu_framework_core::json::parse(body).unwrap_or(serde_json::Value::Null);
    let text = |key: &str| answer.get(key).and_then(serde_json::Value::as_str).map(str::to_string);
    let code_text = text("code").unwrap_or_else(|| "BridgeError".into());
    let message = text("message").or_else(|| text("detail")).unwrap_or_default();
    let data = answer.get("data").cloned();
    let mut e = match novu_framework_core::error::ErrorCode::from_name(&code_text) {
        Some(code) => novu_framework_core::error::FrameworkError::new(code, message, data),
        None => novu_framework_core::error::FrameworkError::pass_through(status, Some(message), data, Some(code_text)),
    };
    e.status = Some(status);
    errors::framework_error(py, &e)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SDK_VERSION", novu_framework_core::dispatch::SDK_VERSION)?;
    m.add("Halt", m.py().get_type::<errors::Halt>())?;
    m.add_class::<bridge::NativeBridge>()?;
    m.add_class::<bridge::Job>()?;
    m.add_class::<agents::PyTurn>()?;
    m.add_function(wrap_pyfunction!(agents::approval_action_ids, m)?)?;
    m.add_function(wrap_pyfunction!(agents::turns_pending, m)?)?;
    m.add_class::<driver::NativeFuture>()?;
    m.add_class::<step::PyStep>()?;
    m.add_class::<workflow::WorkflowHandle>()?;
    m.add_function(wrap_pyfunction!(workflow::define_workflow, m)?)?;
    m.add_function(wrap_pyfunction!(workflow::discover_text, m)?)?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(resolve_client, m)?)?;
    m.add_function(wrap_pyfunction!(to_json, m)?)?;
    m.add_function(wrap_pyfunction!(openapi_operations, m)?)?;
    m.add_function(wrap_pyfunction!(error_from_answer, m)?)?;
    m.add_function(wrap_pyfunction!(api::cancel_trigger, m)?)?;
    m.add_function(wrap_pyfunction!(api::sync_bridge, m)?)?;
    Ok(())
}
