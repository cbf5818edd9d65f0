"""Concurrent soak: many mixed requests from many clients at once, every answer checked against the answer to
the same request sent alone.

    python benches/soak.py --framework {flask,fastapi} --requests N --concurrency C [--seed S]

Serves the reference workflows (benches/soak_apps.py: sync ones at /api/novu, `async def` ones at
/api/novu-async) under gunicorn with gthread workers (--workers, --threads > 1) or under uvicorn, strict
authentication on with a primary and a fallback key, `action=trigger` forwarded to a loopback stand-in for
the Novu API. The requests are every case of the conformance corpus on both routes (every action, valid and
invalid; missing, malformed, expired, wrong-key and fallback-key signatures), local runs of every workflow,
and bodies from empty to large (256 KiB payloads) and oversized (over the 1 MiB limit).

First each distinct request is sent alone, twice (values that differ between the two, like a run's
duration, are compared by type only afterwards); then N requests drawn at random (seeded) are sent by C
concurrent clients on keep-alive connections, in two halves. An answer is unexpected when its status,
content type or body differs from the one sent alone, or when none arrives; a line of the server's log that
holds a key counts too. The server's resident memory (all its processes) is read after each half. Ends with
`N requests, U unexpected, RSS a -> b MiB` and exits 0 exactly when U is 0.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benches.soak_apps import MAX_BODY_BYTES, ROUTES  # noqa: E402
from tests.conformance import harness  # noqa: E402
from tests.support import NovuApiStandIn  # noqa: E402

SECRET = "soak-primary-key"
FALLBACK = "soak-fallback-key"
WORKFLOWS = ["welcome", "digest-flow", "delay-then-push", "custom-step", "strict-payload", "throwing", "prefs"]
SUBSCRIBER = {"subscriberId": "sub-1", "firstName": "Ada", "email": "ada@example.com"}
# Always compared by type only: how long a run took.
VOLATILE = {("metadata", "duration")}


@dataclass(frozen=True)
class Template:
    """One distinct request. `case` says how to sign it, in the corpus's terms (harness.signature)."""

    name: str
    method: str
    target: str
    body: str | None
    headers: tuple[tuple[str, str | None], ...]
    case: dict[str, Any] = field(hash=False, compare=False)
    weight: float = 1.0


@dataclass
class Answer:
    status: int
    content_type: str
    body: Any


def corpus_templates() -> list[Template]:
    templates = []
    for style, route in ROUTES.items():
        for case in harness.cases():
            if "rawBody" in case:
                body = case["rawBody"]
            elif "body" in case:
                body = json.dumps(case["body"], ensure_ascii=False, separators=(",", ":"))
            else:
                body = None
            headers = {"content-type": "application/json"} if body is not None else {}
            headers.update({k.lower(): v for k, v in (case.get("headers") or {}).items()})
            target = harness.url_for(route, case)
            name = f"{style}:{case['id']}"
            templates.append(Template(name, case["method"], target, body, tuple(headers.items()), case))
    return templates


def post(name: str, target: str, body: Any, sign: dict[str, Any] | None = None, weight: float = 1.0) -> Template:
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    case = {"method": "POST", "sign": sign or {"mode": "valid"}}
    return Template(name, "POST", target, text, (("content-type", "application/json"),), case, weight)


def extra_templates() -> list[Template]:
    """Local runs, large and oversized bodies, fallback-key and wrong-key signatures, on both routes."""
    big = "x" * (256 << 10)
    templates = []
    for style, route in ROUTES.items():
        for wf in WORKFLOWS:
            body = {"to": "sub-1", "payload": {"name": "Ada", "userId": "u1", "age": 30, "address": {"city": "Oslo"}}}
            templates.append(post(f"{style}:local-{wf}", f"{route}/workflows/{wf}/execute", body))
        execute = f"{route}?action=execute&workflowId=welcome&stepId=welcome-email"
        preview = f"{route}?action=preview&workflowId=welcome&stepId=inbox"
        event = {"payload": {"name": "Ada"}, "controls": {}, "state": [], "subscriber": SUBSCRIBER}
        templates += [
            post(f"{style}:execute-fallback-key", execute, event, {"mode": "valid", "secret": FALLBACK}),
            post(f"{style}:execute-wrong-key", execute, event, {"mode": "valid", "secret": "not-a-key"}),
            post(f"{style}:preview-fallback-key", preview, event, {"mode": "valid", "secret": FALLBACK}),
            post(f"{style}:execute-large", execute, {**event, "payload": {"name": big}}, weight=0.3),
            post(f"{style}:preview-large", preview, {**event, "payload": {"name": big}}, weight=0.3),
            post(
                f"{style}:execute-large-controls",
                execute,
                {**event, "controls": {"subject": "{{payload.name | upcase}}", "body": big}},
                weight=0.3,
            ),
            post(f"{style}:execute-oversized", execute, {**event, "pad": "y" * MAX_BODY_BYTES}, weight=0.05),
        ]
    return templates


