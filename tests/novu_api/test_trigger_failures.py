"""Every way a trigger can fail: bad payload, no key, 4xx, 5xx/429 (retried with the same transaction id),
dropped connections, an unreachable API, a slow API (bounded by the one time budget)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

import novu_framework.errors as errors_module
from novu_framework import Client, NovuApiError
from novu_framework.errors import (
    MissingSecretKeyError,
    NovuApiConnectionError,
    NovuApiTimeoutError,
    WorkflowPayloadInvalidError,
)

from . import sample_workflows as wfs
from .helpers import MODES, TRIGGER_PATH, assert_trigger_request, assert_uuid4, keyed_client, trigger
from .standin import StandIn, api_error, drop, reply, reply_text, slow, stall_body, triggered, unreachable_url

MARGIN = 2.0
"""Generous slack over a timeout: the requirement is "no call hangs past its timeout", not tight timing."""


def sent_ids(api: StandIn) -> list[str]:
    return [r.json["transactionId"] for r in api.requests]


# -- refused before anything is sent ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("payload", "path", "needle"),
    [
        ({"name": 5}, "/name", "string"),
        ({"name": "Ada", "seats": 0}, "/seats", ">= 1"),
        ({"name": "Ada", "seats": "many"}, "/seats", "integer"),
        ({}, "", "name"),
        (None, "", "name"),
    ],
    ids=["wrong-type", "below-minimum", "seats-type", "missing-required", "no-payload"],
)
def test_invalid_payload_raises_naming_the_field_and_sends_nothing(
    mode: str, payload: Any, path: str, needle: str, api: StandIn, client: Client
) -> None:
    with pytest.raises(WorkflowPayloadInvalidError) as info:
        trigger(mode, wfs.signup, "sub-1", payload, client=client)
    err = info.value
    assert err.status == 400
    assert err.code == "WorkflowPayloadInvalidError"
    assert "api-signup" in err.message
    assert isinstance(err.data, list) and err.data, err.data
    assert any(item["path"] == path and needle in item["message"] for item in err.data), err.data
    assert api.requests == []


def test_invalid_pydantic_payload_names_the_field(api: StandIn, client: Client) -> None:
    with pytest.raises(WorkflowPayloadInvalidError) as info:
        wfs.invoice.trigger("sub-1", {"amount": "lots"}, client=client)
    assert any(item["path"] == "/amount" for item in info.value.data), info.value.data
    assert api.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_missing_secret_key_raises_and_sends_nothing(mode: str, api: StandIn) -> None:
    keyless = Client(api_url=api.url, api_timeout=1)
    with pytest.raises(MissingSecretKeyError) as info:
        trigger(mode, wfs.signup, "sub-1", {"name": "Ada"}, client=keyless)
    assert "NOVU_SECRET_KEY" in info.value.message
    assert api.requests == []


def test_missing_secret_key_with_the_default_client(api: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_API_URL", api.url)
    with pytest.raises(MissingSecretKeyError):
        wfs.free_form.trigger("sub-1")
    assert api.requests == []


# -- 4xx: not retried -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [400, 401, 404, 409, 422])
def test_client_error_raises_with_status_message_and_id_after_one_request(mode: str, status: int, api: StandIn) -> None:
    body = api_error(status, f"bad to ({status})")
    api.script(reply(status, body), triggered("never"))
    with pytest.raises(NovuApiError) as info:
        trigger(mode, wfs.free_form, "sub-1", client=keyed_client(api.url, retries=3))
    err = info.value
    assert type(err) is NovuApiError
    assert err.status == status
    assert f"bad to ({status})" in err.message
    assert str(status) in err.message
    assert err.response == body
    assert err.url == api.url + TRIGGER_PATH
    request = api.only()
    assert err.transaction_id == request.json["transactionId"]
    assert_uuid4(err.transaction_id)


def test_client_error_with_a_given_transaction_id_reports_it(api: StandIn, client: Client) -> None:
    api.script(reply(422, {"statusCode": 422, "message": "bad to", "error": "Unprocessable Entity"}))
    with pytest.raises(NovuApiError) as info:
        wfs.signup.trigger("sub-1", {"name": "Ada"}, transaction_id="tx-422", client=client)
    assert (info.value.status, info.value.transaction_id) == (422, "tx-422")
    assert "bad to" in info.value.message
    assert len(api.requests) == 1


def test_client_error_with_a_list_message(api: StandIn, client: Client) -> None:
    """Novu's validation errors carry `message` as a list of strings."""
    api.script(
        reply(400, {"statusCode": 400, "message": ["to must be defined", "name is empty"], "error": "Bad Request"})
    )
    with pytest.raises(NovuApiError) as info:
        wfs.free_form.trigger("sub-1", client=client)
    assert "to must be defined" in info.value.message and "name is empty" in info.value.message


