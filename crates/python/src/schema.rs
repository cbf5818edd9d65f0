//! Schemas and source text from Python objects: JSON Schema dicts as they are, pydantic models through
//! `model_json_schema()` (pydantic is imported only when a model is given), and `inspect.getsource` for
//! the `code` fields of discover. All of it runs at definition time only.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::convert::from_py;

/// A schema given by the user, as JSON Schema.
pub struct SchemaInput {
    pub json: Value,
}

impl SchemaInput {
    pub fn from_py(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<SchemaInput> {
        if obj.is_instance_of::<PyDict>() {
            return Ok(SchemaInput { json: from_py(obj)? });
        }
        if obj.hasattr("model_json_schema")? {
            let json = helper(obj.py(), "json_schema")?.call1((obj,))?;
            return Ok(SchemaInput { json: from_py(&json)? });
        }
        Err(PyTypeError::new_err(format!(
            "{what} must be a JSON Schema dict or a pydantic model class, not {}",
            obj.get_type().name()?
        )))
    }
}

/// `model.model_validate(data)`: the controls a resolver receives when its schema is a model.
pub fn model_instance<'py>(model: &Bound<'py, PyAny>, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    model.call_method1(pyo3::intern!(model.py(), "model_validate"), (data,))
}

/// The source text of a function (or a readable text for anything else), for discover's `code` fields.
pub fn source_text(py: Python<'_>, obj: &Bound<'_, PyAny>) -> String {
    helper(py, "source_text")
        .and_then(|f| f.call1((obj,)))
        .and_then(|s| s.extract::<String>())
        .unwrap_or_else(|_| "<source unavailable>".to_string())
}

fn helper<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let module = MODULE.get_or_try_init(py, || py.import("novu_framework._callables").map(Bound::unbind))?;
    module.bind(py).getattr(name)
}