class Connection:
    """A keep-alive HTTP/1.1 connection of one client, reopened when the server has closed it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.reopened = 0

    def send(self, template: Template) -> Answer:
        headers = {k: v for k, v in template.headers if v is not None}
        signature = harness.signature(template.case, SECRET, template.body, headers.get("content-type"))
        if signature is not None:
            headers["novu-signature"] = signature
        data = template.body.encode() if template.body is not None else None
        if data is not None:
            headers["content-length"] = str(len(data))
        for attempt in (1, 2):
            fresh = self.conn is None
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(template.method, template.target, body=data, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                if response.will_close:
                    self.close()
                return Answer(response.status, response.getheader("content-type", ""), parse(raw))
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                # A kept-alive connection the server had already closed: the request never reached it.
                if fresh or attempt == 2:
                    raise
                self.reopened += 1
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def parse(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


def volatile_paths(a: Any, b: Any, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Paths where two answers to the same request differ."""
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        pairs = [(k, a[k], b[k]) for k in a]
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        pairs = [(str(i), x, y) for i, (x, y) in enumerate(zip(a, b, strict=True))]
    else:
        return set() if a == b else {path}
    found: set[tuple[str, ...]] = set()
    for key, x, y in pairs:
        found |= volatile_paths(x, y, (*path, key))
    return found


def normalise(body: Any, volatile: set[tuple[str, ...]], path: tuple[str, ...] = ()) -> Any:
    if path in volatile or path in VOLATILE:
        return f"<{type(body).__name__}>"
    if isinstance(body, dict):
        return {k: normalise(v, volatile, (*path, k)) for k, v in body.items()}
    if isinstance(body, list):
        return [normalise(v, volatile, (*path, str(i))) for i, v in enumerate(body)]
    return body


@dataclass
class Expected:
    answer: Answer
    volatile: set[tuple[str, ...]]

    def matches(self, got: Answer) -> bool:
        a = self.answer
        if (got.status, got.content_type) != (a.status, a.content_type):
            return False
        return bool(normalise(got.body, self.volatile) == normalise(a.body, self.volatile))


def baseline(port: int, templates: list[Template]) -> dict[str, Expected]:
    conn = Connection(port)
    expected = {}
    for t in templates:
        first, second = conn.send(t), conn.send(t)
        if (first.status, first.content_type) != (second.status, second.content_type):
            raise SystemExit(f"{t.name}: two answers alone differ ({first.status} vs {second.status})")
        expected[t.name] = Expected(first, volatile_paths(first.body, second.body))
    conn.close()
    return expected


def rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(framework: str, port: int, workers: int, threads: int, api_url: str, log: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NOVU_SECRET_KEY": SECRET,
        "NOVU_SECRET_KEY_FALLBACK": FALLBACK,
        "NOVU_API_URL": api_url,
        "NOVU_STRICT_AUTHENTICATION_ENABLED": "true",
    }
    env.pop("NOVU_API_KEY", None)
    bind = f"127.0.0.1:{port}"
    if framework == "flask":
        cmd = [
            *(sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", str(workers), "--threads", str(threads)),
            *("-b", bind, "--log-level", "warning", "--keep-alive", "30", "benches.soak_apps:flask_app()"),
        ]
    else:
        cmd = [
            *(sys.executable, "-m", "uvicorn", "--factory", "benches.soak_apps:fastapi_app"),
            *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
            *("--no-access-log", "--log-level", "warning", "--timeout-keep-alive", "30"),
        ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://{bind}/api/novu", timeout=2).read()
            urllib.request.urlopen(f"http://{bind}/api/novu-async", timeout=2).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the {framework} server exited with {proc.returncode}") from None
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"the {framework} server did not start within 60 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class Soak:
    """Sends a list of requests from C client threads and counts the unexpected answers."""

    def __init__(self, port: int, expected: dict[str, Expected], concurrency: int) -> None:
        self.port = port
        self.expected = expected
        self.connections = [Connection(port) for _ in range(concurrency)]
        self.lock = threading.Lock()
        self.unexpected: Counter[str] = Counter()
        self.examples: list[str] = []

    def run(self, requests: list[Template]) -> None:
        queue = iter(requests)

        def client(conn: Connection) -> None:
            while True:
                with self.lock:
                    template = next(queue, None)
                if template is None:
                    return
                problem: Answer | str | None
                try:
                    got = conn.send(template)
                    problem = None if self.expected[template.name].matches(got) else got
                except (OSError, http.client.HTTPException) as e:
                    conn.close()
                    problem = f"no answer: {type(e).__name__}: {e}"
                if problem is not None:
                    self.note(template, problem)

        threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in self.connections]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def note(self, template: Template, problem: Answer | str) -> None:
        with self.lock:
            self.unexpected[template.name] += 1
            if len(self.examples) < 10:
                want = self.expected[template.name].answer
                got = f"{problem.status} {json.dumps(problem.body)[:300]}" if isinstance(problem, Answer) else problem
                self.examples.append(
                    f"{template.name}: expected {want.status} {json.dumps(want.body)[:300]}, got {got}"
                )

    def close(self) -> None:
        for c in self.connections:
            c.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--framework", choices=["flask", "fastapi"], required=True)
    parser.add_argument("--requests", type=int, required=True, help="requests to send (N)")
    parser.add_argument("--concurrency", type=int, required=True, help="concurrent clients (C)")
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (> 1; default 8)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", metavar="REGEX", help="send only the requests whose name matches (diagnosis)")
    args = parser.parse_args()
    if args.requests < 2 or args.concurrency < 1 or args.workers < 1:
        parser.error("--requests must be at least 2, --concurrency and --workers at least 1")
    if args.framework == "flask" and args.threads < 2:
        parser.error("--threads must be more than 1 (gthread workers with several threads)")

    templates = [t for t in corpus_templates() + extra_templates() if re.search(args.only or "", t.name)]
    if not templates:
        parser.error(f"no request name matches {args.only!r}")
    rng = random.Random(args.seed)
    requests = rng.choices(templates, weights=[t.weight for t in templates], k=args.requests)
    half = len(requests) // 2
    server = "gunicorn gthread" if args.framework == "flask" else "uvicorn"
    threads = f" x {args.threads} threads" if args.framework == "flask" else ""
    print(
        f"{args.framework} under {server} ({args.workers} workers{threads}), {len(templates)} distinct requests, "
        f"{args.requests} requests from {args.concurrency} clients, seed {args.seed}",
        flush=True,
    )
    # The stand-in's listen backlog (socketserver's default is 5) would overflow when many triggers are
    # forwarded at once, and its refused connections would show as the bridge's 500s.
    ThreadingHTTPServer.request_queue_size = 1024
    with NovuApiStandIn(SECRET) as api, tempfile.NamedTemporaryFile("w+b", suffix=".log") as log:
        port = free_port()
        proc = start(args.framework, port, args.workers, args.threads, api.url, log)
        soak = None
        try:
            started = time.monotonic()
            expected = baseline(port, templates)
            print(f"answers alone: {len(expected)} requests twice in {time.monotonic() - started:.1f} s", flush=True)
            soak = Soak(port, expected, args.concurrency)
            rss = []
            for number, part in enumerate((requests[:half], requests[half:]), 1):
                started = time.monotonic()
                soak.run(part)
                elapsed = time.monotonic() - started
                rss.append(rss_mib(proc.pid))
                print(
                    f"half {number}: {len(part)} requests in {elapsed:.1f} s ({len(part) / elapsed:.0f}/s), "
                    f"{sum(soak.unexpected.values())} unexpected so far, server RSS {rss[-1]:.1f} MiB",
                    flush=True,
                )
            if proc.poll() is not None:
                raise SystemExit(f"the server exited with {proc.returncode}")
        finally:
            if soak is not None:
                soak.close()
            stop(proc)
        log.seek(0)
        server_log = log.read().decode("utf-8", "replace")
    # The server logs the tracebacks of failing steps (strict authentication keeps them out of answers);
    # a key in its log is a leak, counted as an unexpected answer.
    leaks = [line for line in server_log.splitlines() if SECRET in line or FALLBACK in line]
    for line in leaks[:5]:
        print(f"  a key in the server log: {line[:300]}")
    unexpected = sum(soak.unexpected.values()) + len(leaks)
    for example in soak.examples:
        print(f"  unexpected: {example}")
    for name, count in soak.unexpected.most_common(10):
        print(f"  {count} unexpected for {name}")
    reopened = sum(c.reopened for c in soak.connections)
    growth = (rss[1] - rss[0]) / rss[0] * 100
    print(
        f"server log: {len(server_log.splitlines())} lines, {len(leaks)} holding a key; connections reopened after "
        f"the server closed them: {reopened}; RSS growth {growth:+.1f} % between halves"
    )
    print(f"{args.requests} requests, {unexpected} unexpected, RSS {rss[0]:.1f} -> {rss[1]:.1f} MiB")
    sys.exit(0 if unexpected == 0 else 1)


if __name__ == "__main__":
    main()
