//! Triggers and cancels against a loopback stand-in for the Novu API served by the same single-threaded
//! runtime that awaits them: they can only finish if they never block that thread.
#![cfg(feature = "axum")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, post};
use novu_framework::{BoxError, Client, Empty, SmsOutput, Step, TriggerError, Workflow};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

type Seen = Arc<Mutex<Vec<Value>>>;

async fn trigger(State(seen): State<Seen>, headers: HeaderMap, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    seen.lock().unwrap().push(json!({"method": "POST", "authorization": auth, "body": body}));
    if body["to"] == "refused" {
        let refusal = json!({"statusCode": 422, "message": "bad to", "error": "Unprocessable Entity"});
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(refusal));
    }
    let answer = json!({"data": {"acknowledged": true, "status": "processed", "transactionId": body["transactionId"]}});
    (StatusCode::CREATED, Json(answer))
}

async fn cancel(State(seen): State<Seen>, Path(id): Path<String>) -> Json<Value> {
    seen.lock().unwrap().push(json!({"method": "DELETE", "id": id}));
    Json(json!({"data": true}))
}

/// Serves the stand-in on this runtime; returns its URL and what it received.
async fn novu_api() -> (String, Seen) {
    let seen = Seen::default();
    let app = axum::Router::new()
        .route("/v1/events/trigger", post(trigger))
        .route("/v1/events/trigger/{id}", delete(cancel))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

#[derive(Serialize, Deserialize, JsonSchema)]
struct Welcome {
    name: String,
    #[serde(default = "free")]
    plan: String,
}

fn free() -> String {
    "free".into()
}

async fn welcome(_: Welcome, step: Step) -> Result<(), BoxError> {
    step.sms("text", |_: Empty| async { Ok(SmsOutput { body: "hi".into() }) }).await?;
    Ok(())
}

fn single_thread<F: std::future::Future>(f: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async { tokio::time::timeout(Duration::from_secs(30), f).await.expect("finished in time") })
}

#[test]
fn triggers_and_cancels_never_block_the_runtime() {
    single_thread(async {
        let (url, seen) = novu_api().await;
        let client = Client::builder().secret_key("nv-key").api_url(&url).build();
        let wf = Workflow::new("welcome", welcome).unwrap();

        let sent = wf.trigger(&client, "subscriber-1").payload(Welcome { name: "Ada".into(), plan: free() }).await;
        let sent = sent.expect("the trigger is accepted");
        assert_eq!(sent.status, 201);
        assert_eq!(sent.transaction_id.len(), 36, "a generated id: {}", sent.transaction_id);
        let request = seen.lock().unwrap()[0].clone();
        assert_eq!(request["authorization"], "ApiKey nv-key");
        assert_eq!(
            request["body"],
            json!({"name": "welcome", "to": "subscriber-1", "payload": {"name": "Ada", "plan": "free"}, "transactionId": sent.transaction_id})
        );
        assert_eq!(sent.cancel().await.unwrap(), json!({"data": true}));
        assert_eq!(seen.lock().unwrap()[1], json!({"method": "DELETE", "id": sent.transaction_id}));

        // Schema defaults fill the payload; options go along in upstream's order.
        let sent = wf
            .trigger(&client, json!([{"subscriberId": "s-2", "email": "b@example.com"}]))
            .payload(json!({"name": "Bo"}))
            .transaction_id("tx/1")
            .actor("admin")
            .overrides(json!({"email": {"from": "x@example.com"}}))
            .await
            .unwrap();
        assert_eq!(sent.transaction_id, "tx/1");
        let body = seen.lock().unwrap()[2]["body"].clone();
        assert_eq!(body["payload"], json!({"name": "Bo", "plan": "free"}));
        let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["name", "to", "payload", "transactionId", "overrides", "actor"]);
        client.cancel("tx/1").await.unwrap();
        assert_eq!(seen.lock().unwrap()[3]["id"], "tx/1");

        // Novu's refusal, with its message and the transaction id.
        let refused = wf.trigger(&client, "refused").payload(json!({"name": "Ada"})).transaction_id("tx-2").await;
        let Err(e @ TriggerError::Status { status: 422, .. }) = refused else { panic!("{refused:?}") };
        assert_eq!((e.to_string().as_str(), e.transaction_id()), ("the Novu API answered 422: bad to", Some("tx-2")));
    });
}

#[test]
fn bad_triggers_are_refused_before_sending() {
    single_thread(async {
        let (url, seen) = novu_api().await;
        let client = Client::builder().secret_key("nv-key").api_url(&url).build();
        let wf = Workflow::new("welcome", welcome).unwrap();
        let rejected = |r: Result<_, TriggerError>| match r {
            Err(TriggerError::Rejected(e)) => (e.code_text.clone().unwrap_or_else(|| e.code.as_str().into()), e.data),
            other => panic!("{other:?}"),
        };
        let (code, data) = rejected(wf.trigger(&client, "s-1").payload(json!({"plan": 5})).await);
        assert_eq!(code, "WorkflowPayloadInvalidError");
        assert_eq!(data, Some(json!([{"path": "", "message": "must have required property 'name'"}])));
        let (code, _) = rejected(wf.trigger(&client, json!([])).payload(json!({"name": "Ada"})).await);
        assert_eq!(code, "InvalidTriggerError");
        let (code, _) = rejected(wf.trigger(&client, f64::NAN).await);
        assert_eq!(code, "InvalidTriggerError");
        let keyless = Client::builder().secret_key("").api_url(&url).build();
        let (code, _) = rejected(wf.trigger(&keyless, "s-1").payload(json!({"name": "Ada"})).await);
        assert_eq!(code, "MissingSecretKeyError");
        assert!(seen.lock().unwrap().is_empty(), "nothing was sent");

        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}", listener.local_addr().unwrap())
        };
        let client = Client::builder().secret_key("nv-key").api_url(&closed).retries(0).build();
        let unreachable = wf.trigger(&client, "s-1").payload(json!({"name": "Ada"})).await;
        let Err(e @ TriggerError::Unreachable { .. }) = unreachable else { panic!("{unreachable:?}") };
        assert!(e.to_string().contains(&format!("{closed}/v1/events/trigger")), "{e}");
        assert!(e.transaction_id().is_some());
    });
}
