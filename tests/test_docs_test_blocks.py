"""The docs' blocks of tests (a block defining `test_` functions) pass under pytest, each in a fresh
interpreter with only NOVU_STRICT_AUTHENTICATION_ENABLED=false set. (test_docs_examples.py runs every block;
a block of tests there only defines its tests.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
TESTS = re.compile(r"^def test_", re.M)


def blocks() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for i, block in enumerate(BLOCK.findall(page.read_text()), 1):
            if TESTS.search(block):
                found.append((f"{page.relative_to(ROOT)}#{i}", block))
    return found


BLOCKS = blocks()


def test_the_testing_page_has_blocks_of_tests() -> None:
    assert any(name.startswith("docs/concepts/testing.md") for name, _ in BLOCKS)


@pytest.mark.parametrize("block", [b for _, b in BLOCKS], ids=[name for name, _ in BLOCKS])
def test_block_runs(block: str, tmp_path: Path) -> None:
    path = tmp_path / "doc_block.py"
    path.write_text(block)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOVU_", "DJANGO_"))}
    env["NOVU_STRICT_AUTHENTICATION_ENABLED"] = "false"
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "docs_blocks.py"), str(path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
