//! The conformance corpus for Rust tests: sending a case over HTTP with the corpus's signing rules, and
//! comparing the answer with the recording (the rules of tests/conformance/README.md).

use std::time::{SystemTime, UNIX_EPOCH};

use novu_framework::core::hmac::Signer;
use novu_framework::core::json;
use serde_json::{Map, Value, json};

const CASES: &str = include_str!("../../../../tests/conformance/cases.json");
const EXPECTED: &str = include_str!("../../../../tests/conformance/expected.json");
const DEVIATIONS: &str = include_str!("../../../../tests/conformance/deviations.json");

pub const SECRET: &str = "ref-secret-key";

const RECORDED_HEADERS: [&str; 10] = [
    "content-type",
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-allow-private-network",
    "access-control-max-age",
    "novu-framework-version",
    "novu-framework-sdk",
    "novu-framework-server",
    "user-agent",
];

pub fn cases() -> Vec<Value> {
    serde_json::from_str::<Value>(CASES).expect("cases.json").as_array().cloned().unwrap_or_default()
}

pub fn expected(id: &str) -> Value {
    let all: Value = serde_json::from_str(EXPECTED).expect("expected.json");
    all["cases"].as_array().into_iter().flatten().find(|c| c["id"] == id).cloned().unwrap_or(Value::Null)
}

pub fn accepted(id: &str) -> Option<Vec<Value>> {
    let all: Value = serde_json::from_str(DEVIATIONS).expect("deviations.json");
    all["cases"].as_array().into_iter().flatten().find(|c| c["id"] == id).and_then(|d| d["accept"].as_array().cloned())
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn query(case: &Value) -> String {
    match &case["query"] {
        Value::String(s) => s.clone(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v.as_str().unwrap_or(&v.to_string()))))
            .collect::<Vec<_>>()
            .join("&"),
        _ => String::new(),
    }
}

/// What a JavaScript server signs after `<t>.`.
fn signed_text(case: &Value, text: Option<&str>, content_type: Option<&str>) -> String {
    if case["method"] != "POST" {
        return "{}".into();
    }
    let Some(text) = text else {
        return "undefined".into();
    };
    let media = content_type.unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media != "application/json" {
        return "undefined".into();
    }
    if text.is_empty() {
        return "{}".into();
    }
    serde_json::from_str::<Value>(text).map(|v| json::stringify(&v)).unwrap_or_else(|_| "{}".into())
}

