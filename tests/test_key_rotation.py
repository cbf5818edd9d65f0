"""Secret key rotation: inbound signatures made with the primary or the fallback key are accepted, outbound
calls use the primary, and neither key shows in a repr, a log line or an error."""

from __future__ import annotations

import json
import logging
import re
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from flask import Flask

from novu_framework import Client, NovuApiError, workflow
from novu_framework import fastapi as nf_fastapi
from novu_framework import flask as nf_flask
from novu_framework._native import sign
from novu_framework.errors import MissingSecretKeyError

from .support import NovuApiStandIn, serve_app

SECURITY_PAGE = Path(__file__).resolve().parent.parent / "docs" / "security" / "key-rotation.md"

PRIMARY = "sk-primary-7c1e90"
FALLBACK = "sk-fallback-3b8d21"
OTHER = "sk-other-55aa00"
KEYS = (PRIMARY, FALLBACK)
NOVU_ENV = ("NOVU_SECRET_KEY", "NOVU_API_KEY", "NOVU_SECRET_KEY_FALLBACK", "NOVU_STRICT_AUTHENTICATION_ENABLED")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NOVU_ENV:
        monkeypatch.delenv(name, raising=False)


@workflow("rotation")
def rotation(payload: Any, step: Any) -> None:
    step.sms("sms", lambda: {"body": "hello"})


def _assert_no_key(text: str) -> None:
    for key in KEYS:
        assert key not in text, text


def _call(base: str, method: str, query: str, key: str | None, body: bytes = b"") -> tuple[int, Any]:
    headers = {"content-type": "application/json"}
    if key is not None:
        signed = body if method == "POST" else b"{}"
        headers["novu-signature"] = sign(key, signed, int(time.time() * 1000))
    request = urllib.request.Request(f"{base}/api/novu?{query}", data=body or None, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    _assert_no_key(raw.decode())
    return status, json.loads(raw)


def _app(framework: str, client: Client) -> Any:
    if framework == "flask":
        app = Flask("rotation")
        nf_flask.serve(app, workflows=[rotation], client=client)
        return app
    api = FastAPI()
    nf_fastapi.serve(api, workflows=[rotation], client=client)
    return api


def test_fallback_comes_from_the_argument_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Client(secret_key=PRIMARY).secret_key_fallback == ""
    assert "secret_key_fallback" not in repr(Client(secret_key=PRIMARY))
    client = Client(secret_key=PRIMARY, secret_key_fallback=FALLBACK)
    assert (client.secret_key, client.secret_key_fallback) == KEYS
    monkeypatch.setenv("NOVU_SECRET_KEY", PRIMARY)
    monkeypatch.setenv("NOVU_SECRET_KEY_FALLBACK", FALLBACK)
    client = Client()
    assert (client.secret_key, client.secret_key_fallback) == KEYS
    assert Client(secret_key_fallback=OTHER).secret_key_fallback == OTHER
    # An empty argument is no value: the environment still counts, as for the other settings.
    assert Client(secret_key_fallback="").secret_key_fallback == FALLBACK
    _assert_no_key(repr(client))
    _assert_no_key(str(client))
    assert "secret_key_fallback=<set>" in repr(client)


@pytest.mark.parametrize("framework", ["flask", "fastapi"])
@pytest.mark.parametrize("source", ["argument", "environment"])
def test_either_key_signs_inbound_the_primary_calls_out(
    framework: str, source: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with NovuApiStandIn(PRIMARY) as api:
        if source == "argument":
            client = Client(secret_key=PRIMARY, secret_key_fallback=FALLBACK, api_url=api.url)
        else:
            monkeypatch.setenv("NOVU_SECRET_KEY", PRIMARY)
            monkeypatch.setenv("NOVU_SECRET_KEY_FALLBACK", FALLBACK)
            client = Client(api_url=api.url)
        with serve_app(framework, _app(framework, client)) as base:
            for key in KEYS:
                status, body = _call(base, "GET", "action=discover", key)
                assert status == 200 and body["workflows"][0]["workflowId"] == "rotation", body
                execute = json.dumps({"payload": {}, "controls": {}, "state": [], "subscriber": {}}).encode()
                status, body = _call(base, "POST", "action=execute&workflowId=rotation&stepId=sms", key, execute)
                assert status == 200 and body["outputs"] == {"body": "hello"}, body
            for key in (OTHER, PRIMARY[:-1], FALLBACK + "x"):
                status, body = _call(base, "GET", "action=discover", key)
                assert (status, body["code"]) == (401, "SignatureMismatchError"), body
            status, body = _call(base, "GET", "action=discover", None)
            assert (status, body["code"]) == (401, "SignatureNotFoundError"), body
            trigger = json.dumps({"workflowId": "rotation", "to": "s1", "payload": {}}).encode()
            status, body = _call(base, "POST", "action=trigger", FALLBACK, trigger)
            assert status == 200 and body["received"]["authorizationOk"] is True, body
    assert [r["headers"]["authorization"] for r in api.requests] == [f"ApiKey {PRIMARY}"]
    _assert_no_key(caplog.text)


def test_workflow_trigger_calls_out_with_the_primary() -> None:
    with NovuApiStandIn(PRIMARY) as api:
        client = Client(secret_key=PRIMARY, secret_key_fallback=FALLBACK, api_url=api.url)
        result = rotation.trigger("s1", {}, client=client)
        assert result.data["received"]["authorizationOk"] is True
        _assert_no_key(repr(result))
    assert api.requests[0]["headers"]["authorization"] == f"ApiKey {PRIMARY}"


def test_failures_never_show_a_key(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    # Nothing listens on port 9: the call fails with a connection error naming the URL, not the key.
    client = Client(secret_key=PRIMARY, secret_key_fallback=FALLBACK, api_url="http://127.0.0.1:9", retries=0)
    with pytest.raises(NovuApiError) as info:
        rotation.trigger("s1", {}, client=client)
    _assert_no_key(str(info.value) + repr(info.value) + repr(vars(info.value)))
    # A key that cannot be sent as a header value fails without echoing it.
    with NovuApiStandIn(PRIMARY) as api:
        bad = Client(secret_key=PRIMARY + "\n", api_url=api.url, retries=0)
        with pytest.raises(NovuApiError) as info:
            rotation.trigger("s1", {}, client=bad)
        _assert_no_key(str(info.value) + repr(info.value) + repr(vars(info.value)))
    # A fallback alone is not a key: strict authentication still asks for the primary.
    with pytest.raises(MissingSecretKeyError) as missing:
        nf_flask.serve(Flask("fallback-only"), workflows=[rotation], client=Client(secret_key_fallback=FALLBACK))
    _assert_no_key(str(missing.value) + repr(missing.value))
    out, err = capfd.readouterr()
    _assert_no_key(out + err + caplog.text)


def test_security_page_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", SECURITY_PAGE.read_text(), re.S)
    assert len(blocks) == 3
    namespace: dict[str, Any] = {"__name__": "security_page"}
    for block in blocks:
        exec(compile(block, str(SECURITY_PAGE), "exec"), namespace)
    assert capsys.readouterr().out.splitlines()[-3:] == ["sk-new 200", "sk-old 200", "sk-someone-else 401"]
