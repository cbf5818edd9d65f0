"""The context a handler receives: what the turn is about, and how it answers.

Sync handlers get an :class:`AgentContext`, whose ``reply``, ``typing``, ``emit``, edit and delete calls
post to Novu before they return. ``async def`` handlers get an :class:`AsyncAgentContext`, where those calls
are awaited (the posts run on a worker thread, never on the event loop). Everything else is queued and goes
out with the next reply, or when the handler returns: metadata, triggers, human interactions, reactions,
deletes, ``resolve`` and tool results.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .. import _native, _turns
from .data import (
    Action,
    Conversation,
    HistoryEntry,
    HumanResponse,
    Message,
    Notification,
    PlatformContext,
    Reaction,
    Subscriber,
    ToolCall,
)

if TYPE_CHECKING:
    from .definition import Agent

__all__ = [
    "AgentContext",
    "ApprovalActionIds",
    "ApprovalRequest",
    "AsyncAgentContext",
    "AsyncReplyHandle",
    "Content",
    "File",
    "Metadata",
    "PendingApproval",
    "ReplyHandle",
    "ToolApprovalDecision",
]

Content = str | Mapping[str, Any]
"""A message: markdown text, or a card (see :mod:`novu_framework.cards`)."""

T = TypeVar("T")


@dataclass(frozen=True)
class File:
    """A file sent with a reply or an edit: exactly one of ``data`` (bytes, or base64 text; at most 5 MB
    inline) or ``url`` (a public URL, for larger files). Plain dicts with these keys (or ``mimeType``) work
    too."""

    filename: str | None = None
    mime_type: str | None = None
    data: bytes | str | None = None
    url: str | None = None


Files = Sequence[File | Mapping[str, Any]]


class PendingApproval:
    """What ``ctx.tool_approval.request()`` returns: return it from the handler to end the turn while the
    approval card waits for a human."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "PendingApproval()"


@dataclass(frozen=True)
class ApprovalActionIds:
    """The action ids of an approval's two buttons (use them on a card of your own)."""

    approve: str
    deny: str


@dataclass(frozen=True)
class ApprovalRequest:
    """What ``render_approval`` receives: the tool call, the action ids its buttons must carry, and
    ``approval_card(...)`` for Novu's built-in card with your labels."""

    tool_call: ToolCall
    action_ids: ApprovalActionIds

    def approval_card(
        self,
        *,
        title: str | None = None,
        subtitle: str | None = None,
        body: str | None = None,
        approve_label: str | None = None,
        deny_label: str | None = None,
        icon: str | None = None,
    ) -> dict[str, Any]:
        """Novu's built-in approval card (native on Slack, portable elsewhere) with these overrides."""
        from ..cards import approval_card

        return approval_card(
            title=title, subtitle=subtitle, body=body, approve_label=approve_label, deny_label=deny_label, icon=icon
        )


class ReplyHandle:
    """A message this turn posted (or the approval card a click came from): edit it in place or delete it.

    Attributes:
        message_id: the platform's id of the message.
        platform_thread_id: the platform's id of its thread.
    """

    def __init__(self, turn: _native.Turn, message_id: str, platform_thread_id: str) -> None:
        self._turn = turn
        self.message_id = message_id
        self.platform_thread_id = platform_thread_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(message_id={self.message_id!r})"

    def edit(self, content: Content, *, files: Files | None = None) -> ReplyHandle:
        """Replaces the message's content (posted at once); returns this handle."""
        self.message_id, self.platform_thread_id = self._turn.edit(self.message_id, content, files)
        return self

    def delete(self) -> None:
        """Deletes the message from the platform (the conversation's history keeps it)."""
        self._turn.delete(self.message_id)


class AsyncReplyHandle:
    """:class:`ReplyHandle` for ``async def`` handlers: ``await handle.edit(...)``, ``await handle.delete()``."""

    def __init__(self, turn: _native.Turn, message_id: str, platform_thread_id: str) -> None:
        self._turn = turn
        self.message_id = message_id
        self.platform_thread_id = platform_thread_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(message_id={self.message_id!r})"

    async def edit(self, content: Content, *, files: Files | None = None) -> AsyncReplyHandle:
        """Replaces the message's content (posted at once); returns this handle."""
        self.message_id, self.platform_thread_id = await _io(self._turn.edit, self.message_id, content, files)
        return self

    async def delete(self) -> None:
        """Deletes the message from the platform (the conversation's history keeps it)."""
        await _io(self._turn.delete, self.message_id)


