"""An app for the shutdown tests, served by gunicorn or uvicorn in a subprocess: one agent whose handler
sleeps for the seconds its message says (``sleep:2``), then replies ``slept 2``. Settings from the
environment: ``NOVU_SECRET_KEY``, ``NOVU_API_URL`` and ``AGENT_SHUTDOWN_TIMEOUT``."""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from fastapi import FastAPI
from flask import Flask

from novu_framework import Client
from novu_framework.agents import agent
from novu_framework.fastapi import serve as serve_fastapi
from novu_framework.flask import serve as serve_flask


def sleeper(message: Any, ctx: Any) -> str:
    seconds = float(message.text.split(":")[1])
    time.sleep(seconds)
    return f"slept {message.text.split(':')[1]}"


async def async_sleeper(message: Any, ctx: Any) -> str:
    seconds = float(message.text.split(":")[1])
    await asyncio.sleep(seconds)
    return f"slept {message.text.split(':')[1]}"


def client() -> Client:
    return Client(agent_shutdown_timeout=float(os.environ.get("AGENT_SHUTDOWN_TIMEOUT", "25")))


flask_app = Flask("shutdown")
serve_flask(
    flask_app,
    client=client(),
    agents=[agent("sleeper", on_message=sleeper), agent("async-sleeper", on_message=async_sleeper)],
)

fastapi_app = FastAPI()
serve_fastapi(
    fastapi_app,
    client=client(),
    agents=[agent("sleeper", on_message=sleeper), agent("async-sleeper", on_message=async_sleeper)],
)
