"""Every case of the vendored corpus, over real HTTP on loopback, against every adapter, with strict
authentication on and a loopback stand-in for the Novu API; with the reference workflows written as sync
functions and as `async def`. Flask and FastAPI are served in this process (FastAPI once more with sync
workflows run on the event loop instead of the thread pool); Django (WSGI and ASGI) and the standalone
ASGI and WSGI apps are served by `serve.py` in a child process, configured by the environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from novu_framework import Client

from ..support import NovuApiStandIn, serve_app, serve_script
from . import harness
from .app import ASGI, make_app

SECRET = "ref-secret-key"
CASES = harness.cases()
EXPECTED = harness.expected()
DEVIATIONS = harness.deviations()
SERVE = Path(__file__).with_name("serve.py")

IN_PROCESS = [
    ("flask", "sync"),
    ("flask", "async"),
    ("fastapi", "sync"),
    ("fastapi", "async"),
    ("fastapi-inline", "sync"),
]
CHILD = [
    ("django", "sync"),
    ("django", "async"),
    ("django-asgi", "sync"),
    ("django-asgi", "async"),
    ("asgi", "sync"),
    ("asgi", "async"),
    ("wsgi", "sync"),
    ("wsgi", "async"),
]
SERVED = IN_PROCESS + CHILD


@pytest.fixture(scope="module", params=SERVED, ids=[f"{framework}-{style}" for framework, style in SERVED])
def bridge_url(request: pytest.FixtureRequest) -> Iterator[str]:
    framework, style = request.param
    with NovuApiStandIn(SECRET) as api:
        if (framework, style) in IN_PROCESS:
            client = Client(secret_key=SECRET, strict_authentication=True, api_url=api.url)
            server = "fastapi" if framework in ASGI else "flask"
            with serve_app(server, make_app(framework, style, client)) as base:
                yield f"{base}/api/novu"
            return
        env = {"NOVU_SECRET_KEY": SECRET, "NOVU_STRICT_AUTHENTICATION_ENABLED": "true", "NOVU_API_URL": api.url}
        with serve_script(str(SERVE), ["--framework", framework, "--style", style], env) as base:
            yield f"{base}/api/novu"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(bridge_url: str, case: dict[str, Any]) -> None:
    actual = harness.send(bridge_url, case, SECRET)
    diffs = harness.compare(EXPECTED[case["id"]], actual, DEVIATIONS.get(case["id"]))
    assert not diffs, "\n".join(diffs)
