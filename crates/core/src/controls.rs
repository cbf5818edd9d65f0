//! PLACEHOLDER
use serde_json::Value;
use crate::liquid::Limits;
#[derive(Debug)]
pub struct CompileError { pub data: Value, pub message: String }
pub fn compile_controls(controls: &Value, _context: &Value, _limits: &Limits) -> Result<Value, CompileError> { Ok(controls.clone()) }