@dataclass(frozen=True)
class ToolApprovalDecision:
    """What ``on_tool_approval`` receives when someone clicks Approve or Deny.

    ``approval_message`` is the approval card: edit or delete it as you see fit.
    """

    tool_call: ToolCall
    approved: bool
    approval_message: ReplyHandle | AsyncReplyHandle


async def _io(func: Callable[..., T], *args: Any) -> T:
    """Runs a call that posts to Novu on a worker thread, so the event loop never waits for the network."""
    result: T = await _turns.offload(functools.partial(func, *args))
    return result


class Metadata:
    """The conversation's metadata: reads see this turn's changes at once; changes reach Novu with the next
    reply (or when the handler returns)."""

    def __init__(self, turn: _native.Turn) -> None:
        self._turn = turn

    def get(self, key: str, default: Any = None) -> Any:
        return self._turn.metadata_get(key, default)

    def set(self, key: str, value: Any) -> None:
        self._turn.metadata_set(key, value)

    def delete(self, key: str) -> None:
        self._turn.metadata_delete(key)

    def clear(self) -> None:
        self._turn.metadata_clear()

    @property
    def current(self) -> dict[str, Any]:
        """A copy of the metadata as it is now."""
        return self._turn.metadata_current()

    def __repr__(self) -> str:
        return f"Metadata({self.current!r})"


