"""Graceful shutdown under real servers (gunicorn's sync and gthread workers and uvicorn, serving Flask,
FastAPI or Django): a turn running when
the server is told to stop (SIGTERM) still finishes and posts its reply; a turn that would outlast the
shutdown timeout does not keep the process alive past it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .harness import SECRET, exchange
from .helpers import event_body, post
from .standin import AgentsApiStandIn

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def command(server: str, port: int, shutdown_timeout: float) -> list[str]:
    bind = f"127.0.0.1:{port}"
    if server in ("uvicorn", "django-uvicorn"):
        # uvicorn waits for running requests, turns included; it bounds that wait itself.
        bound = ["--timeout-graceful-shutdown", "1"] if shutdown_timeout < 5 else []
        app = f"tests.agents.{'shutdown_django:asgi_app' if server == 'django-uvicorn' else 'shutdown_app:fastapi_app'}"
        return [str(BIN / "uvicorn"), app, "--port", str(port), *bound]
    worker = ["-k", "gthread", "--threads", "4"] if server.endswith("gthread") else ["-k", "sync"]
    app = f"tests.agents.{'shutdown_django:wsgi_app' if server.startswith('django') else 'shutdown_app:flask_app'}"
    return [
        str(BIN / "gunicorn"),
        *worker,
        "-w",
        "1",
        "-b",
        bind,
        "--graceful-timeout",
        "30",
        app,
    ]


@contextmanager
def server(name: str, api: AgentsApiStandIn, shutdown_timeout: float) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    env = {
        **os.environ,
        "NOVU_SECRET_KEY": SECRET,
        "NOVU_API_URL": api.api_url,
        "AGENT_SHUTDOWN_TIMEOUT": str(shutdown_timeout),
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        command(name, port, shutdown_timeout), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/api/novu"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if exchange("GET", f"{url}?action=health-check", None, {})[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{name} did not start: {process.communicate(timeout=5)[0].decode()[-2000:]}")
            time.sleep(0.1)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def stop(process: subprocess.Popen[bytes]) -> float:
    """SIGTERM, then how long the process took to exit."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    return time.monotonic() - started


SERVERS = ["gunicorn-sync", "gunicorn-gthread", "uvicorn", "django-gunicorn-gthread", "django-uvicorn"]


@pytest.mark.parametrize("agent", ["sleeper", "async-sleeper"])
@pytest.mark.parametrize("name", SERVERS)
def test_running_turns_finish_on_graceful_shutdown(name: str, agent: str) -> None:
    with AgentsApiStandIn(SECRET) as api, server(name, api, shutdown_timeout=25) as (process, url):
        status, _, _ = post(url, event_body(f"{api.api_url}/v1/agents/{agent}/reply", "sleep:1.5"), agent=agent)
        assert status == 200
        took = stop(process)
        replies = [r["body"] for r in api.snapshot()]
        assert {
            "conversationId": "conv_1",
            "integrationIdentifier": "slack-main",
            "reply": {"markdown": "slept 1.5"},
        } in replies
        assert replies[-1]["typing"] == "stop"
        assert 0.8 < took < 20, took


@pytest.mark.parametrize("name", SERVERS)
def test_shutdown_waits_no_longer_than_its_timeout(name: str) -> None:
    agent = "async-sleeper" if name == "uvicorn" else "sleeper"
    with AgentsApiStandIn(SECRET) as api, server(name, api, shutdown_timeout=1) as (process, url):
        status, _, _ = post(url, event_body(f"{api.api_url}/v1/agents/{agent}/reply", "sleep:60"), agent=agent)
        assert status == 200
        took = stop(process)
        assert took < 10, took
        output = process.stdout.read().decode() if process.stdout else ""
        if "uvicorn" not in name:  # uvicorn bounds the wait itself and re-raises SIGTERM (no exit handlers)
            assert "1 agent turn(s) still running at exit after 1.0 s" in output
        assert api.snapshot() == []
