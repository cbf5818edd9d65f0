//! Triggering a workflow (`POST /v1/events/trigger`) and cancelling it, as async calls that never block an
//! async thread: the core's HTTP client (with its time budget and retries) runs on tokio's blocking pool.

use std::fmt;
use std::future::IntoFuture;

use serde::Serialize;
use serde_json::Value;

use novu_framework_core::error::{ErrorCode, FrameworkError};
use novu_framework_core::novu_api::{ApiError, ApiResponse};
use novu_framework_core::trigger::{self, TriggerEvent};

use crate::client::Client;
use crate::exec::{BoxFuture, blocking};
use crate::workflow::Workflow;

/// Why a trigger or cancel did not succeed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum TriggerError {
    /// Refused before anything was sent: `code` is `InvalidTriggerError` (bad recipients or arguments),
    /// `WorkflowPayloadInvalidError` (the payload fails the schema; `data` lists the errors) or
    /// `MissingSecretKeyError`.
    Rejected(Box<FrameworkError>),
    /// Novu answered with an error status.
    Status {
        /// The HTTP status.
        status: u16,
        /// Novu's own message.
        message: String,
        /// Novu's JSON answer, when it was JSON.
        response: Option<Value>,
        /// The URL called.
        url: String,
        /// The trigger's transaction id.
        transaction_id: Option<String>,
    },
    /// Novu could not be reached, or did not answer in time.
    Unreachable {
        /// What went wrong, with the URL.
        error: ApiError,
        /// The trigger's transaction id: retrying with it cannot deliver twice.
        transaction_id: Option<String>,
    },
}

impl TriggerError {
    /// The transaction id of the trigger concerned, when one was made.
    pub fn transaction_id(&self) -> Option<&str> {
        match self {
            TriggerError::Rejected(_) => None,
            TriggerError::Status { transaction_id, .. } | TriggerError::Unreachable { transaction_id, .. } => {
                transaction_id.as_deref()
            }
        }
    }
}

impl fmt::Display for TriggerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TriggerError::Rejected(e) => {
                write!(f, "{}: {}", e.code_text.as_deref().unwrap_or(e.code.as_str()), e.message)
            }
            TriggerError::Status { status, message, .. } => write!(f, "the Novu API answered {status}: {message}"),
            TriggerError::Unreachable { error, .. } => error.fmt(f),
        }
    }
}

impl std::error::Error for TriggerError {}

fn rejected(mut e: FrameworkError) -> TriggerError {
    // There is no request body here: the caller's arguments are what is wrong.
    if e.code == ErrorCode::InvalidRequestBodyError {
        e.code_text = Some("InvalidTriggerError".into());
    }
    TriggerError::Rejected(Box::new(e))
}

/// The answer's JSON, or why it is not a success.
fn settle(
    result: Result<ApiResponse, ApiError>,
    url: String,
    transaction_id: Option<&str>,
) -> Result<(u16, Value), TriggerError> {
    let transaction_id = transaction_id.map(String::from);
    match result {
        Ok(r) if r.is_success() => Ok((r.status, r.json().unwrap_or(Value::Null))),
        Ok(r) => Err(TriggerError::Status {
            status: r.status,
            message: r.message(),
            response: r.json(),
            url,
            transaction_id,
        }),
        Err(error) => Err(TriggerError::Unreachable { error, transaction_id }),
    }
}

/// A trigger of a workflow: set its options, then `.await` it. Made by [`Workflow::trigger`].
#[must_use = "a trigger does nothing until it is awaited"]
pub struct Trigger<'a> {
    workflow: &'a Workflow,
    client: &'a Client,
    event: Result<TriggerEvent, TriggerError>,
}

impl fmt::Debug for Trigger<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trigger").field("workflow", &self.workflow.id()).finish_non_exhaustive()
    }
}

fn to_json(what: &str, value: impl Serialize) -> Result<Value, TriggerError> {
    serde_json::to_value(value)
        .map_err(|e| rejected(FrameworkError::invalid_body(format!("`{what}` could not be serialised: {e}"))))
}

impl Workflow {
    /// Sends this workflow's event to Novu for `to`: a subscriber id, a subscriber object
    /// (`{"subscriberId", "email", ...}`), a topic (`{"type": "Topic", "topicKey"}`) or a list of them.
    ///
    /// The payload is checked against the workflow's schema (defaults applied) before anything is sent. A
    /// transaction id is generated when none is given and kept by retries, so Novu cannot deliver twice.
    ///
    /// ```no_run
    /// # async fn example(welcome: novu_framework::Workflow) -> Result<(), novu_framework::BoxError> {
    /// use novu_framework::Client;
    /// let client = Client::from_env();
    /// let sent = welcome.trigger(&client, "subscriber-1").payload(serde_json::json!({"name": "Ada"})).await?;
    /// sent.cancel().await?; // DELETE /v1/events/trigger/<transaction id>
    /// # Ok(())
    /// # }
    /// ```
    pub fn trigger<'a>(&'a self, client: &'a Client, to: impl Serialize) -> Trigger<'a> {
        let event = to_json("to", to).map(|to| TriggerEvent { to, ..TriggerEvent::default() });
        Trigger { workflow: self, client, event }
    }
}

