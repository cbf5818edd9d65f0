"""Discovery runs the workflow function once, when it is defined, with a payload holding every property its
schema declares (defaults first, else a valid mock value, nested objects too), so ordinary code reading the
payload runs; when the function still raises, the error says what raised and what discovery does."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from novu_framework import workflow
from novu_framework.errors import InvalidWorkflowError


def test_a_dict_payload_holds_every_declared_property_during_discovery() -> None:
    seen: list[dict[str, Any]] = []
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "default": "friend"},
            "email": {"type": "string", "format": "email"},
            "order": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "total": {"type": "number", "minimum": 1}},
                "required": ["id"],
            },
            "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}},
        },
    }

    @workflow("order-placed", schema)
    def order_placed(payload: dict[str, Any], step: Any) -> None:
        seen.append(payload)
        subject = f"{payload['name']}: order {payload['order']['id']} ({payload['order']['total']})"
        step.email("email", {"subject": subject, "body": f"<p>{payload['items'][0]['sku']}</p>"})

    assert seen == [
        {
            "name": "friend",
            "email": "user@example.com",
            "order": {"id": "[placeholder]", "total": 1},
            "items": [{"sku": "[placeholder]"}],
        }
    ]
    # The real run sees the real payload, with the schema's defaults applied.
    full = {"order": {"id": "A-1", "total": 5}, "items": [{"sku": "X"}]}
    result = order_placed.run("s1", full)
    assert result["step_results"]["email"]["subject"] == "friend: order A-1 (5)"


class Address(BaseModel):
    city: str = "Paris"
    zip_code: str


class Line(BaseModel):
    sku: str
    quantity: int = 1


class Order(BaseModel):
    order_id: str
    note: str | None = None
    address: Address
    lines: list[Line]


def test_a_pydantic_payload_is_a_model_with_nested_models_during_discovery() -> None:
    seen: list[Any] = []

    @workflow("shipped")
    def shipped(payload: Order, step: Any) -> None:
        seen.append(payload)
        step.in_app("inbox", {"body": f"{payload.order_id} to {payload.address.city}, {payload.lines[0].sku}"})

    assert len(seen) == 1
    discovered = seen[0]
    assert isinstance(discovered, Order) and isinstance(discovered.address, Address)
    assert discovered.note is None and discovered.address.city == "Paris"
    assert discovered.lines[0].quantity == 1
    assert shipped.discover()["steps"][0]["stepId"] == "inbox"


def test_the_readme_kind_of_async_workflow_defines_without_error() -> None:
    @workflow("welcome", {"type": "object", "properties": {"name": {"type": "string", "default": "friend"}}})
    async def welcome(payload: dict[str, Any], step: Any) -> None:
        await step.in_app("inbox", {"body": f"Welcome, {payload['name']}!"})

    assert welcome.run("s1", {"name": "Ada"})["step_results"]["inbox"]["body"] == "Welcome, Ada!"


def test_a_function_that_still_raises_gets_an_error_explaining_discovery() -> None:
    with pytest.raises(InvalidWorkflowError) as info:

        @workflow("strict-name", {"type": "object", "properties": {"name": {"type": "string"}}})
        def strict_name(payload: dict[str, Any], step: Any) -> None:
            if payload["name"] == "[placeholder]":
                raise ValueError("the name looks like a placeholder")
            step.sms("sms", {"body": payload["name"]})

    message = str(info.value)
    assert "Workflow `strict-name`" in message
    assert "raised ValueError: the name looks like a placeholder" in message
    assert "Discovery calls the function once" in message and "mock payload" in message
    assert "without running their resolvers" in message
    assert isinstance(info.value.__cause__, ValueError)


def test_an_exception_without_a_message_is_named_by_its_type() -> None:
    class NotReady(Exception):
        pass

    with pytest.raises(InvalidWorkflowError, match=r"raised NotReady while its steps were being discovered"):

        @workflow("not-ready")
        def not_ready(payload: Any, step: Any) -> None:
            raise NotReady


def test_step_results_hold_every_declared_property_during_discovery() -> None:
    seen: dict[str, Any] = {}

    @workflow("digest-then-email")
    def digest_then_email(payload: Any, step: Any) -> None:
        digest = step.digest("collect", {"amount": 5, "unit": "minutes"})
        count = digest["eventCount"]  # outside any resolver: runs during discovery
        seen["digest"] = digest
        seen["inbox"] = step.in_app("inbox", {"body": f"{count} new"})
        seen["custom"] = step.custom(
            "score", lambda: {"score": 1}, output_schema={"type": "object", "properties": {"score": {"type": "number"}}}
        )

    assert seen == {
        "digest": {"events": [{"id": "[placeholder]", "time": "[placeholder]", "payload": {}}], "eventCount": 0},
        "inbox": {
            "seen": False,
            "read": False,
            "lastSeenDate": "1970-01-01T00:00:00.000Z",
            "lastReadDate": "1970-01-01T00:00:00.000Z",
        },
        "custom": {"score": 0},
    }
    assert digest_then_email.run("s1", {})["step_results"]["inbox"] == {"body": "1 new"}
