"""Budgets and limits as decisions.md sets them ("Request bodies"): the body size limit (default 5 MiB,
configurable) answers 413 JSON; JSON nested deeper than 128 levels answers 400; the Liquid budget (1,000,000
loop iterations per request, 4 MiB for any string and for the output, configurable) answers 400
`StepControlCompilationFailedError` naming the limit; and a hostile control is answered within a second or
two while the server keeps answering other requests.

Timings are measured and reported (`record_property`), and only asserted with a loose bound that tells a
budgeted refusal from a hang.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from novu_framework import Client

from ..support import serve_app
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

MIB = 1024 * 1024
DEFAULT_LIMIT = 5 * MIB

EXECUTE = f"{ROUTE}?action=execute&workflowId=hostile&stepId=email"
EXECUTE_ASYNC = f"{ROUTE}?action=execute&workflowId=hostile-async&stepId=email"
LOCAL = f"{ROUTE}/workflows/hostile/execute"
HEALTH = f"{ROUTE}?action=health-check"
STATE = [
    {"stepId": "compute", "outputs": {"n": 1}},
    {"stepId": "inbox", "outputs": {"seen": False, "read": False, "lastSeenDate": None, "lastReadDate": None}},
    {"stepId": "wait", "outputs": {"duration": 0}},
]
CANONICAL_BOMB = "{% for i in (1..100000000) %}x{% endfor %}"


def compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def execute_body(subject: str = "Hello", body: str = "b", *, state: list[dict[str, Any]] | None = None) -> bytes:
    return compact(
        {
            "payload": {"name": "Ada"},
            "controls": {"subject": subject, "body": body},
            "state": STATE if state is None else state,
            "subscriber": {"subscriberId": "s1"},
        }
    )


def padded(size: int) -> bytes:
    """A valid execute body of exactly `size` bytes (padding in the payload's name)."""
    text = compact({"payload": {"name": "X"}, "controls": {"subject": "s", "body": "b"}, "state": STATE})
    pad = size - len(text)
    assert pad >= 0
    body = text.replace(b'"X"', b'"' + b"x" * (pad + 1) + b'"', 1)
    assert len(body) == size
    return body


def padded_local(size: int) -> bytes:
    text = compact({"to": "s1", "payload": {"name": "Ada", "pad": "X"}})
    body = text.replace(b'"X"', b'"' + b"x" * (size - len(text) + 1) + b'"', 1)
    assert len(body) == size
    return body


def post(base: str, target: str, body: bytes, **kwargs: Any) -> Answer:
    return send(base, "POST", target, body, [("novu-signature", signature(body))], **kwargs)


@pytest.fixture(scope="module", params=FRAMEWORKS)
def framework(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def default_server(framework: str) -> Iterator[str]:
    """Strict authentication, every limit at its default."""
    with serve_app(framework, make_app(framework, make_client(True))) as base:
        yield base


# Request body size.


def test_default_body_limit_is_5_mib(framework: str) -> None:
    client = Client(secret_key=SECRET, strict_authentication=True)
    assert client._bridge([], framework).max_body_bytes == DEFAULT_LIMIT


@pytest.mark.parametrize("target", ["bridge", "local"])
def test_default_body_limit_over_http(default_server: str, target: str) -> None:
    route, make, local = (EXECUTE, padded, False) if target == "bridge" else (LOCAL, padded_local, True)
    at_limit = post(default_server, route, make(DEFAULT_LIMIT))
    check_answer(at_limit, strict=True, local=local)
    assert at_limit.status == 200, at_limit.describe()
    over = post(default_server, route, make(DEFAULT_LIMIT + 1))
    check_answer(over, strict=True, local=local)
    assert over.status == 413, over.describe()
    assert over.json["code"] == "PayloadTooLargeError", over.describe()
    text = over.json["detail" if local else "message"]
    assert str(DEFAULT_LIMIT) in text, over.describe()


def test_huge_body_is_refused_without_reading_it(default_server: str) -> None:
    """A body declared as 1 GiB but sent only past the limit gets its 413 without the server waiting for
    the rest (it stops reading at the limit)."""
    body = padded(DEFAULT_LIMIT + 1)
    headers: list[tuple[str, str | bytes]] = [
        ("novu-signature", signature(body)),
        ("content-length", str(1024 * MIB)),
    ]
    started = time.monotonic()
    answer = send(default_server, "POST", EXECUTE, body, headers, timeout=HANG)
    check_answer(answer, strict=True)
    assert answer.status == 413, answer.describe()
    assert time.monotonic() - started < HANG


def test_huge_chunked_body_is_refused(default_server: str) -> None:
    body = padded(2 * DEFAULT_LIMIT)
    answer = send(default_server, "POST", EXECUTE, body, [("novu-signature", signature(body))], chunked=True)
    check_answer(answer, strict=True)
    assert answer.status == 413, answer.describe()


@pytest.mark.parametrize("limit", [1000, 64 * 1024])
@pytest.mark.parametrize("target", ["bridge", "local"])
def test_body_limit_is_configurable(framework: str, limit: int, target: str) -> None:
    client = make_client(True, max_body_bytes=limit)
    route, make, local = (EXECUTE, padded, False) if target == "bridge" else (LOCAL, padded_local, True)
    with serve_app(framework, make_app(framework, client)) as base:
        at_limit = post(base, route, make(limit))
        check_answer(at_limit, strict=True, local=local)
        assert at_limit.status == 200, at_limit.describe()
        over = post(base, route, make(limit + 1))
        check_answer(over, strict=True, local=local)
        assert over.status == 413, over.describe()
        assert over.json["code"] == "PayloadTooLargeError", over.describe()
        assert str(limit) in over.json["detail" if local else "message"], over.describe()
        health = send(base, "GET", HEALTH)
        assert health.status == 200, health.describe()


@pytest.mark.parametrize("limit", [-1, -(2**70), 2**70])
def test_unusable_body_limit_is_refused_at_start(framework: str, limit: int) -> None:
    with pytest.raises((ValueError, TypeError, OverflowError)):
        make_app(framework, make_client(True, max_body_bytes=limit))


# JSON nesting.


def deep_event(levels: int) -> bytes:
    """An execute body nested exactly `levels` deep (the body is level 1, its payload level 2)."""
    inner = levels - 2
    text = compact({"payload": {"name": "Ada", "deep": "X"}, "controls": {}, "state": STATE}).decode()
    return text.replace('"X"', '{"a":' * inner + "1" + "}" * inner).encode()


def test_nesting_of_128_levels_is_accepted(default_server: str) -> None:
    """decisions.md: nesting *deeper than* 128 is refused, so exactly 128 levels is accepted."""
    answer = post(default_server, EXECUTE, deep_event(128))
    check_answer(answer, strict=True)
    assert answer.status == 200, answer.describe()


@pytest.mark.parametrize("levels", [129, 130, 1000])
def test_nesting_deeper_than_128_levels_is_refused(default_server: str, levels: int) -> None:
    answer = post(default_server, EXECUTE, deep_event(levels))
    check_answer(answer, strict=True)
    assert answer.status == 400, answer.describe()
    assert "128" in answer.json["message"], answer.describe()


# The Liquid budget.


def refused_for(answer: Answer, limit_name: str, limit_value: int) -> None:
    check_answer(answer, strict=True)
    assert answer.status == 400, answer.describe()
    assert answer.json["code"] == "StepControlCompilationFailedError", answer.describe()
    described = json.dumps(answer.json)
    assert limit_name in described and str(limit_value) in described, f"the limit is not named: {answer.describe()}"


DOUBLE_TO = (
    "{{% assign s = 'xxxxxxxx' %}}{{% for i in (1..{n}) %}}{{% assign s = s | append: s %}}{{% endfor %}}"
    "{{{{ s | size }}}}"
)
"""A string of 8 * 2**n bytes."""
OUTPUT_OF = "{{% for i in (1..{n}) %}}" + "x" * 40 + "{{% endfor %}}"
"""An output of 40 * n bytes."""


@pytest.mark.parametrize(
    ("name", "within", "beyond", "limit_name", "limit_value"),
    [
        (
            "iterations",
            "{% for i in (1..1000000) %}{% endfor %}ok",
            "{% for i in (1..1000001) %}{% endfor %}ok",
            "max_iterations",
            1_000_000,
        ),
        ("string-size", DOUBLE_TO.format(n=19), DOUBLE_TO.format(n=20), "max_string_bytes", 4 * MIB),
        ("output-size", OUTPUT_OF.format(n=100_000), OUTPUT_OF.format(n=110_000), "max_output_bytes", 4 * MIB),
    ],
)
def test_liquid_budget_defaults(
    default_server: str, name: str, within: str, beyond: str, limit_name: str, limit_value: int
) -> None:
    ok = post(default_server, EXECUTE, execute_body(within))
    check_answer(ok, strict=True)
    assert ok.status == 200, f"{name}: within the budget but refused: {ok.describe()}"
    refused_for(post(default_server, EXECUTE, execute_body(beyond)), limit_name, limit_value)


def test_liquid_iterations_are_counted_across_the_controls_of_a_request(default_server: str) -> None:
    loop = "{% for i in (1..600000) %}{% endfor %}x"
    refused_for(post(default_server, EXECUTE, execute_body(loop, loop)), "max_iterations", 1_000_000)


def test_liquid_iterations_are_counted_across_the_steps_of_a_local_run(default_server: str) -> None:
    """decisions.md: the budget is on the total loop iterations *per request*; a local run renders every
    step's controls in one request."""
    loop = "{% for i in (1..600000) %}{% endfor %}x"
    controls = {"inbox": {"subject": loop}, "email": {"subject": loop}, "sms": {"body": loop}}
    answer = post(default_server, LOCAL, compact({"to": "s1", "payload": {}, "controls": controls}))
    check_answer(answer, strict=True, local=True)
    assert answer.status == 400, answer.describe()
    assert answer.json["code"] == "StepControlCompilationFailedError", answer.describe()


def test_liquid_budget_is_configurable(framework: str) -> None:
    """decisions.md: the budget's defaults are configurable, through `Client(liquid_limits=...)`."""
    client = Client(
        secret_key=SECRET,
        strict_authentication=True,
        liquid_limits={"max_iterations": 100, "max_output_bytes": 1000},
    )
    with serve_app(framework, make_app(framework, client)) as base:
        ok = post(base, EXECUTE, execute_body("{% for i in (1..90) %}{% endfor %}ok"))
        check_answer(ok, strict=True)
        assert ok.status == 200, ok.describe()
        refused_for(post(base, EXECUTE, execute_body("{% for i in (1..101) %}{% endfor %}ok")), "max_iterations", 100)
        refused_for(post(base, EXECUTE, execute_body(OUTPUT_OF.format(n=30))), "max_output_bytes", 1000)
    with pytest.raises(ValueError, match="unknown Liquid limit"):
        Client(secret_key=SECRET, liquid_limits={"max_loops": 1})._bridge([], "test")


# A hostile control while other requests are served.


@pytest.mark.parametrize("target", [EXECUTE, EXECUTE_ASYNC], ids=["sync-workflow", "async-workflow"])
def test_hostile_control_is_answered_quickly_while_serving_others(
    default_server: str, target: str, record_property: Any
) -> None:
    state = STATE if "async" not in target else STATE[:1]
    body = execute_body(CANONICAL_BOMB, state=state)
    with HealthProbe(default_server) as probe:
        time.sleep(0.05)
        started = time.monotonic()
        answer = post(default_server, target, body, timeout=HANG)
        elapsed = time.monotonic() - started
    record_property("bomb_seconds", round(elapsed, 3))
    print(f"canonical Liquid bomb answered in {elapsed:.3f} s; {len(probe.answers)} health checks meanwhile")
    check_answer(answer, strict=True)
    assert answer.status == 400, answer.describe()
    assert answer.json["code"] == "StepControlCompilationFailedError", answer.describe()
    assert elapsed < HANG, f"the hostile control took {elapsed:.1f} s"
    assert not probe.errors, f"health checks failed meanwhile: {probe.errors!r}"
    assert probe.answers, "no health check was answered"
    assert all(a.status == 200 for a in probe.answers), [a.describe() for a in probe.answers if a.status != 200]


def test_many_hostile_controls_at_once(default_server: str, record_property: Any) -> None:
    """Eight bombs in parallel: each refused, and the server answers a health check and a valid execute."""
    bombs = [
        CANONICAL_BOMB,
        "{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}",
        DOUBLE_TO.format(n=60),
        OUTPUT_OF.format(n=10_000_000),
    ] * 2
    answers: list[Answer | BaseException] = []
    lock = threading.Lock()

    def fire(template: str) -> None:
        try:
            result: Answer | BaseException = post(default_server, EXECUTE, execute_body(template), timeout=HANG * 2)
        except BaseException as e:
            result = e
        with lock:
            answers.append(result)

    threads = [threading.Thread(target=fire, args=(b,)) for b in bombs]
    started = time.monotonic()
    with HealthProbe(default_server) as probe:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=HANG * 3)
    elapsed = time.monotonic() - started
    record_property("eight_bombs_seconds", round(elapsed, 3))
    print(f"eight Liquid bombs in parallel answered in {elapsed:.3f} s")
    assert len(answers) == len(bombs), f"only {len(answers)} of {len(bombs)} hostile requests were answered"
    for a in answers:
        assert isinstance(a, Answer), f"a hostile request failed: {a!r}"
        check_answer(a, strict=True)
        assert a.status == 400 and a.json["code"] == "StepControlCompilationFailedError", a.describe()
    assert not probe.errors and probe.answers, f"health checks: {probe.errors!r}"
    assert all(a.status == 200 for a in probe.answers)
    valid = post(default_server, EXECUTE, execute_body("Hi {{payload.name}}"))
    check_answer(valid, strict=True)
    assert valid.status == 200 and valid.json["outputs"]["subject"] == "Hi Ada", valid.describe()


def test_hostile_control_in_workflow_run_is_refused_quickly(record_property: Any) -> None:
    """The local-run API (`workflow.run`) has the same budget."""
    from novu_framework.errors import StepControlCompilationFailedError

    from .apps import WORKFLOWS

    started = time.monotonic()
    with pytest.raises(StepControlCompilationFailedError) as info:
        WORKFLOWS[0].run("s1", {}, controls={"email": {"subject": CANONICAL_BOMB}})
    elapsed = time.monotonic() - started
    record_property("run_bomb_seconds", round(elapsed, 3))
    assert "max_iterations" in json.dumps(info.value.data), info.value.data
    assert elapsed < HANG
