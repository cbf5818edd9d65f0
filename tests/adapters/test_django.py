"""The example Django project (examples/django) serving a bridge: under gunicorn (WSGI, sync views) and
uvicorn (ASGI, async views) over real HTTP, with Django's CSRF middleware on; which view each handler gets;
settings before the environment; and `novu-framework discover` with the settings module."""

from __future__ import annotations

import json
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

from .helpers import call

PROJECT = Path(__file__).resolve().parents[2] / "examples" / "django"
SECRET = "sk-django"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NOVU_", "DJANGO_"))}
    return {**clean, "PYTHONPATH": str(PROJECT), **extra}


@contextmanager
def project_served(command: list[str], port: int) -> Iterator[str]:
    proc = subprocess.Popen(command, cwd=PROJECT, env=env(NOVU_SECRET_KEY=SECRET), stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                call(f"{base}/health")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


def check_project(base: str) -> None:
    assert call(f"{base}/health")[2] == {"ok": True}
    status, headers, health = call(f"{base}/api/novu")
    assert status == 200 and health["discovered"] == {"workflows": 2, "steps": 4}
    assert headers["novu-framework-server"] == "django"
    assert call(f"{base}/api/novu?action=discover")[0] == 401  # strict: NOVU_SECRET_KEY is set
    status, _, doc = call(f"{base}/api/novu/?action=discover", signed=SECRET)
    assert status == 200 and [w["workflowId"] for w in doc["workflows"]] == ["welcome", "weekly-digest"]
    # POSTs without a CSRF token: the bridge's views are exempt (Novu signs its requests instead).
    for workflow_id in ("welcome", "weekly-digest"):
        status, _, run = call(
            f"{base}/api/novu/workflows/{workflow_id}/execute", {"to": "s", "payload": {}}, signed=SECRET
        )
        assert status == 200 and run["status"] == "completed", run
    event = {"payload": {"name": "Ada"}, "controls": {}, "state": []}
    status, _, answer = call(f"{base}/api/novu?action=preview&workflowId=welcome&stepId=inbox", event, signed=SECRET)
    assert status == 200 and answer["outputs"] == {"body": "Welcome, Ada!"}
    status, headers, missing = call(f"{base}/api/novu/elsewhere", signed=SECRET)
    assert status == 404 and headers["content-type"] == "application/json" and missing["code"] == "NotFoundError"


def test_under_gunicorn_wsgi() -> None:
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "mysite.wsgi"]
    with project_served(command, port) as base:
        check_project(base)


def test_under_uvicorn_asgi() -> None:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "mysite.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    with project_served(command, port) as base:
        check_project(base)


def test_views_follow_the_handler_and_settings_come_before_the_environment() -> None:
    checks = Path(__file__).with_name("django_checks.py")
    done = subprocess.run(
        [sys.executable, str(checks)],
        cwd=PROJECT,
        env=env(NOVU_SECRET_KEY="from-the-environment", NOVU_STRICT_AUTHENTICATION_ENABLED="false"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ran"] == ["sync", "async"]  # Django's test Client is a sync handler, AsyncClient an async one
    assert result["answers"] == [[200, "application/json"]] * 2
    assert result["discover"] == {
        "key_from_the_environment": 200,  # nothing in the settings: the environment's `false`
        "strict_false_as_text": 200,
        "strict_false": 200,
        "strict_true": 401,  # the settings win, with the environment's key
    }


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_discover_a_django_project_by_its_settings_module(extra: list[str]) -> None:
    command = [sys.executable, "-m", "novu_framework", "discover", "mysite.settings", *extra]
    done = subprocess.run(command, cwd=PROJECT, env=env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    if extra:
        assert [w["workflowId"] for w in json.loads(done.stdout)["workflows"]] == ["welcome", "weekly-digest"]
    else:
        assert done.stdout.startswith("2 workflow(s), 4 step(s)")
