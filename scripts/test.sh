#!/usr/bin/env bash
# Builds everything and runs every test and check: the static checks (scripts/lint.sh; NOVU_SKIP_LINT=1
# leaves them to a separate job), the Rust tests, the wheel (built once by scripts/build-wheels.sh, then
# installed) and the Python tests, including the conformance corpus on Flask and FastAPI, the README's and
# the docs' examples, and the wheel on every CPython 3.10-3.13 of the machine.
source "$(dirname "$0")/_env.sh"

if [ "${NOVU_SKIP_LINT:-0}" != 1 ]; then
  bash scripts/lint.sh
elif [ ! -d target/debug ]; then
  echo "== first run: compiling the Rust workspace takes a few minutes"
fi
echo "== rust: cargo test"
cargo test --workspace --all-features -q
bash scripts/build-wheels.sh
install_built_wheel
echo "== python: pytest"
python -m pytest -q -p no:cacheprovider
