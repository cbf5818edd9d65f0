"""The LangChain extra with LangChain's fake chat models (no network): history as LangChain messages, a model's
reply, tools run in the turn, and a tool call gated behind an approval card that resumes after the click."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("langchain_core")

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool

from novu_framework.agents.data import HistoryEntry
from novu_framework.langchain import LangChainAgent, agent, to_langchain_messages

from .helpers import calls, event_body, post, served


class FakeModel(GenericFakeChatModel):
    """A fake chat model that accepts tools and remembers what it was asked."""

    seen: list[list[BaseMessage]] = []  # noqa: RUF012 - shared on purpose, read by the test

    def bind_tools(self, tools: Any, **kwargs: Any) -> FakeModel:
        return self

    def invoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
        FakeModel.seen.append(list(input))
        return super().invoke(input, config, **kwargs)

    async def ainvoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
        FakeModel.seen.append(list(input))
        return await super().ainvoke(input, config, **kwargs)


def model(*answers: AIMessage) -> FakeModel:
    FakeModel.seen = []
    return FakeModel(messages=iter(answers))


refunded: list[str] = []


@tool
def refund(order_id: str) -> str:
    """Refunds an order."""
    refunded.append(order_id)
    return f"refunded {order_id}"


@tool
def add(a: int, b: int) -> int:
    """Adds two numbers."""
    return a + b


def history(*entries: dict[str, Any]) -> list[HistoryEntry]:
    return [HistoryEntry.from_json(e) for e in entries]


def test_history_becomes_langchain_messages() -> None:
    got = to_langchain_messages(
        history(
            {"role": "user", "type": "message", "content": "hi", "senderName": "Ada"},
            {"role": "user", "type": "message", "content": "me too", "senderName": "Bob"},
            {"role": "assistant", "type": "message", "content": "hello both"},
            {"role": "system", "type": "signal", "content": ""},
            {
                "role": "assistant",
                "type": "tool_approval_request",
                "content": "",
                "toolData": {"approvalId": "a1", "toolCallId": "c1", "toolName": "refund", "input": {"order_id": "7"}},
            },
            {
                "role": "assistant",
                "type": "tool_result",
                "content": "",
                "toolData": {"toolCallId": "c1", "output": "done"},
            },
            {
                "role": "assistant",
                "type": "tool_approval_request",
                "content": "",
                "toolData": {"approvalId": "a2", "toolCallId": "c2", "toolName": "refund"},
            },
            {
                "role": "user",
                "type": "tool_approval_decision",
                "content": "",
                "toolData": {"approvalId": "a2", "approved": False},
            },
        ),
        system="Be brief.",
    )
    assert [type(m) for m in got] == [
        SystemMessage,
        HumanMessage,
        HumanMessage,
        AIMessage,
        AIMessage,
        ToolMessage,
        AIMessage,
        ToolMessage,
    ]
    assert got[1].content == "Ada: hi" and got[3].content == "hello both"
    assert got[4].tool_calls[0]["id"] == "c1" and got[5].content == "done"
    assert got[7].status == "error" and json.loads(str(got[7].content)) == {"type": "execution-denied"}


@pytest.fixture
def support() -> Iterator[Any]:
    refunded.clear()
    yield


@pytest.mark.parametrize("style", ["sync", "async"])
def test_a_model_reply_and_a_tool_run_in_the_turn(support: Any, style: str) -> None:
    fake = model(
        AIMessage(content="", tool_calls=[{"name": "add", "args": {"a": 1, "b": 2}, "id": "t1"}]),
        AIMessage(content="The sum is 3"),
    )

    def run(message: Any, ctx: Any) -> LangChainAgent:
        return LangChainAgent(model=fake, tools=[add], system="You add.")

    async def run_async(message: Any, ctx: Any) -> LangChainAgent:
        return run(message, ctx)

    bot = agent("bot", on_message=run if style == "sync" else run_async)
    with served("fastapi", [bot]) as s:
        assert post(s.url, event_body(f"{s.api.api_url}/v1/agents/bot/reply", "what is 1+2?"))[0] == 200
        bodies = [c["body"] for c in calls(s)]
    assert [b.get("reply") for b in bodies] == [{"markdown": "The sum is 3"}, None]
    first, second = FakeModel.seen
    assert isinstance(first[0], SystemMessage) and isinstance(second[-1], ToolMessage) and second[-1].content == "3"


def test_an_approval_gated_tool_resumes_after_the_click(support: Any) -> None:
    turns = iter(
        [
            AIMessage(content="", tool_calls=[{"name": "refund", "args": {"order_id": "42"}, "id": "call_9"}]),
            AIMessage(content="Your order 42 is refunded."),
        ]
    )
    fake = FakeModel(messages=turns)

    def run(message: Any, ctx: Any) -> LangChainAgent:
        return LangChainAgent(model=fake, tools=[refund], needs_approval=lambda call: call["name"] == "refund")

    bot = agent("bot", on_message=run)
    with served("flask", [bot]) as s:
        reply_url = f"{s.api.api_url}/v1/agents/bot/reply"
        assert post(s.url, event_body(reply_url, "refund order 42"))[0] == 200
        (card, stop) = [c["body"] for c in calls(s)]
        assert card["reply"] == {"toolApprovalCard": {"type": "tool-approval-card"}}
        assert card["toolApprovalRequest"] == {
            "approvalId": "call_9",
            "toolCallId": "call_9",
            "name": "refund",
            "input": {"order_id": "42"},
        }
        assert refunded == [] and stop["typing"] == "stop"
        s.api.reset()
        click = event_body(
            reply_url,
            None,
            event="onAction",
            message=None,
            action={"id": "tool-approval:approve:call_9", "sourceMessageId": "card-1"},
            history=[
                {"role": "user", "type": "message", "content": "refund order 42", "senderName": "Ada"},
                {
                    "role": "assistant",
                    "type": "tool_approval_request",
                    "content": "",
                    "toolData": {
                        "approvalId": "call_9",
                        "toolCallId": "call_9",
                        "toolName": "refund",
                        "input": {"order_id": "42"},
                    },
                },
                {
                    "role": "user",
                    "type": "tool_approval_decision",
                    "content": "",
                    "toolData": {"approvalId": "call_9", "approved": True},
                },
            ],
        )
        assert post(s.url, click, event="onAction")[0] == 200
        bodies = [c["body"] for c in calls(s)]
    assert refunded == ["42"]
    assert bodies[0]["typing"] == {} and bodies[1]["deleteMessages"] == [{"messageId": "card-1"}]
    assert bodies[2]["reply"] == {"markdown": "Your order 42 is refunded."}
    assert bodies[2]["toolResults"] == [
        {"toolCallId": "call_9", "toolName": "refund", "output": "refunded 42", "preview": 'Tool "refund" result'}
    ]
    assert bodies[3]["typing"] == "stop"
