"""The apps the load benchmark compares (factories for gunicorn and uvicorn).

- bare Flask / bare FastAPI: a GET route returning a fixed JSON body, and a POST route that only parses the
  JSON body and returns a fixed JSON body: the cost of the web framework itself;
- the same bare apps sending the ten static headers every bridge response must carry (spec §2.5), to show
  what those headers cost the framework and its server;
- the project's Flask / FastAPI bridge serving the reference workflows, strict authentication on (Flask
  also with `wsgi_middleware=True`, the opt-in path in front of Flask); for
  FastAPI both with the sync workflows (run on FastAPI's thread pool, as `def` endpoints are; the bare app's
  `def` POST route pays the same hop) and with their `async def` twins (run on the event loop).
"""

import json
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SECRET = "bench-secret"
FIXED = {"status": "ok", "discovered": {"workflows": 7, "steps": 14}}


PROTOCOL_HEADERS = [
    ("content-type", "application/json"),
    ("access-control-allow-origin", "*"),
    ("access-control-allow-private-network", "true"),
    ("access-control-allow-methods", "GET, POST"),
    ("access-control-allow-headers", "*"),
    ("access-control-max-age", "604800"),
    ("novu-framework-version", "2024-06-26"),
    ("novu-framework-sdk", "0.1.0"),
    ("novu-framework-server", "bench"),
    ("user-agent", "novu-framework:v0.1.0"),
]


def bare_flask(headers: list[tuple[str, str]] | None = None) -> Any:
    from flask import Flask, Response, request

    app = Flask("bare")
    body = json.dumps(FIXED).encode()
    sent = headers or [("content-type", "application/json")]

    @app.get("/api/novu")
    def get() -> Response:
        return Response(body, 200, sent)

    @app.post("/api/novu")
    def post() -> Response:
        request.get_json()
        return Response(body, 200, sent)

    return app


def bare_flask_headers() -> Any:
    return bare_flask(PROTOCOL_HEADERS)


def bridge_flask(wsgi_middleware: bool = False) -> Any:
    from flask import Flask

    from novu_framework import Client
    from novu_framework.flask import serve
    from tests.conformance.workflows import build

    app = Flask("bridge")
    client = Client(secret_key=SECRET, strict_authentication=True)
    serve(app, "/api/novu", build("sync"), client, wsgi_middleware=wsgi_middleware)
    return app


def bridge_flask_middleware() -> Any:
    """The opt-in path: the bridge answers in a WSGI middleware in front of Flask."""
    return bridge_flask(wsgi_middleware=True)


def bare_fastapi(headers: list[tuple[str, str]] | None = None) -> Any:
    app = FastAPI()
    body = json.dumps(FIXED).encode()
    sent = dict(headers[1:]) if headers else None

    @app.get("/api/novu")
    async def get() -> Response:
        return Response(body, 200, sent, media_type="application/json")

    @app.post("/api/novu")
    async def post(request: Request) -> Response:
        await request.json()
        return Response(body, 200, sent, media_type="application/json")

    @app.post("/api/novu/def")
    def post_def(payload: dict[str, Any]) -> Response:
        """A `def` endpoint: FastAPI runs it on its thread pool, as the bridge runs sync workflows."""
        return Response(body, 200, sent, media_type="application/json")

    return app


def bare_fastapi_headers() -> Any:
    return bare_fastapi(PROTOCOL_HEADERS)


def bridge_fastapi(style: str = "sync") -> Any:
    from novu_framework import Client
    from novu_framework.fastapi import serve
    from tests.conformance.workflows import build

    app = FastAPI()
    serve(app, "/api/novu", build(style), Client(secret_key=SECRET, strict_authentication=True))
    return app


def bridge_fastapi_async() -> Any:
    return bridge_fastapi("async")
