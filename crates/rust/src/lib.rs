//! Novu notification workflows in Rust: async workflow functions, typed with serde and schemars, served as a
//! Novu bridge by axum or any server speaking the `http` crate's types.
//!
//! A workflow is an async function of its payload and a [`Step`] handle. Each step call takes an async
//! resolver that receives the step's controls (validated, defaults applied, Liquid rendered) as a type of
//! yours and returns the step's outputs; `?` propagates whatever stops the run. Payload and controls types
//! derive `Deserialize` and `schemars::JsonSchema`: their JSON Schema (draft-07) is what Novu discovers and
//! what requests are validated against.
//!
//! ```
//! use novu_framework::{Bridge, Client, EmailOutput, InAppOutput, Step, Workflow};
//! use schemars::JsonSchema;
//! use serde::Deserialize;
//!
//! #[derive(Deserialize, JsonSchema)]
//! struct Welcome {
//!     name: String,
//! }
//!
//! #[derive(Deserialize, JsonSchema)]
//! struct EmailControls {
//!     #[schemars(extend("default" = "Welcome, {{payload.name}}!"))]
//!     subject: String,
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let welcome = Workflow::new("welcome", |payload: Welcome, step: Step| async move {
//!     let inbox = step.in_app("inbox", |_: serde_json::Value| async {
//!         Ok(InAppOutput::new("Thanks for joining"))
//!     })
//!     .await?;
//!     if !inbox.read {
//!         step.email("welcome-email", move |controls: EmailControls| async move {
//!             Ok(EmailOutput::new(controls.subject, format!("<p>Hi {}</p>", payload.name)))
//!         })
//!         .await?;
//!     }
//!     Ok(())
//! })?;
//!
//! // In this process, every step in order:
//! let result = welcome.run("subscriber-1", serde_json::json!({"name": "Ada"})).await?;
//! assert_eq!(result["step_results"]["welcome-email"]["subject"], "Welcome, Ada!");
//!
//! // As a bridge (settings from NOVU_SECRET_KEY and friends):
//! let bridge = Bridge::new(&Client::builder().secret_key("nv-secret").build(), [welcome])?;
//! # let _ = bridge;
//! # Ok::<(), novu_framework::BoxError>(())
//! # }).unwrap();
//! ```
//!
//! Serve it with `axum::router` (feature `axum`), or with [`Bridge::handle`] from any server. Trigger
//! events with [`Workflow::trigger`].

// The README's example compiles as a doctest.
#![cfg_attr(doctest, doc = include_str!("../README.md"))]
#![warn(missing_docs)]
// Framework errors carry a JSON `data` value; see the core crate for why the large `Err` is fine.
#![allow(clippy::result_large_err)]

pub use novu_framework_core as core;
pub use novu_framework_core::dispatch::{ConfigError, Request, Response};
pub use novu_framework_core::error::{ErrorCode, FrameworkError};
pub use novu_framework_core::workflow::DefinitionError;
pub use schemars;

#[cfg(feature = "axum")]
pub mod axum;
mod bridge;
mod client;
mod error;
mod exec;
pub mod outputs;
mod schema;
pub mod step;
mod trigger;
mod workflow;

pub use bridge::Bridge;
pub use client::{Client, ClientBuilder};
pub use error::{BoxError, HttpError, StepError};
pub use exec::BoxFuture;
pub use outputs::{
    ChatOutput, DelayOutput, DigestOutput, EmailOutput, InAppOutput, PushOutput, SmsOutput, ThrottleOutput, TimeUnit,
    ToolOutput,
};
pub use schema::schema_for;
pub use step::Step;
pub use trigger::{Trigger, TriggerError, TriggerResult};
pub use workflow::{Empty, RunError, Workflow, WorkflowBuilder};
