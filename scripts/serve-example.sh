#!/usr/bin/env bash
# Builds the package and serves the example workflows from a Flask app on 127.0.0.1:${PORT:-4000}.
source "$(dirname "$0")/_env.sh"
pip install -q --force-reinstall --no-deps .
exec python examples/flask_app.py
