"""The one request path every adapter serves: an adapter hands over the method, the path below the
bridge's mount point, the query string, the two signature headers and the raw body, and sends back the
status, the bridge's static headers and the body bytes. Everything in between (routing below the mount,
signatures, the protocol, request logs) happens in the native core.

An acknowledged agent event's answer carries its turn as a third item, ``(status, body, turn)``: the
adapter sends the ack, then hands the turn to ``novu_framework._turns`` (``start`` after a WSGI response,
``await run`` after an ASGI one), so no handler code runs before the ack is out."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import _native
from .client import Client
from .workflow import Workflow

if TYPE_CHECKING:
    from .agents import Agent

try:  # Starlette, FastAPI and Litestar run on anyio: its thread pool also works under trio.
    from anyio import to_thread as _anyio_threads
except ImportError:  # plain asyncio servers without anyio
    _anyio_threads = None  # type: ignore[assignment]

__all__ = ["Endpoint"]

Answer = tuple[int, bytes] | tuple[int, bytes, _native.Turn]


async def _in_thread(job: Callable[[], tuple[int, bytes]]) -> tuple[int, bytes]:
    if _anyio_threads is not None:
        answer: tuple[int, bytes] = await _anyio_threads.run_sync(job)
        return answer
    return await asyncio.to_thread(job)


def _from_meta(meta: Mapping[str, Any], path: str, body: bytes) -> tuple[str, str, str, str | None, str | None, bytes]:
    return (
        meta["REQUEST_METHOD"],
        path,
        meta.get("QUERY_STRING", ""),
        meta.get("HTTP_NOVU_SIGNATURE"),
        meta.get("HTTP_X_NOVU_SIGNATURE"),
        body,
    )


def as_list(items: Any, name: str, example: str) -> list[Any]:
    """``items`` as a list; a single workflow or agent (or anything not iterable) is a clear TypeError."""
    if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
        raise TypeError(f"`{name}` takes a list, e.g. {name}={example}; got {type(items).__name__}")
    return list(items)


def check_route(route: Any) -> str:
    """The route an adapter serves at, checked: a common slip passes the workflows in its place."""
    if not isinstance(route, str):
        raise TypeError(
            f'`route` must be a string such as "/api/novu", got {type(route).__name__}; '
            "pass the workflows by name: serve(app, workflows=[...])"
        )
    return route


class Endpoint:
    """What one ``serve()`` (or app) serves: its workflows and agents, and the native bridge built for them.

    Adding another kind of served object means adding it here (and to ``Client._bridge``); the adapters
    only pass it along.
    """

    def __init__(
        self, workflows: Iterable[Workflow], client: Client | None, server: str, agents: Iterable[Agent] = ()
    ) -> None:
        self.workflows = as_list(workflows, "workflows", "[welcome]")
        self.agents = as_list(agents, "agents", "[support_bot]")
        self.bridge = (client or Client())._bridge(self.workflows, server, self.agents)
        self.limit = self.bridge.max_body_bytes
        self.headers = self.bridge.headers

    def answer(self, meta: Mapping[str, Any], path: str, body: bytes) -> Answer:
        """Answers a request described by a WSGI environ (or Django's ``META``), on this thread."""
        return self.bridge.handle(*_from_meta(meta, path, body))

    async def answer_async(self, meta: Mapping[str, Any], path: str, body: bytes) -> Answer:
        """Answers a request described by Django's ``META`` (or a WSGI environ) from async code."""
        return await self.settle(self.bridge.handle(*_from_meta(meta, path, body), asynchronous=True))

    async def answer_scope(self, scope: Mapping[str, Any], path: str, body: bytes, threadpool: bool = True) -> Answer:
        """Answers an ASGI HTTP request."""
        signature = legacy = None
        for name, value in scope["headers"]:
            if name == b"novu-signature" and signature is None:
                signature = value.decode("latin-1")
            elif name == b"x-novu-signature" and legacy is None:
                legacy = value.decode("latin-1")
        query = scope["query_string"]
        result = self.bridge.handle(scope["method"], path, query, signature, legacy, body, asynchronous=True)
        return await self.settle(result, threadpool)

    @staticmethod
    async def settle(result: Answer | _native.Job | Awaitable[tuple[int, bytes]], threadpool: bool = True) -> Answer:
        """Sync user code and blocking HTTP go to a worker thread (sync user code stays on the loop when
        ``threadpool`` is false); async workflows run on this loop."""
        if isinstance(result, tuple):
            return result
        if isinstance(result, _native.Job):
            if threadpool or not result.runs_user_code:
                return await _in_thread(result)
            return result()
        return await result
