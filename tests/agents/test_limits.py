"""Limits on agent events, each configurable and answered with a JSON error that names it: the body size (as
for workflows), the history length, the size of a reply, and the turns running at once (a 503 past it, never
a silent drop)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from novu_framework import Client
from novu_framework.agents import AgentError, agent

from .helpers import calls, event_body, post, served, wait_idle

FRAMEWORKS = ["flask", "fastapi"]


def hello(message: Any, ctx: Any) -> str:
    return "hi"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_body_and_history_limits(framework: str) -> None:
    with served(framework, [agent("bot", on_message=hello)], max_body_bytes=4000, agent_limits={"max_history": 3}) as s:
        reply_url = f"{s.api.api_url}/v1/agents/bot/reply"
        big = event_body(reply_url, text="x" * 5000)
        status, answer, _ = post(s.url, big)
        assert status == 413
        assert answer["code"] == "PayloadTooLargeError" and "limit of 4000 bytes" in answer["message"]
        history = [{"role": "user", "type": "message", "content": str(i)} for i in range(4)]
        status, answer, _ = post(s.url, event_body(reply_url, history=history))
        assert status == 413
        assert answer["message"] == "`history` has 4 entries, more than the limit of 3 (max_history)"
        assert answer["data"] == {"limit": 3, "name": "max_history"}
        assert calls(s) == []
        assert post(s.url, event_body(reply_url, history=history[:3]))[0] == 200
        assert len(calls(s)) == 2


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_reply_over_the_limit_fails_the_turn(framework: str) -> None:
    errors: list[AgentError] = []

    def too_long(message: Any, ctx: Any) -> str:
        return "x" * 11

    def on_error(error: AgentError, ctx: Any) -> None:
        errors.append(error)

    bot = agent("bot", on_message=too_long, on_error=on_error)
    with served(framework, [bot], agent_limits={"max_reply_bytes": 10}) as s:
        assert post(s.url, event_body(f"{s.api.api_url}/v1/agents/bot/reply"))[0] == 200
        assert [c["body"] for c in calls(s)] == [
            {"conversationId": "conv_1", "integrationIdentifier": "slack-main", "error": True},
            {"conversationId": "conv_1", "integrationIdentifier": "slack-main", "typing": "stop"},
        ]
    assert [e.message for e in errors] == [
        "Reply content is 11 bytes, more than the limit of 10 bytes (max_reply_bytes)"
    ]


@pytest.mark.parametrize("style", ["sync", "async"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_turns_past_the_bound_get_a_503_not_a_silent_drop(framework: str, style: str) -> None:
    release = threading.Event()

    def held(message: Any, ctx: Any) -> str:
        release.wait(10)
        return "done"

    async def held_async(message: Any, ctx: Any) -> str:
        import asyncio

        while not release.is_set():
            await asyncio.sleep(0.01)
        return "done"

    bot = agent("bot", on_message=held if style == "sync" else held_async)
    with served(framework, [bot], agent_limits={"max_turns_in_flight": 2}) as s:
        body = event_body(f"{s.api.api_url}/v1/agents/bot/reply")
        assert [post(s.url, body)[0] for _ in range(2)] == [200, 200]
        status, answer, _ = post(s.url, body)
        assert status == 503
        assert answer["code"] == "TooManyAgentTurnsError"
        assert answer["data"] == {"limit": 2, "name": "max_turns_in_flight"}
        release.set()
        wait_idle()
        assert [c["body"].get("reply") for c in calls(s)].count({"markdown": "done"}) == 2
        assert post(s.url, body)[0] == 200


def test_limits_are_checked_when_the_client_is_made() -> None:
    with pytest.raises(ValueError, match=r"agent_limits\['max_history'\] must be a positive integer"):
        Client(secret_key="k", agent_limits={"max_history": 0})
    with pytest.raises(ValueError, match="agent_shutdown_timeout"):
        Client(secret_key="k", agent_shutdown_timeout=-1)
    client = Client(secret_key="k", agent_limits={"max_histories": 5})
    with pytest.raises(ValueError, match="unknown agent limit `max_histories`"):
        client._bridge([], "test", [agent("a", on_message=hello)])
