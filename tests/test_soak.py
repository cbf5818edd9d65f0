"""The concurrent soak (benches/soak.py) in miniature on both servers, so that it keeps working: a few hundred
mixed requests from several clients, every answer as when sent alone, and its final line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("framework", ["flask", "fastapi"])
def test_small_soak_has_no_unexpected_answer(framework: str) -> None:
    command = [sys.executable, "benches/soak.py", "--framework", framework, "--requests", "400", "--concurrency", "8"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.fullmatch(r"400 requests, 0 unexpected, RSS \d+\.\d -> \d+\.\d MiB", last), last


def test_answers_are_compared_strictly_except_where_they_vary_alone() -> None:
    sys.path.insert(0, str(ROOT))
    from benches.soak import Answer, Expected, volatile_paths

    first = {"outputs": {"body": "hi"}, "metadata": {"duration": 1.5, "status": "success"}, "trace": [1, 2]}
    second = {"outputs": {"body": "hi"}, "metadata": {"duration": 2.5, "status": "success"}, "trace": [1, 3]}
    volatile = volatile_paths(first, second)
    assert volatile == {("metadata", "duration"), ("trace", "1")}
    expected = Expected(Answer(200, "application/json", first), volatile)
    assert expected.matches(Answer(200, "application/json", {**first, "trace": [1, 9]}))
    assert not expected.matches(Answer(200, "application/json", {**first, "outputs": {"body": "ho"}}))
    assert not expected.matches(Answer(200, "application/json", {**first, "trace": ["1", 2]}))
    assert not expected.matches(Answer(500, "application/json", first))
    assert not expected.matches(Answer(200, "text/html", first))
    # The duration of a run is compared by type even when two answers alone happened to agree.
    assert Expected(Answer(200, "application/json", first), set()).matches(
        Answer(200, "application/json", {**first, "metadata": {"duration": 9.0, "status": "success"}})
    )
