//! The repository README's Rust block and the first one of docs/rust.md are the quick start example, so they
//! compile (and run, in tests/quickstart.rs).

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The first Rust block of a Markdown file.
fn first_rust_block(path: &str) -> String {
    let text = std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"));
    let start = text.find("```rust\n").unwrap_or_else(|| panic!("{path} has a Rust block")) + "```rust\n".len();
    text[start..start + text[start..].find("```\n").expect("the Rust block ends")].to_string()
}

#[test]
fn the_docs_quick_start_is_the_example() {
    let block = first_rust_block("docs/rust.md");
    assert!(include_str!("../examples/axum_quickstart.rs").contains(&block), "docs/rust.md's quick start differs");
}

#[test]
fn the_readme_rust_block_is_the_quick_start() {
    let block = first_rust_block("README.md");
    let example = include_str!("../examples/axum_quickstart.rs");
    let body: String =
        example.lines().skip_while(|l| l.starts_with("//!") || l.is_empty()).map(|l| format!("{l}\n")).collect();
    assert_eq!(block, body, "README.md's Rust block must be examples/axum_quickstart.rs without its header");
}
