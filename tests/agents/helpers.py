"""Small helpers for the agent tests: a served bridge with agents, and agent events to send to it."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from novu_framework import Client, _turns
from novu_framework.agents import Agent

from ..support import serve_app
from .harness import SECRET, exchange, signature
from .standin import AgentsApiStandIn


@dataclass
class Served:
    url: str
    """The bridge route."""
    api: AgentsApiStandIn


def make_app(framework: str, agents: Sequence[Agent], client: Client) -> Any:
    if framework == "flask":
        from flask import Flask

        from novu_framework.flask import serve as serve_flask

        app = Flask("agents-test")
        serve_flask(app, agents=agents, client=client)
        return app
    from fastapi import FastAPI

    from novu_framework.fastapi import serve as serve_fastapi

    fastapi_app = FastAPI()
    serve_fastapi(fastapi_app, agents=agents, client=client)
    return fastapi_app


@contextmanager
def served(framework: str, agents: Sequence[Agent], *, strict: bool = True, **client_options: Any) -> Iterator[Served]:
    """The agents behind a Flask or FastAPI bridge on loopback, with the stand-in as the Novu API."""
    with AgentsApiStandIn(SECRET) as api:
        client = Client(secret_key=SECRET, strict_authentication=strict, api_url=api.api_url, **client_options)
        with serve_app(framework, make_app(framework, agents, client)) as base:
            yield Served(f"{base}/api/novu", api)
        wait_idle()


def event_body(reply_url: str, text: str | None = "hello", **changes: Any) -> dict[str, Any]:
    """A complete `onMessage` body (like the corpus's `msg-hello`); keys set to `None` in `changes` are removed."""
    body: dict[str, Any] = {
        "version": 1,
        "deliveryId": "conv_1:test",
        "event": "onMessage",
        "agentId": "bot",
        "replyUrl": reply_url,
        "conversationId": "conv_1",
        "integrationIdentifier": "slack-main",
        "action": None,
        "message": {
            "text": text,
            "platformMessageId": "plat-msg-7",
            "author": {"userId": "U1", "fullName": "Ada Lovelace", "userName": "ada", "isBot": False},
            "timestamp": "2026-01-01T10:00:00.000Z",
        },
        "reaction": None,
        "conversation": {"identifier": "conv-1", "status": "open", "metadata": {"step": 1}, "messageCount": 1},
        "subscriber": {"subscriberId": "sub_1", "firstName": "Ada"},
        "history": [],
        "platform": "slack",
        "platformContext": {"threadId": "t1", "channelId": "C1", "isDM": False},
    }
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def post(
    url: str, body: Any, *, agent: str = "bot", event: str = "onMessage", sign: bool = True, raw: bytes | None = None
) -> tuple[int, Any, float]:
    """Posts an agent event; returns the status, the JSON answer and how long the answer took (ms)."""
    text = raw.decode() if raw is not None else json.dumps(body, separators=(",", ":"))
    headers = {"content-type": "application/json"}
    if sign:
        headers["novu-signature"] = signature(None, text) or ""
    query = urllib.parse.urlencode({"action": "agent-event", "agentId": agent, "event": event})
    started = time.monotonic()
    status, _, answer = exchange("POST", f"{url}?{query}", text, headers)
    elapsed = (time.monotonic() - started) * 1000
    return status, json.loads(answer) if answer else None, elapsed


def wait_idle(limit: float = 30.0) -> None:
    """Waits until this process runs no agent turn."""
    deadline = time.monotonic() + limit
    while _turns.running() and time.monotonic() < deadline:
        time.sleep(0.01)


def calls(served_: Served, quiet: float = 0.1) -> list[dict[str, Any]]:
    """What the bridge sent once its turns are done."""
    wait_idle()
    served_.api.wait_quiet(quiet, 10)
    return served_.api.snapshot()
