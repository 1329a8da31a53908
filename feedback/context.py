"""What every template can see."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from feedback import db
from feedback.i18n import s_
from feedback.settings import services as settings
from feedback.staff.access import TEMPLATE_GLOBALS, may_read_cases


def young_service_name() -> str:
    """The service's name as this page's language shows it (staff pages: English)."""
    try:
        return settings.young_words(db.session(), "YOUNG_PERSON_SERVICE_NAME")
    except SQLAlchemyError:
        # The error page of a request whose database failed still needs a name: config's.
        return gettext(current_app.config["YOUNG_PERSON_SERVICE_NAME"])


def init_app(app: Flask) -> None:
    @app.context_processor
    def _globals():
        young = request.blueprint == "young" or bool(g.get("young_person_page"))
        nav = []
        if not young and current_user.is_authenticated:
            role = current_user.role
            if may_read_cases(current_user):
                nav.append((s_("Cases"), "cases.list_cases"))
            for item in current_app.config.get("STAFF_NAV", []):
                if role in item[2]:
                    nav.append(item[:2])
        return {
            "service_name": current_app.config["SERVICE_NAME"],
            "council_name": current_app.config["COUNCIL_NAME"],
            "young_service_name": young_service_name(),
            "young_person_page": young,
            "staff_nav": nav,
        }

    app.jinja_env.globals.update(TEMPLATE_GLOBALS)

    from feedback.i18n_outcomes import month_words, outcome_word, themes_reason
    from outcomes.vocabulary import AGE_BANDS, STRANDS

    # Words of `outcomes` (a strand's or age band's code, a domain's name...) as staff read them.
    app.jinja_env.filters["app_strand"] = lambda code: outcome_word(STRANDS.get(code, code))
    app.jinja_env.filters["app_age_band"] = lambda code: outcome_word(AGE_BANDS.get(code, code))
    app.jinja_env.filters["app_word"] = outcome_word
    # A month (or day) in the locale's words: "Nov 2026"; `app_month('MMMM y')`: "November 2026".
    app.jinja_env.filters["app_month"] = month_words
    app.jinja_env.globals["themes_reason"] = themes_reason
