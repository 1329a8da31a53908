"""Speak to a manager: a young person or parent asks, a manager answers within the
service standard, and "you said, we did" tells everyone what changed.

Requests are kept apart from answers: a worker sees a request about their own work only
when a manager shares it (`feedback.staff.access`). A worrying message raises a
safeguarding alert through the alerts' own rules.
"""

from __future__ import annotations

from flask import Flask

from feedback.i18n import sl_


def init_app(app: Flask) -> None:
    from feedback.staff.access import MANAGERS, STAFF
    from feedback.talk import cli, routes, services

    app.register_blueprint(routes.bp)
    app.register_blueprint(routes.staff_bp)
    cli.init_app(app)
    app.config.setdefault("STAFF_NAV", []).extend(
        [
            (sl_("Requests to talk"), "requests.list_requests", STAFF),
            (sl_("You said, we did"), "requests.notes", MANAGERS),
        ]
    )
    app.config.setdefault("REPORT_SECTIONS", []).extend(services.REPORT_SECTIONS)
