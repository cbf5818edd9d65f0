"""In-process cost of the bridge's adapter-facing entry point (`Bridge.handle`), without any web framework.

    python benches/inprocess.py [--iterations 100000] [--rss-iterations 1000000]

Serves the reference workflows (tests/conformance/workflows.py, sync Python resolvers) with strict
authentication on and measures, per request kind, the median and p99 of single calls over the iterations,
then the process RSS before and after, and its growth between 100k and 1M executes.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from novu_framework import Client, _native  # noqa: E402
from tests.conformance.workflows import build  # noqa: E402

SECRET = "bench-secret"
SUBSCRIBER = {"subscriberId": "sub-1", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}
INBOX_STATE = {
    "stepId": "inbox",
    "outputs": {"seen": False, "read": False, "lastSeenDate": None, "lastReadDate": None},
    "state": {"status": "completed"},
}


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def requests() -> dict[str, tuple[str, bytes, bytes]]:
    """(method, query, body) per request kind."""
    execute = {"payload": {"name": "Ada"}, "controls": {}, "state": [INBOX_STATE], "subscriber": SUBSCRIBER}
    preview = {"payload": {"name": "Ada"}, "controls": {}, "state": [], "subscriber": SUBSCRIBER}
    return {
        "health-check": ("GET", b"action=health-check", b""),
        "discover": ("GET", b"action=discover", b""),
        "execute welcome/welcome-email": (
            "POST",
            b"action=execute&workflowId=welcome&stepId=welcome-email",
            json.dumps(execute, separators=(",", ":")).encode(),
        ),
        "preview welcome/inbox": (
            "POST",
            b"action=preview&workflowId=welcome&stepId=inbox",
            json.dumps(preview, separators=(",", ":")).encode(),
        ),
    }


def signature(method: str, body: bytes) -> str:
    return _native.sign(SECRET, body if method == "POST" else b"{}", int(time.time() * 1000))


RESIGN_EVERY = 10_000
"""Signatures are valid for five minutes; long loops sign again every this many calls."""


def call(bridge: Any, method: str, query: bytes, body: bytes, iterations: int, samples: list[int] | None) -> None:
    """`iterations` calls; each must answer 200 (a fast error path must never pass for a measurement)."""
    handle = bridge.handle
    clock = time.perf_counter_ns
    sig = signature(method, body)
    for i in range(iterations):
        if i % RESIGN_EVERY == 0:
            sig = signature(method, body)
        t0 = clock()
        status, _ = handle(method, "", query, sig, None, body)
        t1 = clock()
        if status != 200:
            raise SystemExit(f"{method} {query!r} answered {status}")
        if samples is not None:
            samples.append(t1 - t0)


def measure(bridge: Any, method: str, query: bytes, body: bytes, iterations: int) -> list[int]:
    call(bridge, method, query, body, 100, None)
    samples: list[int] = []
    call(bridge, method, query, body, iterations, samples)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--rss-iterations", type=int, default=1_000_000)
    args = parser.parse_args()

    client = Client(secret_key=SECRET, strict_authentication=True, api_url="http://127.0.0.1:9")
    bridge = client._bridge(build("sync"), "bench")
    gc.collect()
    rss_start = rss_kib()
    print(
        f"novu-framework {_native.__version__} | Python {platform.python_version()} | {platform.machine()} | "
        f"nproc {os.cpu_count()} | {args.iterations} iterations per request"
    )
    print(f"{'request':32} {'median µs':>10} {'p99 µs':>10} {'mean µs':>10}")
    for name, (method, query, body) in requests().items():
        samples = measure(bridge, method, query, body, args.iterations)
        samples.sort()
        median = statistics.median(samples) / 1000
        p99 = samples[int(len(samples) * 0.99)] / 1000
        mean = statistics.fmean(samples) / 1000
        print(f"{name:32} {median:10.2f} {p99:10.2f} {mean:10.2f}")
    rss_after = rss_kib()
    print(f"RSS: {rss_start / 1024:.1f} MiB at start, {rss_after / 1024:.1f} MiB after the runs above")

    method, query, body = requests()["execute welcome/welcome-email"]
    call(bridge, method, query, body, 100_000, None)
    gc.collect()
    rss_100k = rss_kib()
    call(bridge, method, query, body, args.rss_iterations - 100_000, None)
    gc.collect()
    rss_1m = rss_kib()
    growth = (rss_1m - rss_100k) / rss_100k * 100
    print(
        f"RSS after 100k executes: {rss_100k / 1024:.1f} MiB; after {args.rss_iterations // 1000}k: "
        f"{rss_1m / 1024:.1f} MiB; growth {growth:+.2f} %"
    )


if __name__ == "__main__":
    main()
