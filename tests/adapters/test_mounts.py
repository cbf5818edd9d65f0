"""The standalone ASGI and WSGI apps mounted under a prefix in other frameworks, over real HTTP:
Starlette's Mount, Litestar's mount, Werkzeug's DispatcherMiddleware next to a Flask app, and uvicorn's
root_path (as behind a proxy that strips the prefix)."""

from __future__ import annotations

from typing import Any

from novu_framework.asgi import App as AsgiApp
from novu_framework.wsgi import App as WsgiApp

from ..support import serve_asgi, serve_wsgi
from .helpers import SECRET, STRICT, WORKFLOWS, call, check_bridge


def test_asgi_app_mounted_in_starlette() -> None:
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Mount, Route

    async def hello(request: Any) -> JSONResponse:
        return JSONResponse({"hello": "starlette"})

    app = Starlette(routes=[Route("/hello", hello), Mount("/api/v1/novu", AsgiApp(WORKFLOWS, client=STRICT))])
    with serve_asgi(app) as base:
        check_bridge(f"{base}/api/v1/novu", secret=SECRET)
        assert call(f"{base}/hello")[2] == {"hello": "starlette"}
        status, headers, _ = call(f"{base}/api/v1/novu/workflows/greet/execute", {"to": "s", "payload": {}})
        assert status == 401 and headers["novu-framework-server"] == "asgi"


def test_asgi_app_mounted_in_litestar() -> None:
    from litestar import Litestar, asgi, get

    @get("/hello", sync_to_thread=False)
    def hello() -> dict[str, str]:
        return {"hello": "litestar"}

    novu = asgi("/api/novu", is_mount=True, copy_scope=True)(AsgiApp(WORKFLOWS, client=STRICT))
    with serve_asgi(Litestar([hello, novu])) as base:
        check_bridge(f"{base}/api/novu", secret=SECRET)
        assert call(f"{base}/hello")[2] == {"hello": "litestar"}


def test_asgi_app_at_the_root_of_uvicorn_with_a_root_path() -> None:
    """Behind a proxy that strips `/prefix`, uvicorn's --root-path puts it back into `root_path`."""
    import socket
    import threading
    import time

    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(AsgiApp(WORKFLOWS, client=STRICT), root_path="/prefix", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        check_bridge(f"http://127.0.0.1:{port}", secret=SECRET)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_wsgi_app_under_dispatcher_middleware_next_to_flask() -> None:
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    flask_app = Flask("site")

    @flask_app.get("/hello")
    def hello() -> dict[str, str]:
        return {"hello": "flask"}

    app = DispatcherMiddleware(flask_app, {"/api/novu": WsgiApp(WORKFLOWS, client=STRICT)})
    with serve_wsgi(app) as base:
        check_bridge(f"{base}/api/novu", secret=SECRET)
        assert call(f"{base}/hello")[2] == {"hello": "flask"}
        status, headers, body = call(f"{base}/api/novu?action=discover")
        assert status == 401 and body["code"] == "SignatureNotFoundError"
        assert headers["novu-framework-server"] == "wsgi"


def test_wsgi_app_reads_no_further_than_the_body() -> None:
    """A body over the limit answers 413 without reading the rest; an empty POST is `{}`."""
    from novu_framework import Client

    app = WsgiApp(WORKFLOWS, client=Client(strict_authentication=False, max_body_bytes=64))
    with serve_wsgi(app) as base:
        status, _, body = call(f"{base}/workflows/greet/execute", {"to": "s", "payload": {"name": "x" * 100}})
        assert status == 413 and body["code"] == "PayloadTooLargeError"
        status, _, body = call(f"{base}/workflows/greet/execute", method="POST")
        assert status == 400 and body["detail"].startswith("`to` is required"), body
