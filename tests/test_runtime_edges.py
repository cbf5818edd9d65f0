"""How a run treats user code that misbehaves: exceptions that are not failures (cancellation, interrupts),
skip callables that raise, step objects used after their run or from another thread, async step calls never
awaited, nested runs leaking tracebacks under strict authentication, pydantic validators rejecting a
payload, async workflows behind a sync wrapper; and the local execute route over real HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from fastapi import FastAPI
from flask import Flask
from pydantic import BaseModel, field_validator

import novu_framework.fastapi
import novu_framework.flask
from novu_framework import Client, _native, workflow
from novu_framework.errors import (
    BridgeError,
    StepExecutionFailedError,
    WorkflowPayloadInvalidError,
)

from .support import serve_app

OPEN = Client(secret_key="sk-edges", strict_authentication=False)
STRICT = Client(secret_key="sk-edges", strict_authentication=True)
SCHEMA = {"type": "object", "properties": {"name": {"type": "string", "default": "Ada"}}}


def execute(wf: Any, step_id: str, client: Client = OPEN, **body: Any) -> tuple[int, dict[str, Any]]:
    """One `action=execute` request through the native bridge (the code every adapter calls)."""
    bridge = client._bridge([wf], "test")
    query = f"action=execute&workflowId={wf.workflow_id}&stepId={step_id}".encode()
    event = {"payload": {"name": "Ada"}, "controls": {}, "state": [], **body}
    raw = json.dumps(event).encode()
    signature = _native.sign(client.secret_key, raw, int(time.time() * 1000))
    status, answer = bridge.handle("POST", "", query, signature, None, raw)
    return status, json.loads(answer)


async def execute_async(wf: Any, step_id: str) -> tuple[int, dict[str, Any]]:
    """The same request as an async adapter makes it (the workflow runs on this event loop)."""
    bridge = OPEN._bridge([wf], "test")
    query = f"action=execute&workflowId={wf.workflow_id}&stepId={step_id}".encode()
    event = json.dumps({"payload": {}, "controls": {}, "state": []}).encode()
    result = bridge.handle("POST", "", query, None, None, event, asynchronous=True)
    status, answer = await result if not isinstance(result, tuple) else result
    return status, json.loads(answer)


# --- exceptions that are not failures go up unchanged ---


def test_keyboard_interrupt_in_a_resolver_is_not_turned_into_a_response() -> None:
    def interrupt() -> dict[str, Any]:
        raise KeyboardInterrupt

    @workflow("interrupted")
    def wf(payload: Any, step: Any) -> None:
        step.email("mail", interrupt)

    with pytest.raises(KeyboardInterrupt):
        execute(wf, "mail")
    with pytest.raises(KeyboardInterrupt):
        wf.run("s1", {})


def test_cancellation_of_an_async_workflow_propagates_to_the_server() -> None:
    async def cancelled() -> dict[str, Any]:
        raise asyncio.CancelledError

    @workflow("cancelled")
    async def wf(payload: Any, step: Any) -> None:
        await step.email("mail", cancelled)

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(execute_async(wf, "mail"))


def test_a_workflow_catching_an_interrupt_cannot_carry_on_as_if_the_step_ran() -> None:
    def interrupt() -> dict[str, Any]:
        raise KeyboardInterrupt

    @workflow("swallowed")
    def wf(payload: Any, step: Any) -> None:
        with contextlib.suppress(KeyboardInterrupt):
            step.sms("first", interrupt)
        step.sms("second", {"body": "hi"})

    status, body = execute(wf, "first")
    assert status == 500
    assert body["code"] == "BridgeError"
    assert "step `first` was interrupted by KeyboardInterrupt" in body["message"]
    with pytest.raises(BridgeError, match="interrupted by KeyboardInterrupt"):
        wf.run("s1", {})


# --- skip ---


def test_a_skip_callable_that_raises_fails_the_run_with_bridge_error() -> None:
    def skip(controls: Any) -> bool:
        raise RuntimeError("cannot decide")

    @workflow("skip-raises")
    def wf(payload: Any, step: Any) -> None:
        step.sms("text", {"body": "hi"}, skip=skip)

    status, body = execute(wf, "text")
    assert status == 500
    assert body["code"] == "BridgeError"
    assert body["message"] == "Unknown BridgeError: cannot decide"
    with pytest.raises(BridgeError) as raised:
        wf.run("s1", {})
    assert isinstance(raised.value.__cause__, RuntimeError)


def test_an_async_skip_callable_that_raises_fails_the_run_with_bridge_error() -> None:
    async def skip(controls: Any) -> bool:
        raise RuntimeError("cannot decide")

    @workflow("skip-raises-async")
    async def wf(payload: Any, step: Any) -> None:
        await step.sms("text", {"body": "hi"}, skip=skip)

    status, body = asyncio.run(execute_async(wf, "text"))
    assert (status, body["code"]) == (500, "BridgeError")


# --- step objects outside their run ---


def test_a_step_object_kept_after_its_run_refuses_to_run_steps() -> None:
    kept: list[Any] = []

    @workflow("kept-step")
    def wf(payload: Any, step: Any) -> None:
        kept.append(step)
        step.sms("text", {"body": "hi"})

    wf.run("s1", {})
    with pytest.raises(BridgeError, match="finished run"):
        kept[-1].sms("text", {"body": "again"})
    assert execute(wf, "text")[0] == 200
    with pytest.raises(BridgeError, match="finished run"):
        kept[-1].sms("text", {"body": "again"})


def test_a_step_called_from_another_thread_during_a_resolver_errors_instead_of_deadlocking() -> None:
    # In a subprocess with a timeout: a deadlock must fail the test, not hang the suite.
    script = textwrap.dedent(
        """
        import threading
        from novu_framework import workflow

        errors = []

        @workflow("threads")
        def wf(payload, step):
            def resolver():
                def other():
                    try:
                        step.sms("second", {"body": "x"})
                    except Exception as e:
                        errors.append(type(e).__name__ + ": " + str(e))
                t = threading.Thread(target=other)
                t.start()
                t.join()
                return {"body": "first"}
            step.sms("first", resolver)

        try:
            wf.run("s1", {})
        except Exception as e:
            print("run:", type(e).__name__)
        print(errors[0] if errors else "no error")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "BridgeError" in done.stdout and "still running" in done.stdout, done.stdout


