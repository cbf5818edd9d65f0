//! What the fuzz targets share: splitting an input into fields, the reference workflows of the conformance
//! corpus served by a core bridge, and a driver that plays the workflow function's part in a run.
//!
//! Inputs are newline-separated fields (the last one takes the rest), so that seeds made from the
//! conformance cases and the fixtures stay readable and libFuzzer's mutations stay meaningful.

// The core's `Result<_, FrameworkError>` is large; errors are the cold path (see the core crate).
#![allow(clippy::result_large_err)]

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use novu_framework_core::dispatch::{Bridge, BridgeConfig, Response, Route};
use novu_framework_core::engine::{Run, StepAction};
use novu_framework_core::error::{FrameworkError, UserError};
use novu_framework_core::liquid::Limits;
use novu_framework_core::steps::StepKind;
use novu_framework_core::workflow::{StepOptions, WorkflowBuilder, WorkflowDefinition, WorkflowOptions};
use serde_json::{Value, json};

/// The bridge's keys: inbound signatures are accepted with either.
pub const SECRET: &str = "sk-fuzz-primary-6d1f";
pub const FALLBACK: &str = "sk-fuzz-fallback-93ab";
/// The clock every dispatch reads, so that signed seeds stay valid.
pub const NOW_MS: f64 = 1_700_000_000_000.0;
/// What a raising resolver puts in its traceback; strict authentication must never show it.
pub const STACK_MARK: &str = "Traceback (fuzz stand-in)";

/// Splits `data` at its first `N - 1` newlines; missing fields are empty, the last keeps any newlines.
pub fn fields<const N: usize>(data: &[u8]) -> [&[u8]; N] {
    let mut out = [&data[..0]; N];
    let mut rest = data;
    for slot in out.iter_mut().take(N - 1) {
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        *slot = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    out[N - 1] = rest;
    out
}

pub fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// A small budget: every input finishes in milliseconds, and running out of budget gets explored too.
pub fn small_limits() -> Limits {
    Limits { max_iterations: 20_000, max_string_bytes: 64 << 10, max_output_bytes: 64 << 10, max_work_bytes: 1 << 20 }
}

const SCHEMAS: &str = include_str!("../../tests/conformance/workflows.schemas.json");

/// The reference workflows (tests/conformance/workflows.md): ids and their steps in call order.
const WORKFLOWS: [(&str, &[(StepKind, &str)]); 7] = [
    ("welcome", &[(StepKind::InApp, "inbox"), (StepKind::Email, "welcome-email"), (StepKind::Sms, "sms")]),
    ("digest-flow", &[(StepKind::Digest, "collect"), (StepKind::Email, "summary")]),
    ("delay-then-push", &[(StepKind::Delay, "wait"), (StepKind::Push, "push"), (StepKind::Chat, "chat")]),
    ("custom-step", &[(StepKind::Custom, "compute"), (StepKind::InApp, "notify")]),
    ("strict-payload", &[(StepKind::Sms, "notify")]),
    ("throwing", &[(StepKind::Sms, "explode")]),
    ("prefs", &[(StepKind::Email, "email"), (StepKind::InApp, "in-app")]),
];

/// The reference workflows, defined from the same language-neutral schemas the Python ones load.
pub fn reference_workflows() -> Vec<Arc<WorkflowDefinition>> {
    let schemas: Value = serde_json::from_str(SCHEMAS).expect("workflows.schemas.json is JSON");
    WORKFLOWS
        .iter()
        .map(|(id, steps)| {
            let w = &schemas[id];
            let o = &w["options"];
            let text = |key: &str| o.get(key).and_then(Value::as_str).map(String::from);
            let tags = o["tags"].as_array().map(|t| t.iter().filter_map(|v| v.as_str().map(String::from)).collect());
            let options = WorkflowOptions {
                name: text("name"),
                description: text("description"),
                tags: tags.unwrap_or_default(),
                severity: text("severity"),
                preferences: o.get("preferences").cloned(),
                payload_schema: w.get("payloadSchema").cloned(),
                ..WorkflowOptions::default()
            };
            let mut builder = WorkflowBuilder::new(id, options, format!("workflow {id}")).expect("reference workflow");
            for (kind, step) in *steps {
                let s = &w["steps"][step];
                let options = StepOptions {
                    control_schema: s.get("controlSchema").cloned(),
                    output_schema: s.get("outputSchema").cloned(),
                    providers: (*kind == StepKind::Chat).then(|| vec![("slack".into(), "slack override".into())]),
                    code: format!("step {step}"),
                    ..StepOptions::default()
                };
                builder.add_step(*kind, step, options).expect("reference step");
            }
            Arc::new(builder.build())
        })
        .collect()
}

/// The reference bridge, with or without strict authentication (built once per process).
pub fn bridge(strict: bool) -> &'static Bridge {
    static STRICT: OnceLock<Bridge> = OnceLock::new();
    static OPEN: OnceLock<Bridge> = OnceLock::new();
    let cell = if strict { &STRICT } else { &OPEN };
    cell.get_or_init(|| {
        let config = BridgeConfig {
            secret_key: SECRET.into(),
            secret_key_fallback: FALLBACK.into(),
            strict_authentication: strict,
            // Nothing listens there; trigger calls are built but never sent.
            api_url: "http://127.0.0.1:9".into(),
            max_body_bytes: 1 << 20,
            limits: small_limits(),
            ..BridgeConfig::default()
        };
        Bridge::new(reference_workflows(), config).expect("reference bridge")
    })
}

