"""Malformed and hostile requests against real HTTP servers on loopback (Flask/Werkzeug and
FastAPI/uvicorn), with strict authentication on and off: every answer is JSON with the error shape and
the right status, never a 5xx from the library, never a traceback under strict authentication, never the
secret key, never a hang.

Requests are signed correctly over their raw bytes (as Novu signs), so the body parsing paths are reached
with strict authentication on too.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from ..support import NovuApiStandIn, serve_app
from .apps import (
    FRAMEWORKS,
    HANG,
    ROUTE,
    SECRET,
    Answer,
    HealthProbe,
    check_answer,
    make_app,
    make_client,
    send,
    signature,
)

LIMIT = 256 * 1024
"""The body size limit of the servers in this module (small, to keep the oversized cases fast)."""

EXECUTE = f"{ROUTE}?action=execute&workflowId=hostile&stepId=email"
PREVIEW = f"{ROUTE}?action=preview&workflowId=hostile&stepId=email"
TRIGGER = f"{ROUTE}?action=trigger&workflowId=hostile"
LOCAL = f"{ROUTE}/workflows/hostile/execute"
HEALTH = f"{ROUTE}?action=health-check"
DISCOVER = f"{ROUTE}?action=discover"

IN_APP_RESULT = {"seen": False, "read": False, "lastSeenDate": None, "lastReadDate": None}
STATE_BEFORE_EMAIL: list[dict[str, Any]] = [
    {"stepId": "compute", "outputs": {"n": 1}, "state": {"status": "completed"}},
    {"stepId": "inbox", "outputs": IN_APP_RESULT, "state": {"status": "completed"}},
    {"stepId": "wait", "outputs": {"duration": 0}, "state": {"status": "completed"}},
]


def event(**fields: Any) -> dict[str, Any]:
    """A valid execute/preview event targeting `hostile`/`email`, with `fields` replaced."""
    base: dict[str, Any] = {
        "payload": {"name": "Ada", "count": 2},
        "controls": {"subject": "Hello {{payload.name}}", "body": "<p>{{subscriber.firstName}}</p>"},
        "state": [dict(item) for item in STATE_BEFORE_EMAIL],
        "subscriber": {"subscriberId": "sub-1", "firstName": "Ada"},
        "context": {"tenant": {"id": "t1", "data": {}}},
        "env": {"name": "dev", "type": "dev"},
        "actor": {"subscriberId": "actor-1", "firstName": "Bob"},
    }
    base.update(fields)
    return base


def compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.fixture(scope="module", params=FRAMEWORKS)
def framework(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module", params=[True, False], ids=["strict", "lax"])
def strict(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture(scope="module")
def base_url(framework: str, strict: bool) -> Iterator[str]:
    with NovuApiStandIn(SECRET) as api:
        client = make_client(strict, api_url=api.url, max_body_bytes=LIMIT)
        with serve_app(framework, make_app(framework, client)) as base:
            yield base


@dataclass(frozen=True)
class Case:
    """One request and what its answer must be (beyond the invariants of every answer)."""

    id: str
    method: str
    target: str | bytes
    body: bytes | None = None
    headers: list[tuple[str, str | bytes]] = field(default_factory=list)
    sign: bool = True
    chunked: bool = False
    expect: tuple[int, ...] | None = None
    """Accepted statuses whatever the authentication mode; `None` accepts any status below 500."""
    expect_strict: tuple[int, ...] | None = None
    """Accepted statuses with strict authentication on (overrides `expect`)."""
    code: str | None = None
    """The error code the answer must carry."""
    server_may_refuse: bool = False
    """The request is not valid HTTP (raw non-ASCII bytes in the request line): the HTTP server itself may
    refuse it with a 4xx before the library sees it."""

    @property
    def local(self) -> bool:
        return isinstance(self.target, str) and self.target.startswith(f"{ROUTE}/workflows/")


def run_case(base_url: str, case: Case, strict: bool) -> Answer:
    headers = list(case.headers)
    if case.sign:
        headers.append(("novu-signature", signature(case.body if case.method == "POST" else None)))
    answer = send(base_url, case.method, case.target, case.body, headers, chunked=case.chunked)
    if case.server_may_refuse and "novu-framework-sdk" not in answer.headers:
        assert 400 <= answer.status < 500, f"the HTTP server answered: {answer.describe()}"
        assert SECRET.encode() not in answer.raw, answer.describe()
        return answer
    check_answer(answer, strict=strict, local=case.local)
    expected = case.expect_strict if strict and case.expect_strict is not None else case.expect
    if expected is not None:
        assert answer.status in expected, f"expected a status in {expected}: {answer.describe()}"
    if case.code is not None:
        assert isinstance(answer.json, dict) and answer.json.get("code") == case.code, (
            f"expected code {case.code}: {answer.describe()}"
        )
    return answer


# Bodies: invalid JSON, JSON that is not an object, bad bytes, sizes, numbers, nesting.

INVALID_JSON: dict[str, bytes] = {
    "truncated": b'{"payload":',
    "open-brace": b"{",
    "close-brace": b"}",
    "trailing-comma": b'{"payload":{},}',
    "single-quotes": b"{'payload':{}}",
    "unquoted-keys": b"{payload:{}}",
    "nan": b'{"payload":{"n":NaN}}',
    "infinity": b'{"payload":{"n":Infinity}}',
    "hex-number": b'{"payload":{"n":0x10}}',
    "leading-zero": b'{"payload":{"n":012}}',
    "plus-number": b'{"payload":{"n":+1}}',
    "comment": b'{"payload":{}} // comment',
    "block-comment": b'/* c */ {"payload":{}}',
    "trailing-garbage": b'{"payload":{}}x',
    "two-documents": b"{}{}",
    "undefined": b"undefined",
    "bad-escape": b'{"payload":{"name":"\\q"}}',
    "raw-control-char": b'{"payload":{"name":"a\x01b"}}',
    "raw-newline-in-string": b'{"payload":{"name":"a\nb"}}',
    "unterminated-string": b'{"payload":{"name":"abc',
    "xml": b"<event><payload/></event>",
    "form-encoded": b"payload=1&controls=2",
    "just-a-quote": b'"',
    "lone-high-surrogate": b'{"payload":{"name":"\\ud800"}}',
    "lone-low-surrogate": b'{"payload":{"name":"\\udc00x"}}',
    "nul-after-document": b'{"payload":{}}\x00',
    "nul-only": b"\x00",
    "raw-nul-in-string": b'{"payload":{"name":"a\x00b"}}',
    "nul-between-tokens": b'{"payload":\x00{}}',
    "unclosed-deep-array": b"[" * 100_000,
}
NOT_AN_OBJECT: dict[str, bytes] = {
    "null": b"null",
    "zero": b"0",
    "number": b"-12.5e3",
    "string": b'"payload"',
    "empty-string": b'""',
    "true": b"true",
    "false": b"false",
    "empty-array": b"[]",
    "array-of-event": b'[{"payload":{}}]',
    "array-of-numbers": b"[1,2,3]",
}
NOT_UTF8: dict[str, bytes] = {
    "utf16-le-bom": "\ufeff{}".encode("utf-16-le"),
    "utf16-be": '{"payload":{}}'.encode("utf-16-be"),
    "ff-fe-prefix": b"\xff\xfe" + compact(event()),
    "latin1-in-string": compact(event()).replace(b'"Ada"', b'"caf\xe9"', 1),
    "overlong-slash": compact(event()).replace(b'"Ada"', b'"\xc0\xaf"', 1),
    "cesu-surrogate": compact(event()).replace(b'"Ada"', b'"\xed\xa0\x80"', 1),
    "truncated-sequence": compact(event()).replace(b'"Ada"', b'"\xe2\x82"', 1),
    "byte-ff-in-key": b'{"\xff":1}',
}


def nested(depth: int, open_: str = "[", close: str = "]") -> bytes:
    return (open_ * depth + close * depth).encode()


def nested_objects(depth: int) -> bytes:
    return ('{"a":' * depth + "1" + "}" * depth).encode()


def deep_payload(depth: int) -> bytes:
    """An event whose payload holds `depth` nested objects (the body itself is depth + 2 deep)."""
    text = compact(event(payload={"name": "Ada", "deep": "X"})).decode()
    return text.replace('"X"', '{"a":' * depth + "1" + "}" * depth).encode()


TOO_DEEP: dict[str, bytes] = {
    "arrays-129": nested(129),
    "arrays-200": nested(200),
    "arrays-100000": nested(100_000),
    "objects-129": nested_objects(129),
    "objects-30000": nested_objects(30_000),
    "payload-129-deep": deep_payload(129),
}


def over_limit(extra: int) -> bytes:
    """A valid event padded past the module's size limit by `extra` bytes."""
    text = compact(event(payload={"name": "X", "count": 1}))
    pad = LIMIT + extra - len(text)
    return text.replace(b'"X"', b'"' + b"x" * (pad + 1) + b'"', 1)


