"""The four apps the load benchmark compares (factories for gunicorn and uvicorn).

- bare Flask / bare FastAPI: a GET route returning a fixed JSON body, and a POST route that only parses the
  JSON body and returns a fixed JSON body: the cost of the web framework itself;
- the project's Flask / FastAPI bridge serving the reference workflows, strict authentication on.
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


def bare_flask() -> Any:
    from flask import Flask, Response, request

    app = Flask("bare")
    body = json.dumps(FIXED).encode()

    @app.get("/api/novu")
    def get() -> Response:
        return Response(body, 200, {"content-type": "application/json"})

    @app.post("/api/novu")
    def post() -> Response:
        request.get_json()
        return Response(body, 200, {"content-type": "application/json"})

    return app


def bridge_flask() -> Any:
    from flask import Flask

    from novu_framework import Client
    from novu_framework.flask import serve
    from tests.conformance.workflows import build

    app = Flask("bridge")
    serve(app, "/api/novu", build("sync"), Client(secret_key=SECRET, strict_authentication=True))
    return app


def bare_fastapi() -> Any:
    app = FastAPI()
    body = json.dumps(FIXED).encode()

    @app.get("/api/novu")
    async def get() -> Response:
        return Response(body, 200, media_type="application/json")

    @app.post("/api/novu")
    async def post(request: Request) -> Response:
        await request.json()
        return Response(body, 200, media_type="application/json")

    return app


def bridge_fastapi() -> Any:
    from fastapi import FastAPI

    from novu_framework import Client
    from novu_framework.fastapi import serve
    from tests.conformance.workflows import build

    app = FastAPI()
    serve(app, "/api/novu", build("sync"), Client(secret_key=SECRET, strict_authentication=True))
    return app
