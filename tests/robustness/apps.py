"""Shared pieces of the robustness tests: the workflows under attack, the apps serving them, request
signing and the invariants every answer must satisfy."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from novu_framework import Client, Workflow, workflow

SECRET = "sk-robustness-Zq8XvM2kP4nR7wT1"
"""The secret key of every bridge under test; it must never appear in a response."""

ROUTE = "/api/novu"
FRAMEWORKS = ["flask", "fastapi"]
HANG = 10.0
"""Seconds after which a refusal that should take a second or two is called a hang."""
TRACEBACK_MARKERS = ["Traceback", 'File "', '.py"', ".rs"]

PAYLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"name": {"type": "string", "default": "World"}, "count": {"type": "number", "default": 1}},
}
MESSAGE_CONTROLS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "subject": {"type": "string", "default": "Hi {{payload.name}} {{subscriber.firstName}}"},
        "body": {
            "type": "string",
            "default": "{{actor.firstName}} {{context.tenant.id}} {{env.name}} {{steps.compute.n}} {{payload.count}}",
        },
        "data": {"type": "object", "additionalProperties": True},
    },
}
COMPUTE_OUTPUT: dict[str, Any] = {"type": "object", "properties": {"n": {"type": "number"}}, "required": ["n"]}


def message(controls: Mapping[str, Any]) -> dict[str, Any]:
    return {"subject": str(controls.get("subject", "")), "body": str(controls.get("body", ""))}


def body_only(controls: Mapping[str, Any]) -> dict[str, Any]:
    return {"body": str(controls.get("body", ""))}


def never_skip(controls: Mapping[str, Any]) -> bool:
    return False


def compute() -> dict[str, Any]:
    return {"n": 3}


def build_workflows() -> list[Workflow]:
    """Workflows that take every optional argument and render every event field in their controls."""

    @workflow("hostile", PAYLOAD_SCHEMA)
    def hostile(
        payload: dict[str, Any],
        step: Any,
        subscriber: Any = None,
        context: Any = None,
        env: Any = None,
        controls: Any = None,
    ) -> None:
        step.custom("compute", compute, output_schema=COMPUTE_OUTPUT)
        step.in_app("inbox", message, control_schema=MESSAGE_CONTROLS)
        step.delay("wait", {"amount": 1, "unit": "seconds"})
        step.email("email", message, control_schema=MESSAGE_CONTROLS)
        step.sms("sms", body_only, control_schema=MESSAGE_CONTROLS, skip=never_skip)

    @workflow("hostile-async", PAYLOAD_SCHEMA)
    async def hostile_async(payload: dict[str, Any], step: Any, subscriber: Any = None) -> None:
        async def resolve(controls: Mapping[str, Any]) -> dict[str, Any]:
            return message(controls)

        await step.custom("compute", compute, output_schema=COMPUTE_OUTPUT)
        await step.email("email", resolve, control_schema=MESSAGE_CONTROLS)

    @workflow("no-schema")
    def no_schema(payload: dict[str, Any], step: Any) -> None:
        step.chat("chat", body_only, control_schema=MESSAGE_CONTROLS)

    @workflow("user-failures", {"type": "object", "properties": {"mode": {"type": "string", "default": "ok"}}})
    def user_failures(payload: dict[str, Any], step: Any) -> None:
        """A resolver that fails the way `payload.mode` says: user-code failures, not hostile requests."""

        def resolve(controls: Mapping[str, Any]) -> Any:
            mode = payload.get("mode")
            if mode == "raise":
                raise ValueError("boom from user code")
            if mode == "recurse":
                return resolve(controls)
            if mode == "not-json":
                return {"body": {1, 2}}
            if mode == "none":
                return None
            if mode == "huge":
                return {"body": "x" * 10_000_000}
            return {"body": "ok"}

        step.sms("fail", resolve)

    return [hostile, hostile_async, no_schema, user_failures]


WORKFLOWS = build_workflows()
WORKFLOW_IDS = [wf.workflow_id for wf in WORKFLOWS]


def make_client(strict: bool, api_url: str = "http://127.0.0.1:9", max_body_bytes: int | None = None) -> Client:
    return Client(secret_key=SECRET, strict_authentication=strict, api_url=api_url, max_body_bytes=max_body_bytes)


def make_app(framework: str, client: Client, workflows: list[Workflow] | None = None) -> Any:
    """A Flask or FastAPI app serving ``workflows`` (default: the hostile ones) at ``ROUTE``."""
    served = WORKFLOWS if workflows is None else workflows
    if framework == "flask":
        from flask import Flask

        from novu_framework.flask import serve as serve_flask

        flask_app = Flask("robustness")
        serve_flask(flask_app, route=ROUTE, workflows=served, client=client)
        return flask_app
    if framework == "fastapi":
        from fastapi import FastAPI

        from novu_framework.fastapi import serve as serve_fastapi

        fastapi_app = FastAPI()
        serve_fastapi(fastapi_app, route=ROUTE, workflows=served, client=client)
        return fastapi_app
    raise ValueError(f"unknown framework {framework!r}")


def signature(body: bytes | None, secret: str = SECRET, t_ms: int | None = None) -> str:
    """A valid ``novu-signature`` over the raw body bytes (``{}`` without a body), as Novu signs."""
    t = int(time.time() * 1000) if t_ms is None else t_ms
    signed = b"{}" if body is None else body
    v1 = hmac.new(secret.encode(), f"{t}.".encode() + signed, hashlib.sha256).hexdigest()
    return f"t={t},v1={v1}"


@dataclass
class Answer:
    """A response as the tests inspect it."""

    status: int
    headers: dict[str, str]
    raw: bytes
    method: str = "GET"
    json: Any = field(default=None)
    json_error: str | None = None

    @classmethod
    def of(cls, status: int, headers: Mapping[str, str], raw: bytes, method: str = "GET") -> Answer:
        answer = cls(status, {k.lower(): v for k, v in headers.items()}, raw, method)
        try:
            answer.json = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            answer.json_error = str(e)
        return answer

    def describe(self) -> str:
        text = self.raw[:600].decode("utf-8", "replace")
        return f"status {self.status}, content-type {self.headers.get('content-type')!r}, body {text!r}"


def check_answer(
    answer: Answer,
    *,
    strict: bool,
    local: bool = False,
    allow_user_failure: bool = False,
) -> None:
    """The invariants of every answer: no library 5xx, JSON with the error shape, no traceback under strict
    authentication, never the secret key."""
    text = answer.raw.decode("utf-8", "replace")
    assert SECRET not in text, f"the secret key leaked: {answer.describe()}"
    assert SECRET not in json.dumps(answer.headers), f"the secret key leaked in a header: {answer.headers}"
    if not allow_user_failure:
        assert answer.status < 500, f"server error: {answer.describe()}"
    content_type = answer.headers.get("content-type", "")
    assert content_type.split(";")[0].strip() == "application/json", f"not JSON: {answer.describe()}"
    if answer.method == "HEAD":
        assert answer.raw == b"", f"HEAD answered with a body: {answer.describe()}"
        return
    assert answer.json_error is None, f"body is not JSON ({answer.json_error}): {answer.describe()}"
    if answer.status >= 400:
        body = answer.json
        assert isinstance(body, dict), f"error body is not an object: {answer.describe()}"
        text_key = "detail" if local else "message"
        assert isinstance(body.get(text_key), str) and body[text_key], f"no `{text_key}`: {answer.describe()}"
        assert isinstance(body.get("code"), str) and body["code"], f"no `code`: {answer.describe()}"
    if strict:
        for marker in TRACEBACK_MARKERS:
            assert marker not in text, f"traceback text {marker!r} under strict authentication: {answer.describe()}"


def _encode(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("latin-1")


def send(
    base_url: str,
    method: str,
    target: str | bytes,
    body: bytes | None = None,
    headers: list[tuple[str, str | bytes]] | None = None,
    *,
    chunked: bool = False,
    timeout: float = 30.0,
) -> Answer:
    """Sends one request over a raw socket, so that anything (duplicate headers, raw bytes in the request
    line and in header values, chunked bodies) can be sent as it is; returns the parsed answer."""
    import http.client
    import socket
    import urllib.parse

    url = urllib.parse.urlsplit(base_url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    lines = [_encode(method) + b" " + _encode(target) + b" HTTP/1.1", f"Host: {host}:{port}".encode()]
    names = {name.lower() for name, _ in headers or []}
    for name, value in headers or []:
        lines.append(_encode(name) + b": " + _encode(value))
    if body is not None and "content-type" not in names:
        lines.append(b"Content-Type: application/json")
    if chunked:
        lines.append(b"Transfer-Encoding: chunked")
    elif body is not None and "content-length" not in names:
        lines.append(f"Content-Length: {len(body)}".encode())
    lines.append(b"Connection: close")
    payload = b"\r\n".join(lines) + b"\r\n\r\n"
    if body is not None:
        if chunked:
            step = 64 * 1024
            for i in range(0, len(body), step):
                piece = body[i : i + step]
                payload += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
            payload += b"0\r\n\r\n"
        else:
            payload += body
    with socket.create_connection((host, port), timeout=timeout) as sock:
        # The server may answer (413) and close before reading everything; its answer is read below.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(payload)
        response = http.client.HTTPResponse(sock, method=method.upper())
        response.begin()
        raw = response.read()
        return Answer.of(response.status, dict(response.getheaders()), raw, method.upper())


class HealthProbe:
    """Sends health checks back to back from a thread until stopped; records each answer."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.answers: list[Answer] = []
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.answers.append(send(self.base, "GET", f"{ROUTE}?action=health-check", timeout=HANG * 2))
            except BaseException as e:
                self.errors.append(e)
            time.sleep(0.01)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # Let at least one probe finish after the hostile request was answered.
        count = len(self.answers) + len(self.errors)
        deadline = time.monotonic() + HANG * 2
        while len(self.answers) + len(self.errors) <= count and time.monotonic() < deadline:
            time.sleep(0.01)
        self._stop.set()
        self._thread.join(timeout=HANG * 2)
