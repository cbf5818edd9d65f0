//! The framework error model: every failure the bridge answers with is one of these codes, each with its
//! HTTP status and message template, because Novu Cloud and the dashboard match on `code` and show `message`.

use serde_json::{Map, Value, json};

use crate::json;

/// Error codes of `@novu/framework` (spec §4.2), plus the project's own for request limits and bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    BridgeError,
    ExecutionEventControlInvalidError,
    ExecutionEventPayloadInvalidError,
    ExecutionProviderOutputInvalidError,
    ExecutionStateControlInvalidError,
    ExecutionStateCorruptError,
    ExecutionStateOutputInvalidError,
    ExecutionStateResultInvalidError,
    InvalidActionError,
    MethodNotAllowedError,
    MissingSecretKeyError,
    ProviderExecutionFailedError,
    ProviderNotFoundError,
    SignatureExpiredError,
    SignatureInvalidError,
    SignatureMismatchError,
    SignatureNotFoundError,
    SigningKeyNotFoundError,
    StepAlreadyExistsError,
    StepControlCompilationFailedError,
    StepExecutionFailedError,
    StepNotFoundError,
    WorkflowAlreadyExistsError,
    WorkflowNotFoundError,
    WorkflowPayloadInvalidError,
    /// Project addition: a request body that is not a JSON object, not UTF-8 or nested too deeply.
    InvalidRequestBodyError,
    /// Project addition: a request body over the configured size limit.
    PayloadTooLargeError,
    /// Project addition: without strict authentication, an agent event naming a reply or events URL that is
    /// not on the configured Novu API (the secret key would go there).
    UntrustedAgentUrlError,
    /// Project addition: the bridge already runs as many agent turns as it may.
    TooManyAgentTurnsError,
}

impl ErrorCode {
    /// The identifier as it appears in the `code` field.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            BridgeError => "BridgeError",
            ExecutionEventControlInvalidError => "ExecutionEventControlInvalidError",
            ExecutionEventPayloadInvalidError => "ExecutionEventPayloadInvalidError",
            ExecutionProviderOutputInvalidError => "ExecutionProviderOutputInvalidError",
            ExecutionStateControlInvalidError => "ExecutionStateControlInvalidError",
            ExecutionStateCorruptError => "ExecutionStateCorruptError",
            ExecutionStateOutputInvalidError => "ExecutionStateOutputInvalidError",
            ExecutionStateResultInvalidError => "ExecutionStateResultInvalidError",
            InvalidActionError => "InvalidActionError",
            MethodNotAllowedError => "MethodNotAllowedError",
            MissingSecretKeyError => "MissingSecretKeyError",
            ProviderExecutionFailedError => "ProviderExecutionFailedError",
            ProviderNotFoundError => "ProviderNotFoundError",
            SignatureExpiredError => "SignatureExpiredError",
            SignatureInvalidError => "SignatureInvalidError",
            SignatureMismatchError => "SignatureMismatchError",
            SignatureNotFoundError => "SignatureNotFoundError",
            SigningKeyNotFoundError => "SigningKeyNotFoundError",
            StepAlreadyExistsError => "StepAlreadyExistsError",
            StepControlCompilationFailedError => "StepControlCompilationFailedError",
            StepExecutionFailedError => "StepExecutionFailedError",
            StepNotFoundError => "StepNotFoundError",
            WorkflowAlreadyExistsError => "WorkflowAlreadyExistsError",
            WorkflowNotFoundError => "WorkflowNotFoundError",
            WorkflowPayloadInvalidError => "WorkflowPayloadInvalidError",
            InvalidRequestBodyError => "InvalidRequestBodyError",
            PayloadTooLargeError => "PayloadTooLargeError",
            UntrustedAgentUrlError => "UntrustedAgentUrlError",
            TooManyAgentTurnsError => "TooManyAgentTurnsError",
        }
    }

    /// The HTTP status the error is answered with.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            BridgeError => 500,
            ExecutionEventControlInvalidError
            | ExecutionEventPayloadInvalidError
            | ExecutionProviderOutputInvalidError
            | ExecutionStateControlInvalidError
            | ExecutionStateCorruptError
            | ExecutionStateOutputInvalidError
            | ExecutionStateResultInvalidError
            | InvalidActionError
            | MissingSecretKeyError
            | StepControlCompilationFailedError
            | WorkflowPayloadInvalidError
            | InvalidRequestBodyError => 400,
            SignatureExpiredError
            | SignatureInvalidError
            | SignatureMismatchError
            | SignatureNotFoundError
            | SigningKeyNotFoundError => 401,
            ProviderNotFoundError | StepNotFoundError | WorkflowNotFoundError => 404,
            MethodNotAllowedError => 405,
            StepAlreadyExistsError | WorkflowAlreadyExistsError => 409,
            UntrustedAgentUrlError => 403,
            PayloadTooLargeError => 413,
            ProviderExecutionFailedError | StepExecutionFailedError => 502,
            TooManyAgentTurnsError => 503,
        }
    }

    /// The code for an identifier, for errors that cross the language boundary by name.
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