def test_client_error_without_json(api: StandIn, client: Client) -> None:
    api.script(reply_text(403, "<html><body>Forbidden by proxy</body></html>"))
    with pytest.raises(NovuApiError) as info:
        wfs.free_form.trigger("sub-1", client=client)
    assert info.value.status == 403
    assert "Forbidden by proxy" in info.value.message
    assert info.value.response is None
    assert len(api.requests) == 1


# -- retried: 5xx / 429 / dropped connections ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "status"),
    [("sync", 500), ("sync", 502), ("sync", 503), ("sync", 504), ("sync", 429), ("async", 503), ("async", 429)],
)
def test_5xx_or_429_then_success_is_retried_with_the_same_transaction_id(mode: str, status: int, api: StandIn) -> None:
    api.script(reply(status, api_error(status, "busy")), lambda r: triggered(r.json["transactionId"]))
    result = trigger(mode, wfs.signup, "sub-1", {"name": "Ada"}, client=keyed_client(api.url, retries=2))

    first, second = api.requests
    assert first.raw == second.raw, "the retry must resend the very same body"
    tx = first.json["transactionId"]
    assert_uuid4(tx)
    for request in (first, second):
        assert_trigger_request(
            request,
            {
                "name": "api-signup",
                "to": "sub-1",
                "payload": {"name": "Ada", "plan": "free", "seats": 1},
                "transactionId": tx,
            },
        )
    assert result.status == 201
    assert result.transaction_id == tx


def test_retry_keeps_a_given_transaction_id(api: StandIn, client: Client) -> None:
    api.script(reply(503, api_error(503, "busy")), reply(503, api_error(503, "busy")), triggered("tx-mine"))
    result = wfs.free_form.trigger("sub-1", transaction_id="tx-mine", client=keyed_client(api.url, timeout=3))
    assert sent_ids(api) == ["tx-mine"] * 3
    assert result.transaction_id == "tx-mine"


@pytest.mark.parametrize("retries", [0, 1, 2])
def test_5xx_every_time_raises_after_retries_plus_one_attempts(retries: int, api: StandIn) -> None:
    body = api_error(503, "service down")
    api.script(reply(503, body))
    with pytest.raises(NovuApiError) as info:
        wfs.free_form.trigger("sub-1", client=keyed_client(api.url, timeout=3, retries=retries))
    err = info.value
    assert type(err) is NovuApiError
    assert len(api.requests) == retries + 1
    assert len(set(sent_ids(api))) == 1
    assert (err.status, err.response, err.transaction_id) == (503, body, sent_ids(api)[0])
    assert "service down" in err.message


def test_retries_stay_within_the_time_budget(api: StandIn) -> None:
    """Ten retries cannot fit in 1 s of budget: the call gives up in time instead of retrying ten times."""
    api.script(reply(500, api_error(500, "boom")))
    started = time.monotonic()
    with pytest.raises(NovuApiError) as info:
        wfs.free_form.trigger("sub-1", client=keyed_client(api.url, timeout=1.0, retries=10))
    elapsed = time.monotonic() - started
    assert elapsed < 1.0 + MARGIN, elapsed
    assert 1 <= len(api.requests) < 11
    assert info.value.status == 500


@pytest.mark.parametrize("mode", MODES)
def test_dropped_connection_then_success(mode: str, api: StandIn) -> None:
    api.script(drop(), lambda r: triggered(r.json["transactionId"]))
    result = trigger(mode, wfs.signup, "sub-1", {"name": "Ada"}, client=keyed_client(api.url, retries=1))
    first, second = api.requests
    assert first.raw == second.raw
    assert result.status == 201
    assert result.transaction_id == first.json["transactionId"]


