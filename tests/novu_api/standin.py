"""A stand-in for the Novu API on loopback that records every request and answers from a per-test script.

Each request takes the next answer of the script (the last one repeats once the script runs out; with no
script, the default answers below apply):

- :func:`reply` — a status and a JSON body (``reply(201, {...})``, ``reply(422, api_error(422, "bad to"))``),
- :func:`reply_text` — a status and a non-JSON body (an HTML error page of a proxy),
- :func:`drop` — read the request, then close the socket without answering,
- :func:`slow` — wait ``seconds`` before answering (longer than the client's timeout),
- :func:`stall_body` — send the status line and headers at once, then hold the body back for ``seconds``,
- a callable ``(Recorded) -> Answer`` — computes the answer from the request.

Default answers, as the Novu API gives them (wrapped in ``data``):

- ``POST /v1/events/trigger`` → 201 ``{"data": {"acknowledged": true, "status": "processed", "transactionId": <sent>}}``
- ``DELETE /v1/events/trigger/<id>`` → 200 ``{"data": true}``
- ``POST /v1/bridge/sync`` → 201 ``{"data": []}``
- anything else → 404 in the API's error shape.

Example::

    with StandIn() as api:
        api.script(reply(503, api_error(503, "busy")), reply(201, {"data": {"transactionId": "t"}}))
        ...
        assert [r.method for r in api.requests] == ["POST", "POST"]
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Recorded:
    """One request as the stand-in received it."""

    method: str
    path: str
    """The request target: path with its query string, as sent."""
    headers: dict[str, str]
    """Header names in lower case (the last value wins)."""
    header_list: list[tuple[str, str]]
    """Every header line as sent, in order."""
    raw: bytes
    json: Any
    """The body parsed as JSON (key order kept), or ``None`` for an empty or non-JSON body."""
    received_at: float

    @property
    def route(self) -> str:
        """The path without its query."""
        return urlsplit(self.path).path

    @property
    def query(self) -> str:
        return urlsplit(self.path).query

    def header_count(self, name: str) -> int:
        return sum(1 for k, _ in self.header_list if k.lower() == name.lower())


@dataclass(frozen=True)
class Answer:
    kind: str  # "reply", "drop", "slow", "stall_body"
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    seconds: float = 0.0
    then: Answer | None = None


Script = Answer | Callable[[Recorded], Answer]


def api_error(status: int, message: str, error: str | None = None) -> dict[str, Any]:
    """The Novu API's error body: ``{"statusCode", "message", "error"}``."""
    names = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 409: "Conflict", 422: "Unprocessable Entity"}
    names.update({429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway"})
    names.update({503: "Service Unavailable"})
    return {"statusCode": status, "message": message, "error": error or names.get(status, "Error")}


def reply(status: int, body: Any) -> Answer:
    return Answer("reply", status=status, body=json.dumps(body).encode())


def reply_text(status: int, text: str, content_type: str = "text/html") -> Answer:
    return Answer("reply", status=status, body=text.encode(), content_type=content_type)


def drop() -> Answer:
    return Answer("drop")


def slow(seconds: float, then: Answer | None = None) -> Answer:
    return Answer("slow", seconds=seconds, then=then or reply(201, {"data": {"acknowledged": True}}))


def stall_body(seconds: float, status: int = 201) -> Answer:
    return Answer("stall_body", status=status, seconds=seconds)


def triggered(transaction_id: str, *, wrapped: bool = True) -> Answer:
    """The API's answer to a trigger."""
    data = {"acknowledged": True, "status": "processed", "transactionId": transaction_id}
    return reply(201, {"data": data} if wrapped else data)


class StandIn:
    """The Novu API stand-in: a ThreadingHTTPServer on 127.0.0.1:<free port>."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._script: list[Script] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._release = threading.Event()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in separate writes: without this, Nagle's algorithm and the
                # client's delayed ACK add ~40 ms to every answer on a kept-alive connection.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _read_body(self) -> bytes:
                if self.headers.get("transfer-encoding", "").lower() == "chunked":
                    chunks: list[bytes] = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            self.rfile.readline()
                            return b"".join(chunks)
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                length = int(self.headers.get("content-length") or 0)
                return self.rfile.read(length) if length else b""

            def _handle(self) -> None:
                raw = self._read_body()
                try:
                    parsed = json.loads(raw) if raw else None
                except ValueError:
                    parsed = None
                recorded = Recorded(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    header_list=list(self.headers.items()),
                    raw=raw,
                    json=parsed,
                    received_at=time.monotonic(),
                )
                answer = stand_in._record(recorded)
                self._answer(answer)

            def _answer(self, answer: Answer) -> None:
                try:
                    if answer.kind == "drop":
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    if answer.kind == "slow":
                        stand_in._release.wait(answer.seconds)
                        assert answer.then is not None
                        self._answer(answer.then)
                        return
                    if answer.kind == "stall_body":
                        body = json.dumps({"data": {"acknowledged": True}}).encode()
                        self.send_response(answer.status)
                        self.send_header("content-type", "application/json")
                        self.send_header("content-length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body[:5])
                        self.wfile.flush()
                        stand_in._release.wait(answer.seconds)
                        self.wfile.write(body[5:])
                        return
                    self.send_response(answer.status)
                    self.send_header("content-type", answer.content_type)
                    self.send_header("content-length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:
                    # The client gave up (timeout) and closed its end: nothing to answer.
                    self.close_connection = True

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

        self.server = Server((HOST, 0), Handler)
        self.url = f"http://{HOST}:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # -- script -----------------------------------------------------------------------------------------

    def script(self, *answers: Script) -> None:
        """Answers for the next requests, in turn; the last one repeats."""
        with self._lock:
            self._script = list(answers)

    def _record(self, recorded: Recorded) -> Answer:
        with self._arrived:
            self.requests.append(recorded)
            self._arrived.notify_all()
            if len(self._script) > 1:
                step = self._script.pop(0)
            elif self._script:
                step = self._script[0]
            else:
                step = self.default_answer
        return step(recorded) if callable(step) else step

    @staticmethod
    def default_answer(request: Recorded) -> Answer:
        if request.method == "POST" and request.route == "/v1/events/trigger":
            sent = request.json if isinstance(request.json, dict) else {}
            return triggered(str(sent.get("transactionId") or "generated-by-standin"))
        if request.method == "DELETE" and request.route.startswith("/v1/events/trigger/"):
            return reply(200, {"data": True})
        if request.method == "POST" and request.route == "/v1/bridge/sync":
            return reply(201, {"data": []})
        return reply(404, api_error(404, f"Cannot {request.method} {request.route}"))

    # -- inspection -------------------------------------------------------------------------------------

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> bool:
        """Blocks until at least `count` requests arrived (or `timeout`); returns whether they did."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self.requests) >= count, timeout)

    def only(self) -> Recorded:
        """The one request received; fails when there were none or several."""
        assert len(self.requests) == 1, [f"{r.method} {r.path}" for r in self.requests]
        return self.requests[0]

    # -- lifecycle --------------------------------------------------------------------------------------

    def start(self) -> StandIn:
        self._thread.start()
        return self

    def close(self) -> None:
        self._release.set()  # lets slow answers finish at once
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def unreachable_url() -> str:
    """A loopback URL nothing listens on (connections are refused)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://{HOST}:{port}"
