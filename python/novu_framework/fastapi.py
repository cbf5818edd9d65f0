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

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from . import _native
from .client import Client
from .workflow import Workflow

__all__ = ["serve"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The body, but never more than ``limit + 1`` bytes (the core answers 413 past the limit); ``None``
    when the client went away first (there is nobody left to answer)."""
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        if chunk:
            chunks.append(chunk)
            size += len(chunk)
        if size > limit or not message.get("more_body", False):
            return b"".join(chunks)


def _signatures(scope: Scope) -> tuple[str | None, str | None]:
    """``novu-signature`` and ``x-novu-signature``, first occurrence of each."""
    signature = legacy = None
    for name, value in scope["headers"]:
        if name == b"novu-signature" and signature is None:
            signature = value.decode("latin-1")
        elif name == b"x-novu-signature" and legacy is None:
            legacy = value.decode("latin-1")
    return signature, legacy


async def _settle(result: Any, threadpool: bool = True) -> tuple[int, bytes]:
    """Sync user code and blocking HTTP go to the thread pool (unless told not to); async workflows run on
    this loop."""
    if isinstance(result, tuple):
        return result
    if isinstance(result, _native.Job):
        if threadpool or not result.runs_user_code:
            settled: tuple[int, bytes] = await run_in_threadpool(result)
            return settled
        return result()
    awaited: tuple[int, bytes] = await result
    return awaited


class _Endpoint:
    """A raw ASGI endpoint: the bridge reads the request itself, so FastAPI's request and response objects,
    parameter parsing and OpenAPI schema are not wanted here."""

    def __init__(self, bridge: _native.Bridge, local: bool, threadpool: bool) -> None:
        self.bridge = bridge
        self.local = local
        self.threadpool = threadpool
        self.limit = bridge.max_body_bytes
        self.headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in bridge.headers]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await _read_body(receive, self.limit)
        if body is None:
            return
        signature, legacy = _signatures(scope)
        if self.local:
            workflow_id = scope["path_params"]["workflow_id"]
            result = self.bridge.handle_local_async(scope["method"], workflow_id, signature, legacy, body)
        else:
            result = self.bridge.handle_async(scope["method"], scope["query_string"], signature, legacy, body)
        status, content = await _settle(result, self.threadpool)
        headers = [*self.headers, (b"content-length", str(len(content)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})


def serve(
    app: FastAPI,
    route: str = "/api/novu",
    workflows: Iterable[Workflow] = (),
    client: Client | None = None,
    *,
    run_sync_in_threadpool: bool = True,
) -> APIRouter:
    """Registers the Novu bridge on ``app`` at ``route`` and returns its router.

    Besides the bridge, ``POST {route}/workflows/{workflow_id}/execute`` runs a workflow locally (body
    ``{"to": ..., "payload": {...}}``). ``async def`` workflows run on the event loop; sync ones, like
    FastAPI's ``def`` endpoints, on its thread pool. When your sync resolvers never block (no I/O), pass
    ``run_sync_in_threadpool=False`` to run them on the event loop and skip the thread hop (about 0.1 ms).

    Raises:
        MissingSecretKeyError: strict authentication is on and no secret key is configured.
        WorkflowAlreadyExistsError: two workflows share an id.
    """
    workflows = list(workflows)
    bridge = (client or Client())._bridge(workflows, "fastapi")
    base = route.rstrip("/") or "/"
    router = APIRouter()
    # No method list: every method reaches the bridge, which answers the ones it does not serve with a 405.
    threadpool = run_sync_in_threadpool
    router.routes.append(Route(base, _Endpoint(bridge, False, threadpool), include_in_schema=False))
    execute = f"{base.rstrip('/')}/workflows/{{workflow_id:path}}/execute"
    router.routes.append(Route(execute, _Endpoint(bridge, True, threadpool), include_in_schema=False))
    app.include_router(router)
    # Lets `novu-framework discover module:app` list what this app serves.
    served = getattr(app.state, "novu_framework", [])
    app.state.novu_framework = [*served, *workflows]
    return router
