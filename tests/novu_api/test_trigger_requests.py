"""`workflow.trigger()` / `trigger_async()` put on the wire exactly what spec §15.2 (and the brief) says:
`POST <apiUrl>/v1/events/trigger`, `Authorization: ApiKey <secret>`, `Content-Type: application/json`, body keys
name, to, payload, transactionId, then overrides, actor, controls, context, bridgeUrl only when truthy."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from novu_framework import Client, TriggerResult
from novu_framework.errors import InvalidTriggerError, NovuError

from . import sample_workflows as wfs
from .helpers import (
    MODES,
    SECRET,
    TRIGGER_PATH,
    assert_trigger_request,
    assert_uuid4,
    keyed_client,
    trigger,
)
from .standin import StandIn, api_error, reply, reply_text, triggered


@pytest.mark.parametrize("mode", MODES)
def test_minimal_trigger_applies_defaults_and_generates_a_uuid4(mode: str, api: StandIn, client: Client) -> None:
    result = trigger(mode, wfs.signup, "sub-1", {"name": "Ada"}, client=client)

    request = api.only()
    tx = request.json["transactionId"]
    assert_uuid4(tx)
    assert_trigger_request(
        request,
        {
            "name": "api-signup",
            "to": "sub-1",
            "payload": {"name": "Ada", "plan": "free", "seats": 1},
            "transactionId": tx,
        },
    )
    assert isinstance(result, TriggerResult)
    assert result.status == 201
    assert result.transaction_id == tx
    assert result.data == {"data": {"acknowledged": True, "status": "processed", "transactionId": tx}}


@pytest.mark.parametrize("mode", MODES)
def test_every_option_is_sent_in_upstream_key_order(mode: str, api: StandIn, client: Client) -> None:
    overrides = {"email": {"from": "team@example.com"}, "providers": {"sendgrid": {"ipPoolName": "p"}}}
    actor = {"subscriberId": "admin-7", "firstName": "Grace"}
    controls = {"steps": {"welcome-email": {"subject": "Hello!"}}}
    context = {"tenant": {"id": "acme", "data": {"tier": "gold"}}}

    result = trigger(
        mode,
        wfs.signup,
        {"subscriberId": "sub-2", "email": "ada@example.com"},
        {"name": "Ada", "plan": "pro", "seats": 3},
        transaction_id="tx-all-options",
        actor=actor,
        overrides=overrides,
        controls=controls,
        context=context,
        bridge_url="https://app.example.com/api/novu",
        client=client,
    )

    assert_trigger_request(
        api.only(),
        {
            "name": "api-signup",
            "to": {"subscriberId": "sub-2", "email": "ada@example.com"},
            "payload": {"name": "Ada", "plan": "pro", "seats": 3},
            "transactionId": "tx-all-options",
            "overrides": overrides,
            "actor": actor,
            "controls": controls,
            "context": context,
            "bridgeUrl": "https://app.example.com/api/novu",
        },
    )
    assert result.transaction_id == "tx-all-options"


@pytest.mark.parametrize("mode", MODES)
def test_falsy_options_are_left_out(mode: str, api: StandIn, client: Client) -> None:
    trigger(
        mode,
        wfs.free_form,
        "sub-3",
        transaction_id="tx-falsy",
        actor="",
        overrides=None,
        controls=None,
        context=None,
        bridge_url="",
        client=client,
    )
    assert_trigger_request(
        api.only(), {"name": "api-free-form", "to": "sub-3", "payload": {}, "transactionId": "tx-falsy"}
    )


def test_empty_objects_are_truthy_and_sent(api: StandIn, client: Client) -> None:
    """JavaScript truthiness (decisions.md): `{}` is truthy, so an empty `overrides`/`context` is sent."""
    wfs.free_form.trigger("sub-4", transaction_id="tx-empty", overrides={}, context={}, actor="s0", client=client)
    assert_trigger_request(
        api.only(),
        {
            "name": "api-free-form",
            "to": "sub-4",
            "payload": {},
            "transactionId": "tx-empty",
            "overrides": {},
            "actor": "s0",
            "context": {},
        },
    )


@pytest.mark.parametrize(
    "to",
    [
        "subscriber-string",
        {"subscriberId": "s-dict", "email": "a@example.com", "firstName": "Ada", "data": {"vip": True}},
        ["s-a", {"subscriberId": "s-b", "phone": "+15550100"}, "s-c"],
    ],
    ids=["string", "dict", "list"],
)
@pytest.mark.parametrize("mode", MODES)
def test_to_is_sent_verbatim(mode: str, to: Any, api: StandIn, client: Client) -> None:
    result = trigger(mode, wfs.signup, to, {"name": "Ada"}, transaction_id="tx-to", client=client)
    assert_trigger_request(
        api.only(),
        {
            "name": "api-signup",
            "to": to,
            "payload": {"name": "Ada", "plan": "free", "seats": 1},
            "transactionId": "tx-to",
        },
    )
    assert result.status == 201


@pytest.mark.parametrize(
    ("to", "needle"),
    [
        (5, "to"),
        ("", "to"),
        ([], "to"),
        ([{"email": "x@example.com"}], "to[0].subscriberId"),
        ({"subscriberId": ""}, "to"),
    ],
    ids=["number", "empty-string", "empty-list", "list-item-without-id", "empty-id"],
)
def test_invalid_recipients_are_refused_before_sending(to: Any, needle: str, api: StandIn, client: Client) -> None:
    with pytest.raises(NovuError) as info:
        wfs.free_form.trigger(to, client=client)
    assert isinstance(info.value, InvalidTriggerError), repr(info.value)
    assert isinstance(info.value, ValueError)
    assert needle in info.value.message
    assert api.requests == []


def test_payload_without_a_schema_is_sent_as_given(api: StandIn, client: Client) -> None:
    payload = {"nested": {"list": [1, 2.5, None, True], "text": 'naïve ☃ "quoted" \\ \n'}, "empty": {}}
    wfs.free_form.trigger("sub-5", payload, transaction_id="tx-free", client=client)
    request = api.only()
    assert_trigger_request(
        request, {"name": "api-free-form", "to": "sub-5", "payload": payload, "transactionId": "tx-free"}
    )
    request.raw.decode("utf-8")  # the body is UTF-8 JSON


@pytest.mark.parametrize("given", [{"amount": 12.5}, wfs.Invoice(amount=12.5)], ids=["dict", "model"])
def test_pydantic_payload_is_validated_with_defaults(given: Any, api: StandIn, client: Client) -> None:
    wfs.invoice.trigger("sub-6", given, transaction_id="tx-inv", client=client)
    assert_trigger_request(
        api.only(),
        {
            "name": "api-invoice",
            "to": "sub-6",
            "payload": {"amount": 12.5, "currency": "EUR"},
            "transactionId": "tx-inv",
        },
    )


def test_generated_transaction_ids_are_distinct_uuid4s(api: StandIn, client: Client) -> None:
    results = [wfs.free_form.trigger("sub-7", client=client) for _ in range(5)]
    sent = [r.json["transactionId"] for r in api.requests]
    for tx in sent:
        assert_uuid4(tx)
    assert len(set(sent)) == 5
    assert [r.transaction_id for r in results] == sent


def test_bridge_url_defaults_to_the_origin_variable(
    api: StandIn, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOVU_BRIDGE_ORIGIN", "https://app.example.com/")
    wfs.free_form.trigger("sub-8", transaction_id="tx-origin", client=client)
    wfs.free_form.trigger("sub-8", transaction_id="tx-given", bridge_url="https://other.example/hook", client=client)
    first, second = api.requests
    assert_trigger_request(
        first,
        {
            "name": "api-free-form",
            "to": "sub-8",
            "payload": {},
            "transactionId": "tx-origin",
            "bridgeUrl": "https://app.example.com/api/novu",
        },
    )
    assert second.json["bridgeUrl"] == "https://other.example/hook"


def test_default_client_reads_the_environment(api: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_SECRET_KEY", "sk-from-env")
    monkeypatch.setenv("NOVU_API_URL", api.url + "/")  # a trailing slash must not double the `/`
    wfs.free_form.trigger("sub-9", transaction_id="tx-env")
    assert_trigger_request(
        api.only(),
        {"name": "api-free-form", "to": "sub-9", "payload": {}, "transactionId": "tx-env"},
        secret="sk-from-env",
    )


def test_secret_falls_back_to_novu_api_key(api: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_API_KEY", "sk-legacy")
    wfs.free_form.trigger("sub-10", client=Client(api_url=api.url, api_timeout=2))
    assert api.only().headers["authorization"] == "ApiKey sk-legacy"


def test_client_option_beats_the_environment(api: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_SECRET_KEY", "sk-from-env")
    monkeypatch.setenv("NOVU_API_URL", "http://127.0.0.1:9")  # would fail if used
    wfs.free_form.trigger("sub-11", client=keyed_client(api.url))
    assert api.only().headers["authorization"] == f"ApiKey {SECRET}"


def test_api_url_defaults_to_novu_cloud() -> None:
    assert Client().api_url == "https://api.novu.co"


def test_result_data_is_the_api_answer_verbatim(api: StandIn, client: Client) -> None:
    answer = {"data": {"acknowledged": True, "status": "processed", "transactionId": "tx-v", "extra": [1, {"k": None}]}}
    api.script(reply(202, answer))
    result = wfs.free_form.trigger("sub-12", transaction_id="tx-v", client=client)
    assert (result.status, result.data, result.transaction_id) == (202, answer, "tx-v")


def test_concurrent_async_triggers_each_send_their_own_request(api: StandIn, client: Client) -> None:
    async def main() -> list[TriggerResult]:
        return await asyncio.gather(
            *(wfs.signup.trigger_async(f"sub-{i}", {"name": f"n{i}"}, client=client) for i in range(8))
        )

    results = asyncio.run(main())
    assert len(api.requests) == 8
    by_to = {r.json["to"]: r.json for r in api.requests}
    assert sorted(by_to) == sorted(f"sub-{i}" for i in range(8))
    for i in range(8):
        assert by_to[f"sub-{i}"]["payload"] == {"name": f"n{i}", "plan": "free", "seats": 1}
    assert sorted(r.transaction_id for r in results) == sorted(r.json["transactionId"] for r in api.requests)
    assert len({r.transaction_id for r in results}) == 8


def test_trigger_async_does_not_block_the_event_loop(api: StandIn, client: Client) -> None:
    """The stand-in holds its answer until another coroutine on the same loop opens a gate: the trigger can
    only succeed if the loop keeps running while the HTTP call is in flight."""
    gate = threading.Event()
    api.script(
        lambda request: triggered("tx-gate") if gate.wait(5) else reply(409, api_error(409, "gate never opened"))
    )

    async def opener() -> bool:
        for _ in range(150):
            if api.requests:
                gate.set()
                return True
            await asyncio.sleep(0.01)
        return False

    async def main() -> tuple[TriggerResult, bool]:
        return await asyncio.gather(wfs.free_form.trigger_async("sub-13", client=client), opener())

    result, opened = asyncio.run(main())
    assert opened, "the other coroutine never saw the request arrive"
    assert gate.is_set()
    assert result.transaction_id == "tx-gate"
    assert result.status == 201


def test_trigger_path_has_no_query(api: StandIn, client: Client) -> None:
    wfs.free_form.trigger("sub-14", client=client)
    assert api.only().path == TRIGGER_PATH


def test_to_as_a_tuple_is_sent_as_a_list(api: StandIn, client: Client) -> None:
    wfs.free_form.trigger(("s-a", {"subscriberId": "s-b"}), transaction_id="tx-tuple", client=client)
    assert api.only().json["to"] == ["s-a", {"subscriberId": "s-b"}]


@pytest.mark.parametrize("payload", [[1, 2], "text", 5], ids=["list", "string", "number"])
def test_a_payload_that_is_not_an_object_is_refused_before_sending(payload: Any, api: StandIn, client: Client) -> None:
    with pytest.raises(InvalidTriggerError) as info:
        wfs.free_form.trigger("sub-1", payload, client=client)
    assert "payload" in info.value.message
    assert api.requests == []


def test_an_empty_transaction_id_is_replaced_by_a_generated_one(api: StandIn, client: Client) -> None:
    result = wfs.free_form.trigger("sub-1", transaction_id="", client=client)
    tx = api.only().json["transactionId"]
    assert_uuid4(tx)
    assert result.transaction_id == tx


def test_a_2xx_answer_without_json_keeps_the_sent_id(api: StandIn, client: Client) -> None:
    api.script(reply_text(201, "Created", "text/plain"))
    result = wfs.free_form.trigger("sub-1", client=client)
    assert result.status == 201
    assert result.data is None
    assert result.transaction_id == api.only().json["transactionId"]
