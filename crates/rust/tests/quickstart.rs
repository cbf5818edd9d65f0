//! The quick start (examples/axum_quickstart.rs, also the README's Rust block) serves its workflow.
#![cfg(feature = "axum")]

#[allow(dead_code)]
#[path = "../examples/axum_quickstart.rs"]
mod quickstart;
mod support;

use novu_framework::Client;
use serde_json::json;

use support::{send, serve};

const SECRET: &str = "quickstart-secret";

#[test]
fn the_quick_start_serves_its_workflow() {
    let client = Client::builder().secret_key(SECRET).strict_authentication(true).build();
    let served = serve(quickstart::app(&client).expect("the app builds"));
    let url = format!("{}/api/novu", served.base);

    let (status, health) = send("GET", &url, None, None);
    assert_eq!((status, &health["discovered"]), (200, &json!({"workflows": 1, "steps": 2})), "{health}");
    let (status, _) = send("GET", &format!("{url}?action=discover"), None, None);
    assert_eq!(status, 401);
    let (status, discover) = send("GET", &format!("{url}?action=discover"), None, Some(SECRET));
    assert_eq!(status, 200);
    let email = &discover["workflows"][0]["steps"][1];
    assert_eq!(email["controls"]["schema"]["properties"]["subject"]["default"], "Welcome aboard, {{payload.name}}!");
    assert_eq!(discover["workflows"][0]["payload"]["schema"]["required"], json!(["name"]));

    let unread = json!({"seen": false, "read": false, "lastSeenDate": null, "lastReadDate": null});
    let event = json!({
        "payload": {"name": "Ada"},
        "controls": {},
        "state": [{"stepId": "inbox", "outputs": unread}],
        "subscriber": {"subscriberId": "s-1"},
    });
    let execute = format!("{url}?action=execute&workflowId=welcome&stepId=welcome-email");
    let (status, answer) = send("POST", &execute, Some(&event), Some(SECRET));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["outputs"],
        json!({"subject": "Welcome aboard, Ada!", "body": "<p>Hi Ada, good to have you.</p>"})
    );

    // Read in the Inbox already: the email step is never reached.
    let mut read = event.clone();
    read["state"][0]["outputs"]["read"] = json!(true);
    let (status, answer) = send("POST", &execute, Some(&read), Some(SECRET));
    assert_eq!((status, &answer["outputs"]), (200, &json!({})), "{answer}");

    // A payload the schema refuses is a 400 naming the field.
    let (status, answer) =
        send("POST", &execute, Some(&json!({"payload": {"name": 5}, "controls": {}, "state": []})), Some(SECRET));
    assert_eq!((status, &answer["data"]), (400, &json!([{"path": "/name", "message": "must be string"}])), "{answer}");
}
