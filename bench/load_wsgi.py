"""What bench/load.py serves with gunicorn: the app, configured from the environment as
in production, and beside it at /_ceiling/ a bare Flask app that answers "ok": the most
the same server, workers and client can do: the ceiling the check-in is measured against.
Nothing of the ceiling is in the app itself."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402 - after the path is set
from werkzeug.middleware.dispatcher import DispatcherMiddleware  # noqa: E402

from feedback import create_app  # noqa: E402

CEILING = "/_ceiling"

app = create_app()
bare = Flask("ceiling")


@bare.get("/")
def ok() -> str:
    # Which worker answered: the bench waits until every worker has.
    return f"ok {os.getpid()}"


application = DispatcherMiddleware(app, {CEILING: bare})
