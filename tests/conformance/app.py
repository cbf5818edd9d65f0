"""The reference workflows served by a Flask or FastAPI app, as the conformance tests and serve.py use them."""

from __future__ import annotations

from typing import Any

from novu_framework import Client

from .workflows import build


def make_app(framework: str, style: str = "sync", client: Client | None = None) -> Any:
    workflows = build(style)
    if framework == "flask":
        from flask import Flask

        from novu_framework.flask import serve as serve_flask

        flask_app = Flask("conformance")
        serve_flask(flask_app, route="/api/novu", workflows=workflows, client=client)
        return flask_app
    if framework in ("fastapi", "fastapi-inline"):
        from fastapi import FastAPI

        from novu_framework.fastapi import serve as serve_fastapi

        fastapi_app = FastAPI()
        inline = framework == "fastapi-inline"
        serve_fastapi(
            fastapi_app, route="/api/novu", workflows=workflows, client=client, run_sync_in_threadpool=not inline
        )
        return fastapi_app
    raise ValueError(f"unknown framework {framework!r}")
