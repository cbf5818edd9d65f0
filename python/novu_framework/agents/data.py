"""What a turn receives from Novu, as typed read-only objects (the conversation, the message, the click, ...).

Each object keeps the JSON it was read from in ``raw``, so fields Novu adds later stay reachable. Absent text
fields read as ``""`` where Novu always sends them and ``None`` where they are optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Action",
    "Attachment",
    "Author",
    "Conversation",
    "HistoryEntry",
    "HumanResponse",
    "Message",
    "Notification",
    "PlatformContext",
    "Reaction",
    "Subscriber",
    "ToolCall",
    "ToolData",
]

Json = dict[str, Any]


def _obj(value: Any) -> Json:
    return dict(value) if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _opt_text(value: Any) -> str | None:
    return None if value is None else _text(value)


@dataclass(frozen=True)
class Author:
    """Who wrote a message."""

    user_id: str
    full_name: str
    user_name: str
    is_bot: bool | Literal["unknown"]
    """``"unknown"`` when the platform cannot tell."""

    @classmethod
    def from_json(cls, data: Any) -> Author:
        d = _obj(data)
        is_bot = d.get("isBot", False)
        return cls(
            user_id=_text(d.get("userId")),
            full_name=_text(d.get("fullName")),
            user_name=_text(d.get("userName")),
            is_bot="unknown" if is_bot == "unknown" else bool(is_bot),
        )


@dataclass(frozen=True)
class Attachment:
    """A file or media attachment of a message."""

    type: str
    url: str | None
    name: str | None
    mime_type: str | None
    size: int | None

    @classmethod
    def from_json(cls, data: Any) -> Attachment:
        d = _obj(data)
        size = d.get("size")
        return cls(
            type=_text(d.get("type")),
            url=_opt_text(d.get("url")),
            name=_opt_text(d.get("name")),
            mime_type=_opt_text(d.get("mimeType")),
            size=size if isinstance(size, int) and not isinstance(size, bool) else None,
        )


@dataclass(frozen=True)
class Message:
    """A message in the conversation (the one that started this turn, or the one a reaction is on)."""

    text: str
    platform_message_id: str
    """The platform's own id (Slack ``ts``, Teams ``activityId``)."""
    author: Author
    timestamp: str
    attachments: list[Attachment]
    raw: Json = field(repr=False)

    @classmethod
    def from_json(cls, data: Any) -> Message:
        d = _obj(data)
        attachments = d.get("attachments")
        return cls(
            text=_text(d.get("text")),
            platform_message_id=_text(d.get("platformMessageId")),
            author=Author.from_json(d.get("author")),
            timestamp=_text(d.get("timestamp")),
            attachments=[Attachment.from_json(a) for a in attachments] if isinstance(attachments, list) else [],
            raw=d,
        )


@dataclass(frozen=True)
class Action:
    """A click on a button (or another interactive element) of a card."""

    id: str
    """The clicked element's ``id``."""
    value: str | None
    """The clicked element's ``value``, if it has one."""
    source_message_id: str | None
    """The platform id of the message holding the element."""
    raw: Json = field(repr=False)

    @classmethod
    def from_json(cls, data: Any) -> Action:
        d = _obj(data)
        return cls(
            id=_text(d.get("id")),
            value=_opt_text(d.get("value")),
            source_message_id=_opt_text(d.get("sourceMessageId")),
            raw=d,
        )


@dataclass(frozen=True)
class Reaction:
    """An emoji reaction added to (or removed from) a message."""

    message_id: str
    emoji: str
    """The emoji's name, e.g. ``"thumbs_up"``."""
    added: bool
    message: Message | None
    raw: Json = field(repr=False)

    @classmethod
    def from_json(cls, data: Any) -> Reaction:
        d = _obj(data)
        message = d.get("message")
        return cls(
            message_id=_text(d.get("messageId")),
            emoji=_text(_obj(d.get("emoji")).get("name")),
            added=bool(d.get("added")),
            message=Message.from_json(message) if isinstance(message, Mapping) else None,
            raw=d,
        )


@dataclass(frozen=True)
class Conversation:
    """The conversation as Novu knew it when the turn started (see ``ctx.metadata`` for live metadata)."""

    identifier: str
    status: str
    """``"open"``, ``"resolved"``, ..."""
    metadata: Json
    message_count: int
    created_at: str
    last_activity_at: str
    raw: Json = field(repr=False)

    @classmethod
    def from_json(cls, data: Any) -> Conversation:
        d = _obj(data)
        count = d.get("messageCount")
        return cls(
            identifier=_text(d.get("identifier")),
            status=_text(d.get("status")),
            metadata=_obj(d.get("metadata")),
            message_count=count if isinstance(count, int) and not isinstance(count, bool) else 0,
            created_at=_text(d.get("createdAt")),
            last_activity_at=_text(d.get("lastActivityAt")),
            raw=d,
        )


@dataclass(frozen=True)
class Subscriber:
    """The Novu subscriber in the conversation."""

    subscriber_id: str
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    avatar: str | None
    locale: str | None
    data: Json
    raw: Json = field(repr=False)

    @classmethod
    def from_json(cls, data: Any) -> Subscriber:
        d = _obj(data)
        return cls(
            subscriber_id=_text(d.get("subscriberId")),
            first_name=_opt_text(d.get("firstName")),
            last_name=_opt_text(d.get("lastName")),
            email=_opt_text(d.get("email")),
            phone=_opt_text(d.get("phone")),
            avatar=_opt_text(d.get("avatar")),
            locale=_opt_text(d.get("locale")),
            data=_obj(d.get("data")),
            raw=d,
        )


