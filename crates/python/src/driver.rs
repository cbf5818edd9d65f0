//! Driving user code that may be sync or async without writing the protocol logic twice.
//!
//! Each piece of work (one step call, one workflow run) is a [`Machine`]: it runs as far as it can and
//! either finishes or hands back an awaitable it needs the result of. A sync caller resolves that awaitable
//! on an event loop and feeds the result back; an async caller gets a [`NativeFuture`], an awaitable whose
//! `send`/`throw` forward to the inner awaitable and resume the machine when it completes. No Python code of
//! ours runs in between.

use std::sync::{Mutex, MutexGuard, TryLockError};

use pyo3::exceptions::{PyRuntimeError, PyStopIteration, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

/// Where a machine stands.
pub enum Poll {
    Ready(PyResult<Py<PyAny>>),
    /// Resolve this awaitable and resume the machine with its result.
    Pending(Py<PyAny>),
}

pub trait Machine: Send {
    /// `input` is `None` on the first call, then the result of the awaitable last handed back.
    fn advance(&mut self, py: Python<'_>, input: Option<PyResult<Py<PyAny>>>) -> Poll;
}

/// Runs a machine to the end, resolving awaitables on an event loop.
pub fn drive_sync(py: Python<'_>, machine: &mut dyn Machine) -> PyResult<Py<PyAny>> {
    let mut input = None;
    loop {
        match machine.advance(py, input.take()) {
            Poll::Ready(result) => return result,
            Poll::Pending(awaitable) => input = Some(run_sync(py, awaitable.bind(py))),
        }
    }
}

/// `novu_framework._aio.run_sync(awaitable)`: the thread's event loop, or a worker thread when this thread
/// already runs one.
pub fn run_sync(py: Python<'_>, awaitable: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    static RUN_SYNC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let f =
        RUN_SYNC.get_or_try_init(py, || py.import("novu_framework._aio")?.getattr("run_sync").map(Bound::unbind))?;
    f.bind(py).call1((awaitable,)).map(Bound::unbind)
}

/// True for coroutines and anything else with `__await__`.
pub fn is_awaitable(obj: &Bound<'_, PyAny>) -> bool {
    obj.hasattr(pyo3::intern!(obj.py(), "__await__")).unwrap_or(false)
}

/// Whether a callable takes a positional argument (a resolver may take the controls or nothing).
pub fn takes_argument(f: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = f.py();
    // Plain functions and lambdas: read the code object, no `inspect` on the hot path.
    if let Some(code) = f.getattr_opt(pyo3::intern!(py, "__code__"))? {
        let argc: usize = code.getattr(pyo3::intern!(py, "co_argcount"))?.extract()?;
        let flags: u32 = code.getattr(pyo3::intern!(py, "co_flags"))?.extract()?;
        let bound = f.hasattr(pyo3::intern!(py, "__self__"))?;
        const VARARGS: u32 = 0x04;
        return Ok(argc > usize::from(bound) || flags & VARARGS != 0);
    }
    static ACCEPTS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let accepts = ACCEPTS
        .get_or_try_init(py, || py.import("novu_framework._callables")?.getattr("takes_argument").map(Bound::unbind))?;
    accepts.bind(py).call1((f,))?.extract()
}

/// Calls `f(arg)` or `f()` depending on what it accepts.
pub fn call_flexible<'py>(f: &Bound<'py, PyAny>, arg: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if takes_argument(f)? { f.call1((arg,)) } else { f.call0() }
}

/// An awaitable driving a [`Machine`]: the machine's result is the await's result.
#[pyclass(module = "novu_framework._native")]
pub struct NativeFuture {
    state: Mutex<FutureState>,
}

struct FutureState {
    machine: Option<Box<dyn Machine>>,
    /// The iterator of the awaitable the machine waits for (`awaitable.__await__()`).
    inner: Option<Py<PyAny>>,
}

impl NativeFuture {
    pub fn new(machine: Box<dyn Machine>) -> NativeFuture {
        NativeFuture { state: Mutex::new(FutureState { machine: Some(machine), inner: None }) }
    }

    /// The state, unless this awaitable is already being stepped (from user code it runs, or from another
    /// thread): that is an error, as it is for a generator, never a wait.
    fn lock(&self) -> PyResult<MutexGuard<'_, FutureState>> {
        match self.state.try_lock() {
            Ok(state) => Ok(state),
            Err(TryLockError::WouldBlock) => Err(PyValueError::new_err("awaitable already executing")),
            Err(TryLockError::Poisoned(_)) => {
                Err(PyRuntimeError::new_err("this awaitable panicked in an earlier step and cannot be resumed"))
            }
        }
    }

    /// Steps the inner awaitable with `op` (send or throw) or starts the machine; returns the next value
    /// to yield to the event loop, or raises `StopIteration(result)` when done.
    fn step<'py>(
        &self,
        py: Python<'py>,
        op: impl FnOnce(&Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let mut state = self.lock()?;
        let mut input = match state.inner.take() {
            Some(inner) => match op(inner.bind(py)) {
                Ok(yielded) => {
                    state.inner = Some(inner);
                    return Ok(yielded.unbind());
                }
                Err(e) if e.is_instance_of::<PyStopIteration>(py) => {
                    Some(Ok(e.value(py).getattr("value").map(Bound::unbind).unwrap_or_else(|_| py.None())))
                }
                Err(e) => Some(Err(e)),
            },
            None => None,
        };
        loop {
            let Some(machine) = state.machine.as_mut() else {
                return Err(PyRuntimeError::new_err("cannot reuse an already awaited step or workflow"));
            };
            match machine.advance(py, input.take()) {
                Poll::Ready(result) => {
                    state.machine = None;
                    return match result {
                        Ok(value) => Err(PyStopIteration::new_err((value,))),
                        Err(e) => Err(e),
                    };
                }
                Poll::Pending(awaitable) => {
                    let iter = awaitable.bind(py).call_method0(pyo3::intern!(py, "__await__"))?;
                    match iter.call_method1(pyo3::intern!(py, "send"), (py.None(),)) {
                        Ok(yielded) => {
                            state.inner = Some(iter.unbind());
                            return Ok(yielded.unbind());
                        }
                        Err(e) if e.is_instance_of::<PyStopIteration>(py) => {
                            input =
                                Some(Ok(e.value(py).getattr("value").map(Bound::unbind).unwrap_or_else(|_| py.None())));
                        }
                        Err(e) => input = Some(Err(e)),
                    }
                }
            }
        }
    }
}

