"""Defining workflows: the ``@workflow`` decorator and the [`Workflow`][novu_framework.Workflow] it returns."""

from __future__ import annotations

import asyncio
import inspect
import typing
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from . import _native
from ._aio import is_async_callable
from ._callables import is_model, json_schema, source_text
from .client import Client
from .step import Schema
from .trigger import TriggerResult

__all__ = ["Workflow", "workflow"]

F = TypeVar("F", bound=Callable[..., Any])


class PayloadModel(Protocol):
    """A pydantic model instance (anything with ``model_dump``), accepted wherever a payload dict is."""

    def model_dump(self, *, mode: str = ...) -> dict[str, Any]: ...


Payload = Mapping[str, Any] | PayloadModel
"""A payload: a dict, or an instance of the workflow's pydantic payload model."""

_OPTIONAL_KWARGS = ("subscriber", "context", "env", "controls")


def _schema_json(schema: Schema | None, what: str) -> Any:
    if schema is None:
        return None
    if is_model(schema):
        return json_schema(schema)
    if isinstance(schema, Mapping):
        return dict(schema)
    raise TypeError(f"{what} must be a JSON Schema dict or a pydantic model class, not {type(schema).__name__}")


def _payload_factory(model: Any) -> Callable[[Any, bool], tuple[Any, list[tuple[str, str]] | None]]:
    """Builds the pydantic payload from the schema-checked dict: ``(instance, None)``, or ``(None, issues)``
    with every ``(path, message)`` the model's validators raised (answered like schema errors). In discovery
    an invalid mock is still built."""

    def make(data: Any, discovery: bool) -> tuple[Any, list[tuple[str, str]] | None]:
        try:
            return model.model_validate(data), None
        except Exception as exc:
            errors = getattr(exc, "errors", None)
            if not callable(errors):
                raise
            if discovery:
                return model.model_construct(**data), None
            return None, [("".join(f"/{part}" for part in e.get("loc", ())), str(e.get("msg", exc))) for e in errors()]

    return make


def _payload_model_from_annotation(func: Callable[..., Any]) -> Any:
    params = list(inspect.signature(func).parameters.values())
    if not params:
        return None
    try:
        hints = typing.get_type_hints(func)
    except Exception:
        hints = {}
    annotation = hints.get(params[0].name, params[0].annotation)
    return annotation if is_model(annotation) else None


def _accepted_kwargs(func: Callable[..., Any], workflow_id: str) -> list[str]:
    params = inspect.signature(func).parameters.values()
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) < 2 and not any(p.kind == p.VAR_POSITIONAL for p in params):
        raise TypeError(
            f"workflow `{workflow_id}`: the function must take `payload` and `step` as its first two parameters"
        )
    if positional and positional[0].name == "step":  # a common slip: Novu's TypeScript passes one object
        order = ", ".join(p.name for p in positional[:2])
        raise TypeError(
            f"workflow `{workflow_id}`: the function takes the payload first, then the step "
            f"(`def {getattr(func, '__name__', 'workflow')}(payload, step)`); it takes `({order})`"
        )
    if any(p.kind == p.VAR_KEYWORD for p in params):
        return list(_OPTIONAL_KWARGS)
    names = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return [k for k in _OPTIONAL_KWARGS if k in names]


