"""Staff administration in the browser: inviting staff, password and sign-in code
resets, teams and their duty rota, and the service's settings. Admins only."""

from __future__ import annotations

from flask import Flask

from feedback.i18n import sl_


def init_app(app: Flask) -> None:
    from feedback.admin import routes

    app.register_blueprint(routes.bp)
    app.config.setdefault("STAFF_NAV", []).extend(
        [
            (sl_("Teams"), "admin.teams_list", ("admin",)),
            (sl_("Settings"), "admin.settings_page", ("admin",)),
        ]
    )