impl Trigger<'_> {
    fn with_json(
        mut self,
        what: &str,
        value: impl Serialize,
        slot: fn(&mut TriggerEvent) -> &mut Option<Value>,
    ) -> Self {
        if let Ok(event) = &mut self.event {
            match to_json(what, value) {
                Ok(value) => *slot(event) = Some(value),
                Err(e) => self.event = Err(e),
            }
        }
        self
    }

    /// The payload: your payload type, or any serializable object.
    pub fn payload(self, payload: impl Serialize) -> Self {
        self.with_json("payload", payload, |e| &mut e.payload)
    }

    /// A transaction id of your own (one is generated otherwise).
    pub fn transaction_id(mut self, id: impl Into<String>) -> Self {
        if let Ok(event) = &mut self.event {
            event.transaction_id = Some(id.into());
        }
        self
    }

    /// Who caused the event: a subscriber id or object.
    pub fn actor(self, actor: impl Serialize) -> Self {
        self.with_json("actor", actor, |e| &mut e.actor)
    }

    /// Provider overrides, by channel or provider.
    pub fn overrides(self, overrides: impl Serialize) -> Self {
        self.with_json("overrides", overrides, |e| &mut e.overrides)
    }

    /// Step controls for this event: `{"steps": {step_id: {...}}}`.
    pub fn controls(self, controls: impl Serialize) -> Self {
        self.with_json("controls", controls, |e| &mut e.controls)
    }

    /// Contexts of the event (tenant and the like).
    pub fn context(self, context: impl Serialize) -> Self {
        self.with_json("context", context, |e| &mut e.context)
    }

    /// The bridge URL Novu should execute this event with (default: `NOVU_BRIDGE_ORIGIN` + `/api/novu`).
    pub fn bridge_url(mut self, url: impl Into<String>) -> Self {
        if let Ok(event) = &mut self.event {
            event.bridge_url = Some(url.into());
        }
        self
    }
}

/// What Novu answered to a trigger.
#[derive(Debug, Clone)]
pub struct TriggerResult {
    /// Identifies the trigger in Novu (given, generated, or as Novu answered it).
    pub transaction_id: String,
    /// The API's HTTP status.
    pub status: u16,
    /// The API's JSON answer, e.g. `{"data": {"acknowledged": true, "status": "processed", ...}}`.
    pub data: Value,
    client: Client,
}

impl TriggerResult {
    /// Cancels the triggered event (its delayed and digested steps); returns the API's answer.
    pub async fn cancel(&self) -> Result<Value, TriggerError> {
        self.client.cancel(&self.transaction_id).await
    }
}

impl Client {
    /// Cancels a triggered event by its transaction id (`DELETE /v1/events/trigger/<id>`).
    pub async fn cancel(&self, transaction_id: &str) -> Result<Value, TriggerError> {
        if !self.has_secret_key() {
            return Err(rejected(FrameworkError::missing_secret_key()));
        }
        let api = self.api();
        let id = transaction_id.to_string();
        let url = api.url(&trigger::cancel_path(&id));
        let answer = blocking(move || trigger::cancel(&api, &id)).await.map_err(internal)?;
        settle(answer, url, Some(transaction_id)).map(|(_, data)| data)
    }
}

fn internal(message: String) -> TriggerError {
    TriggerError::Rejected(Box::new(FrameworkError::new(ErrorCode::BridgeError, message, None)))
}

impl<'a> IntoFuture for Trigger<'a> {
    type Output = Result<TriggerResult, TriggerError>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let mut event = self.event?;
            if event.bridge_url.is_none() {
                event.bridge_url = trigger::bridge_url_from_env(|k| std::env::var(k).ok());
            }
            if !self.client.has_secret_key() {
                return Err(rejected(FrameworkError::missing_secret_key()));
            }
            let prepared = trigger::prepare(&self.workflow.definition, event).map_err(rejected)?;
            let api = self.client.api();
            let url = api.url("/events/trigger");
            let transaction_id = prepared.transaction_id.clone();
            let answer = blocking(move || trigger::send(&api, &prepared)).await.map_err(internal)?;
            let (status, data) = settle(answer, url, Some(&transaction_id))?;
            let transaction_id = trigger::answered_transaction_id(&data).unwrap_or(transaction_id);
            Ok(TriggerResult { transaction_id, status, data, client: self.client.clone() })
        })
    }
}
