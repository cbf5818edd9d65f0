"""Fixtures: a clean Novu environment, the API stand-in, and a client pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from novu_framework import Client

from .helpers import SECRET
from .standin import StandIn

NOVU_ENV = (
    "NOVU_SECRET_KEY",
    "NOVU_API_KEY",
    "NOVU_SECRET_KEY_FALLBACK",
    "NOVU_API_URL",
    "NOVU_BRIDGE_ORIGIN",
    "NOVU_STRICT_AUTHENTICATION_ENABLED",
    "NEXT_PUBLIC_VERCEL_ENV",
    "NEXT_PUBLIC_VERCEL_URL",
    "NODE_ENV",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Novu variable of the developer's environment leaks into a test."""
    for name in NOVU_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def api() -> Iterator[StandIn]:
    with StandIn() as stand_in:
        yield stand_in


@pytest.fixture
def client(api: StandIn) -> Client:
    """Calls the stand-in; small budget, default retries (2)."""
    return Client(secret_key=SECRET, api_url=api.url, api_timeout=2.0, retries=2)
