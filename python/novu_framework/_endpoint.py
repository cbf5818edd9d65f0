"""The one request path every adapter serves: an adapter hands over the method, the path below the
bridge's mount point, the query string, the two signature headers and the raw body, and sends back the
status, the bridge's static headers and the body bytes. Everything in between (routing below the mount,
signatures, the protocol, request logs) happens in the native core."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from . import _native
from .client import Client
from .workflow import Workflow

try:  # Starlette, FastAPI and Litestar run on anyio: its thread pool also works under trio.
    from anyio import to_thread as _anyio_threads
except ImportError:  # plain asyncio servers without anyio
    _anyio_threads = None  # type: ignore[assignment]

__all__ = ["Endpoint"]

Answer = tuple[int, bytes]


async def _in_thread(job: Callable[[], Answer]) -> Answer:
    if _anyio_threads is not None:
        answer: Answer = await _anyio_threads.run_sync(job)
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


class Endpoint:
    """What one ``serve()`` (or app) serves: its workflows and the native bridge built for them.

    Adding another kind of served object means adding it here (and to ``Client._bridge``); the adapters
    only pass it along.
    """

    def __init__(self, workflows: Iterable[Workflow], client: Client | None, server: str) -> None:
        self.workflows = list(workflows)
        self.bridge = (client or Client())._bridge(self.workflows, server)
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
    async def settle(result: Answer | _native.Job | Awaitable[Answer], threadpool: bool = True) -> Answer:
        """Sync user code and blocking HTTP go to a worker thread (sync user code stays on the loop when
        ``threadpool`` is false); async workflows run on this loop."""
        if isinstance(result, tuple):
            return result
        if isinstance(result, _native.Job):
            if threadpool or not result.runs_user_code:
                return await _in_thread(result)
            return result()
        return await result
