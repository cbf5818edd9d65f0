"""A small HTTP client for the bridge under test: any method, raw bodies, and `novu-signature` signing."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ROUTE = "/api/novu"

Query = str | Mapping[str, str] | Sequence[tuple[str, str]]


def now_ms() -> int:
    return int(time.time() * 1000)


def hmac_hex(secret: str, t: int | str, payload: str | bytes) -> str:
    """Lower-case hex HMAC-SHA256 of `<t>.<payload>`, as §3.3 step 5 defines it."""
    data = payload.encode() if isinstance(payload, str) else payload
    return hmac.new(secret.encode(), f"{t}.".encode() + data, hashlib.sha256).hexdigest()


def signature(secret: str, payload: str | bytes = "{}", t: int | None = None) -> str:
    """A `novu-signature` header value: `t=<ms>,v1=<hex>` (now unless `t` is given)."""
    t = now_ms() if t is None else t
    return f"t={t},v1={hmac_hex(secret, t, payload)}"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)

    def __repr__(self) -> str:
        return f"Answer({self.status}, {self.text[:500]!r})"


class Bridge:
    """The bridge at `<base>/api/novu`; `secret` is what `signed=True` signs with."""

    def __init__(self, base: str, secret: str) -> None:
        self.base = base
        self.secret = secret
        parts = urllib.parse.urlsplit(base)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80

    @property
    def url(self) -> str:
        return self.base + ROUTE

    def request(
        self,
        method: str,
        query: Query = "",
        body: Any = None,
        *,
        raw: str | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        signed: bool = False,
    ) -> Answer:
        """Sends one request. `body` is sent as compact JSON, `raw` as given; `signed` adds a valid
        `novu-signature` over the exact body text (`{}` without a body)."""
        if isinstance(query, str):
            qs = query
        else:
            qs = urllib.parse.urlencode(list(query.items()) if isinstance(query, Mapping) else list(query))
        data: bytes | None
        if raw is not None:
            data = raw.encode() if isinstance(raw, str) else raw
        elif body is not None:
            data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        else:
            data = None
        sent: dict[str, str] = {}
        if data is not None:
            sent["content-type"] = "application/json"
            sent["content-length"] = str(len(data))
        if signed:
            sent["novu-signature"] = signature(self.secret, data if data is not None and method == "POST" else "{}")
        for k, v in (headers or {}).items():
            sent[k.lower()] = v
        conn = http.client.HTTPConnection(self.host, self.port, timeout=15)
        try:
            conn.request(method, ROUTE + (f"?{qs}" if qs else ""), body=data, headers=sent)
            res = conn.getresponse()
            text = res.read().decode("utf-8", "replace")
            got = {k.lower(): v for k, v in res.getheaders()}
        finally:
            conn.close()
        return Answer(res.status, got, text)

    def get(self, query: Query = "", **kwargs: Any) -> Answer:
        return self.request("GET", query, **kwargs)

    def post(self, query: Query = "", body: Any = None, **kwargs: Any) -> Answer:
        return self.request("POST", query, body, **kwargs)

    def execute(self, workflow_id: str, step_id: str, body: Any = None, **kwargs: Any) -> Answer:
        return self.post({"action": "execute", "workflowId": workflow_id, "stepId": step_id}, body, **kwargs)

    def preview(self, workflow_id: str, step_id: str, body: Any = None, **kwargs: Any) -> Answer:
        return self.post({"action": "preview", "workflowId": workflow_id, "stepId": step_id}, body, **kwargs)

    def discover(self, **kwargs: Any) -> Any:
        answer = self.get({"action": "discover"}, **kwargs)
        assert answer.status == 200, answer
        return answer.json

    def discovered(self, workflow_id: str) -> dict[str, Any]:
        """One workflow's entry in `GET ?action=discover`."""
        entries = [w for w in self.discover()["workflows"] if w["workflowId"] == workflow_id]
        assert len(entries) == 1, f"{workflow_id} discovered {len(entries)} times"
        entry: dict[str, Any] = entries[0]
        return entry


def event(payload: Any = None, controls: Any = None, state: Any = None, **extra: Any) -> dict[str, Any]:
    """An execute/preview body as the platform sends it (`payload` `{}`, `controls` `{}`, `state` `[]` by
    default; pass `...` to leave a key out)."""
    body: dict[str, Any] = {
        "payload": {} if payload is None else payload,
        "controls": {} if controls is None else controls,
        "state": [] if state is None else state,
        "subscriber": {"subscriberId": "s1"},
    }
    body.update(extra)
    return {k: v for k, v in body.items() if v is not ...}


def assert_error(answer: Answer, status: int, code: str, message: str | None = None) -> dict[str, Any]:
    """The answer is the framework error shape with this status and code (and message); returns the body."""
    assert answer.status == status, answer
    body: dict[str, Any] = answer.json
    assert set(body) <= {"message", "data", "code"}, body
    assert isinstance(body.get("message"), str), body
    assert body["code"] == code, body
    if message is not None:
        assert body["message"] == message, body
    return body


def success(answer: Answer) -> dict[str, Any]:
    """The execute/preview result of a 200 answer."""
    assert answer.status == 200, answer
    body: dict[str, Any] = answer.json
    return body


def outputs(answer: Answer) -> Any:
    return success(answer)["outputs"]


def without_duration(body: Any) -> Any:
    if isinstance(body, dict) and isinstance(body.get("metadata"), dict):
        body = {**body, "metadata": {k: v for k, v in body["metadata"].items() if k != "duration"}}
    return body


def state_item(step_id: str, result: Any) -> dict[str, Any]:
    return {"stepId": step_id, "outputs": result, "state": {"status": "completed"}}


def render(bridge: Bridge, controls: dict[str, Any], payload: Any = None, **extra: Any) -> dict[str, Any]:
    """The compiled controls of the `liquid` workflow's `render` step (`custom-1` hydrated with n=7)."""
    body = event(
        payload={"name": "Bob"} if payload is None else payload,
        controls=controls,
        state=[state_item("custom-1", {"n": 7})],
        **extra,
    )
    compiled: dict[str, Any] = outputs(bridge.execute("liquid", "render", body))["controls"]
    return compiled


def echo(bridge: Bridge, workflow_id: str, controls: dict[str, Any]) -> Answer:
    """Executes the single step `s` of an echo workflow (its outputs are its controls)."""
    return bridge.execute(workflow_id, "s", event(controls=controls))
