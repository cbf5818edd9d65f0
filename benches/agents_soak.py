"""Agent-event soak: many signed ``agent-event`` requests from concurrent clients against real servers, with
the Python stand-in for the Novu API recording every call the turns make. Prints, per server, the acks, the
503s past ``max_turns_in_flight`` (retried like Novu: after 0.5 s and 1 s), the lost turns (an ack whose
reply and typing-stop never reached the stand-in), duplicates, and the ack latency (p50, p99, max).

    python benches/agents_soak.py [--requests 2000] [--clients 16]

Servers: gunicorn with one gthread worker (16 threads) serving a Flask app whose agent is a plain function,
and uvicorn (one process) serving a FastAPI app whose agent is ``async def``; each turn replies once. Not a
test: nothing asserts a timing; the script exits non-zero only when a turn was lost.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.agents.standin import AgentsApiStandIn  # noqa: E402

SECRET = "soak-secret"
APP = """
import os
from fastapi import FastAPI
from flask import Flask
from novu_framework import Client
from novu_framework.agents import agent
from novu_framework.fastapi import serve as serve_fastapi
from novu_framework.flask import serve as serve_flask

def answer(message, ctx):
    ctx.metadata.set("seen", True)
    return f"Hi {message.author.full_name}!"

async def answer_async(message, ctx):
    ctx.metadata.set("seen", True)
    return f"Hi {message.author.full_name}!"

flask_app = Flask("soak")
serve_flask(flask_app, client=Client(), agents=[agent("bot", on_message=answer)])
fastapi_app = FastAPI()
serve_fastapi(fastapi_app, client=Client(), agents=[agent("bot", on_message=answer_async)])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def body(api_url: str, i: int) -> bytes:
    return json.dumps(
        {
            "version": 1,
            "deliveryId": f"soak-{i}:m",
            "event": "onMessage",
            "agentId": "bot",
            "replyUrl": f"{api_url}/v1/agents/bot/reply",
            "conversationId": f"soak-{i}",
            "integrationIdentifier": "soak",
            "message": {"text": "hello", "author": {"fullName": "Ada"}, "platformMessageId": f"m{i}"},
            "conversation": {"identifier": f"c{i}", "status": "open", "metadata": {}},
            "history": [],
            "platform": "slack",
        },
        separators=(",", ":"),
    ).encode()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_load(port: int, api_url: str, requests: int, clients: int) -> dict[str, Any]:
    latencies: list[float] = []
    acked: set[int] = set()
    rejected = errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))

    def client() -> None:
        nonlocal rejected, errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            data = body(api_url, i)
            for wait in (0.5, 1.0, None):
                t = str(int(time.time() * 1000))
                v1 = hmac.new(SECRET.encode(), f"{t}.".encode() + data, hashlib.sha256).hexdigest()
                headers = {"content-type": "application/json", "novu-signature": f"t={t},v1={v1}"}
                started = time.perf_counter()
                try:
                    conn.request("POST", "/api/novu?action=agent-event&agentId=bot&event=onMessage", data, headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    status = 0
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if status == 200:
                        latencies.append(elapsed)
                        acked.add(i)
                    elif status == 503:
                        rejected += 1
                    else:
                        errors += 1
                if status != 503 or wait is None:
                    break
                time.sleep(wait)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "latencies": latencies,
        "acked": acked,
        "rejected": rejected,
        "errors": errors,
        "seconds": time.monotonic() - started,
    }


def soak(server: str, requests: int, clients: int) -> dict[str, Any]:
    with AgentsApiStandIn(SECRET) as api, tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "soak_app.py").write_text(APP)
        port = free_port()
        env = {**os.environ, "NOVU_SECRET_KEY": SECRET, "NOVU_API_URL": api.api_url, "PYTHONPATH": tmp}
        bin_dir = Path(sys.executable).parent
        if server == "gunicorn-gthread":
            cmd = [str(bin_dir / "gunicorn"), "-k", "gthread", "--threads", "16", "-w", "1"]
            cmd += ["-b", f"127.0.0.1:{port}", "soak_app:flask_app"]
        else:
            cmd = [str(bin_dir / "uvicorn"), "soak_app:fastapi_app", "--port", str(port), "--log-level", "warning"]
        log = open(Path(tmp, "server.log"), "wb")  # noqa: SIM115 - closed with the directory
        process = subprocess.Popen(cmd, env=env, cwd=tmp, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    conn.request("GET", "/api/novu?action=health-check")
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    time.sleep(0.1)
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{server} did not start")
            load = run_load(port, api.api_url, requests, clients)
            api.wait_quiet(1.0, 120)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
            log.close()
        failures = [line for line in Path(tmp, "server.log").read_text().splitlines() if "[agent:" in line]
        calls: dict[int, list[str]] = {}
        for entry in api.snapshot():
            conversation = str((entry["body"] or {}).get("conversationId", ""))
            if conversation.startswith("soak-"):
                kind = "reply" if "reply" in entry["body"] else "typing" if "typing" in entry["body"] else "other"
                calls.setdefault(int(conversation[5:]), []).append(kind)
        complete = {i for i, kinds in calls.items() if kinds == ["reply", "typing"]}
        load["lost"] = sorted(load["acked"] - complete)
        load["lost_calls"] = {i: calls.get(i) for i in load["lost"][:5]}
        load["unexpected"] = sorted(set(calls) - load["acked"])
        load["outbound"] = sum(len(k) for k in calls.values())
        load["failures"] = failures
        return load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    results = {name: soak(name, args.requests, args.clients) for name in ("gunicorn-gthread", "uvicorn")}
    print(f"{args.requests} agent-event requests, {args.clients} concurrent clients, one server process each")
    header = f"{'server':18} {'acks':>5} {'503s':>5} {'errors':>6} {'lost':>5} {'calls':>6} {'req/s':>7}"
    print(header + f" {'ack p50':>8} {'ack p99':>8} {'ack max':>8}")
    lost = 0
    for name, r in results.items():
        lat = r["latencies"]
        lost += len(r["lost"]) + len(r["unexpected"])
        print(
            f"{name:18} {len(r['acked']):5} {r['rejected']:5} {r['errors']:6} {len(r['lost']):5} {r['outbound']:6}"
            f" {len(r['acked']) / r['seconds']:7.0f} {statistics.median(lat):6.1f}ms {percentile(lat, 0.99):6.1f}ms"
            f" {max(lat):6.1f}ms"
        )
        if r["lost"]:
            print(f"  lost turns (first five) and the calls they made: {r['lost_calls']}")
            print("  server log: " + "\n  ".join(r["failures"][:5]))
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