class _Context:
    """What both contexts share: the turn's data and the queued side effects."""

    def __init__(self, turn: _native.Turn, agent: Agent) -> None:
        self._turn = turn
        self._agent = agent
        self._body: dict[str, Any] = turn.body
        self.metadata = Metadata(turn)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(agent={self._agent.id!r}, event={self.event!r})"

    def _typed(self, key: str, build: Callable[[Any], T]) -> T | None:
        value = self._body.get(key)
        return build(value) if isinstance(value, Mapping) else None

    @property
    def event(self) -> str | None:
        """The event as the body names it: ``"onMessage"``, ``"onAction"``, ``"onReaction"`` or ``"onResolve"``."""
        value = self._body.get("event")
        return value if isinstance(value, str) else None

    @functools.cached_property
    def message(self) -> Message | None:
        """The message of an ``onMessage`` turn."""
        return self._typed("message", Message.from_json)

    @functools.cached_property
    def action(self) -> Action | None:
        """The click of an ``onAction`` turn."""
        return self._typed("action", Action.from_json)

    @functools.cached_property
    def reaction(self) -> Reaction | None:
        """The reaction of an ``onReaction`` turn."""
        return self._typed("reaction", Reaction.from_json)

    @functools.cached_property
    def conversation(self) -> Conversation:
        """The conversation as the turn started (live metadata: :attr:`metadata`)."""
        return Conversation.from_json(self._body.get("conversation"))

    @functools.cached_property
    def subscriber(self) -> Subscriber | None:
        """The Novu subscriber, or ``None`` when Novu could not resolve one."""
        return self._typed("subscriber", Subscriber.from_json)

    @property
    def context(self) -> dict[str, Any] | None:
        """The connect-time context (e.g. ``{"tenant": {"id": "acme"}}``), or ``None``."""
        value = self._body.get("context")
        return dict(value) if isinstance(value, Mapping) else None

    @functools.cached_property
    def notification(self) -> Notification | None:
        """The workflow notification that opened this conversation, or ``None``."""
        return self._typed("notification", Notification.from_json)

    @functools.cached_property
    def human_response(self) -> HumanResponse | None:
        """The answer to an earlier ``ask`` / ``approve`` / ``choose``, or ``None``."""
        return self._typed("humanResponse", HumanResponse.from_json)

    @functools.cached_property
    def history(self) -> list[HistoryEntry]:
        """The conversation so far, oldest first."""
        entries = self._body.get("history")
        return [HistoryEntry.from_json(e) for e in entries] if isinstance(entries, list) else []

    @property
    def platform(self) -> str | None:
        """``"slack"``, ``"msteams"``, ``"email"``, ``"in-app"``, ..."""
        value = self._body.get("platform")
        return value if isinstance(value, str) else None

    @functools.cached_property
    def platform_context(self) -> PlatformContext | None:
        """The thread and channel on the platform."""
        return self._typed("platformContext", PlatformContext.from_json)

    # Queued side effects.

    def resolve(self, summary: str | None = None) -> None:
        """Marks the conversation resolved (Novu then sends ``onResolve``); the last call wins."""
        self._turn.resolve(summary)

    def trigger(self, workflow_id: str, *, to: Any = None, payload: Mapping[str, Any] | None = None) -> None:
        """Triggers a Novu workflow; without ``to`` it goes to the conversation's subscriber.

        Example::

            ctx.trigger("escalation", to="agent-inbox", payload={"priority": "high"})
        """
        options: dict[str, Any] = {}
        if to is not None:
            options["to"] = to
        if payload is not None:
            options["payload"] = payload
        self._turn.trigger(workflow_id, options)

    def ask(
        self,
        question: str,
        *,
        to: str | Sequence[str] | None = None,
        from_: str | None = None,
        ttl_seconds: int | None = None,
    ) -> str:
        """Asks a human a free-form question; the answer arrives in a later ``onMessage`` turn as
        :attr:`human_response`. Returns the request id."""
        return self._turn.human("ask", question, None, from_, ttl_seconds, to)

    def approve(
        self,
        action: str,
        *,
        to: str | Sequence[str] | None = None,
        from_: str | None = None,
        ttl_seconds: int | None = None,
    ) -> str:
        """Asks a human to approve or deny; the verdict arrives in a later ``onAction`` turn."""
        return self._turn.human("approve", action, None, from_, ttl_seconds, to)

    def choose(
        self,
        question: str,
        options: Sequence[str],
        *,
        to: str | Sequence[str] | None = None,
        from_: str | None = None,
        ttl_seconds: int | None = None,
    ) -> str:
        """Asks a human to pick one of 2 to 10 options; the pick arrives in a later ``onAction`` turn."""
        return self._turn.human("choose", question, list(options), from_, ttl_seconds, to)

    def tell(self, message: str, *, to: str | Sequence[str] | None = None, from_: str | None = None) -> str:
        """Tells a human something; nothing comes back."""
        return self._turn.human("tell", message, None, from_, None, to)

    def add_reaction(self, message_id: str, emoji_name: str) -> None:
        """Adds an emoji reaction (e.g. ``"thumbs_up"``) to a platform message."""
        self._turn.add_reaction(message_id, emoji_name)

    def delete_message(self, message_id: str) -> None:
        """Deletes a platform message (queued like reactions; :meth:`ReplyHandle.delete` posts at once)."""
        self._turn.delete_message(message_id)

    def add_tool_result(
        self, tool_call_id: str, output: Any, *, tool_name: str | None = None, preview: str | None = None
    ) -> None:
        """Reports what a tool returned (after an approval), sent with the next reply."""
        self._turn.add_tool_result(tool_call_id, output, tool_name, preview)

    def queue_tool_approval(
        self, approval_id: str, tool_call_id: str, name: str, input: Mapping[str, Any] | None = None
    ) -> None:
        """Queues an approval request without posting a card (``tool_approval.request`` does both); one at a
        time until the next reply."""
        self._turn.queue_tool_approval(approval_id, tool_call_id, name, input)

    # For the turn runner.

    def _render_approval(self, tool_call: ToolCall, approval_id: str) -> Any:
        render = self._agent.tool_approval.render_approval if self._agent.tool_approval else None
        approve, deny = _native.approval_action_ids(approval_id)
        rendered = render(ApprovalRequest(tool_call, ApprovalActionIds(approve, deny))) if render else None
        return {"type": "tool-approval-card"} if rendered is None else rendered

    def _run(self, handler: str, extra: Any = None) -> Any:
        """Calls one of the agent's handlers with its arguments (the turn runner picks which)."""
        h = self._agent.handlers
        if handler == "message":
            return h.on_message(self.message, self)
        if handler == "action":
            return _require(h.on_action)(self.action, self)
        if handler == "reaction":
            return _require(h.on_reaction)(self.reaction, self)
        if handler == "resolve":
            return _require(h.on_resolve)(self)
        if handler == "tool_approval":
            call, approved, source = extra
            decision = ToolApprovalDecision(ToolCall.from_json(call), approved, self._handle(source))
            return _require(h.on_tool_approval)(decision, self)
        if handler == "error":
            return _require(h.on_error)(extra, self)
        raise ValueError(f"unknown handler {handler!r}")

    def _handle(self, message_id: str) -> ReplyHandle | AsyncReplyHandle:
        raise NotImplementedError


def _require(handler: Callable[..., Any] | None) -> Callable[..., Any]:
    if handler is None:
        raise RuntimeError("the turn runner called a handler the agent does not have")
    return handler


