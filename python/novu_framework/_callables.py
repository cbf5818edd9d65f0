"""Introspection helpers the native core calls at definition time (and for unusual callables)."""

from __future__ import annotations

import inspect
import json
import textwrap
from typing import Any


def takes_argument(func: Any) -> bool:
    """Whether ``func`` accepts one positional argument (a resolver may take the controls or nothing)."""
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL) for p in params)


def source_text(obj: Any) -> str:
    """The source of a function (shown by ``action=code`` and in discover), or a readable text otherwise."""
    if callable(obj):
        try:
            return textwrap.dedent(inspect.getsource(obj)).strip()
        except (OSError, TypeError):
            name = getattr(obj, "__qualname__", None) or type(obj).__name__
            return f"<source of {name} unavailable>"
    try:
        return json.dumps(obj, default=str)
    except (TypeError, ValueError):
        return repr(obj)


def json_schema(model: Any) -> dict[str, Any]:
    """The JSON Schema of a pydantic model class, as discover shows it and validation uses it."""
    schema: dict[str, Any] = model.model_json_schema()
    return schema


def is_model(obj: Any) -> bool:
    """True for a pydantic model class (duck-typed: pydantic is only imported by the user)."""
    return isinstance(obj, type) and hasattr(obj, "model_json_schema") and hasattr(obj, "model_validate")
