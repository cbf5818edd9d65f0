"""Serve workflows from any WSGI server or framework: gunicorn, uWSGI, Werkzeug, Falcon, Bottle, or mounted
beside a Flask app.

Example:
    ```python
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from novu_framework.wsgi import App

    novu = App([welcome])                                    # serves the bridge at its mount point
    app = DispatcherMiddleware(flask_app, {"/api/novu": novu})   # here: /api/novu
    ```

Agents: ``App([welcome], agents=[support_bot])``. A turn starts once the server has sent the ack and closed
the response (on a background pool: sync handlers on its threads, ``async def`` ones on its event loop).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from . import _native, _turns
from ._endpoint import Endpoint
from .client import Client
from .workflow import Workflow

if TYPE_CHECKING:
    from .agents import Agent

__all__ = ["App"]

StartResponse = Callable[..., Any]
_STATUS_LINES = {s.value: f"{s.value} {s.phrase}" for s in HTTPStatus}


def read_body(environ: Mapping[str, Any], limit: int) -> bytes:
    """The body, never more than ``limit + 1`` bytes (the core answers 413 past the limit). Like Werkzeug,
    it reads ``CONTENT_LENGTH`` bytes, or to the end when the server marks the input as terminated
    (chunked requests); never past the body, where a raw socket would block."""
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        data: bytes = stream.read(limit + 1)
        return data
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return stream.read(min(length, limit + 1)) if length > 0 else b""


class _AckThenTurn(list[bytes]):
    """An agent event's ack as a WSGI body: the server calls ``close()`` once it has sent it, which starts
    the turn."""

    def __init__(self, body: bytes, turn: _native.Turn) -> None:
        super().__init__((body,))
        self.turn = turn

    def close(self) -> None:
        _turns.start(self.turn)


class App:
    """A WSGI application serving the bridge at its mount point and the local run at
    ``workflows/<workflow_id>/execute`` below it; any other path below it answers a JSON 404.

    Mount it under any prefix: it reads the path below the mount from ``PATH_INFO`` (the prefix being in
    ``SCRIPT_NAME``, as Werkzeug's ``DispatcherMiddleware`` and WSGI servers' ``--root-path`` /
    ``SCRIPT_NAME`` set it). Workflows run on the server's request thread (``async def`` ones on an event
    loop kept per thread). ``agents`` are conversational agents (see :func:`novu_framework.agents.agent`):
    a turn starts once the server has sent its ack, on a background pool.

    Without a ``client`` the settings come from the environment (see :class:`novu_framework.Client`).

    Raises:
        MissingSecretKeyError: strict authentication is on and no secret key is configured.
        WorkflowAlreadyExistsError: two workflows share an id.
    """

    def __init__(
        self, workflows: Iterable[Workflow] = (), *, agents: Iterable[Agent] = (), client: Client | None = None
    ) -> None:
        self._endpoint = Endpoint(workflows, client, "wsgi", agents)
        self._headers = list(self._endpoint.headers)

    @classmethod
    def _of(cls, endpoint: Endpoint) -> App:
        """The app for an adapter's endpoint (which names its own server)."""
        app = cls.__new__(cls)
        app._endpoint, app._headers = endpoint, list(endpoint.headers)
        return app

    @property
    def workflows(self) -> list[Workflow]:
        """The workflows this app serves."""
        return self._endpoint.workflows

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        # PATH_INFO is a "WSGI string": the raw bytes decoded as latin-1.
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        status, body, *turn = self._endpoint.answer(environ, path, read_body(environ, self._endpoint.limit))
        line = _STATUS_LINES.get(status) or f"{status} Error"
        start_response(line, [*self._headers, ("content-length", str(len(body)))])
        return _AckThenTurn(body, turn[0]) if turn else [body]
