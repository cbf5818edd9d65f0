"""Real HTTP servers on loopback for the tests: the apps under test (in this process, or a script serving
them in a child process), and a stand-in for the Novu API that records what it receives."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"


@contextmanager
def serve_wsgi(app: Any) -> Iterator[str]:
    """Serves a WSGI app (Flask) with Werkzeug's threaded server; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server(HOST, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def serve_asgi(app: Any) -> Iterator[str]:
    """Serves an ASGI app (FastAPI) with uvicorn in a thread; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 10 s")
        time.sleep(0.01)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def serve_app(framework: str, app: Any) -> Iterator[str]:
    with serve_wsgi(app) if framework == "flask" else serve_asgi(app) as base:
        yield base


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_script(script: str, args: Sequence[str], env: dict[str, str], probe: str = "/api/novu") -> Iterator[str]:
    """Runs ``python script --port N *args`` with ``env`` added to this environment; yields its base URL once
    ``probe`` answers, and stops it (SIGTERM) afterwards. Its output goes to a file, not a pipe that nobody
    reads while it serves (a full pipe would block the server's logging)."""
    port = free_port()
    command = [sys.executable, script, "--port", str(port), *args]
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(command, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT)
        base = f"http://{HOST}:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if proc.poll() is not None:
                    output.seek(0)
                    raise RuntimeError(f"{script} exited with {proc.returncode}: {output.read().decode()[-4000:]}")
                try:
                    urllib.request.urlopen(f"{base}{probe}", timeout=1).read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{script} did not answer at {base}{probe} within 30 s") from None
                    time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


class NovuApiStandIn:
    """The Novu API as the conformance recording saw it: `POST /v1/events/trigger` answers 201 with an echo
    of what it received; anything else 404. Every request is recorded; `responder` can override answers."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.requests: list[dict[str, Any]] = []
        self.responder: Callable[[dict[str, Any]], tuple[int, Any] | None] | None = None
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                request = {
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                    "raw": raw,
                }
                stand_in.requests.append(request)
                answer = stand_in.responder(request) if stand_in.responder else None
                if answer is None:
                    answer = stand_in.default_answer(request)
                status, payload = answer
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.url = f"http://{HOST}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def default_answer(self, request: dict[str, Any]) -> tuple[int, Any]:
        if request["method"] == "POST" and request["path"] == "/v1/events/trigger":
            body = request["body"]
            return 201, {
                "acknowledged": True,
                "status": "processed",
                "transactionId": (body or {}).get("transactionId") or "mock-transaction-id",
                "received": {
                    "authorizationOk": request["headers"].get("authorization") == f"ApiKey {self.secret}",
                    "body": body,
                },
            }
        return 404, {"statusCode": 404, "message": "mock: no route", "error": "Not Found"}

    def __enter__(self) -> NovuApiStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
