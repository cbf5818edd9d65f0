//! Novu Framework workflows in Rust: define workflows with closures and serve them as a Novu bridge.
//!
//! ```
//! use novu_framework::{Bridge, Request, StepOptions, Workflow};
//! use novu_framework::core::config::resolve;
//! use serde_json::json;
//!
//! let welcome = Workflow::builder("welcome")
//!     .payload_schema(json!({"type": "object", "properties": {"name": {"type": "string", "default": "World"}}}))
//!     .build(|step| {
//!         let name = step.payload()["name"].as_str().unwrap_or_default().to_string();
//!         step.in_app("inbox", StepOptions::new(), move |_controls| Ok(json!({"body": format!("Hi {name}")})))?;
//!         Ok(())
//!     })
//!     .unwrap();
//! let result = welcome.run_local(json!("subscriber-1"), json!({"name": "Ada"})).unwrap();
//! assert_eq!(result["step_results"]["inbox"]["body"], "Hi Ada");
//!
//! let bridge = Bridge::new(vec![welcome], resolve(Some("secret".into()), Some(false), None), "rust").unwrap();
//! let response = bridge.handle(&Request { method: "GET", query: "action=health-check", ..Default::default() });
//! assert_eq!(response.status, 200);
//! ```

// Framework errors carry a JSON `data` value; see the core crate for why the large `Err` is fine.
#![allow(clippy::result_large_err)]

pub use novu_framework_core as core;
pub use novu_framework_core::dispatch::{Request, Response};
pub use novu_framework_core::error::{FrameworkError, UserError};

#[cfg(feature = "axum")]
pub mod axum;
mod bridge;
mod step;
mod workflow;

pub use bridge::{Bridge, Pending};
pub use step::{Step, StepError, StepOptions};
pub use workflow::{Workflow, WorkflowBuilder};
