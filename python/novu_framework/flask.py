"""Serve workflows from a Flask app, an app factory or a Blueprint.

Example:
    ```python
    from flask import Flask
    from novu_framework.flask import serve

    app = Flask(__name__)
    serve(app, route="/api/novu", workflows=[welcome])
    ```

With an app factory:
    ```python
    novu = NovuBridge(workflows=[welcome])

    def create_app():
        app = Flask(__name__)
        novu.init_app(app)
        return app
    ```
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, cast

from flask import Blueprint, Flask, Response, request
from flask.blueprints import BlueprintSetupState
from werkzeug.datastructures import Headers
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from . import _turns, wsgi
from ._endpoint import Endpoint, as_list, check_route
from .client import Client
from .workflow import Workflow

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

    from . import _native
    from .agents import Agent

__all__ = ["NovuBridge", "serve"]

# Every standard method reaches the bridge, which answers the ones it does not serve with a JSON 405.
_METHODS = ["GET", "POST", "OPTIONS", "PUT", "PATCH", "DELETE", "HEAD", "TRACE", "CONNECT"]
_names = itertools.count()


class _Answer(Response):
    """A bridge answer. Werkzeug copies and validates every header again when it sends a response; the
    bridge's headers were validated once, when the bridge was served, so while no after-request hook added
    or removed a header (a hook's value was validated when set) they are sent as they are."""

    _sent_as_is = 0  # how many headers the answer had when made; 0: always Werkzeug's way

    def get_wsgi_headers(self, environ: WSGIEnvironment) -> Headers:
        listed = getattr(self.headers, "_list", None)
        if type(listed) is not list or len(listed) != self._sent_as_is:
            return super().get_wsgi_headers(environ)
        headers = Headers.__new__(Headers)
        headers._list = listed.copy()
        return headers


def _answer_factory(pairs: list[tuple[str, str]]) -> Callable[..., Response]:
    """Answers with fresh headers per request (after-request hooks may change them), copied from a template
    checked once instead of validating the ten static headers again on every response. An agent event's
    turn starts once the ack is sent (when the server closes the response)."""
    template = Headers(pairs)
    if type(getattr(template, "_list", None)) is not list:  # another Werkzeug layout: the public path
        return lambda status, body, turn=None: _then(Response(body, status, pairs), turn)

    def answer(status: int, body: bytes, turn: _native.Turn | None = None) -> Response:
        headers = Headers.__new__(Headers)
        headers._list = template._list.copy()
        response = _Answer(body, status, headers)
        response._sent_as_is = len(headers._list)
        return response if turn is None else _then(response, turn)

    return answer


def _then(response: Response, turn: _native.Turn | None) -> Response:
    if turn is not None:
        response.call_on_close(lambda: _turns.start(turn))
    return response


class NovuBridge:
    """The Novu bridge as a Flask extension: one instance can serve many apps (``init_app``).

    Registers ``route`` for the bridge and every path below it: ``{route}/workflows/<workflow_id>/execute``
    runs a workflow locally (body ``{"to": ..., "payload": {...}}``), anything else answers a JSON 404, and
    so does a trailing slash's variant of either route. On a Blueprint, the routes are under its
    ``url_prefix``.

    Without a ``client``, ``NOVU_SECRET_KEY``, ``NOVU_STRICT_AUTHENTICATION_ENABLED`` (a bool, or text such
    as ``"false"``) and ``NOVU_API_URL`` are read from the app's ``config`` when the routes are registered on
    an app, each falling back to the environment.

    ``agents`` are conversational agents (see :func:`novu_framework.agents.agent`). A turn starts once the ack
    is sent and the server closes the response, on a background pool (sync handlers on its threads, ``async
    def`` ones on its event loop); at exit, running turns get ``Client(agent_shutdown_timeout=...)`` to finish.

    ``wsgi_middleware=True`` (apps only) answers bridge requests in a WSGI middleware in front of Flask,
    skipping Flask's request machinery: no request context, ``before_request``/``after_request``/
    ``teardown_request`` hooks, error handlers or signals for these requests. Faster; see the docs.

    The routes are added to the app (or the Blueprint) itself, under endpoint names
    ``novu_framework_<n>``.

    Example:
        ```python
        novu = NovuBridge(workflows=[welcome])

        def create_app() -> Flask:
            app = Flask(__name__)
            novu.init_app(app)
            return app
        ```
    """

    def __init__(
        self,
        app: Flask | Blueprint | None = None,
        *,
        workflows: Iterable[Workflow] = (),
        route: str = "/api/novu",
        client: Client | None = None,
        agents: Iterable[Agent] = (),
        wsgi_middleware: bool = False,
    ) -> None:
        self.workflows = as_list(workflows, "workflows", "[welcome]")
        self.agents = as_list(agents, "agents", "[support_bot]")
        self.route = check_route(route)
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
        rules = (base, f"{base.rstrip('/')}/<path:rest>")
        if isinstance(app, Flask):
            self._add_rules(app, rules, self._view(self._claim(app, base, "")))
            return
        views: list[Callable[..., Response]] = []

        def registered(state: BlueprintSetupState) -> None:
            views.append(self._view(self._claim(cast(Flask, state.app), base, state.url_prefix or "")))

        def novu_bridge(rest: str | None = None) -> Response:
            return views[0](rest)

        # Before the rules: a refused duplicate must not leave half a bridge behind.
        app.record_once(registered)
        self._add_rules(app, rules, novu_bridge)

    @staticmethod
    def _view(endpoint: Endpoint) -> Callable[..., Response]:
        respond = _answer_factory(endpoint.headers)
        limit = endpoint.limit

        def novu_bridge(rest: str | None = None) -> Response:
            path = "" if rest is None else f"/{rest}"
            return respond(*endpoint.answer(request.environ, path, request.stream.read(limit + 1)))

        return novu_bridge

    @staticmethod
    def _add_rules(app: Flask | Blueprint, rules: tuple[str, str], view: Callable[..., Response]) -> None:
        """The bridge's route and every path below it, on the app itself (or the Blueprint): no Blueprint of
        its own, whose hooks Flask would look up on every request."""
        name = f"novu_framework_{next(_names)}"
        for rule in rules:
            app.add_url_rule(rule, name, view, methods=_METHODS, provide_automatic_options=False, strict_slashes=False)

    def _claim(self, app: Flask, base: str, prefix: str) -> Endpoint:
        """The bridge for ``app``, recorded for ``novu-framework discover``; a second one on the same route
        is refused."""
        route = f"{prefix.rstrip('/')}{base}" if prefix else base
        served = app.extensions.setdefault("novu_framework", {})
        if route in served:
            raise ValueError(f"a Novu bridge is already served at `{route}` on this Flask app")
        client = self.client or Client._from_settings(app.config.get)
        served[route] = endpoint = Endpoint(self.workflows, client, "flask", self.agents)
        return endpoint


def serve(
    app: Flask | Blueprint,
    route: str = "/api/novu",
    workflows: Iterable[Workflow] = (),
    client: Client | None = None,
    *,
    agents: Iterable[Agent] = (),
    wsgi_middleware: bool = False,
) -> NovuBridge:
    """Registers the Novu bridge on ``app`` (a Flask app or a Blueprint) at ``route``; returns the
    :class:`NovuBridge` extension doing it.

    Besides the bridge, ``POST {route}/workflows/<workflow_id>/execute`` runs a workflow locally (body
    ``{"to": ..., "payload": {...}}``). ``agents`` are conversational agents, whose turns run after the ack
    (see :class:`NovuBridge`). Settings come from ``client``, else the app's config, else the environment.

    Raises:
        ValueError: a bridge already serves this route on the app.
        MissingSecretKeyError: strict authentication is on and no secret key is configured.
        WorkflowAlreadyExistsError: two workflows share an id.
    """
    return NovuBridge(
        app, workflows=workflows, route=route, client=client, agents=agents, wsgi_middleware=wsgi_middleware
    )
