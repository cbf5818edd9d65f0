"""Serve workflows from a FastAPI (or Starlette) app.

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
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import _native
from .client import Client
from .workflow import Workflow

__all__ = ["serve"]

_METHODS = ["GET", "POST", "OPTIONS", "PUT", "PATCH", "DELETE", "HEAD"]


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, but never more than ``limit + 1`` bytes (the core answers 413 past the limit)."""
    chunks = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    return b"".join(chunks)


async def _settle(result: Any) -> tuple[int, bytes]:
    """Sync user code and blocking HTTP go to the thread pool; async workflows run on this loop."""
    if isinstance(result, tuple):
        return result
    if isinstance(result, _native.Job):
        settled: tuple[int, bytes] = await run_in_threadpool(result)
        return settled
    awaited: tuple[int, bytes] = await result
    return awaited


def serve(
    app: FastAPI,
    route: str = "/api/novu",
    workflows: Iterable[Workflow] = (),
    client: Client | None = None,
) -> APIRouter:
    """Registers the Novu bridge on ``app`` at ``route`` and returns its router.

    Besides the bridge, ``POST {route}/workflows/{workflow_id}/execute`` runs a workflow locally (body
    ``{"to": ..., "payload": {...}}``).

    Raises:
        MissingSecretKeyError: strict authentication is on and no secret key is configured.
        WorkflowAlreadyExistsError: two workflows share an id.
    """
    workflows = list(workflows)
    bridge = (client or Client())._bridge(workflows, "fastapi")
    headers = dict(bridge.headers)
    limit = bridge.max_body_bytes
    base = route.rstrip("/") or "/"

    async def novu_bridge(request: Request) -> Response:
        result = bridge.handle_async(
            request.method,
            request.scope["query_string"],
            request.headers.get("novu-signature"),
            request.headers.get("x-novu-signature"),
            await _read_body(request, limit),
        )
        status, body = await _settle(result)
        return Response(body, status, headers)

    async def novu_execute(request: Request) -> Response:
        result = bridge.handle_local_async(
            request.path_params["workflow_id"],
            request.headers.get("novu-signature"),
            request.headers.get("x-novu-signature"),
            await _read_body(request, limit),
        )
        status, body = await _settle(result)
        return Response(body, status, headers)

    router = APIRouter()
    # Plain Starlette routes: the bridge reads the raw request itself, so FastAPI's parameter parsing and
    # OpenAPI schema are not wanted here.
    router.routes.append(Route(base, novu_bridge, methods=_METHODS, include_in_schema=False))
    router.routes.append(
        Route(
            f"{base.rstrip('/')}/workflows/{{workflow_id:path}}/execute",
            novu_execute,
            methods=["POST"],
            include_in_schema=False,
        )
    )
    app.include_router(router)
    # Lets `novu-framework discover module:app` list what this app serves.
    served = getattr(app.state, "novu_framework", [])
    app.state.novu_framework = [*served, *workflows]
    return router
