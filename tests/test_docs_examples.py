"""Every Python code block of the pages about web stacks, testing and logs (and of the README's sections on
them) runs: each in a fresh interpreter, with only NOVU_STRICT_AUTHENTICATION_ENABLED=false set; an app is
served and must answer at /api/novu, a block of tests must pass."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    "docs/getting-started/django.md",
    "docs/getting-started/asgi-wsgi.md",
    "docs/getting-started/flask-app-factories.md",
    "docs/concepts/testing.md",
    "docs/concepts/logging.md",
]
README_SECTIONS = ["Django", "Any ASGI or WSGI server", "Testing workflows", "Request logs"]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def readme_sections() -> str:
    text = (ROOT / "README.md").read_text()
    parts = re.split(r"^## ", text, flags=re.M)
    return "\n".join(p for p in parts if p.split("\n", 1)[0].strip() in README_SECTIONS)


def blocks() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for i, block in enumerate(BLOCK.findall((ROOT / page).read_text()), 1):
            found.append((f"{page}#{i}", block))
    for i, block in enumerate(BLOCK.findall(readme_sections()), 1):
        found.append((f"README.md#{i}", block))
    return found


BLOCKS = blocks()


def test_every_page_and_section_has_blocks() -> None:
    assert {name.split("#")[0] for name, _ in BLOCKS} == {*PAGES, "README.md"}


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
