//! Protocol core of the Novu Framework bridge, shared by the Python bindings and the native Rust API.

// Framework errors carry a JSON `data` value, so `Result<_, FrameworkError>` is large; errors are the cold
// path, where moving a larger value costs nothing that matters.
#![allow(clippy::result_large_err)]

pub mod config;
pub mod controls;
pub mod discover;
pub mod dispatch;
pub mod engine;
pub mod error;
pub mod hmac;
pub mod ids;
pub mod json;
pub mod jsonrepair;
pub mod liquid;
pub mod mock;
pub mod novu_api;
pub mod openapi;
pub mod sanitize;
pub mod schema;
pub mod steps;
pub mod trigger;
pub mod workflow;
