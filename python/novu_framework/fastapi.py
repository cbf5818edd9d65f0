"""Serve workflows from a FastAPI app.

Example::

    from fastapi import FastAPI
    from novu_framework.fastapi import serve

    app = FastAPI()
    serve(app, route="/api/novu", workflows=[welcome])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route

from . import _native, asgi
from ._endpoint import Endpoint
from .client import Client
from .workflow import Workflow

__all__ = ["serve"]


class _Endpoint:
    """A raw ASGI endpoint: the bridge reads the request itself, so FastAPI's request and response objects
    and parameter parsing are not wanted here. Serves the route itself and every path below it."""

    def __init__(self, app: asgi.App) -> None:
        self.app = app

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        rest = scope.get("path_params", {}).get("rest")
        await self.app.respond(scope, receive, send, "" if rest is None else f"/{rest}")


async def _described_only() -> None:
    """The endpoint of the routes that only describe the bridge in OpenAPI: the serving routes come first
    and match every method, so these are never called."""


def _documentation(base: str) -> list[APIRoute]:
    """The bridge's operations for ``/openapi.json`` and ``/docs`` (tag ``novu``), described by the core."""
    operations: dict[str, Any] = _native.openapi_operations()
    local = f"{base.rstrip('/')}/workflows/{{workflow_id}}/execute"
    return [
        APIRoute(path, _described_only, methods=[method.upper()], tags=["novu"], openapi_extra=operation)
        for path, route in ((base, "bridge"), (local, "local"))
        for method, operation in operations[route].items()
    ]


def serve(
    app: FastAPI,
    route: str = "/api/novu",
    workflows: Iterable[Workflow] = (),
    client: Client | None = None,
    *,
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

    Raises:
        MissingSecretKeyError: strict authentication is on and no secret key is configured.
        WorkflowAlreadyExistsError: two workflows share an id.
    """
    bridge = asgi.App._of(Endpoint(workflows, client, "fastapi"), run_sync_in_threadpool)
    base = route.rstrip("/") or "/"
    endpoint = _Endpoint(bridge)
    router = APIRouter()
    # No method list: every method reaches the bridge, which answers the ones it does not serve with a 405.
    router.routes.append(Route(base, endpoint, include_in_schema=False))
    router.routes.append(Route(f"{base.rstrip('/')}/{{rest:path}}", endpoint, include_in_schema=False))
    if include_in_schema:
        router.routes.extend(_documentation(base))
    app.include_router(router)
    # Lets `novu-framework discover module:app` list what this app serves.
    served = getattr(app.state, "novu_framework", [])
    app.state.novu_framework = [*served, *bridge.workflows]
    return router
