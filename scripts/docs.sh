#!/usr/bin/env bash
# Builds the documentation site into site/ with mkdocs --strict (a warning fails the build), with the pinned
# tools of requirements-docs.txt in their own virtualenv, .venv-docs. The API reference is read from the
# sources (python/novu_framework, with the native module's .pyi stub): nothing needs building first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DOCS_VENV="${NOVU_DOCS_VENV:-$ROOT/.venv-docs}"
echo "== docs: tools (requirements-docs.txt) into ${DOCS_VENV#"$ROOT"/}"
if [ ! -x "$DOCS_VENV/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$DOCS_VENV"
fi
"$DOCS_VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-docs.txt
echo "== docs: mkdocs build --strict into site/"
"$DOCS_VENV/bin/mkdocs" build --strict --quiet --site-dir site
echo "== docs: site/ has $(find site -name '*.html' | wc -l | tr -d ' ') pages"
