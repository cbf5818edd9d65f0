"""Every recorded case of the agents corpus, replayed over real HTTP on loopback against the Flask and the
FastAPI adapter (each with strict authentication on and off, as the corpus needs), with the reference agents
written with sync handlers and with ``async def`` ones, and the Python stand-in for the Novu API behind them:
the answer and every outbound call must match the recording, except where ``deviations.json`` allows better.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from novu_framework import Client, _turns

from ..support import serve_app
from . import harness
from .app import make_app
from .standin import AgentsApiStandIn

CASES = harness.cases()
DEVIATIONS = harness.deviations()
SERVED = [("flask", "sync"), ("flask", "async"), ("fastapi", "sync"), ("fastapi", "async")]


@pytest.fixture(scope="module", params=SERVED, ids=[f"{f}-{s}" for f, s in SERVED])
def bridges(request: pytest.FixtureRequest) -> Iterator[harness.Bridges]:
    framework, style = request.param
    with AgentsApiStandIn(harness.SECRET) as api:
        strict = Client(secret_key=harness.SECRET, strict_authentication=True, api_url=api.api_url)
        lax = Client(secret_key=harness.SECRET, strict_authentication=False, api_url=api.api_url)
        with serve_app(framework, make_app(framework, style, strict)) as a, serve_app(
            framework, make_app(framework, style, lax)
        ) as b:
            yield harness.Bridges(f"{a}/api/novu", f"{b}/api/novu", api, idle=lambda: _turns.running() == 0)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_recorded_case(bridges: harness.Bridges, case: dict[str, Any]) -> None:
    got = harness.run(case, bridges)
    diffs = harness.compare(case, got, DEVIATIONS.get(case["id"]))
    assert not diffs, "\n".join(diffs)
