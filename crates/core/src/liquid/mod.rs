//! PLACEHOLDER
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_iterations: u64,
    pub max_string_bytes: usize,
    pub max_output_bytes: usize,
}
impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_iterations: 1_000_000,
            max_string_bytes: 4 << 20,
            max_output_bytes: 4 << 20,
        }
    }
}
