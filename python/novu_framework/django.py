"""Serve workflows from a Django project.

Example (``urls.py``):
    ```python
    from django.urls import include, path
    from novu_framework.django import novu_urls

    urlpatterns = [
        path("api/novu", include(novu_urls(workflows=[welcome]))),
    ]
    ```

The bridge answers at ``/api/novu`` and runs workflows locally at ``/api/novu/workflows/<id>/execute``;
its views are exempt from CSRF checks (Novu signs its requests instead). Under WSGI (``runserver``,
gunicorn) Django resolves the URL on a plain thread and gets a sync view; under ASGI (uvicorn, daphne) it
resolves on the event loop and gets an async view, which runs ``async def`` workflows on the loop and sync
ones on a worker thread. So no view ever pays for Django's sync/async adaptation.

Agents: ``novu_urls(workflows=[welcome], agents=[support_bot])``. Django closes a response once it is sent,
and an agent event's turn starts then. Under WSGI it runs on a background pool (sync handlers on its
threads, ``async def`` ones on its event loop), and at exit running turns get
``Client(agent_shutdown_timeout=...)`` to finish. Under ASGI it runs inside the request, after the ack, so
the server waits for it when it shuts down gracefully (bound that wait with uvicorn's
``--timeout-graceful-shutdown``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern
from django.urls.resolvers import RegexPattern, ResolverMatch

from . import _native, _turns
from ._endpoint import Endpoint
from .client import Client
from .workflow import Workflow

if TYPE_CHECKING:
    from .agents import Agent

__all__ = ["novu_urls"]


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _AckThenTurn(HttpResponse):
    """An agent event's ack: Django closes a response once the server has sent it, which starts the turn.

    Under WSGI the turn goes to the background runner. Under ASGI Django closes the response on the
    request's own worker thread before the request ends, so the turn runs to its end there: servers wait
    for open requests when they shut down gracefully (uvicorn's re-raised SIGTERM skips exit handlers, so
    a background turn would be lost)."""

    def __init__(self, body: bytes, status: int, headers: dict[str, str], turn: _native.Turn, in_request: bool) -> None:
        super().__init__(body, status=status, headers=headers)
        self.turn = turn
        self.in_request = in_request

    def close(self) -> None:
        super().close()
        if self.in_request:
            _turns.finish(self.turn)
        else:
            _turns.start(self.turn)


class BridgePattern(URLPattern):
    """Matches the include's own path and every path below it (``rest``), resolving to the async view when
    Django resolves on an event loop (ASGI) and to the sync view otherwise (WSGI)."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.headers = dict(endpoint.headers)
        limit = endpoint.limit

        def novu_bridge(request: HttpRequest, rest: str = "") -> HttpResponse:
            return self._response(*endpoint.answer(request.META, rest, request.read(limit + 1)))

        async def novu_bridge_async(request: HttpRequest, rest: str = "") -> HttpResponse:
            answer = await endpoint.answer_async(request.META, rest, request.read(limit + 1))
            return self._response(*answer, in_request=True)

        # What @csrf_exempt sets (the decorator only learned async views in Django 5.0).
        novu_bridge.csrf_exempt = True  # type: ignore[attr-defined]
        novu_bridge_async.csrf_exempt = True  # type: ignore[attr-defined]
        self.async_view = novu_bridge_async
        pattern = RegexPattern(r"^(?P<rest>.*)\Z", name="novu_bridge", is_endpoint=True)
        super().__init__(pattern, novu_bridge, None, "novu_bridge")

    def _response(
        self, status: int, body: bytes, turn: _native.Turn | None = None, *, in_request: bool = False
    ) -> HttpResponse:
        if turn is not None:
            return _AckThenTurn(body, status, self.headers, turn, in_request)
        return HttpResponse(body, status=status, headers=self.headers)

    def resolve(self, path: str) -> ResolverMatch | None:
        match = super().resolve(path)
        if match is not None and _on_event_loop():
            match.func = self.async_view
        return match


def novu_urls(
    workflows: Iterable[Workflow] = (), client: Client | None = None, *, agents: Iterable[Agent] = ()
) -> list[URLPattern]:
    """URL patterns serving the Novu bridge, for ``path("api/novu", include(novu_urls(workflows=[...])))``.

    Write the include's route without a trailing slash (``"api/novu"``): the bridge answers there, with a
    trailing slash too, and below it. Without a ``client`` the settings are read from Django's settings
    (``NOVU_SECRET_KEY``, ``NOVU_STRICT_AUTHENTICATION_ENABLED`` as a bool or text such as ``"false"``,
    ``NOVU_API_URL``), each falling back to the environment. ``agents`` are conversational agents (see
    :func:`novu_framework.agents.agent`), whose turns start once the ack is sent.

    Raises:
        MissingSecretKeyError: strict authentication is on and no secret key is configured.
        WorkflowAlreadyExistsError: two workflows share an id.
    """

    def setting(name: str) -> Any:
        return getattr(settings, name, None)

    client = client or Client._from_settings(setting)
    return [BridgePattern(Endpoint(workflows, client, "django", agents))]
