"""The Python API of agents: defining them, what handlers receive (typed objects), the error model, and the
ordering of a turn's posts."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from flask import Flask

from novu_framework import Client, cards
from novu_framework.agents import (
    AgentContext,
    AgentDeliveryError,
    AgentError,
    AsyncAgentContext,
    Message,
    ToolApprovalOptions,
    agent,
)
from novu_framework.flask import serve

from .harness import RECORDED_API, cases
from .helpers import calls, event_body, post, served

RECORDED = {c["id"]: c for c in cases()}


def hello(message: Any, ctx: Any) -> str:
    return "hi"


def test_agent_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="non-empty agent_id"):
        agent("", on_message=hello)
    with pytest.raises(TypeError, match="on_action must be a function"):
        agent("a", on_message=hello, on_action="nope")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="render_approval"):
        agent("a", on_message=hello, tool_approval={"render": hello})
    with pytest.raises(TypeError, match="serve\\(\\) takes agents made with agent\\(\\)"):
        serve(Flask("x"), agents=[hello])  # type: ignore[list-item]


def test_the_decorator_form_and_late_handlers() -> None:
    @agent("echo")
    def echo(message: Any, ctx: Any) -> str:
        return f"You said: {message.text}"

    @echo.on_action
    def clicked(action: Any, ctx: Any) -> str:
        return action.id

    assert echo.id == "echo" and echo.handlers.on_message is not None and echo.handlers.on_action is clicked
    serve(Flask("x"), agents=[echo], client=Client(secret_key="k"))
    with pytest.raises(RuntimeError, match="already served"):
        echo.on_reaction(clicked)


def test_an_id_registered_twice_keeps_its_place_and_its_last_handlers() -> None:
    first, other, last = agent("a", on_message=hello), agent("b", on_message=hello), agent("a", on_message=hello)
    with served("flask", [first, other, last]) as s:
        import urllib.request

        from .harness import signature

        request = urllib.request.Request(
            f"{s.url}?action=discover", headers={"novu-signature": signature(None, None) or ""}
        )
        with urllib.request.urlopen(request) as r:
            assert json.loads(r.read())["agents"] == [{"agentId": "a"}, {"agentId": "b"}]


@pytest.mark.parametrize("framework", ["flask", "fastapi"])
def test_handlers_receive_typed_objects(framework: str) -> None:
    seen: dict[str, Any] = {}

    def capture(message: Message | None, ctx: AgentContext) -> None:
        seen.update(message=message, ctx=ctx, metadata=ctx.metadata.current, history=ctx.history)

    rich = RECORDED["msg-rich-context"]["request"]["body"]
    with served(framework, [agent("support-bot", on_message=capture)]) as s:
        body = json.loads(json.dumps(rich).replace(RECORDED_API, s.api.api_url))
        assert post(s.url, body, agent="support-bot")[0] == 200
        calls(s)
    message, ctx = seen["message"], seen["ctx"]
    assert isinstance(ctx, AgentContext) and ctx.event == "onMessage"
    assert (message.text, message.platform_message_id, message.author.full_name) == (
        "hello",
        "plat-msg-7",
        "Ada Lovelace",
    )
    assert message.author.is_bot is False and message.timestamp == "2026-01-01T10:00:00.000Z"
    attachment = message.attachments[0]
    assert (attachment.type, attachment.mime_type, attachment.size, attachment.name) == (
        "image",
        "image/png",
        10,
        "a.png",
    )
    assert ctx.conversation.identifier == "conv-ident-1" and ctx.conversation.message_count == 3
    assert seen["metadata"] == {"old": "x", "step": 1}
    assert (
        ctx.subscriber is not None
        and ctx.subscriber.subscriber_id == "sub_1"
        and ctx.subscriber.data == {"plan": "pro"}
    )
    assert ctx.context == {"tenant": {"id": "acme", "data": {"tier": "gold"}}, "region": "eu"}
    assert ctx.notification is not None
    assert (ctx.notification.workflow_id, ctx.notification.payload) == ("agent-hello", {"orderId": 42})
    assert ctx.human_response is not None and (ctx.human_response.kind, ctx.human_response.text) == (
        "ask",
        "production",
    )
    assert [(h.role, h.type) for h in seen["history"]] == [
        ("user", "message"),
        ("assistant", "message"),
        ("system", "signal"),
    ]
    assert seen["history"][2].signal_data == {"type": "metadata", "payload": {"key": "step", "value": 1}}
    assert ctx.platform == "email" and ctx.platform_context is not None and ctx.platform_context.is_dm is True
    assert ctx.platform_context.email == {
        "domain": {"id": "d1", "name": "example.com"},
        "route": {"address": "support@example.com"},
        "rootMessageId": "<root@mail>",
    }
    assert ctx.action is None and ctx.reaction is None
    assert message.raw["attachments"][0]["url"] == "https://example.com/a.png"


@pytest.mark.parametrize("framework", ["flask", "fastapi"])
def test_the_error_model(framework: str, caplog: pytest.LogCaptureFixture) -> None:
    errors: list[AgentError] = []

    def failing(message: Any, ctx: Any) -> Any:
        if message.text == "boom":
            raise KeyError("missing")
        if message.text == "invalid":
            return 42
        return "hi"

    def on_error(error: AgentError, ctx: Any) -> Any:
        errors.append(error)
        return {"suppress": True} if message_text(ctx) == "invalid" else None

    def message_text(ctx: Any) -> str:
        return str(ctx.message.text)

    bot = agent("bot", on_message=failing, on_error=on_error)
    with served(framework, [bot]) as s, caplog.at_level(logging.ERROR, logger="novu_framework"):
        post(s.url, event_body(f"{s.api.api_url}/v1/agents/bot/reply", "boom"))
        assert [c["body"].get("error") for c in calls(s)] == [True, None]
        s.api.reset()
        post(s.url, event_body(f"{s.api.api_url}/fail-401/v1/agents/bot/reply", "hi"))
        calls(s)
        s.api.reset()
        post(s.url, event_body(f"{s.api.api_url}/v1/agents/bot/reply", "invalid"))
        assert [c["body"] for c in calls(s)] == [
            {"conversationId": "conv_1", "integrationIdentifier": "slack-main", "typing": "stop"}
        ]
    boom, unauthorized, invalid = errors
    assert type(boom) is AgentError and boom.message == "'missing'" and isinstance(boom.cause, KeyError)
    assert isinstance(unauthorized, AgentDeliveryError)
    assert (unauthorized.status_code, unauthorized.message) == (401, "Delivery failed: Unauthorized: mock failure 401")
    assert json.loads(unauthorized.response_body)["statusCode"] == 401
    assert invalid.message == "Invalid message content — expected string or CardElement"
    failed = [r for r in caplog.records if "Turn failed (onMessage)" in r.getMessage()]
    assert failed and failed[0].getMessage() == "[agent:bot] Turn failed (onMessage): 'missing'" and failed[0].exc_info


def test_posts_of_one_turn_go_out_in_order_even_when_awaited_together() -> None:
    async def chatty(message: Any, ctx: AsyncAgentContext) -> None:
        await asyncio.gather(*(ctx.reply(f"part {i}") for i in range(5)))
        await ctx.emit("progress", {"pct": 100})

    with served("fastapi", [agent("bot", on_message=chatty)]) as s:
        body = event_body(f"{s.api.api_url}/v1/agents/bot/reply", eventsUrl=f"{s.api.api_url}/v1/agents/bot/events")
        assert post(s.url, body)[0] == 200
        batches = [c["body"]["events"] for c in calls(s)]
    envelopes = [e for batch in batches for e in batch]
    assert [e["sequence"] for e in envelopes] == list(range(1, len(envelopes) + 1))
    assert len({e["runId"] for e in envelopes}) == 1
    kinds = [e["event"]["type"] for e in envelopes]
    assert kinds == ["run-start"] + ["message"] * 5 + ["custom", "run-finish", "channel.typing"]
    assert sorted(e["event"]["content"]["markdown"] for e in envelopes if e["event"]["type"] == "message") == [
        f"part {i}" for i in range(5)
    ]


def test_approval_render_and_cards() -> None:
    def render(request: Any) -> Any:
        return request.approval_card(title="Charge?", approve_label="Yes", icon="stripe")

    def ask(message: Any, ctx: Any) -> Any:
        return ctx.tool_approval.request("call_1", "charge", {"cents": 5})

    bot = agent("bot", on_message=ask, tool_approval=ToolApprovalOptions(render_approval=render))
    with served("flask", [bot]) as s:
        post(s.url, event_body(f"{s.api.api_url}/v1/agents/bot/reply"))
        first = calls(s)[0]["body"]
    assert first["reply"] == {
        "toolApprovalCard": {"type": "tool-approval-card", "icon": "stripe", "title": "Charge?", "approveLabel": "Yes"}
    }
    assert first["toolApprovalRequest"] == {
        "approvalId": "call_1",
        "toolCallId": "call_1",
        "name": "charge",
        "input": {"cents": 5},
    }
    with pytest.raises(ValueError, match="at least one option"):
        cards.select(id="s", label="S", options=[])
    assert cards.card() == {"type": "card", "children": []}
    assert cards.table(headers=["a"], rows=[["1"]]) == {"type": "table", "headers": ["a"], "rows": [["1"]]}
