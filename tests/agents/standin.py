"""The Novu API stand-in for agent turns, a Python port of the corpus's ``mock-novu-api.mjs``: two loopback
listeners sharing one log, ``api`` (where the bridge's ``NOVU_API_URL`` points) and ``foreign`` (another
origin), the same routes and the same failure path prefixes.

Routes (either origin):

- ``POST /v1/agents/<id>/reply`` → 200 ``{"data": {"messageId": "mock-msg-<n>", "platformThreadId":
  "mock-thread-1"}}`` (an ``edit`` answers with the edited message's id);
- ``POST /v1/agents/<id>/events`` → 200 ``{"data": {"accepted": <number of events>}}``;
- ``POST /v1/events/trigger`` → 201 with an echo;
- prefixes: ``/fail-<code>/...`` always answers ``<code>``; ``/flaky-<code>/...`` answers ``<code>`` to the first
  request on that path; ``/empty/...`` 200 with no body; ``/bare/...`` an unwrapped handle; ``/slow-<ms>/...``
  waits first;
- anything else → 404.

Control routes (not logged): ``GET /__log``, ``POST /__reset``, ``GET /__info``, ``GET /__quiet?ms=&max=``.

Run it on its own (``python tests/agents/standin.py --port 4199 --foreign-port 4198``) to point
``tests/agents/serve.py`` at it.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"
_PREFIX = re.compile(r"^/(fail|flaky|slow)-(\d+)(/.*)$|^/(empty|bare)(/.*)$")
_REPLY = re.compile(r"^/v1/agents/[^/]+/reply$")
_EVENTS = re.compile(r"^/v1/agents/[^/]+/events$")


class AgentsApiStandIn:
    """Both listeners, their shared log, and what a test needs: :meth:`reset`, :attr:`requests`,
    :meth:`wait_quiet`."""

    def __init__(self, secret: str, port: int = 0, foreign_port: int = 0) -> None:
        self.secret = secret
        self.lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        self.inflight = 0
        self.last_activity = time.monotonic()
        self.messages = 0
        self.flaky_seen: set[str] = set()
        self.servers = [self._listener("api", port), self._listener("foreign", foreign_port)]
        self.api_url = f"http://{HOST}:{self.servers[0].server_port}"
        self.foreign_url = f"http://{HOST}:{self.servers[1].server_port}"
        self.threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in self.servers]

    def __enter__(self) -> AgentsApiStandIn:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for s in self.servers:
            s.shutdown()
            s.server_close()
        for t in self.threads:
            t.join(timeout=10)

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.messages = 0
            self.flaky_seen.clear()
            self.last_activity = time.monotonic()

    def snapshot(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.requests)

    def wait_quiet(self, quiet: float = 1.0, limit: float = 30.0) -> bool:
        """Waits until no request is in flight and none arrived or finished for ``quiet`` seconds (counted from
        this call at the earliest), at most ``limit`` seconds; returns whether it got quiet."""
        start = time.monotonic()
        while True:
            now = time.monotonic()
            with self.lock:
                calm = self.inflight == 0 and now - max(self.last_activity, start) >= quiet
            if calm:
                return True
            if now - start >= limit:
                return False
            time.sleep(0.01)

    def _answer(self, origin: str, method: str, path: str, body: Any) -> tuple[int, bytes]:
        mode, rest = None, path
        m = _PREFIX.match(path)
        if m:
            if m.group(4):
                mode, rest = (m.group(4), 0), m.group(5)
            else:
                mode, rest = (m.group(1), int(m.group(2))), m.group(3)
        if mode and mode[0] == "fail":
            return mode[1], _json({"statusCode": mode[1], "message": f"mock failure {mode[1]}", "error": "Mock Error"})
        if mode and mode[0] == "flaky":
            key = f"{origin} {path}"
            with self.lock:
                first = key not in self.flaky_seen
                self.flaky_seen.add(key)
            if first:
                body_ = {"statusCode": mode[1], "message": f"mock flaky failure {mode[1]}", "error": "Mock Error"}
                return mode[1], _json(body_)
        if mode and mode[0] == "slow":
            time.sleep(mode[1] / 1000)
        if method == "POST" and rest == "/v1/events/trigger":
            ok = isinstance(body, dict)
            return 201, _json(
                {
                    "acknowledged": True,
                    "status": "processed",
                    "transactionId": (body.get("transactionId") if ok else None) or "mock-transaction-id",
                    "received": {"body": body},
                }
            )
        if method == "POST" and _REPLY.match(rest):
            if mode and mode[0] == "empty":
                return 200, b""
            edit = body.get("edit") if isinstance(body, dict) else None
            if isinstance(edit, dict):
                message_id = edit.get("messageId")
            else:
                with self.lock:
                    self.messages += 1
                    message_id = f"mock-msg-{self.messages}"
            info = {"messageId": message_id, "platformThreadId": "mock-thread-1"}
            return 200, _json(info if mode and mode[0] == "bare" else {"data": info})
        if method == "POST" and _EVENTS.match(rest):
            if mode and mode[0] == "empty":
                return 200, b""
            events = body.get("events") if isinstance(body, dict) else None
            return 200, _json({"data": {"accepted": len(events) if isinstance(events, list) else 0}})
        return 404, _json({"statusCode": 404, "message": "mock: no route", "error": "Not Found"})

    def _control(self, method: str, path: str, query: str) -> tuple[int, bytes]:
        if path == "/__log" and method == "GET":
            with self.lock:
                return 200, _json({"requests": self.requests, "inflight": self.inflight})
        if path == "/__info" and method == "GET":
            return 200, _json({"apiUrl": self.api_url, "foreignUrl": self.foreign_url})
        if path == "/__reset" and method == "POST":
            self.reset()
            return 200, _json({"ok": True})
        if path == "/__quiet" and method == "GET":
            q = parse_qs(query)
            start = time.monotonic()
            quiet = self.wait_quiet(float(q.get("ms", ["1000"])[0]) / 1000, float(q.get("max", ["30000"])[0]) / 1000)
            waited = round((time.monotonic() - start) * 1000)
            return 200, _json({"quiet": quiet, "waitedMs": waited, "requests": len(self.requests)})
        return 404, _json({"statusCode": 404, "message": "mock: no control route", "error": "Not Found"})

    def _listener(self, origin: str, port: int) -> ThreadingHTTPServer:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _handle(self) -> None:
                url = urlsplit(self.path)
                control = url.path.startswith("/__")
                if not control:
                    with stand_in.lock:
                        stand_in.inflight += 1
                        stand_in.last_activity = time.monotonic()
                try:
                    length = int(self.headers.get("content-length") or 0)
                    raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
                    if control:
                        status, data = stand_in._control(self.command, url.path, url.query)
                    else:
                        try:
                            body: Any = json.loads(raw) if raw else None
                        except ValueError:
                            body = raw
                        entry: dict[str, Any] = {
                            "at": time.time(),
                            "origin": origin,
                            "method": self.command,
                            "path": url.path,
                            "query": {k: v[0] for k, v in parse_qs(url.query).items()},
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "rawBody": raw,
                            "body": body,
                        }
                        with stand_in.lock:
                            entry["seq"] = len(stand_in.requests) + 1
                            stand_in.requests.append(entry)
                        status, data = stand_in._answer(origin, self.command, url.path, body)
                        entry["answered"] = status
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    if not control:
                        with stand_in.lock:
                            stand_in.inflight -= 1
                            stand_in.last_activity = time.monotonic()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        server = _Server((HOST, port), Handler)
        server.daemon_threads = True
        return server


class _Server(ThreadingHTTPServer):
    # A deep accept queue: a bridge under load opens many connections at once.
    request_queue_size = 1024


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=4199)
    parser.add_argument("--foreign-port", type=int, default=0)
    parser.add_argument("--secret", default="ref-secret-key")
    args = parser.parse_args()
    with AgentsApiStandIn(args.secret, args.port, args.foreign_port) as api:
        print(f"agents stand-in on {api.api_url} (api) and {api.foreign_url} (foreign)", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
