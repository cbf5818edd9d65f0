"""The types of the ``step`` object a workflow function receives, for annotations.

Example::

    from novu_framework import workflow
    from novu_framework.step import Step

    @workflow("welcome")
    def welcome(payload: dict, step: Step) -> None:
        step.email("welcome-email", {"subject": "Welcome!", "body": "<p>Hi</p>"})

An ``async def`` workflow receives an :class:`AsyncStep`, whose calls are awaited. Each method takes the
step id, the resolver (a dict of outputs, or a callable of the controls returning one, sync or async) and
keyword options; camelCase spellings of the options (``controlSchema``, ``disableOutputSanitization``,
``outputSchema``) are accepted too. A step call returns the step's result: ``{}`` for message steps, the
digested events for a digest, ``{"seen", "read", ...}`` for an in-app step.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

__all__ = ["AsyncStep", "Outputs", "ProviderResolver", "Resolver", "Schema", "Skip", "Step"]

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


class Step(Protocol):
    """The ``step`` of a ``def`` workflow: each call runs (or replays) the step and returns its result."""

    def email(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> dict[str, Any]:
        """An email step; outputs ``{subject, body}`` (the body is sanitised HTML)."""
        ...

    def sms(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> dict[str, Any]:
        """An SMS step; outputs ``{body}``."""
        ...

    def push(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> dict[str, Any]:
        """A push step; outputs ``{subject, body}``."""
        ...

    def chat(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> dict[str, Any]:
        """A chat step; outputs ``{body}``."""
        ...

    def in_app(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> dict[str, Any]:
        """An in-app (Inbox) step; outputs ``{subject?, body?, ...}``. Also spelled ``inApp``."""
        ...

    def tool(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> dict[str, Any]:
        """A tool step (PagerDuty, Opsgenie, ...); outputs ``{body}``."""
        ...

    def delay(
        self, step_id: str, resolver: Resolver, *, control_schema: Schema | None = None, skip: Skip | None = None
    ) -> dict[str, Any]:
        """A delay step; outputs ``{amount, unit}`` (or a cron or dynamic delay)."""
        ...

    def digest(
        self, step_id: str, resolver: Resolver, *, control_schema: Schema | None = None, skip: Skip | None = None
    ) -> dict[str, Any]:
        """A digest step; outputs ``{amount, unit}``; returns ``{"events": [...], "eventCount": n}``."""
        ...

    def throttle(
        self, step_id: str, resolver: Resolver, *, control_schema: Schema | None = None, skip: Skip | None = None
    ) -> dict[str, Any]:
        """A throttle step; outputs ``{type, amount?, unit?, ...}``."""
        ...

    def custom(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        output_schema: Schema | None = None,
    ) -> dict[str, Any]:
        """A custom step: its outputs follow ``output_schema`` and are returned to the workflow."""
        ...


class AsyncStep(Protocol):
    """The ``step`` of an ``async def`` workflow: the same methods as :class:`Step`, awaited."""

    def email(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> Awaitable[dict[str, Any]]:
        """An email step; outputs ``{subject, body}`` (the body is sanitised HTML)."""
        ...

    def sms(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> Awaitable[dict[str, Any]]:
        """An SMS step; outputs ``{body}``."""
        ...

    def push(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> Awaitable[dict[str, Any]]:
        """A push step; outputs ``{subject, body}``."""
        ...

    def chat(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> Awaitable[dict[str, Any]]:
        """A chat step; outputs ``{body}``."""
        ...

    def in_app(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> Awaitable[dict[str, Any]]:
        """An in-app (Inbox) step; outputs ``{subject?, body?, ...}``. Also spelled ``inApp``."""
        ...

    def tool(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        providers: Mapping[str, ProviderResolver] | None = None,
        disable_output_sanitization: bool | None = None,
    ) -> Awaitable[dict[str, Any]]:
        """A tool step (PagerDuty, Opsgenie, ...); outputs ``{body}``."""
        ...

    def delay(
        self, step_id: str, resolver: Resolver, *, control_schema: Schema | None = None, skip: Skip | None = None
    ) -> Awaitable[dict[str, Any]]:
        """A delay step; outputs ``{amount, unit}`` (or a cron or dynamic delay)."""
        ...

    def digest(
        self, step_id: str, resolver: Resolver, *, control_schema: Schema | None = None, skip: Skip | None = None
    ) -> Awaitable[dict[str, Any]]:
        """A digest step; outputs ``{amount, unit}``; returns ``{"events": [...], "eventCount": n}``."""
        ...

    def throttle(
        self, step_id: str, resolver: Resolver, *, control_schema: Schema | None = None, skip: Skip | None = None
    ) -> Awaitable[dict[str, Any]]:
        """A throttle step; outputs ``{type, amount?, unit?, ...}``."""
        ...

    def custom(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Schema | None = None,
        skip: Skip | None = None,
        output_schema: Schema | None = None,
    ) -> Awaitable[dict[str, Any]]:
        """A custom step: its outputs follow ``output_schema`` and are returned to the workflow."""
        ...
