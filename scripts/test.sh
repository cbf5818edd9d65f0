#!/usr/bin/env bash
# Builds everything and runs every test and check: Rust (fmt, clippy, unit tests), the Python package
# (ruff, mypy --strict) and the Python tests, including the conformance corpus on Flask and FastAPI.
source "$(dirname "$0")/_env.sh"

echo "== cargo fmt"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --all-features -- -D warnings
echo "== cargo test"
cargo test --workspace --all-features -q
echo "== build and install the Python package (release)"
pip install -q --force-reinstall --no-deps .
echo "== ruff"
ruff check python tests examples
ruff format --check python tests examples
echo "== mypy --strict"
mypy --strict python/novu_framework
echo "== pytest"
python -m pytest -q -p no:cacheprovider
