"""Shared checks and call helpers for the Novu API tests."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid
from typing import Any

from novu_framework import Client, TriggerResult, Workflow

from .standin import Recorded

SECRET = "sk-test-4f2a"
TRIGGER_PATH = "/v1/events/trigger"

MODES = ["sync", "async"]
"""How the caller triggers: ``workflow.trigger()`` or ``await workflow.trigger_async()``."""


def trigger(mode: str, wf: Workflow, *args: Any, **kwargs: Any) -> TriggerResult:
    """Triggers `wf` as a sync caller or from inside a running event loop."""
    if mode == "sync":
        return wf.trigger(*args, **kwargs)

    async def go() -> TriggerResult:
        return await wf.trigger_async(*args, **kwargs)

    return asyncio.run(go())


def cancel(mode: str, result: TriggerResult) -> Any:
    if mode == "sync":
        return result.cancel()

    async def go() -> Any:
        return await result.cancel_async()

    return asyncio.run(go())


def assert_api_headers(request: Recorded, secret: str = SECRET) -> None:
    """§15: every call carries `Authorization: ApiKey <secret>` and `Content-Type: application/json`, once."""
    assert request.headers.get("authorization") == f"ApiKey {secret}", request.headers
    assert request.header_count("authorization") == 1, request.header_list
    content_type = request.headers.get("content-type", "")
    assert content_type.split(";")[0].strip().lower() == "application/json", request.headers
    assert request.header_count("content-type") == 1, request.header_list


def assert_trigger_request(request: Recorded, expected: dict[str, Any], secret: str = SECRET) -> None:
    """A `POST /v1/events/trigger` whose JSON body equals `expected`, keys in the same order."""
    assert (request.method, request.path) == ("POST", TRIGGER_PATH)
    assert_api_headers(request, secret)
    assert isinstance(request.json, dict), request.raw
    assert list(request.json) == list(expected), f"key order {list(request.json)} != {list(expected)}"
    assert request.json == expected
    assert request.headers.get("content-length") == str(len(request.raw))


def assert_uuid4(value: Any) -> None:
    assert isinstance(value, str), value
    parsed = uuid.UUID(value)
    assert parsed.version == 4 and str(parsed) == value.lower(), value


def keyed_client(url: str, *, timeout: float = 2.0, retries: int = 2) -> Client:
    return Client(secret_key=SECRET, api_url=url, api_timeout=timeout, retries=retries)


def http_json(method: str, url: str, body: Any = None, timeout: float = 10.0) -> tuple[int, Any]:
    """A plain HTTP call to an app under test; returns (status, parsed JSON body)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")
