"""The project's notification workflows."""

from typing import Any

from novu_framework import workflow

WELCOME = {"type": "object", "properties": {"name": {"type": "string", "default": "friend"}}}


@workflow("welcome", WELCOME, tags=["onboarding"])
def welcome(payload: dict[str, Any], step: Any) -> None:
    step.in_app("inbox", lambda: {"body": f"Welcome, {payload['name']}!"})
    step.email("email", lambda controls: {"subject": "Welcome", "body": f"<p>Hi {payload['name']}</p>"})


@workflow("weekly-digest")
async def weekly_digest(payload: dict[str, Any], step: Any) -> None:
    digest = await step.digest("collect", {"amount": 7, "unit": "days"})
    await step.email("summary", lambda: {"subject": f"{digest['eventCount']} updates", "body": "<p>Your week</p>"})


WORKFLOWS = [welcome, weekly_digest]
