"""Flask conventions: app factories with `init_app`, settings from `app.config`, Blueprints, one bridge per
route, JSON on every path below the route, and the opt-in WSGI middleware path; over real HTTP."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask, request

from novu_framework import Client
from novu_framework.cli import main as cli_main
from novu_framework.errors import MissingSecretKeyError
from novu_framework.flask import NovuBridge, serve

from ..support import serve_wsgi
from .helpers import OPEN, SECRET, STRICT, WORKFLOWS, call, check_bridge

novu = NovuBridge(workflows=WORKFLOWS)


def create_app(**config: object) -> Flask:
    app = Flask("factory")
    app.config.update(config)
    novu.init_app(app)
    return app


def test_one_extension_serves_apps_built_by_a_factory_with_their_own_config() -> None:
    strict = create_app(NOVU_SECRET_KEY=SECRET)
    lax = create_app(NOVU_STRICT_AUTHENTICATION_ENABLED="false")
    with serve_wsgi(strict) as strict_base, serve_wsgi(lax) as lax_base:
        check_bridge(f"{strict_base}/api/novu", secret=SECRET)
        assert call(f"{strict_base}/api/novu?action=discover")[0] == 401
        check_bridge(f"{lax_base}/api/novu")
        assert call(f"{lax_base}/api/novu?action=discover")[0] == 200


def test_config_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_STRICT_AUTHENTICATION_ENABLED", "false")
    monkeypatch.delenv("NOVU_SECRET_KEY", raising=False)
    monkeypatch.delenv("NOVU_API_KEY", raising=False)
    with pytest.raises(MissingSecretKeyError):
        create_app(NOVU_STRICT_AUTHENTICATION_ENABLED=True)
    app = create_app()  # nothing in the config: the environment's `false`
    assert app.test_client().get("/api/novu?action=discover").status_code == 200


def test_a_blueprint_serves_under_its_url_prefix() -> None:
    api = Blueprint("api", __name__, url_prefix="/api/v2")

    @api.get("/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    serve(api, route="/novu", workflows=WORKFLOWS, client=STRICT)
    app = Flask("blueprints")
    app.register_blueprint(api)
    with serve_wsgi(app) as base:
        check_bridge(f"{base}/api/v2/novu", secret=SECRET)
        assert call(f"{base}/api/v2/ping")[2] == {"pong": "yes"}
    assert app.extensions["novu_framework"]["/api/v2/novu"].workflows == WORKFLOWS


def test_a_second_bridge_on_the_same_route_is_refused() -> None:
    app = Flask("twice")
    serve(app, "/api/novu", WORKFLOWS, OPEN)
    with pytest.raises(ValueError, match="`/api/novu`"):
        serve(app, "/api/novu/", WORKFLOWS, OPEN)
    serve(app, "/other", WORKFLOWS, OPEN)  # another route is fine
    assert sorted(app.extensions["novu_framework"]) == ["/api/novu", "/other"]


def test_every_answer_below_the_route_is_json() -> None:
    app = Flask("json")
    serve(app, "/api/novu", WORKFLOWS, OPEN)
    client = app.test_client()
    for url in ("/api/novu/", "/api/novu/workflows/greet/execute/", "/api/novu/workflows", "/api/novu/a/b/c"):
        answer = client.post(url, json={"to": "s", "payload": {}})
        assert answer.content_type == "application/json", (url, answer.data)
    assert client.post("/api/novu/workflows/greet/execute/", json={"to": "s", "payload": {}}).status_code == 200
    assert client.get("/api/novu/").get_json()["status"] == "ok"
    assert client.get("/api/novu/x").get_json()["code"] == "NotFoundError"


def test_flask_hooks_run_on_the_default_path_and_are_skipped_by_the_middleware() -> None:
    for middleware in (False, True):
        app = Flask("hooks")
        app.config["seen"] = []
        app.before_request(lambda: app.config["seen"].append(request.path) and None)  # noqa: B023
        serve(app, "/api/novu", WORKFLOWS, OPEN, wsgi_middleware=middleware)
        with serve_wsgi(app) as base:
            check_bridge(f"{base}/api/novu")
        assert bool(app.config["seen"]) is not middleware, app.config["seen"]


def test_the_middleware_needs_an_app() -> None:
    with pytest.raises(TypeError, match="Blueprint"):
        serve(Blueprint("bp", __name__), workflows=WORKFLOWS, client=OPEN, wsgi_middleware=True)


def test_discover_finds_the_bridges_of_a_factory_app(capsys: pytest.CaptureFixture[str]) -> None:
    import sys
    import types

    module = types.ModuleType("factory_app_for_discover")
    module.app = create_app(NOVU_STRICT_AUTHENTICATION_ENABLED="false")  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    try:
        assert cli_main(["discover", f"{module.__name__}:app"]) == 0
    finally:
        del sys.modules[module.__name__]
    assert "2 workflow(s), 2 step(s)" in capsys.readouterr().out


def test_a_client_wins_over_the_config() -> None:
    app = Flask("client")
    app.config["NOVU_STRICT_AUTHENTICATION_ENABLED"] = False
    serve(app, workflows=WORKFLOWS, client=Client(secret_key=SECRET))
    assert app.test_client().get("/api/novu?action=discover").status_code == 401


def test_arguments_in_the_wrong_place_are_clear_type_errors() -> None:
    from fastapi import FastAPI

    from novu_framework.fastapi import serve as serve_fastapi

    for serve_on, app in ((serve, Flask("slips")), (serve_fastapi, FastAPI())):
        with pytest.raises(TypeError, match=r"`route` must be a string such as \"/api/novu\", got list"):
            serve_on(app, WORKFLOWS, client=OPEN)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"`workflows` takes a list, e.g. workflows=\[welcome\]; got Workflow"):
            serve_on(app, workflows=WORKFLOWS[0], client=OPEN)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"`agents` takes a list"):
            serve_on(app, workflows=WORKFLOWS, client=OPEN, agents=object())  # type: ignore[arg-type]
