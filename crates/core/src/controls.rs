//! PLACEHOLDER
use crate::liquid::Limits;
use serde_json::Value;
#[derive(Debug)]
pub struct CompileError {
    pub data: Value,
    pub message: String,
}
pub fn compile_controls(
    controls: &Value,
    _context: &Value,
    _limits: &Limits,
) -> Result<Value, CompileError> {
    Ok(controls.clone())
}
