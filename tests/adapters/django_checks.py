"""Run in a child process from the example Django project's folder (Django is configured once per process):
prints, as JSON, which of the bridge's views Django's sync and async handlers ran, and what the settings
make of strict authentication."""

from __future__ import annotations

import asyncio
import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
django.setup()

from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import AsyncClient, Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.urls import URLResolver, get_resolver  # noqa: E402

from novu_framework.django import BridgePattern, novu_urls  # noqa: E402

setup_test_environment()
ran: list[str] = []
include = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver))
bridge = next(p for p in include.url_patterns if isinstance(p, BridgePattern))
sync_view, async_view = bridge.callback, bridge.async_view


def recorded_sync(request: HttpRequest, rest: str = "") -> HttpResponse:
    ran.append("sync")
    return sync_view(request, rest)


async def recorded_async(request: HttpRequest, rest: str = "") -> HttpResponse:
    ran.append("async")
    return await async_view(request, rest)


bridge.callback, bridge.async_view = recorded_sync, recorded_async


def discover_status() -> int:
    """The status of an unsigned discover on a bridge built from the current settings."""
    (pattern,) = novu_urls(workflows=[])
    status, _ = pattern.endpoint.answer({"REQUEST_METHOD": "GET", "QUERY_STRING": "action=discover"}, "", b"")
    return status


sync_answer = Client().get("/api/novu")
async_answer = asyncio.run(AsyncClient().get("/api/novu"))
settings_cases = {
    "key_from_the_environment": {},
    "strict_false_as_text": {"NOVU_STRICT_AUTHENTICATION_ENABLED": "false"},
    "strict_false": {"NOVU_STRICT_AUTHENTICATION_ENABLED": False},
    "strict_true": {"NOVU_STRICT_AUTHENTICATION_ENABLED": True},
}
statuses = {}
for name, overrides in settings_cases.items():
    with override_settings(**overrides):
        statuses[name] = discover_status()
answers = [[a.status_code, a["content-type"]] for a in (sync_answer, async_answer)]
print(json.dumps({"ran": ran, "answers": answers, "discover": statuses}))
