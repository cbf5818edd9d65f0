"""FastAPI publishes both bridge routes in /openapi.json (tag `novu`) unless told not to; the routes that
document them never answer a request."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from novu_framework.fastapi import serve

from ..support import serve_asgi
from .helpers import OPEN, WORKFLOWS, call, check_bridge


def spec(app: FastAPI) -> dict[str, Any]:
    with serve_asgi(app) as base:
        status, _, document = call(f"{base}/openapi.json")
    assert status == 200
    result: dict[str, Any] = document
    return result


def test_both_routes_are_documented_under_the_novu_tag() -> None:
    app = FastAPI()
    serve(app, "/api/novu", WORKFLOWS, OPEN)
    paths = spec(app)["paths"]
    bridge, local = paths["/api/novu"], paths["/api/novu/workflows/{workflow_id}/execute"]
    assert sorted(bridge) == ["get", "post"] and sorted(local) == ["post"]
    for operation in (bridge["get"], bridge["post"], local["post"]):
        assert operation["tags"] == ["novu"]
        assert {"200", "400", "401", "404", "500"} <= set(operation["responses"])
    actions = next(p for p in bridge["get"]["parameters"] if p["name"] == "action")["schema"]["enum"]
    assert actions == ["health-check", "discover", "code"]
    body = local["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["to", "payload"]
    assert local["post"]["responses"]["400"]["content"]["application/json"]["schema"]["required"] == ["detail", "code"]
    assert "execute" in bridge["post"]["description"]


def test_include_in_schema_false_leaves_them_out() -> None:
    app = FastAPI()
    serve(app, "/api/novu", WORKFLOWS, OPEN, include_in_schema=False)
    assert spec(app)["paths"] == {}


def test_the_bridge_answers_every_path_the_documentation_names() -> None:
    app = FastAPI()

    @app.get("/api/other")
    def other() -> dict[str, str]:
        return {"other": "route"}

    serve(app, "/api/novu", WORKFLOWS, OPEN)
    with serve_asgi(app) as base:
        check_bridge(f"{base}/api/novu")
        assert call(f"{base}/api/other")[2] == {"other": "route"}
        for path in ("/api/novu/workflows/a%0Ab/execute", "/api/novu/workflows/a%20b/execute", "/api/novu/"):
            status, headers, _ = call(f"{base}{path}", {"to": "s", "payload": {}})
            assert headers["content-type"] == "application/json" and "novu-framework-sdk" in headers, path
            assert status in (200, 400, 404)
