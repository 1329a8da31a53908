"""Privacy: retention, erasure, the audit log viewer, and leaving no trace."""

from __future__ import annotations

import os

from flask import Flask

from feedback.i18n import sl_

RETENTION_DEFAULTS = {
    "RETENTION_DRAFT_DAYS": 30,  # unsent drafts
    "RETENTION_FREE_TEXT_DAYS": 365,  # raw free text in sent responses
    "RETENTION_CLOSED_CASE_DAYS": 730,  # identifiable data of closed cases
}


def init_app(app: Flask) -> None:
    from feedback.privacy import cli, routes

    for name, default in RETENTION_DEFAULTS.items():
        app.config.setdefault(name, int(os.environ.get(name, default)))
    app.register_blueprint(routes.bp)
    cli.init_app(app)
    app.config.setdefault("STAFF_NAV", []).append(
        (sl_("Audit log"), "privacy.audit_log", ("admin",))
    )
