//! Protocol core of the Novu Framework bridge, shared by the Python bindings and the native Rust API.

pub mod controls;
pub mod discover;
pub mod dispatch;
pub mod engine;
pub mod error;
pub mod hmac;
pub mod ids;
pub mod json;
pub mod liquid;
pub mod mock;
pub mod novu_api;
pub mod sanitize;
pub mod schema;
pub mod steps;
pub mod workflow;
