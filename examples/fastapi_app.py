"""The example workflows served by FastAPI: `uvicorn examples.fastapi_app:app --port 4000`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from fastapi import FastAPI

sys.path.insert(0, str(Path(__file__).parent))

from workflows import WORKFLOWS

from novu_framework import Client
from novu_framework.fastapi import serve

app = FastAPI()
serve(
    app,
    route="/api/novu",
    workflows=WORKFLOWS,
    client=Client(strict_authentication=None if os.environ.get("NOVU_SECRET_KEY") else False),
)
