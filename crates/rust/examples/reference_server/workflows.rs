//! The 7 reference workflows of the conformance corpus (tests/conformance/workflows.md), written with the
//! async typed API: typed payloads, controls and outputs. Schemas are declared verbatim from
//! tests/conformance/workflows.schemas.json, as the official SDK's reference bridge loads them, so that
//! discovery answers byte for byte what it recorded.

use std::sync::LazyLock;

use novu_framework::core::json::f64_text;
use novu_framework::outputs::{InAppAction, LookBackWindow, Redirect};
use novu_framework::{
    BoxError, Bridge, ChatOutput, Client, ConfigError, DefinitionError, DelayOutput, EmailOutput, Empty, InAppOutput,
    PushOutput, SmsOutput, Step, TimeUnit, Workflow,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

static S: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../../../tests/conformance/workflows.schemas.json"))
        .expect("workflows.schemas.json is JSON")
});

fn controls(workflow: &str, step: &str) -> &'static Value {
    &S[workflow]["steps"][step]["controlSchema"]
}

fn payload(workflow: &str) -> Value {
    S[workflow]["payloadSchema"].clone()
}

/// `{subject, body}` controls of email, push and in-app steps.
#[derive(Deserialize, JsonSchema)]
struct Message {
    subject: String,
    body: String,
}

/// `{body}` controls of SMS and chat steps.
#[derive(Deserialize, JsonSchema)]
struct Body {
    body: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct InboxControls {
    subject: Option<String>,
    body: Option<String>,
    action_url: Option<String>,
    data: Option<Map<String, Value>>,
}

#[derive(Deserialize, JsonSchema)]
struct SmsControls {
    enabled: bool,
    body: String,
}

async fn welcome(_: Empty, step: Step) -> Result<(), BoxError> {
    step.in_app("inbox", |c: InboxControls| async move {
        let primary_action = c
            .action_url
            .filter(|url| !url.is_empty())
            .map(|url| InAppAction { label: "Open".into(), redirect: Some(Redirect { url, target: None }) });
        Ok(InAppOutput { subject: c.subject, body: c.body, primary_action, data: c.data, ..InAppOutput::default() })
    })
    .control_schema(controls("welcome", "inbox"))
    .await?;
    step.email("welcome-email", |c: Message| async move { Ok(EmailOutput::new(c.subject, c.body)) })
        .control_schema(controls("welcome", "welcome-email"))
        .await?;
    step.sms("sms", |c: SmsControls| async move { Ok(SmsOutput { body: c.body }) })
        .control_schema(controls("welcome", "sms"))
        .skip(|c: SmsControls| async move { Ok(!c.enabled) })
        .await?;
    Ok(())
}

/// The digest's controls are also its outputs: `{amount, unit}` plus `lookBackWindow` when set.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Collect {
    amount: f64,
    unit: TimeUnit,
    #[serde(skip_serializing_if = "Option::is_none")]
    look_back_window: Option<LookBackWindow>,
}

async fn digest_flow(_: Empty, step: Step) -> Result<(), BoxError> {
    let digest = step
        .digest("collect", |c: Collect| async move { Ok(c) })
        .control_schema(controls("digest-flow", "collect"))
        .await?;
    let events = digest.events.len();
    step.email("summary", move |c: Message| async move {
        Ok(EmailOutput::new(c.subject, format!("{}<p>Total events: {events}</p>", c.body)))
    })
    .control_schema(controls("digest-flow", "summary"))
    .await?;
    Ok(())
}

async fn delay_then_push(_: Empty, step: Step) -> Result<(), BoxError> {
    step.delay("wait", |_: Empty| async { Ok(DelayOutput::regular(1.0, TimeUnit::Hours)) }).await?;
    step.push("push", |c: Message| async move { Ok(PushOutput { subject: c.subject, body: c.body }) })
        .control_schema(controls("delay-then-push", "push"))
        .await?;
    step.chat("chat", |c: Body| async move { Ok(ChatOutput { body: c.body, card: None }) })
        .control_schema(controls("delay-then-push", "chat"))
        .provider("slack", |c: Body, outputs: ChatOutput| async move {
            Ok(json!({
                "text": outputs.body,
                "blocks": [
                    {"type": "header", "text": {"type": "plain_text", "text": "Notification"}},
                    {"type": "section", "text": {"type": "mrkdwn", "text": format!("*{}*", c.body)}},
                ],
            }))
        })
        .await?;
    Ok(())
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Scores {
    values: Vec<f64>,
    multiplier: f64,
    bad_output: bool,
}

#[derive(Deserialize, JsonSchema)]
struct NotifyControls {
    subject: String,
    prefix: String,
}

/// `"" + value` in JavaScript.
fn js_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => f64_text(n.as_f64().unwrap_or(f64::NAN)),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::Array(items) => {
            items.iter().map(|v| if v.is_null() { String::new() } else { js_string(v) }).collect::<Vec<_>>().join(",")
        }
        Value::Object(_) => "[object Object]".into(),
    }
}

