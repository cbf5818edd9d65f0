"""The corpus's reference bridge (``agent-server.mjs``) ported to Python with the public API: the
``agent-hello`` workflow and the four agents ``support-bot`` (every handler; the message text selects what
``on_message`` does), ``plain-bot`` (``on_message`` only), ``custom-approval-bot`` (``render_approval``) and
``ai-bot`` (what the ai-sdk wrapper does with its fake model results, written with the public API).

Each handler is written once; those that post to Novu are generators yielding every such context call, and
:func:`handlers` turns it into a plain function (an :class:`~novu_framework.agents.AgentContext` returns those
values at once) or an ``async def`` one (an :class:`~novu_framework.agents.AsyncAgentContext` returns
awaitables, which it awaits), so both contexts run the same reference behaviour.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Generator
from typing import Any

from novu_framework import cards, workflow
from novu_framework.agents import Agent, ApprovalRequest, File, ToolApprovalOptions, agent
from novu_framework.workflow import Workflow

Steps = Generator[Any, Any, Any]


def sync_handler(body: Callable[..., Any]) -> Callable[..., Any]:
    if not inspect.isgeneratorfunction(body):
        return body

    def handler(*args: Any) -> Any:
        steps = body(*args)
        sent: Any = None
        while True:
            try:
                sent = steps.send(sent)
            except StopIteration as stop:
                return stop.value

    return handler


def async_handler(body: Callable[..., Any]) -> Callable[..., Any]:
    if not inspect.isgeneratorfunction(body):

        async def direct(*args: Any) -> Any:
            result = body(*args)
            return await result if inspect.isawaitable(result) else result

        return direct

    async def handler(*args: Any) -> Any:
        steps = body(*args)
        sent: Any = None
        error: BaseException | None = None
        while True:
            try:
                step = steps.throw(error) if error is not None else steps.send(sent)
            except StopIteration as stop:
                return await stop.value if inspect.isawaitable(stop.value) else stop.value
            try:
                sent, error = (await step if inspect.isawaitable(step) else step), None
            except Exception as e:
                sent, error = None, e

    return handler


def handlers(style: str, **bodies: Callable[..., Any]) -> dict[str, Any]:
    wrap = sync_handler if style == "sync" else async_handler
    return {name: wrap(body) for name, body in bodies.items()}


def function_card() -> dict[str, Any]:
    return cards.card(
        title="Order #42",
        subtitle="Shipped",
        image_url="https://example.com/box.png",
        children=[
            cards.text("Your order is on its way.", style="bold"),
            cards.divider(),
            cards.image("https://example.com/map.png", alt="map"),
            cards.link("https://example.com/track", "Track"),
            cards.actions(
                [
                    cards.button(id="track", label="Track", style="primary", value="42"),
                    cards.button(id="cancel", label="Cancel", style="danger"),
                ]
            ),
        ],
    )


def plan_card() -> dict[str, Any]:
    """What the reference builds with JSX."""
    return cards.card(
        title="Pick a plan",
        children=[
            cards.text("Choose one:"),
            cards.actions(
                [
                    cards.button(id="plan", label="Pro", style="primary", value="pro"),
                    cards.button(id="plan", label="Free", value="free"),
                ]
            ),
            cards.select(
                id="region",
                label="Region",
                options=[
                    cards.select_option(label="EU", value="eu"),
                    cards.select_option(label="US", value="us", description="default"),
                ],
            ),
            cards.text_input(id="note", label="Note", placeholder="optional"),
        ],
    )


def support_message(message: Any, ctx: Any) -> Steps:
    cmd = (message.text if message else "").strip()
    if cmd == "hello":
        return f"Hi {message.author.full_name}!"
    if cmd == "card":
        return function_card()
    if cmd == "jsx-card":
        return plan_card()
    if cmd == "reply-edit-delete":
        handle = yield ctx.reply("Thinking…")
        yield handle.edit("Here is the answer")
        yield handle.delete()
        return None
    if cmd == "files":
        files = [
            File(filename="a.txt", mime_type="text/plain", data=b"hello"),
            File(filename="b.pdf", mime_type="application/pdf", url="https://example.com/b.pdf"),
            {"filename": "c.bin", "data": "aGk="},
            File(mime_type="image/png", data=bytes([1, 2, 3])),
        ]
        yield ctx.reply("Your report", files=files)
        return None
    if cmd == "card-files":
        yield ctx.reply(function_card(), files=[{"filename": "x.txt", "url": "https://example.com/x.txt"}])
        return None
    if cmd == "bad-file":
        yield ctx.reply("x", files=[{"filename": "nothing.txt"}])
        return None
    if cmd == "side-effects":
        ctx.metadata.set("step", 2)
        ctx.metadata.set("obj", {"a": 1})
        ctx.metadata.delete("old")
        ctx.trigger("follow-up", payload={"reason": "unresolved"})
        ctx.trigger("escalation", to="agent-inbox", payload={"priority": "high"})
        ctx.ask("Which environment?")
        ctx.approve("Deploy v2?", to=["alice", " bob ", "alice", ""], ttl_seconds=3600, from_="deploy-bot")
        ctx.choose("Region?", ["us-east", "eu-west"])
        ctx.tell("FYI: deploy done", to="carol", from_="ops")
        ctx.add_reaction("plat-msg-1", "thumbs_up")
        ctx.delete_message("plat-msg-0")
        ctx.resolve("Solved by bot")
        yield ctx.reply("batched reply")
        ctx.metadata.set("afterReply", True)
        return None
    if cmd == "side-effects-only":
        ctx.metadata.clear()
        ctx.trigger("no-reply-wf")
        return None
    if cmd == "resolve-only":
        ctx.resolve()
        return None
    if cmd == "typing":
        yield ctx.typing("Searching the docs…")
        yield ctx.typing()
        yield ctx.typing.stop()
        return None
    if cmd == "approval":
        return ctx.tool_approval.request("call_1", "delete_user", {"userId": "u1"})
    if cmd == "approval-twice":
        ctx.queue_tool_approval("x", "y", "z")
        return ctx.tool_approval.request("call_2", "other")
    if cmd == "throw":
        raise RuntimeError("boom")
    if cmd == "side-effects-then-throw":
        ctx.metadata.set("x", 1)
        ctx.trigger("cleanup-wf")
        ctx.add_reaction("plat-msg-7", "warning")
        raise RuntimeError("after side effects")
    if cmd in (
        "throw-suppress",
        "throw-reply",
        "throw-card",
        "throw-in-onerror",
        "throw-jsx-card",
        "throw-markdown-object",
    ):
        raise RuntimeError(f"boom:{cmd}")
    if cmd == "emit":
        yield ctx.emit("progress", {"pct": 50})
        return "emitted"
    if cmd == "choose-bad":
        ctx.choose("Pick", ["only-one"])
        return None
    if cmd == "to-bad":
        ctx.ask("Q?", to=[])
        return None
    if cmd == "return-handle":
        return (yield ctx.reply("first"))
    if cmd == "return-object":
        return {"markdown": "not allowed"}
    if cmd == "return-number":
        return 42
    if cmd == "nothing":
        return None
    if cmd == "return-null":
        # JavaScript's null has no Python twin (None means "nothing to send"): another value that is not
        # content gives the recorded answer.
        return False
    if cmd == "sync-block":
        start = time.monotonic()
        while time.monotonic() - start < 0.3:  # synchronous work before the first post
            pass
        return "done after blocking"
    return f"echo: {cmd}"


def support_action(action: Any, ctx: Any) -> Any:
    if action is None:
        return "onAction got null"
    return f"You clicked {action.id}={action.value or ''}"


def support_reaction(reaction: Any, ctx: Any) -> Any:
    return f"Reaction {reaction.emoji} {'added' if reaction.added else 'removed'}"


def support_resolve(ctx: Any) -> Any:
    ctx.trigger("post-resolve-survey", payload={"conversation": ctx.conversation.identifier})
    return None


def support_tool_approval(decision: Any, ctx: Any) -> Steps:
    yield decision.approval_message.edit("Approved" if decision.approved else "Denied")
    return "Tool ran: user deleted" if decision.approved else "Skipped the tool"


def support_error(error: Any, ctx: Any) -> Any:
    text = ctx.message.text if ctx.message else None
    if text == "throw-suppress":
        return {"suppress": True}
    if text == "throw-reply":
        return "Sorry, something went wrong (custom copy)"
    if text == "throw-card":
        return cards.card(title="Error", children=[cards.text("custom error card")])
    if text == "throw-in-onerror":
        raise RuntimeError("onError itself failed")
    if text == "throw-jsx-card":
        # The reference returns a JSX element, which on_error does not take as content: so is a bare element.
        return cards.text("x")
    if text == "throw-markdown-object":
        return {"markdown": "object form"}
    return None


def plain_message(message: Any, ctx: Any) -> Any:
    text = message.text if message else None
    if text == "throw":
        raise RuntimeError("minimal boom")
    if text == "approval":
        return ctx.tool_approval.request("call_9", "refund", {"amount": 5})
    return "plain"


def custom_message(message: Any, ctx: Any) -> Any:
    if message and message.text == "approval-adaptive":
        return ctx.tool_approval.request("call_5", "charge_card", {"cents": 500})
    return ctx.tool_approval.request("call_3", "send_email", {"to": "x@example.com"})


def custom_tool_approval(decision: Any, ctx: Any) -> Any:
    return None


def render_approval(request: ApprovalRequest) -> Any:
    call = request.tool_call
    if call.name == "charge_card":
        return request.approval_card(
            title="Charge card?",
            subtitle="$5.00",
            body="*amount*: 500",
            approve_label="Yes",
            deny_label="No",
            icon="stripe",
        )
    buttons = [
        cards.button(id=request.action_ids.approve, label="Allow"),
        cards.button(id=request.action_ids.deny, label="Block"),
    ]
    return cards.card(title=f"Allow {call.name}?", children=[cards.actions(buttons)])


def ai_message(message: Any, ctx: Any) -> Steps:
    """The ai-sdk wrapper around fake model results: an approval request becomes an approval card, blank
    text only stops typing, the run resumed after an approval reports its tool's result."""
    text = message.text if message else ""
    if text == "ai-approval":
        return ctx.tool_approval.request("tc_1", "refund", {"amount": 5}, approval_id="ap_1")
    if text == "ai-empty":
        yield ctx.typing.stop()
        return None
    if text == "" and ctx.event == "onAction":
        requested = {e.tool_data.tool_call_id for e in ctx.history if e.type == "tool_approval_request" and e.tool_data}
        if "tc_1" in requested:
            ctx.add_tool_result("tc_1", {"ok": True}, tool_name="refund", preview='Tool "refund" result')
        return "resumed after approval"
    return "LLM says hi"


