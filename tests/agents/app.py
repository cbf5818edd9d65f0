"""The reference workflow and agents served at ``/api/novu`` by any adapter the conformance apps know (Flask,
FastAPI, Django under WSGI and ASGI, the standalone ASGI and WSGI apps)."""

from __future__ import annotations

from typing import Any

from novu_framework import Client, _turns

from ..conformance.app import ASGI, FRAMEWORKS, app_for
from .reference import build_agents, build_workflows

__all__ = ["ASGI", "FRAMEWORKS", "TURNS_PATH", "make_app", "with_turn_count"]

TURNS_PATH = "/_agent_turns"


def make_app(framework: str, style: str = "async", client: Client | None = None) -> Any:
    return app_for(framework, build_workflows(), client, build_agents(style))


def with_turn_count(framework: str, app: Any) -> Any:
    """``app``, also answering ``GET /_agent_turns`` with how many agent turns this process runs, so that a test
    can tell when a server in another process is idle."""

    def count() -> bytes:
        return str(_turns.running()).encode()

    if framework in ASGI:

        async def asgi(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["path"] == TURNS_PATH:
                await send(
                    {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
                )
                await send({"type": "http.response.body", "body": count()})
                return
            await app(scope, receive, send)

        return asgi

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == TURNS_PATH:
            start_response("200 OK", [("content-type", "text/plain")])
            return [count()]
        return app(environ, start_response)

    return wsgi
