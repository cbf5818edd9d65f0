"""Every case of the vendored corpus, over real HTTP on loopback, against the Flask and the FastAPI
adapter, with strict authentication on and a loopback stand-in for the Novu API; once with the reference
workflows written as sync functions and once as `async def` (and, for FastAPI, once more with sync
workflows run on the event loop instead of the thread pool)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from novu_framework import Client

from ..support import NovuApiStandIn, serve_app
from . import harness
from .app import make_app

SECRET = "ref-secret-key"
CASES = harness.cases()
EXPECTED = harness.expected()
DEVIATIONS = harness.deviations()


SERVED = [("flask", "sync"), ("flask", "async"), ("fastapi", "sync"), ("fastapi", "async"), ("fastapi-inline", "sync")]


@pytest.fixture(scope="module", params=SERVED, ids=[f"{framework}-{style}" for framework, style in SERVED])
def bridge_url(request: pytest.FixtureRequest) -> Iterator[str]:
    framework, style = request.param
    with NovuApiStandIn(SECRET) as api:
        client = Client(secret_key=SECRET, strict_authentication=True, api_url=api.url)
        server = "flask" if framework == "flask" else "fastapi"
        with serve_app(server, make_app(framework, style, client)) as base:
            yield f"{base}/api/novu"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(bridge_url: str, case: dict[str, Any]) -> None:
    actual = harness.send(bridge_url, case, SECRET)
    diffs = harness.compare(EXPECTED[case["id"]], actual, DEVIATIONS.get(case["id"]))
    assert not diffs, "\n".join(diffs)
