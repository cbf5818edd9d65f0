"""The ``novu-framework`` command line (also ``python -m novu_framework``).

- ``novu-framework sync --bridge-url URL``: asks Novu Cloud to discover a deployed bridge and store its
  workflows (what ``npx novu sync`` does), without Node.
- ``novu-framework discover APP``: imports a Flask or FastAPI app, a ``novu_framework.asgi``/``wsgi`` app,
  a workflow, or a module of workflows (``module`` or ``module:attribute``), or a Django project by its
  settings module (``mysite.settings``), and prints what the bridge would serve; exits non-zero when it
  cannot.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import math
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from . import _native
from .client import Client
from .errors import MissingSecretKeyError, NovuApiError
from .workflow import Workflow

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="novu-framework", description="Novu Framework bridge tools for Python: sync and discover."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    sync = commands.add_parser("sync", help="tell Novu to discover a deployed bridge and store its workflows")
    sync.add_argument(
        "--bridge-url", required=True, help="public URL of the bridge, e.g. https://app.example.com/api/novu"
    )
    sync.add_argument("--secret-key", help="Novu secret key (default: $NOVU_SECRET_KEY, then $NOVU_API_KEY)")
    sync.add_argument("--api-url", help="Novu API URL (default: $NOVU_API_URL, then https://api.novu.co)")
    sync.add_argument("--timeout", type=_seconds, default=30.0, help="seconds for the whole call (default 30)")

    discover = commands.add_parser("discover", help="list the workflows, steps and schemas an app would serve")
    discover.add_argument(
        "app",
        help="`module:attribute` (a Flask/FastAPI/ASGI/WSGI app, a workflow or a list), `module`, "
        "or a Django settings module",
    )
    discover.add_argument("--json", action="store_true", help="print the discover document as JSON")
    return parser


def _seconds(text: str) -> float:
    """A positive, finite number of seconds (argparse reports anything else as a usage error, exit 2)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def _sync(args: argparse.Namespace, out: TextIO) -> int:
    client = Client(secret_key=args.secret_key, api_url=args.api_url)
    try:
        secret = client._require_secret_key()
    except MissingSecretKeyError:
        print("error: no secret key: set NOVU_SECRET_KEY or pass --secret-key", file=sys.stderr)
        return 2
    try:
        answer = _native.sync_bridge(
            args.bridge_url,
            api_url=client.api_url,
            secret_key=secret,
            timeout=args.timeout,
            retries=client.retries,
            backoff=client.retry_backoff,
        )
    except NovuApiError as e:
        print(f"error: {e.message}", file=sys.stderr)
        return 1
    synced = _synced_ids(answer)
    where = f"{client.api_url} from {args.bridge_url}"
    if synced is None:
        print(f"Synced the bridge with {where}.", file=out)
    else:
        print(f"Synced {len(synced)} workflow(s) with {where}:", file=out)
        for workflow_id in synced:
            print(f"  - {workflow_id}", file=out)
    return 0


def _synced_ids(answer: Any) -> list[str] | None:
    """The workflow ids in a sync answer (the API lists what it created or updated)."""
    items = answer.get("data", answer) if isinstance(answer, dict) else answer
    if not isinstance(items, list):
        return None
    ids = []
    for item in items:
        if isinstance(item, dict):
            triggers = item.get("triggers") or [{}]
            first = triggers[0] if isinstance(triggers, list) and triggers and isinstance(triggers[0], dict) else {}
            name = item.get("workflowId") or first.get("identifier") or item.get("name") or item.get("_id")
            if name:
                ids.append(str(name))
    return ids


@contextlib.contextmanager
def _lenient() -> Iterator[None]:
    """An app calling `serve()` at import needs a secret key under strict authentication; listing
    workflows needs none, so strict authentication is off while the user's code loads unless the
    environment says otherwise."""
    sys.path.insert(0, os.getcwd())
    variable = "NOVU_STRICT_AUTHENTICATION_ENABLED"
    unset = variable not in os.environ
    if unset:
        os.environ[variable] = "false"
    try:
        yield
    finally:
        if unset:
            os.environ.pop(variable, None)


def _django_workflows(settings_module: str) -> list[Workflow]:
    """The workflows a Django project's URLconf serves through `novu_urls`."""
    import django
    from django.urls import URLResolver, get_resolver

    from .django import BridgePattern

    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    django.setup()
    found: list[Workflow] = []

    def walk(patterns: Any) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, BridgePattern):
                found.extend(w for w in pattern.endpoint.workflows if w not in found)

    walk(get_resolver().url_patterns)
    return found


