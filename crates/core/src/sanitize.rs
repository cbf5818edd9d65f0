//! PLACEHOLDER
use serde_json::Value;
pub fn sanitize_value(_value: &mut Value) {}
pub fn sanitize_html(input: &str) -> String {
    input.to_string()
}
