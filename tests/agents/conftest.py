"""The bridges the agent cases run against: the reference workflow and agents on every adapter, each served
twice (strict authentication on and off) in front of the Python stand-in for the Novu API.

Flask and FastAPI are served in this process, with sync and with ``async def`` handlers. Django (WSGI and
ASGI) and the standalone ASGI and WSGI apps are served by ``serve.py`` in child processes configured by the
environment (Django is configured once per process), each with one handler flavour: the one its server does
not run natively (sync handlers under ASGI, ``async def`` ones under WSGI) for the standalone apps, and the
other one for Django, so that every path a turn can take is covered."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from novu_framework import Client, _turns

from ..support import serve_app, serve_script
from . import harness
from .app import ASGI, TURNS_PATH, make_app
from .standin import AgentsApiStandIn

SERVE = Path(__file__).with_name("serve.py")
IN_PROCESS = [("flask", "sync"), ("flask", "async"), ("fastapi", "sync"), ("fastapi", "async")]
CHILD = [("django", "sync"), ("django-asgi", "async"), ("asgi", "sync"), ("wsgi", "async")]
SERVED = IN_PROCESS + CHILD


def idle_children(bases: list[str]) -> Callable[[], bool]:
    def idle() -> bool:
        for base in bases:
            with urllib.request.urlopen(f"{base}{TURNS_PATH}", timeout=10) as answer:
                if answer.read() != b"0":
                    return False
        return True

    return idle


@pytest.fixture(scope="module", params=SERVED, ids=[f"{f}-{s}" for f, s in SERVED])
def bridges(request: pytest.FixtureRequest) -> Iterator[harness.Bridges]:
    framework, style = request.param
    with AgentsApiStandIn(harness.SECRET) as api, ExitStack() as stack:
        bases = []
        for strict in (True, False):
            if (framework, style) in IN_PROCESS:
                client = Client(secret_key=harness.SECRET, strict_authentication=strict, api_url=api.api_url)
                server = "fastapi" if framework in ASGI else "flask"
                bases.append(stack.enter_context(serve_app(server, make_app(framework, style, client))))
                continue
            env = {
                "NOVU_SECRET_KEY": harness.SECRET,
                "NOVU_STRICT_AUTHENTICATION_ENABLED": str(strict).lower(),
                "NOVU_API_URL": api.api_url,
            }
            args = ["--framework", framework, "--style", style, "--expose-turns"]
            bases.append(stack.enter_context(serve_script(str(SERVE), args, env)))
        idle = (lambda: _turns.running() == 0) if (framework, style) in IN_PROCESS else idle_children(bases)
        yield harness.Bridges(f"{bases[0]}/api/novu", f"{bases[1]}/api/novu", api, idle=idle)
