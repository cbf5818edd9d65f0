//! The 7 reference workflows of the conformance corpus (tests/conformance/workflows.md) with Rust closures,
//! schemas read verbatim from tests/conformance/workflows.schemas.json.

use novu_framework::core::json::{f64_text, truthy};
use novu_framework::{StepOptions, UserError, Workflow};
use serde_json::{Map, Value, json};

const SCHEMAS: &str = include_str!("../../../../tests/conformance/workflows.schemas.json");

fn schemas() -> Value {
    serde_json::from_str(SCHEMAS).expect("workflows.schemas.json parses")
}

/// The named keys of `controls` that are present (JavaScript's `{subject: c.subject}` drops undefined).
fn pick(controls: &Value, keys: &[&str]) -> Value {
    let mut out = Map::new();
    for k in keys {
        if let Some(v) = controls.get(*k) {
            out.insert((*k).to_string(), v.clone());
        }
    }
    Value::Object(out)
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

/// Text of a value in a JavaScript template string.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => f64_text(n.as_f64().unwrap_or(0.0)),
        Value::Null => "undefined".into(),
        other => other.to_string(),
    }
}

pub fn workflows() -> Vec<Workflow> {
    let s = schemas();
    let controls = |wf: &str, step: &str| s[wf]["steps"][step]["controlSchema"].clone();
    let payload = |wf: &str| s[wf]["payloadSchema"].clone();

    let welcome = {
        let (inbox, email, sms) =
            (controls("welcome", "inbox"), controls("welcome", "welcome-email"), controls("welcome", "sms"));
        Workflow::builder("welcome")
            .payload_schema(payload("welcome"))
            .build(move |step| {
                step.in_app("inbox", StepOptions::new().control_schema(inbox.clone()), |c| {
                    let mut out = pick(c, &["subject", "body"]);
                    if truthy(&c["actionUrl"]) {
                        out["primaryAction"] = json!({"label": "Open", "redirect": {"url": c["actionUrl"]}});
                    }
                    if truthy(&c["data"]) {
                        out["data"] = c["data"].clone();
                    }
                    Ok(out)
                })?;
                step.email("welcome-email", StepOptions::new().control_schema(email.clone()), |c| {
                    Ok(pick(c, &["subject", "body"]))
                })?;
                let options = StepOptions::new().control_schema(sms.clone()).skip(|c| c["enabled"] == json!(false));
                step.sms("sms", options, |c| Ok(pick(c, &["body"])))?;
                Ok(())
            })
            .expect("welcome is valid")
    };

    let digest_flow = {
        let (collect, summary) = (controls("digest-flow", "collect"), controls("digest-flow", "summary"));
        Workflow::builder("digest-flow")
            .payload_schema(payload("digest-flow"))
            .build(move |step| {
                let digest = step.digest("collect", StepOptions::new().control_schema(collect.clone()), |c| {
                    let mut out = pick(c, &["amount", "unit"]);
                    if truthy(&c["lookBackWindow"]) {
                        out["lookBackWindow"] = c["lookBackWindow"].clone();
                    }
                    Ok(out)
                })?;
                let events = digest["events"].as_array().map(Vec::len).unwrap_or(0);
                step.email("summary", StepOptions::new().control_schema(summary.clone()), move |c| {
                    Ok(json!({"subject": c["subject"], "body": format!("{}<p>Total events: {events}</p>", text(&c["body"]))}))
                })?;
                Ok(())
            })
            .expect("digest-flow is valid")
    };

    let delay_then_push = {
        let (push, chat) = (controls("delay-then-push", "push"), controls("delay-then-push", "chat"));
        Workflow::builder("delay-then-push")
            .payload_schema(payload("delay-then-push"))
            .build(move |step| {
                step.delay("wait", StepOptions::new(), |_| Ok(json!({"type": "regular", "amount": 1, "unit": "hours"})))?;
                step.push("push", StepOptions::new().control_schema(push.clone()), |c| Ok(pick(c, &["subject", "body"])))?;
                let options = StepOptions::new().control_schema(chat.clone()).provider("slack", |controls, outputs| {
                    Ok(json!({
                        "text": outputs["body"],
                        "blocks": [
                            {"type": "header", "text": {"type": "plain_text", "text": "Notification"}},
                            {"type": "section", "text": {"type": "mrkdwn", "text": format!("*{}*", text(&controls["body"]))}},
                        ],
                    }))
                });
                step.chat("chat", options, |c| Ok(pick(c, &["body"])))?;
                Ok(())
            })
            .expect("delay-then-push is valid")
    };

    let custom_step = {
        let (output, notify) =
            (s["custom-step"]["steps"]["compute"]["outputSchema"].clone(), controls("custom-step", "notify"));
        Workflow::builder("custom-step")
            .payload_schema(payload("custom-step"))
            .build(move |step| {
                let p = step.payload().clone();
                let compute = step.custom("compute", StepOptions::new().output_schema(output.clone()), move |_| {
                    if truthy(&p["badOutput"]) {
                        return Ok(json!({"score": "not-a-number", "label": "low"}));
                    }
                    let sum: f64 = p["values"].as_array().map(|v| v.iter().map(number).sum()).unwrap_or(0.0);
                    let score = sum * number(&p["multiplier"]);
                    Ok(json!({"score": score, "label": if score > 10.0 { "high" } else { "low" }}))
                })?;
                step.in_app("notify", StepOptions::new().control_schema(notify.clone()), move |c| {
                    let body = format!(
                        "{} Score (code): {} ({})",
                        text(&c["prefix"]),
                        text(&compute["score"]),
                        text(&compute["label"])
                    );
                    Ok(json!({"subject": c["subject"], "body": body}))
                })?;
                Ok(())
            })
            .expect("custom-step is valid")
    };

    let strict_payload = {
        let notify = controls("strict-payload", "notify");
        Workflow::builder("strict-payload")
            .payload_schema(payload("strict-payload"))
            .build(move |step| {
                step.sms("notify", StepOptions::new().control_schema(notify.clone()), |c| Ok(pick(c, &["body"])))?;
                Ok(())
            })
            .expect("strict-payload is valid")
    };

    let throwing = Workflow::builder("throwing")
        .payload_schema(payload("throwing"))
        .build(|step| {
            step.sms("explode", StepOptions::new(), |_| {
                Err(UserError::Exception { message: "boom".into(), stack: None })
            })?;
            Ok(())
        })
        .expect("throwing is valid");

    let prefs = {
        let email = controls("prefs", "email");
        let o = &s["prefs"]["options"];
        let tags: Vec<String> =
            o["tags"].as_array().into_iter().flatten().filter_map(|t| t.as_str().map(String::from)).collect();
        Workflow::builder("prefs")
            .payload_schema(payload("prefs"))
            .name(o["name"].as_str().unwrap_or_default())
            .description(o["description"].as_str().unwrap_or_default())
            .tags(tags)
            .severity(o["severity"].as_str().unwrap_or("none"))
            .preferences(o["preferences"].clone())
            .build(move |step| {
                let invoice = text(&step.payload()["invoiceId"]);
                let body = format!("<p>Invoice {invoice} is ready.</p>");
                step.email("email", StepOptions::new().control_schema(email.clone()), move |c| {
                    Ok(json!({"subject": c["subject"], "body": body}))
                })?;
                step.in_app("in-app", StepOptions::new(), move |_| {
                    Ok(json!({"body": format!("Invoice {invoice} is ready.")}))
                })?;
                Ok(())
            })
            .expect("prefs is valid")
    };

    vec![welcome, digest_flow, delay_then_push, custom_step, strict_payload, throwing, prefs]
}
