"""The Python workflow API: definitions, sync and async workflows and resolvers, pydantic and dict schemas,
the local run (`workflow.run`) and the errors definitions raise."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pydantic import BaseModel

from novu_framework import Client, NovuError, workflow
from novu_framework.errors import (
    InvalidWorkflowError,
    MissingSecretKeyError,
    StepAlreadyExistsError,
    StepExecutionFailedError,
    WorkflowAlreadyExistsError,
    WorkflowPayloadInvalidError,
)

NAME_SCHEMA = {"type": "object", "properties": {"name": {"type": "string", "default": "World"}}}


def test_sync_workflow_runs_every_step_and_returns_each_step_result() -> None:
    seen: dict[str, Any] = {}

    @workflow("welcome", NAME_SCHEMA)
    def welcome(payload: dict[str, Any], step: Any) -> None:
        seen["inbox"] = step.in_app("inbox", lambda c: {"body": f"Hi {payload['name']}"})
        seen["email"] = step.email("email", {"subject": "Hello", "body": "<p>x</p><script>bad()</script>"})
        seen["delay"] = step.delay("wait", {"amount": 1, "unit": "hours"})
        seen["digest"] = step.digest("collect", {"amount": 5, "unit": "minutes"})
        seen["custom"] = step.custom(
            "compute",
            lambda: {"n": 3},
            output_schema={"type": "object", "properties": {"n": {"type": "number"}}, "required": ["n"]},
        )

    result = welcome.run("subscriber-1", {"name": "Ada"})
    assert result["workflow_id"] == "welcome"
    assert result["status"] == "completed"
    assert result["payload"] == {"name": "Ada"}
    assert result["step_results"] == {
        "inbox": {"body": "Hi Ada"},
        "email": {"subject": "Hello", "body": "<p>x</p>"},
        "wait": {"amount": 1, "unit": "hours"},
        "collect": {"amount": 5, "unit": "minutes"},
        "compute": {"n": 3},
    }
    assert seen["inbox"] == {"seen": False, "read": False, "lastSeenDate": None, "lastReadDate": None}
    assert seen["email"] == {}
    assert seen["delay"] == {"duration": 0}
    assert seen["digest"]["eventCount"] == 1
    assert seen["digest"]["events"][0]["payload"] == {"name": "Ada"}
    assert seen["custom"] == {"n": 3}


def test_async_workflow_with_async_resolvers() -> None:
    calls: list[str] = []

    async def email_resolver(controls: dict[str, Any]) -> dict[str, Any]:
        await asyncio.sleep(0)
        calls.append("email")
        return {"subject": controls["subject"], "body": "b"}

    @workflow("async-flow", NAME_SCHEMA)
    async def flow(payload: dict[str, Any], step: Any) -> None:
        await step.email(
            "email",
            email_resolver,
            control_schema={
                "type": "object",
                "properties": {"subject": {"type": "string", "default": "Hi {{payload.name}}"}},
            },
        )
        await step.sms("sms", lambda: {"body": "sync resolver in an async workflow"})

    assert flow.is_async
    result = asyncio.run(flow.run_async("s1", {"name": "Bo"}))
    assert result["step_results"]["email"] == {"subject": "Hi Bo", "body": "b"}
    assert result["step_results"]["sms"] == {"body": "sync resolver in an async workflow"}
    # The sync entry point drives async workflows on an event loop too.
    assert flow.run("s1", {"name": "Cy"})["step_results"]["email"]["subject"] == "Hi Cy"
    assert calls == ["email", "email"]


def test_async_resolver_in_a_sync_workflow() -> None:
    async def resolver() -> dict[str, Any]:
        await asyncio.sleep(0)
        return {"body": "from a coroutine"}

    @workflow("mixed")
    def mixed(payload: Any, step: Any) -> None:
        step.sms("sms", resolver)

    assert mixed.run("s1", {})["step_results"]["sms"] == {"body": "from a coroutine"}


class OrderShipped(BaseModel):
    order_id: str
    carrier: str = "DHL"


class ShippingEmail(BaseModel):
    subject: str = "Your order is on its way"
    show_tracking: bool = True


def test_pydantic_payload_from_the_annotation_and_controls_model() -> None:
    received: dict[str, Any] = {}

    @workflow("order-shipped")
    def order_shipped(payload: OrderShipped, step: Any) -> None:
        received["payload"] = payload

        def email(controls: ShippingEmail) -> dict[str, Any]:
            received["controls"] = controls
            return {
                "subject": controls.subject,
                "body": f"Shipped with {payload.carrier}",
                "tracking": "Track it" if controls.show_tracking else "",
            }

        step.email("email", email, controlSchema=ShippingEmail)

    result = order_shipped.run("s1", {"order_id": "A-1"})
    assert isinstance(received["payload"], OrderShipped)
    assert received["payload"].carrier == "DHL"
    assert isinstance(received["controls"], ShippingEmail)
    # `tracking` is not part of the email output schema: dropped by validation, as upstream does.
    assert result["step_results"]["email"] == {"subject": "Your order is on its way", "body": "Shipped with DHL"}
    discovered = order_shipped.discover()
    assert discovered["payload"]["schema"]["required"] == ["order_id"]
    assert discovered["steps"][0]["controls"]["schema"]["properties"]["show_tracking"]["default"] is True


def test_invalid_payload_names_the_field_and_sends_nothing() -> None:
    @workflow("orders", payload_schema=OrderShipped)
    def orders(payload: OrderShipped, step: Any) -> None:
        step.sms("sms", {"body": payload.order_id})

    with pytest.raises(WorkflowPayloadInvalidError) as info:
        orders.run("s1", {"carrier": "UPS"})
    assert info.value.status == 400
    assert info.value.data == [{"path": "", "message": "must have required property 'order_id'"}]


def test_skip_as_bool_and_as_callable() -> None:
    @workflow("skippy")
    def skippy(payload: Any, step: Any) -> None:
        step.sms("never", {"body": "x"}, skip=True)
        step.sms("maybe", {"body": "y"}, skip=lambda controls: False)

    result = skippy.run("s1", {})
    assert result["step_results"] == {"never": {"skipped": True}, "maybe": {"body": "y"}}


def test_provider_overrides_get_controls_and_outputs_by_keyword() -> None:
    received: dict[str, Any] = {}

    def slack(*, controls: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
        received.update(controls=controls, outputs=outputs)
        return {"text": outputs["body"]}

    @workflow("chatty")
    def chatty(payload: Any, step: Any) -> None:
        step.chat(
            "chat",
            lambda c: {"body": c["body"]},
            control_schema={"type": "object", "properties": {"body": {"type": "string", "default": "hello"}}},
            providers={"slack": slack},
        )

    chatty.run("s1", {})
    assert received == {"controls": {"body": "hello"}, "outputs": {"body": "hello"}}
    assert chatty.discover()["steps"][0]["providers"][0]["type"] == "slack"


def test_disable_output_sanitization_alias() -> None:
    @workflow("raw-html")
    def raw_html(payload: Any, step: Any) -> None:
        step.email("email", {"subject": "s", "body": "<script>x()</script>"}, disableOutputSanitization=True)

    assert raw_html.run("s1", {})["step_results"]["email"]["body"] == "<script>x()</script>"
    assert raw_html.discover()["steps"][0]["options"] == {"disableOutputSanitization": True}


def test_user_exception_becomes_step_execution_failed_with_cause() -> None:
    class Boom(RuntimeError):
        pass

    @workflow("explodes")
    def explodes(payload: Any, step: Any) -> None:
        def resolver() -> dict[str, Any]:
            raise Boom("kaboom")

        step.sms("sms", resolver)

    with pytest.raises(StepExecutionFailedError) as info:
        explodes.run("s1", {})
    assert info.value.message == "Failed to execute Step with id: `sms`: kaboom"
    assert isinstance(info.value.__cause__, Boom)


def test_definition_errors_name_the_workflow_and_step() -> None:
    with pytest.raises(StepAlreadyExistsError) as dup:

        @workflow("dups")
        def dups(payload: Any, step: Any) -> None:
            step.sms("same", {"body": "a"})
            step.sms("same", {"body": "b"})

    assert "dups" in str(dup.value) and "`same`" in str(dup.value)

    with pytest.raises(InvalidWorkflowError) as provider:

        @workflow("bad-provider")
        def bad_provider(payload: Any, step: Any) -> None:
            step.email("mail", {"subject": "s", "body": "b"}, providers={"slack": lambda **_: {}})

    assert "bad-provider" in str(provider.value) and "`mail`" in str(provider.value)
    assert "slack" in str(provider.value)

    with pytest.raises(InvalidWorkflowError, match="payload_schema"):

        @workflow("bad-schema", {"type": "string"})
        def bad_schema(payload: Any, step: Any) -> None:
            pass

    with pytest.raises(TypeError, match="payload` and `step`"):

        @workflow("no-step")
        def no_step(payload: Any) -> None:
            pass

    with pytest.raises(
        TypeError,
        match=r"payload first, then the step \(`def swapped\(payload, step\)`\); it takes `\(step, payload\)`",
    ):

        @workflow("swapped")
        def swapped(step: Any, payload: Any) -> None:
            step.sms("sms", {"body": "b"})

    with pytest.raises(TypeError, match=r"`@workflow` needs the id: `@workflow\(\"bare\"\)`"):

        @workflow  # type: ignore[arg-type]
        def bare(payload: Any, step: Any) -> None:
            pass


def test_discovery_errors_from_user_code_name_the_workflow() -> None:
    with pytest.raises(InvalidWorkflowError, match="broken") as info:

        @workflow("broken")
        def broken(payload: Any, step: Any) -> None:
            raise KeyError("missing")

    assert isinstance(info.value.__cause__, KeyError)


def test_optional_keyword_parameters_are_passed_when_declared() -> None:
    seen: dict[str, Any] = {}

    @workflow("kw")
    def kw(payload: Any, step: Any, *, subscriber: dict[str, Any], controls: dict[str, Any]) -> None:
        seen.update(subscriber=subscriber, controls=controls)
        step.sms("sms", {"body": "x"})

    kw.run({"subscriberId": "s9", "email": "a@b.c"}, {})
    assert seen == {"subscriber": {"subscriberId": "s9", "email": "a@b.c"}, "controls": {}}


def test_serve_refuses_duplicates_and_strict_without_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from flask import Flask

    from novu_framework.flask import serve

    @workflow("twin")
    def a(payload: Any, step: Any) -> None:
        step.sms("s", {"body": "a"})

    @workflow("twin")
    def b(payload: Any, step: Any) -> None:
        step.sms("s", {"body": "b"})

    with pytest.raises(WorkflowAlreadyExistsError):
        serve(Flask("dups"), workflows=[a, b], client=Client(secret_key="k"))

    monkeypatch.delenv("NOVU_SECRET_KEY", raising=False)
    monkeypatch.delenv("NOVU_API_KEY", raising=False)
    monkeypatch.delenv("NOVU_STRICT_AUTHENTICATION_ENABLED", raising=False)
    with pytest.raises(MissingSecretKeyError, match="NOVU_SECRET_KEY"):
        serve(Flask("strict"), workflows=[a])
    # Strict authentication turned off: serving works without a key.
    serve(Flask("dev"), workflows=[a], client=Client(strict_authentication=False))


def test_client_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_API_KEY", "from-api-key")
    monkeypatch.delenv("NOVU_SECRET_KEY", raising=False)
    monkeypatch.setenv("NOVU_STRICT_AUTHENTICATION_ENABLED", "False")
    monkeypatch.setenv("NOVU_API_URL", "https://eu.api.novu.co/")
    monkeypatch.setenv("NODE_ENV", "production")
    client = Client()
    assert client.secret_key == "from-api-key"
    assert client.strict_authentication is False
    assert client.api_url == "https://eu.api.novu.co"
    monkeypatch.setenv("NOVU_SECRET_KEY", "from-secret-key")
    monkeypatch.delenv("NOVU_STRICT_AUTHENTICATION_ENABLED")
    monkeypatch.setenv("NODE_ENV", "development")
    client = Client()
    assert client.secret_key == "from-secret-key"
    assert client.strict_authentication is True
    assert Client(strict_authentication=False).strict_authentication is False
    assert "from-secret-key" not in repr(client)


def test_errors_are_novu_errors_with_code_and_status() -> None:
    @workflow("codes")
    def codes(payload: Any, step: Any) -> None:
        step.email("email", {"subject": "", "body": "b"})

    with pytest.raises(NovuError) as info:
        codes.run("s1", {})
    assert info.value.code == "ExecutionStateOutputInvalidError"
    assert info.value.status == 400
    assert info.value.data == [{"path": "/subject", "message": "must NOT have fewer than 1 characters"}]
