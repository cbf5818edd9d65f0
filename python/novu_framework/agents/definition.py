"""Defining conversational agents: :func:`agent` and the :class:`Agent` it returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar, overload

from .._aio import is_async_callable

__all__ = ["Agent", "Handlers", "ToolApprovalOptions", "agent"]

Handler = Callable[..., Any]
"""A handler: a function or an ``async def`` one (see :func:`agent` for what each receives)."""

F = TypeVar("F", bound=Handler)


@dataclass
class Handlers:
    """An agent's handlers (``on_message`` is required, the others optional)."""

    on_message: Handler
    on_action: Handler | None = None
    on_reaction: Handler | None = None
    on_resolve: Handler | None = None
    on_tool_approval: Handler | None = None
    on_error: Handler | None = None


@dataclass(frozen=True)
class ToolApprovalOptions:
    """How approval requests look: ``render_approval(request)`` returns the message shown while the call
    waits for a decision (``request.approval_card(...)`` for Novu's card, or text or a card of your own whose
    buttons carry ``request.action_ids``); ``None`` keeps Novu's default card."""

    render_approval: Callable[[Any], Any] | None = None


class Agent:
    """A conversational agent, made by :func:`agent` and served with ``serve(..., agents=[...])``.

    Handlers can also be added with decorators, before the agent is served::

        support = agent("support-bot", on_message=answer)

        @support.on_action
        def clicked(action, ctx):
            return f"You clicked {action.id}"
    """

    def __init__(
        self,
        agent_id: str,
        handlers: Handlers,
        tool_approval: ToolApprovalOptions | None = None,
        *,
        framework_owns_approval: bool = False,
    ) -> None:
        self.id = agent_id
        self.handlers = handlers
        self.tool_approval = tool_approval
        # Set by AI integrations whose own on_tool_approval resumes the conversation: the framework then shows
        # typing and deletes the approval card before calling it.
        self._framework_owns_approval = framework_owns_approval
        self._served = False

    def __repr__(self) -> str:
        return f"Agent({self.id!r})"

    def _set(self, name: str, handler: F) -> F:
        if self._served:
            raise RuntimeError(f"agent {self.id!r} is already served: add handlers before serve()")
        _check_handler(self.id, name, handler)
        setattr(self.handlers, name, handler)
        return handler

    def on_message(self, handler: F) -> F:
        """Replaces the ``on_message`` handler (decorator)."""
        return self._set("on_message", handler)

    def on_action(self, handler: F) -> F:
        """Sets the ``on_action`` handler (decorator)."""
        return self._set("on_action", handler)

    def on_reaction(self, handler: F) -> F:
        """Sets the ``on_reaction`` handler (decorator)."""
        return self._set("on_reaction", handler)

    def on_resolve(self, handler: F) -> F:
        """Sets the ``on_resolve`` handler (decorator)."""
        return self._set("on_resolve", handler)

    def on_tool_approval(self, handler: F) -> F:
        """Sets the ``on_tool_approval`` handler (decorator)."""
        return self._set("on_tool_approval", handler)

    def on_error(self, handler: F) -> F:
        """Sets the ``on_error`` handler (decorator)."""
        return self._set("on_error", handler)

    def _native_spec(self) -> tuple[str, dict[str, bool], Agent]:
        """What the native bridge registers: the id, which handlers exist and which are ``async def``."""
        self._served = True
        flags: dict[str, bool] = {"framework_owns_approval": self._framework_owns_approval}
        for f in fields(Handlers):
            handler = getattr(self.handlers, f.name)
            flags[f.name] = handler is not None
            flags[f"async_{f.name.removeprefix('on_')}"] = handler is not None and is_async_callable(handler)
        return self.id, flags, self


def _check_handler(agent_id: str, name: str, handler: Any) -> None:
    if not callable(handler):
        raise TypeError(f"agent({agent_id!r}): {name} must be a function, not {type(handler).__name__}")


