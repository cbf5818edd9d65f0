"""The fixture workflows of the spec §20 checklist, written with the public Python API only.

Resolvers, skip functions and provider overrides report to `CALLS` (how often each ran) and `SEEN` (what
each received), so the tests can tell which user code ran; the servers run in this process. Most steps
echo what they received as their outputs (custom steps with a permissive output schema), so the HTTP
answer shows what the user code saw.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from novu_framework import Workflow, workflow

CALLS: Counter[str] = Counter()
SEEN: dict[str, Any] = {}

EMPTY: dict[str, Any] = {"type": "object", "properties": {}, "required": [], "additionalProperties": False}
OPEN: dict[str, Any] = {"type": "object", "additionalProperties": True}
"""Any object: a control schema that keeps every control, an output schema that keeps every output."""

STEP_SCHEMAS: dict[str, dict[str, Any]] = json.loads((Path(__file__).parent / "step_schemas.json").read_text())
"""The outputs/results schemas of §11.2 and §11.3, copied verbatim from the spec."""

PAYLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"name": {"type": "string", "default": "Anon"}, "count": {"type": "number"}},
    "additionalProperties": False,
}
N_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"n": {"type": "number"}},
    "required": ["n"],
    "additionalProperties": False,
}
AB_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"a": {"type": "string"}, "b": {"type": "number"}},
    "required": ["a", "b"],
    "additionalProperties": False,
}
PREVIEW_PAYLOAD: dict[str, Any] = {
    "type": "object",
    "properties": {"s": {"type": "string"}, "sd": {"type": "string", "default": "dflt"}},
    "required": ["s"],
    "additionalProperties": False,
}
GREETING_CONTROLS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "subject": {"type": "string", "default": "Hello {{payload.name}}"},
        "body": {"type": "string", "default": "<p>Hi</p><script>alert(1)</script>"},
    },
    "additionalProperties": False,
}
SUBJECT_CONTROLS: dict[str, Any] = {
    "type": "object",
    "properties": {"subject": {"type": "string"}},
    "additionalProperties": False,
}
SUBJECT_CONTROLS_WITH_DEFAULT: dict[str, Any] = {
    "type": "object",
    "properties": {"subject": {"type": "string", "default": "Hello {{payload.name}}"}},
    "additionalProperties": False,
}

PREFS_FULL: dict[str, Any] = {
    "all": {"enabled": False, "readOnly": True},
    "channels": {"inApp": {"enabled": True}, "email": {"enabled": False}},
}
PREFS_READ_ONLY: dict[str, Any] = {"all": {"readOnly": True}}


def record(name: str, value: Any = None) -> None:
    CALLS[name] += 1
    SEEN[name] = value


def reset() -> None:
    CALLS.clear()
    SEEN.clear()


def echo_controls(c: dict[str, Any]) -> dict[str, Any]:
    """Outputs exactly the (compiled) controls."""
    return dict(c)


def echo_workflow(workflow_id: str, kind: str, **options: Any) -> Workflow:
    """One step `s` of type `kind` whose outputs are its controls (any control is kept)."""

    @workflow(workflow_id)
    def flow(payload: dict[str, Any], step: Any) -> None:
        getattr(step, kind)("s", echo_controls, control_schema=OPEN, **options)

    return flow


class Teapot(Exception):
    """A user exception carrying an HTTP status in 400-499 (the Python form of `{statusCode, message}`)."""

    statusCode = 418
    message = "teapot"


def build() -> list[Workflow]:
    # Items 35, 38, 39, 47-49: only an id and one in-app step, no options anywhere.
    @workflow("minimal")
    def minimal(payload: dict[str, Any], step: Any) -> None:
        step.in_app("only", lambda: {"body": "hi"})

    # Item 36.
    @workflow("described", name="Described WF", description="A description", tags=["t1", "t2"], severity="high")
    def described(payload: dict[str, Any], step: Any) -> None:
        step.inApp("note", lambda: {"body": "hi"})

    # Item 43.
    @workflow("prefs-full", preferences=PREFS_FULL)
    def prefs_full(payload: dict[str, Any], step: Any) -> None:
        step.sms("s", lambda: {"body": "x"})

    @workflow("prefs-read-only", preferences=PREFS_READ_ONLY)
    def prefs_read_only(payload: dict[str, Any], step: Any) -> None:
        step.sms("s", lambda: {"body": "x"})

    # Items 37, 39, 52-54, 69, 114: payload `{name: string default "Anon", count: number}`.
    @workflow("payload-wf", PAYLOAD_SCHEMA)
    def payload_wf(payload: dict[str, Any], step: Any) -> None:
        def echo(c: dict[str, Any]) -> dict[str, Any]:
            record("payload-wf.echo", dict(payload))
            return {"payload": payload, "controls": c}

        step.custom(
            "echo",
            echo,
            control_schema={
                "type": "object",
                "properties": {"greeting": {"type": "string", "default": "Hello {{payload.name}}"}},
                "additionalProperties": False,
            },
            output_schema=OPEN,
        )

    # Item 55: no payload schema.
    @workflow("no-schema")
    def no_schema(payload: dict[str, Any], step: Any) -> None:
        record("no-schema.body", payload)
        step.custom("echo", lambda: {"payload": payload}, output_schema=OPEN)

    # Item 45: `hidden` is only called when `payload.flag` is truthy, so discovery (mock payload) misses it.
    @workflow("hidden-step", {"type": "object", "properties": {"flag": {"type": "boolean"}}})
    def hidden_step(payload: dict[str, Any], step: Any) -> None:
        if payload.get("flag"):
            step.sms("hidden", lambda: {"body": "hidden"})
        step.sms("visible", lambda: {"body": "visible"})

    # Items 41, 58, 59, 64-66: three steps; everything reports when it runs.
    @workflow("replay")
    def replay(payload: dict[str, Any], step: Any) -> None:
        def first() -> dict[str, Any]:
            record("replay.first")
            return {"n": 1, "extra": 2}

        def second(c: dict[str, Any]) -> dict[str, Any]:
            record("replay.second", dict(c))
            return {"body": c["body"]}

        def third(c: dict[str, Any]) -> dict[str, Any]:
            record("replay.third")
            return {"subject": "s", "body": "b"}

        def third_skip(c: dict[str, Any]) -> bool:
            record("replay.third.skip")
            return False

        def third_sendgrid(*, controls: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
            record("replay.third.sendgrid")
            return {}

        step.custom("first", first, output_schema=N_SCHEMA)
        step.sms(
            "second",
            second,
            control_schema={
                "type": "object",
                "properties": {"body": {"type": "string", "default": "second body"}},
                "additionalProperties": False,
            },
        )
        record("replay.after-second")
        step.email("third", third, skip=third_skip, providers={"sendgrid": third_sendgrid})
        step.custom("no-output-schema", lambda: {"dropped": True})

    # Items 60-63: every hydratable kind before a probe that reports what the step calls returned.
    @workflow("hydrate")
    def hydrate(payload: dict[str, Any], step: Any) -> None:
        def never(name: str) -> Any:
            def resolver() -> dict[str, Any]:
                record(f"hydrate.{name}")
                return {"subject": "s", "body": "b"} if name in ("mail", "push") else {"body": "b"}

            return resolver

        received = {
            "wait": step.delay("wait", lambda: {"amount": 1, "unit": "hours"}),
            "mail": step.email("mail", never("mail")),
            "text": step.sms("text", never("text")),
            "push": step.push("push", never("push")),
            "chat": step.chat("chat", never("chat")),
            "inbox": step.in_app("inbox", never("inbox")),
        }
        step.custom("probe", lambda: {"received": received}, output_schema=OPEN)

    # Items 67, 68: a custom step with one declared string control; outputs its controls.
    @workflow("controls-wf")
    def controls_wf(payload: dict[str, Any], step: Any) -> None:
        step.custom("echo", lambda c: {"controls": c}, control_schema=SUBJECT_CONTROLS, output_schema=OPEN)

    # Items 70-83: `custom-1` feeds `steps.custom-1.n`; `render` outputs whatever controls it is sent, compiled.
    @workflow("liquid", OPEN, name="Liquid Flow")
    def liquid(payload: dict[str, Any], step: Any) -> None:
        step.custom("custom-1", lambda: {"n": 1}, output_schema=N_SCHEMA)
        step.custom("render", lambda c: {"controls": c}, control_schema=OPEN, output_schema=OPEN)

    # Items 84-88, 93-95: the step outputs exactly its controls.
    echoes = [
        echo_workflow("email-echo", "email"),
        echo_workflow("email-raw", "email", disable_output_sanitization=True),
        echo_workflow("sms-echo", "sms"),
        echo_workflow("push-echo", "push"),
        echo_workflow("chat-echo", "chat"),
        echo_workflow("in-app-echo", "in_app"),
        echo_workflow("digest-echo", "digest"),
    ]

    # Items 89, 108.
    @workflow("raise-boom")
    def raise_boom(payload: dict[str, Any], step: Any) -> None:
        def explode() -> dict[str, Any]:
            raise Exception("boom")

        step.sms("explode", explode)

    # Item 90.
    @workflow("raise-plain")
    def raise_plain(payload: dict[str, Any], step: Any) -> None:
        def explode() -> dict[str, Any]:
            raise Exception("plain string")

        step.sms("plain", explode)

    # Items 91, 92: the workflow function raises outside any step (only when the payload asks for it, so
    # that discovery, which runs with a mock payload, succeeds).
    @workflow("outside", {"type": "object", "properties": {"boom": {"type": "boolean"}, "teapot": {"type": "boolean"}}})
    def outside(payload: dict[str, Any], step: Any) -> None:
        if payload.get("boom"):
            raise Exception("outside")
        if payload.get("teapot"):
            raise Teapot("teapot")
        step.sms("s1", lambda: {"body": "x"})

    # Items 40, 96: an email step with a sendgrid override.
    @workflow("provider-wf", {"type": "object", "properties": {"name": {"type": "string"}}})
    def provider_wf(payload: dict[str, Any], step: Any) -> None:
        def sendgrid(*, controls: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
            record("provider-wf.sendgrid", {"controls": controls, "outputs": outputs})
            return {"ipPoolName": "pool", "notASendgridKey": 1, "_passthrough": {"body": {"x": 1}}}

        step.email("mail", echo_controls, control_schema=GREETING_CONTROLS, providers={"sendgrid": sendgrid})

    # Items 97, 107.
    @workflow("provider-boom")
    def provider_boom(payload: dict[str, Any], step: Any) -> None:
        def sendgrid(*, controls: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
            raise Exception("prov boom")

        step.email("mail", {"subject": "s", "body": "b"}, providers={"sendgrid": sendgrid})

    # Items 98, 99.
    @workflow("skip-wf", {"type": "object", "properties": {"name": {"type": "string"}}})
    def skip_wf(payload: dict[str, Any], step: Any) -> None:
        def mail(c: dict[str, Any]) -> dict[str, Any]:
            record("skip-wf.mail")
            return {"subject": c["subject"], "body": "b"}

        def skip(c: dict[str, Any]) -> bool:
            record("skip-wf.skip", dict(c))
            return bool(c["subject"] == "SKIPME")

        step.email("mail", mail, control_schema=SUBJECT_CONTROLS_WITH_DEFAULT, skip=skip)

    # Item 100: a step whose skip is always true, hydrated before the target.
    @workflow("skip-hydrated")
    def skip_hydrated(payload: dict[str, Any], step: Any) -> None:
        def always(c: dict[str, Any]) -> bool:
            record("skip-hydrated.skip")
            return True

        def maybe() -> dict[str, Any]:
            record("skip-hydrated.maybe")
            return {"n": 1}

        result = step.custom("maybe", maybe, skip=always, output_schema=N_SCHEMA)
        step.custom("after", lambda: {"maybe": result}, output_schema=OPEN)

    # Items 101-106: payload requires `s`, `sd` defaults to "dflt"; `second` would always be skipped.
    @workflow("preview-wf", PREVIEW_PAYLOAD)
    def preview_wf(payload: dict[str, Any], step: Any) -> None:
        def second_skip(c: dict[str, Any]) -> bool:
            record("preview-wf.second.skip")
            return True

        first = step.custom("first", lambda: {"a": "real", "b": 1}, output_schema=AB_SCHEMA)
        step.custom("second", lambda: {"payload": payload, "first": first}, skip=second_skip, output_schema=OPEN)

    # Item 42: one step of every kind.
    @workflow("kinds")
    def kinds(payload: dict[str, Any], step: Any) -> None:
        step.email("email", {"subject": "s", "body": "b"})
        step.sms("sms", {"body": "b"})
        step.push("push", {"subject": "s", "body": "b"})
        step.chat("chat", {"body": "b"})
        step.in_app("in_app", {"body": "b"})
        step.tool("tool", {"body": "b"})
        step.digest("digest", {"amount": 1, "unit": "hours"})
        step.delay("delay", {"amount": 1, "unit": "hours"})
        step.throttle("throttle", {"type": "fixed"})
        step.custom("custom", {})

    # Items 109-113: the target of `action=trigger`.
    @workflow("wf", {"type": "object", "properties": {"n": {"type": "number"}}})
    def wf(payload: dict[str, Any], step: Any) -> None:
        step.sms("s", lambda: {"body": "x"})

    return [
        minimal,
        described,
        prefs_full,
        prefs_read_only,
        payload_wf,
        no_schema,
        hidden_step,
        replay,
        hydrate,
        controls_wf,
        liquid,
        *echoes,
        raise_boom,
        raise_plain,
        outside,
        provider_wf,
        provider_boom,
        skip_wf,
        skip_hydrated,
        preview_wf,
        kinds,
        wf,
    ]


WORKFLOWS: list[Workflow] = build()
"""Defined once at import; every server of the tests serves these objects."""
