//! The async typed API through whole requests: derived schemas in discover, typed payloads, controls,
//! outputs and results, errors of every origin, the untyped path, and resolvers that await without blocking.

use std::sync::{Arc, Mutex};

use novu_framework::{
    BoxError, Bridge, Client, DelayOutput, EmailOutput, Empty, HttpError, InAppOutput, Request, SmsOutput, Step,
    StepError, TimeUnit, Workflow,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Plan {
    Free,
    Pro,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Address {
    city: String,
    #[allow(dead_code)]
    zip: Option<String>,
}

/// An order.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Order {
    #[allow(dead_code)]
    customer_name: String,
    plan: Plan,
    #[serde(default)]
    items: Vec<u32>,
    address: Option<Address>,
}

#[derive(Deserialize, JsonSchema)]
struct Controls {
    #[schemars(extend("default" = "Order for {{payload.customerName}}"))]
    subject: String,
    #[serde(default = "greeting")]
    greeting: String,
}

fn greeting() -> String {
    "Hello".into()
}

#[derive(Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
struct Total {
    amount: f64,
    currency: String,
}

fn total(items: &[u32]) -> Total {
    Total { amount: items.iter().map(|&i| f64::from(i)).sum(), currency: "EUR".into() }
}

async fn order(order: Order, step: Step) -> Result<(), BoxError> {
    let items = order.items.clone();
    let sum = step.custom("total", move |_: Empty| async move { Ok(total(&items)) }).await?;
    let plan = format!("{:?}", order.plan);
    let city = order.address.map(|a| a.city).unwrap_or_else(|| "nowhere".into());
    step.email("confirm", move |c: Controls| async move {
        let body = format!("<p>{}: {} {} ({plan}, {city})</p>", c.greeting, sum.amount, sum.currency);
        Ok(EmailOutput::new(c.subject, body))
    })
    .await?;
    Ok(())
}

fn lax() -> Client {
    Client::builder().secret_key("k").strict_authentication(false).build()
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(f)
}

/// Answers one unsigned request: `(status, JSON body)`.
fn ask(bridge: &Bridge, method: &str, query: &str, body: Value) -> (u16, Value) {
    let bytes = serde_json::to_vec(&body).expect("json");
    let request = Request { method, query, body: &bytes, ..Default::default() };
    let response = block_on(bridge.respond(&request));
    (response.status, serde_json::from_slice(response.body.as_bytes()).expect("a JSON answer"))
}

fn execute(bridge: &Bridge, workflow: &str, step: &str, body: Value) -> (u16, Value) {
    ask(bridge, "POST", &format!("action=execute&workflowId={workflow}&stepId={step}"), body)
}

#[test]
fn schemas_derived_from_types_are_discovered_in_draft_07() {
    let bridge = Bridge::new(&lax(), [Workflow::new("order", order).unwrap()]).unwrap();
    let (status, discover) = ask(&bridge, "GET", "action=discover", Value::Null);
    assert_eq!(status, 200);
    let wf = &discover["workflows"][0];
    let payload = &wf["payload"]["schema"];
    assert_eq!(payload["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(payload["required"], json!(["customerName", "plan"]));
    assert_eq!(payload["properties"]["plan"]["enum"], json!(["free", "pro"]));
    assert_eq!(payload["properties"]["address"]["type"], json!(["object", "null"]));
    assert_eq!(payload["properties"]["address"]["properties"]["city"]["type"], "string");
    assert_eq!(payload["properties"]["items"]["default"], json!([]));
    assert_eq!(payload["description"], "An order.");
    let controls = &wf["steps"][1]["controls"]["schema"]["properties"];
    assert_eq!(controls["subject"]["default"], "Order for {{payload.customerName}}");
    assert_eq!(controls["greeting"]["default"], "Hello");
    assert_eq!(wf["steps"][0]["outputs"]["schema"]["required"], json!(["amount", "currency"]));
    assert_eq!(wf["steps"][0]["type"], "custom");
}

#[test]
fn typed_payloads_controls_and_results_carry_a_run() {
    let bridge = Bridge::new(&lax(), [Workflow::new("order", order).unwrap()]).unwrap();
    let payload = json!({"customerName": "Ada", "plan": "pro", "items": [2, 3], "address": {"city": "Oslo"}});
    let state = json!([{"stepId": "total", "outputs": {"amount": 5, "currency": "EUR"}}]);
    let (status, answer) =
        execute(&bridge, "order", "confirm", json!({"payload": payload, "controls": {}, "state": state}));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["outputs"], json!({"subject": "Order for Ada", "body": "<p>Hello: 5 EUR (Pro, Oslo)</p>"}));

    // The custom step runs as the target: its typed output is validated and answered.
    let (status, answer) = execute(&bridge, "order", "total", json!({"payload": payload, "controls": {}, "state": []}));
    assert_eq!((status, &answer["outputs"]), (200, &json!({"amount": 5, "currency": "EUR"})), "{answer}");

    // Preview mocks the custom step's result from its derived schema.
    let (status, answer) = ask(
        &bridge,
        "POST",
        "action=preview&workflowId=order&stepId=confirm",
        json!({"payload": {"customerName": "Bo", "plan": "free"}, "controls": {"greeting": "Hey"}, "state": []}),
    );
    assert_eq!(status, 200, "{answer}");
    assert!(answer["outputs"]["body"].as_str().unwrap().starts_with("<p>Hey: "), "{answer}");
}

#[test]
fn values_the_type_refuses_are_answered_like_schema_errors() {
    #[derive(Deserialize, JsonSchema)]
    struct Strict {
        #[allow(dead_code)]
        age: u8,
    }
    // The explicit schema accepts any number; the type only 0..=255.
    let wf = Workflow::builder("strict")
        .payload_schema(json!({"type": "object", "properties": {"age": {"type": "number", "default": 1}}}))
        .build(|_: Strict, step: Step| async move {
            step.sms("text", |_: Empty| async { Ok(SmsOutput { body: "ok".into() }) }).await?;
            Ok(())
        })
        .unwrap();
    let bridge = Bridge::new(&lax(), [wf]).unwrap();
    let (status, answer) = execute(&bridge, "strict", "text", json!({"payload": {"age": 300}, "controls": {}}));
    assert_eq!((status, answer["code"].as_str()), (400, Some("ExecutionEventPayloadInvalidError")), "{answer}");
    assert_eq!(answer["data"][0]["path"], "/age", "{answer}");
    assert!(answer["data"][0]["message"].as_str().unwrap().contains("300"), "{answer}");

    // Hydrated state that fits the schema but not the result type: an invalid result, named.
    let bridge = Bridge::new(&lax(), [Workflow::new("order", order).unwrap()]).unwrap();
    let payload = json!({"customerName": "Ada", "plan": "pro"});
    let state = json!([{"stepId": "total", "outputs": {"amount": 1, "currency": 7}}]);
    let (status, answer) =
        execute(&bridge, "order", "confirm", json!({"payload": payload, "controls": {}, "state": state}));
    assert_eq!((status, answer["code"].as_str()), (400, Some("ExecutionStateResultInvalidError")), "{answer}");
    assert_eq!(answer["data"][0]["path"], "/currency");
}

#[test]
fn errors_of_every_origin_get_their_answer() {
    let anyhow_step = Workflow::new("anyhow", |_: Empty, step: Step| async move {
        step.sms("load", |_: Empty| async {
            let cause = std::io::Error::other("connection refused");
            let e = anyhow::Error::new(cause).context("loading the invoice");
            Err::<SmsOutput, _>(e.into())
        })
        .await?;
        Ok(())
    });
    #[derive(Deserialize, JsonSchema)]
    struct Resend {
        #[serde(default)]
        sent: bool,
    }
    let conflict = Workflow::new("conflict", |payload: Resend, step: Step| async move {
        step.sms("text", |_: Empty| async { Ok(SmsOutput { body: "x".into() }) }).await?;
        match payload.sent {
            true => Err(HttpError::new(409, "already sent").code("AlreadySent").into()),
            false => Ok(()),
        }
    });
    let failing_skip = Workflow::new("failing-skip", |_: Empty, step: Step| async move {
        step.sms("text", |_: Empty| async { Ok(SmsOutput { body: "x".into() }) })
            .skip(|_: Empty| async { Err("no database".into()) })
            .await?;
        Ok(())
    });
    #[derive(Deserialize, JsonSchema)]
    struct Count {
        #[schemars(extend("default" = "1"))]
        count: String,
    }
    let body_error = Workflow::new("body-error", |payload: Count, step: Step| async move {
        step.delay("wait", |_: Empty| async { Ok(DelayOutput::regular(1.0, TimeUnit::Hours)) }).await?;
        let count: u32 = payload.count.parse()?;
        step.sms("next", move |_: Empty| async move { Ok(SmsOutput { body: count.to_string() }) }).await?;
        Ok(())
    });
    let workflows = [anyhow_step, conflict, failing_skip, body_error].map(Result::unwrap);
    let bridge = Bridge::new(&lax(), workflows).unwrap();
    let event = json!({"payload": {}, "controls": {}, "state": [{"stepId": "wait", "outputs": {"duration": 0}}]});

    let (status, answer) = execute(&bridge, "anyhow", "load", event.clone());
    assert_eq!((status, answer["code"].as_str()), (502, Some("StepExecutionFailedError")));
    assert_eq!(answer["message"], "Failed to execute Step with id: `load`: loading the invoice: connection refused");
    assert!(answer["data"]["stack"].is_string(), "strict authentication is off: {answer}");

    // The workflow's own error answers with its status; after the target (`text`) ran it is ignored, as
    // upstream ignores it.
    let sent = json!({"payload": {"sent": true}, "controls": {}, "state": [{"stepId": "text", "outputs": {}}]});
    let (status, _) = execute(&bridge, "conflict", "text", sent.clone());
    assert_eq!(status, 200);
    let (status, answer) = execute(&bridge, "conflict", "later", sent);
    assert_eq!((status, answer), (409, json!({"message": "already sent", "code": "AlreadySent"})));

    let (status, answer) = execute(&bridge, "failing-skip", "text", event.clone());
    assert_eq!((status, answer["message"].as_str()), (500, Some("Unknown BridgeError: no database")));

    let mut bad_count = event;
    bad_count["payload"] = json!({"count": "x"});
    let (status, answer) = execute(&bridge, "body-error", "next", bad_count);
    assert_eq!((status, answer["code"].as_str()), (500, Some("BridgeError")), "{answer}");
    assert_eq!(answer["message"], "Unknown BridgeError: invalid digit found in string");

    // Under strict authentication no stack leaves the server.
    let strict = Client::builder().secret_key("k").build();
    let wf = Workflow::new("anyhow", |_: Empty, step: Step| async move {
        step.sms("load", |_: Empty| async { Err::<SmsOutput, _>("boom".into()) }).await?;
        Ok(())
    });
    let bridge = Bridge::new(&strict, [wf.unwrap()]).unwrap();
    let body = serde_json::to_vec(&json!({"payload": {}, "controls": {}})).unwrap();
    let now = 1_700_000_000_000.0;
    let signature = novu_framework::core::hmac::Signer::new("k").header(now as i64, &body).unwrap();
    let query = "action=execute&workflowId=anyhow&stepId=load";
    let request = Request { method: "POST", query, signature: Some(&signature), body: &body, ..Default::default() };
    let response = block_on(bridge.respond_at(&request, now));
    let answer: Value = serde_json::from_slice(response.body.as_bytes()).unwrap();
    assert_eq!((response.status, &answer["data"]), (502, &json!({})), "{answer}");
}

#[test]
fn the_untyped_path_takes_values_and_explicit_schemas() {
    let schema = json!({"type": "object", "properties": {"name": {"type": "string", "default": "World"}}});
    let controls =
        json!({"type": "object", "properties": {"body": {"type": "string", "default": "Hi {{payload.name}}"}}});
    let wf = Workflow::builder("untyped")
        .payload_schema(schema.clone())
        .build(move |payload: Value, step: Step| {
            let controls = controls.clone();
            async move {
                let name = payload["name"].as_str().unwrap_or_default().to_string();
                step.in_app("inbox", move |c: Value| async move { Ok(json!({"subject": name, "body": c["body"]})) })
                    .control_schema(controls)
                    .await?;
                Ok(())
            }
        })
        .unwrap();
    assert_eq!(wf.definition().payload.source(), &schema);
    let bridge = Bridge::new(&lax(), [wf]).unwrap();
    let (status, answer) = execute(&bridge, "untyped", "inbox", json!({"payload": {"x": 1}, "controls": {}}));
    assert_eq!((status, &answer["outputs"]), (200, &json!({"subject": "World", "body": "Hi World"})), "{answer}");
}

#[test]
fn resolvers_await_without_blocking_the_thread() {
    // Two requests on a single-threaded runtime, whose resolvers each wait for the other at a barrier:
    // both finish only if awaiting in a resolver yields the thread.
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let wf = Workflow::new("meet", move |_: Empty, step: Step| {
        let barrier = barrier.clone();
        async move {
            step.sms("text", move |_: Empty| async move {
                barrier.wait().await;
                Ok(SmsOutput { body: "met".into() })
            })
            .await?;
            Ok(())
        }
    })
    .unwrap();
    let bridge = Bridge::new(&lax(), [wf]).unwrap();
    let body = serde_json::to_vec(&json!({"payload": {}, "controls": {}})).unwrap();
    let request = Request {
        method: "POST",
        query: "action=execute&workflowId=meet&stepId=text",
        body: &body,
        ..Default::default()
    };
    let (a, b) = block_on(async {
        let both = async { tokio::join!(bridge.respond(&request), bridge.respond(&request)) };
        tokio::time::timeout(std::time::Duration::from_secs(10), both).await.expect("both requests finish")
    });
    assert_eq!((a.status, b.status), (200, 200));
}

#[test]
fn request_futures_are_send() {
    fn assert_send<T: Send>(_: T) {}
    let bridge = Bridge::new(&lax(), [Workflow::new("order", order).unwrap()]).unwrap();
    assert_send(bridge.handle(http::Request::new(String::new())));
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).build().unwrap();
    let bridge = Arc::new(bridge);
    let request = http::Request::get("/api/novu?action=health-check").body(String::new()).unwrap();
    let response = runtime.block_on(runtime.spawn(async move { bridge.handle(request).await })).unwrap();
    assert_eq!(response.status(), 200);
}

#[test]
fn a_step_kept_past_its_run_changes_nothing() {
    let kept: Arc<Mutex<Option<Step>>> = Arc::default();
    let keep = kept.clone();
    let wf = Workflow::new("keeper", move |_: Empty, step: Step| {
        *keep.lock().unwrap() = Some(step.clone());
        async move {
            step.sms("text", |_: Empty| async { Ok(SmsOutput { body: "x".into() }) }).await?;
            Ok(())
        }
    })
    .unwrap();
    let bridge = Bridge::new(&lax(), [wf]).unwrap();
    assert_eq!(execute(&bridge, "keeper", "text", json!({"payload": {}, "controls": {}})).0, 200);
    let step = kept.lock().unwrap().take().unwrap();
    let late = block_on(async { step.sms("text", |_: Empty| async { Ok(SmsOutput { body: "y".into() }) }).await });
    let Err(StepError::Failed(e)) = late else { panic!("{late:?}") };
    assert!(e.message.contains("finished run"), "{}", e.message);
}

#[test]
fn definition_mistakes_fail_the_build_with_names() {
    let duplicate = Workflow::new("dup", |_: Empty, step: Step| async move {
        step.sms("a", |_: Empty| async { Ok(SmsOutput { body: "x".into() }) }).await?;
        step.sms("a", |_: Empty| async { Ok(SmsOutput { body: "y".into() }) }).await?;
        Ok(())
    });
    let e = duplicate.unwrap_err();
    assert_eq!(e.code.map(|c| c.as_str()), Some("StepAlreadyExistsError"));
    assert!(e.message.contains("Workflow `dup`"), "{}", e.message);

    // A mistake the workflow code swallows still fails the build.
    let swallowed = Workflow::new("swallow", |_: Empty, step: Step| async move {
        let _ = step
            .email("e", |_: Empty| async { Ok(EmailOutput::new("s", "b")) })
            .provider("slack", |_: Empty, _: Value| async { Ok(json!({})) })
            .await;
        Ok(())
    });
    let e = swallowed.unwrap_err();
    assert!(e.message.contains("`slack` is not a provider of email steps"), "{}", e.message);

    #[derive(Deserialize, JsonSchema)]
    struct NeedsName {
        #[allow(dead_code)]
        name: String,
    }
    let loose = Workflow::builder("loose")
        .payload_schema(json!({"type": "object", "properties": {"nick": {"type": "string"}}}))
        .build(|_: NeedsName, _: Step| async move { Ok(()) });
    let e = loose.unwrap_err();
    assert!(e.message.contains("discovery payload") && e.message.contains("missing field `name`"), "{}", e.message);

    let failing = Workflow::new("failing", |_: Empty, _: Step| async move { Err("no config".into()) });
    assert!(failing.unwrap_err().message.contains("failed during discovery: no config"));
    let panicking = Workflow::new("panicking", |_: Empty, _: Step| async move { panic!("bug") });
    assert!(panicking.unwrap_err().message.contains("panicked: bug"));
}

#[test]
fn a_local_run_runs_every_step_with_typed_results() {
    let wf = Workflow::new("flow", |_: Empty, step: Step| async move {
        let inbox = step.in_app("inbox", |_: Empty| async { Ok(InAppOutput::new("hi")) }).await?;
        let delay = step.delay("wait", |_: Empty| async { Ok(DelayOutput::regular(5.0, TimeUnit::Minutes)) }).await?;
        let text = format!("read={} waited={}", inbox.read, delay.duration);
        step.sms("sms", move |_: Empty| async move { Ok(SmsOutput { body: text }) }).await?;
        Ok(())
    })
    .unwrap();
    let result = block_on(wf.run("subscriber-1", json!({}))).unwrap();
    assert_eq!(result["step_results"]["sms"]["body"], "read=false waited=0");
    assert_eq!(result["step_results"]["wait"]["type"], "regular");
    assert_eq!(result["step_results"]["wait"]["amount"].as_f64(), Some(5.0));
    let e = block_on(wf.run("", json!({}))).unwrap_err();
    assert_eq!(e.0.code.as_str(), "InvalidRequestBodyError");
}

#[test]
fn the_http_handler_serves_any_body_type() {
    use bytes::Bytes;
    use http_body_util::{BodyExt, Full};

    let client = Client::builder().secret_key("k").strict_authentication(false).max_body_bytes(128).build();
    let bridge = Bridge::new(&client, [Workflow::new("order", order).unwrap()]).unwrap();
    let send = |uri: &str, body: &str| {
        let request = http::Request::post(uri).body(Full::new(Bytes::from(body.to_string()))).unwrap();
        let response = block_on(bridge.handle(request));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = block_on(response.into_body().collect()).unwrap().to_bytes();
        (status, headers, serde_json::from_slice::<Value>(&bytes).unwrap())
    };
    let local = r#"{"to": "s-1", "payload": {"customerName": "Ada", "plan": "free"}}"#;
    let (status, headers, answer) = send("/api/novu/workflows/order/execute", local);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["step_results"]["confirm"]["subject"], "Order for Ada");
    assert_eq!(headers["novu-framework-server"], "rust");
    assert_eq!(headers["access-control-allow-origin"], "*");
    let (status, _, answer) = send("/api/novu/workflows/nope/execute", local);
    assert_eq!((status, answer["code"].as_str()), (404, Some("WorkflowNotFoundError")));
    let (status, _, answer) = send("/api/novu?action=execute", &"x".repeat(129));
    assert_eq!((status, answer["code"].as_str()), (413, Some("PayloadTooLargeError")));
    let (status, _, answer) =
        send("/api/novu/workflows/order/execute", &format!("{{\"pad\": \"{}\"}}", "x".repeat(130)));
    assert_eq!((status, answer["code"].as_str()), (413, Some("PayloadTooLargeError")));
    assert!(answer["detail"].is_string(), "the local route's error shape: {answer}");
}

