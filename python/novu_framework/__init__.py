"""novu-framework: code-first Novu notification workflows for Python, served from Flask, FastAPI, Django or any
ASGI or WSGI server.

Example:
    ```python
    from flask import Flask
    from novu_framework import workflow
    from novu_framework.flask import serve

    @workflow("welcome")
    def welcome(payload, step):
        step.email("welcome-email", {"subject": "Welcome!", "body": "<p>Glad you are here.</p>"})

    app = Flask(__name__)
    serve(app, route="/api/novu", workflows=[welcome])
    ```
"""

from ._native import SDK_VERSION as __version__
from .agents import Agent, agent
from .client import Client
from .errors import NovuApiError, NovuError
from .step import AsyncStep, Step
from .trigger import TriggerResult
from .workflow import Workflow, workflow

__all__ = [
    "Agent",
    "AsyncStep",
    "Client",
    "NovuApiError",
    "NovuError",
    "Step",
    "TriggerResult",
    "Workflow",
    "__version__",
    "agent",
    "workflow",
]