def _load(spec: str) -> list[Workflow]:
    """The workflows named by `module`, `module:attribute` or a Django settings module."""
    with _lenient():
        return _find(spec)


def _find(spec: str) -> list[Workflow]:
    module_name, _, attribute = spec.partition(":")
    module = importlib.import_module(module_name)
    if not attribute and hasattr(module, "ROOT_URLCONF") and hasattr(module, "INSTALLED_APPS"):
        return _django_workflows(module_name)
    if not attribute:
        found = [v for v in vars(module).values() if isinstance(v, Workflow)]
        for value in vars(module).values():
            found.extend(w for w in _served_by(value) if w not in found)
        return found
    target: Any = module
    for part in attribute.split("."):
        target = getattr(target, part)
    if isinstance(target, Workflow):
        return [target]
    if isinstance(target, (list, tuple)) and all(isinstance(w, Workflow) for w in target):
        return list(target)
    served = _served_by(target)
    if served:
        return served
    kind = type(target).__name__
    raise TypeError(f"`{spec}` is a {kind}, not an app served with novu_framework, a workflow or a list of workflows")


def _served_by(app: Any) -> list[Workflow]:
    """Workflows an app serves: novu_framework's ASGI/WSGI apps, Flask and FastAPI apps through `serve()`."""
    from .asgi import App as AsgiApp
    from .wsgi import App as WsgiApp

    if isinstance(app, (AsgiApp, WsgiApp)):
        return list(app.workflows)
    extensions = getattr(app, "extensions", None)
    if isinstance(extensions, dict) and isinstance(extensions.get("novu_framework"), dict):
        return [w for endpoint in extensions["novu_framework"].values() for w in endpoint.workflows]
    state = getattr(app, "state", None)
    served = getattr(state, "novu_framework", None) if state is not None else None
    return list(served) if isinstance(served, list) else []


def _describe_schema(schema: dict[str, Any]) -> str:
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    if not properties:
        return "(any keys allowed)" if schema.get("additionalProperties", True) is not False else "(empty)"
    parts = []
    for name, prop in properties.items():
        kind = prop.get("type") or ("enum" if "enum" in prop else "any") if isinstance(prop, dict) else "any"
        text = f"{name}{'*' if name in required else ''}: {kind if isinstance(kind, str) else '|'.join(kind)}"
        if isinstance(prop, dict) and "default" in prop:
            text += f" = {json.dumps(prop['default'])}"
        parts.append(text)
    return ", ".join(parts)


def _discover(args: argparse.Namespace, out: TextIO) -> int:
    try:
        workflows = _load(args.app)
    except Exception as e:  # any failure while importing the user's code is reported, not raised
        print(f"error: cannot load `{args.app}`: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if not workflows:
        print(f"error: `{args.app}` serves no novu_framework workflows", file=sys.stderr)
        return 1
    if args.json:
        print(_native.discover_text([w._handle for w in workflows]), file=out)
        return 0
    entries = [w.discover() for w in workflows]
    steps = sum(len(e["steps"]) for e in entries)
    print(f"{len(entries)} workflow(s), {steps} step(s)", file=out)
    for entry in entries:
        details = [f"severity {entry['severity']}"]
        if entry.get("name"):
            details.insert(0, f"name {entry['name']!r}")
        if entry["tags"]:
            details.append("tags " + ", ".join(entry["tags"]))
        print(f"\n{entry['workflowId']} ({'; '.join(details)})", file=out)
        print(f"  payload: {_describe_schema(entry['payload']['schema'])}", file=out)
        for i, step in enumerate(entry["steps"], 1):
            providers = [p["type"] for p in step["providers"]]
            line = f"  {i}. {step['stepId']} [{step['type']}]"
            if providers:
                line += " providers: " + ", ".join(providers)
            print(line, file=out)
            print(f"     controls: {_describe_schema(step['controls']['schema'])}", file=out)
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Runs the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    stream = out if out is not None else sys.stdout
    if args.command == "sync":
        return _sync(args, stream)
    return _discover(args, stream)


def run() -> None:
    """Console-script entry point."""
    try:
        status = main()
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except BrokenPipeError:  # the reader went away (`... | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    sys.exit(status)