#[test]
fn signatures_of_the_fallback_key_are_accepted_while_keys_rotate() {
    use novu_framework::core::hmac::Signer;

    let client = Client::builder().secret_key("new-key").secret_key_fallback("old-key").build();
    let bridge = Bridge::new(&client, [Workflow::new("order", order).unwrap()]).unwrap();
    let now = 1_700_000_000_000.0;
    let status = |key: &str| {
        let signature = Signer::new(key).header(now as i64, b"{}").unwrap();
        let request =
            Request { method: "GET", query: "action=discover", signature: Some(&signature), ..Default::default() };
        block_on(bridge.respond_at(&request, now)).status
    };
    assert_eq!((status("new-key"), status("old-key"), status("other-key")), (200, 200, 401));
}

#[test]
fn agent_events_are_answered_as_for_an_agent_that_is_not_registered() {
    let bridge = Bridge::new(&lax(), [Workflow::new("order", order).unwrap()]).unwrap();
    let body = json!({"replyUrl": "https://api.novu.co/v1/agents/bot/reply", "conversation": {}});
    let (status, answer) = ask(&bridge, "POST", "action=agent-event&agentId=bot&event=onMessage", body);
    assert_eq!((status, answer), (404, json!({"error": "Agent 'bot' not registered"})));
    let (_, discover) = ask(&bridge, "GET", "action=discover", Value::Null);
    assert_eq!(discover["agents"], json!([]));
}