class Workflow:
    """A notification workflow, made by [`workflow`][novu_framework.workflow].

    Serve it with ``novu_framework.flask.serve`` or ``novu_framework.fastapi.serve``; run it locally
    with [`run`][novu_framework.Workflow.run].
    """

    def __init__(self, func: Callable[..., Any], handle: _native.WorkflowHandle) -> None:
        self._func = func
        self._handle = handle
        self.__doc__ = func.__doc__
        self.__name__ = getattr(func, "__name__", handle.workflow_id)
        self.__wrapped__ = func

    @property
    def workflow_id(self) -> str:
        """The workflow's id."""
        return self._handle.workflow_id

    @property
    def is_async(self) -> bool:
        """True when the workflow function is ``async def`` (its step calls are then awaited)."""
        return self._handle.is_async

    def discover(self) -> dict[str, Any]:
        """The workflow as Novu discovers it (the entry of ``GET ?action=discover``)."""
        entry: dict[str, Any] = self._handle.discover()
        return entry

    def run(
        self,
        to: str | Mapping[str, Any],
        payload: Payload | None = None,
        *,
        controls: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Runs every step in order in this process and returns what each produced.

        Steps run as if Novu delivered each right after the previous one: controls are each step's
        defaults (or ``controls[step_id]``), rendered with Liquid; ``skip`` is honoured; outputs are
        validated and sanitised; delays and digests are not waited for.

        Example:
            ```python
            result = welcome.run("subscriber-1", {"name": "Ada"})
            result["step_results"]["welcome-email"]["subject"]
            ```

        Returns:
            ``{"workflow_id", "status": "completed", "step_results": {step_id: outputs}, "payload"}``.

        Raises:
            NovuError: the framework error, e.g. ``WorkflowPayloadInvalidError`` for a bad payload or
                ``StepExecutionFailedError`` (chained to your exception) when a resolver raises.
        """
        result: dict[str, Any] = self._handle.run_local(to, payload, controls)
        return result

    async def run_async(
        self,
        to: str | Mapping[str, Any],
        payload: Payload | None = None,
        *,
        controls: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The awaitable twin of [`run`][novu_framework.Workflow.run], for async code and ``async def`` workflows."""
        result: dict[str, Any] = await self._handle.run_local_async(to, payload, controls)
        return result

    def trigger(
        self,
        to: str | Mapping[str, Any] | Sequence[str | Mapping[str, Any]],
        payload: Payload | None = None,
        *,
        transaction_id: str | None = None,
        actor: str | Mapping[str, Any] | None = None,
        overrides: Mapping[str, Any] | None = None,
        controls: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        bridge_url: str | None = None,
        client: Client | None = None,
    ) -> TriggerResult:
        """Sends this workflow's event to Novu (``POST /v1/events/trigger``).

        The payload is validated against the workflow's schema first (defaults applied); an invalid one
        raises without sending anything. A transaction id is generated when none is given and reused by
        retries, so Novu cannot deliver twice.

        Example:
            ```python
            result = welcome.trigger("subscriber-1", {"name": "Ada"})
            print(result.transaction_id, result.data)
            ```

        Args:
            to: a subscriber id, a subscriber dict (``{"subscriberId": ..., "email": ...}``), a topic
                (``{"type": "Topic", "topicKey": ...}``), or a list of them.
            client: where and how to call Novu; default ``Client()`` (the environment).

        Raises:
            InvalidTriggerError: ``to`` names no valid recipient, or the payload is not an object.
            WorkflowPayloadInvalidError: the payload fails the schema or the pydantic model's validators
                (``data`` lists the errors).
            MissingSecretKeyError: no secret key is configured.
            NovuApiError: Novu refused the event, timed out, or could not be reached.
        """
        c = client or Client()
        status, data, tx = self._handle.trigger(
            to,
            payload,
            transaction_id=transaction_id,
            actor=actor,
            overrides=overrides,
            controls=controls,
            context=context,
            bridge_url=bridge_url,
            api_url=c.api_url,
            secret_key=c._require_secret_key(),
            timeout=c.api_timeout,
            retries=c.retries,
            backoff=c.retry_backoff,
        )
        return TriggerResult(tx, data, status, c)

    async def trigger_async(
        self,
        to: str | Mapping[str, Any] | Sequence[str | Mapping[str, Any]],
        payload: Payload | None = None,
        *,
        transaction_id: str | None = None,
        actor: str | Mapping[str, Any] | None = None,
        overrides: Mapping[str, Any] | None = None,
        controls: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        bridge_url: str | None = None,
        client: Client | None = None,
    ) -> TriggerResult:
        """The awaitable twin of [`trigger`][novu_framework.Workflow.trigger] (the HTTP call runs on a worker
        thread)."""
        return await asyncio.to_thread(
            self.trigger,
            to,
            payload,
            transaction_id=transaction_id,
            actor=actor,
            overrides=overrides,
            controls=controls,
            context=context,
            bridge_url=bridge_url,
            client=client,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Calls the workflow function itself (handy in unit tests with a stand-in ``step``)."""
        return self._func(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Workflow {self.workflow_id!r}>"


def workflow(
    workflow_id: str,
    payload_schema: Schema | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    tags: Sequence[str] | None = None,
    preferences: Mapping[str, Any] | None = None,
    severity: str | None = None,
    control_schema: Schema | None = None,
    env_schema: Schema | None = None,
) -> Callable[[Callable[..., Any] | Callable[..., Awaitable[Any]]], Workflow]:
    """Declares a notification workflow.

    The decorated function (sync or ``async def``) receives ``payload`` and ``step`` positionally, and
    the keyword parameters ``subscriber``, ``context``, ``env`` and ``controls`` when it declares them.
    Its steps are discovered right away, by running it once with a mock payload: a mistake in the
    definition raises here, naming the workflow and step.

    Args:
        workflow_id: the id Novu knows the workflow by.
        payload_schema: a JSON Schema dict or a pydantic model; defaults to the model annotating the
            ``payload`` parameter. Without one the payload is always ``{}`` (as upstream: undeclared keys
            are stripped).
        name, description, tags, severity, preferences: shown and used by Novu.
        control_schema, env_schema: workflow-level schemas shown in discover.

    Example:
        ```python
        from pydantic import BaseModel
        from novu_framework import workflow

        class Welcome(BaseModel):
            name: str = "friend"

        @workflow("welcome", tags=["onboarding"])
        def welcome(payload: Welcome, step):
            step.in_app("inbox", lambda controls: {"body": f"Hi {payload.name}"})
            step.email("email", {"subject": "Welcome", "body": f"<p>Hi {payload.name}</p>"})
        ```
    """

    if not isinstance(workflow_id, str):
        hint = f' (`@workflow` needs the id: `@workflow("{getattr(workflow_id, "__name__", "my-workflow")}")`)'
        raise TypeError(
            f"workflow() takes the workflow's id as a string, got {type(workflow_id).__name__}"
            + (hint if callable(workflow_id) else "")
        )

    def decorate(func: Callable[..., Any]) -> Workflow:
        if not callable(func):
            raise TypeError(f"@workflow({workflow_id!r}) must decorate a function")
        accepts = _accepted_kwargs(func, workflow_id)
        schema = payload_schema if payload_schema is not None else _payload_model_from_annotation(func)
        factory = _payload_factory(schema) if is_model(schema) else None
        options = {
            "name": name,
            "description": description,
            "tags": list(tags) if tags is not None else None,
            "severity": severity,
            "preferences": dict(preferences) if preferences is not None else None,
            "payload_schema": _schema_json(schema, f"workflow `{workflow_id}`: payload_schema"),
            "control_schema": _schema_json(control_schema, f"workflow `{workflow_id}`: control_schema"),
            "env_schema": _schema_json(env_schema, f"workflow `{workflow_id}`: env_schema"),
        }
        handle = _native.define_workflow(
            workflow_id,
            func,
            is_async=is_async_callable(func),
            accepts=accepts,
            payload_factory=factory,
            options=options,
            code=source_text(func),
        )
        return Workflow(func, handle)

    return decorate