def test_concurrent_runs_of_one_workflow_from_many_threads_all_complete() -> None:
    @workflow("parallel-runs", SCHEMA)
    def wf(payload: Any, step: Any) -> None:
        step.email("mail", {"subject": "Hi {{payload.name}}", "body": "<p>{{payload.name}}</p>"})

    results: list[int] = []

    def worker() -> None:
        for _ in range(50):
            results.append(execute(wf, "mail")[0])

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == [200] * 200


# --- async step calls never awaited ---


def test_an_async_step_call_never_awaited_fails_the_run_naming_the_step() -> None:
    @workflow("unawaited")
    async def wf(payload: Any, step: Any) -> None:
        step.email("mail", {"subject": "s", "body": "b"})  # missing await

    status, body = asyncio.run(execute_async(wf, "mail"))
    assert (status, body["code"]) == (500, "BridgeError")
    assert "step `mail` was called without `await`" in body["message"]
    with pytest.raises(BridgeError, match="without `await`"):
        wf.run("s1", {})


def test_parallel_async_step_calls_are_refused_with_a_clear_error() -> None:
    @workflow("gathered")
    async def wf(payload: Any, step: Any) -> None:
        async def slow() -> dict[str, Any]:
            await asyncio.sleep(0)
            return {"body": "a"}

        await asyncio.gather(step.sms("a", slow), step.sms("b", {"body": "b"}))

    with pytest.raises(BridgeError, match="one at a time"):
        asyncio.run(wf.run_async("s1", {}))


# --- a step id keeps its type ---


