"""The agents' documentation runs: every Python block of docs/concepts/agents.md in order in one namespace, the
README's agents section as the module it is, and examples/agent_flask.py (each with strict authentication off
and the Novu API stand-in as NOVU_API_URL)."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import SECRET
from .helpers import wait_idle
from .standin import AgentsApiStandIn

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[AgentsApiStandIn]:
    with AgentsApiStandIn(SECRET) as api:
        monkeypatch.setenv("NOVU_STRICT_AUTHENTICATION_ENABLED", "false")
        monkeypatch.setenv("NOVU_SECRET_KEY", SECRET)
        monkeypatch.setenv("NOVU_API_URL", api.api_url)
        yield api
        wait_idle()


def test_the_concepts_page_runs(environment: AgentsApiStandIn) -> None:
    namespace: dict[str, Any] = {"__name__": "agents_page"}
    blocks = BLOCK.findall((ROOT / "docs/concepts/agents.md").read_text())
    assert len(blocks) >= 8
    for block in blocks:
        exec(compile(block, "docs/concepts/agents.md", "exec"), namespace)
    wait_idle()
    environment.wait_quiet(0.1, 10)
    replies = [r["body"].get("reply") for r in environment.snapshot()]
    assert {"markdown": "Hi Ada, you asked: hello"} in replies


def served_discover(app: Any) -> dict[str, Any]:
    answer = app.test_client().get("/api/novu?action=discover")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.get_json()
    return document


def test_the_readme_agent_section_runs(environment: AgentsApiStandIn) -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Conversational agents") : readme.index("## Rust")]
    (block,) = BLOCK.findall(section)
    namespace: dict[str, Any] = {"__name__": "readme_agents"}
    exec(compile(block, "README.md", "exec"), namespace)
    document = served_discover(namespace["app"])
    assert document["agents"] == [{"agentId": "support-bot"}]
    assert [w["workflowId"] for w in document["workflows"]] == ["follow-up"]


def test_the_example_serves_its_agent(environment: AgentsApiStandIn) -> None:
    spec = importlib.util.spec_from_file_location("agent_flask", ROOT / "examples/agent_flask.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    document = served_discover(module.app)
    assert document["agents"] == [{"agentId": "support-bot"}]
    event = {
        "replyUrl": f"{environment.api_url}/v1/agents/support-bot/reply",
        "conversationId": "c",
        "integrationIdentifier": "i",
        "conversation": {"metadata": {}},
        "message": {"text": "plans", "author": {"fullName": "Ada"}},
    }
    answer = module.app.test_client().post(
        "/api/novu?action=agent-event&agentId=support-bot&event=onMessage", json=event
    )
    assert answer.get_json() == {"status": "ack"}
    answer.close()  # as a WSGI server does once the answer is sent
    wait_idle()
    environment.wait_quiet(0.1, 10)
    card = environment.snapshot()[0]["body"]["reply"]["card"]
    assert card["title"] == "Pick a plan"
