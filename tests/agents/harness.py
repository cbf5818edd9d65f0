"""Replays agent cases (the corpus's ``cases.json`` format) against two bridges, strict authentication on and
off, with the Novu API stand-in behind them, and compares what happened with the recording: the answer, every
call the bridge then made, and whether it still answers afterwards (rules of the corpus README, with
``deviations.json`` where upstream is buggy).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .standin import AgentsApiStandIn

HERE = Path(__file__).parent
SECRET = "ref-secret-key"
RECORDED_API = "http://127.0.0.1:4199"
RECORDED_FOREIGN = "http://127.0.0.1:4198"
FREE_HEADER_VALUES = {"user-agent", "novu-framework-sdk", "novu-framework-server"}


def load(name: str) -> Any:
    return json.loads((HERE / name).read_text())


def cases(name: str = "cases.json") -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = load(name)["cases"]
    return found


def deviations(name: str = "deviations.json") -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in load(name)["cases"]}


@dataclass
class Bridges:
    """Where the two bridges answer (``.../api/novu``), the stand-in they call, and how to tell that no turn
    is running any more (``None``: wait for a longer quiet spell instead)."""

    strict: str
    nostrict: str
    api: AgentsApiStandIn
    idle: Callable[[], bool] | None = None


@dataclass
class Outcome:
    status: int
    headers: dict[str, str]
    body_type: str
    body: Any
    ack_ms: float
    outbound: list[dict[str, Any]] = field(default_factory=list)
    settled: bool = True
    alive_after: bool = True


def request_text(case: dict[str, Any], api: AgentsApiStandIn) -> str | None:
    request = case["request"]
    if request["method"] != "POST" or "body" not in request:
        return None
    text = json.dumps(request["body"], ensure_ascii=False, separators=(",", ":"))
    return text.replace(RECORDED_API, api.api_url).replace(RECORDED_FOREIGN, api.foreign_url)


def signature(sign: dict[str, Any] | None, text: str | None) -> str | None:
    sign = sign or {"mode": "valid"}
    if sign["mode"] == "none":
        return None
    t = int(time.time() * 1000) + int(sign.get("tOffsetMs", 0))
    key = sign.get("secret", SECRET)
    payload = "{}" if text is None else text
    v1 = hmac.new(key.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={v1}"


def exchange(method: str, url: str, text: str | None, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        data = text.encode() if text is not None else None
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=data, headers=headers)
        res = conn.getresponse()
        raw = res.read().decode("utf-8", "replace")
        return res.status, {k.lower(): v for k, v in res.getheaders()}, raw
    finally:
        conn.close()


def send(base: str, case: dict[str, Any], api: AgentsApiStandIn) -> Outcome:
    """Sends a case's request and reads the answer."""
    request = case["request"]
    text = request_text(case, api)
    headers: dict[str, str] = {}
    if text is not None:
        headers["content-type"] = "application/json"
    sig = signature(request.get("sign"), text)
    if sig is not None:
        headers["novu-signature"] = sig
    query = urllib.parse.urlencode(request.get("query") or {})
    started = time.monotonic()
    status, got, raw = exchange(request["method"], f"{base}?{query}", text, headers)
    ack_ms = (time.monotonic() - started) * 1000
    recorded = case["response"]["headers"]
    kept = {name: got[name] for name in recorded if name in got}
    if raw == "":
        body_type, body = "empty", None
    else:
        try:
            body_type, body = "json", json.loads(raw)
        except ValueError:
            body_type, body = "text", raw
    return Outcome(status, kept, body_type, body, ack_ms)


