"""Serve workflows from a Flask app.

Example::

    from flask import Flask
    from novu_framework.flask import serve

    app = Flask(__name__)
    serve(app, route="/api/novu", workflows=[welcome])
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from flask import Blueprint, Flask, Response, request

from .client import Client
from .workflow import Workflow

__all__ = ["serve"]

# Every standard method reaches the bridge, which answers the ones it does not serve with a JSON 405.
_METHODS = ["GET", "POST", "OPTIONS", "PUT", "PATCH", "DELETE", "HEAD", "TRACE", "CONNECT"]
_names = itertools.count()


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
    headers = bridge.headers
    limit = bridge.max_body_bytes
    blueprint = Blueprint(f"novu_framework_{next(_names)}", __name__)
    base = route.rstrip("/") or "/"

    def novu_bridge() -> Response:
        status, body = bridge.handle(
            request.method,
            request.query_string,
            request.headers.get("novu-signature"),
            request.headers.get("x-novu-signature"),
            request.stream.read(limit + 1),
        )
        return Response(body, status, headers)

    def novu_execute(workflow_id: str) -> Response:
        status, body = bridge.handle_local(
            request.method,
            workflow_id,
            request.headers.get("novu-signature"),
            request.headers.get("x-novu-signature"),
            request.stream.read(limit + 1),
        )
        return Response(body, status, headers)

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
