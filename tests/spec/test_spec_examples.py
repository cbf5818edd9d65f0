"""The worked examples of spec §10.5.3 (custom Liquid filters and translation markers), §10.7 (output
sanitisation) and §12.3 (validation messages), each a named case run end to end over HTTP through a
workflow served by the Flask adapter.

- Liquid: each example is a control of the `liquid` workflow's `render` step, which outputs its compiled
  controls.
- Sanitisation: each example is the body returned by the `email-echo` workflow's email step.
- Validation: each example is a payload sent to the `validation` workflow, whose payload schema has one
  property per keyword; the answer's `data` lists the errors.

Besides the spec's literal examples, a few cases follow directly from the rules the sections state
(marked "rule"); all expectations were checked against the reference SDK (`@novu/framework` 2.13.2).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from novu_framework import Client, Workflow, workflow

from ..support import serve_app
from .client import Bridge, assert_error, echo, event, outputs, render
from .conftest import SECRET, make_app
from .workflows import OPEN, WORKFLOWS

VALIDATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "req": {"type": "string"},
        "s": {"type": "string"},
        "n": {"type": "number"},
        "o": {"type": "object"},
        "b": {"type": "boolean"},
        "a": {"type": "array"},
        "i": {"type": "integer"},
        "z": {"type": "null"},
        "min_length": {"type": "string", "minLength": 3},
        "max_length": {"type": "string", "maxLength": 2},
        "email": {"type": "string", "format": "email"},
        "uri": {"type": "string", "format": "uri"},
        "date_time": {"type": "string", "format": "date-time"},
        "pattern": {"type": "string", "pattern": "^a+$"},
        "enum": {"enum": ["x", "y"]},
        "const": {"const": "k"},
        "one_of": {"oneOf": [{"type": "string"}, {"type": "number"}]},
        "one_of_both": {"oneOf": [{"type": "number"}, {"type": "integer"}]},
        "any_of": {"anyOf": [{"type": "string"}, {"type": "number"}]},
        "minimum": {"type": "number", "minimum": 5},
        "maximum": {"type": "number", "maximum": 5},
        "nested": {"type": "object", "properties": {"inner": {"type": "number"}}},
        "items": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["req"],
    "additionalProperties": False,
}


def build() -> list[Workflow]:
    @workflow("validation", VALIDATION_SCHEMA)
    def validation(payload: dict[str, Any], step: Any) -> None:
        step.custom("echo", lambda: {"payload": payload}, output_schema=OPEN)

    return [validation]


SERVED = [w for w in WORKFLOWS if w.workflow_id in ("liquid", "email-echo", "digest-echo")] + build()


@pytest.fixture(scope="module")
def flask_bridge() -> Iterator[Bridge]:
    client = Client(secret_key=SECRET, strict_authentication=False)
    with serve_app("flask", make_app("flask", SERVED, client)) as base:
        yield Bridge(base, SECRET)


# §10.5.3 custom filters


@dataclass
class Liquid:
    id: str
    template: str
    expected: str
    payload: dict[str, Any] = field(default_factory=dict)


ABCD = {"list": ["A", "B", "C", "D"]}
XYZW = {"list": ["x", "y", "z", "w"]}
USERS = {"list": [{"profile": {"name": n}} for n in ["X", "Y", "Z", "W"]]}
QUOTED = {"obj": {"a": 1, "b": 'two "q"'}}

LIQUID = [
    # json
    Liquid("json-array", "{{payload.arr | json}}", "[1,'a']", {"arr": [1, "a"]}),
    Liquid("json-string", "{{'str' | json}}", "str"),
    Liquid("json-indent-2", "{{payload.obj | json: 2}}", "{\\n  'a': 1,\\n  'b': 'two \\'q\\''\\n}", QUOTED),
    Liquid("json-null-rule", "{{payload.nul | json}}", "", {"nul": None}),
    Liquid("json-missing-rule", "{{payload.missing | json}}", ""),
    Liquid("json-number-rule", "{{payload.num | json}}", "1.5", {"num": 1.5}),
    Liquid("json-object-rule", "{{payload.obj | json}}", "{'k':[1,true,null]}", {"obj": {"k": [1, True, None]}}),
    # digest
    Liquid("digest-three-items", "{{payload.list | digest}}", "A, B and 1 other", {"list": ["A", "B", "C"]}),
    Liquid("digest-four-items", "{{payload.list | digest}}", "A, B and 2 others", ABCD),
    Liquid("digest-max-names-3", "{{payload.list | digest: 3}}", "A, B, C and 1 other", ABCD),
    Liquid("digest-max-names-4", "{{payload.list | digest: 4}}", "A, B, C and D", ABCD),
    Liquid("digest-two-items-max-names-1", "{{payload.list | digest: 1}}", "N1 and N2", {"list": ["N1", "N2"]}),
    Liquid("digest-one-item-rule", "{{payload.list | digest}}", "A", {"list": ["A"]}),
    Liquid("digest-empty-rule", "{{payload.list | digest}}", "", {"list": []}),
    Liquid("digest-not-array-rule", "{{payload.s | digest}}", "", {"s": "A"}),
    Liquid("digest-key-path-rule", "{{payload.list | digest: 2, 'profile.name'}}", "X, Y and 2 others", USERS),
    Liquid("digest-separator-rule", "{{payload.list | digest: 3, '', ' | '}}", "A | B | C and 1 other", ABCD),
    # toSentence
    Liquid("to-sentence-four-items", "{{payload.list | toSentence}}", "x, y, and 2 others", XYZW),
    Liquid("to-sentence-limit-1", "{{payload.list | toSentence: '', 1}}", "A and 3 others", ABCD),
    Liquid("to-sentence-person", "{{payload.list | toSentence: '', 2, 'person'}}", "x, y, and 2 people", XYZW),
    Liquid(
        "to-sentence-connectors",
        "{{payload.list | toSentence: '', 3, 'other', '; ', ' & ', ', & '}}",
        "A; B, & C",
        {"list": ["A", "B", "C"]},
    ),
    Liquid("to-sentence-one-rule", "{{payload.list | toSentence}}", "A", {"list": ["A"]}),
    Liquid("to-sentence-two-rule", "{{payload.list | toSentence}}", "A and B", {"list": ["A", "B"]}),
    Liquid("to-sentence-three-rule", "{{payload.list | toSentence}}", "x, y, and 1 other", {"list": ["x", "y", "z"]}),
    Liquid("to-sentence-empty-rule", "{{payload.list | toSentence}}", "", {"list": []}),
    Liquid("to-sentence-key-path-rule", "{{payload.list | toSentence: 'profile.name', 4}}", "X, Y, Z, and W", USERS),
    # pluralize
    Liquid("pluralize-3", "{{ 3 | pluralize: 'apple' }}", "3 apples"),
    Liquid("pluralize-1", "{{ 1 | pluralize: 'apple' }}", "1 apple"),
    Liquid("pluralize-0", "{{ 0 | pluralize: 'apple' }}", ""),
    Liquid("pluralize-numeric-string", "{{ '2' | pluralize: 'apple' }}", "2 apples"),
    Liquid("pluralize-object-keys", "{{ payload.obj | pluralize: 'key' }}", "2 keys", {"obj": {"a": 1, "b": 2}}),
    Liquid("pluralize-explicit-plural", "{{ 2 | pluralize: 'child', 'kids' }}", "2 kids"),
    Liquid("pluralize-without-count", "{{ 5 | pluralize: 'box', '', 'false' }}", "boxes"),
    Liquid("pluralize-non-numeric-string", "{{ 'abc' | pluralize: 'box' }}", ""),
    Liquid("pluralize-fraction", "{{ 2.5 | pluralize: 'box' }}", "2.5 boxes"),
    Liquid("pluralize-irregular-rule", "{{ 2 | pluralize: 'person' }}", "2 people"),
    Liquid("pluralize-explicit-singular-rule", "{{ 1 | pluralize: 'child', 'kids' }}", "1 child"),
    Liquid("pluralize-array-rule", "{{ payload.list | pluralize: 'item' }}", "3 items", {"list": [1, 2, 3]}),
    Liquid("pluralize-null-rule", "{{ payload.nul | pluralize: 'item' }}", "", {"nul": None}),
    Liquid("pluralize-negative-rule", "{{ -1 | pluralize: 'item' }}", ""),
    # lookup, through digest's key path
    Liquid(
        "lookup-values-rule",
        "{{payload.list | digest: 10, 'v'}}",
        's, 3, true, {"k":1},  and ',
        {"list": [{"v": "s"}, {"v": 3}, {"v": True}, {"v": {"k": 1}}, {"v": {}}, {"v": None}]},
    ),
    Liquid(
        "lookup-array-and-zero-values-rule",
        "{{payload.list | digest: 3, 'v'}}",
        '[1,"a"], x and 0',
        {"list": [{"v": [1, "a"]}, {"v": "x"}, {"v": 0}]},
    ),
    Liquid("lookup-non-object-item-rule", "{{payload.list | digest: 2, 'n'}}", "A and ", {"list": [{"n": "A"}, "B"]}),
    # translation markers
    Liquid("translation-marker", "{{ t.welcome }}", "{{t.welcome}}"),
    Liquid("translation-pluralize-arguments", "{{ 3 | pluralize: 't.apple', 't.apples' }}", "3 {{t.apples}}"),
    Liquid("translation-marker-in-text-rule", "Hi {{t.greeting.hello}}!", "Hi {{t.greeting.hello}}!"),
    Liquid("translation-marker-key-chars-rule", "{{  t.some-key_1  }}", "{{t.some-key_1}}"),
    Liquid("translation-marker-unicode-rule", "{{ t.привет }}", "{{t.привет}}"),
    Liquid("translation-filter-argument-rule", "{{ payload.missing | default: 't.fallback' }}", "{{t.fallback}}"),
]


@pytest.mark.parametrize("case", LIQUID, ids=[c.id for c in LIQUID])
def test_liquid_filter_example(flask_bridge: Bridge, case: Liquid) -> None:
    compiled = render(flask_bridge, {"v": case.template}, case.payload)
    assert compiled == {"v": case.expected}


# §10.7 sanitisation


SANITIZE = {
    "drops-on-attributes-and-script": (
        '<p onclick="x()" style="color:red" class="c">Hi</p><script>alert(1)</script>',
        '<p style="color:red" class="c">Hi</p>',
    ),
    "img-attribute-allow-list": ('<IMG SRC="a.png" ONERROR="x" Alt="A" data-foo="1">', '<img src="a.png" alt="A" />'),
    "javascript-href": ('<a href="javascript:alert(1)">j</a>', "<a>j</a>"),
    "malformed-closing-br": ("</br/>", "<br />"),
    "iframe-removed": ('<iframe src="https://example.com/x" width="10"></iframe>', ""),
    "text-entities": ("A & B < C", "A &amp; B &lt; C"),
    "unclosed-elements": ("<p>unclosed <b>bold", "<p>unclosed <b>bold</b></p>"),
    "full-document": (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>T</title>'
        '<link rel="stylesheet" href="https://example.com/s.css"><style>p{color:red}</style></head>'
        '<body><p onclick="x()">Hi</p></body></html>',
        '<!DOCTYPE html><html><head><meta charset="utf-8" /><title>T</title>'
        '<link rel="stylesheet" href="https://example.com/s.css" /><style>p{color:red}</style></head>'
        "<body><p>Hi</p></body></html>",
    ),
    "empty-string-rule": ("", ""),
    "comments-removed-rule": ("<p>a<!-- secret -->b</p>", "<p>ab</p>"),
    "dropped-content-tags-rule": (
        "<p>x</p><textarea>t</textarea><select><option>o</option></select>",
        "<p>x</p>",
    ),
    "kept-text-of-disallowed-tags-rule": ("<noscript>n</noscript><button>b</button><custom>c</custom>", "nbc"),
    "data-url-removed-rule": ('<img src="data:image/png;base64,AAAA" alt="d">', '<img alt="d" />'),
    "allowed-schemes-kept-rule": (
        '<a href="mailto:a@b.c">m</a><a href="tel:+1">t</a><a href="/rel">r</a><a href="//cdn.example/x">p</a>',
        '<a href="mailto:a@b.c">m</a><a href="tel:+1">t</a><a href="/rel">r</a><a href="//cdn.example/x">p</a>',
    ),
    "nbsp-decoded-rule": ("a&nbsp;b", "a\u00a0b"),
}


@pytest.mark.parametrize("case", list(SANITIZE), ids=list(SANITIZE))
def test_sanitization_example(flask_bridge: Bridge, case: str) -> None:
    html, clean = SANITIZE[case]
    out = outputs(echo(flask_bridge, "email-echo", {"subject": "s", "body": html}))
    assert out["body"] == clean


# §12.3 validation messages


VALIDATION: dict[str, tuple[dict[str, Any], list[dict[str, str]]]] = {
    "type-string": ({"s": 1}, [{"path": "/s", "message": "must be string"}]),
    "type-number": ({"n": "5"}, [{"path": "/n", "message": "must be number"}]),
    "type-object": ({"o": [1]}, [{"path": "/o", "message": "must be object"}]),
    "type-boolean": ({"b": "true"}, [{"path": "/b", "message": "must be boolean"}]),
    "type-array": ({"a": {}}, [{"path": "/a", "message": "must be array"}]),
    "type-integer": ({"i": 1.5}, [{"path": "/i", "message": "must be integer"}]),
    "type-null": ({"z": 0}, [{"path": "/z", "message": "must be null"}]),
    "required": ({"req": ...}, [{"path": "", "message": "must have required property 'req'"}]),
    "min-length": ({"min_length": "ab"}, [{"path": "/min_length", "message": "must NOT have fewer than 3 characters"}]),
    "max-length": ({"max_length": "abc"}, [{"path": "/max_length", "message": "must NOT have more than 2 characters"}]),
    "format-email": ({"email": "nope"}, [{"path": "/email", "message": 'must match format "email"'}]),
    "format-uri": ({"uri": "not a uri"}, [{"path": "/uri", "message": 'must match format "uri"'}]),
    "format-date-time": (
        {"date_time": "yesterday"},
        [{"path": "/date_time", "message": 'must match format "date-time"'}],
    ),
    "pattern": ({"pattern": "b"}, [{"path": "/pattern", "message": 'must match pattern "^a+$"'}]),
    "enum": ({"enum": "z"}, [{"path": "/enum", "message": "must be equal to one of the allowed values"}]),
    "const": ({"const": "j"}, [{"path": "/const", "message": "must be equal to constant"}]),
    "one-of-no-branch": (
        {"one_of": True},
        [
            {"path": "/one_of", "message": "must be string"},
            {"path": "/one_of", "message": "must be number"},
            {"path": "/one_of", "message": "must match exactly one schema in oneOf"},
        ],
    ),
    "one-of-two-branches": (
        {"one_of_both": 1},
        [{"path": "/one_of_both", "message": "must match exactly one schema in oneOf"}],
    ),
    "any-of": (
        {"any_of": True},
        [
            {"path": "/any_of", "message": "must be string"},
            {"path": "/any_of", "message": "must be number"},
            {"path": "/any_of", "message": "must match a schema in anyOf"},
        ],
    ),
    "minimum": ({"minimum": 4}, [{"path": "/minimum", "message": "must be >= 5"}]),
    "maximum": ({"maximum": 6}, [{"path": "/maximum", "message": "must be <= 5"}]),
    "nested-path": ({"nested": {"inner": "x"}}, [{"path": "/nested/inner", "message": "must be number"}]),
    "array-item-path": ({"items": ["a", 2]}, [{"path": "/items/1", "message": "must be string"}]),
}


@pytest.mark.parametrize("case", list(VALIDATION), ids=list(VALIDATION))
def test_validation_message_example(flask_bridge: Bridge, case: str) -> None:
    fields, errors = VALIDATION[case]
    payload = {k: v for k, v in {"req": "r", **fields}.items() if v is not ...}
    answer = flask_bridge.execute("validation", "echo", event(payload=payload))
    body = assert_error(answer, 400, "ExecutionEventPayloadInvalidError")
    assert body["data"] == errors


def test_validation_additional_properties_are_removed_not_reported(flask_bridge: Bridge) -> None:
    out = outputs(flask_bridge.execute("validation", "echo", event(payload={"req": "r", "s": "ok", "unknown": 1})))
    assert out == {"payload": {"req": "r", "s": "ok"}}


def test_validation_digest_output_example(flask_bridge: Bridge) -> None:
    body = assert_error(echo(flask_bridge, "digest-echo", {"amount": 1}), 400, "ExecutionStateOutputInvalidError")
    assert body["data"] == [
        {"path": "", "message": "must have required property 'unit'"},
        {"path": "", "message": "must have required property 'cron'"},
        {"path": "", "message": "must match exactly one schema in oneOf"},
    ]