const ALL: [ErrorCode; 29] = {
    use ErrorCode::*;
    [
        BridgeError,
        ExecutionEventControlInvalidError,
        ExecutionEventPayloadInvalidError,
        ExecutionProviderOutputInvalidError,
        ExecutionStateControlInvalidError,
        ExecutionStateCorruptError,
        ExecutionStateOutputInvalidError,
        ExecutionStateResultInvalidError,
        InvalidActionError,
        MethodNotAllowedError,
        MissingSecretKeyError,
        ProviderExecutionFailedError,
        ProviderNotFoundError,
        SignatureExpiredError,
        SignatureInvalidError,
        SignatureMismatchError,
        SignatureNotFoundError,
        SigningKeyNotFoundError,
        StepAlreadyExistsError,
        StepControlCompilationFailedError,
        StepExecutionFailedError,
        StepNotFoundError,
        WorkflowAlreadyExistsError,
        WorkflowNotFoundError,
        WorkflowPayloadInvalidError,
        InvalidRequestBodyError,
        PayloadTooLargeError,
        UntrustedAgentUrlError,
        TooManyAgentTurnsError,
    ]
};

/// A failure answered with the framework error shape `{message, data?, code}`.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkError {
    pub code: ErrorCode,
    /// Overrides the code's status; only pass-through errors from user code (spec §4.3 item 2) and the
    /// Novu API's own errors use it.
    pub status: Option<u16>,
    /// For pass-through errors: the code text as given (may be absent or not one of ours).
    pub code_text: Option<String>,
    pub message: String,
    pub data: Option<Value>,
}

/// One validation failure, reported as `{path, message}` (spec §12.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationIssue {
    pub path: String,
    pub message: String,
}

impl FrameworkError {
    pub fn new(code: ErrorCode, message: impl Into<String>, data: Option<Value>) -> Self {
        FrameworkError { code, status: None, code_text: None, message: message.into(), data }
    }

    pub fn status(&self) -> u16 {
        self.status.unwrap_or_else(|| self.code.status())
    }

    /// The response body, keys in upstream's order; `data` is left out when absent.
    pub fn body(&self) -> Value {
        let mut map = Map::new();
        if self.status.is_none() || !self.message.is_empty() {
            map.insert("message".into(), Value::String(self.message.clone()));
        }
        if let Some(data) = &self.data {
            map.insert("data".into(), data.clone());
        }
        match &self.code_text {
            Some(text) => {
                map.insert("code".into(), Value::String(text.clone()));
            }
            None if self.status.is_none() => {
                map.insert("code".into(), Value::String(self.code.as_str().into()));
            }
            None => {}
        }
        Value::Object(map)
    }

    /// The message followed by the first validation issue, `{message} At /name: must be string` (and
    /// how many more there are), so that an exception or a log line says what was wrong without `data`.
    pub fn detail(&self) -> String {
        let issues = self.data.as_ref().and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let Some(first) = issues.first() else {
            return self.message.clone();
        };
        let path = first.get("path").and_then(Value::as_str).unwrap_or("");
        let message = first.get("message").and_then(Value::as_str).unwrap_or("");
        let at = if path.is_empty() { "the root" } else { path };
        let more = match issues.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        format!("{} At {at}: {message}{more}", self.message)
    }

