"""The 7 reference workflows of the conformance corpus (workflows.md), written with the public API only.

Schemas are loaded verbatim from workflows.schemas.json, as the official SDK's reference bridge loads them.
`build(style)` returns them as sync functions (`"sync"`) or as `async def` workflows whose resolvers are
async too (`"async"`); both must answer the corpus identically.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from novu_framework import Workflow, workflow

from .harness import js_number

S: dict[str, Any] = json.loads((Path(__file__).parent / "workflows.schemas.json").read_text())


def js_concat(record: dict[str, Any], key: str) -> str:
    """`"" + record[key]` in JavaScript, as the reference resolver builds its text: numbers the JavaScript way
    (12.0 -> "12", 1e21 -> "1e+21"), a missing key as "undefined"."""
    if key not in record:
        return "undefined"
    return js_string(record[key])


def js_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return js_number(value)
    if value is None:
        return "null"
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


# Resolvers, shared by both styles.


def inbox(c: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"subject": c.get("subject"), "body": c.get("body")}
    if c.get("actionUrl"):
        out["primaryAction"] = {"label": "Open", "redirect": {"url": c["actionUrl"]}}
    if c.get("data") is not None:
        out["data"] = c["data"]
    return out


def subject_and_body(c: dict[str, Any]) -> dict[str, Any]:
    return {"subject": c.get("subject"), "body": c.get("body")}


def body_only(c: dict[str, Any]) -> dict[str, Any]:
    return {"body": c.get("body")}


def sms_disabled(c: dict[str, Any]) -> bool:
    return c.get("enabled") is False


def collect(c: dict[str, Any]) -> dict[str, Any]:
    out = {"amount": c.get("amount"), "unit": c.get("unit")}
    if c.get("lookBackWindow"):
        out["lookBackWindow"] = c["lookBackWindow"]
    return out


def summary(digest: dict[str, Any]) -> Any:
    return lambda c: {"subject": c["subject"], "body": f"{c['body']}<p>Total events: {len(digest['events'])}</p>"}


def wait() -> dict[str, Any]:
    return {"type": "regular", "amount": 1, "unit": "hours"}


def slack(*, controls: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": outputs["body"],
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Notification"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{controls['body']}*"}},
        ],
    }


def compute(payload: dict[str, Any]) -> Any:
    def resolve() -> dict[str, Any]:
        if payload["badOutput"]:
            return {"score": "not-a-number", "label": "low"}
        score = sum(payload["values"]) * payload["multiplier"]
        return {"score": score, "label": "high" if score > 10 else "low"}

    return resolve


def notify(result: dict[str, Any]) -> Any:
    return lambda c: {
        "subject": c["subject"],
        "body": f"{c['prefix']} Score (code): {js_concat(result, 'score')} ({js_concat(result, 'label')})",
    }


def explode() -> dict[str, Any]:
    raise Exception("boom")


def invoice_email(payload: dict[str, Any]) -> Any:
    return lambda c: {"subject": c["subject"], "body": f"<p>Invoice {payload['invoiceId']} is ready.</p>"}


def invoice_in_app(payload: dict[str, Any]) -> Any:
    return lambda: {"body": f"Invoice {payload['invoiceId']} is ready."}


def controls(wf: str, step: str) -> Any:
    return S[wf]["steps"][step].get("controlSchema")


def a1(resolver: Any) -> Any:
    """The one-argument resolver as an `async def`."""

    async def resolve(c: Any) -> Any:
        return resolver(c)

    return resolve


def a0(resolver: Any) -> Any:
    """The argument-less resolver as an `async def`."""

    async def resolve() -> Any:
        return resolver()

    return resolve


def akw(resolver: Any) -> Any:
    """The provider override (keyword arguments) as an `async def`."""

    async def resolve(**kwargs: Any) -> Any:
        return resolver(**kwargs)

    return resolve


def build_sync() -> list[Workflow]:
    @workflow("welcome", S["welcome"]["payloadSchema"])
    def welcome(payload: dict[str, Any], step: Any) -> None:
        step.in_app("inbox", inbox, control_schema=controls("welcome", "inbox"))
        step.email("welcome-email", subject_and_body, control_schema=controls("welcome", "welcome-email"))
        step.sms("sms", body_only, control_schema=controls("welcome", "sms"), skip=sms_disabled)

    @workflow("digest-flow", S["digest-flow"]["payloadSchema"])
    def digest_flow(payload: dict[str, Any], step: Any) -> None:
        digest = step.digest("collect", collect, control_schema=controls("digest-flow", "collect"))
        step.email("summary", summary(digest), control_schema=controls("digest-flow", "summary"))

    @workflow("delay-then-push", S["delay-then-push"]["payloadSchema"])
    def delay_then_push(payload: dict[str, Any], step: Any) -> None:
        step.delay("wait", wait)
        step.push("push", subject_and_body, control_schema=controls("delay-then-push", "push"))
        step.chat("chat", body_only, control_schema=controls("delay-then-push", "chat"), providers={"slack": slack})

    @workflow("custom-step", S["custom-step"]["payloadSchema"])
    def custom_step(payload: dict[str, Any], step: Any) -> None:
        result = step.custom(
            "compute", compute(payload), output_schema=S["custom-step"]["steps"]["compute"]["outputSchema"]
        )
        step.in_app("notify", notify(result), control_schema=controls("custom-step", "notify"))

    @workflow("strict-payload", S["strict-payload"]["payloadSchema"])
    def strict_payload(payload: dict[str, Any], step: Any) -> None:
        step.sms("notify", body_only, control_schema=controls("strict-payload", "notify"))

    @workflow("throwing", S["throwing"]["payloadSchema"])
    def throwing(payload: dict[str, Any], step: Any) -> None:
        step.sms("explode", explode)

    @workflow("prefs", S["prefs"]["payloadSchema"], **S["prefs"]["options"])
    def prefs(payload: dict[str, Any], step: Any) -> None:
        step.email("email", invoice_email(payload), control_schema=controls("prefs", "email"))
        step.in_app("in-app", invoice_in_app(payload))

    return [welcome, digest_flow, delay_then_push, custom_step, strict_payload, throwing, prefs]


def build_async() -> list[Workflow]:
    @workflow("welcome", S["welcome"]["payloadSchema"])
    async def welcome(payload: dict[str, Any], step: Any) -> None:
        await step.in_app("inbox", a1(inbox), control_schema=controls("welcome", "inbox"))
        await step.email("welcome-email", a1(subject_and_body), control_schema=controls("welcome", "welcome-email"))
        await step.sms("sms", a1(body_only), control_schema=controls("welcome", "sms"), skip=a1(sms_disabled))

    @workflow("digest-flow", S["digest-flow"]["payloadSchema"])
    async def digest_flow(payload: dict[str, Any], step: Any) -> None:
        digest = await step.digest("collect", a1(collect), control_schema=controls("digest-flow", "collect"))
        await step.email("summary", a1(summary(digest)), control_schema=controls("digest-flow", "summary"))

    @workflow("delay-then-push", S["delay-then-push"]["payloadSchema"])
    async def delay_then_push(payload: dict[str, Any], step: Any) -> None:
        await step.delay("wait", a0(wait))
        await step.push("push", a1(subject_and_body), control_schema=controls("delay-then-push", "push"))
        await step.chat(
            "chat", a1(body_only), control_schema=controls("delay-then-push", "chat"), providers={"slack": akw(slack)}
        )

    @workflow("custom-step", S["custom-step"]["payloadSchema"])
    async def custom_step(payload: dict[str, Any], step: Any) -> None:
        result = await step.custom(
            "compute", a0(compute(payload)), output_schema=S["custom-step"]["steps"]["compute"]["outputSchema"]
        )
        await step.in_app("notify", a1(notify(result)), control_schema=controls("custom-step", "notify"))

    @workflow("strict-payload", S["strict-payload"]["payloadSchema"])
    async def strict_payload(payload: dict[str, Any], step: Any) -> None:
        await step.sms("notify", a1(body_only), control_schema=controls("strict-payload", "notify"))

    @workflow("throwing", S["throwing"]["payloadSchema"])
    async def throwing(payload: dict[str, Any], step: Any) -> None:
        await step.sms("explode", a0(explode))

    @workflow("prefs", S["prefs"]["payloadSchema"], **S["prefs"]["options"])
    async def prefs(payload: dict[str, Any], step: Any) -> None:
        await step.email("email", a1(invoice_email(payload)), control_schema=controls("prefs", "email"))
        await step.in_app("in-app", a0(invoice_in_app(payload)))

    return [welcome, digest_flow, delay_then_push, custom_step, strict_payload, throwing, prefs]


def build(style: str = "sync") -> list[Workflow]:
    """The reference workflows in the given style (`"sync"` or `"async"`)."""
    if style == "sync":
        return build_sync()
    if style == "async":
        return build_async()
    raise ValueError(f"unknown style {style!r}")
