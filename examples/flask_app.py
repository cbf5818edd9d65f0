"""The example workflows served by Flask on 127.0.0.1:$PORT (default 4000) at /api/novu.

With NOVU_SECRET_KEY set, requests must be signed by Novu (strict authentication). Without one the bridge
runs in development mode (strict authentication off), which is what `npx novu dev` expects locally.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask

sys.path.insert(0, str(Path(__file__).parent))

from workflows import WORKFLOWS

from novu_framework import Client
from novu_framework.flask import serve

app = Flask(__name__)
client = Client(strict_authentication=None if os.environ.get("NOVU_SECRET_KEY") else False)
serve(app, route="/api/novu", workflows=WORKFLOWS, client=client)

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "4000"))
    url = f"http://127.0.0.1:{port}/api/novu"
    print(f"Novu bridge (Flask) serving {len(WORKFLOWS)} workflows at {url}")
    print(f"Point Novu Studio at it with `npx novu@latest dev --port {port} --route /api/novu`;")
    print("for Novu Cloud, deploy it and run `novu-framework sync --bridge-url https://<your-host>/api/novu`.")
    if not client.strict_authentication:
        print("(strict authentication is off: set NOVU_SECRET_KEY to require signed requests)")
    app.run(host="127.0.0.1", port=port)