    /// The response body as JSON text.
    pub fn body_text(&self) -> String {
        json::stringify(&self.body())
    }

    /// An error that user code raised with its own HTTP status (4xx) and body fields; absent fields stay
    /// out of the body as upstream omits undefined keys.
    pub fn pass_through(status: u16, message: Option<String>, data: Option<Value>, code: Option<String>) -> Self {
        FrameworkError {
            code: ErrorCode::BridgeError,
            status: Some(status),
            code_text: code,
            message: message.unwrap_or_default(),
            data,
        }
    }

    pub fn invalid_action(action: &str, allowed: &[&str]) -> Self {
        let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
        Self::new(
            ErrorCode::InvalidActionError,
            format!("Invalid query string: `action`=`{action}`. Please use one of {list}"),
            None,
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            ErrorCode::MethodNotAllowedError,
            "Method not allowed. Please use one of `POST`, `GET`, `OPTIONS`",
            None,
        )
    }

    pub fn workflow_not_found(id: &str) -> Self {
        Self::new(
            ErrorCode::WorkflowNotFoundError,
            format!("Workflow with id: `{id}` does not exist. Please provide a valid id."),
            None,
        )
    }

    pub fn step_not_found(id: &str) -> Self {
        Self::new(
            ErrorCode::StepNotFoundError,
            format!("Step with id: `{id}` does not exist. Please provide a valid id."),
            None,
        )
    }

    pub fn provider_not_found(id: &str) -> Self {
        Self::new(
            ErrorCode::ProviderNotFoundError,
            format!("Provider with id: `{id}` does not exist. Please provide a valid id."),
            None,
        )
    }

    pub fn step_already_exists(id: &str) -> Self {
        Self::new(
            ErrorCode::StepAlreadyExistsError,
            format!("Step with id: `{id}` already exists. Please use a different id."),
            None,
        )
    }

    pub fn workflow_already_exists(id: &str) -> Self {
        Self::new(
            ErrorCode::WorkflowAlreadyExistsError,
            format!("Workflow with id: `{id}` already exists. Please use a different id."),
            None,
        )
    }

    pub fn payload_required(workflow_id: &str) -> Self {
        Self::new(
            ErrorCode::ExecutionEventPayloadInvalidError,
            payload_invalid_message(workflow_id),
            Some(json!({"message": "Event `payload` is required"})),
        )
    }

    pub fn payload_invalid(workflow_id: &str, issues: &[ValidationIssue]) -> Self {
        Self::new(
            ErrorCode::ExecutionEventPayloadInvalidError,
            payload_invalid_message(workflow_id),
            Some(issues_value(issues)),
        )
    }

    /// `workflow.trigger()` / local-run payload check (not an execution-event error upstream).
    pub fn workflow_payload_invalid(workflow_id: &str, issues: &[ValidationIssue]) -> Self {
        Self::new(
            ErrorCode::WorkflowPayloadInvalidError,
            format!("Workflow with id: `{workflow_id}` has invalid `payload`. Please provide the correct payload."),
            Some(issues_value(issues)),
        )
    }

    pub fn controls_invalid(workflow_id: &str, step_id: &str, issues: &[ValidationIssue]) -> Self {
        Self::new(
            ErrorCode::ExecutionStateControlInvalidError,
            format!(
                "Workflow with id: `{workflow_id}` has an invalid state. Step with id: `{step_id}` has invalid `controls`. Please provide the correct step controls."
            ),
            Some(issues_value(issues)),
        )
    }

    pub fn output_invalid(workflow_id: &str, step_id: &str, issues: &[ValidationIssue]) -> Self {
        Self::new(
            ErrorCode::ExecutionStateOutputInvalidError,
            format!(
                "Workflow with id: `{workflow_id}` has an invalid state. Step with id: `{step_id}` has invalid output. Please provide the correct step output."
            ),
            Some(issues_value(issues)),
        )
    }

    pub fn result_invalid(workflow_id: &str, step_id: &str, issues: &[ValidationIssue]) -> Self {
        Self::new(
            ErrorCode::ExecutionStateResultInvalidError,
            format!(
                "Workflow with id: `{workflow_id}` has an invalid state. Step with id: `{step_id}` has invalid result. Please provide the correct step result."
            ),
            Some(issues_value(issues)),
        )
    }