def run(case: dict[str, Any], bridges: Bridges) -> Outcome:
    """Sends a case, waits until the bridge stopped calling the stand-in, then reads what it sent."""
    api = bridges.api
    api.reset()
    base = bridges.strict if case["bridge"] == "strict" else bridges.nostrict
    outcome = send(base, case, api)
    if bridges.idle is not None:
        deadline = time.monotonic() + 30
        while not bridges.idle() and time.monotonic() < deadline:
            time.sleep(0.01)
        outcome.settled = bridges.idle() and api.wait_quiet(0.15, 30)
    else:
        outcome.settled = api.wait_quiet(1.0, 30)
    outcome.outbound = [
        {
            "origin": e["origin"],
            "method": e["method"],
            "path": e["path"],
            "headers": {k: e["headers"][k] for k in ("authorization", "content-type") if k in e["headers"]},
            "body": e["body"],
            "answered": e.get("answered"),
        }
        for e in api.snapshot()
    ]
    try:
        status, _, _ = exchange("GET", f"{base}?action=health-check", None, {})
        outcome.alive_after = status == 200
    except OSError:
        outcome.alive_after = False
    return outcome


# Comparison.


def _type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"


@dataclass
class Volatile:
    """A case's ``volatile`` paths: values free (type only), or minted ids (same prefix, used consistently)."""

    free: list[re.Pattern[str]]
    ids: list[re.Pattern[str]]
    seen: dict[str, str] = field(default_factory=dict)
    seen_back: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, case: dict[str, Any]) -> Volatile:
        free, ids = [], []
        for path in case.get("volatile") or []:
            is_id = path.endswith("=id")
            pattern = re.escape(path.removesuffix("=id")).replace(r"\[\*\]", r"\[\d+\]")
            (ids if is_id else free).append(re.compile(pattern + r"(\..*|\[.*)?"))
        return cls(free, ids)


def compare_value(path: str, e: Any, a: Any, volatile: Volatile, out: list[str]) -> None:
    if any(p.fullmatch(path) for p in volatile.ids) and isinstance(e, str):
        prefix = e.split("_", 1)[0] + "_" if "_" in e else e
        if not isinstance(a, str) or not a.startswith(prefix) or ("_" in e and len(a) <= len(prefix)):
            out.append(f"{path}: expected an id like {e!r}, got {a!r}")
        elif volatile.seen.setdefault(e, a) != a or volatile.seen_back.setdefault(a, e) != e:
            out.append(f"{path}: id {a!r} is not used consistently (recorded {e!r})")
        return
    if any(p.fullmatch(path) for p in volatile.free):
        if _type(e) != _type(a):
            out.append(f"{path}: type {_type(e)} != {_type(a)} (value free)")
        return
    if _type(e) != _type(a):
        out.append(f"{path}: expected {json.dumps(e)[:300]}, got {json.dumps(a)[:300]}")
    elif isinstance(e, list):
        if len(e) != len(a):
            out.append(f"{path}: {len(e)} items expected, got {len(a)}: {json.dumps(a)[:300]}")
        for i, (x, y) in enumerate(zip(e, a, strict=False)):
            compare_value(f"{path}[{i}]", x, y, volatile, out)
    elif isinstance(e, dict):
        for k in e:
            if k not in a:
                out.append(f"{path}.{k}: missing (expected {json.dumps(e[k])[:200]})")
            else:
                compare_value(f"{path}.{k}", e[k], a[k], volatile, out)
        for k in a:
            if k not in e:
                out.append(f"{path}.{k}: unexpected ({json.dumps(a[k])[:200]})")
    elif e != a:
        out.append(f"{path}: expected {json.dumps(e)[:300]}, got {json.dumps(a)[:300]}")


def compare_response(case: dict[str, Any], got: Outcome, volatile: Volatile) -> list[str]:
    out: list[str] = []
    expected = case["response"]
    if expected["status"] != got.status:
        out.append(f"status: expected {expected['status']}, got {got.status}")
    for name, value in expected["headers"].items():
        mine = got.headers.get(name)
        if mine is None:
            out.append(f"headers.{name}: missing")
        elif name == "content-type":
            if value.split(";")[0].strip() != mine.split(";")[0].strip():
                out.append(f"headers.content-type: expected {value}, got {mine}")
        elif name not in FREE_HEADER_VALUES and value != mine:
            out.append(f"headers.{name}: expected {value}, got {mine}")
    if expected["bodyType"] != got.body_type:
        out.append(f"bodyType: expected {expected['bodyType']}, got {got.body_type}")
    body = got.body
    recorded = expected["body"].get("workflows") if isinstance(expected["body"], dict) else None
    if isinstance(body, dict) and isinstance(recorded, list) and all(w.keys() == {"workflowId"} for w in recorded):
        # Discover was recorded with each workflow reduced to its id.
        body = {**body, "workflows": [{"workflowId": w.get("workflowId")} for w in body.get("workflows", [])]}
    compare_value("response.body", expected["body"], body, volatile, out)
    return out


