#!/usr/bin/env bash
# Installs this platform's wheel from dist/ into a fresh virtualenv (binary only: pip may not build it) and
# replays the conformance corpus on Flask against it. release.yml runs it after each wheel it can run.
set -euo pipefail
cd "$(dirname "$0")/.."
SMOKE_VENV=.venv-smoke
rm -rf "$SMOKE_VENV"
echo "== smoke: fresh virtualenv $SMOKE_VENV"
"${PYTHON:-python}" -m venv "$SMOKE_VENV"
bin="$SMOKE_VENV/bin"
[ -d "$SMOKE_VENV/Scripts" ] && bin="$SMOKE_VENV/Scripts"
echo "== smoke: install novu-framework from dist/ (wheels only), flask and pytest"
"$bin/python" -m pip install -q --disable-pip-version-check --only-binary :all: --no-index --find-links dist \
  novu-framework
"$bin/python" -m pip install -q --disable-pip-version-check "flask>=2.2" "pytest>=8"
echo "== smoke: conformance corpus on Flask"
"$bin/python" -m pytest -q -p no:cacheprovider tests/conformance/test_conformance.py -k flask-sync
