"""Serve workflows from a Flask app, an app factory or a Blueprint.

Example::

    from flask import Flask
    from novu_framework.flask import serve

    app = Flask(__name__)
    serve(app, route="/api/novu", workflows=[welcome])

With an app factory::

    novu = NovuBridge(workflows=[welcome])

    def create_app():
        app = Flask(__name__)
        novu.init_app(app)
        return app
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import cast

from flask import Blueprint, Flask, Response, request
from flask.blueprints import BlueprintSetupState
from werkzeug.datastructures import Headers
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from . import wsgi
from ._endpoint import Endpoint
from .client import Client
from .workflow import Workflow

__all__ = ["NovuBridge", "serve"]

# Every standard method reaches the bridge, which answers the ones it does not serve with a JSON 405.
_METHODS = ["GET", "POST", "OPTIONS", "PUT", "PATCH", "DELETE", "HEAD", "TRACE", "CONNECT"]
_names = itertools.count()


def _headers_factory(pairs: list[tuple[str, str]]) -> Callable[[], Headers]:
    """Fresh response headers per request (after-request hooks may change them), built by copying a checked
    template instead of validating the ten static headers again on every response."""
    template = Headers(pairs)
    if not isinstance(getattr(template, "_list", None), list):  # another Werkzeug layout: the public path
        return lambda: Headers(pairs)

    def copy() -> Headers:
        headers = Headers.__new__(Headers)
        headers._list = template._list.copy()
        return headers

    return copy


class NovuBridge:
    """The Novu bridge as a Flask extension: one instance can serve many apps (``init_app``).

    Registers ``route`` for the bridge and every path below it: ``{route}/workflows/<workflow_id>/execute``
    runs a workflow locally (body ``{"to": ..., "payload": {...}}``), anything else answers a JSON 404, and
    so does a trailing slash's variant of either route. On a Blueprint, the routes are under its
    ``url_prefix``.

    Without a ``client``, ``NOVU_SECRET_KEY``, ``NOVU_STRICT_AUTHENTICATION_ENABLED`` (a bool, or text such
    as ``"false"``) and ``NOVU_API_URL`` are read from the app's ``config`` when the routes are registered on
    an app, each falling back to the environment.

    ``wsgi_middleware=True`` (apps only) answers bridge requests in a WSGI middleware in front of Flask,
    skipping Flask's request machinery: no request context, ``before_request``/``after_request``/
    ``teardown_request`` hooks, error handlers or signals for these requests. Faster; see the docs.

    Example::

        novu = NovuBridge(workflows=[welcome])

        def create_app() -> Flask:
            app = Flask(__name__)
            novu.init_app(app)
            return app
    """

    def __init__(
        self,
        app: Flask | Blueprint | None = None,
        *,
        workflows: Iterable[Workflow] = (),
        route: str = "/api/novu",
        client: Client | None = None,
        wsgi_middleware: bool = False,
    ) -> None:
        self.workflows = list(workflows)
        self.route = route
        self.client = client
        self.wsgi_middleware = wsgi_middleware
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask | Blueprint) -> None:
        """Serves the bridge on ``app`` (or on a Blueprint, once it is registered on an app).

        Raises:
            ValueError: a bridge already serves this route on the app.
            MissingSecretKeyError: strict authentication is on and no secret key is configured.
            WorkflowAlreadyExistsError: two workflows share an id.
        """
        base = self.route.rstrip("/") or "/"
        if self.wsgi_middleware:
            if not isinstance(app, Flask):
                raise TypeError("wsgi_middleware=True needs a Flask app, not a Blueprint")
            endpoint = self._claim(app, base, "")
            app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {base: wsgi.App._of(endpoint)})  # type: ignore[method-assign]
            return
        blueprint = Blueprint(f"novu_framework_{next(_names)}", __name__)
        views: dict[str, Callable[..., Response]] = {}

        def registered(state: BlueprintSetupState) -> None:
            endpoint = self._claim(cast(Flask, state.app), base, state.url_prefix or "")
            new_headers = _headers_factory(endpoint.headers)
            limit = endpoint.limit

            def answer(rest: str | None = None) -> Response:
                path = "" if rest is None else f"/{rest}"
                status, body = endpoint.answer(request.environ, path, request.stream.read(limit + 1))
                return Response(body, status, new_headers())

            views["answer"] = answer

        def novu_bridge(rest: str | None = None) -> Response:
            return views["answer"](rest)

        # Before the rules: a refused duplicate must not leave half a bridge behind.
        blueprint.record_once(registered)
        for rule in (base, f"{base.rstrip('/')}/<path:rest>"):
            blueprint.add_url_rule(
                rule, "bridge", novu_bridge, methods=_METHODS, provide_automatic_options=False, strict_slashes=False
            )
        app.register_blueprint(blueprint)

    def _claim(self, app: Flask, base: str, prefix: str) -> Endpoint:
        """The bridge for ``app``, recorded for ``novu-framework discover``; a second one on the same route
        is refused."""
        route = f"{prefix.rstrip('/')}{base}" if prefix else base
        served = app.extensions.setdefault("novu_framework", {})
        if route in served:
            raise ValueError(f"a Novu bridge is already served at `{route}` on this Flask app")
        client = self.client or Client._from_settings(app.config.get)
        served[route] = endpoint = Endpoint(self.workflows, client, "flask")
        return endpoint


def serve(
    app: Flask | Blueprint,
    route: str = "/api/novu",
    workflows: Iterable[Workflow] = (),
    client: Client | None = None,
    *,
    wsgi_middleware: bool = False,
) -> NovuBridge:
    """Registers the Novu bridge on ``app`` (a Flask app or a Blueprint) at ``route``; returns the
    :class:`NovuBridge` extension doing it.

    Besides the bridge, ``POST {route}/workflows/<workflow_id>/execute`` runs a workflow locally (body
    ``{"to": ..., "payload": {...}}``). Settings come from ``client``, else the app's config, else the
    environment (see :class:`NovuBridge`).

    Raises:
        ValueError: a bridge already serves this route on the app.
        MissingSecretKeyError: strict authentication is on and no secret key is configured.
        WorkflowAlreadyExistsError: two workflows share an id.
    """
    return NovuBridge(app, workflows=workflows, route=route, client=client, wsgi_middleware=wsgi_middleware)
