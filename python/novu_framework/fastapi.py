"""Serve workflows from a FastAPI app.

Example:
    ```python
    from fastapi import FastAPI
    from novu_framework.fastapi import serve

    app = FastAPI()
    serve(app, route="/api/novu", workflows=[welcome])
    ```
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound

from . import _native, asgi
from ._endpoint import Endpoint, check_route
from .client import Client
from .workflow import Workflow

if TYPE_CHECKING:
    from .agents import Agent

__all__ = ["serve"]


class _BridgeRoute(BaseRoute):
    """Routes ``base`` and every path below it, any method, to the bridge, which reads the request itself
    (FastAPI's request and response objects and parameter parsing are not wanted here). Matched by prefix,
    not by a pattern, so no path below ``base`` escapes to another route."""

    def __init__(self, base: str, app: asgi.App) -> None:
        self.base = base.rstrip("/")
        self.app = app

    def matches(self, scope: asgi.Scope) -> tuple[Match, asgi.Scope]:
        if scope["type"] == "http":
            path = asgi.path_below_mount(scope)
            if path == self.base or path.startswith(f"{self.base}/"):
                return Match.FULL, {"path_params": {"rest": path[len(self.base) :]}}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        await self.app.respond(scope, receive, send, scope["path_params"]["rest"])


async def _described_only() -> None:
    """The endpoint of the routes that only describe the bridge in OpenAPI: the bridge's route comes first
    and matches every method and path they match, so these are never called."""


def _documentation(base: str) -> list[APIRoute]:
    """The bridge's operations for ``/openapi.json`` and ``/docs`` (tag ``novu``), described by the core."""
    operations: dict[str, Any] = _native.openapi_operations()
    local = f"{base.rstrip('/')}/workflows/{{workflow_id}}/execute"
    return [
        APIRoute(path, _described_only, methods=[method.upper()], openapi_extra=operation)
        for path, route in ((base, "bridge"), (local, "local"))
        for method, operation in operations[route].items()
    ]


def serve(
    app: FastAPI,
    route: str = "/api/novu",
    workflows: Iterable[Workflow] = (),
    client: Client | None = None,
    *,
    agents: Iterable[Agent] = (),
    run_sync_in_threadpool: bool = True,
    include_in_schema: bool = True,
) -> APIRouter:
    """Registers the Novu bridge on ``app`` at ``route`` and returns its router.

    Besides the bridge, ``POST {route}/workflows/{workflow_id}/execute`` runs a workflow locally (body
    ``{"to": ..., "payload": {...}}``); any other path below ``route`` answers a JSON 404. ``async def``
    workflows run on the event loop; sync ones, like FastAPI's ``def`` endpoints, on its thread pool. When
    your sync resolvers never block (no I/O), pass ``run_sync_in_threadpool=False`` to run them on the event
    loop and skip the thread hop (about 0.1 ms). Both routes appear in ``/openapi.json`` and ``/docs`` under
    the tag ``novu`` unless ``include_in_schema=False``. Without a ``client`` the settings come from the
    environment.

    ``agents`` are conversational agents (see :func:`novu_framework.agents.agent`). A turn runs after its ack
    is sent, in the request's task (``async def`` handlers on this event loop, sync ones on a bounded thread
    pool), so uvicorn waits for running turns when it shuts down.

    Raises:
        MissingSecretKeyError: strict authentication is on and no secret key is configured.
        WorkflowAlreadyExistsError: two workflows share an id.
    """
    base = check_route(route).rstrip("/") or "/"
    bridge = asgi.App._of(Endpoint(workflows, client, "fastapi", agents), run_sync_in_threadpool)
    router = APIRouter()
    # Every method reaches the bridge, which answers the ones it does not serve with a JSON 405.
    router.routes.append(_BridgeRoute(base, bridge))
    if include_in_schema:
        router.routes.extend(_documentation(base))
    app.router.routes.extend(router.routes)
    # Lets `novu-framework discover module:app` list what this app serves.
    served = getattr(app.state, "novu_framework", [])
    app.state.novu_framework = [*served, *bridge.workflows]
    return router
