#!/usr/bin/env bash
# Builds the wheel, installs it and serves the example workflows from a Flask app on 127.0.0.1:${PORT:-4000}.
source "$(dirname "$0")/_env.sh"
bash scripts/build-wheels.sh
install_built_wheel
echo "== serve: examples/flask_app.py"
exec python examples/flask_app.py
