"""Conversational agents: Novu relays a conversation (Slack, Teams, WhatsApp, email, in-app, ...) to the
bridge, which acknowledges at once and runs the agent's handler; the handler answers through Novu.

Example::

    from novu_framework.agents import agent

    def answer(message, ctx):
        ctx.metadata.set("last_seen", message.timestamp)
        return f"Hi {message.author.full_name}!"

    support = agent("support-bot", on_message=answer)
    # serve(app, workflows=[...], agents=[support])
"""

from ..errors import AgentDeliveryError, AgentError
from .context import (
    AgentContext,
    ApprovalActionIds,
    ApprovalRequest,
    AsyncAgentContext,
    AsyncReplyHandle,
    Content,
    File,
    Metadata,
    PendingApproval,
    ReplyHandle,
    ToolApprovalDecision,
)
from .data import (
    Action,
    Attachment,
    Author,
    Conversation,
    HistoryEntry,
    HumanResponse,
    Message,
    Notification,
    PlatformContext,
    Reaction,
    Subscriber,
    ToolCall,
    ToolData,
)
from .definition import Agent, Handlers, ToolApprovalOptions, agent

__all__ = [
    "Action",
    "Agent",
    "AgentContext",
    "AgentDeliveryError",
    "AgentError",
    "ApprovalActionIds",
    "ApprovalRequest",
    "AsyncAgentContext",
    "AsyncReplyHandle",
    "Attachment",
    "Author",
    "Content",
    "Conversation",
    "File",
    "Handlers",
    "HistoryEntry",
    "HumanResponse",
    "Message",
    "Metadata",
    "Notification",
    "PendingApproval",
    "PlatformContext",
    "Reaction",
    "ReplyHandle",
    "Subscriber",
    "ToolApprovalDecision",
    "ToolApprovalOptions",
    "ToolCall",
    "ToolData",
    "agent",
]
