"""Cases of the corpus's kinds that it does not record (recorded from the reference bridge by
``record_extra.py``), replayed like the recorded ones; ``extra_deviations.json`` applies the corpus's
deviation rules to them."""

from __future__ import annotations

from typing import Any

import pytest

from . import harness

CASES = harness.cases("extra_cases.json")
DEVIATIONS = harness.deviations("extra_deviations.json")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_extra_case(bridges: harness.Bridges, case: dict[str, Any]) -> None:
    got = harness.run(case, bridges)
    diffs = harness.compare(case, got, DEVIATIONS.get(case["id"]))
    assert not diffs, "\n".join(diffs)
