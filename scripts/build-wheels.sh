#!/usr/bin/env bash
# Builds into dist/ the sdist and the Linux x86_64 wheel (cp310-abi3, manylinux2014, stripped, release
# profile with LTO) with the pinned maturin and zig of requirements-build.txt, installed into .venv-build.
# Other platforms are built by .github/workflows/release.yml. Prints the wheel's path and size.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_VENV="${NOVU_BUILD_VENV:-$ROOT/.venv-build}"
PY="${PYTHON:-python3}"

echo "== build-wheels: build tools (pinned maturin and ziglang from PyPI) into ${BUILD_VENV#"$ROOT"/}"
if [ ! -x "$BUILD_VENV/bin/python" ]; then
  "$PY" -m venv "$BUILD_VENV"
fi
"$BUILD_VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-build.txt
# maturin finds zig only through the virtualenv that holds ziglang being on PATH.
export PATH="$BUILD_VENV/bin:$PATH"

rm -f dist/novu_framework-*.whl dist/novu_framework-*.tar.gz
echo "== build-wheels: sdist"
maturin sdist --out dist 2>&1 | grep -v '^$' | sed 's/^/   /' | tail -n 1
if [ ! -d target/x86_64-unknown-linux-gnu/release ]; then
  echo "== build-wheels: wheel (first build: compiling the Rust core with LTO takes a few minutes)"
else
  echo "== build-wheels: wheel (release, incremental)"
fi
maturin build --release --strip --zig --compatibility manylinux2014 --target x86_64-unknown-linux-gnu \
  --out dist --quiet
wheel="$(ls dist/novu_framework-*-cp310-abi3-manylinux*_x86_64*.whl)"
size="$(stat -c %s "$wheel")"
echo "== build-wheels: $wheel ($(awk -v b="$size" 'BEGIN { printf "%.1f MB, %d bytes", b / 1e6, b }'))"
