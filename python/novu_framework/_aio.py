"""Running awaitables from synchronous code (a Flask view, discovery at import time)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import threading
from collections.abc import Awaitable
from typing import Any, TypeVar

T = TypeVar("T")

_local = threading.local()
_workers: concurrent.futures.ThreadPoolExecutor | None = None
_workers_lock = threading.Lock()


def _worker_pool() -> concurrent.futures.ThreadPoolExecutor:
    """Threads whose loops run awaitables for callers already inside a loop; kept, like their loops, so
    such calls do not each start a thread and leave an event loop behind. Several, so that a nested call
    from inside one of them does not wait for itself."""
    global _workers
    with _workers_lock:
        if _workers is None:
            _workers = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="novu-framework-aio")
        return _workers


def _thread_loop() -> asyncio.AbstractEventLoop:
    loop: asyncio.AbstractEventLoop | None = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _local.loop = loop
    return loop


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


def run_sync(awaitable: Awaitable[T]) -> T:
    """Runs ``awaitable`` to completion and returns its result.

    Uses an event loop kept per thread, so repeated calls (one per request in a sync web server) do not
    pay for creating a loop. When this thread already runs a loop (the caller is itself async), the work
    goes to a worker thread with its own loop instead of nesting loops.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _thread_loop().run_until_complete(_await(awaitable))
    return _worker_pool().submit(lambda: _thread_loop().run_until_complete(_await(awaitable))).result()


def is_async_callable(func: Any) -> bool:
    """True for ``async def`` functions, also behind ``functools.partial`` or as an instance's ``__call__``."""
    if inspect.iscoroutinefunction(func):
        return True
    method = getattr(type(func), "__call__", None)  # noqa: B004 -- the method itself, to see if it is async
    return inspect.iscoroutinefunction(method)
