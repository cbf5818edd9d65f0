"""Card builders: interactive messages for agents' replies and for ``chat`` steps.

Each builder returns the plain JSON (a ``dict``) that upstream's card builders produce, with unset options
left out. A reply's card is the ``card(...)`` at the top.

Example::

    from novu_framework import cards

    order = cards.card(
        title="Order #42",
        children=[
            cards.text("Your order is on its way.", style="bold"),
            cards.actions([cards.button(id="track", label="Track", style="primary", value="42")]),
        ],
    )
    assert order["children"][1]["children"][0] == {
        "type": "button", "id": "track", "label": "Track", "style": "primary", "value": "42"
    }

A click on a button reaches the agent's ``on_action`` with ``action.id`` and ``action.value``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

__all__ = [
    "Element",
    "actions",
    "approval_card",
    "button",
    "card",
    "divider",
    "field",
    "fields",
    "image",
    "link",
    "link_button",
    "radio_select",
    "section",
    "select",
    "select_option",
    "table",
    "text",
    "text_input",
]

Element = dict[str, Any]
"""A card element as JSON."""

ButtonStyle = Literal["primary", "danger", "default"]


def _element(**fields: Any) -> Element:
    return {key: value for key, value in fields.items() if value is not None}


def card(
    *,
    title: str | None = None,
    subtitle: str | None = None,
    image_url: str | None = None,
    children: Sequence[Element] = (),
) -> Element:
    """The card itself: ``{"type": "card", "title"?, "subtitle"?, "imageUrl"?, "children": [...]}``."""
    return _element(type="card", title=title, subtitle=subtitle, imageUrl=image_url, children=list(children))


def text(content: str, *, style: str | None = None) -> Element:
    """A block of text (``style``: ``"bold"``, ``"muted"``, ...)."""
    return _element(type="text", content=content, style=style)


def divider() -> Element:
    """A horizontal rule."""
    return {"type": "divider"}


def image(url: str, *, alt: str | None = None) -> Element:
    """An image."""
    return _element(type="image", url=url, alt=alt)


def link(url: str, label: str) -> Element:
    """A link."""
    return {"type": "link", "url": url, "label": label}


def section(children: Sequence[Element]) -> Element:
    """A group of elements."""
    return {"type": "section", "children": list(children)}


def actions(children: Sequence[Element]) -> Element:
    """A row of buttons (and selects)."""
    return {"type": "actions", "children": list(children)}


def button(
    *,
    id: str,
    label: str,
    style: ButtonStyle | None = None,
    value: str | None = None,
    disabled: bool | None = None,
    action_type: str | None = None,
    callback_url: str | None = None,
) -> Element:
    """A button; a click sends ``onAction`` with ``action.id == id`` and ``action.value == value``."""
    return _element(
        type="button",
        id=id,
        label=label,
        style=style,
        value=value,
        disabled=disabled,
        actionType=action_type,
        callbackUrl=callback_url,
    )


def link_button(*, url: str, label: str, id: str | None = None, style: ButtonStyle | None = None) -> Element:
    """A button that opens a URL."""
    return _element(type="link-button", id=id, url=url, label=label, style=style)


def field(*, label: str, value: str) -> Element:
    """A label and its value (inside :func:`fields`)."""
    return {"type": "field", "label": label, "value": value}


def fields(children: Sequence[Element]) -> Element:
    """Label/value pairs laid out together."""
    return {"type": "fields", "children": list(children)}


def table(*, headers: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[str] | None = None) -> Element:
    """A table."""
    return _element(
        type="table", headers=list(headers), rows=[list(r) for r in rows], align=None if align is None else list(align)
    )


def select_option(*, label: str, value: str, description: str | None = None) -> Element:
    """An option of :func:`select` or :func:`radio_select`."""
    return _element(label=label, value=value, description=description)


def select(
    *,
    id: str,
    label: str,
    options: Sequence[Element],
    placeholder: str | None = None,
    initial_option: str | None = None,
    optional: bool | None = None,
) -> Element:
    """A drop-down list.

    Raises:
        ValueError: ``options`` is empty.
    """
    if not options:
        raise ValueError("select() requires at least one option")
    return _element(
        type="select",
        id=id,
        label=label,
        placeholder=placeholder,
        options=list(options),
        initialOption=initial_option,
        optional=optional,
    )


def radio_select(
    *, id: str, label: str, options: Sequence[Element], initial_option: str | None = None, optional: bool | None = None
) -> Element:
    """Radio buttons.

    Raises:
        ValueError: ``options`` is empty.
    """
    if not options:
        raise ValueError("radio_select() requires at least one option")
    return _element(
        type="radio_select", id=id, label=label, options=list(options), initialOption=initial_option, optional=optional
    )


def text_input(
    *,
    id: str,
    label: str,
    placeholder: str | None = None,
    initial_value: str | None = None,
    multiline: bool | None = None,
    optional: bool | None = None,
    max_length: int | None = None,
) -> Element:
    """A text field."""
    return _element(
        type="text_input",
        id=id,
        label=label,
        placeholder=placeholder,
        initialValue=initial_value,
        multiline=multiline,
        optional=optional,
        maxLength=max_length,
    )


def approval_card(
    *,
    title: str | None = None,
    subtitle: str | None = None,
    body: str | None = None,
    approve_label: str | None = None,
    deny_label: str | None = None,
    icon: str | None = None,
) -> Element:
    """Novu's built-in tool-approval card (native on Slack, portable elsewhere; ``icon`` and ``body`` show on
    Slack only). Novu supplies its Approve and Deny buttons."""
    return _element(
        type="tool-approval-card",
        icon=icon,
        title=title,
        subtitle=subtitle,
        body=body,
        approveLabel=approve_label,
        denyLabel=deny_label,
    )
