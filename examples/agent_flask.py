"""A support agent served by Flask on 127.0.0.1:$PORT (default 4000) at /api/novu, beside a workflow.

    python examples/agent_flask.py

Novu relays each event of a conversation (a message, a click, a reaction, the conversation being resolved)
to the bridge, which acknowledges at once and runs the handler after the answer is sent. Without
NOVU_SECRET_KEY the bridge runs in development mode (strict authentication off); replies then only go to
NOVU_API_URL (default https://api.novu.co).
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from novu_framework import Client, cards, workflow
from novu_framework.agents import AgentContext, AgentError, ToolApprovalDecision, agent
from novu_framework.flask import serve


@workflow("support-follow-up")
def follow_up(payload: dict[str, Any], step: Any) -> None:
    step.email("email", {"subject": "How did we do?", "body": f"<p>About {payload.get('topic', 'your request')}</p>"})


def on_message(message: Any, ctx: AgentContext) -> Any:
    text = (message.text if message else "").strip().lower()
    if text == "refund":
        # Posts an approval card; the click arrives in on_tool_approval.
        return ctx.tool_approval.request("refund-1", "refund", {"amount_cents": 500})
    if text == "plans":
        return cards.card(
            title="Pick a plan",
            children=[
                cards.text("Which plan suits you?"),
                cards.actions(
                    [
                        cards.button(id="plan", label="Pro", style="primary", value="pro"),
                        cards.button(id="plan", label="Free", value="free"),
                    ]
                ),
            ],
        )
    if text == "done":
        ctx.resolve("Answered by the bot")
        ctx.trigger("support-follow-up", payload={"topic": "your question"})
        return "Glad I could help!"
    handle = ctx.reply("Looking into it…")
    ctx.metadata.set("questions", int(ctx.metadata.get("questions", 0)) + 1)
    handle.edit(f"You said {text!r}. Type `plans`, `refund` or `done`.")
    return None


def on_action(action: Any, ctx: AgentContext) -> str:
    return f"You picked the {action.value} plan."


def on_tool_approval(decision: ToolApprovalDecision, ctx: AgentContext) -> str:
    decision.approval_message.edit("Approved" if decision.approved else "Denied")
    return "Refund sent." if decision.approved else "No refund then."


def on_error(error: AgentError, ctx: AgentContext) -> str:
    return "Sorry, something went wrong on our side."


support = agent(
    "support-bot",
    on_message=on_message,
    on_action=on_action,
    on_tool_approval=on_tool_approval,
    on_error=on_error,
)

app = Flask(__name__)
serve(
    app,
    route="/api/novu",
    workflows=[follow_up],
    agents=[support],
    client=Client(strict_authentication=None if os.environ.get("NOVU_SECRET_KEY") else False),
)

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "4000")))