def big_keys(n: int) -> dict[str, int]:
    return {f"k{i}": i for i in range(n)}


ODD_BUT_VALID: dict[str, bytes] = {
    "bom-prefixed": b"\xef\xbb\xbf" + compact(event()),
    "escaped-nul-in-string": compact(event(payload={"name": "a\x00b"})),
    "whitespace-only": b" \t\r\n ",
    "empty-object": b"{}",
    "unicode-everywhere": compact(event(payload={"name": "\u202e\U0001f600\u2028\u0301é中"})),
    "escaped-unicode": compact(event()).replace(b'"Ada"', b'"\\u00e9\\ud83d\\ude00"', 1),
    "number-1e400": compact(event()).replace(b'"count":2', b'"count":1e400', 1),
    "number-minus-1e400": compact(event()).replace(b'"count":2', b'"count":-1e400', 1),
    "number-1e-400": compact(event()).replace(b'"count":2', b'"count":1e-400', 1),
    "number-minus-zero": compact(event()).replace(b'"count":2', b'"count":-0', 1),
    "number-minus-zero-float": compact(event()).replace(b'"count":2', b'"count":-0.0', 1),
    "number-big-int": compact(event()).replace(b'"count":2', b'"count":12345678901234567890123', 1),
    "number-10k-digits": compact(event()).replace(b'"count":2', b'"count":' + b"9" * 10_000, 1),
    "number-long-fraction": compact(event()).replace(b'"count":2', b'"count":0.' + b"1" * 10_000, 1),
    "number-huge-exponent": compact(event()).replace(b'"count":2', b'"count":1e99999999999999999999', 1),
    "number-max-double": compact(event()).replace(b'"count":2', b'"count":1.7976931348623157e308', 1),
    "duplicate-top-level-keys": compact(event()).replace(b"{", b'{"payload":{"name":5},"state":"x",', 1),
    "duplicate-nested-keys": compact(event()).replace(b'{"name":"Ada"', b'{"name":"Ada","name":[1]', 1),
    "payload-10k-keys": compact(event(payload={"name": "Ada", **big_keys(10_000)})),
    "controls-10k-keys": compact(event(controls={"subject": "s", "body": "b", **big_keys(10_000)})),
    "subscriber-10k-keys": compact(event(subscriber={"subscriberId": "s", **big_keys(10_000)})),
    "state-10k-items": compact(event(state=STATE_BEFORE_EMAIL + [{"stepId": str(i)} for i in range(10_000)])),
    "long-string-200k": compact(event(payload={"name": "x" * 200_000})),
    "long-control-200k": compact(event(controls={"subject": "s", "body": "{{payload.name}}" * 12_000})),
    "long-key-100k": compact(event(payload={"name": "Ada", "k" * 100_000: 1})),
    "payload-100-deep": deep_payload(100),
}

