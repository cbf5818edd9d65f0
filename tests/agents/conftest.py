"""The bridges the agent cases run against: the reference workflow and agents on Flask and on FastAPI, with
sync and with ``async def`` handlers, each served twice (strict authentication on and off), in front of the
Python stand-in for the Novu API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from novu_framework import Client, _turns

from ..support import serve_app
from . import harness
from .app import make_app
from .standin import AgentsApiStandIn

SERVED = [("flask", "sync"), ("flask", "async"), ("fastapi", "sync"), ("fastapi", "async")]


@pytest.fixture(scope="module", params=SERVED, ids=[f"{f}-{s}" for f, s in SERVED])
def bridges(request: pytest.FixtureRequest) -> Iterator[harness.Bridges]:
    framework, style = request.param
    with AgentsApiStandIn(harness.SECRET) as api:
        strict = Client(secret_key=harness.SECRET, strict_authentication=True, api_url=api.api_url)
        lax = Client(secret_key=harness.SECRET, strict_authentication=False, api_url=api.api_url)
        with (
            serve_app(framework, make_app(framework, style, strict)) as a,
            serve_app(framework, make_app(framework, style, lax)) as b,
        ):
            yield harness.Bridges(f"{a}/api/novu", f"{b}/api/novu", api, idle=lambda: _turns.running() == 0)
