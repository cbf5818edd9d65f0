"""Every case of the vendored corpus, over real HTTP on loopback, against the Flask and the FastAPI
adapter, with strict authentication on and a loopback stand-in for the Novu API; once with the reference
workflows written as sync functions and once as `async def`."""

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


@pytest.fixture(scope="module", params=["flask", "fastapi"])
def framework(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module", params=["sync", "async"])
def style(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def bridge_url(framework: str, style: str) -> Iterator[str]:
    with NovuApiStandIn(SECRET) as api:
        client = Client(secret_key=SECRET, strict_authentication=True, api_url=api.url)
        with serve_app(framework, make_app(framework, style, client)) as base:
            yield f"{base}/api/novu"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(bridge_url: str, case: dict[str, Any]) -> None:
    actual = harness.send(bridge_url, case, SECRET)
    diffs = harness.compare(EXPECTED[case["id"]], actual, DEVIATIONS.get(case["id"]))
    assert not diffs, "\n".join(diffs)