BODY_GROUPS: dict[str, tuple[dict[str, bytes], tuple[int, ...] | None]] = {
    "invalid-json": (INVALID_JSON, (400,)),
    "not-an-object": (NOT_AN_OBJECT, (400,)),
    "not-utf8": (NOT_UTF8, (400,)),
    "too-deep": (TOO_DEEP, (400,)),
    "odd-but-valid": (ODD_BUT_VALID, None),
}
BODY_TARGETS = {"execute": EXECUTE, "preview": PREVIEW, "trigger": TRIGGER, "local": LOCAL}


def body_cases() -> list[Case]:
    cases = []
    for group, (bodies, expect) in BODY_GROUPS.items():
        for name, body in bodies.items():
            for target_name, target in BODY_TARGETS.items():
                cases.append(Case(f"{group}-{name}-{target_name}", "POST", target, body, expect=expect))
    for target_name, target in BODY_TARGETS.items():
        for extra in (1, 64 * 1024):
            body = over_limit(extra)
            cases.append(
                Case(
                    f"over-limit-by-{extra}-{target_name}",
                    "POST",
                    target,
                    body,
                    expect=(413,),
                    code="PayloadTooLargeError",
                )
            )
            cases.append(
                Case(
                    f"over-limit-by-{extra}-chunked-{target_name}",
                    "POST",
                    target,
                    body,
                    chunked=True,
                    expect=(413,),
                    code="PayloadTooLargeError",
                )
            )
            cases.append(
                Case(
                    f"over-limit-by-{extra}-unsigned-{target_name}",
                    "POST",
                    target,
                    body,
                    sign=False,
                    expect=(413,),
                    expect_strict=(401, 413),
                )
            )
        cases.append(Case(f"at-limit-{target_name}", "POST", target, over_limit(0), expect=None))
    return cases


@pytest.mark.parametrize("case", body_cases(), ids=lambda c: c.id)
def test_hostile_body(base_url: str, strict: bool, case: Case) -> None:
    run_case(base_url, case, strict)


def test_nesting_error_names_the_limit(base_url: str, strict: bool) -> None:
    answer = run_case(base_url, Case("deep", "POST", EXECUTE, nested(129), expect=(400,)), strict)
    assert "128" in answer.json["message"], answer.describe()


def test_size_error_names_the_limit(base_url: str, strict: bool) -> None:
    answer = run_case(base_url, Case("big", "POST", EXECUTE, over_limit(1), expect=(413,)), strict)
    assert str(LIMIT) in answer.json["message"], answer.describe()


def test_non_utf8_error_says_so(base_url: str, strict: bool) -> None:
    answer = run_case(base_url, Case("latin1", "POST", EXECUTE, NOT_UTF8["latin1-in-string"], expect=(400,)), strict)
    assert "UTF-8" in answer.json["message"], answer.describe()


# Wrong types for every field of the execute / preview event.

WRONG_VALUES: dict[str, Any] = {
    "null": None,
    "true": True,
    "false": False,
    "zero": 0,
    "negative-float": -1.5,
    "empty-string": "",
    "string": "text",
    "empty-array": [],
    "array": [1, "two", None],
    "array-of-objects": [{"a": 1}],
    "empty-object": {},
    "object": {"unexpected": {"deeply": [1, {"x": None}]}},
}
EVENT_FIELDS = ["payload", "controls", "state", "subscriber", "context", "env", "actor"]
NOT_OBJECTS = set(WRONG_VALUES) - {"empty-object", "object"}
# Per action and field, the values that must be refused with 400 (the others may be accepted): the payload
# must be an object for execute (spec §8, §10.2; preview assigns any payload over its mock, as upstream's
# `Object.assign`), the target step's controls must be an object (spec §8),
# and `state` must be a list holding the earlier steps (decisions.md; every value here lacks them).
REFUSED: dict[tuple[str, str], set[str]] = {
    ("execute", "payload"): NOT_OBJECTS,
    ("execute", "controls"): NOT_OBJECTS,
    ("preview", "controls"): NOT_OBJECTS,
    ("execute", "state"): set(WRONG_VALUES),
    ("preview", "state"): set(WRONG_VALUES) - {"null", "empty-array", "array-of-objects"},
}
STATE_ITEM_VALUES: dict[str, Any] = {
    **{f"item-{k}": v for k, v in WRONG_VALUES.items() if k not in {"empty-object", "object"}},
    "item-empty-object": {},
    "item-step-id-number": {"stepId": 5, "outputs": {}},
    "item-step-id-object": {"stepId": {"a": 1}, "outputs": {}},
    "item-step-id-null": {"stepId": None, "outputs": {}},
    "item-outputs-missing": {"stepId": "compute"},
    "item-outputs-null": {"stepId": "compute", "outputs": None},
    "item-outputs-string": {"stepId": "compute", "outputs": "x"},
    "item-outputs-array": {"stepId": "compute", "outputs": [1]},
    "item-outputs-wrong-shape": {"stepId": "compute", "outputs": {"n": "not-a-number"}},
    "item-state-garbage": {"stepId": "compute", "outputs": {"n": 1}, "state": [1, 2]},
}


