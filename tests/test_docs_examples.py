"""Every Python code block of README.md and docs/**/*.md runs here, so an example cannot break unnoticed.

The convention (docs/contributing.md says the same to writers):

- Blocks fenced as ```python (or ```py) run; use ```text for output and ```sh for commands.
- The blocks of one page run in order in one namespace, like a doctest session: a block may use what an
  earlier block of the same page defined.
- A block that defines a module-level `app` is a complete module: it runs on its own (nothing from earlier
  blocks), with no environment but NOVU_STRICT_AUTHENTICATION_ENABLED=false, and the app (Flask or any WSGI
  app, FastAPI or any ASGI app) is served on 127.0.0.1 and must answer the health check and discover at
  `/api/novu` with at least one workflow (or, when the example turns strict authentication on itself, refuse
  the unsigned discover with SignatureNotFoundError). Later blocks of the page see its names.
- Other blocks run with strict authentication off and with NOVU_SECRET_KEY and NOVU_API_URL pointing at a
  loopback stand-in of the Novu API, so trigger, cancel and sync examples really call an API.
- Top-level `await` is allowed: such a block runs on an event loop.

The README's curl example is run too, with bash, against its Flask quick start served with strict
authentication on; and no relative link of the README or the docs points outside the repository.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import types
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .support import NovuApiStandIn, serve_asgi, serve_wsgi

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)\s*(?P<info>[^\n]*)$")
SECRET = "docs-example-secret"
_modules = itertools.count()


@dataclass
class Block:
    page: Path
    line: int  # 1-based line of the block's first code line
    language: str
    source: str

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    def defines_app(self) -> bool:
        """Whether the block assigns a module-level `app`."""
        tree = ast.parse(self.source)
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            if any(isinstance(t, ast.Name) and t.id == "app" for t in targets):
                return True
        return False


def code_blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a Markdown page (fences may be indented, as in lists and admonitions)."""
    blocks = []
    lines = page.read_text().splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        language = opening["info"].strip().split(" ")[0].strip("{.").lower()
        body = []
        i += 1
        first_line = i + 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i].lstrip())
            i += 1
        blocks.append(Block(page, first_line, language, "\n".join(body) + "\n"))
        i += 1
    return blocks


PYTHON_BLOCKS = [b for page in PAGES for b in code_blocks(page) if b.language in ("python", "py")]


class StandIn:
    """One loopback Novu API for all examples: triggers answer 201, cancels 200, bridge syncs 200."""

    api: NovuApiStandIn | None = None

    @classmethod
    def url(cls) -> str:
        if cls.api is None:
            cls.api = NovuApiStandIn(SECRET).__enter__()
            cls.api.responder = cls.answer
        return cls.api.url

    @staticmethod
    def answer(request: dict[str, Any]) -> tuple[int, Any] | None:
        if request["method"] == "DELETE" and request["path"].startswith("/v1/events/trigger/"):
            return 200, {"data": True}
        if request["method"] == "POST" and request["path"].startswith("/v1/bridge/sync"):
            return 200, {"data": []}
        return None


@pytest.fixture(scope="module", autouse=True)
def _stop_stand_in() -> Iterator[None]:
    yield
    if StandIn.api is not None:
        StandIn.api.__exit__(None, None, None)
        StandIn.api = None


@contextmanager
def environment(app_block: bool, strict: bool = False) -> Iterator[None]:
    """The environment a block runs with (see the module docstring); restored afterwards."""
    names = ("NOVU_SECRET_KEY", "NOVU_API_KEY", "NOVU_API_URL", "NOVU_STRICT_AUTHENTICATION_ENABLED")
    saved = {k: os.environ.get(k) for k in names}
    for k in names:
        os.environ.pop(k, None)
    if not strict:
        os.environ["NOVU_STRICT_AUTHENTICATION_ENABLED"] = "false"
    if strict or not app_block:
        os.environ["NOVU_SECRET_KEY"] = SECRET
    if not app_block:
        os.environ["NOVU_API_URL"] = StandIn.url()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def execute(block: Block, namespace: dict[str, Any]) -> None:
    """Runs the block's code in `namespace`; tracebacks point at the Markdown file's own line numbers."""
    source = "\n" * (block.line - 1) + block.source
    code = compile(source, str(block.page), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)
    if inspect.iscoroutine(result):
        asyncio.run(result)


def fresh_module() -> types.ModuleType:
    """A real module for a block, so that frameworks and pydantic find it in `sys.modules`."""
    module = types.ModuleType(f"docs_example_{next(_modules)}")
    sys.modules[module.__name__] = module
    return module


@dataclass
class PageSession:
    """The shared namespace of one page's blocks, run in order."""

    namespace: dict[str, Any] = field(default_factory=lambda: fresh_module().__dict__)
    done: int = 0
    failed: str | None = None

    def run(self, blocks: list[Block], upto: int) -> dict[str, Any]:
        """Runs the blocks before `upto` not yet run, then block `upto`; returns the namespace it ran in."""
        namespace = self.namespace
        while self.done <= upto:
            if self.failed is not None:
                pytest.fail(f"an earlier block of the page failed: {self.failed}")
            block = blocks[self.done]
            app_block = block.defines_app()
            namespace = fresh_module().__dict__ if app_block else self.namespace
            try:
                with environment(app_block):
                    execute(block, namespace)
            except BaseException:
                self.failed = block.name
                raise
            if app_block:
                self.namespace.update({k: v for k, v in namespace.items() if not k.startswith("__")})
            self.done += 1
        return namespace