def test_dropped_connection_every_time_raises_a_connection_error(api: StandIn) -> None:
    api.script(drop())
    with pytest.raises(NovuApiConnectionError) as info:
        wfs.free_form.trigger("sub-1", client=keyed_client(api.url, retries=2))
    err = info.value
    assert isinstance(err, NovuApiError)
    assert len(api.requests) == 3
    assert len(set(sent_ids(api))) == 1
    assert err.status is None
    assert err.transaction_id == sent_ids(api)[0]
    assert api.url + TRIGGER_PATH in err.message


# -- unreachable and slow ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_unreachable_api_raises_a_connection_error_naming_the_url(mode: str) -> None:
    url = unreachable_url()
    started = time.monotonic()
    with pytest.raises(NovuApiConnectionError) as info:
        trigger(mode, wfs.free_form, "sub-1", client=keyed_client(url, timeout=1.0, retries=1))
    elapsed = time.monotonic() - started
    err = info.value
    assert isinstance(err, NovuApiError)
    assert url + TRIGGER_PATH in err.message
    assert err.url == url + TRIGGER_PATH
    assert err.status is None and err.response is None
    assert_uuid4(err.transaction_id)
    assert elapsed < 1.0 + MARGIN, elapsed


@pytest.mark.parametrize("mode", MODES)
def test_slow_api_raises_a_timeout_within_the_budget(mode: str, api: StandIn) -> None:
    api.script(slow(10.0))
    timeout = 0.5
    started = time.monotonic()
    with pytest.raises(NovuApiTimeoutError) as info:
        trigger(mode, wfs.free_form, "sub-1", transaction_id="tx-slow", client=keyed_client(api.url, timeout=timeout))
    elapsed = time.monotonic() - started
    err = info.value
    assert elapsed < timeout + MARGIN, elapsed
    assert isinstance(err, NovuApiError)
    assert err.status is None
    assert err.transaction_id == "tx-slow"
    assert err.url == api.url + TRIGGER_PATH
    assert api.url in err.message
    assert len(api.requests) >= 1


def test_5xx_then_slow_still_ends_within_the_budget(api: StandIn) -> None:
    api.script(reply(503, api_error(503, "busy")), slow(10.0))
    started = time.monotonic()
    with pytest.raises(NovuApiTimeoutError):
        wfs.free_form.trigger("sub-1", client=keyed_client(api.url, timeout=1.0, retries=3))
    assert time.monotonic() - started < 1.0 + MARGIN
    assert len(api.requests) == 2


def test_body_that_stalls_after_the_headers_is_a_timeout(api: StandIn) -> None:
    """The API sends its status line and headers, then holds the body back: no answer arrived within the
    budget, which is a timeout (`NovuApiTimeoutError`), and the call still ends in time."""
    api.script(stall_body(10.0))
    started = time.monotonic()
    with pytest.raises(NovuApiError) as info:
        wfs.free_form.trigger("sub-1", client=keyed_client(api.url, timeout=0.5, retries=2))
    assert time.monotonic() - started < 0.5 + MARGIN
    assert isinstance(info.value, NovuApiTimeoutError), f"{type(info.value).__name__}: {info.value.message}"


def test_many_slow_async_triggers_all_end_within_the_budget(api: StandIn) -> None:
    api.script(slow(10.0))

    async def main() -> list[BaseException | Any]:
        client = keyed_client(api.url, timeout=0.5, retries=0)
        calls = [wfs.free_form.trigger_async(f"sub-{i}", client=client) for i in range(6)]
        return await asyncio.gather(*calls, return_exceptions=True)

    started = time.monotonic()
    outcomes = asyncio.run(main())
    assert time.monotonic() - started < 0.5 + MARGIN
    assert all(isinstance(o, NovuApiTimeoutError) for o in outcomes), outcomes


# -- the client's own checks and the error types ----------------------------------------------------------


@pytest.mark.parametrize("kwargs", [{"api_timeout": 0}, {"api_timeout": -1.0}, {"retries": -1}])
def test_client_refuses_a_bad_budget(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Client(secret_key="k", **kwargs)


def test_api_error_types_are_exported_and_related() -> None:
    assert issubclass(NovuApiTimeoutError, NovuApiError)
    assert issubclass(NovuApiConnectionError, NovuApiError)
    exported = set(errors_module.__all__)
    missing = {"NovuApiError", "NovuApiTimeoutError", "NovuApiConnectionError"} - exported
    assert not missing, f"novu_framework.errors.__all__ lacks {sorted(missing)}"
