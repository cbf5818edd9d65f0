"""Runs one Python code block of the docs in this (child) process: imports it as a module; a module with
`test_` functions runs under pytest; a module defining `app` is served on loopback (WSGI with Werkzeug,
ASGI with uvicorn) and must answer the bridge's health check at /api/novu (test_docs_test_blocks.py uses it
for blocks of tests).

    python tests/docs_blocks.py BLOCK.py
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import serve_asgi, serve_wsgi  # noqa: E402


def is_asgi(app: Any) -> bool:
    call = app if inspect.isfunction(app) else getattr(type(app), "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(call) or len(inspect.signature(app).parameters) == 3


def main(path: Path) -> int:
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    if any(name.startswith("test_") for name in vars(module)):
        import pytest

        return int(pytest.main(["-q", "-p", "no:cacheprovider", str(path)]))
    app = getattr(module, "app", None)
    if app is None:
        return 0
    with (
        (serve_asgi if is_asgi(app) else serve_wsgi)(app) as base,
        urllib.request.urlopen(f"{base}/api/novu", timeout=10) as answer,
    ):
        health = json.loads(answer.read())
    assert health["status"] == "ok" and health["discovered"]["workflows"] >= 1, health
    print(f"served: {health}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
