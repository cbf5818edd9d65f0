"""Serves the reference workflow and agents on 127.0.0.1 at /api/novu until killed.

    python tests/agents/serve.py --framework F --port N [--style {sync,async}] [--expose-turns]

F is one of flask (Werkzeug's server), fastapi (uvicorn), django (Django under WSGI, Werkzeug's server),
django-asgi (Django under ASGI, uvicorn), asgi (novu_framework.asgi.App mounted at /api/novu, uvicorn) and
wsgi (novu_framework.wsgi.App mounted at /api/novu, Werkzeug's server), as tests/conformance/serve.py.
``--expose-turns`` also answers ``GET /_agent_turns`` with the number of agent turns running (for the tests).

Settings come from the environment: NOVU_SECRET_KEY, NOVU_STRICT_AUTHENTICATION_ENABLED and NOVU_API_URL (the
recorded cases need two bridges at once: one with strict authentication on, one with it off). Point
NOVU_API_URL at the stand-in (``python tests/agents/standin.py``) or the corpus's mock-novu-api.mjs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.agents.app import ASGI, FRAMEWORKS, make_app, with_turn_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--framework", choices=FRAMEWORKS, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--style", choices=["sync", "async"], default="async")
    parser.add_argument("--expose-turns", action="store_true")
    args = parser.parse_args()
    app = make_app(args.framework, args.style)
    if args.expose_turns:
        app = with_turn_count(args.framework, app)
    print(f"serving the reference agents on http://127.0.0.1:{args.port}/api/novu ({args.framework})", flush=True)
    if args.framework in ASGI:
        import uvicorn

        uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
    else:
        from werkzeug.serving import run_simple

        run_simple("127.0.0.1", args.port, app, threaded=True)


if __name__ == "__main__":
    main()
