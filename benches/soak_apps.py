"""The app the concurrent soak (benches/soak.py) serves, as factories for gunicorn and uvicorn: the reference
workflows of the conformance corpus twice on one app, as sync functions at /api/novu and as `async def`
twins at /api/novu-async. Keys and the Novu API URL come from the environment (NOVU_SECRET_KEY,
NOVU_SECRET_KEY_FALLBACK, NOVU_API_URL); strict authentication is on."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from novu_framework import Client
from tests.conformance.workflows import build

ROUTES = {"sync": "/api/novu", "async": "/api/novu-async"}
# Small enough that the soak's oversized bodies stay cheap to send.
MAX_BODY_BYTES = 1 << 20


def client() -> Client:
    return Client(strict_authentication=True, max_body_bytes=MAX_BODY_BYTES)


def flask_app() -> Any:
    from flask import Flask

    from novu_framework.flask import serve

    app = Flask("soak")
    for style, route in ROUTES.items():
        serve(app, route=route, workflows=build(style), client=client())
    return app


def fastapi_app() -> Any:
    from fastapi import FastAPI

    from novu_framework.fastapi import serve

    app = FastAPI()
    for style, route in ROUTES.items():
        serve(app, route=route, workflows=build(style), client=client())
    return app
