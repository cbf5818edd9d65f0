//! Errors of workflow code: what step calls return, what user code may return, and how either reaches the
//! protocol core.

use std::fmt;

use serde_json::Value;

use novu_framework_core::error::{FrameworkError, PassThrough, UserError};

/// Any error workflow code returns: `?` converts every `std::error::Error + Send + Sync`, `anyhow::Error`,
/// `String` and `&str` into it.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a step call returned no result. Propagate it with `?`: the bridge answers from the run's own record,
/// so catching it changes nothing.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum StepError {
    /// The run's target step has run (or was skipped): the workflow function must return now.
    Halted,
    /// The run failed with this framework error (already recorded by the run).
    Failed(Box<FrameworkError>),
}

impl StepError {
    /// The framework error of a failed run.
    pub fn framework_error(&self) -> Option<&FrameworkError> {
        match self {
            StepError::Halted => None,
            StepError::Failed(e) => Some(e),
        }
    }
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::Halted => f.write_str("the run's target step has run: return from the workflow function"),
            StepError::Failed(e) => write!(f, "{}: {}", e.code_text.as_deref().unwrap_or(e.code.as_str()), e.message),
        }
    }
}

impl std::error::Error for StepError {}

pub(crate) fn failed(e: FrameworkError) -> StepError {
    StepError::Failed(Box::new(e))
}

/// An error that answers the request with its own 4xx status instead of a `BridgeError` (spec §4.3): return it
/// from a workflow function.
///
/// ```
/// use novu_framework::HttpError;
/// let e = HttpError::new(409, "invoice already sent").code("InvoiceSentError");
/// assert_eq!(e.status(), 409);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct HttpError {
    status: u16,
    message: String,
    data: Option<Value>,
    code: Option<String>,
}

impl HttpError {
    /// An error answered with `status` and `{"message": message}`. Statuses outside 400–499 are answered as a
    /// 500 `BridgeError`, as upstream does.
    pub fn new(status: u16, message: impl Into<String>) -> HttpError {
        HttpError { status, message: message.into(), data: None, code: None }
    }

    /// Adds `data` to the answer.
    pub fn data(mut self, data: Value) -> HttpError {
        self.data = Some(data);
        self
    }

    /// Adds `code` to the answer.
    pub fn code(mut self, code: impl Into<String>) -> HttpError {
        self.code = Some(code.into());
        self
    }

    /// The HTTP status it carries.
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.message)
    }
}

impl std::error::Error for HttpError {}

/// The core's view of an error returned by user code. Step errors and [`HttpError`]s keep their meaning when
/// they reach the bridge as themselves (not wrapped by another error type); anything else is an exception whose
/// message is the error with its chain of sources.
pub(crate) fn user_error(e: BoxError) -> UserError {
    let e = match e.downcast::<StepError>() {
        Ok(step) => {
            return match *step {
                StepError::Failed(f) => UserError::Framework(f),
                StepError::Halted => UserError::message(StepError::Halted.to_string()),
            };
        }
        Err(e) => e,
    };
    let e = match e.downcast::<HttpError>() {
        Ok(http) => {
            let HttpError { status, message, data, code } = *http;
            return UserError::PassThrough(Box::new(PassThrough { status, message: Some(message), data, code }));
        }
        Err(e) => e,
    };
    UserError::Exception { message: chain(&*e), stack: Some(format!("{e:?}")) }
}

/// `error: source: source ...`, each level once (anyhow's `{:#}` repeats nothing either).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let next = s.to_string();
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("loading the invoice")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn errors_become_core_errors_by_what_they_are() {
        let e = user_error(Box::new(Outer(std::io::Error::other("connection refused"))));
        let UserError::Exception { message, .. } = e else { panic!("{e:?}") };
        assert_eq!(message, "loading the invoice: connection refused");
        let e = user_error(HttpError::new(409, "taken").code("Taken").into());
        let UserError::PassThrough(p) = e else { panic!("{e:?}") };
        assert_eq!((p.status, p.message.as_deref(), p.code.as_deref()), (409, Some("taken"), Some("Taken")));
        let framework = FrameworkError::step_not_found("x");
        let e = user_error(failed(framework.clone()).into());
        assert_eq!(e, UserError::Framework(Box::new(framework)));
        let e = user_error("plain text".into());
        assert!(matches!(e, UserError::Exception { message, .. } if message == "plain text"));
    }
}
