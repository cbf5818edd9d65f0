//! Every case of the conformance corpus over real HTTP against the reference server's bridge and routes
//! (examples/reference_server: the 7 reference workflows written with the async typed API), strict
//! authentication on, a loopback stand-in for the Novu API.
#![cfg(feature = "axum")]

mod support;
#[path = "../examples/reference_server/workflows.rs"]
mod workflows;

use novu_framework::Client;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpListener;

use support::corpus;

/// A minimal Novu API stand-in: `POST /v1/events/trigger` echoes what it received, as the recording's did.
fn novu_api_stand_in() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head_end, length) = loop {
                let n = stream.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break (buf.len(), 0);
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..i]).to_lowercase();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                        .unwrap_or(0);
                    break (i + 4, length);
                }
            };
            while buf.len() < head_end + length {
                let n = stream.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let head = String::from_utf8_lossy(&buf[..head_end.min(buf.len())]).to_string();
            let body: Value = serde_json::from_slice(&buf[head_end.min(buf.len())..]).unwrap_or(Value::Null);
            let auth_ok = head.to_lowercase().contains(&format!("authorization: apikey {}", corpus::SECRET));
            let (status, answer) = if head.starts_with("POST /v1/events/trigger ") {
                let tx = body["transactionId"].as_str().unwrap_or("mock-transaction-id").to_string();
                (
                    201,
                    json!({"acknowledged": true, "status": "processed", "transactionId": tx,
                            "received": {"authorizationOk": auth_ok, "body": body}}),
                )
            } else {
                (404, json!({"statusCode": 404, "message": "mock: no route", "error": "Not Found"}))
            };
            let text = answer.to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    url
}

#[test]
fn every_corpus_case_passes_on_the_reference_server() {
    let api = novu_api_stand_in();
    let client = Client::builder().secret_key(corpus::SECRET).strict_authentication(true).api_url(api).build();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let base = format!("http://{}/api/novu", listener.local_addr().expect("addr"));
    let app = workflows::app(&client).expect("the reference server's app builds");
    runtime.spawn(async move { axum::serve(listener, app).await });
    let mut failures = Vec::new();
    let cases = corpus::cases();
    for case in &cases {
        let id = case["id"].as_str().unwrap_or_default();
        let actual = corpus::send(&base, case);
        let diffs = corpus::compare(&corpus::expected(id), &actual, corpus::accepted(id));
        if !diffs.is_empty() {
            failures.push(format!("{id}:\n  {}", diffs.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