JSON_LOOKING_CONTROLS: dict[str, str] = {
    "open-brackets": "[" * 100_000,
    "open-braces": "{" * 100_000,
    "deep-objects": '{"a":' * 30_000,
    "balanced-arrays-200": "[" * 200 + "]" * 200,
    "unbalanced-mixed": '{"x": [' * 5_000,
    "json-with-liquid": '[{"a":"{{payload.name}}"}, {"b": {{subscriber}} }]',
    "broken-json": '{"a": "b", "c": ',
    "json-with-translation-markers": '{"t": "{{ t.key }}", "u": "{{t.other | upcase}}"}',
}


def event_type_cases() -> list[Case]:
    cases = []
    for action, target in (("execute", EXECUTE), ("preview", PREVIEW)):
        for name, text in JSON_LOOKING_CONTROLS.items():
            for where, controls in (
                ("subject", {"subject": text, "body": "b"}),
                ("data", {"subject": "s", "body": "b", "data": text}),
                ("data-value", {"subject": "s", "body": "b", "data": {"k": text}}),
            ):
                body = compact(event(controls=controls))
                cases.append(Case(f"{action}-controls-json-looking-{name}-in-{where}", "POST", target, body))
    for action, target in (("execute", EXECUTE), ("preview", PREVIEW)):
        for field_name in EVENT_FIELDS:
            for value_name, value in WRONG_VALUES.items():
                refused = value_name in REFUSED.get((action, field_name), set())
                body = compact(event(**{field_name: value}))
                cases.append(
                    Case(
                        f"{action}-{field_name}-{value_name}", "POST", target, body, expect=(400,) if refused else None
                    )
                )
            body = compact({k: v for k, v in event().items() if k != field_name})
            cases.append(Case(f"{action}-{field_name}-missing", "POST", target, body))
        for item_name, item in STATE_ITEM_VALUES.items():
            for position in ("first", "last"):
                state = [item, *STATE_BEFORE_EMAIL] if position == "first" else [*STATE_BEFORE_EMAIL, item]
                body = compact(event(state=state))
                cases.append(Case(f"{action}-state-{item_name}-{position}", "POST", target, body))
    return cases


@pytest.mark.parametrize("case", event_type_cases(), ids=lambda c: c.id)
def test_wrong_event_types(base_url: str, strict: bool, case: Case) -> None:
    run_case(base_url, case, strict)


def test_state_not_a_list_names_state(base_url: str, strict: bool) -> None:
    answer = run_case(base_url, Case("state", "POST", EXECUTE, compact(event(state={"a": 1})), expect=(400,)), strict)
    assert "state" in answer.json["message"], answer.describe()


def test_valid_event_is_executed(base_url: str, strict: bool) -> None:
    """The baseline the wrong-type cases vary: a valid event answers 200 with the rendered outputs."""
    answer = run_case(base_url, Case("valid", "POST", EXECUTE, compact(event()), expect=(200,)), strict)
    assert answer.json["outputs"] == {"subject": "Hello Ada", "body": "<p>Ada</p>"}, answer.describe()


# Trigger (`action=trigger`, forwarded to the Novu API stand-in) and local-run bodies.

TRIGGER_FIELDS = ["to", "payload", "metadata", "controls", "overrides", "actor", "context", "transactionId"]
LOCAL_FIELDS = ["to", "payload", "metadata", "controls"]
# The local route refuses these with 400 (decisions.md: the local run's body).
LOCAL_REFUSED: dict[str, set[str]] = {
    "to": set(WRONG_VALUES) - {"string", "object"},
    "payload": set(WRONG_VALUES) - {"empty-object", "object"},
    "metadata": set(WRONG_VALUES) - {"null", "empty-object", "object"},
    "controls": set(WRONG_VALUES) - {"null", "empty-object", "object"},
}


