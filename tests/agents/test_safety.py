"""The three upstream bugs (measured on @novu/framework 2.13.2) and what this bridge does instead, on Flask and
FastAPI, with sync and ``async def`` handlers:

1. a body without ``conversation`` is acknowledged and then ends the whole Node process: here it is a JSON 400
   naming the problem, before any ack, and the server keeps serving;
2. with strict authentication off, an unsigned body can point ``replyUrl`` anywhere and upstream sends the
   secret key there: here a URL on another origin than the configured API is refused (403, a warning in the
   log, no call);
3. synchronous code at the start of a handler delays upstream's ack: here the ack is sent before any handler
   code runs.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import pytest

from novu_framework.agents import agent

from .harness import SECRET
from .helpers import calls, event_body, post, served

FRAMEWORKS = ["flask", "fastapi"]


def sync_hello(message: Any, ctx: Any) -> str:
    return f"Hi {message.author.full_name}!"


async def async_hello(message: Any, ctx: Any) -> str:
    return f"Hi {message.author.full_name}!"


HELLOS = {"sync": sync_hello, "async": async_hello}


@pytest.mark.parametrize("style", ["sync", "async"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("strict", [True, False], ids=["strict", "unsigned"])
def test_a_malformed_body_is_a_400_before_any_ack_and_nothing_crashes(framework: str, style: str, strict: bool) -> None:
    with served(framework, [agent("bot", on_message=HELLOS[style])], strict=strict) as s:
        reply_url = f"{s.api.api_url}/v1/agents/bot/reply"
        malformed = [
            ({}, "`conversation` is required"),
            (event_body(reply_url, conversation=None), "`conversation` is required"),
            ({**event_body(reply_url), "conversation": None}, "`conversation` must be an object, got null"),
            ([event_body(reply_url)], "must be a JSON object, got an array"),
            (event_body(reply_url, replyUrl=None), "`replyUrl` (or `eventsUrl`) is required"),
            (event_body("not a url"), "`replyUrl` must be an absolute http(s) URL"),
            ({**event_body(reply_url), "history": "x"}, "`history` must be a list"),
            ({**event_body(reply_url), "message": "hi"}, "`message` must be an object or null"),
        ]
        for body, why in malformed:
            status, answer, _ = post(s.url, body, sign=strict)
            assert status == 400, (body, answer)
            assert answer["code"] == "InvalidRequestBodyError" and why in answer["message"], answer
        status, answer, _ = post(s.url, None, sign=strict, raw=b'{"conversation": ')
        assert status == 400 and "not valid JSON" in answer["message"]
        assert calls(s) == []
        # Still serving, and a good event still works.
        status, answer, _ = post(s.url, event_body(reply_url), sign=strict)
        assert (status, answer) == (200, {"status": "ack"})
        sent = calls(s)
        assert [c["body"].get("reply") for c in sent] == [{"markdown": "Hi Ada Lovelace!"}, None]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_secret_key_never_goes_to_a_foreign_url_without_strict_authentication(
    framework: str, caplog: pytest.LogCaptureFixture
) -> None:
    with served(framework, [agent("bot", on_message=sync_hello)], strict=False) as s:
        api, foreign = s.api.api_url, s.api.foreign_url
        refused = [
            event_body(f"{foreign}/v1/agents/bot/reply"),
            event_body(f"{api}/v1/agents/bot/reply", eventsUrl=f"{foreign}/v1/agents/bot/events"),
            event_body(api.replace("http://", "https://") + "/v1/agents/bot/reply"),
            event_body(f"http://attacker.example@{foreign.removeprefix('http://')}/v1/agents/bot/reply"),
        ]
        with caplog.at_level(logging.WARNING, logger="novu_framework"):
            for body in refused:
                status, answer, _ = post(s.url, body, sign=False)
                assert status == 403, answer
                assert answer["code"] == "UntrustedAgentUrlError"
                assert "strict authentication" in answer["message"]
        assert calls(s, quiet=0.3) == []
        # One warning per refused request: its request log record, naming the refusal.
        records = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "novu_framework"]
        assert [(getattr(r, "action", None), getattr(r, "status", None)) for r in records] == [
            ("agent-event", 403)
        ] * len(refused)
        warnings = [r.getMessage() for r in records]
        assert all("UntrustedAgentUrlError" in w and "Refused an unsigned agent event" in w for w in warnings)
        assert not any(SECRET in w for w in warnings)
        # The configured API's own URLs work as before.
        assert post(s.url, event_body(f"{api}/v1/agents/bot/reply"), sign=False)[0] == 200
        assert [c["origin"] for c in calls(s)] == ["api", "api"]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_signed_body_may_name_any_url_as_upstream(framework: str) -> None:
    with served(framework, [agent("bot", on_message=sync_hello)]) as s:
        assert post(s.url, event_body(f"{s.api.foreign_url}/v1/agents/bot/reply"))[0] == 200
        sent = calls(s)
        assert [(c["origin"], c["headers"]["authorization"]) for c in sent] == [("foreign", f"ApiKey {SECRET}")] * 2


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_ack_never_waits_for_handler_code(framework: str) -> None:
    release = threading.Event()

    def busy(message: Any, ctx: Any) -> str:
        started = time.monotonic()
        while time.monotonic() - started < 1.0:  # synchronous work, no I/O
            pass
        return "done"

    async def busy_async(message: Any, ctx: Any) -> str:
        started = time.monotonic()
        while time.monotonic() - started < 1.0:  # blocks its event loop, after the ack
            pass
        return "done"

    def blocked(message: Any, ctx: Any) -> str:
        release.wait(10)
        return "released"

    agents = [
        agent("busy", on_message=busy),
        agent("blocked", on_message=blocked),
        agent("busy-async", on_message=busy_async),
    ]
    with served(framework, agents) as s:
        # The async handler goes last: once acknowledged, it blocks its event loop (FastAPI's) for a second.
        for name in ("busy", "blocked", "busy-async"):
            status, answer, elapsed = post(s.url, event_body(f"{s.api.api_url}/v1/agents/{name}/reply"), agent=name)
            assert (status, answer) == (200, {"status": "ack"})
            assert elapsed < 300, f"{name}: the ack took {elapsed:.0f} ms"
        release.set()
        replies = sorted(c["body"]["reply"]["markdown"] for c in calls(s) if "reply" in c["body"])
        assert replies == ["done", "done", "released"]
