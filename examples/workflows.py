"""Example workflows: the original project's order-shipped workflow and an onboarding welcome."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from novu_framework import workflow


class OrderShipped(BaseModel):
    order_id: str
    carrier: str = "DHL"


class ShippingEmail(BaseModel):
    subject: str = "Your order {{payload.order_id}} is on its way"
    show_tracking: bool = True


@workflow("order-shipped", description="Tells a customer their order left the warehouse", tags=["orders"])
def order_shipped(payload: OrderShipped, step: Any) -> None:
    step.in_app(
        "inbox",
        {"subject": "Order shipped", "body": f"Order {payload.order_id} shipped with {payload.carrier}"},
    )
    step.email(
        "email",
        lambda controls: {
            "subject": controls.subject,
            "body": f"<p>Shipped with {payload.carrier}.</p>"
            + ("<p>Track it in your account.</p>" if controls.show_tracking else ""),
        },
        control_schema=ShippingEmail,
    )


class Welcome(BaseModel):
    name: str = Field(default="friend", description="How to greet the subscriber")
    plan: str = "free"


@workflow(
    "welcome",
    name="Welcome",
    tags=["onboarding"],
    preferences={"channels": {"in_app": {"enabled": True}}},
)
def welcome(payload: Welcome, step: Any, subscriber: dict[str, Any]) -> None:
    step.in_app(
        "inbox",
        lambda controls: {"subject": controls["subject"], "body": controls["body"]},
        control_schema={
            "type": "object",
            "properties": {
                "subject": {"type": "string", "default": "Welcome, {{payload.name}}!"},
                "body": {"type": "string", "default": "You are on the {{payload.plan | upcase}} plan."},
            },
            "additionalProperties": False,
        },
    )
    digest = step.digest("wait-for-more", {"amount": 10, "unit": "minutes"})
    step.email(
        "welcome-email",
        lambda: {
            "subject": f"Welcome aboard, {payload.name}",
            "body": f"<h1>Hi {payload.name}</h1><p>{digest.get('eventCount', 1)} event(s) so far.</p>",
        },
    )


WORKFLOWS = [order_shipped, welcome]