pub fn signature(case: &Value, text: Option<&str>, content_type: Option<&str>) -> Option<String> {
    let default = json!({"mode": "valid"});
    let sign = if case["sign"].is_object() { &case["sign"] } else { &default };
    match sign["mode"].as_str() {
        Some("none") => return None,
        Some("header") => return sign["value"].as_str().map(String::from),
        _ => {}
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
    let mut t = now + sign["tOffsetMs"].as_i64().unwrap_or(0);
    if sign["tUnit"] == "s" {
        t /= 1000;
    }
    let payload = if let Some(over) = sign["over"].as_str() {
        over.to_string()
    } else if sign["overRaw"] == true {
        text.unwrap_or("").to_string()
    } else {
        signed_text(case, text, content_type)
    };
    let secret = sign["secret"].as_str().unwrap_or(SECRET);
    let v1 = Signer::new(secret).hex(&t.to_string(), payload.as_bytes()).unwrap_or_default();
    Some(match sign["transform"].as_str() {
        None => format!("t={t},v1={v1}"),
        Some("drop-v1") => format!("t={t}"),
        Some("drop-t") => format!("v1={v1}"),
        Some("t-not-number") => format!("t=abc,v1={v1}"),
        Some("upper-hex") => format!("t={t},v1={}", v1.to_uppercase()),
        Some("truncate-hex") => format!("t={t},v1={}", &v1[..32]),
        Some("extra-parts") => format!("t={t},v1={v1},v0=deadbeef,foo=bar"),
        Some("spaces") => format!(" t={t} ,  v1={v1} "),
        Some("reverse") => format!("v1={v1},t={t}"),
        Some("duplicate-t-bad-second") => format!("t={t},v1={v1},t={}", t - 1000),
        Some("duplicate-t-bad-first") => format!("t={},t={t},v1={v1}", t - 1000),
        Some("v2-only") => format!("t={t},v2={v1}"),
        Some(other) => panic!("unknown transform {other}"),
    })
}

/// Sends one case to `base_url` and records the answer as the reference tools do.
pub fn send(base_url: &str, case: &Value) -> Value {
    let text: Option<String> = match (&case["rawBody"], &case["body"]) {
        (Value::String(raw), _) => Some(raw.clone()),
        (_, Value::Null) if case.get("body").is_none() => None,
        (_, body) => Some(json::stringify(body)),
    };
    let mut headers: Map<String, Value> = Map::new();
    if text.is_some() {
        headers.insert("content-type".into(), json!("application/json"));
    }
    if let Some(extra) = case["headers"].as_object() {
        for (k, v) in extra {
            if v.is_null() {
                headers.remove(&k.to_lowercase());
            } else {
                headers.insert(k.to_lowercase(), v.clone());
            }
        }
    }
    let content_type = headers.get("content-type").and_then(Value::as_str).map(String::from);
    if let Some(sig) = signature(case, text.as_deref(), content_type.as_deref()) {
        headers.insert("novu-signature".into(), json!(sig));
    }
    let q = query(case);
    let url = if q.is_empty() { base_url.to_string() } else { format!("{base_url}?{q}") };
    let mut builder = ureq::http::Request::builder().method(case["method"].as_str().unwrap_or("GET")).uri(&url);
    for (k, v) in &headers {
        builder = builder.header(k.as_str(), v.as_str().unwrap_or(""));
    }
    let request = builder.body(text.clone().unwrap_or_default().into_bytes()).expect("request builds");
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).allow_non_standard_methods(true).build().into();
    let mut response = agent.run(request).expect("the bridge answers");
    let status = response.status().as_u16();
    let mut got_headers = Map::new();
    for name in RECORDED_HEADERS {
        if let Some(v) = response.headers().get(name).and_then(|v| v.to_str().ok()) {
            got_headers.insert(name.into(), json!(v));
        }
    }
    let raw = response.body_mut().read_to_string().unwrap_or_default();
    let (body_type, body) = if raw.is_empty() {
        ("empty", Value::Null)
    } else {
        match serde_json::from_str::<Value>(&raw) {
            Ok(v) => ("json", v),
            Err(_) => ("text", Value::String(raw)),
        }
    };
    json!({"id": case["id"], "status": status, "headers": got_headers, "bodyType": body_type, "body": body})
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_error_code(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn compare_value(path: &str, e: &Value, a: &Value, volatile: &[String], out: &mut Vec<String>) {
    let key = &path[path.rfind(['.', '[']).map(|i| i + 1).unwrap_or(0)..];
    let type_only = ["body.metadata.duration", "body.sdkVersion", "body.frameworkVersion"].contains(&path)
        || key == "stack"
        || (key == "code" && e.as_str().is_some_and(|s| !is_error_code(s)))
        || volatile
            .iter()
            .any(|v| path == v || path.starts_with(&format!("{v}.")) || path.starts_with(&format!("{v}[")));
    if type_only {
        if type_of(e) != type_of(a) {
            out.push(format!("{path}: type {} != {}", type_of(e), type_of(a)));
        }
        return;
    }
    match (e, a) {
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                out.push(format!("{path}: array length {} != {}", x.len(), y.len()));
            }
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                compare_value(&format!("{path}[{i}]"), p, q, volatile, out);
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    None if k != "stack" => out.push(format!("{path}.{k}: missing in actual (expected {v})")),
                    None => {}
                    Some(w) => compare_value(&format!("{path}.{k}"), v, w, volatile, out),
                }
            }
            for (k, w) in y {
                if !x.contains_key(k) {
                    out.push(format!("{path}.{k}: unexpected in actual ({w})"));
                }
            }
        }
        _ if type_of(e) != type_of(a) || e != a => out.push(format!("{path}: expected {e}, got {a}")),
        _ => {}
    }
}

/// Differences between the recording and an answer (empty when they agree).
pub fn compare(exp: &Value, act: &Value, accepted: Option<Vec<Value>>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(accepted) = accepted {
        let code = act["body"]["code"].as_str();
        let ok = accepted
            .iter()
            .any(|x| x["status"] == act["status"] && (x["code"].is_null() || x["code"].as_str() == code));
        if !ok {
            out.push(format!("deviation: got {} {code:?}, accepted {accepted:?}", act["status"]));
        }
        return out;
    }
    if exp["status"] != act["status"] {
        out.push(format!("status: expected {}, got {}", exp["status"], act["status"]));
    }
    if exp["compare"] == "status" {
        return out;
    }
    let (eh, ah) = (
        exp["headers"].as_object().cloned().unwrap_or_default(),
        act["headers"].as_object().cloned().unwrap_or_default(),
    );
    for name in eh.keys().chain(ah.keys().filter(|k| !eh.contains_key(*k))) {
        match (eh.get(name), ah.get(name)) {
            (None, Some(a)) => out.push(format!("headers.{name}: unexpected ({a})")),
            (Some(e), None) => out.push(format!("headers.{name}: missing (expected {e})")),
            (Some(_), Some(_))
                if ["user-agent", "novu-framework-sdk", "novu-framework-server"].contains(&name.as_str()) => {}
            (Some(e), Some(a)) if name == "content-type" => {
                let media =
                    |v: &Value| v.as_str().unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                if media(e) != media(a) {
                    out.push(format!("headers.content-type: expected {e}, got {a}"));
                }
            }
            (Some(e), Some(a)) if e != a => out.push(format!("headers.{name}: expected {e}, got {a}")),
            _ => {}
        }
    }
    if exp["bodyType"] != act["bodyType"] {
        out.push(format!("bodyType: expected {}, got {}", exp["bodyType"], act["bodyType"]));
    }
    let volatile: Vec<String> =
        exp["volatile"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect();
    compare_value("body", &exp["body"], &act["body"], &volatile, &mut out);
    out
}
