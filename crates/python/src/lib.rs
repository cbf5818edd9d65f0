//! `novu_framework._native`: the Rust core exposed to the Python package. Private: the public API is the
//! `novu_framework` package, which wraps these objects.

// The core's `Result<_, FrameworkError>` is large; errors are the cold path (see the core crate).
#![allow(clippy::result_large_err)]

use pyo3::prelude::*;

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
/// `(secret_key, strict_authentication, api_url, secret_key_fallback)`.
#[pyfunction]
#[pyo3(signature = (secret_key=None, strict_authentication=None, api_url=None, secret_key_fallback=None))]
fn resolve_client(
    secret_key: Option<String>,
    strict_authentication: Option<bool>,
    api_url: Option<String>,
    secret_key_fallback: Option<String>,
) -> (String, bool, String, String) {
    let s = novu_framework_core::config::resolve(secret_key, strict_authentication, api_url)
        .with_secret_key_fallback(secret_key_fallback);
    (s.secret_key, s.strict_authentication, s.api_url, s.secret_key_fallback)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SDK_VERSION", novu_framework_core::dispatch::SDK_VERSION)?;
    m.add("Halt", m.py().get_type::<errors::Halt>())?;
    m.add_class::<bridge::NativeBridge>()?;
    m.add_class::<bridge::Job>()?;
    m.add_class::<driver::NativeFuture>()?;
    m.add_class::<step::PyStep>()?;
    m.add_class::<workflow::WorkflowHandle>()?;
    m.add_function(wrap_pyfunction!(workflow::define_workflow, m)?)?;
    m.add_function(wrap_pyfunction!(workflow::discover_text, m)?)?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(resolve_client, m)?)?;
    m.add_function(wrap_pyfunction!(api::cancel_trigger, m)?)?;
    m.add_function(wrap_pyfunction!(api::sync_bridge, m)?)?;
    Ok(())
}