SESSIONS: dict[Path, PageSession] = {}


def serve(app: Any) -> Any:
    """Serves an ASGI app (its `__call__` is a coroutine function) with uvicorn, anything else as WSGI."""
    asgi = inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(type(app).__call__)
    return serve_asgi(app) if asgi else serve_wsgi(app)


def get_json(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[b.name for b in PYTHON_BLOCKS])
def test_python_block_runs(block: Block) -> None:
    page_blocks = [b for b in PYTHON_BLOCKS if b.page == block.page]
    session = SESSIONS.setdefault(block.page, PageSession())
    namespace = session.run(page_blocks, page_blocks.index(block))
    if not block.defines_app():
        return
    with environment(app_block=True), serve(namespace["app"]) as base:
        status, health = get_json(f"{base}/api/novu?action=health-check")
        assert status == 200 and health["status"] == "ok", health
        assert health["discovered"]["workflows"] >= 1, f"{block.name} serves no workflow: {health}"
        status, discovered = get_json(f"{base}/api/novu?action=discover")
        if status == 401:  # an example that turns strict authentication on explicitly
            assert discovered["code"] == "SignatureNotFoundError", discovered
        else:
            assert status == 200 and len(discovered["workflows"]) == health["discovered"]["workflows"]


def test_every_page_with_python_has_its_blocks_collected() -> None:
    assert any(b.page.name == "README.md" for b in PYTHON_BLOCKS)
    assert sum(1 for b in PYTHON_BLOCKS if b.defines_app()) >= 2


@pytest.mark.skipif(shutil.which("openssl") is None or shutil.which("curl") is None, reason="needs openssl and curl")
def test_readme_curl_example_signs_requests_as_novu_does() -> None:
    readme = code_blocks(ROOT / "README.md")
    curl = next(b for b in readme if b.language == "sh" and "openssl dgst" in b.source)
    flask_app = next(b for b in readme if b.language == "python" and b.defines_app() and "flask" in b.source)
    module = fresh_module()
    with environment(app_block=True, strict=True):
        execute(flask_app, module.__dict__)
        with serve(module.app) as base:
            run = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", curl.source.replace("http://127.0.0.1:4000", base)],
                env={**os.environ, "NOVU_SECRET_KEY": SECRET},
                capture_output=True,
                text=True,
                timeout=60,
            )
            unsigned = subprocess.run(
                ["curl", "-s", f"{base}/api/novu?action=discover"], capture_output=True, text=True, timeout=60
            )
    assert run.returncode == 0, run.stderr
    discovered, preview = run.stdout.split("}{", 1)
    assert json.loads(discovered + "}")["workflows"][0]["workflowId"] == "order-shipped"
    answer = '{"outputs":{"subject":"Your order A-1 is on its way","body":"<p>Shipped with DHL</p>"}'
    assert ("{" + preview).startswith(answer), preview
    assert answer in (ROOT / "README.md").read_text(), "the README shows another answer than the bridge gives"
    assert json.loads(unsigned.stdout)["code"] == "SignatureNotFoundError"


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<a [^>]*href=\"([^\"]+)\"")


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_relative_links_stay_inside_the_repository(page: Path) -> None:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
    for match in LINK.finditer(text):
        target = (match[1] or match[2]).split("#")[0]
        if not target or re.match(r"^[a-z]+:", target):
            continue
        resolved = (page.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{page.name}: {target} points outside the repository"
        assert resolved.exists(), f"{page.name}: {target} does not exist"


def test_readme_rust_example_is_taken_from_the_compiled_example() -> None:
    """The README's Rust block is an excerpt of crates/rust/examples/axum_quickstart.rs, which `cargo test` builds
    (the docs include the whole file)."""
    example = {line.strip() for line in (ROOT / "crates/rust/examples/axum_quickstart.rs").read_text().splitlines()}
    rust = [b for b in code_blocks(ROOT / "README.md") if b.language == "rust"]
    assert rust, "the README has no Rust example"
    for block in rust:
        missing = [line for line in block.source.splitlines() if line.strip() and line.strip() not in example]
        assert not missing, f"{block.name}: not in crates/rust/examples/axum_quickstart.rs: {missing}"


WORKFLOW_BLOCKS = [
    b for page in PAGES for b in code_blocks(page) if b.language in ("yaml", "yml") and "\njobs:" in f"\n{b.source}"
]


@pytest.mark.parametrize("block", WORKFLOW_BLOCKS, ids=[b.name for b in WORKFLOW_BLOCKS])
def test_github_workflow_examples_follow_the_workflow_schema(block: Block, tmp_path: Path) -> None:
    path = tmp_path / "workflow.yml"
    path.write_text(block.source)
    checked = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, f"{block.name}:\n{checked.stdout}{checked.stderr}"
