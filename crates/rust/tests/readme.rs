//! The repository README's Rust block is the quick start example, so it compiles (and runs, in
//! tests/quickstart.rs).

#[test]
fn the_readme_rust_block_is_the_quick_start() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README.md");
    let start = readme.find("```rust\n").expect("the README has a Rust block") + "```rust\n".len();
    let block = &readme[start..start + readme[start..].find("```\n").expect("the Rust block ends")];
    let example = include_str!("../examples/axum_quickstart.rs");
    let body: String =
        example.lines().skip_while(|l| l.starts_with("//!") || l.is_empty()).map(|l| format!("{l}\n")).collect();
    assert_eq!(block, body, "README.md's Rust block must be examples/axum_quickstart.rs without its header");
}
