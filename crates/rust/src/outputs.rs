//! Typed outputs of the built-in step types (what resolvers return) and their results (what step calls give
//! back), following the schemas Novu validates them against. Resolvers may return any `Serialize` value
//! instead, `serde_json::Value` included: the core validates whatever they return.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What an email step sends. `body` is HTML; it is sanitised unless the step disables sanitisation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailOutput {
    /// Non-empty.
    pub subject: String,
    /// The HTML body.
    pub body: String,
    /// The sender, instead of the integration's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<EmailFrom>,
    /// The reply-to address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// The preview text mail clients show after the subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preheader: Option<String>,
    /// Whether the provider's own defaults fill what is not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_provider_defaults: Option<bool>,
}

impl EmailOutput {
    /// An email with a subject and an HTML body.
    pub fn new(subject: impl Into<String>, body: impl Into<String>) -> EmailOutput {
        EmailOutput { subject: subject.into(), body: body.into(), ..EmailOutput::default() }
    }
}

/// The sender of an email.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmailFrom {
    /// The sender's address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The sender's display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What an SMS step sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SmsOutput {
    /// The text of the message.
    pub body: String,
}

/// What a push step sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushOutput {
    /// The title of the notification.
    pub subject: String,
    /// The text of the notification.
    pub body: String,
}

/// What a chat step sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChatOutput {
    /// The text of the message.
    pub body: String,
    /// A rich card (`{"type": "card", "title", "children": [...]}`), as the chat schema describes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<Value>,
}

/// What a tool step sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ToolOutput {
    /// The text of the message.
    pub body: String,
}

/// What an in-app (Inbox) step shows: a subject or a body at least, both non-empty when given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InAppOutput {
    /// The title; not empty when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The text; not empty when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// A URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// The main button.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_action: Option<InAppAction>,
    /// The second button.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_action: Option<InAppAction>,
    /// Data of your own, handed to the Inbox.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Map<String, Value>>,
    /// Where clicking the notification leads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect: Option<Redirect>,
}

impl InAppOutput {
    /// An Inbox notification with a body.
    pub fn new(body: impl Into<String>) -> InAppOutput {
        InAppOutput { body: Some(body.into()), ..InAppOutput::default() }
    }
}

/// A button of an in-app notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InAppAction {
    /// The button's text.
    pub label: String,
    /// Where the button leads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect: Option<Redirect>,
}

/// Where an in-app notification or button leads: an `http(s)` URL or a path starting with `/`. `target`
/// defaults to `_self` for paths and `_blank` for URLs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Redirect {
    /// An `http(s)` URL, or a path starting with `/`.
    pub url: String,
    /// `_self`, `_blank`, `_parent`, `_top` or `_unfencedTop`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// A unit of time for delays and digests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    /// Seconds.
    Seconds,
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Days.
    Days,
    /// Weeks.
    Weeks,
    /// Months.
    Months,
}

/// How long a delay step waits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum DelayOutput {
    /// `amount` `unit`s.
    #[serde(rename_all = "camelCase")]
    Regular {
        /// How many units.
        amount: f64,
        /// The unit of `amount`.
        unit: TimeUnit,
        /// Whether the delay extends to the subscriber's schedule.
        #[serde(skip_serializing_if = "Option::is_none")]
        extend_to_schedule: Option<bool>,
    },
    /// Until the next time a cron expression matches.
    #[serde(rename_all = "camelCase")]
    Timed {
        /// A cron expression.
        cron: String,
        /// Whether the delay extends to the subscriber's schedule.
        #[serde(skip_serializing_if = "Option::is_none")]
        extend_to_schedule: Option<bool>,
    },
    /// Until the time found at `dynamicKey` in the payload.
    #[serde(rename_all = "camelCase")]
    Dynamic {
        /// Where in the payload the time to wait until is found.
        dynamic_key: String,
        /// Whether the delay extends to the subscriber's schedule.
        #[serde(skip_serializing_if = "Option::is_none")]
        extend_to_schedule: Option<bool>,
    },
}

impl DelayOutput {
    /// A delay of `amount` `unit`s.
    pub fn regular(amount: f64, unit: TimeUnit) -> DelayOutput {
        DelayOutput::Regular { amount, unit, extend_to_schedule: None }
    }
}

/// How a digest step collects events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum DigestOutput {
    /// Events of the last `amount` `unit`s.
    #[serde(rename_all = "camelCase")]
    Regular {
        /// How many units.
        amount: f64,
        /// The unit of `amount`.
        unit: TimeUnit,
        /// Payload key whose value separates digests.
        #[serde(skip_serializing_if = "Option::is_none")]
        digest_key: Option<String>,
        /// Send the first event right away unless another came within this window.
        #[serde(skip_serializing_if = "Option::is_none")]
        look_back_window: Option<LookBackWindow>,
        /// Whether the digest extends to the subscriber's schedule.
        #[serde(skip_serializing_if = "Option::is_none")]
        extend_to_schedule: Option<bool>,
    },
    /// Events until the next time a cron expression matches.
    #[serde(rename_all = "camelCase")]
    Timed {
        /// A cron expression.
        cron: String,
        /// Payload key whose value separates digests.
        #[serde(skip_serializing_if = "Option::is_none")]
        digest_key: Option<String>,
        /// Whether the digest extends to the subscriber's schedule.
        #[serde(skip_serializing_if = "Option::is_none")]
        extend_to_schedule: Option<bool>,
    },
}

impl DigestOutput {
    /// A digest of the events of `amount` `unit`s.
    pub fn regular(amount: f64, unit: TimeUnit) -> DigestOutput {
        DigestOutput::Regular { amount, unit, digest_key: None, look_back_window: None, extend_to_schedule: None }
    }
}

/// A digest's look-back window: a first event is sent right away unless another came within the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LookBackWindow {
    /// How many units.
    pub amount: f64,
    /// The unit of `amount`.
    pub unit: TimeUnit,
}

/// How a throttle step limits executions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ThrottleOutput {
    /// `fixed` or `dynamic`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Length of a fixed window, in `unit`s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// `minutes`, `hours` or `days`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Where in the payload a dynamic window's end is found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dynamic_key: Option<String>,
    /// Most executions let through per window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Payload key whose value separates the throttle's counters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttle_key: Option<String>,
}

/// What an in-app step call returns: whether the subscriber saw and read the notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InAppResult {
    /// Whether the subscriber saw it.
    pub seen: bool,
    /// Whether the subscriber read it.
    pub read: bool,
    /// When it was last seen (ISO 8601).
    pub last_seen_date: Option<String>,
    /// When it was last read (ISO 8601).
    pub last_read_date: Option<String>,
}

/// What a delay step call returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DelayResult {
    /// How long the delay lasted, in milliseconds.
    pub duration: f64,
}

/// What a digest step call returns: the digested events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DigestResult {
    /// The digested events, oldest first.
    pub events: Vec<DigestEvent>,
    /// How many events were digested.
    pub event_count: Option<f64>,
}

/// One digested event. Fields missing from a preview's state are left empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DigestEvent {
    /// The event's id.
    pub id: String,
    /// When the event was triggered (ISO 8601).
    pub time: String,
    /// The event's payload.
    pub payload: Value,
}

/// What a throttle step call returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ThrottleResult {
    /// Whether this execution was throttled.
    pub throttled: bool,
    /// Executions within the window.
    pub execution_count: Option<f64>,
    /// The threshold that was applied.
    pub threshold: Option<f64>,
    /// When the window started (ISO 8601).
    pub window_start: Option<String>,
}