    pub fn provider_output_invalid(
        workflow_id: &str,
        step_id: &str,
        provider_id: &str,
        issues: &[ValidationIssue],
    ) -> Self {
        Self::new(
            ErrorCode::ExecutionProviderOutputInvalidError,
            format!(
                "Workflow with id: `{workflow_id}` has an invalid state. Step with id: `{step_id}` and provider with id: `{provider_id}` has invalid output. Please provide the correct provider output."
            ),
            Some(issues_value(issues)),
        )
    }

    pub fn state_corrupt(workflow_id: &str, step_id: &str) -> Self {
        Self::new(
            ErrorCode::ExecutionStateCorruptError,
            format!(
                "Workflow with id: `{workflow_id}` has a corrupt state. Step with id: `{step_id}` does not exist. Please provide the missing state."
            ),
            Some(json!({"workflowId": workflow_id, "stepId": step_id})),
        )
    }

    pub fn controls_compilation_failed(workflow_id: &str, step_id: &str, data: Value) -> Self {
        Self::new(
            ErrorCode::StepControlCompilationFailedError,
            format!(
                "Workflow with id: `{workflow_id}` has invalid controls syntax in step with id: `{step_id}`. Please correct step control syntax."
            ),
            Some(data),
        )
    }

    pub fn invalid_body(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequestBodyError, message, None)
    }

    pub fn missing_secret_key() -> Self {
        Self::new(
            ErrorCode::MissingSecretKeyError,
            "Missing secret key. Set the `NOVU_SECRET_KEY` environment variable or pass `secret_key` to the client options.",
            None,
        )
    }
}

fn payload_invalid_message(workflow_id: &str) -> String {
    format!("Workflow with id: `{workflow_id}` has invalid `payload`. Please provide the correct event payload.")
}

/// `[{path, message}, ...]` as upstream reports validation failures.
pub fn issues_value(issues: &[ValidationIssue]) -> Value {
    Value::Array(issues.iter().map(|i| json!({"path": i.path, "message": i.message})).collect())
}

/// What user code raised, as the core needs to report it (spec §4.4). Small, because user closures return
/// it: the rare variants are boxed.
#[derive(Debug, Clone, PartialEq)]
pub enum UserError {
    /// An exception: its message and, when debugging output is allowed, its traceback text.
    Exception { message: String, stack: Option<String> },
    /// Something raised that is not an exception (JavaScript lets any value be thrown; Rust callers may
    /// report a value too): rendered as pretty JSON after the prefix.
    Value(Box<Value>),
    /// A framework error raised inside user code (e.g. a nested workflow call); propagated unchanged.
    Framework(Box<FrameworkError>),
    /// An error carrying its own 4xx HTTP status (spec §4.3 item 2).
    PassThrough(Box<PassThrough>),
}

/// The fields of an error that carries its own HTTP status.
#[derive(Debug, Clone, PartialEq)]
pub struct PassThrough {
    pub status: u16,
    pub message: Option<String>,
    pub data: Option<Value>,
    pub code: Option<String>,
}

impl UserError {
    /// An exception with a message and no traceback.
    pub fn message(message: impl Into<String>) -> UserError {
        UserError::Exception { message: message.into(), stack: None }
    }
}

