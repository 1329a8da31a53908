"""Youth Voice: the Flask app that young people, families and staff use."""

from __future__ import annotations

import importlib
import math
import os
import time
from contextlib import suppress
from pathlib import Path

import sqlalchemy.exc
from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext, ngettext
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from feedback import assets, db, i18n, security
from feedback.config import load_config
from feedback.extensions import csrf, limiter, login_manager
from feedback.i18n import N_, sl_, sn_
from feedback.staff.access import ADMIN, STAFF
from feedback.templating import App

ROOT = Path(__file__).resolve().parent.parent

# Feature packages that bring their own blueprints, CLI commands and hooks: each has
# an `init_app(app)`. One line a feature.
FEATURES = [
    "feedback.invitations",
    "feedback.responses",
    "feedback.outcomes_views",
    "feedback.dashboard",
    "feedback.alerts",
    "feedback.privacy",
    "feedback.outbox",
    "feedback.talk",
    "feedback.admin",
]


def create_app(overrides: dict | None = None) -> Flask:
    app = App(
        "feedback",
        template_folder="../templates",
        static_folder="../static",
        instance_path=os.environ.get("INSTANCE_PATH", str(ROOT / "instance")),
    )
    app.config.update(load_config(app.instance_path, overrides))
    if proxies := app.config["TRUSTED_PROXIES"]:
        # The client's address and scheme as the trusted proxies saw them: what rate
        # limits key on, and what decides https links.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    if any(
        app.config[name].startswith("sqlite:///")
        for name in ("DATABASE_URL", "ANALYTICS_DATABASE_URL")
    ):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": i18n.govuk_loader(),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    WTFormsHelpers(app)

    from feedback import cli, context, shared_pages
    from feedback.cases import routes as cases_routes
    from feedback.checkin import routes as checkin_routes
    from feedback.staff import routes as staff_routes

    context.init_app(app)
    shared_pages.init_app(app)
    app.register_blueprint(staff_routes.bp)
    app.register_blueprint(cases_routes.bp)
    app.register_blueprint(checkin_routes.bp)
    cli.init_app(app)
    for name in FEATURES:
        importlib.import_module(name).init_app(app)
    # After the features' pages: staff administration, then the account's own sessions.
    app.config.setdefault("STAFF_NAV", []).extend(
        [
            (sl_("Staff"), "staff.staff_list", (ADMIN,)),
            (sl_("Your sessions"), "staff.your_sessions", STAFF),
        ]
    )

    _register_error_pages(app)
    return app


def retry_after() -> int | None:
    """Seconds until a refused request may be tried again: until every limit of this
    request that has nothing left has reset (a longer window can outlast a shorter one)."""
    waits = [
        request_limit.window.reset_time - time.time()
        for request_limit in limiter.current_limits
        if request_limit.breached or request_limit.remaining == 0
    ]
    return max(1, math.ceil(max(waits))) if waits else None


def _minutes(number: int, staff: bool) -> str:
    if staff:
        return sn_("%(num)d minute", "%(num)d minutes", number)
    return ngettext("%(num)d minute", "%(num)d minutes", number)


def _hours(number: int, staff: bool) -> str:
    if staff:
        return sn_("%(num)d hour", "%(num)d hours", number)
    return ngettext("%(num)d hour", "%(num)d hours", number)


def wait_in_words(seconds: int, *, staff: bool = False) -> str:
    """61 -> "2 minutes", 3600 -> "1 hour": rounded up, so that trying then works. In the
    staff catalogue on a staff page (staff=True)."""
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return _minutes(minutes, staff)
    hours, minutes = divmod(minutes, 60)
    words = _hours(hours, staff)
    if not minutes:
        return words
    return f"{words} {_minutes(minutes, staff)}"


def _too_many_tries(_error):
    wait = retry_after()
    body = render_template(
        "errors/error.html",
        status=429,
        title=gettext("Too many tries"),
        wait=wait_in_words(wait, staff=not i18n.is_family_page()) if wait else None,
    )
    return body, 429, {"Retry-After": str(wait)} if wait else {}


# The database could not be reached, or stopped answering mid-request: nothing of this
# request was kept (its transaction is rolled back), and trying again later will work.
DATABASE_UNAVAILABLE = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.TimeoutError,  # every pooled connection busy
)
DATABASE_RETRY_SECONDS = 10


def _database_unavailable(error):
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    app.logger.warning("database unavailable: %s", error)
    with suppress(sqlalchemy.exc.SQLAlchemyError):  # the connection is gone: the pool drops it
        db.session().rollback()
    # The page must not ask the database who is signed in (the rollback has expired
    # what was loaded): it is the thing that failed. It shows no navigation.
    g._login_user = login_manager.anonymous_user()
    posted = request.method == "POST"
    body = render_template(
        "errors/error.html",
        status=503,
        title=gettext("Sorry, we could not save that")
        if posted
        else gettext("Sorry, this page is not working"),
        posted=posted,
    )
    return body, 503, {"Retry-After": str(DATABASE_RETRY_SECONDS)}


def _register_error_pages(app: Flask) -> None:
    def page(status: int, title: str, template: str = "errors/error.html"):
        def handler(_error):
            return render_template(template, status=status, title=gettext(title)), status

        return handler

    app.register_error_handler(
        400, page(400, N_("Sorry, something was not right with that request"))
    )
    app.register_error_handler(403, page(403, N_("You cannot see this page")))
    app.register_error_handler(404, page(404, N_("Page not found")))
    app.register_error_handler(405, page(405, N_("Sorry, that did not work")))
    app.register_error_handler(429, _too_many_tries)
    app.register_error_handler(500, page(500, N_("Sorry, there is a problem with the service")))
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, _database_unavailable)
    from flask_wtf.csrf import CSRFError

    app.register_error_handler(CSRFError, page(400, N_("Your page timed out"), "errors/csrf.html"))
