"""The public typing of the `step` object, checked with mypy the way users' code is: correct calls pass,
unknown options, wrong result types and a missing `await` are reported."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from mypy import api

GOOD = """
from typing import Any
from novu_framework import AsyncStep, Step, workflow

@workflow("typed")
def typed(payload: dict[str, Any], step: Step) -> None:
    result: dict[str, Any] = step.email("mail", {"subject": "s", "body": "b"}, skip=False)
    step.in_app("inbox", lambda controls: {"body": "hi"}, providers={"novu": lambda **kw: {}})
    step.custom("c", lambda: {"n": 1}, output_schema={"type": "object"})

@workflow("typed-async")
async def typed_async(payload: dict[str, Any], step: AsyncStep) -> None:
    result: dict[str, Any] = await step.delay("wait", {"amount": 1, "unit": "hours"})
"""

BAD = """
from typing import Any
from novu_framework import AsyncStep, Step

def f(step: Step, astep: AsyncStep) -> None:
    step.email("mail", {"subject": "s"}, bogus=1)
    n: int = step.sms("t", {})
    d: dict[str, Any] = astep.sms("t", {})
    step.delay("wait", {}, providers={})
"""


def check(tmp_path: Path, source: str) -> tuple[str, int]:
    path = tmp_path / "user_code.py"
    path.write_text(textwrap.dedent(source))
    out, err, status = api.run(["--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(path)])
    return out + err, status


def test_correct_step_calls_type_check(tmp_path: Path) -> None:
    out, status = check(tmp_path, GOOD)
    assert status == 0, out


def test_mistakes_in_step_calls_are_reported(tmp_path: Path) -> None:
    out, status = check(tmp_path, BAD)
    assert status == 1, out
    assert 'Unexpected keyword argument "bogus"' in out
    assert 'variable has type "int"' in out
    assert 'Maybe you forgot to use "await"?' in out
    assert 'Unexpected keyword argument "providers"' in out


FORGOTTEN_AWAIT = """
from typing import Any
from novu_framework import AsyncStep, workflow

@workflow("forgetful")
async def forgetful(payload: dict[str, Any], step: AsyncStep) -> None:
    step.in_app("inbox", {"body": "hi"})
    await step.email("mail", {"subject": "s", "body": "b"})
"""


def test_a_step_call_never_awaited_is_an_error_under_plain_strict(tmp_path: Path) -> None:
    out, status = check(tmp_path, FORGOTTEN_AWAIT)
    assert status == 1, out
    assert "user_code.py:7: error:" in out, out
    assert "[unused-coroutine]" in out, out
    assert out.count("error:") == 1, out


def test_the_async_step_result_is_a_coroutine_at_run_time() -> None:
    import collections.abc

    from novu_framework import workflow

    seen: list[bool] = []

    @workflow("coroutine-check")
    async def check_types(payload: Any, step: Any) -> None:
        call = step.in_app("inbox", {"body": "hi"})
        seen.append(isinstance(call, collections.abc.Coroutine))
        await call

    assert seen == [True]
