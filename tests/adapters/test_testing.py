"""`novu_framework.testing`: steps run as Novu runs them, through the bridge's own request path."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from novu_framework import Client, workflow
from novu_framework.errors import (
    ExecutionEventPayloadInvalidError,
    ExecutionStateCorruptError,
    ExecutionStateOutputInvalidError,
    StepExecutionFailedError,
    WorkflowPayloadInvalidError,
)
from novu_framework.testing import StepResult, execute, preview, sign

SCHEMA = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}


@workflow("onboarding", SCHEMA)
def onboarding(payload: dict[str, Any], step: Any) -> None:
    inbox = step.in_app("inbox", lambda: {"body": f"Hi {payload['name']}"})
    step.email(
        "email",
        lambda controls: {"subject": controls["subject"], "body": f"<p>read: {inbox['read']}</p>"},
        control_schema={"type": "object", "properties": {"subject": {"type": "string", "default": "Hello"}}},
        skip=lambda controls: controls["subject"] == "skip me",
        providers={"sendgrid": lambda controls, outputs: {"ipPoolName": "pool"}},
    )
    step.sms("sms", lambda: {"body": 5})


@workflow("fails")
async def fails(payload: dict[str, Any], step: Any) -> None:
    await step.email("email", lambda: 1 / 0)


INBOX_RESULT = {"seen": True, "read": True, "lastSeenDate": None, "lastReadDate": None}
READ = {"stepId": "inbox", "outputs": INBOX_RESULT, "state": {"status": "completed"}}


def test_execute_runs_one_step_with_state_controls_and_providers() -> None:
    result = execute(onboarding, "email", payload={"name": "Ada"}, state=[READ], controls={"subject": "Welcome"})
    assert result == StepResult(
        {"subject": "Welcome", "body": "<p>read: True</p>"}, {"sendgrid": {"ipPoolName": "pool"}}
    )
    assert result.answer["metadata"]["status"] == "success"
    assert execute(onboarding, "inbox", payload={"name": "Ada"}).outputs == {"body": "Hi Ada"}


def test_skipped_steps_say_so() -> None:
    result = execute(onboarding, "email", payload={"name": "Ada"}, state=[READ], controls={"subject": "skip me"})
    assert result.skipped and result.outputs == {}


def test_preview_fills_what_is_missing_with_mock_data() -> None:
    result = preview(onboarding, "email", state=[READ])
    assert result.outputs["subject"] == "Hello" and "read:" in result.outputs["body"]


def test_the_answer_is_the_bridges_over_http() -> None:
    """The same request, signed, through a bridge gives the same outputs."""
    client = Client(secret_key="k", strict_authentication=True)
    bridge = client._bridge([onboarding], "test")
    body = json.dumps({"payload": {"name": "Ada"}, "state": [READ], "controls": {}, "subscriber": {}}).encode()
    query = "action=execute&workflowId=onboarding&stepId=email"
    status, raw = bridge.handle("POST", "", query, sign(body, "k"), None, body)
    assert status == 200
    assert json.loads(raw)["outputs"] == execute(onboarding, "email", payload={"name": "Ada"}, state=[READ]).outputs


def test_failures_raise_the_typed_error_with_the_detail_in_the_message() -> None:
    with pytest.raises(ExecutionEventPayloadInvalidError, match=r"At /name: must be string$") as bad_payload:
        execute(onboarding, "inbox", payload={"name": 5})
    assert bad_payload.value.status == 400 and bad_payload.value.data == [
        {"path": "/name", "message": "must be string"}
    ]
    with pytest.raises(ExecutionStateOutputInvalidError, match=r"At /body: must be string$"):
        execute(onboarding, "sms", payload={"name": "Ada"}, state=[READ, {**READ, "stepId": "email"}])
    with pytest.raises(ExecutionStateCorruptError, match="Step with id: `inbox` does not exist"):
        execute(onboarding, "sms", payload={"name": "Ada"})
    with pytest.raises(StepExecutionFailedError, match="division by zero"):
        execute(fails, "email")
    with pytest.raises(ValueError, match="workflow `onboarding` has no step `emial`; its steps are: inbox, email, sms"):
        execute(onboarding, "emial", payload={"name": "Ada"})
    with pytest.raises(ValueError, match="has no step `emial`"):
        preview(onboarding, "emial")


def test_a_key_error_says_so() -> None:
    """A KeyError's own text is only the key: the message names the exception too."""

    @workflow("optional", {"type": "object", "properties": {"name": {"type": "string"}}})
    def optional(payload: dict[str, Any], step: Any) -> None:
        step.sms("sms", lambda: {"body": payload["nickname"]})

    with pytest.raises(
        StepExecutionFailedError, match=r"^Failed to execute Step with id: `sms`: KeyError: 'nickname'$"
    ):
        execute(optional, "sms", payload={"name": "Ada"})


def test_workflow_run_errors_carry_the_same_detail() -> None:
    with pytest.raises(ExecutionStateOutputInvalidError) as error:
        onboarding.run("subscriber-1", {"name": "Ada"})
    assert str(error.value).endswith("Please provide the correct step output. At /body: must be string")
    assert error.value.message.endswith("Please provide the correct step output.")
    with pytest.raises(WorkflowPayloadInvalidError, match=r"At /name: must be string$"):
        onboarding.run("subscriber-1", {"name": 1})


def test_sign_matches_what_the_bridge_checks() -> None:
    bridge = Client(secret_key="k", strict_authentication=True)._bridge([onboarding], "test")
    assert bridge.handle("GET", "", "action=discover", sign(None, "k"), None, b"")[0] == 200
    assert bridge.handle("GET", "", "action=discover", sign(None, "other"), None, b"")[0] == 401
    event = {"payload": {"name": "Ada"}, "controls": {}}
    query = "action=preview&workflowId=onboarding&stepId=inbox"
    for body in (json.dumps(event), json.dumps(event).encode(), event):
        raw = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(body).encode()
        assert bridge.handle("POST", "", query, sign(body, "k"), None, raw)[0] == 200, body
    assert sign(b"{}", "k", timestamp_ms=1_700_000_000_000).startswith("t=1700000000000,v1=")


def test_importable_without_pytest() -> None:
    code = "import sys; sys.modules['pytest'] = None; import novu_framework.testing; print('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr
