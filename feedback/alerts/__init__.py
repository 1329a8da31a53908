"""Safeguarding alerts: the detector's hits raised for the practitioner and the duty
manager, handled step by step, escalated when nobody acknowledges them in time.

Alerts listen to the responses feature's signals; what they return (a Concern) tells the
young person's pages whether to show help at once. Nothing here decides what a young
person reads.
"""

from __future__ import annotations

from flask import Flask

from feedback.i18n import sl_, staff_gettext
from feedback.responses import services as responses


def _answer_saved(response, *, session, question, value, now, respondent=None, **_):
    from feedback.alerts import services

    return services.check_answer(
        session, response, question, value, now, respondent=respondent
    ).concern


def _response_sent(response, *, session, questionnaire, now, respondent=None, **_):
    from feedback.alerts import services

    return services.check_response(
        session, response, questionnaire, now, respondent=respondent
    ).concern


def _words_read(_sender, *, session, **_):
    from feedback.alerts import services

    return services.read_in_another_language(session)


def open_alerts_for(cases) -> dict[int, list]:
    """For the case list and case page: each case's open alerts that the signed-in
    member of staff may open, newest first."""
    from flask_login import current_user

    from feedback import db
    from feedback.alerts import services

    return services.open_alerts_by_case(db.session(), current_user, [c.id for c in cases])


# The shipped phrase file's category labels (feedback/safeguarding/phrases.yaml), marked
# for the staff catalogue: a label a council writes in its own file shows as written.
# tests/feedback/alerts/test_category_labels.py keeps the two lists the same.
CATEGORY_LABELS = (
    sl_("Suicide or self-harm"),
    sl_("Physical, sexual or emotional abuse"),
    sl_("Exploitation (criminal or sexual, county lines, debt)"),
    sl_("Going missing, or being kept somewhere"),
    sl_("Threats, weapons or violence"),
    sl_("Trafficking or forced work"),
    sl_("Not safe, scared or asking for help"),
    sl_("Written in another language: needs a human read"),
)


def _category_label(code: str) -> str:
    """What staff read for a detector category: its label, in the staff pages' words."""
    from feedback.safeguarding.detector import load_phrases

    label = load_phrases().labels.get(code)
    return staff_gettext(label) if label else code


def init_app(app: Flask) -> None:
    from feedback.alerts import cli, routes, services
    from feedback.staff.access import STAFF

    # Connecting the same function again (tests build many apps) is a no-op.
    responses.answer_saved.connect(_answer_saved)
    responses.response_sent.connect(_response_sent)
    responses.words_read.connect(_words_read)
    app.register_blueprint(routes.bp)
    app.jinja_env.filters["app_alert_category"] = _category_label
    app.add_template_global(open_alerts_for, "open_alerts_for")
    app.add_template_global(services.escalate_after, "alert_escalate_after")
    app.add_template_filter(services.in_words, "app_minutes_in_words")
    cli.init_app(app)
    app.config.setdefault("STAFF_NAV", []).append(
        (sl_("Safeguarding alerts"), "alerts.list_alerts", STAFF)
    )
    app.config.setdefault("REPORT_SECTIONS", []).append(services.report_section)
    app.config["REPORT_SECTIONS"].append(services.acknowledgement_section)