/// What the stand-in workflow function's resolvers do.
pub enum Resolver {
    /// Return the step's controls (a fixed valid value for delay and custom steps).
    Echo,
    /// Skip every step that may be skipped, else echo.
    Skip,
    /// Raise an exception with a traceback.
    Raise,
    /// Return this value.
    Return(Value),
}

impl Resolver {
    /// The outputs field of an input: empty echoes, `?` skips, `!` raises, JSON is returned, anything else
    /// raises.
    pub fn from_field(field: &[u8]) -> Resolver {
        match field {
            b"" => Resolver::Echo,
            b"?" => Resolver::Skip,
            b"!" => Resolver::Raise,
            json => serde_json::from_slice(json).map(Resolver::Return).unwrap_or(Resolver::Raise),
        }
    }
}

/// Plays the workflow function: calls every step in order until the run stops it, then completes the run.
pub fn drive(bridge: &Bridge, mut run: Box<Run>, resolver: &Resolver, route: Route) -> Response {
    let steps: Vec<(StepKind, String)> = run.workflow().steps.iter().map(|s| (s.kind, s.id.clone())).collect();
    let mut returned = Ok(());
    for (kind, id) in steps {
        match call_step(&mut run, kind, &id, resolver) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                returned = Err(UserError::Framework(Box::new(e)));
                break;
            }
        }
    }
    bridge.complete(&mut run, returned, route)
}

/// One step call; `Ok(false)` when the workflow function stops there.
fn call_step(run: &mut Run, kind: StepKind, id: &str, resolver: &Resolver) -> Result<bool, FrameworkError> {
    let check_skip = match run.enter(kind, id)? {
        StepAction::Halt => return Ok(false),
        StepAction::Return(_) => return Ok(true),
        StepAction::Run { check_skip } => check_skip,
    };
    if check_skip && matches!(resolver, Resolver::Skip) && run.skip(Ok(true))?.is_some() {
        return Ok(true);
    }
    let controls = run.active_controls().cloned().unwrap_or(Value::Null);
    let output = match resolver {
        Resolver::Echo | Resolver::Skip => Ok(match kind {
            StepKind::Delay => json!({"type": "regular", "amount": 1, "unit": "hours"}),
            StepKind::Custom => json!({"score": 12, "label": "high"}),
            _ => controls,
        }),
        Resolver::Raise => Err(UserError::Exception { message: "boom".into(), stack: Some(STACK_MARK.into()) }),
        Resolver::Return(v) => Ok(v.clone()),
    };
    run.resolved(output)?;
    let providers: Vec<String> = run.active_providers().iter().map(|p| p.id.clone()).collect();
    for provider in providers {
        let body = run.active_outputs().and_then(|o| o.get("body")).cloned().unwrap_or(Value::Null);
        run.provider_resolved(&provider, Ok(json!({"text": body})))?;
    }
    Ok(run.complete()?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_at_the_first_newlines() {
        assert_eq!(fields::<3>(b"a\nb\nc\nd"), [&b"a"[..], b"b", b"c\nd"]);
        assert_eq!(fields::<3>(b"a"), [&b"a"[..], b"", b""]);
        assert_eq!(fields::<2>(b"\n"), [&b""[..], b""]);
    }
}
