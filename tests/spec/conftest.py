"""Servers for the spec tests: the fixture workflows behind the Flask or the FastAPI adapter on loopback,
once with strict authentication off and once on (secret `sk_test`), and a Novu API stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from novu_framework import Client, Workflow

from ..support import NovuApiStandIn, serve_app
from . import workflows
from .client import Bridge

SECRET = "sk_test"


def make_app(framework: str, served: list[Workflow], client: Client) -> Any:
    """A Flask or FastAPI app serving `served` at /api/novu."""
    if framework == "flask":
        from flask import Flask

        from novu_framework.flask import serve as serve_flask

        flask_app = Flask("spec")
        serve_flask(flask_app, route="/api/novu", workflows=served, client=client)
        return flask_app
    from fastapi import FastAPI

    from novu_framework.fastapi import serve as serve_fastapi

    fastapi_app = FastAPI()
    serve_fastapi(fastapi_app, route="/api/novu", workflows=served, client=client)
    return fastapi_app


@pytest.fixture(scope="module", params=["flask", "fastapi"])
def framework(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def api_stand_in() -> Iterator[NovuApiStandIn]:
    with NovuApiStandIn(SECRET) as stand_in:
        yield stand_in


@pytest.fixture
def api(api_stand_in: NovuApiStandIn) -> Iterator[NovuApiStandIn]:
    """The Novu API stand-in, with no recorded request and its default answers."""
    api_stand_in.requests.clear()
    api_stand_in.responder = None
    yield api_stand_in
    api_stand_in.responder = None


@pytest.fixture(scope="module")
def bridge(framework: str, api_stand_in: NovuApiStandIn) -> Iterator[Bridge]:
    """§20's default setting: strict authentication off, secret key configured, route /api/novu."""
    client = Client(secret_key=SECRET, strict_authentication=False, api_url=api_stand_in.url)
    with serve_app(framework, make_app(framework, workflows.WORKFLOWS, client)) as base:
        yield Bridge(base, SECRET)


@pytest.fixture(scope="module")
def strict_bridge(framework: str, api_stand_in: NovuApiStandIn) -> Iterator[Bridge]:
    """The authentication items' setting: strict authentication on, secret `sk_test`."""
    client = Client(secret_key=SECRET, strict_authentication=True, api_url=api_stand_in.url)
    with serve_app(framework, make_app(framework, workflows.WORKFLOWS, client)) as base:
        yield Bridge(base, SECRET)


@pytest.fixture(autouse=True)
def _fresh_spies() -> None:
    workflows.reset()