#[pymethods]
impl NativeFuture {
    fn __await__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.send(py, py.None())
    }

    fn send(&self, py: Python<'_>, value: Py<PyAny>) -> PyResult<Py<PyAny>> {
        self.step(py, |inner| inner.call_method1(pyo3::intern!(py, "send"), (value,)))
    }

    #[pyo3(signature = (typ, val=None, tb=None))]
    fn throw(
        &self,
        py: Python<'_>,
        typ: Py<PyAny>,
        val: Option<Py<PyAny>>,
        tb: Option<Py<PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let has_inner = self.lock()?.inner.is_some();
        if !has_inner {
            // Nothing to forward to: raise the exception at our own await point.
            let exc = match val {
                Some(v) if !v.is_none(py) => v,
                _ => typ.call0(py).unwrap_or(typ),
            };
            self.close(py)?;
            return Err(PyErr::from_value(exc.into_bound(py)));
        }
        self.step(py, |inner| {
            let args = PyTuple::new(py, [Some(typ), val, tb].into_iter().map(|o| o.unwrap_or_else(|| py.None())))?;
            inner.call_method1(pyo3::intern!(py, "throw"), args)
        })
    }

    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let inner = {
            let mut state = self.lock()?;
            state.machine = None;
            state.inner.take()
        };
        if let Some(inner) = inner
            && let Some(close) = inner.bind(py).getattr_opt("close")?
        {
            close.call0()?;
        }
        Ok(())
    }
}
