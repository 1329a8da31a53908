"""Staff administration in the browser: inviting staff, password and sign-in code
resets, teams and their duty rota, and the service's settings. Admins only."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from feedback.admin import routes

    app.register_blueprint(routes.bp)
    app.config.setdefault("STAFF_NAV", []).extend(
        [("Teams", "admin.teams_list", ("admin",)), ("Settings", "admin.settings_page", ("admin",))]
    )
