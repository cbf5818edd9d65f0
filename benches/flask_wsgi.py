"""The Flask apps of the load benchmark called in-process through their WSGI callables, without a server:
where the default path's time goes next to a bare Flask POST route, side by side in one run.

    python benches/flask_wsgi.py [--calls 2000] [--rounds 7]

Each app answers the load benchmark's execute request (`welcome`/`welcome-email`, signed, strict
authentication on; the bare apps get the same body); rounds are interleaved and the median per call is
printed. The gap between `bridge_flask_middleware` (the protocol work and the reference workflow's Python
resolvers, with no Flask machinery) and `bridge_flask` is what Flask's request handling costs the bridge.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benches"))

import load_apps  # noqa: E402

from novu_framework.testing import sign  # noqa: E402

BODY = json.dumps(
    {
        "payload": {"name": "Ada"},
        "controls": {},
        "state": [
            {
                "stepId": "inbox",
                "outputs": {"seen": False, "read": False, "lastSeenDate": None, "lastReadDate": None},
            }
        ],
        "subscriber": {"subscriberId": "sub-1", "firstName": "Ada"},
    }
).encode()
EXECUTE = "action=execute&workflowId=welcome&stepId=welcome-email"
APPS: dict[str, tuple[Callable[[], Any], str]] = {
    "bare_flask": (load_apps.bare_flask, ""),
    "bare_flask_headers": (load_apps.bare_flask_headers, ""),
    "bridge_flask": (load_apps.bridge_flask, EXECUTE),
    "bridge_flask_middleware": (load_apps.bridge_flask_middleware, EXECUTE),
}


def environ(query: str, signature: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/api/novu",
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(BODY)),
        "HTTP_NOVU_SIGNATURE": signature,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(BODY),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def call(app: Any, query: str, signature: str) -> str:
    """One request through the WSGI callable, body consumed and closed as a server does; its status line."""
    status = ""

    def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        nonlocal status
        status = line

    answer = app(environ(query, signature), start_response)
    b"".join(answer)
    getattr(answer, "close", lambda: None)()
    return status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=2000, help="calls per app per round")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    signature = sign(BODY, load_apps.SECRET)  # valid for 5 minutes: keep runs shorter than that
    apps = {name: (factory(), query) for name, (factory, query) in APPS.items()}
    for name, (app, query) in apps.items():
        status = call(app, query, signature)
        if not status.startswith("200"):
            raise SystemExit(f"{name} answered {status}")
    times: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(args.rounds):
        for name, (app, query) in apps.items():
            started = time.perf_counter()
            for _ in range(args.calls):
                call(app, query, signature)
            times[name].append((time.perf_counter() - started) / args.calls * 1e6)
    bare = statistics.median(times["bare_flask"])
    print(f"{args.rounds} interleaved rounds of {args.calls} calls; median µs per call, ratio bare / app")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"  {name:24s} {median:7.1f} µs   {bare / median:5.2f}")


if __name__ == "__main__":
    main()