/// `"" + record[key]`, `undefined` when the key is missing.
fn js_concat(record: &Map<String, Value>, key: &str) -> String {
    record.get(key).map(js_string).unwrap_or_else(|| "undefined".into())
}

/// The custom step's output is a JSON object on purpose: it returns an invalid output when asked to (to
/// exercise output validation), and its preview result, merged from state Novu sends, may be anything; the
/// notify step prints it as JavaScript would.
async fn custom_step(payload: Scores, step: Step) -> Result<(), BoxError> {
    let compute = step
        .custom("compute", move |_: Empty| async move {
            if payload.bad_output {
                let invalid = json!({"score": "not-a-number", "label": "low"});
                return Ok(invalid.as_object().cloned().unwrap_or_default());
            }
            let score = payload.values.iter().sum::<f64>() * payload.multiplier;
            let label = if score > 10.0 { "high" } else { "low" };
            Ok(json!({"score": score, "label": label}).as_object().cloned().unwrap_or_default())
        })
        .output_schema(&S["custom-step"]["steps"]["compute"]["outputSchema"])
        .await?;
    step.in_app("notify", move |c: NotifyControls| async move {
        let body =
            format!("{} Score (code): {} ({})", c.prefix, js_concat(&compute, "score"), js_concat(&compute, "label"));
        Ok(InAppOutput { subject: Some(c.subject), body: Some(body), ..InAppOutput::default() })
    })
    .control_schema(controls("custom-step", "notify"))
    .await?;
    Ok(())
}

async fn strict_payload(_: Empty, step: Step) -> Result<(), BoxError> {
    step.sms("notify", |c: Body| async move { Ok(SmsOutput { body: c.body }) })
        .control_schema(controls("strict-payload", "notify"))
        .await?;
    Ok(())
}

async fn throwing(_: Empty, step: Step) -> Result<(), BoxError> {
    step.sms("explode", |_: Empty| async { Err::<SmsOutput, BoxError>("boom".into()) }).await?;
    Ok(())
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Invoice {
    invoice_id: String,
}

#[derive(Deserialize, JsonSchema)]
struct Subject {
    subject: String,
}

async fn prefs(payload: Invoice, step: Step) -> Result<(), BoxError> {
    let invoice = payload.invoice_id;
    let body = format!("<p>Invoice {invoice} is ready.</p>");
    step.email("email", move |c: Subject| async move { Ok(EmailOutput::new(c.subject, body)) })
        .control_schema(controls("prefs", "email"))
        .await?;
    step.in_app("in-app", move |_: Empty| async move { Ok(InAppOutput::new(format!("Invoice {invoice} is ready."))) })
        .await?;
    Ok(())
}

/// The 7 reference workflows.
pub fn workflows() -> Result<Vec<Workflow>, DefinitionError> {
    let options = &S["prefs"]["options"];
    let text = |key: &str| options[key].as_str().unwrap_or_default().to_string();
    let tags: Vec<String> =
        options["tags"].as_array().into_iter().flatten().filter_map(|t| t.as_str().map(String::from)).collect();
    Ok(vec![
        Workflow::builder("welcome").payload_schema(payload("welcome")).build(welcome)?,
        Workflow::builder("digest-flow").payload_schema(payload("digest-flow")).build(digest_flow)?,
        Workflow::builder("delay-then-push").payload_schema(payload("delay-then-push")).build(delay_then_push)?,
        Workflow::builder("custom-step").payload_schema(payload("custom-step")).build(custom_step)?,
        Workflow::builder("strict-payload").payload_schema(payload("strict-payload")).build(strict_payload)?,
        Workflow::builder("throwing").payload_schema(payload("throwing")).build(throwing)?,
        Workflow::builder("prefs")
            .payload_schema(payload("prefs"))
            .name(&text("name"))
            .description(&text("description"))
            .tags(tags)
            .severity(&text("severity"))
            .preferences(options["preferences"].clone())
            .build(prefs)?,
    ])
}

/// The reference bridge for `client`, to nest at `/api/novu`.
pub fn bridge(client: &Client) -> Result<Bridge, BoxError> {
    let bridge: Result<Bridge, ConfigError> = Bridge::with_server_name(client, workflows()?, "axum");
    Ok(bridge?)
}

/// The reference server's app: the bridge nested at `/api/novu`.
#[cfg(feature = "axum")]
pub fn app(client: &Client) -> Result<axum::Router, BoxError> {
    Ok(axum::Router::new().nest("/api/novu", novu_framework::axum::router(bridge(client)?)))
}
