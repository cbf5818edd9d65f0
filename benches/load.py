"""Load benchmark on loopback: each app pinned to one core, wrk on the other, side by side in one run.

    python benches/load.py [--duration 5] [--rounds 3] [--connections 16] [--only bare_flask,bridge_flask]
                           [--requests POST,execute]

Compares, under their usual production servers (gunicorn with one sync worker; uvicorn with one process):
a bare Flask app, the project's Flask bridge (the default path and the opt-in `wsgi_middleware=True`), a
bare FastAPI app and the project's FastAPI bridge, for health-check, discover, execute and preview (validly
signed, strict authentication on); and the Rust reference server (crates/rust/examples/reference_server, axum on
tokio) against a bare axum app (crates/rust/examples/bare_axum), both built in release mode first. Prints
requests/s, p50 and p99 latency, the server's CPU time per request, and each bridge figure's ratio to its
baseline: execute/preview against the bare POST route, health-check against the bare GET route, discover against
the bridge's own health-check.
Installs wrk from Debian's packages when missing (needs root). Runs are at most 15 s each; all servers run
side by side and the runs are interleaved in rounds (the median round is reported), as the machines this
runs on are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benches.load_apps import SECRET  # noqa: E402
from novu_framework import _native  # noqa: E402

SERVER_CORE, CLIENT_CORE = "0", "1"
SUBSCRIBER = {"subscriberId": "sub-1", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}
INBOX_STATE = {
    "stepId": "inbox",
    "outputs": {"seen": False, "read": False, "lastSeenDate": None, "lastReadDate": None},
    "state": {"status": "completed"},
}


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    print("installing wrk from Debian's packages ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, capture_output=True, check=True)
    path = shutil.which("wrk")
    if not path:
        raise SystemExit("wrk is not installed and could not be installed")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


RUST_APPS = {
    "bare_axum": ["bare_axum"],
    "bare_axum_headers": ["bare_axum", "--headers"],
    "bridge_axum": ["reference_server"],
}


def rust_examples() -> Path:
    """Builds the Rust servers (release) and returns the folder of their binaries."""
    examples = [arg for name in sorted({app[0] for app in RUST_APPS.values()}) for arg in ("--example", name)]
    print("building the Rust servers (cargo build --release) ...", flush=True)
    cmd = ["cargo", "build", "--release", "-q", "-p", "novu-framework", "--features", "axum", *examples]
    subprocess.run(cmd, cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "release" / "examples"


def start(app: str, port: int, binaries: Path) -> subprocess.Popen[bytes]:
    bind = f"127.0.0.1:{port}"
    env = None
    if app in RUST_APPS:
        binary, *flags = RUST_APPS[app]
        cmd = [str(binaries / binary), "--port", str(port), *flags]
        env = {**os.environ, "NOVU_SECRET_KEY": SECRET, "NOVU_STRICT_AUTHENTICATION_ENABLED": "true"}
    elif "flask" in app:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "1",
            "-k",
            "sync",
            "-b",
            bind,
            "--log-level",
            "warning",
            f"benches.load_apps:{app}()",
        ]
    else:
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            f"benches.load_apps:{app}",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    proc = subprocess.Popen(["taskset", "-c", SERVER_CORE, *cmd], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://{bind}/api/novu", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{app} did not start")


def lua(method: str, body: bytes | None, signed: bool) -> str:
    lines = [f'wrk.method = "{method}"']
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body.decode())}")
        lines.append('wrk.headers["Content-Type"] = "application/json"')
    if signed:
        payload = body if method == "POST" and body is not None else b"{}"
        lines.append(f'wrk.headers["novu-signature"] = "{_native.sign(SECRET, payload, int(time.time() * 1000))}"')
    return "\n".join(lines) + "\n"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (gunicorn's master and worker)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += cpu_seconds(int(child))
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


def wrk(
    binary: str, url: str, script: str, duration: int, connections: int, server: int
) -> tuple[float, float, float, float]:
    """requests/s, p50 and p99 latency (ms), and the server's CPU time per request (µs): on a machine shared
    with other work, CPU time per request moves far less than requests/s."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
        path = f.name
    base = ["taskset", "-c", CLIENT_CORE, binary, "-t1", f"-c{connections}", "-s", path, "--latency", url]
    subprocess.run([*base[:4], "-d1s", *base[4:]], capture_output=True, check=True)  # warm-up
    cpu_before = cpu_seconds(server)
    out = subprocess.run([*base[:4], f"-d{duration}s", *base[4:]], capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(server) - cpu_before
    os.unlink(path)
    if "Non-2xx" in out:
        raise SystemExit(f"non-2xx answers from {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def percentile(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return rps, percentile("50"), percentile("99"), cpu / max(requests, 1) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds per run (at most 15)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is reported")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", help="comma-separated apps to run (default: all), e.g. bare_flask,bridge_flask")
    parser.add_argument("--requests", help="comma-separated requests to run (default: all), e.g. POST,execute")
    args = parser.parse_args()
    duration = min(args.duration, 15)
    binary = ensure_wrk()
    execute = json.dumps(
        {"payload": {"name": "Ada"}, "controls": {}, "state": [INBOX_STATE], "subscriber": SUBSCRIBER},
        separators=(",", ":"),
    ).encode()
    preview = json.dumps(
        {"payload": {"name": "Ada"}, "controls": {}, "state": [], "subscriber": SUBSCRIBER}, separators=(",", ":")
    ).encode()
    bare_post = json.dumps({"payload": {"name": "Ada"}, "controls": {}, "state": [INBOX_STATE]}).encode()
    bare = [("GET", "", None, False), ("POST", "", bare_post, False)]
    bridge = [
        ("health-check", "?action=health-check", None, False),
        ("discover", "?action=discover", None, True),
        ("execute", "?action=execute&workflowId=welcome&stepId=welcome-email", execute, True),
        ("preview", "?action=preview&workflowId=welcome&stepId=inbox", preview, True),
    ]
    plans = {
        "bare_flask": bare,
        "bare_flask_headers": bare,
        "bridge_flask": bridge,
        "bridge_flask_middleware": bridge,
        "bare_fastapi": [*bare, ("POST def", "/def", bare_post, False)],
        "bare_fastapi_headers": bare,
        "bridge_fastapi": bridge,
        "bridge_fastapi_async": bridge,
        "bare_axum": bare,
        "bare_axum_headers": bare,
        "bridge_axum": bridge,
    }
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    print(
        f"{time.strftime('%Y-%m-%d')} | {cpu} | nproc {os.cpu_count()} | Python {platform.python_version()} | "
        f"servers on core {SERVER_CORE}, wrk on core {CLIENT_CORE} | {args.rounds} rounds of {duration} s per "
        f"request, interleaved | {args.connections} connections"
    )
    # Every server runs for the whole benchmark (idle ones cost nothing) and the runs are interleaved in
    # rounds, so that drift of a noisy machine spreads over all apps alike; each figure is the median round.
    if args.only:
        plans = {app: plan for app, plan in plans.items() if app in args.only.split(",")}
    if args.requests:
        wanted = args.requests.split(",")
        plans = {app: [r for r in plan if r[0] in wanted] for app, plan in plans.items()}
    binaries = rust_examples() if any(app in RUST_APPS for app in plans) else ROOT
    ports = {app: free_port() for app in plans}
    servers = {app: start(app, port, binaries) for app, port in ports.items()}
    procs = list(servers.values())
    samples: dict[tuple[str, str], list[tuple[float, float, float, float]]] = {}
    try:
        for round_number in range(1, args.rounds + 1):
            print(f"round {round_number}/{args.rounds}", flush=True)
            for app, plan in plans.items():
                for name, query, body, signed in plan:
                    method = "POST" if body is not None else "GET"
                    url = f"http://127.0.0.1:{ports[app]}/api/novu{query}"
                    run = wrk(binary, url, lua(method, body, signed), duration, args.connections, servers[app].pid)
                    samples.setdefault((app, name), []).append(run)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=15)
    results = {key: sorted(runs)[len(runs) // 2] for key, runs in samples.items()}
    cpu = {key: sorted(r[3] for r in runs)[len(runs) // 2] for key, runs in samples.items()}
    for (app, name), (rps, p50, p99, _) in results.items():
        line = f"  {app:23} {name:13} {rps:7.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"
        print(f"{line}  server CPU {cpu[(app, name)]:6.1f} µs/request")
    print()
    print("Ratios: the bridge against the bare app of its framework (the target is >= 0.90; for axum, execute")
    print(">= 0.5), and in brackets against the bare app sending the protocol's ten static headers (what the")
    print("framework itself costs); `CPU ratio`: the baseline's server CPU time per request over the bridge's (the")
    print("ratio of requests/s a core of its own would give; steadier than requests/s on a shared machine).")
    print(f"{'bridge':23} {'request':13} {'req/s':>7} {'baseline':>20} {'ratio':>6} {'(headers)':>10} {'CPU ratio':>9}")
    pairs = [("flask", "bridge_flask"), ("flask", "bridge_flask_middleware")]
    pairs += [("fastapi", "bridge_fastapi"), ("fastapi", "bridge_fastapi_async"), ("axum", "bridge_axum")]
    for fw, bridge in pairs:
        bare, headers = f"bare_{fw}", f"bare_{fw}_headers"
        rows = [
            ("health-check", "GET", "bare GET"),
            ("discover", None, "bridge health-check"),
            ("execute", "POST", "bare POST"),
            ("preview", "POST", "bare POST"),
        ]
        if bridge == "bridge_fastapi":
            rows += [("execute", "POST def", "bare def POST"), ("preview", "POST def", "bare def POST")]
        for name, bare_request, base_name in rows:
            if (bridge, name) not in results or (bare_request and (bare, bare_request) not in results):
                continue
            value = results[(bridge, name)][0]
            base_key = (bridge, "health-check") if bare_request is None else (bare, bare_request)
            base = results[base_key][0]
            same = results.get((headers, bare_request)) if bare_request else None
            with_headers = f"({value / same[0]:.2f})" if same else ""
            cpu_ratio = cpu[base_key] / cpu[(bridge, name)]
            baseline = f"{base_name} {base:.0f}"
            row = f"{bridge:23} {name:13} {value:7.0f} {baseline:>20} {value / base:6.2f} {with_headers:>10}"
            print(f"{row} {cpu_ratio:9.2f}")
    if ("bridge_axum", "execute") in results and ("bare_axum", "POST") in results:
        axum_ratio = results[("bridge_axum", "execute")][0] / results[("bare_axum", "POST")][0]
        print(f"\naxum ratio: bridge execute / bare axum POST = {axum_ratio:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
