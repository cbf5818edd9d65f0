"""`TriggerResult.cancel()` / `cancel_async()`: `DELETE <apiUrl>/v1/events/trigger/<transactionId>` with the id
the API answered (`data.transactionId`, then `transactionId`, then the id that was sent) — spec §15.2, item 115."""

from __future__ import annotations

import time

import pytest

from novu_framework import Client, NovuApiError, TriggerResult
from novu_framework.errors import MissingSecretKeyError, NovuApiConnectionError, NovuApiTimeoutError

from . import sample_workflows as wfs
from .helpers import MODES, TRIGGER_PATH, assert_api_headers, cancel, keyed_client, trigger
from .standin import StandIn, api_error, reply, slow, triggered, unreachable_url


def assert_cancel_request(api: StandIn, transaction_id: str) -> None:
    request = api.requests[-1]
    assert (request.method, request.path) == ("DELETE", f"{TRIGGER_PATH}/{transaction_id}")
    assert_api_headers(request)
    assert request.raw == b""


@pytest.mark.parametrize("mode", MODES)
def test_cancel_uses_data_transaction_id_of_the_wrapped_answer(mode: str, api: StandIn, client: Client) -> None:
    api.script(triggered("tx-from-api", wrapped=True), reply(200, {"data": True}))
    result = trigger(mode, wfs.signup, "sub-1", {"name": "Ada"}, transaction_id="tx-sent", client=client)
    assert result.transaction_id == "tx-from-api"
    assert result.data == {"data": {"acknowledged": True, "status": "processed", "transactionId": "tx-from-api"}}

    answer = cancel(mode, result)

    assert len(api.requests) == 2
    assert_cancel_request(api, "tx-from-api")
    assert answer == {"data": True}


def test_cancel_falls_back_to_a_top_level_transaction_id(api: StandIn, client: Client) -> None:
    api.script(triggered("tx-top-level", wrapped=False), reply(200, {"data": True}))
    result = wfs.free_form.trigger("sub-1", transaction_id="tx-sent", client=client)
    assert result.transaction_id == "tx-top-level"
    result.cancel()
    assert_cancel_request(api, "tx-top-level")


def test_cancel_falls_back_to_the_sent_id_when_the_answer_has_none(api: StandIn, client: Client) -> None:
    api.script(reply(201, {"data": {"acknowledged": True, "status": "processed"}}), reply(200, {"data": True}))
    result = wfs.free_form.trigger("sub-1", client=client)
    sent = api.requests[0].json["transactionId"]
    assert result.transaction_id == sent
    assert result.cancel() == {"data": True}
    assert_cancel_request(api, sent)


def test_cancel_answer_false_is_returned_as_is(api: StandIn, client: Client) -> None:
    api.script(reply(200, {"data": False}))
    assert TriggerResult("tx-gone", None, 201, client).cancel() == {"data": False}
    assert_cancel_request(api, "tx-gone")


@pytest.mark.parametrize("mode", MODES)
def test_cancel_refused_raises_with_status_message_and_id(mode: str, api: StandIn) -> None:
    api.script(reply(404, api_error(404, "Event not found")))
    result = TriggerResult("tx-missing", None, 201, keyed_client(api.url, retries=3))
    with pytest.raises(NovuApiError) as info:
        cancel(mode, result)
    err = info.value
    assert (err.status, err.transaction_id) == (404, "tx-missing")
    assert "Event not found" in err.message
    assert err.response == api_error(404, "Event not found")
    assert len(api.requests) == 1


def test_cancel_is_retried_after_a_5xx(api: StandIn) -> None:
    api.script(reply(503, api_error(503, "busy")), reply(200, {"data": True}))
    result = TriggerResult("tx-retry", None, 201, keyed_client(api.url, retries=1))
    assert result.cancel() == {"data": True}
    assert [r.path for r in api.requests] == [f"{TRIGGER_PATH}/tx-retry"] * 2


def test_cancel_of_an_unreachable_api_names_the_url() -> None:
    url = unreachable_url()
    result = TriggerResult("tx-1", None, 201, keyed_client(url, timeout=1.0, retries=0))
    with pytest.raises(NovuApiConnectionError) as info:
        result.cancel()
    assert f"{url}{TRIGGER_PATH}/tx-1" in info.value.message
    assert info.value.transaction_id == "tx-1"


def test_cancel_of_a_slow_api_times_out_within_the_budget(api: StandIn) -> None:
    api.script(slow(10.0))
    result = TriggerResult("tx-slow", None, 201, keyed_client(api.url, timeout=0.5))
    started = time.monotonic()
    with pytest.raises(NovuApiTimeoutError):
        result.cancel()
    assert time.monotonic() - started < 0.5 + 2.0


def test_cancel_without_a_secret_key_sends_nothing(api: StandIn) -> None:
    result = TriggerResult("tx-1", None, 201, Client(api_url=api.url, api_timeout=1))
    with pytest.raises(MissingSecretKeyError):
        result.cancel()
    assert api.requests == []


def test_cancel_encodes_the_id_as_one_path_segment(api: StandIn, client: Client) -> None:
    result = TriggerResult("order/42 #1", None, 201, client)
    result.cancel()
    assert_cancel_request(api, "order%2F42%20%231")


def test_cancel_error_reports_the_url_it_called(api: StandIn, client: Client) -> None:
    """`NovuApiError.url` is "the URL that was called": for an id that needs encoding, the encoded one."""
    api.script(reply(404, api_error(404, "Event not found")))
    with pytest.raises(NovuApiError) as info:
        TriggerResult("order/42", None, 201, client).cancel()
    called = api.url + api.only().path
    assert called.endswith("/order%2F42")
    assert info.value.url == called


def test_cancel_uses_the_client_of_the_trigger(api: StandIn) -> None:
    """The cancel goes where the trigger went, with its key, even when another API is configured."""
    with StandIn() as other:
        result = wfs.free_form.trigger("sub-1", client=Client(secret_key="sk-other", api_url=other.url, api_timeout=2))
        result.cancel()
        assert [r.method for r in other.requests] == ["POST", "DELETE"]
        assert other.requests[1].headers["authorization"] == "ApiKey sk-other"
    assert api.requests == []
