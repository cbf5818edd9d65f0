"""Triggering from inside a real Flask view and a real FastAPI endpoint, each served on loopback next to the
bridge (`novu_framework.flask.serve` / `novu_framework.fastapi.serve`): the view triggers a workflow and
returns the transaction id; the stand-in receives exactly the §15 request."""

from __future__ import annotations

import concurrent.futures
from typing import Any

import pytest

from novu_framework import Client, NovuApiError, TriggerResult

from ..support import serve_app
from . import sample_workflows as wfs
from .helpers import assert_trigger_request, http_json
from .standin import StandIn, api_error, reply


def flask_app(client: Client) -> Any:
    from flask import Flask, jsonify, request

    from novu_framework.flask import serve

    app = Flask("novu_api_tests")
    serve(app, route="/api/novu", workflows=wfs.ALL, client=client)

    @app.post("/signup")
    def signup_view() -> Any:
        body = request.get_json()
        try:
            result = wfs.signup.trigger(body["to"], body.get("payload"), client=client)
        except NovuApiError as e:
            return jsonify({"error": e.message, "status": e.status, "transactionId": e.transaction_id}), 502
        return jsonify({"transactionId": result.transaction_id, "status": result.status})

    @app.post("/signup/<transaction_id>/cancel")
    def cancel_view(transaction_id: str) -> Any:
        return jsonify({"answer": TriggerResult(transaction_id, None, 201, client).cancel()})

    return app


def fastapi_app(client: Client) -> Any:
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    from novu_framework.fastapi import serve

    app = FastAPI()
    serve(app, route="/api/novu", workflows=wfs.ALL, client=client)

    @app.post("/signup")
    async def signup_endpoint(body: dict[str, Any]) -> Any:
        try:
            result = await wfs.signup.trigger_async(body["to"], body.get("payload"), client=client)
        except NovuApiError as e:
            content = {"error": e.message, "status": e.status, "transactionId": e.transaction_id}
            return JSONResponse(content, status_code=502)
        return {"transactionId": result.transaction_id, "status": result.status}

    @app.post("/signup-sync")
    def signup_sync_endpoint(body: dict[str, Any]) -> Any:
        """A plain `def` endpoint (FastAPI runs it in its thread pool) using the blocking call."""
        result = wfs.signup.trigger(body["to"], body.get("payload"), client=client)
        return {"transactionId": result.transaction_id, "status": result.status}

    @app.post("/signup/{transaction_id}/cancel")
    async def cancel_endpoint(transaction_id: str) -> Any:
        return {"answer": await TriggerResult(transaction_id, None, 201, client).cancel_async()}

    return app


APPS = {"flask": flask_app, "fastapi": fastapi_app}


@pytest.fixture
def app_client(api: StandIn) -> Client:
    # Strict authentication off: the bridge routes are not exercised here, only the views.
    return Client(secret_key="sk-app", strict_authentication=False, api_url=api.url, api_timeout=2.0, retries=1)


@pytest.mark.parametrize("framework", ["flask", "fastapi"])
def test_view_triggers_and_returns_the_transaction_id(framework: str, api: StandIn, app_client: Client) -> None:
    with serve_app(framework, APPS[framework](app_client)) as base:
        status, body = http_json("POST", f"{base}/signup", {"to": "sub-web", "payload": {"name": "Ada"}})

    assert status == 200, body
    request = api.only()
    tx = request.json["transactionId"]
    assert_trigger_request(
        request,
        {
            "name": "api-signup",
            "to": "sub-web",
            "payload": {"name": "Ada", "plan": "free", "seats": 1},
            "transactionId": tx,
        },
        secret="sk-app",
    )
    assert body == {"transactionId": tx, "status": 201}


def test_fastapi_sync_endpoint_triggers(api: StandIn, app_client: Client) -> None:
    with serve_app("fastapi", fastapi_app(app_client)) as base:
        status, body = http_json(
            "POST", f"{base}/signup-sync", {"to": {"subscriberId": "s-1"}, "payload": {"name": "B"}}
        )
    assert status == 200, body
    request = api.only()
    assert_trigger_request(
        request,
        {
            "name": "api-signup",
            "to": {"subscriberId": "s-1"},
            "payload": {"name": "B", "plan": "free", "seats": 1},
            "transactionId": body["transactionId"],
        },
        secret="sk-app",
    )


@pytest.mark.parametrize("framework", ["flask", "fastapi"])
def test_view_sees_the_api_error(framework: str, api: StandIn, app_client: Client) -> None:
    api.script(reply(422, api_error(422, "bad to")))
    with serve_app(framework, APPS[framework](app_client)) as base:
        status, body = http_json("POST", f"{base}/signup", {"to": "sub-web", "payload": {"name": "Ada"}})
    assert status == 502
    assert body["status"] == 422
    assert "bad to" in body["error"]
    assert body["transactionId"] == api.only().json["transactionId"]


@pytest.mark.parametrize("framework", ["flask", "fastapi"])
def test_view_cancels(framework: str, api: StandIn, app_client: Client) -> None:
    with serve_app(framework, APPS[framework](app_client)) as base:
        status, body = http_json("POST", f"{base}/signup/tx-web-1/cancel")
    assert (status, body) == (200, {"answer": {"data": True}})
    request = api.only()
    assert (request.method, request.path) == ("DELETE", "/v1/events/trigger/tx-web-1")
    assert request.headers["authorization"] == "ApiKey sk-app"


@pytest.mark.parametrize("framework", ["flask", "fastapi"])
def test_concurrent_requests_each_trigger_once(framework: str, api: StandIn, app_client: Client) -> None:
    with serve_app(framework, APPS[framework](app_client)) as base:

        def call(i: int) -> tuple[int, Any]:
            return http_json("POST", f"{base}/signup", {"to": f"sub-{i}", "payload": {"name": f"n{i}"}})

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(call, range(16)))

    assert all(status == 200 for status, _ in answers), answers
    returned = sorted(body["transactionId"] for _, body in answers)
    assert returned == sorted(r.json["transactionId"] for r in api.requests)
    assert len(set(returned)) == 16
    assert sorted(r.json["to"] for r in api.requests) == sorted(f"sub-{i}" for i in range(16))
