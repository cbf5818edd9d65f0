"""One log record per bridge request on the `novu_framework` logger, with its extra fields, at a level that
follows the status; never a secret or a signature. Also as it shows under gunicorn and uvicorn, whose
default setup leaves the library's records to Python's last-resort handler (WARNING and up, to stderr)."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from novu_framework import Client, workflow
from novu_framework.flask import serve
from novu_framework.testing import sign

from ..support import serve_asgi
from .helpers import SECRET, call

FIELDS = ("action", "workflow_id", "step_id", "status", "duration_ms")


def explode(controls: dict[str, Any]) -> dict[str, Any]:
    raise RuntimeError("the template service is down")


@workflow("alerts")
def alerts(payload: dict[str, Any], step: Any) -> None:
    step.email("email", explode)


@workflow("alerts-async")
async def alerts_async(payload: dict[str, Any], step: Any) -> None:
    await step.email("email", explode)


def records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "novu_framework"]


def execute_body() -> bytes:
    return json.dumps({"payload": {}, "controls": {}, "state": []}).encode()


def test_one_record_per_request_at_the_level_of_its_status(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="novu_framework")
    app = Flask("logs")
    serve(app, workflows=[alerts], client=Client(secret_key=SECRET))
    client = app.test_client()
    signature = sign(None, SECRET)
    query = "/api/novu?action=execute&workflowId=alerts&stepId=email"

    client.get("/api/novu?action=discover", headers={"novu-signature": signature})
    (ok,) = records(caplog)
    assert ok.levelno == logging.DEBUG and ok.getMessage().startswith("GET discover: 200 in ")
    assert {f: getattr(ok, f) for f in FIELDS[:4]} == {
        "action": "discover",
        "workflow_id": None,
        "step_id": None,
        "status": 200,
    }
    assert isinstance(ok.duration_ms, float) and ok.duration_ms >= 0

    caplog.clear()
    wrong = sign(execute_body(), "not-the-secret")
    client.post(
        "/api/novu?action=execute&workflowId=alerts&stepId=email",
        data=execute_body(),
        headers={"novu-signature": wrong},
    )
    (refused,) = records(caplog)
    assert refused.levelno == logging.WARNING and refused.status == 401 and refused.exc_info is None
    assert refused.getMessage().startswith("POST execute alerts/email: 401 SignatureMismatchError in ")
    text = logging.Formatter().format(refused)
    assert SECRET not in text and wrong not in text and wrong.split("v1=")[1] not in text

    caplog.clear()
    body = execute_body()
    client.post(query, data=body, headers={"novu-signature": sign(body, SECRET)})
    (failed,) = records(caplog)
    assert failed.levelno == logging.ERROR and failed.status == 502
    assert (failed.action, failed.workflow_id, failed.step_id) == ("execute", "alerts", "email")
    formatted = logging.Formatter().format(failed)
    assert "StepExecutionFailedError" in formatted and "the template service is down" in formatted
    assert "Traceback" in formatted and "in explode" in formatted and SECRET not in formatted


def test_async_workflows_and_local_runs_log_the_same_way(caplog: pytest.LogCaptureFixture) -> None:
    from novu_framework.asgi import App

    caplog.set_level(logging.DEBUG, logger="novu_framework")
    app = App([alerts, alerts_async], client=Client(strict_authentication=False))
    with serve_asgi(app) as base:
        call(f"{base}/workflows/alerts-async/execute", {"to": "s", "payload": {}})
        call(f"{base}/workflows/missing/execute", {"to": "s", "payload": {}})
    failed, missing = records(caplog)
    assert (failed.levelno, failed.action, failed.workflow_id, failed.status) == (
        logging.ERROR,
        "run",
        "alerts-async",
        500,
    )
    assert failed.exc_info and "in explode" in logging.Formatter().format(failed)
    assert (missing.levelno, missing.status, missing.getMessage().split(" in ")[0]) == (
        logging.WARNING,
        404,
        "POST run missing: 404 WorkflowNotFoundError",
    )


WORKFLOW = """
from novu_framework import workflow

def explode(controls):
    raise RuntimeError("the template service is down")

@workflow("alerts")
def alerts(payload, step):
    step.email("email", explode)
"""


def served_output(tmp_path: Path, app_source: str, command: list[str], base: str) -> str:
    """Runs the server on a tiny app, sends one failing signed execute, stops it; returns its stderr."""
    (tmp_path / "logapp.py").write_text(WORKFLOW + textwrap.dedent(app_source))
    env = {**os.environ, "NOVU_SECRET_KEY": SECRET, "PYTHONPATH": str(tmp_path)}
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                call(base)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        query = "?action=execute&workflowId=alerts&stepId=email"
        status, _, _ = call(f"{base}{query}", json.loads(execute_body()), signed=SECRET)
        assert status == 502
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    return stderr


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_under_gunicorn(tmp_path: Path) -> None:
    port = free_port()
    source = """
    from flask import Flask
    from novu_framework.flask import serve

    app = Flask("app")
    serve(app, workflows=[alerts])
    """
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "logapp:app"]
    stderr = served_output(tmp_path, source, command, f"http://127.0.0.1:{port}/api/novu")
    assert "POST execute alerts/email: 502 StepExecutionFailedError in " in stderr, stderr
    assert "Traceback (most recent call last)" in stderr and "RuntimeError: the template service is down" in stderr
    assert SECRET not in stderr


def test_under_uvicorn(tmp_path: Path) -> None:
    port = free_port()
    source = """
    from novu_framework.asgi import App

    app = App([alerts])
    """
    command = [sys.executable, "-m", "uvicorn", "logapp:app", "--host", "127.0.0.1", "--port", str(port)]
    stderr = served_output(tmp_path, source, command, f"http://127.0.0.1:{port}")
    assert "POST execute alerts/email: 502 StepExecutionFailedError in " in stderr, stderr
    assert "RuntimeError: the template service is down" in stderr and SECRET not in stderr
