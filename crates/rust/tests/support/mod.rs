//! Shared by the Rust integration tests.
#![allow(dead_code)]

pub mod corpus;
