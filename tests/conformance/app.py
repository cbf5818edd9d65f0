"""The reference workflows served at /api/novu by every adapter, as the conformance tests and serve.py use
them: Flask, FastAPI, Django (WSGI and ASGI), and the standalone ASGI and WSGI apps mounted at /api/novu.
``app_for`` serves any workflows and agents that way (the agents tests use it too)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from novu_framework import Client

from .workflows import build

FRAMEWORKS = ["flask", "fastapi", "django", "django-asgi", "asgi", "wsgi"]
ASGI = {"fastapi", "fastapi-inline", "django-asgi", "asgi"}
ROUTE = "/api/novu"


def _mounted_asgi(app: Any) -> Any:
    """`app` mounted at ROUTE as an ASGI framework mounts it (the prefix moves into `root_path`); anything
    else is a plain 404."""

    async def mount(scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] == "lifespan" or path == ROUTE or path.startswith(f"{ROUTE}/"):
            await app({**scope, "root_path": scope.get("root_path", "") + ROUTE}, receive, send)
            return
        await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"not found"})

    return mount


def _django(framework: str, workflows: list[Any], client: Client | None, agents: list[Any]) -> Any:
    """A Django project serving the workflows with `include(novu_urls(...))`, behind Django's usual
    middleware (CSRF included). Django is configured once per process."""
    import sys
    import types

    import django
    from django.conf import settings
    from django.urls import include, path

    from novu_framework.django import novu_urls

    urls = types.ModuleType("conformance_urls")
    sys.modules[urls.__name__] = urls
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        SECRET_KEY="conformance-django-secret",
        ROOT_URLCONF=urls.__name__,
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
        ],
        INSTALLED_APPS=[],
    )
    django.setup()
    bridge = novu_urls(workflows=workflows, client=client, agents=agents)
    urls.urlpatterns = [path(ROUTE.lstrip("/"), include(bridge))]  # type: ignore[attr-defined]
    if framework == "django-asgi":
        from django.core.asgi import get_asgi_application

        return get_asgi_application()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def make_app(framework: str, style: str = "sync", client: Client | None = None) -> Any:
    return app_for(framework, build(style), client)


def app_for(framework: str, workflows: list[Any], client: Client | None = None, agents: Sequence[Any] = ()) -> Any:
    """An app of `framework` serving `workflows` and `agents` at ROUTE."""
    agents = list(agents)
    if framework == "flask":
        from flask import Flask

        from novu_framework.flask import serve as serve_flask

        flask_app = Flask("conformance")
        serve_flask(flask_app, route=ROUTE, workflows=workflows, client=client, agents=agents)
        return flask_app
    if framework in ("fastapi", "fastapi-inline"):
        from fastapi import FastAPI

        from novu_framework.fastapi import serve as serve_fastapi

        fastapi_app = FastAPI()
        inline = framework == "fastapi-inline"
        serve_fastapi(
            fastapi_app,
            route=ROUTE,
            workflows=workflows,
            client=client,
            agents=agents,
            run_sync_in_threadpool=not inline,
        )
        return fastapi_app
    if framework in ("django", "django-asgi"):
        return _django(framework, workflows, client, agents)
    if framework == "asgi":
        from novu_framework.asgi import App as AsgiApp

        return _mounted_asgi(AsgiApp(workflows, agents=agents, client=client))
    if framework == "wsgi":
        from werkzeug.exceptions import NotFound
        from werkzeug.middleware.dispatcher import DispatcherMiddleware

        from novu_framework.wsgi import App as WsgiApp

        return DispatcherMiddleware(NotFound(), {ROUTE: WsgiApp(workflows, agents=agents, client=client)})
    raise ValueError(f"unknown framework {framework!r}")
