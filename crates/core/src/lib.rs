//! Protocol core of the Novu Framework bridge, shared by the Python bindings and the native Rust API.

// Framework errors carry a JSON `data` value, so `Result<_, FrameworkError>` is large; errors are the cold
// path, where moving a larger value costs nothing that matters.
#![allow(clippy::result_large_err)]

pub mod agents;
pub mod config;
pub mod controls;
pub mod discover;
pub mod dispatch;
pub mod engine;
pub mod error;
pub mod hmac;
pub mod ids;
pub mod novu_api;
pub mod openapi;
pub mod steps;
pub mod trigger;
pub mod workflow;

// The general engines the protocol builds on, re-exported so the bindings and the Rust API reach them through
// the core.
pub use novu_framework_json as json;
pub use novu_framework_liquid as liquid;
pub use novu_framework_sanitize as sanitize;
pub use novu_framework_schema as schema;
pub use novu_framework_schema::mock;
