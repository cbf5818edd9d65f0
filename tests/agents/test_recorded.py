"""Every recorded case of the agents corpus, replayed over real HTTP on loopback against the Flask and the
FastAPI adapter (see ``conftest.py``): the answer and every outbound call must match the recording, except
where ``deviations.json`` allows better."""

from __future__ import annotations

from typing import Any

import pytest

from . import harness

CASES = harness.cases()
DEVIATIONS = harness.deviations()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_recorded_case(bridges: harness.Bridges, case: dict[str, Any]) -> None:
    got = harness.run(case, bridges)
    diffs = harness.compare(case, got, DEVIATIONS.get(case["id"]))
    assert not diffs, "\n".join(diffs)
