"""The types of the ``step`` object a workflow function receives, for annotations.

Example:
    ```python
    from novu_framework import workflow
    from novu_framework.step import Step

    @workflow("welcome")
    def welcome(payload: dict, step: Step) -> None:
        step.email("welcome-email", {"subject": "Welcome!", "body": "<p>Hi</p>"})
    ```

An ``async def`` workflow receives an [`AsyncStep`][novu_framework.step.AsyncStep], whose calls are awaited.
Each method takes the step id, the resolver (a dict of outputs, or a callable of the controls returning one,
sync or async) and keyword options; camelCase spellings of the options (``controlSchema``,
``disableOutputSanitization``, ``outputSchema``) are accepted too. A step call returns the step's result:
``{}`` for message steps, the digested events for a digest, ``{"seen", "read", ...}`` for an in-app step.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, Protocol, TypeVar

__all__ = [
    "ActionStepCall",
    "AsyncStep",
    "ChannelStepCall",
    "CustomStepCall",
    "Outputs",
    "ProviderResolver",
    "Resolver",
    "Schema",
    "Skip",
    "Step",
    "Steps",
]

Outputs = Mapping[str, Any]
"""What a resolver returns: the step's outputs."""

Resolver = Outputs | Callable[..., Outputs] | Callable[..., Awaitable[Outputs]]
"""A dict of outputs, or a callable taking the compiled controls (or nothing) and returning one."""

Skip = bool | Callable[..., bool] | Callable[..., Awaitable[bool]]
"""Whether to skip the step: a bool, or a callable of the compiled controls."""

ProviderResolver = Callable[..., Outputs] | Callable[..., Awaitable[Outputs]]
"""A provider override, called with ``controls=`` and ``outputs=``; returns the provider's overrides."""

Schema = Mapping[str, Any] | type
"""A JSON Schema dict, or a pydantic model class."""


R_co = TypeVar("R_co", covariant=True)


class ChannelStepCall(Protocol[R_co]):
    """A channel step call (``email``, ``sms``, ``push``, ``chat``, ``in_app``, ``tool``)."""

    def __call__(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> R_co: ...


class ActionStepCall(Protocol[R_co]):
    """An action step call (``delay``, ``digest``, ``throttle``)."""

    def __call__(
        self, step_id: str, resolver: Resolver, *, control_schema: Schema | None = None, skip: Skip | None = None
    ) -> R_co: ...


class CustomStepCall(Protocol[R_co]):
    """A ``custom`` step call."""

    def __call__(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        output_schema: Schema | None = None,
    ) -> R_co: ...


class Steps(Protocol[R_co]):
    """The ``step`` object; each call returns ``R_co``: the step's result, or an awaitable of it."""

    @property
    def email(self) -> ChannelStepCall[R_co]:
        """An email step; outputs ``{subject, body}`` (the body is sanitised HTML)."""
        ...

    @property
    def sms(self) -> ChannelStepCall[R_co]:
        """An SMS step; outputs ``{body}``."""
        ...

    @property
    def push(self) -> ChannelStepCall[R_co]:
        """A push step; outputs ``{subject, body}``."""
        ...

    @property
    def chat(self) -> ChannelStepCall[R_co]:
        """A chat step; outputs ``{body}``."""
        ...

    @property
    def in_app(self) -> ChannelStepCall[R_co]:
        """An in-app (Inbox) step; outputs ``{subject?, body?, ...}``. Also spelled ``inApp``."""
        ...

    @property
    def tool(self) -> ChannelStepCall[R_co]:
        """A tool step (PagerDuty, Opsgenie, ...); outputs ``{body}``."""
        ...

    @property
    def delay(self) -> ActionStepCall[R_co]:
        """A delay step; outputs ``{amount, unit}`` (or a cron or dynamic delay)."""
        ...

    @property
    def digest(self) -> ActionStepCall[R_co]:
        """A digest step; outputs ``{amount, unit}``; returns ``{"events": [...], "eventCount": n}``."""
        ...

    @property
    def throttle(self) -> ActionStepCall[R_co]:
        """A throttle step; outputs ``{type, amount?, unit?, ...}``."""
        ...

    @property
    def custom(self) -> CustomStepCall[R_co]:
        """A custom step: its outputs follow ``output_schema`` and are returned to the workflow."""
        ...


Step = Steps[dict[str, Any]]
"""The ``step`` of a ``def`` workflow: each call runs (or replays) the step and returns its result."""

AsyncStep = Steps[Coroutine[Any, Any, dict[str, Any]]]
"""The ``step`` of an ``async def`` workflow: the same methods, awaited.

Each call returns a coroutine (the native future is one: it has ``send``, ``throw`` and ``close``), so
``mypy --strict`` reports a step call that is never awaited (its default ``unused-coroutine`` check)."""
