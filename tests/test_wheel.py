"""The built wheel (scripts/build-wheels.sh) as a user gets it: a manylinux2014 abi3 wheel that installs
into a fresh virtual environment of every CPython 3.10-3.13 on the machine with no Rust toolchain on
`PATH` and `MATURIN_NO_INSTALL_RUST=1` (pip may not build anything: `--only-binary :all:`), then serves the
whole conformance corpus on Flask from that install.

scripts/test.sh builds the wheel once and names it in NOVU_TEST_WHEEL; run on its own, the test takes the
newest wheel in dist/ and is skipped when there is none."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import novu_framework

from .conformance import harness
from .support import NovuApiStandIn

ROOT = Path(__file__).resolve().parents[1]
SECRET = "ref-secret-key"
MINORS = (10, 11, 12, 13)


def built_wheel() -> Path | None:
    named = os.environ.get("NOVU_TEST_WHEEL")
    if named:
        return Path(named)
    found = sorted((ROOT / "dist").glob("novu_framework-*-cp310-abi3-*.whl"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


@pytest.fixture(scope="module")
def wheel() -> Path:
    path = built_wheel()
    if path is None:
        pytest.skip("no wheel in dist/: run scripts/build-wheels.sh (scripts/test.sh does)")
    assert path.is_file(), f"NOVU_TEST_WHEEL names no file: {path}"
    return path


def interpreter(minor: int) -> str | None:
    """The newest CPython 3.<minor> under pyenv, else the interpreter running the tests when it is 3.<minor>.
    (Other `python3.<minor>` on PATH are not used: a system Python may lack `venv`.)"""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    versions = sorted(
        (p for p in pyenv.glob(f"3.{minor}.*") if p.name.replace(".", "").isdigit()),
        key=lambda p: tuple(int(n) for n in p.name.split(".")),
    )
    for candidate in [v / "bin" / "python3" for v in reversed(versions)]:
        if candidate.is_file():
            return str(candidate)
    return sys.executable if sys.version_info[:2] == (3, minor) else None


def without_rust(venv: Path) -> dict[str, str]:
    """The environment of a machine without Rust: no directory holding cargo or rustc on PATH, no Cargo or
    rustup settings, and maturin told not to download a toolchain."""
    dirs = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d]
    kept = [d for d in dirs if not any((Path(d) / tool).exists() for tool in ("cargo", "rustc", "rustup"))]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARGO", "RUSTUP", "RUSTC", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *kept])
    env["MATURIN_NO_INSTALL_RUST"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    for tool in ("cargo", "rustc", "rustup"):
        assert shutil.which(tool, path=env["PATH"]) is None, f"{tool} is still on PATH"
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path, wheel: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The reference workflows on Flask, served by a fresh venv of CPython 3.<minor> holding the wheel."""
    minor: int = request.param
    python = interpreter(minor)
    if python is None:
        pytest.skip(f"CPython 3.{minor} is not installed on this machine")
    venv = tmp_path / f"venv-3.{minor}"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=120)
    env = without_rust(venv)
    vpython = str(venv / "bin" / "python")

    def pip_install(*args: str) -> float:
        started = time.monotonic()
        run = subprocess.run(
            [vpython, "-m", "pip", "install", "-q", "--only-binary", ":all:", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        return time.monotonic() - started

    seconds = pip_install("--no-deps", str(wheel))
    pip_install("flask>=2.2")
    print(f"\nCPython 3.{minor}: the wheel installed in {seconds:.1f} s without Rust")
    check = subprocess.run(
        [vpython, "-c", "import novu_framework; print(novu_framework.__file__); print(novu_framework.__version__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr
    location, version = check.stdout.split()
    assert Path(location).is_relative_to(venv), f"imported from {location}, not from the fresh venv"
    assert version == novu_framework.__version__

    with NovuApiStandIn(SECRET) as api:
        port = free_port()
        server_env = {
            **env,
            "NOVU_SECRET_KEY": SECRET,
            "NOVU_STRICT_AUTHENTICATION_ENABLED": "true",
            "NOVU_API_URL": api.url,
        }
        server = subprocess.Popen(
            [vpython, str(ROOT / "tests" / "conformance" / "serve.py"), "--framework", "flask", "--port", str(port)],
            env=server_env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}/api/novu"
            wait_until_serving(base, server)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def wait_until_serving(base: str, server: subprocess.Popen[str]) -> None:
    health = {"id": "startup", "method": "GET", "query": {"action": "health-check"}, "headers": {}, "body": None}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            raise AssertionError(f"the bridge exited with {server.returncode}:\n{output}")
        try:
            if harness.send(base, health, SECRET)["status"] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("the bridge did not answer its health check within 30 s")


def test_wheel_is_abi3_manylinux2014_and_stripped(wheel: Path) -> None:
    assert wheel.name.endswith("-cp310-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"), wheel.name
    shown = subprocess.run(
        [sys.executable, "-m", "auditwheel", "show", str(wheel)], capture_output=True, text=True, timeout=120
    )
    assert shown.returncode == 0, shown.stderr
    assert 'consistent with the following platform tag:\n"manylinux_2_17_x86_64"' in shown.stdout, shown.stdout
    with zipfile.ZipFile(wheel) as zf:
        native = next(n for n in zf.namelist() if n.startswith("novu_framework/_native") and n.endswith(".so"))
        library = zf.read(native)
        metadata = zf.read(next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    assert b".symtab" not in library, "the native library still carries its symbol table"
    required = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert not required, f"the package gained runtime dependencies: {required}"
    assert "License-File: LICENSE" in metadata


@pytest.mark.parametrize("served", MINORS, ids=[f"cpython-3.{m}" for m in MINORS], indirect=True)
def test_wheel_serves_the_corpus_without_rust(served: str) -> None:
    expected, deviations = harness.expected(), harness.deviations()
    failures = {}
    for case in harness.cases():
        diffs = harness.compare(expected[case["id"]], harness.send(served, case, SECRET), deviations.get(case["id"]))
        if diffs:
            failures[case["id"]] = diffs
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


def test_sdist_holds_what_a_source_build_needs(wheel: Path) -> None:
    sdists = list(wheel.parent.glob(wheel.name.split("-cp310")[0] + ".tar.gz"))
    assert sdists, f"no sdist beside {wheel.name}"
    with tarfile.open(sdists[0]) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    tracked = subprocess.run(
        ["git", "ls-files", "python", "crates/python/src"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    needed = {"pyproject.toml", "Cargo.toml", "Cargo.lock", "LICENSE", "README.md", "PKG-INFO", *tracked}
    assert not needed - names, f"missing from the sdist: {sorted(needed - names)}"
