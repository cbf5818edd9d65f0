//! A Novu bridge in an axum app: one typed workflow at `http://127.0.0.1:4000/api/novu`.
//!
//!     NOVU_SECRET_KEY=<your key> cargo run -p novu-framework --features axum --example axum_quickstart
//!
//! `NOVU_STRICT_AUTHENTICATION_ENABLED=false` accepts unsigned requests, for trying it out locally.

use novu_framework::{BoxError, Bridge, Client, EmailOutput, Empty, InAppOutput, Step, Workflow};
use schemars::JsonSchema;
use serde::Deserialize;

/// The event's payload: its JSON Schema is what Novu shows and checks.
#[derive(Deserialize, JsonSchema)]
struct Welcome {
    name: String,
}

/// What the dashboard may edit; defaults are Liquid templates.
#[derive(Deserialize, JsonSchema)]
struct EmailControls {
    #[schemars(extend("default" = "Welcome aboard, {{payload.name}}!"))]
    subject: String,
}

async fn welcome(payload: Welcome, step: Step) -> Result<(), BoxError> {
    let inbox = step.in_app("inbox", |_: Empty| async { Ok(InAppOutput::new("Thanks for signing up!")) }).await?;
    if !inbox.read {
        step.email("welcome-email", move |controls: EmailControls| async move {
            Ok(EmailOutput::new(controls.subject, format!("<p>Hi {}, good to have you.</p>", payload.name)))
        })
        .await?;
    }
    Ok(())
}

pub fn app(client: &Client) -> Result<axum::Router, BoxError> {
    let bridge = Bridge::new(client, [Workflow::new("welcome", welcome)?])?;
    Ok(axum::Router::new().nest("/api/novu", novu_framework::axum::router(bridge)))
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let app = app(&Client::from_env())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:4000").await?;
    println!("Novu bridge on http://127.0.0.1:4000/api/novu");
    axum::serve(listener, app).await?;
    Ok(())
}