class Typing:
    """``ctx.typing("Searching…")`` shows a status, ``ctx.typing()`` the default one, ``ctx.typing.stop()``
    clears it (a turn clears it when it ends)."""

    def __init__(self, turn: _native.Turn) -> None:
        self._turn = turn

    def __call__(self, status: str | None = None) -> None:
        self._turn.typing(status, False)

    def stop(self) -> None:
        self._turn.typing(None, True)


class AsyncTyping:
    """:class:`Typing` for ``async def`` handlers: ``await ctx.typing(...)``, ``await ctx.typing.stop()``."""

    def __init__(self, turn: _native.Turn) -> None:
        self._turn = turn

    async def __call__(self, status: str | None = None) -> None:
        await _io(self._turn.typing, status, False)

    async def stop(self) -> None:
        await _io(self._turn.typing, None, True)


class ToolApproval:
    """``ctx.tool_approval.request(...)``: posts an approval card and returns :class:`PendingApproval`."""

    def __init__(self, ctx: AgentContext) -> None:
        self._ctx = ctx

    def request(
        self, id: str, name: str, input: Mapping[str, Any] | None = None, *, approval_id: str | None = None
    ) -> PendingApproval:
        """Asks a human to approve the tool call ``id`` (``approval_id`` defaults to it); the click arrives in
        a later ``onAction`` turn, passed to ``on_tool_approval``.

        Example::

            return ctx.tool_approval.request("call_1", "delete_user", {"user_id": "u1"})
        """
        approval = approval_id or id
        rendered = self._ctx._render_approval(ToolCall(id, name, dict(input) if input is not None else None), approval)
        self._ctx._turn.request_approval(approval, id, name, input, rendered)
        return PendingApproval()


class AsyncToolApproval:
    """:class:`ToolApproval` for ``async def`` handlers: ``return await ctx.tool_approval.request(...)``."""

    def __init__(self, ctx: AsyncAgentContext) -> None:
        self._ctx = ctx

    async def request(
        self, id: str, name: str, input: Mapping[str, Any] | None = None, *, approval_id: str | None = None
    ) -> PendingApproval:
        """See :meth:`ToolApproval.request`."""
        approval = approval_id or id
        rendered = self._ctx._render_approval(ToolCall(id, name, dict(input) if input is not None else None), approval)
        if asyncio.iscoroutine(rendered):
            rendered = await rendered
        await _io(self._ctx._turn.request_approval, approval, id, name, input, rendered)
        return PendingApproval()


class AgentContext(_Context):
    """The context of a sync handler. Its posting methods block until Novu answers (the handler runs on a
    worker thread, never on the web server's request thread).

    Example::

        def on_message(message, ctx):
            ctx.metadata.set("seen", True)
            handle = ctx.reply("Thinking…")
            handle.edit(f"You said: {message.text}")
    """

    def __init__(self, turn: _native.Turn, agent: Agent) -> None:
        super().__init__(turn, agent)
        self.typing = Typing(turn)
        self.tool_approval = ToolApproval(self)

    def reply(self, content: Content, *, files: Files | None = None) -> ReplyHandle:
        """Posts a message (markdown or a card, with files), together with everything queued so far."""
        message_id, thread_id = self._turn.reply(content, files)
        return ReplyHandle(self._turn, message_id, thread_id)

    def emit(self, name: str, data: Any = None) -> None:
        """Sends a custom event (event mode only; nothing in reply mode)."""
        self._turn.emit(name, data)

    def _handle(self, message_id: str) -> ReplyHandle:
        return ReplyHandle(self._turn, message_id, "")


class AsyncAgentContext(_Context):
    """The context of an ``async def`` handler: ``reply``, ``emit``, ``typing`` and the handles' ``edit`` and
    ``delete`` are awaited.

    Example::

        async def on_message(message, ctx):
            handle = await ctx.reply("Thinking…")
            await handle.edit(f"You said: {message.text}")
    """

    def __init__(self, turn: _native.Turn, agent: Agent) -> None:
        super().__init__(turn, agent)
        self.typing = AsyncTyping(turn)
        self.tool_approval = AsyncToolApproval(self)

    async def reply(self, content: Content, *, files: Files | None = None) -> AsyncReplyHandle:
        """Posts a message (markdown or a card, with files), together with everything queued so far."""
        message_id, thread_id = await _io(self._turn.reply, content, files)
        return AsyncReplyHandle(self._turn, message_id, thread_id)

    async def emit(self, name: str, data: Any = None) -> None:
        """Sends a custom event (event mode only; nothing in reply mode)."""
        await _io(self._turn.emit, name, data)

    def _handle(self, message_id: str) -> AsyncReplyHandle:
        return AsyncReplyHandle(self._turn, message_id, "")
