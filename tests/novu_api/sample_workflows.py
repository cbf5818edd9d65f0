"""Workflows the Novu API tests trigger, and a module `novu-framework discover` lists.

- ``signup``: a JSON Schema payload with a required field and defaults.
- ``invoice``: a pydantic payload model with a default.
- ``free_form``: no payload schema (the payload is sent as given).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from novu_framework import workflow

SIGNUP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "plan": {"type": "string", "default": "free"},
        "seats": {"type": "integer", "minimum": 1, "default": 1},
    },
    "required": ["name"],
    "additionalProperties": False,
}


@workflow("api-signup", SIGNUP_SCHEMA, name="Signup", tags=["onboarding", "api-tests"])
def signup(payload: dict[str, Any], step: Any) -> None:
    step.in_app("inbox", {"subject": "Hi", "body": f"Welcome {payload['name']}"})
    step.email(
        "welcome-email",
        lambda controls: {"subject": controls["subject"], "body": "<p>Welcome</p>"},
        control_schema={
            "type": "object",
            "properties": {"subject": {"type": "string", "default": "Welcome!"}},
            "additionalProperties": False,
        },
    )


class Invoice(BaseModel):
    amount: float
    currency: str = "EUR"


@workflow("api-invoice", description="An invoice is due")
def invoice(payload: Invoice, step: Any) -> None:
    step.sms("text", {"body": f"{payload.amount} {payload.currency} due"})


@workflow("api-free-form")
def free_form(payload: dict[str, Any], step: Any) -> None:
    step.chat("chat", {"body": "ping"})


ALL = [signup, invoice, free_form]
NOT_A_WORKFLOW = "just a string"