def ai_tool_approval(decision: Any, ctx: Any) -> Steps:
    """What the wrapper does on a click: typing, delete the card, run ``on_message`` again with no text."""
    yield ctx.typing()
    if decision.approval_message.message_id:
        yield decision.approval_message.delete()
    return (yield from ai_message(None, ctx))


def build_agents(style: str) -> list[Agent]:
    """The four reference agents, with sync (``"sync"``) or ``async def`` (``"async"``) handlers."""
    support = agent(
        "support-bot",
        **handlers(
            style,
            on_message=support_message,
            on_action=support_action,
            on_reaction=support_reaction,
            on_resolve=support_resolve,
            on_tool_approval=support_tool_approval,
            on_error=support_error,
        ),
    )
    plain = agent("plain-bot", **handlers(style, on_message=plain_message))
    custom = agent(
        "custom-approval-bot",
        tool_approval=ToolApprovalOptions(render_approval=render_approval),
        **handlers(style, on_message=custom_message, on_tool_approval=custom_tool_approval),
    )
    ai = agent("ai-bot", **handlers(style, on_message=ai_message, on_tool_approval=ai_tool_approval))
    return [support, plain, custom, ai]


def build_workflows() -> list[Workflow]:
    schema = {"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": True}

    @workflow("agent-hello", payload_schema=schema)
    def hello(payload: dict[str, Any], step: Any) -> None:
        step.chat("chat", {"body": f"Hi {payload.get('name', 'there')}"})

    return [hello]
