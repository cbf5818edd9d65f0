"""Records cases of the same kinds as the corpus's, but not in it, from the reference bridge itself
(``agent-server.mjs`` behind ``mock-novu-api.mjs``, set up as the corpus README says), into
``extra_cases.json`` in the corpus's format; ``test_extra.py`` replays them against this bridge.

    python tests/agents/record_extra.py --strict http://127.0.0.1:4110/api/novu \\
        --nostrict http://127.0.0.1:4111/api/novu --mock http://127.0.0.1:4199

Each request is built from a recorded case's body with a few keys changed, so it reads as "like
``msg-hello``, but ...". Where upstream is buggy, ``extra_deviations.json`` says what this bridge does instead,
by the corpus's rules.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.agents.harness import HERE, RECORDED_API, RECORDED_FOREIGN, exchange, signature

BASE = {c["id"]: c for c in json.loads((HERE / "cases.json").read_text())["cases"]}
EVENTS_VOLATILE = ["outbound[*].body.events[*].runId=id", "outbound[*].body.events[*].timestamp"]
MESSAGE_IDS = ["outbound[*].body.events[*].event.messageId=id"]
HUMAN_IDS = ["outbound[*].body.signals[*].requestId=id"]


def body_of(case_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = copy.deepcopy(BASE[case_id]["request"]["body"])
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def message(case_id: str, text: str | None, agent: str = "support-bot", **changes: Any) -> dict[str, Any]:
    body = body_of(case_id, **changes)
    body["deliveryId"] = f"conv_1:{text}"
    if text is not None:
        body["message"]["text"] = text
    body["agentId"] = agent
    for key in ("replyUrl", "eventsUrl"):
        if key in body and key not in changes:
            body[key] = body[key].replace("/support-bot/", f"/{agent}/")
    return body


def events(text: str, agent: str = "support-bot", **changes: Any) -> dict[str, Any]:
    return message("events-hello", text, agent, **changes)


def query(agent: str = "support-bot", event: str | None = "onMessage") -> dict[str, str]:
    q = {"action": "agent-event", "agentId": agent}
    if event is not None:
        q["event"] = event
    return q


def case(
    case_id: str,
    note: str,
    body: Any,
    *,
    q: dict[str, str] | None = None,
    bridge: str = "strict",
    sign: dict[str, Any] | None = None,
    method: str = "POST",
    volatile: list[str] | None = None,
) -> dict[str, Any]:
    request: dict[str, Any] = {"method": method, "query": q or query(), "sign": sign or {"mode": "valid"}}
    if method == "POST":
        request["body"] = body
    return {"id": case_id, "note": note, "bridge": bridge, "request": request, "volatile": volatile or []}


def action_body(
    action: dict[str, Any] | None, agent: str = "support-bot", history: list[Any] | None = None
) -> dict[str, Any]:
    body = body_of("action-tool-approve", action=action)
    body["deliveryId"] = f"conv_1:onAction:{json.dumps(action)}"
    body["agentId"] = agent
    body["replyUrl"] = body["replyUrl"].replace("/support-bot/", f"/{agent}/")
    if history is not None:
        body["history"] = history
    return body


def ai_history() -> list[Any]:
    return copy.deepcopy(BASE["action-ai-bot-approve"]["request"]["body"]["history"])


CASES = [
    case("x-msg-card-files", "a card with a URL file", message("msg-hello", "card-files")),
    case("x-msg-to-bad", "ask with an empty `to` fails the turn", message("msg-hello", "to-bad")),
    case("x-msg-return-number", "a number is not content", message("msg-hello", "return-number")),
    case("x-msg-throw-card", "onError returns a card: sent as the reply", message("msg-hello", "throw-card")),
    case(
        "x-msg-reply-500",
        "reply answered 500: the error report and typing-stop fail too",
        message("msg-hello", "hello", replyUrl=f"{RECORDED_API}/fail-500/v1/agents/support-bot/reply"),
    ),
    case(
        "x-msg-reply-404-then-ok",
        "the first reply is refused (404): the turn fails and its error report goes out",
        message("msg-hello", "reply-edit-delete", replyUrl=f"{RECORDED_API}/flaky-404/v1/agents/support-bot/reply"),
    ),
    case("x-msg-null-message-plain", "plain-bot with no message", message("msg-null-message", None, "plain-bot")),
    case(
        "x-msg-no-conversation-id",
        "no conversationId / integrationIdentifier: the keys are left out",
        message("msg-hello", "hello", conversationId=None, integrationIdentifier=None),
    ),
    case(
        "x-custom-approval-adaptive",
        "renderApproval returns approvalCard(overrides)",
        message("msg-hello", "approval-adaptive", "custom-approval-bot"),
        q=query("custom-approval-bot"),
    ),
    case(
        "x-custom-approval-events",
        "a custom approval card in event mode: the request with deliverCard... and the reply",
        events("x", "custom-approval-bot"),
        q=query("custom-approval-bot"),
        volatile=EVENTS_VOLATILE + MESSAGE_IDS,
    ),
    case(
        "x-ai-empty",
        "blank model text only stops typing",
        message("msg-hello", "ai-empty", "ai-bot"),
        q=query("ai-bot"),
    ),
    case(
        "x-reaction-removed",
        "a reaction removed",
        {
            **body_of("reaction-added", event="onReaction"),
            "reaction": {**BASE["reaction-added"]["request"]["body"]["reaction"], "added": False},
        },
        q=query(event="onReaction"),
    ),
    case(
        "x-action-tool-deny",
        "deny click, call found in history",
        action_body({"id": "tool-approval:deny:appr_1", "sourceMessageId": "plat-msg-6"}),
        q=query(event="onAction"),
    ),
    case(
        "x-action-tool-unknown-approval",
        "approve click without a matching history entry and without a source message",
        action_body({"id": "tool-approval:approve:zzz:with:colons"}),
        q=query(event="onAction"),
    ),
    case(
        "x-action-ai-bot-deny-no-source",
        "framework-owned approval denied, no source message: typing, no delete, then the re-run",
        action_body({"id": "tool-approval:deny:ap_1"}, "ai-bot", ai_history()),
        q=query("ai-bot", "onAction"),
    ),
    case(
        "x-action-plain-bot-click",
        "plain-bot has no onAction: only typing-stop",
        action_body({"id": "track", "value": "1"}, "plain-bot"),
        q=query("plain-bot", "onAction"),
    ),
    case(
        "x-event-missing", "no `event` in the query: the turn fails", message("msg-hello", "hello"), q=query(event=None)
    ),
    case(
        "x-resolve-plain-bot",
        "plain-bot has no onResolve",
        message("resolve", None, "plain-bot"),
        q=query("plain-bot", "onResolve"),
    ),
    case(
        "x-events-side-effects",
        "event mode: side effects as events before the message, later ones flushed",
        events("side-effects"),
        volatile=EVENTS_VOLATILE + MESSAGE_IDS + ["outbound[*].body.events[*].event.signal.requestId=id"],
    ),
    case(
        "x-events-resolve",
        "event mode: onResolve",
        events("x", event="onResolve") | {"message": None},
        q=query(event="onResolve"),
        volatile=EVENTS_VOLATILE,
    ),
    case(
        "x-events-bad-file", "event mode: run-error with the file error", events("bad-file"), volatile=EVENTS_VOLATILE
    ),
    case(
        "x-events-card-files",
        "event mode: card with a URL file",
        events("card-files"),
        volatile=EVENTS_VOLATILE + MESSAGE_IDS,
    ),
    case("x-events-nothing", "event mode: nothing to say", events("nothing"), volatile=EVENTS_VOLATILE),
    case(
        "x-events-throw-reply",
        "event mode: onError's reply, then run-finish",
        events("throw-reply"),
        volatile=EVENTS_VOLATILE + MESSAGE_IDS,
    ),
    case(
        "x-events-approval-twice",
        "event mode: the second approval request fails the turn",
        events("approval-twice"),
        volatile=EVENTS_VOLATILE,
    ),
    case(
        "x-events-empty-answer",
        "event mode: a 200 with an empty body is a success",
        events("hello", eventsUrl=f"{RECORDED_API}/empty/v1/agents/support-bot/events"),
        volatile=EVENTS_VOLATILE + MESSAGE_IDS,
    ),
    case(
        "x-events-flaky-429",
        "event mode retries a 429",
        events("hello", eventsUrl=f"{RECORDED_API}/flaky-429/v1/agents/support-bot/events"),
        volatile=EVENTS_VOLATILE + MESSAGE_IDS,
    ),
    case(
        "x-events-fail-400",
        "event mode does not retry a 400",
        events("hello", eventsUrl=f"{RECORDED_API}/fail-400/v1/agents/support-bot/events"),
        volatile=EVENTS_VOLATILE + MESSAGE_IDS,
    ),
    case(
        "x-strict-foreign-reply-url",
        "with strict authentication the signed body is trusted: its foreign replyUrl gets the calls",
        message("msg-hello", "hello", replyUrl=f"{RECORDED_FOREIGN}/v1/agents/support-bot/reply"),
    ),
    case(
        "x-nostrict-foreign-events-url",
        "strict authentication off: an eventsUrl on another origin",
        events("hello", eventsUrl=f"{RECORDED_FOREIGN}/v1/agents/support-bot/events"),
        bridge="nostrict",
        sign={"mode": "none"},
        volatile=EVENTS_VOLATILE + MESSAGE_IDS,
    ),
    case(
        "x-nostrict-foreign-https",
        "strict authentication off: same host, another scheme and port",
        message("msg-hello", "hello", replyUrl="https://127.0.0.1:4199/v1/agents/support-bot/reply"),
        bridge="nostrict",
        sign={"mode": "none"},
    ),
    case(
        "x-body-conversation-null",
        "conversation null",
        message("msg-hello", "hello", conversation=None) | {"conversation": None},
    ),
    case("x-body-conversation-string", "conversation is a string", message("msg-hello", "hello", conversation="c")),
    case("x-body-string", "a JSON string as the body", "hello"),
    case(
        "x-sig-expired",
        "a signature ten minutes old",
        message("msg-hello", "hello"),
        sign={"mode": "valid", "tOffsetMs": -600000},
    ),
    case(
        "x-nostrict-agent-unknown",
        "unknown agent without strict authentication",
        message("msg-hello", "hello"),
        q=query("nope"),
        bridge="nostrict",
        sign={"mode": "none"},
    ),
    case(
        "x-nostrict-get-agent-event",
        "GET agent-event without strict authentication",
        None,
        method="GET",
        bridge="nostrict",
        sign={"mode": "none"},
    ),
    # Last: upstream's bridge without waitUntil exits on it.
    case(
        "x-nostrict-body-no-conversation",
        "strict off, unsigned, no conversation (upstream's process exits)",
        message("msg-hello", "hello", conversation=None),
        bridge="nostrict",
        sign={"mode": "none"},
    ),
]


def control(mock: str, path: str, method: str = "GET") -> Any:
    request = urllib.request.Request(f"{mock}{path}", method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=60) as r:
        return json.loads(r.read())


def record(spec: dict[str, Any], bridges: dict[str, str], mock: str) -> dict[str, Any]:
    control(mock, "/__reset", "POST")
    request = spec["request"]
    text = (
        None if request["method"] != "POST" else json.dumps(request["body"], ensure_ascii=False, separators=(",", ":"))
    )
    headers = {"content-type": "application/json"} if text is not None else {}
    sig = signature(request["sign"], text)
    if sig is not None:
        headers["novu-signature"] = sig
    q = "&".join(f"{k}={v}" for k, v in request["query"].items())
    started = time.monotonic()
    status, got, raw = exchange(request["method"], f"{bridges[spec['bridge']]}?{q}", text, headers)
    latency = round((time.monotonic() - started) * 1000)
    quiet = control(mock, "/__quiet?ms=1000")
    log = control(mock, "/__log")["requests"]
    names = [
        "content-type",
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-allow-private-network",
        "access-control-max-age",
        "novu-framework-version",
        "novu-framework-sdk",
        "novu-framework-server",
        "user-agent",
    ]
    try:
        alive = exchange("GET", f"{bridges[spec['bridge']]}?action=health-check", None, {})[0] == 200
    except OSError:
        alive = False
    try:
        body_type, body = ("json", json.loads(raw)) if raw else ("empty", None)
    except ValueError:
        body_type, body = "text", raw
    return {
        **spec,
        "response": {
            "status": status,
            "headers": {n: got[n] for n in names if n in got},
            "body": body,
            "bodyType": body_type,
        },
        "outbound": [
            {
                "origin": e["origin"],
                "method": e["method"],
                "path": e["path"],
                "headers": {k: e["headers"][k] for k in ("authorization", "content-type") if k in e["headers"]},
                "body": e["body"],
                "mockAnswered": e.get("answered"),
            }
            for e in log
        ],
        "aliveAfter": alive,
        "settled": quiet["quiet"],
        "ackLatencyMs": latency,
        "volatile": ["ackLatencyMs", *spec["volatile"]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strict", required=True)
    parser.add_argument("--nostrict", required=True)
    parser.add_argument("--mock", required=True)
    parser.add_argument("--out", default=str(HERE / "extra_cases.json"))
    args = parser.parse_args()
    bridges = {"strict": args.strict, "nostrict": args.nostrict}
    recorded = []
    for spec in CASES:
        recorded.append(record(spec, bridges, args.mock))
        print(spec["id"], recorded[-1]["response"]["status"], len(recorded[-1]["outbound"]), flush=True)
    about = (
        "Cases of the corpus's kinds that it does not record, recorded from the reference bridge "
        "(@novu/framework 2.13.2, agent-server.mjs, mock-novu-api.mjs) by tests/agents/record_extra.py."
    )
    Path(args.out).write_text(json.dumps({"about": about, "cases": recorded}, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
