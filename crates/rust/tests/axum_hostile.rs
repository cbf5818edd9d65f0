//! The axum adapter under inputs the corpus does not cover: ids that are not UTF-8, paths next to the
//! routes, bodies over the limit, and workflow closures that panic. Every answer is the bridge's JSON.

#![cfg(feature = "axum")]

use novu_framework::{BoxError, Bridge, Client, Empty, SmsOutput, Step, Workflow};
use serde_json::{Value, json};

async fn explode(_: Empty) -> Result<SmsOutput, BoxError> {
    panic!("resolver bug")
}

fn workflows() -> Vec<Workflow> {
    let ok = Workflow::new("ok", |_: Empty, step: Step| async move {
        step.sms("text", |_: Empty| async { Ok(SmsOutput { body: "hi".into() }) }).await?;
        Ok(())
    });
    let panics = Workflow::new("panics", |_: Empty, step: Step| async move {
        step.sms("text", explode).await?;
        Ok(())
    });
    // Panics in the workflow function itself, before it returns its future (not in discovery).
    let early = Workflow::new("early", |flag: Flag, step: Step| {
        assert!(!flag.panic, "workflow function bug");
        async move {
            step.sms("text", |_: Empty| async { Ok(SmsOutput { body: "hi".into() }) }).await?;
            Ok(())
        }
    });
    vec![ok.expect("ok"), panics.expect("panics"), early.expect("early")]
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Flag {
    #[serde(default)]
    panic: bool,
}

struct Server {
    base: String,
    _runtime: tokio::runtime::Runtime,
}

fn serve(max_body_bytes: usize) -> Server {
    let client = Client::builder().secret_key("sk").strict_authentication(false).max_body_bytes(max_body_bytes).build();
    let bridge = Bridge::with_server_name(&client, workflows(), "axum").expect("bridge");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let base = format!("http://{}/api/novu", listener.local_addr().expect("addr"));
    let app = axum::Router::new().nest("/api/novu", novu_framework::axum::router(bridge));
    runtime.spawn(async move { axum::serve(listener, app).await });
    Server { base, _runtime: runtime }
}

fn post(url: &str, body: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut response = agent.post(url).header("content-type", "application/json").send(body).expect("request");
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap_or_default())
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn hostile_requests_get_the_bridges_json_answers() {
    let server = serve(1024);
    let base = &server.base;

    // A workflow id whose percent-decoding is not UTF-8: an unknown workflow, as JSON.
    let (status, body) = post(&format!("{base}/workflows/%FF%FE/execute"), r#"{"to":"s","payload":{}}"#);
    assert_eq!(status, 404, "{body}");
    assert_eq!(json_of(&body)["code"], "WorkflowNotFoundError");

    // Percent-encoded ids are decoded; ids may contain slashes.
    let (status, body) = post(&format!("{base}/workflows/o%6B/execute"), r#"{"to":"s","payload":{}}"#);
    assert_eq!(status, 200, "{body}");
    assert_eq!(json_of(&body)["step_results"], json!({"text": {"body": "hi"}}));
    let (status, body) = post(&format!("{base}/workflows/a/b/execute"), r#"{"to":"s","payload":{}}"#);
    assert_eq!((status, json_of(&body)["detail"].clone()), (404, json!("Workflow 'a/b' not found")));

    // Next to the route but not it: axum's plain 404.
    let (status, _) = post(&format!("{base}/workflows/ok"), "{}");
    assert_eq!(status, 404);

    // Over the size limit: 413 on both routes, in each route's error shape.
    let big = format!(r#"{{"payload":{{"x":"{}"}}}}"#, "a".repeat(2048));
    let (status, body) = post(&format!("{base}?action=execute&workflowId=ok&stepId=text"), &big);
    assert_eq!((status, json_of(&body)["code"].clone()), (413, json!("PayloadTooLargeError")));
    let (status, body) = post(&format!("{base}/workflows/ok/execute"), &big);
    assert_eq!((status, json_of(&body)["code"].clone()), (413, json!("PayloadTooLargeError")));
    assert!(json_of(&body)["detail"].is_string(), "{body}");

    // A panicking resolver fails its run with a 500 BridgeError; the server keeps serving.
    let event = r#"{"payload":{},"controls":{},"state":[]}"#;
    let (status, body) = post(&format!("{base}?action=execute&workflowId=panics&stepId=text"), event);
    assert_eq!(status, 500, "{body}");
    let answer = json_of(&body);
    assert_eq!(answer["code"], "BridgeError");
    assert!(answer["message"].as_str().unwrap_or_default().contains("resolver bug"), "{body}");
    let (status, body) = post(&format!("{base}/workflows/panics/execute"), r#"{"to":"s","payload":{}}"#);
    assert_eq!((status, json_of(&body)["code"].clone()), (500, json!("BridgeError")));
    let early = r#"{"payload":{"panic":true},"controls":{},"state":[]}"#;
    let (status, body) = post(&format!("{base}?action=execute&workflowId=early&stepId=text"), early);
    assert_eq!((status, json_of(&body)["code"].clone()), (500, json!("BridgeError")), "{body}");
    assert!(json_of(&body)["message"].as_str().unwrap_or_default().contains("workflow function bug"), "{body}");
    let (status, _) = post(&format!("{base}?action=execute&workflowId=ok&stepId=text"), event);
    assert_eq!(status, 200);
}
