//! Shared by the Rust integration tests and benchmarks.
#![allow(dead_code)]

pub mod corpus;
pub mod reference;
