"""The `novu-framework` command line: `sync` against the stand-in (spec §15.3) and `discover` on apps and
modules, through `main(argv, out)` and once each as a real process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from novu_framework.cli import main

from ..support import serve_app
from .helpers import SECRET, assert_api_headers, http_json
from .standin import StandIn, api_error, reply, slow, unreachable_url

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
VENV_BIN = Path(sys.executable).parent
BRIDGE = "https://app.example.com/api/novu"
SYNC_PATH = "/v1/bridge/sync?source=cli"

SYNC_ANSWER = {
    "data": [
        {"_id": "66a1", "name": "Signup", "triggers": [{"identifier": "api-signup", "type": "event"}]},
        {"_id": "66a2", "workflowId": "api-invoice"},
    ]
}


def run_cli(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, out=out)
    return code, out.getvalue()


def sync_args(api_url: str, *extra: str, key: str | None = SECRET) -> list[str]:
    args = ["sync", "--bridge-url", BRIDGE, "--api-url", api_url, "--timeout", "2", *extra]
    return [*args, "--secret-key", key] if key else args


def assert_sync_request(api: StandIn, bridge_url: str = BRIDGE, secret: str = SECRET) -> None:
    request = api.requests[-1]
    assert (request.method, request.path) == ("POST", SYNC_PATH)
    assert (request.route, request.query) == ("/v1/bridge/sync", "source=cli")
    assert_api_headers(request, secret)
    assert list(request.json) == ["bridgeUrl"]
    assert request.json == {"bridgeUrl": bridge_url}


# -- sync ---------------------------------------------------------------------------------------------------


def test_sync_posts_the_bridge_url_and_lists_what_was_synced(api: StandIn) -> None:
    api.script(reply(201, SYNC_ANSWER))
    code, out = run_cli(sync_args(api.url))
    assert code == 0
    assert_sync_request(api)
    assert len(api.requests) == 1
    assert "2 workflow(s)" in out
    assert "api-signup" in out and "api-invoice" in out
    assert BRIDGE in out


def test_sync_with_an_answer_that_lists_nothing_still_succeeds(api: StandIn) -> None:
    api.script(reply(201, {"data": {"ok": True}}))
    code, out = run_cli(sync_args(api.url))
    assert code == 0
    assert BRIDGE in out and "Synced" in out
    assert_sync_request(api)


def test_sync_reads_key_and_api_url_from_the_environment(api: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_SECRET_KEY", "sk-env-sync")
    monkeypatch.setenv("NOVU_API_URL", api.url)
    code, _ = run_cli(["sync", "--bridge-url", "https://other.example/api/novu", "--timeout", "2"])
    assert code == 0
    assert_sync_request(api, bridge_url="https://other.example/api/novu", secret="sk-env-sync")


@pytest.mark.parametrize("status", [400, 401, 422])
def test_sync_refused_exits_non_zero_with_the_api_message(
    status: int, api: StandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    api.script(reply(status, api_error(status, "Bridge URL is not reachable from Novu")))
    code, out = run_cli(sync_args(api.url))
    err = capsys.readouterr().err
    assert code != 0
    assert "Bridge URL is not reachable from Novu" in err
    assert str(status) in err
    assert len(api.requests) == 1  # 4xx are not retried
    assert "Synced" not in out


def test_sync_retries_a_5xx(api: StandIn) -> None:
    api.script(reply(502, api_error(502, "gateway")), reply(201, SYNC_ANSWER))
    code, out = run_cli(sync_args(api.url))
    assert code == 0
    assert [r.path for r in api.requests] == [SYNC_PATH, SYNC_PATH]
    assert api.requests[0].raw == api.requests[1].raw
    assert "api-signup" in out


def test_sync_to_an_unreachable_api_names_it(capsys: pytest.CaptureFixture[str]) -> None:
    url = unreachable_url()
    code, out = run_cli(sync_args(url))
    err = capsys.readouterr().err
    assert code != 0
    assert url in err
    assert out == ""


def test_sync_to_a_slow_api_gives_up_after_its_timeout(api: StandIn, capsys: pytest.CaptureFixture[str]) -> None:
    api.script(slow(10.0))
    started = time.monotonic()
    code, _ = run_cli(
        ["sync", "--bridge-url", BRIDGE, "--api-url", api.url, "--secret-key", SECRET, "--timeout", "0.5"]
    )
    assert time.monotonic() - started < 0.5 + 2.0
    err = capsys.readouterr().err
    assert code != 0
    assert "did not answer" in err and api.url in err


def test_sync_without_a_key_exits_2_and_sends_nothing(api: StandIn, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_cli(sync_args(api.url, key=None))
    err = capsys.readouterr().err
    assert code == 2
    assert "NOVU_SECRET_KEY" in err
    assert api.requests == []
    assert out == ""


def test_sync_without_a_bridge_url_is_a_usage_error(api: StandIn, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["sync", "--api-url", api.url, "--secret-key", SECRET], out=io.StringIO())
    assert info.value.code == 2
    assert "--bridge-url" in capsys.readouterr().err
    assert api.requests == []


def test_python_dash_m_sync_against_the_stand_in(api: StandIn) -> None:
    api.script(reply(201, SYNC_ANSWER))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOVU_")}
    env["NOVU_SECRET_KEY"] = "sk-subprocess"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "novu_framework",
            "sync",
            "--bridge-url",
            BRIDGE,
            "--api-url",
            api.url,
            "--timeout",
            "5",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "api-signup" in done.stdout and "api-invoice" in done.stdout
    assert_sync_request(api, secret="sk-subprocess")


# -- discover -----------------------------------------------------------------------------------------------


@pytest.fixture
def in_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLES))
    monkeypatch.chdir(EXAMPLES)


@pytest.mark.parametrize("target", ["flask_app:app", "fastapi_app:app"])
def test_discover_an_example_app(target: str, in_examples: None) -> None:
    code, out = run_cli(["discover", target])
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2 workflow(s), 5 step(s)"
    assert "order-shipped (severity none; tags orders)" in lines
    assert "welcome (name 'Welcome'; severity none; tags onboarding)" in lines
    assert '  payload: order_id*: string, carrier: string = "DHL"' in lines
    assert "  3. welcome-email [email]" in lines
    assert "  2. wait-for-more [digest]" in lines


def test_discover_json_is_what_the_served_bridge_discovers(in_examples: None) -> None:
    code, out = run_cli(["discover", "flask_app:app", "--json"])
    assert code == 0
    document = json.loads(out)
    assert [w["workflowId"] for w in document["workflows"]] == ["order-shipped", "welcome"]
    assert document["agents"] == []

    import flask_app  # type: ignore[import-not-found]  # examples/, on sys.path through the fixture

    with serve_app("flask", flask_app.app) as base:
        status, served = http_json("GET", f"{base}/api/novu?action=discover")
    assert status == 200
    assert document["workflows"] == served["workflows"]


def test_discover_a_module_of_workflows() -> None:
    code, out = run_cli(["discover", "tests.novu_api.sample_workflows"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "3 workflow(s), 4 step(s)"
    assert "api-signup (name 'Signup'; severity none; tags onboarding, api-tests)" in lines
    assert '  payload: name*: string, plan: string = "free", seats: integer = 1' in lines
    assert "  1. inbox [in_app]" in lines
    assert '     controls: subject: string = "Welcome!"' in lines
    assert '  payload: amount*: number, currency: string = "EUR"' in lines
    assert "  1. chat [chat]" in lines


@pytest.mark.parametrize(
    ("attribute", "ids"),
    [("ALL", ["api-signup", "api-invoice", "api-free-form"]), ("invoice", ["api-invoice"])],
)
def test_discover_an_attribute_as_json(attribute: str, ids: list[str]) -> None:
    code, out = run_cli(["discover", f"tests.novu_api.sample_workflows:{attribute}", "--json"])
    assert code == 0
    document = json.loads(out)
    assert [w["workflowId"] for w in document["workflows"]] == ids
    by_id: dict[str, Any] = {w["workflowId"]: w for w in document["workflows"]}
    if "api-signup" in by_id:
        assert by_id["api-signup"]["payload"]["schema"]["required"] == ["name"]
        assert [s["stepId"] for s in by_id["api-signup"]["steps"]] == ["inbox", "welcome-email"]
    assert by_id["api-invoice"]["payload"]["schema"]["properties"]["currency"]["default"] == "EUR"


def test_console_script_discover_json() -> None:
    script = VENV_BIN / "novu-framework"
    if not script.exists():
        pytest.skip("the novu-framework console script is not installed next to this interpreter")
    done = subprocess.run(
        [str(script), "discover", "flask_app:app", "--json"],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("NOVU_")},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert [w["workflowId"] for w in json.loads(done.stdout)["workflows"]] == ["order-shipped", "welcome"]


def test_console_script_stops_quietly_when_its_reader_goes_away() -> None:
    """`novu-framework discover ... | head` closes the pipe early: no BrokenPipeError traceback."""
    script = VENV_BIN / "novu-framework"
    if not script.exists():
        pytest.skip("the novu-framework console script is not installed next to this interpreter")
    read_end, write_end = os.pipe()
    os.close(read_end)  # a reader that is already gone: every write fails with EPIPE
    try:
        done = subprocess.run(
            [str(script), "discover", "flask_app:app", "--json"],
            cwd=EXAMPLES,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("NOVU_")},
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr


@pytest.mark.parametrize(
    ("target", "needle"),
    [
        ("no_such_module_for_novu_tests", "No module named"),
        ("no_such_pkg_for_novu_tests.app:app", "No module named"),
        ("tests.novu_api.sample_workflows:missing", "missing"),
        ("tests.novu_api.sample_workflows:NOT_A_WORKFLOW", "str"),
        ("tests.novu_api.standin", "serves no novu_framework workflows"),
    ],
    ids=["no-module", "no-package", "no-attribute", "not-a-workflow", "no-workflows"],
)
def test_discover_a_bad_target_exits_1_with_a_message(
    target: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_cli(["discover", target])
    err = capsys.readouterr().err
    assert code == 1
    assert out == ""
    assert needle in err and target in err


def test_discover_a_plain_flask_app_without_the_bridge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "novu_cli_plain_app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    code, _ = run_cli(["discover", "novu_cli_plain_app:app"])
    assert code == 1
    assert "Flask" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("novu_cli_raises_at_import", 'raise RuntimeError("database is down")\n'),
        ("novu_cli_syntax_error", "def broken(:\n    pass\n"),
    ],
    ids=["raises-at-import", "syntax-error"],
)
def test_discover_a_module_that_fails_to_import_exits_1_with_a_message(
    name: str, source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`main()` returns the exit code: a target whose import fails is reported like any other bad target,
    not as an uncaught exception out of `main()`."""
    (tmp_path / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    try:
        code, _ = run_cli(["discover", name])
    except Exception as e:
        pytest.fail(f"main() raised {type(e).__name__}: {e} instead of returning an exit code")
    assert code == 1
    assert name in capsys.readouterr().err