/// The three "server" errors that wrap a cause: `BridgeError`, `StepExecutionFailedError`,
/// `ProviderExecutionFailedError` (spec §4.4). `expose_stack` is false under strict authentication, where
/// `data` stays `{}` so that no traceback or file path leaves the server.
pub fn wrap_cause(code: ErrorCode, prefix: &str, cause: &UserError, expose_stack: bool) -> FrameworkError {
    let (message, stack) = match cause {
        UserError::Exception { message, stack } => (format!("{prefix}: {message}"), stack.clone()),
        UserError::Value(v) if v.is_null() => (prefix.to_string(), None),
        UserError::Value(v) => (format!("{prefix}: {}", json::stringify_pretty(v, 2)), None),
        UserError::Framework(e) => (format!("{prefix}: {}", e.message), None),
        UserError::PassThrough(p) => (format!("{prefix}: {}", p.message.clone().unwrap_or_default()), None),
    };
    let data = if expose_stack { json!({"stack": stack.unwrap_or_else(|| prefix.to_string())}) } else { json!({}) };
    FrameworkError::new(code, message, Some(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_keeps_upstream_key_order_and_omits_missing_data() {
        let e = FrameworkError::invalid_action("foo", &["discover", "health-check", "code"]);
        assert_eq!(
            e.body_text(),
            r#"{"message":"Invalid query string: `action`=`foo`. Please use one of `discover`, `health-check`, `code`","code":"InvalidActionError"}"#
        );
        assert_eq!(e.status(), 400);
        let c = FrameworkError::state_corrupt("wf", "a");
        assert_eq!(
            c.body_text(),
            r#"{"message":"Workflow with id: `wf` has a corrupt state. Step with id: `a` does not exist. Please provide the missing state.","data":{"workflowId":"wf","stepId":"a"},"code":"ExecutionStateCorruptError"}"#
        );
    }

    #[test]
    fn detail_names_the_first_issue() {
        let issue = |path: &str| ValidationIssue { path: path.into(), message: "must be string".into() };
        let one = FrameworkError::output_invalid("w", "s", &[issue("/name")]);
        assert!(one.detail().ends_with("step output. At /name: must be string"), "{}", one.detail());
        let two = FrameworkError::output_invalid("w", "s", &[issue(""), issue("/b")]);
        assert!(two.detail().ends_with("At the root: must be string (and 1 more)"), "{}", two.detail());
        assert_eq!(FrameworkError::step_not_found("s").detail(), FrameworkError::step_not_found("s").message);
    }

    #[test]
    fn every_code_round_trips_by_name() {
        for code in ALL {
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::from_name("Nope"), None);
    }

    #[test]
    fn causes_render_as_spec_4_4() {
        let prefix = "Failed to execute Step with id: `s`";
        let e = wrap_cause(
            ErrorCode::StepExecutionFailedError,
            prefix,
            &UserError::Exception { message: "boom".into(), stack: Some("Traceback".into()) },
            true,
        );
        assert_eq!(e.message, "Failed to execute Step with id: `s`: boom");
        assert_eq!(e.data, Some(json!({"stack": "Traceback"})));
        assert_eq!(e.status(), 502);

        let plain = wrap_cause(
            ErrorCode::StepExecutionFailedError,
            prefix,
            &UserError::Value(Box::new(json!("plain string"))),
            true,
        );
        assert_eq!(plain.message, "Failed to execute Step with id: `s`: \"plain string\"");
        assert_eq!(plain.data, Some(json!({"stack": prefix})));

        let obj =
            wrap_cause(ErrorCode::StepExecutionFailedError, prefix, &UserError::Value(Box::new(json!({"a": 1}))), true);
        assert_eq!(obj.message, "Failed to execute Step with id: `s`: {\n  \"a\": 1\n}");

        let none =
            wrap_cause(ErrorCode::BridgeError, "Unknown BridgeError", &UserError::Value(Box::new(Value::Null)), true);
        assert_eq!(none.message, "Unknown BridgeError");
    }

    #[test]
    fn strict_mode_keeps_tracebacks_inside() {
        let e = wrap_cause(
            ErrorCode::BridgeError,
            "Unknown BridgeError",
            &UserError::Exception { message: "outside".into(), stack: Some("File \"/srv/app.py\"".into()) },
            false,
        );
        assert_eq!(e.message, "Unknown BridgeError: outside");
        assert_eq!(e.data, Some(json!({})));
        assert!(!e.body_text().contains("app.py"));
    }

    #[test]
    fn pass_through_uses_the_given_status_and_fields() {
        let e = FrameworkError::pass_through(418, Some("teapot".into()), None, None);
        assert_eq!(e.status(), 418);
        assert_eq!(e.body_text(), r#"{"message":"teapot"}"#);
        let coded = FrameworkError::pass_through(
            422,
            Some("bad to".into()),
            Some(json!({"message": "bad to"})),
            Some("Unprocessable Entity".into()),
        );
        assert_eq!(
            coded.body_text(),
            r#"{"message":"bad to","data":{"message":"bad to"},"code":"Unprocessable Entity"}"#
        );
    }
}
