"""Every case of the vendored corpus, over real HTTP on loopback, against every adapter, with strict
authentication on and a loopback stand-in for the Novu API; with the reference workflows written as sync
functions and as `async def`. Flask and FastAPI are served in this process (FastAPI once more with sync
workflows run on the event loop instead of the thread pool); Django (WSGI and ASGI) and the standalone
ASGI and WSGI apps are served by `serve.py` in a child process, configured by the environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from novu_framework import Client

from ..support import NovuApiStandIn, serve_app
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_serving(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"serve.py exited with {proc.returncode}: {output}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"serve.py did not answer at {url} within 30 s")


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
        port = free_port()
        env = {
            **os.environ,
            "NOVU_SECRET_KEY": SECRET,
            "NOVU_STRICT_AUTHENTICATION_ENABLED": "true",
            "NOVU_API_URL": api.url,
        }
        args = [sys.executable, str(SERVE), "--framework", framework, "--port", str(port), "--style", style]
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            url = f"http://127.0.0.1:{port}/api/novu"
            wait_until_serving(url, proc)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=15)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(bridge_url: str, case: dict[str, Any]) -> None:
    actual = harness.send(bridge_url, case, SECRET)
    diffs = harness.compare(EXPECTED[case["id"]], actual, DEVIATIONS.get(case["id"]))
    assert not diffs, "\n".join(diffs)