def trigger_and_local_cases() -> list[Case]:
    cases = []
    base_trigger = {"to": "sub-1", "payload": {"name": "Ada"}}
    for field_name in TRIGGER_FIELDS:
        for value_name, value in WRONG_VALUES.items():
            body = compact({**base_trigger, field_name: value})
            cases.append(Case(f"trigger-{field_name}-{value_name}", "POST", TRIGGER, body))
    base_local: dict[str, Any] = {"to": "sub-1", "payload": {"name": "Ada"}}
    for field_name in LOCAL_FIELDS:
        for value_name, value in WRONG_VALUES.items():
            body = compact({**base_local, field_name: value})
            refused = value_name in LOCAL_REFUSED[field_name]
            cases.append(
                Case(f"local-{field_name}-{value_name}", "POST", LOCAL, body, expect=(400,) if refused else None)
            )
        body = compact({k: v for k, v in base_local.items() if k != field_name})
        expect = (400,) if field_name in {"to", "payload"} else None
        cases.append(Case(f"local-{field_name}-missing", "POST", LOCAL, body, expect=expect))
    step_controls: dict[str, Any] = {
        "step-controls-number": {"email": 5},
        "step-controls-string": {"email": "x"},
        "step-controls-array": {"email": [1]},
        "step-controls-null": {"email": None},
        "control-wrong-type": {"email": {"subject": 5, "body": ["x"]}},
        "control-unknown-step": {"no-such-step": {"subject": "x"}},
        "control-unknown-key": {"email": {"nope": 1}},
        "control-liquid-syntax-error": {"email": {"subject": "{% if %}"}},
        "control-unclosed-tag": {"email": {"subject": "{{ payload.name"}},
    }
    for name, controls in step_controls.items():
        body = compact({**base_local, "controls": controls})
        cases.append(Case(f"local-{name}", "POST", LOCAL, body))
    to_values: dict[str, Any] = {
        "to-empty-subscriber-id": {"subscriberId": ""},
        "to-subscriber-id-number": {"subscriberId": 5},
        "to-no-subscriber-id": {"email": "a@b.c"},
        "to-list-of-ids": ["a", "b"],
    }
    for name, to in to_values.items():
        cases.append(Case(f"local-{name}", "POST", LOCAL, compact({**base_local, "to": to}), expect=(400,)))
    payloads: dict[str, Any] = {
        "payload-schema-violation": {"name": 5},
        "payload-count-string": {"count": "many"},
    }
    for name, payload in payloads.items():
        cases.append(Case(f"local-{name}", "POST", LOCAL, compact({**base_local, "payload": payload}), expect=(400,)))
    odd_ids = {
        "unknown": "no-such-workflow",
        "percent-nul": "a%00b",
        "percent-ff": "%ff%fe",
        "dot-dot": "..%2F..%2Fetc",
        "unicode": "%E2%9C%93",
        "very-long": "w" * 4000,
        "slashes": "a/b/c",
        "traversal": "../../x",
        "newline": "a%0Ab",
        "only-newline": "%0A",
        "crlf": "%0D%0Ax",
    }
    # A decoded newline matches no route pattern of Werkzeug or Starlette, so their routing answers those
    # ids itself (still a 404, never reaching the library).
    unroutable = {"newline", "only-newline", "crlf"}
    for name, wf in odd_ids.items():
        target = f"{ROUTE}/workflows/{wf}/execute"
        case = Case(
            f"local-workflow-id-{name}",
            "POST",
            target,
            compact(base_local),
            expect=(404,),
            server_may_refuse=name in unroutable,
        )
        cases.append(case)
    return cases


@pytest.mark.parametrize("case", trigger_and_local_cases(), ids=lambda c: c.id)
def test_trigger_and_local_bodies(base_url: str, strict: bool, case: Case) -> None:
    run_case(base_url, case, strict)


def test_local_run_succeeds(base_url: str, strict: bool) -> None:
    """The baseline of the local-run cases."""
    body = compact({"to": "sub-1", "payload": {"name": "Ada"}})
    answer = run_case(base_url, Case("local", "POST", LOCAL, body, expect=(200,)), strict)
    assert answer.json["step_results"]["email"]["subject"].startswith("Hi Ada"), answer.describe()


# Hostile headers.


# Stands for a valid signature of the case's body, made when the test runs (one made at collection time
# expires on a run longer than the signatures' five minutes).
VALID = "<valid signature, made at run time>"


def header_cases() -> list[Case]:
    now = int(time.time() * 1000)
    body = compact(event())
    good = VALID
    cases: list[Case] = []
    for target_name, method, target, payload in (
        ("discover", "GET", DISCOVER, None),
        ("execute", "POST", EXECUTE, body),
        ("local", "POST", LOCAL, compact({"to": "s", "payload": {}})),
    ):
        bad: dict[str, list[tuple[str, str | bytes]]] = {
            "two-valid-signatures": [("novu-signature", good), ("novu-signature", good)],
            "valid-then-garbage": [("novu-signature", good), ("novu-signature", "garbage")],
            "garbage-then-valid": [("novu-signature", "garbage"), ("novu-signature", good)],
            "valid-and-bad-legacy": [("novu-signature", good), ("x-novu-signature", "t=1,v1=00")],
            "legacy-garbage-only": [("x-novu-signature", "t=abc")],
            "long-8k-garbage": [("novu-signature", "x" * 8000)],
            "t-10k-digits": [("novu-signature", f"t={'9' * 10_000},v1={'a' * 64}")],
            "t-10k-digits-leading-zeros": [("novu-signature", f"t={'0' * 9_987}{now},v1={'a' * 64}")],
            "v1-10k-hex": [("novu-signature", f"t={now},v1={'ab' * 5000}")],
            "many-parts": [("novu-signature", ",".join(f"k{i}=v{i}" for i in range(1500)))],
            "many-commas": [("novu-signature", "," * 8000)],
            "only-equals": [("novu-signature", "=")],
            "empty-t-v1": [("novu-signature", "t=,v1=")],
            "t-nan": [("novu-signature", f"t=NaN,v1={'a' * 64}")],
            "t-infinity": [("novu-signature", f"t=Infinity,v1={'a' * 64}")],
            "t-negative": [("novu-signature", f"t=-1,v1={'a' * 64}")],
            "t-exponent-overflow": [("novu-signature", f"t=1e999,v1={'a' * 64}")],
            "t-hex": [("novu-signature", f"t=0x18c,v1={'a' * 64}")],
            "utf8-bytes": [("novu-signature", f"t={now},v1=".encode() + "é✓😀".encode())],
            "latin1-bytes": [("novu-signature", b"t=\xe9\xff,v1=\xfe")],
            "control-chars": [("novu-signature", f"t={now}\x01\x02,v1=\x7f")],
            "tab-inside": [("novu-signature", f"t={now},\tv1=abc")],
            "secret-as-signature": [("novu-signature", SECRET)],
            "content-type-text": [("content-type", "text/plain")],
            "content-type-garbage": [("content-type", "application/json; charset=utf-16; boundary=\x01")],
            "content-encoding-gzip": [("content-encoding", "gzip")],
            "long-unrelated-header": [("x-filler", "y" * 8000)],
        }
        for name, headers in bad.items():
            expect_strict: tuple[int, ...]
            if name.startswith(("content-", "long-unrelated")):
                # Odd but harmless headers next to a valid signature: the request is served.
                headers = [*headers, ("novu-signature", good)]
                expect_strict = (200,)
            elif "valid" in name and name != "legacy-garbage-only":
                # A valid signature among others: accepting it or refusing the ambiguity are both fine.
                expect_strict = (200, 401)
            else:
                expect_strict = (401,)
            cases.append(
                Case(
                    f"{target_name}-{name}",
                    method,
                    target,
                    payload,
                    headers=headers,
                    sign=False,
                    expect=(200,),
                    expect_strict=expect_strict,
                )
            )
    return cases


