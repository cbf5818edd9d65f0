"""Serve workflows from a Flask app.

Example:
    ```python
    from flask import Flask
    from novu_framework.flask import serve

    app = Flask(__name__)
    serve(app, route="/api/novu", workflows=[welcome])
    ```
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable

from flask import Blueprint, Flask, Response, request
from werkzeug.datastructures import Headers

from .client import Client
from .workflow import Workflow

__all__ = ["serve"]

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


def serve(
    app: Flask,
    route: str = "/api/novu",
    workflows: Iterable[Workflow] = (),
    client: Client | None = None,
) -> Blueprint:
    """Registers the Novu bridge on ``app`` at ``route`` and returns its Blueprint.

    Besides the bridge, ``POST {route}/workflows/<workflow_id>/execute`` runs a workflow locally (body
    ``{"to": ..., "payload": {...}}``).

    Raises:
        MissingSecretKeyError: strict authentication is on and no secret key is configured.
        WorkflowAlreadyExistsError: two workflows share an id.
    """
    workflows = list(workflows)
    bridge = (client or Client())._bridge(workflows, "flask")
    new_headers = _headers_factory(bridge.headers)
    limit = bridge.max_body_bytes
    blueprint = Blueprint(f"novu_framework_{next(_names)}", __name__)
    base = route.rstrip("/") or "/"

    # The WSGI environ is read directly: each `request.<attribute>` goes through Flask's context proxy.
    def novu_bridge() -> Response:
        environ = request.environ
        status, body = bridge.handle(
            environ["REQUEST_METHOD"],
            environ.get("QUERY_STRING", "").encode("latin-1"),
            environ.get("HTTP_NOVU_SIGNATURE"),
            environ.get("HTTP_X_NOVU_SIGNATURE"),
            request.stream.read(limit + 1),
        )
        return Response(body, status, new_headers())

    def novu_execute(workflow_id: str) -> Response:
        environ = request.environ
        status, body = bridge.handle_local(
            environ["REQUEST_METHOD"],
            workflow_id,
            environ.get("HTTP_NOVU_SIGNATURE"),
            environ.get("HTTP_X_NOVU_SIGNATURE"),
            request.stream.read(limit + 1),
        )
        return Response(body, status, new_headers())

    blueprint.add_url_rule(base, "bridge", novu_bridge, methods=_METHODS, provide_automatic_options=False)
    blueprint.add_url_rule(
        f"{base.rstrip('/')}/workflows/<path:workflow_id>/execute",
        "execute",
        novu_execute,
        methods=_METHODS,
        provide_automatic_options=False,
    )
    app.register_blueprint(blueprint)
    # Lets `novu-framework discover module:app` list what this app serves.
    app.extensions.setdefault("novu_framework", []).extend(workflows)
    return blueprint