def test_calling_a_discovered_step_with_another_type_is_an_error() -> None:
    calls = {"n": 0}

    @workflow("shape-shifter")
    def wf(payload: Any, step: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            step.email("message", {"subject": "s", "body": "b"})
        else:
            step.sms("message", {"body": "b"})

    status, body = execute(wf, "message")
    assert (status, body["code"]) == (500, "BridgeError")
    assert "discovered with type `email` but is now called as `sms`" in body["message"]


# --- no traceback leaves a strict bridge, even from a nested run ---


def test_a_nested_runs_traceback_does_not_leak_through_a_strict_bridge() -> None:
    def boom() -> dict[str, Any]:
        raise ValueError("secret path /srv/app/settings.py")

    @workflow("inner")
    def inner(payload: Any, step: Any) -> None:
        step.sms("inner-step", boom)

    def call_inner() -> dict[str, Any]:
        inner.run("s1", {})  # raises StepExecutionFailedError whose data carries the traceback
        return {"body": "unreachable"}

    @workflow("outer")
    def outer(payload: Any, step: Any) -> None:
        step.sms("outer-step", call_inner)

    with pytest.raises(StepExecutionFailedError) as raised:
        inner.run("s1", {})
    assert "Traceback" in raised.value.data["stack"]

    status, body = execute(outer, "outer-step", client=STRICT)
    assert (status, body["code"]) == (502, "StepExecutionFailedError")
    assert body["data"] == {}
    assert "Traceback" not in json.dumps(body)


# --- pydantic validators ---


class Order(BaseModel):
    order_id: str
    quantity: int = 1

    @field_validator("order_id")
    @classmethod
    def starts_with_a(cls, value: str) -> str:
        if not value.startswith("A-"):
            raise ValueError("order ids start with A-")
        return value

    @field_validator("quantity")
    @classmethod
    def positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("quantity must be positive")
        return value


def test_pydantic_validators_reject_a_payload_with_every_issue_by_mode() -> None:
    seen: list[Order] = []

    @workflow("order", Order)
    def wf(payload: Order, step: Any) -> None:
        seen.append(payload)
        step.sms("text", {"body": payload.order_id})

    status, body = execute(wf, "text", payload={"order_id": "B-1", "quantity": 0})
    assert (status, body["code"]) == (400, "ExecutionEventPayloadInvalidError")
    assert body["data"] == [
        {"path": "/order_id", "message": "Value error, order ids start with A-"},
        {"path": "/quantity", "message": "Value error, quantity must be positive"},
    ]
    with pytest.raises(WorkflowPayloadInvalidError) as raised:
        wf.run("s1", {"order_id": "B-1"})
    assert raised.value.data == [{"path": "/order_id", "message": "Value error, order ids start with A-"}]
    assert execute(wf, "text", payload={"order_id": "A-1"})[0] == 200
    assert isinstance(seen[-1], Order) and seen[-1].order_id == "A-1"


# --- async behind a sync wrapper ---


def test_an_async_workflow_behind_a_plain_decorator_is_discovered_and_run_as_async() -> None:
    def logged(func: Any) -> Any:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

        return wrapper

    @workflow("wrapped")
    @logged
    async def wf(payload: Any, step: Any) -> None:
        await step.sms("text", {"body": "wrapped"})

    assert wf.is_async
    assert [s["stepId"] for s in wf.discover()["steps"]] == ["text"]
    assert wf.run("s1", {})["step_results"] == {"text": {"body": "wrapped"}}
    status, body = asyncio.run(execute_async(wf, "text"))
    assert (status, body["outputs"]) == (200, {"body": "wrapped"})


# --- the local execute route over HTTP ---


def test_the_local_route_answers_byte_identically_on_flask_and_fastapi_and_matches_run() -> None:
    @workflow("local-route", SCHEMA)
    def wf(payload: Any, step: Any) -> None:
        step.in_app("inbox", {"body": "Hi {{payload.name}}"})
        step.custom("compute", {"n": 2}, output_schema={"type": "object", "properties": {"n": {"type": "number"}}})

    flask_app = Flask(__name__)
    novu_framework.flask.serve(flask_app, workflows=[wf], client=OPEN)
    fastapi_app = FastAPI()
    novu_framework.fastapi.serve(fastapi_app, workflows=[wf], client=OPEN)

    def post(base: str, path: str, body: Any) -> tuple[int, bytes]:
        request = urllib.request.Request(
            base + path, data=json.dumps(body).encode(), method="POST", headers={"content-type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    answers: dict[str, list[tuple[int, bytes]]] = {}
    for framework, app in (("flask", flask_app), ("fastapi", fastapi_app)):
        with serve_app(framework, app) as base:
            answers[framework] = [
                post(base, "/api/novu/workflows/local-route/execute", {"to": "s1", "payload": {"name": "Bo"}}),
                post(base, "/api/novu/workflows/nope/execute", {"to": "s1", "payload": {}}),
                post(base, "/api/novu/workflows/local-route/execute", {"payload": {}}),
            ]
    assert answers["flask"] == answers["fastapi"]
    (ok_status, ok_body), (missing_status, missing_body), (bad_status, bad_body) = answers["flask"]
    assert ok_status == 200
    assert json.loads(ok_body) == wf.run("s1", {"name": "Bo"})
    assert missing_status == 404
    assert json.loads(missing_body) == {"detail": "Workflow 'nope' not found", "code": "WorkflowNotFoundError"}
    assert bad_status == 400
    assert json.loads(bad_body)["code"] == "InvalidRequestBodyError"