@dataclass(frozen=True)
class Notification:
    """The workflow notification this conversation answers, when it was opened by one."""

    id: str
    workflow_id: str
    message_id: str
    platform_message_id: str
    sent_at: str
    body: str
    payload: Json
    raw: Json = field(repr=False)

    @classmethod
    def from_json(cls, data: Any) -> Notification:
        d = _obj(data)
        return cls(
            id=_text(d.get("id")),
            workflow_id=_text(d.get("workflowId")),
            message_id=_text(d.get("messageId")),
            platform_message_id=_text(d.get("platformMessageId")),
            sent_at=_text(d.get("sentAt")),
            body=_text(d.get("body")),
            payload=_obj(d.get("payload")),
            raw=d,
        )


@dataclass(frozen=True)
class HumanResponse:
    """The answer to an earlier ``ctx.ask`` / ``approve`` / ``choose`` (or its expiry)."""

    request_id: str
    """The id ``ctx.ask()`` (...) returned."""
    interaction_id: str
    kind: str
    """``"ask"``, ``"approve"``, ``"choose"`` or ``"tell"``."""
    status: str
    expired: bool
    text: str | None
    option_id: str | None
    responded_by: str | None
    responded_by_subscriber_id: str | None
    raw: Json = field(repr=False)

    @classmethod
    def from_json(cls, data: Any) -> HumanResponse:
        d = _obj(data)
        return cls(
            request_id=_text(d.get("requestId")),
            interaction_id=_text(d.get("interactionId")),
            kind=_text(d.get("kind")),
            status=_text(d.get("status")),
            expired=bool(d.get("expired")),
            text=_opt_text(d.get("text")),
            option_id=_opt_text(d.get("optionId")),
            responded_by=_opt_text(d.get("respondedBy")),
            responded_by_subscriber_id=_opt_text(d.get("respondedBySubscriberId")),
            raw=d,
        )


@dataclass(frozen=True)
class ToolData:
    """Tool-call details of a ``tool_*`` history entry (which fields are set depends on the entry's type)."""

    tool_call_id: str | None
    tool_name: str | None
    approval_id: str | None
    input: Json | None
    approved: bool | None
    output: Any

    @classmethod
    def from_json(cls, data: Any) -> ToolData:
        d = _obj(data)
        approved = d.get("approved")
        tool_input = d.get("input")
        return cls(
            tool_call_id=_opt_text(d.get("toolCallId")),
            tool_name=_opt_text(d.get("toolName")),
            approval_id=_opt_text(d.get("approvalId")),
            input=dict(tool_input) if isinstance(tool_input, Mapping) else None,
            approved=approved if isinstance(approved, bool) else None,
            output=d.get("output"),
        )


@dataclass(frozen=True)
class HistoryEntry:
    """One entry of the conversation's history, oldest first."""

    role: str
    """``"user"``, ``"assistant"`` (or ``"agent"``) or ``"system"``."""
    type: str
    """``"message"``, ``"edit"``, ``"signal"``, ``"tool_approval_request"``, ``"tool_approval_decision"`` or
    ``"tool_result"``."""
    content: str
    sender_name: str | None
    created_at: str
    rich_content: Json | None
    signal_data: Json | None
    tool_data: ToolData | None
    raw: Json = field(repr=False)

    @classmethod
    def from_json(cls, data: Any) -> HistoryEntry:
        d = _obj(data)
        rich, signal, tool = d.get("richContent"), d.get("signalData"), d.get("toolData")
        return cls(
            role=_text(d.get("role")),
            type=_text(d.get("type")),
            content=_text(d.get("content")),
            sender_name=_opt_text(d.get("senderName")),
            created_at=_text(d.get("createdAt")),
            rich_content=dict(rich) if isinstance(rich, Mapping) else None,
            signal_data=dict(signal) if isinstance(signal, Mapping) else None,
            tool_data=ToolData.from_json(tool) if isinstance(tool, Mapping) else None,
            raw=d,
        )


@dataclass(frozen=True)
class PlatformContext:
    """Where the conversation happens on its platform."""

    thread_id: str
    channel_id: str
    is_dm: bool
    message: Any
    """The platform's raw message payload, when Novu passes it on."""
    email: Json | None
    """For ``platform == "email"``: ``{"domain", "route", "rootMessageId"}``."""
    raw: Json = field(repr=False)

    @classmethod
    def from_json(cls, data: Any) -> PlatformContext:
        d = _obj(data)
        email = d.get("email")
        return cls(
            thread_id=_text(d.get("threadId")),
            channel_id=_text(d.get("channelId")),
            is_dm=bool(d.get("isDM")),
            message=d.get("message"),
            email=dict(email) if isinstance(email, Mapping) else None,
            raw=d,
        )


@dataclass(frozen=True)
class ToolCall:
    """A tool call that needs a human's approval."""

    id: str
    name: str
    input: Json | None = None

    @classmethod
    def from_json(cls, data: Any) -> ToolCall:
        d = _obj(data)
        tool_input = d.get("input")
        return cls(
            id=_text(d.get("id")),
            name=_text(d.get("name")),
            input=dict(tool_input) if isinstance(tool_input, Mapping) else None,
        )
