"""Managers' aggregated, anonymised views: the dashboard, its exports, the monthly
report, and the `report` and `text` commands."""

from __future__ import annotations

from flask import Flask

from feedback.i18n import sl_


def init_app(app: Flask) -> None:
    from feedback.dashboard import cli, routes

    app.register_blueprint(routes.bp)
    cli.init_app(app)
    nav = app.config.setdefault("STAFF_NAV", [])
    nav.append((sl_("Dashboard"), "dashboard.index", routes.MANAGERS))
    nav.append((sl_("Monthly report"), "dashboard.monthly_report", routes.MANAGERS))
    # Other features add (session, month_start, month_end, teams) -> (title, rows).
    app.config.setdefault("REPORT_SECTIONS", [])
