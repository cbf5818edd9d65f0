"""Unit-test your workflows as Novu runs them, without HTTP: each call goes through the same native
request path as a bridge request (strict authentication off, no secret key needed). Works with any test
runner; pytest is not needed to import it.

Example:
    ```python
    from novu_framework.testing import execute

    def test_welcome_email():
        result = execute(welcome, "welcome-email", payload={"name": "Ada"})
        assert result.outputs["subject"] == "Welcome, Ada"
    ```
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import _native
from ._endpoint import Endpoint
from .client import Client
from .workflow import Payload, Workflow

__all__ = ["StepResult", "execute", "preview", "sign"]

_UNSIGNED = Client(secret_key="", strict_authentication=False)


@dataclass(frozen=True)
class StepResult:
    """What one step produced, as the bridge answers Novu.

    Attributes:
        outputs: the step's outputs (validated and sanitised), e.g. ``{"subject": ..., "body": ...}``.
        providers: the outputs of its provider overrides, by provider id.
        skipped: whether ``skip`` skipped it.
        answer: the bridge's whole JSON answer (``metadata``, ``options``, ...).
    """

    outputs: dict[str, Any]
    providers: dict[str, Any] = field(default_factory=dict)
    skipped: bool = False
    answer: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def _call(action: str, workflow: Workflow, step_id: str, event: dict[str, Any]) -> StepResult:
    steps = [step["stepId"] for step in workflow.discover()["steps"]]
    if step_id not in steps:  # Novu's answer would name a missing earlier step instead of the typo
        raise ValueError(
            f"workflow `{workflow.workflow_id}` has no step `{step_id}`; its steps are: {', '.join(steps) or 'none'}"
        )
    endpoint = Endpoint([workflow], _UNSIGNED, "testing")
    query = urllib.parse.urlencode({"action": action, "workflowId": workflow.workflow_id, "stepId": step_id})
    meta = {"REQUEST_METHOD": "POST", "QUERY_STRING": query}
    status, body, *_ = endpoint.answer(meta, "", _native.to_json(event))  # no agents: never a turn
    if status != 200:
        raise _native.error_from_answer(status, body)
    answer: dict[str, Any] = json.loads(body)
    skip = (answer.get("options") or {}).get("skip")
    return StepResult(answer.get("outputs") or {}, answer.get("providers") or {}, bool(skip), answer)


def _event(
    payload: Payload | None,
    controls: Mapping[str, Any] | None,
    state: Sequence[Mapping[str, Any]] | None,
    subscriber: Mapping[str, Any] | None,
    context: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "payload": {} if payload is None else payload,
        "controls": dict(controls or {}),
        "state": list(state or []),
        "subscriber": dict(subscriber or {}),
    }
    if context is not None:
        event["context"] = dict(context)
    return event


def execute(
    workflow: Workflow,
    step_id: str,
    *,
    payload: Payload | None = None,
    controls: Mapping[str, Any] | None = None,
    state: Sequence[Mapping[str, Any]] | None = None,
    subscriber: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
) -> StepResult:
    """Runs the step ``step_id`` of ``workflow`` as Novu's ``action=execute`` does.

    Args:
        payload: the event payload (a dict or the workflow's pydantic model), validated by its schema.
        controls: the step's controls as set in the dashboard (defaults fill the rest).
        state: earlier steps' results, the protocol's ``state`` list:
            ``[{"stepId": "inbox", "outputs": {...}, "state": {"status": "completed"}}]``.
        subscriber, context: what the workflow function receives.

    Raises:
        NovuError: the framework error the bridge would answer, e.g. ``WorkflowPayloadInvalidError`` or
            ``ExecutionStateOutputInvalidError``; ``str(error)`` names the first invalid field
            (``... At /name: must be string``).
        ValueError: the workflow has no step ``step_id`` (the message lists its steps).

    Example:
        ```python
        result = execute(welcome, "welcome-email", payload={"name": "Ada"})
        assert result.outputs["subject"] == "Welcome, Ada"
        ```
    """
    return _call("execute", workflow, step_id, _event(payload, controls, state, subscriber, context))


def preview(
    workflow: Workflow,
    step_id: str,
    *,
    payload: Payload | None = None,
    controls: Mapping[str, Any] | None = None,
    state: Sequence[Mapping[str, Any]] | None = None,
    subscriber: Mapping[str, Any] | None = None,
) -> StepResult:
    """Renders the step ``step_id`` as the dashboard's preview does (``action=preview``): missing payload
    fields and earlier steps' results are filled with mock data. Arguments and errors as :func:`execute`.
    """
    return _call("preview", workflow, step_id, _event(payload, controls, state, subscriber))


def sign(body: str | bytes | Any | None, secret_key: str, *, timestamp_ms: int | None = None) -> str:
    """The ``novu-signature`` header value Novu would send with ``body``, to test a bridge served with
    strict authentication: ``t=<ms>,v1=<hex HMAC-SHA256>``.

    ``body`` is the request body as sent (``str`` or ``bytes``), a JSON-able object (serialised as the
    request will be: pass the same bytes you send when in doubt), or ``None`` for a GET request, which Novu
    signs over ``{}``. ``timestamp_ms`` defaults to now; the bridge accepts signatures up to 5 minutes off.

    Example:
        ```python
        body = b'{"payload": {}}'
        headers = {"novu-signature": sign(body, "my-secret-key")}
        ```
    """
    if body is None:
        raw = b"{}"
    elif isinstance(body, bytes):
        raw = body
    elif isinstance(body, str):
        raw = body.encode()
    else:
        raw = _native.to_json(body)
    stamp = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    return _native.sign(secret_key, raw, stamp)
