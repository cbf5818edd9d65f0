#!/usr/bin/env bash
# Every static check: rustfmt, clippy (-D warnings), ruff, mypy --strict, the version and changelog, the
# crates as crates.io would receive them, and the GitHub workflows against their schema.
source "$(dirname "$0")/_env.sh"

if [ ! -d target/debug ]; then
  echo "== first run: compiling the Rust workspace takes a few minutes"
fi
echo "== lint: cargo fmt --check"
cargo fmt --all -- --check
echo "== lint: cargo clippy -D warnings"
cargo clippy --workspace --all-targets --all-features --quiet -- -D warnings
echo "== lint: ruff check, ruff format --check"
ruff check python tests examples scripts
ruff format --check python tests examples scripts
echo "== lint: mypy --strict"
mypy --strict python/novu_framework scripts/check_version.py
echo "== lint: version and changelog"
python scripts/check_version.py
echo "== lint: crates packaged for crates.io (cargo package --no-verify)"
cargo package --workspace --exclude novu-framework-python --no-verify --allow-dirty --quiet
echo "== lint: GitHub workflows (check-jsonschema, vendor.github-workflows)"
check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
