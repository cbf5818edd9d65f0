"""The reference workflow and agents served by a Flask or FastAPI app at ``/api/novu``."""

from __future__ import annotations

from typing import Any

from novu_framework import Client

from .reference import build_agents, build_workflows


def make_app(framework: str, style: str = "async", client: Client | None = None) -> Any:
    workflows, agents = build_workflows(), build_agents(style)
    if framework == "flask":
        from flask import Flask

        from novu_framework.flask import serve as serve_flask

        flask_app = Flask("agents")
        serve_flask(flask_app, route="/api/novu", workflows=workflows, client=client, agents=agents)
        return flask_app
    if framework == "fastapi":
        from fastapi import FastAPI

        from novu_framework.fastapi import serve as serve_fastapi

        fastapi_app = FastAPI()
        serve_fastapi(fastapi_app, route="/api/novu", workflows=workflows, client=client, agents=agents)
        return fastapi_app
    raise ValueError(f"unknown framework {framework!r}")
