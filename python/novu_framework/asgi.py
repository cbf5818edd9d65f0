"""Serve workflows from any ASGI server or framework: uvicorn, hypercorn, Starlette, Litestar, Quart, or
Django under ASGI.

Example:
    ```python
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from novu_framework.asgi import App

    app = Starlette(routes=[Mount("/api/novu", App([welcome]))])
    ```

Agents: ``App([welcome], agents=[support_bot])``. A turn runs in its request's task once the ack is sent, so
the server waits for running turns when it shuts down gracefully.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import TYPE_CHECKING, Any

from . import _turns
from ._endpoint import Endpoint
from .client import Client
from .workflow import Workflow

if TYPE_CHECKING:
    from .agents import Agent

__all__ = ["App"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def path_below_mount(scope: Scope) -> str:
    """The request path below the app's mount point: ``path`` without the ``root_path`` prefix when it
    carries it (the ASGI spec's form; some servers and frameworks pass the path already stripped)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and (path == root or path.startswith(root + "/")):
        return path[len(root) :]
    return path


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


async def _lifespan(receive: Receive, send: Send) -> None:
    """Nothing to start or stop; answered so that servers do not warn about an unsupported protocol."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class App:
    """An ASGI application serving the bridge at its mount point and the local run at
    ``workflows/<workflow_id>/execute`` below it; any other path below it answers a JSON 404.

    Mount it under any prefix (Starlette's ``Mount``, Litestar's ``asgi(..., is_mount=True)``, uvicorn's
    ``--root-path``): it honours the ASGI ``root_path``. ``async def`` workflows run on the event loop;
    sync ones on a worker thread, as FastAPI runs ``def`` endpoints. When your sync resolvers never block
    (no I/O), ``run_sync_in_threadpool=False`` runs them on the event loop and skips the thread hop.

    ``agents`` are conversational agents (see :func:`novu_framework.agents.agent`). A turn runs after its ack
    is sent, in the request's task: ``async def`` handlers on the event loop, sync ones on a bounded thread
    pool. Servers wait for running requests when they shut down gracefully, so they wait for running turns
    (uvicorn bounds that wait with ``--timeout-graceful-shutdown``).

    Without a ``client`` the settings come from the environment (see :class:`novu_framework.Client`).

    Raises:
        MissingSecretKeyError: strict authentication is on and no secret key is configured.
        WorkflowAlreadyExistsError: two workflows share an id.
    """

    def __init__(
        self,
        workflows: Iterable[Workflow] = (),
        *,
        agents: Iterable[Agent] = (),
        client: Client | None = None,
        run_sync_in_threadpool: bool = True,
    ) -> None:
        self._setup(Endpoint(workflows, client, "asgi", agents), run_sync_in_threadpool)

    @classmethod
    def _of(cls, endpoint: Endpoint, run_sync_in_threadpool: bool) -> App:
        """The app for an adapter's endpoint (which names its own server)."""
        app = cls.__new__(cls)
        app._setup(endpoint, run_sync_in_threadpool)
        return app

    def _setup(self, endpoint: Endpoint, threadpool: bool) -> None:
        self._endpoint = endpoint
        self._threadpool = threadpool
        self._headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in endpoint.headers]

    @property
    def workflows(self) -> list[Workflow]:
        """The workflows this app serves."""
        return self._endpoint.workflows

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
        elif scope["type"] == "http":
            await self.respond(scope, receive, send, path_below_mount(scope))
        else:  # a websocket: not served
            await send({"type": "websocket.close", "code": 1000})

    async def respond(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        """Answers the HTTP request in ``scope`` for ``path`` below the mount point (adapters that route
        by themselves, like FastAPI's, call this with the path they matched)."""
        body = await _read_body(receive, self._endpoint.limit)
        if body is None:
            return
        status, content, *turn = await self._endpoint.answer_scope(scope, path, body, self._threadpool)
        headers = [*self._headers, (b"content-length", str(len(content)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})
        if turn:  # an agent event: its turn runs now that the ack is sent
            await _turns.run(turn[0])
