"""Workflows and HTTP helpers shared by the adapter tests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from novu_framework import Client, workflow
from novu_framework.testing import sign

SECRET = "sk-adapters"
STRICT = Client(secret_key=SECRET, strict_authentication=True)
OPEN = Client(strict_authentication=False)


@workflow("greet", {"type": "object", "properties": {"name": {"type": "string", "default": "Ada"}}})
def greet(payload: dict[str, Any], step: Any) -> None:
    step.email("email", lambda: {"subject": f"Hi {payload['name']}", "body": "<p>Hello</p>"})


@workflow("greet-async")
async def greet_async(payload: dict[str, Any], step: Any) -> None:
    await step.in_app("inbox", {"body": "Hello"})


WORKFLOWS = [greet, greet_async]


def call(
    url: str, body: Any = None, *, method: str | None = None, signed: str | None = None
) -> tuple[int, dict[str, str], Any]:
    """One request; `signed` is the secret to sign it with. Returns status, headers and the parsed JSON."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"content-type": "application/json"} if data is not None else {}
    if signed:
        headers["novu-signature"] = sign(data, signed)
    request = urllib.request.Request(url, data=data, headers=headers, method=method or ("POST" if data else "GET"))
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            raw, status, answer_headers = answer.read(), answer.status, dict(answer.headers)
    except urllib.error.HTTPError as e:
        raw, status, answer_headers = e.read(), e.code, dict(e.headers)
    lowered = {k.lower(): v for k, v in answer_headers.items()}
    return status, lowered, json.loads(raw) if lowered.get("content-type", "").startswith("application/json") else raw


def check_bridge(base: str, *, secret: str | None = None) -> None:
    """The bridge at `base` answers the health check, discover and a local run, and JSON 404s below it."""
    status, headers, health = call(base)
    assert status == 200 and health["discovered"] == {"workflows": 2, "steps": 2}, health
    assert headers["novu-framework-version"] == "2024-06-26"
    status, _, doc = call(f"{base}?action=discover", signed=secret)
    assert status == 200 and [w["workflowId"] for w in doc["workflows"]] == ["greet", "greet-async"]
    for workflow_id in ("greet", "greet-async"):
        status, _, run = call(f"{base}/workflows/{workflow_id}/execute", {"to": "s-1", "payload": {}}, signed=secret)
        assert status == 200 and run["status"] == "completed", run
    status, _, missing = call(f"{base}/not-a-route/", signed=secret)
    assert status == 404 and missing["code"] == "NotFoundError", missing
