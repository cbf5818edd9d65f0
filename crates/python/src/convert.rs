//! JSON values to Python objects and back, keeping key order. Written by hand: it is on every request,
//! and exact-type checks make the common shapes (dict, list, str, int) cheap.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use novu_framework_core::json::{MAX_DEPTH, number_from_f64};

/// A JSON value as a new Python object (dicts, lists, str, int, float, bool, None).
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => number_to_py(py, n)?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

fn number_to_py<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    if let Some(i) = n.as_i64() {
        Ok(i.into_pyobject(py)?.into_any())
    } else if let Some(u) = n.as_u64() {
        Ok(u.into_pyobject(py)?.into_any())
    } else {
        Ok(PyFloat::new(py, n.as_f64().unwrap_or(0.0)).into_any())
    }
}

/// A Python object as JSON. Besides the JSON types it takes tuples, any mapping, pydantic models
/// (`model_dump(mode="json")`), enums (their value) and dates/times (ISO text); anything else is a
/// `TypeError` naming where in the object it was found.
pub fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let mut path = String::new();
    convert(obj, &mut path, 0)
}

fn convert(obj: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyTypeError::new_err(format!(
            "value at `{}` is nested deeper than {MAX_DEPTH} levels (or refers to itself)",
            display_path(path)
        )));
    }
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = key_text(&k, path)?;
            let len = path.len();
            path.push('/');
            path.push_str(&key);
            let value = convert(&v, path, depth + 1)?;
            path.truncate(len);
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast_exact::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        let f: f64 = obj.extract()?;
        return Ok(float_value(f));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(float_value(f.value()));
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(list) = obj.cast::<PyList>() {
        return sequence(list.iter(), list.len(), path, depth);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return sequence(tuple.iter(), tuple.len(), path, depth);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    let py = obj.py();
    if let Some(dump) = obj.getattr_opt("model_dump")? {
        let kwargs = PyDict::new(py);
        kwargs.set_item("mode", "json")?;
        kwargs.set_item("by_alias", true)?;
        return convert(&dump.call((), Some(&kwargs))?, path, depth + 1);
    }
    let helpers = helpers(py)?;
    if obj.is_instance(&helpers.mapping)? {
        let dict = PyDict::new(py);
        dict.update(obj.cast()?)?;
        return convert(dict.as_any(), path, depth);
    }
    if obj.is_instance(&helpers.enum_type)? {
        return convert(&obj.getattr("value")?, path, depth + 1);
    }
    if let Some(isoformat) = obj.getattr_opt("isoformat")? {
        return convert(&isoformat.call0()?, path, depth + 1);
    }
    if obj.is_instance(&helpers.sequence)? && !obj.is_instance_of::<pyo3::types::PyBytes>() {
        let items: Vec<Bound<'_, PyAny>> = obj.try_iter()?.collect::<PyResult<_>>()?;
        let len = items.len();
        return sequence(items.into_iter(), len, path, depth);
    }
    Err(PyTypeError::new_err(format!(
        "value at `{}` is a {}, which is not JSON (use dicts, lists, strings, numbers, booleans, None or pydantic models)",
        display_path(path),
        obj.get_type().name()?
    )))
}

fn sequence<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    len: usize,
    path: &mut String,
    depth: usize,
) -> PyResult<Value> {
    let mut out = Vec::with_capacity(len);
    for (i, item) in items.enumerate() {
        let mark = path.len();
        path.push('/');
        path.push_str(&i.to_string());
        out.push(convert(&item, path, depth + 1)?);
        path.truncate(mark);
    }
    Ok(Value::Array(out))
}

/// JSON has no NaN or infinity; they become `null` as `JSON.stringify` writes them.
fn float_value(f: f64) -> Value {
    number_from_f64(f).map(Value::Number).unwrap_or(Value::Null)
}

/// Object keys as Python's `json` module writes them: strings as they are, numbers, booleans and None
/// as their JSON text.
fn key_text(key: &Bound<'_, PyAny>, path: &str) -> PyResult<String> {
    if let Ok(s) = key.cast::<PyString>() {
        return Ok(s.to_str()?.to_owned());
    }
    if key.is_none() {
        return Ok("null".into());
    }
    if let Ok(b) = key.cast::<PyBool>() {
        return Ok(if b.is_true() { "true" } else { "false" }.into());
    }
    if key.is_instance_of::<PyInt>() || key.is_instance_of::<PyFloat>() {
        return Ok(key.str()?.to_str()?.to_owned());
    }
    Err(PyTypeError::new_err(format!(
        "a key of the object at `{}` is a {}; JSON object keys must be strings",
        display_path(path),
        key.get_type().name()?
    )))
}

fn display_path(path: &str) -> &str {
    if path.is_empty() { "/" } else { path }
}

struct Helpers {
    mapping: Py<PyAny>,
    sequence: Py<PyAny>,
    enum_type: Py<PyAny>,
}

struct BoundHelpers<'py> {
    mapping: Bound<'py, PyAny>,
    sequence: Bound<'py, PyAny>,
    enum_type: Bound<'py, PyAny>,
}

fn helpers(py: Python<'_>) -> PyResult<BoundHelpers<'_>> {
    static HELPERS: PyOnceLock<Helpers> = PyOnceLock::new();
    let h = HELPERS.get_or_try_init(py, || -> PyResult<Helpers> {
        let abc = py.import("collections.abc")?;
        Ok(Helpers {
            mapping: abc.getattr("Mapping")?.unbind(),
            sequence: abc.getattr("Sequence")?.unbind(),
            enum_type: py.import("enum")?.getattr("Enum")?.unbind(),
        })
    })?;
    Ok(BoundHelpers {
        mapping: h.mapping.bind(py).clone(),
        sequence: h.sequence.bind(py).clone(),
        enum_type: h.enum_type.bind(py).clone(),
    })
}
