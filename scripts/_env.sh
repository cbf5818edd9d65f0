# Shared by the scripts: a virtualenv in .venv with the build and test tools (from PyPI).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${NOVU_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"
if [ "${NOVU_ENV_READY:-}" != "$VENV" ]; then
  echo "== tools: ${VENV#"$ROOT"/} with requirements-dev.txt from PyPI"
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements-dev.txt"
  export NOVU_ENV_READY="$VENV"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"

# Installs the wheel that scripts/build-wheels.sh left in dist/ (the one build of a run) into the venv.
install_built_wheel() {
  NOVU_TEST_WHEEL="$(ls dist/novu_framework-*-cp310-abi3-manylinux*_x86_64*.whl)"
  export NOVU_TEST_WHEEL
  echo "== install: $NOVU_TEST_WHEEL into ${VENV#"$ROOT"/}"
  pip install -q --disable-pip-version-check --force-reinstall --no-deps "$NOVU_TEST_WHEEL"
}