@pytest.mark.parametrize("case", header_cases(), ids=lambda c: c.id)
def test_hostile_headers(base_url: str, strict: bool, case: Case) -> None:
    fresh = signature(case.body if case.method == "POST" else None)
    run_case(base_url, replace(case, headers=[(k, fresh if v == VALID else v) for k, v in case.headers]), strict)


# Query strings and methods.

QUERIES: dict[str, str] = {
    "repeated-action": "action=discover&action=execute&action=code",
    "repeated-workflow": "action=code&workflowId=hostile&workflowId=nope",
    "percent-alone": "action=%",
    "percent-garbage": "action=%zz%g%&workflowId=%%%",
    "percent-truncated-utf8": "action=%E2%82&workflowId=%F0%9F",
    "percent-ff": "action=%ff&workflowId=%fe%ff",
    "percent-nul-action": "action=%00",
    "percent-nul-workflow": "action=code&workflowId=host%00ile",
    "percent-nul-step": "action=code&workflowId=hostile&stepId=%00",
    "plus-signs": "action=+discover+&workflowId=+",
    "empty-pairs": "&&&=&=x&action",
    "only-equals": "=",
    "semicolons": "action=discover;workflowId=hostile",
    "very-long-action": "action=" + "a" * 8000,
    "very-long-workflow": "action=code&workflowId=" + "w" * 8000,
    "many-keys": "&".join(f"k{i}=v{i}" for i in range(1000)) + "&action=discover",
    "unknown-action": "action=drop-tables",
    "unicode-escaped": "action=%E2%9C%93&workflowId=%F0%9F%98%80",
    "case-variant-action": "ACTION=DISCOVER",
    "encoded-key": "%61ction=discover",
    "fragment-like": "action=discover%23x",
    "json-in-query": 'action={"a":1}',
    "code-unknown-step": "action=code&workflowId=hostile&stepId=nope",
    "code-no-workflow": "action=code",
}
RAW_QUERIES: dict[str, bytes] = {
    "raw-utf8-bytes": "action=é✓&workflowId=😀".encode(),
    "raw-latin1-bytes": b"action=\xe9\xff&workflowId=\xfe",
}
METHODS = ["GET", "POST", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"]


def query_cases() -> list[Case]:
    cases: list[Case] = []
    for method in METHODS:
        for name, query in QUERIES.items():
            body = compact(event()) if method in {"POST", "PUT", "PATCH"} else None
            cases.append(Case(f"{method}-{name}", method, f"{ROUTE}?{query}", body))
        for name, raw_query in RAW_QUERIES.items():
            body = compact(event()) if method == "POST" else None
            target = ROUTE.encode() + b"?" + raw_query
            cases.append(Case(f"{method}-{name}", method, target, body, server_may_refuse=True))
    return cases


@pytest.mark.parametrize("case", query_cases(), ids=lambda c: c.id)
def test_weird_query_strings(base_url: str, strict: bool, case: Case) -> None:
    run_case(base_url, case, strict)


METHOD_CASES = [
    Case("PUT-discover", "PUT", DISCOVER, expect=(405,), code="MethodNotAllowedError"),
    Case("PATCH-execute", "PATCH", EXECUTE, compact(event()), expect=(405,), code="MethodNotAllowedError"),
    Case("DELETE-no-action", "DELETE", ROUTE, expect=(405,), code="MethodNotAllowedError"),
    Case("HEAD-health", "HEAD", ROUTE, expect=(200, 405)),
    Case("HEAD-discover", "HEAD", DISCOVER, expect=(200, 405)),
    Case("OPTIONS-discover-unsigned", "OPTIONS", DISCOVER, sign=False, expect=(200,)),
    Case("OPTIONS-with-body", "OPTIONS", EXECUTE, b"\xff\x00garbage", sign=False, expect=(200,)),
    Case("TRACE-discover", "TRACE", DISCOVER, expect=(405,), code="MethodNotAllowedError"),
    Case("TRACE-no-action", "TRACE", ROUTE, expect=(405,), code="MethodNotAllowedError"),
    Case("lower-case-get", "get", DISCOVER, expect=(200, 405)),
    # Flask routes only the standard methods it is given: its own routing answers a made-up method (405).
    Case("custom-method", "FROB", DISCOVER, expect=(405,), code="MethodNotAllowedError", server_may_refuse=True),
    Case("GET-with-body", "GET", DISCOVER, b"\xff{not json", expect=(200,)),
    Case("GET-execute", "GET", EXECUTE, expect=(400,), code="InvalidActionError"),
    Case("POST-discover", "POST", DISCOVER, compact(event()), expect=(400,), code="InvalidActionError"),
    Case("POST-no-action", "POST", ROUTE, compact(event()), expect=(400,), code="InvalidActionError"),
    Case("local-GET", "GET", LOCAL, expect=(405,), code="MethodNotAllowedError"),
    Case("local-PUT", "PUT", LOCAL, compact({"to": "s", "payload": {}}), expect=(405,), code="MethodNotAllowedError"),
    Case("local-OPTIONS", "OPTIONS", LOCAL, sign=False, expect=(200, 405)),
]


@pytest.mark.parametrize("case", METHOD_CASES, ids=lambda c: c.id)
def test_every_method(base_url: str, strict: bool, case: Case) -> None:
    run_case(base_url, case, strict)


@pytest.mark.parametrize("agent", ["unknown", "%00", "%ff", "a" * 4000])
def test_agent_event_for_unknown_agent(base_url: str, strict: bool, agent: str) -> None:
    """Spec §2.3: `agent-event` for an unknown agent is 404 `{"error": ...}` (upstream's shape, not the
    framework error shape); whatever the agent id, never a 5xx or a traceback."""
    body = b'{"event":"x"}'
    target = f"{ROUTE}?action=agent-event&agentId={agent}"
    answer = send(base_url, "POST", target, body, [("novu-signature", signature(body))])
    assert answer.status == 404, answer.describe()
    assert answer.headers.get("content-type", "").startswith("application/json"), answer.describe()
    assert isinstance(answer.json, dict) and "not registered" in answer.json.get("error", ""), answer.describe()
    assert SECRET.encode() not in answer.raw
    if strict:
        assert not any(m.encode() in answer.raw for m in ("Traceback", 'File "', '.py"')), answer.describe()


# Liquid bombs: refused quickly with StepControlCompilationFailedError while the server keeps serving.

LIQUID_BOMBS: dict[str, str] = {
    "huge-loop": "{% for i in (1..100000000) %}x{% endfor %}",
    "huge-empty-loop": "{% for i in (1..100000000) %}{% endfor %}",
    "huge-loop-reversed": "{% for i in (1..100000000) reversed %}x{% endfor %}",
    "huge-negative-range": "{% for i in (-100000000..100000000) %}{% endfor %}",
    "range-to-2-pow-53": "{% for i in (1..9007199254740993) %}{% endfor %}",
    "huge-tablerow": "{% tablerow i in (1..100000000) %}x{% endtablerow %}",
    "nested-loops": "{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}",
    "triple-nested-loops": (
        "{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}"
    ),
    "append-doubling": (
        '{% assign s = "xxxxxxxxxx" %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s }}'
    ),
    "capture-doubling": (
        "{% capture s %}xxxxxxxx{% endcapture %}"
        "{% for i in (1..64) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s }}"
    ),
    "replace-doubling": (
        '{% assign s = "xx" %}{% for i in (1..64) %}{% assign s = s | replace: "x", "xx" %}{% endfor %}{{ s }}'
    ),
    "concat-doubling": (
        '{% assign a = "x" | split: "," %}{% for i in (1..64) %}{% assign a = a | concat: a %}{% endfor %}'
        "{{ a | size }}"
    ),
    "join-growth": (
        '{% assign a = "x,y" | split: "," %}{% for i in (1..64) %}'
        '{% assign s = a | join: s %}{% assign a = s | split: "" %}{% endfor %}{{ s | size }}'
    ),
    "output-flood": "{% for i in (1..900000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}",
    "deep-if-nesting": "{% if true %}" * 5_000 + "x" + "{% endif %}" * 5_000,
    "deep-for-nesting": "{% for i in (1..2) %}" * 3_000 + "x" + "{% endfor %}" * 3_000,
    "deep-unclosed-tags": "{% if true %}" * 10_000,
    "deep-parentheses": "{{ " + "(" * 50_000 + "1..2" + ")" * 50_000 + " }}",
    "long-filter-chain": "{{ 'x'" + " | append: 'x'" * 12_000 + " }}",
    "increment-loop": "{% for i in (1..100000000) %}{% increment n %}{% endfor %}",
    "repeated-upcase-of-1-mib": (
        "{% assign s = 'xxxxxxxx' %}{% for i in (1..17) %}{% assign s = s | append: s %}{% endfor %}"
        "{% for i in (1..1000) %}{% assign t = s | upcase %}{% endfor %}x"
    ),
    "huge-range-in-filter": "{{ (1..100000000) | join: ',' | size }}",
}


def bomb_event(template: str) -> bytes:
    return compact(event(controls={"subject": template, "body": "b"}))


def with_health_probe(base_url: str, request: Callable[[], Answer]) -> tuple[Answer, list[Answer]]:
    """Runs `request` while health checks are sent back to back from another thread; returns the answer
    and the health checks' answers (at least one of which finished after `request`)."""
    with HealthProbe(base_url) as probe:
        time.sleep(0.02)
        answer = request()
    assert not probe.errors, f"health checks failed meanwhile: {probe.errors!r}"
    assert probe.answers, "no health check was answered"
    return answer, probe.answers


def assert_healthy(answers: list[Answer]) -> None:
    bad = [a.describe() for a in answers if a.status != 200]
    assert not bad, f"health checks failed while the hostile request ran: {bad}"


@pytest.mark.parametrize("workflow_id", ["hostile", "hostile-async"])
@pytest.mark.parametrize("bomb", list(LIQUID_BOMBS), ids=list(LIQUID_BOMBS))
def test_liquid_bomb_is_refused(base_url: str, strict: bool, bomb: str, workflow_id: str) -> None:
    body = bomb_event(LIQUID_BOMBS[bomb])
    if workflow_id == "hostile-async":
        body = compact(event(controls={"subject": LIQUID_BOMBS[bomb], "body": "b"}, state=STATE_BEFORE_EMAIL[:1]))
    target = f"{ROUTE}?action=execute&workflowId={workflow_id}&stepId=email"
    headers: list[tuple[str, str | bytes]] = [("novu-signature", signature(body))]
    answer, health = with_health_probe(base_url, lambda: send(base_url, "POST", target, body, headers, timeout=HANG))
    check_answer(answer, strict=strict)
    assert answer.status == 400, answer.describe()
    assert answer.json["code"] == "StepControlCompilationFailedError", answer.describe()
    assert_healthy(health)


@pytest.mark.parametrize("bomb", ["huge-loop", "append-doubling", "deep-if-nesting"])
def test_liquid_bomb_in_local_run(base_url: str, strict: bool, bomb: str) -> None:
    body = compact({"to": "sub-1", "payload": {}, "controls": {"email": {"subject": LIQUID_BOMBS[bomb]}}})
    headers: list[tuple[str, str | bytes]] = [("novu-signature", signature(body))]
    answer, health = with_health_probe(base_url, lambda: send(base_url, "POST", LOCAL, body, headers, timeout=HANG))
    check_answer(answer, strict=strict, local=True)
    assert answer.status == 400, answer.describe()
    assert answer.json["code"] == "StepControlCompilationFailedError", answer.describe()
    assert_healthy(health)


USER_FAILURES = ["raise", "recurse", "not-json", "none", "huge", "ok"]


@pytest.mark.parametrize("route", ["bridge", "local"])
@pytest.mark.parametrize("mode", USER_FAILURES)
def test_user_code_failure_answers_json_without_traceback_under_strict(
    base_url: str, strict: bool, mode: str, route: str
) -> None:
    """A resolver that raises, recurses forever or returns what is not JSON: a genuine user-code failure may
    be a 5xx, but it is JSON with a code, and (decisions.md) carries no traceback under strict
    authentication."""
    if route == "bridge":
        target = f"{ROUTE}?action=execute&workflowId=user-failures&stepId=fail"
        body = compact({"payload": {"mode": mode}, "controls": {}, "state": []})
    else:
        target = f"{ROUTE}/workflows/user-failures/execute"
        body = compact({"to": "s1", "payload": {"mode": mode}})
    answer = send(base_url, "POST", target, body, [("novu-signature", signature(body))], timeout=HANG * 3)
    check_answer(answer, strict=strict, local=route == "local", allow_user_failure=True)
    if mode == "ok":
        assert answer.status == 200, answer.describe()
    elif mode == "raise":
        assert answer.status >= 500, answer.describe()
        assert "boom from user code" in answer.raw.decode(), answer.describe()
    else:
        assert answer.status != 200 or mode == "huge", answer.describe()


def test_error_data_of_a_user_exception(base_url: str, strict: bool) -> None:
    """decisions.md: under strict authentication `data` of `StepExecutionFailedError` is `{}` or carries only
    the exception's `message`; with strict off `data.stack` holds the Python traceback (with the frames of
    the user's resolver)."""
    target = f"{ROUTE}?action=execute&workflowId=user-failures&stepId=fail"
    body = compact({"payload": {"mode": "raise"}, "controls": {}, "state": []})
    answer = send(base_url, "POST", target, body, [("novu-signature", signature(body))])
    check_answer(answer, strict=strict, allow_user_failure=True)
    assert answer.json["code"] == "StepExecutionFailedError", answer.describe()
    data = answer.json.get("data")
    if strict:
        assert data is None or (isinstance(data, dict) and set(data) <= {"message"}), answer.describe()
    else:
        stack = data.get("stack", "") if isinstance(data, dict) else ""
        assert "Traceback (most recent call last)" in stack and "in resolve" in stack, answer.describe()


@pytest.mark.parametrize("route", ["bridge", "local"])
def test_user_exception_is_logged_with_its_traceback(
    base_url: str, strict: bool, route: str, caplog: pytest.LogCaptureFixture
) -> None:
    """decisions.md: the exception is always logged server-side with its traceback through `logging` (the
    frames of the user's resolver included), whatever the authentication mode."""
    if route == "bridge":
        target = f"{ROUTE}?action=execute&workflowId=user-failures&stepId=fail"
        body = compact({"payload": {"mode": "raise"}, "controls": {}, "state": []})
    else:
        target = f"{ROUTE}/workflows/user-failures/execute"
        body = compact({"to": "s1", "payload": {"mode": "raise"}})
    with caplog.at_level(logging.ERROR, logger="novu_framework"):
        answer = send(base_url, "POST", target, body, [("novu-signature", signature(body))])
    check_answer(answer, strict=strict, local=route == "local", allow_user_failure=True)
    logged = [logging.Formatter().format(r) for r in caplog.records if r.name.startswith("novu_framework")]
    assert any("boom from user code" in text for text in logged), f"not logged: {logged}"
    with_frames = [t for t in logged if "Traceback (most recent call last)" in t and "in resolve" in t]
    assert with_frames, f"logged without the traceback's frames: {logged}"


def test_server_still_serves_after_the_attack(base_url: str, strict: bool) -> None:
    """After everything above (module-scoped server), a valid execute still works."""
    body = compact(event())
    answer = send(base_url, "POST", EXECUTE, body, [("novu-signature", signature(body))])
    check_answer(answer, strict=strict)
    assert answer.status == 200, answer.describe()