def _outbound_call(path: str, e: dict[str, Any], a: dict[str, Any], volatile: Volatile, out: list[str]) -> None:
    for key in ("origin", "method", "path"):
        if e[key] != a[key]:
            out.append(f"{path}.{key}: expected {e[key]!r}, got {a[key]!r}")
    expected_auth, got_auth = e["headers"].get("authorization"), a["headers"].get("authorization")
    if expected_auth != got_auth:
        out.append(f"{path}.authorization: expected {expected_auth!r}, got {got_auth!r}")
    media = (a["headers"].get("content-type") or "").split(";")[0].strip()
    if e["headers"].get("content-type", "").split(";")[0].strip() != media:
        out.append(f"{path}.content-type: expected {e['headers'].get('content-type')!r}, got {media!r}")
    if e.get("mockAnswered") is not None and e["mockAnswered"] != a["answered"]:
        out.append(f"{path}: stand-in answered {a['answered']}, recorded {e['mockAnswered']}")
    compare_value(f"{path}.body", e["body"], a["body"], volatile, out)


def compare(case: dict[str, Any], got: Outcome, deviation: dict[str, Any] | None = None) -> list[str]:
    """Differences between a recording and what happened (empty when they agree)."""
    deviation = deviation or {}
    volatile = Volatile.of(case)
    out: list[str] = []
    accepted = deviation.get("response", ["golden"])
    answers = []
    for alternative in accepted:
        if alternative == "golden":
            answers.append(compare_response(case, got, volatile))
        elif 400 <= got.status < 500 and (not alternative.get("json") or isinstance(got.body, dict)):
            answers.append([])
        else:
            answers.append([f"answer {got.status} is not a JSON 4xx"])
    if not any(not a for a in answers):
        out.extend(min(answers, key=len))
    refused = 400 <= got.status < 500 and case["response"]["status"] == 200
    expected = [] if refused else case["outbound"]
    actual = got.outbound
    mode = deviation.get("outbound", "golden")
    if mode == "no-secret-to-foreign":
        leaked = [c for c in actual if c["origin"] == "foreign" and "authorization" in c["headers"]]
        if leaked:
            out.append(f"the secret key went to the foreign origin: {leaked[0]['path']}")
        expected = (
            [] if not actual else [{**c, "headers": {"content-type": c["headers"]["content-type"]}} for c in expected]
        )
    if mode == "golden-prefix" and len(actual) > len(expected) and expected:
        last = expected[-1]
        extra = actual[len(expected) :]
        if any((c["method"], c["path"]) != (last["method"], last["path"]) for c in extra):
            out.append(f"calls after the recorded ones go elsewhere: {[c['path'] for c in extra]}")
        actual = actual[: len(expected)]
    if len(expected) != len(actual):
        seen = [f"{c['origin']} {c['path']} {json.dumps(c['body'])[:160]}" for c in actual]
        out.append(f"outbound: {len(expected)} calls expected, got {len(actual)}: {seen}")
    for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
        _outbound_call(f"outbound[{i}]", e, a, volatile, out)
    if not got.alive_after:
        out.append("the bridge did not answer a health check afterwards")
    if not got.settled:
        out.append("the bridge did not stop calling the stand-in")
    below = deviation.get("ackLatencyMsBelow")
    if below is not None and got.ack_ms >= below:
        out.append(f"the answer took {got.ack_ms:.0f} ms, not under {below} ms")
    return out