def _tool_approval_options(value: Any) -> ToolApprovalOptions | None:
    if value is None or isinstance(value, ToolApprovalOptions):
        return value
    if isinstance(value, Mapping):
        unknown = set(value) - {"render_approval"}
        if unknown:
            raise TypeError(f"tool_approval takes render_approval only, not {', '.join(sorted(unknown))}")
        render = value.get("render_approval")
        if render is not None and not callable(render):
            raise TypeError("tool_approval['render_approval'] must be a function")
        return ToolApprovalOptions(render)
    raise TypeError(f"tool_approval must be a ToolApprovalOptions or a dict, not {type(value).__name__}")


@overload
def agent(
    agent_id: str,
    *,
    on_message: Handler,
    on_action: Handler | None = None,
    on_reaction: Handler | None = None,
    on_resolve: Handler | None = None,
    on_tool_approval: Handler | None = None,
    on_error: Handler | None = None,
    tool_approval: ToolApprovalOptions | Mapping[str, Any] | None = None,
) -> Agent: ...


@overload
def agent(
    agent_id: str,
    *,
    on_message: None = None,
    on_action: Handler | None = None,
    on_reaction: Handler | None = None,
    on_resolve: Handler | None = None,
    on_tool_approval: Handler | None = None,
    on_error: Handler | None = None,
    tool_approval: ToolApprovalOptions | Mapping[str, Any] | None = None,
) -> Callable[[Handler], Agent]: ...


def agent(
    agent_id: str,
    *,
    on_message: Handler | None = None,
    on_action: Handler | None = None,
    on_reaction: Handler | None = None,
    on_resolve: Handler | None = None,
    on_tool_approval: Handler | None = None,
    on_error: Handler | None = None,
    tool_approval: ToolApprovalOptions | Mapping[str, Any] | None = None,
) -> Agent | Callable[[Handler], Agent]:
    """Defines a conversational agent that Novu calls with each event of a conversation.

    Each handler is a function or an ``async def`` one. Sync handlers get an
    :class:`~novu_framework.agents.AgentContext`, async ones an :class:`~novu_framework.agents.AsyncAgentContext`:

    - ``on_message(message, ctx)``: a message arrived (``message`` may be ``None``).
    - ``on_action(action, ctx)``: a card's button was clicked.
    - ``on_reaction(reaction, ctx)``: an emoji reaction was added or removed.
    - ``on_resolve(ctx)``: the conversation was resolved.
    - ``on_tool_approval(decision, ctx)``: someone approved or denied a tool call requested with
      ``ctx.tool_approval.request(...)``.
    - ``on_error(error, ctx)``: a handler (or a call to Novu) failed. Return ``{"suppress": True}`` to send
      nothing, text or a card to send that instead, or ``None`` to let Novu show its error.

    What a handler returns is sent as a reply: text (markdown), a card (:mod:`novu_framework.cards`), or
    ``None`` for nothing. Returning anything else fails the turn.

    Without ``on_message``, ``agent()`` returns a decorator for it::

        @agent("echo-bot")
        def echo(message, ctx):
            return f"You said: {message.text}"

    Raises:
        ValueError: ``agent_id`` is empty.
        TypeError: a handler is not callable.
    """
    if not isinstance(agent_id, str) or not agent_id:
        raise ValueError("agent() requires a non-empty agent_id")
    options = _tool_approval_options(tool_approval)
    optional = {
        "on_action": on_action,
        "on_reaction": on_reaction,
        "on_resolve": on_resolve,
        "on_tool_approval": on_tool_approval,
        "on_error": on_error,
    }
    for name, handler in optional.items():
        if handler is not None:
            _check_handler(agent_id, name, handler)

    def build(handler: Handler) -> Agent:
        _check_handler(agent_id, "on_message", handler)
        return Agent(agent_id, Handlers(handler, **optional), options)

    return build if on_message is None else build(on_message)
