"""Where agent turns run once their acknowledgement is sent, for every adapter.

- After a WSGI response (Flask, Django, gunicorn's sync and gthread workers), :func:`start` hands the turn to
  this process's background runner: sync handlers on a bounded pool of daemon threads, ``async def`` ones on
  one background event loop.
- After an ASGI response (FastAPI, uvicorn), :func:`run` runs the turn inside the request's task: ``async
  def`` handlers on the server's event loop, sync ones on the same thread pool. The server therefore waits
  for running turns when it shuts down gracefully (bound that wait with ``--timeout-graceful-shutdown``).
- Django under ASGI closes its response on the request's worker thread, where :func:`finish` runs the turn
  to its end, so the server waits for it too.

Turns never raise into the web server: the native turn logs its own failures. At interpreter exit, turns
still running get ``shutdown_timeout`` seconds to finish.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import queue
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from . import _native

__all__ = ["configure", "finish", "offload", "run", "running", "start"]

log = logging.getLogger("novu_framework")

# Past this many threads, sync turns wait in the pool's queue (they are already counted as in flight).
_MAX_THREADS = 256


class _Runner:
    """This process's pool threads and background loop."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.threads = 0
        self.idle = 0
        self.max_threads = 64
        self.loop: asyncio.AbstractEventLoop | None = None
        self.shutdown_timeout = 25.0

    def submit(self, job: Callable[[], None], bounded: bool = True) -> None:
        """Runs ``job`` on a pool thread, starting one while all are busy and there are fewer than the bound. Work
        a running turn waits for (its posts) is never held back by the bound, so turns cannot starve it."""
        with self.lock:
            spawn = self.idle == 0 and (self.threads < self.max_threads or not bounded)
            if spawn:
                self.threads += 1
        self.jobs.put(job)
        if spawn:
            threading.Thread(target=self.work, name="novu-agent-turn", daemon=True).start()

    def work(self) -> None:
        while True:
            with self.lock:
                self.idle += 1
            job = self.jobs.get()
            with self.lock:
                self.idle -= 1
            try:
                job()
            except BaseException:  # a turn never raises; this keeps the thread alive if one ever does
                log.exception("novu_framework: an agent turn failed outside its own error handling")

    def background_loop(self) -> asyncio.AbstractEventLoop:
        """The loop ``async def`` handlers run on under sync servers, started on first use."""
        with self.lock:
            if self.loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="novu-agent-loop", daemon=True).start()
                self.loop = loop
            return self.loop

    def wait(self, timeout: float) -> int:
        """Waits up to ``timeout`` seconds for acknowledged turns to finish; returns how many are left."""
        deadline = time.monotonic() + timeout
        while (left := running()) and time.monotonic() < deadline:
            time.sleep(0.02)
        return left


_runner = _Runner()


def running() -> int:
    """Agent turns this process acknowledged and has not finished (running, or about to start)."""
    return _native.turns_pending()


def configure(*, max_threads: int | None = None, shutdown_timeout: float | None = None) -> None:
    """Raises the pool's bound to ``max_threads`` (bridges ask for their ``max_turns_in_flight``) and sets how
    long exit waits for running turns."""
    with _runner.lock:
        if max_threads is not None:
            _runner.max_threads = max(_runner.max_threads, min(max_threads, _MAX_THREADS))
        if shutdown_timeout is not None:
            _runner.shutdown_timeout = shutdown_timeout


async def _drive(turn: _native.Turn) -> None:
    await turn.run_async()


def start(turn: _native.Turn) -> None:
    """Runs a turn in the background (after a WSGI response is sent); returns at once."""
    if turn.is_async:
        asyncio.run_coroutine_threadsafe(_drive(turn), _runner.background_loop())
    else:
        _runner.submit(turn.run)


def finish(turn: _native.Turn) -> None:
    """Runs a turn to its end from a worker thread of an ASGI request that is still open after its response
    was sent (Django under ASGI closes a response in the request's own thread): sync handlers on this
    thread, ``async def`` ones on the background loop. The server waits for the request, so for the turn."""
    if turn.is_async:
        asyncio.run_coroutine_threadsafe(_drive(turn), _runner.background_loop()).result()
    else:
        turn.run()


async def run(turn: _native.Turn) -> None:
    """Runs a turn from an ASGI request's task, after its response was sent."""
    if turn.is_async:
        await turn.run_async()
    else:
        await asyncio.shield(offload(turn.run, bounded=True))


def offload(job: Callable[[], Any], bounded: bool = False) -> Awaitable[Any]:
    """Runs a blocking call (a post to Novu, a sync handler) on the pool, off the running event loop. The
    pool's threads are daemons that keep taking work while exit waits for running turns (an executor's
    would refuse it)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not future.done():
            outcome()

    def call() -> None:
        try:
            result = job()
        except BaseException as e:
            error = e  # `e` is unbound once the except block ends
            loop.call_soon_threadsafe(settle, lambda: future.set_exception(error))
        else:
            loop.call_soon_threadsafe(settle, lambda: future.set_result(result))

    _runner.submit(call, bounded)
    return future


@atexit.register
def _finish_running_turns() -> None:
    left = _runner.wait(_runner.shutdown_timeout)
    if left:
        log.warning(
            "novu_framework: %d agent turn(s) still running at exit after %.1f s", left, _runner.shutdown_timeout
        )


def _after_fork() -> None:
    # Threads and loops do not survive a fork (gunicorn --preload): start afresh in the child.
    global _runner
    settings = (_runner.max_threads, _runner.shutdown_timeout)
    _runner = _Runner()
    _runner.max_threads, _runner.shutdown_timeout = settings


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)
