"""Recipients Novu accepts besides subscribers (topics), payloads checked by a pydantic model's own
validators before anything is sent, and `discover` run without any Novu configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, field_validator

from novu_framework import Client, workflow
from novu_framework.errors import InvalidTriggerError, WorkflowPayloadInvalidError

from .helpers import MODES, trigger
from .standin import StandIn

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@workflow("topic-news")
def news(payload: Any, step: Any) -> None:
    step.in_app("inbox", {"body": "news"})


class Invoice(BaseModel):
    invoice_id: str
    amount: float

    @field_validator("amount")
    @classmethod
    def positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("amount must be positive")
        return value


@workflow("validated-invoice", Invoice)
def invoice(payload: Invoice, step: Any) -> None:
    step.email("mail", {"subject": "Invoice", "body": "<p>due</p>"})


@pytest.mark.parametrize("mode", MODES)
def test_topics_and_mixed_recipients_are_sent_as_given(mode: str, api: StandIn, client: Client) -> None:
    to = [{"type": "Topic", "topicKey": "release-notes"}, "sub-1", {"subscriberId": "sub-2", "email": "a@b.c"}]
    trigger(mode, news, to, client=client)
    assert api.only().json["to"] == to


@pytest.mark.parametrize(
    ("to", "needle"),
    [
        ({"type": "Topic"}, "`to.topicKey` must be a non-empty string"),
        ([{"type": "Topic", "topicKey": ""}], "`to[0].topicKey`"),
        ([], "at least one"),
        (7, "a topic"),
    ],
)
def test_bad_topics_are_refused_before_sending(to: Any, needle: str, api: StandIn, client: Client) -> None:
    with pytest.raises(InvalidTriggerError) as info:
        news.trigger(to, client=client)
    assert needle in info.value.message
    assert info.value.status == 400
    assert api.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_pydantic_validators_run_before_a_trigger_is_sent(mode: str, api: StandIn, client: Client) -> None:
    with pytest.raises(WorkflowPayloadInvalidError) as info:
        trigger(mode, invoice, "sub-1", {"invoice_id": "I-1", "amount": -5}, client=client)
    assert info.value.data == [{"path": "/amount", "message": "Value error, amount must be positive"}]
    assert api.requests == []
    trigger(mode, invoice, "sub-1", {"invoice_id": "I-1", "amount": 5}, client=client)
    assert api.only().json["payload"] == {"invoice_id": "I-1", "amount": 5}


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "novu_framework", *args],
        cwd=EXAMPLES,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _bare_env() -> dict[str, str]:
    """The environment without any Novu setting."""
    return {k: v for k, v in os.environ.items() if not k.startswith("NOVU_")}


def test_discover_needs_no_secret_key_even_for_an_app_that_serves_strictly(tmp_path: Path) -> None:
    app = tmp_path / "strict_app.py"
    app.write_text(
        "from flask import Flask\n"
        "from novu_framework import workflow\n"
        "from novu_framework.flask import serve\n\n"
        "@workflow('strict-one')\n"
        "def one(payload, step):\n"
        "    step.sms('text', {'body': 'hi'})\n\n"
        "app = Flask(__name__)\n"
        "serve(app, workflows=[one])  # strict by default: needs a key to serve\n"
    )
    env = {**_bare_env(), "PYTHONPATH": str(tmp_path)}
    done = _cli(["discover", "strict_app:app", "--json"], env)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert [w["workflowId"] for w in document["workflows"]] == ["strict-one"]


def test_discover_json_prints_the_bridges_own_document_text() -> None:
    done = _cli(["discover", "workflows:WORKFLOWS", "--json"], _bare_env())
    assert done.returncode == 0, done.stderr
    sys.path.insert(0, str(EXAMPLES))
    try:
        from workflows import WORKFLOWS  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(EXAMPLES))
    bridge = Client(secret_key="sk", strict_authentication=False)._bridge(WORKFLOWS, "test")
    status, body = bridge.handle("GET", "", b"action=discover", None, None, b"")
    assert status == 200
    assert json.loads(done.stdout) == json.loads(body)
    # Same text as the bridge, only indented: key order and number formatting are the core's.
    assert json.dumps(json.loads(done.stdout), separators=(",", ":"), ensure_ascii=False) == body.decode()


@pytest.mark.parametrize("timeout", ["0", "-1", "nan", "soon"])
def test_sync_with_a_timeout_that_is_not_positive_is_a_usage_error(timeout: str) -> None:
    env = {**_bare_env(), "NOVU_SECRET_KEY": "sk"}
    done = _cli(["sync", "--bridge-url", "https://b.example/api/novu", "--timeout", timeout], env)
    assert done.returncode == 2
    assert "--timeout" in done.stderr and "Traceback" not in done.stderr
