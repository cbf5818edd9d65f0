"""Measures the round trip of `workflow.trigger()` against the loopback stand-in and compares it with a raw
`http.client` POST of the same body to the same stand-in, so the library's own overhead can be reported.

Not a test. Run from the repository root::

    /work/venv/bin/python tests/novu_api/measure_trigger.py [--calls 2000] [--warmup 200]

The library opens a new connection for every call (no pooling), so the fair baseline is the raw POST on a
new connection; the raw POST on a kept-alive connection is printed too, as the floor. The three calls are
interleaved (one of each per round). By default the stand-in runs in a child process (`--server thread` runs
it in this one).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from novu_framework import Client, workflow
from tests.novu_api.standin import StandIn, reply

SECRET = "sk-measure"


@workflow(
    "measure-signup",
    {
        "type": "object",
        "properties": {"name": {"type": "string"}, "plan": {"type": "string", "default": "free"}},
        "required": ["name"],
    },
)
def measured(payload: dict[str, Any], step: Any) -> None:
    step.in_app("inbox", {"body": "hi"})


def timings(
    calls: dict[str, Callable[[], None]], count: int, warmup: int
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Round trips in ms of each call, interleaved (one of each per round) so that load on the machine
    affects them alike; and the CPU time this process spent per call, in ms (with the stand-in in another
    process, that is the caller's own cost, and it is far less sensitive to a busy machine)."""
    for _ in range(warmup):
        for call in calls.values():
            call()
    wall: dict[str, list[float]] = {label: [] for label in calls}
    cpu: dict[str, float] = dict.fromkeys(calls, 0.0)
    for _ in range(count):
        for label, call in calls.items():
            cpu_started = time.process_time_ns()
            started = time.perf_counter_ns()
            call()
            wall[label].append((time.perf_counter_ns() - started) / 1e6)
            cpu[label] += (time.process_time_ns() - cpu_started) / 1e6
    return wall, {label: total / count for label, total in cpu.items()}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(label: str, ms: list[float], cpu_ms: float | None) -> str:
    line = (
        f"{label:<44} median {statistics.median(ms):7.3f} ms   p90 {percentile(ms, 90):7.3f} ms   "
        f"p99 {percentile(ms, 99):7.3f} ms   mean {statistics.fmean(ms):7.3f} ms"
    )
    return line + (f"   cpu/call {cpu_ms:6.3f} ms" if cpu_ms is not None else "")


ANSWER = {"data": {"acknowledged": True, "status": "processed", "transactionId": "measure"}}


def serve_forever() -> None:
    """`--serve`: the stand-in in this (child) process; prints its URL, stops when stdin closes."""
    with StandIn() as api:
        api.script(reply(201, ANSWER))
        print(api.url, flush=True)
        sys.stdin.read()


@contextmanager
def stand_in_url(where: str) -> Iterator[str]:
    """The stand-in's URL: in a child process (default: the server does not compete with the caller for
    this process's GIL, as the real API would not), or in a thread of this process."""
    if where == "thread":
        with StandIn() as api:
            api.script(reply(201, ANSWER))
            yield api.url
        return
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        yield child.stdout.readline().strip()
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=10)


def sent_body() -> bytes:
    """The body `workflow.trigger()` sends, as a stand-in received it."""
    with StandIn() as api:
        measured.trigger("subscriber-1", {"name": "Ada"}, client=Client(secret_key=SECRET, api_url=api.url))
        return api.only().raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--server", choices=["process", "thread"], default="process")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_forever()
        return

    body = sent_body()  # the very body the library sends (its transaction id aside)
    headers = {"Content-Type": "application/json", "Authorization": f"ApiKey {SECRET}"}
    with stand_in_url(args.server) as url:
        client = Client(secret_key=SECRET, api_url=url, api_timeout=10.0, retries=0)
        split = urlsplit(url)
        host, port = split.hostname or "127.0.0.1", split.port or 80

        def library() -> None:
            result = measured.trigger("subscriber-1", {"name": "Ada"}, client=client)
            assert result.status == 201

        def raw_new_connection() -> None:
            conn = http.client.HTTPConnection(host, port, timeout=10)
            conn.request("POST", "/v1/events/trigger", body=body, headers=headers)
            response = conn.getresponse()
            json.loads(response.read())
            assert response.status == 201
            conn.close()

        kept = http.client.HTTPConnection(host, port, timeout=10)

        def raw_keep_alive() -> None:
            kept.request("POST", "/v1/events/trigger", body=body, headers=headers)
            response = kept.getresponse()
            json.loads(response.read())
            assert response.status == 201

        ms, cpu = timings(
            {"library": library, "raw": raw_new_connection, "kept": raw_keep_alive}, args.calls, args.warmup
        )
        kept.close()

    library_ms, raw_ms, kept_ms = ms["library"], ms["raw"], ms["kept"]
    own_cpu = args.server == "process"  # in a thread, the stand-in's CPU would be counted too
    print(
        f"{args.calls} calls each (+{args.warmup} warm-up), interleaved; body {len(body)} bytes; "
        f"stand-in in a {args.server}"
    )
    print(summary("workflow.trigger()", library_ms, cpu["library"] if own_cpu else None))
    print(summary("raw http.client POST, new connection", raw_ms, cpu["raw"] if own_cpu else None))
    print(summary("raw http.client POST, kept-alive connection", kept_ms, cpu["kept"] if own_cpu else None))
    for label, base in (("a new connection", raw_ms), ("a kept-alive connection", kept_ms)):
        print(
            f"library overhead vs raw POST on {label}: median "
            f"{statistics.median(library_ms) - statistics.median(base):+.3f} ms, "
            f"p99 {percentile(library_ms, 99) - percentile(base, 99):+.3f} ms"
        )
    if own_cpu:
        print(f"library CPU per call minus raw new-connection POST: {cpu['library'] - cpu['raw']:+.3f} ms")


if __name__ == "__main__":
    main()
